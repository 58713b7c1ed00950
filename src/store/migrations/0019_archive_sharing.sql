-- The integrity archive's look-ups and its credit-information sharing (SPEC REG-2, REG-5,
-- VIO-9, INF-5(5); VH 15; Order No. 31 art. 12). src/app/archive.c.

-- Look-ups by person: registration asks by (id_type, id_number) at every submission, and the
-- archive search of /api/v1/archive_entries asks by id_number alone. One index serves both;
-- it replaces archive_entries_person (id_type, id_number), which the search could not use.
DROP INDEX archive_entries_person;
CREATE INDEX archive_entries_number ON archive_entries (id_number, id_type);
-- The sweep of ended terms reads the entries whose term ended since its previous run.
CREATE INDEX archive_entries_term_end ON archive_entries (term_end);

-- The exports to the credit platform: one per POST /api/v1/archive_shares/export, for one
-- archive (kind) and the units of the officer who made it; rows = changes sent, withheld =
-- changes closed without sending (an entry that left the archive before it was ever shared).
CREATE TABLE archive_exports (
	id @ID@,
	kind TEXT NOT NULL,
	rows_sent BIGINT NOT NULL,
	rows_withheld BIGINT NOT NULL,
	user_id BIGINT REFERENCES users (id),
	created_at TEXT NOT NULL
);

-- The ledger: each change of the archive (an entry added, its term ended, its decision
-- revoked), when it was confirmed, the CST day by which the shared credit information must be
-- updated (archive_update_working_days working days later on the holiday calendar; NULL while
-- the calendar does not cover it), and the export that carried it (shared_at, export_id;
-- withheld = 1 when it was closed without being sent). Once per entry and change.
CREATE TABLE archive_shares (
	id @ID@,
	entry_id BIGINT NOT NULL REFERENCES archive_entries (id),
	change TEXT NOT NULL,
	confirmed_at TEXT NOT NULL,
	due_on TEXT,
	shared_at TEXT,
	export_id BIGINT REFERENCES archive_exports (id),
	withheld BIGINT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (entry_id, change)
);
-- Pending (shared_at NULL) by due day: the list, the overdue ones, the export; and the
-- pending changes still without a due day, by confirmation (the sweep fills in those the
-- calendar has come to cover).
CREATE INDEX archive_shares_pending ON archive_shares (shared_at, due_on, confirmed_at);
CREATE INDEX archive_shares_export ON archive_shares (export_id);

-- The sweeps that bring the ledger up to a day: every entry up to through_entry has its
-- "added" row, and each of them whose term ended before through_day (a CST day) its
-- "term_ended" row. The next sweep reads only later entries and later term ends.
CREATE TABLE archive_sweeps (
	id @ID@,
	through_day TEXT NOT NULL,
	through_entry BIGINT NOT NULL,
	added BIGINT NOT NULL,
	ended BIGINT NOT NULL,
	created_at TEXT NOT NULL
);
