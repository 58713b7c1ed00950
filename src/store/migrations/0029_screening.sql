-- Similar-answer screening (雷同答卷; SPEC GRD-6, GRD-1, VIO-5; issue 11 items 3-5, 7): a screen
-- of one subject's answer database by core/screen.h, its flagged pairs and clusters (the
-- marking expert group's queue) and the group's collective decisions. Audited like every
-- table. Real numbers are stored as text ("%.17g"): the audit's canonical form has integers
-- and text only.

-- One screen: who ran it and when, over which score run (the answers it scored: the screen
-- is refused while the answer database differs from the latest run's), the seed (decimal,
-- unsigned 64-bit: the calibration sample's and the key search's), the options (JSON: scope,
-- sample, threads, alpha or fdr_q as asked), the mode (bonferroni: α = 1 / pairs screened, the
-- expected number of false flags in the subject at most 1; alpha: an α given per pair; fdr:
-- Benjamini–Hochberg at q — a bound on the share of false flags, not their number), the
-- level α used per pair, the model's summary (JSON: the fit's figures) and the screen's
-- statistics (JSON), the counts.
CREATE TABLE screens (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	subject_id BIGINT NOT NULL REFERENCES subjects (id),
	score_run_id BIGINT NOT NULL REFERENCES score_runs (id),
	answers_digest TEXT NOT NULL,
	seed TEXT NOT NULL,
	options TEXT NOT NULL,
	mode TEXT NOT NULL,
	alpha TEXT NOT NULL,
	model TEXT NOT NULL,
	stats TEXT NOT NULL,
	sheets BIGINT NOT NULL,
	items BIGINT NOT NULL,
	pairs BIGINT NOT NULL,
	flagged BIGINT NOT NULL,
	clusters BIGINT NOT NULL,
	run_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL
);
CREATE INDEX screens_subject ON screens (subject_id);

-- A flag: an ordered pair (kind pair: the copier's sheet tested against the source's) or a
-- cluster of near-identical wrong-answer sets (kind cluster). seq orders a screen's flags:
-- pairs by their exact ω p-value first, then clusters. The dossier's numbers are in evidence
-- (JSON); the parties (registration and ticket) in their columns (a cluster's members in
-- evidence). status: open → deciding (a confirmation opening its case) → confirmed |
-- dismissed.
CREATE TABLE screen_flags (
	id @ID@,
	screen_id BIGINT NOT NULL REFERENCES screens (id),
	kind TEXT NOT NULL,
	seq BIGINT NOT NULL,
	p_exact TEXT,
	copier_registration BIGINT REFERENCES registrations (id),
	copier_ticket TEXT,
	source_registration BIGINT REFERENCES registrations (id),
	source_ticket TEXT,
	evidence TEXT NOT NULL,
	status TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (screen_id, seq)
);

-- The expert group's collective decision on a flag (GRD-1, GRD-6: recorded with its members
-- and the marking lead group's proposal): confirm (a violations case opened for each party,
-- never a zero by itself: VIO-8's due process follows) or dismiss, with the reasoning. One a
-- flag.
CREATE TABLE screen_decisions (
	id @ID@,
	flag_id BIGINT NOT NULL UNIQUE REFERENCES screen_flags (id),
	decision TEXT NOT NULL,
	members TEXT NOT NULL,
	reasoning TEXT NOT NULL,
	lead_proposal TEXT,
	cases TEXT,
	recorded_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL
);
