/*
 * engine_test.c - the dossier engine through the app layer: reception,
 * codes, a whole life, permissions, scoping, search, and the event chain.
 */
#include "helpers.h"
#include "store/ev.h"

static app *A;

static int receive(const char *who, const char *proc, const char *channel, const char *name,
		   const char *at, char *code, mc_time *due, mc_err *e)
{
	app_actor x = th_actor(A, who);
	app_receive_req q = { .procedure = proc, .channel = channel, .name = name,
			      .id_number = "025090001234", .phone = "0912 345 678",
			      .summary = "Đăng ký khai sinh cho con" };
	return app_receive(A, &x, &q, th_time(at), code, due, e);
}

static int act(const char *who, const char *code, const char *action, const char *to,
	       const char *comment, const char *at, mc_err *e)
{
	app_actor x = th_actor(A, who);
	app_act_req q = { .action = action, .to_user = to, .comment = comment };
	if (to && strchr(to, '.'))
		q = (app_act_req){ .action = action, .to_agency = to, .comment = comment };
	return app_act(A, &x, code, &q, th_time(at), e);
}

static const char *status_of(const char *code, char *buf, size_t n)
{
	json_t *d;
	mc_err e;
	buf[0] = 0;
	if (app_dossier_get(A, code, 0, th_time("2025-03-01 08:00"), &d, &e) == MC_OK) {
		snprintf(buf, n, "%s", json_string_value(json_object_get(d, "status")));
		json_decref(d);
	}
	return buf;
}

static void test_codes(void)
{
	T_CASE("codes");
	char code[96];
	mc_time due;
	mc_err e;
	CHECK_INT(receive("tn", "1.001193", "direct", "Nguyễn Văn An", "2025-03-03 08:00", code,
			  &due, &e), MC_OK);
	CHECK_STR(code, "000.31.45.H45-250303-0001");
	CHECK_INT(due, th_time("2025-03-10 08:00")); /* 5 working days */
	CHECK_INT(receive("tn", "1.001193", "postal", "Trần Thị Bình", "2025-03-03 16:59", code,
			  &due, &e), MC_OK);
	CHECK_STR(code, "000.31.45.H45-250303-0002");
	CHECK_INT(receive("tn", "2.000908", "direct", "Lê Văn Cường", "2025-03-04 14:59", code,
			  &due, &e), MC_OK);
	CHECK_STR(code, "000.31.45.H45-250304-0001"); /* new day, new serial */
	CHECK_INT(due, th_time("2025-03-04 17:00"));  /* same day before 15:00 */
	CHECK_INT(receive("tn", "1.000894", "online", "Phạm Thị Dung", "2025-03-04 15:00", code,
			  &due, &e), MC_OK);
	CHECK_INT(due, th_time("2025-03-06 15:00")); /* the online time: 2 working days */
}

