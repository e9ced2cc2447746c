/*
 * api.c - the JSON API under /api/v1: the route table, the dispatcher
 * (authentication, CSRF, rate limits) and thin handlers that call app.
 */
#include "http/http.h"

#include <ctype.h>
#include <sodium.h>
#include <stdarg.h>

#include "app/auth.h"
#include "core/txt.h"

/* ---- responses ---- */

int http_error(http_req *r, int status, const char *code, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* A message that quotes input may have been cut inside a multi-byte
	 * character (or quote invalid bytes): keep its longest valid prefix so
	 * it still names the field. */
	size_t n = strlen(msg);
	while (n > 0 && !txt_utf8_valid(msg, n))
		n--;
	msg[n] = 0;
	json_decref(r->json);
	r->status = status;
	r->json = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg);
	if (!r->json) /* msg not valid UTF-8 (echoed input): say it plainly */
		r->json = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message",
				    "invalid input");
	return status;
}

int http_fail(http_req *r, const mc_err *e)
{
	static const struct {
		int code, status;
		const char *name;
	} map[] = {
		{ MC_EINVAL, 400, "invalid" },	   { MC_ENOTFOUND, 404, "not_found" },
		{ MC_ECONFLICT, 409, "conflict" }, { MC_EPERM, 403, "forbidden" },
		{ MC_EBUSY, 503, "busy" },	   { MC_EIO, 500, "io_error" },
		{ MC_ECORRUPT, 500, "corrupt" },   { MC_EEXIST, 409, "exists" },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(map); i++)
		if (map[i].code == e->code)
			return http_error(r, map[i].status, map[i].name, "%s", e->msg);
	return http_error(r, 500, "internal", "%s", e->msg);
}

int http_ok(http_req *r, int status, json_t *j)
{
	json_decref(r->json);
	r->status = status;
	r->json = j ? j : json_object();
	return status;
}

/* ---- request bodies ---- */

/* Parses the body as one JSON object whose keys are all in allowed. */
static int body_object(http_req *r, const char *const *allowed, json_t **out)
{
	const char *ct = http_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] && ct[16] != ';' && ct[16] != ' '))
		return http_error(r, 415, "unsupported_media_type",
				  "send the body as application/json");
	if (!r->body || r->body_len == 0)
		return http_error(r, 400, "invalid", "the request body is empty: send a JSON object");
	json_error_t je;
	json_t *o = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		return http_error(r, 400, "malformed_json", "malformed JSON at line %d, column %d: %s",
				  je.line, je.column, je.text);
	if (!json_is_object(o)) {
		json_decref(o);
		return http_error(r, 400, "invalid", "the body must be a JSON object");
	}
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			ok |= strcmp(*a, k) == 0;
		if (!ok) {
			char list[300] = "";
			size_t n = 0;
			for (const char *const *a = allowed; *a && n < sizeof list; a++)
				n += (size_t)snprintf(list + n, sizeof list - n, "%s%s",
						      a == allowed ? "" : ", ", *a);
			http_error(r, 400, "unknown_field", "unknown field '%.60s' (allowed: %s)", k,
				   list);
			json_decref(o);
			return 400;
		}
	}
	*out = o;
	return 0;
}

/* A string field: NULL if absent or null; 400 if another type. */
static int str_field(http_req *r, json_t *o, const char *prefix, const char *key, int required,
		     const char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return http_error(r, 400, "invalid", "%s%s is required", prefix, key);
		return 0;
	}
	if (!json_is_string(v))
		return http_error(r, 400, "invalid", "%s%s must be a string", prefix, key);
	*out = json_string_value(v);
	return 0;
}

/* "2026-03-02T07:00", "2026-03-02 07:00", optional ":SS" and "+07:00". */
static int parse_time(const char *s, mc_time *t, mc_err *e)
{
	char buf[32];
	size_t n = strlen(s);
	if (n > 25)
		return mc_seterr(e, MC_EINVAL, "time '%.30s' is too long", s);
	snprintf(buf, sizeof buf, "%s", s);
	if (n > 6 && strcmp(buf + n - 6, "+07:00") == 0)
		buf[n - 6] = 0;
	return cal_parse_datetime(buf, t, e);
}

