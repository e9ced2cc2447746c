/*
 * st_sync.c - the sync tables (st_sync.h, docs/sync.md §8).
 */
#include "st_int.h"

#include "st_sync.h"

#define NODE_COLS                                                                      \
	"agency, chain, key, name, status, enrolled_at, decided_by, coalesce(decided_at, 0), " \
	"acked_seq, acked_hash, last_batch, coalesce(last_push_at, 0), clock_skew_s, rejected"
#define EV_COLS                                                                        \
	"seq, at, actor, kind, dossier, payload, prev_hash, hash, verdict, verdict_code, " \
	"verdict_msg"

#define DOS_COLS                                                                     \
	"agency, code, procedure, state, open, name, fold, received_at, due_at, finished_at, " \
	"last_seq, body"

static const char *const sql[Q_N] = {
	[Q_SYNC_GET] = "SELECT value FROM sync_state WHERE key = :key",
	[Q_SYNC_SET] = "INSERT INTO sync_state(key, value) VALUES (:key, :value) "
		       "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[Q_SYNC_VERDICT_PUT] = "INSERT INTO sync_verdict(seq, verdict, code, message, at) VALUES "
			       "(:seq, :verdict, :code, :message, :at) ON CONFLICT(seq) DO UPDATE "
			       "SET verdict = excluded.verdict, code = excluded.code, "
			       "message = excluded.message, at = excluded.at",
	[Q_SYNC_VERDICT_LIST] = "SELECT seq, verdict, code, message, at FROM sync_verdict "
				"ORDER BY seq",
	[Q_HUB_NODE_KEY] = "SELECT " NODE_COLS " FROM hub_node WHERE key = :key",
	[Q_HUB_NODE_INSERT] = "INSERT INTO hub_node(agency, chain, key, name, status, enrolled_at) "
			      "VALUES (:agency, :chain, :key, :name, :status, :at)",
	[Q_HUB_NODE_CHAIN] = "SELECT coalesce(max(chain), 0) + 1 FROM hub_node WHERE agency = :agency",
	[Q_HUB_NODE_STATUS] = "UPDATE hub_node SET status = :status, decided_by = :by, "
			      "decided_at = :at WHERE key = :key",
	[Q_HUB_NODE_ACKED] = "UPDATE hub_node SET acked_seq = :seq, acked_hash = :hash, "
			     "last_batch = :batch, last_push_at = :at, clock_skew_s = :skew, "
			     "rejected = rejected + :rej WHERE agency = :agency AND chain = :chain",
	[Q_HUB_NODE_LIST] = "SELECT " NODE_COLS " FROM hub_node ORDER BY agency, chain",
	[Q_HUB_EV_INSERT] = "INSERT INTO hub_event(agency, chain, seq, at, actor, kind, dossier, "
			    "payload, prev_hash, hash, batch, received_at, verdict, verdict_code, "
			    "verdict_msg) VALUES (:agency, :chain, :seq, :at, :actor, :kind, "
			    ":dossier, :payload, :prev, :hash, :batch, :rat, :verdict, :vcode, :vmsg)",
	[Q_HUB_EV_HASH] = "SELECT hash FROM hub_event WHERE agency = :agency AND chain = :chain "
			  "AND seq = :seq",
	[Q_HUB_EV_LIST] = "SELECT " EV_COLS " FROM hub_event WHERE agency = :agency AND "
			  "chain = :chain AND seq > :after ORDER BY seq",
	[Q_HUB_EV_CHAINS] = "SELECT DISTINCT agency, chain FROM hub_event ORDER BY agency, chain",
	[Q_HUB_DOS_OWNER] = "SELECT agency FROM hub_dossier WHERE code = :code",
	[Q_HUB_DOS_DROP] = "DELETE FROM hub_dossier WHERE code = :code AND agency <> :agency",
	[Q_HUB_DOS_PUT] = "INSERT INTO hub_dossier(agency, code, procedure, state, open, name, "
			  "fold, received_at, due_at, finished_at, last_seq, body, event_at, r_channel, "
			  "r_assignee, r_received, r_finished, r_due_legal, r_timeliness, r_paused, "
			  "r_components) VALUES (:agency, :code, :procedure, :state, :open, :name, "
			  ":fold, :received, :due, :finished, :seq, :body, :event_at, :channel, "
			  ":assignee, :r_received, :r_finished, :r_due_legal, :timeliness, :r_paused, "
			  ":components) ON CONFLICT(agency, code) DO UPDATE SET "
			  "procedure = excluded.procedure, state = excluded.state, "
			  "open = excluded.open, "
			  "name = excluded.name, fold = excluded.fold, "
			  "received_at = excluded.received_at, due_at = excluded.due_at, "
			  "finished_at = excluded.finished_at, last_seq = excluded.last_seq, "
			  "body = excluded.body, event_at = excluded.event_at, "
			  "r_channel = excluded.r_channel, r_assignee = excluded.r_assignee, "
			  "r_received = excluded.r_received, r_finished = excluded.r_finished, "
			  "r_due_legal = excluded.r_due_legal, r_timeliness = excluded.r_timeliness, "
			  "r_paused = excluded.r_paused, r_components = excluded.r_components",
	[Q_HUB_DOS_COUNTS] = "SELECT agency, count(*), sum(open), sum(open AND due_at IS NOT NULL "
			     "AND due_at < :now) FROM hub_dossier GROUP BY agency ORDER BY agency",
	[Q_HUB_DOS_SEARCH] = "SELECT " DOS_COLS " FROM hub_dossier WHERE (:q IS NULL OR "
			     "instr(fold, :q) > 0) AND (:agency IS NULL OR agency = :agency) "
			     "ORDER BY received_at DESC, code DESC LIMIT :limit",
	[Q_HUB_DOS_EVENTS] = "SELECT agency, chain, " EV_COLS " FROM hub_event WHERE dossier = :code "
			     "ORDER BY agency, chain, seq",
	[Q_HUB_OUT_PUT] = "INSERT INTO hub_outbox(agency, stream, kind, hash, body, at, actor) "
			  "VALUES (:agency, :stream, :kind, :hash, :body, :at, :actor)",
	[Q_HUB_OUT_LIST] = "SELECT cursor, agency, stream, kind, hash, body, at, actor FROM "
			   "hub_outbox WHERE cursor > :after AND (agency = :agency OR agency = '*') "
			   "ORDER BY cursor LIMIT :limit",
	[Q_HUB_OUT_HIGH] = "SELECT coalesce(max(cursor), 0) FROM hub_outbox WHERE agency = :agency "
			   "OR agency = '*'",
	[Q_HUB_AGENCY_APPROVED] = "SELECT count(*) FROM hub_node WHERE agency = :agency AND "
				  "status = 'approved'",
	[Q_SYNC_ITEM_GET] = "SELECT seq FROM sync_item WHERE hash = :hash",
	[Q_SYNC_ITEM_PUT] = "INSERT INTO sync_item(hash, cursor, stream, kind, seq, applied_at) "
			    "VALUES (:hash, :cursor, :stream, :kind, :seq, :at)",
};

