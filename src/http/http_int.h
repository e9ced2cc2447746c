/*
 * http_int.h - what the HTTP layer's own files share and nothing outside
 * src/http sees: the request-body helpers and every handler the route
 * table names.
 */
#ifndef HTTP_INT_H
#define HTTP_INT_H

#include "http/http.h"

/* ---- request bodies and arguments (req.c); each sets r's 4xx and
 * returns its status on bad input, 0 if good ---- */
/* The body as one JSON object whose keys are all in allowed (NULL-ended).
 * OUT: *out (decref it). */
int http_body_object(http_req *r, const char *const *allowed, json_t **out);
/* Refuses a key of o that is not in allowed, naming it prefix.key. */
int http_only_keys(http_req *r, json_t *o, const char *prefix, const char *const *allowed);
/* A string field: *out NULL if absent or null. */
int http_str_field(http_req *r, json_t *o, const char *prefix, const char *key, int required,
		   const char **out);
/* A time field "YYYY-MM-DDTHH:MM[:SS][+07:00]"; 0 if absent. */
int http_time_field(http_req *r, json_t *o, const char *key, mc_time *out);
/* A whole-number query argument from lo to hi; *out untouched if absent. */
int http_long_arg(http_req *r, const char *name, long lo, long hi, long *out);
/* A raw chunk's head (an upload's or a synced file's): the body must be
 * application/octet-stream and ?offset= given, 0..max. OUT: *offset.
 * Returns 0 or the refusal's status. */
int http_chunk_head(http_req *r, long max, long *offset);
/* e's refusal of a chunk, with where to resume when it is known:
 * {"error": ..., "expected_offset": expected} (expected < 0: none). */
int http_fail_offset(http_req *r, const mc_err *e, int64_t expected);
/* Answers 200 with len bytes of data (freed once sent) of type mime (which
 * must outlive the answer: static or thread-local), named name for the
 * download (NULL: no Content-Disposition), inline or as an attachment. */
int http_download(http_req *r, char *data, size_t len, const char *mime, const char *name,
		  int inline_);
/* "true"/"1"/"false"/"0" query argument; 0 if absent. */
int http_bool_arg(http_req *r, const char *name, int *out);
/* A date (day_end: the day after it) or time query argument; 0 if absent. */
int http_time_arg(http_req *r, const char *name, int day_end, mc_time *out);
/* Parses "2026-03-02T07:00", "2026-03-02 07:00", ":SS", "+07:00". */
int http_parse_time(const char *s, mc_time *t, mc_err *e);
/* A non-JSON upload: Content-Type one of types (NULL-ended), UTF-8 text. */
int http_text_body(http_req *r, const char *const *types);

/* ---- handlers (h_*.c) ---- */
/* h_dossier.c: answers status with the dossier of params[0] and its history. */
int h_dossier_answer(http_req *r, int status);
int h_healthz(http_req *r);
int h_openapi(http_req *r);
int h_session_create(http_req *r);
int h_session_delete(http_req *r);
int h_me(http_req *r);
int h_procedures(http_req *r);
int h_procedure(http_req *r);
int h_agencies(http_req *r);
int h_days_off(http_req *r);
int h_due(http_req *r);
int h_settings(http_req *r);
int h_settings_update(http_req *r);
int h_catalog_import(http_req *r);
int h_calendar_import(http_req *r);
/* Reads a reception's body into q (its strings point into *body: decref
 * it when done); extra names one more allowed key (or NULL). Returns 0, or
 * r's 4xx status with the answer set. */
int h_receive_body(http_req *r, const char *extra, json_t **body, app_receive_req *q);
int h_dossier_create(http_req *r);
int h_dossier_list(http_req *r);
/* h_search.c */
int h_search(http_req *r);
int h_dossier_get(http_req *r);
int h_dossier_act(http_req *r);
/* h_records.c: the action's own record fields (result, collector,
 * delivery, items) into q; 0 or r's 4xx status. */
int h_act_records(http_req *r, json_t *o, app_act_req *q);
int h_fee_create(http_req *r);
int h_form(http_req *r);
int h_file_thumbnail(http_req *r);
int h_file_searchable(http_req *r);
int h_register(http_req *r);
int h_report(http_req *r);
int h_report_dossiers(http_req *r);
int h_report_file(http_req *r);
int h_fees(http_req *r);
int h_dashboard(http_req *r);
int h_users(http_req *r);
int h_staff(http_req *r);
int h_units(http_req *r);
int h_unit_put(http_req *r);
int h_user_create(http_req *r);
int h_user_update(http_req *r);
int h_audit(http_req *r);
int h_lookup(http_req *r);
int h_rate(http_req *r);
int h_local_list(http_req *r);
int h_local_set(http_req *r);
int h_local_import(http_req *r);
int h_local_export(http_req *r);
int h_receivable(http_req *r);
/* h_files.c */
int h_upload_begin(http_req *r);
int h_upload_put(http_req *r);
int h_upload_get(http_req *r);
int h_dossier_files(http_req *r);
int h_file_get(http_req *r);
int h_file_text(http_req *r);
int h_jobs(http_req *r);
int h_file_reuse(http_req *r);
int h_applicant_files(http_req *r);
int h_attach_post(http_req *r);
int h_attach_get(http_req *r);
/* h_notify.c */
int h_alerts(http_req *r);
int h_notifications(http_req *r);
int h_notifications_read(http_req *r);
int h_smtp_get(http_req *r);
int h_smtp_set(http_req *r);
/* h_tasks.c */
int h_tasks_list(http_req *r);
int h_task_create(http_req *r);
int h_task_get(http_req *r);
int h_task_act(http_req *r);
int h_task_board(http_req *r);
/* h_documents.c */
int h_documents(http_req *r);
int h_document_create(http_req *r);
int h_document(http_req *r);
int h_document_update(http_req *r);
int h_document_types(http_req *r);
int h_documents_file(http_req *r);
/* h_recs.c */
int h_recs_list(http_req *r);
int h_recs_board(http_req *r);
int h_recs_settings(http_req *r);
int h_recs_settings_put(http_req *r);
int h_rec_file(http_req *r);
int h_rec_get(http_req *r);
int h_rec_act(http_req *r);
/* h_sync.c */
int h_sync_enrol(http_req *r);
int h_sync_push(http_req *r);
int h_sync_pull(http_req *r);
int h_sync_files_want(http_req *r);
int h_sync_file_put(http_req *r);
int h_sync_attach_get(http_req *r);
int h_hub_file_get(http_req *r);
int h_hub_publish_calendar(http_req *r);
int h_hub_publish_catalog(http_req *r);
int h_hub_submit(http_req *r);
int h_sync_status(http_req *r);
int h_sync_now(http_req *r);
int h_hub_nodes(http_req *r);
int h_hub_approve(http_req *r);
int h_hub_revoke(http_req *r);
int h_hub_dashboard(http_req *r);
int h_hub_search(http_req *r);
int h_hub_dossier(http_req *r);

#endif
