/*
 * st_auth.c - accounts, sign-in sessions, API tokens, request keys
 * (idempotency) and citizens' ratings. Tokens are stored as hashes only.
 */
#include "st_int.h"

static const char *const sql[Q_N] = {
	[Q_USER_INSERT] = "INSERT INTO user(login, agency, name, role, pw_hash, disabled, created_at, email, unit) "
			  "VALUES (:login, :agency, :name, :role, :pw, :disabled, :created, :email, :unit)",
	[Q_USER_UPDATE] = "UPDATE user SET name = :name, role = :role, pw_hash = :pw, "
			  "disabled = :disabled, email = :email, unit = :unit WHERE login = :login",
	[Q_USER_GET] = "SELECT login, agency, name, role, pw_hash, disabled, created_at, email, unit FROM user "
		       "WHERE login = :login",
	[Q_USER_LIST] = "SELECT login, agency, name, role, pw_hash, disabled, created_at, email, unit FROM user "
			"ORDER BY login",
	[Q_SES_INSERT] = "INSERT INTO session(token_hash, login, created_at, seen_at, address) "
			 "VALUES (:hash, :login, :now, :now, :address)",
	[Q_SES_GET] = "SELECT login, created_at, seen_at FROM session WHERE token_hash = :hash",
	[Q_SES_TOUCH] = "UPDATE session SET seen_at = :now WHERE token_hash = :hash",
	[Q_SES_DELETE] = "DELETE FROM session WHERE token_hash = :hash",
	[Q_SES_DELETE_USER] = "DELETE FROM session WHERE login = :login",
	[Q_SES_PURGE] = "DELETE FROM session WHERE seen_at < :before",
	[Q_TOK_INSERT] = "INSERT INTO api_token(token_hash, id, login, created_at) "
			 "VALUES (:hash, :id, :login, :now)",
	[Q_TOK_GET] = "SELECT login FROM api_token WHERE token_hash = :hash AND revoked_at = 0",
	[Q_TOK_REVOKE] = "UPDATE api_token SET revoked_at = :now WHERE id = :id AND revoked_at = 0",
	[Q_TOK_REVOKE_LOGIN] = "UPDATE api_token SET revoked_at = :now "
			       "WHERE login = :login AND revoked_at = 0",
	[Q_RATING_INSERT] = "INSERT INTO rating(dossier, agency, level, comment, channel, at) "
			    "VALUES (:dossier, :agency, :level, :comment, :channel, :at)",
	[Q_RATING_GET] = "SELECT level, comment, at FROM rating WHERE dossier = :dossier",
	[Q_REQKEY_GET] = "SELECT request, dossier FROM request_key WHERE login = :login AND key = :key",
	[Q_REQKEY_PUT] = "INSERT INTO request_key(login, key, request, dossier, created_at) "
			 "VALUES (:login, :key, :request, :dossier, :now)",
	[Q_REQKEY_PURGE] = "DELETE FROM request_key WHERE created_at < :before",
};

/* ---- users ---- */

/* The fields an update may change; an insert adds :agency and :created. */
static void bind_user(st_stmt *q, const st_user *u)
{
	st_bind_text(q, ":login", u->login);
	st_bind_text(q, ":name", u->name);
	st_bind_text(q, ":role", dsr_role_name(u->role));
	st_bind_text(q, ":pw", u->pw_hash);
	st_bind_int(q, ":disabled", u->disabled);
	st_bind_text(q, ":email", u->email);
	st_bind_text(q, ":unit", u->unit);
}

static void read_user(const st_stmt *q, st_user *u)
{
	memset(u, 0, sizeof *u);
	snprintf(u->login, sizeof u->login, "%s", st_col_text(q, 0));
	snprintf(u->agency, sizeof u->agency, "%s", st_col_text(q, 1));
	snprintf(u->name, sizeof u->name, "%s", st_col_text(q, 2));
	u->role = dsr_role_parse(st_col_text(q, 3));
	snprintf(u->pw_hash, sizeof u->pw_hash, "%s", st_col_text(q, 4));
	u->disabled = st_col_int(q, 5);
	u->created_at = st_col_int64(q, 6);
	snprintf(u->email, sizeof u->email, "%s", st_col_text(q, 7));
	snprintf(u->unit, sizeof u->unit, "%s", st_col_text(q, 8));
}

int st_user_insert(st *s, const st_user *u, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_USER_INSERT, &q, e);
	if (rc)
		return rc;
	bind_user(&q, u);
	st_bind_text(&q, ":agency", u->agency);
	st_bind_int(&q, ":created", u->created_at);
	rc = st_exec_q(&q, "add user", e);
	if (rc == MC_ECONFLICT)
		return mc_fail(e, MCE_USER_EXISTS, "tên đăng nhập '%s' đã có người dùng",
			       "user '%s' already exists", u->login);
	return rc;
}

int st_user_update(st *s, const st_user *u, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_USER_UPDATE, &q, e);
	if (rc)
		return rc;
	bind_user(&q, u);
	return st_exec_q(&q, "update user", e);
}

int st_user_get(st *s, const char *login, st_user *u, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_USER_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":login", login);
	rc = st_one(&q, "read user", e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_USER_NOT_FOUND, "không có tài khoản '%s'", "unknown user '%s'",
			       login);
	if (!rc)
		read_user(&q, u);
	st_reset(&q);
	return rc;
}

