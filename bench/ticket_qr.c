/*
 * ticket_qr: the QR payloads of admission tickets, for bench/b_checkin.sh (issue 9) — a
 * bench-only program, compiled by that script against the build's libkwlib.a (it is not in
 * CMakeLists.txt). It signs with kaowu's own code: the ticket key derived from the audit key
 * file by kw_audit_key_derive(…, "kaowu-ticket-v1", …) exactly as app/app.c does when the
 * server starts, and the payload signed by kw_signed_make("KW1.", …) as app/tickets.c's
 * payload_for does, with the same fields ({e, t, v, r, n, i}: exam code, ticket number,
 * version, registration id, name, identity number masked by core/mask.h). Rendering a PDF and
 * decoding its QR code for each of a few hundred thousand candidates would take hours
 * (~270 tickets/s, bench/RESULTS.md); the check-in verifies every payload this program makes
 * against the server's own key and the tickets table, so a payload unlike kaowu's is refused.
 *
 *   ticket_qr AUDIT-KEY-FILE EXAM-CODE VERSION <in >out
 *     in:  "registration id TAB ticket number TAB name TAB identity number" lines
 *     out: "registration id TAB payload TAB sha256(payload) hex" lines
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/signed.h"
#include "core/mask.h"
#include "util/err.h"

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: ticket_qr AUDIT-KEY-FILE EXAM-CODE VERSION <in >out\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	struct kw_audit_key *k = NULL;
	struct kw_err err = KW_ERR_INIT;
	if (kw_audit_key_load(argv[1], &k, &err) != 0) {
		fprintf(stderr, "ticket_qr: %s\n", err.msg);
		kw_err_release(&err);
		return 1;
	}
	unsigned char pk[32], sk[64];
	kw_audit_key_derive(k, "kaowu-ticket-v1", pk, sk);
	kw_audit_key_free(k);
	long long version = atoll(argv[3]);
	char line[2048];
	unsigned long n = 0;
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *f[4] = {line, NULL, NULL, NULL};
		for (int i = 1; i < 4; i++) {
			char *tab = f[i - 1] ? strchr(f[i - 1], '\t') : NULL;
			if (!tab) {
				fprintf(stderr, "ticket_qr: line %lu: four fields expected\n",
				        n + 1);
				return 1;
			}
			*tab = '\0';
			f[i] = tab + 1;
		}
		char masked[64];
		kw_mask_id_number(f[3], masked, sizeof masked);
		json_t *p = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s}", "e", argv[2], "t", f[1],
		                      "v", (json_int_t)version, "r", (json_int_t)atoll(f[0]), "n",
		                      f[2], "i", masked);
		char *out = kw_signed_make("KW1.", p, sk);
		json_decref(p);
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[65];
		crypto_hash_sha256(h, (const unsigned char *)out, strlen(out));
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		printf("%s\t%s\t%s\n", f[0], out, hex);
		free(out);
		n++;
	}
	sodium_memzero(sk, sizeof sk);
	return 0;
}
