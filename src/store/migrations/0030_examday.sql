-- Exam day, first slice (SPEC DAY-2, DAY-3, DAY-4; issue 9 item 4): check-in at the door of
-- an exam room (考场), hand-in and leaving under the room lock, and the room record (考场记录)
-- kept by the room's proctors and closed with the signatures of at least two of them. A
-- "room" here is an exam room of the exam's published seating run (exam_rooms). Audited like
-- every table (app/audit.c).

-- One candidate's entry into one subject's sitting: how the ticket was presented (the QR's
-- signed payload, or the number typed), that the identity document was checked against the
-- registration (DAY-2), by whom; then how they left: handed in, or an early leave inside the
-- room lock with its special reason (to the rest room, AH 24(5)). One per subject and
-- registration.
CREATE TABLE checkins (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	subject_id BIGINT NOT NULL REFERENCES subjects (id),
	exam_room_id BIGINT NOT NULL REFERENCES exam_rooms (id),
	registration_id BIGINT NOT NULL REFERENCES registrations (id),
	seat_id BIGINT NOT NULL REFERENCES seats (id),
	ticket_no TEXT NOT NULL,
	ticket_version BIGINT,
	method TEXT NOT NULL,
	id_checked BIGINT NOT NULL,
	photo_match BIGINT,
	checked_in_by BIGINT NOT NULL REFERENCES users (id),
	checked_in_at TEXT NOT NULL,
	left_kind TEXT,
	left_reason TEXT,
	rest_room BIGINT,
	left_by BIGINT REFERENCES users (id),
	left_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (subject_id, registration_id)
);
CREATE INDEX checkins_room ON checkins (exam_room_id, subject_id);

-- The room record of one exam room at one subject's sitting (DAY-4): open while the sitting
-- runs, closed once at least room_record_signatures_min different proctors of the room have
-- signed its present content (content_digest); closing fixes the counts and the absentees.
CREATE TABLE room_records (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	subject_id BIGINT NOT NULL REFERENCES subjects (id),
	exam_room_id BIGINT NOT NULL REFERENCES exam_rooms (id),
	status TEXT NOT NULL,
	seated BIGINT,
	present BIGINT,
	absent BIGINT,
	content_digest TEXT,
	closed_by BIGINT REFERENCES users (id),
	closed_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (subject_id, exam_room_id)
);

-- What the proctors write into the record: incidents, suspected violations (naming the
-- candidate; a case may be opened from one once the record is closed: case_id), security
-- measures taken (DAY-3) and notes.
CREATE TABLE room_record_entries (
	id @ID@,
	record_id BIGINT NOT NULL REFERENCES room_records (id),
	kind TEXT NOT NULL,
	registration_id BIGINT REFERENCES registrations (id),
	description TEXT NOT NULL,
	occurred_at TEXT NOT NULL,
	created_by BIGINT NOT NULL REFERENCES users (id),
	case_id BIGINT REFERENCES cases (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX room_record_entries_record ON room_record_entries (record_id, id);

-- Evidence for an entry (PDF, JPEG or PNG, checked like every upload; bytes stored once).
CREATE TABLE room_record_files (
	id @ID@,
	entry_id BIGINT NOT NULL REFERENCES room_record_entries (id),
	label TEXT NOT NULL,
	media_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL REFERENCES file_blobs (sha256),
	uploaded_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL
);
CREATE INDEX room_record_files_entry ON room_record_files (entry_id);

-- A proctor's signature on the record as it then read (content_digest): one per person and
-- content; a record changed after a signature needs it again.
CREATE TABLE room_record_signatures (
	id @ID@,
	record_id BIGINT NOT NULL REFERENCES room_records (id),
	user_id BIGINT NOT NULL REFERENCES users (id),
	staff_id BIGINT NOT NULL REFERENCES staff (id),
	content_digest TEXT NOT NULL,
	signed_at TEXT NOT NULL,
	UNIQUE (record_id, user_id, content_digest)
);

-- The absentees (缺考) of a closed record: seated in the room for the subject, never checked
-- in. What scoring reads as "absent per the closed room record" (app/examday.h).
CREATE TABLE room_absentees (
	id @ID@,
	record_id BIGINT NOT NULL REFERENCES room_records (id),
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	subject_id BIGINT NOT NULL REFERENCES subjects (id),
	registration_id BIGINT NOT NULL REFERENCES registrations (id),
	ticket_no TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (subject_id, registration_id)
);
CREATE INDEX room_absentees_exam ON room_absentees (exam_id, subject_id);
