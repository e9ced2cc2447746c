/*
 * h_sync.c - the sync routes (docs/sync.md §9): on a hub, enrolment, the
 * nodes' pushes and the node list; on a node, its sync status and "sync
 * now". Thin: the use cases are in src/app/hub.c and src/app/sync.c.
 */
#include "http/http_int.h"

#include "app/attach.h"

#include <strings.h>

#include "app/files.h"
#include "app/sync.h"
#include "sync/client.h"

/* Answers j (consumed) with the hub's signature over its bytes, so a node
 * can tell the hub's answers from a proxy's (docs/sync.md §4). */
static int answer_signed(http_req *r, int status, json_t *j)
{
	char *body = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	if (!body)
		return http_error(r, MCE_INTERNAL, "không mã hoá được phản hồi",
				  "cannot encode the answer");
	mc_err e;
	size_t n = strlen(body);
	if (app_hub_sign(r->app, r->path, body, n, r->signature, &e)) {
		free(body);
		return http_fail(r, &e);
	}
	json_decref(r->json);
	r->json = NULL;
	free(r->raw);
	r->raw = body;
	r->raw_len = n;
	r->raw_type = "application/json; charset=utf-8";
	r->status = status;
	return status;
}

int h_sync_enrol(http_req *r)
{
	static const char *const keys[] = { "v", "agency", "name", "key", "proof", NULL };
	json_t *in;
	if (http_body_object(r, keys, &in))
		return r->status;
	json_t *out;
	int created;
	mc_err e;
	int rc = app_hub_enrol(r->app, in, r->now, &out, &created, &e);
	json_decref(in);
	if (rc)
		return http_fail(r, &e);
	return answer_signed(r, created ? 201 : 200, out);
}

int h_sync_push(http_req *r)
{
	static const char *const types[] = { "application/vnd.motcua.batch+zstd", NULL };
	const char *ct = http_header(r, "Content-Type");
	if (!ct || strcmp(ct, types[0]) != 0)
		return http_error(r, MCE_MEDIA_TYPE, "gửi gói đồng bộ dạng %s",
				  "send the batch as %s", types[0]);
	json_t *out = NULL;
	mc_err e;
	int rc = app_hub_push(r->app, http_header(r, "Motcua-Key"),
			      http_header(r, "Motcua-Signature"), r->body, r->body_len, r->now, &out,
			      &e);
	if (rc) {
		http_fail(r, &e);
		json_t *head = json_object_get(out, "head");
		if (head && r->json)
			json_object_set(r->json, "head", head);
		json_decref(out);
		json_t *err = r->json;
		r->json = NULL;
		return answer_signed(r, r->status, err);
	}
	return answer_signed(r, 200, out);
}

int h_sync_pull(http_req *r)
{
	const char *ct = http_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] && ct[16] != ';' && ct[16] != ' '))
		return http_error(r, MCE_MEDIA_TYPE, "gửi yêu cầu lấy dữ liệu dạng application/json",
				  "send the pull as application/json");
	json_t *out = NULL;
	mc_err e;
	if (app_hub_pull(r->app, http_header(r, "Motcua-Key"), http_header(r, "Motcua-Signature"),
			 r->body, r->body_len, r->now, &out, &e))
		return http_fail(r, &e); /* signed by respond(): a node's route */
	return answer_signed(r, 200, out);
}

/* ?to=A,B,C: the communes to publish to (absent: all). */
static int publish(http_req *r, const char *stream)
{
	static const char *const types[] = { "text/csv", "text/plain", NULL };
	int add = 0;
	if (http_bool_arg(r, "add", &add) || http_text_body(r, types))
		return r->status;
	const char *source = http_arg(r, "source");
	json_t *out;
	mc_err e;
	if (app_hub_publish(r->app, &r->actor, stream, r->body, r->body_len,
			    source && *source ? source : "upload", add, http_arg(r, "to"), r->now,
			    &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 201, out);
}

int h_hub_publish_calendar(http_req *r)
{
	return publish(r, "calendar");
}

int h_hub_publish_catalog(http_req *r)
{
	return publish(r, "catalog");
}

int h_hub_submit(http_req *r)
{
	app_receive_req q;
	json_t *o;
	if (h_receive_body(r, "agency", &o, &q))
		return r->status;
	const char *agency = NULL;
	if (http_str_field(r, o, "", "agency", 1, &agency)) {
		json_decref(o);
		return r->status;
	}
	char code[96];
	mc_err e;
	int rc = app_hub_submit(r->app, &r->actor, agency, &q, r->now, code, &e);
	json_t *out = rc ? NULL
			 : json_pack("{s:s, s:s, s:s}", "code", code, "agency", agency, "status",
				     "submitted");
	json_decref(o); /* agency pointed into it */
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 201, out);
}

