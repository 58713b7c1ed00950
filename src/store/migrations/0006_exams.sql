-- Exams, positions, candidates and registration (SPEC EXAM-1..6, REG-1..8).
-- exams, subjects, positions and archive_entries are record kinds of src/app/kinds.c (their
-- columns are these columns); candidates and registrations belong to src/app/reg.c. Every
-- table is audited.

-- EXAM-1, EXAM-2, EXAM-3, EXAM-5: an exam run by a unit (the national centre's template, or
-- a province's instance of it: template_id) under a rule set.
CREATE TABLE exams (
	id @ID@,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	ruleset TEXT NOT NULL,
	year BIGINT NOT NULL,
	template_id BIGINT REFERENCES exams (id),
	status TEXT NOT NULL,
	reg_opens_at TEXT,
	reg_closes_at TEXT,
	pledge_withdraw_until TEXT,
	registration_places TEXT,
	onsite_registration BIGINT NOT NULL,
	procedure TEXT,
	exam_date TEXT,
	ref_date TEXT,
	syllabus_published_on TEXT,
	ticket_delivery TEXT NOT NULL,
	fee_approval TEXT,
	levels TEXT,
	rolling_years BIGINT,
	age_min BIGINT,
	age_max BIGINT,
	education_min TEXT,
	degree_min TEXT,
	majors TEXT,
	work_years_min BIGINT,
	notice TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX exams_unit ON exams (unit_id);

-- EXAM-1: subjects with duration, mode, the audio/video flag, their sitting and fee (REG-7).
CREATE TABLE subjects (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	code TEXT NOT NULL,
	name TEXT NOT NULL,
	level TEXT,
	duration_minutes BIGINT NOT NULL,
	mode TEXT NOT NULL,
	audio_video BIGINT NOT NULL,
	starts_at TEXT,
	fee_cents BIGINT NOT NULL,
	exemptible BIGINT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (exam_id, code)
);

-- EXAM-4: civil-service positions as the authorities publish them; recruiter_id is the
-- recruiting agency (its unit code is the table's department code).
CREATE TABLE positions (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	recruiter_id BIGINT NOT NULL REFERENCES units (id),
	code TEXT NOT NULL,
	department_name TEXT,
	bureau TEXT,
	name TEXT NOT NULL,
	attribute TEXT,
	distribution TEXT,
	description TEXT,
	agency_level TEXT,
	category TEXT NOT NULL,
	quota BIGINT NOT NULL,
	majors TEXT,
	education_min TEXT,
	degree_min TEXT,
	political_status TEXT,
	grassroots_years_min BIGINT,
	grassroots_project BIGINT NOT NULL,
	professional_test BIGINT NOT NULL,
	interview_ratio TEXT,
	work_location TEXT,
	settlement_location TEXT,
	age_min BIGINT,
	age_max BIGINT,
	household TEXT,
	remarks TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (exam_id, code)
);
CREATE INDEX positions_recruiter ON positions (recruiter_id);

-- The integrity archive (GLOSSARY): civil-service entries carry VH bans (REG-5);
-- qualification-exam entries, while in term, remove the pledge route (REG-2).
CREATE TABLE archive_entries (
	id @ID@,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	id_type TEXT NOT NULL,
	id_number TEXT NOT NULL,
	person_name TEXT NOT NULL,
	kind TEXT NOT NULL,
	effect TEXT NOT NULL,
	term_start TEXT NOT NULL,
	term_end TEXT,
	lifetime BIGINT NOT NULL,
	source_decision TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX archive_entries_person ON archive_entries (id_type, id_number);

-- REG-4: candidate accounts, one per identity document.
CREATE TABLE candidates (
	id @ID@,
	id_type TEXT NOT NULL,
	id_number TEXT NOT NULL,
	name TEXT NOT NULL,
	sex TEXT,
	birth_date TEXT,
	phone TEXT NOT NULL,
	email TEXT,
	password_hash TEXT NOT NULL,
	status TEXT NOT NULL,
	political_status TEXT,
	household_region TEXT,
	work_years BIGINT NOT NULL,
	grassroots_years BIGINT NOT NULL,
	grassroots_project BIGINT NOT NULL,
	education TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (id_type, id_number)
);

-- Candidates' logins: the same mechanism as staff sessions.
CREATE TABLE candidate_sessions (
	id @ID@,
	token_hash TEXT NOT NULL UNIQUE,
	candidate_id BIGINT NOT NULL REFERENCES candidates (id),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	revoked_at TEXT
);

-- REG-1..6: one registration per candidate and exam (one position, for civil service).
CREATE TABLE registrations (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	candidate_id BIGINT NOT NULL REFERENCES candidates (id),
	position_id BIGINT REFERENCES positions (id),
	subjects TEXT NOT NULL,
	channel TEXT NOT NULL,
	entered_by BIGINT,
	route TEXT NOT NULL,
	pledge_version TEXT,
	pledged_at TEXT,
	pledge_address TEXT,
	pledge_withdrawn_at TEXT,
	pledge_withdraw_reason TEXT,
	status TEXT NOT NULL,
	review_reason TEXT,
	reviewed_by BIGINT,
	reviewed_at TEXT,
	submitted_at TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (exam_id, candidate_id)
);
CREATE INDEX registrations_position ON registrations (position_id, status);
CREATE INDEX registrations_candidate ON registrations (candidate_id);

-- REG-4: someone finds their identity document already taken (malicious pre-registration):
-- a claim, decided by staff after checking the person; upheld, the account passes to them.
CREATE TABLE identity_claims (
	id @ID@,
	id_type TEXT NOT NULL,
	id_number TEXT NOT NULL,
	name TEXT NOT NULL,
	phone TEXT NOT NULL,
	statement TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	candidate_id BIGINT REFERENCES candidates (id),
	status TEXT NOT NULL,
	decided_by BIGINT,
	decision_reason TEXT,
	decided_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX identity_claims_status ON identity_claims (status);
