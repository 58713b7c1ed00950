-- Outsiders' cases and their referral (SPEC VIO-11; VH 23), the public query of the
-- qualification-exam archive (Order No. 31 art. 12; INF-5(5)) and the units' document-number
-- prefix (the VH annex numbers letters like 皖人考决〔2026〕1号). src/app/cases.c, archive.c.

-- A case's party is 'candidate' (a registration's candidate) or 'outsider' (someone neither
-- candidate nor staff: a stand-in who is not registered, someone passing answers from outside,
-- an organiser of cheating). An outsider's case has no registration and no candidate; kaowu
-- imposes no penalty on an outsider: the case ends by referral to the competent authority.
-- outsider_role: what the outsider did (stand_in, outside_help, organiser, other).
-- linked_case_id: the candidate's case it belongs with (the candidate who was sat for).
-- "Late" columns of the audited table (app/audit.c): rows written before keep their digests.
ALTER TABLE cases ADD COLUMN outsider_role TEXT;
ALTER TABLE cases ADD COLUMN linked_case_id BIGINT REFERENCES cases (id);
ALTER TABLE cases ADD COLUMN referred_at TEXT;
CREATE INDEX cases_linked ON cases (linked_case_id);

-- Each referral of a case (referred_authority: public security, the outsider's employer, …;
-- referred_judicial: a suspected crime), tracked to the authority's reply like a report
-- (reply_due, replied_on, reply).
CREATE TABLE case_referrals (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES cases (id),
	kind TEXT NOT NULL,
	authority TEXT NOT NULL,
	referred_on TEXT NOT NULL,
	reply_due TEXT,
	note TEXT,
	replied_on TEXT,
	reply TEXT,
	created_by BIGINT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX case_referrals_case ON case_referrals (case_id, id);

-- The prefix of a unit's document numbers (皖人考); NULL: the unit's code stands in. Numbers
-- already issued are stored with their documents and never change.
ALTER TABLE units ADD COLUMN doc_prefix TEXT;
