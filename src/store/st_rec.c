/*
 * st_rec.c - recommendations (kiến nghị, schema 19). See st_rec.h.
 */
#include "st_int.h"
#include "st_rec.h"

#define REC_COLS                                                                          \
	"agency, id, state, round, concerns, department, field, filed_at, routed_at, due_at, " \
	"answered_at, ended_at, fold, body, updated_at"
/* One filter for the list and its count: an empty parameter keeps all. */
#define REC_WHERE                                                                          \
	"WHERE (:agency = '' OR agency = :agency) "                                         \
	"AND (:state = '' OR state = :state OR (:state = 'open' AND state IN ('filed','routed'))) " \
	"AND (:department = '' OR department = :department) "                               \
	"AND (:concerns = '' OR concerns = :concerns) AND (:field = '' OR field = :field) "  \
	"AND (:fold = '' OR instr(fold, :fold) > 0) "                                       \
	"AND (:from = 0 OR filed_at >= :from) AND (:to = 0 OR filed_at < :to) "             \
	"AND (:due_before = 0 OR (state = 'routed' AND due_at > 0 AND due_at < :due_before)) "
#define STEP_COLS "agency, id, n, origin, action, side, round, at, actor, seq, body"

static const char *const sql[Q_N] = {
	[Q_REC_SERIAL] = "INSERT INTO recommendation_serial(agency, year, last) VALUES (:agency, "
			 ":year, 1) ON CONFLICT(agency, year) DO UPDATE SET last = last + 1 "
			 "RETURNING last",
	[Q_REC_PUT] = "INSERT INTO recommendation(" REC_COLS ") VALUES (:agency, :id, :state, "
		      ":round, :concerns, :department, :field, :filed_at, :routed_at, :due_at, "
		      ":answered_at, :ended_at, :fold, :body, :updated_at) "
		      "ON CONFLICT(agency, id) DO UPDATE SET state = excluded.state, "
		      "round = excluded.round, concerns = excluded.concerns, "
		      "department = excluded.department, field = excluded.field, "
		      "filed_at = excluded.filed_at, routed_at = excluded.routed_at, "
		      "due_at = excluded.due_at, answered_at = excluded.answered_at, "
		      "ended_at = excluded.ended_at, fold = excluded.fold, body = excluded.body, "
		      "updated_at = excluded.updated_at",
	[Q_REC_GET] = "SELECT " REC_COLS " FROM recommendation WHERE id = :id",
	[Q_REC_LIST] = "SELECT " REC_COLS " FROM recommendation " REC_WHERE
		       "ORDER BY filed_at DESC, id DESC LIMIT :limit OFFSET :offset",
	[Q_REC_COUNT] = "SELECT count(*) FROM recommendation " REC_WHERE,
	[Q_REC_STEP_ADD] = "INSERT INTO recommendation_step(" STEP_COLS ") SELECT :agency, :id, "
			   "(SELECT coalesce(max(n), 0) + 1 FROM recommendation_step WHERE "
			   "agency = :agency AND id = :id), :origin, :action, :side, :round, :at, "
			   ":actor, :seq, :body WHERE NOT EXISTS (SELECT 1 FROM recommendation_step "
			   "WHERE agency = :agency AND id = :id AND origin = :origin)",
	[Q_REC_STEPS] = "SELECT " STEP_COLS " FROM recommendation_step WHERE id = :id ORDER BY n",
};

int st_rec_serial_next(st *s, const char *agency, int year, int64_t *n, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_REC_SERIAL, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":year", year);
	rc = st_one(&q, "number a recommendation", e);
	if (rc)
		return rc;
	*n = st_col_int64(&q, 0);
	st_reset(&q);
	return MC_OK;
}

int st_rec_put(st *s, const st_rec *r, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_REC_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", r->agency);
	st_bind_text(&q, ":id", r->id);
	st_bind_text(&q, ":state", r->state);
	st_bind_int(&q, ":round", r->round);
	st_bind_text(&q, ":concerns", r->concerns);
	st_bind_text(&q, ":department", r->department ? r->department : "");
	st_bind_text(&q, ":field", r->field ? r->field : "");
	st_bind_int(&q, ":filed_at", r->filed_at);
	st_bind_int(&q, ":routed_at", r->routed_at);
	st_bind_int(&q, ":due_at", r->due_at);
	st_bind_int(&q, ":answered_at", r->answered_at);
	st_bind_int(&q, ":ended_at", r->ended_at);
	st_bind_text(&q, ":fold", r->fold ? r->fold : "");
	st_bind_text(&q, ":body", r->body);
	st_bind_int(&q, ":updated_at", r->updated_at);
	return st_exec_q(&q, "save recommendation", e);
}

