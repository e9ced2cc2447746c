/*
 * h_recs.c - handlers for recommendations (kiến nghị, issue 14;
 * docs/recommendations.md). Thin: parse, one app call, JSON out. A
 * recommendation's id <agency>/KN-YYYY-NNNN holds one slash, so its
 * routes take it as two path segments: /recommendations/{agency}/{number}.
 */
#include "http/http_int.h"

#include "app/recommend.h"

/* The id from the path's two segments. */
static void rec_id(const http_req *r, char *out, size_t size)
{
	snprintf(out, size, "%s/%s", r->params[0], r->params[1]);
}

static int read_filter(http_req *r, app_rec_filter *f, int paged)
{
	memset(f, 0, sizeof *f);
	long limit = 50, offset = 0;
	int od = 0;
	if (paged && (http_long_arg(r, "limit", 1, APP_REC_LIST_MAX, &limit) ||
		      http_long_arg(r, "offset", 0, 1000000000L, &offset)))
		return r->status;
	if (http_bool_arg(r, "overdue", &od))
		return r->status;
	f->state = http_arg(r, "state");
	f->department = http_arg(r, "department");
	f->agency = http_arg(r, "agency");
	f->field = http_arg(r, "field");
	f->q = http_arg(r, "q");
	f->from = http_arg(r, "from");
	f->to = http_arg(r, "to");
	f->overdue = od;
	f->limit = (int)limit;
	f->offset = (int)offset;
	return 0;
}

int h_recs_list(http_req *r)
{
	app_rec_filter f;
	if (read_filter(r, &f, 1))
		return r->status;
	json_t *out;
	mc_err e;
	if (app_rec_list(r->app, &r->actor, &f, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_recs_board(http_req *r)
{
	app_rec_filter f;
	if (read_filter(r, &f, 0))
		return r->status;
	json_t *out;
	mc_err e;
	if (app_rec_board(r->app, &r->actor, &f, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_rec_file(http_req *r)
{
	static const char *const allowed[] = { "topic", "content", "field", "concerns",
					       "attachments", NULL };
	json_t *o;
	if (http_body_object(r, allowed, &o))
		return r->status;
	app_rec_new q = { .attachments = json_object_get(o, "attachments") };
	int bad = http_str_field(r, o, "", "topic", 1, &q.topic) ||
		  http_str_field(r, o, "", "content", 1, &q.content) ||
		  http_str_field(r, o, "", "field", 0, &q.field) ||
		  http_str_field(r, o, "", "concerns", 1, &q.concerns);
	if (!bad && q.attachments && !json_is_array(q.attachments) && !json_is_null(q.attachments))
		bad = http_error(r, MCE_BAD_FIELD, "attachments phải là mảng mã SHA-256",
				 "attachments must be an array of SHA-256 hashes");
	if (json_is_null(q.attachments))
		q.attachments = NULL;
	json_t *out = NULL;
	mc_err e;
	int rc = bad ? 0 : app_rec_file(r->app, &r->actor, &q, r->now, &out, &e);
	json_decref(o);
	if (bad)
		return r->status;
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 201, out);
}

int h_rec_get(http_req *r)
{
	char id[300];
	rec_id(r, id, sizeof id);
	json_t *out;
	mc_err e;
	if (app_rec_get(r->app, &r->actor, id, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

/* What each step's body may hold (docs/recommendations.md). */
static const struct {
	const char *action;
	const char *const keys[4];
} step_keys[] = {
	{ "route", { "department", "comment", NULL } },
	{ "reroute", { "department", "reason", NULL } },
	{ "answer", { "answer", "document", "attachments", NULL } },
	{ "close", { "comment", NULL } },
	{ "reopen", { "reason", NULL } },
	{ "withdraw", { "reason", NULL } },
};

int h_rec_act(http_req *r)
{
	char id[300];
	rec_id(r, id, sizeof id);
	const char *action = r->params[2];
	const char *const *allowed = NULL;
	for (size_t i = 0; i < MC_ARRAY_LEN(step_keys) && !allowed; i++)
		if (strcmp(step_keys[i].action, action) == 0)
			allowed = step_keys[i].keys;
	if (!allowed)
		return http_error(r, MCE_REC_UNKNOWN_ACTION,
				  "không có thao tác '%.40s' với kiến nghị (route, reroute, answer, close, reopen, withdraw)",
				  "no action '%.40s' on a recommendation (route, reroute, answer, close, reopen, withdraw)",
				  action);
	/* A step that needs nothing may come without a body. */
	json_t *o = NULL;
	if (r->body_len > 0 && http_body_object(r, allowed, &o))
		return r->status;
	app_rec_step q = { .attachments = json_object_get(o, "attachments") };
	int bad = http_str_field(r, o, "", "department", 0, &q.department) ||
		  http_str_field(r, o, "", "reason", 0, &q.reason) ||
		  http_str_field(r, o, "", "comment", 0, &q.comment) ||
		  http_str_field(r, o, "", "answer", 0, &q.answer) ||
		  http_str_field(r, o, "", "document", 0, &q.document);
	if (!bad && q.attachments && !json_is_array(q.attachments) && !json_is_null(q.attachments))
		bad = http_error(r, MCE_BAD_FIELD, "attachments phải là mảng mã SHA-256",
				 "attachments must be an array of SHA-256 hashes");
	if (json_is_null(q.attachments))
		q.attachments = NULL;
	json_t *out = NULL;
	mc_err e;
	int rc = bad ? 0 : app_rec_act(r->app, &r->actor, id, action, &q, r->now, &out, &e);
	json_decref(o);
	if (bad)
		return r->status;
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_recs_settings(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_rec_settings(r->app, &r->actor, 0, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_recs_settings_put(http_req *r)
{
	static const char *const allowed[] = { "answer_days", NULL };
	json_t *o;
	if (http_body_object(r, allowed, &o))
		return r->status;
	json_t *d = json_object_get(o, "answer_days");
	json_int_t v = json_is_integer(d) ? json_integer_value(d) : -1;
	int days = v >= 1 && v <= APP_REC_ANSWER_DAYS_MAX ? (int)v : -1;
	json_decref(o);
	if (days < 1)
		return http_error(r, MCE_REC_BAD_FIELD,
				  "answer_days: số ngày làm việc từ 1 đến %d",
				  "answer_days: working days from 1 to %d", APP_REC_ANSWER_DAYS_MAX);
	json_t *out;
	mc_err e;
	if (app_rec_settings(r->app, &r->actor, days, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}
