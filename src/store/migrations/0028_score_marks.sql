-- Subjective marks in score runs and the cross-check's findings (SPEC GRD-5, GRD-7; issue 10
-- items 3-5). "Late" columns (the audit's canonical form holds them only when they have a
-- value): runs and cross-checks written before keep the digests their audit records carry,
-- and a run without a marking still writes them null.

-- A run of a subject with a (confirmed) marking: which marking, the digest of the marks it
-- took ("kaowu-marks-v1\n", the marking's id, rule and tolerance, then "registration TAB
-- final" a line in registration order), and how many candidates are anomalies (a sheet and
-- no script mark, or a script mark and no sheet: listed, not scored). Its score lines carry
-- two more fields, the objective and the subjective part (see app/scoring.h). NULL: no
-- marking (anomalies NULL also when none).
ALTER TABLE score_runs ADD COLUMN marking_id BIGINT REFERENCES markings (id);
ALTER TABLE score_runs ADD COLUMN marks_digest TEXT;
ALTER TABLE score_runs ADD COLUMN anomalies BIGINT;

-- A cross-check's findings beside its differences: abnormal distributions per room and
-- centre, absentees and their marks, decisions that found nothing to apply to. They do not
-- block publication; they are on the record. findings: how many; findings_report: the
-- first of them (JSON); marks_digest: the marks as the cross-check recomputed them.
ALTER TABLE score_crosschecks ADD COLUMN marks_digest TEXT;
ALTER TABLE score_crosschecks ADD COLUMN findings BIGINT;
ALTER TABLE score_crosschecks ADD COLUMN findings_report TEXT;
