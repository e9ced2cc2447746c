/*
 * st_notify.c - live alerts and notifications (schema 15). See
 * st_notify.h.
 */
#include "st_int.h"
#include "st_notify.h"

/* The states whose clock runs (a supplement wait pauses it; a submission
 * has no due time yet): the dashboard's and the overdue filter's set. */
#define RUNNING_SQL "('received','processing','awaiting_approval','awaiting_payment')"
#define OPEN_SQL "('submitted','received','processing','awaiting_approval','supplement','awaiting_payment')"
#define NOTE_COLS                                                                      \
	"id, agency, login, kind, dossier, occasion, created_at, read_at, emailed_at, " \
	"title, body, email_error"

static const char *const sql[Q_N] = {
	/* One range of dossier_status_due per state. */
	[Q_NOTE_ALERTS] =
		"SELECT d.code, d.procedure, coalesce(p.name, ''), "
		"CASE WHEN d.kind = 'organisation' AND d.org_name <> '' THEN d.org_name ELSE d.name END, "
		"d.status, d.assignee, coalesce(u.name, ''), coalesce(l.handling_unit, ''), d.due_at "
		"FROM dossier d LEFT JOIN procedure p ON p.code = d.procedure "
		"LEFT JOIN procedure_local l ON l.agency = d.agency AND l.code = d.procedure "
		"LEFT JOIN user u ON u.login = d.assignee "
		"WHERE d.status IN " RUNNING_SQL " AND d.due_at > 0 AND d.due_at < :before "
		"AND d.agency = :agency ORDER BY d.due_at, d.code",
	[Q_NOTE_WORK] = "SELECT assignee, status, count(*) FROM dossier "
			"WHERE status IN " OPEN_SQL " AND agency = :agency GROUP BY assignee, status",
	[Q_NOTE_PUT] = "INSERT OR IGNORE INTO notification(agency, login, kind, dossier, occasion, "
		       "created_at, title, body) VALUES (:agency, :login, :kind, :dossier, "
		       ":occasion, :now, :title, :body)",
	[Q_NOTE_SEEN] = "SELECT 1 FROM notification WHERE dossier = :dossier AND kind = :kind "
			"AND occasion = :occasion AND dossier <> '' LIMIT 1",
	[Q_NOTE_LIST] = "SELECT " NOTE_COLS " FROM notification WHERE login = :login "
			"AND (:unread = 0 OR read_at = 0) ORDER BY id DESC LIMIT :limit",
	[Q_NOTE_UNREAD] = "SELECT count(*) FROM notification WHERE login = :login AND read_at = 0",
	[Q_NOTE_READ] = "UPDATE notification SET read_at = :now "
			"WHERE id = :id AND login = :login AND read_at = 0",
	[Q_NOTE_READ_ALL] = "UPDATE notification SET read_at = :now "
			    "WHERE login = :login AND read_at = 0",
	[Q_NOTE_MAIL_PENDING] =
		"SELECT n.id, n.agency, n.login, n.kind, n.dossier, n.occasion, n.created_at, "
		"n.read_at, n.emailed_at, n.title, n.body, n.email_error, u.email "
		"FROM notification n JOIN user u ON u.login = n.login "
		"WHERE n.kind = 'digest' AND n.agency = :agency AND n.created_at >= :since "
		"AND n.emailed_at = 0 AND n.email_error = '' AND u.email <> '' AND u.disabled = 0 "
		"ORDER BY n.id",
	[Q_NOTE_MAIL_DONE] = "UPDATE notification SET emailed_at = :at, email_error = :error "
			     "WHERE id = :id",
};

int st_alert_walk(st *s, const char *agency, mc_time before, st_alert_cb cb, void *ctx,
		  mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_NOTE_ALERTS, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":before", before);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_alert_row r = {
			.code = st_col_text(&q, 0),
			.procedure = st_col_text(&q, 1),
			.procedure_name = st_col_text(&q, 2),
			.applicant = st_col_text(&q, 3),
			.status = st_col_text(&q, 4),
			.assignee = st_col_text(&q, 5),
			.assignee_name = st_col_text(&q, 6),
			.unit = st_col_text(&q, 7),
			.due_at = st_col_int64(&q, 8),
		};
		if (cb(ctx, &r))
			break;
	}
	return st_walk_end(&q, rc, "list alerts", e);
}

