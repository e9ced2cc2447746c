/*
 * sync.h - the use cases of sync (docs/sync.md): the hub's side (enrolment,
 * approval, accepting pushed batches) in hub.c, the node's side (its state,
 * the batches it sends, what it records of the hub's answers) in sync.c.
 * The HTTP handlers, the CLI and the round driver (src/sync/client.c) call
 * these; none of them sees the store.
 */
#ifndef APP_SYNC_H
#define APP_SYNC_H

#include "app/app.h"

/* Domains of the signed messages (docs/sync.md §4). */
#define APP_SYNC_DOMAIN_NODE "motcua-sync-v1"
#define APP_SYNC_DOMAIN_HUB "motcua-hub-v1"
#define APP_SYNC_PUSH_PATH "/api/v1/sync/push"
#define APP_SYNC_ENROL_PATH "/api/v1/sync/enrol"
#define APP_SYNC_PULL_PATH "/api/v1/sync/pull"
#define APP_SYNC_FILES_WANT_PATH "/api/v1/sync/files/want"
#define APP_SYNC_FILES_PATH "/api/v1/sync/files"
/* Hashes in one offer (docs/sync.md §12). */
#define APP_SYNC_FILES_WANT_MAX 100
/* The largest batch the hub takes: compressed on the wire, and inflated. */
#define APP_SYNC_MAX_BODY (4u << 20)
#define APP_SYNC_MAX_PLAIN (8u << 20)

/* ---- hub ---- */
/* 1 if this data directory was made with `init --hub`. */
int app_is_hub(const app *a);
/* The hub's epoch (32 hex), "" on a node. */
const char *app_hub_epoch(const app *a);

/* Enrolment of a node (anonymous): in = {"v":1,"agency","name","key","proof"}.
 * Stores the key as pending (idempotent for the same key and agency).
 * OUT: *out = {"hub_key","hub_agency","epoch","chain","status"}, *created. */
MC_MUST_USE int app_hub_enrol(app *a, const json_t *in, mc_time now, json_t **out,
			      int *created, mc_err *e);
/* The enrolled nodes, pending first (supervisor, admin). */
MC_MUST_USE int app_hub_nodes(app *a, const app_actor *by, mc_time now, json_t **out,
			      mc_err *e);
/* Approves (approve 1) or revokes a node's key (admin). OUT: *out the node. */
MC_MUST_USE int app_hub_decide(app *a, const app_actor *by, const char *key, int approve,
			       mc_time now, json_t **out, mc_err *e);
/* Whether key may push: MC_OK if approved, else sync.unknown_key,
 * sync.key_not_approved or sync.key_revoked (and sync.not_hub on a node). */
MC_MUST_USE int app_hub_admit(app *a, const char *key, mc_err *e);
/*
 * A pushed batch (docs/sync.md §5): body is the zstd frame, sig the
 * Motcua-Signature header. Checks everything before writing, applies the
 * new events in one transaction with their verdicts. OUT: *out the answer
 * {"status","head","verdicts"} on success; on a refusal *out may hold
 * {"head":{...}} for the error answer (or NULL). Free it either way.
 */
MC_MUST_USE int app_hub_push(app *a, const char *key, const char *sig, const void *body,
			     size_t n, mc_time now, json_t **out, mc_err *e);
/* Signs an answer body of the hub for path. OUT: sig (128 hex and NUL). */
MC_MUST_USE int app_hub_sign(app *a, const char *path, const void *body, size_t n,
			     char sig[129], mc_err *e);
/* Verifies every node chain the hub holds. OUT: *chains, *events; on a
 * bad one MC_ECORRUPT with the message naming it. */
MC_MUST_USE int app_hub_check(app *a, int64_t *chains, int64_t *events, mc_err *e);
/* Every event of one node chain as the hub holds it, as JSON lines
 * "[seq,\"hash\"]" (for tests and the soak's comparison). */
MC_MUST_USE int app_hub_chain_dump(app *a, const char *agency, int64_t chain, FILE *out,
				   mc_err *e);

