/*
 * st_int.h - internals shared by the store's files (st.c, st_ref.c,
 * st_dossier.c, st_auth.c, st_bench.c, st_records.c, ev.c): the connection, the statement
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
	Q_REGISTER_NEXT,
	Q_DOS_INSERT, Q_DOS_UPDATE, Q_DOS_GET, Q_DOS_COUNT, Q_DOS_MAXSEQ, Q_DOS_COUNTS, Q_DOS_TOUCH,
	/* ev.c */
	Q_EV_LAST, Q_EV_INSERT, Q_EV_LIST, Q_EV_DOSSIER, Q_EV_ALL, Q_EV_COUNT,
	/* st_auth.c */
	Q_USER_INSERT, Q_USER_UPDATE, Q_USER_GET, Q_USER_LIST,
	Q_SES_INSERT, Q_SES_GET, Q_SES_TOUCH, Q_SES_DELETE, Q_SES_DELETE_USER, Q_SES_PURGE,
	Q_TOK_INSERT, Q_TOK_GET, Q_TOK_REVOKE, Q_TOK_REVOKE_LOGIN,
	Q_RATING_INSERT, Q_RATING_GET,
	Q_REQKEY_GET, Q_REQKEY_PUT, Q_REQKEY_PURGE,
	/* st_records.c */
	Q_NOTICE_INSERT, Q_NOTICE_LIST, Q_FEE_INSERT, Q_FEE_LIST, Q_FEE_RANGE,
	Q_RESULT_SET, Q_RESULT_COLLECT, Q_RESULT_GET,
	/* st_notify.c */
	Q_NOTE_ALERTS, Q_NOTE_WORK, Q_NOTE_PUT, Q_NOTE_SEEN, Q_NOTE_LIST, Q_NOTE_UNREAD,
	Q_NOTE_READ, Q_NOTE_READ_ALL, Q_NOTE_MAIL_PENDING, Q_NOTE_MAIL_DONE,
	/* st_local.c */
	Q_LOCAL_GET, Q_LOCAL_PUT, Q_LOCAL_LIST, Q_LOCAL_REVIEW, Q_LOCAL_RECEIVABLE,
	/* st_sync.c */
	Q_SYNC_GET, Q_SYNC_SET, Q_SYNC_VERDICT_PUT, Q_SYNC_VERDICT_LIST,
	Q_HUB_NODE_KEY, Q_HUB_NODE_INSERT, Q_HUB_NODE_CHAIN, Q_HUB_NODE_STATUS, Q_HUB_NODE_ACKED,
	Q_HUB_NODE_LIST, Q_HUB_EV_INSERT, Q_HUB_EV_HASH, Q_HUB_EV_LIST, Q_HUB_EV_CHAINS,
	Q_HUB_DOS_OWNER, Q_HUB_DOS_PUT, Q_HUB_DOS_DROP, Q_HUB_DOS_COUNTS, Q_HUB_DOS_SEARCH,
	Q_HUB_DOS_EVENTS, Q_HUB_OUT_PUT, Q_HUB_OUT_LIST, Q_HUB_OUT_HIGH, Q_SYNC_ITEM_GET,
	Q_SYNC_ITEM_PUT, Q_HUB_AGENCY_APPROVED,
	/* st_files.c */
	Q_FILE_PUT, Q_FILE_GET, Q_DFILE_PUT, Q_DFILE_LIST, Q_DFILE_AGENCY, Q_DFILE_APPLICANT,
	Q_UP_INSERT, Q_UP_GET, Q_UP_OFFSET, Q_UP_STORED, Q_UP_DELETE, Q_UP_OLD, Q_UP_EXISTS,
	/* st_syncfiles.c */
	Q_SFILE_OFFER, Q_SFILE_SET, Q_SFILE_SENT, Q_SFILE_COUNTS, Q_SFILE_REFUSED,
	Q_HFILE_PUT, Q_HFILE_SIZE, Q_HFILE_DOSSIER, Q_HBLOB_GET, Q_HBLOB_ANY, Q_HBLOB_PUT,
	Q_HIN_GET, Q_HIN_PUT, Q_HIN_DEL, Q_HIN_PART,
	/* st_search.c */
	Q_SEARCH_REF_PUT, Q_SEARCH_DOC_DEL, Q_SEARCH_DOC_INS, Q_SEARCH_REF_GET, Q_SEARCH_REF_DEL,
	Q_SEARCH_DOSSIER, Q_SEARCH_QUERY, Q_SEARCH_COUNT, Q_SEARCH_AGENCY, Q_SEARCH_CAPPED,
	Q_SEARCH_RECENT, Q_SEARCH_FILE,
	/* st_jobs.c */
	Q_JOB_ADD, Q_JOB_CLAIM_PICK, Q_JOB_CLAIM, Q_JOB_GET, Q_JOB_PROGRESS, Q_JOB_DONE,
	Q_JOB_FAIL, Q_JOB_RELEASE, Q_JOB_REQUEUE, Q_JOB_RESET, Q_JOB_LIST, Q_JOB_OF, Q_TEXT_DEL, Q_TEXT_PUT,
	Q_TEXT_LIST, Q_DERIVED_PUT, Q_DERIVED_GET,
	/* st_report.c */
	Q_REP_NODE, Q_REP_NODE_766, Q_REP_HUB, Q_REP_HUB_766, Q_REP_AG_NODE, Q_REP_AG_HUB,
	Q_REP_COUNT, Q_REP_FACTS, Q_REP_ACKED,
	/* st_units.c */
	Q_UNIT_GET, Q_UNIT_PUT, Q_UNIT_DROP, Q_UNIT_LIST, Q_ATT_HUB,
	Q_ATT_PUT, Q_ATT_GET, Q_ATTW_PUT, Q_ATTW_LIST, Q_ATTW_SET, Q_ATTW_GET, Q_ATTW_PART, Q_ATTW_DEL, Q_ATTW_COUNTS,
	/* st_docs.c */
	Q_DOC_NEXT, Q_DOC_TAKE, Q_DOC_USED, Q_DOC_INSERT, Q_DOC_UPDATE, Q_DOC_GET, Q_DOC_LIST_IN,
	Q_DOC_LIST_OUT, Q_DOC_BOOK_IN, Q_DOC_BOOK_OUT, Q_DOC_COUNT,
	/* st_rec.c */
	Q_REC_SERIAL, Q_REC_PUT, Q_REC_GET, Q_REC_LIST, Q_REC_COUNT, Q_REC_STEP_ADD, Q_REC_STEPS,
	/* st_task.c */
	Q_TASK_SERIAL, Q_TASK_PUT, Q_TASK_GET, Q_TASK_PERIOD, Q_TASK_LIST, Q_TASK_COUNT,
	Q_TASK_SERIES, Q_TASK_LOG_PUT, Q_TASK_LOG_LIST, Q_TASK_ASSIGN_PUT, Q_TASK_ASSIGN_GET,
	Q_TASK_ASSIGN_LIST,
	Q_N
};

