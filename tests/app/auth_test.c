/*
 * auth_test.c - the front door through the app layer: sign-in costs the
 * same for every login, sessions end (idle and absolute), a password reset
 * revokes tokens, the public rating gives one answer, idempotency keys are
 * bound to their request, free text refuses invisible characters, and the
 * calendar questions the CLI and the API share.
 */
#include "app/auth.h"
#include "helpers.h"

static app *A;
static const char PW[] = "mật-khẩu-thử";

static void test_login_cost(void)
{
	static const struct {
		const char *login, *password;
		int rc;
	} cases[] = {
		{ "tn", PW, MC_OK },
		{ "tn", "sai-mật-khẩu", MC_EPERM },
		{ "khong-co", PW, MC_EPERM },  /* unknown */
		{ "cv2", PW, MC_EPERM },       /* disabled below */
		{ NULL, PW, MC_EPERM },
		{ "tn", NULL, MC_EPERM },
	};
	app_actor qt = th_actor(A, "qt");
	mc_err e;
	auth_user_change off = { .disabled = 1 };
	CHECK_INT(auth_user_update(A, &qt, "cv2", &off, th_time("2025-03-01 08:00"), &e), MC_OK);
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].login ? cases[i].login : "(null)");
		app_actor who;
		mc_err le = { 0 };
		unsigned long v0 = app_test_pw_verifies();
		CHECK_INT(app_user_login(A, cases[i].login, cases[i].password, &who, &le), cases[i].rc);
		/* one argon2id verification whatever the login: the time taken
		 * does not tell a real account from an unknown or disabled one */
		CHECK_INT(app_test_pw_verifies() - v0, 1);
		if (cases[i].rc)
			CHECK_STR(le.msg, "wrong login or password");
	}
	auth_user_change on = { .disabled = 0 };
	CHECK_INT(auth_user_update(A, &qt, "cv2", &on, th_time("2025-03-01 08:00"), &e), MC_OK);
}

static int login(const char *who, const char *at, char token[AUTH_TOKEN_HEX])
{
	char csrf[AUTH_TOKEN_HEX];
	app_actor x;
	mc_err e;
	return auth_login(A, who, PW, "127.0.0.1", th_time(at), token, csrf, &x, &e);
}

static int session_at(const char *token, const char *at, mc_err *e)
{
	app_actor x;
	return auth_session(A, token, th_time(at), &x, e);
}

static void test_session_lifetime(void)
{
	char tok[AUTH_TOKEN_HEX];
	mc_err e = { 0 };
	T_CASE("absolute lifetime, 12 hours by default");
	json_t *s = app_settings_json(A);
	CHECK_INT(json_integer_value(json_object_get(s, "session_max_hours")), 12);
	json_decref(s);
	CHECK_INT(login("cv", "2025-03-03 07:00", tok), MC_OK);
	/* in use all day: never idle for 8 hours */
	CHECK_INT(session_at(tok, "2025-03-03 14:00", &e), MC_OK);
	CHECK_INT(session_at(tok, "2025-03-03 18:59", &e), MC_OK);
	CHECK_INT(session_at(tok, "2025-03-03 19:01", &e), MC_EPERM);
	CHECK_STR(e.msg, "session expired: sign in again");
	CHECK_INT(session_at(tok, "2025-03-03 19:02", &e), MC_EPERM);
	CHECK_STR(e.msg, "not signed in"); /* deleted */

	T_CASE("idle limit still 8 hours");
	CHECK_INT(login("cv", "2025-03-04 07:00", tok), MC_OK);
	CHECK_INT(session_at(tok, "2025-03-04 15:01", &e), MC_EPERM);
	CHECK_STR(e.msg, "session expired after 8 idle hours: sign in again");
}

