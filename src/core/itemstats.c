/* Item analysis (issue 10 item 6): see itemstats.h. */
#include "core/itemstats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

__extension__ typedef __int128 i128;

const double kw_dist_quantile_at[KW_DIST_QUANTILES] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};

/* ---- the distribution ---- */

struct kw_dist {
	int32_t max_total, unit, cell;
	size_t ncell;
	int64_t n, sum;
	i128 sum2;
	int32_t min, max;
	int64_t *count; /* [ncell] */
};

struct kw_dist *kw_dist_new(int32_t max_total, int32_t unit)
{
	if (max_total < 0)
		max_total = 0;
	if (unit < 1)
		unit = 1;
	struct kw_dist *d = kw_xcalloc(1, sizeof *d);
	d->max_total = max_total;
	d->unit = unit;
	size_t cells = (size_t)(max_total / unit) + 1;
	size_t widen = (cells + KW_DIST_MAX_CELLS - 1) / KW_DIST_MAX_CELLS;
	d->cell = unit * (int32_t)(widen ? widen : 1);
	d->ncell = (size_t)(max_total / d->cell) + 1;
	d->count = kw_xcalloc(d->ncell, sizeof *d->count);
	return d;
}

void kw_dist_free(struct kw_dist *d)
{
	if (!d)
		return;
	free(d->count);
	free(d);
}

void kw_dist_add(struct kw_dist *d, int32_t t)
{
	if (t < 0)
		t = 0;
	if (t > d->max_total)
		t = d->max_total;
	d->count[t / d->cell]++;
	if (!d->n || t < d->min)
		d->min = t;
	if (!d->n || t > d->max)
		d->max = t;
	d->n++;
	d->sum += t;
	d->sum2 += (i128)t * t;
}

int kw_dist_merge(struct kw_dist *into, const struct kw_dist *from)
{
	if (into->max_total != from->max_total || into->unit != from->unit)
		return -1;
	if (!from->n)
		return 0;
	for (size_t i = 0; i < into->ncell; i++)
		into->count[i] += from->count[i];
	if (!into->n || from->min < into->min)
		into->min = from->min;
	if (!into->n || from->max > into->max)
		into->max = from->max;
	into->n += from->n;
	into->sum += from->sum;
	into->sum2 += from->sum2;
	return 0;
}

int32_t kw_dist_cell(const struct kw_dist *d)
{
	return d->cell;
}

int32_t kw_dist_max_total(const struct kw_dist *d)
{
	return d->max_total;
}

/* The k-th smallest total (0-based, k < n), as its cell's value, clamped to [min, max]. */
static double order_stat(const struct kw_dist *d, int64_t k)
{
	int64_t seen = 0;
	for (size_t i = 0; i < d->ncell; i++) {
		seen += d->count[i];
		if (seen > k) {
			double v = (double)i * d->cell;
			if (v < d->min)
				v = d->min;
			if (v > d->max)
				v = d->max;
			return v;
		}
	}
	return d->max;
}

void kw_dist_summary(const struct kw_dist *d, struct kw_dist_summary *out)
{
	memset(out, 0, sizeof *out);
	out->n = d->n;
	if (!d->n)
		return;
	out->min = d->min;
	out->max = d->max;
	out->mean = (double)((long double)d->sum / d->n);
	i128 v = (i128)d->n * d->sum2 - (i128)d->sum * d->sum;
	out->sd = (double)(sqrtl((long double)v) / d->n);
	for (int q = 0; q < KW_DIST_QUANTILES; q++) {
		double h = (double)(d->n - 1) * kw_dist_quantile_at[q];
		int64_t lo = (int64_t)floor(h);
		double a = order_stat(d, lo);
		double b = lo + 1 < d->n ? order_stat(d, lo + 1) : a;
		out->q[q] = a + (h - (double)lo) * (b - a);
	}
}

