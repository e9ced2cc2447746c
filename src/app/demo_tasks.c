/*
 * demo_tasks.c - the demo commune's tasks (issue 14, docs/tasks.md), made
 * through the use cases the screens call, at times days before now: one
 * overdue with its progress history, one near its deadline, a monthly
 * report, one accepted, so that `make run` opens the task lists and the
 * leader's board on a month that reads like a real one.
 */
#include "app/tasks_int.h"

#include "app/tasks.h"

#define DAY 86400

/* "YYYY-MM-DD" of t (local), into out (11 bytes). */
static void date_of(mc_time t, char out[11])
{
	cal_format_date(cal_local_day(t), out);
}

/* One task assigned by by at `at`. OUT: id (128 bytes). */
static int demo_task(app *a, const app_actor *by, json_t *body, mc_time at, char id[128],
		     mc_err *e)
{
	json_t *t = NULL;
	int rc = app_task_create(a, by, body, at, &t, e);
	json_decref(body);
	if (!rc)
		snprintf(id, 128, "%s", json_string_value(json_object_get(t, "id")));
	json_decref(t);
	return rc;
}

static int demo_act(app *a, const app_actor *by, const char *id, const char *action,
		    json_t *body, mc_time at, mc_err *e)
{
	json_t *t = NULL;
	int rc = app_task_act(a, by, id, action, body, at, &t, e);
	json_decref(body);
	json_decref(t);
	return rc;
}

int app_demo_tasks(app *a, mc_time now, mc_err *e)
{
	app_actor leader, cv, admin;
	char id[128], d[11];
	/* Office hours of a morning, days ago. */
	mc_time base = cal_time_of(cal_local_day(now), 8 * 3600);
	int rc = app_actor_load(a, "lanhdao", &leader, e);
	if (!rc)
		rc = app_actor_load(a, "chuyenvien", &cv, e);
	if (!rc)
		rc = app_actor_load(a, "quantri", &admin, e);
	if (rc)
		return rc;
	/* 1: from the province's letter, overdue, with its progress. */
	rc = demo_task(a, &leader,
		       json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:{s:i, s:s}}", "title",
				 "Rà soát, báo cáo kết quả thực hiện nhiệm vụ chính trị năm 2026",
				 "content",
				 "Rà soát từng nhiệm vụ được giao, nêu rõ kết quả, tồn tại và giải pháp; "
				 "báo cáo bằng văn bản.",
				 "source", "kind", "document", "ref",
				 "Công văn 1234/UBND-KGVX của UBND tỉnh Phú Thọ", "unit", "KT", "officer",
				 "chuyenvien", "deadline", "time", 10, "unit", "working_days"),
		       base - 24 * DAY, id, e);
	if (!rc)
		rc = demo_act(a, &cv, id, "start", json_object(), base - 23 * DAY, e);
	if (!rc)
		rc = demo_act(a, &cv, id, "progress",
			      json_pack("{s:i, s:s}", "percent", 40, "text",
					"Đã rà soát 8/20 nhiệm vụ; 3 nhiệm vụ chậm tiến độ."),
			      base - 16 * DAY, e);
	if (!rc)
		rc = demo_act(a, &cv, id, "progress",
			      json_pack("{s:i, s:s}", "percent", 70, "text",
					"Đã rà soát 14/20 nhiệm vụ; đang tổng hợp số liệu."),
			      base - 6 * DAY, e);
	/* 2: from a working session, due in a few days. */
	date_of(now + 4 * DAY, d);
	if (!rc)
		rc = demo_task(
			a, &leader,
			json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:{s:s}}", "title",
				  "Chuẩn bị cơ sở vật chất, danh sách cử tri cho công tác bầu cử",
				  "source", "kind", "meeting", "ref",
				  "Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với xã",
				  "unit", "VP", "officer", "quantri", "deadline", "date", d),
			base - 10 * DAY, id, e);
	if (!rc)
		rc = demo_act(a, &admin, id, "progress",
			      json_pack("{s:i, s:s}", "percent", 50, "text",
					"Đã lập danh sách cử tri 4/8 thôn."),
			      base - 2 * DAY, e);
	/* 3: a monthly report. */
	date_of(now + 9 * DAY, d);
	if (!rc)
		rc = demo_task(a, &leader,
			       json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:{s:s}, s:{s:s}}", "title",
					 "Báo cáo tháng về công tác cải cách hành chính", "source",
					 "kind", "document", "ref",
					 "Kế hoạch cải cách hành chính năm 2026 của UBND xã", "unit",
					 "VP", "officer", "quantri", "deadline", "date", d,
					 "recurrence", "every", "monthly"),
			       base - 3 * DAY, id, e);
	/* 4: given in person, done and accepted. */
	if (!rc)
		rc = demo_task(a, &leader,
			       json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:{s:i, s:s}}", "title",
					 "Kiểm tra, đôn đốc cấp giấy chứng nhận quyền sử dụng đất lần đầu",
					 "source", "kind", "person", "ref",
					 "Chủ tịch UBND xã giao trực tiếp", "unit", "KT", "officer",
					 "chuyenvien", "deadline", "time", 5, "unit", "working_days"),
			       base - 14 * DAY, id, e);
	if (!rc)
		rc = demo_act(a, &cv, id, "report_done",
			      json_pack("{s:s}", "text", "Đã kiểm tra 35 hồ sơ, đôn đốc 12 hộ."),
			      base - 9 * DAY, e);
	if (!rc)
		rc = demo_act(a, &leader, id, "accept", json_object(), base - 8 * DAY, e);
	return rc;
}
