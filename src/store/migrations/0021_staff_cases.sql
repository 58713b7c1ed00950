-- Violations by staff (SPEC VIO-10; VH 16, 17, 22; AH 81): the act against the recruitment
-- rules, the leaders and directly responsible staff held to account, the handling by the unit
-- whose duty it is, a referral when a crime is suspected, and the person's re-check or
-- appeal with its outcome. A register of app/kinds.c, audited like every table.
CREATE TABLE staff_cases (
	id @ID@,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	exam_id BIGINT REFERENCES exams (id),
	staff_id BIGINT REFERENCES staff (id),
	person_name TEXT NOT NULL,
	responsibility TEXT NOT NULL,
	act TEXT NOT NULL,
	found_on TEXT NOT NULL,
	facts TEXT NOT NULL,
	evidence TEXT NOT NULL,
	handling TEXT,
	handled_by TEXT,
	handled_on TEXT,
	referred_to TEXT,
	referred_on TEXT,
	appeal TEXT NOT NULL,
	appeal_filed_on TEXT,
	appeal_outcome TEXT,
	appeal_decided_on TEXT,
	status TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX staff_cases_unit ON staff_cases (unit_id, status);
