/* evenc.c - the canonical bytes of one event (evenc.h). */
#include "sync/evenc.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>

/* A JSON string literal of v (or null), as jansson encodes strings. */
static void add_json_str(sb *b, const char *v)
{
	if (!v) {
		sb_add(b, "null");
		return;
	}
	json_t *j = json_string(v);
	char *t = j ? json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	if (t)
		sb_add(b, t);
	else
		b->err = 1; /* not valid UTF-8 */
	free(t);
	json_decref(j);
}

void evenc_line(sb *out, int64_t seq, const char *at, const char *actor, const char *kind,
		const char *dossier, const char *payload, const char *prev_hash)
{
	sb_addf(out, "[%lld,", (long long)seq);
	add_json_str(out, at);
	sb_addc(out, ',');
	add_json_str(out, actor);
	sb_addc(out, ',');
	add_json_str(out, kind);
	sb_addc(out, ',');
	add_json_str(out, dossier);
	sb_addc(out, ',');
	sb_add(out, payload ? payload : "null");
	sb_addc(out, ',');
	add_json_str(out, prev_hash);
	sb_addc(out, ']');
}

void evenc_sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, p, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}
