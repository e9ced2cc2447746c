/*
 * auth.c - sessions, API tokens, accounts, audit and the public look-up.
 * Tokens are 256 random bits from libsodium, handed out once as hex; the
 * database keeps only their SHA-256, so a stolen database opens no session.
 */
#include "app/auth.h"
#include "app/units.h"
#include "app/sync.h"

#include "app/app_int.h"
#include "app/notify.h"

#include <sodium.h>

#include "core/txt.h"
#include "store/ev.h"

/* The idle clock is refreshed at most this often: a GET must not cost a
 * durable write every time. */
#define TOUCH_EVERY 300

static void sha_hex(const char *text, char out[AUTH_TOKEN_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(out, AUTH_TOKEN_HEX, h, sizeof h);
}

static void new_token(char out[AUTH_TOKEN_HEX])
{
	unsigned char r[32];
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(out, AUTH_TOKEN_HEX, r, sizeof r);
	sodium_memzero(r, sizeof r);
}

static int token_shape_ok(const char *t)
{
	if (!t || strlen(t) != 64)
		return 0;
	for (int i = 0; i < 64; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
			return 0;
	return 1;
}

void auth_csrf_of(const char *token, char csrf[AUTH_TOKEN_HEX])
{
	/* Derived, not stored: only the holder of the session token can know
	 * it, and a cross-site form cannot read it. */
	char buf[80];
	snprintf(buf, sizeof buf, "csrf:%s", token);
	sha_hex(buf, csrf);
	sodium_memzero(buf, sizeof buf);
}

int auth_login(app *a, const char *login, const char *password, const char *address,
	       mc_time now, char token[AUTH_TOKEN_HEX], char csrf[AUTH_TOKEN_HEX],
	       app_actor *actor, mc_err *e)
{
	int rc = app_user_login(a, login, password, actor, e);
	if (rc)
		return rc;
	char hash[AUTH_TOKEN_HEX];
	new_token(token);
	sha_hex(token, hash);
	rc = st_begin(a->st, e);
	if (!rc) /* housekeeping, once a sign-in rather than on every write */
		rc = st_session_purge(a->st, now - AUTH_IDLE_SECS, e);
	if (!rc)
		rc = st_reqkey_purge(a->st, now - ST_REQKEY_KEEP, e);
	if (!rc)
		rc = st_session_insert(a->st, hash, actor->login, now, address, e);
	rc = st_end(a->st, rc, e);
	if (!rc)
		auth_csrf_of(token, csrf);
	return rc;
}

int auth_session(app *a, const char *token, mc_time now, app_actor *actor, mc_err *e)
{
	if (!token_shape_ok(token))
		return mc_fail(e, MCE_UNAUTHORIZED, "chưa đăng nhập", "not signed in");
	char hash[AUTH_TOKEN_HEX], login[64];
	mc_time seen, created;
	sha_hex(token, hash);
	int rc = st_session_get(a->st, hash, login, &seen, &created, e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_UNAUTHORIZED, "chưa đăng nhập", "not signed in");
	if (rc)
		return rc;
	/* An active session is still bounded: a stolen cookie, or an office
	 * PC left signed in, stops working by the end of the day. */
	int too_old = now - created > (mc_time)a->session_max_hours * 3600;
	if (too_old || now - seen > AUTH_IDLE_SECS) {
		mc_err ignore;
		MC_IGNORE(st_session_delete(a->st, hash, &ignore));
		return too_old ? mc_fail(e, MCE_AUTH_SESSION_ENDED,
					 "phiên làm việc đã hết hạn: đăng nhập lại",
					 "session expired: sign in again")
			       : mc_fail(e, MCE_AUTH_SESSION_ENDED,
					 "phiên làm việc đã hết hạn sau 8 giờ không thao tác: đăng nhập lại",
					 "session expired after 8 idle hours: sign in again");
	}
	rc = app_actor_load(a, login, actor, e);
	if (rc)
		return rc == MC_ENOTFOUND ? mc_fail(e, MCE_UNAUTHORIZED, "chưa đăng nhập", "not signed in")
					  : rc;
	if (now - seen > TOUCH_EVERY) {
		mc_err ignore;
		MC_IGNORE(st_session_touch(a->st, hash, now, &ignore));
	}
	return MC_OK;
}

int auth_logout(app *a, const char *token, mc_err *e)
{
	if (!token_shape_ok(token))
		return MC_OK;
	char hash[AUTH_TOKEN_HEX];
	sha_hex(token, hash);
	return st_session_delete(a->st, hash, e);
}

int auth_token_create(app *a, const app_actor *by, const char *login, mc_time now,
		      char token[AUTH_TOKEN_HEX], char id[17], mc_err *e)
{
	if (by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị hệ thống được tạo mã truy cập API",
			       "only an administrator may create API tokens");
	app_actor who;
	int rc = app_actor_load(a, login ? login : "", &who, e);
	if (rc)
		return rc;
	char hash[AUTH_TOKEN_HEX];
	unsigned char r[8];
	new_token(token);
	sha_hex(token, hash);
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(id, 17, r, sizeof r);
	json_t *p = json_pack("{s:s, s:s}", "login", who.login, "token_id", id);
	rc = st_begin(a->st, e);
	if (!rc)
		rc = st_token_insert(a->st, hash, id, who.login, now, e);
	if (!rc)
		rc = ev_append(a->st, now, by->login, "token.created", NULL, p, NULL, e);
	rc = st_end(a->st, rc, e);
	json_decref(p);
	return rc;
}

int auth_token_revoke(app *a, const app_actor *by, const char *id, mc_time now, mc_err *e)
{
	if (by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị hệ thống được thu hồi mã truy cập API",
			       "only an administrator may revoke API tokens");
	if (!id || strlen(id) != 16 || !txt_utf8_valid(id, 16))
		return mc_fail(e, MCE_INVALID, "mã định danh của mã truy cập phải gồm 16 chữ số thập lục phân",
			       "token id must be 16 hex digits");
	json_t *p = json_pack("{s:s}", "token_id", id);
	int rc = st_begin(a->st, e);
	if (!rc)
		rc = st_token_revoke(a->st, id, now, e);
	if (!rc)
		rc = ev_append(a->st, now, by->login, "token.revoked", NULL, p, NULL, e);
	rc = st_end(a->st, rc, e);
	json_decref(p);
	return rc;
}

int auth_token(app *a, const char *token, app_actor *actor, mc_err *e)
{
	if (!token_shape_ok(token))
		return mc_fail(e, MCE_UNAUTHORIZED, "mã truy cập API không hợp lệ", "invalid API token");
	char hash[AUTH_TOKEN_HEX], login[64];
	sha_hex(token, hash);
	int rc = st_token_get(a->st, hash, login, e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_UNAUTHORIZED, "mã truy cập API không hợp lệ", "invalid API token");
	if (rc)
		return rc;
	rc = app_actor_load(a, login, actor, e);
	return rc == MC_ENOTFOUND ? mc_fail(e, MCE_UNAUTHORIZED, "mã truy cập API không hợp lệ",
					    "invalid API token")
				  : rc;
}

/* ---- accounts ---- */

static json_t *user_json(const st_user *u)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:s, s:s}", "login", u->login, "name",
			 u->name, "role", dsr_role_name(u->role), "role_label",
			 dsr_role_label_vi(u->role), "agency", u->agency, "disabled", u->disabled,
			 "created_at", app_json_time(u->created_at), "email", u->email, "unit",
			 u->unit);
}

