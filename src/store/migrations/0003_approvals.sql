-- Maker-checker (AB角, SPEC INF-4): a sensitive change waits here for a second person.
CREATE TABLE approvals (
	id @ID@,
	kind TEXT NOT NULL,
	payload TEXT NOT NULL,
	status TEXT NOT NULL,
	maker_id BIGINT NOT NULL REFERENCES users (id),
	checker_id BIGINT REFERENCES users (id),
	reason TEXT,
	created_at TEXT NOT NULL,
	decided_at TEXT
);
CREATE INDEX approvals_status ON approvals (status);
