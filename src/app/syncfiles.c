/*
 * syncfiles.c - files travel with sync (docs/sync.md §12). After a round's
 * events are acknowledged the node offers the hashes of its stored files
 * the hub has not confirmed; the hub answers which it lacks (with the
 * offset it holds of each), and the node sends those in chunks that the
 * hub appends to a part file by blob.c's offset rule. When the last byte
 * is in, the hub checks size and SHA-256, moves the part into its
 * content-addressed store (the same bytes are kept once) and records them;
 * the node marks the file confirmed and never offers it again.
 *
 * Why the hub only takes a hash an accepted dossier.file event of the same
 * node named: a node key is not a licence to store arbitrary bytes at the
 * province. Why the offered files are those whose event the hub
 * acknowledged: the hub must know the hash belongs to that node first.
 */
#include "app/app_int.h"

#include <sodium.h>

#include "app/files.h"
#include "app/sync.h"
#include "store/blob.h"
#include "store/st_sync.h"
#include "store/st_syncfiles.h"
#include "sync/batch.h"

/* The chunk size a node starts with and its bounds: halved after a cut,
 * doubled after a chunk that landed (as batches, §5.4). */
#define CHUNK_START APP_CHUNK_HINT
#define CHUNK_MIN (16u << 10)

static int not_hub(mc_err *e)
{
	return mc_fail(e, MCE_SYNC_NOT_HUB, "máy này không phải máy chủ đồng bộ của tỉnh",
		       "this server is not a provincial hub");
}

/* ---- the hub ---- */

int app_hub_file_event(app *a, const char *agency, int64_t chain, int64_t seq,
		       const char *dossier, const json_t *payload, mc_err *e)
{
	const json_t *f = json_object_get(payload, "file");
	const char *sha = json_string_value(json_object_get(f, "sha256"));
	const char *kind = json_string_value(json_object_get(f, "kind"));
	const char *source = json_string_value(json_object_get(f, "source"));
	const char *mime = json_string_value(json_object_get(f, "mime"));
	json_t *size = json_object_get(f, "size"), *comp = json_object_get(f, "component");
	if (!blob_sha_valid(sha) || !kind || !source || !mime || !json_is_integer(size) ||
	    json_integer_value(size) < 1 || json_integer_value(size) > APP_FILE_MAX ||
	    !json_is_integer(comp))
		return mc_fail(e, MCE_FILE_BAD_FIELD, "sự kiện dossier.file thiếu thông tin tệp",
			       "the dossier.file event lacks the file's fields");
	st_hub_file hf = {
		.agency = agency, .dossier = dossier, .component = (int)json_integer_value(comp),
		.sha256 = sha,
		.component_name = json_string_value(json_object_get(f, "component_name")),
		.kind = kind, .source = source,
		.filename = json_string_value(json_object_get(f, "filename")), .mime = mime,
		.size = json_integer_value(size),
		.pages = (int)json_integer_value(json_object_get(f, "pages")), .chain = chain,
		.seq = seq,
	};
	if (hf.pages < 1)
		hf.pages = 1;
	return st_hub_file_put(a->st, &hf, e);
}

/* The node of key (admitted: approved). OUT: *n. */
static int node_of(app *a, const char *key, st_hub_node *n, mc_err *e)
{
	int rc = app_hub_admit(a, key ? key : "", e);
	if (!rc)
		rc = st_hub_node_by_key(a->st, key, n, e);
	return rc;
}

/* Whether the hub holds sha's bytes for agency; if it holds them from
 * another agency, or a crash left them in place before their row, they
 * are recorded for agency now (the same bytes are never sent twice). */
