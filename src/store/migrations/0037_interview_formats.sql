-- Interview formats and observers (SPEC INT-5, INT-7; issue 12 items 4-5). src/app/interview.c.

-- A panel's format (INT-5): structured (结构化面试), leaderless_group (无领导小组讨论),
-- structured_group (结构化小组面试) or scenario (情景模拟/试讲). group_size: for the group
-- formats, how many candidates sit together (order numbers 1..g form group 1, and so on);
-- NULL for the others. dimensions: the panel's own scoring sheet (JSON as interview_days');
-- NULL: the day's sheet. A format other than structured always has its own sheet (the
-- format's standard sheet, data/rules/interview_formats.json, when none is given), copied
-- when the panel is made so that the sheet it scores on never changes under it. brief: the
-- recruiting agency's description of the positions, for the examiners.
-- "Late" columns of the audited table (app/audit.c).
ALTER TABLE interview_panels ADD COLUMN format TEXT;
ALTER TABLE interview_panels ADD COLUMN group_size BIGINT;
ALTER TABLE interview_panels ADD COLUMN dimensions TEXT;
ALTER TABLE interview_panels ADD COLUMN brief TEXT;

-- Registered observers of an interview day (面试旁听, INT-7; the 2012 notice's §4): who they
-- are (the identity number masked; it is checked, when registering, against the exam's
-- shortlists: a candidate of the exam does not observe), their organisation and kind
-- (media, deputy — a people's congress deputy or CPPCC member —, public, discipline —
-- a discipline-inspection officer —, other); registration closes when the day begins. Their
-- attendance: the panel whose room they sat in and when they came in and left.
CREATE TABLE interview_observers (
	id @ID@,
	day_id BIGINT NOT NULL REFERENCES interview_days (id),
	name TEXT NOT NULL,
	id_masked TEXT NOT NULL,
	id_digest TEXT NOT NULL,
	organisation TEXT NOT NULL,
	kind TEXT NOT NULL,
	panel_id BIGINT REFERENCES interview_panels (id),
	attended_at TEXT,
	left_at TEXT,
	created_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (day_id, id_digest)
);
CREATE INDEX interview_observers_day ON interview_observers (day_id);
