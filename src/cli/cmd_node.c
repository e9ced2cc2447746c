/* cmd_node.c - creating and checking a node, users, and test helpers. */
#include "cli/cli.h"

#include <time.h>

#include "app/auth.h"
#include "app/jobs.h"
#include "app/notify.h"
#include "app/search.h"
#include "app/sync.h"
#include "http/http.h"
#include "sync/client.h"

int cmd_init(cli_args *a)
{
	const char *dir = cli_opt(a, "dir");
	if (!dir || !*dir)
		dir = getenv("MOTCUA_DIR");
	if (!dir || !*dir)
		return cli_fail("init needs --dir DIR (or MOTCUA_DIR)");
	if (a->npos)
		return cli_fail("unexpected argument '%s'", a->pos[0]);
	app_init_opts o = {
		.agency = cli_opt(a, "agency"), .name = cli_opt(a, "name"), .demo = cli_flag(a, "demo"),
		.office = cli_flag(a, "office"), .hub = cli_flag(a, "hub"),
	};
	mc_err e;
	if (app_init_dir(dir, &o, a->now, stdout, &e))
		return cli_fail_err(&e);
	printf("created %s\n", dir);
	if (!o.demo)
		printf("add an administrator with:\n  motcua user add LOGIN --role admin --name NAME "
		       "--dir %s   (password on stdin)\n",
		       dir);
	return 0;
}

int cmd_check(cli_args *a)
{
	int64_t n = 0, bad = 0;
	mc_err e;
	if (app_check(a->app, &n, &bad, &e)) {
		if (bad)
			return cli_fail_both("kiểm tra thất bại ở sự kiện %lld: %s",
					     "check failed at event %lld: %s", (long long)bad,
					     cli_errmsg(&e));
		return cli_fail_both("kiểm tra thất bại: %s", "check failed: %s", cli_errmsg(&e));
	}
	printf("ok: database intact, %lld events, hash chain verified\n", (long long)n);
	int64_t chains = 0, events = 0;
	if (app_hub_check(a->app, &chains, &events, &e))
		return cli_fail_both("kiểm tra chuỗi của các xã thất bại: %s",
				     "check of the communes' chains failed: %s", cli_errmsg(&e));
	if (app_is_hub(a->app))
		printf("ok: %lld node chains, %lld events, hash chains verified\n", (long long)chains,
		       (long long)events);
	return 0;
}

int cmd_user_add(cli_args *a)
{
	if (a->npos != 1)
		return cli_fail("expected one LOGIN");
	char pw[300];
	if (!fgets(pw, sizeof pw, stdin))
		return cli_fail("expected the password on standard input");
	pw[strcspn(pw, "\r\n")] = 0;
	mc_err e;
	int rc = app_user_add(a->app, &a->actor, a->pos[0], cli_opt(a, "role"), cli_opt(a, "name"),
			      pw, a->now, &e);
	memset(pw, 0, sizeof pw);
	if (rc)
		return cli_fail_err(&e);
	printf("added %s\n", a->pos[0]);
	return 0;
}

int cmd_user_list(cli_args *a)
{
	json_t *arr;
	mc_err e;
	if (auth_staff(a->app, &a->actor, &arr, &e))
		return cli_fail_err(&e);
	if (cli_flag(a, "json")) {
		cli_print_json(arr, 0);
	} else {
		size_t i;
		json_t *u;
		json_array_foreach(arr, i, u)
			printf("%-12s %-10s %s%s\n", json_string_value(json_object_get(u, "login")),
			       json_string_value(json_object_get(u, "role")),
			       json_string_value(json_object_get(u, "name")),
			       json_is_true(json_object_get(u, "disabled")) ? " (disabled)" : "");
	}
	json_decref(arr);
	return 0;
}

static int parse_n(cli_args *a, int dflt, int *n)
{
	const char *s = cli_opt(a, "n");
	*n = dflt;
	if (s) {
		char *end;
		long v = strtol(s, &end, 10);
		if (*end || v < 1 || v > 1000000)
			return cli_fail("--n must be 1 to 1000000");
		*n = (int)v;
	}
	return 0;
}

static int receive_n(cli_args *a, int n, const char *proc, mc_err *e)
{
	char code[96];
	mc_time due;
	for (int i = 0; i < n; i++) {
		char name[64], id[16];
		snprintf(name, sizeof name, "Nguyễn Văn Thử %d", i);
		snprintf(id, sizeof id, "025%09d", 90000000 + i);
		app_receive_req q = {
			.procedure = proc, .channel = "direct", .name = name, .id_number = id,
			.phone = "0912345678", .summary = "Hồ sơ thử",
		};
		int rc = app_receive(a->app, &a->actor, &q, a->now, code, &due, e);
		if (rc)
			return rc;
	}
	return MC_OK;
}

