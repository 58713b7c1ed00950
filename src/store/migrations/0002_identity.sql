-- Identity and integrity: units, staff accounts, grants, sessions, login throttles, the audit chain.

-- Organisation units (kinds and levels of ARCHITECTURE.md; the organisation pages come later).
CREATE TABLE units (
	id @ID@,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	level TEXT NOT NULL,
	parent_id BIGINT REFERENCES units (id),
	created_at TEXT NOT NULL
);

-- Staff accounts. password_hash is libsodium's argon2id string.
CREATE TABLE users (
	id @ID@,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	status TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- A role held at a unit (and its subtree), optionally for one exam, for a period.
CREATE TABLE grants (
	id @ID@,
	user_id BIGINT NOT NULL REFERENCES users (id),
	role TEXT NOT NULL,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	exam_id BIGINT,
	valid_from TEXT,
	valid_to TEXT,
	created_at TEXT NOT NULL,
	revoked_at TEXT
);
CREATE INDEX grants_user ON grants (user_id);

-- Logins. The token itself is never stored: token_hash = BLAKE2b-256(token).
CREATE TABLE sessions (
	id @ID@,
	token_hash TEXT NOT NULL UNIQUE,
	user_id BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	revoked_at TEXT
);

-- Failed-login counters per account ("u:NAME") and per address ("a:ADDR"); operational
-- state, not audited rows (each refused login is an audit event instead).
CREATE TABLE login_throttle (
	key TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	window_start_us BIGINT NOT NULL,
	locked_until_us BIGINT NOT NULL
);

-- The hash chain (src/app/audit.h says what each field holds and how it is hashed).
CREATE TABLE audit_log (
	seq BIGINT PRIMARY KEY,
	at TEXT NOT NULL,
	actor_kind TEXT NOT NULL,
	actor_id BIGINT,
	actor_name TEXT,
	request_id TEXT,
	action TEXT NOT NULL,
	entity TEXT,
	entity_id BIGINT,
	row_digest TEXT,
	detail TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_actor ON audit_log (actor_id);

CREATE TABLE audit_checkpoints (
	seq BIGINT PRIMARY KEY,
	hash TEXT NOT NULL,
	at TEXT NOT NULL,
	key_id TEXT NOT NULL,
	signature TEXT NOT NULL
);
