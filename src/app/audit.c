#include "app/audit.h"

#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/records.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

/*
 * The audited tables and their columns, in the canonical form's types. A table is added
 * here in the same change as its migration; `audit verify` checks every row of each.
 */
struct col {
	const char *name;
	/* 'i' integer, 't' text; 'I', 'T' the same for a column added to the table after its
	 * creation (a later migration): written into the canonical form only when it holds a
	 * value, so the rows written before it existed keep their digests and their audit
	 * records stay true. */
	char type;
};
struct table {
	const char *name;
	const struct col *cols;
	int ncols;
};

static const struct col units_cols[] = {
        {"id", 'i'},    {"code", 't'},      {"name", 't'},       {"kind", 't'},
        {"level", 't'}, {"parent_id", 'i'}, {"created_at", 't'}, {"doc_prefix", 'T'}, /* 0035 */
};
static const struct col users_cols[] = {
        {"id", 'i'},     {"username", 't'},   {"display_name", 't'}, {"password_hash", 't'},
        {"status", 't'}, {"created_at", 't'}, {"updated_at", 't'},
};
static const struct col sessions_cols[] = {
        {"id", 'i'},         {"token_hash", 't'}, {"user_id", 'i'},
        {"created_at", 't'}, {"expires_at", 't'}, {"revoked_at", 't'},
};
static const struct col grants_cols[] = {
        {"id", 'i'},       {"user_id", 'i'},    {"role", 't'},
        {"unit_id", 'i'},  {"exam_id", 'i'},    {"valid_from", 't'},
        {"valid_to", 't'}, {"created_at", 't'}, {"revoked_at", 't'},
};
static const struct col approvals_cols[] = {
        {"id", 'i'},     {"kind", 't'},       {"payload", 't'},
        {"status", 't'}, {"maker_id", 'i'},   {"checker_id", 'i'},
        {"reason", 't'}, {"created_at", 't'}, {"decided_at", 't'},
};
static const struct col candidates_cols[] = {
        {"id", 'i'},
        {"id_type", 't'},
        {"id_number", 't'},
        {"name", 't'},
        {"sex", 't'},
        {"birth_date", 't'},
        {"phone", 't'},
        {"email", 't'},
        {"password_hash", 't'},
        {"status", 't'},
        {"political_status", 't'},
        {"household_region", 't'},
        {"work_years", 'i'},
        {"grassroots_years", 'i'},
        {"grassroots_project", 'i'},
        {"education", 't'},
        {"created_at", 't'},
        {"updated_at", 't'},
};
static const struct col candidate_sessions_cols[] = {
        {"id", 'i'},         {"token_hash", 't'}, {"candidate_id", 'i'},
        {"created_at", 't'}, {"expires_at", 't'}, {"revoked_at", 't'},
};
static const struct col registrations_cols[] = {
        {"id", 'i'},
        {"exam_id", 'i'},
        {"candidate_id", 'i'},
        {"position_id", 'i'},
        {"subjects", 't'},
        {"channel", 't'},
        {"entered_by", 'i'},
        {"route", 't'},
        {"pledge_version", 't'},
        {"pledged_at", 't'},
        {"pledge_address", 't'},
        {"pledge_withdrawn_at", 't'},
        {"pledge_withdraw_reason", 't'},
        {"status", 't'},
        {"review_reason", 't'},
        {"reviewed_by", 'i'},
        {"reviewed_at", 't'},
        {"submitted_at", 't'},
        {"created_at", 't'},
        {"updated_at", 't'},
        {"area_id", 'I'},
        {"accommodation", 'T'},
};
static const struct col identity_claims_cols[] = {
        {"id", 'i'},         {"id_type", 't'},    {"id_number", 't'},       {"name", 't'},
        {"phone", 't'},      {"statement", 't'},  {"password_hash", 't'},   {"candidate_id", 'i'},
        {"status", 't'},     {"decided_by", 'i'}, {"decision_reason", 't'}, {"decided_at", 't'},
        {"created_at", 't'}, {"updated_at", 't'},
};
static const struct col payments_cols[] = {
        {"id", 'i'},
        {"registration_id", 'i'},
        {"candidate_id", 'i'},
        {"idempotency_key", 't'},
        {"amount_cents", 'i'},
        {"items", 't'},
        {"provider", 't'},
        {"provider_ref", 't'},
        {"status", 't'},
        {"paid_at", 't'},
        {"confirmed_by", 'i'},
        {"refunded_at", 't'},
        {"refund_reason", 't'},
        {"created_at", 't'},
        {"updated_at", 't'},
};
static const struct col payment_callbacks_cols[] = {
        {"id", 'i'},         {"provider", 't'},    {"nonce", 't'},
        {"payment_id", 'i'}, {"body_digest", 't'}, {"created_at", 't'},
};
static const struct col files_cols[] = {
        {"id", 'i'},      {"candidate_id", 'i'}, {"registration_id", 'i'},
        {"purpose", 't'}, {"label", 't'},        {"media_type", 't'},
        {"size", 'i'},    {"width", 'i'},        {"height", 'i'},
        {"sha256", 't'},  {"uploaded_by", 'i'},  {"created_at", 't'},
};
static const struct col verification_samples_cols[] = {
        {"id", 'i'},         {"exam_id", 'i'},           {"statuses", 't'},
        {"population", 'i'}, {"population_digest", 't'}, {"size", 'i'},
        {"purpose", 't'},    {"commitment", 't'},        {"seed", 't'},
        {"created_by", 'i'}, {"created_at", 't'},
};
static const struct col verifications_cols[] = {
        {"id", 'i'},         {"registration_id", 'i'},  {"kind", 't'},
        {"sample_id", 'i'},  {"reason", 't'},           {"status", 't'},
        {"outcome", 't'},    {"checks", 't'},           {"originals_returned", 'i'},
        {"finding", 't'},    {"archive_entry_id", 'i'}, {"referral", 't'},
        {"created_by", 'i'}, {"decided_by", 'i'},       {"decided_at", 't'},
        {"created_at", 't'}, {"updated_at", 't'},
};
#define T(n, c)                                                                                    \
	{                                                                                          \
		n, c, (int)(sizeof c / sizeof c[0])                                                \
	}
static const struct col seating_runs_cols[] = {
        {"id", 'i'},
        {"exam_id", 'i'},
        {"status", 't'},
        {"rule", 't'},
        {"inputs_digest", 't'},
        {"candidates", 'i'},
        {"rooms", 'i'},
        {"commitment", 't'},
        {"seed", 't'},
        {"assignment_digest", 't'},
        {"exam_rooms", 'i'},
        {"reason", 't'},
        {"committed_by", 'i'},
        {"seated_by", 'i'},
        {"published_by", 'i'},
        {"committed_at", 't'},
        {"seated_at", 't'},
        {"published_at", 't'},
        {"updated_at", 't'},
};
static const struct col exam_rooms_cols[] = {
        {"id", 'i'},          {"run_id", 'i'},      {"exam_id", 'i'},       {"area_id", 'i'},
        {"centre_id", 'i'},   {"room_id", 'i'},     {"number", 'i'},        {"subjects", 't'},
        {"sittings", 't'},    {"seats_taken", 'i'}, {"accommodation", 'i'}, {"first_ticket", 't'},
        {"last_ticket", 't'}, {"created_at", 't'},
};
static const struct col seats_cols[] = {
        {"id", 'i'},           {"run_id", 'i'},     {"registration_id", 'i'},
        {"exam_room_id", 'i'}, {"seat_no", 'i'},    {"ticket_no", 't'},
        {"reason", 't'},       {"created_at", 't'}, {"updated_at", 't'},
};

static const struct col tickets_cols[] = {
        {"id", 'i'},         {"registration_id", 'i'}, {"seat_id", 'i'},
        {"ticket_no", 't'},  {"version", 'i'},         {"kind", 't'},
        {"status", 't'},     {"payload_digest", 't'},  {"pdf_sha256", 't'},
        {"reason", 't'},     {"issued_by", 'i'},       {"issued_at", 't'},
        {"revoked_at", 't'}, {"updated_at", 't'},
};

static const struct col proctor_draws_cols[] = {
        {"id", 'i'},       {"exam_id", 'i'},       {"run_id", 'i'},        {"sitting", 'i'},
        {"status", 't'},   {"rule", 't'},          {"inputs_digest", 't'}, {"commitment", 't'},
        {"seed", 't'},     {"result_digest", 't'}, {"excluded", 't'},      {"committed_by", 'i'},
        {"drawn_by", 'i'}, {"committed_at", 't'},  {"drawn_at", 't'},      {"updated_at", 't'},
};
static const struct col proctor_assignments_cols[] = {
        {"id", 'i'},        {"draw_id", 'i'},      {"staff_id", 'i'},
        {"centre_id", 'i'}, {"exam_room_id", 'i'}, {"floor", 'i'},
        {"duty", 't'},      {"created_at", 't'},   {"pseudonym", 'I'},
};

static const struct col seat_changes_cols[] = {
        {"id", 'i'},         {"run_id", 'i'},          {"registration_id", 'i'},
        {"reason", 't'},     {"status", 't'},          {"maker_id", 'i'},
        {"checker_id", 'i'}, {"decision_reason", 't'}, {"from_ticket", 't'},
        {"to_ticket", 't'},  {"created_at", 't'},      {"decided_at", 't'},
};

static const struct col ticket_corrections_cols[] = {
        {"id", 'i'},         {"registration_id", 'i'}, {"exam_id", 'i'},     {"area_id", 'i'},
        {"applicant", 't'},  {"applicant_unit", 't'},  {"entered_by", 'i'},  {"statement", 't'},
        {"changes", 't'},    {"previous", 't'},        {"proof_files", 't'}, {"status", 't'},
        {"decided_by", 'i'}, {"decision_reason", 't'}, {"decided_at", 't'},  {"created_at", 't'},
        {"updated_at", 't'},
};

