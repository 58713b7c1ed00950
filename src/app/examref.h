/*
 * An exam as the scoring modules refer to it (publish.c, certs.c, scoring.c, screening.c): its
 * id, organising unit, code, name and kind, loaded with the check that the caller may act on
 * it; and one of its subjects by code.
 */
#ifndef KW_APP_EXAMREF_H
#define KW_APP_EXAMREF_H

#include <stdint.h>

#include "app/identity.h"
#include "store/store.h"

struct kw_exam_ref {
	int64_t id, unit;
	char code[64], name[256], kind[32], status[16];
};

/* A subject of an exam, by its code. */
struct kw_subject_ref {
	int64_t id;
	char code[64], name[256];
};

/* Loads exam id into e; with s (a staff session), checks s may do action at the exam's unit —
 * out of reach reads as absent (NOT_FOUND), as does an unknown exam. A candidate's session or
 * NULL skips the check (the caller checks ownership). */
int kw_exam_ref_load(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                     int64_t id, struct kw_exam_ref *e, struct kw_err *err);
/* The second half of kw_exam_ref_load, for a caller that read e's columns in a query of its
 * own: NOT_FOUND unless e->id is set and (for staff) a grant of action reaches e->unit. */
int kw_exam_ref_admit(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                      struct kw_exam_ref *e, struct kw_err *err);
/* The same for the public: an exam not published (a draft, a template) reads as absent. */
int kw_exam_ref_public(struct kw_conn *c, int64_t id, struct kw_exam_ref *e, struct kw_err *err);

/* Loads the subject of exam with code into sub; NOT_FOUND naming the code when the exam has
 * none of that code. */
int kw_exam_ref_subject(struct kw_conn *c, int64_t exam, const char *code,
                        struct kw_subject_ref *sub, struct kw_err *err);

#endif
