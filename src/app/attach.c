/*
 * attach.c - attachments of office records (attach.h).
 */
#include "app/app_int.h"
#include "app/attach.h"

#include <sodium.h>

#include "app/fcheck.h"
#include "core/txt.h"
#include "store/blob.h"
#include "store/ev.h"
#include "store/st_files.h"
#include "store/st_syncfiles.h"
#include "store/st_units.h"

static json_t *att_json(const st_attach *t)
{
	return json_pack("{s:s, s:s, s:s, s:I}", "sha256", t->sha256, "filename", t->filename,
			 "mime", t->mime, "size", (json_int_t)t->size);
}

static int copy_one(void *ctx, const st_attach *t)
{
	*(json_t **)ctx = att_json(t);
	return 0;
}

static int full_one(void *ctx, const st_attach *t)
{
	json_t *j = att_json(t);
	json_object_set_new(j, "added_by", json_string(t->added_by));
	json_object_set_new(j, "added_at", app_json_time(t->added_at));
	*(json_t **)ctx = j;
	return 0;
}

/* Puts the bytes in the blob store under their hash (a part file renamed
 * into place, both synced: blob.h), before any row names them. */
static int store_bytes(app *a, const void *data, size_t n, char sha[65], mc_err *e)
{
	unsigned char r[16], h[crypto_hash_sha256_BYTES];
	char id[33];
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(id, sizeof id, r, sizeof r);
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(sha, 65, h, sizeof h);
	blob_part p;
	int existed = 0;
	int rc = blob_part_open(app_dir(a), id, 1, &p, e);
	if (!rc)
		rc = blob_part_append(&p, 0, data, n, e);
	if (!rc)
		rc = blob_part_commit(app_dir(a), &p, sha, &existed, e);
	if (rc && p.fd >= 0) {
		mc_err ig;
		MC_IGNORE(blob_part_remove(app_dir(a), id, &ig));
	}
	blob_part_close(&p);
	return rc;
}

int app_attach_put(app *a, const app_actor *by, const char *filename, const void *data, size_t n,
		   mc_time now, json_t **out, mc_err *e)
{
	if (!by->role)
		return mc_fail(e, MCE_UNAUTHORIZED, "đăng nhập để tải tệp lên", "sign in to upload");
	if ((long long)n > APP_ATTACH_MAX)
		return mc_fail(e, MCE_FILE_TOO_LARGE, "tệp đính kèm tối đa %lld MiB",
			       "an attachment is at most %lld MiB", APP_ATTACH_MAX >> 20);
	int rc = txt_check_field("filename", filename, 255, 0, 0, e);
	if (rc)
		return rc;
	fchk_info fi;
	rc = fchk_check(data, n, &fi, e);
	char sha[65];
	if (!rc)
		rc = store_bytes(a, data, n, sha, e);
	if (rc)
		return rc;
	char *fname = txt_nfc(filename ? filename : "");
	st_file f = { .size = (int64_t)n, .pages = fi.pages, .width = fi.width,
		      .height = fi.height, .created_at = now };
	snprintf(f.sha256, sizeof f.sha256, "%s", sha);
	snprintf(f.mime, sizeof f.mime, "%s", fi.mime);
	st_attach t = { .sha256 = sha, .agency = a->agency, .filename = fname ? fname : "",
			.mime = fi.mime, .size = (int64_t)n, .added_by = by->login,
			.added_at = now, .origin = "local" };
	json_t *found = NULL;
	rc = st_begin(a->st, e);
	if (!rc) {
		rc = st_attach_get(a->st, sha, full_one, &found, e);
		if (rc == MC_ENOTFOUND) {
			json_t *p = json_pack("{s:s, s:s, s:s, s:I, s:i}", "sha256", sha, "filename",
					      t.filename, "mime", t.mime, "size", (json_int_t)n,
					      "pages", fi.pages);
			rc = st_file_put(a->st, &f, NULL, e);
			if (!rc)
				rc = ev_append(a->st, now, by->login, "attachment.added", NULL, p,
					       &t.seq, e);
			if (!rc)
				rc = st_attach_put(a->st, &t, NULL, e);
			if (!rc)
				rc = st_attach_want_delete(a->st, sha, e);
			json_decref(p);
		}
		rc = st_end(a->st, rc, e);
	}
	if (!rc && !found) {
		found = att_json(&t);
		json_object_set_new(found, "added_by", json_string(t.added_by));
		json_object_set_new(found, "added_at", app_json_time(now));
	}
	free(fname);
	if (rc) {
		json_decref(found);
		return rc;
	}
	json_object_set_new(found, "pages", json_integer(fi.pages));
	*out = found;
	return MC_OK;
}

