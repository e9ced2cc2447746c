/*
 * st_report.c - the facts the supervision reports count (st_report.h).
 *
 * One walk per agency over the index dossier_report (schema 0014): the
 * II.06a columns come from the index alone; the supplement waits are read
 * only for a dossier still pending at the period's end, and the Decision
 * 766 facts only when asked for. The hub reads the same columns from the
 * view hub_report over its copies.
 */
#include "st_int.h"

#include <jansson.h>

#include "core/dl.h"
#include "st_report.h"

/* The columns both walks return, d being the node's table or the hub's
 * view: 0..5 text, 6..9 times and the verdict, 10..12 the wait columns. */
#define PENDING "CASE WHEN d.supplements > 0 AND (d.finished_at = 0 OR d.finished_at >= :end) "
#define WAITS                                                                                 \
	PENDING "THEN (SELECT total(p.added) FROM dossier_pause p WHERE p.dossier = d.code "  \
	"AND p.paused_at >= :end) ELSE 0 END, "                                               \
	PENDING "THEN (SELECT p.paused_at FROM dossier_pause p WHERE p.dossier = d.code "     \
	"AND p.paused_at < :end AND (p.resumed_at = 0 OR p.resumed_at >= :end) "              \
	"ORDER BY p.paused_at DESC LIMIT 1) END, "                                            \
	PENDING "THEN (SELECT p.added FROM dossier_pause p WHERE p.dossier = d.code "         \
	"AND p.paused_at < :end AND (p.resumed_at = 0 OR p.resumed_at >= :end) "              \
	"ORDER BY p.paused_at DESC LIMIT 1) END"
#define COLS                                                                                  \
	"SELECT d.agency, d.code, d.procedure, d.channel, d.assignee, '', d.received_at, "    \
	"d.finished_at, d.due_legal, d.timeliness, " WAITS
#define WHERE                                                                                 \
	" WHERE d.agency = :agency AND d.received_at > 0 AND d.received_at < :end "           \
	"AND (d.finished_at = 0 OR d.finished_at >= :from)"

/* Decision 766 facts (rep.h REP_F_*), as one bit mask. II.06a walks
 * without them (NO_FLAGS), so that the index alone answers it. On a node
 * the 766 walk reads the index too (status and last_seq are in it) and
 * takes the facts held in other tables from FACTS, one grouped read per
 * table for the agency, instead of seven look-ups per dossier. */
#define NO_FLAGS ", 0"
#define NODE_INDEX_FLAGS                                                                      \
	", (CASE WHEN d.status IN ('result_ready', 'returned') THEN 16 ELSE 0 END) + "        \
	"(CASE WHEN d.last_seq <= :acked THEN 2048 ELSE 0 END)"
#define FACTS                                                                                 \
	"SELECT dossier, 32 FROM dossier_file WHERE agency = :agency AND kind = 'result' "    \
	"UNION ALL SELECT dossier, 128 FROM dossier_file WHERE agency = :agency "             \
	"AND source IN ('reused', 'data_store') "                                             \
	"UNION ALL SELECT f.dossier, 64 FROM dossier_file f JOIN dossier d ON d.code = "      \
	"f.dossier WHERE f.agency = :agency AND f.component >= 0 GROUP BY f.dossier HAVING "  \
	"count(DISTINCT f.component) >= max(json_array_length(d.components), 1) "             \
	"UNION ALL SELECT dossier, 256 FROM fee WHERE agency = :agency AND amount > 0 "       \
	"UNION ALL SELECT dossier, 512 FROM fee WHERE agency = :agency AND amount > 0 "       \
	"AND method = 'online' "                                                              \
	"UNION ALL SELECT dossier, 1024 FROM rating WHERE agency = :agency AND level = 1"
/* On the hub: its own copies of the files, and the fee and rating events
 * the commune sent; whatever the hub holds has reached it (synced). */
