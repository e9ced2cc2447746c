/*
 * st_test.c - the store's statement wrapper (sticky bind errors, st_one)
 * and the session and token queries, on a fresh database in a temporary
 * directory.
 */
#include <unistd.h>

#include "store/st_int.h"
#include "t.h"

#include "fresh.h"

static st *open_fresh(void)
{
	return open_fresh_named("st");
}

/* A misspelt name fails the step with MC_EIO naming it; nothing runs. */
static void test_sticky_bind(st *s)
{
	st_stmt q;
	mc_err e = { 0 };
	char *v = NULL;

	T_CASE("sticky bind: one-off statement");
	CHECK_INT(st_prepare(s, "SELECT :a", &q, &e), MC_OK);
	st_bind_text(&q, ":b", "x");
	CHECK_INT(q.bind_rc, SQLITE_RANGE);
	CHECK_INT(st_one(&q, "probe", &e), MC_EIO);
	CHECK(strstr(e.msg, "':b'") != NULL);
	CHECK(strstr(e.msg, "probe") != NULL);
	st_finalize(&q);

	T_CASE("sticky bind: the first failure is the one named");
	CHECK_INT(st_prepare(s, "SELECT :a, :b", &q, &e), MC_OK);
	st_bind_int(&q, ":x", 1);
	st_bind_text(&q, ":a", "fine");
	st_bind_double(&q, ":y", 2.5);
	CHECK_INT(st_one(&q, "probe", &e), MC_EIO);
	CHECK(strstr(e.msg, "':x'") != NULL);
	CHECK(strstr(e.msg, "':y'") == NULL);
	st_finalize(&q);

	T_CASE("sticky bind: a write with a misspelt name writes nothing");
	CHECK_INT(st_prepare(s, "INSERT INTO setting(key, value) VALUES (:key, :value)", &q, &e),
		  MC_OK);
	st_bind_text(&q, ":key", "probe.key");
	st_bind_text(&q, ":valeu", "1");
	CHECK_INT(st_exec_q(&q, "write probe", &e), MC_EIO);
	CHECK(strstr(e.msg, "':valeu'") != NULL);
	st_finalize(&q);
	CHECK_INT(st_setting_get(s, "probe.key", &v, &e), MC_ENOTFOUND);

	T_CASE("sticky bind: a cached statement, then its next use is clean");
	CHECK_INT(st_q(s, Q_SETTING_GET, "SELECT value FROM setting WHERE key = :key", &q, &e),
		  MC_OK);
	st_bind_text(&q, ":kee", "agency.code");
	CHECK_INT(st_one(&q, "read setting", &e), MC_EIO);
	CHECK(strstr(e.msg, "':kee'") != NULL);
	CHECK_INT(st_setting_set(s, "probe.key", "42", &e), MC_OK);
	CHECK_INT(st_setting_get(s, "probe.key", &v, &e), MC_OK);
	CHECK_STR(v, "42");
	free(v);

	T_CASE("sticky bind: every statement the store keeps binds what it names");
	/* st_user_update used to bind :agency and :created, which its SQL has
	 * not; the sticky error turned that into a failure. */
	CHECK_INT(st_agency_put(s, "A.1", "Xã Một", "commune", NULL, 0, &e), MC_OK);
	st_user u = { .login = "u1", .agency = "A.1", .name = "Một", .role = ROLE_RECEPTION,
		      .pw_hash = "x", .created_at = 5 };
	CHECK_INT(st_user_insert(s, &u, &e), MC_OK);
	snprintf(u.name, sizeof u.name, "Một Hai");
	CHECK_INT(st_user_update(s, &u, &e), MC_OK);
	st_user got;
	CHECK_INT(st_user_get(s, "u1", &got, &e), MC_OK);
	CHECK_STR(got.name, "Một Hai");
	CHECK_INT(got.created_at, 5);
}

