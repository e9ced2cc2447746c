/*
 * rec_fault_test.c - recommendations under fault injection by countdown
 * (as fault_test.c does for dossiers): every use case of src/app/recommend.c
 * is run with the store failing its 1st, 2nd, 3rd ... step (busy, then I/O
 * error) until it gets through. Each failure must come back as a clean
 * error and leave the database exactly as it was: the records, their steps
 * and numbers, the event log, the hub's outbox and the node's applied
 * items. On a commune's node: file, withdraw, the province's route and
 * answer applied from the pull, close, reopen; on a hub: a commune's
 * filing and reopen applied from its push, route, reroute, answer.
 */
#include "helpers.h"

#include "app/recommend.h"

static app *N, *H; /* a commune's node and the province's hub */
static char hub_root[256], hub_dir[300];
static int serial;

static mc_time now_t(void)
{
	return th_time("2026-03-02 08:00") + 600 * serial;
}

/* Everything a recommendation's use case may write (th_digest covers
 * the dossiers' tables of th_dir only). */
static void digest(const char *dir, char out[65])
{
	(void)th_digest;
	static const char *const tables[] = {
		"SELECT * FROM recommendation ORDER BY agency, id",
		"SELECT * FROM recommendation_step ORDER BY agency, id, n",
		"SELECT * FROM recommendation_serial ORDER BY agency, year",
		"SELECT * FROM event ORDER BY seq", "SELECT * FROM hub_outbox ORDER BY cursor",
		"SELECT * FROM sync_item ORDER BY hash", "SELECT * FROM setting ORDER BY key",
		"SELECT * FROM attachment_want ORDER BY sha256",
	};
	char path[300];
	snprintf(path, sizeof path, "%s/motcua.db", dir);
	sqlite3 *db;
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		for (size_t i = 0; i < MC_ARRAY_LEN(tables); i++) {
			sqlite3_stmt *q;
			if (sqlite3_prepare_v2(db, tables[i], -1, &q, NULL) != SQLITE_OK) {
				crypto_hash_sha256_update(&h, (const unsigned char *)"?", 1);
				continue;
			}
			while (sqlite3_step(q) == SQLITE_ROW)
				for (int c = 0; c < sqlite3_column_count(q); c++) {
					const unsigned char *v = sqlite3_column_text(q, c);
					crypto_hash_sha256_update(&h, v ? v : (const unsigned char *)"\1",
								  v ? (size_t)sqlite3_column_bytes(q, c) : 1);
					crypto_hash_sha256_update(&h, (const unsigned char *)"|", 1);
				}
			sqlite3_finalize(q);
		}
	}
	sqlite3_close(db);
	unsigned char d[32];
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(out, 65, d, sizeof d);
}

typedef int (*use_fn)(void *);

/* Runs fn with the store failing step 1, 2, ... of kind until it gets
 * through; each failure a clean error that changed nothing in dir. */
static void fault_round(const char *name, const char *dir, int kind, use_fn fn, void *arg)
{
	int done = 0;
	for (int n = 1; n < 80 && !done; n++) {
		char before[65], after[65], label[160];
		snprintf(label, sizeof label, "%s %s fault at step %d", name,
			 kind == ST_FAULT_BUSY ? "busy" : "io", n);
		T_CASE(label);
		digest(dir, before);
		int saved = serial;
		st_fault_arm(n, kind);
		int rc = fn(arg);
		int fired = st_fault_fired();
		st_fault_arm(0, 0);
		if (!fired) {
			CHECK_INT(rc, MC_OK);
			done = 1;
			break;
		}
		CHECK(rc == MC_EBUSY || rc == MC_EIO);
		digest(dir, after);
		CHECK_STR(after, before);
		serial = saved;
	}
	T_CASE(name);
	CHECK(done);
}

static const int kinds[] = { ST_FAULT_BUSY, ST_FAULT_IO };

/* Actors are loaded once, before any fault is armed: the faults are for
 * the use cases, not for the test's own set-up. */
static app_actor node_ld, hub_ld, hub_gs;

static app_actor actor(app *a, const char *login)
{
	if (a == N)
		return node_ld;
	return strcmp(login, "gs") == 0 ? hub_gs : hub_ld;
}

/* ---- the commune's node ---- */

typedef struct {
	char id[128];
	const char *action;
	json_t *item; /* a pull item's body */
	char hash[65];
	int64_t cursor;
} use_arg;

static int file_fn(void *p)
{
	use_arg *u = p;
	app_actor ld = actor(N, "ld");
	app_rec_new q = { .topic = "Đề nghị hướng dẫn", .content = "Nội dung kiến nghị",
			  .field = "Đất đai", .concerns = "SXD" };
	json_t *out = NULL;
	mc_err e;
	serial++;
	int rc = app_rec_file(N, &ld, &q, now_t(), &out, &e);
	if (!rc)
		snprintf(u->id, sizeof u->id, "%s", json_string_value(json_object_get(out, "id")));
	json_decref(out);
	return rc;
}