static void read_rec(st_stmt *q, st_rec *r)
{
	r->agency = st_col_text(q, 0);
	r->id = st_col_text(q, 1);
	r->state = st_col_text(q, 2);
	r->round = st_col_int(q, 3);
	r->concerns = st_col_text(q, 4);
	r->department = st_col_text(q, 5);
	r->field = st_col_text(q, 6);
	r->filed_at = st_col_int64(q, 7);
	r->routed_at = st_col_int64(q, 8);
	r->due_at = st_col_int64(q, 9);
	r->answered_at = st_col_int64(q, 10);
	r->ended_at = st_col_int64(q, 11);
	r->fold = st_col_text(q, 12);
	r->body = st_col_text(q, 13);
	r->updated_at = st_col_int64(q, 14);
}

int st_rec_get(st *s, const char *id, st_rec_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_REC_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":id", id);
	rc = st_one(&q, "read recommendation", e);
	if (rc)
		return rc;
	st_rec r;
	read_rec(&q, &r);
	cb(ctx, &r);
	st_reset(&q);
	return MC_OK;
}

static void bind_filter(st_stmt *q, const st_rec_filter *f)
{
	st_bind_text(q, ":agency", f->agency ? f->agency : "");
	st_bind_text(q, ":state", f->state ? f->state : "");
	st_bind_text(q, ":department", f->department ? f->department : "");
	st_bind_text(q, ":concerns", f->concerns ? f->concerns : "");
	st_bind_text(q, ":field", f->field ? f->field : "");
	st_bind_text(q, ":fold", f->fold ? f->fold : "");
	st_bind_int(q, ":from", f->from);
	st_bind_int(q, ":to", f->to);
	st_bind_int(q, ":due_before", f->due_before);
}

int st_rec_list(st *s, const st_rec_filter *f, st_rec_cb cb, void *ctx, int64_t *total,
		mc_err *e)
{
	st_stmt q;
	int rc;
	if (total) {
		rc = ST_Q(s, Q_REC_COUNT, &q, e);
		if (rc)
			return rc;
		bind_filter(&q, f);
		rc = st_one(&q, "count recommendations", e);
		if (rc)
			return rc;
		*total = st_col_int64(&q, 0);
		st_reset(&q);
	}
	rc = ST_Q(s, Q_REC_LIST, &q, e);
	if (rc)
		return rc;
	bind_filter(&q, f);
	st_bind_int(&q, ":limit", f->limit > 0 ? f->limit : -1);
	st_bind_int(&q, ":offset", f->offset > 0 ? f->offset : 0);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_rec r;
		read_rec(&q, &r);
		if (cb(ctx, &r))
			break;
	}
	return st_walk_end(&q, rc, "list recommendations", e);
}

int st_rec_step_add(st *s, const st_rec_step *p, int *added, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_REC_STEP_ADD, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", p->agency);
	st_bind_text(&q, ":id", p->id);
	st_bind_text(&q, ":origin", p->origin);
	st_bind_text(&q, ":action", p->action);
	st_bind_text(&q, ":side", p->side);
	st_bind_int(&q, ":round", p->round);
	st_bind_int(&q, ":at", p->at);
	st_bind_text(&q, ":actor", p->actor);
	st_bind_int(&q, ":seq", p->seq);
	st_bind_text(&q, ":body", p->body);
	rc = st_exec_q(&q, "add a recommendation's step", e);
	if (!rc && added)
		*added = sqlite3_changes(s->db) > 0;
	return rc;
}

int st_rec_steps(st *s, const char *id, st_rec_step_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_REC_STEPS, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":id", id);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_rec_step p = {
			.agency = st_col_text(&q, 0), .id = st_col_text(&q, 1),
			.n = st_col_int64(&q, 2), .origin = st_col_text(&q, 3),
			.action = st_col_text(&q, 4), .side = st_col_text(&q, 5),
			.round = st_col_int(&q, 6), .at = st_col_int64(&q, 7),
			.actor = st_col_text(&q, 8), .seq = st_col_int64(&q, 9),
			.body = st_col_text(&q, 10),
		};
		if (cb(ctx, &p))
			break;
	}
	return st_walk_end(&q, rc, "list a recommendation's steps", e);
}