static void test_session_setting(void)
{
	static const struct {
		int hours, rc;
	} cases[] = {
		{ 0, MC_EINVAL }, { 169, MC_EINVAL }, { -5, MC_EINVAL }, { 1, MC_OK },
		{ 168, MC_OK },   { 2, MC_OK },
	};
	app_actor qt = th_actor(A, "qt"), tn = th_actor(A, "tn");
	mc_time now = th_time("2025-03-04 16:00");
	mc_err e = { 0 };
	char tok[AUTH_TOKEN_HEX];
	T_CASE("session_max_hours: admin only, 1 to 168, kept as a setting");
	CHECK_INT(app_settings_update(A, &tn, NULL, NULL, 4, now, &e), MC_EPERM);
	CHECK_STR(e.msg, "only an administrator may change settings");
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		CHECK_INT(app_settings_update(A, &qt, NULL, NULL, cases[i].hours, now, &e),
			  cases[i].rc);
		if (cases[i].rc)
			CHECK_STR(e.msg, "session_max_hours must be a whole number from 1 to 168");
	}
	json_t *s = app_settings_json(A);
	CHECK_INT(json_integer_value(json_object_get(s, "session_max_hours")), 2);
	CHECK_STR(json_string_value(json_object_get(s, "cutoff")), "15:00"); /* unchanged */
	json_decref(s);
	/* another connection (a server thread) sees it too */
	app *b;
	CHECK_INT(app_open(th_dir, &b, &e), MC_OK);
	s = app_settings_json(b);
	CHECK_INT(json_integer_value(json_object_get(s, "session_max_hours")), 2);
	json_decref(s);
	app_close(b);
	T_CASE("a 2-hour lifetime");
	CHECK_INT(login("cv", "2025-03-04 16:00", tok), MC_OK);
	CHECK_INT(session_at(tok, "2025-03-04 17:59", &e), MC_OK);
	CHECK_INT(session_at(tok, "2025-03-04 18:01", &e), MC_EPERM);
	CHECK_STR(e.msg, "session expired: sign in again");
	CHECK_INT(app_settings_update(A, &qt, NULL, NULL, 12, now, &e), MC_OK);
}

static void test_reset_revokes_tokens(void)
{
	app_actor qt = th_actor(A, "qt"), x;
	char tok[AUTH_TOKEN_HEX], tok2[AUTH_TOKEN_HEX], id[17], sess[AUTH_TOKEN_HEX];
	mc_err e = { 0 };
	mc_time now = th_time("2025-03-05 08:00");
	T_CASE("a name change keeps tokens, a password reset revokes them");
	CHECK_INT(auth_token_create(A, &qt, "ld", now, tok, id, &e), MC_OK);
	CHECK_INT(auth_token_create(A, &qt, "cv", now, tok2, id, &e), MC_OK);
	CHECK_INT(login("ld", "2025-03-05 08:00", sess), MC_OK);
	auth_user_change name = { .name = "Lãnh đạo mới", .disabled = -1 };
	CHECK_INT(auth_user_update(A, &qt, "ld", &name, now, &e), MC_OK);
	CHECK_INT(auth_token(A, tok, &x, &e), MC_OK);
	auth_user_change pw = { .password = "mật-khẩu-mới-2025", .disabled = -1 };
	CHECK_INT(auth_user_update(A, &qt, "ld", &pw, now, &e), MC_OK);
	CHECK_INT(auth_token(A, tok, &x, &e), MC_EPERM);
	CHECK_STR(e.msg, "invalid API token");
	CHECK_INT(session_at(sess, "2025-03-05 08:01", &e), MC_EPERM);
	CHECK_INT(auth_token(A, tok2, &x, &e), MC_OK); /* another officer's token */
	/* put the test password back for the tests after */
	auth_user_change back = { .password = PW, .disabled = -1 };
	CHECK_INT(auth_user_update(A, &qt, "ld", &back, now, &e), MC_OK);
}

