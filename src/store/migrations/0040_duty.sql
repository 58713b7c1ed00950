-- Duty rosters and duty logs around each sitting (SPEC DAY-1; AH 45-46; PQ 27; issue 9 items
-- 4 and 6). src/app/duty.c. A centre's readiness (VEN-6) is computed from the registers of
-- 0005 (agreements, inspections, incidents) and needs no table of its own (src/app/readiness.c).
-- Audited like every table (app/audit.c).

-- One duty shift of an exam at a unit: a centre of the exam (centre_id, unit_id its unit) or
-- an agency (unit_id alone, centre_id NULL); the post (chief_examiner, deputy_chief_examiner,
-- duty_officer, custodian, security, medical, system_admin, logistics, other), the named
-- person (a staff record that passed training, ORG-4), the duty phone and from/to (UTC).
CREATE TABLE duty_shifts (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	unit_id BIGINT NOT NULL REFERENCES units (id),
	centre_id BIGINT REFERENCES centres (id),
	staff_id BIGINT NOT NULL REFERENCES staff (id),
	post TEXT NOT NULL,
	phone TEXT NOT NULL,
	starts_at TEXT NOT NULL,
	ends_at TEXT NOT NULL,
	created_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL
);
CREATE INDEX duty_shifts_exam ON duty_shifts (exam_id, unit_id, centre_id);
CREATE INDEX duty_shifts_staff ON duty_shifts (staff_id);

-- The duty log (值班记录, AH 46): append-only entries by the person on a shift covering the
-- moment, inside the duty window (2 hours before the first sitting of the day to 2 hours
-- after the last). kind: event, call (a call received; caller says from whom), action,
-- handover, note.
CREATE TABLE duty_log_entries (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	unit_id BIGINT NOT NULL REFERENCES units (id),
	centre_id BIGINT REFERENCES centres (id),
	shift_id BIGINT NOT NULL REFERENCES duty_shifts (id),
	staff_id BIGINT NOT NULL REFERENCES staff (id),
	occurred_at TEXT NOT NULL,
	kind TEXT NOT NULL,
	content TEXT NOT NULL,
	action_taken TEXT,
	caller TEXT,
	written_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL
);
CREATE INDEX duty_log_entries_unit ON duty_log_entries (exam_id, unit_id, occurred_at);
