/*
 * st_notify.h - the store's side of live alerts (issue 13): the dossiers
 * near or past their due time, each officer's open work, and the
 * notifications (schema 15).
 */
#ifndef ST_NOTIFY_H
#define ST_NOTIFY_H

#include "st.h"

/* One open dossier whose clock runs and whose due time is before the
 * window's end, with what an alert shows of it. Strings owned by the
 * walk: valid during the callback. */
typedef struct {
	const char *code, *procedure, *procedure_name;
	const char *applicant;     /* the person, or the organisation's name */
	const char *status;        /* dsr state name */
	const char *assignee;      /* "" if none */
	const char *assignee_name; /* "" if none or unknown */
	const char *unit;          /* the commune's handling unit, "" if unset */
	mc_time due_at;            /* the appointment (an apology moves it) */
} st_alert_row;

typedef int (*st_alert_cb)(void *ctx, const st_alert_row *r);
/* Every open dossier of agency whose clock runs (received, processing,
 * awaiting approval or payment) with 0 < due_at < before, soonest due
 * first. cb returning non-zero stops the walk. */
MC_MUST_USE int st_alert_walk(st *s, const char *agency, mc_time before, st_alert_cb cb, void *ctx,
			      mc_err *e);

typedef int (*st_work_cb)(void *ctx, const char *assignee, const char *status, int64_t n);
/* Open dossiers of agency counted by assignee ("" for none) and status. */
MC_MUST_USE int st_open_work(st *s, const char *agency, st_work_cb cb, void *ctx, mc_err *e);

typedef struct {
	int64_t id;
	const char *agency, *login;
	const char *kind;    /* near_due | overdue | digest */
	const char *dossier; /* "" for none */
	int64_t occasion;    /* due time (near_due, overdue) or local day (digest) */
	mc_time created_at, read_at, emailed_at;
	const char *title, *body, *email_error;
} st_note;

/* Inside a transaction: inserts n unless (login, kind, dossier, occasion)
 * is there already. OUT: *inserted (may be NULL): 1 if it was new. */
MC_MUST_USE int st_note_put(st *s, const st_note *n, int *inserted, mc_err *e);
/* OUT: *seen = 1 if anyone was notified of dossier's kind at occasion. */
MC_MUST_USE int st_note_seen(st *s, const char *dossier, const char *kind, int64_t occasion,
			     int *seen, mc_err *e);
typedef int (*st_note_cb)(void *ctx, const st_note *n);
/* login's notifications, newest first, at most limit; only unread ones
 * with unread_only. */
MC_MUST_USE int st_note_list(st *s, const char *login, int unread_only, int limit, st_note_cb cb,
			     void *ctx, mc_err *e);
/* OUT: *n, login's unread notifications. */
MC_MUST_USE int st_note_unread(st *s, const char *login, int64_t *n, mc_err *e);
/* Inside a transaction: marks login's notification id read at now (ids of
 * others, unknown or read ones: nothing). */
MC_MUST_USE int st_note_read(st *s, const char *login, int64_t id, mc_time now, mc_err *e);
MC_MUST_USE int st_note_read_all(st *s, const char *login, mc_time now, mc_err *e);
/* Digests of agency made at or after since, not yet e-mailed nor failed,
 * whose user has an e-mail address: cb(ctx, n, email). */
typedef int (*st_mail_cb)(void *ctx, const st_note *n, const char *email);
MC_MUST_USE int st_note_mail_pending(st *s, const char *agency, mc_time since, st_mail_cb cb,
				     void *ctx, mc_err *e);
/* Records the e-mail of notification id: sent at (error NULL) or failed
 * with error. */
MC_MUST_USE int st_note_mail_done(st *s, int64_t id, mc_time at, const char *error, mc_err *e);

#endif