static int held_for(app *a, const char *agency, const char *sha, int64_t size, mc_time now,
		    int *held, mc_err *e)
{
	int rc = st_hub_blob_held(a->st, agency, sha, held, e);
	if (rc || *held)
		return rc;
	int64_t on_disk = -1;
	rc = blob_stat(app_dir(a), sha, &on_disk, e);
	/* A blob's name is the hash of bytes checked before the rename
	 * (blob_part_commit): a file of that name and size is those bytes. */
	if (!rc && on_disk == size) {
		rc = st_hub_blob_put(a->st, agency, sha, size, 0, now, e);
		if (!rc)
			rc = st_hub_file_in_delete(a->st, agency, sha, e);
		*held = !rc;
	}
	return rc;
}

int app_hub_files_want(app *a, const char *key, const char *sig, const void *body, size_t n,
		       mc_time now, json_t **out, mc_err *e)
{
	*out = NULL;
	if (!a->hub)
		return not_hub(e);
	st_hub_node node;
	int rc = node_of(a, key, &node, e);
	if (!rc)
		rc = batch_verify(APP_SYNC_DOMAIN_NODE, APP_SYNC_FILES_WANT_PATH, body, n, key,
				  sig ? sig : "", e);
	if (rc)
		return rc;
	json_error_t je;
	json_t *in = json_loadb(body, n, JSON_REJECT_DUPLICATES, &je);
	const json_t *files = json_object_get(in, "files");
	if (!json_is_object(in) || json_integer_value(json_object_get(in, "v")) != 1 ||
	    !json_is_array(files) || json_array_size(files) > APP_SYNC_FILES_WANT_MAX ||
	    json_object_size(in) != 2) {
		json_decref(in);
		return mc_fail(e, MCE_BAD_FIELD,
			       "yêu cầu phải là {\"files\":[{sha256,size}…],\"v\":1} với tối đa %d tệp",
			       "the offer is {\"files\":[{sha256,size}...],\"v\":1} with at most %d files",
			       APP_SYNC_FILES_WANT_MAX);
	}
	json_t *answer = json_array();
	rc = st_begin(a->st, e);
	size_t i;
	const json_t *it;
	json_array_foreach(files, i, it) {
		if (rc)
			break;
		const char *sha = json_string_value(json_object_get(it, "sha256"));
		json_t *sz = json_object_get(it, "size");
		if (!blob_sha_valid(sha) || !json_is_integer(sz)) {
			rc = mc_fail(e, MCE_BAD_FIELD, "tệp thứ %zu: sha256 (64 hex) và size bắt buộc",
				     "file %zu: sha256 (64 hex) and size are required", i);
			break;
		}
		int64_t size = 0;
		int held = 0;
		rc = st_hub_file_size(a->st, node.agency, sha, &size, e);
		if (rc == MC_ENOTFOUND || (!rc && size != json_integer_value(sz))) {
			rc = MC_OK;
			json_array_append_new(answer, json_pack("{s:s, s:s}", "sha256", sha, "state",
								"unknown"));
			continue;
		}
		if (!rc)
			rc = held_for(a, node.agency, sha, size, now, &held, e);
		if (rc)
			break;
		st_hub_file_in tr;
		int64_t offset = 0;
		if (!held) {
			rc = st_hub_file_in_get(a->st, node.agency, sha, &tr, e);
			if (rc == MC_ENOTFOUND)
				rc = MC_OK;
			else if (!rc)
				offset = tr.received;
		}
		json_array_append_new(answer,
				      held ? json_pack("{s:s, s:s}", "sha256", sha, "state", "held")
					   : json_pack("{s:s, s:s, s:I}", "sha256", sha, "state",
						       "want", "offset", (json_int_t)offset));
	}
	json_decref(in);
	rc = st_end(a->st, rc, e);
	if (rc) {
		json_decref(answer);
		return rc;
	}
	*out = json_pack("{s:o}", "files", answer);
	return MC_OK;
}

/* The part file's name of a transfer: one per (agency, hash), so two
 * nodes sending the same file never write the same part. */
static void part_id(const char *agency, const char *sha, char out[33])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char msg[200];
	int m = snprintf(msg, sizeof msg, "motcua-hub-part\n%s\n%s\n", agency, sha);
	crypto_hash_sha256(h, (const unsigned char *)msg, (unsigned long long)m);
	sodium_bin2hex(out, 33, h, 16);
}

