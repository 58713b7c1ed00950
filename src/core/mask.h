/*
 * Masking personal data for display, logs and audit details (ARCHITECTURE.md: identity
 * numbers and phone numbers are masked in every response that does not need them whole;
 * UX.md: 110105********002X). Pure; byte-safe on any input.
 */
#ifndef KW_CORE_MASK_H
#define KW_CORE_MASK_H

#include <stddef.h>

/*
 * An identity-document number: the first 6 and last 4 characters kept, the rest '*'
 * ("110105199001011234" → "110105********1234"); numbers of 10 characters or fewer keep
 * only their last 2. Counts characters, not bytes (UTF-8), so a passport number with
 * letters or a foreign document stays readable in length. Writes into out[n].
 */
void kw_mask_id_number(const char *id, char *out, size_t n);

/* A phone number: the first 3 and last 4 digits kept ("13812345678" → "138****5678"). */
void kw_mask_phone(const char *phone, char *out, size_t n);

/* A person's name on a public list (GRD-8, personal information not spread): the first
 * character kept, and the last when there are three or more ("张三" → "张*", "欧阳娜娜" →
 * "欧**娜"); a one-character name is "*". */
void kw_mask_name(const char *name, char *out, size_t n);

#endif
