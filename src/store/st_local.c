/*
 * st_local.c - the commune's own procedure list (danh mục thủ tục hành chính
 * của xã): what a node sets over the national catalog (docs/overlay.md).
 */
#include "st_int.h"

/* Whether a row of procedure p (joined with its local entry o) is on the
 * commune's list: enabled here, or not decided while the commune has no
 * list yet (no procedure enabled). */
#define LISTED                                                                       \
	"(CASE WHEN o.enabled IS NOT NULL THEN o.enabled WHEN EXISTS (SELECT 1 FROM " \
	"procedure_local l WHERE l.agency = :agency AND l.enabled = 1) THEN 0 ELSE 1 END)"
/* Whether the effective entry has no time on any channel. */
#define NO_TIME                                                                      \
	"(coalesce(o.u_direct, p.u_direct) IS NULL AND coalesce(o.u_online, p.u_online) " \
	"IS NULL AND coalesce(o.u_postal, p.u_postal) IS NULL)"
/* Whether some channel's unit is guessed and not set here. */
#define GUESSED                                                                      \
	"((p.t_guessed & ~((o.u_direct IS NOT NULL) | ((o.u_online IS NOT NULL) << 1) | " \
	"((o.u_postal IS NOT NULL) << 2))) <> 0)"

static const char *const sql[Q_N] = {
	[Q_LOCAL_GET] = "SELECT body, version FROM procedure_local WHERE agency = :agency AND "
			"code = :code",
	[Q_LOCAL_PUT] = "INSERT INTO procedure_local(agency, code, version, enabled, t_direct, "
			"u_direct, t_online, u_online, t_postal, u_postal, fee, handling_unit, source, "
			"updated_at, updated_by, body) VALUES (:agency, :code, :version, :enabled, :t0, "
			":u0, :t1, :u1, :t2, :u2, :fee, :hunit, :source, :at, :by, :body) "
			"ON CONFLICT(agency, code) DO UPDATE SET version = excluded.version, "
			"enabled = excluded.enabled, t_direct = excluded.t_direct, "
			"u_direct = excluded.u_direct, t_online = excluded.t_online, "
			"u_online = excluded.u_online, t_postal = excluded.t_postal, "
			"u_postal = excluded.u_postal, fee = excluded.fee, "
			"handling_unit = excluded.handling_unit, source = excluded.source, "
			"updated_at = excluded.updated_at, updated_by = excluded.updated_by, "
			"body = excluded.body",
	[Q_LOCAL_LIST] = "SELECT o.code, coalesce(p.name, ''), o.body FROM procedure_local o "
			 "LEFT JOIN procedure p ON p.code = o.code WHERE o.agency = :agency "
			 "ORDER BY o.code",
	[Q_LOCAL_REVIEW] = "SELECT p.code, p.name, p.field, coalesce(o.enabled, -1), " LISTED ", "
			   NO_TIME ", " GUESSED " FROM procedure p LEFT JOIN procedure_local o "
			   "ON o.agency = :agency AND o.code = p.code "
			   "WHERE coalesce(o.enabled, 1) = 1 AND (" NO_TIME " OR " GUESSED ") "
			   "ORDER BY o.enabled IS NULL, p.field, p.code",
	[Q_LOCAL_RECEIVABLE] = "SELECT p.code, p.name, p.field, coalesce(c.n, 0) AS n "
			       "FROM procedure p LEFT JOIN procedure_local o ON o.agency = :agency "
			       "AND o.code = p.code LEFT JOIN (SELECT procedure, count(*) AS n FROM "
			       "dossier GROUP BY procedure) c ON c.procedure = p.code "
			       "WHERE " LISTED " = 1 AND NOT " NO_TIME " AND "
			       "(:q IS NULL OR instr(p.fold, :q) > 0) "
			       "ORDER BY n DESC, p.code LIMIT :limit",
};

int st_local_put(st *s, const st_local *l, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_LOCAL_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", l->agency);
	st_bind_text(&q, ":code", l->code);
	st_bind_int(&q, ":version", l->version);
	if (l->enabled >= 0)
		st_bind_int(&q, ":enabled", l->enabled);
	for (int ch = 0; ch < 3; ch++) {
		char tn[4] = { ':', 't', (char)('0' + ch), 0 }, un[4] = { ':', 'u', (char)('0' + ch), 0 };
		if (l->unit[ch] >= 0) {
			st_bind_double(&q, tn, l->t[ch]);
			st_bind_text(&q, un, dl_unit_name(l->unit[ch]));
		}
	}
	if (l->fee >= 0)
		st_bind_int(&q, ":fee", l->fee);
	st_bind_text(&q, ":hunit", l->handling_unit ? l->handling_unit : "");
	st_bind_text(&q, ":source", l->source);
	st_bind_int(&q, ":at", l->updated_at);
	st_bind_text(&q, ":by", l->updated_by);
	st_bind_text(&q, ":body", l->body);
	return st_exec_q(&q, "write local procedure", e);
}

int st_local_get(st *s, const char *agency, const char *code, char **body, int *version,
		 mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_LOCAL_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_text(&q, ":code", code);
	rc = st_one(&q, "read local procedure", e);
	if (!rc) {
		if (body)
			*body = mc_xstrdup(st_col_text(&q, 0));
		if (version)
			*version = st_col_int(&q, 1);
	}
	st_reset(&q);
	return rc;
}

int st_local_list(st *s, const char *agency, st_local_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_LOCAL_LIST, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	while ((rc = st_step(&q)) == SQLITE_ROW)
		if (cb(ctx, st_col_text(&q, 0), st_col_text(&q, 1), st_col_text(&q, 2)))
			break;
	return st_walk_end(&q, rc, "list local procedures", e);
}

int st_local_review(st *s, const char *agency, st_review_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_LOCAL_REVIEW, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_review_row r = {
			.code = st_col_text(&q, 0), .name = st_col_text(&q, 1),
			.field = st_col_text(&q, 2), .enabled = st_col_int(&q, 3),
			.listed = st_col_int(&q, 4), .no_time = st_col_int(&q, 5),
			.guessed = st_col_int(&q, 6),
		};
		if (cb(ctx, &r))
			break;
	}
	return st_walk_end(&q, rc, "review local procedures", e);
}

int st_local_receivable(st *s, const char *agency, const char *fold_q, int limit,
			st_receivable_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_LOCAL_RECEIVABLE, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_text(&q, ":q", fold_q && *fold_q ? fold_q : NULL);
	st_bind_int(&q, ":limit", limit);
	while ((rc = st_step(&q)) == SQLITE_ROW)
		if (cb(ctx, st_col_text(&q, 0), st_col_text(&q, 1), st_col_text(&q, 2),
		       st_col_int64(&q, 3)))
			break;
	return st_walk_end(&q, rc, "list receivable procedures", e);
}