static void test_bad_receptions(void)
{
	T_CASE("bad receptions");
	char code[96];
	mc_time due;
	mc_err e;
	char before[65], after[65];
	th_digest(before);
	CHECK_INT(receive("tn", "9.999999", "direct", "A", "2025-03-05 08:00", code, &due, &e),
		  MC_ENOTFOUND);
	CHECK(strstr(e.msg, "9.999999") != NULL);
	CHECK_INT(receive("tn", "1.001193", "fax", "A", "2025-03-05 08:00", code, &due, &e), MC_EINVAL);
	CHECK_INT(receive("tn", "1.001193", "direct", "", "2025-03-05 08:00", code, &due, &e), MC_EINVAL);
	CHECK_INT(receive("tn", "1.001193", "direct", "\xc3\x28", "2025-03-05 08:00", code, &due, &e),
		  MC_EINVAL);
	CHECK_INT(receive("cv", "1.001193", "direct", "A", "2025-03-05 08:00", code, &due, &e), MC_EPERM);
	CHECK_INT(receive("gs", "1.001193", "direct", "A", "2025-03-05 08:00", code, &due, &e), MC_EPERM);
	app_actor tn = th_actor(A, "tn"), qt = th_actor(A, "qt");
	app_receive_req q = { .procedure = "1.001193", .channel = "direct", .name = "Bùi Văn E",
			      .id_number = "025090001234", .phone = "0912345678" };
	q.id_number = "12345";
	CHECK_INT(app_receive(A, &tn, &q, th_time("2025-03-05 08:00"), code, &due, &e), MC_EINVAL);
	q.id_number = "099090001234"; /* no province 099 */
	CHECK_INT(app_receive(A, &tn, &q, th_time("2025-03-05 08:00"), code, &due, &e), MC_EINVAL);
	q.id_number = "025090001234";
	q.phone = "12";
	CHECK_INT(app_receive(A, &tn, &q, th_time("2025-03-05 08:00"), code, &due, &e), MC_EINVAL);
	q.phone = "0912345678";
	q.email = "not-an-email";
	CHECK_INT(app_receive(A, &tn, &q, th_time("2025-03-05 08:00"), code, &due, &e), MC_EINVAL);
	q.email = NULL;
	/* back-dating: admins only, never into the future */
	q.received_at = th_time("2025-02-03 08:00");
	CHECK_INT(app_receive(A, &tn, &q, th_time("2025-03-05 08:00"), code, &due, &e), MC_EPERM);
	q.received_at = th_time("2025-03-06 08:00");
	CHECK_INT(app_receive(A, &qt, &q, th_time("2025-03-05 08:00"), code, &due, &e), MC_EINVAL);
	json_t *bad = json_loads("[{\"name\":\"Tờ khai\",\"originals\":-1}]", 0, NULL);
	q.received_at = 0;
	q.components = bad;
	CHECK_INT(app_receive(A, &tn, &q, th_time("2025-03-05 08:00"), code, &due, &e), MC_EINVAL);
	json_decref(bad);
	bad = json_loads("[{\"name\":\"Tờ khai\",\"pages\":3}]", 0, NULL);
	q.components = bad;
	CHECK_INT(app_receive(A, &tn, &q, th_time("2025-03-05 08:00"), code, &due, &e), MC_EINVAL);
	CHECK(strstr(e.msg, "pages") != NULL);
	json_decref(bad);
	th_digest(after);
	CHECK_STR(after, before);
	/* an admin may back-date */
	q.components = NULL;
	q.received_at = th_time("2025-02-03 08:00");
	CHECK_INT(app_receive(A, &qt, &q, th_time("2025-03-05 08:00"), code, &due, &e), MC_OK);
	CHECK_STR(code, "000.31.45.H45-250203-0001");
}

