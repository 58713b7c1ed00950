-- Subjective marking, first slice (SPEC GRD-1..3, AH 57; issue 10 item 4). Audited like every
-- table. Points are hundredths (8750 = 87.5), as in scoring.

-- A subject's marking: its scheme (max_points, optional per-question maxima in items, a JSON
-- array of hundredths), the tolerance between two markers and the final-score rule (mean: of
-- the two double marks, or of the two closest of three). Set up by agency staff with a
-- witness present (GRD-3: every AH 57 operation with 2+ people). status: open → closed (every
-- script final; the checked total — the sum of finals in total, their count in finished —
-- recorded by closed_by) → confirmed (the total checked again by another person,
-- confirmed_by: only then are the scripts unblinded, GRD-3 / AH 57(4)).
CREATE TABLE markings (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	subject_id BIGINT NOT NULL REFERENCES subjects (id),
	max_points BIGINT NOT NULL,
	tolerance BIGINT NOT NULL,
	rule TEXT NOT NULL,
	items TEXT,
	scripts BIGINT NOT NULL,
	status TEXT NOT NULL,
	set_up_by BIGINT NOT NULL REFERENCES users (id),
	witness_id BIGINT NOT NULL REFERENCES users (id),
	total BIGINT,
	finished BIGINT,
	closed_by BIGINT REFERENCES users (id),
	closed_at TEXT,
	result_digest TEXT,
	confirmed_by BIGINT REFERENCES users (id),
	confirmed_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (subject_id)
);

-- An anonymous script (答卷): a random code and nothing of its candidate. stage: double (two
-- marks wanted, rounds 1 and 2), third (round 3), chief (round 4, the chief marker), final.
-- final: the script's points once final; resolved: double, third or chief.
CREATE TABLE scripts (
	id @ID@,
	marking_id BIGINT NOT NULL REFERENCES markings (id),
	code TEXT NOT NULL UNIQUE,
	stage TEXT NOT NULL,
	final BIGINT,
	resolved TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX scripts_marking ON scripts (marking_id, stage);

-- The link script → registration (AH 57(1): covers processed, the scripts and the identities
-- kept apart). Written at set-up, read only by the unblinding (the results after
-- confirmation); no query a marker's request runs touches it.
CREATE TABLE script_identities (
	id @ID@,
	script_id BIGINT NOT NULL UNIQUE REFERENCES scripts (id),
	registration_id BIGINT NOT NULL REFERENCES registrations (id),
	ticket_no TEXT NOT NULL,
	created_at TEXT NOT NULL
);

-- One marker's mark of a script in one round: taken (points NULL) when the script is handed
-- out, marked when points arrive. A marker marks a script at most once (double-blind: the
-- rounds are different people) and never sees another round's mark.
CREATE TABLE script_marks (
	id @ID@,
	script_id BIGINT NOT NULL REFERENCES scripts (id),
	round BIGINT NOT NULL,
	marker_id BIGINT NOT NULL REFERENCES users (id),
	points BIGINT,
	items TEXT,
	taken_at TEXT NOT NULL,
	marked_at TEXT,
	UNIQUE (script_id, round),
	UNIQUE (script_id, marker_id)
);
CREATE INDEX script_marks_marker ON script_marks (marker_id, points);
