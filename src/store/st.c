/*
 * st.c - the store's connection: open and migrate, pragmas, transactions,
 * the per-connection statement cache and its helpers, fault injection.
 * The queries live with what they are about: st_ref.c (settings, agencies,
 * procedures, days off), st_dossier.c (dossiers, serials), st_auth.c
 * (accounts, sessions, tokens, request keys, ratings), ev.c (event log).
 */
#include "st_int.h"

#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>

#include "embedded.h"
#include "st_search.h"

#define ST_APP_ID 0x4d6f4375 /* "MoCu" */

/* ---- fault injection ---- */

static int fault_countdown;
static int fault_kind;
static int fault_fired;
static int fault_env_read;

void st_fault_arm(int nth, int kind)
{
	fault_env_read = 1;
	fault_countdown = nth;
	fault_kind = kind;
	fault_fired = 0;
}

int st_fault_fired(void)
{
	return fault_fired;
}

static void fault_from_env(void)
{
	fault_env_read = 1;
	const char *v = getenv("MOTCUA_TEST_FAULT");
	if (!v || !*v)
		return;
	char *end;
	long n = strtol(v, &end, 10);
	if (n > 0 && *end == ':')
		st_fault_arm((int)n, strcmp(end + 1, "busy") == 0 ? ST_FAULT_BUSY : ST_FAULT_IO);
}

/* The step every statement takes: a remembered bind failure first, then
 * the fault injector, then SQLite. */
int st_step(st_stmt *q)
{
	if (q->bind_rc)
		return q->bind_rc;
	if (!fault_env_read)
		fault_from_env();
	if (fault_countdown > 0 && --fault_countdown == 0) {
		fault_fired = 1;
		return fault_kind == ST_FAULT_BUSY ? SQLITE_BUSY : SQLITE_IOERR;
	}
	return sqlite3_step(q->q);
}

/* ---- statements ---- */

int st_fail(st *s, int rc, const char *what, mc_err *e)
{
	int prim = rc & 0xff;
	const char *msg = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
	if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
		return mc_fail(e, MCE_BUSY, "cơ sở dữ liệu đang bận (%s): vui lòng thử lại",
			       "database is busy (%s): try again", what);
	if (prim == SQLITE_CONSTRAINT)
		return mc_fail(e, MCE_STORE_CONSTRAINT, "%s: dữ liệu trùng hoặc mâu thuẫn (%s)",
			       "%s: %s", what, msg);
	if (prim == SQLITE_CORRUPT || prim == SQLITE_NOTADB)
		return mc_fail(e, MCE_STORE_CORRUPT, "%s: cơ sở dữ liệu bị hỏng (%s)",
			       "%s: database is corrupt (%s)", what, msg);
	if (prim == SQLITE_IOERR)
		return mc_fail(e, MCE_STORE_IO, "%s: lỗi đọc ghi đĩa", "%s: disk i/o error", what);
	return mc_fail(e, MCE_STORE_IO, "%s: lỗi cơ sở dữ liệu (%s)", "%s: %s", what, msg);
}

int st_qfail(st_stmt *q, int rc, const char *what, mc_err *e)
{
	if (q->bind_rc == SQLITE_RANGE)
		return mc_fail(e, MCE_STORE_IO, "%s: câu lệnh không có tham số '%s'",
			       "%s: no parameter '%s' to bind", what, q->bind_name);
	if (q->bind_rc)
		return mc_fail(e, MCE_STORE_IO, "%s: không gán được tham số '%s': %s",
			       "%s: cannot bind '%s': %s", what, q->bind_name,
			       sqlite3_errstr(q->bind_rc));
	return st_fail(q->s, rc, what, e);
}

static void stmt_init(st_stmt *q, st *s, sqlite3_stmt *raw)
{
	q->s = s;
	q->q = raw;
	q->bind_rc = 0;
	q->bind_name[0] = 0;
}

int st_q(st *s, int id, const char *text, st_stmt *out, mc_err *e)
{
	stmt_init(out, s, NULL);
	if (!s->q[id]) {
		int rc = sqlite3_prepare_v3(s->db, text, -1, SQLITE_PREPARE_PERSISTENT,
					    &s->q[id], NULL);
		if (rc != SQLITE_OK)
			return st_fail(s, rc, "prepare", e);
	}
	sqlite3_reset(s->q[id]);
	sqlite3_clear_bindings(s->q[id]);
	out->q = s->q[id];
	return MC_OK;
}

