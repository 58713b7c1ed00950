/* The demo data (data/demo/demo.json), loaded idempotently by `kaowu demo`. */
#ifndef KW_APP_DEMO_H
#define KW_APP_DEMO_H

#include <jansson.h>

#include "app/app.h"
#include "app/writer.h"

struct kw_demo_report {
	int added, kept;    /* items added now, items already there */
	char password[64];  /* every demo account's password */
	json_t *accounts;   /* [{username, display_name, role, unit}], owned by the caller */
	char candidate[20]; /* the demo candidate's document number ("" when none) */
	/* a candidate of the published scores to look up (lookup_exam 0 when none) */
	int64_t lookup_exam;
	char lookup_ticket[40], lookup_id_number[24], lookup_name[64];
	/* a certificate of that exam to check at /verify.html ("" when none) */
	char cert_number[40], cert_name[64];
	/* a paper package whose chain of custody has begun ("" when none) */
	char custody_seal[64];
	/* the interview of the civil-service exam held (iv_exam 0 when none): its day, panel,
	 * the order number left to score and the account to score it as on the examiner's
	 * tablet, a shortlist whose results are published and composite list built (0: none) */
	int64_t iv_exam, iv_order, iv_shortlist;
	char iv_day[11], iv_panel[48], iv_tablet[32];
	/* the sitting held today (live_exam 0 when none): its subject, a proctor of an exam room
	 * with candidates still to check in; the exam whose readiness shows a centre not ready;
	 * the exam with a material held from destruction (0 when none) */
	int64_t live_exam, readiness_exam, retention_exam;
	char live_subject[16], live_proctor[32], live_start[40];
};

/* Loads what is missing of the demo. DEMO_NO_ROOT when the database was never initialised. */
int kw_demo_load(struct kw_app *app, const struct kw_actor *actor, struct kw_demo_report *rep,
                 struct kw_err *err);

#endif
