/*
 * notify_test.c - live alerts (issue 13) through the app layer: the sweep
 * tells each crossing into near due and overdue once, the digest comes
 * once a working day from its first working instant and never on a day
 * off, each role's alerts, the bell's reads, e-mail address checks.
 *
 * Two dossiers received Monday 2026-03-02 08:00 (07:00-11:30, 13:30-17:00):
 *   D1  3 working days, assigned to cv: due Thu 03-05 08:00
 *   D2  5 working days, nobody assigned: due Mon 03-09 08:00
 */
#include "helpers.h"

#include "app/notify.h"

static app *A;
static char D1[96], D2[96];

static const struct {
	const char *at;
	int near, over, digests;
} sweeps[] = {
	{ "2026-03-02 06:30", 0, 0, 0 }, /* before office hours: no digest yet */
	{ "2026-03-04 09:00", 1, 0, 3 }, /* D1 near (cv); digests: cv, tn (D2), ld */
	{ "2026-03-04 09:00", 0, 0, 0 }, /* the same minute again: nothing */
	{ "2026-03-04 16:59", 0, 0, 0 }, /* later that day: nothing */
	{ "2026-03-05 08:30", 0, 2, 3 }, /* D1 overdue: cv and ld */
	{ "2026-03-06 16:00", 1, 0, 3 }, /* Fri: D2 near Mon 08:00, nobody assigned: ld */
	{ "2026-03-07 10:00", 0, 0, 0 }, /* Saturday: no digest */
	{ "2026-03-08 10:00", 0, 0, 0 }, /* Sunday */
	{ "2026-03-09 07:00", 0, 0, 3 }, /* Mon 07:00, the first working instant */
	{ "2026-03-09 08:00", 0, 0, 0 }, /* D2 due exactly now: not late yet */
	{ "2026-03-09 08:01", 0, 1, 0 }, /* D2 overdue, nobody assigned: ld */
};

static void setup(void)
{
	T_CASE("setup");
	mc_err e;
	mc_time due;
	app_actor tn = th_actor(A, "tn");
	app_receive_req q = { .procedure = "1.000894", .channel = "direct", .name = "Bùi Văn Một",
			      .id_number = "025090001234", .phone = "0912345678" };
	CHECK_INT(app_receive(A, &tn, &q, th_time("2026-03-02 08:00"), D1, &due, &e), MC_OK);
	CHECK_INT(due, th_time("2026-03-05 08:00"));
	q.procedure = "1.001193";
	q.name = "Bùi Văn Hai";
	CHECK_INT(app_receive(A, &tn, &q, th_time("2026-03-02 08:00"), D2, &due, &e), MC_OK);
	CHECK_INT(due, th_time("2026-03-09 08:00"));
	app_act_req r = { .action = "assign", .to_user = "cv" };
	CHECK_INT(app_act(A, &tn, D1, &r, th_time("2026-03-02 08:05"), &e), MC_OK);
}

static void test_sweeps(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(sweeps); i++) {
		T_CASE(sweeps[i].at);
		app_sweep_stats s;
		mc_err e;
		char before[65], after[65];
		th_digest(before);
		int rc = app_notify_sweep(A, th_time(sweeps[i].at), &s, &e);
		CHECK_INT(rc, MC_OK);
		/* A sweep never touches the dossiers nor the event log. */
		th_digest(after);
		CHECK_STR(after, before);
		if (rc)
			fprintf(stderr, "  %s\n", e.msg);
		CHECK_INT(s.near_due, sweeps[i].near);
		CHECK_INT(s.overdue, sweeps[i].over);
		CHECK_INT(s.digests, sweeps[i].digests);
		CHECK_INT(s.emailed + s.email_failed, 0); /* no SMTP configured */
	}
}

