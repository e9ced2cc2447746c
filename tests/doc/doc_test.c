/*
 * doc_test.c - the doc layer: amounts in words (table), and every form
 * rendered from a made-up dossier, read back with poppler: the page count,
 * each field's value with its diacritics on the page, the table header
 * repeated on every page a long table flows to, the page numbers, and the
 * refusals of a form the dossier has nothing for.
 */
#include <jansson.h>
#include <poppler.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "t.h"

static void money_words(void)
{
	static const struct {
		int64_t v;
		const char *want;
	} cases[] = {
		{ 0, "Không đồng" },
		{ 5, "Năm đồng" },
		{ 10, "Mười đồng" },
		{ 15, "Mười lăm đồng" },
		{ 21, "Hai mươi mốt đồng" },
		{ 25, "Hai mươi lăm đồng" },
		{ 105, "Một trăm lẻ năm đồng" },
		{ 110, "Một trăm mười đồng" },
		{ 1000, "Một nghìn đồng" },
		{ 50000, "Năm mươi nghìn đồng" },
		{ 1005000, "Một triệu không trăm lẻ năm nghìn đồng" },
		{ 1250000, "Một triệu hai trăm năm mươi nghìn đồng" },
		{ 2000000000LL, "Hai tỷ đồng" },
		{ 3000000001LL, "Ba tỷ không trăm lẻ một đồng" },
		{ 999999999999999LL,
		  "Chín trăm chín mươi chín nghìn tỷ chín trăm chín mươi chín tỷ chín trăm chín "
		  "mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng" },
		{ -1, "" },
		{ 1000000000000000LL, "" },
	};
	T_CASE("money words");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[512];
		doc_money_words(cases[i].v, out, sizeof out);
		CHECK_STR(out, cases[i].want);
	}
	char tiny[8];
	doc_money_words(1250000, tiny, sizeof tiny); /* cut, still terminated */
	CHECK(strlen(tiny) < sizeof tiny);
}

/* ---- reading a PDF back ---- */

typedef struct {
	int pages;
	char *text[64]; /* per page, newlines folded to spaces */
} pdf_text;

static int read_pdf(const unsigned char *data, size_t len, pdf_text *out)
{
	memset(out, 0, sizeof *out);
	GBytes *b = g_bytes_new(data, len);
	GError *err = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(b, NULL, &err);
	g_bytes_unref(b);
	if (!doc) {
		fprintf(stderr, "poppler: %s\n", err ? err->message : "?");
		g_clear_error(&err);
		return -1;
	}
	out->pages = poppler_document_get_n_pages(doc);
	for (int i = 0; i < out->pages && i < 64; i++) {
		PopplerPage *p = poppler_document_get_page(doc, i);
		char *t = poppler_page_get_text(p);
		/* Collapse whitespace: a value may wrap at a line's end. */
		char *w = t;
		for (char *r = t; *r; r++) {
			char c = (*r == '\n' || *r == '\r' || *r == '\t') ? ' ' : *r;
			if (c == ' ' && w > t && w[-1] == ' ')
				continue;
			*w++ = c;
		}
		*w = 0;
		out->text[i] = t;
		g_object_unref(p);
	}
	g_object_unref(doc);
	return 0;
}

static void pdf_text_release(pdf_text *p)
{
	for (int i = 0; i < 64; i++)
		g_free(p->text[i]);
}

static int has(const pdf_text *p, const char *s)
{
	for (int i = 0; i < p->pages && i < 64; i++)
		if (strstr(p->text[i], s))
			return 1;
	return 0;
}

/* Renders form n of in; OUT: the text. Returns the doc status. */
static int render(int n, json_t *in, pdf_text *out, mc_err *e)
{
	unsigned char *pdf;
	size_t len;
	int rc = doc_form_pdf(n, in, &pdf, &len, e);
	memset(out, 0, sizeof *out);
	if (rc)
		return rc;
	CHECK(len > 4 && memcmp(pdf, "%PDF", 4) == 0);
	CHECK(read_pdf(pdf, len, out) == 0);
	free(pdf);
	return rc;
}

static json_t *unit(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "agency", "000.31.45.H45", "name",
			 "Xã Kim Bôi", "name_text", "xã Kim Bôi", "province", "Tỉnh Phú Thọ", "place",
			 "Kim Bôi", "centre", "Trung tâm Phục vụ hành chính công xã Kim Bôi",
			 "lookup_url", "https://motcua.kimboi.vn/tra-cuu/000.31.45.H45-260304-0007");
}

