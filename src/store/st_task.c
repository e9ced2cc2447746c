/*
 * st_task.c - tasks, their history and the hub's assignments (schema 18).
 * See st_task.h.
 */
#include "st_int.h"
#include "st_task.h"

#define TASK_COLS                                                                         \
	"t.id, t.agency, t.assigner, t.origin, t.title, t.content, t.source_kind, "         \
	"t.source_ref, t.source_date, t.unit, t.officer, t.coworkers, t.creator, "          \
	"t.creator_name, t.assigned_at, t.deadline, t.due_at, t.state, t.percent, t.done_at, " \
	"t.closed_at, t.reason, t.recur, t.recur_day, t.series, t.period, t.nominal, t.shared, " \
	"t.attachments, t.communes, t.updated_at, t.last_seq"
#define FINAL_SQL "('accepted','cancelled')"
/* Overdue at :now (core/task.c task_overdue): not final, and the report's
 * time while reported done (else now) past the deadline. */
#define OVERDUE_SQL                                                                       \
	"(t.state NOT IN " FINAL_SQL " AND t.due_at > 0 AND (CASE WHEN t.state = "          \
	"'reported_done' AND t.done_at > 0 THEN t.done_at ELSE :now END) > t.due_at)"
#define IS_MEMBER(login)                                                                   \
	"(t.officer = " login " OR EXISTS (SELECT 1 FROM json_each(t.coworkers) c WHERE "    \
	"c.value = " login "))"
#define FILTER                                                                            \
	"FROM task t WHERE (:agency IS NULL OR t.agency = :agency) "                        \
	"AND (:member IS NULL OR " IS_MEMBER(":member") ") "                                \
	"AND (:unit IS NULL OR t.unit = :unit) "                                            \
	"AND (:source IS NULL OR t.source_kind = :source OR t.source_ref = :source) "       \
	"AND (:origin IS NULL OR t.origin = :origin) "                                      \
	"AND (:commune IS NULL OR t.agency = :commune OR EXISTS (SELECT 1 FROM "            \
	"hub_task_assign a WHERE a.task = t.id AND a.agency = :commune)) "                  \
	"AND (:all = 1 OR t.creator = :slogin OR " IS_MEMBER(":slogin") " OR (:sunit <> '' " \
	"AND t.unit = :sunit)) "                                                            \
	"AND (:open = 0 OR t.state NOT IN " FINAL_SQL ") "                                  \
	"AND (:before = 0 OR (t.due_at > 0 AND t.due_at < :before)) "                       \
	"AND (:overdue = 0 OR " OVERDUE_SQL ") "                                            \
	"AND (:near = 0 OR (NOT " OVERDUE_SQL " AND t.state NOT IN " FINAL_SQL              \
	" AND t.state <> 'reported_done' AND t.due_at >= :now)) "
#define LOG_COLS                                                                          \
	"id, task, commune, agency, seq, at, actor, actor_name, action, from_state, to_state, " \
	"percent, text, attachments, note"
#define ASSIGN_COLS                                                                       \
	"agency, task, state, percent, unit, officer, delivered_at, done_at, closed_at, "   \
	"reason, updated_at"