static int user_one(void *ctx, const st_user *u)
{
	json_array_append_new(ctx, user_json(u));
	return 0;
}

/* Every account as one(u) makes it. OUT: *out, a JSON array. */
static int user_array(app *a, int (*one)(void *, const st_user *), json_t **out, mc_err *e)
{
	json_t *arr = json_array();
	int rc = st_user_list(a->st, one, arr, e);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return MC_OK;
}

int auth_users(app *a, const app_actor *by, json_t **out, mc_err *e)
{
	if (by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị hệ thống được xem danh sách tài khoản",
			       "only an administrator may list accounts");
	return user_array(a, user_one, out, e);
}

/* The staff directory every officer may read: who is who, without dates or
 * anything an account change needs. A leader picks the assignee from it; the
 * UI turns logins in histories into names with it. */
static int staff_one(void *ctx, const st_user *u)
{
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:s, s:b, s:s}", "login", u->login,
					     "name", u->name, "role", dsr_role_name(u->role),
					     "role_label", dsr_role_label_vi(u->role), "disabled",
					     u->disabled, "unit", u->unit));
	return 0;
}

int auth_staff(app *a, const app_actor *by, json_t **out, mc_err *e)
{
	if (!by->role)
		return mc_fail(e, MCE_UNAUTHORIZED, "đăng nhập để xem danh sách cán bộ",
			       "sign in to see the staff directory");
	return user_array(a, staff_one, out, e);
}

