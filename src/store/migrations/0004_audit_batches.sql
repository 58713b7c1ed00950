-- Bulk work (imports, seating, scoring) writes one audit record per batch; its row_digest is
-- "merkle:<root>" over these leaves, one per row the batch wrote (src/app/audit.h).
CREATE TABLE audit_batch_rows (
	seq BIGINT NOT NULL REFERENCES audit_log (seq),
	entity_id BIGINT NOT NULL,
	digest TEXT NOT NULL,
	PRIMARY KEY (seq, entity_id)
);
