/*
 * req.c - the pieces every handler shares: JSON responses and errors, and
 * strict parsing of request bodies and query arguments (unknown fields,
 * wrong types and bad times get a 400 that names the field).
 */
#include "http/http_int.h"

#include <stdarg.h>

#include "core/txt.h"

/* ---- responses ---- */

int http_error(http_req *r, int status, const char *code, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* A message that quotes input may have been cut inside a multi-byte
	 * character (or quote invalid bytes): keep its longest valid prefix so
	 * it still names the field. */
	size_t n = strlen(msg);
	while (n > 0 && !txt_utf8_valid(msg, n))
		n--;
	msg[n] = 0;
	json_decref(r->json);
	r->status = status;
	r->json = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg);
	if (!r->json) /* msg not valid UTF-8 (echoed input): say it plainly */
		r->json = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message",
				    "invalid input");
	return status;
}

int http_fail(http_req *r, const mc_err *e)
{
	static const struct {
		int code, status;
		const char *name;
	} map[] = {
		{ MC_EINVAL, 400, "invalid" },	   { MC_ENOTFOUND, 404, "not_found" },
		{ MC_ECONFLICT, 409, "conflict" }, { MC_EPERM, 403, "forbidden" },
		{ MC_EBUSY, 503, "busy" },	   { MC_EIO, 500, "io_error" },
		{ MC_ECORRUPT, 500, "corrupt" },   { MC_EEXIST, 409, "exists" },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(map); i++)
		if (map[i].code == e->code)
			return http_error(r, map[i].status, map[i].name, "%s", e->msg);
	return http_error(r, 500, "internal", "%s", e->msg);
}

int http_ok(http_req *r, int status, json_t *j)
{
	json_decref(r->json);
	r->status = status;
	r->json = j ? j : json_object();
	return status;
}

/* ---- request bodies ---- */

/* Parses the body as one JSON object whose keys are all in allowed. */
int http_body_object(http_req *r, const char *const *allowed, json_t **out)
{
	const char *ct = http_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] && ct[16] != ';' && ct[16] != ' '))
		return http_error(r, 415, "unsupported_media_type",
				  "send the body as application/json");
	if (!r->body || r->body_len == 0)
		return http_error(r, 400, "invalid", "the request body is empty: send a JSON object");
	json_error_t je;
	json_t *o = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		return http_error(r, 400, "malformed_json", "malformed JSON at line %d, column %d: %s",
				  je.line, je.column, je.text);
	if (!json_is_object(o)) {
		json_decref(o);
		return http_error(r, 400, "invalid", "the body must be a JSON object");
	}
	if (http_only_keys(r, o, "", allowed)) {
		json_decref(o);
		return r->status;
	}
	*out = o;
	return 0;
}

int http_only_keys(http_req *r, json_t *o, const char *prefix, const char *const *allowed)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			ok |= strcmp(*a, k) == 0;
		if (ok)
			continue;
		char list[300] = "";
		size_t n = 0;
		for (const char *const *a = allowed; *a && n < sizeof list; a++)
			n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", a == allowed ? "" : ", ",
					      *a);
		return http_error(r, 400, "unknown_field", "unknown field '%s%.60s' (allowed: %s)",
				  prefix, k, list);
	}
	return 0;
}

/* A string field: NULL if absent or null; 400 if another type. */
int http_str_field(http_req *r, json_t *o, const char *prefix, const char *key, int required,
		     const char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return http_error(r, 400, "invalid", "%s%s is required", prefix, key);
		return 0;
	}
	if (!json_is_string(v))
		return http_error(r, 400, "invalid", "%s%s must be a string", prefix, key);
	*out = json_string_value(v);
	return 0;
}

/* "2026-03-02T07:00", "2026-03-02 07:00", optional ":SS" and "+07:00". */
int http_parse_time(const char *s, mc_time *t, mc_err *e)
{
	char buf[32];
	size_t n = strlen(s);
	if (n > 25)
		return mc_seterr(e, MC_EINVAL, "time '%.30s' is too long", s);
	snprintf(buf, sizeof buf, "%s", s);
	if (n > 6 && strcmp(buf + n - 6, "+07:00") == 0)
		buf[n - 6] = 0;
	return cal_parse_datetime(buf, t, e);
}

int http_time_field(http_req *r, json_t *o, const char *key, mc_time *out)
{
	const char *s;
	*out = 0;
	if (http_str_field(r, o, "", key, 0, &s))
		return 400;
	if (!s)
		return 0;
	mc_err e;
	if (http_parse_time(s, out, &e))
		return http_error(r, 400, "invalid", "%s: %s (use YYYY-MM-DDTHH:MM+07:00)", key,
				  e.msg);
	return 0;
}

int http_bool_arg(http_req *r, const char *name, int *out)
{
	const char *v = http_arg(r, name);
	*out = 0;
	if (!v)
		return 0;
	if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "false") != 0 && strcmp(v, "0") != 0 && *v)
		return http_error(r, 400, "invalid", "%s must be true or false", name);
	return 0;
}

int http_time_arg(http_req *r, const char *name, int day_end, mc_time *out)
{
	const char *v = http_arg(r, name);
	mc_err e;
	*out = 0;
	if (!v || !*v)
		return 0;
	if (strlen(v) == 10) {
		int32_t d;
		if (cal_parse_date(v, &d, &e))
			return http_error(r, 400, "invalid", "%s: %s", name, e.msg);
		*out = cal_time_of(d + (day_end ? 1 : 0), 0);
		return 0;
	}
	if (http_parse_time(v, out, &e))
		return http_error(r, 400, "invalid", "%s: %s", name, e.msg);
	return 0;
}

/* Upload bodies that are not JSON (a catalog, a schedule): the type must
 * be one of types; the text must be UTF-8. */
int http_text_body(http_req *r, const char *const *types)
{
	const char *ct = http_header(r, "Content-Type");
	int ok = 0;
	for (const char *const *t = types; ct && *t; t++)
		ok |= strncasecmp(ct, *t, strlen(*t)) == 0;
	if (!ok)
		return http_error(r, 415, "unsupported_media_type", "send the file as %s", types[0]);
	if (!r->body || r->body_len == 0)
		return http_error(r, 400, "invalid", "the file is empty");
	if (strlen(r->body) != r->body_len || !txt_utf8_valid(r->body, r->body_len))
		return http_error(r, 400, "invalid", "the file is not UTF-8 text");
	return 0;
}