int auth_user_json(app *a, const char *login, json_t **out, mc_err *e)
{
	st_user u;
	int rc = st_user_get(a->st, login, &u, e);
	if (!rc)
		*out = user_json(&u);
	return rc;
}

int auth_user_update(app *a, const app_actor *by, const char *login, const auth_user_change *c,
		     mc_time now, mc_err *e)
{
	if (by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị hệ thống được sửa tài khoản",
			       "only an administrator may change accounts");
	st_user u;
	int rc = st_user_get(a->st, login ? login : "", &u, e);
	if (rc)
		return rc;
	json_t *p = json_pack("{s:s}", "login", u.login);
	int end_sessions = 0, revoke_tokens = 0;
	if (c->name) {
		rc = txt_check_field("name", c->name, 200, 1, 0, e);
		if (!rc) {
			char *n = txt_nfc(c->name);
			snprintf(u.name, sizeof u.name, "%s", n ? n : c->name);
			free(n);
			json_object_set_new(p, "name", json_string(u.name));
		}
	}
	if (!rc && c->role) {
		int r = dsr_role_parse(c->role);
		if (!r)
			rc = mc_fail(e, MCE_USER_BAD_ROLE,
				     "role: không có vai trò '%.40s' (reception, specialist, leader, admin, supervisor)",
				     "unknown role '%.40s' (reception, specialist, leader, admin, supervisor)",
				     c->role);
		else if (r != u.role && strcmp(u.login, by->login) == 0)
			/* Like disabling oneself: it could leave the node without
			 * an administrator, and nobody to undo it. */
			rc = mc_fail(e, MCE_USER_SELF_ROLE,
				     "không thể tự đổi vai trò của chính mình (để hệ thống luôn còn người quản trị)",
				     "you cannot change your own role");
		u.role = r;
		json_object_set_new(p, "role", json_string(c->role));
	}
	if (!rc && c->disabled >= 0) {
		if (c->disabled && strcmp(u.login, by->login) == 0)
			rc = mc_fail(e, MCE_USER_SELF_DISABLE, "không thể tự khoá tài khoản của chính mình",
				     "you cannot disable your own account");
		u.disabled = c->disabled ? 1 : 0;
		end_sessions |= u.disabled;
		json_object_set_new(p, "disabled", json_boolean(u.disabled));
	}
	if (!rc && c->email) {
		rc = app_email_check(c->email, e);
		snprintf(u.email, sizeof u.email, "%s", c->email);
		json_object_set_new(p, "email", json_string(c->email));
	}
	if (!rc && c->unit) {
		app_unit un;
		if (*c->unit)
			rc = app_unit_get(a, c->unit, &un, e);
		snprintf(u.unit, sizeof u.unit, "%s", c->unit);
		json_object_set_new(p, "unit", json_string(c->unit));
	}
	if (!rc && c->password) {
		size_t n = strlen(c->password);
		if (n < 8 || n > 256)
			rc = mc_fail(e, MCE_USER_PASSWORD_LENGTH, "password (mật khẩu) phải dài từ 8 đến 256 byte",
				     "password must be 8 to 256 bytes");
		else
			rc = app_pw_hash(u.pw_hash, c->password, e);
		end_sessions = 1;
		revoke_tokens = 1;
		json_object_set_new(p, "password_reset", json_true());
	}
	if (!rc)
		rc = st_begin(a->st, e);
	if (!rc) {
		rc = st_user_update(a->st, &u, e);
		if (!rc && end_sessions)
			rc = st_session_delete_user(a->st, u.login, e);
		/* A reset is what follows a leaked password: whatever was
		 * signed in with it, scripts' tokens too, stops. */
		if (!rc && revoke_tokens)
			rc = st_token_revoke_login(a->st, u.login, now, e);
		if (!rc)
			rc = ev_append(a->st, now, by->login, "user.updated", NULL, p, NULL, e);
		rc = st_end(a->st, rc, e);
	}
	sodium_memzero(u.pw_hash, sizeof u.pw_hash);
	json_decref(p);
	return rc;
}