/* ---- node side ---- */

int st_sync_get(st *s, const char *key, char **value, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SYNC_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":key", key);
	rc = st_one(&q, "read sync state", e);
	if (!rc)
		*value = mc_xstrdup(st_col_text(&q, 0));
	st_reset(&q);
	return rc;
}

int st_sync_set(st *s, const char *key, const char *value, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SYNC_SET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":key", key);
	st_bind_text(&q, ":value", value);
	return st_exec_q(&q, "write sync state", e);
}

int st_sync_verdict_put(st *s, int64_t seq, const char *verdict, const char *code,
			const char *message, mc_time at, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SYNC_VERDICT_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":seq", seq);
	st_bind_text(&q, ":verdict", verdict);
	st_bind_text(&q, ":code", code);
	st_bind_text(&q, ":message", message);
	st_bind_int(&q, ":at", at);
	return st_exec_q(&q, "write sync verdict", e);
}

int st_sync_verdict_list(st *s, st_sync_verdict_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SYNC_VERDICT_LIST, &q, e);
	if (rc)
		return rc;
	while ((rc = st_step(&q)) == SQLITE_ROW)
		if (cb(ctx, st_col_int64(&q, 0), st_col_text(&q, 1), st_col_text(&q, 2),
		       st_col_text(&q, 3), st_col_int64(&q, 4)))
			break;
	return st_walk_end(&q, rc, "list sync verdicts", e);
}