static void test_life(void)
{
	T_CASE("life");
	char code[96], sbuf[32];
	mc_time due;
	mc_err e;
	CHECK_INT(receive("tn", "1.001193", "direct", "Hoàng Thị Giang", "2025-03-10 08:00", code,
			  &due, &e), MC_OK);
	CHECK_INT(due, th_time("2025-03-17 08:00"));
	/* a specialist cannot assign; a reception officer can */
	CHECK_INT(act("cv", code, "assign", "cv", NULL, "2025-03-10 09:00", &e), MC_EPERM);
	CHECK_INT(act("tn", code, "assign", "nobody", NULL, "2025-03-10 09:00", &e), MC_EINVAL);
	CHECK_INT(act("tn", code, "assign", "tn", NULL, "2025-03-10 09:00", &e), MC_EINVAL);
	{
		app_actor cv2 = th_actor(A, "cv2");
		app_act_req ap = { .action = "apology", .comment = "trễ",
				   .new_due = th_time("2025-03-20 17:00") };
		CHECK_INT(app_act(A, &cv2, code, &ap, th_time("2025-03-10 08:30"), &e), MC_EPERM);
	}
	CHECK_INT(act("tn", code, "assign", "cv", NULL, "2025-03-10 09:00", &e), MC_OK);
	CHECK_STR(status_of(code, sbuf, sizeof sbuf), "processing");
	/* only the assignee specialist may work on it */
	CHECK_INT(act("cv2", code, "submit_approval", NULL, NULL, "2025-03-11 09:00", &e), MC_EPERM);
	CHECK_INT(act("cv", code, "request_supplement", NULL, "", "2025-03-11 09:00", &e), MC_EINVAL);
	CHECK_INT(act("cv", code, "request_supplement", NULL, "Thiếu giấy chứng sinh",
		      "2025-03-11 09:00", &e), MC_OK);
	CHECK_STR(status_of(code, sbuf, sizeof sbuf), "supplement");
	CHECK_INT(act("cv", code, "supplement_received", NULL, NULL, "2025-03-12 09:00", &e), MC_OK);
	json_t *d;
	CHECK_INT(app_dossier_get(A, code, 1, th_time("2025-03-12 09:00"), &d, &e), MC_OK);
	/* paused 8 working hours: due moves from 17/3 08:00 to 18/3 08:00 */
	CHECK_STR(json_string_value(json_object_get(d, "due_at")), "2025-03-18T08:00:00+07:00");
	json_decref(d);
	CHECK_INT(act("ld", code, "approve", NULL, NULL, "2025-03-12 10:00", &e), MC_ECONFLICT);
	CHECK(strstr(e.msg, "processing") != NULL);
	CHECK_INT(act("cv", code, "submit_approval", NULL, NULL, "2025-03-12 10:00", &e), MC_OK);
	CHECK_INT(act("cv", code, "approve", NULL, NULL, "2025-03-12 11:00", &e), MC_EPERM);
	CHECK_INT(act("ld", code, "send_back", NULL, "Sai tên cha", "2025-03-12 11:00", &e), MC_OK);
	CHECK_INT(act("cv", code, "submit_approval", NULL, NULL, "2025-03-13 08:00", &e), MC_OK);
	CHECK_INT(act("ld", code, "approve", NULL, NULL, "2025-03-13 09:00", &e), MC_OK);
	CHECK_INT(act("ld", code, "return", NULL, NULL, "2025-03-13 10:00", &e), MC_EPERM);
	CHECK_INT(act("tn", code, "return", NULL, "Người nộp nhận", "2025-03-13 10:00", &e), MC_OK);
	CHECK_INT(act("tn", code, "return", NULL, NULL, "2025-03-13 10:00", &e), MC_ECONFLICT);
	CHECK_INT(act("gs", code, "withdraw", NULL, NULL, "2025-03-13 10:00", &e), MC_EPERM);
	CHECK_INT(app_dossier_get(A, code, 1, th_time("2025-03-14 09:00"), &d, &e), MC_OK);
	CHECK_STR(json_string_value(json_object_get(d, "status")), "returned");
	CHECK_INT(json_integer_value(json_object_get(d, "status_code")), 10);
	CHECK_STR(json_string_value(json_object_get(d, "timeliness")), "early");
	CHECK_STR(json_string_value(json_object_get(d, "collected_by")), "Người nộp nhận");
	json_t *h = json_object_get(d, "history");
	CHECK_INT(json_array_size(h), 9);
	CHECK_STR(json_string_value(json_object_get(json_array_get(h, 0), "kind")), "dossier.received");
	CHECK_STR(json_string_value(json_object_get(json_array_get(h, 8), "to")), "returned");
	CHECK_STR(json_string_value(json_object_get(json_array_get(h, 2), "comment")),
		  "Thiếu giấy chứng sinh");
	json_decref(d);
	CHECK_INT(act("tn", "000.31.45.H45-250310-9999", "assign", "cv", NULL, "2025-03-13 10:00", &e),
		  MC_ENOTFOUND);
	CHECK_INT(act("tn", code, "dance", NULL, NULL, "2025-03-13 10:00", &e), MC_EINVAL);
	CHECK(strstr(e.msg, "dance") != NULL);
}