/* The supervisors' dashboard: per commune its nodes, last push and lag,
 * dossiers, open and overdue ones (supervisor, admin). */
MC_MUST_USE int app_hub_dashboard(app *a, const app_actor *by, mc_time now, json_t **out,
				  mc_err *e);
/* Cross-commune search (q ignores diacritics; agency NULL for all). */
MC_MUST_USE int app_hub_search(app *a, const app_actor *by, const char *q, const char *agency,
			       int limit, json_t **out, mc_err *e);
/* One dossier as the hub holds it, with its history as the owning nodes
 * recorded it. */
MC_MUST_USE int app_hub_dossier(app *a, const app_actor *by, const char *code, json_t **out,
				mc_err *e);

/* Publishes to the communes named in to (comma-separated agency codes,
 * at most 500) or, to NULL, to all (admin): stream "calendar", a
 * government days-off schedule (CSV; add: days laid over the current
 * calendar), or "catalog", a commune procedure list (CSV, as Danh mục TTHC
 * của xã imports it). Checked as a commune checks an import, before anything
 * goes out. OUT: *out {"stream","hash","version","source","to","cursors"}. */
MC_MUST_USE int app_hub_publish(app *a, const app_actor *by, const char *stream, const char *text,
				size_t len, const char *source, int add, const char *to,
				mc_time now, json_t **out, mc_err *e);
/* A node's pull (docs/sync.md §7.2): body {"v":1,"cursor":N,"max_bytes":B}
 * signed like a push. OUT: *out {"head","high","items":[{cursor,stream,
 * kind,hash,body}],"more"}: the items for the node's agency after cursor. */
MC_MUST_USE int app_hub_pull(app *a, const char *key, const char *sig, const void *body,
			     size_t n, mc_time now, json_t **out, mc_err *e);

/* An online submission received by the hub (the province's portal) for
 * the commune agency (which must have an approved node): the hub issues its
 * code and the commune's node takes it in its next round, waiting for
 * reception (reception, admin). q as for app_receive (channel and pending
 * are set here). OUT: code (96 bytes). */
MC_MUST_USE int app_hub_submit(app *a, const app_actor *by, const char *agency,
			       const app_receive_req *q, mc_time now, char code[96], mc_err *e);

/* A dossier as the hub holds it, for the public look-up on the hub: the
 * record (with procedure_name) and "history" [{at, kind, action, to}] of
 * the applied events. MC_ENOTFOUND (dossier.not_found) if none. Reads in
 * the caller's snapshot (the look-up route takes one). */
MC_MUST_USE int app_hub_public_dossier(app *a, const char *code, json_t **out, mc_err *e);

/* ---- files (docs/sync.md §12; syncfiles.c) ---- */
/* Inside the push's transaction: the dossier's file row a dossier.file
 * event of agency's chain records (its payload is self-contained). */
MC_MUST_USE int app_hub_file_event(app *a, const char *agency, int64_t chain, int64_t seq,
				   const char *dossier, const json_t *payload, mc_err *e);
/* A node's offer (body {"files":[{sha256,size}],"v":1}, signed over
 * APP_SYNC_FILES_WANT_PATH). OUT: *out {"files":[{sha256, state: want
 * (with "offset", what the hub holds) | held | unknown}]}. */
MC_MUST_USE int app_hub_files_want(app *a, const char *key, const char *sig, const void *body,
				   size_t n, mc_time now, json_t **out, mc_err *e);
/* One chunk of file sha at offset (signed over app_sync_file_path). The
 * offset must be what the hub holds, else MCE_SYNC_FILE_OFFSET with
 * *expected. When the last byte is in: checked, stored once, *complete.
 * OUT: *out {"sha256","offset","size","complete"}. */
MC_MUST_USE int app_hub_file_chunk(app *a, const char *key, const char *sig, const char *sha,
				   int64_t offset, const void *data, size_t n, mc_time now,
				   int *complete, int64_t *expected, json_t **out, mc_err *e);
/* The files of dossier code on the hub, each with "held" (bytes here).
 * OUT: *out an array (caller decrefs). */