#define HUB_FLAGS                                                                             \
	", CASE WHEN :flags THEN "                                                            \
	"(CASE WHEN d.status IN ('result_ready', 'returned') THEN 16 ELSE 0 END) + "          \
	"(CASE WHEN EXISTS (SELECT 1 FROM hub_file f WHERE f.dossier = d.code "               \
	"AND f.kind = 'result') THEN 32 ELSE 0 END) + "                                       \
	"(CASE WHEN d.n_components > 0 AND (SELECT count(DISTINCT f.component) FROM hub_file " \
	"f WHERE f.dossier = d.code AND f.component >= 0) >= d.n_components THEN 64 ELSE 0 "  \
	"END) + "                                                                             \
	"(CASE WHEN EXISTS (SELECT 1 FROM hub_file f WHERE f.dossier = d.code "               \
	"AND f.source IN ('reused', 'data_store')) THEN 128 ELSE 0 END) + "                   \
	"(CASE WHEN EXISTS (SELECT 1 FROM hub_event v WHERE v.dossier = d.code AND "          \
	"v.kind = 'dossier.fee' AND json_extract(v.payload, '$.fee.amount') > 0) "            \
	"THEN 256 ELSE 0 END) + "                                                             \
	"(CASE WHEN EXISTS (SELECT 1 FROM hub_event v WHERE v.dossier = d.code AND "          \
	"v.kind = 'dossier.fee' AND json_extract(v.payload, '$.fee.amount') > 0 AND "         \
	"json_extract(v.payload, '$.fee.method') = 'online') THEN 512 ELSE 0 END) + "         \
	"(CASE WHEN EXISTS (SELECT 1 FROM hub_event v WHERE v.dossier = d.code AND "          \
	"v.kind = 'dossier.rated' AND json_extract(v.payload, '$.level') = 1) "               \
	"THEN 1024 ELSE 0 END) + 2048 ELSE 0 END"

static const char *const sql[Q_N] = {
	[Q_REP_NODE] = COLS NO_FLAGS " FROM dossier d" WHERE,
	[Q_REP_NODE_766] = COLS NODE_INDEX_FLAGS " FROM dossier d" WHERE,
	[Q_REP_FACTS] = FACTS,
	[Q_REP_ACKED] = "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM sync_state "
			"WHERE key = 'acked_seq'), 0)",
	[Q_REP_HUB] = COLS NO_FLAGS " FROM hub_report d" WHERE,
	[Q_REP_HUB_766] = COLS HUB_FLAGS " FROM hub_report d" WHERE,
	[Q_REP_AG_NODE] = "SELECT DISTINCT agency FROM dossier ORDER BY agency",
	[Q_REP_AG_HUB] = "SELECT DISTINCT agency FROM hub_dossier ORDER BY agency",
	[Q_REP_COUNT] = "SELECT count(*) FROM dossier d" WHERE,
};

static int timeliness(const char *t)
{
	if (strcmp(t, "early") == 0)
		return DL_EARLY;
	if (strcmp(t, "on_time") == 0)
		return DL_ON_TIME;
	if (strcmp(t, "late") == 0)
		return DL_LATE;
	return 0;
}

/* The 766 facts other tables hold for agency's dossiers: code -> bits.
 * OUT: *facts (caller decrefs), *acked (the hub's acknowledged seq). */
static int node_facts(st *s, const char *agency, json_t **facts, int64_t *acked, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_REP_ACKED, &q, e);
	if (rc)
		return rc;
	rc = st_one(&q, "read the acknowledged event", e);
	if (rc == MC_ENOTFOUND)
		rc = mc_fail(e, MCE_STORE_IO, "không đọc được sự kiện đã xác nhận",
			     "cannot read the acknowledged event");
	if (rc)
		return rc;
	*acked = st_col_int64(&q, 0);
	st_reset(&q);
	if ((rc = ST_Q(s, Q_REP_FACTS, &q, e)) != MC_OK)
		return rc;
	st_bind_text(&q, ":agency", agency);
	json_t *m = json_object();
	int src;
	while ((src = st_step(&q)) == SQLITE_ROW) {
		const char *code = st_col_text(&q, 0);
		json_t *v = json_object_get(m, code);
		json_int_t bits = (v ? json_integer_value(v) : 0) | st_col_int64(&q, 1);
		if (json_object_set_new(m, code, json_integer(bits))) {
			src = SQLITE_NOMEM;
			break;
		}
	}
	rc = st_walk_end(&q, src, "read the report's facts", e);
	if (rc)
		json_decref(m);
	else
		*facts = m;
	return rc;
}

