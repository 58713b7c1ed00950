-- Organisation and venues (SPEC ORG-1..6, VEN-1..7): responsible persons, plans, centres
-- with their agreements, inspections, layout and incidents, rooms, staff and training.
-- Each table is a record kind of src/app/kinds.c (the columns there are these columns)
-- and is audited: every row is explained by the hash chain.

-- ORG-5: the first responsible person of a level and the responsible person of each post.
CREATE TABLE unit_responsibles (
	id @ID@,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	person_name TEXT NOT NULL,
	title TEXT NOT NULL,
	duty TEXT NOT NULL,
	post TEXT,
	from_date TEXT,
	to_date TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX unit_responsibles_unit ON unit_responsibles (unit_id);

-- ORG-6: implementation, emergency and security-coordination plans of a province.
CREATE TABLE plans (
	id @ID@,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	kind TEXT NOT NULL,
	title TEXT NOT NULL,
	exam_name TEXT,
	recorded_on TEXT NOT NULL,
	summary TEXT,
	document_ref TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX plans_unit ON plans (unit_id);

-- VEN-1: a centre stores facts; whether it may serve an exam is decided by that exam's
-- rule set when the exam uses it.
CREATE TABLE centres (
	id @ID@,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	address TEXT NOT NULL,
	admin_level TEXT NOT NULL,
	kind TEXT NOT NULL,
	cbt_seats BIGINT NOT NULL,
	provincial_approval TEXT,
	national_filing TEXT,
	status TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX centres_unit ON centres (unit_id);

-- VEN-5: a room stores its physical seats; the rule set says how many candidates it takes.
CREATE TABLE rooms (
	id @ID@,
	centre_id BIGINT NOT NULL REFERENCES centres (id),
	code TEXT NOT NULL,
	name TEXT,
	seats BIGINT NOT NULL,
	mode TEXT NOT NULL,
	video BIGINT NOT NULL,
	partitions BIGINT NOT NULL,
	floor BIGINT,
	storage TEXT,
	status TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (centre_id, code)
);

-- VEN-6: agreements and safety-responsibility letters; inspections and acceptance.
CREATE TABLE centre_agreements (
	id @ID@,
	centre_id BIGINT NOT NULL REFERENCES centres (id),
	kind TEXT NOT NULL,
	signed_on TEXT NOT NULL,
	valid_until TEXT,
	reference TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX centre_agreements_centre ON centre_agreements (centre_id);

CREATE TABLE inspections (
	id @ID@,
	centre_id BIGINT NOT NULL REFERENCES centres (id),
	room_id BIGINT REFERENCES rooms (id),
	inspected_on TEXT NOT NULL,
	inspector TEXT NOT NULL,
	result TEXT NOT NULL,
	sealed_environment BIGINT NOT NULL,
	findings TEXT,
	corrected_on TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX inspections_centre ON inspections (centre_id);

-- VEN-7: the exam zone's cordon, the rest room, the exam office, the security zone…
CREATE TABLE layout_items (
	id @ID@,
	centre_id BIGINT NOT NULL REFERENCES centres (id),
	kind TEXT NOT NULL,
	location TEXT NOT NULL,
	notes TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX layout_items_centre ON layout_items (centre_id);

-- VEN-4: a major incident blocks the centre until its rectification is recorded.
CREATE TABLE incidents (
	id @ID@,
	centre_id BIGINT NOT NULL REFERENCES centres (id),
	occurred_on TEXT NOT NULL,
	description TEXT NOT NULL,
	major BIGINT NOT NULL,
	rectification TEXT,
	rectified_on TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX incidents_centre ON incidents (centre_id);

-- ORG-3, ORG-4: staff records, with or without an account; backup_of names the A of an
-- AB pair (this record is the B).
CREATE TABLE staff (
	id @ID@,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	post TEXT NOT NULL,
	employment TEXT NOT NULL,
	user_id BIGINT REFERENCES users (id),
	backup_of BIGINT REFERENCES staff (id),
	status TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX staff_unit ON staff (unit_id);

-- ORG-4: training (and, for interview examiners, assessment) results.
CREATE TABLE trainings (
	id @ID@,
	staff_id BIGINT NOT NULL REFERENCES staff (id),
	course TEXT NOT NULL,
	trained_on TEXT NOT NULL,
	result TEXT NOT NULL,
	assessment TEXT NOT NULL,
	notes TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX trainings_staff ON trainings (staff_id);
