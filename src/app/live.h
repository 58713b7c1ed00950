/*
 * The live command view of a sitting (SPEC DAY-1's command platform; issue 9 item 7): for the
 * agency and the national centre, each centre's state — papers received, rooms open and
 * closed, attendance, incidents open — kept in memory and updated as things happen, so a page
 * watching 10,000 centres and 300,000 rooms gets each change within a second or two without
 * anyone re-reading the database for it.
 *
 * A view is one (exam, subject): loaded from the database the first time someone opens it,
 * then kept by events — a check-in (kw_live_checkin: a count and maybe a room that opens) or a
 * touch (kw_live_touch: a custody event, a room record closed, an incident — rarer; the
 * centre's row is read again from the database at the next kw_live_tick). Every change bumps a
 * version; a row carries the version of its last change, so a watcher asks "what changed since
 * version v" (kw_live_changes) and gets only those rows. What a process did not see (another
 * process writing, a server restarted) is read when a view is loaded: a view reflects the
 * database as of its load plus what this process did since.
 *
 * Who sees what: command.read (permissions.json). A grant reaching the exam's unit sees every
 * centre; one at a lower unit (a province, an area, a centre's own unit) sees the centres
 * under it; a caller who sees none gets NOT_FOUND, as for an exam out of reach.
 *
 * Incidents open: the custody incidents of the centre's packages of the subject, and the
 * exam-day incidents (incidents.h) of the centre at this sitting.
 *
 * Rows (JSON): {id, code, name, area, rooms, rooms_open, rooms_closed, seated, present,
 * packages, received, in_rooms, incidents, state, version}; state is the first that holds of
 * "incident" (incidents open), "closed" (every room's record closed), "open" (a room has
 * checked someone in), "papers" (every package received at the centre), "waiting".
 */
#ifndef KW_APP_LIVE_H
#define KW_APP_LIVE_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "util/err.h"

struct kw_live;
struct kw_live_sub;

struct kw_live *kw_live_new(void);
void kw_live_free(struct kw_live *l); /* NULL-safe; no subscription may remain */

/* A new check-in (not a repeated one) of subject in exam room room of centre. */
void kw_live_checkin(struct kw_app *app, int64_t exam, int64_t subject, int64_t centre,
                     int64_t room);
/* Something else changed at centre (custody, a room record, an incident): its rows in the
 * views of exam are read again at the next tick. centre 0: every centre of the exam. */
void kw_live_touch(struct kw_app *app, int64_t exam, int64_t centre);
/* Reads the touched rows again (the server calls it a few times a second); returns how many
 * rows it read. */
int kw_live_tick(struct kw_app *app);
/* The version of the last change anywhere (a watcher with nothing newer waits). */
uint64_t kw_live_version(struct kw_app *app);

/* Opens the view of (exam, subject code) for s, loading it if this process has not: NOT_FOUND
 * for an unknown exam or subject, an exam out of reach, or an exam without a published
 * seating run. */
int kw_live_open(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                 const char *subject, struct kw_live_sub **out, struct kw_err *err);
void kw_live_close(struct kw_live_sub *sub); /* NULL-safe */

/* The view as s may see it: {exam, subject, starts_at, version, totals, centres: [row…]},
 * rows ordered by centre code, filtered by state (NULL: any) and q (a substring of the
 * centre's code, name or area; NULL: any), offset/limit over the filtered rows (totals count
 * them all). The subscription's version becomes the view's. */
json_t *kw_live_snapshot(struct kw_app *app, struct kw_live_sub *sub, const char *state,
                         const char *q, int64_t offset, int64_t limit);
/* The rows s may see that changed since the subscription's version, with the totals:
 * {version, totals, centres}; NULL when nothing changed. Advances the version. */
json_t *kw_live_changes(struct kw_app *app, struct kw_live_sub *sub);

#endif
