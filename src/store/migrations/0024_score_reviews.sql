-- Score review (成绩复核; SPEC GRD-9, PQ 37; issue 10 item 8). Audited like every table.
--
-- A candidate asks the provincial agency to re-check one subject's published score within 30
-- days of publication (request_by); the province accepts or refuses it and forwards every
-- accepted one to the national centre within 40 days of publication (forward_by; a late
-- forward is recorded as late, never dropped); the marking unit re-checks the total and its
-- entry only, and the outcome comes back within 15 days (return_by): unchanged, or corrected
-- with its cause and reason — a correction waits for a second person (INF-4, an approval of
-- kind score_review.correct) and, approved, is final: the publication in force is patched
-- (publication_patches) and every later publication carries it; the province answers the
-- applicant (a portal message). Nothing of the script, key or video is ever shown.
-- status: requested, refused, accepted, forwarded, rechecked (unchanged), correction_pending,
-- corrected, answered.
CREATE TABLE score_reviews (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	publication_id BIGINT NOT NULL REFERENCES publications (id),
	registration_id BIGINT NOT NULL REFERENCES registrations (id),
	candidate_id BIGINT NOT NULL REFERENCES candidates (id),
	subject TEXT NOT NULL,
	ticket_no TEXT NOT NULL,
	published_score TEXT NOT NULL,
	reason TEXT,
	status TEXT NOT NULL,
	request_by TEXT NOT NULL,
	forward_by TEXT NOT NULL,
	decided_by BIGINT REFERENCES users (id),
	refusal TEXT,
	forwarded_at TEXT,
	forwarded_late BIGINT NOT NULL,
	outcome TEXT,
	rechecked_score TEXT,
	cause TEXT,
	outcome_reason TEXT,
	anomaly TEXT,
	rechecked_by BIGINT REFERENCES users (id),
	rechecked_at TEXT,
	return_by TEXT,
	approval_id BIGINT REFERENCES approvals (id),
	approved_by BIGINT REFERENCES users (id),
	answered_by BIGINT REFERENCES users (id),
	answered_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (publication_id, registration_id, subject)
);
CREATE INDEX score_reviews_exam ON score_reviews (exam_id, status);

-- A published record replaced after publication (a corrected review): the look-up serves the
-- latest patch of a ticket over the frozen block line.
CREATE TABLE publication_patches (
	id @ID@,
	publication_id BIGINT NOT NULL REFERENCES publications (id),
	ticket_no TEXT NOT NULL,
	record TEXT NOT NULL,
	review_id BIGINT REFERENCES score_reviews (id),
	created_at TEXT NOT NULL
);
CREATE INDEX publication_patches_ticket ON publication_patches (publication_id, ticket_no);
