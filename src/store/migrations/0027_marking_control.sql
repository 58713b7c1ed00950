-- Quality checks of subjective marking (SPEC GRD-1, GRD-2; AH 57(3), AH 56/59; issue 10 item
-- 4): seeded control scripts, per-marker flags and suspensions. Audited like every table;
-- points are hundredths. The columns added to markings and scripts are "late" columns (the
-- audit's canonical form holds them only when they have a value), so rows written before
-- keep the digests their audit records carry.

-- A control script (样卷): an agreed expert mark (points, optional per-question points in
-- items, a JSON array of hundredths) seeded by the marking lead, at set-up or later. Each
-- marker gets it once, as a script of its own (scripts.control_id) handed out in the normal
-- stream: same code format, same view, the round a real script would show — a marker cannot
-- tell it apart. Marks
-- on it count in no candidate's result; their deviation from the expert mark is tracked.
CREATE TABLE marking_controls (
	id @ID@,
	marking_id BIGINT NOT NULL REFERENCES markings (id),
	label TEXT,
	points BIGINT NOT NULL,
	items TEXT,
	created_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL
);
CREATE INDEX marking_controls_marking ON marking_controls (marking_id);

-- A marker's copy of a control script: no identity, stage 'control', never final.
ALTER TABLE scripts ADD COLUMN control_id BIGINT REFERENCES marking_controls (id);

-- The flags (GET …/marking/markers): too lenient / too strict when a marker's mean difference
-- from the other markers of the same scripts, or from the expert marks of control scripts,
-- passes flag_threshold (NULL: half the tolerance) over at least flag_min scripts (NULL: 5);
-- drift when the mean deviation of their last drift_window marks differs from that of their
-- first drift_window (NULL: 5) by more than the threshold. control_every: about one script in
-- that many (NULL: 5) handed out is a control script while the marker has one to mark.
ALTER TABLE markings ADD COLUMN flag_threshold BIGINT;
ALTER TABLE markings ADD COLUMN flag_min BIGINT;
ALTER TABLE markings ADD COLUMN drift_window BIGINT;
ALTER TABLE markings ADD COLUMN control_every BIGINT;

-- A marker suspended by the marking lead (AH 56/59: the lead replaces markers): no more
-- scripts handed out to them, the scripts they held and had not marked released for others;
-- lifted (lifted_by, lifted_at) when they may mark again.
CREATE TABLE marking_suspensions (
	id @ID@,
	marking_id BIGINT NOT NULL REFERENCES markings (id),
	marker_id BIGINT NOT NULL REFERENCES users (id),
	reason TEXT NOT NULL,
	suspended_by BIGINT NOT NULL REFERENCES users (id),
	suspended_at TEXT NOT NULL,
	lifted_by BIGINT REFERENCES users (id),
	lifted_at TEXT
);
CREATE INDEX marking_suspensions_marker ON marking_suspensions (marking_id, marker_id);
