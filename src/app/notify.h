/*
 * notify.h - live alerts and notifications (issue 13): what is near its
 * due time or past it and who holds it, the officers' notifications (a
 * dossier that becomes near due or overdue, a daily digest), and the
 * digest's e-mail over SMTP when the administrator configured it.
 */
#ifndef APP_NOTIFY_H
#define APP_NOTIFY_H

#include "app/app.h"

/* Where an alert counts a dossier with no handling unit on the commune's
 * own procedure list, and one with no assignee. */
#define APP_NO_UNIT "Chưa phân đơn vị"
#define APP_NO_ASSIGNEE "Chưa phân công"

/*
 * The live alerts at now for by: the open dossiers whose clock runs and
 * that are near due (due in [now, near_due_before): dl_near_due_before)
 * or overdue (due_at, the appointment, before now). A specialist sees the
 * dossiers assigned to them, reception the received ones nobody was
 * assigned yet, a leader, admin or supervisor all of the agency's. OUT:
 * *out {"now", "near_due_before", "near_due": {"total", "by_officer":
 * [{"login", "name", "count"}], "by_unit": [{"unit", "count"}]},
 * "overdue": {...}, "items": [{"code", "procedure", "procedure_name",
 * "applicant", "status", "assignee", "assignee_name", "unit", "due_at",
 * "near_due", "overdue", "overdue_by_minutes"}]}, soonest due first;
 * overdue_by_minutes counts working time (0 when not overdue). Reads
 * only: the caller may hold a snapshot (app_read_begin).
 */
MC_MUST_USE int app_alerts(app *a, const app_actor *by, mc_time now, json_t **out, mc_err *e);

typedef struct {
	int near_due, overdue; /* notifications made */
	int digests;
	int emailed, email_failed;
	int task_near_due, task_overdue; /* tasks' reminders (tasks_int.h) */
	int tasks_made;                  /* instances of recurring tasks */
} app_sweep_stats;

/*
 * One sweep at now (app_now() in the server): each dossier that crossed
 * into near due notifies its assignee (the leaders if it has none) once;
 * one that became overdue notifies its assignee and the agency's leaders
 * once (again only if an apology sets a new due time that is crossed in
 * turn). On a working day, from its first working instant, each active
 * officer with open work gets one digest of their near-due and overdue
 * dossiers a day; with SMTP configured (app_smtp_set) and an e-mail
 * address on the account, the digest is also sent, and its notification
 * records when or why not. The notifications are written in one
 * transaction, idempotently (a second sweep, in this process or another,
 * adds nothing); the e-mails are sent after it, outside any transaction.
 * Tasks are swept first (app_task_sweep: recurrence, and their own
 * reminders), on a hub too. OUT: *stats (may be NULL).
 */
MC_MUST_USE int app_notify_sweep(app *a, mc_time now, app_sweep_stats *stats, mc_err *e);

/* The most notifications one page lists. */
#define APP_NOTIFY_LIMIT 200
/* by's own notifications, newest first, at most limit (1..APP_NOTIFY_LIMIT),
 * only the unread ones with unread_only. OUT: *out {"items": [{"id",
 * "kind", "dossier" (or null), "title", "body", "created_at", "read_at"
 * (or null), "emailed_at" (or null), "email_error" (or null)}], "unread":
 * n}. */
MC_MUST_USE int app_notifications(app *a, const app_actor *by, int unread_only, int limit,
				  json_t **out, mc_err *e);
/* The most ids one request may mark. */
#define APP_NOTIFY_IDS_MAX 500
/* Marks read at now by's notifications ids[0..n) (others' and unknown ids
 * change nothing), or all of them with all. OUT: *unread, what is left. */
MC_MUST_USE int app_notifications_read(app *a, const app_actor *by, const int64_t *ids, size_t n,
				       int all, mc_time now, int64_t *unread, mc_err *e);

/* MC_EINVAL (user.bad_email) unless email is a plain address
 * (local@domain.tld, at most 254 bytes, no spaces, quotes, angle brackets
 * or line breaks). "" is accepted: no address. */
MC_MUST_USE int app_email_check(const char *email, mc_err *e);

/* The SMTP settings (admin): {"url", "user", "from", "password_set"}; the
 * password is never shown. */
MC_MUST_USE int app_smtp_get(app *a, const app_actor *by, json_t **out, mc_err *e);
/*
 * Sets the SMTP settings (admin), with an event (without the password):
 * url smtp://host[:port] or smtps://host[:port] ("" turns e-mail off),
 * user (may be ""), password (NULL: unchanged), from (an address,
 * app_email_check; required with a url). NULL url/user/from: unchanged.
 * MC_EINVAL settings.bad_value naming the field. OUT: *out as app_smtp_get.
 */
MC_MUST_USE int app_smtp_set(app *a, const app_actor *by, const char *url, const char *user,
			     const char *password, const char *from, mc_time now, json_t **out,
			     mc_err *e);

/* Starts the sweeper of `serve` for data directory dir: a thread that
 * sweeps at start and then once a minute, at app_now(). MOTCUA_NOTIFY_SWEEP=0
 * starts none (tests that sweep by hand with motcua notify-sweep). */
MC_MUST_USE int app_notify_start(const char *dir, mc_err *e);
/* Stops it and waits (an e-mail being sent finishes first, at most its
 * timeouts). */
void app_notify_stop(void);

#endif