int st_user_list(st *s, st_user_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	st_user u;
	int rc = ST_Q(s, Q_USER_LIST, &q, e);
	if (rc)
		return rc;
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		read_user(&q, &u);
		if (cb(ctx, &u))
			break;
	}
	return st_walk_end(&q, rc, "list users", e);
}

/* ---- sessions ---- */

int st_session_insert(st *s, const char *hash, const char *login, mc_time now,
		      const char *address, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SES_INSERT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":hash", hash);
	st_bind_text(&q, ":login", login);
	st_bind_int(&q, ":now", now);
	st_bind_text(&q, ":address", address ? address : "");
	return st_exec_q(&q, "create session", e);
}

int st_session_get(st *s, const char *hash, char login[64], mc_time *seen_at,
		   mc_time *created_at, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SES_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":hash", hash);
	rc = st_one(&q, "read session", e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_SESSION_NOT_FOUND, "không có phiên làm việc này",
			       "no such session");
	if (rc)
		return rc;
	snprintf(login, 64, "%s", st_col_text(&q, 0));
	if (created_at)
		*created_at = st_col_int64(&q, 1);
	if (seen_at)
		*seen_at = st_col_int64(&q, 2);
	st_reset(&q);
	return MC_OK;
}

int st_session_touch(st *s, const char *hash, mc_time now, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SES_TOUCH, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":hash", hash);
	st_bind_int(&q, ":now", now);
	return st_exec_q(&q, "touch session", e);
}

int st_session_delete(st *s, const char *hash, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SES_DELETE, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":hash", hash);
	return st_exec_q(&q, "delete session", e);
}

int st_session_delete_user(st *s, const char *login, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SES_DELETE_USER, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":login", login);
	return st_exec_q(&q, "delete sessions", e);
}

int st_session_purge(st *s, mc_time before, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SES_PURGE, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":before", before);
	return st_exec_q(&q, "purge sessions", e);
}

/* ---- API tokens ---- */

int st_token_insert(st *s, const char *hash, const char *id, const char *login, mc_time now,
		    mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TOK_INSERT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":hash", hash);
	st_bind_text(&q, ":id", id);
	st_bind_text(&q, ":login", login);
	st_bind_int(&q, ":now", now);
	return st_exec_q(&q, "create token", e);
}

int st_token_get(st *s, const char *hash, char login[64], mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TOK_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":hash", hash);
	rc = st_one(&q, "read token", e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_TOKEN_NOT_FOUND, "không có mã truy cập API này",
			       "no such token");
	if (!rc)
		snprintf(login, 64, "%s", st_col_text(&q, 0));
	st_reset(&q);
	return rc;
}

int st_token_revoke(st *s, const char *id, mc_time now, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TOK_REVOKE, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":id", id);
	st_bind_int(&q, ":now", now);
	rc = st_exec_q(&q, "revoke token", e);
	if (!rc && sqlite3_changes(s->db) != 1)
		rc = mc_fail(e, MCE_TOKEN_NOT_FOUND, "không có mã truy cập API '%s' đang hiệu lực",
			     "no active token '%s'", id);
	return rc;
}

int st_token_revoke_login(st *s, const char *login, mc_time now, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TOK_REVOKE_LOGIN, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":login", login);
	st_bind_int(&q, ":now", now);
	return st_exec_q(&q, "revoke tokens", e);
}

/* ---- idempotency keys ---- */

int st_reqkey_get(st *s, const char *login, const char *key, char request[160], char dossier[96],
		  mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_REQKEY_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":login", login);
	st_bind_text(&q, ":key", key);
	rc = st_one(&q, "read request key", e);
	if (rc) /* MC_ENOTFOUND is the usual case: no message needed */
		return rc;
	snprintf(request, 160, "%s", st_col_text(&q, 0));
	snprintf(dossier, 96, "%s", st_col_text(&q, 1));
	st_reset(&q);
	return MC_OK;
}

int st_reqkey_put(st *s, const char *login, const char *key, const char *request,
		  const char *dossier, mc_time now, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_REQKEY_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":login", login);
	st_bind_text(&q, ":key", key);
	st_bind_text(&q, ":request", request);
	st_bind_text(&q, ":dossier", dossier);
	st_bind_int(&q, ":now", now);
	return st_exec_q(&q, "record request key", e);
}

int st_reqkey_purge(st *s, mc_time before, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_REQKEY_PURGE, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":before", before);
	return st_exec_q(&q, "purge request keys", e);
}

/* ---- ratings ---- */

int st_rating_insert(st *s, const char *dossier, const char *agency, int level,
		     const char *comment, const char *channel, mc_time at, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_RATING_INSERT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":dossier", dossier);
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":level", level);
	st_bind_text(&q, ":comment", comment ? comment : "");
	st_bind_text(&q, ":channel", channel);
	st_bind_int(&q, ":at", at);
	rc = st_exec_q(&q, "save rating", e);
	if (rc == MC_ECONFLICT)
		return mc_fail(e, MCE_RATING_EXISTS, "hồ sơ này đã được đánh giá",
			       "this dossier has already been rated");
	return rc;
}

int st_rating_get(st *s, const char *dossier, int *level, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_RATING_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":dossier", dossier);
	rc = st_one(&q, "read rating", e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_RATING_NOT_FOUND, "hồ sơ chưa được đánh giá", "not rated");
	if (!rc)
		*level = st_col_int(&q, 0);
	st_reset(&q);
	return rc;
}