static json_t *chunk_json(const char *sha, int64_t offset, int64_t size, int complete)
{
	return json_pack("{s:s, s:I, s:I, s:b}", "sha256", sha, "offset", (json_int_t)offset,
			 "size", (json_int_t)size, "complete", complete);
}

/* Records the transfer's durable length (its own short transaction). */
static int set_received(app *a, const char *agency, const char *sha, const st_hub_file_in *in,
			mc_time now, mc_err *e)
{
	int rc = st_begin(a->st, e);
	if (!rc)
		rc = st_hub_file_in_put(a->st, agency, sha, in, now, e);
	return st_end(a->st, rc, e);
}

/* Every byte is in p: check, move into place, record. */
static int finish_part(app *a, const char *agency, const char *sha, blob_part *p, int64_t size,
		       mc_time now, mc_err *e)
{
	char got[65];
	int rc = blob_part_hash(p, got, e);
	if (rc)
		return rc;
	if (p->size != size || strcmp(got, sha) != 0) {
		rc = mc_fail(e, MCE_FILE_MISMATCH,
			     "các phần nhận được (%lld byte, SHA-256 %.12s…) không phải tệp %.12s…",
			     "the chunks received (%lld bytes, SHA-256 %.12s...) are not file %.12s...",
			     (long long)p->size, got, sha);
		return rc;
	}
	int existed = 0;
	rc = blob_part_commit(app_dir(a), p, sha, &existed, e);
	if (rc)
		return rc;
	rc = st_begin(a->st, e);
	if (!rc)
		rc = st_hub_blob_put(a->st, agency, sha, size, 1, now, e);
	if (!rc)
		rc = st_hub_file_in_delete(a->st, agency, sha, e);
	return st_end(a->st, rc, e);
}

/* Refused bytes: neither the part nor its row is kept. e stays. */
static int drop(app *a, const char *agency, const char *sha, const char *part, int rc)
{
	mc_err ig;
	MC_IGNORE(blob_part_remove(app_dir(a), part, &ig));
	if (st_begin(a->st, &ig) == MC_OK) {
		int r = st_hub_file_in_delete(a->st, agency, sha, &ig);
		MC_IGNORE(st_end(a->st, r, &ig));
	}
	return rc;
}

