/*
 * st_int.h - internals shared by the store's files (st.c, ev.c): the
 * connection, the statement cache and the fault-injecting step.
 */
#ifndef ST_INT_H
#define ST_INT_H

#include <sqlite3.h>

#include "st.h"

enum {
	Q_SETTING_GET, Q_SETTING_SET,
	Q_AGENCY_PUT, Q_AGENCY_GET, Q_AGENCY_LIST,
	Q_USER_INSERT, Q_USER_UPDATE, Q_USER_GET, Q_USER_LIST,
	Q_PROC_EXISTS, Q_PROC_PUT, Q_PROC_TIME, Q_PROC_GET, Q_PROC_LIST, Q_PROC_COUNT,
	Q_HOL_DEL, Q_HOL_INS, Q_HOLYEAR_PUT, Q_HOL_ALL, Q_HOLYEAR_ALL,
	Q_SERIAL_NEXT,
	Q_DOS_INSERT, Q_DOS_UPDATE, Q_DOS_GET, Q_DOS_COUNT, Q_DOS_MAXSEQ, Q_DOS_COUNTS,
	Q_EV_LAST, Q_EV_INSERT, Q_EV_LIST, Q_EV_DOSSIER, Q_EV_ALL, Q_EV_COUNT,
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

/* The prepared statement id, reset and with bindings cleared. */
int st_q(st *s, int id, sqlite3_stmt **out, mc_err *e);
/* sqlite3_step through the fault injector. */
int st_step(sqlite3_stmt *q);
/* Maps a SQLite result code to MC_E* with a message. */
int st_fail(st *s, int rc, const char *what, mc_err *e);
/* Runs a statement that returns no rows to completion. */
int st_exec_q(st *s, sqlite3_stmt *q, const char *what, mc_err *e);
int st_bind_text(sqlite3_stmt *q, const char *name, const char *v);
int st_bind_int(sqlite3_stmt *q, const char *name, int64_t v);
const char *st_col_text(sqlite3_stmt *q, int i);

#endif
