-- Answer-data backups (SPEC GRD-4, AH 58: "有关数据应逐日备份，并由专人分别保管"; issue 10):
-- src/app/answerbak.c. A backup is a self-describing file of the answer database's blocks of
-- an exam (or of one subject) as stored, with a manifest (counts, each batch's SHA-256, the
-- imports it covers, its time in China time) whose digest is recorded here. It is taken into
-- custody as a second step by a keeper who is neither its maker nor an operator of an import
-- it covers, with where it is kept. A day with imports not covered by a backup in custody is
-- overdue. Each write is recorded in the audit chain (score.answers.backup, .keep).
CREATE TABLE answer_backups (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	subject_id BIGINT REFERENCES subjects (id),
	digest TEXT NOT NULL,
	imports BIGINT NOT NULL,
	batches BIGINT NOT NULL,
	sheets BIGINT NOT NULL,
	made_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL,
	kept_by BIGINT REFERENCES users (id),
	location TEXT,
	kept_at TEXT
);
CREATE INDEX answer_backups_exam ON answer_backups (exam_id, id);

-- The batches (answer blocks) a backup holds: which block of which import, its sheets and
-- the SHA-256 of its body as written to the file.
CREATE TABLE answer_backup_batches (
	id @ID@,
	backup_id BIGINT NOT NULL REFERENCES answer_backups (id),
	block_id BIGINT NOT NULL REFERENCES answer_blocks (id),
	import_id BIGINT NOT NULL REFERENCES answer_imports (id),
	sheets BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	UNIQUE (backup_id, block_id)
);
CREATE INDEX answer_backup_batches_block ON answer_backup_batches (block_id);
