/*
 * st_files.c - the rows of digitization (schema 0010): stored files, the
 * files of each dossier and the uploads under way. See st_files.h.
 */
#include "st_int.h"
#include "st_files.h"
#include "st_search.h"

#define DFILE_COLS                                                                           \
	"d.dossier, d.agency, d.component, d.component_name, d.sha256, d.kind, d.source, "    \
	"d.filename, d.added_by, d.added_at, d.seq, f.size, f.mime, f.pages, f.width, f.height, " \
	"f.created_at"
#define UP_COLS                                                                        \
	"id, agency, dossier, component, kind, filename, size, sha256, received, stored, " \
	"created_by, created_at, updated_at, hash, source"

static const char *const sql[Q_N] = {
	[Q_FILE_PUT] = "INSERT OR IGNORE INTO file(sha256, size, mime, pages, width, height, "
		       "created_at) VALUES (:sha256, :size, :mime, :pages, :width, :height, :at)",
	[Q_FILE_GET] = "SELECT sha256, size, mime, pages, width, height, created_at FROM file "
		       "WHERE sha256 = :sha256",
	[Q_DFILE_PUT] = "INSERT OR IGNORE INTO dossier_file(dossier, agency, component, "
			"component_name, sha256, kind, source, filename, added_by, added_at, seq) "
			"VALUES (:dossier, :agency, :component, :component_name, :sha256, :kind, "
			":source, :filename, :added_by, :added_at, :seq)",
	[Q_DFILE_LIST] = "SELECT " DFILE_COLS " FROM dossier_file d JOIN file f USING (sha256) "
			 "WHERE d.dossier = :dossier ORDER BY d.component, d.added_at, d.seq",
	[Q_DFILE_AGENCY] = "SELECT 1 FROM dossier_file WHERE sha256 = :sha256 AND agency = "
			   ":agency LIMIT 1",
	[Q_DFILE_APPLICANT] = "SELECT " DFILE_COLS " FROM dossier x JOIN dossier_file d ON "
			      "d.dossier = x.code JOIN file f USING (sha256) WHERE x.id_number = "
			      ":id_number AND x.id_number <> '' AND d.agency = :agency AND d.kind "
			      "= 'scan' ORDER BY d.added_at DESC, d.seq DESC LIMIT :limit",
	[Q_UP_INSERT] = "INSERT INTO upload(" UP_COLS ") VALUES (:id, :agency, :dossier, "
			":component, :kind, :filename, :size, :sha256, 0, '', :created_by, :at, :at, '', :source)",
	[Q_UP_GET] = "SELECT " UP_COLS " FROM upload WHERE id = :id",
	[Q_UP_OFFSET] = "UPDATE upload SET received = :to, hash = :hash, updated_at = :at WHERE "
			"id = :id AND received = :from AND stored = ''",
	[Q_UP_STORED] = "UPDATE upload SET stored = :sha256, updated_at = :at WHERE id = :id",
	[Q_UP_DELETE] = "DELETE FROM upload WHERE id = :id",
	[Q_UP_OLD] = "SELECT id FROM upload WHERE updated_at < :before",
	[Q_UP_EXISTS] = "SELECT 1 FROM upload WHERE id = :id",
};

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

int st_file_put(st *s, const st_file *f, int *created, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_FILE_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", f->sha256);
	st_bind_int(&q, ":size", f->size);
	st_bind_text(&q, ":mime", f->mime);
	st_bind_int(&q, ":pages", f->pages);
	st_bind_int(&q, ":width", f->width);
	st_bind_int(&q, ":height", f->height);
	st_bind_int(&q, ":at", f->created_at);
	rc = st_exec_q(&q, "save file", e);
	if (!rc && created)
		*created = sqlite3_changes(s->db) > 0;
	return rc;
}

static void file_of(const st_stmt *q, int i, st_file *f)
{
	f->size = st_col_int64(q, i);
	copy(f->mime, sizeof f->mime, st_col_text(q, i + 1));
	f->pages = st_col_int(q, i + 2);
	f->width = st_col_int(q, i + 3);
	f->height = st_col_int(q, i + 4);
	f->created_at = st_col_int64(q, i + 5);
}

int st_file_get(st *s, const char *sha256, st_file *f, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_FILE_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", sha256);
	rc = st_one(&q, "read file", e);
	if (rc)
		return rc;
	memset(f, 0, sizeof *f);
	copy(f->sha256, sizeof f->sha256, st_col_text(&q, 0));
	file_of(&q, 1, f);
	st_reset(&q);
	return MC_OK;
}

int st_dfile_put(st *s, const st_dfile *d, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DFILE_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":dossier", d->dossier);
	st_bind_text(&q, ":agency", d->agency);
	st_bind_int(&q, ":component", d->component);
	st_bind_text(&q, ":component_name", d->component_name ? d->component_name : "");
	st_bind_text(&q, ":sha256", d->sha256);
	st_bind_text(&q, ":kind", d->kind);
	st_bind_text(&q, ":source", d->source);
	st_bind_text(&q, ":filename", d->filename ? d->filename : "");
	st_bind_text(&q, ":added_by", d->added_by);
	st_bind_int(&q, ":added_at", d->added_at);
	st_bind_int(&q, ":seq", d->seq);
	rc = st_exec_q(&q, "attach file", e);
	if (!rc && sqlite3_changes(s->db) == 0)
		rc = mc_fail(e, MCE_FILE_EXISTS, "hồ sơ '%s' đã có tệp này ở thành phần %d",
			     "dossier '%s' already holds this file for component %d", d->dossier,
			     d->component);
	/* A paper read before (reused, or the same bytes again) is found
	 * in this dossier too. */
	if (!rc)
		rc = st_search_file(s, d->sha256, e);
	return rc;
}

