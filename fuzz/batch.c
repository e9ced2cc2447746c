/*
 * batch.c - fuzz target for sync batches (src/sync/batch.h): the input is
 * taken as a request body twice, as the uncompressed batch (batch_parse)
 * and as the zstd frame on the wire (batch_decompress, then batch_parse of
 * what it gives); and, when it has 192 bytes or more, as a key (64 hex), a
 * signature (128 hex) and a body (batch_verify in both domains).
 *
 * Checked on every batch that parses: count >= 1 lines, seqs first..last;
 * each line's hash is that of its fields encoded again (evenc_line) and
 * each prev_hash but the first the hash of the line before; building the
 * batch again from the parsed header and lines (batch_add, batch_finish)
 * gives back the input byte for byte (one spelling per batch, so the batch
 * id and the signature cannot differ for the same events). On every frame
 * that decompresses: it is one frame that declares its size, the size it
 * gives, no more than the bound; batch_compress then batch_decompress gives
 * the same bytes back. A signature that verifies in one domain fails in the
 * other; a body signed here verifies. Refusals are of the invalid class
 * with a stable code and both messages.
 */
#include <sodium.h>
#include <zstd.h>

#include "fuzz.h"
#include "sync/batch.h"
#include "sync/evenc.h"

/* The domains and path of src/app/sync.h (docs/sync.md §4). */
#define DOMAIN_NODE "motcua-sync-v1"
#define DOMAIN_HUB "motcua-hub-v1"
#define PUSH_PATH "/api/v1/sync/push"
/* Smaller than the hub's 8 MiB, so that bombs stay quick. */
#define MAX_PLAIN (1024 * 1024)

static void check_refusal(int rc, const mc_err *e, int id, int id2)
{
	FZ_CHECK(rc == MC_EINVAL);
	FZ_CHECK(e->id == id || e->id == id2);
	FZ_CHECK(e->msg[0] && e->vi[0]);
}

/* The invariants of a batch that parsed. */
static void check_parsed(const char *p, size_t n, const batch_hdr *h, const batch_line *ls,
			 size_t nl)
{
	FZ_CHECK(h->v == 1 && h->count >= 1 && (uint64_t)h->count == nl);
	FZ_CHECK(h->first >= 1 && h->last == h->first + h->count - 1);
	FZ_CHECK(batch_is_hex(h->key, 64) && batch_is_hex(h->epoch, 32) &&
		 batch_is_hex(h->base_hash, 64));
	batch_builder b;
	mc_err e;
	batch_init(&b, n, (int)nl);
	for (size_t i = 0; i < nl; i++) {
		FZ_CHECK(ls[i].seq == h->first + (int64_t)i);
		FZ_CHECK(batch_is_hex(ls[i].prev_hash, 64));
		FZ_CHECK(i == 0 || strcmp(ls[i].prev_hash, ls[i - 1].hash) == 0);
		sb s;
		char hash[65];
		sb_init(&s, n);
		evenc_line(&s, ls[i].seq, ls[i].at, ls[i].actor, ls[i].kind, ls[i].dossier,
			   ls[i].payload, ls[i].prev_hash);
		FZ_CHECK(!sb_err(&s));
		evenc_sha256_hex(sb_str(&s), s.len, hash);
		FZ_CHECK(strcmp(hash, ls[i].hash) == 0);
		sb_release(&s);
		batch_event ev = { ls[i].seq,     ls[i].at,      ls[i].actor,    ls[i].kind,
				   ls[i].dossier, ls[i].payload, ls[i].prev_hash };
		FZ_CHECK(batch_add(&b, &ev) == MC_OK);
	}
	/* One more would pass both bounds. */
	if (nl > 0) {
		batch_event more = { ls[nl - 1].seq + 1, "", "", "", NULL, "{}", ls[nl - 1].hash };
		if (ls[nl - 1].seq < INT64_MAX)
			FZ_CHECK(batch_add(&b, &more) == BATCH_FULL);
	}
	sb plain;
	sb_init(&plain, n);
	FZ_CHECK(batch_finish(&b, h, &plain, &e) == MC_OK);
	FZ_CHECK(plain.len == n && memcmp(sb_str(&plain), p, n) == 0);
	sb_release(&plain);
	batch_release(&b);
}

