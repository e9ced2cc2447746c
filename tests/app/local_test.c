/*
 * local_test.c - the commune's own procedure list laid over the catalog
 * (src/app/local.c, docs/overlay.md): which time reception uses, when a
 * procedure is refused, what a change records, the per-step due times.
 * The catalog is helpers.h's: 1.001193 (direct 5 working days), 2.000908
 * (direct same day), 1.000894 (direct 3, online 2 working days).
 */
#include "helpers.h"

#include "store/ev.h"

static app *a;
static app_actor qt, tn;
static mc_time now;

/* One row a step, applied in order (entries accumulate, as on a node):
 * set code's entry to json (NULL: leave it), then receive proc on channel
 * and expect rc, or the due time of amount unit from the reception. */
static const struct {
	const char *what, *code, *json, *proc, *channel;
	int rc;
	double amount;
	const char *unit;
} rows[] = {
	{ "no entry: the national time", NULL, NULL, "1.001193", "direct", 0, 5, "working_days" },
	{ "the commune's time replaces it", "1.001193",
	  "{\"times\":{\"direct\":{\"time\":2,\"unit\":\"working_days\"}},\"source\":\"QĐ 1\"}",
	  "1.001193", "direct", 0, 2, "working_days" },
	{ "a channel not set keeps the national time", "1.000894",
	  "{\"times\":{\"online\":{\"time\":1,\"unit\":\"working_days\"}},\"source\":\"QĐ 1\"}",
	  "1.000894", "direct", 0, 3, "working_days" },
	{ "the channel set uses its own", NULL, NULL, "1.000894", "online", 0, 1, "working_days" },
	{ "postal falls back to direct", NULL, NULL, "1.000894", "postal", 0, 3, "working_days" },
	{ "same_day replaced by calendar days", "2.000908",
	  "{\"times\":{\"direct\":{\"time\":3,\"unit\":\"calendar_days\"}},\"source\":\"QĐ 1\"}",
	  "2.000908", "direct", 0, 3, "calendar_days" },
	{ "disabled: refused", "2.000908", "{\"enabled\":false,\"source\":\"QĐ 2\"}", "2.000908",
	  "direct", MC_ECONFLICT, 0, NULL },
	{ "disabled drops its time too (the entry is whole)", "2.000908",
	  "{\"enabled\":null,\"source\":\"QĐ 3\"}", "2.000908", "direct", 0, 1, "same_day" },
	{ "enabled: the commune has a list", "1.001193",
	  "{\"enabled\":true,\"times\":{\"direct\":{\"unit\":\"same_day\"}},\"source\":\"QĐ 4\"}",
	  "1.001193", "direct", 0, 1, "same_day" },
	{ "not decided, with a list: not on it", NULL, NULL, "1.000894", "direct", MC_ECONFLICT, 0,
	  NULL },
	{ "enabled again with its own time", "1.000894",
	  "{\"enabled\":true,\"times\":{\"direct\":{\"time\":4,\"unit\":\"working_hours\"}},"
	  "\"source\":\"QĐ 5\"}",
	  "1.000894", "direct", 0, 4, "working_hours" },
};

static void test_merge(void)
{
	mc_time t = th_time("2026-03-06 14:00"); /* a Friday */
	for (size_t i = 0; i < MC_ARRAY_LEN(rows); i++) {
		T_CASE(rows[i].what);
		mc_err e;
		if (rows[i].json) {
			json_t *in = json_loads(rows[i].json, 0, NULL), *out = NULL;
			CHECK(in != NULL);
			CHECK_INT(app_local_set(a, &qt, rows[i].code, in, t, &out, &e), MC_OK);
			json_decref(in);
			json_decref(out);
		}
		app_receive_req q = { .procedure = rows[i].proc, .channel = rows[i].channel,
				      .name = "Lò Văn Thử", .id_number = "025090001234",
				      .phone = "0912345678" };
		char code[96];
		mc_time due = 0;
		int rc = app_receive(a, &tn, &q, t, code, &due, &e);
		CHECK_INT(rc, rows[i].rc);
		size_t ndefs;
		if (rows[i].rc == MC_ECONFLICT)
			CHECK_STR(mc_errdefs(&ndefs)[e.id].name, "procedure.disabled");
		if (rc || rows[i].rc)
			continue;
		mc_time want = 0;
		CHECK_INT(dl_due(&a->sched, &a->hours, t, rows[i].amount, dl_unit_parse(rows[i].unit),
				 &want, &e),
			  MC_OK);
		CHECK_INT(due, want);
	}
}