int32_t kw_dist_bin_width(int32_t max_total, int32_t unit, int bins)
{
	if (unit < 1)
		unit = 1;
	if (bins < 1)
		bins = 1;
	double raw = (double)max_total / bins;
	int64_t w = 1;
	static const int step[] = {1, 2, 5};
	for (int64_t p = 1; p <= 1000000000; p *= 10) {
		int found = 0;
		for (int s = 0; s < 3 && !found; s++)
			if ((double)(p * step[s]) >= raw) {
				w = p * step[s];
				found = 1;
			}
		if (found)
			break;
	}
	w = (w + unit - 1) / unit * unit;
	if (w > INT32_MAX)
		w = INT32_MAX / unit * unit;
	return (int32_t)(w < unit ? unit : w);
}

size_t kw_dist_histogram(const struct kw_dist *d, int32_t width, int64_t *counts, size_t maxbins)
{
	if (width < 1)
		width = 1;
	size_t nbins = d->max_total ? (size_t)((d->max_total + (int64_t)width - 1) / width) : 1;
	for (size_t b = 0; b < nbins && b < maxbins; b++)
		counts[b] = 0;
	for (size_t i = 0; i < d->ncell; i++) {
		if (!d->count[i])
			continue;
		size_t b = (size_t)((int64_t)i * d->cell / width);
		if (b >= nbins)
			b = nbins - 1;
		if (b < maxbins)
			counts[b] += d->count[i];
	}
	return nbins;
}

/* ---- item analysis ---- */

struct acc {
	int64_t cnt;  /* sheets that gave this byte on this item */
	int64_t sumT; /* the sum of their totals */
};

struct kw_itemstats {
	struct kw_score_key key;
	size_t n;
	int32_t unit, max_total;
	int dichotomous;
	int32_t *credit; /* [n][256] */
	struct acc *acc; /* [n][256] */
	int64_t N, ST, SR, SRR;
	i128 STT;
	struct kw_dist *dist;
	uint8_t *scratch; /* [n]: a form sheet in master order */
};

