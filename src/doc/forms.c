/*
 * forms.c - the dossier's legal forms and the tracking register (doc.h).
 * Each form is laid out as Circular 03/2025/TT-VPCP annex I shows it: the
 * national heading with the issuing unit, the title, the fields in the
 * annex's order, the signature blocks. The data is the dossier as the API
 * shows it; nothing here reads a database.
 */
#include "doc/doc.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "core/dsr.h"
#include "doc/doc_int.h"

#define BODY_A5 10.0
#define BODY_A4 11.0

static const char *const titles[] = {
	[DOC_RECEIPT] = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
	[DOC_SUPPLEMENT] = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
	[DOC_REFUSAL] = "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ",
	[DOC_APOLOGY] = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
	[DOC_STOP] = "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
	[DOC_CONTROL] = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
	[DOC_REGISTER] = "SỔ THEO DÕI HỒ SƠ",
	[DOC_FEE] = "PHIẾU THU PHÍ, LỆ PHÍ",
};

/* LAW: the legal basis of the one-stop forms since 1 July 2025. */
#define LEGAL_BASIS                                                                           \
	"Căn cứ Nghị định số 118/2025/NĐ-CP ngày 09 tháng 6 năm 2025 của Chính phủ về thực hiện " \
	"thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa và Cổng " \
	"Dịch vụ công quốc gia và Thông tư số 03/2025/TT-VPCP của Văn phòng Chính phủ."

const char *doc_form_title(int form)
{
	if (form < DOC_RECEIPT || form > DOC_FEE)
		return NULL;
	return titles[form];
}

/* ---- reading the input ---- */

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static const char *officer(const json_t *in, const char *login)
{
	const char *n = js(json_object_get(in, "officers"), login);
	return n[0] ? n : login;
}

/* ---- one form being written ---- */

typedef struct {
	lay l;
	const json_t *in, *unit, *d;
	sb m; /* markup scratch */
} form;

/* m = fmt with each %s an escaped argument; returns the markup. Only %s and
 * literal text: the values are data, the format is ours. */
static const char *mk(form *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_reset(&f->m);
	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == 's') {
			lay_esc(&f->m, va_arg(ap, const char *));
			p++;
		} else {
			sb_addc(&f->m, *p);
		}
	}
	va_end(ap);
	return sb_str(&f->m);
}

static void para(form *f, const char *markup)
{
	lay_para(&f->l, markup, 0, LAY_JUSTIFY, 3);
}

static char *upper(const char *s)
{
	return g_utf8_strup(s, -1);
}

/* The heading of a form of the centre: "UBND XÃ KIM BÔI" over "TRUNG TÂM
 * PHỤC VỤ HÀNH CHÍNH CÔNG"; the date line on the right. */
static void heading(form *f, const char *number, const char *date)
{
	char *top = upper(js(f->unit, "name_text"));
	char *t = g_strconcat("UBND ", top, NULL);
	lay_heading(&f->l, t, "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", number, js(f->unit, "place"),
		    date);
	g_free(t);
	g_free(top);
}

/* The title, and under it sub (markup; may be f->m's text, so it is
 * copied before mk is used again). */
static void title(form *f, int form_no, const char *sub)
{
	char *s = sub ? mc_xstrdup(sub) : NULL;
	lay_space(&f->l, 2);
	lay_para(&f->l, mk(f, "<b>%s</b>", titles[form_no]), f->l.size + 1.5, LAY_CENTER, 2);
	if (s)
		lay_para(&f->l, s, 0, LAY_CENTER, 2);
	free(s);
	lay_space(&f->l, MM(2));
}

/* "5 ngày làm việc" */
static void time_text(const json_t *pt, char *out, size_t size)
{
	double n = json_number_value(json_object_get(pt, "amount"));
	const char *u = js(pt, "unit");
	char num[32];
	if (n == (double)(int64_t)n)
		snprintf(num, sizeof num, "%lld", (long long)n);
	else {
		snprintf(num, sizeof num, "%.1f", n);
		char *dot = strchr(num, '.');
		if (dot)
			*dot = ','; /* Vietnamese decimal comma */
	}
	if (strcmp(u, "same_day") == 0)
		snprintf(out, size, "trong ngày");
	else
		snprintf(out, size, "%s %s", num,
			 strcmp(u, "working_hours") == 0   ? "giờ làm việc"
			 : strcmp(u, "calendar_days") == 0 ? "ngày"
							   : "ngày làm việc");
}

