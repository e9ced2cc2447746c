/*
 * evenc.h - the canonical bytes of one event (docs/events.md): what the
 * event log hashes and what a sync batch carries, byte for byte.
 *   [seq,"at","actor","kind","dossier"|null,payload|null,"prev_hash"]
 * Compact JSON as jansson writes strings; payload is the stored canonical
 * JSON text (keys sorted), copied as is.
 */
#ifndef EVENC_H
#define EVENC_H

#include <stdint.h>

#include "sb.h"

/* Appends the canonical encoding to out. A field that is not valid UTF-8
 * sets out's error (callers check sb_err). */
void evenc_line(sb *out, int64_t seq, const char *at, const char *actor, const char *kind,
		const char *dossier, const char *payload, const char *prev_hash);
/* SHA-256 of p[0..n) as 64 lowercase hex digits and a NUL. */
void evenc_sha256_hex(const void *p, size_t n, char out[65]);

#endif
