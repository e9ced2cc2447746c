/*
 * demo_office.c - the demo commune's office records (issue 14): a few
 * incoming and outgoing documents, recommendations to the province and
 * tasks, made through the same use cases an officer's screens call, so
 * that `make run` opens on registers and lists that read like a real
 * month. Times are days before now.
 */
#include "app_int.h"

#include "app/documents.h"
#include "app/recommend.h"
#include "app/tasks_int.h"

/* "YYYY-MM-DD" of days before now (local time), into out (11 bytes). */
static void day_before(mc_time now, int days, char out[11])
{
	json_t *t = app_json_time(now - (mc_time)days * 86400);
	snprintf(out, 11, "%.10s", json_string_value(t));
	json_decref(t);
}

static const struct {
	int ago, doc_ago;
	const char *issuer, *symbol, *type, *excerpt, *urgency, *assignee, *unit;
	int due_days; /* working days to handle it, 0: not assigned */
} incoming[] = {
	{ 24, 26, "UBND tỉnh Phú Thọ", "1234/UBND-KGVX", "cong_van",
	  "V/v rà soát nhiệm vụ chính trị năm 2026", "khan", "chuyenvien", "KT", 5 },
	{ 18, 20, "Sở Nội vụ tỉnh Phú Thọ", "88/SNV-CCVC", "ke_hoach",
	  "Kế hoạch chuẩn bị bầu cử đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026-2031",
	  "thuong_khan", NULL, "VP", 10 },
	{ 9, 12, "Sở Tài chính", "402/STC-ĐT", "thong_bao",
	  "Thông báo kế hoạch vốn đầu tư công năm 2026", "thuong", NULL, NULL, 0 },
	{ 3, 4, "Sở Nông nghiệp và Môi trường", "57/SNNMT-QLĐĐ", "cong_van",
	  "V/v đẩy nhanh cấp giấy chứng nhận quyền sử dụng đất lần đầu", "thuong", "chuyenvien",
	  "KT", 7 },
};

static const struct {
	int ago;
	const char *type, *excerpt, *unit, *signer, *title;
} outgoing[] = {
	{ 20, "quyet_dinh", "Về việc thành lập Tổ công tác chuyển đổi số của xã", "VP",
	  "Hoàng Văn Dũng", "Chủ tịch" },
	{ 14, "cong_van", "V/v báo cáo tiến độ giải ngân vốn đầu tư công", "KT", "Hoàng Văn Dũng",
	  "Chủ tịch" },
	{ 6, "bao_cao", "Báo cáo kết quả giải quyết thủ tục hành chính tháng", "VP",
	  "Hoàng Văn Dũng", "Chủ tịch" },
};

static int demo_documents(app *a, const app_actor *by, mc_time now, mc_err *e)
{
	int rc = MC_OK;
	for (size_t i = 0; !rc && i < MC_ARRAY_LEN(incoming); i++) {
		char rec[11], doc[11];
		day_before(now, incoming[i].ago, rec);
		day_before(now, incoming[i].doc_ago, doc);
		json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "issuer",
				       incoming[i].issuer, "symbol", incoming[i].symbol, "doc_date", doc,
				       "received_at", rec, "type", incoming[i].type, "excerpt",
				       incoming[i].excerpt, "urgency", incoming[i].urgency);
		if (incoming[i].assignee)
			json_object_set_new(in, "assignee", json_string(incoming[i].assignee));
		if (incoming[i].unit)
			json_object_set_new(in, "unit", json_string(incoming[i].unit));
		if (incoming[i].due_days)
			json_object_set_new(in, "due_in", json_pack("{s:i, s:s}", "time",
								    incoming[i].due_days, "unit",
								    "working_days"));
		json_t *out = NULL;
		rc = app_doc_register(a, by, "in", in, NULL, NULL, now, &out, e);
		json_decref(in);
		json_decref(out);
	}
	for (size_t i = 0; !rc && i < MC_ARRAY_LEN(outgoing); i++) {
		char doc[11];
		day_before(now, outgoing[i].ago, doc);
		json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:[s, s]}", "type",
				       outgoing[i].type, "excerpt", outgoing[i].excerpt, "unit",
				       outgoing[i].unit, "doc_date", doc, "signer", "name",
				       outgoing[i].signer, "title", outgoing[i].title, "recipients",
				       "UBND tỉnh Phú Thọ", "Lưu: VT, VP");
		json_t *out = NULL;
		rc = app_doc_register(a, by, "out", in, NULL, NULL, now, &out, e);
		json_decref(in);
		json_decref(out);
	}
	return rc;
}

/* 09:30 local time (UTC+7), days before now. */
static mc_time morning_before(mc_time now, int days)
{
	mc_time t = now - (mc_time)days * 86400;
	return t - (t + 7 * 3600) % 86400 + 9 * 3600 + 30 * 60; /* local midnight + 9:30 */
}

static int demo_recommendations(app *a, const app_actor *by, mc_time now, mc_err *e)
{
	static const app_rec_new recs[] = {
		{ "Hướng dẫn chuyển mục đích sử dụng đất vườn sang đất ở",
		  "Nhiều hộ dân đề nghị chuyển mục đích sử dụng đất vườn liền kề sang đất ở; đề "
		  "nghị Sở hướng dẫn hạn mức và trình tự sau khi sắp xếp đơn vị hành chính.",
		  "Đất đai", "SNNMT", NULL },
		{ "Bổ sung kinh phí sửa chữa tuyến đường liên xã",
		  "Tuyến đường liên xã Xóm Mỏ - Xóm Chiềng xuống cấp sau mưa lũ; đề nghị tỉnh "
		  "xem xét bổ sung kinh phí sửa chữa trong kế hoạch năm.",
		  "Giao thông", "SXD", NULL },
	};
	int rc = MC_OK;
	for (size_t i = 0; !rc && i < MC_ARRAY_LEN(recs); i++) {
		json_t *out = NULL;
		rc = app_rec_file(a, by, &recs[i], morning_before(now, 7 - 4 * (int)i), &out, e);
		json_decref(out);
	}
	return rc;
}

int app_demo_office(app *a, mc_time now, mc_err *e)
{
	app_actor clerk, leader;
	int rc = app_actor_load(a, "tiepnhan", &clerk, e);
	if (!rc)
		rc = app_actor_load(a, "lanhdao", &leader, e);
	if (!rc)
		rc = demo_documents(a, &clerk, now, e);
	if (!rc)
		rc = demo_recommendations(a, &leader, now, e);
	if (!rc)
		rc = app_demo_tasks(a, now, e);
	return rc;
}