/* ---- audit ---- */

typedef struct {
	json_t *arr;
	int64_t last;
} audit_ctx;

static int audit_one(void *p, const ev_event *ev)
{
	audit_ctx *c = p;
	json_t *payload = json_loads(ev->payload, 0, NULL);
	json_array_append_new(c->arr, json_pack("{s:I, s:s, s:s, s:s, s:s?, s:o, s:s, s:s}", "seq",
						(json_int_t)ev->seq, "at", ev->at, "actor",
						ev->actor, "kind", ev->kind, "dossier", ev->dossier,
						"payload", payload ? payload : json_null(),
						"prev_hash", ev->prev_hash, "hash", ev->hash));
	c->last = ev->seq;
	return 0;
}

int auth_audit(app *a, const app_actor *by, int64_t after_seq, int limit, json_t **out,
	       mc_err *e)
{
	if (by->role != ROLE_ADMIN && by->role != ROLE_SUPERVISOR)
		return mc_fail(e, MCE_ROLE, "chỉ giám sát hoặc quản trị hệ thống được xem nhật ký",
			       "only a supervisor or an administrator may read the audit log");
	if (after_seq < 0)
		return mc_fail(e, MCE_INVALID, "after_seq phải từ 0 trở lên", "after_seq must be 0 or more");
	if (limit < 1 || limit > 1000)
		return mc_fail(e, MCE_INVALID, "limit phải từ 1 đến 1000", "limit must be 1 to 1000");
	audit_ctx c = { json_array(), 0 };
	int rc = ev_list(a->st, after_seq, limit, audit_one, &c, e);
	if (rc) {
		json_decref(c.arr);
		return rc;
	}
	int full = (int)json_array_size(c.arr) == limit;
	*out = json_pack("{s:o, s:o}", "events", c.arr, "next_after_seq",
			 full ? json_integer(c.last) : json_null());
	return MC_OK;
}

/* ---- public ---- */

static int phone_matches(const char *phone, const char *phone4)
{
	size_t n = strlen(phone);
	if (!phone4 || strlen(phone4) != 4 || n < 4)
		return 0;
	for (int i = 0; i < 4; i++)
		if (phone4[i] < '0' || phone4[i] > '9')
			return 0;
	/* constant time: the comparison itself says nothing */
	return sodium_memcmp(phone + n - 4, phone4, 4) == 0;
}

/* The dossier code names, as JSON with history, if its phone ends in
 * phone4. MC_ENOTFOUND (one message) for an unknown code and for wrong
 * digits; OUT: *phone_wrong = 1 in the second case only, for the server's
 * per-code allowance (the citizen never sees the difference). */
