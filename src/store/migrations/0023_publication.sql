-- Cross-checks on record and the publication of scores (SPEC GRD-7, GRD-8; issue 10 items 5
-- and 7). Audited like every table.

-- A cross-check of a score run, kept (GRD-7): every candidate's line computed again from the
-- answers, keys and decisions and compared with the run's. A run is publishable only with a
-- clean cross-check on record, made after the last change to its inputs; differences stay
-- open until a new run is cross-checked clean. report: the first differences (JSON).
CREATE TABLE score_crosschecks (
	id @ID@,
	run_id BIGINT NOT NULL REFERENCES score_runs (id),
	candidates BIGINT NOT NULL,
	differences BIGINT NOT NULL,
	status TEXT NOT NULL,
	answers_digest TEXT NOT NULL,
	outcomes_digest TEXT NOT NULL,
	result_digest TEXT NOT NULL,
	report TEXT NOT NULL,
	checked_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL
);
CREATE INDEX score_crosschecks_run ON score_crosschecks (run_id, id);

-- A publication of an exam's scores (GRD-8): one score run per subject, each with its clean
-- cross-check, frozen into look-up records at preparation; a second person approves it
-- (maker-checker, INF-4) before anyone can look a score up. status: pending (waiting for the
-- checker), published, rejected, superseded (a later publication — after a review's
-- correction — replaced it). runs: [{subject, run_id, crosscheck_id}]. salt: the key of the
-- look-up check (BLAKE2b of identity number and name), so the records hold no identity
-- number. digest: SHA-256 over "kaowu-publication-v1\n" and every block's body in order.
CREATE TABLE publications (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	status TEXT NOT NULL,
	runs TEXT NOT NULL,
	candidates BIGINT NOT NULL,
	salt TEXT NOT NULL,
	digest TEXT NOT NULL,
	approval_id BIGINT REFERENCES approvals (id),
	prepared_by BIGINT NOT NULL REFERENCES users (id),
	approved_by BIGINT REFERENCES users (id),
	published_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX publications_exam ON publications (exam_id, status);

-- A publication's look-up records in ticket-number order, in blocks of up to 4,096, one line
-- a candidate: "ticket_no TAB check TAB record" — check the hex BLAKE2b-128 keyed by the
-- publication's salt of the identity number (upper case) and the name, record the JSON the
-- look-up serves (masked name, each subject's status and score).
CREATE TABLE publication_blocks (
	id @ID@,
	publication_id BIGINT NOT NULL REFERENCES publications (id),
	seq BIGINT NOT NULL,
	candidates BIGINT NOT NULL,
	first_ticket TEXT NOT NULL,
	last_ticket TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (publication_id, seq)
);
