/*
 * h_local.c - handlers for the commune's own procedure list (danh mục thủ
 * tục hành chính của xã; docs/overlay.md) and reception's procedure picker.
 * Thin: parse, one app call, JSON out.
 */
#include "http/http_int.h"

int h_local_list(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_local_list(r->app, &r->actor, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_local_set(http_req *r)
{
	static const char *const allowed[] = { "enabled", "times", "fee", "handling_unit", "steps",
					       "source", NULL };
	json_t *o, *out = NULL;
	if (http_body_object(r, allowed, &o))
		return r->status;
	mc_err e;
	int rc = app_local_set(r->app, &r->actor, r->params[0], o, r->now, &out, &e);
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_local_import(http_req *r)
{
	static const char *const types[] = { "text/csv", "text/plain", NULL };
	if (http_text_body(r, types))
		return r->status;
	json_t *out;
	mc_err e;
	if (app_local_import(r->app, &r->actor, r->body, r->body_len, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_local_export(http_req *r)
{
	char *csv = NULL;
	mc_err e;
	if (app_local_export(r->app, &r->actor, &csv, &e))
		return http_fail(r, &e);
	json_t *out = json_pack("{s:s, s:s}", "filename", "danh-muc-thu-tuc-cua-xa.csv", "csv", csv);
	free(csv);
	return http_ok(r, 200, out);
}

int h_receivable(http_req *r)
{
	long limit = 50;
	if (http_long_arg(r, "limit", 1, 500, &limit))
		return r->status;
	json_t *out;
	mc_err e;
	if (app_local_receivable(r->app, http_arg(r, "q"), (int)limit, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}
