/* Comparison functions for qsort and bsearch. */
#ifndef KW_UTIL_SORT_H
#define KW_UTIL_SORT_H

/* Two int64_t, in ascending order. */
int kw_cmp_i64(const void *a, const void *b);
/* Two pointers to NUL-terminated strings (char *), in strcmp's order. */
int kw_cmp_strp(const void *a, const void *b);

#endif
