-- Objective scoring (SPEC GRD-4, GRD-5, CUS-8, INF-5(6), SEC-2): answer keys per paper form,
-- the answer database (卷面库) imported from scanner output, and score runs. Audited like
-- every table (sheets and scores by batch records carrying a Merkle root).

-- A key per paper form (A卷, B卷…), versioned. The master form's items and options are the
-- reference; another form carries its permutation of the master (perm) and is verified
-- against it when loaded (CUS-8: a form whose key is not the permuted master is refused) and
-- again, against the master's latest version, before every score run. spec is 机密 (SEC-1, SEC-2): served only
-- to the roles with score.key.read, after the exam ends, every read audited.
CREATE TABLE answer_keys (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	subject_id BIGINT NOT NULL REFERENCES subjects (id),
	form TEXT NOT NULL,
	version BIGINT NOT NULL,
	master BIGINT NOT NULL,
	items BIGINT NOT NULL,
	spec TEXT NOT NULL,
	perm TEXT,
	master_key_id BIGINT REFERENCES answer_keys (id),
	digest TEXT NOT NULL,
	loaded_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL,
	UNIQUE (subject_id, form, version)
);

-- One reading of scanner output into the answer database: the file (its SHA-256), the two
-- people present (GRD-4: the importer and a witness), how many sheets (of any of the exam's
-- subjects). All or nothing.
CREATE TABLE answer_imports (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	file_sha256 TEXT NOT NULL,
	filename TEXT,
	sheets BIGINT NOT NULL,
	imported_by BIGINT NOT NULL REFERENCES users (id),
	witness_id BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL
);
CREATE INDEX answer_imports_exam ON answer_imports (exam_id);

-- The answer database (卷面库), packed: the sheets of one import and subject in blocks of up
-- to 4,096, one line a sheet — "registration_id TAB ticket_no TAB form TAB answers" (the answer
-- string as scanned, one symbol per item) —, each block one audited row (one audit record per
-- batch of sheets, not per sheet). first/last_registration bound the block's registrations.
-- The import refuses a second sheet for a candidate and subject.
CREATE TABLE answer_blocks (
	id @ID@,
	import_id BIGINT NOT NULL REFERENCES answer_imports (id),
	subject_id BIGINT NOT NULL REFERENCES subjects (id),
	sheets BIGINT NOT NULL,
	first_registration BIGINT NOT NULL,
	last_registration BIGINT NOT NULL,
	body TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX answer_blocks_subject ON answer_blocks (subject_id, id);

-- A score run: a pure function of (answers, keys, rules, violation outcomes) — each input's
-- digest is kept, and the digest of the result, so a run done again shows the same bytes.
CREATE TABLE score_runs (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	subject_id BIGINT NOT NULL REFERENCES subjects (id),
	keys TEXT NOT NULL,
	rules_digest TEXT NOT NULL,
	answers_digest TEXT NOT NULL,
	outcomes_digest TEXT NOT NULL,
	result_digest TEXT NOT NULL,
	candidates BIGINT NOT NULL,
	scored BIGINT NOT NULL,
	absent BIGINT NOT NULL,
	zeroed BIGINT NOT NULL,
	cancelled BIGINT NOT NULL,
	run_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL
);
CREATE INDEX score_runs_subject ON score_runs (subject_id);

-- A run's scores, packed like the answers: blocks of up to 4,096 candidates in registration
-- order (seq 1, 2, …), one line each — "registration_id TAB ticket_no TAB form TAB status TAB
-- raw TAB final TAB case_id" — with status scored, zero, cancelled or absent; raw the sheet's
-- points in hundredths (empty when absent) and final raw, 0 when a decision zeroed it, empty
-- when absent or cancelled: a violation outcome zeroes or cancels, never edits (INF-5(6));
-- case_id names the decision (0 for none). The run's result_digest is the SHA-256 of
-- "kaowu-scores-v1\n" and every block's body in seq order.
CREATE TABLE score_blocks (
	id @ID@,
	run_id BIGINT NOT NULL REFERENCES score_runs (id),
	seq BIGINT NOT NULL,
	candidates BIGINT NOT NULL,
	first_registration BIGINT NOT NULL,
	last_registration BIGINT NOT NULL,
	body TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (run_id, seq)
);
CREATE INDEX score_blocks_last ON score_blocks (run_id, last_registration);