MC_MUST_USE int app_hub_dossier_files(app *a, const char *code, json_t **out, mc_err *e);
/* A file's bytes for the province's supervisors and administrators. OUT
 * as app_file_get's. */
MC_MUST_USE int app_hub_file_get(app *a, const app_actor *by, const char *sha256, char **data,
				 size_t *len, char mime[64], char *filename, size_t size,
				 mc_err *e);
/* For the sweep: 1 in *keep if the part (is_part) is a transfer under way
 * or the blob is bytes the hub holds. */
MC_MUST_USE int app_hub_sweep_keeps(app *a, int is_part, const char *name, int *keep,
				    mc_err *e);
/* The signed path of a chunk: APP_SYNC_FILES_PATH/<sha>?offset=N. */
void app_sync_file_path(const char *sha, int64_t offset, char out[160]);
typedef struct {
	char sha256[65];
	int64_t size;
} app_sync_offer;
/* The next offer: at most max waiting files whose event the hub
 * acknowledged. OUT: list[0..*n), *body (free it; NULL when *n is 0), sig. */
MC_MUST_USE int app_sync_files_offer(app *a, size_t max, app_sync_offer *list, size_t *n,
				     char **body, char sig[129], mc_err *e);
/* Chunk of file sha at offset, at most max bytes, signed. OUT: *data
 * (free it), *n, path (the URL path with its query), sig. */
MC_MUST_USE int app_sync_file_chunk(app *a, const char *sha, int64_t offset, size_t max,
				    char **data, size_t *n, char path[160], char sig[129],
				    mc_err *e);
/* The chunk size to send (or ask for) now: one state for the link. */
size_t app_sync_file_chunk_size(app *a);
/* Adapts it: a chunk landed (landed 1) or was cut (-1); completed: a file
 * is whole (the ceiling goes back up). */
MC_MUST_USE int app_sync_chunk_result(app *a, int landed, int completed, mc_err *e);
/* Records what became of a file: sent bytes added, landed 1 (a chunk
 * landed: larger chunks) or -1 (a cut: smaller) or 0, and state (NULL: no
 * change; confirmed | refused with the hub's code and message). */
MC_MUST_USE int app_sync_file_result(app *a, const char *sha, int64_t sent, int landed,
				     const char *state, const char *code, const char *message,
				     mc_time now, mc_err *e);
/* {"waiting","bytes_waiting","bytes_sent","refused":[{sha256,code,message,at}]}
 * inside the caller's read. */
MC_MUST_USE int app_sync_files_status(app *a, json_t **out, mc_err *e);

/* ---- attachments the hub publishes, fetched by the node (§12.1) ---- */
#define APP_SYNC_ATTACH_PATH "/api/v1/sync/attachments"
#define APP_SYNC_FETCH_TRIES 5 /* failed fetches of one attachment before it is left */
/* Hub: at most max bytes (1 MiB at most) of attachment sha from offset for
 * the node whose key signed the (empty) request: only the hub's own attachments, which the
 * items it publishes name. OUT: *data (free it), *n, *size (the whole). */
MC_MUST_USE int app_hub_attach_chunk(app *a, const char *key, const char *sig, const char *sha,
				     int64_t offset, size_t max, char **data, size_t *n,
				     int64_t *size, mc_err *e);
typedef struct {
	char sha256[65];
	int64_t size, received;
} app_sync_fetch;
/* Node: at most max attachments to fetch (fewer than APP_SYNC_FETCH_TRIES
 * failures), oldest first. OUT: list[0..*n). */
MC_MUST_USE int app_sync_fetch_list(app *a, size_t max, app_sync_fetch *list, size_t *n,
				    mc_err *e);
/* The signed request for at most max bytes from offset (its path with
 * the query; an empty body). */
MC_MUST_USE int app_sync_fetch_sign(app *a, const char *sha, int64_t offset, size_t max,
				    char path[200], char sig[129], mc_err *e);