static const char *id_label(const char *type)
{
	if (strcmp(type, "cmnd") == 0)
		return "Số chứng minh nhân dân";
	if (strcmp(type, "passport") == 0)
		return "Số hộ chiếu";
	return "Số định danh cá nhân (căn cước)";
}

/* The applicant's lines: the person, or the organisation and its
 * representative. */
static void applicant(form *f, const char *lead)
{
	const json_t *ap = json_object_get(f->d, "applicant");
	if (strcmp(js(ap, "kind"), "organisation") == 0) {
		para(f, mk(f, "%s<b>%s</b>", lead, js(ap, "org_name")));
		para(f, mk(f, "Mã số thuế / mã số doanh nghiệp: %s", js(ap, "tax_code")));
		para(f, mk(f, "Người đại diện: %s; người nộp hồ sơ: %s", js(ap, "representative"),
			   js(ap, "name")));
	} else {
		para(f, mk(f, "%sÔng (bà) <b>%s</b>", lead, js(ap, "name")));
	}
	if (strcmp(js(ap, "id_type"), "none") != 0 && js(ap, "id_number")[0])
		para(f, mk(f, "%s: %s", id_label(js(ap, "id_type")), js(ap, "id_number")));
	if (js(ap, "address")[0])
		para(f, mk(f, "Địa chỉ: %s", js(ap, "address")));
	if (js(ap, "email")[0])
		para(f, mk(f, "Số điện thoại: %s        Thư điện tử: %s", js(ap, "phone"),
			   js(ap, "email")));
	else
		para(f, mk(f, "Số điện thoại: %s", js(ap, "phone")));
}

/* "Nội dung yêu cầu giải quyết": the procedure, and what the applicant
 * wrote if anything. */
static void request_line(form *f)
{
	const char *sum = js(f->d, "summary");
	if (sum[0])
		para(f, mk(f, "Nội dung yêu cầu giải quyết: %s (%s)", js(f->d, "procedure_name"), sum));
	else
		para(f, mk(f, "Nội dung yêu cầu giải quyết: %s", js(f->d, "procedure_name")));
}

static const char *centre(form *f)
{
	return js(f->unit, "centre");
}

/* The time the dossier was received (an online one still waiting: its
 * submission). */
static const char *received(const json_t *d)
{
	const char *r = js(d, "received_at");
	return r[0] ? r : js(d, "submitted_at");
}

/* ---- the forms ---- */