static const struct col cases_cols[] = {
        {"id", 'i'},
        {"exam_id", 'i'},
        {"unit_id", 'i'},
        {"party", 't'},
        {"registration_id", 'i'},
        {"candidate_id", 'i'},
        {"person_name", 't'},
        {"id_type", 't'},
        {"id_number", 't'},
        {"source", 't'},
        {"source_ref", 't'},
        {"catalogue", 't'},
        {"catalogue_version", 't'},
        {"stage", 't'},
        {"subject", 't'},
        {"entry_id", 't'},
        {"facts", 't'},
        {"occurred_at", 't'},
        {"place", 't'},
        {"actions_taken", 't'},
        {"status", 't'},
        {"notice_number", 't'},
        {"notice_at", 't'},
        {"notice_method", 't'},
        {"notice_receipt_date", 't'},
        {"defence_due", 't'},
        {"defence_text", 't'},
        {"defence_at", 't'},
        {"defence_waived", 'i'},
        {"defence_review", 't'},
        {"defence_reviewed_by", 'i'},
        {"defence_reviewed_at", 't'},
        {"decision_number", 't'},
        {"decision_date", 't'},
        {"decided_at", 't'},
        {"decided_by", 'i'},
        {"decider_unit_id", 'i'},
        {"penalty", 't'},
        {"service_method", 't'},
        {"receipt_date", 't'},
        {"review_due", 't'},
        {"lawsuit_due", 't'},
        {"revoked_at", 't'},
        {"created_by", 'i'},
        {"created_at", 't'},
        {"updated_at", 't'},
        {"outsider_role", 'T'}, /* 0035 */
        {"linked_case_id", 'I'},
        {"referred_at", 'T'},
};

static const struct col case_signatures_cols[] = {
        {"id", 'i'}, {"case_id", 'i'}, {"user_id", 'i'}, {"role_note", 't'}, {"signed_at", 't'},
};

static const struct col case_files_cols[] = {
        {"id", 'i'},         {"case_id", 'i'},     {"kind", 't'},
        {"label", 't'},      {"media_type", 't'},  {"size", 'i'},
        {"sha256", 't'},     {"uploaded_by", 'i'}, {"uploaded_by_candidate", 'i'},
        {"created_at", 't'},
};

static const struct col case_events_cols[] = {
        {"id", 'i'},         {"case_id", 'i'},         {"kind", 't'},
        {"actor_user", 'i'}, {"actor_candidate", 'i'}, {"details", 't'},
        {"created_at", 't'},
};

static const struct col case_effects_cols[] = {
        {"id", 'i'},          {"case_id", 'i'},
        {"kind", 't'},        {"registration_id", 'i'},
        {"subject", 't'},     {"archive_entry_id", 'i'},
        {"previous", 't'},    {"applied_at", 't'},
        {"reversed_at", 't'},
};

static const struct col case_changes_cols[] = {
        {"id", 'i'},         {"case_id", 'i'},        {"kind", 't'},
        {"grounds", 't'},    {"evidence_files", 't'}, {"status", 't'},
        {"maker_id", 'i'},   {"checker_id", 'i'},     {"checker_reason", 't'},
        {"created_at", 't'}, {"decided_at", 't'},
};

static const struct col case_appeals_cols[] = {
        {"id", 'i'},         {"case_id", 'i'},    {"kind", 't'},         {"filed_on", 't'},
        {"body", 't'},       {"outcome", 't'},    {"outcome_date", 't'}, {"note", 't'},
        {"created_at", 't'}, {"updated_at", 't'},
};

static const struct col case_referrals_cols[] = {
        {"id", 'i'},          {"case_id", 'i'},    {"kind", 't'},       {"authority", 't'},
        {"referred_on", 't'}, {"reply_due", 't'},  {"note", 't'},       {"replied_on", 't'},
        {"reply", 't'},       {"created_by", 'i'}, {"created_at", 't'}, {"updated_at", 't'},
};

static const struct col candidate_messages_cols[] = {
        {"id", 'i'},    {"candidate_id", 'i'}, {"kind", 't'},       {"case_id", 'i'},
        {"title", 't'}, {"body", 't'},         {"created_at", 't'}, {"read_at", 't'},
};

/* The integrity archive's sharing ledger (app/archive.c, migration 0019). */
static const struct col archive_exports_cols[] = {
        {"id", 'i'},      {"kind", 't'},       {"rows_sent", 'i'}, {"rows_withheld", 'i'},
        {"user_id", 'i'}, {"created_at", 't'},
};

static const struct col archive_shares_cols[] = {
        {"id", 'i'},           {"entry_id", 'i'}, {"change", 't'},
        {"confirmed_at", 't'}, {"due_on", 't'},   {"shared_at", 't'},
        {"export_id", 'i'},    {"withheld", 'i'}, {"created_at", 't'},
};

static const struct col archive_sweeps_cols[] = {
        {"id", 'i'},    {"through_day", 't'}, {"through_entry", 'i'},
        {"added", 'i'}, {"ended", 'i'},       {"created_at", 't'},
};

static const struct col answer_keys_cols[] = {
        {"id", 'i'},         {"exam_id", 'i'},       {"subject_id", 'i'}, {"form", 't'},
        {"version", 'i'},    {"master", 'i'},        {"items", 'i'},      {"spec", 't'},
        {"perm", 't'},       {"master_key_id", 'i'}, {"digest", 't'},     {"loaded_by", 'i'},
        {"created_at", 't'},
};

static const struct col answer_imports_cols[] = {
        {"id", 'i'},     {"exam_id", 'i'},     {"file_sha256", 't'}, {"filename", 't'},
        {"sheets", 'i'}, {"imported_by", 'i'}, {"witness_id", 'i'},  {"created_at", 't'},
};

static const struct col answer_blocks_cols[] = {
        {"id", 'i'},     {"import_id", 'i'},          {"subject_id", 'i'},
        {"sheets", 'i'}, {"first_registration", 'i'}, {"last_registration", 'i'},
        {"body", 't'},   {"created_at", 't'},
};

static const struct col score_runs_cols[] = {
        {"id", 'i'},
        {"exam_id", 'i'},
        {"subject_id", 'i'},
        {"keys", 't'},
        {"rules_digest", 't'},
        {"answers_digest", 't'},
        {"outcomes_digest", 't'},
        {"result_digest", 't'},
        {"candidates", 'i'},
        {"scored", 'i'},
        {"absent", 'i'},
        {"zeroed", 'i'},
        {"cancelled", 'i'},
        {"run_by", 'i'},
        {"created_at", 't'},
        {"marking_id", 'I'},
        {"marks_digest", 'T'},
        {"anomalies", 'I'},
};

static const struct col score_blocks_cols[] = {
        {"id", 'i'},
        {"run_id", 'i'},
        {"seq", 'i'},
        {"candidates", 'i'},
        {"first_registration", 'i'},
        {"last_registration", 'i'},
        {"body", 't'},
        {"created_at", 't'},
};

static const struct col score_crosschecks_cols[] = {
        {"id", 'i'},
        {"run_id", 'i'},
        {"candidates", 'i'},
        {"differences", 'i'},
        {"status", 't'},
        {"answers_digest", 't'},
        {"outcomes_digest", 't'},
        {"result_digest", 't'},
        {"report", 't'},
        {"checked_by", 'i'},
        {"created_at", 't'},
        {"marks_digest", 'T'},
        {"findings", 'I'},
        {"findings_report", 'T'},
};

static const struct col publications_cols[] = {
        {"id", 'i'},          {"exam_id", 'i'},     {"status", 't'},       {"runs", 't'},
        {"candidates", 'i'},  {"salt", 't'},        {"digest", 't'},       {"approval_id", 'i'},
        {"prepared_by", 'i'}, {"approved_by", 'i'}, {"published_at", 't'}, {"created_at", 't'},
        {"updated_at", 't'},
};

static const struct col publication_blocks_cols[] = {
        {"id", 'i'},           {"publication_id", 'i'}, {"seq", 'i'},  {"candidates", 'i'},
        {"first_ticket", 't'}, {"last_ticket", 't'},    {"body", 't'}, {"created_at", 't'},
};

static const struct col score_reviews_cols[] = {
        {"id", 'i'},
        {"exam_id", 'i'},
        {"publication_id", 'i'},
        {"registration_id", 'i'},
        {"candidate_id", 'i'},
        {"subject", 't'},
        {"ticket_no", 't'},
        {"published_score", 't'},
        {"reason", 't'},
        {"status", 't'},
        {"request_by", 't'},
        {"forward_by", 't'},
        {"decided_by", 'i'},
        {"refusal", 't'},
        {"forwarded_at", 't'},
        {"forwarded_late", 'i'},
        {"outcome", 't'},
        {"rechecked_score", 't'},
        {"cause", 't'},
        {"outcome_reason", 't'},
        {"anomaly", 't'},
        {"rechecked_by", 'i'},
        {"rechecked_at", 't'},
        {"return_by", 't'},
        {"approval_id", 'i'},
        {"approved_by", 'i'},
        {"answered_by", 'i'},
        {"answered_at", 't'},
        {"created_at", 't'},
        {"updated_at", 't'},
};

static const struct col answer_layouts_cols[] = {
        {"id", 'i'},     {"exam_id", 'i'}, {"name", 't'},       {"version", 'i'},
        {"layout", 't'}, {"digest", 't'},  {"created_by", 'i'}, {"created_at", 't'},
};

static const struct col publication_patches_cols[] = {
        {"id", 'i'},     {"publication_id", 'i'}, {"ticket_no", 't'},
        {"record", 't'}, {"review_id", 'i'},      {"created_at", 't'},
};

static const struct col pass_standards_cols[] = {
        {"id", 'i'},      {"exam_id", 'i'}, {"subject", 't'},    {"cut_score", 't'},
        {"version", 'i'}, {"set_by", 'i'},  {"created_at", 't'},
};

static const struct col qualified_lists_cols[] = {
        {"id", 'i'},           {"exam_id", 'i'},      {"publication_id", 'i'}, {"status", 't'},
        {"standards", 't'},    {"candidates", 'i'},   {"qualified", 'i'},      {"withheld", 'i'},
        {"entries", 't'},      {"digest", 't'},       {"approval_id", 'i'},    {"prepared_by", 'i'},
        {"confirmed_by", 'i'}, {"confirmed_at", 't'}, {"created_at", 't'},     {"updated_at", 't'},
};

static const struct col certificates_cols[] = {
        {"id", 'i'},
        {"number", 't'},
        {"exam_id", 'i'},
        {"qualified_list_id", 'i'},
        {"registration_id", 'i'},
        {"candidate_id", 'i'},
        {"name", 't'},
        {"id_masked", 't'},
        {"data", 't'},
        {"payload", 't'},
        {"issued_on", 't'},
        {"status", 't'},
        {"revoked_reason", 't'},
        {"revoked_at", 't'},
        {"approval_id", 'i'},
        {"created_at", 't'},
        {"updated_at", 't'},
};

