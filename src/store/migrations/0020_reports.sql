-- Reports, complaints and accusations about an exam (SPEC VIO-11, AH 80): taken in by a unit,
-- tracked to a reply, and linked to the violation case opened from one. A register of
-- app/kinds.c, audited like every table.
CREATE TABLE reports (
	id @ID@,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	kind TEXT NOT NULL,
	channel TEXT NOT NULL,
	received_on TEXT NOT NULL,
	reporter TEXT,
	contact TEXT,
	exam_id BIGINT REFERENCES exams (id),
	subject TEXT NOT NULL,
	content TEXT NOT NULL,
	case_id BIGINT,
	reply_due TEXT,
	replied_on TEXT,
	reply TEXT,
	status TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX reports_unit ON reports (unit_id, status);
