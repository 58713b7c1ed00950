/*
 * Signed payloads that travel in QR codes and can be checked offline: admission tickets
 * (tickets.c, "KW1.") and certificates (certs.c, "KWC1."). The format:
 *     <prefix><base64url(payload JSON, keys sorted, compact)>.<base64url(Ed25519 signature
 *     of those JSON bytes)>
 * with a key pair derived from the audit key for the purpose (audit.h), whose public key is
 * published so anyone can verify a code without kaowu.
 */
#ifndef KW_APP_SIGNED_H
#define KW_APP_SIGNED_H

#include <jansson.h>

/* The signed form of payload (borrowed) under sk; malloc'd. */
char *kw_signed_make(const char *prefix, const json_t *payload, const unsigned char sk[64]);

/* Checks text (at most 1,024 bytes) against pk: 0 and *payload (the caller's) when the
 * signature holds; -1 when it does not or text is not of the form. */
int kw_signed_open(const char *prefix, const char *text, const unsigned char pk[32],
                   json_t **payload);

#endif
