-- Interview day, second slice (SPEC INT-2, INT-3, INT-4, INT-6, SEC-1; issue 12 items 3-4):
-- days with their panels, committed-then-revealed lotteries (rooms per day, order numbers per
-- panel), anonymous score entry by order number, the scorer's computation and the sign-offs,
-- the publication of a position's results. Audited (app/audit.c) except the kept seeds.

-- An interview day of an exam: its date, when it ends (the 48-hour publication deadline runs
-- from then, INT-4), the rooms the panels draw (JSON array of names) and the scoring sheet
-- (JSON [{name, max (hundredths), weight (per cent)}]).
CREATE TABLE interview_days (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	day TEXT NOT NULL,
	ends_at TEXT NOT NULL,
	rooms TEXT NOT NULL,
	dimensions TEXT NOT NULL,
	created_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (exam_id, day)
);

-- The panels of a day (a panel sits one day; a position's panels all on one day, INT-4).
CREATE TABLE interview_day_panels (
	id @ID@,
	day_id BIGINT NOT NULL REFERENCES interview_days (id),
	panel_id BIGINT NOT NULL UNIQUE REFERENCES interview_panels (id),
	created_at TEXT NOT NULL
);
CREATE INDEX interview_day_panels_day ON interview_day_panels (day_id);

-- A lottery: kind rooms (panel_id NULL; result confidential) or order (one panel's
-- candidates). commitment = SHA-256(seed) published at commit; seed and result set at the
-- draw (status committed → drawn). purpose: the core/draw purpose string.
CREATE TABLE interview_draws (
	id @ID@,
	day_id BIGINT NOT NULL REFERENCES interview_days (id),
	panel_id BIGINT REFERENCES interview_panels (id),
	kind TEXT NOT NULL,
	purpose TEXT NOT NULL UNIQUE,
	commitment TEXT NOT NULL,
	seed TEXT,
	result TEXT,
	status TEXT NOT NULL,
	committed_at TEXT NOT NULL,
	drawn_at TEXT
);
CREATE INDEX interview_draws_day ON interview_draws (day_id);

-- The seed of a lottery not yet drawn (never audited, deleted at the reveal).
CREATE TABLE interview_draw_seeds (
	draw_id BIGINT NOT NULL UNIQUE REFERENCES interview_draws (id),
	seed TEXT NOT NULL
);

-- A candidate in a panel by order number (INT-3). stage: scoring → scorer (computed, score
-- set) → supervisor → chief (composite set; the result joins the registration).
CREATE TABLE interview_candidates (
	id @ID@,
	panel_id BIGINT NOT NULL REFERENCES interview_panels (id),
	order_no BIGINT NOT NULL,
	registration_id BIGINT NOT NULL UNIQUE REFERENCES registrations (id),
	written BIGINT NOT NULL,
	score BIGINT,
	composite BIGINT,
	stage TEXT NOT NULL,
	scorer_at TEXT,
	supervisor_at TEXT,
	chief_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (panel_id, order_no)
);

-- One examiner's scores for one candidate (JSON array of hundredths per dimension) and their
-- weighted total (ten-thousandths); corrections counts the corrections before the scorer.
CREATE TABLE interview_scores (
	id @ID@,
	candidate_id BIGINT NOT NULL REFERENCES interview_candidates (id),
	staff_id BIGINT NOT NULL REFERENCES staff (id),
	scores TEXT NOT NULL,
	total BIGINT NOT NULL,
	corrections BIGINT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (candidate_id, staff_id)
);

-- The publication of a position's interview results; late 1 when after the deadline (48
-- hours from the end of the interview day, INT-4): flagged, never refused.
CREATE TABLE interview_result_publications (
	id @ID@,
	shortlist_id BIGINT NOT NULL UNIQUE REFERENCES interview_shortlists (id),
	deadline TEXT NOT NULL,
	late BIGINT NOT NULL,
	published_by BIGINT NOT NULL REFERENCES users (id),
	published_at TEXT NOT NULL
);