static int form_receipt(form *f, mc_err *e)
{
	const json_t *d = f->d;
	if (!js(d, "received_at")[0] || strcmp(js(d, "status"), "submitted") == 0 ||
	    strcmp(js(d, "status"), "refused") == 0)
		return mc_fail(e, MCE_DOC_MISSING,
			       "hồ sơ %s chưa được tiếp nhận nên chưa có giấy tiếp nhận",
			       "dossier %s was not received, so it has no receipt", js(d, "code"));
	char when[64], due[64], tt[64];
	lay_time_words(js(d, "received_at"), when, sizeof when);
	/* The appointment given at reception: an apology's new date has its
	 * own form, the receipt keeps the original. */
	const char *appt = js(d, "due_legal")[0] ? js(d, "due_legal") : js(d, "due_at");
	lay_time_words(appt, due, sizeof due);
	time_text(json_object_get(d, "processing_time"), tt, sizeof tt);

	heading(f, NULL, js(d, "received_at"));
	title(f, DOC_RECEIPT, mk(f, "Mã hồ sơ: <b>%s</b>", js(d, "code")));
	/* The QR code of the look-up address floats at the right of the
	 * applicant's lines. */
	const char *url = js(f->unit, "lookup_url");
	if (url[0]) {
		double side = MM(24);
		if (lay_qr(&f->l, f->l.right - side, f->l.y, side, url))
			return mc_fail(e, MCE_DOC_MISSING, "địa chỉ tra cứu quá dài để in mã QR",
				       "the look-up address is too long for a QR code");
		f->l.narrow_until = f->l.y + side;
		f->l.narrow_right = f->l.right - side - MM(2);
	}
	para(f, mk(f, "%s tiếp nhận hồ sơ của:", centre(f)));
	applicant(f, "");
	request_line(f);
	para(f, "1. Thành phần hồ sơ và số lượng mỗi loại giấy tờ gồm:");
	static const double cols[] = { 0.08, 0.56, 0.12, 0.12, 0.12 };
	static const char *const head[] = { "TT", "Tên loại giấy tờ", "Bản chính", "Bản sao",
					    "Bản chụp" };
	static const int align[] = { LAY_CENTER, LAY_LEFT, LAY_CENTER, LAY_CENTER, LAY_CENTER };
	const json_t *comps = json_object_get(d, "components");
	if (json_array_size(comps)) {
		lay_table t;
		lay_table_begin(&t, &f->l, 5, cols, head, align, 0);
		size_t i;
		const json_t *c;
		json_array_foreach(comps, i, c) {
			char n[24], o[24], cp[24], ph[24];
			snprintf(n, sizeof n, "%zu", i + 1);
			snprintf(o, sizeof o, "%lld",
				 (long long)json_integer_value(json_object_get(c, "originals")));
			snprintf(cp, sizeof cp, "%lld",
				 (long long)json_integer_value(json_object_get(c, "copies")));
			snprintf(ph, sizeof ph, "%lld",
				 (long long)json_integer_value(json_object_get(c, "photocopies")));
			sb name;
			sb_init(&name, 8192);
			lay_esc(&name, js(c, "name"));
			const char *cells[] = { n, sb_str(&name), o, cp, ph };
			lay_table_row(&t, cells);
			sb_release(&name);
		}
		lay_table_end(&t);
	} else {
		para(f, "<i>(Không ghi nhận giấy tờ nào.)</i>");
	}
	json_int_t sets = json_integer_value(json_object_get(d, "sets"));
	char ns[24];
	snprintf(ns, sizeof ns, "%02lld", (long long)(sets > 0 ? sets : 1));
	para(f, mk(f, "2. Số lượng hồ sơ: %s (bộ)", ns));
	para(f, mk(f, "3. Thời gian giải quyết hồ sơ theo quy định là: %s", tt));
	para(f, mk(f, "4. Thời gian nhận hồ sơ: %s", when));
	para(f, mk(f, "5. Thời gian trả kết quả giải quyết hồ sơ: <b>%s</b>", due));
	const json_t *col = json_object_get(d, "collection");
	if (strcmp(js(d, "channel"), "postal") == 0 ||
	    strcmp(js(col, "delivery"), "postal") == 0)
		para(f, "6. Đăng ký nhận kết quả tại: qua dịch vụ bưu chính công ích, theo địa chỉ "
			"của người nộp hồ sơ");
	else
		para(f, mk(f, "6. Đăng ký nhận kết quả tại: %s", centre(f)));
	const json_t *reg = json_object_get(d, "register");
	if (json_is_object(reg)) {
		char book[24], no[24];
		snprintf(book, sizeof book, "%lld",
			 (long long)json_integer_value(json_object_get(reg, "book")));
		snprintf(no, sizeof no, "%lld",
			 (long long)json_integer_value(json_object_get(reg, "no")));
		para(f, mk(f, "Vào Sổ theo dõi hồ sơ, Quyển số: %s, Số thứ tự: %s", book, no));
	}
	if (url[0])
		lay_para(&f->l,
			 mk(f, "Tra cứu tình trạng hồ sơ tại: %s (nhập mã hồ sơ và 4 số cuối số "
			       "điện thoại).",
			    url),
			 0, LAY_LEFT, 3);
	lay_space(&f->l, MM(2));
	const char *receiver = "";
	size_t i;
	const json_t *h;
	json_array_foreach(json_object_get(d, "history"), i, h) {
		if (strcmp(js(h, "to"), "received") == 0) {
			receiver = officer(f->in, js(h, "actor"));
			break;
		}
	}
	const char *st[] = { "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ" };
	const char *notes[] = { "(Ký và ghi rõ họ tên)", "(Ký và ghi rõ họ tên)" };
	const char *names[] = { js(json_object_get(d, "applicant"), "name"), receiver };
	lay_signs(&f->l, 2, st, notes, names);
	return MC_OK;
}

/* The notice printed by forms 2, 3 and 5. */
static const json_t *notice_of(form *f, const char *kind, mc_err *e, int *rc)
{
	const json_t *n = json_object_get(f->in, "notice");
	const char *code = js(f->d, "code");
	*rc = MC_OK;
	if (json_is_object(n) && strcmp(js(n, "kind"), kind) == 0)
		return n;
	if (strcmp(kind, "refuse") == 0)
		*rc = mc_fail(e, MCE_DOC_MISSING, "hồ sơ %s chưa có phiếu từ chối",
			      "dossier %s has no refusal", code);
	else if (strcmp(kind, "stop") == 0)
		*rc = mc_fail(e, MCE_DOC_MISSING, "hồ sơ %s chưa có thông báo dừng giải quyết",
			      "dossier %s has no stop notice", code);
	else
		*rc = mc_fail(e, MCE_DOC_MISSING, "hồ sơ %s chưa có phiếu yêu cầu bổ sung",
			      "dossier %s has no supplement request", code);
	return n;
}

