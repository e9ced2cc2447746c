/*
 * files.c - digitization use cases (see files.h).
 *
 * An upload's life, and why each step comes where it does:
 * 1. begin: a row (upload) naming the dossier, component, declared size.
 * 2. chunk: under the part file's lock, the part is cut back to the
 *    smaller of its length and the recorded offset (a crash may have left
 *    bytes written but never recorded); a chunk lands only at that offset,
 *    is fdatasync'd, and only then is the new offset recorded. A chunk
 *    whose answer was lost is therefore re-sent once and refused with the
 *    offset to resume at (409): at most one chunk travels twice per cut.
 * 3. last chunk: the whole file is hashed and checked (fcheck.h); the
 *    hash is recorded with the final offset; the part is renamed into the
 *    content-addressed store and synced; then one transaction writes the
 *    file, the dossier's file row and the dossier.file event. The answer
 *    (201) comes after that commit. A crash between the steps is finished
 *    by the next chunk or status call from the recorded hash.
 */
#include "app_int.h"
#include "app/fcheck.h"
#include "app/files.h"
#include "app/jobs.h"
#include "app/sync.h"

#include <sodium.h>

#include "core/txt.h"
#include "store/blob.h"
#include "store/ev.h"
#include "store/st_files.h"
#include "store/st_jobs.h"

static const struct {
	const char *name, *label;
} sources[] = {
	{ "digitized", "Đã số hoá" },
	{ "reused", "Tái sử dụng" },
	{ "data_store", "Từ kho dữ liệu công dân" },
};

static const char *source_label(const char *s)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(sources); i++)
		if (strcmp(sources[i].name, s) == 0)
			return sources[i].label;
	return NULL;
}

static json_t *record_json(const st_dfile *d)
{
	json_t *j = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:i, s:i, s:i, s:s, "
			      "s:o, s:I}",
			      "component", d->component, "component_name", d->component_name,
			      "kind", d->kind, "source", d->source, "source_label",
			      source_label(d->source) ? source_label(d->source) : d->source,
			      "filename", d->filename, "sha256", d->sha256, "size",
			      (json_int_t)d->file.size, "mime", d->file.mime, "pages", d->file.pages,
			      "width", d->file.width, "height", d->file.height, "added_by",
			      d->added_by, "added_at", app_json_time(d->added_at), "seq",
			      (json_int_t)d->seq);
	return j;
}

/* ---- who may attach what ---- */

static int state_allows(int kind_result, int state)
{
	if (kind_result)
		return state == DSR_PROCESSING || state == DSR_AWAITING_APPROVAL ||
		       state == DSR_RESULT_READY;
	return dsr_state_is_open(state);
}

/* LAW: Decree 45/2020/ND-CP art. 3, 4 (as amended): the one-stop section
 * digitizes the papers it receives; the officer who settles the dossier
 * issues the electronic result. So scans: reception (and admin); the
 * result: the assigned specialist, a leader, admin. */
static int may_attach(app *a, const app_actor *by, const st_dossier *d, int kind_result,
		      mc_err *e)
{
	if (strcmp(d->r.agency, a->agency) != 0)
		return mc_fail(e, MCE_DOSSIER_MOVED, "hồ sơ '%s' đã được chuyển sang cơ quan '%s'",
			       "dossier '%s' now belongs to agency '%s'", d->code, d->r.agency);
	int ok;
	if (kind_result)
		ok = by->role == ROLE_ADMIN || by->role == ROLE_LEADER ||
		     (by->role == ROLE_SPECIALIST && strcmp(d->r.assignee, by->login) == 0);
	else
		ok = by->role == ROLE_RECEPTION || by->role == ROLE_ADMIN;
	if (!ok)
		return mc_fail(e, MCE_ROLE,
			       kind_result ? "chỉ chuyên viên được giao hồ sơ, lãnh đạo hoặc quản trị "
					     "viên được đính kèm kết quả điện tử"
					   : "chỉ bộ phận tiếp nhận hoặc quản trị viên được tải bản "
					     "số hoá thành phần hồ sơ",
			       kind_result ? "only the assigned specialist, a leader or an admin may "
					     "attach the electronic result"
					   : "only reception or an admin may upload scans");
	if (!state_allows(kind_result, d->r.state))
		return mc_fail(e, MCE_DOSSIER_WRONG_STATE,
			       "hồ sơ đang ở trạng thái «%s»: không đính kèm tệp được",
			       "the dossier is '%s': no file can be attached", dsr_state_name(d->r.state));
	return MC_OK;
}

