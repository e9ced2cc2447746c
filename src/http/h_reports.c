/*
 * h_reports.c - the supervision reports (docs/reports.md): a report as
 * JSON, as .xlsx or .csv, and the dossiers behind one of its numbers. Each
 * route reads in one snapshot (ROUTE_SNAPSHOT), so a report over a year
 * never holds a writer up.
 */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

#include "app/reports.h"

static void req_of(http_req *r, const char *name, app_report_req *q)
{
	*q = (app_report_req){ .name = name, .from = http_arg(r, "from"), .to = http_arg(r, "to"),
			       .by = http_arg(r, "by"), .agency = http_arg(r, "agency") };
}

int h_report(http_req *r)
{
	app_report_req q;
	req_of(r, r->params[0], &q);
	json_t *out;
	mc_err e;
	if (app_report(r->app, &r->actor, &q, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_report_file(http_req *r)
{
	size_t n = strlen(r->path);
	const char *format = n > 5 && strcmp(r->path + n - 5, ".xlsx") == 0 ? "xlsx" : "csv";
	app_report_req q;
	req_of(r, r->params[0], &q);
	unsigned char *bytes;
	size_t len;
	const char *mime;
	mc_err e;
	if (app_report_file(r->app, &r->actor, &q, format, r->now, &bytes, &len, &mime, &e))
		return http_fail(r, &e);
	char name[96];
	snprintf(name, sizeof name, "bao-cao-%.32s.%s", r->params[0], format);
	return http_download(r, (char *)bytes, len, mime, name, 0);
}

int h_report_dossiers(http_req *r)
{
	app_report_req q;
	req_of(r, r->params[0], &q);
	json_t *out;
	mc_err e;
	if (app_report_dossiers(r->app, &r->actor, &q, http_arg(r, "row"), http_arg(r, "col"),
				http_arg(r, "part"), r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}
