-- Violation cases (SPEC VIO-0 … VIO-11; GLOSSARY 违纪违规案件 "case"): one matter from the
-- on-the-spot record to the decision, its service, its effects and any review or suit.
-- The catalogue (VH or Order No. 31, chosen by the exam's kind, VIO-0) and its version are
-- fixed when the case opens, so the case keeps the wording in force when it happened.
-- The current state lives in the row; every step is also an event (case_events), and every
-- row is audited like every table.
CREATE TABLE cases (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	unit_id BIGINT NOT NULL REFERENCES units (id),
	party TEXT NOT NULL,
	registration_id BIGINT REFERENCES registrations (id),
	candidate_id BIGINT REFERENCES candidates (id),
	person_name TEXT NOT NULL,
	id_type TEXT,
	id_number TEXT,
	source TEXT NOT NULL,
	source_ref TEXT,
	catalogue TEXT NOT NULL,
	catalogue_version TEXT NOT NULL,
	stage TEXT NOT NULL,
	subject TEXT,
	entry_id TEXT,
	facts TEXT NOT NULL,
	occurred_at TEXT NOT NULL,
	place TEXT,
	actions_taken TEXT,
	status TEXT NOT NULL,
	notice_number TEXT,
	notice_at TEXT,
	notice_method TEXT,
	notice_receipt_date TEXT,
	defence_due TEXT,
	defence_text TEXT,
	defence_at TEXT,
	defence_waived BIGINT,
	defence_review TEXT,
	defence_reviewed_by BIGINT,
	defence_reviewed_at TEXT,
	decision_number TEXT,
	decision_date TEXT,
	decided_at TEXT,
	decided_by BIGINT,
	decider_unit_id BIGINT REFERENCES units (id),
	penalty TEXT,
	service_method TEXT,
	receipt_date TEXT,
	review_due TEXT,
	lawsuit_due TEXT,
	revoked_at TEXT,
	created_by BIGINT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (decision_number),
	UNIQUE (notice_number)
);
CREATE INDEX cases_exam ON cases (exam_id, status);
CREATE INDEX cases_unit ON cases (unit_id, status);
CREATE INDEX cases_candidate ON cases (candidate_id);

-- The signatures on the on-the-spot record: at least the catalogue's evidence_signatures_min
-- (2 for VH, VH 18) different staff.
CREATE TABLE case_signatures (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES cases (id),
	user_id BIGINT NOT NULL REFERENCES users (id),
	role_note TEXT,
	signed_at TEXT NOT NULL,
	UNIQUE (case_id, user_id)
);

-- Files of a case: evidence, the candidate's defence attachments, the notice and the decision
-- letter as served, evidence for a revocation or an appeal outcome. The bytes are stored once
-- per content (file_blobs).
CREATE TABLE case_files (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES cases (id),
	kind TEXT NOT NULL,
	label TEXT NOT NULL,
	media_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL REFERENCES file_blobs (sha256),
	uploaded_by BIGINT,
	uploaded_by_candidate BIGINT,
	created_at TEXT NOT NULL
);
CREATE INDEX case_files_case ON case_files (case_id, kind, id);

-- The timeline: every step of a case with who and when.
CREATE TABLE case_events (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES cases (id),
	kind TEXT NOT NULL,
	actor_user BIGINT,
	actor_candidate BIGINT,
	details TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, id);

-- What a decision did, applied by the system (never by hand) and undone only by a revocation:
-- zero_subject, void_sitting, registration_cancelled, registration_void, process_ended,
-- archive (the archive entry it wrote).
CREATE TABLE case_effects (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES cases (id),
	kind TEXT NOT NULL,
	registration_id BIGINT REFERENCES registrations (id),
	subject TEXT,
	archive_entry_id BIGINT REFERENCES archive_entries (id),
	previous TEXT,
	applied_at TEXT NOT NULL,
	reversed_at TEXT
);
CREATE INDEX case_effects_case ON case_effects (case_id);
CREATE INDEX case_effects_registration ON case_effects (registration_id);

-- Changes to a decided case — a revocation, or the outcome of an administrative review or a
-- lawsuit that changes it — need new evidence or legal grounds and a second person
-- (INF-4, INF-5(5)): a maker asks, another decides.
CREATE TABLE case_changes (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES cases (id),
	kind TEXT NOT NULL,
	grounds TEXT NOT NULL,
	evidence_files TEXT NOT NULL,
	status TEXT NOT NULL,
	maker_id BIGINT NOT NULL REFERENCES users (id),
	checker_id BIGINT REFERENCES users (id),
	checker_reason TEXT,
	created_at TEXT NOT NULL,
	decided_at TEXT
);
CREATE INDEX case_changes_case ON case_changes (case_id);

-- Outcomes of administrative reviews and lawsuits against a decision.
CREATE TABLE case_appeals (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES cases (id),
	kind TEXT NOT NULL,
	filed_on TEXT NOT NULL,
	body TEXT,
	outcome TEXT,
	outcome_date TEXT,
	note TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- Messages to a candidate's portal (the notice of an intended decision, a decision).
CREATE TABLE candidate_messages (
	id @ID@,
	candidate_id BIGINT NOT NULL REFERENCES candidates (id),
	kind TEXT NOT NULL,
	case_id BIGINT REFERENCES cases (id),
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at TEXT NOT NULL,
	read_at TEXT
);
CREATE INDEX candidate_messages_candidate ON candidate_messages (candidate_id, id);

-- Archive entries written by a decision name their case; a revoked entry leaves the archive
-- at once (INF-5(5)) and is kept, marked, for the record. "Late" columns of the archive
-- register (app/kinds.c, KW_FF_LATE): entries written before keep their audit digests.
ALTER TABLE archive_entries ADD COLUMN case_id BIGINT;
ALTER TABLE archive_entries ADD COLUMN revoked_at TEXT;