static const struct col markings_cols[] = {
        {"id", 'i'},
        {"exam_id", 'i'},
        {"subject_id", 'i'},
        {"max_points", 'i'},
        {"tolerance", 'i'},
        {"rule", 't'},
        {"items", 't'},
        {"scripts", 'i'},
        {"status", 't'},
        {"set_up_by", 'i'},
        {"witness_id", 'i'},
        {"total", 'i'},
        {"finished", 'i'},
        {"closed_by", 'i'},
        {"closed_at", 't'},
        {"result_digest", 't'},
        {"confirmed_by", 'i'},
        {"confirmed_at", 't'},
        {"created_at", 't'},
        {"updated_at", 't'},
        {"flag_threshold", 'I'},
        {"flag_min", 'I'},
        {"drift_window", 'I'},
        {"control_every", 'I'},
};

static const struct col scripts_cols[] = {
        {"id", 'i'},         {"marking_id", 'i'}, {"code", 't'},
        {"stage", 't'},      {"final", 'i'},      {"resolved", 't'},
        {"created_at", 't'}, {"updated_at", 't'}, {"control_id", 'I'},
};

static const struct col marking_controls_cols[] = {
        {"id", 'i'},    {"marking_id", 'i'}, {"label", 't'},      {"points", 'i'},
        {"items", 't'}, {"created_by", 'i'}, {"created_at", 't'},
};

static const struct col marking_suspensions_cols[] = {
        {"id", 'i'},           {"marking_id", 'i'},   {"marker_id", 'i'}, {"reason", 't'},
        {"suspended_by", 'i'}, {"suspended_at", 't'}, {"lifted_by", 'i'}, {"lifted_at", 't'},
};

static const struct col script_identities_cols[] = {
        {"id", 'i'},        {"script_id", 'i'},  {"registration_id", 'i'},
        {"ticket_no", 't'}, {"created_at", 't'},
};

static const struct col script_marks_cols[] = {
        {"id", 'i'},     {"script_id", 'i'}, {"round", 'i'},    {"marker_id", 'i'},
        {"points", 'i'}, {"items", 't'},     {"taken_at", 't'}, {"marked_at", 't'},
};

/* Exam day (0030_examday.sql, app/examday.c). */
static const struct col checkins_cols[] = {
        {"id", 'i'},
        {"exam_id", 'i'},
        {"subject_id", 'i'},
        {"exam_room_id", 'i'},
        {"registration_id", 'i'},
        {"seat_id", 'i'},
        {"ticket_no", 't'},
        {"ticket_version", 'i'},
        {"method", 't'},
        {"id_checked", 'i'},
        {"photo_match", 'i'},
        {"checked_in_by", 'i'},
        {"checked_in_at", 't'},
        {"left_kind", 't'},
        {"left_reason", 't'},
        {"rest_room", 'i'},
        {"left_by", 'i'},
        {"left_at", 't'},
        {"created_at", 't'},
        {"updated_at", 't'},
};
static const struct col room_records_cols[] = {
        {"id", 'i'},           {"exam_id", 'i'},   {"subject_id", 'i'},
        {"exam_room_id", 'i'}, {"status", 't'},    {"seated", 'i'},
        {"present", 'i'},      {"absent", 'i'},    {"content_digest", 't'},
        {"closed_by", 'i'},    {"closed_at", 't'}, {"created_at", 't'},
        {"updated_at", 't'},
};
static const struct col room_record_entries_cols[] = {
        {"id", 'i'},          {"record_id", 'i'},   {"kind", 't'},       {"registration_id", 'i'},
        {"description", 't'}, {"occurred_at", 't'}, {"created_by", 'i'}, {"case_id", 'i'},
        {"created_at", 't'},  {"updated_at", 't'},
};
static const struct col room_record_files_cols[] = {
        {"id", 'i'},   {"entry_id", 'i'}, {"label", 't'},       {"media_type", 't'},
        {"size", 'i'}, {"sha256", 't'},   {"uploaded_by", 'i'}, {"created_at", 't'},
};
static const struct col room_record_signatures_cols[] = {
        {"id", 'i'},       {"record_id", 'i'},      {"user_id", 'i'},
        {"staff_id", 'i'}, {"content_digest", 't'}, {"signed_at", 't'},
};
static const struct col room_absentees_cols[] = {
        {"id", 'i'},         {"record_id", 'i'},       {"exam_id", 'i'},
        {"subject_id", 'i'}, {"registration_id", 'i'}, {"ticket_no", 't'},
        {"created_at", 't'},
};

/* Papers as packages and their chain of custody (0032_custody.sql, app/custody.c). */
static const struct col paper_signoffs_cols[] = {
        {"id", 'i'},      {"exam_id", 'i'},   {"subject_id", 'i'},
        {"user_id", 'i'}, {"role_note", 't'}, {"signed_at", 't'},
};
static const struct col paper_packages_cols[] = {
        {"id", 'i'},      {"exam_id", 'i'},        {"run_id", 'i'},         {"subject_id", 'i'},
        {"kind", 't'},    {"centre_id", 'i'},      {"exam_room_id", 'i'},   {"parent_id", 'i'},
        {"seal_no", 't'}, {"classification", 't'}, {"seated", 'i'},         {"spare", 'i'},
        {"count", 'i'},   {"print_signer_a", 'i'}, {"print_signer_b", 'i'}, {"place", 't'},
        {"events", 'i'},  {"created_by", 'i'},     {"created_at", 't'},     {"updated_at", 't'},
};
static const struct col custody_events_cols[] = {
        {"id", 'i'},          {"package_id", 'i'},     {"seq", 'i'},
        {"kind", 't'},        {"from_place", 't'},     {"to_place", 't'},
        {"location", 't'},    {"people", 't'},         {"vehicle", 't'},
        {"departed_at", 't'}, {"count_checked", 'i'},  {"seal_checked", 't'},
        {"flags", 't'},       {"note", 't'},           {"recorded_by", 'i'},
        {"occurred_at", 't'}, {"via_package_id", 'i'},
};
static const struct col custody_incidents_cols[] = {
        {"id", 'i'},         {"package_id", 'i'},    {"event_id", 'i'},       {"code", 't'},
        {"details", 't'},    {"report_upward", 'i'}, {"report_to_unit", 'i'}, {"status", 't'},
        {"created_at", 't'},
};

/* Retention and destruction of exam materials (0038_retention.sql, app/retention.c). */
static const struct col retention_destructions_cols[] = {
        {"id", 'i'},    {"exam_id", 'i'},     {"method", 't'},
        {"place", 't'}, {"witnesses", 't'},   {"materials", 'i'},
        {"note", 't'},  {"recorded_by", 'i'}, {"destroyed_at", 't'},
};
static const struct col retention_materials_cols[] = {
        {"id", 'i'},
        {"exam_id", 'i'},
        {"kind", 't'},
        {"source_key", 't'},
        {"package_id", 'i'},
        {"room_record_id", 'i'},
        {"subject_id", 'i'},
        {"centre_id", 'i'},
        {"exam_room_id", 'i'},
        {"label", 't'},
        {"recorded_from", 't'},
        {"recorded_to", 't'},
        {"evidence_case_id", 'i'},
        {"note", 't'},
        {"destruction_id", 'i'},
        {"created_by", 'i'},
        {"created_at", 't'},
        {"updated_at", 't'},
};
static const struct col retention_holds_cols[] = {
        {"id", 'i'},        {"material_id", 'i'}, {"reason", 't'},
        {"set_by", 'i'},    {"set_at", 't'},      {"lifted_by", 'i'},
        {"lifted_at", 't'}, {"lift_reason", 't'}, {"updated_at", 't'},
};
static const struct col retention_video_log_cols[] = {
        {"id", 'i'},      {"material_id", 'i'}, {"action", 't'},      {"purpose", 't'},
        {"done_by", 'i'}, {"occurred_at", 't'}, {"recorded_by", 'i'}, {"created_at", 't'},
};

/* Duty rosters and logs (0040_duty.sql). */
static const struct col duty_shifts_cols[] = {
        {"id", 'i'},       {"exam_id", 'i'},    {"unit_id", 'i'},    {"centre_id", 'i'},
        {"staff_id", 'i'}, {"post", 't'},       {"phone", 't'},      {"starts_at", 't'},
        {"ends_at", 't'},  {"created_by", 'i'}, {"created_at", 't'},
};
static const struct col duty_log_entries_cols[] = {
        {"id", 'i'},         {"exam_id", 'i'},      {"unit_id", 'i'},     {"centre_id", 'i'},
        {"shift_id", 'i'},   {"staff_id", 'i'},     {"occurred_at", 't'}, {"kind", 't'},
        {"content", 't'},    {"action_taken", 't'}, {"caller", 't'},      {"written_by", 'i'},
        {"created_at", 't'},
};

/* Answer-data backups and their batches (0041_answer_backups.sql, app/answerbak.c; GRD-4). */
static const struct col answer_backups_cols[] = {
        {"id", 'i'},         {"exam_id", 'i'}, {"subject_id", 'i'}, {"digest", 't'},
        {"imports", 'i'},    {"batches", 'i'}, {"sheets", 'i'},     {"made_by", 'i'},
        {"created_at", 't'}, {"kept_by", 'i'}, {"location", 't'},   {"kept_at", 't'},
};
static const struct col answer_backup_batches_cols[] = {
        {"id", 'i'},        {"backup_id", 'i'}, {"block_id", 'i'},
        {"import_id", 'i'}, {"sheets", 'i'},    {"sha256", 't'},
};

/* Exam-day incidents (0039_incidents.sql, app/incidents.c). */
static const struct col exam_incidents_cols[] = {
        {"id", 'i'},
        {"exam_id", 'i'},
        {"subject_id", 'i'},
        {"centre_id", 'i'},
        {"exam_room_id", 'i'},
        {"occurred_at", 't'},
        {"category", 't'},
        {"description", 't'},
        {"urgent", 'i'},
        {"major", 'i'},
        {"status", 't'},
        {"awaiting_unit_id", 'i'},
        {"venue_incident_id", 'i'},
        {"police_reported_at", 't'},
        {"police_to", 't'},
        {"police_ref", 't'},
        {"conclusion", 't'},
        {"closed_by", 'i'},
        {"closed_at", 't'},
        {"reported_by", 'i'},
        {"created_at", 't'},
        {"updated_at", 't'},
};
static const struct col exam_incident_steps_cols[] = {
        {"id", 'i'},      {"incident_id", 'i'},     {"seq", 'i'},
        {"unit_id", 'i'}, {"notified_at", 't'},     {"escalated_by", 'i'},
        {"note", 't'},    {"acknowledged_by", 'i'}, {"acknowledged_at", 't'},
};
static const struct col exam_incident_updates_cols[] = {
        {"id", 'i'},   {"incident_id", 'i'}, {"kind", 't'},
        {"text", 't'}, {"created_by", 'i'},  {"created_at", 't'},
};
static const struct col exam_incident_files_cols[] = {
        {"id", 'i'},   {"incident_id", 'i'}, {"label", 't'},       {"media_type", 't'},
        {"size", 'i'}, {"sha256", 't'},      {"uploaded_by", 'i'}, {"created_at", 't'},
};
static const struct col exam_incident_outcomes_cols[] = {
        {"id", 'i'},           {"incident_id", 'i'},  {"exam_id", 'i'},    {"kind", 't'},
        {"details", 't'},      {"announcement", 't'}, {"status", 't'},     {"approval_id", 'i'},
        {"requested_by", 'i'}, {"decided_by", 'i'},   {"decided_at", 't'}, {"created_at", 't'},
        {"updated_at", 't'},
};