/* The name of component i of d (0-based); MCE_FILE_BAD_FIELD if d has no
 * such component. OUT: name (size bytes). */
static int component_name(const st_dossier *d, int i, char *name, size_t size, mc_err *e)
{
	json_t *c = json_loads(d->components ? d->components : "[]", 0, NULL);
	json_t *it = json_is_array(c) && i >= 0 ? json_array_get(c, (size_t)i) : NULL;
	const char *n = json_string_value(json_object_get(it, "name"));
	if (!n)
		n = json_string_value(it);
	int rc = it ? MC_OK
		    : mc_fail(e, MCE_FILE_BAD_FIELD,
			      "hồ sơ có %zu thành phần: component phải từ 0 đến %zu, không phải %d",
			      "the dossier has %zu components: component must be 0 to %zu, not %d",
			      json_array_size(c), json_array_size(c) ? json_array_size(c) - 1 : 0, i);
	snprintf(name, size, "%s", n ? n : "");
	json_decref(c);
	return rc;
}

/* ---- begin ---- */

static int check_req(const app_upload_req *q, int *kind_result, mc_err *e)
{
	const char *k = q->kind ? q->kind : "";
	*kind_result = strcmp(k, "result") == 0;
	if (!*kind_result && strcmp(k, "scan") != 0)
		return mc_fail(e, MCE_FILE_BAD_FIELD, "kind phải là scan hoặc result",
			       "kind must be scan or result");
	if (*kind_result ? q->component != -1 : q->component < 0)
		return mc_fail(e, MCE_FILE_BAD_FIELD,
			       "component là số thứ tự thành phần (từ 0) với scan, và -1 với result",
			       "component is the component's index (from 0) for a scan, -1 for the result");
	if (q->source && strcmp(q->source, "digitized") != 0 && strcmp(q->source, "data_store") != 0)
		return mc_fail(e, MCE_FILE_BAD_FIELD, "source phải là digitized hoặc data_store",
			       "source must be digitized or data_store");
	if (q->size == 0)
		return mc_fail(e, MCE_FILE_EMPTY, "tệp rỗng (0 byte)", "the file is empty (0 bytes)");
	if (q->size < 0 || q->size > APP_FILE_MAX)
		return mc_fail(e, MCE_FILE_TOO_LARGE, "tệp tối đa %lld MiB",
			       "a file is at most %lld MiB", (long long)(APP_FILE_MAX >> 20));
	if (q->sha256 && !blob_sha_valid(q->sha256))
		return mc_fail(e, MCE_FILE_BAD_FIELD, "sha256 phải gồm 64 chữ số hex viết thường",
			       "sha256 must be 64 lower-case hex digits");
	return txt_check_field("filename", q->filename ? q->filename : "", 200, 0, 0, e);
}

int app_upload_begin(app *a, const app_actor *by, const char *code, const app_upload_req *q,
		     mc_time now, json_t **out, mc_err *e)
{
	int kind_result;
	int rc = check_req(q, &kind_result, e);
	if (rc)
		return rc;
	st_upload u;
	memset(&u, 0, sizeof u);
	unsigned char rnd[16];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(u.id, sizeof u.id, rnd, sizeof rnd);
	snprintf(u.agency, sizeof u.agency, "%s", a->agency);
	snprintf(u.dossier, sizeof u.dossier, "%s", code ? code : "");
	u.component = q->component;
	snprintf(u.kind, sizeof u.kind, "%s", q->kind);
	snprintf(u.source, sizeof u.source, "%s", q->source ? q->source : "digitized");
	snprintf(u.filename, sizeof u.filename, "%s", q->filename ? q->filename : "");
	u.size = q->size;
	snprintf(u.sha256, sizeof u.sha256, "%s", q->sha256 ? q->sha256 : "");
	snprintf(u.created_by, sizeof u.created_by, "%s", by->login);
	u.created_at = u.updated_at = now;
	st_dossier d;
	memset(&d, 0, sizeof d);
	char name[512];
	rc = st_begin(a->st, e);
	if (!rc)
		rc = st_dossier_get(a->st, u.dossier, &d, e);
	if (!rc)
		rc = may_attach(a, by, &d, kind_result, e);
	if (!rc && !kind_result)
		rc = component_name(&d, q->component, name, sizeof name, e);
	if (!rc)
		rc = st_upload_insert(a->st, &u, e);
	rc = st_end(a->st, rc, e);
	st_dossier_release(&d);
	if (rc)
		return rc;
	*out = json_pack("{s:s, s:i, s:I, s:i, s:i}", "id", u.id, "offset", 0, "size",
			 (json_int_t)u.size, "chunk_max", (int)APP_CHUNK_MAX, "chunk_hint",
			 (int)APP_CHUNK_HINT);
	return MC_OK;
}

