/*
 * syncattach.c - attachments travel down (docs/sync.md §12.1). An item
 * the hub publishes (a task, a recommendation's answer) names the hub's
 * attachments by hash and size; applying it records each one this node
 * lacks in attachment_want (app_attach_want), and the sync round's files
 * step fetches them in chunks: the node asks for the bytes at the offset it
 * holds, appends them to a part file (blob.c's offset rule: durable before
 * the offset is recorded), and when the last byte is in checks the hash
 * and the type, moves the part into the content-addressed store and
 * records the attachment, once. A cut costs at most the chunk in flight.
 *
 * Why the hub serves only its own attachments: a node key is a licence
 * to read what the province publishes, not another commune's papers.
 * Why the answer is not signed: the node checks the SHA-256 the signed
 * item named, which no forged byte passes.
 */
#include "app/app_int.h"

#include <sodium.h>

#include "app/attach.h"
#include "app/fcheck.h"
#include "app/files.h"
#include "app/sync.h"
#include "store/blob.h"
#include "store/ev.h"
#include "store/st_files.h"
#include "store/st_units.h"
#include "sync/batch.h"

/* ---- hub ---- */

static int own_one(void *ctx, const st_attach *t)
{
	int64_t *size = ctx;
	*size = strcmp(t->origin, "local") == 0 ? t->size : -1;
	return 0;
}

int app_hub_attach_chunk(app *a, const char *key, const char *sig, const char *sha,
			 int64_t offset, size_t max, char **data, size_t *n, int64_t *size, mc_err *e)
{
	*data = NULL;
	*n = 0;
	if (!a->hub)
		return mc_fail(e, MCE_SYNC_NOT_HUB, "máy này không phải máy chủ đồng bộ của tỉnh",
			       "this server is not a provincial hub");
	int rc = app_hub_admit(a, key ? key : "", e);
	char path[200];
	if (!rc) {
		snprintf(path, sizeof path, "%s/%s?offset=%lld&max=%zu", APP_SYNC_ATTACH_PATH, sha,
			 (long long)offset, max);
		rc = batch_verify(APP_SYNC_DOMAIN_NODE, path, "", 0, key, sig ? sig : "", e);
	}
	if (rc)
		return rc;
	*size = -1;
	rc = blob_sha_valid(sha) ? st_attach_get(a->st, sha, own_one, size, e) : MC_ENOTFOUND;
	if (rc == MC_ENOTFOUND || (!rc && *size < 0))
		return mc_fail(e, MCE_FILE_NOT_FOUND, "tỉnh không gửi tệp đính kèm %.16s…",
			       "the hub publishes no attachment %.16s...", sha ? sha : "");
	if (rc)
		return rc;
	if (offset < 0 || offset > *size)
		return mc_fail(e, MCE_FILE_BAD_FIELD, "offset nằm ngoài tệp", "offset is past the file");
	return blob_read_range(app_dir(a), sha, offset, max < APP_CHUNK_MAX ? max : APP_CHUNK_MAX,
			       data, n, e);
}

/* ---- node ---- */

typedef struct {
	app_sync_fetch *list;
	size_t max, n;
} fetch_ctx;

static int fetch_one(void *p, const st_attach_want *w)
{
	fetch_ctx *c = p;
	app_sync_fetch *f = &c->list[c->n++];
	snprintf(f->sha256, sizeof f->sha256, "%s", w->sha256);
	f->size = w->size;
	f->received = w->received;
	return c->n >= c->max;
}

int app_sync_fetch_list(app *a, size_t max, app_sync_fetch *list, size_t *n, mc_err *e)
{
	fetch_ctx c = { list, max, 0 };
	*n = 0;
	int rc = max ? st_attach_want_list(a->st, APP_SYNC_FETCH_TRIES, (int)max, fetch_one, &c, e)
		     : MC_OK;
	*n = c.n;
	return rc;
}

int app_sync_fetch_sign(app *a, const char *sha, int64_t offset, size_t max, char path[200],
			char sig[129], mc_err *e)
{
	snprintf(path, 200, "%s/%s?offset=%lld&max=%zu", APP_SYNC_ATTACH_PATH, sha, (long long)offset,
		 max);
	return app_node_sign(a, path, "", 0, sig, e);
}

typedef struct {
	int64_t size, received;
	char filename[256];
	char mime[64];
} want_row;

static int want_copy(void *p, const st_attach_want *w)
{
	want_row *r = p;
	r->size = w->size;
	r->received = w->received;
	snprintf(r->filename, sizeof r->filename, "%s", w->filename);
	snprintf(r->mime, sizeof r->mime, "%s", w->mime);
	return 0;
}