/* The count of items and the totals of by's alerts at t. */
static void alerts_of(const char *who, const char *t, int near, int over, const char *first)
{
	app_actor x = th_actor(A, who);
	json_t *j = NULL;
	mc_err e;
	CHECK_INT(app_alerts(A, &x, th_time(t), &j, &e), MC_OK);
	if (!j)
		return;
	json_t *g_near = json_object_get(j, "near_due"), *g_over = json_object_get(j, "overdue");
	CHECK_INT(json_integer_value(json_object_get(g_near, "total")), near);
	CHECK_INT(json_integer_value(json_object_get(g_over, "total")), over);
	json_t *items = json_object_get(j, "items");
	CHECK_INT((int)json_array_size(items), near + over);
	if (first)
		CHECK_STR(json_string_value(json_object_get(json_array_get(items, 0), "code")), first);
	json_decref(j);
}

static void test_alerts(void)
{
	static const struct {
		const char *who, *at;
		int near, over;
		const char *first;
	} cases[] = {
		{ "ld", "2026-03-06 16:00", 1, 1, D1 },
		{ "qt", "2026-03-06 16:00", 1, 1, D1 },
		{ "gs", "2026-03-06 16:00", 1, 1, D1 },
		{ "cv", "2026-03-06 16:00", 0, 1, D1 },
		{ "cv2", "2026-03-06 16:00", 0, 0, NULL },
		{ "tn", "2026-03-06 16:00", 1, 0, D2 }, /* received, nobody assigned */
		{ "ld", "2026-03-02 09:00", 0, 0, NULL },
		{ "ld", "2026-03-05 08:00", 1, 0, D1 },   /* due exactly now: not late yet */
		{ "ld", "2026-03-05 08:01", 0, 1, D1 },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].who);
		alerts_of(cases[i].who, cases[i].at, cases[i].near, cases[i].over, cases[i].first);
	}
	T_CASE("alerts: by officer and unit, overdue minutes");
	app_actor ld = th_actor(A, "ld");
	json_t *j = NULL;
	mc_err e;
	CHECK_INT(app_alerts(A, &ld, th_time("2026-03-06 16:00"), &j, &e), MC_OK);
	json_t *over = json_object_get(j, "overdue");
	json_t *o = json_array_get(json_object_get(over, "by_officer"), 0);
	CHECK_STR(json_string_value(json_object_get(o, "login")), "cv");
	CHECK_INT(json_integer_value(json_object_get(o, "count")), 1);
	json_t *u = json_array_get(json_object_get(over, "by_unit"), 0);
	CHECK_STR(json_string_value(json_object_get(u, "unit")), APP_NO_UNIT);
	json_t *nb = json_array_get(json_object_get(json_object_get(j, "near_due"), "by_officer"), 0);
	CHECK_STR(json_string_value(json_object_get(nb, "login")), "");
	CHECK_STR(json_string_value(json_object_get(nb, "name")), APP_NO_ASSIGNEE);
	/* Thu 08:00-17:00 (7 h) and Fri 07:00-16:00 (7 h) */
	json_t *it = json_array_get(json_object_get(j, "items"), 0);
	CHECK_INT(json_integer_value(json_object_get(it, "overdue_by_minutes")), 14 * 60);
	json_decref(j);
}

static int64_t unread(const char *who)
{
	app_actor x = th_actor(A, who);
	json_t *j = NULL;
	mc_err e;
	if (app_notifications(A, &x, 0, APP_NOTIFY_LIMIT, &j, &e))
		return -1;
	int64_t n = json_integer_value(json_object_get(j, "unread"));
	json_decref(j);
	return n;
}