/* ---- chunks ---- */

static json_t *progress_json(const st_upload *u, int64_t offset)
{
	return json_pack("{s:s, s:I, s:I, s:b}", "id", u->id, "offset", (json_int_t)offset, "size",
			 (json_int_t)u->size, "complete", 0);
}

static int load_upload(app *a, const app_actor *by, const char *id, st_upload *u, mc_err *e)
{
	int rc = blob_id_valid(id) ? st_upload_get(a->st, id, u, e) : MC_ENOTFOUND;
	/* Someone else's upload is answered as missing: ids are not secrets
	 * to guard, but there is nothing to say about them either. */
	if (!rc && strcmp(u->created_by, by->login) != 0 && by->role != ROLE_ADMIN)
		rc = MC_ENOTFOUND;
	if (!rc && strcmp(u->agency, a->agency) != 0)
		rc = MC_ENOTFOUND;
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_UPLOAD_NOT_FOUND, "không có lượt tải lên '%.40s'",
			       "no upload '%.40s'", id ? id : "");
	return rc;
}

/* Refused content: nothing of the upload is kept. The error e stays. */
static int refuse(app *a, const st_upload *u, int rc)
{
	mc_err ig;
	MC_IGNORE(blob_part_remove(app_dir(a), u->id, &ig));
	/* If this fails, the sweep removes the row after APP_UPLOAD_TTL. */
	MC_IGNORE(st_upload_delete(a->st, u->id, &ig));
	return rc;
}

/* In one transaction: the file, the dossier's file row, the event, the
 * upload marked stored. OUT: *out the record. */
static int record_file(app *a, const app_actor *by, const st_upload *u, const fchk_info *fi,
		       const char *sha, mc_time now, json_t **out, mc_err *e)
{
	int kind_result = strcmp(u->kind, "result") == 0;
	st_dossier d;
	memset(&d, 0, sizeof d);
	char name[512] = "";
	st_file f = { .size = u->size, .pages = fi->pages, .width = fi->width,
		       .height = fi->height, .created_at = now };
	snprintf(f.sha256, sizeof f.sha256, "%s", sha);
	snprintf(f.mime, sizeof f.mime, "%s", fi->mime);
	st_dfile df = { .dossier = u->dossier, .agency = a->agency, .component = u->component,
			.component_name = name, .sha256 = sha, .kind = u->kind,
			.source = u->source, .filename = u->filename, .added_by = by->login,
			.added_at = now, .file = f };
	int rc = st_begin(a->st, e);
	if (!rc)
		rc = st_dossier_get(a->st, u->dossier, &d, e);
	if (!rc)
		rc = may_attach(a, by, &d, kind_result, e);
	if (!rc && !kind_result)
		rc = component_name(&d, u->component, name, sizeof name, e);
	if (!rc)
		rc = st_file_put(a->st, &f, NULL, e);
	/* Its text is read in the background (jobs.h); a file stored before,
	 * deduplicated, already has its job. */
	if (!rc)
		rc = st_job_add(a->st, "ocr", sha, a->agency, now, NULL, e);
	if (!rc) {
		json_t *p = json_pack("{s:s, s:{s:s, s:I, s:s, s:i, s:i, s:i, s:i, s:s, s:s, s:s, "
				      "s:s}}",
				      "action", "file", "file", "sha256", sha, "size",
				      (json_int_t)f.size, "mime", f.mime, "pages", f.pages, "width",
				      f.width, "height", f.height, "component", u->component,
				      "component_name", name, "kind", u->kind, "source", u->source,
				      "filename", u->filename);
		rc = ev_append(a->st, now, by->login, "dossier.file", d.code, p, &d.last_seq, e);
		json_decref(p);
	}
	df.seq = d.last_seq;
	if (!rc)
		rc = st_dfile_put(a->st, &df, e);
	if (!rc)
		rc = st_dossier_touch(a->st, d.code, d.last_seq, e);
	if (!rc)
		rc = st_upload_stored(a->st, u->id, sha, now, e);
	rc = st_end(a->st, rc, e);
	st_dossier_release(&d);
	if (!rc) {
		app_jobs_kick();
		*out = record_json(&df);
	}
	return rc;
}