static int node_act_fn(void *p)
{
	use_arg *u = p;
	app_actor ld = actor(N, "ld");
	app_rec_step q = { .reason = "lý do thử" };
	json_t *out = NULL;
	mc_err e;
	serial++;
	int rc = app_rec_act(N, &ld, u->id, u->action, &q, now_t(), &out, &e);
	json_decref(out);
	return rc;
}

/* The province's step as an item of the recommendations stream, applied
 * in a transaction of its own (as pull.c applies it). */
static int item_fn(void *p)
{
	use_arg *u = p;
	mc_err e;
	int64_t seq = 0;
	char why[300];
	serial++;
	int rc = st_begin(N->st, &e);
	if (!rc)
		rc = app_rec_pull_item(N, u->action, u->item, u->cursor, u->hash, now_t(), &seq, why,
				       sizeof why, &e);
	if (!rc && why[0]) {
		fprintf(stderr, "item skipped: %s\n", why);
		rc = MC_EINVAL;
	}
	return st_end(N->st, rc, &e);
}

static json_t *item(const char *id, const char *action, int round)
{
	json_t *b = json_pack("{s:s, s:s, s:i, s:s, s:{s:s, s:s}, s:I}", "id", id, "action",
			      action, "round", round, "at", "2026-03-03T09:00:00+07:00", "by",
			      "login", "ld", "name", "Lãnh đạo tỉnh", "seq", (json_int_t)7);
	if (strcmp(action, "answer") == 0)
		json_object_set_new(b, "answer",
				    json_pack("{s:s, s:s, s:[], s:{s:s, s:s}, s:s}", "text",
					      "Trả lời", "document", "1/SXD", "attachments", "by",
					      "login", "sxd", "name", "Chuyên viên", "at",
					      "2026-03-04T09:00:00+07:00"));
	else
		json_object_set_new(b, "department",
				    json_pack("{s:s, s:s}", "code", "SXD", "name", "Sở Xây dựng"));
	if (strcmp(action, "route") == 0) {
		json_object_set_new(b, "routed_at", json_string("2026-03-03T09:00:00+07:00"));
		json_object_set_new(b, "due_at", json_string("2026-03-24T09:00:00+07:00"));
	}
	return b;
}

static void node_rounds(void)
{
	for (size_t k = 0; k < MC_ARRAY_LEN(kinds); k++) {
		use_arg u = { .cursor = 0 };
		fault_round("file", th_dir, kinds[k], file_fn, &u);
		use_arg w = u;
		w.action = "withdraw";
		fault_round("withdraw", th_dir, kinds[k], node_act_fn, &w);
		/* Another one, routed and answered by the province, closed. */
		fault_round("file", th_dir, kinds[k], file_fn, &u);
		static int64_t cursor = 100;
		const char *steps[] = { "recommendation.routed", "route", "recommendation.answered",
					"answer" };
		for (int s = 0; s < 4; s += 2) {
			use_arg it = u;
			it.action = steps[s];
			it.item = item(u.id, steps[s + 1], 1);
			it.cursor = ++cursor;
			snprintf(it.hash, sizeof it.hash, "%064lld", (long long)cursor);
			fault_round(steps[s], th_dir, kinds[k], item_fn, &it);
			json_decref(it.item);
		}
		use_arg c = u;
		c.action = "close";
		fault_round("close", th_dir, kinds[k], node_act_fn, &c);
		c.action = "reopen";
		fault_round("reopen", th_dir, kinds[k], node_act_fn, &c);
		T_CASE("node record after the rounds");
		json_t *out = NULL;
		mc_err e;
		app_actor ld = actor(N, "ld");
		CHECK_INT(app_rec_get(N, &ld, u.id, now_t(), &out, &e), MC_OK);
		CHECK_STR(json_string_value(json_object_get(out, "state")), "routed");
		CHECK_INT(json_integer_value(json_object_get(out, "round")), 2);
		CHECK_INT(json_array_size(json_object_get(out, "timeline")), 5);
		json_decref(out);
	}
}

/* ---- the hub ---- */

static int hub_event_fn(void *p)
{
	use_arg *u = p;
	mc_err e;
	const char *verdict, *vcode;
	char vmsg[300];
	serial++;
	int rc = st_begin(H->st, &e);
	if (!rc)
		rc = app_rec_hub_event(H, "000.31.45.H45", 1, u->cursor, u->action,
				       "2026-03-02T08:00:00+07:00", u->item, now_t(), &verdict,
				       &vcode, vmsg, sizeof vmsg, &e);
	if (!rc && strcmp(verdict, "applied") != 0) {
		fprintf(stderr, "hub verdict %s %s: %s\n", verdict, vcode, vmsg);
		rc = MC_EINVAL;
	}
	return st_end(H->st, rc, &e);
}

static int hub_act_fn(void *p)
{
	use_arg *u = p;
	app_actor x = actor(H, strcmp(u->action, "answer") == 0 ? "ld" : "gs");
	app_rec_step q = { .department = strcmp(u->action, "route") == 0 ? "STP" : "SXD",
			   .reason = "lý do", .answer = "Trả lời của sở" };
	json_t *out = NULL;
	mc_err e;
	serial++;
	int rc = app_rec_act(H, &x, u->id, u->action, &q, now_t(), &out, &e);
	json_decref(out);
	return rc;
}