static void test_transfer_and_online(void)
{
	T_CASE("transfer");
	char code[96], sbuf[32];
	mc_time due;
	mc_err e;
	CHECK_INT(receive("tn", "1.001193", "direct", "Đinh Văn Hải", "2025-03-14 08:00", code, &due,
			  &e), MC_OK);
	CHECK_INT(act("tn", code, "transfer", "000.99.99.H99", NULL, "2025-03-14 09:00", &e), MC_EINVAL);
	CHECK_INT(act("tn", code, "transfer", "000.32.45.H45", NULL, "2025-03-14 09:00", &e), MC_OK);
	/* no longer ours: nothing may be done here */
	CHECK_INT(act("tn", code, "assign", "cv", NULL, "2025-03-14 10:00", &e), MC_ECONFLICT);
	CHECK(strstr(e.msg, "000.32.45.H45") != NULL);

	T_CASE("online pending");
	app_actor tn = th_actor(A, "tn");
	app_receive_req q = { .procedure = "1.000894", .channel = "online", .name = "Quách Thị Yến",
			      .id_number = "025190001234", .phone = "+84 912 345 678", .pending = 1 };
	CHECK_INT(app_receive(A, &tn, &q, th_time("2025-03-15 21:00"), code, &due, &e), MC_OK);
	CHECK_INT(due, 0);
	CHECK_STR(status_of(code, sbuf, sizeof sbuf), "submitted");
	CHECK_INT(act("tn", code, "accept", NULL, NULL, "2025-03-17 08:00", &e), MC_OK);
	json_t *d;
	CHECK_INT(app_dossier_get(A, code, 0, th_time("2025-03-17 08:00"), &d, &e), MC_OK);
	CHECK_STR(json_string_value(json_object_get(d, "due_at")), "2025-03-19T08:00:00+07:00");
	CHECK_STR(json_string_value(json_object_get(json_object_get(d, "applicant"), "phone")),
		  "0912345678");
	json_decref(d);
	/* At the desk too: a dossier checked before it is received, then
	 * refused, was never received (issue 10 item 1). */
	T_CASE("desk check before reception");
	q.channel = "direct";
	CHECK_INT(app_receive(A, &tn, &q, th_time("2025-03-17 09:00"), code, &due, &e), MC_OK);
	CHECK_INT(due, 0);
	CHECK_STR(status_of(code, sbuf, sizeof sbuf), "submitted");
	CHECK_INT(act("tn", code, "refuse", NULL, "Không thuộc thẩm quyền", "2025-03-17 09:05", &e),
		  MC_OK);
	CHECK_INT(app_dossier_get(A, code, 0, th_time("2025-03-17 09:05"), &d, &e), MC_OK);
	CHECK_STR(json_string_value(json_object_get(d, "status_label")), "Không được tiếp nhận");
	CHECK(json_is_null(json_object_get(d, "received_at")));
	CHECK(json_is_null(json_object_get(d, "due_at")));
	CHECK(json_is_null(json_object_get(d, "finished_at")));
	CHECK(json_is_null(json_object_get(d, "timeliness")));
	json_decref(d);
}

static void test_list(void)
{
	T_CASE("list");
	json_t *page;
	mc_err e;
	app_list_req q = { .q = "NGUYEN VAN AN" };
	CHECK_INT(app_dossier_list(A, &q, th_time("2025-03-20 08:00"), &page, &e), MC_OK);
	CHECK_INT(json_array_size(json_object_get(page, "items")), 1);
	json_decref(page);
	q = (app_list_req){ .q = "giang" }; /* Giang, without diacritics, lower case */
	CHECK_INT(app_dossier_list(A, &q, th_time("2025-03-20 08:00"), &page, &e), MC_OK);
	CHECK_INT(json_array_size(json_object_get(page, "items")), 1);
	json_decref(page);
	q = (app_list_req){ .q = "le van cuong" }; /* Lê Văn Cường, diacritics ignored */
	CHECK_INT(app_dossier_list(A, &q, th_time("2025-03-20 08:00"), &page, &e), MC_OK);
	CHECK_INT(json_array_size(json_object_get(page, "items")), 1);
	json_decref(page);
	/* Đinh Văn Hải's dossier was transferred away: lists are scoped to
	 * this node's agency, so it is no longer listed (still readable by code) */
	q = (app_list_req){ .q = "dinh van hai" };
	CHECK_INT(app_dossier_list(A, &q, th_time("2025-03-20 08:00"), &page, &e), MC_OK);
	CHECK_INT(json_array_size(json_object_get(page, "items")), 0);
	json_decref(page);
	/* overdue on 2025-03-20: the open received ones from early March */
	q = (app_list_req){ .overdue = 1 };
	CHECK_INT(app_dossier_list(A, &q, th_time("2025-03-20 08:00"), &page, &e), MC_OK);
	size_t i;
	json_t *it;
	int all_overdue = 1;
	json_array_foreach(json_object_get(page, "items"), i, it)
		all_overdue &= json_is_true(json_object_get(it, "overdue"));
	CHECK(json_array_size(json_object_get(page, "items")) >= 3);
	CHECK(all_overdue);
	json_decref(page);
	/* cursor pagination walks every dossier exactly once */
	int seen = 0, pages = 0;
	char cursor[200] = "";
	for (;;) {
		q = (app_list_req){ .limit = 2, .cursor = cursor[0] ? cursor : NULL };
		if (app_dossier_list(A, &q, th_time("2025-03-20 08:00"), &page, &e))
			break;
		seen += (int)json_array_size(json_object_get(page, "items"));
		pages++;
		const char *nc = json_string_value(json_object_get(page, "next_cursor"));
		int more = nc != NULL;
		if (nc)
			snprintf(cursor, sizeof cursor, "%s", nc);
		json_decref(page);
		if (!more || pages > 50)
			break;
	}
	int64_t n = 0;
	CHECK_INT(st_dossier_count(A->st, &n, &e), MC_OK);
	CHECK_INT(seen, n - 1); /* all but the transferred one */
	q = (app_list_req){ .status = "flying" };
	CHECK_INT(app_dossier_list(A, &q, th_time("2025-03-20 08:00"), &page, &e), MC_EINVAL);
	q = (app_list_req){ .limit = 501 };
	CHECK_INT(app_dossier_list(A, &q, th_time("2025-03-20 08:00"), &page, &e), MC_EINVAL);
	q = (app_list_req){ .cursor = "garbage" };
	CHECK_INT(app_dossier_list(A, &q, th_time("2025-03-20 08:00"), &page, &e), MC_EINVAL);
}