/* Bad entries change nothing and name the field. */
static void test_bad(void)
{
	static const struct {
		const char *json, *msg;
	} bad[] = {
		{ "{\"enabled\":true}", "source" },
		{ "{\"source\":\"\"}", "source" },
		{ "{\"source\":\"x\",\"colour\":1}", "colour" },
		{ "{\"source\":\"x\",\"enabled\":1}", "enabled" },
		{ "{\"source\":\"x\",\"fee\":-5}", "fee" },
		{ "{\"source\":\"x\",\"fee\":1.5}", "fee" },
		{ "{\"source\":\"x\",\"times\":{\"desk\":null}}", "desk" },
		{ "{\"source\":\"x\",\"times\":{\"direct\":{\"time\":0,\"unit\":\"working_days\"}}}", "times.direct.time" },
		{ "{\"source\":\"x\",\"times\":{\"direct\":{\"time\":2}}}", "times.direct.unit" },
		{ "{\"source\":\"x\",\"times\":{\"direct\":{\"unit\":\"working_days\"}}}", "times.direct.time" },
		{ "{\"source\":\"x\",\"steps\":[{\"name\":\"a\",\"kind\":\"reception\",\"share\":60}]}", "100" },
		{ "{\"source\":\"x\",\"steps\":[{\"name\":\"a\",\"kind\":\"boss\",\"share\":100}]}", "kind" },
		{ "{\"source\":\"x\",\"steps\":[{\"name\":\"\",\"kind\":\"leader\",\"share\":100}]}", "name" },
		{ "{\"source\":\"x\",\"handling_unit\":7}", "handling_unit" },
	};
	char before[65], after[65];
	th_digest(before);
	for (size_t i = 0; i < MC_ARRAY_LEN(bad); i++) {
		T_CASE(bad[i].json);
		json_t *in = json_loads(bad[i].json, 0, NULL), *out = NULL;
		mc_err e;
		CHECK_INT(app_local_set(a, &qt, "1.001193", in, now, &out, &e), MC_EINVAL);
		CHECK(strstr(e.msg, bad[i].msg) != NULL);
		json_decref(in);
	}
	T_CASE("reception may not set the list");
	json_t *in = json_loads("{\"source\":\"x\"}", 0, NULL), *out = NULL;
	mc_err e;
	CHECK_INT(app_local_set(a, &tn, "1.001193", in, now, &out, &e), MC_EPERM);
	T_CASE("unknown procedure");
	CHECK_INT(app_local_set(a, &qt, "9.999999", in, now, &out, &e), MC_ENOTFOUND);
	json_decref(in);
	th_digest(after);
	T_CASE("bad entries changed nothing");
	CHECK_STR(after, before);
}

/* A change is one event with the whole entry and the next version; the
 * same entry again writes nothing. */
static void test_versions(void)
{
	T_CASE("versions");
	const char *j = "{\"enabled\":true,\"fee\":8000,\"handling_unit\":\"Tư pháp\","
			"\"steps\":[{\"name\":\"Tiếp nhận\",\"kind\":\"reception\",\"share\":20},"
			"{\"name\":\"Ký\",\"kind\":\"leader\",\"share\":80}],\"source\":\"QĐ 9\"}";
	json_t *in = json_loads(j, 0, NULL), *o1 = NULL, *o2 = NULL;
	mc_err e;
	json_t *cur = NULL;
	int v0 = app_local_get(a, "2.000908", &cur, &e) ? 0
							: (int)json_integer_value(json_object_get(cur, "version"));
	json_decref(cur);
	int64_t n0 = 0, n1 = 0, n2 = 0, bad = 0;
	CHECK_INT(app_check(a, &n0, &bad, &e), MC_OK);
	CHECK_INT(app_local_set(a, &qt, "2.000908", in, now, &o1, &e), MC_OK);
	CHECK_INT(app_check(a, &n1, &bad, &e), MC_OK);
	CHECK_INT(app_local_set(a, &qt, "2.000908", in, now, &o2, &e), MC_OK);
	CHECK_INT(app_check(a, &n2, &bad, &e), MC_OK);
	CHECK_INT(n1, n0 + 1);
	CHECK_INT(n2, n1);
	CHECK_INT(json_integer_value(json_object_get(o1, "version")), v0 + 1);
	CHECK_INT(json_integer_value(json_object_get(o2, "version")), v0 + 1);
	CHECK_STR(json_string_value(json_object_get(o1, "agency")), "000.31.45.H45");
	CHECK_STR(json_string_value(json_object_get(o1, "source")), "QĐ 9");
	int64_t fee = 0;
	CHECK_INT(app_local_fee(a, "2.000908", &fee, &e), MC_OK);
	CHECK_INT(fee, 8000);
	json_decref(in);
	json_decref(o1);
	json_decref(o2);
}

/* Each step is due when its share of the working time has run; the last at
 * the dossier's due time; verdicts from when each step ended. */
static void test_steps(void)
{
	T_CASE("steps");
	mc_time recv = th_time("2026-03-02 08:00"), due = 0;
	mc_err e;
	CHECK_INT(dl_due(&a->sched, &a->hours, recv, 5, DL_WORKING_DAYS, &due, &e), MC_OK);
	json_t *hist = json_pack("[{s:s, s:s}]", "action", "approve", "at", "2026-03-03T09:00:00+07:00");
	json_t *s = app_local_steps(a, "2.000908", recv, due, hist, th_time("2026-03-04 08:00"));
	CHECK_INT(json_array_size(s), 2);
	mc_time first = 0;
	CHECK_INT(dl_add_working(&a->sched, &a->hours, recv, 5 * 8 * 3600 * 20 / 100, &first, &e),
		  MC_OK);
	json_t *f = app_json_time(first), *d = app_json_time(due);
	CHECK_STR(json_string_value(json_object_get(json_array_get(s, 0), "due_at")),
		  json_string_value(f));
	CHECK_STR(json_string_value(json_object_get(json_array_get(s, 1), "due_at")),
		  json_string_value(d));
	/* Reception ended on the day before its step's due date (early); the
	 * leader signed on 3/3, before the dossier's due date 9/3 (early). */
	CHECK_STR(json_string_value(json_object_get(json_array_get(s, 0), "timeliness")), "early");
	CHECK_STR(json_string_value(json_object_get(json_array_get(s, 1), "timeliness")), "early");
	json_decref(f);
	json_decref(d);
	json_decref(s);
	T_CASE("no steps: empty");
	s = app_local_steps(a, "1.000894", recv, due, hist, now);
	CHECK_INT(json_array_size(s), 0);
	json_decref(s);
	json_decref(hist);
}

int main(void)
{
	now = th_time("2026-03-06 10:00");
	if (th_node(&a, now))
		return 1;
	qt = th_actor(a, "qt");
	tn = th_actor(a, "tn");
	test_merge();
	test_bad();
	test_versions();
	test_steps();
	app_close(a);
	th_rmdir();
	return t_done();
}
