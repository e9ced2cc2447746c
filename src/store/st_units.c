/*
 * st_units.c - units and attachments of office records (schema 16). See
 * st_units.h.
 */
#include "st_int.h"
#include "st_units.h"

#define UNIT_COLS "code, name, abbr, scope, active, updated_at"
#define ATTACH_COLS "sha256, agency, filename, mime, size, added_by, added_at, seq, origin"
#define WANT_COLS "sha256, filename, mime, size, received, tries, error"

static const char *const sql[Q_N] = {
	[Q_UNIT_GET] = "SELECT " UNIT_COLS " FROM unit WHERE code = :code",
	[Q_UNIT_PUT] = "INSERT INTO unit(code, name, abbr, scope, active, updated_at) VALUES "
		       "(:code, :name, :abbr, :scope, :active, :at) ON CONFLICT(code) DO UPDATE "
		       "SET name = excluded.name, abbr = excluded.abbr, scope = excluded.scope, "
		       "active = excluded.active, updated_at = excluded.updated_at",
	[Q_UNIT_DROP] = "DELETE FROM unit WHERE scope = :scope",
	[Q_UNIT_LIST] = "SELECT " UNIT_COLS " FROM unit ORDER BY scope = 'province', name, code",
	[Q_ATT_HUB] = "SELECT filename, mime, size FROM hub_file WHERE sha256 = :sha256 AND "
		      "kind = 'attachment' AND EXISTS (SELECT 1 FROM hub_blob b WHERE b.sha256 = "
		      ":sha256) LIMIT 1",
	[Q_ATT_PUT] = "INSERT OR IGNORE INTO attachment(" ATTACH_COLS ") VALUES (:sha256, "
		      ":agency, :filename, :mime, :size, :added_by, :added_at, :seq, :origin)",
	[Q_ATT_GET] = "SELECT " ATTACH_COLS " FROM attachment WHERE sha256 = :sha256",
	[Q_ATTW_PUT] = "INSERT OR IGNORE INTO attachment_want(sha256, filename, mime, size, "
		       "added_at) SELECT :sha256, :filename, :mime, :size, :now WHERE NOT EXISTS "
		       "(SELECT 1 FROM attachment WHERE sha256 = :sha256)",
	[Q_ATTW_LIST] = "SELECT " WANT_COLS " FROM attachment_want WHERE tries < :max "
			"ORDER BY added_at, sha256 LIMIT :limit",
	[Q_ATTW_SET] = "UPDATE attachment_want SET received = :received, tries = tries + "
		       "(:error IS NOT NULL), error = coalesce(:error, error) WHERE sha256 = :sha256",
	[Q_ATTW_GET] = "SELECT " WANT_COLS " FROM attachment_want WHERE sha256 = :sha256",
	[Q_ATTW_PART] = "SELECT 1 FROM attachment_want WHERE substr(sha256, 1, 32) = :id LIMIT 1",
	[Q_ATTW_DEL] = "DELETE FROM attachment_want WHERE sha256 = :sha256",
	[Q_ATTW_COUNTS] = "SELECT coalesce(sum(tries < :max), 0), coalesce(sum(tries >= :max), 0) "
			  "FROM attachment_want",
};

static void read_unit(st_stmt *q, st_unit *u)
{
	memset(u, 0, sizeof *u);
	snprintf(u->code, sizeof u->code, "%s", st_col_text(q, 0));
	snprintf(u->name, sizeof u->name, "%s", st_col_text(q, 1));
	snprintf(u->abbr, sizeof u->abbr, "%s", st_col_text(q, 2));
	snprintf(u->scope, sizeof u->scope, "%s", st_col_text(q, 3));
	u->active = (int)st_col_int64(q, 4);
	u->updated_at = st_col_int64(q, 5);
}

int st_unit_get(st *s, const char *code, st_unit *u, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_UNIT_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", code);
	rc = st_one(&q, "read unit", e);
	if (rc)
		return rc;
	read_unit(&q, u);
	st_reset(&q);
	return MC_OK;
}

int st_unit_put(st *s, const st_unit *u, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_UNIT_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", u->code);
	st_bind_text(&q, ":name", u->name);
	st_bind_text(&q, ":abbr", u->abbr);
	st_bind_text(&q, ":scope", u->scope);
	st_bind_int(&q, ":active", u->active ? 1 : 0);
	st_bind_int(&q, ":at", u->updated_at);
	return st_exec_q(&q, "save unit", e);
}

int st_unit_drop_scope(st *s, const char *scope, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_UNIT_DROP, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":scope", scope);
	return st_exec_q(&q, "remove units", e);
}

int st_unit_list(st *s, st_unit_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_UNIT_LIST, &q, e);
	if (rc)
		return rc;
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_unit u;
		read_unit(&q, &u);
		if (cb(ctx, &u))
			break;
	}
	return st_walk_end(&q, rc, "list units", e);
}

