-- Admission tickets (SPEC TKT-1..4): each issue of a registration's ticket is a version —
-- self-printed (TKT-2, no stamp), issued on site with the issuer's stamp (AH 18), or
-- reissued and marked 补发 (AH 20) — carrying the QR payload signed with the ticket key
-- (Ed25519, derived from the audit key) and its rendered PDF (a file_blob, served as
-- rendered). A new version revokes the one before it: its QR then fails at check-in.
-- Audited like every table.
CREATE TABLE tickets (
	id @ID@,
	registration_id BIGINT NOT NULL REFERENCES registrations (id),
	seat_id BIGINT NOT NULL REFERENCES seats (id),
	ticket_no TEXT NOT NULL,
	version BIGINT NOT NULL,
	kind TEXT NOT NULL,
	status TEXT NOT NULL,
	payload_digest TEXT NOT NULL,
	pdf_sha256 TEXT NOT NULL REFERENCES file_blobs (sha256),
	reason TEXT,
	issued_by BIGINT,
	issued_at TEXT NOT NULL,
	revoked_at TEXT,
	updated_at TEXT NOT NULL,
	UNIQUE (registration_id, version)
);
CREATE INDEX tickets_number ON tickets (ticket_no);
