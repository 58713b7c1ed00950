-- Pass standards, qualified lists and certificates (SPEC GRD-10, EXAM-5, INF-5(7); issue 10
-- item 9). Audited like every table.

-- A subject's cut score (合格标准), versioned; published (PQ 38): readable by anyone.
CREATE TABLE pass_standards (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	subject TEXT NOT NULL,
	cut_score TEXT NOT NULL,
	version BIGINT NOT NULL,
	set_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL,
	UNIQUE (exam_id, subject, version)
);

-- The qualified list (合格人员名单) drawn from the publication in force and the pass
-- standards; the province confirms it (a second person: approval kind qualified_list.confirm)
-- and the confirmation issues the certificates. entries: one line per qualified candidate,
-- "registration_id TAB ticket_no"; withheld: those still under qualification verification,
-- left out until it ends (GRD-10). status: pending, confirmed, rejected, superseded.
CREATE TABLE qualified_lists (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	publication_id BIGINT NOT NULL REFERENCES publications (id),
	status TEXT NOT NULL,
	standards TEXT NOT NULL,
	candidates BIGINT NOT NULL,
	qualified BIGINT NOT NULL,
	withheld BIGINT NOT NULL,
	entries TEXT NOT NULL,
	digest TEXT NOT NULL,
	approval_id BIGINT REFERENCES approvals (id),
	prepared_by BIGINT NOT NULL REFERENCES users (id),
	confirmed_by BIGINT REFERENCES users (id),
	confirmed_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX qualified_lists_exam ON qualified_lists (exam_id, status);

-- An electronic certificate: its data frozen at issue, and the signed payload its QR code
-- carries (digest kept). status valid or revoked (with the reason; a candidate no longer on a
-- confirmed list loses it, INF-5(7), and gets a new one if restored).
CREATE TABLE certificates (
	id @ID@,
	number TEXT NOT NULL UNIQUE,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	qualified_list_id BIGINT NOT NULL REFERENCES qualified_lists (id),
	registration_id BIGINT NOT NULL REFERENCES registrations (id),
	candidate_id BIGINT NOT NULL REFERENCES candidates (id),
	name TEXT NOT NULL,
	id_masked TEXT NOT NULL,
	data TEXT NOT NULL,
	payload TEXT NOT NULL,
	issued_on TEXT NOT NULL,
	status TEXT NOT NULL,
	revoked_reason TEXT,
	revoked_at TEXT,
	approval_id BIGINT REFERENCES approvals (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX certificates_registration ON certificates (registration_id, status);
CREATE INDEX certificates_exam ON certificates (exam_id, status);