static int dfile_walk(st_stmt *q, st_dfile_cb cb, void *ctx, const char *what, mc_err *e)
{
	int rc;
	while ((rc = st_step(q)) == SQLITE_ROW) {
		st_dfile d = {
			.dossier = st_col_text(q, 0), .agency = st_col_text(q, 1),
			.component = st_col_int(q, 2), .component_name = st_col_text(q, 3),
			.sha256 = st_col_text(q, 4), .kind = st_col_text(q, 5),
			.source = st_col_text(q, 6), .filename = st_col_text(q, 7),
			.added_by = st_col_text(q, 8), .added_at = st_col_int64(q, 9),
			.seq = st_col_int64(q, 10),
		};
		copy(d.file.sha256, sizeof d.file.sha256, d.sha256);
		file_of(q, 11, &d.file);
		if (cb(ctx, &d))
			break;
	}
	return st_walk_end(q, rc, what, e);
}

int st_dfile_list(st *s, const char *dossier, st_dfile_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DFILE_LIST, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":dossier", dossier);
	return dfile_walk(&q, cb, ctx, "list dossier files", e);
}

int st_dfile_held(st *s, const char *agency, const char *sha256, int *held, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DFILE_AGENCY, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", sha256);
	st_bind_text(&q, ":agency", agency);
	rc = st_one(&q, "find file", e);
	*held = rc == MC_OK;
	if (rc == MC_OK)
		st_reset(&q);
	return rc == MC_ENOTFOUND ? MC_OK : rc;
}

int st_dfile_applicant(st *s, const char *agency, const char *id_number, int limit,
		       st_dfile_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DFILE_APPLICANT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_text(&q, ":id_number", id_number);
	st_bind_int(&q, ":limit", limit);
	return dfile_walk(&q, cb, ctx, "list applicant files", e);
}

int st_upload_insert(st *s, const st_upload *u, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_UP_INSERT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":id", u->id);
	st_bind_text(&q, ":agency", u->agency);
	st_bind_text(&q, ":dossier", u->dossier);
	st_bind_int(&q, ":component", u->component);
	st_bind_text(&q, ":kind", u->kind);
	st_bind_text(&q, ":filename", u->filename);
	st_bind_int(&q, ":size", u->size);
	st_bind_text(&q, ":sha256", u->sha256);
	st_bind_text(&q, ":created_by", u->created_by);
	st_bind_text(&q, ":source", u->source);
	st_bind_int(&q, ":at", u->created_at);
	return st_exec_q(&q, "save upload", e);
}

int st_upload_get(st *s, const char *id, st_upload *u, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_UP_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":id", id);
	rc = st_one(&q, "read upload", e);
	if (rc)
		return rc;
	memset(u, 0, sizeof *u);
	copy(u->id, sizeof u->id, st_col_text(&q, 0));
	copy(u->agency, sizeof u->agency, st_col_text(&q, 1));
	copy(u->dossier, sizeof u->dossier, st_col_text(&q, 2));
	u->component = st_col_int(&q, 3);
	copy(u->kind, sizeof u->kind, st_col_text(&q, 4));
	copy(u->filename, sizeof u->filename, st_col_text(&q, 5));
	u->size = st_col_int64(&q, 6);
	copy(u->sha256, sizeof u->sha256, st_col_text(&q, 7));
	u->received = st_col_int64(&q, 8);
	copy(u->stored, sizeof u->stored, st_col_text(&q, 9));
	copy(u->created_by, sizeof u->created_by, st_col_text(&q, 10));
	u->created_at = st_col_int64(&q, 11);
	u->updated_at = st_col_int64(&q, 12);
	copy(u->hash, sizeof u->hash, st_col_text(&q, 13));
	copy(u->source, sizeof u->source, st_col_text(&q, 14));
	st_reset(&q);
	return MC_OK;
}

int st_upload_advance(st *s, const char *id, int64_t from, int64_t to, const char *hash,
		      mc_time now, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_UP_OFFSET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":id", id);
	st_bind_int(&q, ":from", from);
	st_bind_int(&q, ":to", to);
	st_bind_text(&q, ":hash", hash ? hash : "");
	st_bind_int(&q, ":at", now);
	rc = st_exec_q(&q, "advance upload", e);
	if (!rc && sqlite3_changes(s->db) == 0)
		rc = mc_fail(e, MCE_UPLOAD_BAD_OFFSET, "lượt tải lên '%s' đã thay đổi trong lúc ghi",
			     "upload '%s' changed meanwhile", id);
	return rc;
}

int st_upload_stored(st *s, const char *id, const char *sha256, mc_time now, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_UP_STORED, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":id", id);
	st_bind_text(&q, ":sha256", sha256);
	st_bind_int(&q, ":at", now);
	return st_exec_q(&q, "complete upload", e);
}

int st_upload_delete(st *s, const char *id, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_UP_DELETE, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":id", id);
	return st_exec_q(&q, "delete upload", e);
}

int st_upload_old(st *s, mc_time before, st_upload_id_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_UP_OLD, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":before", before);
	while ((rc = st_step(&q)) == SQLITE_ROW)
		if (cb(ctx, st_col_text(&q, 0)))
			break;
	return st_walk_end(&q, rc, "list old uploads", e);
}

int st_upload_exists(st *s, const char *id, int *exists, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_UP_EXISTS, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":id", id);
	rc = st_one(&q, "find upload", e);
	*exists = rc == MC_OK;
	if (rc == MC_OK)
		st_reset(&q);
	return rc == MC_ENOTFOUND ? MC_OK : rc;
}