/* ---- hub side ---- */

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static void node_row(const st_stmt *q, st_hub_node *n)
{
	memset(n, 0, sizeof *n);
	copy(n->agency, sizeof n->agency, st_col_text(q, 0));
	n->chain = st_col_int64(q, 1);
	copy(n->key, sizeof n->key, st_col_text(q, 2));
	copy(n->name, sizeof n->name, st_col_text(q, 3));
	copy(n->status, sizeof n->status, st_col_text(q, 4));
	n->enrolled_at = st_col_int64(q, 5);
	copy(n->decided_by, sizeof n->decided_by, st_col_text(q, 6));
	n->decided_at = st_col_int64(q, 7);
	n->acked_seq = st_col_int64(q, 8);
	copy(n->acked_hash, sizeof n->acked_hash, st_col_text(q, 9));
	copy(n->last_batch, sizeof n->last_batch, st_col_text(q, 10));
	n->last_push_at = st_col_int64(q, 11);
	n->clock_skew_s = st_col_int64(q, 12);
	n->rejected = st_col_int64(q, 13);
}

int st_hub_node_by_key(st *s, const char *key, st_hub_node *n, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_NODE_KEY, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":key", key);
	rc = st_one(&q, "read hub node", e);
	if (!rc)
		node_row(&q, n);
	st_reset(&q);
	return rc;
}

int st_hub_chain_next(st *s, const char *agency, int64_t *chain, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_NODE_CHAIN, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	rc = st_one(&q, "read hub chains", e);
	if (!rc)
		*chain = st_col_int64(&q, 0);
	st_reset(&q);
	return rc;
}

int st_hub_node_insert(st *s, const st_hub_node *n, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_NODE_INSERT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", n->agency);
	st_bind_int(&q, ":chain", n->chain);
	st_bind_text(&q, ":key", n->key);
	st_bind_text(&q, ":name", n->name);
	st_bind_text(&q, ":status", n->status);
	st_bind_int(&q, ":at", n->enrolled_at);
	return st_exec_q(&q, "insert hub node", e);
}

int st_hub_node_decide(st *s, const char *key, const char *status, const char *by, mc_time at,
		       mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_NODE_STATUS, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":key", key);
	st_bind_text(&q, ":status", status);
	st_bind_text(&q, ":by", by);
	st_bind_int(&q, ":at", at);
	return st_exec_q(&q, "update hub node", e);
}

int st_hub_node_acked(st *s, const char *agency, int64_t chain, int64_t seq, const char *hash,
		      const char *batch, mc_time at, int64_t skew, int64_t rejected_more, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_NODE_ACKED, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":chain", chain);
	st_bind_int(&q, ":seq", seq);
	st_bind_text(&q, ":hash", hash);
	st_bind_text(&q, ":batch", batch);
	st_bind_int(&q, ":at", at);
	st_bind_int(&q, ":skew", skew);
	st_bind_int(&q, ":rej", rejected_more);
	return st_exec_q(&q, "record hub acknowledgement", e);
}

int st_hub_node_list(st *s, st_hub_node_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_NODE_LIST, &q, e);
	if (rc)
		return rc;
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_hub_node n;
		node_row(&q, &n);
		if (cb(ctx, &n))
			break;
	}
	return st_walk_end(&q, rc, "list hub nodes", e);
}

int st_hub_event_insert(st *s, const char *agency, int64_t chain, const st_hub_event *ev,
			const char *batch, mc_time at, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_EV_INSERT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":chain", chain);
	st_bind_int(&q, ":seq", ev->seq);
	st_bind_text(&q, ":at", ev->at);
	st_bind_text(&q, ":actor", ev->actor);
	st_bind_text(&q, ":kind", ev->kind);
	st_bind_text(&q, ":dossier", ev->dossier);
	st_bind_text(&q, ":payload", ev->payload);
	st_bind_text(&q, ":prev", ev->prev_hash);
	st_bind_text(&q, ":hash", ev->hash);
	st_bind_text(&q, ":batch", batch);
	st_bind_int(&q, ":rat", at);
	st_bind_text(&q, ":verdict", ev->verdict);
	st_bind_text(&q, ":vcode", ev->verdict_code ? ev->verdict_code : "");
	st_bind_text(&q, ":vmsg", ev->verdict_msg ? ev->verdict_msg : "");
	return st_exec_q(&q, "insert hub event", e);
}

int st_hub_event_hash(st *s, const char *agency, int64_t chain, int64_t seq, char out[65],
		      mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_EV_HASH, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":chain", chain);
	st_bind_int(&q, ":seq", seq);
	rc = st_one(&q, "read hub event", e);
	if (!rc)
		copy(out, 65, st_col_text(&q, 0));
	st_reset(&q);
	return rc;
}

