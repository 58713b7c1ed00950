/* Token buckets in a bounded table (ratelimit.h). */
#include "util/ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

#define STRIPES 64

struct bucket {
	uint64_t key; /* 0: empty */
	int64_t at_us;
	double tokens;
};

struct kw_ratelimit {
	double rate, burst;
	size_t mask;
	unsigned char hkey[crypto_shorthash_KEYBYTES];
	pthread_mutex_t mu[STRIPES];
	struct bucket *b;
};

struct kw_ratelimit *kw_ratelimit_new(size_t slots, double rate, double burst)
{
	struct kw_ratelimit *rl = kw_xcalloc(1, sizeof *rl);
	size_t n = 64;
	while (n < slots)
		n <<= 1;
	rl->mask = n - 1;
	rl->rate = rate;
	rl->burst = burst < 1 ? 1 : burst;
	randombytes_buf(rl->hkey, sizeof rl->hkey);
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_init(&rl->mu[i], NULL);
	rl->b = kw_xcalloc(n, sizeof *rl->b);
	return rl;
}

void kw_ratelimit_free(struct kw_ratelimit *rl)
{
	if (!rl)
		return;
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_destroy(&rl->mu[i]);
	free(rl->b);
	free(rl);
}

static uint64_t hash_key(const struct kw_ratelimit *rl, const void *key, size_t n)
{
	uint64_t h;
	crypto_shorthash((unsigned char *)&h, key, n, rl->hkey);
	return h | 1; /* never 0, the empty mark */
}

/* The bucket of h, refilled to now (both slots of h share a stripe: they differ in bit 0). */
static struct bucket *bucket_of(struct kw_ratelimit *rl, uint64_t h, int64_t now_us)
{
	size_t i = (size_t)(h >> 8) & rl->mask;
	struct bucket *a = &rl->b[i], *b = &rl->b[i ^ 1], *x;
	if (a->key == h)
		x = a;
	else if (b->key == h)
		x = b;
	else {
		/* a new key: the slot that would be fullest now (or empty) is taken */
		x = !a->key ? a : !b->key ? b : a->at_us <= b->at_us ? a : b;
		x->key = h;
		x->at_us = now_us;
		x->tokens = rl->burst;
		return x;
	}
	double add = (double)(now_us - x->at_us) / 1e6 * rl->rate;
	if (add > 0) {
		x->tokens = fmin(rl->burst, x->tokens + add);
		x->at_us = now_us;
	}
	return x;
}

int kw_ratelimit_take(struct kw_ratelimit *rl, const void *key, size_t n, int64_t now_us,
                      int *retry_s)
{
	if (!rl || rl->rate <= 0)
		return 0;
	uint64_t h = hash_key(rl, key, n);
	pthread_mutex_t *mu = &rl->mu[((h >> 8) & rl->mask & ~(size_t)1) % STRIPES];
	pthread_mutex_lock(mu);
	struct bucket *x = bucket_of(rl, h, now_us);
	int limited = x->tokens < 1;
	double wait = limited ? (1 - x->tokens) / rl->rate : 0;
	if (!limited)
		x->tokens -= 1;
	pthread_mutex_unlock(mu);
	if (limited && retry_s)
		*retry_s = wait < 1 ? 1 : (int)ceil(wait);
	return limited;
}

double kw_ratelimit_left(struct kw_ratelimit *rl, const void *key, size_t n, int64_t now_us)
{
	if (!rl || rl->rate <= 0)
		return INFINITY;
	uint64_t h = hash_key(rl, key, n);
	pthread_mutex_t *mu = &rl->mu[((h >> 8) & rl->mask & ~(size_t)1) % STRIPES];
	pthread_mutex_lock(mu);
	double t = bucket_of(rl, h, now_us)->tokens;
	pthread_mutex_unlock(mu);
	return t;
}