static json_t *dossier(int components)
{
	json_t *comps = json_array();
	for (int i = 0; i < components; i++) {
		char name[96];
		snprintf(name, sizeof name, "Giấy tờ thứ %d: bản khai đăng ký hộ tịch", i + 1);
		json_array_append_new(comps, json_pack("{s:s, s:i, s:i, s:i}", "name", name,
						       "originals", 1, "copies", 2, "photocopies",
						       i % 2));
	}
	json_t *steps = json_pack(
		"[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}]", "name", "Tiếp nhận hồ sơ", "due_at",
		"2026-03-04T10:00:00+07:00", "done_at", "2026-03-04T09:00:00+07:00",
		"timeliness_label", "Trước hạn", "name", "Thẩm định, xử lý", "due_at",
		"2026-03-09T09:00:00+07:00", "done_at", "2026-03-10T08:00:00+07:00",
		"timeliness_label", "Quá hạn");
	json_t *hist = json_pack(
		"[{s:s, s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s, s:s, s:s}]", "at",
		"2026-03-04T09:00:00+07:00", "actor", "tiepnhan", "action", "receive", "to",
		"received", "comment", "", "at", "2026-03-04T10:30:00+07:00", "actor", "tiepnhan",
		"action", "assign", "to", "processing", "to_user", "chuyenvien", "comment",
		"Chuyển chuyên viên xử lý");
	return json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s}, s:s, s:o, "
		"s:{s:f, s:s}, s:s, s:s, s:s, s:s, s:{s:i, s:i}, s:o, s:o, s:[], s:i, s:s, s:s}",
		"code", "000.31.45.H45-260304-0007", "procedure", "1.001193", "procedure_name",
		"Thủ tục đăng ký khai sinh", "channel", "direct", "status", "processing", "applicant",
		"kind", "person", "name", "Nguyễn Thị Hồng Nhung", "id_type", "cccd", "id_number",
		"025190001234", "phone", "0912345678", "email", "nhung@example.vn", "address",
		"Xóm Chiềng, xã Kim Bôi, tỉnh Phú Thọ", "summary", "Đăng ký khai sinh cho con",
		"components", comps, "processing_time", "amount", 3.0, "unit", "working_days",
		"submitted_at", "2026-03-04T09:00:00+07:00", "received_at",
		"2026-03-04T09:00:00+07:00", "due_at", "2026-03-09T09:00:00+07:00", "due_legal",
		"2026-03-09T09:00:00+07:00", "register", "book", 2026, "no", 42, "steps", steps,
		"history", hist, "notices", "fee_total", 0, "status_label", "Đang xử lý",
		"timeliness_label", "");
}

static json_t *input(json_t *d)
{
	return json_pack("{s:o, s:s, s:{s:s, s:s}, s:o}", "unit", unit(), "printed_at",
			 "2026-03-10T15:00:00+07:00", "officers", "tiepnhan", "Nguyễn Thị Lan",
			 "chuyenvien", "Trần Văn Minh", "dossier", d);
}

static void receipt(void)
{
	T_CASE("form 1 receipt");
	json_t *in = input(dossier(3));
	pdf_text p;
	mc_err e;
	CHECK_INT(render(1, in, &p, &e), MC_OK);
	CHECK_INT(p.pages, 1);
	const char *want[] = {
		"CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"UBND XÃ KIM BÔI", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
		"Kim Bôi, ngày 04 tháng 03 năm 2026", "000.31.45.H45-260304-0007",
		"Nguyễn Thị Hồng Nhung", "025190001234", "0912345678", "nhung@example.vn",
		"Xóm Chiềng, xã Kim Bôi, tỉnh Phú Thọ", "Thủ tục đăng ký khai sinh",
		"Đăng ký khai sinh cho con", "Giấy tờ thứ 3: bản khai đăng ký hộ tịch",
		"Bản chính", "Bản sao", "Số lượng hồ sơ: 01 (bộ)", "3 ngày làm việc",
		"09 giờ 00 phút, ngày 04/03/2026", "09 giờ 00 phút, ngày 09/03/2026",
		"Trung tâm Phục vụ hành chính công xã Kim Bôi", "Quyển số: 2026, Số thứ tự: 42",
		"https://motcua.kimboi.vn/tra-cuu/", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Nguyễn Thị Lan",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		T_CASE(want[i]);
		CHECK(has(&p, want[i]));
	}
	pdf_text_release(&p);

	/* 40 components: the table flows to a second page, its header again. */
	T_CASE("form 1, a long table");
	json_object_set_new(in, "dossier", dossier(40));
	CHECK_INT(render(1, in, &p, &e), MC_OK);
	CHECK(p.pages >= 2);
	for (int i = 0; i < p.pages && i < 64; i++) {
		char page[32];
		snprintf(page, sizeof page, "Trang %d/%d", i + 1, p.pages);
		CHECK(strstr(p.text[i], page) != NULL);
	}
	CHECK(p.pages >= 2 && strstr(p.text[1], "Tên loại giấy tờ") != NULL);
	CHECK(has(&p, "Giấy tờ thứ 40: bản khai đăng ký hộ tịch"));
	pdf_text_release(&p);

	/* Markup in data is text, never markup. */
	T_CASE("form 1, markup in a name");
	json_object_set_new(json_object_get(json_object_get(in, "dossier"), "applicant"), "name",
			    json_string("<b>Lê & Cô</b>"));
	CHECK_INT(render(1, in, &p, &e), MC_OK);
	CHECK(has(&p, "<b>Lê & Cô</b>"));
	pdf_text_release(&p);

	/* Not received: no receipt. */
	T_CASE("form 1, not received");
	json_object_set_new(json_object_get(in, "dossier"), "received_at", json_null());
	CHECK_INT(render(1, in, &p, &e), MC_ECONFLICT);
	CHECK(strstr(e.msg, "not received") != NULL);
	json_decref(in);
}

