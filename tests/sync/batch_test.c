/*
 * batch_test.c - the sync batch (src/sync/batch.h) and the canonical event
 * encoding it shares with the log (src/sync/evenc.h): evenc gives the
 * hashes ev_hash gives; batches go round trip through build, zstd and
 * parse; the builder's bounds; every refusal of batch_parse and
 * batch_decompress is met by a batch that breaks it; signatures bind
 * domain (node and hub), path, body and key.
 *
 * What batch.c leaves to its callers is tested as such: the payload is
 * carried as the node's log holds it (the hub hashes bytes, it never
 * re-encodes), and the first line's link to base_hash is the hub's check
 * (src/app/hub.c), so both are accepted here.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <zstd.h>

#include "app/sync.h"
#include "store/ev.h"
#include "sync/batch.h"
#include "sync/evenc.h"
#include "t.h"

/* A byte bound larger than any batch built here. */
#define BIG ((size_t)64 << 20)

/* ---- evenc: the bytes the event log hashes ---- */

#define AT "2025-01-01T00:00:00+07:00"
/* Hashes of stored chains (ev_hash as it was before evenc existed). */
static const struct {
	int64_t seq;
	const char *at, *actor, *kind, *dossier, *payload, *prev;
	const char *hash;
} eq_cases[] = {
	{ 1, AT, "a", "k", NULL, "{}", EV_ZERO_HASH,
	  "849fd88f8dfa2e10f46ea28c0f2d30c55feed6f4bf53a62d310777fe2d5a6616" },
	{ 2, AT, "tiepnhan", "dossier.received", "000.31.45.H45-260302-0001",
	  "{\"applicant\":{\"name\":\"Nguyễn Văn Đạt\",\"phone\":\"0912345678\"},\"fee\":50000}",
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	  "dc1fb08b1b9e5c8fe5829694cfab120b25b8e63f9952c358dd53e2130e97ff91" },
	{ 3, "a\"b\\c\n\t\x01/\x7f", "cán bộ\r", "k\x1f", "d\"", "{\"t\":\"x\\ny\\\"\\\\\\u0001/\"}",
	  EV_ZERO_HASH, "f302321fd32ce91b4cae28d9d1bc34ba9a3679344a1d7520ab9365344f4e5a0a" },
	{ 9007199254740993LL, AT, "😀\u2028\ufeff", "dossier.note", "", "[1,2.5,null,true]",
	  EV_ZERO_HASH, "59e0efae29e6666927f933d6964e97d7f66de3732dbc216dcca6401b1df74a9c" },
	{ -5, AT, "a", "k", NULL, NULL, EV_ZERO_HASH,
	  "5669a58e02596fe76dfab9fc75d42c13411209ff928f91740ba87a59639ee1ba" },
	{ 0, NULL, NULL, NULL, NULL, NULL, NULL,
	  "b75065f78507beb6d5ba09101abe341f518a77285aa2bd3123eb44c559000c81" },
	{ INT64_MAX, "", "", "", "", "", "",
	  "401d9c35b6869420e529b64232dfa06be1a2af4259041c81873132e837114f67" },
	{ INT64_MIN, AT, "x", "y", "z", "0.10000000000000001", "ff",
	  "cbec479b1138928a40c732b1772c96df6d05974be1d70591f7a94768da0b79dc" },
};

