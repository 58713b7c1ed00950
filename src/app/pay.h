/*
 * Fees (SPEC REG-7): a payment order per registration, at the rates of the exam's approved
 * fee schedule (the exam's fee_approval names the approval; no rate without it), itemised
 * per subject. Orders are created with an Idempotency-Key (the same key: the same order).
 * Providers:
 *  - "test": a provider inside kaowu for tests and demos; paying calls back through the same
 *    verification as a real provider's callback;
 *  - "offline": a bank transfer that agency staff confirm with the bank's reference.
 * Callbacks carry {payment_id, provider_ref, amount_cents, status, nonce, timestamp} and an
 * HMAC-SHA256 of the exact body (header X-Signature, hex); a bad signature, an amount that
 * is not the order's, a timestamp more than 10 minutes away or a nonce seen before are
 * refused and change nothing. Refunds are recorded with a reason. A registration counts as
 * paid while one of its orders is paid; tickets (a later issue) require it.
 */
#ifndef KW_APP_PAY_H
#define KW_APP_PAY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"

/* The test provider's key: SHA-256 of its secret text (NULL or empty: 32 random bytes). */
void kw_pay_key_init(unsigned char key[32], const char *secret);

/* The hex HMAC-SHA256 of body under key: out[65]. */
void kw_pay_sign(const unsigned char key[32], const char *body, size_t n, char out[65]);

/*
 * The candidate orders the fees of registration id: provider "test" or "offline";
 * idempotency_key required (IDEMPOTENCY_KEY_REQUIRED 428 otherwise). *created 0 when the key
 * named an existing order. Refusals: NOT_FOUND (not theirs), PAYMENT_NOT_DUE (422: the
 * registration is not at a stage that pays: civil-service and public-institution exams pay
 * after approval, qualification exams once submitted), ALREADY_PAID (409), FEES_NOT_APPROVED
 * (422, REG-7: a fee without the approval behind it).
 */
int kw_pay_order(struct kw_app *app, const struct kw_actor *actor, const struct kw_session_info *s,
                 int64_t registration, const char *provider, const char *idempotency_key,
                 json_t **out, int *created, struct kw_err *err);

/* A registration's orders (its candidate, or staff reaching it). */
int kw_pay_list(struct kw_app *app, const struct kw_session_info *s, int64_t registration,
                json_t **out, struct kw_err *err);

/*
 * A provider's callback: body as received, signature the X-Signature header. PAYMENT_
 * SIGNATURE_INVALID (401), CALLBACK_REPLAYED (409), CALLBACK_STALE (422),
 * PAYMENT_AMOUNT_MISMATCH (422), NOT_FOUND. A second valid callback for a paid order
 * changes nothing. *out = the order.
 */
int kw_pay_callback(struct kw_app *app, const struct kw_actor *actor, const char *provider,
                    const char *body, size_t n, const char *signature, json_t **out,
                    struct kw_err *err);

/*
 * The test provider "pays" order id: builds the callback a bank would send, signs it with
 * the test key and delivers it through kw_pay_callback. Only for provider "test" orders,
 * by their candidate.
 */
int kw_pay_test_pay(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t id, json_t **out, struct kw_err *err);

/* Staff confirm an offline order with the bank's reference (payment.confirm at its unit). */
int kw_pay_confirm(struct kw_app *app, const struct kw_actor *actor,
                   const struct kw_session_info *s, int64_t id, const char *bank_ref, json_t **out,
                   struct kw_err *err);

/* Staff record a refund of a paid order, with the reason (payment.refund). */
int kw_pay_refund(struct kw_app *app, const struct kw_actor *actor, const struct kw_session_info *s,
                  int64_t id, const char *reason, json_t **out, struct kw_err *err);

#endif
