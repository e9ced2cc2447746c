/*
 * h_notify.c - handlers for live alerts, the officers' notifications and
 * the e-mail (SMTP) settings (issue 13). Thin: parse, one app call, JSON
 * out.
 */
#include "http/http_int.h"

#include "app/notify.h"

int h_alerts(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_alerts(r->app, &r->actor, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_notifications(http_req *r)
{
	int unread = 0;
	long limit = 50;
	if (http_bool_arg(r, "unread", &unread) ||
	    http_long_arg(r, "limit", 1, APP_NOTIFY_LIMIT, &limit))
		return r->status;
	json_t *out;
	mc_err e;
	if (app_notifications(r->app, &r->actor, unread, (int)limit, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

/* ids: an array of at most APP_NOTIFY_IDS_MAX positive whole numbers.
 * OUT: *ids (caller frees), *n. */
static int read_ids(http_req *r, json_t *arr, int64_t **ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	if (!json_is_array(arr))
		return http_error(r, MCE_BAD_FIELD, "ids phải là một mảng số nguyên",
				  "ids must be an array of whole numbers");
	size_t len = json_array_size(arr);
	if (len > APP_NOTIFY_IDS_MAX)
		return http_error(r, MCE_BAD_FIELD, "ids có nhiều nhất %d phần tử",
				  "ids takes at most %d items", APP_NOTIFY_IDS_MAX);
	int64_t *v = mc_xcalloc(len ? len : 1, sizeof *v);
	for (size_t i = 0; i < len; i++) {
		json_t *x = json_array_get(arr, i);
		if (!json_is_integer(x) || json_integer_value(x) < 1) {
			free(v);
			return http_error(r, MCE_BAD_FIELD, "ids[%zu] phải là số nguyên dương",
					  "ids[%zu] must be a positive whole number", i);
		}
		v[i] = json_integer_value(x);
	}
	*ids = v;
	*n = len;
	return 0;
}

int h_notifications_read(http_req *r)
{
	static const char *const allowed[] = { "ids", "all", NULL };
	json_t *o;
	if (http_body_object(r, allowed, &o))
		return r->status;
	json_t *all = json_object_get(o, "all"), *arr = json_object_get(o, "ids");
	int64_t *ids = NULL;
	size_t n = 0;
	int bad = 0;
	if (all && !json_is_true(all))
		bad = http_error(r, MCE_BAD_FIELD, "all chỉ nhận giá trị true", "all must be true");
	else if (all && arr)
		bad = http_error(r, MCE_BAD_FIELD, "gửi ids hoặc all, không gửi cả hai",
				 "send ids or all, not both");
	else if (!all && !arr)
		bad = http_error(r, MCE_BAD_FIELD, "gửi ids (mảng mã thông báo) hoặc all: true",
				 "send ids (an array of notification ids) or all: true");
	else if (arr)
		bad = read_ids(r, arr, &ids, &n);
	json_decref(o);
	if (bad)
		return r->status;
	int64_t unread = 0;
	mc_err e;
	int rc = app_notifications_read(r->app, &r->actor, ids, n, all != NULL, r->now, &unread, &e);
	free(ids);
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 200, json_pack("{s:I}", "unread", (json_int_t)unread));
}

int h_smtp_get(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_smtp_get(r->app, &r->actor, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_smtp_set(http_req *r)
{
	static const char *const allowed[] = { "url", "user", "password", "from", NULL };
	json_t *o;
	if (http_body_object(r, allowed, &o))
		return r->status;
	const char *url, *user, *pw, *from;
	int bad = http_str_field(r, o, "", "url", 0, &url) ||
		  http_str_field(r, o, "", "user", 0, &user) ||
		  http_str_field(r, o, "", "password", 0, &pw) ||
		  http_str_field(r, o, "", "from", 0, &from);
	if (!bad && !url && !user && !pw && !from)
		bad = http_error(r, MCE_BAD_FIELD,
				 "không có gì để thay đổi: gửi url, user, password hoặc from",
				 "nothing to change: send url, user, password or from");
	json_t *out = NULL;
	mc_err e;
	int rc = bad ? 0 : app_smtp_set(r->app, &r->actor, url, user, pw, from, r->now, &out, &e);
	json_decref(o);
	if (bad)
		return r->status;
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}