static void notices(void)
{
	static const struct {
		int form;
		const char *kind, *title, *extra;
	} cases[] = {
		{ 2, "request_supplement", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
		  "Yêu cầu bổ sung, hoàn thiện hồ sơ gồm" },
		{ 3, "refuse", "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ",
		  "Nghị định số 118/2025/NĐ-CP" },
		{ 5, "stop", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "thông báo dừng giải quyết" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		T_CASE(cases[i].title);
		json_t *in = input(dossier(1));
		pdf_text p;
		mc_err e;
		/* No notice of the kind: refused, naming it. */
		CHECK_INT(render(cases[i].form, in, &p, &e), MC_ECONFLICT);
		json_object_set_new(
			in, "notice",
			json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:[s, s]}", "kind", cases[i].kind,
				  "issued_at", "2026-03-05T14:00:00+07:00", "reason",
				  "Thiếu giấy chứng sinh bản chính", "issuer", "name",
				  "Hoàng Văn Dũng", "title", "Lãnh đạo", "items",
				  "Bổ sung giấy chứng sinh", "Sửa họ tên người mẹ trong tờ khai"));
		CHECK_INT(render(cases[i].form, in, &p, &e), MC_OK);
		CHECK_INT(p.pages, 1);
		CHECK(has(&p, cases[i].title));
		CHECK(has(&p, cases[i].extra));
		CHECK(has(&p, "Thiếu giấy chứng sinh bản chính"));
		CHECK(has(&p, "Hoàng Văn Dũng"));
		CHECK(has(&p, "Kim Bôi, ngày 05 tháng 03 năm 2026"));
		if (cases[i].form != 5) {
			CHECK(has(&p, "Bổ sung giấy chứng sinh"));
			CHECK(has(&p, "Sửa họ tên người mẹ trong tờ khai"));
		}
		pdf_text_release(&p);
		json_decref(in);
	}
}

