-- Fees (SPEC REG-7): a payment order per registration at the exam's approved rates, per
-- subject; providers confirm by a signed callback (test) or staff confirm a bank transfer
-- (offline); refunds are recorded. Audited like every table.
CREATE TABLE payments (
	id @ID@,
	registration_id BIGINT NOT NULL REFERENCES registrations (id),
	candidate_id BIGINT NOT NULL REFERENCES candidates (id),
	idempotency_key TEXT NOT NULL,
	amount_cents BIGINT NOT NULL,
	items TEXT NOT NULL,
	provider TEXT NOT NULL,
	provider_ref TEXT,
	status TEXT NOT NULL,
	paid_at TEXT,
	confirmed_by BIGINT,
	refunded_at TEXT,
	refund_reason TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (candidate_id, idempotency_key)
);
CREATE INDEX payments_registration ON payments (registration_id, status);

-- Every accepted provider callback, by its nonce: a replayed callback finds its nonce here.
CREATE TABLE payment_callbacks (
	id @ID@,
	provider TEXT NOT NULL,
	nonce TEXT NOT NULL,
	payment_id BIGINT NOT NULL REFERENCES payments (id),
	body_digest TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (provider, nonce)
);
