-- A change to a published seating (SEAT-1, "no intervention against the rules"): asked for
-- with a reason by one person, decided by another (maker-checker, INF-4). Nobody chooses the
-- seat: an approved change moves the candidate to the next free seat of an exam room of
-- their own area and subject group, by the rule (room order, then seat order); the seat's
-- row carries the reason, the ticket versions before it are revoked. Audited.
CREATE TABLE seat_changes (
	id @ID@,
	run_id BIGINT NOT NULL REFERENCES seating_runs (id),
	registration_id BIGINT NOT NULL REFERENCES registrations (id),
	reason TEXT NOT NULL,
	status TEXT NOT NULL,
	maker_id BIGINT NOT NULL,
	checker_id BIGINT,
	decision_reason TEXT,
	from_ticket TEXT NOT NULL,
	to_ticket TEXT,
	created_at TEXT NOT NULL,
	decided_at TEXT
);
CREATE INDEX seat_changes_run ON seat_changes (run_id, status);