static void items_list(form *f, const json_t *n)
{
	size_t i;
	const json_t *it;
	json_array_foreach(json_object_get(n, "items"), i, it) {
		char k[24];
		snprintf(k, sizeof k, "%zu", i + 1);
		para(f, mk(f, "    %s. %s", k, json_string_value(it) ? json_string_value(it) : ""));
	}
}

static void notice_sign(form *f, const json_t *n, const char *title_text)
{
	const json_t *by = json_object_get(n, "issuer");
	char *t = upper(js(by, "title")[0] ? js(by, "title") : title_text);
	const char *st[] = { NULL, t };
	const char *notes[] = { NULL, "(Ký và ghi rõ họ tên)" };
	const char *names[] = { NULL, js(by, "name") };
	lay_signs(&f->l, 2, st, notes, names);
	g_free(t);
}

static int form_supplement(form *f, mc_err *e)
{
	int rc;
	const json_t *n = notice_of(f, "request_supplement", e, &rc);
	if (rc)
		return rc;
	char when[64];
	lay_time_words(received(f->d), when, sizeof when);
	heading(f, NULL, js(n, "issued_at"));
	title(f, DOC_SUPPLEMENT, mk(f, "Mã hồ sơ: <b>%s</b>", js(f->d, "code")));
	para(f, mk(f, "%s tiếp nhận hồ sơ của:", centre(f)));
	applicant(f, "");
	request_line(f);
	para(f, mk(f, "Thời gian nhận hồ sơ: %s", when));
	para(f, "Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:");
	if (json_array_size(json_object_get(n, "items"))) {
		items_list(f, n);
		para(f, mk(f, "Lý do: %s", js(n, "reason")));
	} else {
		/* A request made before items were kept: its reason is the list. */
		para(f, mk(f, "    1. %s", js(n, "reason")));
	}
	const json_t *by = json_object_get(n, "issuer");
	para(f, mk(f, "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông (bà) liên hệ với "
		      "%s (%s) tại %s để được hướng dẫn.",
		   js(by, "name"), js(by, "title"), centre(f)));
	lay_space(&f->l, MM(2));
	notice_sign(f, n, "Người lập phiếu");
	return MC_OK;
}

static int form_refusal(form *f, mc_err *e)
{
	int rc;
	const json_t *n = notice_of(f, "refuse", e, &rc);
	if (rc)
		return rc;
	char when[64];
	lay_time_words(received(f->d), when, sizeof when);
	heading(f, NULL, js(n, "issued_at"));
	title(f, DOC_REFUSAL, mk(f, "Mã hồ sơ: <b>%s</b>", js(f->d, "code")));
	lay_para(&f->l, mk(f, "<i>%s</i>", LEGAL_BASIS), f->l.size - 1, LAY_JUSTIFY, 3);
	para(f, mk(f, "%s tiếp nhận hồ sơ của:", centre(f)));
	applicant(f, "");
	request_line(f);
	para(f, mk(f, "Thời gian nộp hồ sơ: %s", when));
	para(f, mk(f, "Qua xem xét, đối chiếu hồ sơ với quy định, %s thông báo không tiếp nhận, "
		      "giải quyết hồ sơ này với lý do cụ thể như sau:",
		   centre(f)));
	para(f, mk(f, "<b>%s</b>", js(n, "reason")));
	items_list(f, n);
	para(f, "Xin thông báo để ông (bà) được biết và thực hiện.");
	lay_space(&f->l, MM(2));
	notice_sign(f, n, "Người lập phiếu");
	return MC_OK;
}

