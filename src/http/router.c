#include <stdlib.h>
#include <string.h>

#include "http/http.h"

/*
 * Every endpoint, once. The OpenAPI document (openapi.json) must list each of these;
 * tests/unit/test_openapi.c fails when one is missing, or when it lists one that is not
 * here.
 */
/* clang-format off */
const struct kw_route kw_routes[] = {
	{ "GET", "/api/v1/health", kw_h_health, KW_ROUTE_PUBLIC, "health.read" },
	{ "GET", "/api/v1/openapi.json", kw_h_openapi, KW_ROUTE_PUBLIC, "openapi.read" },
	{ "POST", "/api/v1/session", kw_h_session_create, KW_ROUTE_PUBLIC | KW_ROUTE_JSON_BODY, "session.create" },
	{ "DELETE", "/api/v1/session", kw_h_session_delete, 0, "session.delete" },
	{ "GET", "/api/v1/me", kw_h_me, 0, "me.read" },
	{ "POST", "/api/v1/users", kw_h_users_create, KW_ROUTE_JSON_BODY, "user.create" },
	{ "GET", "/api/v1/users", kw_h_users_list, 0, "user.list" },
	{ "POST", "/api/v1/users/{id}/roles", kw_h_roles_request, KW_ROUTE_JSON_BODY, "grant.request" },
	{ "POST", "/api/v1/units", kw_h_units_create, KW_ROUTE_JSON_BODY, "unit.create" },
	{ "GET", "/api/v1/units", kw_h_units_list, 0, "unit.list" },
	{ "GET", "/api/v1/approvals", kw_h_approvals_list, 0, "approval.list" },
	{ "POST", "/api/v1/approvals/{id}/approve", kw_h_approval_approve, 0, "approval.decide" },
	{ "POST", "/api/v1/approvals/{id}/reject", kw_h_approval_reject, KW_ROUTE_JSON_BODY, "approval.decide" },
	{ "GET", "/api/v1/audit", kw_h_audit_list, 0, "audit.read" },
	{ "GET", "/api/v1/registers", kw_h_registers, 0, "registers.read" },
	{ "POST", "/api/v1/units/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "unit.create" },
	{ "GET", "/api/v1/units/{id}/history", kw_h_rec_history, 0, "unit.history" },
	{ "GET", "/api/v1/unit_responsibles", kw_h_rec_list, 0, "org.read" },
	{ "POST", "/api/v1/unit_responsibles", kw_h_rec_create, KW_ROUTE_JSON_BODY, "org.write" },
	{ "POST", "/api/v1/unit_responsibles/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "org.write" },
	{ "GET", "/api/v1/unit_responsibles/{id}", kw_h_rec_get, 0, "org.read" },
	{ "PATCH", "/api/v1/unit_responsibles/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "org.write" },
	{ "GET", "/api/v1/unit_responsibles/{id}/history", kw_h_rec_history, 0, "org.read" },
	{ "GET", "/api/v1/plans", kw_h_rec_list, 0, "org.read" },
	{ "POST", "/api/v1/plans", kw_h_rec_create, KW_ROUTE_JSON_BODY, "org.write" },
	{ "POST", "/api/v1/plans/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "org.write" },
	{ "GET", "/api/v1/plans/{id}", kw_h_rec_get, 0, "org.read" },
	{ "PATCH", "/api/v1/plans/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "org.write" },
	{ "GET", "/api/v1/plans/{id}/history", kw_h_rec_history, 0, "org.read" },
	{ "GET", "/api/v1/centres", kw_h_rec_list, 0, "venue.read" },
	{ "POST", "/api/v1/centres", kw_h_rec_create, KW_ROUTE_JSON_BODY, "venue.write" },
	{ "POST", "/api/v1/centres/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "venue.write" },
	{ "GET", "/api/v1/centres/{id}", kw_h_rec_get, 0, "venue.read" },
	{ "PATCH", "/api/v1/centres/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "venue.write" },
	{ "GET", "/api/v1/centres/{id}/history", kw_h_rec_history, 0, "venue.read" },
	{ "GET", "/api/v1/centres/{id}/suitability", kw_h_centre_suitability, 0, "venue.read" },
	{ "GET", "/api/v1/rooms", kw_h_rec_list, 0, "venue.read" },
	{ "POST", "/api/v1/rooms", kw_h_rec_create, KW_ROUTE_JSON_BODY, "venue.write" },
	{ "POST", "/api/v1/rooms/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "venue.write" },
	{ "GET", "/api/v1/rooms/{id}", kw_h_rec_get, 0, "venue.read" },
	{ "PATCH", "/api/v1/rooms/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "venue.write" },
	{ "GET", "/api/v1/rooms/{id}/history", kw_h_rec_history, 0, "venue.read" },
	{ "GET", "/api/v1/centre_agreements", kw_h_rec_list, 0, "venue.read" },
	{ "POST", "/api/v1/centre_agreements", kw_h_rec_create, KW_ROUTE_JSON_BODY, "venue.write" },
	{ "POST", "/api/v1/centre_agreements/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "venue.write" },
	{ "GET", "/api/v1/centre_agreements/{id}", kw_h_rec_get, 0, "venue.read" },
	{ "PATCH", "/api/v1/centre_agreements/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "venue.write" },
	{ "GET", "/api/v1/centre_agreements/{id}/history", kw_h_rec_history, 0, "venue.read" },
	{ "GET", "/api/v1/inspections", kw_h_rec_list, 0, "venue.read" },
	{ "POST", "/api/v1/inspections", kw_h_rec_create, KW_ROUTE_JSON_BODY, "venue.write" },
	{ "POST", "/api/v1/inspections/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "venue.write" },
	{ "GET", "/api/v1/inspections/{id}", kw_h_rec_get, 0, "venue.read" },
	{ "PATCH", "/api/v1/inspections/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "venue.write" },
	{ "GET", "/api/v1/inspections/{id}/history", kw_h_rec_history, 0, "venue.read" },
	{ "GET", "/api/v1/layout_items", kw_h_rec_list, 0, "venue.read" },
	{ "POST", "/api/v1/layout_items", kw_h_rec_create, KW_ROUTE_JSON_BODY, "venue.write" },
	{ "POST", "/api/v1/layout_items/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "venue.write" },
	{ "GET", "/api/v1/layout_items/{id}", kw_h_rec_get, 0, "venue.read" },
	{ "PATCH", "/api/v1/layout_items/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "venue.write" },
	{ "GET", "/api/v1/layout_items/{id}/history", kw_h_rec_history, 0, "venue.read" },
	{ "GET", "/api/v1/incidents", kw_h_rec_list, 0, "venue.read" },
	{ "POST", "/api/v1/incidents", kw_h_rec_create, KW_ROUTE_JSON_BODY, "venue.write" },
	{ "POST", "/api/v1/incidents/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "venue.write" },
	{ "GET", "/api/v1/incidents/{id}", kw_h_rec_get, 0, "venue.read" },
	{ "PATCH", "/api/v1/incidents/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "venue.write" },
	{ "GET", "/api/v1/incidents/{id}/history", kw_h_rec_history, 0, "venue.read" },
	{ "GET", "/api/v1/staff", kw_h_rec_list, 0, "staff.read" },
	{ "POST", "/api/v1/staff", kw_h_rec_create, KW_ROUTE_JSON_BODY, "staff.write" },
	{ "POST", "/api/v1/staff/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "staff.write" },
	{ "GET", "/api/v1/staff/{id}", kw_h_rec_get, 0, "staff.read" },
	{ "PATCH", "/api/v1/staff/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "staff.write" },
	{ "GET", "/api/v1/staff/{id}/history", kw_h_rec_history, 0, "staff.read" },
	{ "GET", "/api/v1/trainings", kw_h_rec_list, 0, "staff.read" },
	{ "POST", "/api/v1/trainings", kw_h_rec_create, KW_ROUTE_JSON_BODY, "staff.write" },
	{ "POST", "/api/v1/trainings/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "staff.write" },
	{ "GET", "/api/v1/trainings/{id}", kw_h_rec_get, 0, "staff.read" },
	{ "PATCH", "/api/v1/trainings/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "staff.write" },
	{ "GET", "/api/v1/trainings/{id}/history", kw_h_rec_history, 0, "staff.read" },
	{ "GET", "/api/v1/staff_relations", kw_h_rec_list, 0, "staff.read" },
	{ "POST", "/api/v1/staff_relations", kw_h_rec_create, KW_ROUTE_JSON_BODY, "staff.write" },
	{ "POST", "/api/v1/staff_relations/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "staff.write" },
	{ "GET", "/api/v1/staff_relations/{id}", kw_h_rec_get, 0, "staff.read" },
	{ "PATCH", "/api/v1/staff_relations/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "staff.write" },
	{ "GET", "/api/v1/staff_relations/{id}/history", kw_h_rec_history, 0, "staff.read" },
	{ "GET", "/api/v1/exams", kw_h_rec_list, 0, "exam.read" },
	{ "POST", "/api/v1/exams", kw_h_rec_create, KW_ROUTE_JSON_BODY, "exam.write" },
	{ "POST", "/api/v1/exams/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "exam.write" },
	{ "GET", "/api/v1/exams/{id}", kw_h_rec_get, 0, "exam.read" },
	{ "PATCH", "/api/v1/exams/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "exam.write" },
	{ "GET", "/api/v1/exams/{id}/history", kw_h_rec_history, 0, "exam.read" },
	{ "GET", "/api/v1/subjects", kw_h_rec_list, 0, "exam.read" },
	{ "POST", "/api/v1/subjects", kw_h_rec_create, KW_ROUTE_JSON_BODY, "exam.write" },
	{ "POST", "/api/v1/subjects/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "exam.write" },
	{ "GET", "/api/v1/subjects/{id}", kw_h_rec_get, 0, "exam.read" },
	{ "PATCH", "/api/v1/subjects/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "exam.write" },
	{ "GET", "/api/v1/subjects/{id}/history", kw_h_rec_history, 0, "exam.read" },
	{ "GET", "/api/v1/positions", kw_h_rec_list, 0, "position.read" },
	{ "POST", "/api/v1/positions", kw_h_rec_create, KW_ROUTE_JSON_BODY, "position.write" },
	{ "POST", "/api/v1/positions/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "position.write" },
	{ "GET", "/api/v1/positions/{id}", kw_h_rec_get, 0, "position.read" },
	{ "PATCH", "/api/v1/positions/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "position.write" },
	{ "GET", "/api/v1/positions/{id}/history", kw_h_rec_history, 0, "position.read" },
	{ "GET", "/api/v1/staff_cases", kw_h_rec_list, 0, "staff_case.read" },
	{ "POST", "/api/v1/staff_cases", kw_h_rec_create, KW_ROUTE_JSON_BODY, "staff_case.write" },
	{ "POST", "/api/v1/staff_cases/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "staff_case.write" },
	{ "GET", "/api/v1/staff_cases/{id}", kw_h_rec_get, 0, "staff_case.read" },
	{ "PATCH", "/api/v1/staff_cases/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "staff_case.write" },
	{ "GET", "/api/v1/staff_cases/{id}/history", kw_h_rec_history, 0, "staff_case.read" },
	{ "GET", "/api/v1/reports", kw_h_rec_list, 0, "report.read" },
	{ "POST", "/api/v1/reports", kw_h_rec_create, KW_ROUTE_JSON_BODY, "report.write" },
	{ "POST", "/api/v1/reports/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "report.write" },
	{ "GET", "/api/v1/reports/{id}", kw_h_rec_get, 0, "report.read" },
	{ "PATCH", "/api/v1/reports/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "report.write" },
	{ "GET", "/api/v1/reports/{id}/history", kw_h_rec_history, 0, "report.read" },
	{ "GET", "/api/v1/archive_entries", kw_h_rec_list, 0, "archive.read" },
	{ "POST", "/api/v1/archive_entries", kw_h_rec_create, KW_ROUTE_JSON_BODY, "archive.write" },
	{ "POST", "/api/v1/archive_entries/import", kw_h_rec_import, KW_ROUTE_CSV_BODY, "archive.write" },
	{ "GET", "/api/v1/archive_entries/{id}", kw_h_rec_get, 0, "archive.read" },
	{ "PATCH", "/api/v1/archive_entries/{id}", kw_h_rec_update, KW_ROUTE_JSON_BODY, "archive.write" },
	{ "GET", "/api/v1/archive_entries/{id}/history", kw_h_rec_history, 0, "archive.read" },
	{ "GET", "/api/v1/archive_shares", kw_h_archive_shares_list, 0, "archive.read" },
	{ "POST", "/api/v1/archive_shares/export", kw_h_archive_export, KW_ROUTE_JSON_BODY, "archive.share" },
	{ "POST", "/api/v1/candidates", kw_h_candidates_create, KW_ROUTE_PUBLIC | KW_ROUTE_JSON_BODY, "candidate.create" },
	{ "GET", "/api/v1/candidates/me", kw_h_candidate_me, 0, "candidate.self" },
	{ "PATCH", "/api/v1/candidates/me", kw_h_candidate_update, KW_ROUTE_JSON_BODY, "candidate.self" },
	{ "PUT", "/api/v1/candidates/me/photo", kw_h_photo_put, KW_ROUTE_FILE_BODY, "candidate.self" },
	{ "GET", "/api/v1/candidates/me/photo", kw_h_photo_get, 0, "candidate.self" },
	{ "POST", "/api/v1/registrations", kw_h_registrations_create, KW_ROUTE_JSON_BODY, "registration.create" },
	{ "GET", "/api/v1/registrations", kw_h_registrations_list, 0, "registration.read" },
	{ "GET", "/api/v1/registrations/{id}", kw_h_registration_get, 0, "registration.read" },
	{ "POST", "/api/v1/registrations/{id}/review", kw_h_registration_review, KW_ROUTE_JSON_BODY, "registration.review" },
	{ "PUT", "/api/v1/registrations/{id}/area", kw_h_registration_area, KW_ROUTE_JSON_BODY, "registration.area" },
	{ "POST", "/api/v1/registrations/{id}/pledge_withdrawal", kw_h_registration_withdraw_pledge, KW_ROUTE_JSON_BODY, "registration.withdraw_pledge" },
	{ "GET", "/api/v1/registrations/{id}/photo", kw_h_photo_get, 0, "registration.read" },
	{ "POST", "/api/v1/registrations/{id}/verifications", kw_h_verify_create, KW_ROUTE_JSON_BODY, "registration.verify" },
	{ "GET", "/api/v1/registrations/{id}/verifications", kw_h_verify_list, 0, "registration.verify" },
	{ "POST", "/api/v1/verifications/{id}/decision", kw_h_verify_decide, KW_ROUTE_JSON_BODY, "registration.verify" },
	{ "POST", "/api/v1/exams/{id}/verification_samples", kw_h_verify_sample, KW_ROUTE_JSON_BODY, "exam.verify" },
	{ "GET", "/api/v1/verification_samples/{id}", kw_h_verify_sample_get, 0, "exam.verify" },
	{ "GET", "/api/v1/exams/{id}/verification_tasks", kw_h_verify_tasks, 0, "registration.verify" },
	{ "POST", "/api/v1/exams/{id}/ban_checks", kw_h_verify_ban_sweep, 0, "exam.verify" },
	{ "POST", "/api/v1/registrations/{id}/proofs", kw_h_proofs_add, KW_ROUTE_FILE_BODY, "registration.proof" },
	{ "GET", "/api/v1/registrations/{id}/proofs", kw_h_proofs_list, 0, "registration.read" },
	{ "GET", "/api/v1/registrations/{id}/proofs/{file}", kw_h_proof_get, 0, "registration.read" },
	{ "GET", "/api/v1/public/exams", kw_h_public_exams, KW_ROUTE_PUBLIC, "public.read" },
	{ "GET", "/api/v1/public/exams/{id}", kw_h_public_exam, KW_ROUTE_PUBLIC, "public.read" },
	{ "GET", "/api/v1/public/exams/{id}/positions", kw_h_public_positions, KW_ROUTE_PUBLIC, "public.read" },
	{ "GET", "/api/v1/public/exams/{id}/statistics", kw_h_public_statistics, KW_ROUTE_PUBLIC, "public.read" },
	{ "POST", "/api/v1/identity_claims", kw_h_claims_create, KW_ROUTE_PUBLIC | KW_ROUTE_JSON_BODY, "claim.create" },
	{ "GET", "/api/v1/identity_claims", kw_h_claims_list, 0, "claim.review" },
	{ "POST", "/api/v1/identity_claims/{id}/decision", kw_h_claim_decide, KW_ROUTE_JSON_BODY, "claim.review" },
	{ "POST", "/api/v1/registrations/{id}/payments", kw_h_payments_create, KW_ROUTE_JSON_BODY, "payment.order" },
	{ "GET", "/api/v1/registrations/{id}/payments", kw_h_payments_list, 0, "registration.read" },
	{ "POST", "/api/v1/payments/callbacks/{provider}", kw_h_payment_callback, KW_ROUTE_PUBLIC | KW_ROUTE_JSON_BODY, "payment.callback" },
	{ "POST", "/api/v1/payments/{id}/test_pay", kw_h_payment_test_pay, 0, "payment.order" },
	{ "POST", "/api/v1/payments/{id}/confirm", kw_h_payment_confirm, KW_ROUTE_JSON_BODY, "payment.confirm" },
	{ "POST", "/api/v1/payments/{id}/refund", kw_h_payment_refund, KW_ROUTE_JSON_BODY, "payment.refund" },
	{ "GET", "/api/v1/exams/{id}/capacity", kw_h_seating_capacity, 0, "seating.read" },
	{ "POST", "/api/v1/exams/{id}/seating_runs", kw_h_seating_commit, KW_ROUTE_JSON_BODY, "seating.run" },
	{ "GET", "/api/v1/seating_runs/{id}", kw_h_seating_get, 0, "seating.read" },
	{ "POST", "/api/v1/seating_runs/{id}/seat", kw_h_seating_seat, 0, "seating.run" },
	{ "POST", "/api/v1/seating_runs/{id}/publish", kw_h_seating_publish, 0, "seating.run" },
	{ "POST", "/api/v1/seating_runs/{id}/discard", kw_h_seating_discard, KW_ROUTE_JSON_BODY, "seating.run" },
	{ "GET", "/api/v1/seating_runs/{id}/rooms", kw_h_seating_rooms, 0, "seating.read" },
	{ "GET", "/api/v1/seating_runs/{id}/door_labels", kw_h_seating_door_labels, 0, "seating.read" },
	{ "GET", "/api/v1/seating_runs/{id}/desk_labels", kw_h_seating_desk_labels, 0, "seating.read" },
	{ "GET", "/api/v1/seating_runs/{id}/paper_order", kw_h_seating_paper_order, 0, "seating.read" },
	{ "POST", "/api/v1/exams/{id}/proctor_draws", kw_h_proctors_commit, KW_ROUTE_JSON_BODY, "proctor.run" },
	{ "POST", "/api/v1/proctor_draws/{id}/draw", kw_h_proctors_draw, 0, "proctor.run" },
	{ "GET", "/api/v1/proctor_draws/{id}", kw_h_proctors_get, 0, "proctor.read" },
	{ "GET", "/api/v1/exams/{id}/proctor_draws", kw_h_proctors_list, 0, "proctor.read" },
	{ "GET", "/api/v1/exams/{id}/proctor_pool", kw_h_proctors_pool, 0, "proctor.read" },
	{ "GET", "/api/v1/public/exams/{id}/proctor_draws", kw_h_public_proctors, KW_ROUTE_PUBLIC, "public.read" },
	{ "GET", "/api/v1/public/proctor_draws/{id}/inputs", kw_h_public_proctor_inputs, KW_ROUTE_PUBLIC, "public.read" },
	{ "PUT", "/api/v1/exams/{id}/interview_settings", kw_h_interview_settings_put, KW_ROUTE_JSON_BODY, "interview.manage" },
	{ "GET", "/api/v1/exams/{id}/interview_settings", kw_h_interview_settings_get, 0, "interview.read" },
	{ "POST", "/api/v1/exams/{id}/shortlists", kw_h_shortlists_build, KW_ROUTE_JSON_BODY, "interview.manage" },
	{ "GET", "/api/v1/exams/{id}/shortlists", kw_h_shortlists_list, 0, "interview.read" },
	{ "GET", "/api/v1/shortlists/{id}", kw_h_shortlist_get, 0, "interview.read" },
	{ "POST", "/api/v1/shortlists/{id}/publish", kw_h_shortlist_publish, 0, "interview.manage" },
	{ "POST", "/api/v1/shortlists/{id}/declines", kw_h_shortlist_decline, KW_ROUTE_JSON_BODY, "interview.manage" },
	{ "GET", "/api/v1/public/exams/{id}/shortlists", kw_h_public_shortlists, KW_ROUTE_PUBLIC, "public.read" },
	{ "POST", "/api/v1/exams/{id}/interview_panels", kw_h_panel_create, KW_ROUTE_JSON_BODY, "interview.manage" },
	{ "GET", "/api/v1/exams/{id}/interview_panels", kw_h_panels_list, 0, "interview.read" },
	{ "GET", "/api/v1/interview_panels/{id}", kw_h_panel_get, 0, "interview.read" },
	{ "POST", "/api/v1/exams/{id}/interview_days", kw_h_interview_day_create, KW_ROUTE_JSON_BODY, "interview.manage" },
	{ "GET", "/api/v1/interview_days/{id}", kw_h_interview_day_get, 0, "interview.read" },
	{ "POST", "/api/v1/interview_days/{id}/room_draw", kw_h_interview_room_draw, 0, "interview.manage" },
	{ "POST", "/api/v1/interview_panels/{id}/order_draw", kw_h_interview_order_draw, 0, "interview.manage" },
	{ "POST", "/api/v1/interview_panels/{id}/orders/{no}/scores", kw_h_interview_score_enter, KW_ROUTE_JSON_BODY, "interview.score" },
	{ "GET", "/api/v1/interview_panels/{id}/orders/{no}/scores", kw_h_interview_scores_get, 0, "interview.score" },
	{ "POST", "/api/v1/interview_panels/{id}/orders/{no}/signoffs", kw_h_interview_signoff, KW_ROUTE_JSON_BODY, "interview.score" },
	{ "POST", "/api/v1/shortlists/{id}/interview_results", kw_h_interview_results_publish, 0, "interview.manage" },
	{ "POST", "/api/v1/seating_runs/{id}/changes", kw_h_seat_change_request, KW_ROUTE_JSON_BODY, "seating.run" },
	{ "POST", "/api/v1/seat_changes/{id}/approve", kw_h_seat_change_approve, KW_ROUTE_JSON_BODY, "seating.run" },
	{ "POST", "/api/v1/seat_changes/{id}/reject", kw_h_seat_change_reject, KW_ROUTE_JSON_BODY, "seating.run" },
	{ "GET", "/api/v1/seating_runs/{id}/documents/{doc}", kw_h_seating_centre_doc, 0, "seating.read" },
	{ "GET", "/api/v1/public/exams/{id}/seating", kw_h_public_seating, KW_ROUTE_PUBLIC, "public.read" },
	{ "GET", "/api/v1/public/seating_runs/{id}/inputs", kw_h_public_seating_inputs, KW_ROUTE_PUBLIC, "public.read" },
	{ "GET", "/api/v1/registrations/{id}/ticket", kw_h_ticket_download, 0, "ticket.download" },
	{ "POST", "/api/v1/registrations/{id}/tickets", kw_h_ticket_issue, KW_ROUTE_JSON_BODY, "ticket.issue" },
	{ "GET", "/api/v1/tickets/{id}/pdf", kw_h_ticket_pdf, 0, "ticket.issue" },
	{ "POST", "/api/v1/tickets/verify", kw_h_ticket_verify, KW_ROUTE_PUBLIC | KW_ROUTE_JSON_BODY, "public.read" },
	{ "GET", "/api/v1/public/ticket_key", kw_h_ticket_key, KW_ROUTE_PUBLIC, "public.read" },
	{ "POST", "/api/v1/registrations/{id}/correction_files", kw_h_correction_file_add, KW_ROUTE_FILE_BODY, "ticket.correction.request" },
	{ "POST", "/api/v1/registrations/{id}/ticket_corrections", kw_h_correction_request, KW_ROUTE_JSON_BODY, "ticket.correction.request" },
	{ "GET", "/api/v1/registrations/{id}/ticket_corrections", kw_h_corrections_of_registration, 0, "ticket.correction.read" },
	{ "GET", "/api/v1/exams/{id}/ticket_corrections", kw_h_corrections_of_exam, 0, "ticket.correction.decide" },
	{ "GET", "/api/v1/ticket_corrections/{id}", kw_h_correction_get, 0, "ticket.correction.read" },
	{ "GET", "/api/v1/ticket_corrections/{id}/files/{file}", kw_h_correction_file, 0, "ticket.correction.read" },
	{ "POST", "/api/v1/cases", kw_h_case_open, KW_ROUTE_JSON_BODY, "case.open" },
	{ "GET", "/api/v1/cases", kw_h_cases_list, 0, "case.read" },
	{ "GET", "/api/v1/cases/{id}", kw_h_case_get, 0, "case.read" },
	{ "POST", "/api/v1/cases/{id}/signatures", kw_h_case_sign, KW_ROUTE_JSON_BODY, "case.sign" },
	{ "POST", "/api/v1/cases/{id}/files", kw_h_case_file_add, KW_ROUTE_FILE_BODY, "case.file" },
	{ "GET", "/api/v1/cases/{id}/files/{file}", kw_h_case_file, 0, "case.read" },
	{ "GET", "/api/v1/cases/{id}/drafts/{doc}", kw_h_case_draft, 0, "case.read" },
	{ "POST", "/api/v1/cases/{id}/notice", kw_h_case_notify, KW_ROUTE_JSON_BODY, "case.notify" },
	{ "POST", "/api/v1/cases/{id}/defence", kw_h_case_defence, KW_ROUTE_JSON_BODY, "case.defend" },
	{ "POST", "/api/v1/cases/{id}/defence_review", kw_h_case_review, KW_ROUTE_JSON_BODY, "case.notify" },
	{ "POST", "/api/v1/cases/{id}/decision", kw_h_case_decide, KW_ROUTE_JSON_BODY, "case.decide" },
	{ "POST", "/api/v1/cases/{id}/service", kw_h_case_serve, KW_ROUTE_JSON_BODY, "case.notify" },
	{ "POST", "/api/v1/cases/{id}/appeals", kw_h_case_appeal, KW_ROUTE_JSON_BODY, "case.write" },
	{ "POST", "/api/v1/cases/{id}/changes", kw_h_case_change, KW_ROUTE_JSON_BODY, "case.change.request" },
	{ "POST", "/api/v1/cases/{id}/changes/{change}/approve", kw_h_case_change_approve, KW_ROUTE_JSON_BODY, "case.change.decide" },
	{ "POST", "/api/v1/cases/{id}/changes/{change}/refuse", kw_h_case_change_refuse, KW_ROUTE_JSON_BODY, "case.change.decide" },
	{ "POST", "/api/v1/cases/{id}/drop", kw_h_case_drop, KW_ROUTE_JSON_BODY, "case.decide" },
	{ "POST", "/api/v1/cases/{id}/consequences", kw_h_case_consequence, KW_ROUTE_JSON_BODY, "case.decide" },
	{ "GET", "/api/v1/candidates/me/cases", kw_h_case_mine, 0, "candidate.self" },
	{ "POST", "/api/v1/exams/{id}/subjects/{code}/keys", kw_h_score_key_load, KW_ROUTE_JSON_BODY, "score.key.write" },
	{ "GET", "/api/v1/exams/{id}/subjects/{code}/keys", kw_h_score_keys, 0, "score.read" },
	{ "GET", "/api/v1/answer_keys/{id}", kw_h_score_key_get, 0, "score.key.read" },
	{ "POST", "/api/v1/exams/{id}/answers", kw_h_score_answers_import, KW_ROUTE_FILE_BODY, "score.answers.write" },
	{ "GET", "/api/v1/exams/{id}/answers", kw_h_score_imports, 0, "score.read" },
	{ "POST", "/api/v1/exams/{id}/answer_layouts", kw_h_answer_layout_add, KW_ROUTE_JSON_BODY, "score.answers.write" },
	{ "GET", "/api/v1/exams/{id}/answer_layouts", kw_h_answer_layouts, 0, "score.answers.write" },
	{ "POST", "/api/v1/exams/{id}/subjects/{code}/score_runs", kw_h_score_run, 0, "score.run" },
	{ "GET", "/api/v1/exams/{id}/subjects/{code}/score_runs", kw_h_score_runs, 0, "score.read" },
	{ "GET", "/api/v1/score_runs/{id}", kw_h_score_run_get, 0, "score.read" },
	{ "GET", "/api/v1/score_runs/{id}/scores", kw_h_score_run_scores, 0, "score.read" },
	{ "GET", "/api/v1/score_runs/{id}/crosscheck", kw_h_score_crosscheck, 0, "score.run" },
	{ "POST", "/api/v1/score_runs/{id}/crosschecks", kw_h_crosscheck_record, 0, "score.run" },
	{ "GET", "/api/v1/score_runs/{id}/crosschecks", kw_h_crosschecks, 0, "score.read" },
	{ "GET", "/api/v1/score_runs/{id}/analysis", kw_h_analysis_get, 0, "score.read" },
	{ "GET", "/api/v1/score_runs/{id}/histogram.svg", kw_h_analysis_svg, 0, "score.read" },
	{ "GET", "/api/v1/score_runs/{id}/histogram.png", kw_h_analysis_png, 0, "score.read" },
	{ "GET", "/api/v1/score_runs/{id}/report.xlsx", kw_h_analysis_xlsx, 0, "score.read" },
	{ "POST", "/api/v1/exams/{id}/publications", kw_h_publication_prepare, 0, "score.publish" },
	{ "GET", "/api/v1/exams/{id}/publications", kw_h_publications, 0, "score.read" },
	{ "POST", "/api/v1/exams/{id}/score_reviews", kw_h_review_request, KW_ROUTE_JSON_BODY, "score.review.request" },
	{ "GET", "/api/v1/exams/{id}/score_reviews", kw_h_review_list, 0, "score.review.read" },
	{ "POST", "/api/v1/exams/{id}/score_reviews/forward", kw_h_review_forward, 0, "score.review.handle" },
	{ "GET", "/api/v1/score_reviews/{id}", kw_h_review_get, 0, "score.review.read" },
	{ "POST", "/api/v1/score_reviews/{id}/accept", kw_h_review_step, 0, "score.review.handle" },
	{ "POST", "/api/v1/score_reviews/{id}/refuse", kw_h_review_step, KW_ROUTE_JSON_BODY, "score.review.handle" },
	{ "POST", "/api/v1/score_reviews/{id}/answer", kw_h_review_step, 0, "score.review.handle" },
	{ "POST", "/api/v1/score_reviews/{id}/result", kw_h_review_result, KW_ROUTE_JSON_BODY, "score.review.recheck" },
	{ "POST", "/api/v1/exams/{id}/subjects/{code}/marking", kw_h_marking_setup, KW_ROUTE_JSON_BODY, "score.marking.setup" },
	{ "GET", "/api/v1/exams/{id}/subjects/{code}/marking", kw_h_marking_get, 0, "score.read" },
	{ "POST", "/api/v1/exams/{id}/subjects/{code}/marking/next", kw_h_marking_next, 0, "score.marking.mark" },
	{ "POST", "/api/v1/exams/{id}/subjects/{code}/marking/close", kw_h_marking_step, 0, "score.marking.lead" },
	{ "POST", "/api/v1/exams/{id}/subjects/{code}/marking/confirm", kw_h_marking_step, KW_ROUTE_JSON_BODY, "score.marking.setup" },
	{ "GET", "/api/v1/exams/{id}/subjects/{code}/marking/results", kw_h_marking_results, 0, "score.read" },
	{ "GET", "/api/v1/exams/{id}/subjects/{code}/marking/markers", kw_h_marking_markers, 0, "score.marking.lead" },
	{ "GET", "/api/v1/scripts/{code}", kw_h_script_get, 0, "score.marking.mark" },
	{ "POST", "/api/v1/scripts/{code}/marks", kw_h_script_mark, KW_ROUTE_JSON_BODY, "score.marking.mark" },
	{ "GET", "/api/v1/screening/subjects", kw_h_screen_subjects, 0, "screen.read" },
	{ "POST", "/api/v1/exams/{id}/subjects/{code}/screens", kw_h_screen_run, KW_ROUTE_JSON_BODY, "screen.run" },
	{ "GET", "/api/v1/exams/{id}/subjects/{code}/screens", kw_h_screens, 0, "screen.read" },
	{ "GET", "/api/v1/screens/{id}", kw_h_screen_get, 0, "screen.read" },
	{ "GET", "/api/v1/screens/{id}/flags", kw_h_screen_flags, 0, "screen.read" },
	{ "GET", "/api/v1/screen_flags/{id}", kw_h_screen_flag_get, 0, "screen.read" },
	{ "POST", "/api/v1/screen_flags/{id}/decision", kw_h_screen_decide, KW_ROUTE_JSON_BODY, "screen.decide" },
	{ "GET", "/api/v1/screen_flags/{id}/dossier.pdf", kw_h_screen_dossier, 0, "screen.read" },
	{ "GET", "/api/v1/markings", kw_h_markings_list, 0, "score.marking.list" },
	{ "GET", "/api/v1/exams/{id}/subjects/{code}/marking/controls", kw_h_marking_controls, 0, "score.marking.lead" },
	{ "POST", "/api/v1/exams/{id}/subjects/{code}/marking/controls", kw_h_marking_controls, KW_ROUTE_JSON_BODY, "score.marking.lead" },
	{ "POST", "/api/v1/exams/{id}/subjects/{code}/marking/suspensions", kw_h_marking_suspend, KW_ROUTE_JSON_BODY, "score.marking.lead" },
	{ "DELETE", "/api/v1/exams/{id}/subjects/{code}/marking/suspensions/{username}", kw_h_marking_reinstate, 0, "score.marking.lead" },
	{ "POST", "/api/v1/exams/{id}/pass_standards", kw_h_standards_set, KW_ROUTE_JSON_BODY, "score.qualify" },
	{ "GET", "/api/v1/public/exams/{id}/pass_standards", kw_h_standards, KW_ROUTE_PUBLIC, "public.read" },
	{ "POST", "/api/v1/exams/{id}/qualified_lists", kw_h_qualified_prepare, 0, "score.qualify" },
	{ "GET", "/api/v1/exams/{id}/qualified_lists", kw_h_qualified_lists, 0, "score.read" },
	{ "GET", "/api/v1/exams/{id}/certificates", kw_h_certificates, 0, "certificate.read" },
	{ "GET", "/api/v1/certificates/{id}/pdf", kw_h_certificate_pdf, 0, "certificate.read" },
	{ "POST", "/api/v1/certificates/{id}/revoke", kw_h_certificate_revoke, KW_ROUTE_JSON_BODY, "score.qualify" },
	{ "POST", "/api/v1/public/certificates/verify", kw_h_certificate_verify, KW_ROUTE_PUBLIC | KW_ROUTE_JSON_BODY, "public.read" },
	{ "GET", "/api/v1/public/certificate_key", kw_h_certificate_key, KW_ROUTE_PUBLIC, "public.read" },
	{ "POST", "/api/v1/public/exams/{id}/score_lookup", kw_h_score_lookup, KW_ROUTE_PUBLIC | KW_ROUTE_JSON_BODY, "public.read" },
	{ "GET", "/api/v1/catalogues/{id}", kw_h_catalogue_get, KW_ROUTE_PUBLIC, "public.read" },
	{ "POST", "/api/v1/ticket_corrections/{id}/approve", kw_h_correction_approve, KW_ROUTE_JSON_BODY, "ticket.correction.decide" },
	{ "POST", "/api/v1/ticket_corrections/{id}/refuse", kw_h_correction_refuse, KW_ROUTE_JSON_BODY, "ticket.correction.decide" },
	{ "GET", "/api/v1/me/exam_rooms", kw_h_examday_my_rooms, 0, "examday.mine" },
	{ "POST", "/api/v1/exams/{id}/sittings/{subject}/checkins", kw_h_examday_checkin, KW_ROUTE_JSON_BODY, "examday.checkin" },
	{ "GET", "/api/v1/exams/{id}/sittings/{subject}/checkins", kw_h_examday_checkins, 0, "examday.read" },
	{ "POST", "/api/v1/exams/{id}/sittings/{subject}/checkins/{checkin}/leave", kw_h_examday_leave, KW_ROUTE_JSON_BODY, "examday.checkin" },
	{ "GET", "/api/v1/exams/{id}/sittings/{subject}/absentees", kw_h_examday_absentees, 0, "examday.read" },
	{ "POST", "/api/v1/exams/{id}/subjects/{subject}/print_signoffs", kw_h_custody_signoff, KW_ROUTE_JSON_BODY, "custody.signoff" },
	{ "POST", "/api/v1/exams/{id}/paper_packages", kw_h_custody_make, KW_ROUTE_JSON_BODY, "custody.make" },
	{ "GET", "/api/v1/exams/{id}/paper_packages", kw_h_custody_list, 0, "custody.read" },
	{ "GET", "/api/v1/exams/{id}/custody_incidents", kw_h_custody_incidents, 0, "custody.read" },
	{ "GET", "/api/v1/paper_packages", kw_h_custody_find, 0, "custody.read" },
	{ "GET", "/api/v1/paper_packages/{id}", kw_h_custody_get, 0, "custody.read" },
	{ "POST", "/api/v1/paper_packages/{id}/events", kw_h_custody_event, KW_ROUTE_JSON_BODY, "custody.record" },
	{ "GET", "/api/v1/exams/{id}/sittings/{subject}/rooms/{room}/photos/{reg}", kw_h_examday_photo, 0, "examday.read" },
	{ "GET", "/api/v1/exams/{id}/sittings/{subject}/rooms/{room}/record", kw_h_examday_record, 0, "examday.read" },
	{ "POST", "/api/v1/exams/{id}/sittings/{subject}/rooms/{room}/record/entries", kw_h_examday_entry_add, KW_ROUTE_JSON_BODY, "examday.record" },
	{ "POST", "/api/v1/exams/{id}/sittings/{subject}/rooms/{room}/record/entries/{entry}/files", kw_h_examday_entry_file_add, KW_ROUTE_FILE_BODY, "examday.record" },
	{ "GET", "/api/v1/exams/{id}/sittings/{subject}/rooms/{room}/record/files/{file}", kw_h_examday_entry_file, 0, "examday.read" },
	{ "POST", "/api/v1/exams/{id}/sittings/{subject}/rooms/{room}/record/sign", kw_h_examday_sign, 0, "examday.record" },
	{ "POST", "/api/v1/exams/{id}/sittings/{subject}/rooms/{room}/record/close", kw_h_examday_close, 0, "examday.record" },
	{ "POST", "/api/v1/exams/{id}/sittings/{subject}/rooms/{room}/record/entries/{entry}/case", kw_h_examday_entry_case, KW_ROUTE_JSON_BODY, "case.open" },
	{ NULL, NULL, NULL, 0, NULL },
};
/* clang-format on */

/* Does path match pattern? Fills params (pointers into buf) when it does. */
static int match(const char *pattern, const char *path, const char *params[KW_MAX_PARAMS],
                 char *buf)
{
	int np = 0;
	const char *p = pattern, *s = path;
	char *w = buf;
	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *se = strchr(s, '/');
			if (!pe)
				return 0;
			if (!se)
				se = s + strlen(s);
			if (se == s || np >= KW_MAX_PARAMS)
				return 0;
			memcpy(w, s, (size_t)(se - s));
			w[se - s] = '\0';
			params[np++] = w;
			w += (se - s) + 1;
			p = pe + 1;
			s = se;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	if (*p || *s)
		return 0;
	for (int i = np; i < KW_MAX_PARAMS; i++)
		params[i] = NULL;
	return 1;
}

int kw_route_match(const char *method, const char *path, const struct kw_route **out,
                   const char *params[KW_MAX_PARAMS], char **mem, struct kw_buf *allow)
{
	size_t len = strlen(path);
	char *buf = kw_xmalloc(len + KW_MAX_PARAMS + 1);
	int path_seen = 0;
	*out = NULL;
	*mem = NULL;
	for (const struct kw_route *r = kw_routes; r->method; r++) {
		const char *tmp[KW_MAX_PARAMS] = {0};
		if (!match(r->pattern, path, tmp, buf))
			continue;
		int same = strcmp(r->method, method) == 0 ||
		           (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0);
		if (same) {
			memcpy(params, tmp, sizeof tmp);
			*out = r;
			*mem = buf;
			return 0;
		}
		if (allow) {
			if (path_seen)
				kw_buf_adds(allow, ", ");
			kw_buf_adds(allow, r->method);
		}
		path_seen = 1;
	}
	free(buf);
	return path_seen ? KW_EMETHOD : KW_ENOTFOUND;
}