static const struct col screens_cols[] = {
        {"id", 'i'},           {"exam_id", 'i'},        {"subject_id", 'i'},
        {"score_run_id", 'i'}, {"answers_digest", 't'}, {"seed", 't'},
        {"options", 't'},      {"mode", 't'},           {"alpha", 't'},
        {"model", 't'},        {"stats", 't'},          {"sheets", 'i'},
        {"items", 'i'},        {"pairs", 'i'},          {"flagged", 'i'},
        {"clusters", 'i'},     {"run_by", 'i'},         {"created_at", 't'},
};

static const struct col screen_flags_cols[] = {
        {"id", 'i'},
        {"screen_id", 'i'},
        {"kind", 't'},
        {"seq", 'i'},
        {"p_exact", 't'},
        {"copier_registration", 'i'},
        {"copier_ticket", 't'},
        {"source_registration", 'i'},
        {"source_ticket", 't'},
        {"evidence", 't'},
        {"status", 't'},
        {"created_at", 't'},
        {"updated_at", 't'},
};

static const struct col screen_decisions_cols[] = {
        {"id", 'i'},      {"flag_id", 'i'},     {"decision", 't'},
        {"members", 't'}, {"reasoning", 't'},   {"lead_proposal", 't'},
        {"cases", 't'},   {"recorded_by", 'i'}, {"created_at", 't'},
};

/* Interviews (0033_interviews.sql). */
static const struct col interview_settings_cols[] = {
        {"id", 'i'},
        {"exam_id", 'i'},
        {"written_min", 'i'},
        {"written_weight", 'i'},
        {"interview_weight", 'i'},
        {"method", 't'},
        {"panel_min", 'i'},
        {"agency_minority", 'i'},
        {"created_at", 't'},
        {"updated_at", 't'},
};
static const struct col interview_shortlists_cols[] = {
        {"id", 'i'},         {"exam_id", 'i'},    {"position_id", 'i'},  {"publication_id", 'i'},
        {"ratio", 't'},      {"quota", 'i'},      {"target", 'i'},       {"written_min", 'i'},
        {"status", 't'},     {"created_by", 'i'}, {"published_at", 't'}, {"created_at", 't'},
        {"updated_at", 't'},
};
static const struct col interview_shortlist_entries_cols[] = {
        {"id", 'i'},          {"shortlist_id", 'i'}, {"registration_id", 'i'},
        {"ticket_no", 't'},   {"masked_name", 't'},  {"written", 'i'},
        {"place", 'i'},       {"state", 't'},        {"decline_reason", 't'},
        {"declined_at", 't'}, {"created_at", 't'},   {"updated_at", 't'},
};
static const struct col interview_panels_cols[] = {
        {"id", 'i'},
        {"exam_id", 'i'},
        {"code", 't'},
        {"starts_at", 't'},
        {"positions", 't'},
        {"examiners", 'i'},
        {"agency_examiners", 'i'},
        {"created_by", 'i'},
        {"created_at", 't'},
        {"updated_at", 't'},
        {"format", 'T'}, /* 0037 */
        {"group_size", 'I'},
        {"dimensions", 'T'},
        {"brief", 'T'},
};
static const struct col interview_panel_members_cols[] = {
        {"id", 'i'},   {"panel_id", 'i'}, {"staff_id", 'i'},
        {"duty", 't'}, {"agency", 'i'},   {"created_at", 't'},
};

/* Interview day (0034_interview_day.sql). */
static const struct col interview_days_cols[] = {
        {"id", 'i'},         {"exam_id", 'i'},    {"day", 't'},
        {"ends_at", 't'},    {"rooms", 't'},      {"dimensions", 't'},
        {"created_by", 'i'}, {"created_at", 't'}, {"updated_at", 't'},
};
static const struct col interview_observers_cols[] = {
        {"id", 'i'},          {"day_id", 'i'},       {"name", 't'},       {"id_masked", 't'},
        {"id_digest", 't'},   {"organisation", 't'}, {"kind", 't'},       {"panel_id", 'i'},
        {"attended_at", 't'}, {"left_at", 't'},      {"created_by", 'i'}, {"created_at", 't'},
        {"updated_at", 't'},
};
static const struct col interview_day_panels_cols[] = {
        {"id", 'i'},
        {"day_id", 'i'},
        {"panel_id", 'i'},
        {"created_at", 't'},
};
static const struct col interview_draws_cols[] = {
        {"id", 'i'},      {"day_id", 'i'},       {"panel_id", 'i'}, {"kind", 't'},
        {"purpose", 't'}, {"commitment", 't'},   {"seed", 't'},     {"result", 't'},
        {"status", 't'},  {"committed_at", 't'}, {"drawn_at", 't'},
};
static const struct col interview_candidates_cols[] = {
        {"id", 'i'},         {"panel_id", 'i'},      {"order_no", 'i'},  {"registration_id", 'i'},
        {"written", 'i'},    {"score", 'i'},         {"composite", 'i'}, {"stage", 't'},
        {"scorer_at", 't'},  {"supervisor_at", 't'}, {"chief_at", 't'},  {"created_at", 't'},
        {"updated_at", 't'},
};
static const struct col interview_scores_cols[] = {
        {"id", 'i'},    {"candidate_id", 'i'}, {"staff_id", 'i'},   {"scores", 't'},
        {"total", 'i'}, {"corrections", 'i'},  {"created_at", 't'}, {"updated_at", 't'},
};
static const struct col interview_result_publications_cols[] = {
        {"id", 'i'},   {"shortlist_id", 'i'}, {"deadline", 't'},
        {"late", 'i'}, {"published_by", 'i'}, {"published_at", 't'},
};

/* Recruitment after the interview (0036_recruitment.sql). */
static const struct col recruit_lists_cols[] = {
        {"id", 'i'},
        {"exam_id", 'i'},
        {"position_id", 'i'},
        {"shortlist_id", 'i'},
        {"quota", 'i'},
        {"rounds", 'i'},
        {"rounds_used", 'i'},
        {"fitness_test", 'i'},
        {"psych_test", 'i'},
        {"interview_min", 'i'},
        {"notice_workdays", 'i'},
        {"probation_months", 'i'},
        {"created_by", 'i'},
        {"created_at", 't'},
        {"updated_at", 't'},
};
static const struct col recruit_candidates_cols[] = {
        {"id", 'i'},         {"list_id", 'i'},      {"registration_id", 'i'}, {"ticket_no", 't'},
        {"written", 'i'},    {"interview", 'i'},    {"composite", 'i'},       {"place", 'i'},
        {"state", 't'},      {"out_reason", 't'},   {"case_id", 'i'},         {"replaces", 'i'},
        {"notice_id", 'i'},  {"appointed_on", 't'}, {"probation_ends", 't'},  {"created_at", 't'},
        {"updated_at", 't'},
};
static const struct col recruit_steps_cols[] = {
        {"id", 'i'},          {"candidate_id", 'i'}, {"step", 't'},    {"reexam", 'i'},
        {"outcome", 't'},     {"reason", 't'},       {"on_date", 't'}, {"case_id", 'i'},
        {"recorded_by", 'i'}, {"created_at", 't'},
};
static const struct col recruit_notices_cols[] = {
        {"id", 'i'},           {"list_id", 'i'},     {"status", 't'},     {"entries", 't'},
        {"made_by", 'i'},      {"approved_by", 'i'}, {"starts_on", 't'},  {"ends_on", 't'},
        {"published_at", 't'}, {"created_at", 't'},  {"updated_at", 't'},
};
static const struct col recruit_objections_cols[] = {
        {"id", 'i'},         {"notice_id", 'i'},  {"candidate_id", 'i'}, {"received_on", 't'},
        {"objector", 't'},   {"text", 't'},       {"status", 't'},       {"reply", 't'},
        {"sustained", 'i'},  {"replied_by", 'i'}, {"replied_at", 't'},   {"created_at", 't'},
        {"updated_at", 't'},
};