static int form_apology(form *f, mc_err *e)
{
	const json_t *ap = json_object_get(f->d, "apology");
	if (!json_is_object(ap))
		return mc_fail(e, MCE_DOC_MISSING, "hồ sơ %s không có văn bản xin lỗi",
			       "dossier %s has no apology", js(f->d, "code"));
	char when[64], orig[64], nd[64];
	lay_time_words(received(f->d), when, sizeof when);
	lay_time_words(js(ap, "original_due"), orig, sizeof orig);
	lay_time_words(js(ap, "new_due"), nd, sizeof nd);
	heading(f, NULL, js(ap, "issued_at"));
	title(f, DOC_APOLOGY, NULL);
	const json_t *a = json_object_get(f->d, "applicant");
	para(f, mk(f, "Kính gửi: Ông (bà) <b>%s</b>", js(a, "name")));
	para(f, mk(f, "Ngày %s, %s tiếp nhận hồ sơ của ông (bà) đề nghị giải quyết thủ tục %s; "
		      "mã hồ sơ: %s.",
		   when, centre(f), js(f->d, "procedure_name"), js(f->d, "code")));
	para(f, mk(f, "Thời gian hẹn trả kết quả giải quyết hồ sơ: %s.", orig));
	para(f, mk(f, "Tuy nhiên đến nay, Ủy ban nhân dân %s chưa trả kết quả giải quyết hồ sơ "
		      "của ông (bà). Lý do: %s",
		   js(f->unit, "name_text"), js(ap, "reason")));
	para(f, mk(f, "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của ông (bà). "
		      "Ủy ban nhân dân %s xin lỗi ông (bà) và hẹn lại thời gian trả kết quả: "
		      "<b>%s</b>.",
		   js(f->unit, "name_text"), nd));
	para(f, "Xin trân trọng cảm ơn sự hợp tác của ông (bà).");
	lay_space(&f->l, MM(2));
	const json_t *by = json_object_get(ap, "signer");
	char *t = upper(js(by, "title")[0] ? js(by, "title") : "Lãnh đạo");
	const char *st[] = { NULL, t };
	const char *notes[] = { NULL, "(Ký, ghi rõ họ tên và đóng dấu)" };
	const char *names[] = { NULL, js(by, "name") };
	lay_signs(&f->l, 2, st, notes, names);
	g_free(t);
	return MC_OK;
}

static int form_stop(form *f, mc_err *e)
{
	int rc;
	const json_t *n = notice_of(f, "stop", e, &rc);
	if (rc)
		return rc;
	char when[64];
	lay_time_words(received(f->d), when, sizeof when);
	heading(f, NULL, js(n, "issued_at"));
	title(f, DOC_STOP, NULL);
	const json_t *a = json_object_get(f->d, "applicant");
	para(f, mk(f, "Kính gửi: Ông (bà) <b>%s</b>", js(a, "name")));
	para(f, mk(f, "Ngày %s, %s tiếp nhận hồ sơ của ông (bà) đề nghị giải quyết thủ tục %s; "
		      "mã hồ sơ: %s.",
		   when, centre(f), js(f->d, "procedure_name"), js(f->d, "code")));
	para(f, mk(f, "Theo đề nghị của ông (bà), Ủy ban nhân dân %s thông báo dừng giải quyết "
		      "hồ sơ nêu trên. Lý do: %s",
		   js(f->unit, "name_text"), js(n, "reason")));
	para(f, "Hồ sơ và giấy tờ đã nộp được trả lại cho ông (bà) theo quy định.");
	lay_space(&f->l, MM(2));
	notice_sign(f, n, "Lãnh đạo");
	return MC_OK;
}

/* The label of a history entry: the action's button text. */
static const char *action_label(const json_t *h)
{
	const char *a = js(h, "action");
	if (strcmp(a, "receive") == 0)
		return "Tiếp nhận hồ sơ";
	int i = dsr_action_parse(a);
	return i >= 0 ? dsr_actions[i].label_vi : a;
}