static int complete_json(app *a, const st_upload *u, json_t **out, mc_err *e)
{
	json_t *items = NULL;
	app_actor sys;
	app_actor_system(a, &sys);
	int rc = app_dossier_files(a, &sys, u->dossier, &items, e);
	if (rc)
		return rc;
	json_t *rec = NULL, *it;
	size_t i;
	json_array_foreach(json_object_get(items, "items"), i, it) {
		if (json_integer_value(json_object_get(it, "component")) == u->component &&
		    strcmp(json_string_value(json_object_get(it, "sha256")), u->stored) == 0)
			rec = it;
	}
	*out = json_pack("{s:s, s:I, s:I, s:b, s:O?}", "id", u->id, "offset", (json_int_t)u->size,
			 "size", (json_int_t)u->size, "complete", 1, "file", rec);
	json_decref(items);
	return MC_OK;
}

/*
 * The last byte is in (p holds the whole part, or p->fd < 0 when a crash
 * already moved it into place: u->hash names the blob). Hash and check
 * (refusing removes the upload), record the hash, move into place, record
 * the file. OUT: *out the completed upload.
 */
static int finish(app *a, const app_actor *by, st_upload *u, blob_part *p, mc_time now,
		  json_t **out, mc_err *e)
{
	char sha[65];
	fchk_info fi;
	char *bytes = NULL;
	size_t len = 0;
	const void *data;
	int rc = MC_OK;
	if (p->fd >= 0) {
		rc = blob_part_hash(p, sha, e);
		data = p->map;
		len = p->map_len;
	} else {
		snprintf(sha, sizeof sha, "%s", u->hash);
		rc = blob_read(app_dir(a), sha, (size_t)APP_FILE_MAX, &bytes, &len, e);
		data = bytes;
	}
	if (rc)
		return rc;
	if (len != (size_t)u->size || (u->sha256[0] && strcmp(u->sha256, sha) != 0)) {
		free(bytes);
		rc = mc_fail(e, MCE_FILE_MISMATCH,
			     "nội dung nhận được (%zu byte, SHA-256 %.12s…) khác với đã khai",
			     "the bytes received (%zu, SHA-256 %.12s...) differ from those declared",
			     len, sha);
		return refuse(a, u, rc);
	}
	rc = fchk_check(data, len, &fi, e);
	free(bytes);
	if (rc)
		return refuse(a, u, rc);
	if (!u->hash[0]) {
		rc = st_upload_advance(a->st, u->id, u->received, u->size, sha, now, e);
		if (rc)
			return rc;
		u->received = u->size;
		snprintf(u->hash, sizeof u->hash, "%s", sha);
	}
	int existed = 0;
	if (p->fd >= 0)
		rc = blob_part_commit(app_dir(a), p, sha, &existed, e);
	if (!rc)
		rc = record_file(a, by, u, &fi, sha, now, out, e);
	if (rc && e->id == MCE_FILE_EXISTS)
		return refuse(a, u, rc); /* the bytes stay: another row names them */
	if (rc)
		return rc;
	json_t *rec = *out;
	*out = json_pack("{s:s, s:I, s:I, s:b, s:o}", "id", u->id, "offset", (json_int_t)u->size,
			 "size", (json_int_t)u->size, "complete", 1, "file", rec);
	return MC_OK;
}

/* Under p's lock: what the server holds, the smaller of the part's length
 * and the recorded offset (the part is cut back to it). */
static int settle(app *a, st_upload *u, blob_part *p, mc_time now, mc_err *e)
{
	int rc = MC_OK;
	if (p->size > u->received)
		rc = blob_part_truncate(p, u->received, e);
	else if (p->size < u->received) {
		/* Recorded bytes the part does not have (it was lost): resume
		 * from what is there. */
		rc = st_upload_advance(a->st, u->id, u->received, p->size, NULL, now, e);
		if (!rc)
			u->received = p->size;
	}
	return rc;
}