static void test_chain(void)
{
	T_CASE("chain");
	int64_t n = 0, bad = 0;
	mc_err e;
	CHECK_INT(app_check(A, &n, &bad, &e), MC_OK);
	CHECK(n > 20);
	CHECK_INT(bad, 0);
	/* hash of a known event, recomputed independently of ev_append */
	char h[65];
	ev_hash(1, "2025-01-01T00:00:00+07:00", "a", "k", NULL, "{}", EV_ZERO_HASH, h);
	CHECK_INT(strlen(h), 64);
	char h2[65];
	ev_hash(1, "2025-01-01T00:00:00+07:00", "a", "k", NULL, "{\"x\":1}", EV_ZERO_HASH, h2);
	CHECK(strcmp(h, h2) != 0);
}

/* Fees (issue 10): every bad request refused with MC_EINVAL and nothing
 * written; good ones recorded. */
static const struct {
	const char *what;
	long long amount;
	const char *method, *receipt, *exemption, *reason;
	int rc;
} fee_cases[] = {
	{ "cash with receipt", 8000, "cash", "BL-1", NULL, NULL, MC_OK },
	{ "transfer, reduced", 4000, "transfer", "CK/26/1", "partial", "Hộ cận nghèo", MC_OK },
	{ "exempt", 0, NULL, NULL, "full", "Trẻ em dưới 6 tuổi", MC_OK },
	{ "negative", -1, "cash", "BL-2", NULL, NULL, MC_EINVAL },
	{ "over a billion", 1000000001LL, "cash", "BL-2", NULL, NULL, MC_EINVAL },
	{ "unknown method", 8000, "cheque", "BL-2", NULL, NULL, MC_EINVAL },
	{ "no method", 8000, NULL, "BL-2", NULL, NULL, MC_EINVAL },
	{ "no receipt", 8000, "cash", NULL, NULL, NULL, MC_EINVAL },
	{ "31-character receipt", 8000, "cash", "1234567890123456789012345678901", NULL, NULL, MC_EINVAL },
	{ "receipt with a space", 8000, "cash", "BL 2", NULL, NULL, MC_EINVAL },
	{ "zero, not exempt", 0, NULL, NULL, NULL, NULL, MC_EINVAL },
	{ "exempt with an amount", 8000, "cash", "BL-2", "full", "x", MC_EINVAL },
	{ "exempt with a method", 0, "cash", NULL, "full", "x", MC_EINVAL },
	{ "exemption without reason", 0, NULL, NULL, "full", NULL, MC_EINVAL },
	{ "reason without exemption", 8000, "cash", "BL-2", NULL, "x", MC_EINVAL },
	{ "unknown exemption", 0, NULL, NULL, "all", "x", MC_EINVAL },
};

