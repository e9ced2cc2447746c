/*
 * h_ref.c - handlers for the node and its reference data: health, the API document, catalog, agencies, calendar, settings and their imports.
 * Thin: parse, one app call, JSON out.
 */
#include "http/http_int.h"

int h_healthz(http_req *r)
{
	if (st_schema_version(r->app->st) < 1)
		return http_error(r, 503, "unavailable", "the database does not answer");
	return http_ok(r, 200, json_pack("{s:s}", "status", "ok"));
}

int h_openapi(http_req *r)
{
	return http_ok(r, 200, http_openapi());
}

int h_procedures(http_req *r)
{
	json_t *list;
	mc_err e;
	if (app_catalog_list(r->app, http_arg(r, "field"), http_arg(r, "q"), &list, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, json_pack("{s:o}", "items", list));
}

int h_procedure(http_req *r)
{
	json_t *p;
	mc_err e;
	if (app_catalog_get(r->app, r->params[0], &p, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, p);
}

static int h_agencies_one(void *ctx, const char *code, const char *name, const char *kind,
			  int is_self)
{
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:b}", "code", code, "name", name,
					     "kind", kind, "self", is_self));
	return 0;
}

int h_agencies(http_req *r)
{
	json_t *arr = json_array();
	mc_err e;
	if (st_agency_list(r->app->st, h_agencies_one, arr, &e)) {
		json_decref(arr);
		return http_fail(r, &e);
	}
	return http_ok(r, 200, json_pack("{s:o}", "items", arr));
}

int h_days_off(http_req *r)
{
	const char *ys = http_arg(r, "year");
	char *end;
	long y = ys ? strtol(ys, &end, 10) : 0;
	if (!ys || *end || end == ys || y < CAL_MIN_YEAR || y > CAL_MAX_YEAR)
		return http_error(r, 400, "invalid", "year must be %d to %d", CAL_MIN_YEAR,
				  CAL_MAX_YEAR);
	json_t *days = json_array();
	for (int32_t d = cal_days_from_civil((int)y, 1, 1); d < cal_days_from_civil((int)y + 1, 1, 1);
	     d++) {
		if (!cal_is_workday(&r->app->sched, d)) {
			char s[11];
			cal_format_date(d, s);
			json_array_append_new(days, json_string(s));
		}
	}
	return http_ok(r, 200, json_pack("{s:i, s:b, s:o}", "year", (int)y, "scheduled",
					 cal_sched_has_year(&r->app->sched, (int)y), "days_off", days));
}

int h_due(http_req *r)
{
	const char *at = http_arg(r, "at"), *ts = http_arg(r, "time"), *us = http_arg(r, "unit");
	mc_time t, due;
	mc_err e;
	if (!at || http_parse_time(at, &t, &e))
		return http_error(r, 400, "invalid", "at must be YYYY-MM-DDTHH:MM");
	int unit = us ? dl_unit_parse(us) : -1;
	if (unit < 0)
		return http_error(r, 400, "invalid",
				  "unit must be working_days, working_hours, calendar_days or same_day");
	char *end;
	double amount = ts ? strtod(ts, &end) : 1;
	if (ts && (*end || end == ts))
		return http_error(r, 400, "invalid", "time must be a number");
	if (!ts && unit != DL_SAME_DAY)
		return http_error(r, 400, "invalid", "time is required");
	if (dl_due(&r->app->sched, &r->app->hours, t, amount, unit, &due, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, json_pack("{s:o, s:o}", "at", app_json_time(t), "due",
					 app_json_time(due)));
}

int h_settings(http_req *r)
{
	return http_ok(r, 200, app_settings_json(r->app));
}

int h_settings_update(http_req *r)
{
	static const char *const allowed[] = { "office_hours", "cutoff", NULL };
	json_t *o;
	if (http_body_object(r, allowed, &o))
		return r->status;
	const char *oh, *cut;
	int bad = http_str_field(r, o, "", "office_hours", 0, &oh) || http_str_field(r, o, "", "cutoff", 0, &cut);
	if (!bad && !oh && !cut)
		bad = http_error(r, 400, "invalid", "nothing to change: send office_hours or cutoff");
	mc_err e;
	int rc = bad ? 0 : app_settings_update(r->app, &r->actor, oh, cut, r->now, &e);
	json_decref(o);
	if (bad)
		return r->status;
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 200, app_settings_json(r->app));
}

int h_catalog_import(http_req *r)
{
	static const char *const types[] = { "application/x-ndjson", "application/jsonl",
					     "application/json", "text/plain", NULL };
	if (http_text_body(r, types))
		return r->status;
	app_import_stats is;
	mc_err e;
	if (app_catalog_import(r->app, &r->actor, r->body, r->body_len, "upload", r->now, &is, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "total", is.total, "full",
					 is.full, "partial", is.partial, "rejected", is.rejected,
					 "created", is.created, "updated", is.updated));
}

int h_calendar_import(http_req *r)
{
	static const char *const types[] = { "text/csv", "text/plain", NULL };
	int add = 0;
	if (http_bool_arg(r, "add", &add) || http_text_body(r, types))
		return r->status;
	int years[64], n = 0;
	mc_err e;
	if (app_calendar_import(r->app, &r->actor, r->body, r->body_len, "upload", add, r->now, years,
				&n, &e))
		return http_fail(r, &e);
	json_t *ys = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(ys, json_integer(years[i]));
	return http_ok(r, 200, json_pack("{s:o}", "years", ys));
}