int st_report_walk(st *s, int hub, const char *agency, mc_time from, mc_time end,
		   int with_flags, st_report_cb cb, void *ctx, mc_err *e)
{
	json_t *facts = NULL;
	int64_t acked = 0;
	if (with_flags && !hub) {
		int frc = node_facts(s, agency, &facts, &acked, e);
		if (frc)
			return frc;
	}
	st_stmt q;
	int id = hub ? (with_flags ? Q_REP_HUB_766 : Q_REP_HUB)
		     : (with_flags ? Q_REP_NODE_766 : Q_REP_NODE);
	int rc = ST_Q(s, id, &q, e);
	if (rc) {
		json_decref(facts);
		return rc;
	}
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":from", from);
	st_bind_int(&q, ":end", end);
	if (with_flags && hub)
		st_bind_int(&q, ":flags", 1);
	else if (with_flags)
		st_bind_int(&q, ":acked", acked);
	int src, stop = 0;
	while ((src = st_step(&q)) == SQLITE_ROW) {
		st_report_row r = {
			.agency = st_col_text(&q, 0),
			.code = st_col_text(&q, 1),
			.procedure = st_col_text(&q, 2),
			.channel = st_col_text(&q, 3),
			.assignee = st_col_text(&q, 4),
			.status = st_col_text(&q, 5),
		};
		r.f.received = st_col_int64(&q, 6);
		r.f.finished = st_col_int64(&q, 7);
		r.f.due_legal = st_col_int64(&q, 8);
		r.f.timeliness = timeliness(st_col_text(&q, 9));
		r.f.online = strcmp(r.channel, "online") == 0;
		r.f.added_after = st_col_int64(&q, 10);
		r.f.span_at = st_col_int64(&q, 11);
		r.f.span_added = st_col_int64(&q, 12);
		r.f.flags = (unsigned)st_col_int64(&q, 13);
		if (facts)
			r.f.flags |= (unsigned)json_integer_value(json_object_get(facts, r.code));
		if ((stop = cb(ctx, &r)) != 0)
			break;
	}
	json_decref(facts);
	if (stop) {
		st_reset(&q);
		return stop;
	}
	return st_walk_end(&q, src, "read the report's dossiers", e);
}

int st_report_agencies(st *s, int hub, st_report_agency_cb cb, void *ctx, mc_err *e)
{
	/* The list is read whole first: cb walks each agency with another
	 * statement, and a step left open here would hold this one. */
	st_stmt q;
	int rc = ST_Q(s, hub ? Q_REP_AG_HUB : Q_REP_AG_NODE, &q, e);
	if (rc)
		return rc;
	json_t *list = json_array();
	int src;
	while ((src = st_step(&q)) == SQLITE_ROW)
		json_array_append_new(list, json_string(st_col_text(&q, 0)));
	rc = st_walk_end(&q, src, "list the agencies", e);
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		if (rc)
			break;
		rc = cb(ctx, json_string_value(v));
	}
	json_decref(list);
	return rc;
}

int st_report_count(st *s, const char *agency, mc_time from, mc_time end, int64_t *n, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_REP_COUNT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":from", from);
	st_bind_int(&q, ":end", end);
	rc = st_one(&q, "count the report's dossiers", e);
	if (rc == MC_ENOTFOUND) /* an aggregate always has its row */
		rc = mc_fail(e, MCE_STORE_IO, "đếm hồ sơ: không có kết quả", "count dossiers: no row");
	if (!rc) {
		*n = st_col_int64(&q, 0);
		st_reset(&q);
	}
	return rc;
}
