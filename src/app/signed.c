/* Signed payloads (signed.h). */
#include "app/signed.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

char *kw_signed_make(const char *prefix, const json_t *payload, const unsigned char sk[64])
{
	char *msg = json_dumps(payload, JSON_SORT_KEYS | JSON_COMPACT);
	size_t n = strlen(msg), pl = strlen(prefix);
	unsigned char sig[crypto_sign_BYTES];
	crypto_sign_detached(sig, NULL, (const unsigned char *)msg, n, sk);
	size_t ml = sodium_base64_ENCODED_LEN(n, B64);
	size_t sl = sodium_base64_ENCODED_LEN(sizeof sig, B64);
	char *out = kw_xmalloc(pl + ml + 1 + sl + 1);
	memcpy(out, prefix, pl);
	sodium_bin2base64(out + pl, ml, (const unsigned char *)msg, n, B64);
	size_t o = strlen(out);
	out[o++] = '.';
	sodium_bin2base64(out + o, sl, sig, sizeof sig, B64);
	free(msg);
	return out;
}

int kw_signed_open(const char *prefix, const char *text, const unsigned char pk[32],
                   json_t **payload)
{
	size_t pl = strlen(prefix);
	*payload = NULL;
	if (!text || strlen(text) > 1024 || strncmp(text, prefix, pl) != 0)
		return -1;
	const char *dot = strchr(text + pl, '.');
	unsigned char msg[800], sig[crypto_sign_BYTES + 8];
	size_t ml = 0, sl = 0;
	if (!dot ||
	    sodium_base642bin(msg, sizeof msg - 1, text + pl, (size_t)(dot - text - pl), NULL, &ml,
	                      NULL, B64) != 0 ||
	    sodium_base642bin(sig, sizeof sig, dot + 1, strlen(dot + 1), NULL, &sl, NULL, B64) !=
	            0 ||
	    sl != crypto_sign_BYTES || crypto_sign_verify_detached(sig, msg, ml, pk) != 0)
		return -1;
	msg[ml] = '\0';
	*payload = json_loads((const char *)msg, 0, NULL);
	return *payload ? 0 : -1;
}
