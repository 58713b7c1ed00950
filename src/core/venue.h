/*
 * Venue rules that depend on the exam's rule set (SPEC VEN-1, VEN-4). Pure: the centre's
 * facts and the resolved parameters come in, a verdict goes out.
 */
#ifndef KW_CORE_VENUE_H
#define KW_CORE_VENUE_H

/* Why a centre may not serve an exam (NULL reason: it may). */
struct kw_centre_verdict {
	int allowed;
	const char *rule;   /* "VEN-1", "VEN-4" */
	const char *reason; /* a stable code: "BELOW_LEVEL_NO_APPROVAL", "NO_NATIONAL_FILING",
	                       "BLOCKED_BY_INCIDENT", "INACTIVE", "LEVEL_UNKNOWN" */
};

/*
 * May a centre at admin_level ("national" … "township") serve an exam whose rule set says
 * min_level (centre_min_level: "county" or "prefecture") and approval
 * (centre_below_level_approval: "provincial" or "provincial_and_national_filing")?
 * provincial_approval and national_filing are the centre's references (NULL or "" when
 * none); blocked: a major incident not yet rectified (VEN-4); active: the centre is in use.
 */
struct kw_centre_verdict kw_venue_centre_allowed(const char *min_level, const char *approval,
                                                 const char *admin_level,
                                                 const char *provincial_approval,
                                                 const char *national_filing, int blocked,
                                                 int active);

#endif
