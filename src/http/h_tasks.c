/*
 * h_tasks.c - handlers for tasks (issue 14, docs/tasks.md): list, assign,
 * one task with its history, its actions, the leader's board. Thin:
 * parse, one app call, JSON out. A task's id holds a slash (the agency's
 * code, then "T-YYYY-NNNN"), so its routes take it as two segments.
 */
#include "http/http_int.h"

#include "app/tasks.h"

/* The task id of a route's first two parameters. OUT: id (128 bytes). */
static int task_id(http_req *r, char id[128])
{
	int n = snprintf(id, 128, "%s/%s", r->params[0], r->params[1]);
	if (n < 0 || n >= 128)
		return http_error(r, MCE_TASK_NOT_FOUND, "không có nhiệm vụ này", "no such task");
	return 0;
}

int h_tasks_list(http_req *r)
{
	app_task_query q = { .view = http_arg(r, "view"), .source = http_arg(r, "source"),
			     .unit = http_arg(r, "unit"), .commune = http_arg(r, "commune") };
	long limit = 50, offset = 0;
	if (http_long_arg(r, "limit", 1, APP_TASK_PAGE_MAX, &limit) ||
	    http_long_arg(r, "offset", 0, 1000000000L, &offset))
		return r->status;
	q.limit = (int)limit;
	q.offset = (int)offset;
	json_t *out;
	mc_err e;
	if (app_task_list(r->app, &r->actor, &q, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_task_create(http_req *r)
{
	static const char *const allowed[] = { "title",	     "content",	    "source",   "unit",
					       "officer",     "coworkers",   "deadline", "recurrence",
					       "attachments", "shared",	    "communes", NULL };
	json_t *o, *out;
	if (http_body_object(r, allowed, &o))
		return r->status;
	mc_err e;
	int rc = app_task_create(r->app, &r->actor, o, r->now, &out, &e);
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 201, out);
}

int h_task_get(http_req *r)
{
	char id[128];
	if (task_id(r, id))
		return r->status;
	json_t *out;
	mc_err e;
	if (app_task_get(r->app, &r->actor, id, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_task_act(http_req *r)
{
	static const char *const allowed[] = { "text", "percent", "attachments", "reason", "unit",
					       "officer", "coworkers", "commune", NULL };
	char id[128];
	if (task_id(r, id))
		return r->status;
	json_t *o = NULL, *out;
	if (http_body_object(r, allowed, &o))
		return r->status;
	mc_err e;
	int rc = app_task_act(r->app, &r->actor, id, r->params[2], o, r->now, &out, &e);
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_task_board(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_task_board(r->app, &r->actor, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}