static int time_field(http_req *r, json_t *o, const char *key, mc_time *out)
{
	const char *s;
	*out = 0;
	if (str_field(r, o, "", key, 0, &s))
		return 400;
	if (!s)
		return 0;
	mc_err e;
	if (parse_time(s, out, &e))
		return http_error(r, 400, "invalid", "%s: %s (use YYYY-MM-DDTHH:MM+07:00)", key,
				  e.msg);
	return 0;
}

/* ---- handlers ---- */

static int h_healthz(http_req *r)
{
	if (st_schema_version(r->app->st) < 1)
		return http_error(r, 503, "unavailable", "the database does not answer");
	return http_ok(r, 200, json_pack("{s:s}", "status", "ok"));
}

static json_t *me_json(http_req *r)
{
	json_t *perms = json_array();
	for (int i = 0; i < DSR_N_ACTIONS; i++)
		if (dsr_role_may(r->actor.role, i))
			json_array_append_new(perms, json_string(dsr_actions[i].name));
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "login", r->actor.login,
			      "name", r->actor.name, "role", dsr_role_name(r->actor.role),
			      "role_label", dsr_role_label_vi(r->actor.role), "agency",
			      r->app->agency, "agency_name", r->app->agency_name, "actions", perms);
	if (r->by_cookie && r->session_token) {
		char csrf[AUTH_TOKEN_HEX];
		auth_csrf_of(r->session_token, csrf);
		json_object_set_new(j, "csrf_token", json_string(csrf));
	}
	return j;
}

static int h_session_create(http_req *r)
{
	static const char *const allowed[] = { "login", "password", NULL };
	json_t *o;
	if (body_object(r, allowed, &o))
		return r->status;
	const char *login, *password;
	int rc = str_field(r, o, "", "login", 1, &login) ||
		 str_field(r, o, "", "password", 1, &password);
	if (rc) {
		json_decref(o);
		return r->status;
	}
	char lkey[96];
	snprintf(lkey, sizeof lkey, "user:%.64s", login);
	int ra = 0;
	if (!rate_login_allowed(r->address, r->now, &ra) || !rate_login_allowed(lkey, r->now, &ra)) {
		json_decref(o);
		r->retry_after = ra;
		return http_error(r, 429, "too_many_requests",
				  "too many failed sign-ins: try again in %d seconds", ra);
	}
	char token[AUTH_TOKEN_HEX], csrf[AUTH_TOKEN_HEX];
	mc_err e;
	rc = auth_login(r->app, login, password, r->address, r->now, token, csrf, &r->actor, &e);
	if (rc == MC_EPERM) {
		rate_login_failed(r->address, r->now);
		rate_login_failed(lkey, r->now);
		json_decref(o);
		return http_error(r, 401, "unauthorized", "wrong login or password");
	}
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	rate_login_succeeded(lkey);
	r->authed = 1;
	r->by_cookie = 1;
	r->session_token = token;
	snprintf(r->set_cookie, sizeof r->set_cookie,
		 "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", HTTP_SESSION_COOKIE,
		 token, http_header(r, "X-Forwarded-Proto") ? "; Secure" : "");
	json_t *me = me_json(r);
	r->session_token = NULL;
	return http_ok(r, 200, json_pack("{s:o, s:s}", "user", me, "csrf_token", csrf));
}

static int h_session_delete(http_req *r)
{
	mc_err e;
	if (r->by_cookie && auth_logout(r->app, r->session_token, &e))
		return http_fail(r, &e);
	snprintf(r->set_cookie, sizeof r->set_cookie,
		 "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", HTTP_SESSION_COOKIE);
	return http_ok(r, 200, json_pack("{s:b}", "signed_out", 1));
}

static int h_me(http_req *r)
{
	return http_ok(r, 200, me_json(r));
}

