-- Papers as packages and their chain of custody (SPEC PAP-2, PAP-3, CUS-1..6; issue 9 items 1
-- and 2). Audited like every table (app/audit.c). See app/custody.h for the rules.

-- PAP-2: the print sign-off of one subject's paper, one row per person (author, lead…);
-- packages are made only once two different people signed.
CREATE TABLE paper_signoffs (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	subject_id BIGINT NOT NULL REFERENCES subjects (id),
	user_id BIGINT NOT NULL REFERENCES users (id),
	role_note TEXT NOT NULL,
	signed_at TEXT NOT NULL,
	UNIQUE (subject_id, user_id)
);

-- A sealed package (试卷袋) of one subject (PAP-3: never two), made from the published seating
-- run: kind "room" per exam room (count = seated + paper_spares_per_room, as the paper order),
-- kind "centre" the outer package of a centre holding its room packages of that subject
-- (parent_id). place and events say where it is now and how many events its chain has.
CREATE TABLE paper_packages (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	run_id BIGINT NOT NULL REFERENCES seating_runs (id),
	subject_id BIGINT NOT NULL REFERENCES subjects (id),
	kind TEXT NOT NULL,
	centre_id BIGINT NOT NULL REFERENCES centres (id),
	exam_room_id BIGINT REFERENCES exam_rooms (id),
	parent_id BIGINT REFERENCES paper_packages (id),
	seal_no TEXT NOT NULL UNIQUE,
	classification TEXT NOT NULL,
	seated BIGINT NOT NULL,
	spare BIGINT NOT NULL,
	count BIGINT NOT NULL,
	print_signer_a BIGINT NOT NULL REFERENCES users (id),
	print_signer_b BIGINT NOT NULL REFERENCES users (id),
	place TEXT NOT NULL,
	events BIGINT NOT NULL,
	created_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (subject_id, centre_id, kind, exam_room_id)
);
CREATE INDEX paper_packages_exam ON paper_packages (exam_id, subject_id, centre_id);

-- One movement or check of a package (append-only; seq 1, 2, … per package): kind, from and
-- to place, the server's time, the people (JSON: accounts by id and name, others by name),
-- the vehicle, the count and seal read, and the flags it raised (JSON array of codes). An
-- event of an outer package is written too for each inner package where it is
-- (via_package_id: the outer one, whose count and seal were the ones checked).
CREATE TABLE custody_events (
	id @ID@,
	package_id BIGINT NOT NULL REFERENCES paper_packages (id),
	seq BIGINT NOT NULL,
	kind TEXT NOT NULL,
	from_place TEXT NOT NULL,
	to_place TEXT NOT NULL,
	location TEXT,
	people TEXT NOT NULL,
	vehicle TEXT,
	departed_at TEXT,
	count_checked BIGINT,
	seal_checked TEXT,
	flags TEXT NOT NULL,
	note TEXT,
	recorded_by BIGINT NOT NULL REFERENCES users (id),
	occurred_at TEXT NOT NULL,
	via_package_id BIGINT REFERENCES paper_packages (id),
	UNIQUE (package_id, seq)
);

-- What an event found wrong (a count or seal that does not match, a late delivery, a
-- transport not arriving the same day): reported upward at once (CUS-3) to the exam's unit.
CREATE TABLE custody_incidents (
	id @ID@,
	package_id BIGINT NOT NULL REFERENCES paper_packages (id),
	event_id BIGINT NOT NULL REFERENCES custody_events (id),
	code TEXT NOT NULL,
	details TEXT NOT NULL,
	report_upward BIGINT NOT NULL,
	report_to_unit BIGINT NOT NULL REFERENCES units (id),
	status TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX custody_incidents_package ON custody_incidents (package_id);
