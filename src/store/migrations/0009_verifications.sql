-- Verification of registrations (SPEC REG-5, REG-6; PQ 15, AH 14, AH 15): on-site review
-- records (originals returned), ex-post checks of a random sample drawn with a recorded seed
-- (core/draw.h) or of registrations picked for a reason, and bans found after submission —
-- each a task a reviewer closes with an outcome; voiding a registration for a false pledge
-- or false information, recording it in the qualification archive, referring a suspected
-- crime and cancelling for a ban in force are that reviewer's recorded decisions, never
-- automatic. Audited like every table.
CREATE TABLE verification_samples (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	statuses TEXT NOT NULL,
	population BIGINT NOT NULL,
	population_digest TEXT NOT NULL,
	size BIGINT NOT NULL,
	purpose TEXT NOT NULL,
	commitment TEXT NOT NULL,
	seed TEXT NOT NULL,
	created_by BIGINT,
	created_at TEXT NOT NULL
);
CREATE TABLE verifications (
	id @ID@,
	registration_id BIGINT NOT NULL REFERENCES registrations (id),
	kind TEXT NOT NULL,
	sample_id BIGINT REFERENCES verification_samples (id),
	reason TEXT,
	status TEXT NOT NULL,
	outcome TEXT,
	checks TEXT,
	originals_returned BIGINT,
	finding TEXT,
	archive_entry_id BIGINT,
	referral TEXT,
	created_by BIGINT,
	decided_by BIGINT,
	decided_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX verifications_registration ON verifications (registration_id, status);
CREATE INDEX verifications_sample ON verifications (sample_id);