int st_hub_event_list(st *s, const char *agency, int64_t chain, int64_t after,
		      st_hub_event_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_EV_LIST, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":chain", chain);
	st_bind_int(&q, ":after", after);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_hub_event ev = {
			.seq = st_col_int64(&q, 0),
			.at = st_col_text(&q, 1),
			.actor = st_col_text(&q, 2),
			.kind = st_col_text(&q, 3),
			.dossier = st_col_null(&q, 4) ? NULL : st_col_text(&q, 4),
			.payload = st_col_text(&q, 5),
			.prev_hash = st_col_text(&q, 6),
			.hash = st_col_text(&q, 7),
			.verdict = st_col_text(&q, 8),
			.verdict_code = st_col_text(&q, 9),
			.verdict_msg = st_col_text(&q, 10),
		};
		if (cb(ctx, &ev))
			break;
	}
	return st_walk_end(&q, rc, "list hub events", e);
}

int st_hub_event_chains(st *s, st_hub_chain_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_EV_CHAINS, &q, e);
	if (rc)
		return rc;
	while ((rc = st_step(&q)) == SQLITE_ROW)
		if (cb(ctx, st_col_text(&q, 0), st_col_int64(&q, 1)))
			break;
	return st_walk_end(&q, rc, "list hub chains", e);
}

int st_hub_dossier_owner(st *s, const char *code, char agency[64], mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_DOS_OWNER, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", code);
	rc = st_one(&q, "read hub dossier", e);
	if (!rc)
		copy(agency, 64, st_col_text(&q, 0));
	st_reset(&q);
	return rc;
}

int st_hub_dossier_put(st *s, const st_hub_dossier *d, mc_err *e)
{
	st_stmt q;
	/* A new owner (a transfer) replaces the old owner's row. */
	int rc = ST_Q(s, Q_HUB_DOS_DROP, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", d->code);
	st_bind_text(&q, ":agency", d->agency);
	rc = st_exec_q(&q, "move hub dossier", e);
	if (!rc)
		rc = ST_Q(s, Q_HUB_DOS_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", d->agency);
	st_bind_text(&q, ":code", d->code);
	st_bind_text(&q, ":procedure", d->procedure);
	st_bind_text(&q, ":state", d->state);
	st_bind_int(&q, ":open", d->open);
	st_bind_text(&q, ":name", d->name);
	st_bind_text(&q, ":fold", d->fold);
	st_bind_text(&q, ":received", d->received_at);
	st_bind_text(&q, ":due", d->due_at);
	st_bind_text(&q, ":finished", d->finished_at);
	st_bind_int(&q, ":seq", d->last_seq);
	st_bind_text(&q, ":body", d->body);
	st_bind_int(&q, ":event_at", d->event_at);
	st_bind_text(&q, ":channel", d->channel ? d->channel : "direct");
	st_bind_text(&q, ":assignee", d->assignee ? d->assignee : "");
	st_bind_int(&q, ":r_received", d->r_received);
	st_bind_int(&q, ":r_finished", d->r_finished);
	st_bind_int(&q, ":r_due_legal", d->r_due_legal);
	st_bind_text(&q, ":timeliness", d->timeliness ? d->timeliness : "");
	st_bind_int(&q, ":r_paused", d->r_paused);
	st_bind_int(&q, ":components", d->components);
	return st_exec_q(&q, "write hub dossier", e);
}

int st_hub_dossier_counts(st *s, const char *now_iso, st_hub_count_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_DOS_COUNTS, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":now", now_iso);
	while ((rc = st_step(&q)) == SQLITE_ROW)
		if (cb(ctx, st_col_text(&q, 0), st_col_int64(&q, 1), st_col_int64(&q, 2),
		       st_col_int64(&q, 3)))
			break;
	return st_walk_end(&q, rc, "count hub dossiers", e);
}

int st_hub_dossier_search(st *s, const char *fold_q, const char *agency, int limit,
			  st_hub_dossier_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_DOS_SEARCH, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":q", fold_q);
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":limit", limit);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_hub_dossier d = {
			.agency = st_col_text(&q, 0), .code = st_col_text(&q, 1),
			.procedure = st_col_text(&q, 2), .state = st_col_text(&q, 3),
			.open = st_col_int(&q, 4), .name = st_col_text(&q, 5),
			.fold = st_col_text(&q, 6), .received_at = st_col_text(&q, 7),
			.due_at = st_col_null(&q, 8) ? NULL : st_col_text(&q, 8),
			.finished_at = st_col_null(&q, 9) ? NULL : st_col_text(&q, 9),
			.last_seq = st_col_int64(&q, 10), .body = st_col_text(&q, 11),
		};
		if (cb(ctx, &d))
			break;
	}
	return st_walk_end(&q, rc, "search hub dossiers", e);
}