static void test_evenc(void)
{
	T_CASE("evenc_line + SHA-256 = ev_hash = the hashes of stored chains");
	for (size_t i = 0; i < MC_ARRAY_LEN(eq_cases); i++) {
		char h[65], h2[65];
		sb b;
		sb_init(&b, EV_MAX_BYTES);
		evenc_line(&b, eq_cases[i].seq, eq_cases[i].at, eq_cases[i].actor, eq_cases[i].kind,
			   eq_cases[i].dossier, eq_cases[i].payload, eq_cases[i].prev);
		CHECK(!sb_err(&b));
		evenc_sha256_hex(sb_str(&b), b.len, h);
		CHECK_STR(h, eq_cases[i].hash);
		CHECK_INT(ev_hash(eq_cases[i].seq, eq_cases[i].at, eq_cases[i].actor,
				  eq_cases[i].kind, eq_cases[i].dossier, eq_cases[i].payload,
				  eq_cases[i].prev, h2),
			  MC_OK);
		CHECK_STR(h2, eq_cases[i].hash);
		sb_release(&b);
	}

	T_CASE("evenc_line: the bytes themselves");
	sb b;
	sb_init(&b, 1024);
	evenc_line(&b, 7, AT, "Đạt", "k", NULL, "{\"a\":[1,\"\\n\"]}", "ab");
	CHECK_STR(sb_str(&b), "[7,\"" AT "\",\"Đạt\",\"k\",null,{\"a\":[1,\"\\n\"]},\"ab\"]");
	sb_reset(&b);
	evenc_line(&b, 1, "\t\"\\", "a", "k", "d", NULL, "p");
	CHECK_STR(sb_str(&b), "[1,\"\\t\\\"\\\\\",\"a\",\"k\",\"d\",null,\"p\"]");
	CHECK(!sb_err(&b));
	sb_release(&b);

	T_CASE("evenc_line: appends to what out holds");
	sb_init(&b, 1024);
	sb_add(&b, "x");
	evenc_line(&b, 1, "a", "b", "c", NULL, NULL, "p");
	CHECK_STR(sb_str(&b), "x[1,\"a\",\"b\",\"c\",null,null,\"p\"]");
	sb_release(&b);

	T_CASE("evenc_line: a string field not UTF-8, or past out's maximum: error set");
	static const char *const bad[] = { "\xff", "a\xc3", "\xed\xa0\x80", "\xc0\x80" };
	for (size_t i = 0; i < MC_ARRAY_LEN(bad); i++) {
		for (int field = 0; field < 5; field++) {
			const char *f[5] = { AT, "a", "k", NULL, EV_ZERO_HASH };
			f[field] = bad[i];
			sb_init(&b, 1024);
			evenc_line(&b, 1, f[0], f[1], f[2], f[3], "{}", f[4]);
			CHECK(sb_err(&b));
			sb_release(&b);
		}
		char h[65] = "x";
		CHECK_INT(ev_hash(1, AT, bad[i], "k", NULL, "{}", EV_ZERO_HASH, h), MC_EINVAL);
		CHECK_STR(h, "");
	}
	const char *full = "[1,\"a\",\"b\",\"c\",null,null,\"p\"]";
	sb_init(&b, strlen(full));
	evenc_line(&b, 1, "a", "b", "c", NULL, NULL, "p");
	CHECK(!sb_err(&b));
	sb_release(&b);
	sb_init(&b, strlen(full) - 1);
	evenc_line(&b, 1, "a", "b", "c", NULL, NULL, "p");
	CHECK(sb_err(&b));
	sb_release(&b);

	T_CASE("evenc_sha256_hex, batch_sha256_hex: the empty string and 'abc'");
	char h[65];
	evenc_sha256_hex("", 0, h);
	CHECK_STR(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	evenc_sha256_hex("abc", 3, h);
	CHECK_STR(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	batch_sha256_hex("abc", 3, h);
	CHECK_STR(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_is_hex(void)
{
	static const struct {
		const char *s;
		size_t n;
		int ok;
	} cases[] = {
		{ "", 0, 1 },    { "0a", 2, 1 },  { "0123456789abcdef", 16, 1 },
		{ "0A", 2, 0 },                  /* lower case only */
		{ "0g", 2, 0 },  { "0a", 3, 0 }, /* too short */
		{ "0a0", 2, 0 },                 /* too long */
		{ " a", 2, 0 },  { "a\n", 2, 0 }, { NULL, 0, 0 },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].s ? cases[i].s : "(null)");
		CHECK_INT(batch_is_hex(cases[i].s, cases[i].n), cases[i].ok);
	}
}

/* ---- helpers ---- */

#define KEY "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
#define EPOCH "0123456789abcdef0123456789abcdef"
#define CODE "000.31.45.H45-260302-0001"
#define ZERO63 "000000000000000000000000000000000000000000000000000000000000000"
#define ZERO_END ",\"" EV_ZERO_HASH "\"]"
#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static void std_hdr(batch_hdr *h, int64_t base_seq, const char *base_hash)
{
	memset(h, 0, sizeof *h);
	h->v = 1;
	snprintf(h->agency, sizeof h->agency, "000.31.45.H45");
	snprintf(h->key, sizeof h->key, KEY);
	snprintf(h->epoch, sizeof h->epoch, EPOCH);
	h->chain = 1;
	h->base_seq = base_seq;
	snprintf(h->base_hash, sizeof h->base_hash, "%s", base_hash);
	snprintf(h->sent_at, sizeof h->sent_at, "2026-03-02T09:00:00+07:00");
}

/* Events as a node's log holds them; prev_hash filled by chain(). */
typedef struct {
	const char *at, *actor, *kind, *dossier, *payload;
} tev;

static const tev rich[] = {
	{ "2026-03-02T08:00:00+07:00", "system", "node.created", NULL,
	  "{\"agency\":\"000.31.45.H45\",\"name\":\"Xã Kim Bôi\"}" },
	{ "2026-03-02T08:01:00+07:00", "tiepnhan", "dossier.received", CODE,
	  "{\"applicant\":{\"name\":\"Nguyễn Văn Đạt\",\"phone\":\"0912345678\"},\"fee\":50000}" },
	{ "2026-03-02T08:02:00+07:00", "chuyenvien", "dossier.note", CODE,
	  "{\"text\":\"dòng 1\\ndòng 2\\t\\\"trích\\\" \\\\ /\\u0001\"}" },
	{ "2026-03-02T08:03:00+07:00", "lanhdao", "dossier.approved", CODE, NULL },
	{ "2026-03-02T08:04:00+07:00", "giamsat", "settings.updated", NULL,
	  "{\"n\":-3,\"ratio\":0.10000000000000001}" },
	{ "2026-03-02T08:05:00+07:00", "cán bộ 😀\u2028", "x", "", "[1,2,{\"a\":[]}]" },
	{ "2026-03-02T08:06:00+07:00", "public", "dossier.rated", CODE, "\"chỉ một chuỗi\"" },
};

/* n events from seq first, chained from prev0, cycling through rich[].
 * OUT: ev[n] and prev[n][65] (the prev_hash strings ev points into). */
static void chain(batch_event *ev, char (*prev)[65], size_t n, int64_t first, const char *prev0)
{
	for (size_t i = 0; i < n; i++) {
		const tev *t = &rich[i % MC_ARRAY_LEN(rich)];
		if (i == 0)
			snprintf(prev[0], 65, "%s", prev0);
		else
			MC_IGNORE(ev_hash(ev[i - 1].seq, ev[i - 1].at, ev[i - 1].actor,
					  ev[i - 1].kind, ev[i - 1].dossier, ev[i - 1].payload,
					  ev[i - 1].prev_hash, prev[i]));
		ev[i] = (batch_event){ first + (int64_t)i, t->at,      t->actor, t->kind,
				       t->dossier,         t->payload, prev[i] };
	}
}

/* Builds a batch of all n events (within BIG). OUT: plain, initialised here
 * (sb_release). */
static int build(const batch_hdr *h, const batch_event *ev, size_t n, sb *plain)
{
	batch_builder b;
	mc_err e;
	batch_init(&b, BIG, 1 << 30);
	sb_init(plain, BIG);
	int rc = MC_OK;
	for (size_t i = 0; i < n && !rc; i++)
		rc = batch_add(&b, &ev[i]);
	if (!rc)
		rc = batch_finish(&b, h, plain, &e);
	batch_release(&b);
	return rc;
}

/* s with the first occurrence of from replaced by to (caller frees), or
 * NULL when from does not occur. */
static char *subst(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	if (!at)
		return NULL;
	sb o;
	sb_init(&o, SIZE_MAX);
	sb_addn(&o, s, (size_t)(at - s));
	sb_add(&o, to);
	sb_add(&o, at + strlen(from));
	return sb_take(&o);
}

static int hdr_eq(const batch_hdr *a, const batch_hdr *b)
{
	return a->v == b->v && strcmp(a->agency, b->agency) == 0 && strcmp(a->key, b->key) == 0 &&
	       strcmp(a->epoch, b->epoch) == 0 && a->chain == b->chain &&
	       a->base_seq == b->base_seq && strcmp(a->base_hash, b->base_hash) == 0 &&
	       a->first == b->first && a->last == b->last && a->count == b->count &&
	       strcmp(a->sent_at, b->sent_at) == 0;
}

/* Parses n bytes; returns the error id (-1 when accepted) and frees. */
static int parse_id(const char *p, size_t n, mc_err *e)
{
	batch_hdr h;
	batch_line *ls = NULL;
	size_t nl = 0;
	int rc = batch_parse(p, n, &h, &ls, &nl, e);
	if (rc)
		CHECK(ls == NULL && nl == 0);
	batch_lines_free(ls, nl);
	if (rc == MC_OK)
		return -1;
	CHECK_INT(rc, MC_EINVAL); /* every refusal is of the invalid class */
	/* Both messages, and they differ. */
	CHECK(e->msg[0] && e->vi[0] && strcmp(e->msg, e->vi) != 0);
	return e->id;
}

/* ---- round trips ---- */

static void round_trip(const char *name, size_t n, int64_t base_seq, const char *base_hash)
{
	T_CASE(name);
	batch_event *ev = mc_xcalloc(n, sizeof *ev);
	char(*prev)[65] = mc_xcalloc(n, 65);
	chain(ev, prev, n, base_seq + 1, base_hash);
	batch_hdr h;
	std_hdr(&h, base_seq, base_hash);
	sb plain, z, back;
	mc_err e;
	CHECK_INT(build(&h, ev, n, &plain), MC_OK);
	CHECK(plain.len > 0 && sb_str(&plain)[plain.len - 1] == '\n');
	/* Header first, keys sorted, compact. */
	CHECK(strncmp(sb_str(&plain), "{\"agency\":\"000.31.45.H45\",\"base_hash\":\"", 39) == 0);
	CHECK(strstr(sb_str(&plain), ",\"sent_at\":\"2026-03-02T09:00:00+07:00\",\"v\":1}\n") !=
	      NULL);

	sb_init(&z, SIZE_MAX);
	sb_init(&back, SIZE_MAX);
	CHECK_INT(batch_compress(sb_str(&plain), plain.len, &z, &e), MC_OK);
	CHECK_INT(ZSTD_getFrameContentSize(z.buf, z.len), plain.len);
	CHECK_INT(batch_decompress(z.buf, z.len, APP_SYNC_MAX_PLAIN, &back, &e), MC_OK);
	CHECK_INT(back.len, plain.len);
	CHECK(memcmp(sb_str(&back), sb_str(&plain), plain.len) == 0);
	CHECK_INT(sb_str(&back)[back.len], 0);

	batch_hdr g, want = h;
	want.first = base_seq + 1;
	want.last = base_seq + (int64_t)n;
	want.count = (int64_t)n;
	batch_line *ls = NULL;
	size_t nl = 99;
	CHECK_INT(batch_parse(sb_str(&back), back.len, &g, &ls, &nl, &e), MC_OK);
	CHECK_INT(nl, n);
	CHECK(hdr_eq(&g, &want));
	CHECK_STR(g.agency, "000.31.45.H45");
	CHECK_STR(g.sent_at, "2026-03-02T09:00:00+07:00");
	int same = nl == n;
	for (size_t i = 0; same && i < n; i++) {
		char hash[65];
		MC_IGNORE(ev_hash(ev[i].seq, ev[i].at, ev[i].actor, ev[i].kind, ev[i].dossier,
				  ev[i].payload, ev[i].prev_hash, hash));
		same = ls[i].seq == ev[i].seq && strcmp(ls[i].at, ev[i].at) == 0 &&
		       strcmp(ls[i].actor, ev[i].actor) == 0 &&
		       strcmp(ls[i].kind, ev[i].kind) == 0 &&
		       (ev[i].dossier ? ls[i].dossier && strcmp(ls[i].dossier, ev[i].dossier) == 0
				      : ls[i].dossier == NULL) &&
		       strcmp(ls[i].payload, ev[i].payload ? ev[i].payload : "null") == 0 &&
		       strcmp(ls[i].prev_hash, ev[i].prev_hash) == 0 &&
		       strcmp(ls[i].hash, hash) == 0;
		if (!same)
			fprintf(stderr, "line %zu differs\n", i);
	}
	CHECK(same);
	/* The batch id is the SHA-256 of the uncompressed bytes. */
	char id[65], id2[65];
	batch_sha256_hex(sb_str(&plain), plain.len, id);
	batch_sha256_hex(sb_str(&back), back.len, id2);
	CHECK_STR(id, id2);
	batch_lines_free(ls, nl);
	sb_release(&plain);
	sb_release(&z);
	sb_release(&back);
	free(ev);
	free(prev);
}

static void test_round_trips(void)
{
	round_trip("round trip: one event", 1, 0, EV_ZERO_HASH);
	round_trip("round trip: the rich events (Vietnamese, null dossier, escapes, reals)",
		   MC_ARRAY_LEN(rich), 0, EV_ZERO_HASH);
	round_trip("round trip: 1000 events after seq 5000", 1000, 5000, HASH_A);

	T_CASE("no empty batch: what batch_finish writes for no event is refused");
	batch_hdr h;
	sb plain;
	mc_err e;
	std_hdr(&h, 41, HASH_A);
	CHECK_INT(build(&h, NULL, 0, &plain), MC_OK);
	CHECK(strstr(sb_str(&plain), "\"count\":0,") != NULL);
	CHECK_INT(parse_id(sb_str(&plain), plain.len, &e), MCE_SYNC_BAD_BATCH);
	sb_release(&plain);

	T_CASE("the header's extremes: a 63-byte agency, a 39-byte sent_at, seqs at INT64_MAX");
	batch_event ev[1];
	char prev[1][65];
	chain(ev, prev, 1, INT64_MAX, HASH_A);
	std_hdr(&h, INT64_MAX - 1, HASH_A);
	memset(h.agency, '9', 63);
	h.agency[63] = 0;
	memset(h.sent_at, '~', 39);
	h.sent_at[39] = 0;
	h.chain = INT64_MAX;
	CHECK_INT(build(&h, ev, 1, &plain), MC_OK);
	batch_hdr g;
	batch_line *ls = NULL;
	size_t nl = 0;
	CHECK_INT(batch_parse(sb_str(&plain), plain.len, &g, &ls, &nl, &e), MC_OK);
	h.first = h.last = INT64_MAX;
	h.count = 1;
	CHECK(hdr_eq(&g, &h));
	CHECK_INT(nl, 1);
	batch_lines_free(ls, nl);
	sb_release(&plain);
}

/* ---- bounds ---- */

static void test_bounds(void)
{
	batch_event ev[8];
	char prev[8][65];
	chain(ev, prev, 8, 1, EV_ZERO_HASH);
	size_t len[8];
	for (int i = 0; i < 8; i++) {
		sb s;
		sb_init(&s, SIZE_MAX);
		evenc_line(&s, ev[i].seq, ev[i].at, ev[i].actor, ev[i].kind, ev[i].dossier,
			   ev[i].payload, ev[i].prev_hash);
		len[i] = s.len + 1;
		sb_release(&s);
	}
	/* max_bytes counts the event lines only, '\n' included: the header
	 * is not counted. */
	static const struct {
		const char *name;
		size_t max_bytes; /* when lines is 0 */
		int lines;        /* k: max_bytes is the first k lines; -k: less one byte */
		int max_events, fit;
	} cases[] = {
		{ "max_events 3: the 4th is full", BIG, 0, 3, 3 },
		{ "max_events 1: one event", BIG, 0, 1, 1 },
		{ "max_events 0 counts as 1", BIG, 0, 0, 1 },
		{ "max_events negative counts as 1", BIG, 0, -5, 1 },
		{ "max_bytes tiny: the first still goes, alone", 10, 0, 100, 1 },
		{ "max_bytes 0: the first still goes, alone", 0, 0, 100, 1 },
		{ "max_bytes exactly one line", 0, 1, 100, 1 },
		{ "max_bytes exactly three lines", 0, 3, 100, 3 },
		{ "max_bytes one byte short of three lines", 0, -3, 100, 2 },
		{ "max_bytes exactly all eight lines", 0, 8, 100, 8 },
		{ "both bounds: events first", BIG, 0, 5, 5 },
		{ "both bounds: bytes first", 0, 4, 6, 4 },
		{ "everything fits", BIG, 0, 100, 8 },
		{ "max_bytes SIZE_MAX: no byte bound", SIZE_MAX, 0, 100, 8 },
	};
	for (size_t c = 0; c < MC_ARRAY_LEN(cases); c++) {
		T_CASE(cases[c].name);
		size_t max = cases[c].max_bytes;
		int k = cases[c].lines < 0 ? -cases[c].lines : cases[c].lines;
		if (k > 0) {
			max = 0;
			for (int i = 0; i < k; i++)
				max += len[i];
			if (cases[c].lines < 0)
				max--;
		}
		batch_builder b;
		mc_err e;
		batch_init(&b, max, cases[c].max_events);
		int added = 0, rc = MC_OK;
		for (int i = 0; i < 8; i++) {
			rc = batch_add(&b, &ev[i]);
			if (rc)
				break;
			added++;
		}
		CHECK_INT(added, cases[c].fit);
		CHECK_INT(rc, added < 8 ? BATCH_FULL : MC_OK);
		if (added < 8) /* full stays full, and adds nothing */
			CHECK_INT(batch_add(&b, &ev[added]), BATCH_FULL);
		batch_hdr h;
		sb plain;
		std_hdr(&h, 0, EV_ZERO_HASH);
		sb_init(&plain, BIG);
		CHECK_INT(batch_finish(&b, &h, &plain, &e), MC_OK);
		size_t want = 0;
		for (int i = 0; i < added; i++)
			want += len[i];
		const char *nl1 = memchr(sb_str(&plain), '\n', plain.len);
		CHECK(nl1 != NULL);
		if (nl1)
			CHECK_INT(plain.len - (size_t)(nl1 + 1 - sb_str(&plain)), want);
		if (added > 1)
			CHECK(want <= max);
		batch_hdr g;
		batch_line *ls = NULL;
		size_t nl = 0;
		CHECK_INT(batch_parse(sb_str(&plain), plain.len, &g, &ls, &nl, &e), MC_OK);
		CHECK_INT(nl, added);
		CHECK_INT(g.count, added);
		CHECK_INT(g.first, 1);
		CHECK_INT(g.last, added);
		batch_lines_free(ls, nl);
		sb_release(&plain);
		batch_release(&b);
	}

	T_CASE("BATCH_FULL is not an error class: the caller tells it from MC_EINVAL");
	CHECK(BATCH_FULL != MC_OK && BATCH_FULL != MC_EINVAL);

	T_CASE("a batch continues where a full one stopped");
	batch_builder b;
	mc_err e;
	batch_init(&b, BIG, 3);
	for (int i = 3; i < 6; i++)
		CHECK_INT(batch_add(&b, &ev[i]), MC_OK);
	CHECK_INT(batch_add(&b, &ev[6]), BATCH_FULL);
	batch_hdr h;
	sb plain;
	std_hdr(&h, 3, ev[3].prev_hash);
	sb_init(&plain, BIG);
	CHECK_INT(batch_finish(&b, &h, &plain, &e), MC_OK);
	batch_hdr g;
	batch_line *ls = NULL;
	size_t nl = 0;
	CHECK_INT(batch_parse(sb_str(&plain), plain.len, &g, &ls, &nl, &e), MC_OK);
	CHECK_INT(g.first, 4);
	CHECK_INT(g.last, 6);
	CHECK_INT(nl, 3);
	if (nl == 3)
		CHECK_STR(ls[0].prev_hash, ev[3].prev_hash);
	batch_lines_free(ls, nl);
	sb_release(&plain);

	T_CASE("batch_finish into a buffer too small: sync.bad_batch");
	sb_init(&plain, 100);
	e.id = -1;
	CHECK_INT(batch_finish(&b, &h, &plain, &e), MC_EINVAL);
	CHECK_INT(e.id, MCE_SYNC_BAD_BATCH);
	sb_release(&plain);
	batch_release(&b);
}

/* ---- what the builder refuses, and what it leaves to the hub ---- */

static void test_builder(void)
{
	batch_event ev[3];
	char prev[3][65];
	chain(ev, prev, 3, 10, HASH_A);
	/* Event 2 of a batch of two, broken one way: add's answer, then the
	 * hub's (batch_parse) when add took it; -1: accepted. */
	static const struct {
		const char *name;
		int field;
		const char *value;
		int add_rc, parse;
	} cases[] = {
		{ "seq gap", 0, NULL, MC_EINVAL, 0 },
		{ "seq repeated", 1, NULL, MC_EINVAL, 0 },
		{ "seq 0", 6, NULL, MC_EINVAL, 0 },
		{ "at not UTF-8", 7, "\xff", MC_EINVAL, 0 },
		{ "actor not UTF-8", 3, "\xff", MC_EINVAL, 0 },
		{ "kind not UTF-8", 8, "\xed\xa0\x80", MC_EINVAL, 0 },
		{ "dossier not UTF-8", 4, "a\xc3", MC_EINVAL, 0 },
		{ "prev_hash not UTF-8", 2, "\xc0\x80", MC_EINVAL, 0 },
		/* add takes these; the hub refuses them */
		{ "prev_hash not the hash before", 2, HASH_A, MC_OK, MCE_SYNC_CHAIN_BROKEN },
		{ "prev_hash upper case", 2,
		  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", MC_OK,
		  MCE_SYNC_BAD_BATCH },
		{ "prev_hash short", 2, "aa", MC_OK, MCE_SYNC_BAD_BATCH },
		{ "prev_hash NULL", 2, NULL, MC_OK, MCE_SYNC_BAD_BATCH },
		{ "actor NULL", 3, NULL, MC_OK, MCE_SYNC_BAD_BATCH },
		{ "payload not JSON", 5, "{", MC_OK, MCE_SYNC_BAD_BATCH },
		{ "payload empty", 5, "", MC_OK, MCE_SYNC_BAD_BATCH },
		{ "payload two values", 5, "1,2", MC_OK, MCE_SYNC_BAD_BATCH },
		{ "payload with a newline", 5, "{}\n", MC_OK, MCE_SYNC_BAD_BATCH },
		{ "payload duplicate keys", 5, "{\"a\":1,\"a\":1}", MC_OK, MCE_SYNC_BAD_BATCH },
		{ "payload not UTF-8", 5, "\"\xff\"", MC_OK, MCE_SYNC_BAD_BATCH },
		/* the payload goes as the log holds it: the hub hashes bytes */
		{ "payload with a space", 5, "{\"a\": 1}", MC_OK, -1 },
		{ "payload keys out of order", 5, "{\"b\":1,\"a\":2}", MC_OK, -1 },
		{ "payload with an escape", 5, "\"\\u00e9\\/\"", MC_OK, -1 },
		{ "payload number written otherwise", 5, "5e4", MC_OK, -1 },
		{ "payload between spaces", 5, " {} ", MC_OK, -1 },
		{ "payload null", 5, NULL, MC_OK, -1 },
		{ "dossier NULL", 4, NULL, MC_OK, -1 },
	};
	for (size_t c = 0; c < MC_ARRAY_LEN(cases); c++) {
		T_CASE(cases[c].name);
		batch_builder b;
		mc_err e;
		batch_init(&b, BIG, 100);
		batch_event x = ev[1];
		switch (cases[c].field) {
		case 0:
			x.seq = 12;
			break;
		case 1:
			x.seq = 10;
			break;
		case 2:
			x.prev_hash = cases[c].value;
			break;
		case 3:
			x.actor = cases[c].value;
			break;
		case 4:
			x.dossier = cases[c].value;
			break;
		case 5:
			x.payload = cases[c].value;
			break;
		case 6:
			x.seq = 0;
			break;
		case 7:
			x.at = cases[c].value;
			break;
		case 8:
			x.kind = cases[c].value;
			break;
		}
		CHECK_INT(batch_add(&b, &ev[0]), MC_OK);
		int rc = batch_add(&b, &x);
		CHECK_INT(rc, cases[c].add_rc);
		if (rc) /* nothing was added: the good event 2 still goes */
			CHECK_INT(batch_add(&b, &ev[1]), MC_OK);
		batch_hdr h;
		sb plain;
		std_hdr(&h, 9, HASH_A);
		sb_init(&plain, BIG);
		CHECK_INT(batch_finish(&b, &h, &plain, &e), MC_OK);
		batch_line *ls = NULL;
		size_t nl = 0;
		batch_hdr g;
		rc = batch_parse(sb_str(&plain), plain.len, &g, &ls, &nl, &e);
		if (cases[c].parse > 0) {
			CHECK_INT(rc, MC_EINVAL);
			CHECK_INT(e.id, cases[c].parse);
		} else {
			/* The hub's hash of each line is the node's ev_hash. */
			const batch_event *sent = cases[c].parse < 0 ? &x : &ev[1];
			char want[65];
			CHECK_INT(ev_hash(sent->seq, sent->at, sent->actor, sent->kind,
					  sent->dossier, sent->payload, sent->prev_hash, want),
				  MC_OK);
			CHECK_INT(rc, MC_OK);
			CHECK_INT(nl, 2);
			if (nl == 2) {
				CHECK_STR(ls[1].hash, want);
				CHECK_STR(ls[1].payload, sent->payload ? sent->payload : "null");
				CHECK(sent->dossier ? ls[1].dossier &&
							      !strcmp(ls[1].dossier, sent->dossier)
						    : ls[1].dossier == NULL);
			}
		}
		batch_lines_free(ls, nl);
		sb_release(&plain);
		batch_release(&b);
	}

	/* The header as batch_finish writes it from h: it writes what it is
	 * given (but strings that are not UTF-8), and the hub refuses what is
	 * out of form. */
	static const struct {
		const char *name, *field, *value;
		int finish, parse; /* MC_E* of batch_finish; MCE_* of batch_parse, -1: accepted */
	} hdrs[] = {
		{ "key upper-case hex", "key",
		  "3D4017C3E843895A92B70AA74D1B7EBC9C982CCF2EC4968CC0CD55F12AF4660C", MC_OK,
		  MCE_SYNC_BAD_BATCH },
		{ "key short", "key", "3d40", MC_OK, MCE_SYNC_BAD_BATCH },
		{ "key empty", "key", "", MC_OK, MCE_SYNC_BAD_BATCH },
		{ "epoch short", "epoch", "0123", MC_OK, MCE_SYNC_BAD_BATCH },
		{ "epoch not hex", "epoch", "0123456789abcdef0123456789abcdeg", MC_OK,
		  MCE_SYNC_BAD_BATCH },
		{ "base_hash not hex", "base_hash", "zz", MC_OK, MCE_SYNC_BAD_BATCH },
		{ "base_seq negative", "base_seq", "-1", MC_OK, MCE_SYNC_BAD_BATCH },
		{ "chain 0", "chain", "0", MC_OK, MCE_SYNC_BAD_BATCH },
		{ "chain negative", "chain", "-1", MC_OK, MCE_SYNC_BAD_BATCH },
		{ "v 2", "v", "2", MC_OK, MCE_SYNC_BAD_BATCH },
		{ "v 0", "v", "0", MC_OK, MCE_SYNC_BAD_BATCH },
		{ "agency not UTF-8", "agency", "000\xff", MC_EINVAL, 0 },
		{ "sent_at not UTF-8", "sent_at", "2026\xc3", MC_EINVAL, 0 },
		{ "sent_at with a quote and a newline: escaped", "sent_at", "2026\"\n\\", MC_OK,
		  -1 },
		{ "base_hash not the first event's prev_hash: the hub's check", "base_hash",
		  EV_ZERO_HASH, MC_OK, -1 },
	};
	for (size_t c = 0; c < MC_ARRAY_LEN(hdrs); c++) {
		T_CASE(hdrs[c].name);
		batch_builder b;
		batch_hdr h;
		sb plain;
		mc_err e;
		batch_init(&b, BIG, 100);
		CHECK_INT(batch_add(&b, &ev[0]), MC_OK);
		std_hdr(&h, 9, HASH_A);
		const char *f = hdrs[c].field, *v = hdrs[c].value;
		if (strcmp(f, "agency") == 0)
			snprintf(h.agency, sizeof h.agency, "%s", v);
		else if (strcmp(f, "key") == 0)
			snprintf(h.key, sizeof h.key, "%s", v);
		else if (strcmp(f, "epoch") == 0)
			snprintf(h.epoch, sizeof h.epoch, "%s", v);
		else if (strcmp(f, "base_hash") == 0)
			snprintf(h.base_hash, sizeof h.base_hash, "%s", v);
		else if (strcmp(f, "sent_at") == 0)
			snprintf(h.sent_at, sizeof h.sent_at, "%s", v);
		else if (strcmp(f, "base_seq") == 0)
			h.base_seq = strtoll(v, NULL, 10);
		else if (strcmp(f, "chain") == 0)
			h.chain = strtoll(v, NULL, 10);
		else
			h.v = (int)strtol(v, NULL, 10);
		sb_init(&plain, BIG);
		e.id = -1;
		int rc = batch_finish(&b, &h, &plain, &e);
		CHECK_INT(rc, hdrs[c].finish);
		if (rc) {
			CHECK_INT(e.id, MCE_SYNC_BAD_BATCH);
		} else {
			batch_hdr g;
			batch_line *ls = NULL;
			size_t nl = 0;
			rc = batch_parse(sb_str(&plain), plain.len, &g, &ls, &nl, &e);
			if (hdrs[c].parse < 0) {
				CHECK_INT(rc, MC_OK);
				h.first = h.last = 10;
				h.count = 1;
				CHECK(hdr_eq(&g, &h));
				/* the caller checks the first link */
				if (nl == 1)
					CHECK_STR(ls[0].prev_hash, HASH_A);
			} else {
				CHECK_INT(rc, MC_EINVAL);
				CHECK_INT(e.id, hdrs[c].parse);
			}
			batch_lines_free(ls, nl);
		}
		sb_release(&plain);
		batch_release(&b);
	}
}

/* ---- what the parser refuses ---- */

/* A valid batch of the first four rich events after base 0. OUT: text
 * (caller frees), the event lines' hashes. */
static char *good_batch(char hashes[4][65])
{
	batch_event ev[4];
	char prev[4][65];
	chain(ev, prev, 4, 1, EV_ZERO_HASH);
	batch_hdr h;
	sb plain;
	std_hdr(&h, 0, EV_ZERO_HASH);
	MC_IGNORE(build(&h, ev, 4, &plain));
	for (int i = 0; hashes && i < 4; i++)
		MC_IGNORE(ev_hash(ev[i].seq, ev[i].at, ev[i].actor, ev[i].kind, ev[i].dossier,
				  ev[i].payload, ev[i].prev_hash, hashes[i]));
	return sb_take(&plain);
}

/* The batch's text with event line `line` (1 = the first event) made
 * again by evenc_line from the fields of its parse with one change, the
 * later lines re-chained so that only the change can be refused. */
static char *rechain(const char *text, int line, int64_t seq_delta, const char *payload,
		     const char *prev)
{
	batch_hdr h;
	batch_line *ls = NULL;
	size_t nl = 0;
	mc_err e;
	if (batch_parse(text, strlen(text), &h, &ls, &nl, &e))
		return NULL;
	sb o;
	sb_init(&o, SIZE_MAX);
	const char *nlp = strchr(text, '\n');
	sb_addn(&o, text, (size_t)(nlp - text + 1));
	char last[65] = "";
	for (size_t i = 0; i < nl; i++) {
		sb s;
		sb_init(&s, SIZE_MAX);
		int me = (int)i + 1 == line;
		const char *pv = me && prev ? prev : i == 0 ? ls[0].prev_hash : last;
		evenc_line(&s, ls[i].seq + (me ? seq_delta : 0), ls[i].at, ls[i].actor, ls[i].kind,
			   ls[i].dossier, me && payload ? payload : ls[i].payload, pv);
		evenc_sha256_hex(sb_str(&s), s.len, last);
		sb_addn(&o, sb_str(&s), s.len);
		sb_addc(&o, '\n');
		sb_release(&s);
	}
	batch_lines_free(ls, nl);
	return sb_take(&o);
}

static void test_parse(void)
{
	char hashes[4][65];
	char *good = good_batch(hashes);
	mc_err e;
	T_CASE("the good batch parses, its hashes those of ev_hash");
	batch_hdr h;
	batch_line *ls = NULL;
	size_t nl = 0;
	CHECK_INT(batch_parse(good, strlen(good), &h, &ls, &nl, &e), MC_OK);
	CHECK_INT(nl, 4);
	for (size_t i = 0; i < nl && i < 4; i++)
		CHECK_STR(ls[i].hash, hashes[i]);
	if (nl == 4) {
		CHECK(ls[0].dossier == NULL);
		CHECK_STR(ls[1].dossier, CODE);
		CHECK_STR(ls[3].payload, "null");
		CHECK_STR(ls[1].actor, "tiepnhan");
		CHECK_STR(ls[0].prev_hash, EV_ZERO_HASH);
		CHECK_STR(ls[2].prev_hash, hashes[1]);
	}
	batch_lines_free(ls, nl);

#define HDR_OK "\"base_seq\":0,\"chain\":1,\"count\":4"
#define LINE2 "[2,\"2026-03-02T08:01:00+07:00\","
#define Z51 "000000000000000000000000000000000000000000000000000"
	static const struct {
		const char *name, *from, *to;
		int id; /* MCE_*; -1: accepted */
	} cases[] = {
		/* the header */
		{ "header: key missing", "\"chain\":1,", "", MCE_SYNC_BAD_BATCH },
		{ "header: unknown key", "{\"agency\"", "{\"a\":1,\"agency\"", MCE_SYNC_BAD_BATCH },
		{ "header: unknown key at the end", ",\"v\":1}", ",\"v\":1,\"zz\":0}",
		  MCE_SYNC_BAD_BATCH },
		{ "header: key replaced", "\"chain\":1", "\"chaim\":1", MCE_SYNC_BAD_BATCH },
		{ "header: duplicate key", "\"chain\":1,", "\"chain\":1,\"chain\":1,",
		  MCE_SYNC_BAD_BATCH },
		{ "header: base_seq a string", "\"base_seq\":0", "\"base_seq\":\"0\"",
		  MCE_SYNC_BAD_BATCH },
		{ "header: v a real", "\"v\":1}", "\"v\":1.0}", MCE_SYNC_BAD_BATCH },
		{ "header: v 2", "\"v\":1}", "\"v\":2}", MCE_SYNC_BAD_BATCH },
		{ "header: v huge", "\"v\":1}", "\"v\":4294967297}", MCE_SYNC_BAD_BATCH },
		{ "header: key null", "\"key\":\"" KEY "\"", "\"key\":null", MCE_SYNC_BAD_BATCH },
		{ "header: key upper case", "\"key\":\"3d", "\"key\":\"3D", MCE_SYNC_BAD_BATCH },
		{ "header: key one digit short", "\"key\":\"3d", "\"key\":\"3", MCE_SYNC_BAD_BATCH },
		{ "header: epoch not hex", "\"epoch\":\"01", "\"epoch\":\"0g", MCE_SYNC_BAD_BATCH },
		{ "header: base_hash upper case", "\"base_hash\":\"0", "\"base_hash\":\"A",
		  MCE_SYNC_BAD_BATCH },
		{ "header: agency 64 bytes", "\"agency\":\"", "\"agency\":\"" Z51,
		  MCE_SYNC_BAD_BATCH },
		{ "header: agency an escape", "H45\"", "H\\u00345\"", MCE_SYNC_BAD_BATCH },
		{ "header: sent_at 40 bytes", "\"sent_at\":\"", "\"sent_at\":\"000000000000000",
		  MCE_SYNC_BAD_BATCH },
		{ "header: a space after a colon", "\"chain\":1", "\"chain\": 1",
		  MCE_SYNC_BAD_BATCH },
		{ "header: a space at the start", "{\"agency\"", " {\"agency\"",
		  MCE_SYNC_BAD_BATCH },
		{ "header: keys out of order", "\"base_seq\":0,\"chain\":1",
		  "\"chain\":1,\"base_seq\":0", MCE_SYNC_BAD_BATCH },
		{ "header: an array", "{\"agency\"", "[{\"agency\"", MCE_SYNC_BAD_BATCH },
		{ "header: count 5 with last 4", HDR_OK, "\"base_seq\":0,\"chain\":1,\"count\":5",
		  MCE_SYNC_BAD_BATCH },
		{ "header: count negative", "\"count\":4", "\"count\":-1", MCE_SYNC_BAD_BATCH },
		{ "header: count a real", "\"count\":4", "\"count\":4.0", MCE_SYNC_BAD_BATCH },
		{ "header: first 0", "\"first\":1", "\"first\":0", MCE_SYNC_BAD_BATCH },
		{ "header: first at INT64_MAX, last past it", "\"first\":1",
		  "\"first\":9223372036854775807", MCE_SYNC_BAD_BATCH },
		{ "header: first at INT64_MAX - 3, first + count past it", "\"first\":1",
		  "\"first\":9223372036854775804", MCE_SYNC_BAD_BATCH },
		{ "header: first past INT64_MAX", "\"first\":1", "\"first\":9223372036854775808",
		  MCE_SYNC_BAD_BATCH },
		{ "header: base_seq negative", "\"base_seq\":0", "\"base_seq\":-1",
		  MCE_SYNC_BAD_BATCH },
		{ "header: chain 0", "\"chain\":1", "\"chain\":0", MCE_SYNC_BAD_BATCH },
		{ "header: chain negative", "\"chain\":1", "\"chain\":-1", MCE_SYNC_BAD_BATCH },
		/* lines */
		{ "CRLF line ends", "}\n", "}\r\n", MCE_SYNC_BAD_BATCH },
		{ "an empty line", "}\n", "}\n\n", MCE_SYNC_BAD_BATCH },
		{ "a NUL byte", "tiepnhan", "tiep\0han", MCE_SYNC_BAD_BATCH },
		{ "event line not JSON", LINE2, "[2,\"2026-03-02T08:01:00+07:00\"",
		  MCE_SYNC_BAD_BATCH },
		{ "event line an object", LINE2, "{\"a\":2,\"2026-03-02T08:01:00+07:00\",",
		  MCE_SYNC_BAD_BATCH },
		{ "event line: seq a string", LINE2, "[\"2\",\"2026-03-02T08:01:00+07:00\",",
		  MCE_SYNC_BAD_BATCH },
		{ "event line: seq a real", LINE2, "[2.0,\"2026-03-02T08:01:00+07:00\",",
		  MCE_SYNC_BAD_BATCH },
		{ "event line: seq written otherwise", LINE2, "[02,\"2026-03-02T08:01:00+07:00\",",
		  MCE_SYNC_BAD_BATCH },
		{ "event line: at null", LINE2, "[2,null,", MCE_SYNC_BAD_BATCH },
		{ "event line: 8 elements", LINE2, "[2,\"x\",\"2026-03-02T08:01:00+07:00\",",
		  MCE_SYNC_BAD_BATCH },
		{ "event line: 6 elements", "[2,\"2026-03-02T08:01:00+07:00\",\"tiepnhan\",",
		  "[2,\"2026-03-02T08:01:00+07:00\",", MCE_SYNC_BAD_BATCH },
		{ "event line: dossier a number", "\"dossier.received\",\"" CODE "\"",
		  "\"dossier.received\",1", MCE_SYNC_BAD_BATCH },
		{ "event line: a space after a comma", LINE2, "[2, \"2026-03-02T08:01:00+07:00\",",
		  MCE_SYNC_BAD_BATCH },
		{ "event line: a space before the payload", "\"node.created\",null,{",
		  "\"node.created\",null, {", MCE_SYNC_CHAIN_BROKEN },
		{ "event line: bytes after the array", "]\n[3", "]x\n[3", MCE_SYNC_BAD_BATCH },
		{ "event line: trailing space", "]\n[3", "] \n[3", MCE_SYNC_BAD_BATCH },
		{ "event line: a letter escaped", "\"tiepnhan\"", "\"ti\\u0065pnhan\"",
		  MCE_SYNC_BAD_BATCH },
		{ "event line: slash escaped in a string field", "\"dossier.note\"",
		  "\"dossier.note\\/\"", MCE_SYNC_BAD_BATCH },
		{ "event line: not UTF-8", "tiepnhan", "tiepnh\xff", MCE_SYNC_BAD_BATCH },
		{ "event line: prev_hash upper case", ZERO_END, ",\"A" ZERO63 "\"]",
		  MCE_SYNC_BAD_BATCH },
		{ "event line: prev_hash short", ZERO_END, ",\"" ZERO63 "\"]", MCE_SYNC_BAD_BATCH },
		{ "event line: prev_hash null", ZERO_END, ",null]", MCE_SYNC_BAD_BATCH },
		{ "event line: payload duplicate key", "\"fee\":50000}",
		  "\"fee\":50000,\"fee\":50000}", MCE_SYNC_BAD_BATCH },
		/* A payload is taken as sent, any JSON: written otherwise, its
		 * bytes hash otherwise and the next line's link breaks. */
		{ "payload: slash escaped", "\\\\ /", "\\\\ \\/", MCE_SYNC_CHAIN_BROKEN },
		{ "payload: Vietnamese escaped", "Kim B\xc3\xb4i", "Kim B\\u00f4i",
		  MCE_SYNC_CHAIN_BROKEN },
		{ "payload: keys out of order",
		  "{\"applicant\":{\"name\":\"Nguyễn Văn Đạt\",\"phone\":\"0912345678\"},\"fee\":50000}",
		  "{\"fee\":50000,\"applicant\":{\"name\":\"Nguyễn Văn Đạt\",\"phone\":\"0912345678\"}}",
		  MCE_SYNC_CHAIN_BROKEN },
		{ "payload: a number written otherwise", "\"fee\":50000}", "\"fee\":5e4}",
		  MCE_SYNC_CHAIN_BROKEN },
		{ "payload: of the last line, otherwise: only the signature sees it",
		  "\"dossier.approved\",\"" CODE "\",null,",
		  "\"dossier.approved\",\"" CODE "\",{},", -1 },
		/* the chain */
		{ "flipped byte in a payload", "Nguyễn Văn Đạt", "Nguyễn Văn Đạu",
		  MCE_SYNC_CHAIN_BROKEN },
		{ "flipped byte in an actor", "\"tiepnhan\"", "\"tiepnhao\"",
		  MCE_SYNC_CHAIN_BROKEN },
		{ "flipped byte in a seq-1 prev_hash", ZERO_END, ",\"1" ZERO63 "\"]",
		  MCE_SYNC_CHAIN_BROKEN },
	};
	for (size_t c = 0; c < MC_ARRAY_LEN(cases); c++) {
		T_CASE(cases[c].name);
		/* "a NUL byte" is one byte longer than its C string says. */
		int nul = strcmp(cases[c].name, "a NUL byte") == 0;
		char *t = subst(good, cases[c].from, nul ? "tiepXhan" : cases[c].to);
		CHECK(t != NULL);
		if (!t)
			continue;
		size_t n = strlen(t);
		if (nul)
			strstr(t, "tiepXhan")[4] = 0;
		e.id = 0;
		CHECK_INT(parse_id(t, n, &e), cases[c].id);
		free(t);
	}

	T_CASE("header: count 0 (and last = first - 1): no empty batch");
	char *t = subst(good, "\"count\":4", "\"count\":0");
	char *t2 = t ? subst(t, "\"last\":4", "\"last\":0") : NULL;
	CHECK(t2 != NULL);
	if (t2) {
		char *end = strchr(t2, '\n');
		CHECK_INT(parse_id(t2, (size_t)(end + 1 - t2), &e), MCE_SYNC_BAD_BATCH);
	}
	free(t);
	free(t2);

	T_CASE("header: count 5 and last 5 over four lines");
	t = subst(good, "\"count\":4", "\"count\":5");
	t2 = t ? subst(t, "\"last\":4", "\"last\":5") : NULL;
	CHECK(t2 != NULL);
	if (t2) {
		CHECK_INT(parse_id(t2, strlen(t2), &e), MCE_SYNC_BAD_BATCH);
		CHECK(strstr(e.msg, "says 5 events, the batch has 4 lines") != NULL);
	}
	free(t);
	free(t2);

	T_CASE("last line without its newline; and nothing at all");
	CHECK_INT(parse_id(good, strlen(good) - 1, &e), MCE_SYNC_BAD_BATCH);
	CHECK(strstr(e.msg, "newline") != NULL);
	CHECK_INT(parse_id(good, 0, &e), MCE_SYNC_BAD_BATCH);
	CHECK_INT(parse_id("\n", 1, &e), MCE_SYNC_BAD_BATCH);
	CHECK_INT(parse_id("{}\n", 3, &e), MCE_SYNC_BAD_BATCH);

	T_CASE("a line missing, a line too many");
	t = mc_xstrdup(good);
	t[strlen(t) - 1] = 0;
	*(strrchr(t, '\n') + 1) = 0; /* drop line 5 */
	CHECK_INT(parse_id(t, strlen(t), &e), MCE_SYNC_BAD_BATCH);
	CHECK(strstr(e.msg, "says 4 events, the batch has 3 lines") != NULL);
	free(t);
	sb o;
	sb_init(&o, SIZE_MAX);
	sb_add(&o, good);
	sb_add(&o, strrchr(good, '['));
	CHECK_INT(parse_id(sb_str(&o), o.len, &e), MCE_SYNC_BAD_BATCH);
	CHECK(strstr(e.msg, "says 4 events, the batch has 5 lines") != NULL);
	sb_release(&o);

	static const struct {
		const char *name;
		int line;
		int64_t seq_delta;
		const char *payload, *prev;
		int id;
		const char *says;
	} re[] = {
		{ "re-chained: nothing changed", 2, 0, NULL, NULL, -1, NULL },
		{ "re-chained: a seq gap inside", 3, 1, NULL, NULL, MCE_SYNC_BAD_BATCH,
		  "line 4 carries event 4, expected 3" },
		{ "re-chained: seq repeated", 2, -1, NULL, NULL, MCE_SYNC_BAD_BATCH,
		  "line 3 carries event 1, expected 2" },
		{ "re-chained: seq at the end past last", 4, 1, NULL, NULL, MCE_SYNC_BAD_BATCH,
		  "line 5 carries event 5, expected 4" },
		{ "re-chained: the first seq before first", 1, -1, NULL, NULL, MCE_SYNC_BAD_BATCH,
		  "line 2 carries event 0, expected 1" },
		{ "re-chained: another payload", 2, 0, "{\"x\":1}", NULL, -1, NULL },
		{ "re-chained: a payload with spaces", 2, 0, " { \"b\" : 1 , \"a\" : [ ] } ", NULL,
		  -1, NULL },
		{ "re-chained: a payload 5e4", 2, 0, "5e4", NULL, -1, NULL },
		{ "re-chained: a payload with escapes", 2, 0, "\"\\u00e9\\/\"", NULL, -1, NULL },
		{ "re-chained: a payload with duplicate keys", 2, 0, "{\"a\":1,\"a\":2}", NULL,
		  MCE_SYNC_BAD_BATCH, NULL },
		{ "re-chained: a payload of two values", 2, 0, "1,2", NULL, MCE_SYNC_BAD_BATCH,
		  NULL },
		{ "re-chained: a payload not JSON", 2, 0, "{", NULL, MCE_SYNC_BAD_BATCH, NULL },
		{ "re-chained: a bad link inside", 3, 0, NULL, HASH_A, MCE_SYNC_CHAIN_BROKEN,
		  "event 3 does not link to the hash of event 2" },
		{ "re-chained: a bad link at the end", 4, 0, NULL, EV_ZERO_HASH,
		  MCE_SYNC_CHAIN_BROKEN, "event 4 does not link to the hash of event 3" },
		{ "re-chained: the first link is the caller's", 1, 0, NULL, HASH_A, -1, NULL },
	};
	for (size_t c = 0; c < MC_ARRAY_LEN(re); c++) {
		T_CASE(re[c].name);
		t = rechain(good, re[c].line, re[c].seq_delta, re[c].payload, re[c].prev);
		CHECK(t != NULL);
		if (!t)
			continue;
		e.id = 0;
		CHECK_INT(parse_id(t, strlen(t), &e), re[c].id);
		if (re[c].says && !strstr(e.msg, re[c].says))
			fprintf(stderr, "message: %s\n", e.msg);
		CHECK(!re[c].says || strstr(e.msg, re[c].says) != NULL);
		CHECK(!re[c].says || strstr(e.vi, "sự kiện") != NULL);
		free(t);
	}

	T_CASE("no single-bit flip goes unnoticed: refused, or another header or last hash");
	/* Only the signature protects the header's values and the last line
	 * (no line after it chains to it); every other change is refused. */
	size_t n = strlen(good), unnoticed = 0, refused = 0;
	size_t last_start = (size_t)(strrchr(good, '[') - good);
	t = mc_xstrdup(good);
	for (size_t i = 0; i < n; i++) {
		for (int bit = 0; bit < 8; bit++) {
			t[i] ^= (char)(1 << bit);
			batch_hdr g;
			ls = NULL;
			nl = 0;
			if (batch_parse(t, n, &g, &ls, &nl, &e) != MC_OK) {
				refused++;
			} else if (hdr_eq(&g, &h) && nl == 4 && strcmp(ls[3].hash, hashes[3]) == 0) {
				unnoticed++;
				fprintf(stderr, "flip of bit %d at %zu unnoticed\n", bit, i);
			} else if (i > strcspn(good, "\n") && i < last_start) {
				unnoticed++; /* a middle line: the chain must refuse it */
				fprintf(stderr, "flip of bit %d at %zu accepted\n", bit, i);
			}
			batch_lines_free(ls, nl);
			t[i] ^= (char)(1 << bit);
		}
	}
	CHECK_INT(unnoticed, 0);
	CHECK(refused > n * 6);
	free(t);
	free(good);
}

/* ---- zstd ---- */

/* A frame of n bytes without its content size. OUT: z, initialised here. */
static void compress_unsized(const void *p, size_t n, sb *z)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	MC_IGNORE(ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 0)));
	size_t cap = ZSTD_compressBound(n);
	char *buf = mc_xmalloc(cap);
	ZSTD_inBuffer in = { p, n, 0 };
	ZSTD_outBuffer out = { buf, cap, 0 };
	size_t r = ZSTD_compressStream2(c, &out, &in, ZSTD_e_end);
	ZSTD_freeCCtx(c);
	sb_init(z, SIZE_MAX);
	if (r == 0)
		sb_addn(z, buf, out.pos);
	free(buf);
}