static int32_t gcd32(int32_t a, int32_t b)
{
	while (b) {
		int32_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

struct kw_itemstats *kw_itemstats_new(const struct kw_score_key *k)
{
	char msg[8];
	if (kw_score_key_check(k, msg, sizeof msg))
		return NULL;
	struct kw_itemstats *s = kw_xcalloc(1, sizeof *s);
	s->key.n = k->n;
	memcpy(s->key.item, k->item, k->n * sizeof k->item[0]);
	s->n = k->n;
	s->credit = kw_xmalloc(s->n * 256 * sizeof *s->credit);
	s->acc = kw_xcalloc(s->n * 256, sizeof *s->acc);
	s->scratch = kw_xmalloc(s->n);
	s->dichotomous = 1;
	int32_t g = 0;
	int64_t max = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct kw_score_item *it = &s->key.item[i];
		for (int a = 0; a < 256; a++)
			s->credit[i * 256 + (size_t)a] = kw_score_item_credit(it, (uint8_t)a);
		if (it->points)
			g = gcd32(it->points, g);
		if (it->partial != KW_PARTIAL_NONE) {
			s->dichotomous = 0;
			if (it->partial_points)
				g = gcd32(it->partial_points, g);
		}
		max += it->points;
	}
	s->unit = g ? g : 1;
	s->max_total = max > INT32_MAX ? INT32_MAX : (int32_t)max;
	s->dist = kw_dist_new(s->max_total, s->unit);
	return s;
}

void kw_itemstats_free(struct kw_itemstats *s)
{
	if (!s)
		return;
	free(s->credit);
	free(s->acc);
	free(s->scratch);
	kw_dist_free(s->dist);
	free(s);
}

int32_t kw_itemstats_add(struct kw_itemstats *s, const uint8_t *ans)
{
	int64_t t = 0, r = 0;
	const int32_t *cr = s->credit;
	for (size_t i = 0; i < s->n; i++, cr += 256) {
		t += cr[ans[i]];
		r += ans[i] == s->key.item[i].key;
	}
	struct acc *a = s->acc;
	for (size_t i = 0; i < s->n; i++, a += 256) {
		a[ans[i]].cnt++;
		a[ans[i]].sumT += t;
	}
	s->N++;
	s->ST += t;
	s->STT += (i128)t * t;
	s->SR += r;
	s->SRR += r * r;
	kw_dist_add(s->dist, (int32_t)t);
	return (int32_t)t;
}

struct kw_itemstats_form {
	size_t n;
	uint16_t *item; /* [n]: form item i is master item item[i] */
	uint8_t *xlat;  /* [n][256]: the form's answer byte → the master's */
};

struct kw_itemstats_form *kw_itemstats_form_new(const struct kw_form_perm *p)
{
	if (!p->n || p->n > KW_SCORE_MAX_ITEMS)
		return NULL;
	struct kw_itemstats_form *f = kw_xcalloc(1, sizeof *f);
	f->n = p->n;
	f->item = kw_xmalloc(f->n * sizeof *f->item);
	f->xlat = kw_xmalloc(f->n * 256);
	/* the mapping of kw_form_answers_to_master, one byte value at a time: a one-item
	 * permutation whose item i of p is its only item */
	struct kw_form_perm *one = kw_xcalloc(1, sizeof *one);
	one->n = 1;
	for (size_t i = 0; i < f->n; i++) {
		f->item[i] = p->item_perm[i] < f->n ? p->item_perm[i] : 0;
		memcpy(one->opt_perm[0], p->opt_perm[i], sizeof one->opt_perm[0]);
		for (unsigned b = 0; b < 256; b++) {
			uint8_t in = (uint8_t)b, out = 0;
			kw_form_answers_to_master(one, &in, &out);
			f->xlat[i * 256 + b] = out;
		}
	}
	free(one);
	return f;
}

void kw_itemstats_form_free(struct kw_itemstats_form *f)
{
	if (!f)
		return;
	free(f->item);
	free(f->xlat);
	free(f);
}

int32_t kw_itemstats_add_form(struct kw_itemstats *s, const struct kw_itemstats_form *f,
                              const uint8_t *form_ans)
{
	size_t n = f->n < s->n ? f->n : s->n;
	memset(s->scratch, 0, s->n);
	for (size_t i = 0; i < n; i++)
		s->scratch[f->item[i]] = f->xlat[i * 256 + form_ans[i]];
	return kw_itemstats_add(s, s->scratch);
}

int kw_itemstats_merge(struct kw_itemstats *into, const struct kw_itemstats *from)
{
	if (into->n != from->n ||
	    memcmp(into->key.item, from->key.item, into->n * sizeof into->key.item[0]) != 0)
		return -1;
	if (kw_dist_merge(into->dist, from->dist))
		return -1;
	for (size_t i = 0; i < into->n * 256; i++) {
		into->acc[i].cnt += from->acc[i].cnt;
		into->acc[i].sumT += from->acc[i].sumT;
	}
	into->N += from->N;
	into->ST += from->ST;
	into->STT += from->STT;
	into->SR += from->SR;
	into->SRR += from->SRR;
	return 0;
}

size_t kw_itemstats_items(const struct kw_itemstats *s)
{
	return s->n;
}

int64_t kw_itemstats_sheets(const struct kw_itemstats *s)
{
	return s->N;
}

int32_t kw_itemstats_unit(const struct kw_itemstats *s)
{
	return s->unit;
}

int32_t kw_itemstats_max_total(const struct kw_itemstats *s)
{
	return s->max_total;
}

const struct kw_dist *kw_itemstats_dist(const struct kw_itemstats *s)
{
	return s->dist;
}

/* The classes answer byte a falls in on item it: a bit per class. */
static unsigned classes_of(const struct kw_score_item *it, unsigned a)
{
	if (a == 0)
		return 1u << KW_IS_BLANK;
	if (a & KW_ANS_INVALID)
		return 1u << KW_IS_INVALID;
	int multi = it->kind == KW_ITEM_MULTIPLE || it->kind == KW_ITEM_INDETERMINATE;
	if (!multi && (a & (a - 1)))
		return 1u << KW_IS_MULTIPLE;
	return a; /* options A..G are bits 0..6 */
}

/* r = num / √(va · vb), or not ok when a variance is 0. */
static int corr(i128 num, i128 va, i128 vb, double *r)
{
	if (va <= 0 || vb <= 0)
		return 0;
	long double x = (long double)num / sqrtl((long double)va * (long double)vb);
	if (x > 1)
		x = 1;
	if (x < -1)
		x = -1;
	*r = (double)x;
	return 1;
}

/* Sums of item i: Sx, Sxx, SxT (credits; credits × totals). */
static void item_sums(const struct kw_itemstats *s, size_t i, i128 *Sx, i128 *Sxx, i128 *SxT)
{
	*Sx = *Sxx = *SxT = 0;
	const struct acc *a = s->acc + i * 256;
	const int32_t *cr = s->credit + i * 256;
	for (int b = 0; b < 256; b++) {
		if (!a[b].cnt || !cr[b])
			continue;
		*Sx += (i128)a[b].cnt * cr[b];
		*Sxx += (i128)a[b].cnt * cr[b] * cr[b];
		*SxT += (i128)a[b].sumT * cr[b];
	}
}

void kw_itemstats_item(const struct kw_itemstats *s, size_t i, struct kw_item_result *out)
{
	memset(out, 0, sizeof *out);
	if (i >= s->n)
		return;
	const struct kw_score_item *it = &s->key.item[i];
	const i128 N = s->N;
	out->n = s->N;
	if (!N)
		return;
	i128 Sx, Sxx, SxT;
	item_sums(s, i, &Sx, &Sxx, &SxT);
	const i128 SY = s->ST - Sx, SYY = s->STT - 2 * SxT + Sxx, SxY = SxT - Sxx;
	const i128 vx = N * Sxx - Sx * Sx, vy = N * SYY - SY * SY;
	out->mean = (double)((long double)Sx / s->N);
	out->sd = (double)(sqrtl((long double)vx) / s->N);
	out->p = it->points ? out->mean / it->points : 0;
	out->disc_ok = corr(N * SxY - Sx * SY, vx, vy, &out->disc);
	/* the classes: counts and the rest score of their sheets */
	i128 n1[KW_IS_CLASSES] = {0}, S1[KW_IS_CLASSES] = {0};
	const struct acc *a = s->acc + i * 256;
	const int32_t *cr = s->credit + i * 256;
	for (unsigned b = 0; b < 256; b++) {
		if (!a[b].cnt)
			continue;
		if (b == it->key)
			out->full += a[b].cnt;
		unsigned cls = classes_of(it, b);
		i128 rest = (i128)a[b].sumT - (i128)a[b].cnt * cr[b];
		for (int c = 0; c < KW_IS_CLASSES; c++)
			if (cls & (1u << c)) {
				n1[c] += a[b].cnt;
				S1[c] += rest;
			}
	}
	for (int c = 0; c < KW_IS_CLASSES; c++) {
		out->count[c] = (int64_t)n1[c];
		out->rate[c] = (double)((long double)n1[c] / s->N);
		out->pb_ok[c] =
		        corr(N * S1[c] - n1[c] * SY, N * n1[c] - n1[c] * n1[c], vy, &out->pb[c]);
	}
}

void kw_itemstats_reliability(const struct kw_itemstats *s, struct kw_reliability *out)
{
	memset(out, 0, sizeof *out);
	out->n = s->N;
	out->k = s->n;
	out->dichotomous = s->dichotomous;
	const i128 N = s->N;
	if (s->n < 2 || N < 2)
		return;
	long double k = (long double)s->n;
	long double sumv = 0, sumpq = 0;
	for (size_t i = 0; i < s->n; i++) {
		i128 Sx, Sxx, SxT;
		item_sums(s, i, &Sx, &Sxx, &SxT);
		sumv += (long double)(N * Sxx - Sx * Sx);
		i128 C = s->acc[i * 256 + s->key.item[i].key].cnt;
		sumpq += (long double)(N * C - C * C);
	}
	i128 vT = N * s->STT - (i128)s->ST * s->ST;
	if (vT > 0) {
		long double alpha = k / (k - 1) * (1 - sumv / (long double)vT);
		out->alpha = (double)alpha;
		out->alpha_ok = 1;
		if (alpha <= 1) {
			out->sem = (double)(sqrtl((long double)vT) / s->N * sqrtl(1 - alpha));
			out->sem_ok = 1;
		}
	}
	i128 vR = N * (i128)s->SRR - (i128)s->SR * s->SR;
	if (s->dichotomous && vR > 0) {
		out->kr20 = (double)(k / (k - 1) * (1 - sumpq / (long double)vR));
		out->kr20_ok = 1;
	}
}
