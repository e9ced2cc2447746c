/*
 * h_admin.c - handlers for accounts and the audit log.
 * Thin: parse, one app call, JSON out.
 */
#include "http/http_int.h"

#include <limits.h>

#include "app/auth.h"
#include "app/notify.h"
#include "app/units.h"

/* {"items": [...]} from one of auth's account lists. */
static int account_items(http_req *r, int (*list)(app *, const app_actor *, json_t **, mc_err *))
{
	json_t *u;
	mc_err e;
	if (list(r->app, &r->actor, &u, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, json_pack("{s:o}", "items", u));
}


int h_users(http_req *r)
{
	return account_items(r, auth_users);
}

int h_staff(http_req *r)
{
	return account_items(r, auth_staff);
}

int h_user_create(http_req *r)
{
	static const char *const allowed[] = { "login", "name", "role", "password", "email", "unit",
					       NULL };
	json_t *o;
	if (http_body_object(r, allowed, &o))
		return r->status;
	const char *login, *name, *role, *pw, *email, *unit;
	int bad = http_str_field(r, o, "", "login", 1, &login) || http_str_field(r, o, "", "name", 1, &name) ||
		  http_str_field(r, o, "", "role", 1, &role) || http_str_field(r, o, "", "password", 1, &pw) ||
		  http_str_field(r, o, "", "email", 0, &email) || http_str_field(r, o, "", "unit", 0, &unit);
	if (bad) {
		json_decref(o);
		return r->status;
	}
	mc_err e;
	/* A bad address or unit refuses the account before anything is
	 * written. */
	app_unit un;
	int rc = app_email_check(email, &e);
	if (!rc && unit && *unit)
		rc = app_unit_get(r->app, unit, &un, &e);
	if (!rc)
		rc = app_user_add(r->app, &r->actor, login, role, name, pw, r->now, &e);
	if (!rc && ((email && *email) || (unit && *unit))) {
		auth_user_change c = { .disabled = -1, .email = email, .unit = unit };
		rc = auth_user_update(r->app, &r->actor, login, &c, r->now, &e);
	}
	json_t *u = NULL;
	if (!rc)
		rc = auth_user_json(r->app, login, &u, &e);
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 201, u);
}

int h_user_update(http_req *r)
{
	static const char *const allowed[] = { "name", "role", "password", "disabled", "email", "unit",
					       NULL };
	json_t *o;
	if (http_body_object(r, allowed, &o))
		return r->status;
	auth_user_change c = { .disabled = -1 };
	int bad = http_str_field(r, o, "", "name", 0, &c.name) || http_str_field(r, o, "", "role", 0, &c.role) ||
		  http_str_field(r, o, "", "password", 0, &c.password) ||
		  http_str_field(r, o, "", "email", 0, &c.email) ||
		  http_str_field(r, o, "", "unit", 0, &c.unit);
	json_t *dis = json_object_get(o, "disabled");
	if (!bad && dis && !json_is_boolean(dis))
		bad = http_error(r, MCE_BAD_FIELD, "disabled phải là true hoặc false", "disabled must be true or false");
	if (!bad && json_object_size(o) == 0)
		bad = http_error(r, MCE_BAD_FIELD, "không có gì để thay đổi: gửi name, role, password, disabled, email hoặc unit",
				 "nothing to change: send name, role, password, disabled, email or unit");
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

int h_audit(http_req *r)
{
	long after = 0, limit = 100;
	if (http_long_arg(r, "after_seq", 0, LONG_MAX, &after) ||
	    http_long_arg(r, "limit", 1, 1000, &limit))
		return r->status;
	json_t *out;
	mc_err e;
	if (auth_audit(r->app, &r->actor, after, (int)limit, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_units(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_units(r->app, &r->actor, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_unit_put(http_req *r)
{
	static const char *const allowed[] = { "name", "abbr", "scope", "active", NULL };
	json_t *o, *out;
	if (http_body_object(r, allowed, &o))
		return r->status;
	mc_err e;
	int rc = app_unit_save(r->app, &r->actor, r->params[0], o, r->now, &out, &e);
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}