struct st {
	sqlite3 *db;
	sqlite3_stmt *q[Q_N];
	int in_tx;
};

/*
 * A statement in use: the SQLite statement and a sticky bind error. Binds
 * return nothing; the first one that fails (most often a parameter name the
 * SQL does not have) is remembered, and the step that follows fails with
 * MC_EIO naming the parameter instead of running with a NULL in its place
 * (Fossil's db_bind_* stop on an unknown name; we return the error).
 */
typedef struct {
	st *s;
	sqlite3_stmt *q;
	int bind_rc;        /* SQLite code of the first failed bind, 0 if none */
	char bind_name[32]; /* its parameter name */
} st_stmt;

/* The cached statement of slot id (prepared from text on first use), reset
 * and with bindings cleared. OUT: *out (never finalize it; st_reset it
 * after reading a row). *out is usable by st_reset even on failure. */
MC_MUST_USE int st_q(st *s, int id, const char *text, st_stmt *out, mc_err *e);
/* st_q with the calling file's own sql[] table. */
#define ST_Q(s, id, out, e) st_q((s), (id), sql[id], (out), (e))
/* A one-off statement, not cached. OUT: *out, free with st_finalize (also
 * after a failure). */
MC_MUST_USE int st_prepare(st *s, const char *text, st_stmt *out, mc_err *e);
void st_finalize(st_stmt *q);
/* Ends the current use of q (releases its read lock); q stays prepared. */
void st_reset(st_stmt *q);

/* Bind by name; v NULL binds NULL. Failures are sticky (see st_stmt). */
void st_bind_text(st_stmt *q, const char *name, const char *v);
void st_bind_int(st_stmt *q, const char *name, int64_t v);
void st_bind_double(st_stmt *q, const char *name, double v);

/* sqlite3_step through the fault injector; a remembered bind failure is
 * returned without stepping. Returns a SQLite result code. */
MC_MUST_USE int st_step(st_stmt *q);
/* Maps a SQLite result code to MC_E* with a message. */
int st_fail(st *s, int rc, const char *what, mc_err *e);
/* st_fail for a statement: names the parameter of a failed bind. */
int st_qfail(st_stmt *q, int rc, const char *what, mc_err *e);

/* Runs a statement that returns no rows to completion, then resets it. */
MC_MUST_USE int st_exec_q(st_stmt *q, const char *what, mc_err *e);
/*
 * Steps a statement that returns at most one row. MC_OK: the row is ready
 * to read; the caller reads it, then calls st_reset. MC_ENOTFOUND (without
 * a message: the caller names what is missing) or an error: q is reset.
 */
MC_MUST_USE int st_one(st_stmt *q, const char *what, mc_err *e);
/* Ends a walk `while ((rc = st_step(q)) == SQLITE_ROW)`: resets q and
 * returns MC_OK if rc is SQLITE_DONE or SQLITE_ROW (the walk stopped
 * early), else the error. */
MC_MUST_USE int st_walk_end(st_stmt *q, int rc, const char *what, mc_err *e);
/* Runs SQL text (no parameters, no rows) through sqlite3_exec. */
MC_MUST_USE int st_exec_sql(st *s, const char *text, const char *what, mc_err *e);

/* Columns of the current row. Text is "" for NULL; owned by q until the
 * next step or reset. */
const char *st_col_text(const st_stmt *q, int i);
static inline int64_t st_col_int64(const st_stmt *q, int i)
{
	return sqlite3_column_int64(q->q, i);
}
static inline int st_col_int(const st_stmt *q, int i)
{
	return sqlite3_column_int(q->q, i);
}
static inline double st_col_double(const st_stmt *q, int i)
{
	return sqlite3_column_double(q->q, i);
}
static inline int st_col_null(const st_stmt *q, int i)
{
	return sqlite3_column_type(q->q, i) == SQLITE_NULL;
}

/* st_search.c: registers the search tokenizer on s's connection (before
 * migrations, which create the table that names it). */
MC_MUST_USE int st_search_register(st *s, mc_err *e);
/* Indexes dossier code again from its rows, inside the caller's
 * transaction: after each write to what search looks through. */
MC_MUST_USE int st_search_dossier(st *s, const char *code, mc_err *e);
/* Moves the index rows of dossier code (its own and its files') to agency,
 * as the dossier moves (a transfer), inside the caller's transaction. */
MC_MUST_USE int st_search_agency(st *s, const char *code, const char *agency, mc_err *e);

#endif
