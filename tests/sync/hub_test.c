/*
 * hub_test.c - the hub's acceptance of pushed batches (docs/sync.md §5.2,
 * §5.3, §7.1) end to end in one process: a hub and commune nodes made with
 * app_init_dir, batches made by app_sync_next_batch as a node sends them,
 * pushed with app_hub_push as the HTTP handler does. Each refusal leaves
 * the hub's database unchanged (digest); the same batch twice is a
 * duplicate; a rejected event does not block the ones after it.
 */
#include <sodium.h>
#include <sqlite3.h>
#include <unistd.h>

#include "app/app_int.h"
#include "t.h"

#include <zstd.h>

#include "app/sync.h"
#include "store/st_sync.h"
#include "sync/batch.h"

static mc_time now0;

/* The stable code of e ("sync.gap"). */
static const char *code_of(const mc_err *e)
{
	size_t n;
	const mc_errdef *d = mc_errdefs(&n);
	return e->id >= 0 && (size_t)e->id < n ? d[e->id].name : "?";
}

static mc_time th_time(const char *s)
{
	mc_time t = 0;
	mc_err e;
	if (cal_parse_datetime(s, &t, &e))
		fprintf(stderr, "bad time in test: %s\n", s);
	return t;
}

typedef struct {
	char dir[300];
	app *a;
} place;

static int make(place *p, const char *agency, int hub, int demo)
{
	snprintf(p->dir, 200, "/tmp/motcua-hubtest-XXXXXX");
	if (!mkdtemp(p->dir))
		return 1;
	app_init_opts o = { .agency = agency, .name = hub ? "Tỉnh Thử" : "Xã Thử", .hub = hub,
			    .demo = demo };
	mc_err e;
	if (app_init_dir(p->dir, &o, now0, NULL, &e) || app_open(p->dir, &p->a, &e)) {
		fprintf(stderr, "init %s: %s\n", agency, e.msg);
		return 1;
	}
	return 0;
}

static void drop(place *p)
{
	app_close(p->a);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%.300s'", p->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", p->dir);
}

/* SHA-256 of the hub tables: "nothing applied" means this is unchanged. */
static void digest(place *p, char out[65])
{
	sqlite3 *db;
	char path[400];
	snprintf(path, sizeof path, "%.300s/motcua.db", p->dir);
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		static const char *const q[] = {
			"SELECT agency, chain, seq, hash, verdict FROM hub_event ORDER BY 1, 2, 3",
			"SELECT agency, chain, status, acked_seq, acked_hash, last_batch FROM hub_node ORDER BY 1, 2",
			"SELECT agency, code, state, last_seq FROM hub_dossier ORDER BY 1, 2",
		};
		for (size_t i = 0; i < MC_ARRAY_LEN(q); i++) {
			sqlite3_stmt *s;
			if (sqlite3_prepare_v2(db, q[i], -1, &s, NULL) != SQLITE_OK)
				continue;
			while (sqlite3_step(s) == SQLITE_ROW)
				for (int c = 0; c < sqlite3_column_count(s); c++) {
					const unsigned char *t = sqlite3_column_text(s, c);
					crypto_hash_sha256_update(&h, t ? t : (const unsigned char *)"~",
								  t ? strlen((const char *)t) : 1);
					crypto_hash_sha256_update(&h, (const unsigned char *)"|", 1);
				}
			sqlite3_finalize(s);
		}
	}
	sqlite3_close(db);
	unsigned char b[32];
	crypto_hash_sha256_final(&h, b);
	sodium_bin2hex(out, 65, b, sizeof b);
}

static int enrol(place *hub, place *node, int approve)
{
	json_t *body, *ans;
	int created;
	mc_err e;
	if (app_sync_enrol_body(node->a, &body, &e))
		return 1;
	int rc = app_hub_enrol(hub->a, body, now0, &ans, &created, &e);
	json_decref(body);
	if (rc) {
		fprintf(stderr, "enrol: %s\n", e.msg);
		return 1;
	}
	rc = app_sync_enrolled(node->a, "http://127.0.0.1:9/", ans, now0, &e);
	json_decref(ans);
	if (rc)
		return 1;
	if (approve) {
		app_actor sys;
		app_actor_system(hub->a, &sys);
		json_t *n;
		if (app_hub_decide(hub->a, &sys, app_pubkey(node->a), 1, now0, &n, &e))
			return 1;
		json_decref(n);
	}
	return 0;
}