static int public_dossier(app *a, const char *code, const char *phone4, mc_time now,
			  json_t **d, int *phone_wrong, mc_err *e)
{
	static const char nf_vi[] = "không tìm thấy hồ sơ với mã và số điện thoại này";
	static const char nf[] = "no dossier matches this code and phone number";
	int wrong = 0;
	if (phone_wrong)
		*phone_wrong = 0;
	if (!code || !*code || strlen(code) > 90 || !txt_utf8_valid(code, strlen(code)))
		return mc_fail(e, MCE_LOOKUP_NO_MATCH, nf_vi, nf);
	json_t *j;
	mc_err ig;
	/* On a hub the look-up answers for every commune, from its copies. */
	if ((app_is_hub(a) ? app_hub_public_dossier(a, code, &j, &ig)
			   : app_dossier_get(a, code, 1, now, &j, &ig)) != MC_OK) {
		if (ig.code == MC_ENOTFOUND)
			return mc_fail(e, MCE_LOOKUP_NO_MATCH, nf_vi, nf);
		if (e)
			*e = ig;
		return ig.code;
	}
	const char *phone = json_string_value(
		json_object_get(json_object_get(j, "applicant"), "phone"));
	if (!phone || !phone_matches(phone, phone4))
		wrong = 1;
	if (wrong) {
		json_decref(j);
		if (phone_wrong)
			*phone_wrong = 1;
		return mc_fail(e, MCE_LOOKUP_NO_MATCH, nf_vi, nf);
	}
	*d = j;
	return MC_OK;
}

static int result_ready(json_t *d)
{
	const char *status = json_string_value(json_object_get(d, "status"));
	return status && (strcmp(status, "result_ready") == 0 || strcmp(status, "returned") == 0);
}

/* What the citizen must know of a dossier not (yet) received: when it was
 * filed, and the reason for a refusal or the papers to bring.
 * LAW: Circular 03/2025/TT-VPCP forms 2 (request to supplement: every
 * missing item, with the reason) and 3 (refusal: the reason); issue 10 items
 * 1 and 2: the citizen page says "Không được tiếp nhận" with the reason, or
 * lists what to bring. The note is the reason for the current state. */
static void public_notice(json_t *d, json_t *out)
{
	const char *status = json_string_value(json_object_get(d, "status"));
	json_t *note = json_object_get(d, "note");
	int has = json_string_length(note) > 0;
	json_object_set(out, "submitted_at", json_object_get(d, "submitted_at"));
	json_object_set_new(out, "refusal_reason",
			    has && status && strcmp(status, "refused") == 0 ? json_copy(note) : json_null());
	json_object_set_new(out, "supplement_request",
			    has && status && strcmp(status, "supplement") == 0 ? json_copy(note) : json_null());
	/* LAW: Circular 03/2025/TT-VPCP forms 2 and 3: the notice lists its
	 * items in full; the citizen reads them as given (issue 10 item 6). */
	json_t *ns = json_object_get(d, "notices");
	json_t *last = json_array_get(ns, json_array_size(ns) ? json_array_size(ns) - 1 : 0);
	const char *kind = json_string_value(json_object_get(last, "kind"));
	int current = status && kind &&
		      ((strcmp(status, "refused") == 0 && strcmp(kind, "refuse") == 0) ||
		       (strcmp(status, "supplement") == 0 && strcmp(kind, "request_supplement") == 0));
	json_t *items = current ? json_object_get(last, "items") : NULL;
	json_object_set_new(out, "notice_items", items ? json_copy(items) : json_array());
}

