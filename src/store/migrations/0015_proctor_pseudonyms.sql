-- The proctor lottery's public inputs file (docs/proctors.md) names no one: a member of staff
-- appears by their number in it (1, 2, … in staff order). Each assignment keeps that number,
-- so the staff who hold the names can recompute the published result digest from the stored
-- assignments and an auditor's `kaowu proctor verify` output lines up with them. A "late"
-- audited column (app/audit.c): rows written before it keep their digests.
ALTER TABLE proctor_assignments ADD COLUMN pseudonym BIGINT;
