/*
 * st_int.h - internals shared by the store's files (st.c, st_ref.c,
 * st_dossier.c, st_auth.c, st_bench.c, ev.c): the connection, the statement
 * cache and the fault-injecting step. Not for use outside src/store.
 */
#ifndef ST_INT_H
#define ST_INT_H

#include <sqlite3.h>

#include "st.h"

/* Slots of the per-connection statement cache. Each file keeps the SQL of
 * its own slots in a file-local table `sql[Q_N]`. */
enum {
	/* st_ref.c */
	Q_SETTING_GET, Q_SETTING_SET,
	Q_AGENCY_PUT, Q_AGENCY_GET, Q_AGENCY_LIST,
	Q_PROC_EXISTS, Q_PROC_PUT, Q_PROC_TIME, Q_PROC_GET, Q_PROC_LIST, Q_PROC_COUNT,
	Q_HOL_DEL, Q_HOL_INS, Q_HOLYEAR_PUT, Q_HOL_ALL, Q_HOLYEAR_ALL,
	/* st_dossier.c */
	Q_SERIAL_NEXT,
	Q_DOS_INSERT, Q_DOS_UPDATE, Q_DOS_GET, Q_DOS_COUNT, Q_DOS_MAXSEQ, Q_DOS_COUNTS,
	/* ev.c */
	Q_EV_LAST, Q_EV_INSERT, Q_EV_LIST, Q_EV_DOSSIER, Q_EV_ALL, Q_EV_COUNT,
	/* st_auth.c */
	Q_USER_INSERT, Q_USER_UPDATE, Q_USER_GET, Q_USER_LIST,
	Q_SES_INSERT, Q_SES_GET, Q_SES_TOUCH, Q_SES_DELETE, Q_SES_DELETE_USER, Q_SES_PURGE,
	Q_TOK_INSERT, Q_TOK_GET, Q_TOK_REVOKE, Q_TOK_LIST,
	Q_RATING_INSERT, Q_RATING_GET,
	Q_REQKEY_GET, Q_REQKEY_PUT, Q_REQKEY_PURGE,
	Q_N
};

struct st {
	sqlite3 *db;
	sqlite3_stmt *q[Q_N];
	int in_tx;
};

/* The cached statement of slot id (prepared from text on first use), reset
 * and with bindings cleared. */
int st_q(st *s, int id, const char *text, sqlite3_stmt **out, mc_err *e);
/* st_q with the calling file's own sql[] table. */
#define ST_Q(s, id, out, e) st_q((s), (id), sql[id], (out), (e))
/* sqlite3_step through the fault injector. */
int st_step(sqlite3_stmt *q);
/* Maps a SQLite result code to MC_E* with a message. */
int st_fail(st *s, int rc, const char *what, mc_err *e);
/* Runs a statement that returns no rows to completion. */
int st_exec_q(st *s, sqlite3_stmt *q, const char *what, mc_err *e);
/* Runs SQL text (no parameters, no rows) through sqlite3_exec. */
int st_exec_sql(st *s, const char *text, const char *what, mc_err *e);
/* The one integer of a one-row query in slot id. OUT: *n. */
int st_count_q(st *s, int id, const char *text, int64_t *n, mc_err *e);
int st_bind_text(sqlite3_stmt *q, const char *name, const char *v);
int st_bind_int(sqlite3_stmt *q, const char *name, int64_t v);
int st_bind_double(sqlite3_stmt *q, const char *name, double v);
const char *st_col_text(sqlite3_stmt *q, int i);

#endif