static void apology(void)
{
	T_CASE("form 4 apology");
	json_t *in = input(dossier(1));
	pdf_text p;
	mc_err e;
	CHECK_INT(render(4, in, &p, &e), MC_ECONFLICT);
	json_object_set_new(json_object_get(in, "dossier"), "apology",
			    json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "reason",
				      "Cần xác minh thông tin khai sinh tại nơi cư trú cũ",
				      "original_due", "2026-03-09T09:00:00+07:00", "new_due",
				      "2026-03-12T16:00:00+07:00", "issued_at",
				      "2026-03-06T10:00:00+07:00", "signer", "name", "Hoàng Văn Dũng",
				      "title", "Phó Chủ tịch"));
	CHECK_INT(render(4, in, &p, &e), MC_OK);
	CHECK(has(&p, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"));
	CHECK(has(&p, "09 giờ 00 phút, ngày 09/03/2026"));
	CHECK(has(&p, "16 giờ 00 phút, ngày 12/03/2026"));
	CHECK(has(&p, "Cần xác minh thông tin khai sinh tại nơi cư trú cũ"));
	CHECK(has(&p, "PHÓ CHỦ TỊCH"));
	CHECK(has(&p, "Ủy ban nhân dân xã Kim Bôi"));
	pdf_text_release(&p);
	json_decref(in);
}

static void control(void)
{
	T_CASE("form 6 process-control sheet");
	json_t *in = input(dossier(1));
	pdf_text p;
	mc_err e;
	CHECK_INT(render(6, in, &p, &e), MC_OK);
	CHECK(has(&p, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"));
	const char *want[] = { "Tiếp nhận hồ sơ", "Thẩm định, xử lý", "Trước hạn", "Quá hạn",
			       "04/03/2026 10:00", "10/03/2026 08:00", "Nguyễn Thị Lan → Trần Văn Minh",
			       "Chuyển chuyên viên xử lý" };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		CHECK(has(&p, want[i]));
	pdf_text_release(&p);
	json_decref(in);
}

static void fee(void)
{
	T_CASE("fee slip");
	json_t *in = input(dossier(1));
	pdf_text p;
	mc_err e;
	CHECK_INT(render(DOC_FEE, in, &p, &e), MC_ECONFLICT);
	json_t *d = json_object_get(in, "dossier");
	json_object_set_new(d, "fees",
			    json_pack("[{s:s, s:i, s:s, s:s, s:{s:s}}]", "at",
				      "2026-03-04T09:05:00+07:00", "amount", 1250000, "method_label",
				      "Tiền mặt", "receipt_no", "BL-0012", "collector", "name",
				      "Nguyễn Thị Lan"));
	json_object_set_new(d, "fee_total", json_integer(1250000));
	CHECK_INT(render(DOC_FEE, in, &p, &e), MC_OK);
	CHECK(has(&p, "1.250.000"));
	CHECK(has(&p, "Một triệu hai trăm năm mươi nghìn đồng"));
	CHECK(has(&p, "BL-0012"));
	CHECK(has(&p, "Tiền mặt"));
	pdf_text_release(&p);
	json_decref(in);
}

static void register_book(void)
{
	T_CASE("form 7 register");
	json_t *items = json_array();
	for (int i = 0; i < 60; i++) {
		json_t *d = dossier(1);
		char code[64];
		snprintf(code, sizeof code, "000.31.45.H45-2603%02d-%04d", 1 + i % 28, i + 1);
		json_object_set_new(d, "code", json_string(code));
		json_object_set_new(d, "register", json_pack("{s:i, s:i}", "book", 2026, "no", i + 1));
		json_array_append_new(items, d);
	}
	json_t *in = json_pack("{s:o, s:s, s:s, s:s, s:o}", "unit", unit(), "printed_at",
			       "2026-03-31T15:00:00+07:00", "from", "2026-03-01T00:00:00+07:00",
			       "to", "2026-03-31T00:00:00+07:00", "items", items);
	pdf_text p;
	mc_err e;
	CHECK_INT(render(DOC_REGISTER, in, &p, &e), MC_OK);
	CHECK(p.pages >= 3);
	CHECK(has(&p, "SỔ THEO DÕI HỒ SƠ"));
	CHECK(has(&p, "Từ ngày 01 tháng 03 năm 2026 đến ngày 31 tháng 03 năm 2026"));
	for (int i = 0; i < p.pages && i < 64; i++)
		CHECK(strstr(p.text[i], "Thủ tục hành chính") != NULL); /* header on each page */
	for (int i = 0; i < 60; i++) {
		char code[64];
		snprintf(code, sizeof code, "000.31.45.H45-2603%02d-%04d", 1 + i % 28, i + 1);
		CHECK(has(&p, code)); /* the code on one line, whole */
	}
	CHECK(has(&p, "Tổng số hồ sơ: 60"));
	pdf_text_release(&p);
	json_decref(in);
}

static void refusals(void)
{
	T_CASE("no such form");
	unsigned char *pdf;
	size_t len;
	mc_err e;
	json_t *in = input(dossier(1));
	CHECK_INT(doc_form_pdf(0, in, &pdf, &len, &e), MC_ENOTFOUND);
	CHECK_INT(doc_form_pdf(9, in, &pdf, &len, &e), MC_ENOTFOUND);
	CHECK(doc_form_title(9) == NULL);
	CHECK_STR(doc_form_title(1), "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
	json_object_del(in, "unit");
	CHECK_INT(doc_form_pdf(1, in, &pdf, &len, &e), MC_ECONFLICT);
	json_decref(in);
}

int main(void)
{
	money_words();
	receipt();
	notices();
	apology();
	control();
	fee();
	register_book();
	refusals();
	return t_done();
}
