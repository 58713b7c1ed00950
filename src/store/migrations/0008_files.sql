-- Files candidates upload (SPEC REG-4 photo, REG-2 proof materials), checked by content
-- before they get here (core/upload.c). The bytes live once per content in file_blobs, keyed
-- by their SHA-256, so a pool of photos shared by millions of synthetic candidates stays
-- small; each upload is a row of files, audited like every table — the audited sha256 stands
-- for the bytes, and every read checks the bytes against it.
CREATE TABLE file_blobs (
	sha256 TEXT PRIMARY KEY,
	size BIGINT NOT NULL,
	data @BLOB@ NOT NULL,
	created_at TEXT NOT NULL
);
CREATE TABLE files (
	id @ID@,
	candidate_id BIGINT NOT NULL REFERENCES candidates (id),
	registration_id BIGINT REFERENCES registrations (id),
	purpose TEXT NOT NULL,
	label TEXT,
	media_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	width BIGINT,
	height BIGINT,
	sha256 TEXT NOT NULL REFERENCES file_blobs (sha256),
	uploaded_by BIGINT,
	created_at TEXT NOT NULL
);
CREATE INDEX files_candidate ON files (candidate_id, purpose, id);
CREATE INDEX files_registration ON files (registration_id, id);
