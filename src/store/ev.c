/*
 * ev.c - the hash-chained event log. See ev.h for the canonical encoding;
 * docs/events.md documents it for other implementations.
 */
#include "ev.h"

#include <sodium.h>

#include "core/cal.h"
#include "sync/evenc.h"
#include "sb.h"
#include "st_int.h"


static const char *const sql[Q_N] = {
	[Q_EV_LAST] = "SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1",
	[Q_EV_INSERT] = "INSERT INTO event(seq, at, actor, kind, dossier, payload, prev_hash, hash) "
			"VALUES (:seq, :at, :actor, :kind, :dossier, :payload, :prev, :hash)",
	[Q_EV_LIST] = "SELECT seq, at, actor, kind, dossier, payload, prev_hash, hash FROM event "
		      "WHERE seq > :after ORDER BY seq LIMIT :limit",
	[Q_EV_DOSSIER] = "SELECT seq, at, actor, kind, dossier, payload, prev_hash, hash FROM event "
			 "WHERE dossier = :code ORDER BY seq",
	[Q_EV_ALL] = "SELECT seq, at, actor, kind, dossier, payload, prev_hash, hash FROM event "
		     "ORDER BY seq",
	[Q_EV_COUNT] = "SELECT count(*) FROM event",
};

int ev_hash(int64_t seq, const char *at, const char *actor, const char *kind,
	    const char *dossier, const char *payload, const char *prev_hash, char out[65])
{
	sb b;
	sb_init(&b, EV_MAX_BYTES);
	evenc_line(&b, seq, at, actor, kind, dossier, payload, prev_hash);
	/* A hash of the part that fitted would look valid and match nothing. */
	if (sb_err(&b)) {
		sb_release(&b);
		out[0] = 0;
		return MC_EINVAL;
	}
	evenc_sha256_hex(sb_str(&b), b.len, out);
	sb_release(&b);
	return MC_OK;
}

/* The seq and hash of the last event; 0 and the zero hash if none. */
static int last_event(st *s, int64_t *seq, char prev[65], mc_err *e)
{
	st_stmt q;
	*seq = 0;
	snprintf(prev, 65, "%s", EV_ZERO_HASH);
	int rc = ST_Q(s, Q_EV_LAST, &q, e);
	if (!rc)
		rc = st_one(&q, "read event log", e);
	if (rc == MC_ENOTFOUND)
		return MC_OK;
	if (rc)
		return rc;
	*seq = st_col_int64(&q, 0);
	snprintf(prev, 65, "%s", st_col_text(&q, 1));
	st_reset(&q);
	return MC_OK;
}

int ev_append(st *s, mc_time at, const char *actor, const char *kind, const char *dossier,
	      const json_t *payload, int64_t *seq, mc_err *e)
{
	st_stmt q;
	int64_t last;
	char prev[65];
	int rc = last_event(s, &last, prev, e);
	if (rc)
		return rc;

	char *text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	if (!text)
		return mc_fail(e, MCE_EVENT_UNENCODABLE, "không mã hoá được nội dung sự kiện",
			       "event payload cannot be encoded");
	char iso[26], hash[65];
	cal_format_iso(at, iso);
	rc = ev_hash(last + 1, iso, actor, kind, dossier, text, prev, hash);
	if (rc) {
		free(text);
		/* ev_hash fails with MC_EINVAL, the class of this code. */
		return mc_fail(e, MCE_EVENT_UNENCODABLE,
			       "không ghi được sự kiện '%s': có văn bản không phải UTF-8, "
			       "hoặc dài quá %d byte",
			       "event '%s' cannot be encoded: text that is not UTF-8, "
			       "or more than %d bytes",
			       kind ? kind : "", EV_MAX_BYTES);
	}

	rc = ST_Q(s, Q_EV_INSERT, &q, e);
	if (!rc) {
		st_bind_int(&q, ":seq", last + 1);
		st_bind_text(&q, ":at", iso);
		st_bind_text(&q, ":actor", actor);
		st_bind_text(&q, ":kind", kind);
		st_bind_text(&q, ":dossier", dossier);
		st_bind_text(&q, ":payload", text);
		st_bind_text(&q, ":prev", prev);
		st_bind_text(&q, ":hash", hash);
		rc = st_exec_q(&q, "append event", e);
	}
	free(text);
	if (!rc && seq)
		*seq = last + 1;
	return rc;
}

typedef struct {
	int64_t expect_seq;
	char prev[65];
	int64_t bad;
	mc_err *e;
} verify_ctx_fwd;
static int verify_one(void *p, const ev_event *ev);
#define verify_one_fn verify_one