/* A reception that tests change one field of at a time. */
static app_receive_req reception(const json_t *comps)
{
	app_receive_req q = { .procedure = "1.001193", .channel = "direct",
			      .name = "Nguyễn Văn An", .id_number = "025090001234",
			      .phone = "0912345678", .summary = "Khai sinh cho con",
			      .address = "Xóm Đồi", .components = comps };
	return q;
}

static void test_idempotency(void)
{
	app_actor tn = th_actor(A, "tn"), ld = th_actor(A, "ld");
	char code[96], again[96], dg0[65], dg1[65];
	mc_time due, now = th_time("2025-03-06 08:00");
	mc_err e = { 0 };
	int replayed = 0;
	json_t *comps = json_pack("[{s:s, s:i, s:i}]", "name", "Tờ khai", "originals", 1,
				  "copies", 0);
	json_t *comps2 = json_pack("[{s:s, s:i, s:i}]", "name", "Tờ khai", "originals", 2,
				   "copies", 0);
	T_CASE("a reception's key replays the same request");
	app_receive_req q = reception(comps);
	q.request_key = "khoa-tiep-nhan-0001";
	q.replayed = &replayed;
	CHECK_INT(app_receive(A, &tn, &q, now, code, &due, &e), MC_OK);
	CHECK_INT(replayed, 0);
	CHECK_INT(app_receive(A, &tn, &q, now + 60, again, &due, &e), MC_OK);
	CHECK_INT(replayed, 1);
	CHECK_STR(again, code);

	T_CASE("the same key with another reception is a conflict");
	th_digest(dg0);
	static const char *const fields[] = { "procedure", "name", "summary", "components",
					      "phone", "channel" };
	for (size_t i = 0; i < MC_ARRAY_LEN(fields); i++) {
		app_receive_req o = q;
		if (i == 0)
			o.procedure = "1.000894";
		if (i == 1)
			o.name = "Nguyễn Văn Ân";
		if (i == 2)
			o.summary = "Khai sinh cho cháu";
		if (i == 3)
			o.components = comps2;
		if (i == 4)
			o.phone = "0912345679";
		if (i == 5)
			o.channel = "postal";
		T_CASE(fields[i]);
		CHECK_INT(app_receive(A, &tn, &o, now + 120, again, &due, &e), MC_ECONFLICT);
		CHECK_STR(e.msg, "this Idempotency-Key was used for another request");
	}
	th_digest(dg1);
	CHECK_STR(dg1, dg0);

	T_CASE("an action's key replays the same action only");
	app_act_req a = { .action = "assign", .to_user = "cv", .comment = "Giao anh Minh",
			  .request_key = "khoa-giao-viec-0001", .replayed = &replayed };
	CHECK_INT(app_act(A, &ld, code, &a, now + 180, &e), MC_OK);
	CHECK_INT(replayed, 0);
	CHECK_INT(app_act(A, &ld, code, &a, now + 240, &e), MC_OK);
	CHECK_INT(replayed, 1);
	app_act_req b = a;
	b.comment = "Giao chị Lan";
	CHECK_INT(app_act(A, &ld, code, &b, now + 300, &e), MC_ECONFLICT);
	CHECK_STR(e.msg, "this Idempotency-Key was used for another request");
	b = a;
	b.to_user = "cv2";
	CHECK_INT(app_act(A, &ld, code, &b, now + 300, &e), MC_ECONFLICT);
	/* a reception's key is not an action's */
	b = a;
	b.request_key = q.request_key;
	CHECK_INT(app_act(A, &tn, code, &b, now + 300, &e), MC_ECONFLICT);
	json_decref(comps);
	json_decref(comps2);
}