int st_attach_put(st *s, const st_attach *a, int *created, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_ATT_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", a->sha256);
	st_bind_text(&q, ":agency", a->agency);
	st_bind_text(&q, ":filename", a->filename ? a->filename : "");
	st_bind_text(&q, ":mime", a->mime);
	st_bind_int(&q, ":size", a->size);
	st_bind_text(&q, ":added_by", a->added_by);
	st_bind_int(&q, ":added_at", a->added_at);
	st_bind_int(&q, ":seq", a->seq);
	st_bind_text(&q, ":origin", a->origin ? a->origin : "local");
	rc = st_exec_q(&q, "record attachment", e);
	if (!rc && created)
		*created = sqlite3_changes(s->db) > 0;
	return rc;
}

int st_attach_get(st *s, const char *sha256, st_attach_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_ATT_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", sha256);
	rc = st_one(&q, "read attachment", e);
	if (rc)
		return rc;
	st_attach a = {
		.sha256 = st_col_text(&q, 0), .agency = st_col_text(&q, 1),
		.filename = st_col_text(&q, 2), .mime = st_col_text(&q, 3),
		.size = st_col_int64(&q, 4), .added_by = st_col_text(&q, 5),
		.added_at = st_col_int64(&q, 6), .seq = st_col_int64(&q, 7),
		.origin = st_col_text(&q, 8),
	};
	cb(ctx, &a);
	st_reset(&q);
	return MC_OK;
}

int st_attach_hub(st *s, const char *sha256, char *filename, size_t fsize, char mime[64],
		  int64_t *size, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_ATT_HUB, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", sha256);
	rc = st_one(&q, "read a commune's attachment", e);
	if (rc)
		return rc;
	snprintf(filename, fsize, "%s", st_col_text(&q, 0));
	snprintf(mime, 64, "%s", st_col_text(&q, 1));
	*size = st_col_int64(&q, 2);
	st_reset(&q);
	return MC_OK;
}

int st_attach_want_put(st *s, const st_attach_want *w, mc_time now, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_ATTW_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", w->sha256);
	st_bind_text(&q, ":filename", w->filename ? w->filename : "");
	st_bind_text(&q, ":mime", w->mime ? w->mime : "");
	st_bind_int(&q, ":size", w->size);
	st_bind_int(&q, ":now", now);
	return st_exec_q(&q, "record a wanted attachment", e);
}

int st_attach_want_list(st *s, int max_tries, int limit, st_attach_want_cb cb, void *ctx,
			mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_ATTW_LIST, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":max", max_tries);
	st_bind_int(&q, ":limit", limit);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_attach_want w = {
			.sha256 = st_col_text(&q, 0), .filename = st_col_text(&q, 1),
			.mime = st_col_text(&q, 2), .size = st_col_int64(&q, 3),
			.received = st_col_int64(&q, 4), .tries = st_col_int64(&q, 5),
			.error = st_col_text(&q, 6),
		};
		if (cb(ctx, &w))
			break;
	}
	return st_walk_end(&q, rc, "list wanted attachments", e);
}

int st_attach_want_set(st *s, const char *sha256, int64_t received, const char *error,
		       mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_ATTW_SET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", sha256);
	st_bind_int(&q, ":received", received);
	st_bind_text(&q, ":error", error);
	return st_exec_q(&q, "record a fetch", e);
}

int st_attach_want_delete(st *s, const char *sha256, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_ATTW_DEL, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", sha256);
	return st_exec_q(&q, "remove a wanted attachment", e);
}

int st_attach_want_counts(st *s, int max_tries, int64_t *waiting, int64_t *failed, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_ATTW_COUNTS, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":max", max_tries);
	rc = st_one(&q, "count wanted attachments", e);
	if (rc)
		return rc;
	*waiting = st_col_int64(&q, 0);
	*failed = st_col_int64(&q, 1);
	st_reset(&q);
	return MC_OK;
}

int st_attach_want_get(st *s, const char *sha256, st_attach_want_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_ATTW_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", sha256);
	rc = st_one(&q, "read a wanted attachment", e);
	if (rc)
		return rc;
	st_attach_want w = {
		.sha256 = st_col_text(&q, 0), .filename = st_col_text(&q, 1),
		.mime = st_col_text(&q, 2), .size = st_col_int64(&q, 3),
		.received = st_col_int64(&q, 4), .tries = st_col_int64(&q, 5),
		.error = st_col_text(&q, 6),
	};
	cb(ctx, &w);
	st_reset(&q);
	return MC_OK;
}

int st_attach_want_part(st *s, const char *id, int *exists, mc_err *e)
{
	st_stmt q;
	*exists = 0;
	int rc = ST_Q(s, Q_ATTW_PART, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":id", id);
	rc = st_one(&q, "find a fetch under way", e);
	if (rc == MC_ENOTFOUND)
		return MC_OK;
	if (!rc) {
		*exists = 1;
		st_reset(&q);
	}
	return rc;
}
