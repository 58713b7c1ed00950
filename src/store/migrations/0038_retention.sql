-- Retention and destruction of exam materials (SPEC CUS-7, PAP-2; issue 9 item 3).
-- src/app/retention.c (its header says how dates are computed). Audited like every table.

-- A destruction (销毁): the materials it destroyed point to it (retention_materials
-- .destruction_id). witnesses: JSON [{user_id, username, name}] — at least 2 different
-- staff accounts, the recorder among them (as a custody handover names both sides).
CREATE TABLE retention_destructions (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	method TEXT NOT NULL,
	place TEXT NOT NULL,
	witnesses TEXT NOT NULL,
	materials BIGINT NOT NULL,
	note TEXT,
	recorded_by BIGINT REFERENCES users (id),
	destroyed_at TEXT NOT NULL
);
CREATE INDEX retention_destructions_exam ON retention_destructions (exam_id);

-- One material of an exam (考务资料): kind paper, answer_sheet, room_record (derived from
-- paper_packages, the exam rooms of the published seating × their subjects, room_records:
-- source_key "package:ID", "answer_sheet:EXAMROOM:SUBJECT", "room_record:ID") or
-- electronic_copy, video, other (registered by staff: source_key NULL). Where it belongs:
-- subject, centre, exam room (each may be NULL). Video: the dates it covers; evidence_case_id
-- the case it is evidence of (PQ 29). destruction_id: set once, when it is destroyed.
CREATE TABLE retention_materials (
	id @ID@,
	exam_id BIGINT NOT NULL REFERENCES exams (id),
	kind TEXT NOT NULL,
	source_key TEXT,
	package_id BIGINT REFERENCES paper_packages (id),
	room_record_id BIGINT REFERENCES room_records (id),
	subject_id BIGINT REFERENCES subjects (id),
	centre_id BIGINT REFERENCES centres (id),
	exam_room_id BIGINT REFERENCES exam_rooms (id),
	label TEXT NOT NULL,
	recorded_from TEXT,
	recorded_to TEXT,
	evidence_case_id BIGINT REFERENCES cases (id),
	note TEXT,
	destruction_id BIGINT REFERENCES retention_destructions (id),
	created_by BIGINT REFERENCES users (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (exam_id, source_key)
);
CREATE INDEX retention_materials_exam ON retention_materials (exam_id, kind);
CREATE INDEX retention_materials_package ON retention_materials (package_id);

-- A hold for a major anomaly (重大异常) put on a material by staff, with its reason: kept at
-- least violation_material_keep_years from publication and skipped by destruction; lifted
-- (with a reason) only by someone other than who set it.
CREATE TABLE retention_holds (
	id @ID@,
	material_id BIGINT NOT NULL REFERENCES retention_materials (id),
	reason TEXT NOT NULL,
	set_by BIGINT NOT NULL REFERENCES users (id),
	set_at TEXT NOT NULL,
	lifted_by BIGINT REFERENCES users (id),
	lifted_at TEXT,
	lift_reason TEXT,
	updated_at TEXT NOT NULL
);
CREATE INDEX retention_holds_material ON retention_holds (material_id);

-- Every collection, extraction and use of a video material (PQ 29): what, why, who did it
-- (an account), when it happened, who recorded it.
CREATE TABLE retention_video_log (
	id @ID@,
	material_id BIGINT NOT NULL REFERENCES retention_materials (id),
	action TEXT NOT NULL,
	purpose TEXT NOT NULL,
	done_by BIGINT NOT NULL REFERENCES users (id),
	occurred_at TEXT NOT NULL,
	recorded_by BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL
);
CREATE INDEX retention_video_log_material ON retention_video_log (material_id, id);