static const char *const sql[Q_N] = {
	[Q_TASK_SERIAL] = "INSERT INTO task_serial(agency, year, n) VALUES (:agency, :year, 1) "
			  "ON CONFLICT(agency, year) DO UPDATE SET n = n + 1 RETURNING n",
	[Q_TASK_PUT] =
		"INSERT OR REPLACE INTO task(id, agency, assigner, origin, title, content, "
		"source_kind, source_ref, source_date, unit, officer, coworkers, creator, "
		"creator_name, assigned_at, deadline, due_at, state, percent, done_at, closed_at, "
		"reason, recur, recur_day, series, period, nominal, shared, attachments, communes, "
		"updated_at, last_seq) VALUES (:id, :agency, :assigner, :origin, :title, :content, "
		":skind, :sref, :sdate, :unit, :officer, :coworkers, :creator, :cname, :assigned, "
		":deadline, :due, :state, :percent, :done, :closed, :reason, :recur, :rday, "
		":series, :period, :nominal, :shared, :att, :communes, :updated, :seq)",
	[Q_TASK_GET] = "SELECT " TASK_COLS " FROM task t WHERE t.id = :id",
	[Q_TASK_PERIOD] = "SELECT 1 FROM task WHERE series = :series AND period = :period",
	[Q_TASK_LIST] = "SELECT " TASK_COLS " " FILTER
			"ORDER BY t.due_at = 0, t.due_at, t.id LIMIT :limit OFFSET :offset",
	[Q_TASK_COUNT] = "SELECT count(*) " FILTER,
	[Q_TASK_SERIES] = "SELECT " TASK_COLS " FROM task t WHERE t.agency = :agency AND "
			  "t.origin = 'local' AND t.series <> '' AND t.nominal = (SELECT "
			  "max(nominal) FROM task u WHERE u.series = t.series) ORDER BY t.id",
	[Q_TASK_LOG_PUT] = "INSERT INTO task_log(task, commune, agency, seq, at, actor, actor_name, "
			   "action, from_state, to_state, percent, text, attachments, note) "
			   "SELECT :task, :commune, :agency, :seq, :at, :actor, :aname, :action, "
			   ":from, :to, :percent, :text, :att, :note WHERE NOT EXISTS (SELECT 1 "
			   "FROM task_log WHERE agency = :agency AND seq = :seq AND task = :task "
			   "AND commune = :commune)",
	[Q_TASK_LOG_LIST] = "SELECT " LOG_COLS " FROM task_log WHERE task = :task ORDER BY id",
	[Q_TASK_ASSIGN_PUT] =
		"INSERT OR REPLACE INTO hub_task_assign(" ASSIGN_COLS ") VALUES (:agency, :task, "
		":state, :percent, :unit, :officer, :delivered, :done, :closed, :reason, :updated)",
	[Q_TASK_ASSIGN_GET] = "SELECT " ASSIGN_COLS " FROM hub_task_assign WHERE agency = :agency "
			      "AND task = :task",
	[Q_TASK_ASSIGN_LIST] = "SELECT " ASSIGN_COLS " FROM hub_task_assign WHERE task = :task "
			       "ORDER BY agency",
};

int st_task_serial_next(st *s, const char *agency, int year, int64_t *n, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TASK_SERIAL, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":year", year);
	rc = st_one(&q, "next task serial", e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_STORE_IO, "cấp số nhiệm vụ: không có kết quả",
			       "next task serial: no row returned");
	if (rc)
		return rc;
	*n = st_col_int64(&q, 0);
	st_reset(&q);
	return MC_OK;
}

int st_task_put(st *s, const st_task *t, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TASK_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":id", t->id);
	st_bind_text(&q, ":agency", t->agency);
	st_bind_text(&q, ":assigner", t->assigner);
	st_bind_text(&q, ":origin", t->origin);
	st_bind_text(&q, ":title", t->title);
	st_bind_text(&q, ":content", t->content ? t->content : "");
	st_bind_text(&q, ":skind", t->source_kind);
	st_bind_text(&q, ":sref", t->source_ref);
	st_bind_text(&q, ":sdate", t->source_date ? t->source_date : "");
	st_bind_text(&q, ":unit", t->unit ? t->unit : "");
	st_bind_text(&q, ":officer", t->officer ? t->officer : "");
	st_bind_text(&q, ":coworkers", t->coworkers ? t->coworkers : "[]");
	st_bind_text(&q, ":creator", t->creator);
	st_bind_text(&q, ":cname", t->creator_name ? t->creator_name : "");
	st_bind_int(&q, ":assigned", t->assigned_at);
	st_bind_text(&q, ":deadline", t->deadline);
	st_bind_int(&q, ":due", t->due_at);
	st_bind_text(&q, ":state", t->state);
	st_bind_int(&q, ":percent", t->percent);
	st_bind_int(&q, ":done", t->done_at);
	st_bind_int(&q, ":closed", t->closed_at);
	st_bind_text(&q, ":reason", t->reason ? t->reason : "");
	st_bind_text(&q, ":recur", t->recur ? t->recur : "");
	st_bind_int(&q, ":rday", t->recur_day);
	st_bind_text(&q, ":series", t->series ? t->series : "");
	st_bind_text(&q, ":period", t->period ? t->period : "");
	st_bind_text(&q, ":nominal", t->nominal ? t->nominal : "");
	st_bind_int(&q, ":shared", t->shared ? 1 : 0);
	st_bind_text(&q, ":att", t->attachments ? t->attachments : "[]");
	st_bind_text(&q, ":communes", t->communes ? t->communes : "[]");
	st_bind_int(&q, ":updated", t->updated_at);
	st_bind_int(&q, ":seq", t->last_seq);
	return st_exec_q(&q, "write task", e);
}