static int walk(st_stmt *q, ev_cb cb, void *ctx, mc_err *e)
{
	int rc;
	while ((rc = st_step(q)) == SQLITE_ROW) {
		/* Text is hashed up to its NUL: a value with a NUL inside (or not
		 * text at all) could hide an edit behind it, so it is corrupt. */
		for (int c = 1; c <= 7; c++) {
			int t = sqlite3_column_type(q->q, c);
			if (c == 4 && t == SQLITE_NULL)
				continue;
			const char *v = st_col_text(q, c);
			if (t != SQLITE_TEXT || strlen(v) != (size_t)sqlite3_column_bytes(q->q, c)) {
				int64_t bad = st_col_int64(q, 0);
				st_reset(q);
				if (cb == verify_one_fn)
					((verify_ctx_fwd *)ctx)->bad = bad;
				return mc_fail(e, MCE_EVENT_CHAIN_BROKEN,
					       "sự kiện %lld: cột %d không phải văn bản thuần",
					       "event %lld: column %d is not plain text",
					       (long long)bad, c);
			}
		}
		ev_event ev = {
			.seq = st_col_int64(q, 0),
			.at = st_col_text(q, 1),
			.actor = st_col_text(q, 2),
			.kind = st_col_text(q, 3),
			.dossier = st_col_null(q, 4) ? NULL : st_col_text(q, 4),
			.payload = st_col_text(q, 5),
			.prev_hash = st_col_text(q, 6),
			.hash = st_col_text(q, 7),
		};
		int stop = cb(ctx, &ev);
		if (stop) {
			st_reset(q);
			return stop < 0 ? (e && e->code ? e->code : MC_ECORRUPT) : MC_OK;
		}
	}
	return st_walk_end(q, rc, "read event log", e);
}

int ev_list(st *s, int64_t after_seq, int limit, ev_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_EV_LIST, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":after", after_seq);
	st_bind_int(&q, ":limit", limit > 0 ? limit : -1);
	return walk(&q, cb, ctx, e);
}

int ev_list_dossier(st *s, const char *code, ev_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_EV_DOSSIER, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", code);
	return walk(&q, cb, ctx, e);
}

typedef verify_ctx_fwd verify_ctx;

static int verify_one(void *p, const ev_event *ev)
{
	verify_ctx *v = p;
	char h[65];
	if (ev->seq != v->expect_seq) {
		v->bad = v->expect_seq;
		mc_fail(v->e, MCE_EVENT_CHAIN_BROKEN, "thiếu sự kiện %lld", "event %lld is missing",
			(long long)v->expect_seq);
		return -1;
	}
	if (strcmp(ev->prev_hash, v->prev) != 0) {
		v->bad = ev->seq;
		mc_fail(v->e, MCE_EVENT_CHAIN_BROKEN, "sự kiện %lld: prev_hash không khớp mã băm của sự kiện %lld",
			"event %lld: prev_hash does not match the hash of event %lld",
			(long long)ev->seq, (long long)ev->seq - 1);
		return -1;
	}
	if (ev_hash(ev->seq, ev->at, ev->actor, ev->kind, ev->dossier, ev->payload, ev->prev_hash,
		    h)) {
		v->bad = ev->seq;
		mc_fail(v->e, MCE_EVENT_CHAIN_BROKEN, "sự kiện %lld không mã hoá chuẩn tắc được",
			"event %lld cannot be encoded canonically", (long long)ev->seq);
		return -1;
	}
	if (strcmp(h, ev->hash) != 0) {
		v->bad = ev->seq;
		mc_fail(v->e, MCE_EVENT_CHAIN_BROKEN, "sự kiện %lld: mã băm không khớp với nội dung",
			"event %lld: hash does not match its contents", (long long)ev->seq);
		return -1;
	}
	snprintf(v->prev, sizeof v->prev, "%s", ev->hash);
	v->expect_seq++;
	return 0;
}

int ev_verify(st *s, int64_t *count, int64_t *bad_seq, mc_err *e)
{
	st_stmt q;
	verify_ctx v = { .expect_seq = 1, .bad = 0, .e = e };
	snprintf(v.prev, sizeof v.prev, "%s", EV_ZERO_HASH);
	int rc = ST_Q(s, Q_EV_ALL, &q, e);
	if (rc)
		return rc;
	rc = walk(&q, verify_one, &v, e);
	if (bad_seq)
		*bad_seq = v.bad;
	if (count)
		*count = v.expect_seq - 1;
	if (v.bad)
		return MC_ECORRUPT;
	return rc;
}

int ev_count(st *s, int64_t *count, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_EV_COUNT, &q, e);
	if (!rc)
		rc = st_one(&q, "count events", e);
	if (!rc)
		*count = st_col_int64(&q, 0);
	st_reset(&q);
	return rc;
}
