/*
 * req.c - the pieces every handler shares: JSON responses and errors, and
 * strict parsing of request bodies and query arguments (unknown fields,
 * wrong types and bad times get a 400 that names the field).
 */
#include "http/http_int.h"

#include <errno.h>
#include <stdarg.h>
#include <strings.h>

#include "core/txt.h"

/* ---- responses ---- */

int http_lang_en(http_req *r)
{
	const char *h = r->conn ? http_header(r, "Accept-Language") : NULL;
	if (!h)
		return 0;
	/* The q-value of the best vi and of the best en range ("vi-VN;q=0.9");
	 * "*" counts for Vietnamese. Ties go to Vietnamese. */
	double qvi = -1, qen = -1;
	for (const char *p = h; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *tag = p;
		while (*p && *p != ';' && *p != ',' && *p != ' ')
			p++;
		size_t tn = (size_t)(p - tag);
		double q = 1;
		while (*p && *p != ',') {
			if (*p == ';') {
				p++;
				while (*p == ' ')
					p++;
				if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
					q = strtod(p + 2, NULL);
			} else {
				p++;
			}
		}
		int vi = (tn == 1 && tag[0] == '*') || (tn >= 2 && strncasecmp(tag, "vi", 2) == 0 &&
						   (tn == 2 || tag[2] == '-'));
		int en = tn >= 2 && strncasecmp(tag, "en", 2) == 0 && (tn == 2 || tag[2] == '-');
		if (vi && q > qvi)
			qvi = q;
		if (en && q > qen)
			qen = q;
	}
	return qen > 0 && qen > qvi;
}

static void set_error(http_req *r, int status, const char *code, const char *msg)
{
	json_decref(r->json);
	r->status = status;
	r->json = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg);
	if (!r->json) /* msg not valid UTF-8 (echoed input): say it plainly */
		r->json = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message",
				    "invalid input");
}

/* A message that quotes input may have been cut inside a multi-byte
 * character (or quote invalid bytes): keep its longest valid prefix so it
 * still names the field. */
static void valid_prefix(char *msg)
{
	size_t n = strlen(msg);
	while (n > 0 && !txt_utf8_valid(msg, n))
		n--;
	msg[n] = 0;
}

int http_error(http_req *r, int id, const char *vi, const char *en, ...)
{
	size_t n;
	const mc_errdef *d = mc_errdefs(&n);
	if (id < 0 || (size_t)id >= n)
		id = MCE_INTERNAL;
	char msg[512];
	va_list ap;
	va_start(ap, en);
	if (http_lang_en(r))
		vsnprintf(msg, sizeof msg, en, ap);
	else
		vsnprintf(msg, sizeof msg, vi, ap);
	va_end(ap);
	valid_prefix(msg);
	set_error(r, d[id].status, d[id].name, msg);
	return d[id].status;
}

int http_fail(http_req *r, const mc_err *e)
{
	size_t n;
	const mc_errdef *d = mc_errdefs(&n);
	int id = e->id >= 0 && (size_t)e->id < n ? e->id : MCE_INTERNAL;
	char msg[512];
	snprintf(msg, sizeof msg, "%s", mc_errmsg(e, !http_lang_en(r)));
	valid_prefix(msg);
	set_error(r, d[id].status, d[id].name, msg);
	return d[id].status;
}

int http_fail_as(http_req *r, int id, const mc_err *e)
{
	mc_err as = *e;
	as.id = id;
	return http_fail(r, &as);
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
		return http_error(r, MCE_MEDIA_TYPE, "gửi nội dung dạng application/json",
				  "send the body as application/json");
	if (!r->body || r->body_len == 0)
		return http_error(r, MCE_MALFORMED_JSON, "nội dung gửi lên trống: gửi một đối tượng JSON",
				  "the request body is empty: send a JSON object");
	json_error_t je;
	json_t *o = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		return http_error(r, MCE_MALFORMED_JSON, "JSON sai cú pháp ở dòng %d, cột %d: %s",
				  "malformed JSON at line %d, column %d: %s", je.line, je.column, je.text);
	if (!json_is_object(o)) {
		json_decref(o);
		return http_error(r, MCE_MALFORMED_JSON, "nội dung phải là một đối tượng JSON",
				  "the body must be a JSON object");
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
		return http_error(r, MCE_UNKNOWN_FIELD, "trường '%s%.60s' không được chấp nhận (được phép: %s)",
				  "unknown field '%s%.60s' (allowed: %s)", prefix, k, list);
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
			return http_error(r, MCE_BAD_FIELD, "thiếu %s%s", "%s%s is required", prefix, key);
		return 0;
	}
	if (!json_is_string(v))
		return http_error(r, MCE_BAD_FIELD, "%s%s phải là chuỗi ký tự", "%s%s must be a string", prefix,
				  key);
	*out = json_string_value(v);
	return 0;
}