/* Appends n bytes the hub sent for offset (which must be what this node
 * holds: else MC_ECONFLICT and nothing kept). When every byte is in, the
 * file is checked (hash, then fcheck), stored and recorded: *complete 1.
 * A mismatch starts it over and counts a failure. */
MC_MUST_USE int app_sync_fetch_chunk(app *a, const char *sha, int64_t offset, const void *data,
				     size_t n, mc_time now, int *complete, mc_err *e);
/* Counts a failed fetch (the hub refused it) with its reason. */
MC_MUST_USE int app_sync_fetch_failed(app *a, const char *sha, const char *why, mc_err *e);
/* For the sweep: 1 in *keep if part file id is a fetch under way. */
MC_MUST_USE int app_sync_fetch_keeps(app *a, const char *id, int *keep, mc_err *e);

/* ---- node ---- */
/* The body of an enrolment request, signed with the node key. */
MC_MUST_USE int app_sync_enrol_body(app *a, json_t **out, mc_err *e);
/* Records a successful enrolment answer from url. */
MC_MUST_USE int app_sync_enrolled(app *a, const char *url, const json_t *answer, mc_time now,
				  mc_err *e);
/* The hub's URL ("" if not enrolled) and how far it acknowledged. */
typedef struct {
	char url[512];
	char hub_key[65];
	int64_t acked_seq;  /* what the hub acknowledged */
	int64_t local_seq;  /* this node's last event */
	int stopped;        /* a refusal a retry cannot fix: rounds stop until an admin acts */
	size_t batch_bytes; /* the current batch size (docs/sync.md §5.4) */
	int64_t pull_cursor; /* the last item from the hub applied */
	int64_t files_waiting; /* stored files the hub has not confirmed (§12) */
} app_sync_cfg;
MC_MUST_USE int app_sync_config(app *a, app_sync_cfg *out, mc_err *e);
/* The next batch after the hub's acknowledgement: at most max_bytes
 * uncompressed (one event at least) and APP_SYNC_MAX_EVENTS events. OUT:
 * *body (zstd, free it), *n, sig (hex), *last the last seq in it; *n 0
 * when nothing is left. */
#define APP_SYNC_MAX_EVENTS 1000
MC_MUST_USE int app_sync_next_batch(app *a, size_t max_bytes, mc_time now, char **body,
				    size_t *n, char sig[129], int64_t *last, mc_err *e);
/* Checks the hub's signature on an answer body. */
MC_MUST_USE int app_sync_check_answer(app *a, const char *path, const void *body, size_t n,
				      const char *sig, mc_err *e);
/* Records a push answer (status 200 or a refusal carrying a head):
 * the head, verdicts, the error (code and message, NULL on success). */
MC_MUST_USE int app_sync_record(app *a, int http_status, const json_t *answer,
				const char *err_code, const char *err_msg, size_t batch_bytes,
				mc_time now, mc_err *e);
/* Records a round that failed before an answer (transport). */
MC_MUST_USE int app_sync_failed(app *a, const char *code, const char *msg, size_t batch_bytes,
				mc_time now, mc_err *e);
/* The body of a pull after the last item applied, and its signature. */
MC_MUST_USE int app_sync_pull_body(app *a, size_t max_bytes, char **body, char sig[129],
				   mc_err *e);
/* Applies a pull answer (signature checked): every new item once, as an
 * event, with the new cursor, in one transaction. OUT: *applied, *high
 * (the hub's newest cursor for this node). */
MC_MUST_USE int app_sync_apply_pull(app *a, const json_t *answer, mc_time now, int *applied,
				    int64_t *high, mc_err *e);
/* Clears a stop after an administrator fixed its cause (`sync now`). */
MC_MUST_USE int app_sync_resume(app *a, mc_err *e);
/* {"enrolled","hub_url","acked_seq","local_seq","waiting","last_ok_at",
 * "last_try_at","failures","last_error":{code,message}|null,"stopped",
 * "offline","verdicts":[...]} for `sync status` and the UI. */
MC_MUST_USE int app_sync_status(app *a, mc_time now, json_t **out, mc_err *e);

#endif
