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

#include "core/dl.h"
#include "st_report.h"

/* The columns both walks return, d being the node's table or the hub's
 * view: 0..5 text, 6..9 times and the verdict, 10..12 the wait columns. */
#define WAITS                                                                                 \
	"CASE WHEN d.finished_at = 0 OR d.finished_at >= :end THEN "                          \
	"(SELECT total(p.added) FROM dossier_pause p WHERE p.dossier = d.code "               \
	"AND p.paused_at >= :end) ELSE 0 END, "                                               \
	"CASE WHEN d.finished_at = 0 OR d.finished_at >= :end THEN "                          \
	"(SELECT p.paused_at FROM dossier_pause p WHERE p.dossier = d.code "                  \
	"AND p.paused_at < :end AND (p.resumed_at = 0 OR p.resumed_at >= :end) "              \
	"ORDER BY p.paused_at DESC LIMIT 1) END, "                                            \
	"CASE WHEN d.finished_at = 0 OR d.finished_at >= :end THEN "                          \
	"(SELECT p.added FROM dossier_pause p WHERE p.dossier = d.code "                      \
	"AND p.paused_at < :end AND (p.resumed_at = 0 OR p.resumed_at >= :end) "              \
	"ORDER BY p.paused_at DESC LIMIT 1) END"
#define COLS                                                                                  \
	"SELECT d.agency, d.code, d.procedure, d.channel, d.assignee, '', d.received_at, "    \
	"d.finished_at, d.due_legal, d.timeliness, " WAITS
#define WHERE                                                                                 \
	" WHERE d.agency = :agency AND d.received_at > 0 AND d.received_at < :end "           \
	"AND (d.finished_at = 0 OR d.finished_at >= :from)"

/* Decision 766 facts (rep.h REP_F_*), as one bit mask. */
#define NODE_FLAGS                                                                            \
	", CASE WHEN :flags THEN "                                                            \
	"(CASE WHEN d.status IN ('result_ready', 'returned') THEN 16 ELSE 0 END) + "          \
	"(CASE WHEN EXISTS (SELECT 1 FROM dossier_file f WHERE f.dossier = d.code "           \
	"AND f.kind = 'result') THEN 32 ELSE 0 END) + "                                       \
	"(CASE WHEN json_array_length(d.components) > 0 AND (SELECT count(DISTINCT "          \
	"f.component) FROM dossier_file f WHERE f.dossier = d.code AND f.component >= 0) "    \
	">= json_array_length(d.components) THEN 64 ELSE 0 END) + "                           \
	"(CASE WHEN EXISTS (SELECT 1 FROM dossier_file f WHERE f.dossier = d.code "           \
	"AND f.source IN ('reused', 'data_store')) THEN 128 ELSE 0 END) + "                   \
	"(CASE WHEN EXISTS (SELECT 1 FROM fee WHERE fee.dossier = d.code AND fee.amount > 0) " \
	"THEN 256 ELSE 0 END) + "                                                             \
	"(CASE WHEN EXISTS (SELECT 1 FROM fee WHERE fee.dossier = d.code AND fee.amount > 0 " \
	"AND fee.method = 'online') THEN 512 ELSE 0 END) + "                                  \
	"(CASE WHEN EXISTS (SELECT 1 FROM rating r WHERE r.dossier = d.code AND "             \
	"r.level = 1) THEN 1024 ELSE 0 END) + "                                               \
	"(CASE WHEN d.last_seq <= coalesce((SELECT CAST(value AS INTEGER) FROM sync_state "   \
	"WHERE key = 'acked_seq'), 0) THEN 2048 ELSE 0 END) ELSE 0 END"
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

enum { Q_REP_NODE, Q_REP_HUB, Q_REP_AG_NODE, Q_REP_AG_HUB, Q_REP_COUNT, Q_REP_N };

static const char *const sql[Q_REP_N] = {
	[Q_REP_NODE] = COLS NODE_FLAGS " FROM dossier d" WHERE,
	[Q_REP_HUB] = COLS HUB_FLAGS " FROM hub_report d" WHERE,
	[Q_REP_AG_NODE] = "SELECT DISTINCT agency FROM dossier ORDER BY agency",
	[Q_REP_AG_HUB] = "SELECT DISTINCT agency FROM hub_dossier ORDER BY agency",
	[Q_REP_COUNT] = "SELECT count(*) FROM dossier d" WHERE,
};

/* Reports run rarely and take a snapshot of their own: one-off statements
 * keep the connection's cache for the hot paths. */
static int prepare(st *s, int id, st_stmt *q, mc_err *e)
{
	return st_prepare(s, sql[id], q, e);
}

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

int st_report_walk(st *s, int hub, const char *agency, mc_time from, mc_time end,
		   int with_flags, st_report_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = prepare(s, hub ? Q_REP_HUB : Q_REP_NODE, &q, e);
	if (rc) {
		st_finalize(&q);
		return rc;
	}
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":from", from);
	st_bind_int(&q, ":end", end);
	st_bind_int(&q, ":flags", with_flags ? 1 : 0);
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
		if ((stop = cb(ctx, &r)) != 0)
			break;
	}
	if (stop) {
		st_finalize(&q);
		return stop;
	}
	rc = src == SQLITE_DONE ? MC_OK : st_qfail(&q, src, "read the report's dossiers", e);
	st_finalize(&q);
	return rc;
}

int st_report_agencies(st *s, int hub, st_report_agency_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = prepare(s, hub ? Q_REP_AG_HUB : Q_REP_AG_NODE, &q, e);
	if (rc) {
		st_finalize(&q);
		return rc;
	}
	int src, stop = 0;
	while ((src = st_step(&q)) == SQLITE_ROW)
		if ((stop = cb(ctx, st_col_text(&q, 0))) != 0)
			break;
	rc = stop ? stop
		  : (src == SQLITE_DONE ? MC_OK : st_qfail(&q, src, "list the agencies", e));
	st_finalize(&q);
	return rc;
}

int st_report_count(st *s, const char *agency, mc_time from, mc_time end, int64_t *n, mc_err *e)
{
	st_stmt q;
	int rc = prepare(s, Q_REP_COUNT, &q, e);
	if (!rc) {
		st_bind_text(&q, ":agency", agency);
		st_bind_int(&q, ":from", from);
		st_bind_int(&q, ":end", end);
		int src = st_step(&q);
		if (src == SQLITE_ROW)
			*n = st_col_int64(&q, 0);
		else
			rc = st_qfail(&q, src, "count the report's dossiers", e);
	}
	st_finalize(&q);
	return rc;
}