/* "2026-03-02T07:00", "2026-03-02 07:00", optional ":SS" and "+07:00". */
int http_parse_time(const char *s, mc_time *t, mc_err *e)
{
	char buf[32];
	size_t n = strlen(s);
	if (n > 25)
		return mc_fail(e, MCE_CAL_BAD_TIME, "thời gian '%.30s' quá dài", "time '%.30s' is too long", s);
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
		return http_error(r, MCE_BAD_FIELD, "%s: %s (dùng dạng YYYY-MM-DDTHH:MM+07:00)",
				  "%s: %s (use YYYY-MM-DDTHH:MM+07:00)", key, mc_errmsg(&e, !http_lang_en(r)));
	return 0;
}

int http_long_arg(http_req *r, const char *name, long lo, long hi, long *out)
{
	const char *v = http_arg(r, name);
	if (!v)
		return 0;
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (!*v || *end || errno || n < lo || n > hi || !(*v >= '0' && *v <= '9'))
		return http_error(r, MCE_BAD_FIELD, "%s phải là số nguyên từ %ld đến %ld",
				  "%s must be a whole number %ld to %ld", name, lo, hi);
	*out = n;
	return 0;
}

int http_chunk_head(http_req *r, long max, long *offset)
{
	const char *ct = http_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/octet-stream", 24) != 0)
		return http_error(r, MCE_MEDIA_TYPE, "gửi phần tệp dạng application/octet-stream",
				  "send the chunk as application/octet-stream");
	*offset = -1;
	if (http_long_arg(r, "offset", 0, max, offset))
		return r->status;
	if (*offset < 0)
		return http_error(r, MCE_FILE_BAD_FIELD, "thiếu tham số offset", "offset is required");
	return 0;
}

int http_download(http_req *r, char *data, size_t len, const char *mime, const char *name,
		  int inline_)
{
	r->status = 200;
	r->raw = data;
	r->raw_len = len;
	r->raw_type = mime;
	if (name)
		snprintf(r->disposition, sizeof r->disposition, "%s; filename=\"%s\"",
			 inline_ ? "inline" : "attachment", name);
	return 200;
}

int http_fail_offset(http_req *r, const mc_err *e, int64_t expected)
{
	http_fail(r, e);
	if (expected >= 0 && r->json)
		json_object_set_new(r->json, "expected_offset", json_integer(expected));
	return r->status;
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
		return http_error(r, MCE_BAD_FIELD, "%s phải là true hoặc false", "%s must be true or false",
				  name);
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
			return http_error(r, MCE_BAD_FIELD, "%s: %s", "%s: %s", name,
				  mc_errmsg(&e, !http_lang_en(r)));
		*out = cal_time_of(d + (day_end ? 1 : 0), 0);
		return 0;
	}
	if (http_parse_time(v, out, &e))
		return http_error(r, MCE_BAD_FIELD, "%s: %s", "%s: %s", name,
				  mc_errmsg(&e, !http_lang_en(r)));
	return 0;
}

/* Upload bodies that are not JSON (a catalog, a schedule): the type must
 * be one of types; the text must be UTF-8. */
int http_text_body(http_req *r, const char *const *types)
{
	const char *ct = http_header(r, "Content-Type");
	int ok = 0;
	/* The media type is exact, up to its parameters ("text/csv;
	 * charset=utf-8"); "text/csvx" is another type. */
	for (const char *const *t = types; ct && *t; t++) {
		size_t n = strlen(*t);
		ok |= strncasecmp(ct, *t, n) == 0 && (ct[n] == 0 || ct[n] == ';' || ct[n] == ' ');
	}
	if (!ok)
		return http_error(r, MCE_MEDIA_TYPE, "gửi tệp dạng %s", "send the file as %s", types[0]);
	if (!r->body || r->body_len == 0)
		return http_error(r, MCE_BAD_FIELD, "tệp trống", "the file is empty");
	if (strlen(r->body) != r->body_len || !txt_utf8_valid(r->body, r->body_len))
		return http_error(r, MCE_BAD_TEXT, "tệp không phải văn bản UTF-8", "the file is not UTF-8 text");
	return 0;
}