static void parse(const char *p, size_t n)
{
	batch_hdr h;
	batch_line *ls = NULL;
	size_t nl = 0;
	mc_err e;
	int rc = batch_parse(p, n, &h, &ls, &nl, &e);
	if (rc == MC_OK) {
		check_parsed(p, n, &h, ls, nl);
	} else {
		check_refusal(rc, &e, MCE_SYNC_BAD_BATCH, MCE_SYNC_CHAIN_BROKEN);
		FZ_CHECK(ls == NULL && nl == 0);
	}
	batch_lines_free(ls, nl);
}

static void decompress(const uint8_t *data, size_t size)
{
	sb plain, z, back;
	mc_err e;
	sb_init(&plain, MAX_PLAIN);
	int rc = batch_decompress(data, size, MAX_PLAIN, &plain, &e);
	if (rc) {
		check_refusal(rc, &e, MCE_SYNC_BAD_BATCH, MCE_SYNC_BAD_BATCH);
		FZ_CHECK(plain.len == 0);
		sb_release(&plain);
		return;
	}
	FZ_CHECK(ZSTD_findFrameCompressedSize(data, size) == size);
	FZ_CHECK(ZSTD_getFrameContentSize(data, size) == plain.len);
	FZ_CHECK(plain.len <= MAX_PLAIN && sb_str(&plain)[plain.len] == 0);
	sb_init(&z, SIZE_MAX);
	sb_init(&back, plain.len);
	FZ_CHECK(batch_compress(sb_str(&plain), plain.len, &z, &e) == MC_OK);
	FZ_CHECK(ZSTD_getFrameContentSize(z.buf, z.len) == plain.len);
	FZ_CHECK(batch_decompress(z.buf, z.len, plain.len, &back, &e) == MC_OK);
	FZ_CHECK(back.len == plain.len && memcmp(sb_str(&back), sb_str(&plain), plain.len) == 0);
	parse(sb_str(&plain), plain.len);
	sb_release(&back);
	sb_release(&z);
	sb_release(&plain);
}

static void verify(const uint8_t *data, size_t size)
{
	static unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	static char pub_here[65];
	if (!pub_here[0]) {
		unsigned char seed[crypto_sign_SEEDBYTES];
		FZ_CHECK(sodium_init() >= 0);
		memset(seed, 7, sizeof seed);
		crypto_sign_seed_keypair(pk, sk, seed);
		sodium_bin2hex(pub_here, sizeof pub_here, pk, sizeof pk);
	}
	mc_err e;
	char sig[129];
	if (size >= 192) {
		char pub[65];
		memcpy(pub, data, 64);
		pub[64] = 0;
		memcpy(sig, data + 64, 128);
		sig[128] = 0;
		int node = batch_verify(DOMAIN_NODE, PUSH_PATH, data + 192, size - 192, pub, sig,
					&e);
		if (node)
			check_refusal(node, &e, MCE_SYNC_BAD_SIGNATURE, MCE_SYNC_BAD_SIGNATURE);
		int hub = batch_verify(DOMAIN_HUB, PUSH_PATH, data + 192, size - 192, pub, sig, &e);
		if (hub)
			check_refusal(hub, &e, MCE_SYNC_BAD_SIGNATURE, MCE_SYNC_BAD_SIGNATURE);
		FZ_CHECK(node || hub);
	}
	/* The whole input as a body signed here, in both domains. */
	batch_sign(DOMAIN_NODE, PUSH_PATH, data, size, sk, sig);
	FZ_CHECK(batch_verify(DOMAIN_NODE, PUSH_PATH, data, size, pub_here, sig, &e) == MC_OK);
	FZ_CHECK(batch_verify(DOMAIN_HUB, PUSH_PATH, data, size, pub_here, sig, &e) == MC_EINVAL);
	if (size > 0)
		FZ_CHECK(batch_verify(DOMAIN_NODE, PUSH_PATH, data, size - 1, pub_here, sig, &e) ==
			 MC_EINVAL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse((const char *)data, size);
	decompress(data, size);
	verify(data, size);
	return 0;
}