static void test_zstd(void)
{
	mc_err e;
	char *good = good_batch(NULL);
	size_t gn = strlen(good);
	sb z, zu, back;
	sb_init(&z, SIZE_MAX);
	CHECK_INT(batch_compress(good, gn, &z, &e), MC_OK);
	compress_unsized(good, gn, &zu);

	T_CASE("one frame, level 3, with its content size");
	CHECK(z.len > 0 && z.len < gn);
	CHECK_INT(ZSTD_getFrameContentSize(z.buf, z.len), gn);
	CHECK_INT(ZSTD_findFrameCompressedSize(z.buf, z.len), z.len);
	char *lvl3 = mc_xmalloc(ZSTD_compressBound(gn));
	size_t l3 = ZSTD_compress(lvl3, ZSTD_compressBound(gn), good, gn, 3);
	CHECK(l3 == z.len && memcmp(lvl3, z.buf, l3) == 0);
	free(lvl3);

	T_CASE("exactly max_plain is taken");
	sb_init(&back, SIZE_MAX);
	CHECK_INT(batch_decompress(z.buf, z.len, gn, &back, &e), MC_OK);
	CHECK(back.len == gn && memcmp(sb_str(&back), good, gn) == 0);
	sb_release(&back);

	T_CASE("batch_compress into a buffer too small: sync.bad_batch");
	sb small;
	sb_init(&small, 10);
	e.id = -1;
	CHECK_INT(batch_compress(good, gn, &small, &e), MC_EINVAL);
	CHECK_INT(e.id, MCE_SYNC_BAD_BATCH);
	sb_release(&small);

	T_CASE("the empty body compresses to a frame of size 0");
	sb z0;
	sb_init(&z0, SIZE_MAX);
	CHECK_INT(batch_compress("", 0, &z0, &e), MC_OK);
	sb_init(&back, SIZE_MAX);
	CHECK_INT(batch_decompress(z0.buf, z0.len, 10, &back, &e), MC_OK);
	CHECK_INT(back.len, 0);
	CHECK_STR(sb_str(&back), "");
	sb_release(&back);
	sb_release(&z0);

	/* A bomb: 9 MiB of zeros compress to a few hundred bytes. */
	size_t big = APP_SYNC_MAX_PLAIN + 1024 * 1024;
	char *zeros = mc_xcalloc(big, 1);
	sb zb, zbu;
	sb_init(&zb, SIZE_MAX);
	CHECK_INT(batch_compress(zeros, big, &zb, &e), MC_OK);
	compress_unsized(zeros, big, &zbu);
	CHECK(zb.len < 4096 && zbu.len < 4096 && zbu.len > 0);
	free(zeros);

	const unsigned char skippable[] = { 0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'a', 'b', 'c' };
	const unsigned char gz[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	sb two, trail, trailu, skip_then;
	sb_init(&two, SIZE_MAX);
	sb_addn(&two, z.buf, z.len);
	sb_addn(&two, z.buf, z.len);
	sb_init(&trail, SIZE_MAX);
	sb_addn(&trail, z.buf, z.len);
	sb_addc(&trail, 'x');
	sb_init(&trailu, SIZE_MAX);
	sb_addn(&trailu, zu.buf, zu.len);
	sb_addn(&trailu, "\0\0\0", 3);
	sb_init(&skip_then, SIZE_MAX);
	sb_addn(&skip_then, (const char *)skippable, sizeof skippable);
	sb_addn(&skip_then, z.buf, z.len);
	const struct {
		const char *name;
		const void *p;
		size_t n, max;
		const char *says;
	} cases[] = {
		{ "a bomb that declares its size", zb.buf, zb.len, APP_SYNC_MAX_PLAIN,
		  "more than 8388608" },
		{ "a bomb without its size", zbu.buf, zbu.len, APP_SYNC_MAX_PLAIN,
		  "does not declare its content size" },
		{ "a frame without its content size", zu.buf, zu.len, APP_SYNC_MAX_PLAIN,
		  "does not declare its content size" },
		{ "one byte over max_plain", z.buf, z.len, gn - 1, "more than" },
		{ "max_plain 0", z.buf, z.len, 0, "more than 0" },
		{ "truncated by one byte", z.buf, z.len - 1, APP_SYNC_MAX_PLAIN, NULL },
		{ "truncated by half", z.buf, z.len / 2, APP_SYNC_MAX_PLAIN, NULL },
		{ "the magic number alone", z.buf, 4, APP_SYNC_MAX_PLAIN, NULL },
		{ "a frame header alone", z.buf, 6, APP_SYNC_MAX_PLAIN, NULL },
		{ "unsized, truncated by one byte", zu.buf, zu.len - 1, APP_SYNC_MAX_PLAIN, NULL },
		{ "a byte after the frame", trail.buf, trail.len, APP_SYNC_MAX_PLAIN,
		  "bytes follow the zstd frame" },
		{ "zeros after an unsized frame", trailu.buf, trailu.len, APP_SYNC_MAX_PLAIN,
		  "bytes follow the zstd frame" },
		{ "two frames", two.buf, two.len, APP_SYNC_MAX_PLAIN,
		  "bytes follow the zstd frame" },
		{ "a skippable frame, then the batch", skip_then.buf, skip_then.len,
		  APP_SYNC_MAX_PLAIN, "bytes follow the zstd frame" },
		{ "plain text", good, gn, APP_SYNC_MAX_PLAIN, "not a valid zstd frame" },
		{ "garbage after the magic", "\x28\xb5\x2f\xfd garbage after the magic", 28,
		  APP_SYNC_MAX_PLAIN, NULL },
		{ "gzip", gz, sizeof gz, APP_SYNC_MAX_PLAIN, "not a valid zstd frame" },
		{ "empty", "", 0, APP_SYNC_MAX_PLAIN, "empty" },
		{ "three bytes", "\x28\xb5\x2f", 3, APP_SYNC_MAX_PLAIN, NULL },
	};
	for (size_t c = 0; c < MC_ARRAY_LEN(cases); c++) {
		T_CASE(cases[c].name);
		e.id = -1;
		sb_init(&back, SIZE_MAX);
		CHECK_INT(batch_decompress(cases[c].p, cases[c].n, cases[c].max, &back, &e),
			  MC_EINVAL);
		CHECK_INT(e.id, MCE_SYNC_BAD_BATCH);
		CHECK_INT(back.len, 0);
		CHECK(e.msg[0] && e.vi[0] && strcmp(e.msg, e.vi) != 0);
		if (cases[c].says && !strstr(e.msg, cases[c].says))
			fprintf(stderr, "message: %s\n", e.msg);
		CHECK(!cases[c].says || strstr(e.msg, cases[c].says) != NULL);
		sb_release(&back);
	}

	/* zstd counts a skippable frame as a frame of content size 0. */
	T_CASE("a skippable frame alone inflates to nothing, which no parse takes");
	sb_init(&back, SIZE_MAX);
	CHECK_INT(batch_decompress(skippable, sizeof skippable, APP_SYNC_MAX_PLAIN, &back, &e),
		  MC_OK);
	CHECK_INT(back.len, 0);
	CHECK_INT(parse_id(sb_str(&back), back.len, &e), MCE_SYNC_BAD_BATCH);
	sb_release(&back);

	T_CASE("plain's own bound is kept");
	sb_init(&back, gn - 1);
	e.id = -1;
	CHECK_INT(batch_decompress(z.buf, z.len, APP_SYNC_MAX_PLAIN, &back, &e), MC_EINVAL);
	CHECK_INT(e.id, MCE_SYNC_BAD_BATCH);
	sb_release(&back);

	sb_release(&z);
	sb_release(&zu);
	sb_release(&zb);
	sb_release(&zbu);
	sb_release(&two);
	sb_release(&trail);
	sb_release(&trailu);
	sb_release(&skip_then);
	free(good);
}

/* ---- signatures ---- */

static void upcase(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'f')
			*s = (char)(*s - 'a' + 'A');
}