static const struct table tables[] = {
        T("units", units_cols),
        T("users", users_cols),
        T("grants", grants_cols),
        T("sessions", sessions_cols),
        T("approvals", approvals_cols),
        T("candidates", candidates_cols),
        T("candidate_sessions", candidate_sessions_cols),
        T("registrations", registrations_cols),
        T("identity_claims", identity_claims_cols),
        T("payments", payments_cols),
        T("payment_callbacks", payment_callbacks_cols),
        T("files", files_cols),
        T("verification_samples", verification_samples_cols),
        T("verifications", verifications_cols),
        T("seating_runs", seating_runs_cols),
        T("exam_rooms", exam_rooms_cols),
        T("seats", seats_cols),
        T("tickets", tickets_cols),
        T("proctor_draws", proctor_draws_cols),
        T("proctor_assignments", proctor_assignments_cols),
        T("seat_changes", seat_changes_cols),
        T("ticket_corrections", ticket_corrections_cols),
        T("cases", cases_cols),
        T("case_signatures", case_signatures_cols),
        T("case_files", case_files_cols),
        T("case_events", case_events_cols),
        T("case_effects", case_effects_cols),
        T("case_changes", case_changes_cols),
        T("case_appeals", case_appeals_cols),
        T("case_referrals", case_referrals_cols),
        T("candidate_messages", candidate_messages_cols),
        T("archive_exports", archive_exports_cols),
        T("archive_shares", archive_shares_cols),
        T("archive_sweeps", archive_sweeps_cols),
        T("answer_keys", answer_keys_cols),
        T("answer_imports", answer_imports_cols),
        T("answer_blocks", answer_blocks_cols),
        T("score_runs", score_runs_cols),
        T("score_blocks", score_blocks_cols),
        T("score_crosschecks", score_crosschecks_cols),
        T("publications", publications_cols),
        T("publication_blocks", publication_blocks_cols),
        T("score_reviews", score_reviews_cols),
        T("publication_patches", publication_patches_cols),
        T("answer_layouts", answer_layouts_cols),
        T("pass_standards", pass_standards_cols),
        T("qualified_lists", qualified_lists_cols),
        T("certificates", certificates_cols),
        T("markings", markings_cols),
        T("scripts", scripts_cols),
        T("script_identities", script_identities_cols),
        T("script_marks", script_marks_cols),
        T("screens", screens_cols),
        T("screen_flags", screen_flags_cols),
        T("screen_decisions", screen_decisions_cols),
        T("marking_controls", marking_controls_cols),
        T("marking_suspensions", marking_suspensions_cols),
        T("checkins", checkins_cols),
        T("room_records", room_records_cols),
        T("room_record_entries", room_record_entries_cols),
        T("room_record_files", room_record_files_cols),
        T("room_record_signatures", room_record_signatures_cols),
        T("room_absentees", room_absentees_cols),
        T("interview_settings", interview_settings_cols),
        T("interview_shortlists", interview_shortlists_cols),
        T("interview_shortlist_entries", interview_shortlist_entries_cols),
        T("interview_panels", interview_panels_cols),
        T("interview_panel_members", interview_panel_members_cols),
        T("interview_days", interview_days_cols),
        T("interview_observers", interview_observers_cols),
        T("interview_day_panels", interview_day_panels_cols),
        T("interview_draws", interview_draws_cols),
        T("interview_candidates", interview_candidates_cols),
        T("interview_scores", interview_scores_cols),
        T("interview_result_publications", interview_result_publications_cols),
        T("recruit_lists", recruit_lists_cols),
        T("recruit_candidates", recruit_candidates_cols),
        T("recruit_steps", recruit_steps_cols),
        T("recruit_notices", recruit_notices_cols),
        T("recruit_objections", recruit_objections_cols),
        T("paper_signoffs", paper_signoffs_cols),
        T("paper_packages", paper_packages_cols),
        T("custody_events", custody_events_cols),
        T("custody_incidents", custody_incidents_cols),
        T("exam_incidents", exam_incidents_cols),
        T("exam_incident_steps", exam_incident_steps_cols),
        T("exam_incident_updates", exam_incident_updates_cols),
        T("exam_incident_files", exam_incident_files_cols),
        T("exam_incident_outcomes", exam_incident_outcomes_cols),
        T("retention_destructions", retention_destructions_cols),
        T("retention_materials", retention_materials_cols),
        T("retention_holds", retention_holds_cols),
        T("retention_video_log", retention_video_log_cols),
        T("duty_shifts", duty_shifts_cols),
        T("duty_log_entries", duty_log_entries_cols),
        T("answer_backups", answer_backups_cols),
        T("answer_backup_batches", answer_backup_batches_cols),
};
#undef T

/* The record kinds' tables (records.h), built once from their descriptions. */
#define MAX_KIND_TABLES 32
static struct table kind_tables[MAX_KIND_TABLES];
static struct col kind_cols[MAX_KIND_TABLES][40];
static size_t nkind_tables;
static pthread_once_t kinds_once = PTHREAD_ONCE_INIT;

static void build_kind_tables(void)
{
	for (int i = 0; kw_kinds[i] && nkind_tables < MAX_KIND_TABLES; i++) {
		const struct kw_kind *k = kw_kinds[i];
		int dup = 0;
		for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
			dup |= strcmp(tables[t].name, k->table) == 0;
		if (dup || k->nfields + 3 > 40)
			continue;
		struct col *c = kind_cols[nkind_tables];
		int n = 0;
		c[n++] = (struct col){"id", 'i'};
		for (int f = 0; f < k->nfields; f++) {
			enum kw_ftype ty = k->fields[f].type;
			int late = (k->fields[f].flags & KW_FF_LATE) != 0;
			int num = ty == KW_FT_INT || ty == KW_FT_BOOL || ty == KW_FT_REF;
			c[n++] = (struct col){k->fields[f].name,
			                      num ? (late ? 'I' : 'i') : (late ? 'T' : 't')};
		}
		c[n++] = (struct col){"created_at", 't'};
		if (!(k->flags & KW_KF_NO_UPDATE))
			c[n++] = (struct col){"updated_at", 't'};
		kind_tables[nkind_tables++] = (struct table){k->table, c, n};
	}
}

/* Every audited table, i = 0, 1, … until NULL. */
static const struct table *table_at(size_t i)
{
	pthread_once(&kinds_once, build_kind_tables);
	size_t n = sizeof tables / sizeof tables[0];
	if (i < n)
		return &tables[i];
	return i - n < nkind_tables ? &kind_tables[i - n] : NULL;
}

static const struct table *find_table(const char *name)
{
	const struct table *t;
	for (size_t i = 0; (t = table_at(i)); i++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

const char *kw_audit_column(const char *entity, int i, char *type)
{
	const struct table *t = find_table(entity);
	if (!t || i < 0 || i >= t->ncols)
		return NULL;
	if (type)
		*type = t->cols[i].type == 'I' || t->cols[i].type == 'i' ? 'i' : 't';
	return t->cols[i].name;
}

int kw_audit_is_table(const char *entity)
{
	return entity && find_table(entity) != NULL;
}

const char *kw_audit_table(size_t i)
{
	const struct table *t = table_at(i);
	return t ? t->name : NULL;
}

static void hex_digest(const char *data, size_t n, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)data, n, NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* "SELECT c1, c2, … FROM t" + suffix */
static char *select_sql(const struct table *t, const char *suffix)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_adds(&b, "SELECT ");
	for (int i = 0; i < t->ncols; i++)
		kw_buf_addf(&b, "%s%s", i ? ", " : "", t->cols[i].name);
	kw_buf_addf(&b, " FROM %s%s", t->name, suffix);
	return kw_buf_detach(&b, NULL);
}

/* Each table's columns in the canonical form's key order (strcmp of the names). */
#define MAX_TABLES                                                                                 \
	128 /* static tables and record kinds together; past it keys would go unsorted             \
	     */
static int key_order[MAX_TABLES][48];
static pthread_once_t order_once = PTHREAD_ONCE_INIT;
static const char *const *order_names; /* for the comparison below */

static int cmp_col(const void *a, const void *b)
{
	return strcmp(order_names[*(const int *)a], order_names[*(const int *)b]);
}

static void build_orders(void)
{
	const struct table *t;
	for (size_t i = 0; i < MAX_TABLES && (t = table_at(i)); i++) {
		const char *names[48];
		for (int c = 0; c < t->ncols && c < 48; c++) {
			names[c] = t->cols[c].name;
			key_order[i][c] = c;
		}
		order_names = names;
		qsort(key_order[i], (size_t)t->ncols, sizeof key_order[i][0], cmp_col);
	}
}

static const int *order_of(const struct table *t)
{
	pthread_once(&order_once, build_orders);
	const struct table *x;
	for (size_t i = 0; i < MAX_TABLES && (x = table_at(i)); i++)
		if (x == t)
			return key_order[i];
	return NULL;
}

/*
 * The canonical digest of the current row of s: BLAKE2b-256 of the row as a JSON object
 * with sorted keys, compact — written here directly, byte for byte as jansson's
 * json_dumps(JSON_SORT_KEYS | JSON_COMPACT) writes it (kw_json_append_string; a test
 * compares the two), since building a jansson object per row was most of a bulk import's
 * time. Text that is not UTF-8 digests as the marker string "\x01invalid-utf8".
 */
static void row_digest(const struct table *t, struct kw_stmt *s, char out[65])
{
	const int *order = order_of(t);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_add(&b, "{", 1);
	int written = 0;
	for (int k = 0; k < t->ncols; k++) {
		int i = order ? order[k] : k;
		if ((t->cols[i].type == 'I' || t->cols[i].type == 'T') &&
		    kw_stmt_column_is_null(s, i))
			continue;
		if (written++)
			kw_buf_add(&b, ",", 1);
		kw_json_append_string(&b, t->cols[i].name, strlen(t->cols[i].name));
		kw_buf_add(&b, ":", 1);
		if (kw_stmt_column_is_null(s, i)) {
			kw_buf_adds(&b, "null");
		} else if ((t->cols[i].type == 'i' || t->cols[i].type == 'I')) {
			kw_buf_addf(&b, "%lld", (long long)kw_stmt_column_int64(s, i));
		} else {
			size_t n;
			const char *txt = kw_stmt_column_text(s, i, &n);
			if (kw_utf8_valid(txt, n))
				kw_json_append_string(&b, txt, n);
			else
				kw_buf_adds(&b, "\"\\u0001invalid-utf8\"");
		}
	}
	kw_buf_add(&b, "}", 1);
	hex_digest(b.buf, b.len, out);
	kw_buf_release(&b);
}

int kw_audit_row_digest(struct kw_conn *c, const char *entity, int64_t id, char out[65],
                        int *exists, struct kw_err *err)
{
	const struct table *t = find_table(entity);
	if (!t)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "%s is not audited", entity);
	char *sql = select_sql(t, " WHERE id = $1");
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, sql, &s, err);
	free(sql);
	if (!rc)
		rc = kw_stmt_bind_int64(s, 1, id);
	if (!rc) {
		rc = kw_stmt_step(s, err);
		*exists = rc == KW_ROW;
		if (rc == KW_ROW)
			row_digest(t, s, out);
		else if (rc == KW_DONE)
			snprintf(out, 65, "deleted");
		if (rc >= 0)
			rc = 0;
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_audit_head(struct kw_conn *c, int64_t *seq, char hash[65], struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*seq = 0;
	snprintf(hash, 65, "%s", KW_AUDIT_GENESIS);
	int rc = kw_conn_prepare(c, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", &s,
	                         err);
	if (!rc) {
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			*seq = kw_stmt_column_int64(s, 0);
			snprintf(hash, 65, "%s", kw_stmt_column_text(s, 1, NULL));
		}
		if (rc >= 0)
			rc = 0;
	}
	kw_stmt_finalize(s);
	return rc;
}

/* The fields of a record, as hashed. */
struct record {
	int64_t seq;
	const char *at, *actor_kind, *actor_name, *request_id, *action, *entity, *row_digest,
	        *detail, *prev_hash;
	int64_t actor_id, entity_id;
	int has_actor_id, has_entity, has_entity_id;
};