int auth_public_lookup(app *a, const char *code, const char *phone4, mc_time now, json_t **out,
		       int *phone_wrong, mc_err *e)
{
	json_t *d;
	int rc = public_dossier(a, code, phone4, now, &d, phone_wrong, e);
	if (rc)
		return rc;
	json_t *steps = json_array();
	size_t i;
	json_t *h;
	json_array_foreach(json_object_get(d, "history"), i, h) {
		const char *to = json_string_value(json_object_get(h, "to"));
		int sn = dsr_state_parse(to);
		const char *kind = json_string_value(json_object_get(h, "kind"));
		/* not a step of the life cycle (a rating, a fee) */
		if (sn < 0 || (kind && strcmp(kind, "dossier.fee") == 0))
			continue;
		json_array_append_new(steps, json_pack("{s:O, s:O, s:s, s:s}", "at",
						       json_object_get(h, "at"), "action",
						       json_object_get(h, "action"), "status", to ? to : "",
						       "status_label", dsr_state_label_vi(sn)));
	}
	int level = 0;
	mc_err ig;
	int rated = st_rating_get(a->st, code, &level, &ig) == MC_OK;
	int can_rate = !rated && result_ready(d);
	*out = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:o, s:b, s:b}", "code",
			 json_object_get(d, "code"), "procedure", json_object_get(d, "procedure"),
			 "procedure_name", json_object_get(d, "procedure_name"), "status",
			 json_object_get(d, "status"), "status_code",
			 json_object_get(d, "status_code"), "status_label",
			 json_object_get(d, "status_label"), "received_at",
			 json_object_get(d, "received_at"), "due_at", json_object_get(d, "due_at"),
			 "finished_at", json_object_get(d, "finished_at"), "steps", steps, "rated",
			 rated, "can_rate", can_rate);
	/* The office now handling it (public: where to go, whom to call). */
	const char *agency = json_string_value(json_object_get(d, "agency"));
	char aname[256] = "";
	if (agency && st_agency_get(a->st, agency, aname, sizeof aname, &ig) == MC_OK)
		json_object_set_new(*out, "agency_name", json_string(aname));
	json_object_set(*out, "agency", json_object_get(d, "agency"));
	public_notice(d, *out);
	json_decref(d);
	return MC_OK;
}

/* One answer for every dossier that cannot be rated (unknown, wrong phone,
 * not ready, rated already): a distinct answer for the right phone digits
 * would tell an anonymous caller they had guessed them. */
static const char cannot_rate_vi[] =
	"không có hồ sơ nào với mã và số điện thoại này đang chờ đánh giá";
static const char cannot_rate[] = "no dossier with this code and phone can be rated now";

int auth_public_rate(app *a, const char *code, const char *phone4, int level,
		     const char *comment, mc_time now, int *phone_wrong, mc_err *e)
{
	if (phone_wrong)
		*phone_wrong = 0;
	if (level < 1 || level > 3)
		return mc_fail(e, MCE_INVALID, "level phải là 1, 2 hoặc 3", "level must be 1, 2 or 3");
	int rc = txt_check_field("comment", comment, 1000, 0, 1, e);
	if (rc)
		return rc;
	/* A hub holds copies: a rating belongs in the commune's own log, so
	 * it is given on the commune's look-up page (a later issue may relay it). */
	if (app_is_hub(a))
		return mc_fail(e, MCE_RATING_UNAVAILABLE, cannot_rate_vi, cannot_rate);
	json_t *d;
	rc = public_dossier(a, code, phone4, now, &d, phone_wrong, e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_RATING_UNAVAILABLE, cannot_rate_vi, cannot_rate);
	if (rc)
		return rc;
	const char *agency = json_string_value(json_object_get(d, "agency"));
	if (!result_ready(d)) {
		json_decref(d);
		return mc_fail(e, MCE_RATING_UNAVAILABLE, cannot_rate_vi, cannot_rate);
	}
	char *c = txt_nfc(comment ? comment : "");
	json_t *p = json_pack("{s:i, s:s, s:s}", "level", level, "comment", c ? c : "", "channel",
			      "portal");
	rc = st_begin(a->st, e);
	if (!rc)
		rc = st_rating_insert(a->st, code, agency ? agency : "", level, c, "portal", now, e);
	int64_t seq = 0;
	if (!rc)
		rc = ev_append(a->st, now, "public", "dossier.rated", code, p, &seq, e);
	if (!rc) /* the dossier's history has one more event (issue 10 item 9) */
		rc = st_dossier_touch(a->st, code, seq, e);
	rc = st_end(a->st, rc, e);
	if (rc == MC_ECONFLICT) /* rated already */
		rc = mc_fail(e, MCE_RATING_UNAVAILABLE, cannot_rate_vi, cannot_rate);
	free(c);
	json_decref(p);
	json_decref(d);
	return rc;
}

