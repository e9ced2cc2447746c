/*
 * batch.h - the sync batch (docs/sync.md §5.1): canonical bytes, zstd with
 * bounds, Ed25519 signatures over the uncompressed body. Pure: no SQL, no
 * HTTP, no clock. Used by the hub to check a push (src/app/hub.c) and by
 * the node to build one (src/app/sync.c).
 *
 * The uncompressed batch is UTF-8 text, one item per line, each ending in
 * '\n': line 1 the header (a JSON object, keys sorted, compact), then
 * `count` event lines, each exactly the canonical encoding the event log
 * hashes (sync/evenc.h), seqs first..last ascending without gaps.
 */
#ifndef SYNC_BATCH_H
#define SYNC_BATCH_H

#include <sodium.h>
#include <jansson.h>
#include <stdint.h>

#include "sb.h"

typedef struct {
	int v;              /* 1 */
	char agency[64];
	char key[65];       /* the node's Ed25519 public key, hex */
	char epoch[33];     /* the hub epoch the node believes in, hex */
	int64_t chain;      /* the node's chain (1 for its first key) */
	int64_t base_seq;   /* the hub's acknowledgement the node built on */
	char base_hash[65];
	int64_t first, last, count;
	char sent_at[40];   /* the node's clock: informational only */
} batch_hdr;

/* One event as the node's log holds it (payload: canonical JSON text). */
typedef struct {
	int64_t seq;
	const char *at, *actor, *kind, *dossier, *payload, *prev_hash;
} batch_event;

/* An event line as parsed: fields point into the line's own copy. */
typedef struct {
	int64_t seq;
	char *at, *actor, *kind, *dossier /* NULL for null */, *payload, *prev_hash;
	char hash[65]; /* SHA-256 of the line's bytes as received */
	json_t *value; /* the payload as parsed (owned; batch_lines_free drops it) */
} batch_line;

typedef struct {
	sb lines;       /* the event lines so far */
	size_t max_bytes;
	int max_events;
	int n;
	int64_t first, last;
} batch_builder;

/* A batch of at most max_bytes of event lines and max_events events. */
void batch_init(batch_builder *b, size_t max_bytes, int max_events);
void batch_release(batch_builder *b);
/* Adds one event (seqs ascending by one). Returns MC_OK, BATCH_FULL when
 * it would pass a bound (the first event always goes in, alone if need
 * be), or MC_EINVAL when it cannot be encoded. BATCH_FULL is no MC_E*
 * class, so that the two differ. */
#define BATCH_FULL (-1)
int batch_add(batch_builder *b, const batch_event *ev);
/* Writes the uncompressed batch: h with first, last and count set from
 * the events added. */
MC_MUST_USE int batch_finish(batch_builder *b, const batch_hdr *h, sb *plain, mc_err *e);

/* One zstd frame (level 3) with its content size. */
MC_MUST_USE int batch_compress(const void *plain, size_t n, sb *z, mc_err *e);
/* Inflates one zstd frame, refusing (sync.bad_batch) one that declares or
 * inflates to more than max_plain, trailing bytes, or a body that is not
 * zstd. plain's own max must be at least max_plain. */
MC_MUST_USE int batch_decompress(const void *z, size_t n, size_t max_plain, sb *plain,
				 mc_err *e);
/* Parses and checks an uncompressed batch: the header's keys and types,
 * count lines, each a canonical event line, seqs first..last without gaps,
 * each line's prev_hash the hash of the line before (sync.chain_broken);
 * the first line's prev_hash is left to the caller, who knows what it
 * holds. OUT: *lines (free with batch_lines_free), *n. */
MC_MUST_USE int batch_parse(const char *plain, size_t n, batch_hdr *h, batch_line **lines,
			    size_t *nlines, mc_err *e);
void batch_lines_free(batch_line *lines, size_t n);

/* 1 if s is exactly n lowercase hexadecimal digits. */
int batch_is_hex(const char *s, size_t n);
/* SHA-256 hex of p[0..n): a batch's id is that of its uncompressed text. */
void batch_sha256_hex(const void *p, size_t n, char out[65]);
/* Signs "<domain>\n<path>\n<sha256 hex of body>\n" (docs/sync.md §4). */
void batch_sign(const char *domain, const char *path, const void *body, size_t n,
		const unsigned char sk[crypto_sign_SECRETKEYBYTES], char sig_hex[129]);
/* Checks a signature made by batch_sign with the key pub_hex (64 hex):
 * sync.bad_signature on any failure. */
MC_MUST_USE int batch_verify(const char *domain, const char *path, const void *body, size_t n,
			     const char *pub_hex, const char *sig_hex, mc_err *e);

#endif