int st_prepare(st *s, const char *text, st_stmt *out, mc_err *e)
{
	sqlite3_stmt *raw = NULL;
	stmt_init(out, s, NULL);
	int rc = sqlite3_prepare_v2(s->db, text, -1, &raw, NULL);
	if (rc != SQLITE_OK)
		return st_fail(s, rc, "prepare", e);
	out->q = raw;
	return MC_OK;
}

void st_finalize(st_stmt *q)
{
	sqlite3_finalize(q->q);
	q->q = NULL;
}

void st_reset(st_stmt *q)
{
	if (q->q)
		sqlite3_reset(q->q);
}

/* The index of parameter name, or 0 after remembering why not. Only the
 * first failure is kept: it is the one that explains the rest. */
static int bind_index(st_stmt *q, const char *name)
{
	if (q->bind_rc || !q->q)
		return 0;
	int i = sqlite3_bind_parameter_index(q->q, name);
	if (i == 0) {
		q->bind_rc = SQLITE_RANGE;
		snprintf(q->bind_name, sizeof q->bind_name, "%s", name);
	}
	return i;
}

static void bind_done(st_stmt *q, const char *name, int rc)
{
	if (rc != SQLITE_OK && !q->bind_rc) {
		q->bind_rc = rc;
		snprintf(q->bind_name, sizeof q->bind_name, "%s", name);
	}
}

void st_bind_text(st_stmt *q, const char *name, const char *v)
{
	int i = bind_index(q, name);
	if (i == 0)
		return;
	bind_done(q, name, v ? sqlite3_bind_text(q->q, i, v, -1, SQLITE_TRANSIENT)
			     : sqlite3_bind_null(q->q, i));
}

void st_bind_int(st_stmt *q, const char *name, int64_t v)
{
	int i = bind_index(q, name);
	if (i)
		bind_done(q, name, sqlite3_bind_int64(q->q, i, v));
}

void st_bind_double(st_stmt *q, const char *name, double v)
{
	int i = bind_index(q, name);
	if (i)
		bind_done(q, name, sqlite3_bind_double(q->q, i, v));
}

const char *st_col_text(const st_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q->q, i);
	return t ? (const char *)t : "";
}

int st_exec_q(st_stmt *q, const char *what, mc_err *e)
{
	int rc = st_step(q);
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE; /* RETURNING-less statements should not get here */
	int out = rc == SQLITE_DONE ? MC_OK : st_qfail(q, rc, what, e);
	st_reset(q);
	return out;
}

int st_one(st_stmt *q, const char *what, mc_err *e)
{
	int rc = st_step(q);
	if (rc == SQLITE_ROW)
		return MC_OK;
	rc = rc == SQLITE_DONE ? MC_ENOTFOUND : st_qfail(q, rc, what, e);
	st_reset(q);
	return rc;
}

int st_walk_end(st_stmt *q, int rc, const char *what, mc_err *e)
{
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? MC_OK : st_qfail(q, rc, what, e);
	st_reset(q);
	return rc;
}

int st_exec_sql(st *s, const char *text, const char *what, mc_err *e)
{
	char *err = NULL;
	int rc = sqlite3_exec(s->db, text, NULL, NULL, &err);
	if (rc == SQLITE_OK)
		return MC_OK;
	int busy = (rc & 0xff) == SQLITE_BUSY;
	int code = mc_fail(e, busy ? MCE_BUSY : MCE_STORE_IO,
			   busy ? "%s: cơ sở dữ liệu đang bận (%s)" : "%s: lỗi cơ sở dữ liệu (%s)",
			   "%s: %s", what, err ? err : sqlite3_errstr(rc));
	sqlite3_free(err);
	return code;
}

/* ---- open, migrate, close ---- */

/* Numbered migrations, embedded from src/store/migrations: file i takes
 * user_version i-1 to i. Append only; never edit a shipped one. */
