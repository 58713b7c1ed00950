-- Interviews, first slice (SPEC INT-2, INT-6, SEC-1, SEC-3; issue 12 items 1-2): an exam's
-- interview settings, shortlists per position from the publication in force, examiner panels.
-- Every table is audited (app/audit.c). Scores are integer hundredths of a point.

-- The exam's interview settings (§15 choices): minimum written score for an interview (NULL:
-- none), the composite weights in per cent (sum 100), the panel's scoring method (trimmed:
-- drop highest and lowest then average; mean), the least panel size (odd, ≥ 5, INT-2), and
-- whether recruiting-agency examiners must be in the minority.
CREATE TABLE interview_settings (
	id @ID@,
	exam_id BIGINT NOT NULL UNIQUE REFERENCES exams (id),
	written_min BIGINT,
	written_weight BIGINT NOT NULL,
	interview_weight BIGINT NOT NULL,
	method TEXT NOT NULL,
	panel_min BIGINT NOT NULL,
	agency_minority BIGINT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- A position's shortlist: built from the exam's publication in force by the position's
-- interview ratio (target = ceil(quota × a / b)); status draft → published. Rebuilt never:
-- declines change its entries.
CREATE TABLE interview_shortlists (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	position_id BIGINT NOT NULL UNIQUE REFERENCES positions (id),
	publication_id BIGINT NOT NULL REFERENCES publications (id),
	ratio TEXT NOT NULL,
	quota BIGINT NOT NULL,
	target BIGINT NOT NULL,
	written_min BIGINT,
	status TEXT NOT NULL,
	created_by BIGINT NOT NULL REFERENCES users (id),
	published_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX interview_shortlists_exam ON interview_shortlists (exam_id);

-- Every published candidate of the position, in order: written = the sum of the published
-- subject scores (hundredths); state admitted, waiting, declined or below_min; masked_name as
-- the public list shows it; place the competition rank by written score.
CREATE TABLE interview_shortlist_entries (
	id @ID@,
	shortlist_id BIGINT NOT NULL REFERENCES interview_shortlists (id),
	registration_id BIGINT NOT NULL REFERENCES registrations (id),
	ticket_no TEXT NOT NULL,
	masked_name TEXT NOT NULL,
	written BIGINT NOT NULL,
	place BIGINT NOT NULL,
	state TEXT NOT NULL,
	decline_reason TEXT,
	declined_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (shortlist_id, registration_id)
);

-- A panel (考官组) of an exam for one or more positions; starts_at: when the interview
-- starts — the examiner list is secret (秘密, SEC-1) until then.
CREATE TABLE interview_panels (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	code TEXT NOT NULL,
	starts_at TEXT NOT NULL,
	positions TEXT NOT NULL,
	examiners BIGINT NOT NULL,
	agency_examiners BIGINT NOT NULL,
	created_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (exam_id, code)
);

-- Its members (staff): duty chief, deputy, examiner, supervisor, scorer, timer or guide;
-- agency 1 for an examiner of a recruiting agency of the panel's positions.
CREATE TABLE interview_panel_members (
	id @ID@,
	panel_id BIGINT NOT NULL REFERENCES interview_panels (id),
	staff_id BIGINT NOT NULL REFERENCES staff (id),
	duty TEXT NOT NULL,
	agency BIGINT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (panel_id, staff_id)
);
