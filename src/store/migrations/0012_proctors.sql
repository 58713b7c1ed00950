-- The proctor lottery and recusal (SPEC SEAT-2, SEAT-3, SEC-3).
-- Staff gain two "late" columns (app/audit.c: in the canonical form only when set): whether
-- they can proctor a CBT room, and their own document (to find staff who registered for an
-- exam themselves). staff_relations is a record kind (app/kinds.c): a declared relation to
-- someone who may sit an exam. A draw assigns the trained, unconflicted staff of each exam
-- area to the exam rooms of a published seating run by a committed-then-revealed seed.
ALTER TABLE staff ADD COLUMN cbt_capable BIGINT;
ALTER TABLE staff ADD COLUMN id_number TEXT;

CREATE TABLE staff_relations (
	id @ID@,
	staff_id BIGINT NOT NULL REFERENCES staff (id),
	relation TEXT NOT NULL,
	relative_name TEXT NOT NULL,
	relative_id_number TEXT NOT NULL,
	declared_on TEXT NOT NULL,
	note TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX staff_relations_staff ON staff_relations (staff_id);
CREATE INDEX staff_relations_relative ON staff_relations (relative_id_number);

CREATE TABLE proctor_draws (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	run_id BIGINT NOT NULL REFERENCES seating_runs (id),
	sitting BIGINT NOT NULL,
	status TEXT NOT NULL,
	rule TEXT NOT NULL,
	inputs_digest TEXT NOT NULL,
	commitment TEXT NOT NULL,
	seed TEXT,
	result_digest TEXT,
	excluded TEXT NOT NULL,
	committed_by BIGINT,
	drawn_by BIGINT,
	committed_at TEXT NOT NULL,
	drawn_at TEXT,
	updated_at TEXT NOT NULL
);
CREATE INDEX proctor_draws_exam ON proctor_draws (exam_id);

CREATE TABLE proctor_draw_seeds (
	draw_id BIGINT PRIMARY KEY REFERENCES proctor_draws (id),
	seed TEXT NOT NULL
);

CREATE TABLE proctor_assignments (
	id @ID@,
	draw_id BIGINT NOT NULL REFERENCES proctor_draws (id),
	staff_id BIGINT NOT NULL REFERENCES staff (id),
	centre_id BIGINT NOT NULL REFERENCES centres (id),
	exam_room_id BIGINT REFERENCES exam_rooms (id),
	floor BIGINT,
	duty TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (draw_id, staff_id)
);
CREATE INDEX proctor_assignments_room ON proctor_assignments (exam_room_id);
