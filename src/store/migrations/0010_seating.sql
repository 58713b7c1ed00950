-- Seating (SPEC SEAT-1, TKT-1, VEN-5): the exam area a candidate sits in and any
-- accommodation they need; seating runs committed before and revealed after (core/seat.h);
-- the exam rooms (考场) and seats of a run, with ticket numbers. Audited like every table
-- (seats and exam rooms by batch records carrying a Merkle root).

-- Added to registrations after their creation: "late" columns of the audit's canonical
-- form (src/app/audit.c), written into a row's digest only when they hold a value.
ALTER TABLE registrations ADD COLUMN area_id BIGINT REFERENCES units (id);
ALTER TABLE registrations ADD COLUMN accommodation TEXT;

-- One run of the unified rule over an exam (its inputs file, public, is the file_blob whose
-- SHA-256 is inputs_digest): committed (seed commitment and inputs digest
-- published, seed kept), seated (the assignment written, the seed revealed), published
-- (tickets may be issued), or discarded with its reason. A discarded run stays on the public
-- record with its revealed seed.
CREATE TABLE seating_runs (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	status TEXT NOT NULL,
	rule TEXT NOT NULL,
	inputs_digest TEXT NOT NULL REFERENCES file_blobs (sha256),
	candidates BIGINT NOT NULL,
	rooms BIGINT NOT NULL,
	commitment TEXT NOT NULL,
	seed TEXT,
	assignment_digest TEXT,
	exam_rooms BIGINT,
	reason TEXT,
	committed_by BIGINT,
	seated_by BIGINT,
	published_by BIGINT,
	committed_at TEXT NOT NULL,
	seated_at TEXT,
	published_at TEXT,
	updated_at TEXT NOT NULL
);
CREATE INDEX seating_runs_exam ON seating_runs (exam_id);

-- The seed of a run between its commitment and its reveal: never served, deleted when the
-- run is seated or discarded (seating_runs.seed then holds it, public).
CREATE TABLE seating_seeds (
	run_id BIGINT PRIMARY KEY REFERENCES seating_runs (id),
	seed TEXT NOT NULL
);

CREATE TABLE exam_rooms (
	id @ID@,
	run_id BIGINT NOT NULL REFERENCES seating_runs (id),
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	area_id BIGINT NOT NULL REFERENCES units (id),
	centre_id BIGINT NOT NULL REFERENCES centres (id),
	room_id BIGINT NOT NULL REFERENCES rooms (id),
	number BIGINT NOT NULL,
	subjects TEXT NOT NULL,
	sittings TEXT NOT NULL,
	seats_taken BIGINT NOT NULL,
	accommodation BIGINT NOT NULL,
	first_ticket TEXT NOT NULL,
	last_ticket TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (run_id, centre_id, number)
);
CREATE INDEX exam_rooms_centre ON exam_rooms (centre_id, run_id);

CREATE TABLE seats (
	id @ID@,
	run_id BIGINT NOT NULL REFERENCES seating_runs (id),
	registration_id BIGINT NOT NULL REFERENCES registrations (id),
	exam_room_id BIGINT NOT NULL REFERENCES exam_rooms (id),
	seat_no BIGINT NOT NULL,
	ticket_no TEXT NOT NULL,
	reason TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (run_id, registration_id),
	UNIQUE (run_id, ticket_no)
);
CREATE INDEX seats_room ON seats (exam_room_id, seat_no);
CREATE INDEX seats_registration ON seats (registration_id);
