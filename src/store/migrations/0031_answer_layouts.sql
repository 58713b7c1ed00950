-- Scanner layouts (SPEC GRD-4, GRD-5; issue 10 item 1): how a scanner's fixed-width output is
-- read — the byte positions of ticket number, subject, form and answers, and the scanner's
-- symbols (core/answerfmt.h) — kept per exam under a name, so every reading of that
-- scanner's files is done the same way and says which layout it used. A layout is never
-- edited: a changed one is a new version under the same name. Audited like every table.
CREATE TABLE answer_layouts (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	name TEXT NOT NULL,
	version BIGINT NOT NULL,
	layout TEXT NOT NULL,
	digest TEXT NOT NULL,
	created_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL,
	UNIQUE (exam_id, name, version)
);