static void test_invisible_chars(void)
{
	static const char rlo[] = "Nguy\xe2\x80\xaen";
	app_actor tn = th_actor(A, "tn"), ld = th_actor(A, "ld"), qt = th_actor(A, "qt");
	char code[96], dg0[65], dg1[65];
	mc_time due, now = th_time("2025-03-07 08:00");
	mc_err e = { 0 };
	th_digest(dg0);
	static const char *const fields[] = { "applicant.name", "applicant.address", "summary",
					      "components[0].name" };
	for (size_t i = 0; i < MC_ARRAY_LEN(fields); i++) {
		json_t *comps = json_pack("[{s:s}]", "name", i == 3 ? rlo : "Tờ khai");
		app_receive_req q = reception(comps);
		if (i == 0)
			q.name = rlo;
		if (i == 1)
			q.address = "Xóm\xe2\x80\x8b" "Đồi";
		if (i == 2)
			q.summary = "Hồ sơ\xe2\x81\xa6";
		char want[160];
		snprintf(want, sizeof want,
			 "%s contains an invisible or direction-changing character (U+%s)", fields[i],
			 i == 1 ? "200B" : i == 2 ? "2066" : "202E");
		T_CASE(fields[i]);
		CHECK_INT(app_receive(A, &tn, &q, now, code, &due, &e), MC_EINVAL);
		CHECK_STR(e.msg, want);
		json_decref(comps);
	}
	T_CASE("comment, user and agency names");
	app_act_req a = { .action = "assign", .to_user = "cv", .comment = rlo };
	CHECK_INT(app_act(A, &ld, "000.31.45.H45-250306-0001", &a, now, &e), MC_EINVAL);
	CHECK_STR(e.msg, "comment contains an invisible or direction-changing character (U+202E)");
	CHECK_INT(app_user_add(A, &qt, "moi", "reception", rlo, "mật-khẩu-dài", now, &e), MC_EINVAL);
	CHECK_STR(e.msg, "name contains an invisible or direction-changing character (U+202E)");
	CHECK_INT(app_agency_add(A, &qt, "000.33.45.H45", rlo, "commune", NULL, now, &e), MC_EINVAL);
	th_digest(dg1);
	CHECK_STR(dg1, dg0);
}

/* Takes d to result_ready. */
static void finish(const char *code, mc_time now)
{
	app_actor ld = th_actor(A, "ld"), cv = th_actor(A, "cv");
	mc_err e;
	app_act_req as = { .action = "assign", .to_user = "cv" };
	app_act_req sub = { .action = "submit_approval" };
	app_act_req ok = { .action = "approve" };
	CHECK_INT(app_act(A, &ld, code, &as, now, &e), MC_OK);
	CHECK_INT(app_act(A, &cv, code, &sub, now + 60, &e), MC_OK);
	CHECK_INT(app_act(A, &ld, code, &ok, now + 120, &e), MC_OK);
}