int st_open_work(st *s, const char *agency, st_work_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_NOTE_WORK, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	while ((rc = st_step(&q)) == SQLITE_ROW)
		if (cb(ctx, st_col_text(&q, 0), st_col_text(&q, 1), st_col_int64(&q, 2)))
			break;
	return st_walk_end(&q, rc, "count open work", e);
}

int st_note_put(st *s, const st_note *n, int *inserted, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_NOTE_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", n->agency);
	st_bind_text(&q, ":login", n->login);
	st_bind_text(&q, ":kind", n->kind);
	st_bind_text(&q, ":dossier", n->dossier ? n->dossier : "");
	st_bind_int(&q, ":occasion", n->occasion);
	st_bind_int(&q, ":now", n->created_at);
	st_bind_text(&q, ":title", n->title);
	st_bind_text(&q, ":body", n->body);
	rc = st_exec_q(&q, "add notification", e);
	if (!rc && inserted)
		*inserted = sqlite3_changes(s->db) > 0;
	return rc;
}

int st_note_seen(st *s, const char *dossier, const char *kind, int64_t occasion, int *seen,
		 mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_NOTE_SEEN, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":dossier", dossier);
	st_bind_text(&q, ":kind", kind);
	st_bind_int(&q, ":occasion", occasion);
	rc = st_one(&q, "read notification", e);
	*seen = rc == MC_OK;
	st_reset(&q);
	return rc == MC_ENOTFOUND ? MC_OK : rc;
}

static void read_note(const st_stmt *q, st_note *n)
{
	n->id = st_col_int64(q, 0);
	n->agency = st_col_text(q, 1);
	n->login = st_col_text(q, 2);
	n->kind = st_col_text(q, 3);
	n->dossier = st_col_text(q, 4);
	n->occasion = st_col_int64(q, 5);
	n->created_at = st_col_int64(q, 6);
	n->read_at = st_col_int64(q, 7);
	n->emailed_at = st_col_int64(q, 8);
	n->title = st_col_text(q, 9);
	n->body = st_col_text(q, 10);
	n->email_error = st_col_text(q, 11);
}

int st_note_list(st *s, const char *login, int unread_only, int limit, st_note_cb cb, void *ctx,
		 mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_NOTE_LIST, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":login", login);
	st_bind_int(&q, ":unread", unread_only ? 1 : 0);
	st_bind_int(&q, ":limit", limit > 0 ? limit : -1);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_note n;
		read_note(&q, &n);
		if (cb(ctx, &n))
			break;
	}
	return st_walk_end(&q, rc, "list notifications", e);
}

int st_note_unread(st *s, const char *login, int64_t *n, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_NOTE_UNREAD, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":login", login);
	rc = st_one(&q, "count notifications", e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_STORE_IO, "đếm thông báo: không có kết quả",
			       "count notifications: no row returned");
	if (rc)
		return rc;
	*n = st_col_int64(&q, 0);
	st_reset(&q);
	return MC_OK;
}

int st_note_read(st *s, const char *login, int64_t id, mc_time now, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_NOTE_READ, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":login", login);
	st_bind_int(&q, ":id", id);
	st_bind_int(&q, ":now", now);
	return st_exec_q(&q, "mark notification read", e);
}

int st_note_read_all(st *s, const char *login, mc_time now, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_NOTE_READ_ALL, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":login", login);
	st_bind_int(&q, ":now", now);
	return st_exec_q(&q, "mark notifications read", e);
}

int st_note_mail_pending(st *s, const char *agency, mc_time since, st_mail_cb cb, void *ctx,
			 mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_NOTE_MAIL_PENDING, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":since", since);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_note n;
		read_note(&q, &n);
		if (cb(ctx, &n, st_col_text(&q, 12)))
			break;
	}
	return st_walk_end(&q, rc, "list e-mails to send", e);
}

int st_note_mail_done(st *s, int64_t id, mc_time at, const char *error, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_NOTE_MAIL_DONE, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":id", id);
	st_bind_int(&q, ":at", error ? 0 : at);
	st_bind_text(&q, ":error", error ? error : "");
	return st_exec_q(&q, "record e-mail", e);
}
