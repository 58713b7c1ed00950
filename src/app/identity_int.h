/* Internals of identity.c shared with app.c. */
#ifndef KW_APP_IDENTITY_INT_H
#define KW_APP_IDENTITY_INT_H

struct kw_session_cache;
struct kw_session_cache *kw__session_cache_new(void);
void kw__session_cache_free(struct kw_session_cache *c);

#endif