static void test_public_rating(void)
{
	static const char cannot[] = "no dossier with this code and phone can be rated now";
	static const char nf[] = "no dossier matches this code and phone number";
	app_actor tn = th_actor(A, "tn");
	char code[96], unknown[96], dg0[65], dg1[65];
	mc_time due, now = th_time("2025-03-10 08:00");
	mc_err e = { 0 };
	app_receive_req q = reception(NULL);
	CHECK_INT(app_receive(A, &tn, &q, now, code, &due, &e), MC_OK);
	snprintf(unknown, sizeof unknown, "%.80s9", code); /* ...-00019: no such dossier */
	struct {
		const char *what, *code, *phone;
		int wrong;
	} cases[] = {
		{ "not ready", code, "5678", 0 },
		{ "wrong phone", code, "5679", 1 },
		{ "phone not 4 digits", code, "56a8", 1 },
		{ "unknown code", unknown, "5678", 0 },
		{ "no code", NULL, "5678", 0 },
	};
	th_digest(dg0);
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].what);
		int wrong = -1;
		CHECK_INT(auth_public_rate(A, cases[i].code, cases[i].phone, 3, "Tốt", now, &wrong, &e),
			  MC_ENOTFOUND);
		CHECK_STR(e.msg, cannot);
		CHECK_INT(wrong, cases[i].wrong);
		json_t *j = NULL;
		wrong = -1;
		int rc = auth_public_lookup(A, cases[i].code, cases[i].phone, now, &j, &wrong, &e);
		if (i == 0) {
			CHECK_INT(rc, MC_OK);
			CHECK(json_is_false(json_object_get(j, "can_rate")));
			json_decref(j);
		} else {
			CHECK_INT(rc, MC_ENOTFOUND);
			CHECK_STR(e.msg, nf);
		}
		CHECK_INT(wrong, cases[i].wrong);
	}
	th_digest(dg1);
	CHECK_STR(dg1, dg0);
	T_CASE("rated once, then the same answer");
	finish(code, now + 3600);
	int wrong = -1;
	CHECK_INT(auth_public_rate(A, code, "5678", 4, "", now, &wrong, &e), MC_EINVAL);
	CHECK_INT(auth_public_rate(A, code, "5678", 3, "Tốt", now + 7200, &wrong, &e), MC_OK);
	CHECK_INT(wrong, 0);
	CHECK_INT(auth_public_rate(A, code, "5678", 2, "Lại", now + 7300, &wrong, &e),
		  MC_ENOTFOUND);
	CHECK_STR(e.msg, cannot);
	CHECK_INT(wrong, 0);
	CHECK_INT(auth_public_rate(A, code, "5678", 2, "Lại", now + 7300, NULL, &e), MC_ENOTFOUND);
}

static void test_days_off(void)
{
	static const struct {
		const char *year;
		const char *msg; /* NULL: ok */
	} cases[] = {
		{ "2025", NULL },
		{ "1900", NULL },
		{ "abc", "year must be a whole number from 1900 to 2199, not 'abc'" },
		{ "", "year must be a whole number from 1900 to 2199, not ''" },
		{ NULL, "year must be a whole number from 1900 to 2199, not ''" },
		{ "1899", "year must be a whole number from 1900 to 2199, not '1899'" },
		{ "2026.5", "year must be a whole number from 1900 to 2199, not '2026.5'" },
		{ "99999999999999999999",
		  "year must be a whole number from 1900 to 2199, not '99999999999999999999'" },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].year ? cases[i].year : "(null)");
		json_t *j = NULL;
		mc_err e = { 0 };
		/* the same check with and without a node */
		for (int node = 0; node < 2; node++) {
			CHECK_INT(app_days_off(node ? A : NULL, cases[i].year, &j, &e),
				  cases[i].msg ? MC_EINVAL : MC_OK);
			if (cases[i].msg)
				CHECK_STR(e.msg, cases[i].msg);
			json_decref(j);
			j = NULL;
		}
	}
	T_CASE("2025 off days");
	json_t *j;
	mc_err e;
	CHECK_INT(app_days_off(NULL, "2025", &j, &e), MC_OK);
	CHECK_INT(json_array_size(json_object_get(j, "days_off")), 115);
	CHECK(json_is_true(json_object_get(j, "scheduled")));
	json_decref(j);
	CHECK_INT(app_days_off(A, "2030", &j, &e), MC_OK);
	CHECK(json_is_false(json_object_get(j, "scheduled")));
	json_decref(j);
}

