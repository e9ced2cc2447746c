/*
 * fault_test.c - fault injection by countdown (SQLite's test_malloc style):
 * receive and every action are run with the store failing its 1st, 2nd,
 * 3rd, ... step (busy and I/O error) until the use case gets through. Each
 * failure must come back as a clean error and leave the database (state
 * tables and event log) exactly as it was.
 */
#include "helpers.h"

static app *A;
static int serial;

static mc_time now_t(void)
{
	return th_time("2025-03-10 08:00") + 60 * serial;
}

/* Actors are loaded once, before any fault is armed: the faults are for the
 * use cases, not for the test's own set-up. */
static app_actor actors[6];
static const char *const logins[6] = { "tn", "cv", "cv2", "ld", "qt", "gs" };

static app_actor actor(const char *login)
{
	for (int i = 0; i < 6; i++)
		if (strcmp(logins[i], login) == 0)
			return actors[i];
	return actors[0];
}

static int do_receive(char *code, int pending, mc_err *e)
{
	app_actor tn = actor("tn");
	app_receive_req q = { .procedure = "1.001193", .channel = pending ? "online" : "direct",
			      .name = "Nguyễn Văn Lỗi", .id_number = "025090001234",
			      .phone = "0912345678", .pending = pending };
	mc_time due;
	serial++;
	return app_receive(A, &tn, &q, now_t(), code, &due, e);
}

static int do_act(const char *who, const char *code, const char *action, mc_err *e)
{
	app_actor x = actor(who);
	app_act_req q = { .action = action, .comment = "lý do thử" };
	if (strcmp(action, "assign") == 0 || strcmp(action, "reassign") == 0)
		q.to_user = strcmp(action, "assign") == 0 ? "cv" : "cv2";
	if (strcmp(action, "transfer") == 0)
		q.to_agency = "000.32.45.H45";
	if (strcmp(action, "apology") == 0)
		q.new_due = th_time("2025-04-30 17:00");
	serial++;
	return app_act(A, &x, code, &q, now_t(), e);
}

/* For each action: who does it and the path that leads to a state where it
 * applies (run without faults). */
static const struct {
	const char *action, *who;
	int pending;
	const char *path[6][2];
} cases[] = {
	{ "accept", "tn", 1, { { NULL } } },
	{ "refuse", "tn", 0, { { NULL } } },
	{ "request_supplement", "tn", 0, { { NULL } } },
	{ "supplement_received", "tn", 0, { { "tn", "request_supplement" } } },
	{ "assign", "tn", 0, { { NULL } } },
	{ "reassign", "ld", 0, { { "tn", "assign" } } },
	{ "request_payment", "cv", 0, { { "tn", "assign" } } },
	{ "payment_received", "cv", 0, { { "tn", "assign" }, { "cv", "request_payment" } } },
	{ "submit_approval", "cv", 0, { { "tn", "assign" } } },
	{ "approve", "ld", 0, { { "tn", "assign" }, { "cv", "submit_approval" } } },
	{ "send_back", "ld", 0, { { "tn", "assign" }, { "cv", "submit_approval" } } },
	{ "stop", "ld", 0, { { "tn", "assign" } } },
	{ "withdraw", "tn", 0, { { NULL } } },
	{ "apology", "cv", 0, { { "tn", "assign" } } },
	{ "return", "tn", 0, { { "tn", "assign" }, { "cv", "submit_approval" }, { "ld", "approve" } } },
	{ "transfer", "tn", 0, { { NULL } } },
};

/* Runs fn with the store failing its 1st, 2nd, ... step of the given kind
 * until it gets through: each failure must be a clean error with the
 * database unchanged. Returns the step count at which it got through. */
static int fault_round(const char *name, int kind, int (*fn)(void *), void *arg)
{
	int n, done = 0;
	for (n = 1; n < 60 && !done; n++) {
		char before[65], after[65], label[128];
		snprintf(label, sizeof label, "%s %s fault at step %d", name,
			 kind == ST_FAULT_BUSY ? "busy" : "io", n);
		T_CASE(label);
		th_digest(before);
		int saved = serial;
		st_fault_arm(n, kind);
		int rc = fn(arg);
		int fired = st_fault_fired();
		st_fault_arm(0, 0);
		if (!fired) {
			CHECK_INT(rc, MC_OK); /* got through: no more steps to fail */
			done = 1;
			break;
		}
		CHECK(rc == MC_EBUSY || rc == MC_EIO);
		th_digest(after);
		CHECK_STR(after, before);
		serial = saved;
	}
	CHECK(done);
	return n;
}

static const int kinds[] = { ST_FAULT_BUSY, ST_FAULT_IO };

typedef struct {
	int idx;
	char code[96];
	int phase; /* 0: receive, 1: action */
} fault_arg;