static int h_procedures(http_req *r)
{
	json_t *list;
	mc_err e;
	if (app_catalog_list(r->app, http_arg(r, "field"), http_arg(r, "q"), &list, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, json_pack("{s:o}", "items", list));
}

static int h_procedure(http_req *r)
{
	json_t *p;
	mc_err e;
	if (app_catalog_get(r->app, r->params[0], &p, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, p);
}

static int h_dossier_create(http_req *r)
{
	static const char *const allowed[] = { "procedure", "channel", "applicant", "summary",
					       "components", "received_at", "pending", NULL };
	static const char *const app_allowed[] = { "name", "id_number", "phone", "email",
						   "address", NULL };
	json_t *o;
	if (body_object(r, allowed, &o))
		return r->status;
	app_receive_req q;
	memset(&q, 0, sizeof q);
	json_t *ap = json_object_get(o, "applicant");
	int bad = str_field(r, o, "", "procedure", 1, &q.procedure) ||
		  str_field(r, o, "", "channel", 1, &q.channel) ||
		  str_field(r, o, "", "summary", 0, &q.summary) ||
		  time_field(r, o, "received_at", &q.received_at);
	if (!bad && !json_is_object(ap))
		bad = http_error(r, 400, "invalid", "applicant must be an object with name, "
						    "id_number and phone");
	if (!bad) {
		const char *k;
		json_t *v;
		json_object_foreach(ap, k, v) {
			int ok = 0;
			for (const char *const *a = app_allowed; *a; a++)
				ok |= strcmp(*a, k) == 0;
			if (!ok) {
				bad = http_error(r, 400, "unknown_field",
						 "unknown field 'applicant.%.60s'", k);
				break;
			}
		}
	}
	if (!bad)
		bad = str_field(r, ap, "applicant.", "name", 1, &q.name) ||
		      str_field(r, ap, "applicant.", "id_number", 1, &q.id_number) ||
		      str_field(r, ap, "applicant.", "phone", 1, &q.phone) ||
		      str_field(r, ap, "applicant.", "email", 0, &q.email) ||
		      str_field(r, ap, "applicant.", "address", 0, &q.address);
	json_t *pending = json_object_get(o, "pending");
	if (!bad && pending && !json_is_boolean(pending))
		bad = http_error(r, 400, "invalid", "pending must be true or false");
	q.pending = json_is_true(pending);
	q.components = json_object_get(o, "components");
	if (bad) {
		json_decref(o);
		return r->status;
	}
	char code[96];
	mc_time due;
	mc_err e;
	q.request_key = http_header(r, "Idempotency-Key");
	q.replayed = &r->replayed;
	int rc = app_receive(r->app, &r->actor, &q, r->now, code, &due, &e);
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	json_t *d;
	if (app_dossier_get(r->app, code, 1, r->now, &d, &e))
		return http_fail(r, &e);
	return http_ok(r, 201, d);
}

static int bool_arg(http_req *r, const char *name, int *out)
{
	const char *v = http_arg(r, name);
	*out = 0;
	if (!v)
		return 0;
	if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "false") != 0 && strcmp(v, "0") != 0 && *v)
		return http_error(r, 400, "invalid", "%s must be true or false", name);
	return 0;
}

static int time_arg(http_req *r, const char *name, int day_end, mc_time *out)
{
	const char *v = http_arg(r, name);
	mc_err e;
	*out = 0;
	if (!v || !*v)
		return 0;
	if (strlen(v) == 10) {
		int32_t d;
		if (cal_parse_date(v, &d, &e))
			return http_error(r, 400, "invalid", "%s: %s", name, e.msg);
		*out = cal_time_of(d + (day_end ? 1 : 0), 0);
		return 0;
	}
	if (parse_time(v, out, &e))
		return http_error(r, 400, "invalid", "%s: %s", name, e.msg);
	return 0;
}