static void record_hash(const struct record *r, char out[65])
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s, s:s?, s:s?, s:s, s:s}", "seq",
	                      (json_int_t)r->seq, "at", r->at, "actor_kind", r->actor_kind,
	                      "actor_name", r->actor_name, "request_id", r->request_id, "action",
	                      r->action, "entity", r->has_entity ? r->entity : NULL, "row_digest",
	                      r->row_digest, "detail", r->detail, "prev_hash", r->prev_hash);
	if (!o) { /* a field is not UTF-8: hash something that can never match */
		snprintf(out, 65, "%s", "invalid");
		return;
	}
	json_object_set_new(o, "actor_id",
	                    r->has_actor_id ? json_integer(r->actor_id) : json_null());
	json_object_set_new(o, "entity_id",
	                    r->has_entity_id ? json_integer(r->entity_id) : json_null());
	char *c = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	hex_digest(c, strlen(c), out);
	free(c);
	json_decref(o);
}

static int append(struct kw_tx *tx, const char *action, const char *entity, int64_t entity_id,
                  const char *digest, const json_t *detail, int batch, struct kw_err *err);

int kw_audit_append(struct kw_tx *tx, const char *action, const char *entity, int64_t entity_id,
                    const json_t *detail, struct kw_err *err)
{
	char digest[65] = "";
	int exists = 0;
	if (entity) {
		int rc = kw_audit_row_digest(tx->conn, entity, entity_id, digest, &exists, err);
		if (rc)
			return rc;
	}
	return append(tx, action, entity, entity_id, entity ? digest : NULL, detail, 0, err);
}

int kw_audit_prepare(struct kw_conn *c, const char *entity, struct kw_stmt **out,
                     struct kw_err *err, const char *fmt, ...)
{
	char ret[1024];
	*out = NULL;
	if (kw_audit_returning(entity, ret, sizeof ret))
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "%s is not audited", entity);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *sql = n < 0 ? NULL : malloc((size_t)n + 1);
	if (sql) {
		va_start(ap, fmt);
		vsnprintf(sql, (size_t)n + 1, fmt, ap);
		va_end(ap);
		kw_buf_addf(&b, "%s %s", sql, ret);
	}
	free(sql);
	int rc = b.buf ? kw_conn_prepare(c, b.buf, out, err)
	               : kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "bad statement");
	kw_buf_release(&b);
	return rc;
}

int kw_audit_returning(const char *entity, char *out, size_t n)
{
	const struct table *t = find_table(entity);
	if (!t)
		return KW_EINVAL;
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, n ? n - 1 : 0);
	int rc = kw_buf_adds(&b, "RETURNING ");
	for (int i = 0; i < t->ncols && !rc; i++)
		rc = kw_buf_addf(&b, "%s%s", i ? ", " : "", t->cols[i].name);
	if (!rc)
		snprintf(out, n, "%s", b.buf);
	kw_buf_release(&b);
	return rc;
}

int kw_audit_append_row(struct kw_tx *tx, const char *action, const char *entity,
                        struct kw_stmt *row, const json_t *detail, struct kw_err *err)
{
	const struct table *t = find_table(entity);
	if (!t || kw_stmt_column_count(row) != t->ncols)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                  "the row of %s lacks its audited columns", entity);
	char digest[65];
	row_digest(t, row, digest);
	return append(tx, action, entity, kw_stmt_column_int64(row, 0), digest, detail, 0, err);
}

int kw_audit_digest_row(const char *entity, struct kw_stmt *row, int64_t *id, char digest[65])
{
	const struct table *t = find_table(entity);
	if (!t || kw_stmt_column_count(row) < t->ncols)
		return KW_EINTERNAL;
	row_digest(t, row, digest);
	*id = kw_stmt_column_int64(row, 0);
	return 0;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct kw_batch_row *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

void kw_audit_merkle_root(const char *entity, struct kw_batch_row *rows, size_t n, char root[65])
{
	qsort(rows, n, sizeof *rows, cmp_rows);
	unsigned char(*level)[32] = kw_xcalloc(n ? n : 1, 32);
	for (size_t i = 0; i < n; i++) {
		char id[24];
		int idn = snprintf(id, sizeof id, "%lld", (long long)rows[i].id);
		crypto_generichash_state st;
		crypto_generichash_init(&st, NULL, 0, 32);
		crypto_generichash_update(&st, (const unsigned char *)"kaowu-leaf-v1", 14);
		crypto_generichash_update(&st, (const unsigned char *)entity, strlen(entity) + 1);
		crypto_generichash_update(&st, (const unsigned char *)id, (size_t)idn + 1);
		crypto_generichash_update(&st, (const unsigned char *)rows[i].digest,
		                          strlen(rows[i].digest));
		crypto_generichash_final(&st, level[i], 32);
	}
	size_t m = n;
	while (m > 1) {
		size_t k = 0;
		for (size_t i = 0; i < m; i += 2, k++) {
			if (i + 1 == m) {
				memmove(level[k], level[i], 32);
				continue;
			}
			crypto_generichash_state st;
			crypto_generichash_init(&st, NULL, 0, 32);
			crypto_generichash_update(&st, (const unsigned char *)"kaowu-node-v1", 14);
			crypto_generichash_update(&st, level[i], 32);
			crypto_generichash_update(&st, level[i + 1], 32);
			crypto_generichash_final(&st, level[k], 32);
		}
		m = k;
	}
	if (n == 0)
		crypto_generichash(level[0], 32, (const unsigned char *)"kaowu-empty-v1", 14, NULL,
		                   0);
	sodium_bin2hex(root, 65, level[0], 32);
	free(level);
}

int kw_audit_append_batch(struct kw_tx *tx, const char *action, const char *entity,
                          const struct kw_batch_row *rows, size_t n, const json_t *detail,
                          struct kw_err *err)
{
	if (!find_table(entity))
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "%s is not audited", entity);
	struct kw_batch_row *sorted = kw_xcalloc(n ? n : 1, sizeof *sorted);
	if (n)
		memcpy(sorted, rows, n * sizeof *rows);
	char root[65], digest[80];
	kw_audit_merkle_root(entity, sorted, n, root);
	snprintf(digest, sizeof digest, "merkle:%s", root);
	json_t *d = detail ? json_deep_copy(detail) : json_object();
	json_object_set_new(d, "count", json_integer((json_int_t)n));
	int rc = append(tx, action, entity, 0, digest, d, 1, err);
	json_decref(d);
	/* The leaves, BATCH_VALUES rows per statement (a statement per row costs most of an
	 * import's time). */
	enum { BATCH_VALUES = 100 };
	struct kw_stmt *many = NULL, *one = NULL;
	if (!rc && n >= BATCH_VALUES) {
		struct kw_buf b = KW_BUF_INIT;
		kw_buf_init(&b, 0);
		kw_buf_adds(&b, "INSERT INTO audit_batch_rows (seq, entity_id, digest) VALUES ");
		for (int i = 0; i < BATCH_VALUES; i++)
			kw_buf_addf(&b, "%s($%d, $%d, $%d)", i ? ", " : "", 3 * i + 1, 3 * i + 2,
			            3 * i + 3);
		rc = kw_conn_prepare(tx->conn, b.buf, &many, err);
		kw_buf_release(&b);
	}
	size_t i = 0;
	for (; !rc && i + BATCH_VALUES <= n; i += BATCH_VALUES) {
		kw_stmt_reset(many);
		for (int k = 0; k < BATCH_VALUES; k++) {
			kw_stmt_bind_int64(many, 3 * k + 1, tx->seq);
			kw_stmt_bind_int64(many, 3 * k + 2, sorted[i + (size_t)k].id);
			kw_stmt_bind_textz(many, 3 * k + 3, sorted[i + (size_t)k].digest);
		}
		rc = kw_stmt_step(many, err);
		if (rc == KW_DONE)
			rc = 0;
	}
	if (!rc && i < n)
		rc = kw_conn_prepare(tx->conn,
		                     "INSERT INTO audit_batch_rows (seq, entity_id, digest) "
		                     "VALUES ($1, $2, $3)",
		                     &one, err);
	for (; i < n && !rc; i++) {
		kw_stmt_reset(one);
		kw_stmt_bind_int64(one, 1, tx->seq);
		kw_stmt_bind_int64(one, 2, sorted[i].id);
		kw_stmt_bind_textz(one, 3, sorted[i].digest);
		rc = kw_stmt_step(one, err);
		if (rc == KW_DONE)
			rc = 0;
	}
	kw_stmt_finalize(many);
	kw_stmt_finalize(one);
	free(sorted);
	return rc;
}

static int append(struct kw_tx *tx, const char *action, const char *entity, int64_t entity_id,
                  const char *digest, const json_t *detail, int batch, struct kw_err *err)
{
	int rc = 0;
	char at[32];
	kw_clock_format(tx->now_us, at);
	char *det = detail ? json_dumps(detail, JSON_SORT_KEYS | JSON_COMPACT) : kw_xstrdup("{}");
	const struct kw_actor *a = tx->actor;
	struct record r = {
	        .seq = tx->seq + 1,
	        .at = at,
	        .actor_kind = a->kind,
	        .actor_name = a->name[0] ? a->name : NULL,
	        .request_id = a->request_id[0] ? a->request_id : NULL,
	        .action = action,
	        .entity = entity,
	        .row_digest = entity ? digest : NULL,
	        .detail = det,
	        .prev_hash = tx->head,
	        .actor_id = a->id,
	        .entity_id = entity_id,
	        .has_actor_id = a->id != 0,
	        .has_entity = entity != NULL,
	        .has_entity_id = entity != NULL && !batch,
	};
	char hash[65];
	record_hash(&r, hash);
	struct kw_stmt *s = NULL;
	rc = kw_conn_prepare(
	        tx->conn,
	        "INSERT INTO audit_log (seq, at, actor_kind, actor_id, actor_name, "
	        "request_id, action, entity, entity_id, row_digest, detail, prev_hash, "
	        "hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, r.seq);
		kw_stmt_bind_textz(s, 2, r.at);
		kw_stmt_bind_textz(s, 3, r.actor_kind);
		if (r.has_actor_id)
			kw_stmt_bind_int64(s, 4, r.actor_id);
		else
			kw_stmt_bind_null(s, 4);
		kw_stmt_bind_textz(s, 5, r.actor_name);
		kw_stmt_bind_textz(s, 6, r.request_id);
		kw_stmt_bind_textz(s, 7, r.action);
		kw_stmt_bind_textz(s, 8, entity);
		if (r.has_entity_id)
			kw_stmt_bind_int64(s, 9, entity_id);
		else
			kw_stmt_bind_null(s, 9);
		kw_stmt_bind_textz(s, 10, r.row_digest);
		kw_stmt_bind_textz(s, 11, det);
		kw_stmt_bind_textz(s, 12, tx->head);
		kw_stmt_bind_textz(s, 13, hash);
		rc = kw_stmt_step(s, err);
		if (rc == KW_DONE)
			rc = 0;
	}
	kw_stmt_finalize(s);
	free(det);
	if (!rc) {
		tx->seq = r.seq;
		memcpy(tx->head, hash, 65);
		tx->appended++;
	}
	return rc;
}