static void read_task(const st_stmt *q, st_task *t)
{
	int i = 0;
	t->id = st_col_text(q, i++);
	t->agency = st_col_text(q, i++);
	t->assigner = st_col_text(q, i++);
	t->origin = st_col_text(q, i++);
	t->title = st_col_text(q, i++);
	t->content = st_col_text(q, i++);
	t->source_kind = st_col_text(q, i++);
	t->source_ref = st_col_text(q, i++);
	t->source_date = st_col_text(q, i++);
	t->unit = st_col_text(q, i++);
	t->officer = st_col_text(q, i++);
	t->coworkers = st_col_text(q, i++);
	t->creator = st_col_text(q, i++);
	t->creator_name = st_col_text(q, i++);
	t->assigned_at = st_col_int64(q, i++);
	t->deadline = st_col_text(q, i++);
	t->due_at = st_col_int64(q, i++);
	t->state = st_col_text(q, i++);
	t->percent = st_col_int(q, i++);
	t->done_at = st_col_int64(q, i++);
	t->closed_at = st_col_int64(q, i++);
	t->reason = st_col_text(q, i++);
	t->recur = st_col_text(q, i++);
	t->recur_day = st_col_int(q, i++);
	t->series = st_col_text(q, i++);
	t->period = st_col_text(q, i++);
	t->nominal = st_col_text(q, i++);
	t->shared = st_col_int(q, i++);
	t->attachments = st_col_text(q, i++);
	t->communes = st_col_text(q, i++);
	t->updated_at = st_col_int64(q, i++);
	t->last_seq = st_col_int64(q, i++);
}

int st_task_get(st *s, const char *id, st_task_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TASK_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":id", id);
	rc = st_one(&q, "read task", e);
	if (rc)
		return rc;
	st_task t;
	read_task(&q, &t);
	cb(ctx, &t);
	st_reset(&q);
	return MC_OK;
}

int st_task_period_exists(st *s, const char *series, const char *period, int *exists, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TASK_PERIOD, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":series", series);
	st_bind_text(&q, ":period", period);
	rc = st_one(&q, "read task period", e);
	*exists = rc == MC_OK;
	st_reset(&q);
	return rc == MC_ENOTFOUND ? MC_OK : rc;
}

static void bind_filter(st_stmt *q, const st_task_filter *f)
{
	st_bind_text(q, ":agency", f->agency);
	st_bind_text(q, ":member", f->member);
	st_bind_text(q, ":unit", f->unit);
	st_bind_text(q, ":source", f->source);
	st_bind_text(q, ":origin", f->origin);
	st_bind_text(q, ":commune", f->commune);
	st_bind_int(q, ":all", f->see_all ? 1 : 0);
	st_bind_text(q, ":slogin", f->scope_login ? f->scope_login : "");
	st_bind_text(q, ":sunit", f->scope_unit ? f->scope_unit : "");
	st_bind_int(q, ":open", f->open_only ? 1 : 0);
	st_bind_int(q, ":before", f->due_before);
	st_bind_int(q, ":overdue", f->overdue ? 1 : 0);
	st_bind_int(q, ":near", f->near ? 1 : 0);
	st_bind_int(q, ":now", f->now);
}

int st_task_list(st *s, const st_task_filter *f, st_task_cb cb, void *ctx, int64_t *total,
		 mc_err *e)
{
	st_stmt q;
	int rc;
	if (total) {
		rc = ST_Q(s, Q_TASK_COUNT, &q, e);
		if (rc)
			return rc;
		bind_filter(&q, f);
		rc = st_one(&q, "count tasks", e);
		if (rc == MC_ENOTFOUND)
			rc = mc_fail(e, MCE_STORE_IO, "đếm nhiệm vụ: không có kết quả",
				     "count tasks: no row returned");
		if (rc)
			return rc;
		*total = st_col_int64(&q, 0);
		st_reset(&q);
	}
	rc = ST_Q(s, Q_TASK_LIST, &q, e);
	if (rc)
		return rc;
	bind_filter(&q, f);
	st_bind_int(&q, ":limit", f->limit > 0 ? f->limit : -1);
	st_bind_int(&q, ":offset", f->offset > 0 ? f->offset : 0);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_task t;
		read_task(&q, &t);
		if (cb(ctx, &t))
			break;
	}
	return st_walk_end(&q, rc, "list tasks", e);
}