int app_attach_resolve(app *a, const json_t *shas, json_t **out, mc_err *e)
{
	json_t *arr = json_array();
	*out = NULL;
	if (shas && !json_is_array(shas)) {
		json_decref(arr);
		return mc_fail(e, MCE_BAD_FIELD, "attachments phải là mảng mã băm SHA-256",
			       "attachments must be an array of SHA-256 hashes");
	}
	if (json_array_size(shas) > APP_ATTACH_PER_RECORD) {
		json_decref(arr);
		return mc_fail(e, MCE_BAD_FIELD, "tối đa %d tệp đính kèm", "at most %d attachments",
			       APP_ATTACH_PER_RECORD);
	}
	size_t i;
	json_t *v;
	json_array_foreach(shas, i, v)
	{
		const char *s = json_string_value(v);
		if (!s || !blob_sha_valid(s)) {
			json_decref(arr);
			return mc_fail(e, MCE_BAD_FIELD,
				       "attachments[%zu] phải là mã băm SHA-256 (64 chữ số hex thường)",
				       "attachments[%zu] must be a SHA-256 (64 lower-case hex digits)", i);
		}
		int dup = 0;
		size_t k;
		json_t *w;
		json_array_foreach(arr, k, w) dup |= strcmp(json_string_value(json_object_get(w, "sha256")), s) == 0;
		if (dup)
			continue;
		json_t *one = NULL;
		int rc = st_attach_get(a->st, s, copy_one, &one, e);
		if (rc == MC_ENOTFOUND)
			rc = mc_fail(e, MCE_ATTACH_UNKNOWN, "chưa tải lên tệp đính kèm %.16s…",
				     "attachment %.16s… has not been uploaded", s);
		if (rc) {
			json_decref(arr);
			return rc;
		}
		json_array_append_new(arr, one);
	}
	*out = arr;
	return MC_OK;
}

static const char *ext_of(const char *mime)
{
	return strcmp(mime, "application/pdf") == 0 ? "pdf"
	       : strcmp(mime, "image/jpeg") == 0    ? "jpg"
	       : strcmp(mime, "image/png") == 0     ? "png"
						    : "tif";
}

int app_attach_get(app *a, const app_actor *by, const char *sha256, char **data, size_t *len,
		   char mime[64], char *filename, size_t size, mc_err *e)
{
	if (!by->role)
		return mc_fail(e, MCE_UNAUTHORIZED, "đăng nhập để xem tệp", "sign in to see files");
	json_t *one = NULL;
	int rc = blob_sha_valid(sha256) ? st_attach_get(a->st, sha256, copy_one, &one, e)
					: MC_ENOTFOUND;
	if (!rc)
		snprintf(mime, 64, "%s", json_string_value(json_object_get(one, "mime")));
	json_decref(one);
	if (rc == MC_ENOTFOUND && a->hub) {
		/* A commune's attachment: the province's officers read what the
		 * communes sent them (a recommendation's papers, a report). */
		char fname[256];
		int64_t sz;
		rc = st_attach_hub(a->st, sha256, fname, sizeof fname, mime, &sz, e);
	}
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_FILE_NOT_FOUND, "không có tệp đính kèm '%.70s'",
			       "no attachment '%.70s'", sha256 ? sha256 : "");
	if (rc)
		return rc;
	rc = blob_read(app_dir(a), sha256, (size_t)APP_ATTACH_MAX, data, len, e);
	if (rc == MC_ENOTFOUND)
		rc = mc_fail(e, MCE_FILE_NOT_FOUND, "tệp đính kèm '%.16s…' chưa về máy này",
			     "the bytes of attachment '%.16s…' have not arrived", sha256);
	if (rc)
		return rc;
	/* A name for the download: the hash and the type's extension (an
	 * uploaded name may hold anything a header should not). */
	snprintf(filename, size, "%.16s.%s", sha256, ext_of(mime));
	return MC_OK;
}

int app_attach_want(app *a, const json_t *list, mc_time now, mc_err *e)
{
	if (list && !json_is_array(list))
		return mc_fail(e, MCE_BAD_FIELD, "attachments phải là mảng", "attachments must be an array");
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		const char *sha = json_string_value(json_object_get(v, "sha256"));
		json_t *sz = json_object_get(v, "size");
		if (!blob_sha_valid(sha) || !json_is_integer(sz) || json_integer_value(sz) < 1 ||
		    json_integer_value(sz) > APP_ATTACH_MAX)
			return mc_fail(e, MCE_BAD_FIELD, "tệp đính kèm thứ %zu thiếu mã băm hoặc kích thước",
				       "attachment %zu lacks its hash or size", i);
		st_attach_want w = {
			.sha256 = sha,
			.filename = json_string_value(json_object_get(v, "filename")),
			.mime = json_string_value(json_object_get(v, "mime")),
			.size = json_integer_value(sz),
		};
		int rc = st_attach_want_put(a->st, &w, now, e);
		if (rc)
			return rc;
	}
	return MC_OK;
}

int app_hub_attach_event(app *a, const char *agency, int64_t chain, int64_t seq,
			 const json_t *payload, mc_err *e)
{
	const char *sha = json_string_value(json_object_get(payload, "sha256"));
	const char *mime = json_string_value(json_object_get(payload, "mime"));
	json_t *size = json_object_get(payload, "size");
	json_t *pages = json_object_get(payload, "pages");
	if (!blob_sha_valid(sha) || !mime || !json_is_integer(size) ||
	    json_integer_value(size) < 1 || json_integer_value(size) > APP_ATTACH_MAX)
		return mc_fail(e, MCE_FILE_BAD_FIELD, "sự kiện attachment.added thiếu thông tin tệp",
			       "the attachment.added event lacks the file's fields");
	st_hub_file hf = {
		.agency = agency, .dossier = "", .component = -2, .sha256 = sha,
		.component_name = "", .kind = "attachment", .source = "attachment",
		.filename = json_string_value(json_object_get(payload, "filename")), .mime = mime,
		.size = json_integer_value(size),
		.pages = json_is_integer(pages) ? (int)json_integer_value(pages) : 1,
		.chain = chain, .seq = seq,
	};
	return st_hub_file_put(a->st, &hf, e);
}