/* ---- the key ---- */

struct kw_audit_key {
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	char id[17];
	char *path;
};

static void key_id(const unsigned char *pk, char id[17])
{
	unsigned char h[8];
	crypto_generichash(h, sizeof h, pk, crypto_sign_PUBLICKEYBYTES, NULL, 0);
	sodium_bin2hex(id, 17, h, sizeof h);
}

int kw_audit_key_create(const char *path, struct kw_err *err)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	if (sodium_init() < 0 || crypto_sign_keypair(pk, sk) != 0)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "cannot make a key");
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		int rc = kw_err_set(err, KW_EINVAL, "AUDIT_KEY_UNUSABLE", NULL,
		                    "cannot create the audit key %s (it may exist already)", path);
		kw_err_detail(err, "path", json_string(path));
		return rc;
	}
	char hex[2 * crypto_sign_SECRETKEYBYTES + 1];
	sodium_bin2hex(hex, sizeof hex, sk, sizeof sk);
	sodium_memzero(sk, sizeof sk);
	char line[300];
	int n = snprintf(line, sizeof line, "kaowu-audit-key-v1 %s\n", hex);
	sodium_memzero(hex, sizeof hex);
	int ok = write(fd, line, (size_t)n) == n && fsync(fd) == 0;
	sodium_memzero(line, sizeof line);
	ok = close(fd) == 0 && ok;
	if (!ok) {
		unlink(path);
		return kw_err_set(err, KW_EINVAL, "AUDIT_KEY_UNUSABLE", NULL, "cannot write %s",
		                  path);
	}
	return 0;
}

void kw_audit_key_derive(const struct kw_audit_key *k, const char *purpose, unsigned char pk[32],
                         unsigned char sk[64])
{
	unsigned char seed[crypto_sign_SEEDBYTES];
	crypto_generichash(seed, sizeof seed, (const unsigned char *)purpose, strlen(purpose),
	                   k->sk, crypto_sign_SEEDBYTES);
	crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof seed);
}

int kw_audit_key_load(const char *path, struct kw_audit_key **out, struct kw_err *err)
{
	FILE *f = fopen(path, "r");
	char line[400] = "";
	int ok = f && fgets(line, sizeof line, f) != NULL;
	if (f)
		fclose(f);
	struct kw_audit_key *k = kw_xcalloc(1, sizeof *k);
	size_t bin = 0;
	const char *pfx = "kaowu-audit-key-v1 ";
	ok = ok && strncmp(line, pfx, strlen(pfx)) == 0 &&
	     sodium_hex2bin(k->sk, sizeof k->sk, line + strlen(pfx), strlen(line + strlen(pfx)),
	                    "\n", &bin, NULL) == 0 &&
	     bin == sizeof k->sk && crypto_sign_ed25519_sk_to_pk(k->pk, k->sk) == 0;
	sodium_memzero(line, sizeof line);
	if (!ok) {
		kw_audit_key_free(k);
		int rc = kw_err_set(err, KW_EINVAL, "AUDIT_KEY_UNUSABLE", NULL,
		                    "cannot read the audit key %s", path);
		kw_err_detail(err, "path", json_string(path));
		return rc;
	}
	key_id(k->pk, k->id);
	k->path = kw_xstrdup(path);
	*out = k;
	return 0;
}

void kw_audit_key_free(struct kw_audit_key *k)
{
	if (!k)
		return;
	free(k->path);
	sodium_memzero(k, sizeof *k);
	free(k);
}

static void checkpoint_message(int64_t seq, const char hash[65], char *msg, size_t n)
{
	snprintf(msg, n, "kaowu-audit-v1 %lld %s", (long long)seq, hash);
}

int kw_audit_checkpoint(struct kw_conn *c, const struct kw_audit_key *k, int64_t seq,
                        const char hash[65], int64_t now_us, struct kw_err *err)
{
	char msg[128], at[32], sig_hex[2 * crypto_sign_BYTES + 1];
	unsigned char sig[crypto_sign_BYTES];
	checkpoint_message(seq, hash, msg, sizeof msg);
	if (crypto_sign_detached(sig, NULL, (const unsigned char *)msg, strlen(msg), k->sk) != 0)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "signing failed");
	sodium_bin2hex(sig_hex, sizeof sig_hex, sig, sizeof sig);
	kw_clock_format(now_us, at);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c,
	                         "INSERT INTO audit_checkpoints (seq, hash, at, key_id, signature) "
	                         "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (seq) DO NOTHING",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, seq);
		kw_stmt_bind_textz(s, 2, hash);
		kw_stmt_bind_textz(s, 3, at);
		kw_stmt_bind_textz(s, 4, k->id);
		kw_stmt_bind_textz(s, 5, sig_hex);
		rc = kw_stmt_step(s, err);
		if (rc == KW_DONE)
			rc = 0;
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_audit_head_file_write(const struct kw_audit_key *k, int64_t seq, const char hash[65])
{
	char path[4200], tmp[4300], msg[128], sig_hex[2 * crypto_sign_BYTES + 1];
	unsigned char sig[crypto_sign_BYTES];
	snprintf(path, sizeof path, "%s.head", k->path);
	snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, (int)getpid());
	checkpoint_message(seq, hash, msg, sizeof msg);
	if (crypto_sign_detached(sig, NULL, (const unsigned char *)msg, strlen(msg), k->sk) != 0)
		return KW_EINTERNAL;
	sodium_bin2hex(sig_hex, sizeof sig_hex, sig, sizeof sig);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return KW_EINVAL;
	int ok = fprintf(f, "%lld %s %s\n", (long long)seq, hash, sig_hex) > 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return KW_EINVAL;
	}
	return 0;
}

static int sig_ok(const struct kw_audit_key *k, int64_t seq, const char *hash, const char *sig_hex)
{
	char msg[128];
	unsigned char sig[crypto_sign_BYTES];
	size_t bin = 0;
	if (sodium_hex2bin(sig, sizeof sig, sig_hex, strlen(sig_hex), NULL, &bin, NULL) != 0 ||
	    bin != sizeof sig)
		return 0;
	checkpoint_message(seq, hash, msg, sizeof msg);
	return crypto_sign_verify_detached(sig, (const unsigned char *)msg, strlen(msg), k->pk) ==
	       0;
}

/* ---- verification ---- */

/* Latest digest per (entity, id), from the walk of the chain. */
struct latest {
	char *entity;
	int64_t id;
	char digest[65];
	int64_t seq;
	int seen; /* matched a row */
};

struct latest_map {
	struct latest *v;
	size_t n, alloc;
};

static struct latest *map_find(struct latest_map *m, const char *entity, int64_t id, int create)
{
	/* Linear probing over an open-addressed table keyed by (entity, id). */
	if (create && (m->n + 1) * 2 > m->alloc) {
		size_t na = m->alloc ? m->alloc * 2 : 1024;
		struct latest *nv = kw_xcalloc(na, sizeof *nv);
		for (size_t i = 0; i < m->alloc; i++) {
			if (!m->v[i].entity)
				continue;
			uint64_t h = (uint64_t)m->v[i].id * 0x9E3779B97F4A7C15ull ^
			             (uint64_t)m->v[i].entity[0];
			size_t j = h & (na - 1);
			while (nv[j].entity)
				j = (j + 1) & (na - 1);
			nv[j] = m->v[i];
		}
		free(m->v);
		m->v = nv;
		m->alloc = na;
	}
	if (!m->alloc)
		return NULL;
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull ^ (uint64_t)entity[0];
	size_t j = h & (m->alloc - 1);
	while (m->v[j].entity) {
		if (m->v[j].id == id && strcmp(m->v[j].entity, entity) == 0)
			return &m->v[j];
		j = (j + 1) & (m->alloc - 1);
	}
	if (!create)
		return NULL;
	m->v[j].entity = kw_xstrdup(entity);
	m->v[j].id = id;
	m->n++;
	return &m->v[j];
}

static void map_free(struct latest_map *m)
{
	for (size_t i = 0; i < m->alloc; i++)
		free(m->v[i].entity);
	free(m->v);
}

static int broken(struct kw_audit_report *rep, struct kw_err *err, int64_t seq, const char *fmt,
                  ...) __attribute__((format(printf, 4, 5)));

static int broken(struct kw_audit_report *rep, struct kw_err *err, int64_t seq, const char *fmt,
                  ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rep->problem, sizeof rep->problem, fmt, ap);
	va_end(ap);
	rep->bad_seq = seq;
	int rc = kw_err_set(err, KW_ECONFLICT, "AUDIT_BROKEN", "INF-5", "%s", rep->problem);
	kw_err_detail(err, "problem", json_string(rep->problem));
	if (seq)
		kw_err_detail(err, "seq", json_integer(seq));
	return rc;
}

static const char *col(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? NULL : kw_stmt_column_text(s, i, NULL);
}

/* A batch record: recompute its root from audit_batch_rows and note each row's digest. */
static int walk_batch(struct kw_conn *c, struct latest_map *map, const struct record *r,
                      struct kw_audit_report *rep, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	struct kw_batch_row *rows = NULL;
	size_t n = 0, alloc = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT entity_id, digest FROM audit_batch_rows WHERE seq = $1 "
	                         "ORDER BY entity_id",
	                         &s, err);
	if (!rc)
		rc = kw_stmt_bind_int64(s, 1, r->seq);
	while (!rc && (rc = kw_stmt_step(s, err)) == KW_ROW) {
		rc = 0;
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			rows = kw_xrealloc(rows, alloc * sizeof *rows);
		}
		rows[n].id = kw_stmt_column_int64(s, 0);
		snprintf(rows[n].digest, sizeof rows[n].digest, "%s",
		         kw_stmt_column_text(s, 1, NULL));
		n++;
	}
	if (rc == KW_DONE)
		rc = 0;
	kw_stmt_finalize(s);
	if (!rc) {
		char root[65], want[80];
		kw_audit_merkle_root(r->entity, rows, n, root);
		snprintf(want, sizeof want, "merkle:%s", root);
		if (!r->row_digest || strcmp(want, r->row_digest) != 0)
			rc = broken(
			        rep, err, r->seq,
			        "the rows of batch record %lld were edited (their Merkle root does "
			        "not match)",
			        (long long)r->seq);
	}
	for (size_t i = 0; i < n && !rc; i++) {
		struct latest *l = map_find(map, r->entity, rows[i].id, 1);
		snprintf(l->digest, sizeof l->digest, "%s", rows[i].digest);
		l->seq = r->seq;
	}
	free(rows);
	return rc;
}

