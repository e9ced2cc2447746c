/*
 * body.c - fuzz target for request bodies: every route that takes one (the
 * JSON ones and the two imports), through the HTTP layer's parsing
 * (http_body_object, http_only_keys, http_str_field, http_time_field,
 * http_text_body) and the handler's own checks down to its app call, on a
 * demo node in a temporary directory. No network: the request is built by
 * hand as srv.c would after http_admit, and this file stands in for
 * libmicrohttpd's header look-up.
 *
 * Input: byte 0 picks the route; byte 1 the officer (among the roles the
 * route admits; bits 0-2), the Content-Type (bits 3-4), an Idempotency-Key
 * header (bit 5) and ?add=true (bit 6); byte 2 the {code} or {login} of the
 * path and the key; the rest is the body. A body longer than the route's
 * limit is not tried (the server answers 413 before reading it). The node
 * lives for the whole run (created at the first input, removed at exit, in
 * /dev/shm when there is one): inputs see what earlier ones wrote, as
 * requests to a server do. FUZZ_BODY_VERBOSE=1 prints each answer.
 *
 * Checked: every answer is a JSON object with a status from 200 to 499 (a
 * 5xx for some body is a bug); an error carries a non-empty code and a
 * message, a success none; a JSON route refuses (4xx) a body that is not
 * a JSON object, and a non-JSON Content-Type with 415; the answer encodes;
 * the hash-chained event log still verifies after the first success, every
 * 64th and at exit.
 *
 * Argon2id costs tens of milliseconds by design, so that sign-in and
 * account inputs would starve the rest; here crypto_pwhash_str and its
 * verify are a keyed BLAKE2b (defined below, they take the place of
 * libsodium's for the whole program).
 */
#include "http/http_int.h"
#include "fuzz.h"

#include <ftw.h>
#include <microhttpd.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- what libmicrohttpd and libsodium would do ---- */

static struct {
	const char *content_type, *idempotency_key, *add;
} hdr;

/* The request's headers and query, for http_header and http_arg (srv.c). */
const char *MHD_lookup_connection_value(struct MHD_Connection *c, enum MHD_ValueKind kind,
					const char *key)
{
	if (kind == MHD_HEADER_KIND && strcasecmp(key, "Content-Type") == 0)
		return hdr.content_type;
	if (kind == MHD_HEADER_KIND && strcasecmp(key, "Idempotency-Key") == 0)
		return hdr.idempotency_key;
	if (kind == MHD_GET_ARGUMENT_KIND && strcmp(key, "add") == 0)
		return hdr.add;
	return NULL;
}

static void fake_hash(char out[crypto_pwhash_STRBYTES], const char *pw, unsigned long long len)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)pw, (size_t)len,
			   (const unsigned char *)"motcua-fuzz-body", 16);
	memcpy(out, "$fz$", 4);
	sodium_bin2hex(out + 4, crypto_pwhash_STRBYTES - 4, h, sizeof h);
}

int crypto_pwhash_str(char out[crypto_pwhash_STRBYTES], const char *const passwd,
		      unsigned long long passwdlen, unsigned long long opslimit, size_t memlimit)
{
	fake_hash(out, passwd, passwdlen);
	return 0;
}

int crypto_pwhash_str_verify(const char str[crypto_pwhash_STRBYTES], const char *const passwd,
			     unsigned long long passwdlen)
{
	char want[crypto_pwhash_STRBYTES];
	fake_hash(want, passwd, passwdlen);
	return strcmp(str, want) == 0 ? 0 : -1;
}

/* ---- the node ---- */

static const char *const logins[] = { "quantri", "tiepnhan", "chuyenvien", "lanhdao", "giamsat" };

static struct {
	char dir[128];
	app *a;
	mc_time now;
	app_actor actors[MC_ARRAY_LEN(logins)];
	char codes[48][64];
	int ncodes;
	const http_route *routes[32];
	int nroutes;
	long writes; /* answers 2xx */
} g;

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	return remove(path);
}

/* The hash-chained event log still verifies after the writes so far. */
static void check_log(void)
{
	int64_t events = 0, bad = 0;
	mc_err e;
	FZ_CHECK(app_check(g.a, &events, &bad, &e) == 0 && bad == 0);
}

