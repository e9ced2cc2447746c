/*
 * cmd_report.c - `motcua report NAME [--from] [--to] [--by] [--agency]
 * [--format json|xlsx|csv] [--out FILE]`: the supervision reports the API
 * serves, read in one snapshot (a report never holds a writer up); and
 * the hidden `motcua test-bench-reports` that make bench times them with.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "app/reports.h"
#include "cli/cli.h"
#include "core/cal.h"

int cmd_report(cli_args *a)
{
	if (a->npos != 1)
		return cli_fail("expected the report's name: ii06a, 766 or trend");
	const char *format = cli_opt(a, "format") ? cli_opt(a, "format") : "json";
	const char *out = cli_opt(a, "out") ? cli_opt(a, "out") : "-";
	app_report_req q = { .name = a->pos[0], .from = cli_opt(a, "from"), .to = cli_opt(a, "to"),
			     .by = cli_opt(a, "by"), .agency = cli_opt(a, "agency") };
	mc_err e;
	if (app_read_begin(a->app, &e))
		return cli_fail_err(&e);
	int rc = 0;
	if (strcmp(format, "json") == 0) {
		json_t *j = NULL;
		if (app_report(a->app, &a->actor, &q, a->now, &j, &e)) {
			rc = cli_fail_err(&e);
		} else {
			char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
			rc = text ? cli_write_out(out, text, strlen(text), "report")
				  : cli_fail("out of memory");
			if (text && strcmp(out, "-") == 0)
				putchar('\n');
			free(text);
		}
		json_decref(j);
	} else {
		unsigned char *bytes = NULL;
		size_t len = 0;
		const char *mime = NULL;
		if (app_report_file(a->app, &a->actor, &q, format, a->now, &bytes, &len, &mime, &e))
			rc = cli_fail_err(&e);
		else
			rc = cli_write_out(out, bytes, len, "report");
		free(bytes);
	}
	app_read_end(a->app);
	return rc;
}

/* ---- make bench (bench/reports.sh) ---- */

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A "Vm...:" figure of /proc/self/status in kB; -1 if unreadable. */
static long vm_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	char line[256];
	long v = -1;
	size_t n = strlen(key);
	while (fgets(line, sizeof line, f))
		if (strncmp(line, key, n) == 0 && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* Resets the process's peak RSS (VmHWM) where the kernel allows it, so
 * the peak after is the reports'. 1 if reset. */
static int reset_peak(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	if (!f)
		return 0;
	int ok = fputs("5", f) >= 0;
	ok &= fclose(f) == 0;
	return ok;
}

static int int_opt(cli_args *a, const char *key, int dflt, int max, int *v)
{
	const char *s = cli_opt(a, key);
	*v = dflt;
	if (s) {
		char *end;
		long x = strtol(s, &end, 10);
		if (*end || x < 1 || x > max)
			return cli_fail("--%s must be 1 to %d", key, max);
		*v = (int)x;
	}
	return 0;
}

static int by_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

enum { RUNS = 3 };

/* One timed run of a report (kind "ii06a" or "766", every agency) or of
 * the baseline count (kind NULL), in its own snapshot. OUT: *secs, and
 * *out the report (caller frees) or *count. */
static int timed(cli_args *a, const char *kind, const char *from, const char *to,
		 double *secs, json_t **out, int64_t *count, mc_err *e)
{
	app_report_req q = { .name = kind, .from = from, .to = to, .all = 1 };
	double t0 = mono();
	int rc = app_read_begin(a->app, e);
	if (!rc)
		rc = kind ? app_report(a->app, &a->actor, &q, a->now, out, e)
			  : app_report_bench_count(a->app, from, to, a->now, count, e);
	app_read_end(a->app);
	*secs = mono() - t0;
	return rc;
}

static json_int_t total_of(const json_t *r, const char *col)
{
	return json_integer_value(json_object_get(json_object_get(r, "total"), col));
}

/* make bench section 9: fills the node with --n dossiers over --agencies
 * communes (unless --fill 0), then times II.06a and the Decision 766 scorecard of the year
 * ending today, commune by commune, against an indexed count(*) of the
 * same rows, in the same process, RUNS times each (interleaved, so drift
 * in the machine's load falls on all three alike). */
int cmd_test_bench_reports(cli_args *a)
{
	int n, agencies;
	if (int_opt(a, "n", 1000000, 1000000, &n) || int_opt(a, "agencies", 100, 100, &agencies))
		return 1;
	mc_err e;
	/* --fill 0 times the reports again over a node filled before. */
	int fill = !cli_opt(a, "fill") || strcmp(cli_opt(a, "fill"), "0") != 0;
	double t0 = mono();
	if (fill && app_report_bench_fill(a->app, n, agencies, 20260713u, a->now, &e))
		return cli_fail_err(&e);
	double secs = mono() - t0;
	if (fill)
		printf("filled %d dossiers over %d agencies, with their events, in %.1f s (%.0f/s)\n",
		       n, agencies, secs, n / secs);
	int32_t today = cal_local_day(a->now);
	char from[11], to[11];
	cal_format_date(today - 364, from);
	cal_format_date(today, to);
	long rss0 = vm_kb("VmRSS");
	int peak_reset = reset_peak();
	double t[3][RUNS];
	json_t *last[2] = { NULL, NULL };
	int64_t count = 0;
	static const char *const kinds[] = { "ii06a", "766", NULL };
	for (int r = 0; r < RUNS; r++)
		for (int k = 0; k < 3; k++) {
			json_t *out = NULL;
			if (timed(a, kinds[k], from, to, &t[k][r], &out, &count, &e)) {
				json_decref(last[0]);
				json_decref(last[1]);
				return cli_fail_err(&e);
			}
			if (k < 2) {
				json_decref(last[k]);
				last[k] = out;
			}
		}
	long rss1 = vm_kb("VmRSS"), hwm = vm_kb("VmHWM");
	for (int k = 0; k < 3; k++)
		qsort(t[k], RUNS, sizeof t[k][0], by_double);
	printf("period %s to %s (the year ending now), every agency, by commune\n", from, to);
	for (int k = 0; k < 2; k++)
		printf("%-5s year (%lld dossiers in it, %zu agencies): best %.3f s, median %.3f s; "
		       "indexed count(*) %.3f s; ratio %.1fx (aim: under 0.5 s)\n",
		       kinds[k], (long long)count,
		       json_array_size(json_object_get(last[k], "rows")), t[k][0],
		       t[k][RUNS / 2], t[2][0], t[k][0] / t[2][0]);
	printf("II.06a total: received %lld (carried %lld, new online %lld, new direct %lld), "
	       "resolved %lld (early %lld, on time %lld, late %lld), pending %lld (overdue %lld)\n",
	       (long long)total_of(last[0], "received"), (long long)total_of(last[0], "carried"),
	       (long long)total_of(last[0], "new_online"), (long long)total_of(last[0], "new_direct"),
	       (long long)total_of(last[0], "resolved"), (long long)total_of(last[0], "early"),
	       (long long)total_of(last[0], "on_time"), (long long)total_of(last[0], "late"),
	       (long long)total_of(last[0], "pending"), (long long)total_of(last[0], "overdue"));
	printf("indexed count(*) of the same rows: %lld (%s II.06a's received)\n", (long long)count,
	       count == total_of(last[0], "received") ? "equals" : "DIFFERS FROM");
	printf("766 total points: %.2f of %.2f computable\n",
	       json_real_value(json_object_get(json_object_get(last[1], "total"), "points")),
	       json_real_value(json_object_get(json_object_get(last[1], "total"),
					       "computable_max")));
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("memory: RSS %.1f MB before the report runs, %.1f MB after (+%.1f MB); peak RSS of "
	       "the report runs %s%.1f MB; of the whole process (fill included) %.1f MB\n",
	       rss0 / 1024.0, rss1 / 1024.0, (rss1 - rss0) / 1024.0, peak_reset ? "" : "(not reset) ",
	       hwm / 1024.0, ru.ru_maxrss / 1024.0);
	json_decref(last[0]);
	json_decref(last[1]);
	return 0;
}