static void hub_rounds(void)
{
	for (size_t k = 0; k < MC_ARRAY_LEN(kinds); k++) {
		/* The commune's filing, as its node recorded it. */
		char id[64];
		snprintf(id, sizeof id, "000.31.45.H45/KN-2026-%04d", (int)k + 1);
		json_t *rec = json_pack(
			"{s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:{s:s, s:s}, s:[], s:{s:s, s:s}, "
			"s:s, s:s, s:i, s:n, s:n, s:n, s:n, s:n, s:n, s:n, s:n, s:[]}",
			"id", id, "agency", "000.31.45.H45", "agency_name", "Xã Kim Bôi", "year", 2026,
			"number", (int)k + 1, "topic", "Chủ đề", "content", "Nội dung", "field", "",
			"concerns", "code", "SXD", "name", "Sở Xây dựng", "attachments", "filed_by",
			"login", "ld", "name", "Lãnh đạo xã", "filed_at", "2026-03-02T08:00:00+07:00",
			"state", "filed", "round", 1, "department", "routed_at", "due_at", "answer",
			"answered_at", "closed_at", "withdrawn_at", "reason", "rounds");
		use_arg f = { .action = "recommendation.filed", .cursor = 10 * (int64_t)k + 1 };
		snprintf(f.id, sizeof f.id, "%s", id);
		f.item = json_pack("{s:s, s:s, s:i, s:o}", "action", "file", "id", id, "round", 1,
				   "recommendation", rec);
		fault_round("hub applies a filing", hub_dir, kinds[k], hub_event_fn, &f);
		json_decref(f.item);
		const char *acts[] = { "route", "reroute", "answer" };
		for (int s = 0; s < 3; s++) {
			use_arg a = f;
			a.action = acts[s];
			fault_round(acts[s], hub_dir, kinds[k], hub_act_fn, &a);
		}
		use_arg r = f;
		r.action = "recommendation.reopened";
		r.cursor = f.cursor + 1;
		r.item = json_pack("{s:s, s:s, s:i, s:{s:{s:s, s:s}, s:s}}", "action", "reopen", "id",
				   id, "round", 2, "step", "by", "login", "ld", "name", "Lãnh đạo xã",
				   "reason", "Chưa rõ");
		fault_round("hub applies a reopen", hub_dir, kinds[k], hub_event_fn, &r);
		json_decref(r.item);
		T_CASE("hub record after the rounds");
		json_t *out = NULL;
		mc_err e;
		app_actor gs = actor(H, "gs");
		CHECK_INT(app_rec_get(H, &gs, id, now_t(), &out, &e), MC_OK);
		CHECK_STR(json_string_value(json_object_get(out, "state")), "routed");
		CHECK_INT(json_integer_value(json_object_get(out, "round")), 2);
		CHECK_STR(json_string_value(json_object_get(json_object_get(out, "department"), "code")),
			  "SXD");
		CHECK(json_is_string(json_object_get(out, "due_at")));
		json_decref(out);
	}
}

static int hub_open(mc_time now)
{
	snprintf(hub_root, sizeof hub_root, "/tmp/motcua-test-hub-XXXXXX");
	if (!mkdtemp(hub_root))
		return 1;
	snprintf(hub_dir, sizeof hub_dir, "%s/h", hub_root);
	app_init_opts o = { .agency = "000.00.00.H45", .name = "Tỉnh Thử", .hub = 1 };
	mc_err e;
	if (app_init_dir(hub_dir, &o, now, NULL, &e) || app_open(hub_dir, &H, &e)) {
		fprintf(stderr, "hub: %s\n", e.msg);
		return 1;
	}
	app_actor sys;
	app_actor_system(H, &sys);
	static const char *users[][2] = { { "ld", "leader" }, { "gs", "supervisor" } };
	for (size_t i = 0; i < MC_ARRAY_LEN(users); i++)
		if (app_user_add(H, &sys, users[i][0], users[i][1], "Cán bộ tỉnh", "mật-khẩu-thử",
				 now, &e))
			return 1;
	return 0;
}

int main(void)
{
	mc_time t0 = th_time("2026-03-01 08:00");
	if (sodium_init() < 0 || th_node(&N, t0) || hub_open(t0))
		return 1;
	node_ld = th_actor(N, "ld");
	hub_ld = th_actor(H, "ld");
	hub_gs = th_actor(H, "gs");
	node_rounds();
	hub_rounds();
	int64_t n = 0, bad = 0;
	mc_err e;
	T_CASE("chains after faults");
	CHECK_INT(app_check(N, &n, &bad, &e), MC_OK);
	CHECK_INT(app_check(H, &n, &bad, &e), MC_OK);
	app_close(N);
	app_close(H);
	th_rmdir();
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", hub_root);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", hub_root);
	return t_done();
}
