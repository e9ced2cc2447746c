/*
 * ev.h - the hash-chained event log (docs/events.md).
 *
 * Every state change appends one event in the transaction that makes the
 * change. hash = SHA-256 (hex) of the canonical encoding
 *   [seq,"at","actor","kind","dossier",payload,"prev_hash"]
 * (compact JSON, UTF-8, payload's keys sorted, dossier null when none),
 * prev_hash of the first event is 64 zeros.
 */
#ifndef EV_H
#define EV_H

#include <jansson.h>

#include "st.h"

#define EV_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Appends an event inside the caller's transaction. payload is encoded
 * canonically (not consumed). OUT: *seq, may be NULL. */
MC_MUST_USE int ev_append(st *s, mc_time at, const char *actor, const char *kind,
			  const char *dossier, const json_t *payload, int64_t *seq, mc_err *e);

typedef struct {
	int64_t seq;
	const char *at, *actor, *kind, *dossier, *payload, *prev_hash, *hash;
} ev_event;

typedef int (*ev_cb)(void *ctx, const ev_event *ev);
/* Events with seq > after_seq, ascending, at most limit (0 = all). */
MC_MUST_USE int ev_list(st *s, int64_t after_seq, int limit, ev_cb cb, void *ctx, mc_err *e);
/* The events of one dossier, ascending. */
MC_MUST_USE int ev_list_dossier(st *s, const char *code, ev_cb cb, void *ctx, mc_err *e);
/*
 * Verifies the whole chain: each hash recomputed from the stored fields and
 * each prev_hash equal to the hash before it, seqs without gaps. On the
 * first bad event returns MC_ECORRUPT with *bad_seq set. OUT: *count.
 */
MC_MUST_USE int ev_verify(st *s, int64_t *count, int64_t *bad_seq, mc_err *e);
/* Number of events and the last seq. */
MC_MUST_USE int ev_count(st *s, int64_t *count, mc_err *e);

/* The largest canonical encoding of one event, in bytes. Every event a
 * node can write must fit one sync batch (4 MiB, docs/sync.md §5.1), or
 * it would block the node's stream for ever; so ev_append refuses larger
 * ones when they are written. */
#define EV_MAX_BYTES (2 * 1024 * 1024)

/* Computes the hash of one event. OUT: out (hex and NUL). Returns MC_OK, or
 * MC_EINVAL when the canonical bytes cannot be built: a field that is not
 * UTF-8, or an encoding longer than EV_MAX_BYTES; out is then "". payload is
 * the canonical JSON text as stored (NULL counts as null). */
int ev_hash(int64_t seq, const char *at, const char *actor, const char *kind,
	    const char *dossier, const char *payload, const char *prev_hash, char out[65]);

#endif