static const char *const migrations[] = {
	NULL,
	"0001-schema.sql",
	"0002-sessions.sql",
	"0003-request-keys.sql",
	"0004-applicant-identity.sql",
	"0005-fees-results.sql",
	"0006-procedure-overlay.sql",
	"0007-sync.sql",
	"0008-pull.sql",
	"0009-register.sql",
	"0010-files.sql",
	"0011-search.sql",
	"0012-jobs.sql",
	"0013-sync-files.sql",
	"0014-reports.sql",
	"0015-notify.sql",
	"0016-units.sql",
	"0017-documents.sql",
	"0018-tasks.sql",
	"0019-recommendations.sql",
};
#undef ST_SCHEMA_VERSION
#define ST_SCHEMA_VERSION ((int)MC_ARRAY_LEN(migrations) - 1)

static const char *embedded_sql(const char *name)
{
	for (const mc_embedded_file *f = mc_embedded; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return (const char *)f->data;
	return NULL;
}

static int migrate(st *s, mc_err *e)
{
	int v = st_schema_version(s);
	if (v > ST_SCHEMA_VERSION)
		return mc_fail(e, MCE_STORE_SCHEMA_TOO_NEW,
			       "cơ sở dữ liệu có phiên bản lược đồ %d, mới hơn bản motcua này (%d)",
			       "database schema version %d is newer than this motcua (%d)", v,
			       ST_SCHEMA_VERSION);
	if (v == ST_SCHEMA_VERSION)
		return MC_OK;
	/* All steps in one transaction: a failed upgrade leaves the old schema. */
	int rc = st_exec_sql(s, "BEGIN IMMEDIATE", "migrate", e);
	/* Another process may have migrated while we waited for the lock. */
	if (!rc)
		v = st_schema_version(s);
	for (int i = v + 1; !rc && i <= ST_SCHEMA_VERSION; i++) {
		if (!migrations[i])
			continue; /* a number not (yet) used on this branch */
		const char *text = embedded_sql(migrations[i]);
		rc = text ? st_exec_sql(s, text, migrations[i], e)
			  : mc_fail(e, MCE_STORE_IO, "bước nâng cấp %s không có trong chương trình",
				    "migration %s is not embedded", migrations[i]);
		/* Steps SQL cannot do: the index of the dossiers already there
		 * needs the tokenizer, which is C. */
		if (!rc && strcmp(migrations[i], "0011-search.sql") == 0)
			rc = st_search_rebuild(s, e);
	}
	if (!rc) {
		char pragma[96];
		snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d; PRAGMA user_version = %d",
			 ST_APP_ID, ST_SCHEMA_VERSION);
		rc = st_exec_sql(s, pragma, "set schema version", e);
	}
	if (!rc)
		rc = st_exec_sql(s, "COMMIT", "migrate", e);
	if (rc)
		(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* Steps SQLite directly, past the fault injector: opening a database is
 * not one of the use cases that the fault loops count steps of. */
int st_schema_version(st *s)
{
	sqlite3_stmt *q;
	int v = -1;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return v;
}

int st_open(const char *path, int create, st **out, mc_err *e)
{
	struct stat sb;
	int exists = stat(path, &sb) == 0;
	if (create && exists)
		return mc_fail(e, MCE_STORE_DB_EXISTS, "cơ sở dữ liệu '%s' đã tồn tại",
			       "database '%s' already exists", path);
	if (!create && !exists)
		return mc_fail(e, MCE_STORE_NO_DB, "không có cơ sở dữ liệu tại '%s' (chạy motcua init)",
			       "no database at '%s' (run motcua init)", path);

	st *s = mc_xcalloc(1, sizeof *s);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
	if (rc != SQLITE_OK) {
		rc = st_fail(s, rc, "open database", e);
		st_close(s);
		return rc;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 10000);
	/* Durable on commit: WAL with synchronous=FULL fsyncs the log at every
	 * commit, so an acknowledged write survives power loss and kill -9. */
	rc = st_exec_sql(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
			 "PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF; PRAGMA wal_autocheckpoint = 4000",
		      "configure database", e);
	if (!rc) {
		int v = st_schema_version(s);
		if (!create && v == 0)
			rc = mc_fail(e, MCE_STORE_NOT_MOTCUA, "'%s' không phải cơ sở dữ liệu của motcua",
				     "'%s' is not a motcua database", path);
	}
	if (!rc)
		rc = st_search_register(s, e);
	if (!rc)
		rc = migrate(s, e);
	if (rc) {
		st_close(s);
		return rc;
	}
	*out = s;
	return MC_OK;
}

void st_close(st *s)
{
	if (!s)
		return;
	for (int i = 0; i < Q_N; i++)
		sqlite3_finalize(s->q[i]);
	sqlite3_close(s->db);
	free(s);
}

/* One writer at a time within this process. SQLite would serialise the
 * server's threads anyway, but through its busy handler, which sleeps in
 * steps of up to 100 ms; a mutex hands the write lock over at once. Other
 * processes (the CLI) still meet the 10 s busy timeout. */
static pthread_mutex_t write_mu = PTHREAD_MUTEX_INITIALIZER;

int st_begin(st *s, mc_err *e)
{
	pthread_mutex_lock(&write_mu);
	int rc = st_exec_sql(s, "BEGIN IMMEDIATE", "begin transaction", e);
	if (rc) {
		pthread_mutex_unlock(&write_mu);
		return rc;
	}
	s->in_tx = 1;
	return MC_OK;
}

int st_savepoint(st *s, mc_err *e)
{
	return st_exec_sql(s, "SAVEPOINT part", "begin a savepoint", e);
}

int st_savepoint_release(st *s, mc_err *e)
{
	return st_exec_sql(s, "RELEASE part", "release a savepoint", e);
}

void st_savepoint_undo(st *s)
{
	(void)sqlite3_exec(s->db, "ROLLBACK TO part; RELEASE part", NULL, NULL, NULL);
}

int st_commit(st *s, mc_err *e)
{
	/* The commit is a step like any other: it can be made to fail too. */
	if (fault_countdown > 0 && --fault_countdown == 0) {
		fault_fired = 1;
		st_rollback(s);
		return fault_kind == ST_FAULT_BUSY
			       ? mc_fail(e, MCE_BUSY,
					 "cơ sở dữ liệu đang bận (commit): vui lòng thử lại",
					 "database is busy (commit): try again")
			       : mc_fail(e, MCE_STORE_IO, "commit: lỗi đọc ghi đĩa", "commit: disk i/o error");
	}
	int rc = st_exec_sql(s, "COMMIT", "commit", e);
	if (rc) {
		st_rollback(s);
		return rc;
	}
	if (s->in_tx) {
		s->in_tx = 0;
		pthread_mutex_unlock(&write_mu);
	}
	return MC_OK;
}

int st_end(st *s, int rc, mc_err *e)
{
	if (!rc)
		return st_commit(s, e);
	st_rollback(s);
	return rc;
}

void st_rollback(st *s)
{
	if (!sqlite3_get_autocommit(s->db))
		(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (s->in_tx) {
		s->in_tx = 0;
		pthread_mutex_unlock(&write_mu);
	}
}

int st_read_begin(st *s, mc_err *e)
{
	return st_exec_sql(s, "BEGIN", "begin read", e);
}

void st_read_end(st *s)
{
	if (!sqlite3_get_autocommit(s->db))
		(void)sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

void st_library_init(void)
{
	/* Memory statistics take a global mutex on every allocation, which the
	 * server's threads then queue on; motcua never reads them. */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int st_integrity(st *s, mc_err *e)
{
	st_stmt q;
	int rc = st_prepare(s, "PRAGMA integrity_check", &q, e);
	if (!rc)
		rc = st_one(&q, "integrity check", e);
	if (rc == MC_ENOTFOUND)
		rc = mc_fail(e, MCE_STORE_IO, "kiểm tra toàn vẹn: không có kết quả",
			     "integrity check: no answer");
	else if (!rc && strcmp(st_col_text(&q, 0), "ok") != 0)
		rc = mc_fail(e, MCE_STORE_CORRUPT, "kiểm tra toàn vẹn: %s", "integrity check: %s",
			     st_col_text(&q, 0));
	st_finalize(&q);
	return rc;
}