static void teardown(void)
{
	if (g.writes)
		check_log();
	app_close(g.a);
	g.a = NULL;
	nftw(g.dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A few dossier codes in every state, and one that does not exist. */
static void pick_codes(void)
{
	app_list_req q;
	json_t *page;
	mc_err e;
	memset(&q, 0, sizeof q);
	q.limit = 500;
	FZ_CHECK(app_dossier_list(g.a, &q, g.now, &page, &e) == 0);
	json_t *items = json_object_get(page, "items");
	size_t n = json_array_size(items), step = n / 40 + 1;
	for (size_t i = 0; i < n && g.ncodes < 47; i += step) {
		const char *c = json_string_value(json_object_get(json_array_get(items, i), "code"));
		if (c)
			snprintf(g.codes[g.ncodes++], sizeof g.codes[0], "%s", c);
	}
	json_decref(page);
	snprintf(g.codes[g.ncodes++], sizeof g.codes[0], "000.31.45.H45-260302-9999");
}

static void setup(void)
{
	mc_err e;
	struct stat st;
	const char *tmp = stat("/dev/shm", &st) == 0 && access("/dev/shm", W_OK) == 0 ? "/dev/shm"
										      : "/tmp";
	snprintf(g.dir, sizeof g.dir, "%s/motcua-fuzz-body-XXXXXX", tmp);
	FZ_CHECK(mkdtemp(g.dir) != NULL);
	char data[160];
	snprintf(data, sizeof data, "%s/node", g.dir);
	FZ_CHECK(cal_parse_datetime("2026-03-02 09:00", &g.now, &e) == 0);
	app_init_opts o = { .demo = 1 };
	FZ_CHECK(app_library_init(&e) == 0);
	FZ_CHECK(app_init_dir(data, &o, g.now, NULL, &e) == 0);
	FZ_CHECK(app_open(data, &g.a, &e) == 0);
	atexit(teardown);
	for (size_t i = 0; i < MC_ARRAY_LEN(logins); i++)
		FZ_CHECK(app_actor_load(g.a, logins[i], &g.actors[i], &e) == 0);
	/* Not the node routes (sync push and pull): a node key and a signature
	 * come before any body byte, and fuzz/batch.c covers the batch. */
	for (const http_route *rt = http_routes; rt->method; rt++)
		if (rt->body_max && rt->who != HTTP_NODE && g.nroutes < (int)MC_ARRAY_LEN(g.routes))
			g.routes[g.nroutes++] = rt;
	FZ_CHECK(g.nroutes > 0);
	pick_codes();
}

/* ---- one request ---- */

/* pattern with each {x} filled in by pick. OUT: path. */
static void fill_path(const char *pattern, unsigned pick, char *path, size_t size)
{
	size_t n = 0;
	for (const char *p = pattern; *p && n + 1 < size;) {
		if (*p != '{') {
			path[n++] = *p++;
			continue;
		}
		const char *v = strncmp(p, "{code}", 6) == 0 ? g.codes[pick % (unsigned)g.ncodes]
			      : pick % 8 < MC_ARRAY_LEN(logins) ? logins[pick % 8]
								: "khong-co-ai";
		n += (size_t)snprintf(path + n, size - n, "%s", v);
		p = strchr(p, '}') + 1;
	}
	path[n < size ? n : size - 1] = 0;
}

static int json_route(const http_route *rt)
{
	return rt->handler != h_catalog_import && rt->handler != h_calendar_import;
}

static void check_answer(const http_req *r, int json_body_ok, int json_type)
{
	FZ_CHECK(r->status >= 200 && r->status < 500);
	FZ_CHECK(json_is_object(r->json));
	json_t *err = json_object_get(r->json, "error");
	if (r->status >= 400) {
		const char *code = json_string_value(json_object_get(err, "code"));
		FZ_CHECK(code && *code);
		FZ_CHECK(json_is_string(json_object_get(err, "message")));
	} else {
		FZ_CHECK(err == NULL);
	}
	if (json_route(r->route)) {
		if (!json_type)
			FZ_CHECK(r->status == 415);
		else if (!json_body_ok)
			FZ_CHECK(r->status >= 400);
	}
	char *s = json_dumps(r->json, JSON_COMPACT | JSON_ENCODE_ANY);
	FZ_CHECK(s != NULL);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const json_types[] = { "application/json",
						  "application/json; charset=utf-8", "text/plain",
						  NULL };
	static const char *const file_types[] = { "application/x-ndjson", "text/csv",
						  "application/json", NULL };
	if (!g.a)
		setup();
	if (size < 3)
		return 0;
	const http_route *rt = g.routes[data[0] % g.nroutes];
	if (size - 3 > rt->body_max)
		return 0;
	unsigned b = data[1], pick = data[2];

	const app_actor *cand[MC_ARRAY_LEN(logins)];
	int ncand = 0;
	for (size_t i = 0; i < MC_ARRAY_LEN(logins); i++)
		if ((unsigned)g.actors[i].role & rt->who)
			cand[ncand++] = &g.actors[i];
	char key[32];
	snprintf(key, sizeof key, "fuzz-key-%u", pick % 4);
	hdr.content_type = (json_route(rt) ? json_types : file_types)[(b >> 3) & 3];
	hdr.idempotency_key = b & 0x20 ? key : NULL;
	hdr.add = b & 0x40 ? "true" : NULL;

	char path[256];
	fill_path(rt->pattern, pick, path, sizeof path);
	char *body = mc_xmalloc(size - 3 + 1); /* as srv.c keeps it: NUL-terminated */
	memcpy(body, data + 3, size - 3);
	body[size - 3] = 0;

	http_req r;
	memset(&r, 0, sizeof r);
	r.method = rt->method;
	r.path = path;
	r.conn = (struct MHD_Connection *)(void *)&hdr;
	snprintf(r.address, sizeof r.address, "127.0.0.%u", 1 + pick % 4);
	r.now = g.now;
	r.app = g.a;
	r.body = size > 3 ? body : NULL;
	r.body_len = size - 3;
	int found = 0;
	r.route = http_route_find(&r, &found);
	FZ_CHECK(r.route == rt);
	if (rt->who != HTTP_ANON) {
		FZ_CHECK(ncand > 0);
		r.actor = *cand[b % 8 % (unsigned)ncand];
		r.authed = 1;
	}
	mc_err e;
	FZ_CHECK(app_refresh(g.a, &e) == 0);

	json_t *parsed = json_loadb(body, size - 3, JSON_REJECT_DUPLICATES, NULL);
	int json_body_ok = json_is_object(parsed);
	json_decref(parsed);
	int json_type = hdr.content_type && strncmp(hdr.content_type, "application/json", 16) == 0;

	http_run(&r);
	if (getenv("FUZZ_BODY_VERBOSE")) { /* what a seed reaches */
		char *s = json_dumps(r.json, JSON_COMPACT);
		fprintf(stderr, "%s %s %d %.300s\n", rt->method, path, r.status, s ? s : "?");
		free(s);
	}
	check_answer(&r, json_body_ok, json_type);
	if (r.status < 300 && g.writes++ % 64 == 0)
		check_log(); /* the whole chain: not after every write */
	json_decref(r.json);
	free(r.raw);
	http_done(&r);
	free(body);
	return 0;
}