int st_task_series_latest(st *s, const char *agency, st_task_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TASK_SERIES, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_task t;
		read_task(&q, &t);
		if (cb(ctx, &t))
			break;
	}
	return st_walk_end(&q, rc, "list recurring tasks", e);
}

/* ---- history ---- */

int st_task_log_put(st *s, const st_task_log *l, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TASK_LOG_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":task", l->task);
	st_bind_text(&q, ":commune", l->commune ? l->commune : "");
	st_bind_text(&q, ":agency", l->agency);
	st_bind_int(&q, ":seq", l->seq);
	st_bind_int(&q, ":at", l->at);
	st_bind_text(&q, ":actor", l->actor);
	st_bind_text(&q, ":aname", l->actor_name ? l->actor_name : "");
	st_bind_text(&q, ":action", l->action);
	st_bind_text(&q, ":from", l->from_state ? l->from_state : "");
	st_bind_text(&q, ":to", l->to_state ? l->to_state : "");
	st_bind_int(&q, ":percent", l->percent);
	st_bind_text(&q, ":text", l->text ? l->text : "");
	st_bind_text(&q, ":att", l->attachments ? l->attachments : "[]");
	st_bind_text(&q, ":note", l->note ? l->note : "");
	return st_exec_q(&q, "write task history", e);
}

int st_task_log_list(st *s, const char *task, st_task_log_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TASK_LOG_LIST, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":task", task);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		int i = 0;
		st_task_log l;
		l.id = st_col_int64(&q, i++);
		l.task = st_col_text(&q, i++);
		l.commune = st_col_text(&q, i++);
		l.agency = st_col_text(&q, i++);
		l.seq = st_col_int64(&q, i++);
		l.at = st_col_int64(&q, i++);
		l.actor = st_col_text(&q, i++);
		l.actor_name = st_col_text(&q, i++);
		l.action = st_col_text(&q, i++);
		l.from_state = st_col_text(&q, i++);
		l.to_state = st_col_text(&q, i++);
		l.percent = st_col_int(&q, i++);
		l.text = st_col_text(&q, i++);
		l.attachments = st_col_text(&q, i++);
		l.note = st_col_text(&q, i++);
		if (cb(ctx, &l))
			break;
	}
	return st_walk_end(&q, rc, "list task history", e);
}

/* ---- the hub's assignments ---- */

int st_task_assign_put(st *s, const st_task_assign *a, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TASK_ASSIGN_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", a->agency);
	st_bind_text(&q, ":task", a->task);
	st_bind_text(&q, ":state", a->state);
	st_bind_int(&q, ":percent", a->percent);
	st_bind_text(&q, ":unit", a->unit ? a->unit : "");
	st_bind_text(&q, ":officer", a->officer ? a->officer : "");
	st_bind_int(&q, ":delivered", a->delivered_at);
	st_bind_int(&q, ":done", a->done_at);
	st_bind_int(&q, ":closed", a->closed_at);
	st_bind_text(&q, ":reason", a->reason ? a->reason : "");
	st_bind_int(&q, ":updated", a->updated_at);
	return st_exec_q(&q, "write task assignment", e);
}

static void read_assign(const st_stmt *q, st_task_assign *a)
{
	int i = 0;
	a->agency = st_col_text(q, i++);
	a->task = st_col_text(q, i++);
	a->state = st_col_text(q, i++);
	a->percent = st_col_int(q, i++);
	a->unit = st_col_text(q, i++);
	a->officer = st_col_text(q, i++);
	a->delivered_at = st_col_int64(q, i++);
	a->done_at = st_col_int64(q, i++);
	a->closed_at = st_col_int64(q, i++);
	a->reason = st_col_text(q, i++);
	a->updated_at = st_col_int64(q, i++);
}

int st_task_assign_get(st *s, const char *agency, const char *task, st_task_assign_cb cb,
		       void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TASK_ASSIGN_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_text(&q, ":task", task);
	rc = st_one(&q, "read task assignment", e);
	if (rc)
		return rc;
	st_task_assign a;
	read_assign(&q, &a);
	cb(ctx, &a);
	st_reset(&q);
	return MC_OK;
}

int st_task_assign_list(st *s, const char *task, st_task_assign_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TASK_ASSIGN_LIST, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":task", task);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_task_assign a;
		read_assign(&q, &a);
		if (cb(ctx, &a))
			break;
	}
	return st_walk_end(&q, rc, "list task assignments", e);
}