static void test_signatures(void)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	unsigned char pk2[crypto_sign_PUBLICKEYBYTES], sk2[crypto_sign_SECRETKEYBYTES];
	unsigned char seed[crypto_sign_SEEDBYTES];
	memset(seed, 7, sizeof seed);
	crypto_sign_seed_keypair(pk, sk, seed);
	memset(seed, 8, sizeof seed);
	crypto_sign_seed_keypair(pk2, sk2, seed);
	char pub[65], pub2[65], sig[129], hsig[129];
	sodium_bin2hex(pub, sizeof pub, pk, sizeof pk);
	sodium_bin2hex(pub2, sizeof pub2, pk2, sizeof pk2);

	char *body = good_batch(NULL);
	size_t n = strlen(body);
	const char *path = APP_SYNC_PUSH_PATH;
	mc_err e;

	static const char *const domains[] = { APP_SYNC_DOMAIN_NODE, APP_SYNC_DOMAIN_HUB };
	for (int d = 0; d < 2; d++) {
		const char *dom = domains[d], *other = domains[1 - d];
		T_CASE(d ? "hub domain: Ed25519 over domain, path and the body's SHA-256"
			 : "node domain: Ed25519 over domain, path and the body's SHA-256");
		batch_sign(dom, path, body, n, sk, sig);
		CHECK_INT(strlen(sig), 128);
		CHECK(batch_is_hex(sig, 128));
		char hex[65];
		batch_sha256_hex(body, n, hex);
		sb m;
		sb_init(&m, 1024);
		sb_addf(&m, "%s\n%s\n%s\n", d ? "motcua-hub-v1" : "motcua-sync-v1", path, hex);
		unsigned char raw[crypto_sign_BYTES];
		CHECK(sodium_hex2bin(raw, sizeof raw, sig, 128, NULL, NULL, NULL) == 0);
		CHECK(crypto_sign_verify_detached(raw, (const unsigned char *)sb_str(&m), m.len,
						  pk) == 0);
		sb_release(&m);

		char badsig[129], upper[129], upkey[65], sig_long[131];
		snprintf(badsig, sizeof badsig, "%s", sig);
		badsig[10] = badsig[10] == '0' ? '1' : '0';
		snprintf(upper, sizeof upper, "%s", sig);
		upcase(upper);
		snprintf(upkey, sizeof upkey, "%s", pub);
		upcase(upkey);
		snprintf(sig_long, sizeof sig_long, "%s00", sig);
		char *flipped = mc_xstrdup(body);
		flipped[n / 2] ^= 0x01;

		const struct {
			const char *name, *domain, *path, *body, *pub, *sig;
			size_t n;
			int ok;
		} cases[] = {
			{ "good", dom, path, body, pub, sig, n, 1 },
			{ "flipped body byte", dom, path, flipped, pub, sig, n, 0 },
			{ "one byte shorter body", dom, path, body, pub, sig, n - 1, 0 },
			{ "other path", dom, "/api/v1/sync/pull", body, pub, sig, n, 0 },
			{ "other domain", other, path, body, pub, sig, n, 0 },
			{ "wrong key", dom, path, body, pub2, sig, n, 0 },
			{ "flipped signature", dom, path, body, pub, badsig, n, 0 },
			{ "signature upper case", dom, path, body, pub, upper, n, 0 },
			{ "key upper case", dom, path, body, upkey, sig, n, 0 },
			{ "signature short", dom, path, body, pub, "abcd", n, 0 },
			{ "signature long", dom, path, body, pub, sig_long, n, 0 },
			{ "signature not hex", dom, path, body, pub, "zz", n, 0 },
			{ "signature empty", dom, path, body, pub, "", n, 0 },
			{ "key short", dom, path, body, "00", sig, n, 0 },
			{ "key empty", dom, path, body, "", sig, n, 0 },
			{ "key NULL", dom, path, body, NULL, sig, n, 0 },
			{ "signature NULL", dom, path, body, pub, NULL, n, 0 },
			{ "all-zero key", dom, path, body, EV_ZERO_HASH, sig, n, 0 },
		};
		for (size_t c = 0; c < MC_ARRAY_LEN(cases); c++) {
			T_CASE(cases[c].name);
			e.id = -1;
			int rc = batch_verify(cases[c].domain, cases[c].path, cases[c].body,
					      cases[c].n, cases[c].pub, cases[c].sig, &e);
			CHECK_INT(rc, cases[c].ok ? MC_OK : MC_EINVAL);
			if (!cases[c].ok) {
				CHECK_INT(e.id, MCE_SYNC_BAD_SIGNATURE);
				CHECK(e.msg[0] && e.vi[0] && strcmp(e.msg, e.vi) != 0);
			}
		}
		free(flipped);
	}

	T_CASE("node and hub signatures of the same body differ");
	batch_sign(APP_SYNC_DOMAIN_NODE, path, body, n, sk, sig);
	batch_sign(APP_SYNC_DOMAIN_HUB, path, body, n, sk, hsig);
	CHECK(strcmp(sig, hsig) != 0);

	T_CASE("a hub answer: its own domain, the empty body too");
	batch_sign(APP_SYNC_DOMAIN_HUB, path, "", 0, sk2, sig);
	CHECK_INT(batch_verify(APP_SYNC_DOMAIN_HUB, path, "", 0, pub2, sig, &e), MC_OK);
	CHECK_INT(batch_verify(APP_SYNC_DOMAIN_NODE, path, "", 0, pub2, sig, &e), MC_EINVAL);
	CHECK_INT(batch_verify(APP_SYNC_DOMAIN_HUB, path, "", 0, pub, sig, &e), MC_EINVAL);

	T_CASE("the signature is over the uncompressed body: deterministic");
	batch_sign(APP_SYNC_DOMAIN_NODE, path, body, n, sk, sig);
	char sig2[129];
	batch_sign(APP_SYNC_DOMAIN_NODE, path, body, n, sk, sig2);
	CHECK_STR(sig, sig2); /* Ed25519 is deterministic */
	sb z;
	sb_init(&z, SIZE_MAX);
	CHECK_INT(batch_compress(body, n, &z, &e), MC_OK);
	CHECK_INT(batch_verify(APP_SYNC_DOMAIN_NODE, path, z.buf, z.len, pub, sig, &e), MC_EINVAL);
	sb_release(&z);
	free(body);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_evenc();
	test_is_hex();
	test_round_trips();
	test_bounds();
	test_builder();
	test_parse();
	test_zstd();
	test_signatures();
	return t_done();
}