int app_upload_chunk(app *a, const app_actor *by, const char *id, int64_t offset,
		     const void *data, size_t n, mc_time now, int *complete, int64_t *expected,
		     json_t **out, mc_err *e)
{
	st_upload u;
	*complete = 0;
	*expected = -1;
	int rc = load_upload(a, by, id, &u, e);
	if (rc)
		return rc;
	if (u.stored[0]) {
		/* A retry of the last chunk whose answer was lost. */
		if (offset + (int64_t)n == u.size) {
			*complete = 1;
			return complete_json(a, &u, out, e);
		}
		*expected = u.size;
		return mc_fail(e, MCE_UPLOAD_BAD_OFFSET, "tệp đã nhận đủ %lld byte",
			       "the file is complete (%lld bytes)", (long long)u.size);
	}
	if (n == 0)
		return mc_fail(e, MCE_FILE_BAD_FIELD, "phần gửi lên rỗng", "the chunk is empty");
	blob_part p;
	rc = blob_part_open(app_dir(a), u.id, !u.hash[0], &p, e);
	if (rc == MC_ENOTFOUND && u.hash[0]) {
		/* Moved into place before a crash: record it now. */
		rc = finish(a, by, &u, &p, now, out, e);
		*complete = !rc;
		blob_part_close(&p);
		return rc;
	}
	/* Read again under the lock: another chunk may have landed. */
	if (!rc)
		rc = st_upload_get(a->st, u.id, &u, e);
	if (rc == MC_ENOTFOUND)
		rc = mc_fail(e, MCE_UPLOAD_NOT_FOUND, "lượt tải lên '%s' đã bị huỷ",
			     "upload '%s' was cancelled", u.id);
	if (!rc)
		rc = settle(a, &u, &p, now, e);
	if (!rc && u.hash[0]) {
		/* Every byte was in before a crash: finish it, whatever was sent. */
		rc = finish(a, by, &u, &p, now, out, e);
		*complete = !rc;
		blob_part_close(&p);
		return rc;
	}
	if (!rc && offset != u.received) {
		*expected = u.received;
		rc = mc_fail(e, MCE_UPLOAD_BAD_OFFSET,
			     "phần gửi lên bắt đầu ở byte %lld, máy chủ đã có %lld byte: gửi tiếp từ đó",
			     "the chunk starts at byte %lld, the server holds %lld: resume there",
			     (long long)offset, (long long)u.received);
	}
	if (!rc && u.received + (int64_t)n > u.size)
		rc = mc_fail(e, MCE_FILE_MISMATCH, "vượt quá kích thước đã khai (%lld byte)",
			     "more than the declared size (%lld bytes)", (long long)u.size);
	char mime[64];
	if (!rc && offset == 0 && fchk_type(data, n, mime, e))
		rc = refuse(a, &u, e->code);
	if (!rc)
		rc = blob_part_append(&p, offset, data, n, e);
	if (!rc && p.size < u.size) {
		rc = st_upload_advance(a->st, u.id, u.received, p.size, NULL, now, e);
		if (!rc) {
			u.received = p.size;
			*out = progress_json(&u, u.received);
		}
	} else if (!rc) {
		rc = finish(a, by, &u, &p, now, out, e);
		*complete = !rc;
	}
	if (rc && p.fd >= 0 && p.size == 0) {
		/* Nothing accepted: leave no empty part behind (under the lock,
		 * which blob_part_open's next holder checks the name against). */
		mc_err ig;
		MC_IGNORE(blob_part_remove(app_dir(a), u.id, &ig));
	}
	blob_part_close(&p);
	return rc;
}

int app_upload_status(app *a, const app_actor *by, const char *id, mc_time now, json_t **out,
		      mc_err *e)
{
	st_upload u;
	int rc = load_upload(a, by, id, &u, e);
	if (rc)
		return rc;
	if (u.stored[0])
		return complete_json(a, &u, out, e);
	blob_part p;
	rc = blob_part_open(app_dir(a), u.id, 0, &p, e);
	if (rc == MC_ENOTFOUND && u.hash[0]) {
		rc = finish(a, by, &u, &p, now, out, e);
	} else if (rc == MC_ENOTFOUND) {
		rc = MC_OK; /* no byte yet */
		*out = progress_json(&u, 0);
	} else {
		if (!rc)
			rc = st_upload_get(a->st, u.id, &u, e);
		if (!rc)
			rc = settle(a, &u, &p, now, e);
		if (!rc && u.hash[0])
			rc = finish(a, by, &u, &p, now, out, e);
		else if (!rc)
			*out = progress_json(&u, u.received);
	}
	blob_part_close(&p);
	return rc;
}