typedef struct {
	char *body;
	size_t n;
	char sig[129];
	int64_t last;
} batch;

static int next(place *node, size_t max, batch *b)
{
	mc_err e;
	memset(b, 0, sizeof *b);
	int rc = app_sync_next_batch(node->a, max, now0, &b->body, &b->n, b->sig, &b->last, &e);
	if (rc)
		fprintf(stderr, "next batch: %s\n", e.msg);
	return rc;
}

/* Pushes b; records the answer on the node like the client does. OUT:
 * the error code name ("" on success) and the answer's status. */
static int push(place *hub, place *node, const char *key, const batch *b, char code[64],
		char status[16])
{
	json_t *out = NULL;
	mc_err e;
	code[0] = status[0] = 0;
	int rc = app_hub_push(hub->a, key ? key : app_pubkey(node->a), b->sig, b->body, b->n, now0,
			      &out, &e);
	if (rc) {
		snprintf(code, 64, "%s", code_of(&e));
	} else {
		snprintf(status, 16, "%s", json_string_value(json_object_get(out, "status")));
		mc_err re;
		if (app_sync_record(node->a, 200, out, NULL, NULL, 65536, now0, &re))
			fprintf(stderr, "record: %s\n", re.msg);
	}
	if (rc && out && json_object_get(out, "head")) {
		mc_err re;
		if (app_sync_record(node->a, 409, out, code, "refused", 65536, now0, &re))
			fprintf(stderr, "record: %s\n", re.msg);
	}
	json_decref(out);
	return rc;
}

static void release(batch *b)
{
	free(b->body);
	b->body = NULL;
}

/* A copy of b with its inflated text changed by edit, recompressed; the
 * signature kept (as a man in the middle would). */
static batch tampered(const batch *b, void (*edit)(char *p, size_t n))
{
	batch t = *b;
	unsigned long long n = ZSTD_getFrameContentSize(b->body, b->n);
	char *plain = malloc(n + 1);
	size_t got = ZSTD_decompress(plain, n, b->body, b->n);
	edit(plain, got);
	size_t cap = ZSTD_compressBound(got);
	t.body = malloc(cap);
	t.n = ZSTD_compress(t.body, cap, plain, got, 3);
	free(plain);
	return t;
}

static void flip_payload(char *p, size_t n)
{
	/* The last event line's first letter of "Kim" (the demo's commune) or
	 * any letter in the last line. */
	char *last = p + n - 2;
	while (last > p && *last != '\n')
		last--;
	for (char *c = last + 1; c < p + n; c++)
		if (*c >= 'a' && *c <= 'y') {
			(*c)++;
			return;
		}
}

static void receive_at(place *node, int k, mc_time t0, const char *name)
{
	app_actor sys;
	app_actor_system(node->a, &sys);
	for (int i = 0; i < k; i++) {
		app_receive_req r = { .procedure = "1.000253", .channel = "direct",
				      .name = name, .id_number = "025090001234",
				      .phone = "0912345678" };
		char c[96];
		mc_time due;
		mc_err e;
		if (app_receive(node->a, &sys, &r, t0 + i, c, &due, &e))
			fprintf(stderr, "receive: %s\n", e.msg);
	}
}

static void receive_some(place *node, int k)
{
	receive_at(node, k, now0, "Nguyễn Văn Thử");
}

