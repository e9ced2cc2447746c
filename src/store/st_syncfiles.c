/*
 * st_syncfiles.c - files travelling with sync (st_syncfiles.h, schema 0013).
 */
#include "st_int.h"

#include "st_syncfiles.h"

#define HFILE_COLS                                                                         \
	"f.agency, f.dossier, f.component, f.sha256, f.component_name, f.kind, f.source, " \
	"f.filename, f.size, f.mime, f.pages, f.chain, f.seq"

static const char *const sql[Q_N] = {
	/* A file goes once the hub accepted an event naming it: a dossier's
	 * dossier.file or an office record's attachment.added (schema 16). */
	[Q_SFILE_OFFER] = "SELECT s.sha256, s.size, coalesce((SELECT min(d.seq) FROM dossier_file d "
			  "WHERE d.sha256 = s.sha256), (SELECT a.seq FROM attachment a WHERE "
			  "a.sha256 = s.sha256 AND a.origin = 'local')) AS first FROM sync_file s "
			  "WHERE s.state = 'waiting' AND first <= :acked ORDER BY first, s.sha256 "
			  "LIMIT :limit",
	[Q_SFILE_SET] = "UPDATE sync_file SET state = :state, code = :code, message = :message, "
			"confirmed_at = :at WHERE sha256 = :sha256",
	[Q_SFILE_SENT] = "UPDATE sync_file SET sent = sent + :n WHERE sha256 = :sha256",
	[Q_SFILE_COUNTS] = "SELECT coalesce(sum(state = 'waiting'), 0), coalesce(sum(CASE WHEN "
			   "state = 'waiting' THEN size ELSE 0 END), 0), coalesce(sum(state = "
			   "'refused'), 0), coalesce(sum(sent), 0) FROM sync_file",
	[Q_SFILE_REFUSED] = "SELECT sha256, code, message, coalesce(confirmed_at, 0) FROM "
			    "sync_file WHERE state = 'refused' ORDER BY confirmed_at, sha256 "
			    "LIMIT 100",
	[Q_HFILE_PUT] = "INSERT OR IGNORE INTO hub_file(agency, dossier, component, sha256, "
			"component_name, kind, source, filename, size, mime, pages, chain, seq) "
			"VALUES (:agency, :dossier, :component, :sha256, :cname, :kind, :source, "
			":filename, :size, :mime, :pages, :chain, :seq)",
	[Q_HFILE_SIZE] = "SELECT size FROM hub_file WHERE agency = :agency AND sha256 = :sha256 "
			 "LIMIT 1",
	[Q_HFILE_DOSSIER] = "SELECT " HFILE_COLS ", EXISTS (SELECT 1 FROM hub_blob b WHERE "
			    "b.sha256 = f.sha256) FROM hub_file f WHERE f.dossier = :code ORDER BY "
			    "f.component, f.agency, f.chain, f.seq",
	[Q_HBLOB_GET] = "SELECT 1 FROM hub_blob WHERE agency = :agency AND sha256 = :sha256",
	[Q_HBLOB_ANY] = "SELECT 1 FROM hub_blob WHERE sha256 = :sha256 LIMIT 1",
	[Q_HBLOB_PUT] = "INSERT OR IGNORE INTO hub_blob(agency, sha256, size, sent, stored_at) "
			"VALUES (:agency, :sha256, :size, :sent, :at)",
	[Q_HIN_GET] = "SELECT part, size, received FROM hub_file_in WHERE agency = :agency AND "
		      "sha256 = :sha256",
	[Q_HIN_PUT] = "INSERT INTO hub_file_in(agency, sha256, part, size, received, updated_at) "
		      "VALUES (:agency, :sha256, :part, :size, :received, :at) ON CONFLICT(agency, "
		      "sha256) DO UPDATE SET received = excluded.received, updated_at = "
		      "excluded.updated_at",
	[Q_HIN_DEL] = "DELETE FROM hub_file_in WHERE agency = :agency AND sha256 = :sha256",
	[Q_HIN_PART] = "SELECT 1 FROM hub_file_in WHERE part = :part",
};

/* ---- node ---- */

int st_sfile_offer(st *s, int64_t acked, int limit, st_sfile_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SFILE_OFFER, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":acked", acked);
	st_bind_int(&q, ":limit", limit);
	while ((rc = st_step(&q)) == SQLITE_ROW)
		if (cb(ctx, st_col_text(&q, 0), st_col_int64(&q, 1)))
			break;
	return st_walk_end(&q, rc, "list files to offer", e);
}

int st_sfile_set(st *s, const char *sha256, const char *state, const char *code,
		 const char *message, mc_time at, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SFILE_SET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", sha256);
	st_bind_text(&q, ":state", state);
	st_bind_text(&q, ":code", code ? code : "");
	st_bind_text(&q, ":message", message ? message : "");
	st_bind_int(&q, ":at", at);
	return st_exec_q(&q, "record a file's sync state", e);
}

int st_sfile_sent(st *s, const char *sha256, int64_t n, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SFILE_SENT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", sha256);
	st_bind_int(&q, ":n", n);
	return st_exec_q(&q, "count bytes sent", e);
}

int st_sfile_counts(st *s, int64_t *waiting, int64_t *bytes, int64_t *refused, int64_t *sent,
		    mc_err *e)
{
	st_stmt q;
	*waiting = *bytes = *refused = *sent = 0;
	int rc = ST_Q(s, Q_SFILE_COUNTS, &q, e);
	if (rc)
		return rc;
	rc = st_one(&q, "count files to send", e);
	if (!rc) {
		*waiting = st_col_int64(&q, 0);
		*bytes = st_col_int64(&q, 1);
		*refused = st_col_int64(&q, 2);
		*sent = st_col_int64(&q, 3);
	}
	st_reset(&q);
	return rc;
}

