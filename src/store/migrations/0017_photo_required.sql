-- REG-4, TKT-1: an exam may require the candidate's photo at submission (the admission ticket
-- shows it). A "late" column of the exam register (app/kinds.c, KW_FF_LATE): nullable, and in
-- a row's audit canonical form only when it holds a value, so exams written before it keep
-- the digests their audit records carry. Exams created from now on get 1 unless the agency
-- says otherwise; an exam created before this migration holds NULL, which means "not
-- required" (registration goes on as it did until the agency turns it on).
ALTER TABLE exams ADD COLUMN photo_required BIGINT;
