-- kaowu's own settings (name → value), e.g. the session revocation counter.
CREATE TABLE kw_settings (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