int st_sfile_refused(st *s, st_sfile_refused_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SFILE_REFUSED, &q, e);
	if (rc)
		return rc;
	while ((rc = st_step(&q)) == SQLITE_ROW)
		if (cb(ctx, st_col_text(&q, 0), st_col_text(&q, 1), st_col_text(&q, 2),
		       st_col_int64(&q, 3)))
			break;
	return st_walk_end(&q, rc, "list refused files", e);
}

/* ---- hub ---- */

int st_hub_file_put(st *s, const st_hub_file *f, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HFILE_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", f->agency);
	st_bind_text(&q, ":dossier", f->dossier);
	st_bind_int(&q, ":component", f->component);
	st_bind_text(&q, ":sha256", f->sha256);
	st_bind_text(&q, ":cname", f->component_name ? f->component_name : "");
	st_bind_text(&q, ":kind", f->kind);
	st_bind_text(&q, ":source", f->source);
	st_bind_text(&q, ":filename", f->filename ? f->filename : "");
	st_bind_int(&q, ":size", f->size);
	st_bind_text(&q, ":mime", f->mime);
	st_bind_int(&q, ":pages", f->pages);
	st_bind_int(&q, ":chain", f->chain);
	st_bind_int(&q, ":seq", f->seq);
	return st_exec_q(&q, "record a dossier's file", e);
}

int st_hub_file_size(st *s, const char *agency, const char *sha256, int64_t *size, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HFILE_SIZE, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_text(&q, ":sha256", sha256);
	rc = st_one(&q, "read a file's size", e);
	if (!rc)
		*size = st_col_int64(&q, 0);
	st_reset(&q);
	return rc;
}

int st_hub_file_dossier(st *s, const char *code, st_hub_file_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HFILE_DOSSIER, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", code);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_hub_file f = {
			.agency = st_col_text(&q, 0), .dossier = st_col_text(&q, 1),
			.component = (int)st_col_int64(&q, 2), .sha256 = st_col_text(&q, 3),
			.component_name = st_col_text(&q, 4), .kind = st_col_text(&q, 5),
			.source = st_col_text(&q, 6), .filename = st_col_text(&q, 7),
			.size = st_col_int64(&q, 8), .mime = st_col_text(&q, 9),
			.pages = (int)st_col_int64(&q, 10), .chain = st_col_int64(&q, 11),
			.seq = st_col_int64(&q, 12), .held = st_col_int64(&q, 13) != 0,
		};
		if (cb(ctx, &f))
			break;
	}
	return st_walk_end(&q, rc, "list a dossier's files", e);
}

int st_hub_blob_held(st *s, const char *agency, const char *sha256, int *held, mc_err *e)
{
	st_stmt q;
	*held = 0;
	int rc = ST_Q(s, agency ? Q_HBLOB_GET : Q_HBLOB_ANY, &q, e);
	if (rc)
		return rc;
	if (agency)
		st_bind_text(&q, ":agency", agency);
	st_bind_text(&q, ":sha256", sha256);
	rc = st_one(&q, "look for a file's bytes", e);
	st_reset(&q);
	if (rc == MC_ENOTFOUND)
		return MC_OK;
	*held = !rc;
	return rc;
}

int st_hub_blob_put(st *s, const char *agency, const char *sha256, int64_t size, int sent,
		    mc_time at, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HBLOB_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_text(&q, ":sha256", sha256);
	st_bind_int(&q, ":size", size);
	st_bind_int(&q, ":sent", sent);
	st_bind_int(&q, ":at", at);
	return st_exec_q(&q, "record a file's bytes", e);
}

int st_hub_file_in_get(st *s, const char *agency, const char *sha256, st_hub_file_in *in,
		       mc_err *e)
{
	st_stmt q;
	memset(in, 0, sizeof *in);
	int rc = ST_Q(s, Q_HIN_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_text(&q, ":sha256", sha256);
	rc = st_one(&q, "read a transfer", e);
	if (!rc) {
		snprintf(in->part, sizeof in->part, "%s", st_col_text(&q, 0));
		in->size = st_col_int64(&q, 1);
		in->received = st_col_int64(&q, 2);
	}
	st_reset(&q);
	return rc;
}

int st_hub_file_in_put(st *s, const char *agency, const char *sha256, const st_hub_file_in *in,
		       mc_time at, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HIN_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_text(&q, ":sha256", sha256);
	st_bind_text(&q, ":part", in->part);
	st_bind_int(&q, ":size", in->size);
	st_bind_int(&q, ":received", in->received);
	st_bind_int(&q, ":at", at);
	return st_exec_q(&q, "record a transfer", e);
}

int st_hub_file_in_delete(st *s, const char *agency, const char *sha256, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HIN_DEL, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_text(&q, ":sha256", sha256);
	return st_exec_q(&q, "end a transfer", e);
}

int st_hub_file_in_part(st *s, const char *part, int *exists, mc_err *e)
{
	st_stmt q;
	*exists = 0;
	int rc = ST_Q(s, Q_HIN_PART, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":part", part);
	rc = st_one(&q, "look for a transfer", e);
	st_reset(&q);
	if (rc == MC_ENOTFOUND)
		return MC_OK;
	*exists = !rc;
	return rc;
}