static int form_control(form *f, mc_err *e)
{
	const json_t *d = f->d;
	char when[64], due[64], tt[64];
	lay_time_words(received(d), when, sizeof when);
	lay_time_words(js(d, "due_at"), due, sizeof due);
	time_text(json_object_get(d, "processing_time"), tt, sizeof tt);
	heading(f, NULL, json_string_value(json_object_get(f->in, "printed_at")));
	title(f, DOC_CONTROL, mk(f, "Mã hồ sơ: <b>%s</b>", js(d, "code")));
	para(f, mk(f, "Cơ quan, đơn vị giải quyết: Ủy ban nhân dân %s", js(f->unit, "name_text")));
	para(f, mk(f, "Người nộp hồ sơ: <b>%s</b>", js(json_object_get(d, "applicant"), "name")));
	request_line(f);
	para(f, mk(f, "Thời gian nhận hồ sơ: %s", when));
	para(f, mk(f, "Thời hạn giải quyết: %s; hẹn trả kết quả: %s", tt, due));

	para(f, "<b>I. Các bước giải quyết</b>");
	static const double cs[] = { 0.07, 0.33, 0.2, 0.2, 0.2 };
	static const char *const hs[] = { "TT", "Bước", "Hạn của bước", "Hoàn thành",
					  "Kết quả (trước hạn / đúng hạn / quá hạn)" };
	static const int as[] = { LAY_CENTER, LAY_LEFT, LAY_CENTER, LAY_CENTER, LAY_CENTER };
	const json_t *steps = json_object_get(d, "steps");
	if (json_array_size(steps)) {
		lay_table t;
		lay_table_begin(&t, &f->l, 5, cs, hs, as, 0);
		size_t i;
		const json_t *s;
		json_array_foreach(steps, i, s) {
			char n[24], sd[32], dn[32];
			snprintf(n, sizeof n, "%zu", i + 1);
			lay_time_short(js(s, "due_at"), sd, sizeof sd);
			lay_time_short(js(s, "done_at"), dn, sizeof dn);
			sb name, verdict;
			sb_init(&name, 4096);
			sb_init(&verdict, 256);
			lay_esc(&name, js(s, "name"));
			lay_esc(&verdict, js(s, "timeliness_label"));
			const char *cells[] = { n, sb_str(&name), sd, dn[0] ? dn : "Chưa xong",
						sb_str(&verdict) };
			lay_table_row(&t, cells);
			sb_release(&name);
			sb_release(&verdict);
		}
		lay_table_end(&t);
	} else {
		para(f, "<i>(Thủ tục chưa khai báo các bước giải quyết.)</i>");
	}

	para(f, "<b>II. Giao, nhận hồ sơ</b>");
	static const double ch[] = { 0.07, 0.2, 0.26, 0.47 };
	static const char *const hh[] = { "TT", "Thời gian", "Người giao → người nhận",
					  "Nội dung" };
	static const int ah[] = { LAY_CENTER, LAY_CENTER, LAY_LEFT, LAY_LEFT };
	lay_table t;
	lay_table_begin(&t, &f->l, 4, ch, hh, ah, 0);
	size_t i;
	const json_t *h;
	int k = 0;
	json_array_foreach(json_object_get(d, "history"), i, h) {
		char n[24], at[32];
		snprintf(n, sizeof n, "%d", ++k);
		lay_time_short(js(h, "at"), at, sizeof at);
		sb who, what;
		sb_init(&who, 4096);
		sb_init(&what, 8192);
		lay_esc(&who, officer(f->in, js(h, "actor")));
		if (js(h, "to_user")[0]) {
			sb_add(&who, " → ");
			lay_esc(&who, officer(f->in, js(h, "to_user")));
		} else if (js(h, "to_agency")[0]) {
			sb_add(&who, " → ");
			lay_esc(&who, js(h, "to_agency"));
		}
		lay_esc(&what, action_label(h));
		if (js(h, "comment")[0]) {
			sb_add(&what, ": ");
			lay_esc(&what, js(h, "comment"));
		}
		const char *cells[] = { n, at, sb_str(&who), sb_str(&what) };
		lay_table_row(&t, cells);
		sb_release(&who);
		sb_release(&what);
	}
	lay_table_end(&t);
	if (js(d, "timeliness_label")[0])
		para(f, mk(f, "Kết quả giải quyết hồ sơ: <b>%s</b>", js(d, "timeliness_label")));
	return MC_OK;
}