static void test_due(void)
{
	static const struct {
		const char *at, *time, *unit;
		const char *due; /* NULL: refused with msg */
		const char *msg;
	} cases[] = {
		{ "2026-03-02 07:00", "1", "working_days", "2026-03-02 17:00", NULL },
		{ "2026-03-02T07:00", "1", "working_days", "2026-03-02 17:00", NULL },
		{ "2026-03-02T07:00:00+07:00", "1", "working_days", "2026-03-02 17:00", NULL },
		{ "2026-03-03 14:59", NULL, "same_day", "2026-03-03 17:00", NULL },
		{ "2026-02-13 16:00", "1", "working_days", "2026-02-23 16:00", NULL },
		{ NULL, "1", "working_days", NULL, "at is required (YYYY-MM-DD HH:MM)" },
		{ "2026-03-02", "1", "working_days", NULL,
		  "at: malformed date and time '2026-03-02' (use YYYY-MM-DD HH:MM)" },
		{ "2026-02-30 07:00", "1", "working_days", NULL, NULL },
		{ "2026-03-02 07:00", "1", "fortnights", NULL,
		  "unit must be working_days, working_hours, calendar_days or same_day, not 'fortnights'" },
		{ "2026-03-02 07:00", "1", NULL, NULL,
		  "unit must be working_days, working_hours, calendar_days or same_day, not ''" },
		{ "2026-03-02 07:00", NULL, "working_days", NULL, "time is required (a positive number)" },
		{ "2026-03-02 07:00", "-1", "working_days", NULL,
		  "time must be a positive number, not '-1'" },
		{ "2026-03-02 07:00", "nan", "working_days", NULL,
		  "time must be a positive number, not 'nan'" },
		{ "2026-03-02 07:00", "1e400", "calendar_days", NULL,
		  "time must be a positive number, not '1e400'" },
		{ "2026-03-02 07:00", "abc", "working_days", NULL,
		  "time must be a positive number, not 'abc'" },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].at ? cases[i].at : "(null)");
		mc_time t, due;
		int sched = -1;
		mc_err e = { 0 };
		for (int node = 0; node < 2; node++) {
			int rc = app_due(node ? A : NULL, cases[i].at, cases[i].time, cases[i].unit,
					 &t, &due, &sched, &e);
			CHECK_INT(rc, cases[i].due ? MC_OK : MC_EINVAL);
			if (cases[i].due) {
				char s[17];
				cal_format_datetime(due, s);
				CHECK_STR(s, cases[i].due);
				CHECK_INT(sched, 1);
			} else if (cases[i].msg) {
				CHECK_STR(e.msg, cases[i].msg);
			}
		}
	}
}

static void test_node(void)
{
	mc_err e = { 0 };
	T_CASE("now");
	setenv("MOTCUA_TEST_NOW", "2026-03-02 08:00", 1);
	CHECK_INT(app_now(), th_time("2026-03-02 08:00"));
	CHECK_INT(app_now_check(&e), MC_OK);
	setenv("MOTCUA_TEST_NOW", "hôm qua", 1);
	CHECK_INT(app_now_check(&e), MC_EINVAL);
	CHECK(strncmp(e.msg, "MOTCUA_TEST_NOW: ", 17) == 0);
	unsetenv("MOTCUA_TEST_NOW");
	mc_time t0 = (mc_time)time(NULL);
	CHECK(app_now() >= t0 && app_now() <= t0 + 5);
	CHECK_INT(app_now_check(&e), MC_OK);

	T_CASE("health, agencies, names");
	CHECK_INT(app_health(A, &e), MC_OK);
	CHECK_STR(app_agency_code(A), "000.31.45.H45");
	CHECK_STR(app_agency_name(A), "Xã Kim Bôi");
	CHECK_STR(app_dir(A), th_dir);
	json_t *j;
	CHECK_INT(app_agencies_json(A, &j, &e), MC_OK);
	json_t *items = json_object_get(j, "items");
	CHECK(json_array_size(items) >= 2);
	int self = 0;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		self += json_is_true(json_object_get(it, "self"));
	CHECK_INT(self, 1);
	json_decref(j);
}

int main(void)
{
	if (sodium_init() < 0 || th_node(&A, th_time("2025-03-01 08:00")))
		return 1;
	test_login_cost();
	test_session_lifetime();
	test_session_setting();
	test_reset_revokes_tokens();
	test_idempotency();
	test_invisible_chars();
	test_public_rating();
	test_days_off();
	test_due();
	test_node();
	app_close(A);
	th_rmdir();
	return t_done();
}
