/*
 * h_files.c - handlers of digitization (issue 12; app/files.h): uploads in
 * chunks with offsets, a dossier's files, downloads, the applicant's
 * papers held already and their reuse, and attachments of office records
 * (app/attach.h). Thin: parse, one app call, JSON.
 */
#include "http/http_int.h"

#include <strings.h>

#include "app/attach.h"
#include "app/files.h"
#include "app/jobs.h"

/* A whole-number field of o from lo to hi (required). */
static int int_field(http_req *r, json_t *o, const char *key, long long lo, long long hi,
		     long long *out)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return http_error(r, MCE_FILE_BAD_FIELD, "%s phải là số nguyên từ %lld đến %lld",
				  "%s must be a whole number from %lld to %lld", key, lo, hi);
	*out = json_integer_value(v);
	return 0;
}

int h_upload_begin(http_req *r)
{
	static const char *const allowed[] = { "component", "kind", "source", "filename", "size",
					       "sha256", NULL };
	json_t *o;
	if (http_body_object(r, allowed, &o))
		return r->status;
	app_upload_req q;
	memset(&q, 0, sizeof q);
	long long comp = -1, size = 0;
	int bad = http_str_field(r, o, "", "kind", 1, &q.kind) ||
		  http_str_field(r, o, "", "source", 0, &q.source) ||
		  http_str_field(r, o, "", "filename", 0, &q.filename) ||
		  http_str_field(r, o, "", "sha256", 0, &q.sha256) ||
		  int_field(r, o, "size", 0, INT64_MAX, &size);
	if (!bad && json_object_get(o, "component") && !json_is_null(json_object_get(o, "component")))
		bad = int_field(r, o, "component", -1, 1000, &comp);
	q.component = (int)comp;
	q.size = size;
	json_t *out = NULL;
	mc_err e;
	int rc = bad ? 1 : app_upload_begin(r->app, &r->actor, r->params[0], &q, r->now, &out, &e);
	json_decref(o);
	if (bad)
		return r->status;
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 201, out);
}

int h_upload_put(http_req *r)
{
	long offset;
	if (http_chunk_head(r, (long)APP_FILE_MAX, &offset))
		return r->status;
	json_t *out = NULL;
	mc_err e;
	int complete = 0;
	int64_t expected = -1;
	if (app_upload_chunk(r->app, &r->actor, r->params[0], offset, r->body ? r->body : "",
			     r->body_len, r->now, &complete, &expected, &out, &e))
		return http_fail_offset(r, &e, expected);
	return http_ok(r, complete ? 201 : 200, out);
}

int h_upload_get(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_upload_status(r->app, &r->actor, r->params[0], r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_dossier_files(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_dossier_files(r->app, &r->actor, r->params[0], &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_file_get(http_req *r)
{
	char *data;
	size_t len;
	char name[96];
	static __thread char mime[64];
	mc_err e;
	if (app_file_get(r->app, &r->actor, r->params[0], &data, &len, mime, name, sizeof name, &e))
		return http_fail(r, &e);
	return http_download(r, data, len, mime, name, 0);
}

int h_file_reuse(http_req *r)
{
	static const char *const allowed[] = { "component", "sha256", NULL };
	json_t *o;
	if (http_body_object(r, allowed, &o))
		return r->status;
	const char *sha = NULL;
	long long comp = 0;
	int bad = http_str_field(r, o, "", "sha256", 1, &sha) ||
		  int_field(r, o, "component", 0, 1000, &comp);
	json_t *out = NULL;
	mc_err e;
	int rc = bad ? 1
		     : app_file_reuse(r->app, &r->actor, r->params[0], (int)comp, sha, r->now, &out,
				      &e);
	json_decref(o);
	if (bad)
		return r->status;
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 201, out);
}

int h_applicant_files(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_applicant_files(r->app, &r->actor, http_arg(r, "id_number"), &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_file_text(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_file_text(r->app, &r->actor, r->params[0], &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

/* What the OCR job made of a file: its thumbnail or its searchable PDF. */
static int derived_answer(http_req *r, const char *kind, const char *type, const char *ext)
{
	char *data;
	size_t len;
	mc_err e;
	if (app_file_derived(r->app, &r->actor, r->params[0], kind, &data, &len, &e))
		return http_fail(r, &e);
	char name[96];
	snprintf(name, sizeof name, "%.16s-%s.%s", r->params[0], kind, ext);
	return http_download(r, data, len, type, name, 1);
}

int h_file_thumbnail(http_req *r)
{
	return derived_answer(r, "thumbnail", "image/png", "png");
}

int h_file_searchable(http_req *r)
{
	return derived_answer(r, "searchable_pdf", "application/pdf", "pdf");
}

int h_jobs(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_jobs_list(r->app, &r->actor, http_arg(r, "state"), &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

/* ---- attachments of office records (app/attach.h) ---- */

int h_attach_post(http_req *r)
{
	static const char *const types[] = { "application/octet-stream", "application/pdf",
					     "image/jpeg", "image/png", "image/tiff", NULL };
	const char *ct = http_header(r, "Content-Type");
	int ok = 0;
	for (const char *const *t = types; ct && *t && !ok; t++) {
		size_t n = strlen(*t);
		ok = strncasecmp(ct, *t, n) == 0 && (ct[n] == 0 || ct[n] == ';' || ct[n] == ' ');
	}
	if (!ok)
		return http_error(r, MCE_MEDIA_TYPE,
				  "gửi tệp dạng application/octet-stream (hoặc PDF, JPEG, PNG, TIFF)",
				  "send the file as application/octet-stream (or PDF, JPEG, PNG, TIFF)");
	json_t *out;
	mc_err e;
	if (app_attach_put(r->app, &r->actor, http_arg(r, "filename"), r->body ? r->body : "",
			   r->body_len, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 201, out);
}

int h_attach_get(http_req *r)
{
	char *data;
	size_t len;
	char name[96];
	static __thread char mime[64];
	mc_err e;
	if (app_attach_get(r->app, &r->actor, r->params[0], &data, &len, mime, name, sizeof name, &e))
		return http_fail(r, &e);
	return http_download(r, data, len, mime, name, 0);
}