static void test_one(st *s)
{
	st_stmt q;
	mc_err e = { 0 };

	T_CASE("st_one: a row");
	CHECK_INT(st_prepare(s, "SELECT 7 WHERE :x = 1", &q, &e), MC_OK);
	st_bind_int(&q, ":x", 1);
	CHECK_INT(st_one(&q, "probe", &e), MC_OK);
	CHECK_INT(st_col_int64(&q, 0), 7);
	st_reset(&q);

	T_CASE("st_one: no row is MC_ENOTFOUND");
	st_bind_int(&q, ":x", 2);
	CHECK_INT(st_one(&q, "probe", &e), MC_ENOTFOUND);
	st_finalize(&q);

	T_CASE("st_one: a failed step is the error, not MC_ENOTFOUND");
	CHECK_INT(st_prepare(s, "SELECT 1", &q, &e), MC_OK);
	st_fault_arm(1, ST_FAULT_IO);
	CHECK_INT(st_one(&q, "probe", &e), MC_EIO);
	CHECK(st_fault_fired());
	st_fault_arm(0, 0);
	st_finalize(&q);

	T_CASE("st_one: the public getters say what is missing");
	char name[64];
	CHECK_INT(st_agency_get(s, "NO.SUCH", name, sizeof name, &e), MC_ENOTFOUND);
	CHECK_STR(e.msg, "unknown agency 'NO.SUCH'");
	int64_t n = -1;
	CHECK_INT(st_dossier_count(s, &n, &e), MC_OK);
	CHECK_INT(n, 0);
}

static void test_session(st *s)
{
	mc_err e = { 0 };
	char login[64];
	mc_time seen = 0, created = 0;

	T_CASE("st_session_get returns created_at and seen_at");
	CHECK_INT(st_session_insert(s, "h1", "u1", 1000, "127.0.0.1", &e), MC_OK);
	CHECK_INT(st_session_touch(s, "h1", 2500, &e), MC_OK);
	CHECK_INT(st_session_get(s, "h1", login, &seen, &created, &e), MC_OK);
	CHECK_STR(login, "u1");
	CHECK_INT(created, 1000);
	CHECK_INT(seen, 2500);

	T_CASE("st_session_get: either time may be NULL");
	CHECK_INT(st_session_get(s, "h1", login, NULL, &created, &e), MC_OK);
	CHECK_INT(st_session_get(s, "h1", login, &seen, NULL, &e), MC_OK);

	T_CASE("st_session_get: unknown hash");
	CHECK_INT(st_session_get(s, "nope", login, &seen, &created, &e), MC_ENOTFOUND);
}

static void test_token_revoke_login(st *s)
{
	mc_err e = { 0 };
	char login[64];

	T_CASE("st_token_revoke_login revokes every active token of one login");
	st_user u = { .login = "u2", .agency = "A.1", .name = "Hai", .role = ROLE_RECEPTION,
		      .pw_hash = "x" };
	CHECK_INT(st_user_insert(s, &u, &e), MC_OK);
	CHECK_INT(st_token_insert(s, "t1", "id1", "u1", 10, &e), MC_OK);
	CHECK_INT(st_token_insert(s, "t2", "id2", "u1", 11, &e), MC_OK);
	CHECK_INT(st_token_insert(s, "t3", "id3", "u2", 12, &e), MC_OK);
	CHECK_INT(st_token_revoke_login(s, "u1", 20, &e), MC_OK);
	CHECK_INT(st_token_get(s, "t1", login, &e), MC_ENOTFOUND);
	CHECK_INT(st_token_get(s, "t2", login, &e), MC_ENOTFOUND);
	CHECK_INT(st_token_get(s, "t3", login, &e), MC_OK);
	CHECK_STR(login, "u2");

	T_CASE("st_token_revoke_login: none left, or no such login, is MC_OK");
	CHECK_INT(st_token_revoke_login(s, "u1", 21, &e), MC_OK);
	CHECK_INT(st_token_revoke_login(s, "nobody", 21, &e), MC_OK);
	CHECK_INT(st_token_revoke(s, "id1", 22, &e), MC_ENOTFOUND);

	T_CASE("st_token_revoke_login: a failed write is an error");
	st_fault_arm(1, ST_FAULT_IO);
	CHECK_INT(st_token_revoke_login(s, "u2", 23, &e), MC_EIO);
	st_fault_arm(0, 0);
	CHECK_INT(st_token_get(s, "t3", login, &e), MC_OK);
}

int main(void)
{
	st_library_init();
	st_fault_arm(0, 0); /* ignore MOTCUA_TEST_FAULT from the environment */
	st *s = open_fresh();
	CHECK(s != NULL);
	if (!s)
		return t_done();
	test_sticky_bind(s);
	test_one(s);
	test_session(s);
	test_token_revoke_login(s);
	remove_fresh(s);
	return t_done();
}