int cmd_test_receive(cli_args *a)
{
	int n;
	if (parse_n(a, 1, &n))
		return 1;
	const char *proc = cli_opt(a, "procedure");
	mc_err e;
	if (receive_n(a, n, proc ? proc : "", &e))
		return cli_fail_err(&e);
	printf("received %d\n", n);
	return 0;
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_notify_sweep(cli_args *a)
{
	app_sweep_stats st;
	mc_err e;
	if (app_notify_sweep(a->app, a->now, &st, &e))
		return cli_fail_err(&e);
	json_t *j = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "near_due", st.near_due,
			      "overdue", st.overdue, "digests", st.digests, "emailed", st.emailed,
			      "email_failed", st.email_failed, "task_near_due", st.task_near_due,
			      "task_overdue", st.task_overdue, "tasks_made", st.tasks_made);
	cli_print_json(j, 0);
	json_decref(j);
	return 0;
}

int cmd_test_bench(cli_args *a)
{
	int n;
	if (parse_n(a, 2000, &n))
		return 1;
	mc_err e;
	char pbuf[32];
	if (app_bench_procedure(a->app, pbuf, &e))
		return cli_fail_err(&e);

	/* Interleaved rounds, so that drift in the machine's load (other
	 * processes, the disk's own caching) falls on both sides alike. */
	const int rounds = 10;
	double t_raw = 0, t_eng = 0;
	int per = n / rounds > 0 ? n / rounds : 1;
	for (int r = 0; r < rounds; r++) {
		double t0 = mono();
		if (app_bench_raw_commits(a->app, per, &e))
			return cli_fail_err(&e);
		double t1 = mono();
		if (receive_n(a, per, pbuf, &e))
			return cli_fail_err(&e);
		t_raw += t1 - t0;
		t_eng += mono() - t1;
	}
	double raw = per * rounds / t_raw, eng = per * rounds / t_eng;
	printf("raw durable INSERT commits/s: %.0f\n", raw);
	printf("engine receptions/s:          %.0f\n", eng);
	printf("ratio engine/raw:             %.2f   (aim >= 0.80)\n", eng / raw);
	return 0;
}

static int by_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

/* p50 and p99 of v[0..n) in ms (sorts v). */
static void pct(double *v, int n, double *p50, double *p99)
{
	qsort(v, (size_t)n, sizeof *v, by_double);
	*p50 = v[n / 2] * 1e3;
	*p99 = v[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1] * 1e3;
}

/* make bench (bench/search.sh): fills the node with --n made-up dossiers
 * and a page of scanned text each, then times full-text searches against
 * the dossier list's own filter (a folded substring scan) on the same
 * words, in the same run. */
int cmd_test_bench_search(cli_args *a)
{
	int n;
	if (parse_n(a, 100000, &n))
		return 1;
	mc_err e;
	double t0 = mono();
	if (app_search_bench_fill(a->app, n, 12345u, a->now, &e))
		return cli_fail_err(&e);
	double fill = mono() - t0;
	printf("filled %d dossiers with a page of text each in %.1f s (%.2f ms each)\n", n, fill,
	       fill * 1e3 / n);
	static const char *const qs[] = { "nguyen thi hoa", "tran van", "Lò Văn Sơn", "0912",
					  "xom chieng", "giay chung nhan quyen su dung dat",
					  "khai tu", "dinh quang" };
	const int reps = 15, nq = (int)MC_ARRAY_LEN(qs);
	double *fts = mc_xmallocarray((size_t)(reps * nq), sizeof *fts);
	double *scan = mc_xmallocarray((size_t)(reps * nq), sizeof *scan);
	printf("%-36s %9s %9s %12s\n", "query", "matches", "fts ms", "list-scan ms");
	for (int r = 0; r < reps; r++) {
		for (int i = 0; i < nq; i++) {
			json_t *out = NULL;
			double s0 = mono();
			int rc = app_search(a->app, &a->actor, qs[i], 20, 0, &out, &e);
			double s1 = mono();
			json_int_t total = json_integer_value(json_object_get(out, "total"));
			json_decref(out);
			if (rc) {
				free(fts);
				free(scan);
				return cli_fail_err(&e);
			}
			app_list_req lq = { .q = qs[i], .limit = 20 };
			out = NULL;
			double l0 = mono();
			rc = app_dossier_list(a->app, &lq, a->now, &out, &e);
			double l1 = mono();
			json_decref(out);
			if (rc) {
				free(fts);
				free(scan);
				return cli_fail_err(&e);
			}
			fts[r * nq + i] = s1 - s0;
			scan[r * nq + i] = l1 - l0;
			if (r == 0)
				printf("%-36s %9lld %9.1f %12.1f\n", qs[i], (long long)total,
				       (s1 - s0) * 1e3, (l1 - l0) * 1e3);
		}
	}
	double f50, f99, s50, s99;
	pct(fts, reps * nq, &f50, &f99);
	pct(scan, reps * nq, &s50, &s99);
	free(fts);
	free(scan);
	printf("full-text search over %d dossiers:  p50 %.1f ms  p99 %.1f ms\n", n, f50, f99);
	printf("dossier list's substring scan:      p50 %.1f ms  p99 %.1f ms\n", s50, s99);
	printf("ratio scan p50 / search p50:        %.1f\n", s50 / f50);
	return 0;
}

