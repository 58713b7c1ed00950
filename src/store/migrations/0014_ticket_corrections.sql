-- Corrections of what an admission ticket shows (SPEC TKT-3, AH 19): the candidate, or their
-- unit through the agency's counter, applies before the exam with proof; the exam-area
-- agency investigates and decides, the applicant is told, and a refusal carries its
-- reasons. What may be corrected is the candidate's own record the ticket prints (name,
-- sex, identity number, photo) — never the seat, which only the rule places (SEAT-1).
-- `changes` and `previous` are JSON objects of those fields; an approval writes `changes`
-- to the candidate and revokes the valid ticket, so the next one prints the corrected
-- record. The proof and a new photo are files of the registration (purposes
-- correction_proof, correction_photo). Audited like every table.
CREATE TABLE ticket_corrections (
	id @ID@,
	registration_id BIGINT NOT NULL REFERENCES registrations (id),
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	area_id BIGINT NOT NULL REFERENCES units (id),
	applicant TEXT NOT NULL,
	applicant_unit TEXT,
	entered_by BIGINT,
	statement TEXT NOT NULL,
	changes TEXT NOT NULL,
	previous TEXT NOT NULL,
	proof_files TEXT NOT NULL,
	status TEXT NOT NULL,
	decided_by BIGINT,
	decision_reason TEXT,
	decided_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX ticket_corrections_registration ON ticket_corrections (registration_id);
CREATE INDEX ticket_corrections_queue ON ticket_corrections (exam_id, status);