static int form_register(form *f, mc_err *e)
{
	const json_t *in = f->in;
	char from[64], to[64];
	lay_date_words(js(in, "from"), from, sizeof from);
	lay_date_words(js(in, "to"), to, sizeof to);
	heading(f, NULL, js(in, "printed_at"));
	title(f, DOC_REGISTER, mk(f, "Từ %s đến %s", from, to));
	/* The code column holds "000.31.45.H45-260916-0001" on one line. */
	static const double cols[] = { 0.035, 0.18, 0.155, 0.105, 0.145, 0.075, 0.075, 0.075, 0.075, 0.08 };
	static const char *const head[] = {
		"TT",		   "Mã hồ sơ",	 "Thủ tục hành chính",
		"Người nộp",	   "Địa chỉ, số điện thoại", "Nhận hồ sơ",
		"Hẹn trả kết quả", "Chuyển xử lý", "Có kết quả",
		"Trả kết quả / ghi chú"
	};
	static const int align[] = { LAY_CENTER, LAY_LEFT,   LAY_LEFT,	 LAY_LEFT,   LAY_LEFT,
				     LAY_CENTER, LAY_CENTER, LAY_CENTER, LAY_CENTER, LAY_LEFT };
	lay_table t;
	lay_table_begin(&t, &f->l, 10, cols, head, align, f->l.size - 2);
	size_t i;
	const json_t *d;
	json_array_foreach(json_object_get(in, "items"), i, d) {
		char n[24], rec[32], due[32], fin[32], ret[32], moved[32] = "";
		const json_t *reg = json_object_get(d, "register");
		if (json_is_object(reg))
			snprintf(n, sizeof n, "%lld",
				 (long long)json_integer_value(json_object_get(reg, "no")));
		else
			snprintf(n, sizeof n, "%zu", i + 1);
		lay_time_short(received(d), rec, sizeof rec);
		lay_time_short(js(d, "due_at"), due, sizeof due);
		lay_time_short(js(d, "finished_at"), fin, sizeof fin);
		lay_time_short(js(d, "returned_at"), ret, sizeof ret);
		size_t j;
		const json_t *h;
		json_array_foreach(json_object_get(d, "history"), j, h) {
			if (strcmp(js(h, "action"), "assign") == 0 ||
			    strcmp(js(h, "action"), "transfer_out") == 0) {
				lay_time_short(js(h, "at"), moved, sizeof moved);
				break;
			}
		}
		const json_t *ap = json_object_get(d, "applicant");
		sb code, proc, who, addr, note;
		sb_init(&code, 256);
		sb_init(&proc, 4096);
		sb_init(&who, 4096);
		sb_init(&addr, 4096);
		sb_init(&note, 4096);
		lay_esc(&code, js(d, "code"));
		lay_esc(&proc, js(d, "procedure_name"));
		lay_esc(&who, strcmp(js(ap, "kind"), "organisation") == 0 ? js(ap, "org_name")
									 : js(ap, "name"));
		lay_esc(&addr, js(ap, "address"));
		if (js(ap, "address")[0])
			sb_add(&addr, "; ");
		lay_esc(&addr, js(ap, "phone"));
		lay_esc(&note, ret);
		if (!ret[0] || strcmp(js(d, "status"), "returned") != 0) {
			if (ret[0])
				sb_add(&note, "; ");
			lay_esc(&note, js(d, "status_label"));
		}
		const char *cells[] = { n, sb_str(&code), sb_str(&proc), sb_str(&who), sb_str(&addr),
					rec, due, moved, fin, sb_str(&note) };
		lay_table_row(&t, cells);
		sb_release(&code);
		sb_release(&proc);
		sb_release(&who);
		sb_release(&addr);
		sb_release(&note);
	}
	lay_table_end(&t);
	char count[32];
	snprintf(count, sizeof count, "%zu", json_array_size(json_object_get(in, "items")));
	para(f, mk(f, "Tổng số hồ sơ: %s", count));
	return MC_OK;
}

static void money(int64_t v, char *out, size_t size)
{
	/* 1.250.000: Vietnamese thousands separator */
	char digits[32];
	snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
	size_t n = strlen(digits), o = 0;
	for (size_t i = 0; i < n && o + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = '.';
		out[o++] = digits[i];
	}
	out[o] = 0;
}