/* ---- reading ---- */

typedef struct {
	app *a;
	json_t *items;
} list_ctx;

/* Each file with where its text recognition stands ("ocr": null if never
 * queued). */
static int list_one(void *ctx, const st_dfile *d)
{
	list_ctx *c = ctx;
	json_t *r = record_json(d);
	json_t *ocr = app_file_ocr(c->a, d->sha256);
	json_object_set_new(r, "ocr", ocr ? ocr : json_null());
	json_array_append_new(c->items, r);
	return 0;
}

int app_dossier_files(app *a, const app_actor *by, const char *code, json_t **out, mc_err *e)
{
	st_dossier d;
	int rc = st_dossier_get(a->st, code ? code : "", &d, e);
	if (rc)
		return rc;
	st_dossier_release(&d);
	json_t *items = json_array();
	list_ctx c = { .a = a, .items = items };
	rc = st_dfile_list(a->st, code, list_one, &c, e);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return MC_OK;
}

typedef struct {
	const char *sha;
	char filename[256];
	int found;
} name_ctx;

int app_file_get(app *a, const app_actor *by, const char *sha256, char **data, size_t *len,
		 char mime[64], char *filename, size_t size, mc_err *e)
{
	st_file f;
	int held = 0;
	int rc = blob_sha_valid(sha256) ? st_dfile_held(a->st, a->agency, sha256, &held, e) : 0;
	if (!rc && held)
		rc = st_file_get(a->st, sha256, &f, e);
	if (!rc && (!held || strcmp(by->agency, a->agency) != 0))
		rc = MC_ENOTFOUND;
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_FILE_NOT_FOUND, "không có tệp '%.70s'", "no file '%.70s'",
			       sha256 ? sha256 : "");
	if (rc)
		return rc;
	rc = blob_read(app_dir(a), sha256, (size_t)APP_FILE_MAX, data, len, e);
	if (rc)
		return rc;
	snprintf(mime, 64, "%s", f.mime);
	/* A name for the download: the hash and the type's extension (an
	 * uploaded name may hold anything a header should not). */
	const char *ext = strcmp(f.mime, "application/pdf") == 0 ? "pdf"
			  : strcmp(f.mime, "image/jpeg") == 0    ? "jpg"
			  : strcmp(f.mime, "image/png") == 0     ? "png"
								 : "tif";
	snprintf(filename, size, "%.16s.%s", sha256, ext);
	return MC_OK;
}

typedef struct {
	json_t *items, *seen;
} appl_ctx;

static int appl_one(void *ctx, const st_dfile *d)
{
	appl_ctx *c = ctx;
	if (json_object_get(c->seen, d->sha256))
		return 0; /* one offer per paper, its newest record */
	json_object_set_new(c->seen, d->sha256, json_true());
	json_t *j = record_json(d);
	json_object_set_new(j, "dossier", json_string(d->dossier));
	json_array_append_new(c->items, j);
	return 0;
}

static int applicant_walk(app *a, const char *id_number, appl_ctx *c, mc_err *e)
{
	c->items = json_array();
	c->seen = json_object();
	return st_dfile_applicant(a->st, a->agency, id_number, 500, appl_one, c, e);
}

static int check_id_number(const char *s, mc_err *e)
{
	size_t n = s ? strlen(s) : 0;
	int ok = n >= 6 && n <= 20;
	for (size_t i = 0; ok && i < n; i++)
		ok = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z');
	return ok ? MC_OK
		  : mc_fail(e, MCE_FILE_BAD_FIELD,
			    "id_number phải gồm 6 đến 20 chữ số hoặc chữ in hoa",
			    "id_number must be 6 to 20 digits or capital letters");
}