int app_hub_file_chunk(app *a, const char *key, const char *sig, const char *sha, int64_t offset,
		       const void *data, size_t n, mc_time now, int *complete, int64_t *expected,
		       json_t **out, mc_err *e)
{
	*out = NULL;
	*complete = 0;
	*expected = -1;
	if (!a->hub)
		return not_hub(e);
	st_hub_node node;
	int rc = node_of(a, key, &node, e);
	if (rc)
		return rc;
	char path[160];
	app_sync_file_path(sha, offset, path);
	rc = batch_verify(APP_SYNC_DOMAIN_NODE, path, data, n, key, sig ? sig : "", e);
	if (rc)
		return rc;
	int64_t size = 0;
	int held = 0;
	rc = blob_sha_valid(sha) ? st_hub_file_size(a->st, node.agency, sha, &size, e)
				 : MC_ENOTFOUND;
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_SYNC_FILE_UNKNOWN,
			       "không sự kiện nào tỉnh đã nhận của %s nói đến tệp %.16s…",
			       "no event of %s the hub accepted names file %.16s...", node.agency,
			       sha);
	if (!rc) {
		rc = st_begin(a->st, e);
		if (!rc)
			rc = held_for(a, node.agency, sha, size, now, &held, e);
		rc = st_end(a->st, rc, e);
	}
	if (rc)
		return rc;
	if (held) {
		/* A retry whose answer was lost, or bytes held from elsewhere. */
		*complete = 1;
		*out = chunk_json(sha, size, size, 1);
		return MC_OK;
	}
	if (n == 0)
		return mc_fail(e, MCE_FILE_BAD_FIELD, "phần gửi lên rỗng", "the chunk is empty");
	st_hub_file_in in;
	rc = st_hub_file_in_get(a->st, node.agency, sha, &in, e);
	if (rc == MC_ENOTFOUND) {
		memset(&in, 0, sizeof in);
		part_id(node.agency, sha, in.part);
		in.size = size;
		rc = MC_OK;
	}
	if (rc)
		return rc;
	blob_part p;
	rc = blob_part_open(app_dir(a), in.part, 1, &p, e);
	/* Read again under the part's lock: another chunk may have landed. */
	if (!rc) {
		st_hub_file_in again;
		int r = st_hub_file_in_get(a->st, node.agency, sha, &again, e);
		if (r == MC_OK)
			in = again;
		else if (r != MC_ENOTFOUND)
			rc = r;
	}
	/* What the hub holds: the smaller of the part and the recorded length
	 * (bytes past the record were written but never recorded). */
	if (!rc && p.size > in.received)
		rc = blob_part_truncate(&p, in.received, e);
	else if (!rc && p.size < in.received)
		in.received = p.size;
	if (!rc && offset != in.received) {
		*expected = in.received;
		rc = mc_fail(e, MCE_SYNC_FILE_OFFSET,
			     "phần tệp bắt đầu ở byte %lld, tỉnh đã có %lld byte: gửi tiếp từ đó",
			     "the chunk starts at byte %lld, the hub holds %lld: resume there",
			     (long long)offset, (long long)in.received);
	} else if (!rc && in.received + (int64_t)n > size) {
		rc = drop(a, node.agency, sha, in.part,
			  mc_fail(e, MCE_FILE_MISMATCH, "vượt quá kích thước tệp (%lld byte)",
				  "more than the file's size (%lld bytes)", (long long)size));
	}
	if (!rc)
		rc = blob_part_append(&p, offset, data, n, e);
	if (!rc) {
		in.received = p.size;
		rc = set_received(a, node.agency, sha, &in, now, e);
	}
	if (!rc && p.size == size) {
		rc = finish_part(a, node.agency, sha, &p, size, now, e);
		if (rc && e->id == MCE_FILE_MISMATCH)
			rc = drop(a, node.agency, sha, in.part, rc);
		*complete = !rc;
	}
	if (!rc)
		*out = chunk_json(sha, in.received, size, *complete);
	blob_part_close(&p);
	return rc;
}

/* ---- the province's view ---- */

static int dfile_one(void *ctx, const st_hub_file *f)
{
	json_array_append_new(
		ctx, json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:i, s:I, s:b}",
			       "agency", f->agency, "component", f->component, "component_name",
			       f->component_name, "kind", f->kind, "source", f->source, "filename",
			       f->filename, "sha256", f->sha256, "size", (json_int_t)f->size,
			       "mime", f->mime, "pages", f->pages, "seq", (json_int_t)f->seq,
			       "held", f->held));
	return 0;
}

int app_hub_dossier_files(app *a, const char *code, json_t **out, mc_err *e)
{
	*out = json_array();
	int rc = st_hub_file_dossier(a->st, code, dfile_one, *out, e);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int app_hub_file_get(app *a, const app_actor *by, const char *sha256, char **data, size_t *len,
		     char mime[64], char *filename, size_t size, mc_err *e)
{
	if (!a->hub)
		return not_hub(e);
	if (by->role != ROLE_ADMIN && by->role != ROLE_SUPERVISOR)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị và giám sát của tỉnh xem được tệp các xã",
			       "only the province's administrators and supervisors may see the "
			       "communes' files");
	int held = 0;
	int rc = blob_sha_valid(sha256) ? st_hub_blob_held(a->st, NULL, sha256, &held, e) : MC_OK;
	if (!rc && !held)
		return mc_fail(e, MCE_FILE_NOT_FOUND, "tỉnh chưa có tệp '%.70s'",
			       "the hub does not hold file '%.70s'", sha256 ? sha256 : "");
	if (!rc)
		rc = blob_read(app_dir(a), sha256, (size_t)APP_FILE_MAX, data, len, e);
	if (rc)
		return rc;
	/* The node checked the type (fcheck) before storing the bytes; the
	 * hub names it from their first bytes for the download. */
	const unsigned char *b = (const unsigned char *)*data;
	const char *m = *len >= 4 && memcmp(b, "%PDF", 4) == 0	       ? "application/pdf"
			: *len >= 3 && b[0] == 0xff && b[1] == 0xd8    ? "image/jpeg"
			: *len >= 4 && memcmp(b, "\x89PNG", 4) == 0    ? "image/png"
								       : "image/tiff";
	snprintf(mime, 64, "%s", m);
	const char *ext = strcmp(m, "application/pdf") == 0 ? "pdf"
			  : strcmp(m, "image/jpeg") == 0    ? "jpg"
			  : strcmp(m, "image/png") == 0     ? "png"
							    : "tif";
	snprintf(filename, size, "%.16s.%s", sha256, ext);
	return MC_OK;
}

