-- Exam-day incidents (SPEC DAY-5, VEN-4, DAY-1's command platform; PQ 32, 33, 46; AH 25;
-- issue 9 item 5). src/app/incidents.c. Not the custody discrepancies (custody_incidents)
-- nor the centres' VEN-4 register (incidents), which a major incident writes an entry into
-- (venue_incident_id) so that the centre is blocked until rectified.

-- An incident at a sitting (subject) of an exam at a centre, in an exam room or the centre as a
-- whole. category: the six PQ 46 "report at once" ones (urgent = 1: every level up to the
-- national centre is notified when it is raised) or an ordinary one. awaiting_unit_id: the
-- level whose acknowledgement is awaited (the highest step's unit, until it acknowledges).
-- The police report (PQ 33) and the conclusion close it.
CREATE TABLE exam_incidents (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	subject_id BIGINT NOT NULL REFERENCES subjects (id),
	centre_id BIGINT NOT NULL REFERENCES centres (id),
	exam_room_id BIGINT REFERENCES exam_rooms (id),
	occurred_at TEXT NOT NULL,
	category TEXT NOT NULL,
	description TEXT NOT NULL,
	urgent INTEGER NOT NULL,
	major INTEGER NOT NULL,
	status TEXT NOT NULL,
	awaiting_unit_id BIGINT REFERENCES units (id),
	venue_incident_id BIGINT REFERENCES incidents (id),
	police_reported_at TEXT,
	police_to TEXT,
	police_ref TEXT,
	conclusion TEXT,
	closed_by BIGINT REFERENCES users (id),
	closed_at TEXT,
	reported_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX exam_incidents_exam ON exam_incidents (exam_id, id);
-- The command view's "incidents open per centre" (DAY-1): one index range per exam.
CREATE INDEX exam_incidents_open ON exam_incidents (exam_id, status, centre_id);
CREATE INDEX exam_incidents_awaiting ON exam_incidents (awaiting_unit_id);

-- The escalation chain: one step per level notified (centre, area agency, provincial agency,
-- national centre, as the centre's unit and its ancestors of those kinds), with who sent it
-- up (NULL: notified when raised) and its note, and the level's acknowledgement.
CREATE TABLE exam_incident_steps (
	id @ID@,
	incident_id BIGINT NOT NULL REFERENCES exam_incidents (id),
	seq INTEGER NOT NULL,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	notified_at TEXT NOT NULL,
	escalated_by BIGINT REFERENCES users (id),
	note TEXT,
	acknowledged_by BIGINT REFERENCES users (id),
	acknowledged_at TEXT,
	UNIQUE (incident_id, unit_id)
);
CREATE INDEX exam_incident_steps_incident ON exam_incident_steps (incident_id, seq);

-- Findings, measures and notes: appended, never changed (DAY-5).
CREATE TABLE exam_incident_updates (
	id @ID@,
	incident_id BIGINT NOT NULL REFERENCES exam_incidents (id),
	kind TEXT NOT NULL,
	text TEXT NOT NULL,
	created_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL
);
CREATE INDEX exam_incident_updates_incident ON exam_incident_updates (incident_id);

-- Evidence fixed (PQ 33): the bytes in the files module's blobs.
CREATE TABLE exam_incident_files (
	id @ID@,
	incident_id BIGINT NOT NULL REFERENCES exam_incidents (id),
	label TEXT NOT NULL,
	media_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	uploaded_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL
);
CREATE INDEX exam_incident_files_incident ON exam_incident_files (incident_id);

-- Postponement (the national centre's consent), re-sitting or cancellation (the ministry's):
-- asked by an agency, decided through a maker-checker approval (kind "incident.outcome"),
-- announced with its text once approved (PQ 32).
CREATE TABLE exam_incident_outcomes (
	id @ID@,
	incident_id BIGINT NOT NULL REFERENCES exam_incidents (id),
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	kind TEXT NOT NULL,
	details TEXT NOT NULL,
	announcement TEXT NOT NULL,
	status TEXT NOT NULL,
	approval_id BIGINT REFERENCES approvals (id),
	requested_by BIGINT NOT NULL REFERENCES users (id),
	decided_by BIGINT REFERENCES users (id),
	decided_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX exam_incident_outcomes_incident ON exam_incident_outcomes (incident_id);
CREATE INDEX exam_incident_outcomes_exam ON exam_incident_outcomes (exam_id, status);
