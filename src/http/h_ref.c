/*
 * h_ref.c - handlers for the node and its reference data: health, the API document, catalog, agencies, calendar, settings and their imports.
 * Thin: parse, one app call, JSON out.
 */
#include "http/http_int.h"

int h_healthz(http_req *r)
{
	mc_err e;
	if (app_health(r->app, &e))
		return http_fail_as(r, MCE_UNAVAILABLE, &e);
	return http_ok(r, 200, json_pack("{s:s}", "status", "ok"));
}

int h_openapi(http_req *r)
{
	json_t *doc = http_openapi();
	if (!doc)
		return http_error(r, MCE_INTERNAL, "tài liệu API trong chương trình bị hỏng",
				  "the built-in API contract is broken");
	return http_ok(r, 200, doc);
}

int h_procedures(http_req *r)
{
	long offset = 0, limit = 100;
	if (http_long_arg(r, "offset", 0, 1000000, &offset) ||
	    http_long_arg(r, "limit", 1, 500, &limit))
		return r->status;
	json_t *page;
	mc_err e;
	if (app_catalog_page(r->app, http_arg(r, "field"), http_arg(r, "q"), (int)offset,
			     (int)limit, &page, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, page);
}

int h_procedure(http_req *r)
{
	json_t *p;
	mc_err e;
	if (app_catalog_get(r->app, r->params[0], &p, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, p);
}

int h_agencies(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_agencies_json(r->app, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_days_off(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_days_off(r->app, http_arg(r, "year"), &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_due(http_req *r)
{
	mc_time t, due;
	mc_err e;
	if (app_due(r->app, http_arg(r, "at"), http_arg(r, "time"), http_arg(r, "unit"), &t, &due,
		    NULL, &e))
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
	static const char *const allowed[] = { "office_hours", "cutoff", "session_max_hours",
					       "public_url", NULL };
	json_t *o;
	if (http_body_object(r, allowed, &o))
		return r->status;
	const char *oh, *cut, *url;
	int bad = http_str_field(r, o, "", "office_hours", 0, &oh) || http_str_field(r, o, "", "cutoff", 0, &cut) ||
		  http_str_field(r, o, "", "public_url", 0, &url);
	json_t *mh = json_object_get(o, "session_max_hours");
	int max_hours = -1;
	if (!bad && mh) {
		json_int_t v = json_is_integer(mh) ? json_integer_value(mh) : 0;
		/* out of range or not a whole number: app_settings_update says so */
		max_hours = v >= 1 && v <= 100000 ? (int)v : 0;
	}
	if (!bad && !oh && !cut && !mh && !url)
		bad = http_error(r, MCE_BAD_FIELD,
				 "không có gì để thay đổi: gửi office_hours, cutoff, session_max_hours hoặc public_url",
				 "nothing to change: send office_hours, cutoff, session_max_hours or public_url");
	mc_err e;
	int rc = 0;
	/* public_url is checked (and set) first: a bad one changes nothing */
	if (!bad && url)
		rc = app_public_url_set(r->app, &r->actor, url, r->now, &e);
	if (!bad && !rc && (oh || cut || mh))
		rc = app_settings_update(r->app, &r->actor, oh, cut, max_hours, r->now, &e);
	json_decref(o);
	if (bad)
		return r->status;
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 200, app_settings_json(r->app));
}

int h_catalog_import(http_req *r)
{
	/* JSON lines, not one JSON document: application/json is refused. */
	static const char *const types[] = { "application/x-ndjson", "application/jsonl",
					     "text/plain", NULL };
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
