/*
 * h_public.c - handlers for what citizens reach without signing in: the look-up and the rating.
 * Thin: parse, one app call, JSON out.
 */
#include "http/http_int.h"

#include "app/auth.h"

/* A code whose phone digits were guessed wrong RATE_CODE_MAX times within
 * an hour pauses: its look-up and rating answer 429 and tell the citizen
 * to ask the centre, so the digits cannot be found by trying. */
static int code_paused(http_req *r, const char *code)
{
	int ra = 0;
	if (!code || rate_code_allowed(code, r->now, &ra))
		return 0;
	r->retry_after = ra;
	return http_error(r, MCE_LOOKUP_PAUSED,
			  "Đã nhập sai số điện thoại quá nhiều lần cho hồ sơ này nên việc tra cứu đang "
			  "tạm dừng. Xin liên hệ Trung tâm Phục vụ hành chính công để được hỗ trợ.",
			  "too many wrong phone digits for this dossier: look-up is paused; please ask "
			  "the service centre (Trung tâm phục vụ hành chính công)");
}

int h_lookup(http_req *r)
{
	json_t *out;
	mc_err e;
	int wrong = 0;
	const char *code = http_arg(r, "code");
	if (code_paused(r, code))
		return r->status;
	if (auth_public_lookup(r->app, code, http_arg(r, "phone"), r->now, &out, &wrong, &e)) {
		if (wrong)
			rate_code_wrong(code, r->now);
		return http_fail(r, &e);
	}
	return http_ok(r, 200, out);
}

int h_rate(http_req *r)
{
	static const char *const allowed[] = { "code", "phone", "level", "comment", NULL };
	json_t *o;
	if (http_body_object(r, allowed, &o))
		return r->status;
	const char *code, *phone, *comment;
	int bad = http_str_field(r, o, "", "code", 1, &code) || http_str_field(r, o, "", "phone", 1, &phone) ||
		  http_str_field(r, o, "", "comment", 0, &comment);
	json_t *lv = json_object_get(o, "level");
	if (!bad && !json_is_integer(lv))
		bad = http_error(r, MCE_BAD_FIELD, "level phải là 1, 2 hoặc 3", "level must be 1, 2 or 3");
	if (bad) {
		json_decref(o);
		return r->status;
	}
	if (code_paused(r, code)) {
		json_decref(o);
		return r->status;
	}
	mc_err e;
	int wrong = 0;
	json_int_t level = json_integer_value(lv);
	int rc = auth_public_rate(r->app, code, phone, level < 1 || level > 3 ? 0 : (int)level,
				  comment, r->now, &wrong, &e);
	if (rc && wrong)
		rate_code_wrong(code, r->now);
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 201, json_pack("{s:b}", "rated", 1));
}
