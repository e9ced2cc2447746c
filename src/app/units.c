/*
 * units.c - units and departments (units.h).
 */
#include "app/app_int.h"
#include "app/units.h"

#include <ctype.h>

#include "core/txt.h"
#include "store/ev.h"
#include "store/st_units.h"

static json_t *unit_json(const st_unit *u)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:b}", "code", u->code, "name", u->name, "abbr",
			 u->abbr, "scope", u->scope, "active", u->active);
}

int app_unit_get(app *a, const char *code, app_unit *out, mc_err *e)
{
	st_unit u;
	int rc = code && *code ? st_unit_get(a->st, code, &u, e) : MC_ENOTFOUND;
	if (rc == MC_ENOTFOUND || (!rc && !u.active))
		return mc_fail(e, MCE_UNIT_UNKNOWN, "không có đơn vị '%.40s' (hoặc đơn vị đã ngừng hoạt động)",
			       "no active unit '%.40s'", code ? code : "");
	if (rc)
		return rc;
	memset(out, 0, sizeof *out);
	snprintf(out->code, sizeof out->code, "%s", u.code);
	snprintf(out->name, sizeof out->name, "%s", u.name);
	snprintf(out->abbr, sizeof out->abbr, "%s", u.abbr);
	snprintf(out->scope, sizeof out->scope, "%s", u.scope);
	out->active = u.active;
	return MC_OK;
}

static int list_one(void *ctx, const st_unit *u)
{
	json_array_append_new(ctx, unit_json(u));
	return 0;
}

int app_units(app *a, const app_actor *by, json_t **out, mc_err *e)
{
	if (!by->role)
		return mc_fail(e, MCE_UNAUTHORIZED, "đăng nhập để xem danh sách đơn vị",
			       "sign in to see the units");
	json_t *arr = json_array();
	int rc = st_unit_list(a->st, list_one, arr, e);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	*out = json_pack("{s:o}", "units", arr);
	return MC_OK;
}

static int code_valid(const char *c)
{
	size_t n = c ? strlen(c) : 0;
	if (n < 1 || n > 16)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isupper((unsigned char)c[i]) && !isdigit((unsigned char)c[i]))
			return 0;
	return 1;
}

#define bad(e, vi, en) mc_fail((e), MCE_UNIT_BAD_FIELD, vi, en)

/* Copies the text field key of body into dst (NFC), checked; absent: dst
 * keeps what it has, which must not be empty. */
static int take_text(const json_t *body, const char *key, size_t max, char *dst, size_t size,
		     mc_err *e)
{
	json_t *v = json_object_get(body, key);
	if (v && !json_is_string(v))
		return mc_fail(e, MCE_UNIT_BAD_FIELD, "%s phải là chuỗi", "%s must be a string", key);
	if (v) {
		int rc = txt_check_field(key, json_string_value(v), max, 1, 0, e);
		if (rc)
			return rc;
		char *n = txt_nfc(json_string_value(v));
		snprintf(dst, size, "%s", n ? n : json_string_value(v));
		free(n);
	}
	if (!dst[0])
		return mc_fail(e, MCE_UNIT_BAD_FIELD, "thiếu %s", "%s is required", key);
	return MC_OK;
}

int app_unit_save(app *a, const app_actor *by, const char *code, json_t *body, mc_time now,
		  json_t **out, mc_err *e)
{
	if (by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị hệ thống được sửa danh sách đơn vị",
			       "only an administrator may change the units");
	if (!code_valid(code))
		return bad(e, "mã đơn vị gồm 1-16 chữ in hoa không dấu hoặc chữ số",
			   "a unit code is 1-16 of A-Z and 0-9");
	if (!json_is_object(body))
		return bad(e, "nội dung phải là đối tượng JSON", "the body must be a JSON object");
	const char *k;
	json_t *v;
	json_object_foreach(body, k, v)
	{
		if (strcmp(k, "name") && strcmp(k, "abbr") && strcmp(k, "scope") && strcmp(k, "active"))
			return mc_fail(e, MCE_UNKNOWN_FIELD, "trường '%.40s' không được chấp nhận",
				       "field '%.40s' is not accepted", k);
	}
	st_unit u;
	int rc = st_unit_get(a->st, code, &u, e);
	if (rc == MC_ENOTFOUND) {
		memset(&u, 0, sizeof u);
		snprintf(u.code, sizeof u.code, "%s", code);
		u.active = 1;
		rc = MC_OK;
	}
	if (!rc)
		rc = take_text(body, "name", 200, u.name, sizeof u.name, e);
	if (!rc)
		rc = take_text(body, "abbr", 24, u.abbr, sizeof u.abbr, e);
	if (!rc)
		rc = take_text(body, "scope", 16, u.scope, sizeof u.scope, e);
	if (!rc && strcmp(u.scope, "node") && strcmp(u.scope, "province"))
		rc = bad(e, "phạm vi (scope) là node hoặc province", "scope is node or province");
	json_t *act = json_object_get(body, "active");
	if (!rc && act && !json_is_boolean(act))
		rc = bad(e, "active phải là true hoặc false", "active must be true or false");
	if (rc)
		return rc;
	if (act)
		u.active = json_is_true(act);
	u.updated_at = now;
	json_t *p = unit_json(&u);
	rc = st_begin(a->st, e);
	if (!rc) {
		rc = st_unit_put(a->st, &u, e);
		if (!rc)
			rc = ev_append(a->st, now, by->login, "unit.saved", NULL, p, NULL, e);
		rc = st_end(a->st, rc, e);
	}
	if (rc) {
		json_decref(p);
		return rc;
	}
	*out = p;
	return MC_OK;
}