int app_hub_sweep_keeps(app *a, int is_part, const char *name, int *keep, mc_err *e)
{
	*keep = 0;
	if (!a->hub)
		return MC_OK;
	return is_part ? st_hub_file_in_part(a->st, name, keep, e)
		       : st_hub_blob_held(a->st, NULL, name, keep, e);
}

/* ---- the node ---- */

void app_sync_file_path(const char *sha, int64_t offset, char out[160])
{
	snprintf(out, 160, "%s/%.64s?offset=%lld", APP_SYNC_FILES_PATH, sha ? sha : "",
		 (long long)offset);
}

typedef struct {
	json_t *files;
	app_sync_offer *list;
	size_t n, max;
} offer_ctx;

static int offer_one(void *p, const char *sha, int64_t size)
{
	offer_ctx *c = p;
	if (c->n == c->max)
		return 1;
	snprintf(c->list[c->n].sha256, sizeof c->list[c->n].sha256, "%s", sha);
	c->list[c->n].size = size;
	c->n++;
	json_array_append_new(c->files, json_pack("{s:s, s:I}", "sha256", sha, "size",
						  (json_int_t)size));
	return 0;
}

int app_sync_files_offer(app *a, size_t max, app_sync_offer *list, size_t *n, char **body,
			 char sig[129], mc_err *e)
{
	*n = 0;
	*body = NULL;
	if (max > APP_SYNC_FILES_WANT_MAX)
		max = APP_SYNC_FILES_WANT_MAX;
	offer_ctx c = { json_array(), list, 0, max };
	int rc = st_read_begin(a->st, e);
	if (rc) {
		json_decref(c.files);
		return rc;
	}
	char *acked = NULL;
	mc_err ig;
	int64_t upto = st_sync_get(a->st, "acked_seq", &acked, &ig) ? 0 : strtoll(acked, NULL, 10);
	free(acked);
	rc = st_sfile_offer(a->st, upto, (int)max, offer_one, &c, e);
	st_read_end(a->st);
	if (rc || c.n == 0) {
		json_decref(c.files);
		return rc;
	}
	json_t *j = json_pack("{s:o, s:i}", "files", c.files, "v", 1);
	char *b = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (!b)
		return mc_fail(e, MCE_INTERNAL, "không mã hoá được danh sách tệp",
			       "cannot encode the offer");
	rc = app_node_sign(a, APP_SYNC_FILES_WANT_PATH, b, strlen(b), sig, e);
	if (rc) {
		free(b);
		return rc;
	}
	*body = b;
	*n = c.n;
	return MC_OK;
}

int app_sync_file_chunk(app *a, const char *sha, int64_t offset, size_t max, char **data,
			size_t *n, char path[160], char sig[129], mc_err *e)
{
	int rc = blob_read_range(app_dir(a), sha, offset, max, data, n, e);
	if (rc)
		return rc;
	app_sync_file_path(sha, offset, path);
	rc = app_node_sign(a, path, *data, *n, sig, e);
	if (rc) {
		free(*data);
		*data = NULL;
	}
	return rc;
}

