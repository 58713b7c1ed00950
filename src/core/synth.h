/*
 * Synthetic candidates for tests, demos and benchmarks: a pure function of (seed, index),
 * so any row of a 3,000,000-row file can be produced again alone. Identity numbers are valid
 * resident ID numbers (GB 11643 check characters) over real region codes of every province,
 * unique for indexes below 1,000,000,000 whatever the seed (the index, not the seed, picks
 * region, birth day and sequence); names are Chinese, some with rare characters (生僻字,
 * PQ 43(2)) outside the Basic Multilingual Plane; education, work and political status
 * follow rough national proportions.
 */
#ifndef KW_CORE_SYNTH_H
#define KW_CORE_SYNTH_H

#include <stddef.h>
#include <stdint.h>

struct kw_synth {
	char id_number[19];
	char name[64];
	char sex; /* 'M' / 'F', as the number says */
	char birth_date[11];
	char phone[12];
	const char *education_level, *degree, *major_code, *major, *school;
	char graduated_on[11];
	const char *political_status;
	char household_region[7];
	int work_years, grassroots_years;
	uint64_t pick; /* a further random number for the caller's own choices */
	int photo;     /* which photo of the pool (kw_synth_photo) is theirs */
};

/* Row index of the data set seed; reference year for work years: ref_year. */
void kw_synth_candidate(uint64_t seed, uint64_t index, int ref_year, struct kw_synth *out);

/*
 * The pool of synthetic photos: KW_SYNTH_PHOTOS portrait-shaped 360 × 480 JPEGs (a head and
 * shoulders on an ID-photo background), photo k of the pool always the same bytes, so that
 * millions of candidates share a few stored files. 0, or -1 when encoding fails; *jpeg is
 * malloc'd.
 */
#define KW_SYNTH_PHOTOS 16
int kw_synth_photo(int k, unsigned char **jpeg, size_t *len);

#endif
