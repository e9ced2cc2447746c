/*
 * reports.h - supervision reports (issue 13; docs/reports.md): Biểu II.06a
 * and the Decision 766 indicators for a period, their trend, the dossiers
 * behind every number, and their exports. On a commune's node they count
 * its own dossiers; on a hub, every commune's copies, commune by commune.
 * Each is a read: the caller runs it in one snapshot (app_read_begin).
 */
#ifndef APP_REPORTS_H
#define APP_REPORTS_H

#include "app/app.h"

typedef struct {
	const char *name;   /* "ii06a" | "766" | "trend" */
	const char *from;   /* "YYYY-MM-DD" (default: the first of this month) */
	const char *to;     /* "YYYY-MM-DD", inclusive (default: today) */
	const char *by;     /* ii06a: field (default) | procedure | officer | channel |
			     * commune (the default on a hub); 766: "" or commune */
	const char *agency; /* hub only: one commune (NULL: all) */
	int all;            /* bench only (motcua test-bench-reports): on a node,
			     * every agency its dossier table holds, by commune */
} app_report_req;

/* The report as JSON (docs/reports.md): its columns or indicators, rows,
 * totals, charts (SVG text) and "table", the layout its exports print.
 * MC_EINVAL (report.bad_param) naming a bad parameter; MC_ENOTFOUND for an
 * unknown report; MC_EPERM for an officer who may not read reports
 * (leader, admin, supervisor may). OUT: *out. */
MC_MUST_USE int app_report(app *a, const app_actor *by, const app_report_req *q, mc_time now,
			   json_t **out, mc_err *e);

/* The dossiers behind one number: for ii06a the row key (as the report
 * gave it; "" for the total) and column key; for 766 the row key, the
 * indicator id (col) and part "numerator" | "denominator". OUT: *out
 * {"items": [...], "total": n, "truncated": bool} (at most 2000 items). */
MC_MUST_USE int app_report_dossiers(app *a, const app_actor *by, const app_report_req *q,
				    const char *row, const char *col, const char *part,
				    mc_time now, json_t **out, mc_err *e);

/* The report as a file: format "xlsx" or "csv" (UTF-8 with a BOM). OUT:
 * *bytes, *len (caller frees), *mime. */
MC_MUST_USE int app_report_file(app *a, const app_actor *by, const app_report_req *q,
				const char *format, mc_time now, unsigned char **bytes,
				size_t *len, const char **mime, mc_err *e);

/* ---- bench only (motcua test-bench-reports, bench/reports.sh) ---- */

/* Fills the node's dossier table with n made-up dossiers spread over
 * `agencies` communes (000.00.45.H45 ...; at most 100, each named in the
 * agency table), received in time order over the two years before now,
 * with their events (the real hash-chained log) and their supplement
 * waits: a commune's mix of channels, procedures of the catalog (import
 * it first), outcomes and timeliness. Same seed, same dossiers. Commits
 * every 2000; prints progress on stderr. */
MC_MUST_USE int app_report_bench_fill(app *a, int n, int agencies, unsigned seed, mc_time now,
				      mc_err *e);

/* The baseline of the bench: an indexed count(*) of the rows a report of
 * the period from..to ("YYYY-MM-DD", as app_report_req) reads, summed over
 * every agency of the node's dossier table (what all = 1 walks). OUT: *n. */
MC_MUST_USE int app_report_bench_count(app *a, const char *from, const char *to, mc_time now,
				       int64_t *n, mc_err *e);

#endif
