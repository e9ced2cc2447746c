/*
 * helpers.h - shared by the app-level tests: a fresh node in a temporary
 * directory with a small catalog and one user per role, and a digest of the
 * database's state tables and event log (to prove "changed nothing").
 */
#ifndef TEST_HELPERS_H
#define TEST_HELPERS_H

#include <sodium.h>
#include <sqlite3.h>
#include <unistd.h>

#include "app/app_int.h"
#include "t.h"

static char th_dir[256];

static mc_time th_time(const char *s)
{
	mc_time t = 0;
	mc_err e;
	if (cal_parse_datetime(s, &t, &e))
		fprintf(stderr, "bad time in test: %s\n", s);
	return t;
}

/* A catalog of three procedures in the clean format. */
static const char th_catalog[] =
	"{\"format\":\"motcua-catalog/1\",\"code\":\"1.001193\",\"name\":\"Đăng ký khai sinh\","
	"\"field\":\"Hộ tịch\",\"level\":\"Cấp xã\",\"channels\":[{\"channel\":\"direct\",\"time\":5,"
	"\"unit\":\"working_days\",\"inferred\":false,\"fee\":\"\",\"description\":\"\"}],"
	"\"components\":[],\"result\":{\"name\":\"Giấy khai sinh\",\"code\":\"KQ.G01.000001\"}}\n"
	"{\"format\":\"motcua-catalog/1\",\"code\":\"2.000908\",\"name\":\"Chứng thực bản sao từ bản chính\","
	"\"field\":\"Chứng thực\",\"level\":\"Cấp xã\",\"channels\":[{\"channel\":\"direct\",\"time\":1,"
	"\"unit\":\"same_day\",\"inferred\":false,\"fee\":\"2.000 đồng/trang\",\"description\":\"\"}],"
	"\"components\":[],\"result\":{\"name\":\"Bản sao\",\"code\":\"\"}}\n"
	"{\"format\":\"motcua-catalog/1\",\"code\":\"1.000894\",\"name\":\"Đăng ký kết hôn\","
	"\"field\":\"Hộ tịch\",\"level\":\"Cấp xã\",\"channels\":[{\"channel\":\"direct\",\"time\":3,"
	"\"unit\":\"working_days\",\"inferred\":false,\"fee\":\"\",\"description\":\"\"},"
	"{\"channel\":\"online\",\"time\":2,\"unit\":\"working_days\",\"inferred\":false,"
	"\"fee\":\"\",\"description\":\"\"}],\"components\":[],\"result\":{\"name\":\"Giấy chứng nhận kết hôn\",\"code\":\"\"}}\n";

/* Creates a node with the catalog above, agencies and users:
 * tn (reception), cv and cv2 (specialists), ld (leader), qt (admin),
 * gs (supervisor). OUT: *a. */
static int th_node(app **a, mc_time now)
{
	snprintf(th_dir, sizeof th_dir, "/tmp/motcua-test-XXXXXX");
	if (!mkdtemp(th_dir))
		return 1;
	app_init_opts o = { .agency = "000.31.45.H45", .name = "Xã Kim Bôi" };
	mc_err e;
	if (app_init_dir(th_dir, &o, now, NULL, &e) || app_open(th_dir, a, &e)) {
		fprintf(stderr, "node: %s\n", e.msg);
		return 1;
	}
	app_actor sys;
	app_actor_system(*a, &sys);
	static const char *users[][2] = { { "tn", "reception" }, { "cv", "specialist" },
					  { "cv2", "specialist" }, { "ld", "leader" },
					  { "qt", "admin" }, { "gs", "supervisor" } };
	for (size_t i = 0; i < MC_ARRAY_LEN(users); i++)
		if (app_user_add(*a, &sys, users[i][0], users[i][1], "Cán bộ thử", "mật-khẩu-thử",
				 now, &e)) {
			fprintf(stderr, "user: %s\n", e.msg);
			return 1;
		}
	app_import_stats stats;
	if (app_catalog_import(*a, &sys, th_catalog, strlen(th_catalog), "test", now, &stats, &e)) {
		fprintf(stderr, "catalog: %s\n", e.msg);
		return 1;
	}
	if (st_agency_put((*a)->st, "000.32.45.H45", "Xã Dũng Tiến", "commune", NULL, 0, &e))
		return 1;
	return 0;
}

static void th_rmdir(void)
{
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", th_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", th_dir);
}

static app_actor th_actor(app *a, const char *login)
{
	app_actor x;
	mc_err e;
	memset(&x, 0, sizeof x);
	if (app_actor_load(a, login, &x, &e))
		fprintf(stderr, "actor %s: %s\n", login, e.msg);
	return x;
}

/* SHA-256 over every row of the state tables and the event log, read
 * through a separate connection (tests may speak SQL; src/ outside the
 * store may not). OUT: hex digest. */
static void th_digest(char out[65])
{
	static const char *const tables[] = {
		"SELECT * FROM dossier ORDER BY code", "SELECT * FROM event ORDER BY seq",
		"SELECT * FROM serial ORDER BY agency, day", "SELECT * FROM user ORDER BY login",
		"SELECT * FROM procedure ORDER BY code", "SELECT * FROM holiday ORDER BY day",
		"SELECT * FROM setting ORDER BY key",
	};
	char path[300];
	snprintf(path, sizeof path, "%s/motcua.db", th_dir);
	sqlite3 *db;
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		for (size_t i = 0; i < MC_ARRAY_LEN(tables); i++) {
			sqlite3_stmt *q;
			if (sqlite3_prepare_v2(db, tables[i], -1, &q, NULL) != SQLITE_OK)
				continue;
			while (sqlite3_step(q) == SQLITE_ROW)
				for (int c = 0; c < sqlite3_column_count(q); c++) {
					const unsigned char *v = sqlite3_column_text(q, c);
					crypto_hash_sha256_update(&h, v ? v : (const unsigned char *)"\1",
								  v ? (size_t)sqlite3_column_bytes(q, c) : 1);
					crypto_hash_sha256_update(&h, (const unsigned char *)"|", 1);
				}
			sqlite3_finalize(q);
		}
	}
	sqlite3_close(db);
	unsigned char d[32];
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(out, 65, d, sizeof d);
}

#endif