int cmd_routes_markdown(cli_args *a)
{
	http_routes_markdown(stdout);
	return 0;
}

int cmd_openapi(cli_args *a)
{
	json_t *problems = http_contract_problems(http_routes, NULL);
	size_t i, n = json_array_size(problems);
	json_t *v;
	json_array_foreach(problems, i, v) fprintf(stderr, "motcua: contract: %s\n",
						   json_string_value(v));
	json_decref(problems);
	if (cli_flag(a, "check")) {
		if (n)
			return 1;
		size_t routes = 0;
		for (const http_route *rt = http_routes; rt->method; rt++)
			routes++;
		printf("The contract is whole: %zu routes, each with its operationId, tag, request "
		       "and response schemas.\n",
		       routes);
		return 0;
	}
	json_t *doc = http_openapi();
	if (!doc || json_dumpf(doc, stdout, JSON_INDENT(2)) || fputc('\n', stdout) == EOF) {
		json_decref(doc);
		fprintf(stderr, "motcua: the OpenAPI document cannot be made\n");
		return 1;
	}
	json_decref(doc);
	return n ? 1 : 0;
}

int cmd_errors_markdown(cli_args *a)
{
	http_errors_markdown(stdout);
	return 0;
}

int cmd_serve(cli_args *a)
{
	const char *listen = cli_opt(a, "listen");
	char dir[512];
	snprintf(dir, sizeof dir, "%s", app_dir(a->app));
	/* The server opens one connection per thread itself. */
	app_close(a->app);
	a->app = NULL;
	const char *proxy = cli_opt(a, "trusted-proxy");
	http_serve_opts o = {
		.listen = listen && *listen ? listen : "127.0.0.1:8080",
		.trusted_proxy = proxy && *proxy ? proxy : NULL,
	};
	mc_err e;
	sync_library_init();
	if (sync_client_start(dir, &e))
		return cli_fail_err(&e);
	if (app_jobs_start(dir, 0, &e)) {
		sync_client_stop();
		return cli_fail_err(&e);
	}
	if (app_notify_start(dir, &e)) {
		app_jobs_stop();
		sync_client_stop();
		return cli_fail_err(&e);
	}
	int rc = http_serve(dir, &o, &e);
	app_notify_stop();
	app_jobs_stop();
	sync_client_stop();
	if (rc)
		return cli_fail_err(&e);
	return 0;
}

int cmd_token_create(cli_args *a)
{
	if (a->npos != 1)
		return cli_fail("expected one LOGIN");
	char token[AUTH_TOKEN_HEX], id[17];
	mc_err e;
	if (auth_token_create(a->app, &a->actor, a->pos[0], a->now, token, id, &e))
		return cli_fail_err(&e);
	printf("%s\n", token);
	fprintf(stderr, "token id %s for %s (revoke with: motcua token revoke %s)\n", id, a->pos[0],
		id);
	return 0;
}

int cmd_token_revoke(cli_args *a)
{
	if (a->npos != 1)
		return cli_fail("expected one TOKEN-ID");
	mc_err e;
	if (auth_token_revoke(a->app, &a->actor, a->pos[0], a->now, &e))
		return cli_fail_err(&e);
	printf("revoked %s\n", a->pos[0]);
	return 0;
}