int main(void)
{
	mc_err e;
	if (app_library_init(&e))
		return 1;
	now0 = th_time("2026-12-07 09:00");
	place hub, n1, n2;
	if (make(&hub, "000.00.00.H45", 1, 0) || make(&n1, "000.31.45.H45", 0, 1) ||
	    make(&n2, "000.32.45.H45", 0, 0))
		return 1;
	char code[64], status[16], d0[65], d1[65];

	T_CASE("a node that never enrolled is refused before its body is read");
	CHECK_INT(app_hub_admit(hub.a, app_pubkey(n1.a), &e), MC_EPERM);
	CHECK_STR(code_of(&e), "sync.unknown_key");
	CHECK_INT(app_hub_admit(n1.a, app_pubkey(n1.a), &e), MC_ENOTFOUND);
	CHECK_STR(code_of(&e), "sync.not_hub");

	T_CASE("enrolled but not approved: refused, nothing stored");
	CHECK_INT(enrol(&hub, &n1, 0), 0);
	batch b1;
	CHECK_INT(next(&n1, 64 << 10, &b1), 0);
	CHECK(b1.n > 0 && b1.last > 0);
	digest(&hub, d0);
	CHECK(push(&hub, &n1, NULL, &b1, code, status) != 0);
	CHECK_STR(code, "sync.key_not_approved");
	digest(&hub, d1);
	CHECK_STR(d1, d0);

	T_CASE("enrolling again is idempotent; approval lets the batch in");
	CHECK_INT(enrol(&hub, &n1, 1), 0);
	digest(&hub, d0);
	CHECK_INT(push(&hub, &n1, NULL, &b1, code, status), 0);
	CHECK_STR(status, "applied");
	digest(&hub, d1);
	CHECK(strcmp(d0, d1) != 0);

	T_CASE("the same batch again: duplicate, nothing changes");
	digest(&hub, d0);
	CHECK_INT(push(&hub, &n1, NULL, &b1, code, status), 0);
	CHECK_STR(status, "duplicate");
	digest(&hub, d1);
	CHECK_STR(d1, d0);

	T_CASE("the next batches follow the acknowledgement to the end");
	app_sync_cfg cfg;
	CHECK_INT(app_sync_config(n1.a, &cfg, &e), 0);
	CHECK_INT(cfg.acked_seq, b1.last);
	int rounds = 0;
	batch b2 = { 0 }, bn;
	for (;;) {
		CHECK_INT(next(&n1, 64 << 10, &bn), 0);
		if (bn.n == 0 || rounds > 100)
			break;
		CHECK_INT(push(&hub, &n1, NULL, &bn, code, status), 0);
		if (rounds == 0)
			b2 = bn;
		else
			release(&bn);
		rounds++;
	}
	CHECK(rounds >= 1);
	CHECK_INT(app_sync_config(n1.a, &cfg, &e), 0);
	CHECK_INT(cfg.acked_seq, cfg.local_seq);

	T_CASE("an old batch (not the last one) is refused as replayed");
	digest(&hub, d0);
	CHECK(push(&hub, &n1, NULL, &b1, code, status) != 0);
	CHECK_STR(code, "sync.replayed");
	digest(&hub, d1);
	CHECK_STR(d1, d0);

	T_CASE("a tampered batch is refused: the signature no longer matches");
	receive_some(&n1, 3);
	batch b3;
	CHECK_INT(next(&n1, 64 << 10, &b3), 0);
	batch t = tampered(&b3, flip_payload);
	digest(&hub, d0);
	CHECK(push(&hub, &n1, NULL, &t, code, status) != 0);
	CHECK_STR(code, "sync.bad_signature");
	digest(&hub, d1);
	CHECK_STR(d1, d0);
	release(&t);

	T_CASE("a batch signed by another key, or sent under an unknown key");
	batch wrong = b3;
	memcpy(wrong.sig, b1.sig, sizeof wrong.sig);
	CHECK(push(&hub, &n1, NULL, &wrong, code, status) != 0);
	CHECK_STR(code, "sync.bad_signature");
	CHECK(push(&hub, &n1, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		   &b3, code, status) != 0);
	CHECK_STR(code, "sync.unknown_key");
	CHECK(push(&hub, &n1, "not hex", &b3, code, status) != 0);
	CHECK_STR(code, "sync.unknown_key");
	digest(&hub, d1);
	CHECK_STR(d1, d0);

	T_CASE("a key of another agency cannot push this node's batch");
	CHECK_INT(enrol(&hub, &n2, 1), 0);
	digest(&hub, d0);
	CHECK(push(&hub, &n1, app_pubkey(n2.a), &b3, code, status) != 0);
	CHECK_STR(code, "sync.bad_signature");
	digest(&hub, d1);
	CHECK_STR(d1, d0);

	T_CASE("a gap: a batch starting past the acknowledgement is refused with the head");
	CHECK_INT(push(&hub, &n1, NULL, &b3, code, status), 0);
	receive_some(&n1, 4);
	{
		/* The node believes the hub holds two events more than it does. */
		st *s = n1.a->st;
		char *acked = NULL;
		CHECK_INT(st_sync_get(s, "acked_seq", &acked, &e), 0);
		char more[32];
		snprintf(more, sizeof more, "%lld", atoll(acked) + 2);
		free(acked);
		CHECK_INT(st_sync_set(s, "acked_seq", more, &e), 0);
	}
	batch g;
	CHECK_INT(next(&n1, 64 << 10, &g), 0);
	digest(&hub, d0);
	CHECK(push(&hub, &n1, NULL, &g, code, status) != 0);
	CHECK_STR(code, "sync.gap");
	digest(&hub, d1);
	CHECK_STR(d1, d0);
	release(&g);
	/* The head the refusal carried put the node back where the hub is. */
	CHECK_INT(app_sync_config(n1.a, &cfg, &e), 0);
	CHECK_INT(cfg.acked_seq, b3.last);
	CHECK_INT(next(&n1, 64 << 10, &g), 0);
	CHECK_INT(push(&hub, &n1, NULL, &g, code, status), 0);
	CHECK_STR(status, "applied");
	release(&g);

	T_CASE("a fork: the same seq with another hash is refused");
	{
		/* A copy of the node taken now, then each writes its own event. */
		char cmd[800];
		place fork = { 0 };
		snprintf(fork.dir, sizeof fork.dir, "%.200s-fork", n1.dir);
		snprintf(cmd, sizeof cmd, "cp -a '%s' '%s'", n1.dir, fork.dir);
		CHECK_INT(system(cmd), 0);
		CHECK_INT(app_open(fork.dir, &fork.a, &e), 0);
		receive_some(&n1, 1);
		receive_at(&fork, 2, now0 + 60, "Trần Thị Rẽ Nhánh");
		batch ok, bad;
		CHECK_INT(next(&n1, 64 << 10, &ok), 0);
		CHECK_INT(push(&hub, &n1, NULL, &ok, code, status), 0);
		CHECK_INT(next(&fork, 64 << 10, &bad), 0);
		digest(&hub, d0);
		CHECK(push(&hub, &fork, NULL, &bad, code, status) != 0);
		CHECK_STR(code, "sync.fork");
		digest(&hub, d1);
		CHECK_STR(d1, d0);
		release(&ok);
		release(&bad);
		drop(&fork);
	}

	T_CASE("a revoked key is refused");
	{
		app_actor sys;
		app_actor_system(hub.a, &sys);
		json_t *n;
		CHECK_INT(app_hub_decide(hub.a, &sys, app_pubkey(n2.a), 0, now0, &n, &e), 0);
		json_decref(n);
		CHECK_INT(app_hub_admit(hub.a, app_pubkey(n2.a), &e), MC_EPERM);
		CHECK_STR(code_of(&e), "sync.key_revoked");
	}

	T_CASE("the hub's check verifies every chain it holds");
	int64_t chains = 0, events = 0;
	CHECK_INT(app_hub_check(hub.a, &chains, &events, &e), 0);
	CHECK_INT(chains, 1);
	CHECK_INT(app_sync_config(n1.a, &cfg, &e), 0);
	CHECK_INT(events, cfg.local_seq);

	release(&b1);
	release(&b2);
	release(&b3);
	drop(&hub);
	drop(&n1);
	drop(&n2);
	return t_done();
}