static void test_bell(void)
{
	T_CASE("bell");
	/* ld: D1 overdue, D2 near, D2 overdue (the last sweep), four digests
	 * (Wed, Thu, Fri, Mon) */
	CHECK_INT(unread("ld"), 7);
	/* cv: D1 near, D1 overdue, digests Wed, Thu, Fri, Mon */
	CHECK_INT(unread("cv"), 6);
	CHECK_INT(unread("cv2"), 0);
	app_actor ld = th_actor(A, "ld"), cv = th_actor(A, "cv");
	json_t *j = NULL;
	mc_err e;
	CHECK_INT(app_notifications(A, &ld, 1, 2, &j, &e), MC_OK);
	CHECK_INT((int)json_array_size(json_object_get(j, "items")), 2);
	int64_t ids[2];
	for (int i = 0; i < 2; i++)
		ids[i] = json_integer_value(json_object_get(json_array_get(json_object_get(j, "items"), i), "id"));
	CHECK(ids[0] > ids[1]); /* newest first */
	json_decref(j);
	int64_t left = -1;
	/* Someone else's ids: nothing changes. */
	CHECK_INT(app_notifications_read(A, &cv, ids, 2, 0, th_time("2026-03-09 09:00"), &left, &e), MC_OK);
	CHECK_INT(left, 6);
	CHECK_INT(unread("ld"), 7);
	CHECK_INT(app_notifications_read(A, &ld, ids, 2, 0, th_time("2026-03-09 09:00"), &left, &e), MC_OK);
	CHECK_INT(left, 5);
	/* Again: read ones stay read. */
	CHECK_INT(app_notifications_read(A, &ld, ids, 2, 0, th_time("2026-03-09 09:01"), &left, &e), MC_OK);
	CHECK_INT(left, 5);
	int64_t many[APP_NOTIFY_IDS_MAX + 1] = { 0 };
	CHECK_INT(app_notifications_read(A, &ld, many, MC_ARRAY_LEN(many), 0, th_time("2026-03-09 09:01"), &left, &e), MC_EINVAL);
	CHECK_INT(unread("ld"), 5);
	CHECK_INT(app_notifications_read(A, &ld, NULL, 0, 1, th_time("2026-03-09 09:02"), &left, &e), MC_OK);
	CHECK_INT(left, 0);
	CHECK_INT(unread("cv"), 6);
	CHECK_INT(app_notifications(A, &ld, 0, 0, &j, &e), MC_EINVAL);
	CHECK_INT(app_notifications(A, &ld, 0, APP_NOTIFY_LIMIT + 1, &j, &e), MC_EINVAL);
}

static void test_email_check(void)
{
	static const struct {
		const char *s;
		int ok;
	} cases[] = {
		{ "", 1 },
		{ "a@b.vn", 1 },
		{ "chuyen.vien+so1@ubnd.kimboi.hoabinh.gov.vn", 1 },
		{ "a@b", 0 },
		{ "@b.vn", 0 },
		{ "a@", 0 },
		{ "a@@b.vn", 0 },
		{ "a b@c.vn", 0 },
		{ "a@b.vn\r\nBcc: x@y.vn", 0 },
		{ "<a@b.vn>", 0 },
		{ "a@.b.vn", 0 },
		{ "a@b.vn.", 0 },
		{ "\"a\"@b.vn", 0 },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].s);
		mc_err e;
		CHECK_INT(app_email_check(cases[i].s, &e), cases[i].ok ? MC_OK : MC_EINVAL);
	}
	T_CASE("smtp settings");
	app_actor qt = th_actor(A, "qt"), ld = th_actor(A, "ld");
	json_t *j = NULL;
	mc_err e;
	CHECK_INT(app_smtp_set(A, &ld, "smtp://x.vn:25", "", "p", "a@x.vn", 0, &j, &e), MC_EPERM);
	CHECK_INT(app_smtp_set(A, &qt, "smtp://x.vn:25", NULL, NULL, NULL, 0, &j, &e), MC_EINVAL);
	CHECK_INT(app_smtp_set(A, &qt, "ftp://x.vn", NULL, NULL, "a@x.vn", 0, &j, &e), MC_EINVAL);
	CHECK_INT(app_smtp_set(A, &qt, "smtps://mail.x.vn:465", "u", "bí-mật", "a@x.vn", 0, &j, &e),
		  MC_OK);
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	CHECK_STR(text ? text : "",
		  "{\"from\":\"a@x.vn\",\"password_set\":true,\"url\":\"smtps://mail.x.vn:465\",\"user\":\"u\"}");
	free(text);
	json_decref(j);
}

int main(void)
{
	if (sodium_init() < 0 || th_node(&A, th_time("2026-03-02 07:00")))
		return 1;
	setup();
	test_sweeps();
	test_alerts();
	test_bell();
	test_email_check();
	app_close(A);
	th_rmdir();
	return t_done();
}