static void test_fees(void)
{
	char code[96], hash0[65], hash1[65];
	mc_time due;
	mc_err e;
	T_CASE("fees: reception");
	CHECK_INT(receive("tn", "1.001193", "direct", "Vũ Thị Hoa", "2025-03-05 08:00", code, &due, &e),
		  MC_OK);
	app_actor tn = th_actor(A, "tn"), cv = th_actor(A, "cv");
	int ok = 0;
	for (size_t i = 0; i < MC_ARRAY_LEN(fee_cases); i++) {
		T_CASE(fee_cases[i].what);
		app_fee_req q = { .amount = fee_cases[i].amount, .method = fee_cases[i].method,
				  .receipt_no = fee_cases[i].receipt, .exemption = fee_cases[i].exemption,
				  .exemption_reason = fee_cases[i].reason };
		th_digest(hash0);
		CHECK_INT(app_fee_record(A, &tn, code, &q, th_time("2025-03-05 08:30"), &e), fee_cases[i].rc);
		th_digest(hash1);
		CHECK_INT(strcmp(hash0, hash1) != 0, fee_cases[i].rc == MC_OK);
		ok += fee_cases[i].rc == MC_OK;
	}
	T_CASE("fees: a specialist does not collect");
	app_fee_req q = { .amount = 8000, .method = "cash", .receipt_no = "BL-9" };
	CHECK_INT(app_fee_record(A, &cv, code, &q, th_time("2025-03-05 09:00"), &e), MC_EPERM);
	T_CASE("fees: the book");
	json_t *b = NULL;
	CHECK_INT(app_fee_report(A, &tn, "2025-03-05", "2025-03-05", th_time("2025-03-06 08:00"), &b, &e), MC_OK);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(b, "total"), "count")), ok);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(b, "total"), "amount")), 12000);
	json_decref(b);
	CHECK_INT(app_fee_report(A, &cv, NULL, NULL, th_time("2025-03-06 08:00"), &b, &e), MC_EPERM);
	CHECK_INT(app_fee_report(A, &tn, "2025-03-01", "2025-04-05", th_time("2025-03-06 08:00"), &b, &e), MC_EINVAL);
	CHECK_INT(app_fee_report(A, &tn, "2025-03-05", "2025-03-04", th_time("2025-03-06 08:00"), &b, &e), MC_EINVAL);
}

/* The action's own record fields: only with their action. */
static void test_action_records(void)
{
	char code[96];
	mc_time due;
	mc_err e;
	T_CASE("records: set up");
	CHECK_INT(receive("tn", "1.001193", "direct", "Đinh Văn Nam", "2025-03-05 08:00", code, &due, &e),
		  MC_OK);
	app_actor tn = th_actor(A, "tn"), ld = th_actor(A, "ld");
	static const struct {
		const char *what, *action, *number, *date, *collector, *id, *delivery;
		int auth, rc;
	} cases[] = {
		{ "number with assign", "assign", "15/QĐ", NULL, NULL, NULL, NULL, 0, MC_EINVAL },
		{ "date without number", "approve", NULL, "2025-03-05", NULL, NULL, NULL, 0, MC_EINVAL },
		{ "future result date", "approve", "15/QĐ", "2025-03-06", NULL, NULL, NULL, 0, MC_EINVAL },
		{ "bad result date", "approve", "15/QĐ", "05/03/2025", NULL, NULL, NULL, 0, MC_EINVAL },
		{ "collector with approve", "approve", NULL, NULL, "An", NULL, NULL, 0, MC_EINVAL },
		{ "unknown delivery", "return", NULL, NULL, "An", NULL, "drone", 0, MC_EINVAL },
		{ "authorised without ID", "return", NULL, NULL, "An", NULL, "desk", 1, MC_EINVAL },
		{ "lower-case ID", "return", NULL, NULL, "An", "c1234567", "desk", 0, MC_EINVAL },
		{ "short ID", "return", NULL, NULL, "An", "12345", "desk", 0, MC_EINVAL },
		/* well formed, but the dossier is not ready: the state machine says so */
		{ "number on a received dossier", "approve", "15/QĐ", "2025-03-05", NULL, NULL, NULL, 0, MC_ECONFLICT },
		{ "return of a received dossier", "return", NULL, NULL, "An", "025090001234", "desk", 1, MC_ECONFLICT },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].what);
		app_act_req q = { .action = cases[i].action, .to_user = "cv",
				  .result_number = cases[i].number, .result_date = cases[i].date,
				  .collector_name = cases[i].collector, .collector_id = cases[i].id,
				  .delivery = cases[i].delivery, .collector_authorised = cases[i].auth };
		app_actor *by = strcmp(cases[i].action, "approve") == 0 ? &ld : &tn;
		char h0[65], h1[65];
		th_digest(h0);
		CHECK_INT(app_act(A, by, code, &q, th_time("2025-03-05 09:00"), &e), cases[i].rc);
		th_digest(h1);
		CHECK_STR(h0, h1); /* nothing changed */
	}
}

int main(void)
{
	if (sodium_init() < 0 || th_node(&A, th_time("2025-03-01 08:00")))
		return 1;
	test_codes();
	test_bad_receptions();
	test_life();
	test_transfer_and_online();
	test_list();
	test_chain();
	test_fees();
	test_action_records();
	app_close(A);
	th_rmdir();
	return t_done();
}