static int receive_fn(void *p)
{
	fault_arg *f = p;
	mc_err e;
	int rc = do_receive(f->code, 0, &e);
	if (rc && e.msg[0] == 0)
		fprintf(stderr, "error without message\n");
	return rc;
}

static int act_fn(void *p)
{
	fault_arg *f = p;
	mc_err e;
	int rc = do_act(cases[f->idx].who, f->code, cases[f->idx].action, &e);
	if (rc && e.msg[0] == 0)
		fprintf(stderr, "error without message\n");
	return rc;
}

/* The same with an idempotency key: a failed attempt must not leave the key
 * behind (else the retry would "replay" a write that never happened), and
 * once through, a repeat writes nothing and names the same dossier. */
static int keyed_receive_fn(void *p)
{
	fault_arg *f = p;
	app_actor tn = actor("tn");
	app_receive_req q = { .procedure = "1.001193", .channel = "direct", .name = "Lê Văn Khoá",
			      .id_number = "025090001234", .phone = "0912345678",
			      .request_key = f->phase ? "fault-key-io-0001" : "fault-key-busy-001" };
	mc_time due;
	mc_err e;
	serial++;
	return app_receive(A, &tn, &q, now_t(), f->code, &due, &e);
}

static int keyed_act_fn(void *p)
{
	fault_arg *f = p;
	app_actor tn = actor("tn");
	app_act_req q = { .action = "assign", .to_user = "cv",
			  .request_key = f->phase ? "fault-act-io-01" : "fault-act-busy-1" };
	mc_err e;
	serial++;
	return app_act(A, &tn, f->code, &q, now_t(), &e);
}

static void keyed_rounds(void)
{
	for (size_t k = 0; k < MC_ARRAY_LEN(kinds); k++) {
		fault_arg f = { .phase = (int)k };
		(void)fault_round("keyed receive", kinds[k], keyed_receive_fn, &f);
		char first[96], before[65], after[65];
		snprintf(first, sizeof first, "%s", f.code);
		int replayed = 0;
		T_CASE("keyed receive repeated");
		th_digest(before);
		app_actor tn = actor("tn");
		app_receive_req q = { .procedure = "1.001193", .channel = "direct",
				      .name = "Lê Văn Khoá", .id_number = "025090001234",
				      .phone = "0912345678",
				      .request_key = k ? "fault-key-io-0001" : "fault-key-busy-001",
				      .replayed = &replayed };
		mc_time due;
		mc_err e;
		CHECK_INT(app_receive(A, &tn, &q, now_t(), f.code, &due, &e), MC_OK);
		CHECK_STR(f.code, first);
		CHECK_INT(replayed, 1);
		th_digest(after);
		CHECK_STR(after, before);

		(void)fault_round("keyed assign", kinds[k], keyed_act_fn, &f);
		T_CASE("keyed assign repeated");
		th_digest(before);
		app_act_req aq = { .action = "assign", .to_user = "cv",
				   .request_key = k ? "fault-act-io-01" : "fault-act-busy-1",
				   .replayed = &replayed };
		replayed = 0;
		CHECK_INT(app_act(A, &tn, f.code, &aq, now_t(), &e), MC_OK);
		CHECK_INT(replayed, 1);
		th_digest(after);
		CHECK_STR(after, before);
	}
}

int main(void)
{
	if (sodium_init() < 0 || th_node(&A, th_time("2025-03-01 08:00")))
		return 1;
	for (int i = 0; i < 6; i++)
		actors[i] = th_actor(A, logins[i]);
	fault_arg f = { 0 };
	for (size_t k = 0; k < MC_ARRAY_LEN(kinds); k++)
		CHECK(fault_round("receive", kinds[k], receive_fn, &f) > 2); /* several steps */
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		f.idx = (int)i;
		/* Each round gets a fresh dossier brought to the state the action
		 * needs: after the first success the state has moved on. */
		int ok = 1;
		for (size_t k = 0; k < MC_ARRAY_LEN(kinds); k++) {
			mc_err e;
			if (do_receive(f.code, cases[i].pending, &e)) {
				fprintf(stderr, "setup: %s\n", e.msg);
				ok = 0;
				break;
			}
			for (int s = 0; s < 6 && cases[i].path[s][0]; s++)
				ok &= do_act(cases[i].path[s][0], f.code, cases[i].path[s][1], &e) ==
				      MC_OK;
			(void)fault_round(cases[i].action, kinds[k], act_fn, &f);
		}
		CHECK(ok);
	}
	keyed_rounds();
	int64_t n = 0, bad = 0;
	mc_err e;
	T_CASE("chain after faults");
	CHECK_INT(app_check(A, &n, &bad, &e), MC_OK);
	app_close(A);
	th_rmdir();
	return t_done();
}