static int walk_chain(struct kw_conn *c, struct latest_map *map, struct kw_audit_report *rep,
                      char head[65], struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT seq, at, actor_kind, actor_id, actor_name, request_id, "
	                         "action, entity, entity_id, row_digest, detail, prev_hash, hash "
	                         "FROM audit_log ORDER BY seq",
	                         &s, err);
	if (rc)
		return rc;
	char prev[65] = KW_AUDIT_GENESIS;
	int64_t expect = 1;
	while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
		struct record r = {
		        .seq = kw_stmt_column_int64(s, 0),
		        .at = col(s, 1),
		        .actor_kind = col(s, 2),
		        .actor_id = kw_stmt_column_int64(s, 3),
		        .has_actor_id = !kw_stmt_column_is_null(s, 3),
		        .actor_name = col(s, 4),
		        .request_id = col(s, 5),
		        .action = col(s, 6),
		        .entity = col(s, 7),
		        .entity_id = kw_stmt_column_int64(s, 8),
		        .has_entity = !kw_stmt_column_is_null(s, 7),
		        .has_entity_id = !kw_stmt_column_is_null(s, 8),
		        .row_digest = col(s, 9),
		        .detail = col(s, 10),
		        .prev_hash = col(s, 11),
		};
		const char *stored = col(s, 12);
		if (r.seq != expect) {
			rc = broken(rep, err, expect,
			            "audit record %lld is missing (the next is %lld): deleted or "
			            "renumbered",
			            (long long)expect, (long long)r.seq);
			break;
		}
		if (!r.prev_hash || strcmp(r.prev_hash, prev) != 0) {
			rc = broken(rep, err, r.seq,
			            "audit record %lld does not follow record %lld: reordered or "
			            "replaced",
			            (long long)r.seq, (long long)r.seq - 1);
			break;
		}
		char h[65];
		if (!r.at || !r.actor_kind || !r.action || !r.detail) {
			snprintf(h, sizeof h, "null");
		} else {
			record_hash(&r, h);
		}
		if (!stored || strcmp(h, stored) != 0) {
			rc = broken(rep, err, r.seq,
			            "audit record %lld was edited (its hash does not match)",
			            (long long)r.seq);
			break;
		}
		if (r.has_entity && !r.has_entity_id && kw_audit_is_table(r.entity)) {
			rc = walk_batch(c, map, &r, rep, err);
			if (rc)
				break;
		} else if (r.has_entity && kw_audit_is_table(r.entity)) {
			struct latest *l = map_find(map, r.entity, r.entity_id, 1);
			snprintf(l->digest, sizeof l->digest, "%s",
			         r.row_digest ? r.row_digest : "");
			l->seq = r.seq;
		}
		memcpy(prev, stored, 65);
		rep->records++;
		expect++;
	}
	kw_stmt_finalize(s);
	if (rc == KW_DONE)
		rc = 0;
	memcpy(head, prev, 65);
	return rc;
}

static int check_rows(struct kw_conn *c, struct latest_map *map, struct kw_audit_report *rep,
                      struct kw_err *err)
{
	int rc = 0;
	const struct table *tb;
	for (size_t t = 0; !rc && (tb = table_at(t)); t++) {
		char *sql = select_sql(tb, " ORDER BY id");
		struct kw_stmt *s = NULL;
		rc = kw_conn_prepare(c, sql, &s, err);
		free(sql);
		while (!rc && (rc = kw_stmt_step(s, err)) == KW_ROW) {
			rc = 0;
			int64_t id = kw_stmt_column_int64(s, 0);
			char d[65];
			row_digest(tb, s, d);
			struct latest *l = map_find(map, tb->name, id, 0);
			if (!l) {
				rc = broken(rep, err, 0,
				            "%s row %lld has no audit record: written behind the "
				            "program's "
				            "back",
				            tb->name, (long long)id);
			} else if (strcmp(l->digest, d) != 0) {
				rc = broken(rep, err, 0,
				            "%s row %lld differs from audit record %lld: changed "
				            "behind the "
				            "program's back",
				            tb->name, (long long)id, (long long)l->seq);
			} else {
				l->seen = 1;
				rep->rows++;
			}
		}
		if (rc == KW_DONE)
			rc = 0;
		kw_stmt_finalize(s);
	}
	for (size_t i = 0; i < map->alloc && !rc; i++) {
		struct latest *l = &map->v[i];
		if (l->entity && !l->seen && strcmp(l->digest, "deleted") != 0)
			rc = broken(rep, err, 0,
			            "%s row %lld is gone, but audit record %lld says it exists: "
			            "deleted "
			            "behind the program's back",
			            l->entity, (long long)l->id, (long long)l->seq);
	}
	return rc;
}

/* The chain's hash at seq, or "" when the chain is shorter. */
static int hash_at(struct kw_conn *c, int64_t seq, char out[65], struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	out[0] = '\0';
	int rc = kw_conn_prepare(c, "SELECT hash FROM audit_log WHERE seq = $1", &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, seq);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			snprintf(out, 65, "%s", kw_stmt_column_text(s, 0, NULL));
		if (rc >= 0)
			rc = 0;
	}
	kw_stmt_finalize(s);
	return rc;
}

static int check_checkpoints(struct kw_conn *c, const struct kw_audit_key *k, int64_t tail,
                             struct kw_audit_report *rep, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT seq, hash, key_id, signature FROM audit_checkpoints "
	                         "ORDER BY seq",
	                         &s, err);
	while (!rc && (rc = kw_stmt_step(s, err)) == KW_ROW) {
		rc = 0;
		int64_t seq = kw_stmt_column_int64(s, 0);
		char hash[65], at[65];
		snprintf(hash, sizeof hash, "%s", kw_stmt_column_text(s, 1, NULL));
		const char *kid = kw_stmt_column_text(s, 2, NULL);
		if (strcmp(kid, k->id) != 0)
			continue; /* signed by another key (another server of the cluster) */
		if (!sig_ok(k, seq, hash, kw_stmt_column_text(s, 3, NULL))) {
			rc = broken(rep, err, seq,
			            "the checkpoint at record %lld has a bad signature",
			            (long long)seq);
			break;
		}
		if (seq > tail) {
			rc = broken(
			        rep, err, tail + 1,
			        "a signed checkpoint names record %lld but the chain ends at %lld: "
			        "the tail was cut",
			        (long long)seq, (long long)tail);
			break;
		}
		rc = hash_at(c, seq, at, err);
		if (!rc && strcmp(at, hash) != 0)
			rc = broken(rep, err, seq,
			            "audit record %lld differs from its signed checkpoint",
			            (long long)seq);
		rep->checkpoints++;
	}
	if (rc == KW_DONE)
		rc = 0;
	kw_stmt_finalize(s);
	if (rc)
		return rc;

	/* The head file outside the database: the chain must reach it. */
	char path[4200], line[300];
	snprintf(path, sizeof path, "%s.head", k->path);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0; /* no batch written with this key yet */
	int got = fgets(line, sizeof line, f) != NULL;
	fclose(f);
	long long seq = 0;
	char hash[65] = "", sig[200] = "";
	if (!got || sscanf(line, "%lld %64s %199s", &seq, hash, sig) != 3 ||
	    !sig_ok(k, seq, hash, sig))
		return broken(rep, err, 0, "the head file %s is damaged or not signed by this key",
		              path);
	if (seq > tail)
		return broken(
		        rep, err, tail + 1,
		        "the head file names record %lld but the chain ends at %lld: the tail "
		        "was cut",
		        seq, (long long)tail);
	char at[65];
	rc = hash_at(c, seq, at, err);
	if (!rc && strcmp(at, hash) != 0)
		rc = broken(rep, err, seq, "audit record %lld differs from the head file", seq);
	return rc;
}

int kw_audit_verify(struct kw_conn *c, const struct kw_audit_key *k, struct kw_audit_report *rep,
                    struct kw_err *err)
{
	memset(rep, 0, sizeof *rep);
	struct latest_map map = {0};
	char head[65];
	int rc = walk_chain(c, &map, rep, head, err);
	if (!rc)
		rc = check_rows(c, &map, rep, err);
	if (!rc && k)
		rc = check_checkpoints(c, k, rep->records, rep, err);
	map_free(&map);
	return rc;
}

void kw_audit_key_path(const char *url, char *out, size_t n)
{
	if (strncmp(url, "sqlite:", 7) == 0) {
		snprintf(out, n, "%s.audit-key", url + 7);
		return;
	}
	const char *env = getenv("KAOWU_AUDIT_KEY");
	snprintf(out, n, "%s", env && *env ? env : "kaowu-audit.key");
}

int kw_audit_step(struct kw_tx *tx, const char *action, const char *entity, struct kw_stmt *s,
                  json_t *detail, struct kw_err *err)
{
	int rc = kw_stmt_step(s, err);
	if (rc == KW_ROW)
		rc = kw_audit_append_row(tx, action, entity, s, detail, err);
	else if (rc == KW_DONE)
		rc = 1;
	json_decref(detail);
	return rc;
}

int kw_audit_put(struct kw_tx *tx, struct kw_err *err, const char *entity, const char *action,
                 json_t *detail, int64_t *id, const char *sql, const char *types, ...)
{
	struct kw_stmt *s = NULL;
	int rc = kw_audit_prepare(tx->conn, entity, &s, err, "%s", sql);
	va_list ap;
	va_start(ap, types);
	for (int i = 0; !rc && types[i]; i++) {
		if (types[i] == 't') {
			kw_stmt_bind_textz(s, i + 1, va_arg(ap, const char *));
		} else {
			int64_t v = va_arg(ap, int64_t);
			if (types[i] == 'n' && !v)
				kw_stmt_bind_null(s, i + 1);
			else
				kw_stmt_bind_int64(s, i + 1, v);
		}
	}
	va_end(ap);
	if (!rc)
		rc = kw_stmt_step(s, err);
	if (rc == KW_ROW) {
		if (id)
			*id = kw_stmt_column_int64(s, 0);
		rc = kw_audit_append_row(tx, action, entity, s, detail, err);
	} else if (rc == KW_DONE) {
		rc = 0;
	}
	json_decref(detail);
	kw_stmt_finalize(s);
	return rc;
}