int st_hub_dossier_events(st *s, const char *code, st_hub_devent_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_DOS_EVENTS, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", code);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_hub_event ev = {
			.seq = st_col_int64(&q, 2), .at = st_col_text(&q, 3),
			.actor = st_col_text(&q, 4), .kind = st_col_text(&q, 5),
			.dossier = st_col_null(&q, 6) ? NULL : st_col_text(&q, 6),
			.payload = st_col_text(&q, 7), .prev_hash = st_col_text(&q, 8),
			.hash = st_col_text(&q, 9), .verdict = st_col_text(&q, 10),
			.verdict_code = st_col_text(&q, 11), .verdict_msg = st_col_text(&q, 12),
		};
		if (cb(ctx, st_col_text(&q, 0), st_col_int64(&q, 1), &ev))
			break;
	}
	return st_walk_end(&q, rc, "list a hub dossier's events", e);
}

/* ---- what the hub sends down (docs/sync.md §7.2) ---- */

int st_hub_outbox_put(st *s, const st_hub_item *it, int64_t *cursor, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_OUT_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", it->agency);
	st_bind_text(&q, ":stream", it->stream);
	st_bind_text(&q, ":kind", it->kind);
	st_bind_text(&q, ":hash", it->hash);
	st_bind_text(&q, ":body", it->body);
	st_bind_int(&q, ":at", it->at);
	st_bind_text(&q, ":actor", it->actor);
	rc = st_exec_q(&q, "add an outbox item", e);
	if (!rc && cursor)
		*cursor = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int st_hub_outbox_list(st *s, const char *agency, int64_t after, int limit, st_hub_item_cb cb,
		       void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_OUT_LIST, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":after", after);
	st_bind_int(&q, ":limit", limit);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_hub_item it = {
			.cursor = st_col_int64(&q, 0), .agency = st_col_text(&q, 1),
			.stream = st_col_text(&q, 2), .kind = st_col_text(&q, 3),
			.hash = st_col_text(&q, 4), .body = st_col_text(&q, 5),
			.at = st_col_int64(&q, 6), .actor = st_col_text(&q, 7),
		};
		if (cb(ctx, &it))
			break;
	}
	return st_walk_end(&q, rc, "list outbox items", e);
}

int st_hub_outbox_high(st *s, const char *agency, int64_t *high, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HUB_OUT_HIGH, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	rc = st_one(&q, "read the outbox's high cursor", e);
	if (!rc) {
		*high = st_col_int64(&q, 0);
		st_reset(&q);
	}
	return rc;
}

int st_sync_item_seen(st *s, const char *hash, int *seen, mc_err *e)
{
	st_stmt q;
	*seen = 0;
	int rc = ST_Q(s, Q_SYNC_ITEM_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":hash", hash);
	rc = st_one(&q, "read an applied item", e);
	if (rc == MC_ENOTFOUND)
		return MC_OK;
	if (!rc) {
		*seen = 1;
		st_reset(&q);
	}
	return rc;
}

int st_sync_item_put(st *s, const char *hash, int64_t cursor, const char *stream,
		     const char *kind, int64_t seq, mc_time at, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SYNC_ITEM_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":hash", hash);
	st_bind_int(&q, ":cursor", cursor);
	st_bind_text(&q, ":stream", stream);
	st_bind_text(&q, ":kind", kind);
	st_bind_int(&q, ":seq", seq);
	st_bind_int(&q, ":at", at);
	return st_exec_q(&q, "record an applied item", e);
}

int st_hub_agency_approved(st *s, const char *agency, int *approved, mc_err *e)
{
	st_stmt q;
	*approved = 0;
	int rc = ST_Q(s, Q_HUB_AGENCY_APPROVED, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	rc = st_one(&q, "read the commune's nodes", e);
	if (!rc) {
		*approved = st_col_int64(&q, 0) > 0;
		st_reset(&q);
	}
	return rc;
}
