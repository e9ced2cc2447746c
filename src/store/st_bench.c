/*
 * st_bench.c - benchmark code that is not the store's business: the raw
 * commit baseline for `motcua test-bench` (src/cli/cmd_node.c). It lives
 * here only until that command measures through the public API; then this
 * file goes away. Nothing else may call it.
 */
#include "st_int.h"

int st_bench_raw_commits(st *s, int n, mc_err *e)
{
	int rc = st_exec_sql(s, "CREATE TABLE IF NOT EXISTS bench_raw(id INTEGER PRIMARY KEY, v TEXT)",
			  "bench", e);
	sqlite3_stmt *q = NULL;
	if (!rc && sqlite3_prepare_v2(s->db, "INSERT INTO bench_raw(v) VALUES (?1)", -1, &q, NULL))
		rc = st_fail(s, SQLITE_ERROR, "bench", e);
	for (int i = 0; !rc && i < n; i++) {
		rc = st_exec_sql(s, "BEGIN IMMEDIATE", "bench", e);
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, "a row of about the size of a small dossier record", -1,
				  SQLITE_STATIC);
		if (!rc && sqlite3_step(q) != SQLITE_DONE)
			rc = st_fail(s, SQLITE_ERROR, "bench", e);
		if (!rc)
			rc = st_exec_sql(s, "COMMIT", "bench", e);
	}
	sqlite3_finalize(q);
	if (rc)
		st_rollback(s);
	int rc2 = st_exec_sql(s, "DROP TABLE IF EXISTS bench_raw", "bench", e);
	return rc ? rc : rc2;
}
