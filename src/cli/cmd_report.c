/*
 * cmd_report.c - `motcua report NAME [--from] [--to] [--by] [--agency]
 * [--format json|xlsx|csv] [--out FILE]`: the supervision reports the API
 * serves, read in one snapshot (a report never holds a writer up).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/reports.h"
#include "cli/cli.h"

/* Writes bytes to path ("-": standard output) through a temporary file
 * renamed over it, so a reader never sees half a report. */
static int write_out(const char *path, const void *data, size_t len)
{
	if (strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout))
			return cli_fail("cannot write the report to standard output");
		return 0;
	}
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) >= sizeof tmp)
		return cli_fail("--out is too long");
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return cli_fail("cannot create '%s': %s", tmp, strerror(errno));
	int bad = fwrite(data, 1, len, f) != len;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		int err = errno;
		(void)unlink(tmp);
		return cli_fail("cannot write '%s': %s", path, strerror(err));
	}
	fprintf(stderr, "%s: %zu bytes\n", path, len);
	return 0;
}

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
			rc = text ? write_out(out, text, strlen(text)) : cli_fail("out of memory");
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
			rc = write_out(out, bytes, len);
		free(bytes);
	}
	app_read_end(a->app);
	return rc;
}
