/* A memo of derived values, invalidated by a generation and a time bound (see memo.h). */
#include "util/memo.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

#define STRIPES 16

struct slot {
	uint64_t gen;
	int64_t at;
	size_t klen, vlen;
	unsigned char key[KW_MEMO_KEY_MAX];
	unsigned char *val; /* vlen bytes; NULL: empty */
};

struct kw_memo {
	size_t mask;
	int64_t ttl_us;
	pthread_mutex_t mu[STRIPES];
	struct slot *slot;
};

struct kw_memo *kw_memo_new(size_t slots, int64_t ttl_us)
{
	size_t n = 16;
	while (n < slots && n < ((size_t)1 << 24))
		n <<= 1;
	struct kw_memo *m = kw_xcalloc(1, sizeof *m);
	m->mask = n - 1;
	m->ttl_us = ttl_us;
	m->slot = kw_xcalloc(n, sizeof *m->slot);
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_init(&m->mu[i], NULL);
	return m;
}

void kw_memo_free(struct kw_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i <= m->mask; i++)
		free(m->slot[i].val);
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_destroy(&m->mu[i]);
	free(m->slot);
	free(m);
}

/* FNV-1a: the keys are ours (ids and codes), not an attacker's choice of collisions. */
static uint64_t hash(const void *key, size_t n)
{
	const unsigned char *p = key;
	uint64_t h = UINT64_C(14695981039346656037);
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * UINT64_C(1099511628211);
	return h;
}

int kw_memo_get(struct kw_memo *m, const void *key, size_t klen, uint64_t gen, int64_t now_us,
                void *val, size_t n)
{
	if (!m || klen > KW_MEMO_KEY_MAX || n > KW_MEMO_VALUE_MAX)
		return 0;
	uint64_t h = hash(key, klen);
	struct slot *s = &m->slot[h & m->mask];
	pthread_mutex_t *mu = &m->mu[h % STRIPES];
	int hit = 0;
	pthread_mutex_lock(mu);
	if (s->val && s->gen == gen && s->klen == klen && s->vlen == n &&
	    memcmp(s->key, key, klen) == 0 && now_us >= s->at && now_us - s->at < m->ttl_us) {
		memcpy(val, s->val, n);
		hit = 1;
	}
	pthread_mutex_unlock(mu);
	return hit;
}

void kw_memo_put(struct kw_memo *m, const void *key, size_t klen, uint64_t gen, int64_t now_us,
                 const void *val, size_t n)
{
	if (!m || klen > KW_MEMO_KEY_MAX || n > KW_MEMO_VALUE_MAX)
		return;
	uint64_t h = hash(key, klen);
	struct slot *s = &m->slot[h & m->mask];
	pthread_mutex_t *mu = &m->mu[h % STRIPES];
	unsigned char *copy = kw_xmalloc(n ? n : 1);
	memcpy(copy, val, n);
	pthread_mutex_lock(mu);
	unsigned char *old = s->val;
	s->val = copy;
	s->vlen = n;
	s->gen = gen;
	s->at = now_us;
	s->klen = klen;
	memcpy(s->key, key, klen);
	pthread_mutex_unlock(mu);
	free(old);
}
