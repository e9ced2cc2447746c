/*
 * h_session.c - handlers for sessions: sign-in, sign-out and who is signed in.
 * Thin: parse, one app call, JSON out.
 */
#include "http/http_int.h"

#include <sodium.h>

#include "app/auth.h"

static json_t *me_json(http_req *r)
{
	json_t *perms = json_array();
	for (int i = 0; i < DSR_N_ACTIONS; i++)
		if (dsr_role_may(r->actor.role, i))
			json_array_append_new(perms, json_string(dsr_actions[i].name));
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "login", r->actor.login,
			      "name", r->actor.name, "role", dsr_role_name(r->actor.role),
			      "role_label", dsr_role_label_vi(r->actor.role), "agency",
			      app_agency_code(r->app), "agency_name", app_agency_name(r->app), "actions",
			      perms, "unit", r->actor.unit);
	if (r->by_cookie && r->session_token) {
		char csrf[AUTH_TOKEN_HEX];
		auth_csrf_of(r->session_token, csrf);
		json_object_set_new(j, "csrf_token", json_string(csrf));
	}
	return j;
}

int h_session_create(http_req *r)
{
	static const char *const allowed[] = { "login", "password", NULL };
	json_t *o;
	if (http_body_object(r, allowed, &o))
		return r->status;
	const char *login, *password;
	int rc = http_str_field(r, o, "", "login", 1, &login) ||
		 http_str_field(r, o, "", "password", 1, &password);
	if (rc) {
		json_decref(o);
		return r->status;
	}
	int ra = 0;
	if (!rate_login_allowed(login, r->address, r->now, &ra)) {
		json_decref(o);
		r->retry_after = ra;
		return http_error(r, MCE_RATE,
				  "Đăng nhập sai quá nhiều lần: thử lại sau %d giây",
				  "too many failed sign-ins: try again in %d seconds", ra);
	}
	char token[AUTH_TOKEN_HEX], csrf[AUTH_TOKEN_HEX];
	mc_err e;
	rc = auth_login(r->app, login, password, r->address, r->now, token, csrf, &r->actor, &e);
	if (rc == MC_EPERM) {
		rate_login_failed(login, r->address, r->now);
		json_decref(o);
		return http_error(r, MCE_WRONG_LOGIN, "Sai tên đăng nhập hoặc mật khẩu.", "wrong login or password");
	}
	if (!rc)
		rate_login_succeeded(login, r->address, r->now);
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	r->authed = 1;
	r->by_cookie = 1;
	r->session_token = token;
	snprintf(r->set_cookie, sizeof r->set_cookie,
		 "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", HTTP_SESSION_COOKIE,
		 token, r->secure ? "; Secure" : "");
	json_t *me = me_json(r);
	r->session_token = NULL;
	return http_ok(r, 200, json_pack("{s:o, s:s}", "user", me, "csrf_token", csrf));
}

int h_session_delete(http_req *r)
{
	mc_err e;
	if (r->by_cookie && auth_logout(r->app, r->session_token, &e))
		return http_fail(r, &e);
	snprintf(r->set_cookie, sizeof r->set_cookie,
		 "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", HTTP_SESSION_COOKIE);
	return http_ok(r, 200, json_pack("{s:b}", "signed_out", 1));
}

int h_me(http_req *r)
{
	return http_ok(r, 200, me_json(r));
}