int h_hub_nodes(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_hub_nodes(r->app, &r->actor, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

static int decide(http_req *r, int approve)
{
	json_t *out;
	mc_err e;
	if (app_hub_decide(r->app, &r->actor, r->params[0], approve, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_hub_approve(http_req *r)
{
	return decide(r, 1);
}

int h_hub_revoke(http_req *r)
{
	return decide(r, 0);
}

int h_sync_status(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_sync_status(r->app, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_sync_now(http_req *r)
{
	mc_err e;
	if (app_sync_resume(r->app, &e))
		return http_fail(r, &e);
	sync_client_kick();
	json_t *out;
	if (app_sync_status(r->app, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 202, out);
}

int h_hub_dashboard(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_hub_dashboard(r->app, &r->actor, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_hub_search(http_req *r)
{
	long limit = 50;
	if (http_long_arg(r, "limit", 1, 500, &limit))
		return r->status;
	json_t *out;
	mc_err e;
	if (app_hub_search(r->app, &r->actor, http_arg(r, "q"), http_arg(r, "agency"), (int)limit,
			   &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_hub_dossier(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_hub_dossier(r->app, &r->actor, r->params[0], &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

/* ---- files (docs/sync.md §12) ---- */

int h_sync_files_want(http_req *r)
{
	const char *ct = http_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] && ct[16] != ';' && ct[16] != ' '))
		return http_error(r, MCE_MEDIA_TYPE, "gửi danh sách tệp dạng application/json",
				  "send the offer as application/json");
	json_t *out = NULL;
	mc_err e;
	if (app_hub_files_want(r->app, http_header(r, "Motcua-Key"),
			       http_header(r, "Motcua-Signature"), r->body, r->body_len, r->now,
			       &out, &e))
		return http_fail(r, &e); /* signed by respond(): a node's route */
	return answer_signed(r, 200, out);
}

int h_sync_file_put(http_req *r)
{
	long offset;
	if (http_chunk_head(r, (long)APP_FILE_MAX, &offset))
		return r->status;
	json_t *out = NULL;
	mc_err e;
	int complete = 0;
	int64_t expected = -1;
	if (app_hub_file_chunk(r->app, http_header(r, "Motcua-Key"),
			       http_header(r, "Motcua-Signature"), r->params[0], offset,
			       r->body ? r->body : "", r->body_len, r->now, &complete, &expected,
			       &out, &e))
		return http_fail_offset(r, &e, expected); /* signed by respond() */
	return answer_signed(r, complete ? 201 : 200, out);
}

int h_hub_file_get(http_req *r)
{
	char *data;
	size_t len;
	char name[96];
	static __thread char mime[64];
	mc_err e;
	if (app_hub_file_get(r->app, &r->actor, r->params[0], &data, &len, mime, name, sizeof name,
			     &e))
		return http_fail(r, &e);
	return http_download(r, data, len, mime, name, 0);
}

int h_sync_attach_get(http_req *r)
{
	long offset = -1, max = -1;
	if (http_long_arg(r, "offset", 0, (long)APP_ATTACH_MAX, &offset) ||
	    http_long_arg(r, "max", 1, 1L << 20, &max))
		return r->status;
	if (max < 0)
		return http_error(r, MCE_FILE_BAD_FIELD, "thiếu tham số max", "max is required");
	if (offset < 0)
		return http_error(r, MCE_FILE_BAD_FIELD, "thiếu tham số offset", "offset is required");
	char *data;
	size_t n;
	int64_t size;
	mc_err e;
	if (app_hub_attach_chunk(r->app, http_header(r, "Motcua-Key"),
				 http_header(r, "Motcua-Signature"), r->params[0], offset, (size_t)max,
				 &data, &n, &size, &e))
		return http_fail(r, &e);
	return http_download(r, data, n, "application/octet-stream", NULL, 0);
}