static int h_dossier_list(http_req *r)
{
	app_list_req q;
	memset(&q, 0, sizeof q);
	q.status = http_arg(r, "status");
	q.q = http_arg(r, "q");
	q.assignee = http_arg(r, "assignee");
	q.channel = http_arg(r, "channel");
	q.procedure = http_arg(r, "procedure");
	q.field = http_arg(r, "field");
	q.cursor = http_arg(r, "cursor");
	q.sort = http_arg(r, "sort");
	const char *lim = http_arg(r, "limit");
	if (lim) {
		char *end;
		long v = strtol(lim, &end, 10);
		if (*end || end == lim || v < 1 || v > 500)
			return http_error(r, 400, "invalid", "limit must be a whole number 1 to 500");
		q.limit = (int)v;
	}
	if (bool_arg(r, "overdue", &q.overdue) || time_arg(r, "due_before", 0, &q.due_before) ||
	    time_arg(r, "received_from", 0, &q.received_from) ||
	    time_arg(r, "received_to", 1, &q.received_to))
		return r->status;
	json_t *page;
	mc_err e;
	if (app_dossier_list(r->app, &q, r->now, &page, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, page);
}

static int h_dossier_get(http_req *r)
{
	json_t *d;
	mc_err e;
	if (app_dossier_get(r->app, r->params[0], 1, r->now, &d, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, d);
}

static int h_dossier_act(http_req *r)
{
	static const char *const allowed[] = { "action", "to", "to_agency", "new_due", "comment",
					       NULL };
	json_t *o;
	if (body_object(r, allowed, &o))
		return r->status;
	app_act_req q;
	memset(&q, 0, sizeof q);
	int bad = str_field(r, o, "", "action", 1, &q.action) ||
		  str_field(r, o, "", "to", 0, &q.to_user) ||
		  str_field(r, o, "", "to_agency", 0, &q.to_agency) ||
		  str_field(r, o, "", "comment", 0, &q.comment) ||
		  time_field(r, o, "new_due", &q.new_due);
	if (bad) {
		json_decref(o);
		return r->status;
	}
	mc_err e;
	q.request_key = http_header(r, "Idempotency-Key");
	q.replayed = &r->replayed;
	int rc = app_act(r->app, &r->actor, r->params[0], &q, r->now, &e);
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	json_t *d;
	if (app_dossier_get(r->app, r->params[0], 1, r->now, &d, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, d);
}

static int h_days_off(http_req *r)
{
	const char *ys = http_arg(r, "year");
	char *end;
	long y = ys ? strtol(ys, &end, 10) : 0;
	if (!ys || *end || end == ys || y < CAL_MIN_YEAR || y > CAL_MAX_YEAR)
		return http_error(r, 400, "invalid", "year must be %d to %d", CAL_MIN_YEAR,
				  CAL_MAX_YEAR);
	json_t *days = json_array();
	for (int32_t d = cal_days_from_civil((int)y, 1, 1); d < cal_days_from_civil((int)y + 1, 1, 1);
	     d++) {
		if (!cal_is_workday(&r->app->sched, d)) {
			char s[11];
			cal_format_date(d, s);
			json_array_append_new(days, json_string(s));
		}
	}
	return http_ok(r, 200, json_pack("{s:i, s:b, s:o}", "year", (int)y, "scheduled",
					 cal_sched_has_year(&r->app->sched, (int)y), "days_off", days));
}

static int h_due(http_req *r)
{
	const char *at = http_arg(r, "at"), *ts = http_arg(r, "time"), *us = http_arg(r, "unit");
	mc_time t, due;
	mc_err e;
	if (!at || parse_time(at, &t, &e))
		return http_error(r, 400, "invalid", "at must be YYYY-MM-DDTHH:MM");
	int unit = us ? dl_unit_parse(us) : -1;
	if (unit < 0)
		return http_error(r, 400, "invalid",
				  "unit must be working_days, working_hours, calendar_days or same_day");
	char *end;
	double amount = ts ? strtod(ts, &end) : 1;
	if (ts && (*end || end == ts))
		return http_error(r, 400, "invalid", "time must be a number");
	if (!ts && unit != DL_SAME_DAY)
		return http_error(r, 400, "invalid", "time is required");
	if (dl_due(&r->app->sched, &r->app->hours, t, amount, unit, &due, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, json_pack("{s:o, s:o}", "at", app_json_time(t), "due",
					 app_json_time(due)));
}

/* {"items": [...]} from one of auth's account lists. */
static int account_items(http_req *r, int (*list)(app *, const app_actor *, json_t **, mc_err *))
{
	json_t *u;
	mc_err e;
	if (list(r->app, &r->actor, &u, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, json_pack("{s:o}", "items", u));
}

static int h_users(http_req *r)
{
	return account_items(r, auth_users);
}

static int h_staff(http_req *r)
{
	return account_items(r, auth_staff);
}

static int h_user_create(http_req *r)
{
	static const char *const allowed[] = { "login", "name", "role", "password", NULL };
	json_t *o;
	if (body_object(r, allowed, &o))
		return r->status;
	const char *login, *name, *role, *pw;
	int bad = str_field(r, o, "", "login", 1, &login) || str_field(r, o, "", "name", 1, &name) ||
		  str_field(r, o, "", "role", 1, &role) || str_field(r, o, "", "password", 1, &pw);
	if (bad) {
		json_decref(o);
		return r->status;
	}
	mc_err e;
	int rc = app_user_add(r->app, &r->actor, login, role, name, pw, r->now, &e);
	json_t *u = NULL;
	if (!rc)
		rc = auth_user_json(r->app, login, &u, &e);
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 201, u);
}

static int h_user_update(http_req *r)
{
	static const char *const allowed[] = { "name", "role", "password", "disabled", NULL };
	json_t *o;
	if (body_object(r, allowed, &o))
		return r->status;
	auth_user_change c = { .disabled = -1 };
	int bad = str_field(r, o, "", "name", 0, &c.name) || str_field(r, o, "", "role", 0, &c.role) ||
		  str_field(r, o, "", "password", 0, &c.password);
	json_t *dis = json_object_get(o, "disabled");
	if (!bad && dis && !json_is_boolean(dis))
		bad = http_error(r, 400, "invalid", "disabled must be true or false");
	if (!bad && json_object_size(o) == 0)
		bad = http_error(r, 400, "invalid", "nothing to change: send name, role, password or disabled");
	if (dis)
		c.disabled = json_is_true(dis);
	if (bad) {
		json_decref(o);
		return r->status;
	}
	mc_err e;
	int rc = auth_user_update(r->app, &r->actor, r->params[0], &c, r->now, &e);
	json_decref(o);
	json_t *u = NULL;
	if (!rc)
		rc = auth_user_json(r->app, r->params[0], &u, &e);
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 200, u);
}

static int h_audit(http_req *r)
{
	const char *as = http_arg(r, "after_seq"), *ls = http_arg(r, "limit");
	long long after = 0, limit = 100;
	char *end;
	if (as) {
		after = strtoll(as, &end, 10);
		if (*end || end == as || after < 0)
			return http_error(r, 400, "invalid", "after_seq must be a whole number >= 0");
	}
	if (ls) {
		limit = strtoll(ls, &end, 10);
		if (*end || end == ls || limit < 1 || limit > 1000)
			return http_error(r, 400, "invalid", "limit must be 1 to 1000");
	}
	json_t *out;
	mc_err e;
	if (auth_audit(r->app, &r->actor, after, (int)limit, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

static int h_agencies_one(void *ctx, const char *code, const char *name, const char *kind,
			  int is_self)
{
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:b}", "code", code, "name", name,
					     "kind", kind, "self", is_self));
	return 0;
}

static int h_agencies(http_req *r)
{
	json_t *arr = json_array();
	mc_err e;
	if (st_agency_list(r->app->st, h_agencies_one, arr, &e)) {
		json_decref(arr);
		return http_fail(r, &e);
	}
	return http_ok(r, 200, json_pack("{s:o}", "items", arr));
}

static int h_lookup(http_req *r)
{
	json_t *out;
	mc_err e;
	if (auth_public_lookup(r->app, http_arg(r, "code"), http_arg(r, "phone"), r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

static int h_rate(http_req *r)
{
	static const char *const allowed[] = { "code", "phone", "level", "comment", NULL };
	json_t *o;
	if (body_object(r, allowed, &o))
		return r->status;
	const char *code, *phone, *comment;
	int bad = str_field(r, o, "", "code", 1, &code) || str_field(r, o, "", "phone", 1, &phone) ||
		  str_field(r, o, "", "comment", 0, &comment);
	json_t *lv = json_object_get(o, "level");
	if (!bad && !json_is_integer(lv))
		bad = http_error(r, 400, "invalid", "level must be 1, 2 or 3");
	if (bad) {
		json_decref(o);
		return r->status;
	}
	mc_err e;
	json_int_t level = json_integer_value(lv);
	int rc = auth_public_rate(r->app, code, phone, level < 1 || level > 3 ? 0 : (int)level,
				  comment, r->now, &e);
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 201, json_pack("{s:b}", "rated", 1));
}

static int h_dashboard(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_dashboard(r->app, &r->actor, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

static int h_settings(http_req *r)
{
	return http_ok(r, 200, app_settings_json(r->app));
}

static int h_settings_update(http_req *r)
{
	static const char *const allowed[] = { "office_hours", "cutoff", NULL };
	json_t *o;
	if (body_object(r, allowed, &o))
		return r->status;
	const char *oh, *cut;
	int bad = str_field(r, o, "", "office_hours", 0, &oh) || str_field(r, o, "", "cutoff", 0, &cut);
	if (!bad && !oh && !cut)
		bad = http_error(r, 400, "invalid", "nothing to change: send office_hours or cutoff");
	mc_err e;
	int rc = bad ? 0 : app_settings_update(r->app, &r->actor, oh, cut, r->now, &e);
	json_decref(o);
	if (bad)
		return r->status;
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 200, app_settings_json(r->app));
}

/* Upload bodies that are not JSON (a catalog, a schedule): the type must
 * be one of types; the text must be UTF-8. */
static int text_body(http_req *r, const char *const *types)
{
	const char *ct = http_header(r, "Content-Type");
	int ok = 0;
	for (const char *const *t = types; ct && *t; t++)
		ok |= strncasecmp(ct, *t, strlen(*t)) == 0;
	if (!ok)
		return http_error(r, 415, "unsupported_media_type", "send the file as %s", types[0]);
	if (!r->body || r->body_len == 0)
		return http_error(r, 400, "invalid", "the file is empty");
	if (strlen(r->body) != r->body_len || !txt_utf8_valid(r->body, r->body_len))
		return http_error(r, 400, "invalid", "the file is not UTF-8 text");
	return 0;
}

static int h_catalog_import(http_req *r)
{
	static const char *const types[] = { "application/x-ndjson", "application/jsonl",
					     "application/json", "text/plain", NULL };
	if (text_body(r, types))
		return r->status;
	app_import_stats is;
	mc_err e;
	if (app_catalog_import(r->app, &r->actor, r->body, r->body_len, "upload", r->now, &is, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "total", is.total, "full",
					 is.full, "partial", is.partial, "rejected", is.rejected,
					 "created", is.created, "updated", is.updated));
}

static int h_calendar_import(http_req *r)
{
	static const char *const types[] = { "text/csv", "text/plain", NULL };
	int add = 0;
	if (bool_arg(r, "add", &add) || text_body(r, types))
		return r->status;
	int years[64], n = 0;
	mc_err e;
	if (app_calendar_import(r->app, &r->actor, r->body, r->body_len, "upload", add, r->now, years,
				&n, &e))
		return http_fail(r, &e);
	json_t *ys = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(ys, json_integer(years[i]));
	return http_ok(r, 200, json_pack("{s:o}", "years", ys));
}

size_t http_body_limit(const char *method, const char *path)
{
	/* The national catalog crawl is ~10 MB; everything else is small. */
	if (strcmp(method, "POST") == 0 && (strcmp(path, "/api/v1/catalog/import") == 0 ||
					     strcmp(path, "/api/v1/calendar/import") == 0))
		return HTTP_MAX_UPLOAD;
	return HTTP_MAX_BODY;
}

static int h_openapi(http_req *r)
{
	return http_ok(r, 200, http_openapi());
}

/* The route table: every endpoint, its method, who may call it. The
 * OpenAPI document is made from it. */
const http_route http_routes[] = {
	{ "GET", "/healthz", h_healthz, ROUTE_PUBLIC, "Liveness: 200 when the database answers" },
	{ "GET", "/api/v1/agencies", h_agencies, 0, "Agencies this node knows" },
	{ "GET", "/api/v1/audit", h_audit, 0, "The hash-chained event log (supervisor, admin)" },
	{ "GET", "/api/v1/calendar/days-off", h_days_off, 0, "Non-working days of a year" },
	{ "GET", "/api/v1/dashboard", h_dashboard, 0, "Counts for the home screen" },
	{ "POST", "/api/v1/calendar/import", h_calendar_import, ROUTE_BODY,
	  "Import a days-off schedule (CSV; ?add=true lays days over the current calendar; admin)" },
	{ "POST", "/api/v1/catalog/import", h_catalog_import, ROUTE_BODY,
	  "Import procedures (JSON lines, crawl or clean format; admin)" },
	{ "GET", "/api/v1/calendar/due", h_due, 0, "Due time of a processing time" },
	{ "GET", "/api/v1/dossiers", h_dossier_list, 0, "Search and list dossiers (cursor pages)" },
	{ "POST", "/api/v1/dossiers", h_dossier_create, ROUTE_BODY, "Receive a dossier" },
	{ "GET", "/api/v1/dossiers/{code}", h_dossier_get, 0, "One dossier with its history" },
	{ "POST", "/api/v1/dossiers/{code}/actions", h_dossier_act, ROUTE_BODY,
	  "Move a dossier through its life cycle" },
	{ "GET", "/api/v1/me", h_me, 0, "The signed-in user and what they may do" },
	{ "GET", "/api/v1/openapi.json", h_openapi, ROUTE_PUBLIC, "This document" },
	{ "GET", "/api/v1/procedures", h_procedures, 0, "The procedure catalog (q ignores diacritics)" },
	{ "GET", "/api/v1/procedures/{code}", h_procedure, 0, "One procedure" },
	{ "GET", "/api/v1/settings", h_settings, 0, "Agency, office hours and cut-off" },
	{ "PATCH", "/api/v1/settings", h_settings_update, ROUTE_BODY, "Change office hours (admin)" },
	{ "GET", "/api/v1/public/lookup", h_lookup, ROUTE_PUBLIC | ROUTE_LIMITED,
	  "Citizen look-up by code and the last 4 phone digits" },
	{ "POST", "/api/v1/public/ratings", h_rate, ROUTE_PUBLIC | ROUTE_LIMITED | ROUTE_BODY,
	  "Citizen rating once the result is ready" },
	{ "GET", "/api/v1/staff", h_staff, 0, "Staff directory: logins, names, roles (any officer)" },
	{ "POST", "/api/v1/session", h_session_create, ROUTE_PUBLIC | ROUTE_BODY, "Sign in" },
	{ "DELETE", "/api/v1/session", h_session_delete, 0, "Sign out" },
	{ "GET", "/api/v1/users", h_users, 0, "Staff accounts (admin)" },
	{ "POST", "/api/v1/users", h_user_create, ROUTE_BODY, "Add a staff account (admin)" },
	{ "PATCH", "/api/v1/users/{login}", h_user_update, ROUTE_BODY,
	  "Change, disable or reset a staff account (admin)" },
	{ NULL, NULL, NULL, 0, NULL },
};

/* ---- routing ---- */

/* Matches path against pattern; {x} takes one non-empty segment. */
static int match(const char *pattern, const char *path, http_req *r)
{
	int np = 0;
	static __thread char segs[4][128];
	while (*pattern && *path) {
		if (*pattern == '{') {
			const char *end = strchr(pattern, '}');
			size_t n = strcspn(path, "/");
			if (!end || n == 0 || n >= sizeof segs[0] || np >= 4)
				return 0;
			memcpy(segs[np], path, n);
			segs[np][n] = 0;
			r->params[np] = segs[np];
			np++;
			pattern = end + 1;
			path += n;
		} else if (*pattern++ != *path++) {
			return 0;
		}
	}
	if (*pattern || *path)
		return 0;
	r->nparams = np;
	return 1;
}

const http_route *http_route_find(http_req *r, int *path_exists)
{
	*path_exists = 0;
	for (const http_route *rt = http_routes; rt->method; rt++) {
		if (!match(rt->pattern, r->path, r))
			continue;
		*path_exists = 1;
		if (strcmp(rt->method, r->method) == 0 ||
		    (strcmp(r->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0))
			return rt;
	}
	return NULL;
}

static int authenticate(http_req *r)
{
	mc_err e;
	const char *authz = http_header(r, "Authorization");
	if (authz && strncmp(authz, "Bearer ", 7) == 0) {
		if (auth_token(r->app, authz + 7, &r->actor, &e))
			return e.code == MC_EPERM
				       ? http_error(r, 401, "unauthorized", "%s", e.msg)
				       : http_fail(r, &e);
		r->authed = 1;
		return 0;
	}
	const char *tok = http_cookie(r, HTTP_SESSION_COOKIE);
	if (!tok)
		return http_error(r, 401, "unauthorized",
				  "sign in first (POST /api/v1/session) or send a bearer token");
	if (auth_session(r->app, tok, r->now, &r->actor, &e))
		return e.code == MC_EPERM ? http_error(r, 401, "unauthorized", "%s", e.msg)
					  : http_fail(r, &e);
	r->authed = 1;
	r->by_cookie = 1;
	r->session_token = tok;
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
		/* A cookie travels with cross-site requests; the CSRF token does not. */
		char want[AUTH_TOKEN_HEX];
		auth_csrf_of(tok, want);
		const char *got = http_header(r, "X-CSRF-Token");
		if (!got || strlen(got) != 64 || sodium_memcmp(got, want, 64) != 0)
			return http_error(r, 403, "csrf", "missing or wrong X-CSRF-Token header");
	}
	return 0;
}

void http_dispatch(http_req *r)
{
	int exists = 0;
	if (!txt_utf8_valid(r->path, strlen(r->path))) {
		http_error(r, 400, "invalid", "the path is not valid UTF-8");
		return;
	}
	if (!http_args_valid(r)) {
		http_error(r, 400, "invalid", "a query parameter is not valid UTF-8 text");
		return;
	}
	const http_route *rt = http_route_find(r, &exists);
	if (!rt && (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) &&
	    strncmp(r->path, "/api/", 5) != 0 && http_static(r))
		return;
	if (!rt) {
		if (exists)
			http_error(r, 405, "method_not_allowed", "%s is not allowed on %.200s", r->method,
				   r->path);
		else
			http_error(r, 404, "not_found", "no such endpoint: %.200s", r->path);
		return;
	}
	if ((rt->flags & ROUTE_LIMITED)) {
		int ra = 0;
		if (!rate_allow(rt->pattern, r->address, 30, 60, r->now, &ra)) {
			r->retry_after = ra;
			http_error(r, 429, "too_many_requests", "too many requests: try again in %d seconds",
				   ra);
			return;
		}
	}
	if (!(rt->flags & ROUTE_BODY) && r->body_len > 0) {
		http_error(r, 400, "invalid", "%s %s takes no request body", r->method, rt->pattern);
		return;
	}
	mc_err re;
	if (app_refresh(r->app, &re)) {
		http_fail(r, &re);
		return;
	}
	if (!(rt->flags & ROUTE_PUBLIC) && authenticate(r))
		return;
	if (strcmp(rt->method, "GET") == 0 && strcmp(rt->pattern, "/healthz") != 0) {
		mc_err e;
		if (app_read_begin(r->app, &e)) {
			http_fail(r, &e);
			return;
		}
		rt->handler(r);
		app_read_end(r->app);
		return;
	}
	rt->handler(r);
}

/* ---- OpenAPI ---- */

json_t *http_openapi(void)
{
	json_t *paths = json_object();
	for (const http_route *rt = http_routes; rt->method; rt++) {
		json_t *p = json_object_get(paths, rt->pattern);
		if (!p) {
			p = json_object();
			json_object_set_new(paths, rt->pattern, p);
		}
		char m[8];
		size_t i;
		for (i = 0; rt->method[i] && i < sizeof m - 1; i++)
			m[i] = (char)tolower((unsigned char)rt->method[i]);
		m[i] = 0;
		json_t *params = json_array();
		const char *s = rt->pattern;
		while ((s = strchr(s, '{')) != NULL) {
			const char *e = strchr(s, '}');
			json_array_append_new(params,
					      json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", s + 1,
							(size_t)(e - s - 1), "in", "path", "required", 1,
							"schema", "type", "string"));
			s = e;
		}
		json_t *op = json_pack(
			"{s:s, s:o, s:{s:{s:s}, s:{s:s}}}", "summary", rt->summary, "parameters", params,
			"responses", "200", "description", "OK", "4XX", "description",
			"{\"error\":{\"code\",\"message\"}}");
		if (!(rt->flags & ROUTE_PUBLIC))
			json_object_set_new(op, "security",
					    json_pack("[{s:[]}, {s:[]}]", "cookie", "bearer"));
		if (rt->flags & ROUTE_BODY)
			json_object_set_new(op, "requestBody",
					    json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1,
						      "content", "application/json", "schema",
						      "type", "object"));
		json_object_set_new(p, m, op);
	}
	return json_pack("{s:s, s:{s:s, s:s}, s:[{s:s}], s:o, s:{s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}}}}",
			 "openapi", "3.0.3", "info", "title", "motcua API", "version", "1",
			 "servers", "url", "/", "paths", paths, "components", "securitySchemes",
			 "cookie", "type", "apiKey", "in", "cookie", "name", HTTP_SESSION_COOKIE,
			 "bearer", "type", "http", "scheme", "bearer");
}