static int64_t chunk_state(app *a, const char *key, int64_t dflt)
{
	char *v = NULL;
	mc_err ig;
	if (st_sync_get(a->st, key, &v, &ig))
		return dflt;
	int64_t x = strtoll(v, NULL, 10);
	free(v);
	return x >= CHUNK_MIN && x <= APP_CHUNK_MAX ? x : dflt;
}

static int chunk_set(app *a, const char *key, int64_t v, mc_err *e)
{
	char t[32];
	snprintf(t, sizeof t, "%lld", (long long)v);
	return st_sync_set(a->st, key, t, e);
}

size_t app_sync_file_chunk_size(app *a)
{
	mc_err ig;
	if (st_read_begin(a->st, &ig))
		return CHUNK_START;
	int64_t x = chunk_state(a, "file_chunk", CHUNK_START);
	st_read_end(a->st);
	return (size_t)x;
}

/* Inside the caller's transaction: the chunk size after a chunk landed
 * (landed 1) or was cut (-1), and after a file completed (the ceiling
 * goes back up). One state for the link, whichever way the bytes go. */
static int chunk_adapt(app *a, int landed, int completed, mc_err *e)
{
	int rc = MC_OK;
	if (landed) {
		/* A chunk landed: the next may be larger, up to the ceiling; a
		 * cut: half as large, and the ceiling comes down with it until a
		 * file completes (so a link that cuts every 400 kB does not see
		 * 512 kB chunks tried again and again). */
		int64_t c = chunk_state(a, "file_chunk", CHUNK_START);
		int64_t top = chunk_state(a, "file_chunk_top", APP_CHUNK_MAX);
		c = landed > 0 ? (c * 2 > top ? top : c * 2) : c / 2;
		c = c < CHUNK_MIN ? CHUNK_MIN : c > APP_CHUNK_MAX ? APP_CHUNK_MAX : c;
		rc = chunk_set(a, "file_chunk", c, e);
		if (!rc && landed < 0)
			rc = chunk_set(a, "file_chunk_top", c, e);
	}
	if (!rc && completed)
		rc = chunk_set(a, "file_chunk_top", APP_CHUNK_MAX, e);
	return rc;
}

int app_sync_chunk_result(app *a, int landed, int completed, mc_err *e)
{
	int rc = st_begin(a->st, e);
	if (!rc)
		rc = chunk_adapt(a, landed, completed, e);
	return st_end(a->st, rc, e);
}

int app_sync_file_result(app *a, const char *sha, int64_t sent, int landed, const char *state,
			 const char *code, const char *message, mc_time now, mc_err *e)
{
	int rc = st_begin(a->st, e);
	if (rc)
		return rc;
	if (sent > 0)
		rc = st_sfile_sent(a->st, sha, sent, e);
	if (!rc)
		rc = chunk_adapt(a, landed, state && strcmp(state, "confirmed") == 0, e);
	if (!rc && state)
		rc = st_sfile_set(a->st, sha, state, code, message, now, e);
	return st_end(a->st, rc, e);
}

static int refused_one(void *ctx, const char *sha, const char *code, const char *message,
		       mc_time at)
{
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:o}", "sha256", sha, "code", code,
					     "message", message, "at", app_json_time(at)));
	return 0;
}

int app_sync_files_status(app *a, json_t **out, mc_err *e)
{
	int64_t waiting, bytes, refused, sent;
	*out = NULL;
	int rc = st_sfile_counts(a->st, &waiting, &bytes, &refused, &sent, e);
	json_t *list = json_array();
	if (!rc && refused)
		rc = st_sfile_refused(a->st, refused_one, list, e);
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{s:I, s:I, s:I, s:o}", "waiting", (json_int_t)waiting, "bytes_waiting",
			 (json_int_t)bytes, "bytes_sent", (json_int_t)sent, "refused", list);
	return MC_OK;
}