/* The whole part is in: hash, type, store, record; a mismatch is a failure
 * and the fetch starts over. */
static int finish(app *a, const char *sha, blob_part *p, const want_row *w, mc_time now,
		  mc_err *e)
{
	char got[65];
	fchk_info fi;
	int rc = blob_part_hash(p, got, e);
	if (!rc && strcmp(got, sha) != 0)
		rc = mc_fail(e, MCE_FILE_MISMATCH, "tệp đính kèm nhận về khác mã băm đã công bố",
			     "the attachment received differs from the hash published");
	if (!rc)
		rc = blob_part_map(p, e);
	if (!rc)
		rc = fchk_check(p->map, p->map_len, &fi, e);
	if (rc) {
		mc_err ig;
		MC_IGNORE(blob_part_truncate(p, 0, &ig));
		MC_IGNORE(st_attach_want_set(a->st, sha, 0, mc_errmsg(e, 0), &ig));
		return rc;
	}
	int existed = 0;
	rc = blob_part_commit(app_dir(a), p, sha, &existed, e);
	st_file f = { .size = w->size, .pages = fi.pages, .width = fi.width, .height = fi.height,
		      .created_at = now };
	snprintf(f.sha256, sizeof f.sha256, "%s", sha);
	snprintf(f.mime, sizeof f.mime, "%s", fi.mime);
	st_attach t = { .sha256 = sha, .agency = "hub", .filename = w->filename, .mime = fi.mime,
			.size = w->size, .added_by = "hub", .added_at = now, .seq = 0,
			.origin = "hub" };
	if (!rc)
		rc = st_begin(a->st, e);
	if (!rc) {
		rc = st_file_put(a->st, &f, NULL, e);
		if (!rc)
			rc = st_attach_put(a->st, &t, NULL, e);
		if (!rc)
			rc = st_attach_want_delete(a->st, sha, e);
		rc = st_end(a->st, rc, e);
	}
	return rc;
}

int app_sync_fetch_chunk(app *a, const char *sha, int64_t offset, const void *data, size_t n,
			 mc_time now, int *complete, mc_err *e)
{
	*complete = 0;
	want_row w;
	int rc = blob_sha_valid(sha) ? st_attach_want_get(a->st, sha, want_copy, &w, e)
				     : MC_ENOTFOUND;
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_FILE_NOT_FOUND, "không chờ tệp đính kèm %.16s…",
			       "no attachment %.16s... is awaited", sha ? sha : "");
	if (rc)
		return rc;
	char id[33];
	snprintf(id, sizeof id, "%.32s", sha);
	blob_part p;
	rc = blob_part_open(app_dir(a), id, 1, &p, e);
	/* Bytes past the record were never recorded: cut them; a record past
	 * the bytes lost them: go on from what is there. */
	if (!rc && p.size > w.received)
		rc = blob_part_truncate(&p, w.received, e);
	else if (!rc && p.size < w.received) {
		w.received = p.size;
		rc = st_attach_want_set(a->st, sha, w.received, NULL, e);
	}
	if (!rc && offset != w.received)
		rc = mc_fail(e, MCE_CONFLICT, "phần tệp không bắt đầu ở chỗ máy xã đang có",
			     "the chunk does not start where this node stands");
	if (!rc && (int64_t)n > w.size - w.received)
		rc = mc_fail(e, MCE_FILE_MISMATCH, "tỉnh gửi nhiều hơn kích thước đã công bố",
			     "the hub sent more than the size published");
	if (!rc && n)
		rc = blob_part_append(&p, offset, data, n, e);
	if (!rc)
		rc = st_attach_want_set(a->st, sha, offset + (int64_t)n, NULL, e);
	if (!rc && offset + (int64_t)n == w.size) {
		rc = finish(a, sha, &p, &w, now, e);
		*complete = !rc;
	}
	if (rc && rc != MC_ECONFLICT && e->id == MCE_FILE_MISMATCH) {
		mc_err ig;
		MC_IGNORE(st_attach_want_set(a->st, sha, 0, mc_errmsg(e, 0), &ig));
	}
	blob_part_close(&p); /* a complete part was moved into the store */
	return rc;
}

int app_sync_fetch_failed(app *a, const char *sha, const char *why, mc_err *e)
{
	want_row w;
	int rc = st_attach_want_get(a->st, sha, want_copy, &w, e);
	if (rc == MC_ENOTFOUND)
		return MC_OK;
	return rc ? rc : st_attach_want_set(a->st, sha, w.received, why ? why : "", e);
}

int app_sync_fetch_keeps(app *a, const char *id, int *keep, mc_err *e)
{
	return st_attach_want_part(a->st, id, keep, e);
}
