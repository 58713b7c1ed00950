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

-- A candidate's answer sheet for a subject: the answer string as scanned (one symbol per
-- item), the paper form, and the ticket it was read under. One sheet per candidate and subject.
CREATE TABLE answer_sheets (
	id @ID@,
	import_id BIGINT NOT NULL REFERENCES answer_imports (id),
	subject_id BIGINT NOT NULL REFERENCES subjects (id),
	registration_id BIGINT NOT NULL REFERENCES registrations (id),
	ticket_no TEXT NOT NULL,
	form TEXT NOT NULL,
	answers TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (subject_id, registration_id)
);

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

-- One candidate's objective score in a run: raw (hundredths of a point, from the sheet; null
-- when absent) and final (raw, 0 when a decision zeroed it, null when absent or cancelled) —
-- a violation outcome zeroes or cancels, never edits (INF-5(6)); case_id names the decision.
CREATE TABLE scores (
	id @ID@,
	run_id BIGINT NOT NULL REFERENCES score_runs (id),
	registration_id BIGINT NOT NULL REFERENCES registrations (id),
	ticket_no TEXT NOT NULL,
	form TEXT,
	status TEXT NOT NULL,
	raw BIGINT,
	final BIGINT,
	case_id BIGINT REFERENCES cases (id),
	created_at TEXT NOT NULL,
	UNIQUE (run_id, registration_id)
);
CREATE INDEX scores_registration ON scores (registration_id);
