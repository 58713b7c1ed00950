-- Seating reads an exam's seatable registrations in id order, three times a run (capacity,
-- commit, seat: src/app/seating.c). Without an index of its own SQLite found them through
-- UNIQUE (exam_id, candidate_id), sorted them and looked each row up in the table. This
-- index gives them in id order and holds every column the read needs (a covering index):
-- at 3,000,000 registrations a read takes about a third less (bench/RESULTS.md, issue 7).
CREATE INDEX registrations_exam ON registrations (exam_id, id, status, area_id, subjects,
	accommodation);
