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
};

/* Row index of the data set seed; reference year for work years: ref_year. */
void kw_synth_candidate(uint64_t seed, uint64_t index, int ref_year, struct kw_synth *out);

#endif
