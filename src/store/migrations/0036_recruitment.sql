-- Recruitment after the interview (SPEC INT-6, VIO-6, VIO-9; VH 10-14; issue 12 item 6):
-- the composite list of a position, the physical exam, fitness and psychological tests where
-- the position requires them, vetting (考察), replacements (递补), the public notice (公示)
-- with objections, appointment and probation. Every table is audited (app/audit.c). Scores
-- are integer hundredths of a point; dates are CST calendar dates (YYYY-MM-DD).

-- A position's composite list, built from its published interview results. quota: the number
-- to recruit; rounds: how many replacements the exam's rules allow (default 1), rounds_used
-- those made; fitness_test / psych_test: 1 when the position requires them; interview_min: the
-- interview qualification line (NULL: none); notice_workdays: the notice period in working
-- days on the holiday calendar (default 5); probation_months (default 12).
CREATE TABLE recruit_lists (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	position_id BIGINT NOT NULL UNIQUE REFERENCES positions (id),
	shortlist_id BIGINT NOT NULL REFERENCES interview_shortlists (id),
	quota BIGINT NOT NULL,
	rounds BIGINT NOT NULL,
	rounds_used BIGINT NOT NULL,
	fitness_test BIGINT NOT NULL,
	psych_test BIGINT NOT NULL,
	interview_min BIGINT,
	notice_workdays BIGINT NOT NULL,
	probation_months BIGINT NOT NULL,
	created_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- Every interviewed candidate of the list in composite order (place 1, 2, …; ties: written
-- score, then interview score, then ticket number). state: reserve, selected (in the steps),
-- referred (waiting on case_id), passed (every step passed), notice (on a published public
-- notice), appointed (on probation until probation_ends), confirmed (probation passed),
-- cancelled (in probation, through case_id), out (out_reason: the step failed, absent, withdrawn,
-- case or objection). replaces: the candidate this one replaced (递补).
CREATE TABLE recruit_candidates (
	id @ID@,
	list_id BIGINT NOT NULL REFERENCES recruit_lists (id),
	registration_id BIGINT NOT NULL UNIQUE REFERENCES registrations (id),
	ticket_no TEXT NOT NULL,
	written BIGINT NOT NULL,
	interview BIGINT NOT NULL,
	composite BIGINT NOT NULL,
	place BIGINT NOT NULL,
	state TEXT NOT NULL,
	out_reason TEXT,
	case_id BIGINT REFERENCES cases (id),
	replaces BIGINT REFERENCES recruit_candidates (id),
	notice_id BIGINT,
	appointed_on TEXT,
	probation_ends TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX recruit_candidates_list ON recruit_candidates (list_id);

-- One recorded step: physical_exam (reexam 1 for the one re-examination), fitness_test,
-- psych_test or vetting; outcome pass, fail, absent, withdrawn or referred (case_id set).
CREATE TABLE recruit_steps (
	id @ID@,
	candidate_id BIGINT NOT NULL REFERENCES recruit_candidates (id),
	step TEXT NOT NULL,
	reexam BIGINT NOT NULL,
	outcome TEXT NOT NULL,
	reason TEXT,
	on_date TEXT NOT NULL,
	case_id BIGINT REFERENCES cases (id),
	recorded_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL
);
CREATE INDEX recruit_steps_candidate ON recruit_steps (candidate_id);

-- A public notice (公示) of a list: made by one person (pending), published when another
-- approves it (INF-4); the period runs from the day after starts_on to ends_on (working
-- days). entries: the list as published (JSON; identity numbers masked).
CREATE TABLE recruit_notices (
	id @ID@,
	list_id BIGINT NOT NULL REFERENCES recruit_lists (id),
	status TEXT NOT NULL,
	entries TEXT NOT NULL,
	made_by BIGINT NOT NULL REFERENCES users (id),
	approved_by BIGINT REFERENCES users (id),
	starts_on TEXT,
	ends_on TEXT,
	published_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX recruit_notices_list ON recruit_notices (list_id);

-- An objection (异议) to a notice about one candidate, received during the period and tracked
-- to a reply; sustained 1 takes the candidate off the list.
CREATE TABLE recruit_objections (
	id @ID@,
	notice_id BIGINT NOT NULL REFERENCES recruit_notices (id),
	candidate_id BIGINT NOT NULL REFERENCES recruit_candidates (id),
	received_on TEXT NOT NULL,
	objector TEXT,
	text TEXT NOT NULL,
	status TEXT NOT NULL,
	reply TEXT,
	sustained BIGINT,
	replied_by BIGINT REFERENCES users (id),
	replied_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX recruit_objections_notice ON recruit_objections (notice_id);