static int form_fee(form *f, mc_err *e)
{
	const json_t *d = f->d, *fees = json_object_get(d, "fees");
	if (!json_array_size(fees))
		return mc_fail(e, MCE_DOC_MISSING, "hồ sơ %s chưa ghi nhận khoản phí, lệ phí nào",
			       "dossier %s has no fee recorded", js(d, "code"));
	heading(f, NULL, js(f->in, "printed_at"));
	title(f, DOC_FEE, mk(f, "Mã hồ sơ: <b>%s</b>", js(d, "code")));
	para(f, mk(f, "Người nộp: <b>%s</b>", js(json_object_get(d, "applicant"), "name")));
	request_line(f);
	static const double cols[] = { 0.07, 0.2, 0.2, 0.2, 0.33 };
	static const char *const head[] = { "TT", "Thời gian", "Số tiền (đồng)", "Hình thức",
					    "Số biên lai / miễn, giảm" };
	static const int align[] = { LAY_CENTER, LAY_CENTER, LAY_RIGHT, LAY_CENTER, LAY_LEFT };
	lay_table t;
	lay_table_begin(&t, &f->l, 5, cols, head, align, 0);
	size_t i;
	const json_t *fe;
	json_array_foreach(fees, i, fe) {
		char n[24], at[32], amt[32];
		snprintf(n, sizeof n, "%zu", i + 1);
		lay_time_short(js(fe, "at"), at, sizeof at);
		money(json_integer_value(json_object_get(fe, "amount")), amt, sizeof amt);
		sb how, rec;
		sb_init(&how, 256);
		sb_init(&rec, 1024);
		lay_esc(&how, js(fe, "method_label"));
		lay_esc(&rec, js(fe, "receipt_no"));
		if (js(fe, "exemption_label")[0]) {
			if (js(fe, "receipt_no")[0])
				sb_add(&rec, "; ");
			lay_esc(&rec, js(fe, "exemption_label"));
		}
		const char *cells[] = { n, at, amt, sb_str(&how), sb_str(&rec) };
		lay_table_row(&t, cells);
		sb_release(&how);
		sb_release(&rec);
	}
	lay_table_end(&t);
	int64_t total = json_integer_value(json_object_get(d, "fee_total"));
	char amt[32], words[512];
	money(total, amt, sizeof amt);
	doc_money_words(total, words, sizeof words);
	para(f, mk(f, "Tổng số tiền: <b>%s đồng</b>", amt));
	para(f, mk(f, "Bằng chữ: <i>%s</i>", words));
	lay_space(&f->l, MM(2));
	const json_t *last = json_array_get(fees, json_array_size(fees) - 1);
	const char *st[] = { "NGƯỜI NỘP TIỀN", "NGƯỜI THU TIỀN" };
	const char *notes[] = { "(Ký và ghi rõ họ tên)", "(Ký và ghi rõ họ tên)" };
	const char *names[] = { js(json_object_get(d, "applicant"), "name"),
				js(json_object_get(last, "collector"), "name") };
	lay_signs(&f->l, 2, st, notes, names);
	return MC_OK;
}

/* One pass over the form; pages is the count from an earlier pass (0:
 * unknown). OUT: *pdf, *len, *pages_out. */
static int render(int n, const json_t *in, int pages, unsigned char **pdf, size_t *len,
		  int *pages_out, mc_err *e)
{
	form f;
	memset(&f, 0, sizeof f);
	f.in = in;
	f.unit = json_object_get(in, "unit");
	f.d = json_object_get(in, "dossier");
	sb_init(&f.m, 1u << 20);
	int paper = n == DOC_REGISTER ? LAY_A4_LANDSCAPE : LAY_A5;
	lay_open(&f.l, paper, n == DOC_REGISTER ? BODY_A4 : BODY_A5, pages);
	int rc;
	switch (n) {
	case DOC_RECEIPT: rc = form_receipt(&f, e); break;
	case DOC_SUPPLEMENT: rc = form_supplement(&f, e); break;
	case DOC_REFUSAL: rc = form_refusal(&f, e); break;
	case DOC_APOLOGY: rc = form_apology(&f, e); break;
	case DOC_STOP: rc = form_stop(&f, e); break;
	case DOC_CONTROL: rc = form_control(&f, e); break;
	case DOC_REGISTER: rc = form_register(&f, e); break;
	default: rc = form_fee(&f, e);
	}
	sb_release(&f.m);
	if (rc) {
		lay_release(&f.l);
		return rc;
	}
	*pages_out = f.l.page;
	if (lay_close(&f.l, pdf, len))
		return mc_fail(e, MCE_INTERNAL, "không tạo được tệp PDF", "cannot write the PDF");
	return MC_OK;
}

int doc_form_pdf(int n, const json_t *in, unsigned char **pdf, size_t *len, mc_err *e)
{
	*pdf = NULL;
	*len = 0;
	if (!doc_form_title(n))
		return mc_fail(e, MCE_DOC_NO_FORM, "không có mẫu số %d", "there is no form %d", n);
	if (n != DOC_REGISTER && !json_is_object(json_object_get(in, "dossier")))
		return mc_fail(e, MCE_DOC_MISSING, "thiếu dữ liệu hồ sơ để in", "no dossier to print");
	if (!json_is_object(json_object_get(in, "unit")))
		return mc_fail(e, MCE_DOC_MISSING, "thiếu thông tin đơn vị để in",
			       "no issuing unit to print");
	int pages = 0;
	int rc = render(n, in, 0, pdf, len, &pages, e);
	if (rc || pages == 1)
		return rc;
	/* More than a page: again, now that "Trang i/n" can say n. */
	free(*pdf);
	*pdf = NULL;
	int again = 0;
	return render(n, in, pages, pdf, len, &again, e);
}