int app_applicant_files(app *a, const app_actor *by, const char *id_number, json_t **out,
			mc_err *e)
{
	if (by->role != ROLE_RECEPTION && by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "chỉ bộ phận tiếp nhận hoặc quản trị viên xem được",
			       "only reception or an admin may see this");
	int rc = check_id_number(id_number, e);
	if (rc)
		return rc;
	appl_ctx c;
	rc = applicant_walk(a, id_number, &c, e);
	json_decref(c.seen);
	if (rc) {
		json_decref(c.items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", c.items);
	return MC_OK;
}

int app_file_reuse(app *a, const app_actor *by, const char *code, int component,
		   const char *sha256, mc_time now, json_t **out, mc_err *e)
{
	if (!blob_sha_valid(sha256))
		return mc_fail(e, MCE_FILE_BAD_FIELD, "sha256 phải gồm 64 chữ số hex viết thường",
			       "sha256 must be 64 lower-case hex digits");
	if (component < 0)
		return mc_fail(e, MCE_FILE_BAD_FIELD, "component là số thứ tự thành phần (từ 0)",
			       "component is the component's index (from 0)");
	st_dossier d;
	int rc = st_dossier_get(a->st, code ? code : "", &d, e);
	if (rc)
		return rc;
	char idn[64];
	snprintf(idn, sizeof idn, "%s", d.id_number ? d.id_number : "");
	st_dossier_release(&d);
	/* Only a paper held for the same applicant: a file of someone else's
	 * dossier is not this person's to reuse. */
	appl_ctx c = { 0 };
	rc = idn[0] ? applicant_walk(a, idn, &c, e) : MC_OK;
	int same = !rc && c.seen && json_object_get(c.seen, sha256) != NULL;
	json_decref(c.seen);
	json_decref(c.items);
	if (!rc && !same)
		rc = mc_fail(e, MCE_FILE_NOT_FOUND,
			     "không có tệp '%.16s…' trong giấy tờ đã số hoá của người nộp hồ sơ này",
			     "no file '%.16s...' among this applicant's digitized papers", sha256);
	st_file f;
	if (!rc)
		rc = st_file_get(a->st, sha256, &f, e);
	if (rc)
		return rc == MC_ENOTFOUND ? mc_fail(e, MCE_FILE_NOT_FOUND, "không có tệp này",
						    "no such file")
					  : rc;
	st_upload u = { .component = component, .size = f.size };
	snprintf(u.dossier, sizeof u.dossier, "%s", code);
	snprintf(u.kind, sizeof u.kind, "scan");
	snprintf(u.source, sizeof u.source, "reused");
	fchk_info fi = { .pages = f.pages, .width = f.width, .height = f.height };
	snprintf(fi.mime, sizeof fi.mime, "%s", f.mime);
	/* No upload row: record_file's stored mark then touches none. */
	return record_file(a, by, &u, &fi, sha256, now, out, e);
}

/* ---- the sweep ---- */

typedef struct {
	app *a;
	int failed;
} sweep_ctx;

static int sweep_one(void *ctx, int is_part, const char *name, int64_t age)
{
	sweep_ctx *c = ctx;
	mc_err e;
	int yes = 0;
	/* On a hub, transfers from the nodes and the bytes they brought
	 * (docs/sync.md §12) are kept as uploads and files are. */
	if (is_part) {
		if (st_upload_exists(c->a->st, name, &yes, &e) ||
		    (!yes && app_hub_sweep_keeps(c->a, 1, name, &yes, &e)) ||
		    (!yes && app_sync_fetch_keeps(c->a, name, &yes, &e)))
			c->failed = 1;
		return !c->failed && !yes;
	}
	if (age < 3600)
		return 0; /* maybe being recorded right now */
	st_file f;
	int rc = st_file_get(c->a->st, name, &f, &e);
	if (rc == MC_ENOTFOUND && app_hub_sweep_keeps(c->a, 0, name, &yes, &e) == MC_OK && yes)
		return 0;
	if (rc && rc != MC_ENOTFOUND)
		c->failed = 1;
	return rc == MC_ENOTFOUND;
}

static int old_one(void *ctx, const char *id)
{
	json_array_append_new(ctx, json_string(id));
	return 0;
}

int app_files_sweep(app *a, mc_time now, int *removed, mc_err *e)
{
	json_t *old = json_array();
	int rc = st_upload_old(a->st, now - APP_UPLOAD_TTL, old_one, old, e);
	size_t i;
	json_t *v;
	json_array_foreach(old, i, v) {
		if (rc)
			break;
		rc = st_upload_delete(a->st, json_string_value(v), e);
	}
	json_decref(old);
	sweep_ctx c = { .a = a };
	if (!rc)
		rc = blob_sweep(a->dir, now, sweep_one, &c, removed, e);
	if (!rc && c.failed)
		rc = mc_fail(e, MCE_STORE_IO, "không kiểm tra được tệp khi dọn dẹp",
			     "cannot check files during the sweep");
	return rc;
}
