/*
 * st.c - SQLite connection, schema, statement cache and the state tables.
 */
#include "st_int.h"

#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>

#include "embedded.h"

#define ST_APP_ID 0x4d6f4375 /* "MoCu" */

#define DOS_COLS                                                                          \
	"code, agency, origin, procedure, channel, status, name, id_number, phone, email, " \
	"address, summary, components, time_amount, time_unit, submitted_at, received_at, " \
	"due_at, due_legal, assignee, resume_status, paused_at, supplements, "              \
	"supplements_processing, apology_at, finished_at, timeliness, returned_at, "        \
	"collected_by, note, updated_at, last_seq, time_guessed"

#define OPEN_SQL "('submitted','received','processing','awaiting_approval','supplement','awaiting_payment')"

static const char *const sql[Q_N] = {
	[Q_SETTING_GET] = "SELECT value FROM setting WHERE key = :key",
	[Q_SETTING_SET] = "INSERT INTO setting(key, value) VALUES (:key, :value) "
			  "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[Q_AGENCY_PUT] = "INSERT INTO agency(code, name, kind, parent, is_self) "
			 "VALUES (:code, :name, :kind, :parent, :self) ON CONFLICT(code) DO UPDATE "
			 "SET name = excluded.name, kind = excluded.kind, parent = excluded.parent, "
			 "is_self = excluded.is_self",
	[Q_AGENCY_GET] = "SELECT name FROM agency WHERE code = :code",
	[Q_AGENCY_LIST] = "SELECT code, name, kind, is_self FROM agency ORDER BY is_self DESC, code",
	[Q_USER_INSERT] = "INSERT INTO user(login, agency, name, role, pw_hash, disabled, created_at) "
			  "VALUES (:login, :agency, :name, :role, :pw, :disabled, :created)",
	[Q_USER_UPDATE] = "UPDATE user SET name = :name, role = :role, pw_hash = :pw, "
			  "disabled = :disabled WHERE login = :login",
	[Q_USER_GET] = "SELECT login, agency, name, role, pw_hash, disabled, created_at FROM user "
		       "WHERE login = :login",
	[Q_USER_LIST] = "SELECT login, agency, name, role, pw_hash, disabled, created_at FROM user "
			"ORDER BY login",
	[Q_PROC_EXISTS] = "SELECT 1 FROM procedure WHERE code = :code",
	[Q_PROC_PUT] = "INSERT INTO procedure(code, name, field, level, fold, complete, version, "
		       "source, t_direct, u_direct, t_online, u_online, t_postal, u_postal, t_guessed, body) "
		       "VALUES (:code, :name, :field, :level, :fold, :complete, :version, :source, "
		       ":t0, :u0, :t1, :u1, :t2, :u2, :guessed, :body) ON CONFLICT(code) DO UPDATE SET "
		       "name = excluded.name, field = excluded.field, level = excluded.level, "
		       "fold = excluded.fold, complete = excluded.complete, "
		       "version = excluded.version, source = excluded.source, "
		       "t_direct = excluded.t_direct, u_direct = excluded.u_direct, "
		       "t_online = excluded.t_online, u_online = excluded.u_online, "
		       "t_postal = excluded.t_postal, u_postal = excluded.u_postal, "
		       "t_guessed = excluded.t_guessed, body = excluded.body",
	[Q_PROC_TIME] = "SELECT name, t_direct, u_direct, t_online, u_online, t_postal, u_postal, "
			"t_guessed FROM procedure WHERE code = :code",
	[Q_PROC_GET] = "SELECT body FROM procedure WHERE code = :code",
	[Q_PROC_LIST] = "SELECT code, name, field, level, fold, complete, version, source, body "
			"FROM procedure WHERE (:field IS NULL OR field = :field) "
			"AND (:q IS NULL OR instr(fold, :q) > 0) ORDER BY field, code",
	[Q_PROC_COUNT] = "SELECT count(*) FROM procedure",
	[Q_HOL_DEL] = "DELETE FROM holiday WHERE year = :year",
	[Q_HOL_INS] = "INSERT INTO holiday(day, year, kind, occasion, source, version) "
		      "VALUES (:day, :year, :kind, :occasion, :source, :version)",
	[Q_HOLYEAR_PUT] = "INSERT INTO holiday_year(year, version, source) VALUES "
			  "(:year, :version, :source) ON CONFLICT(year) DO UPDATE SET "
			  "version = excluded.version, source = excluded.source",
	[Q_HOL_ALL] = "SELECT day, kind, occasion, source FROM holiday ORDER BY day",
	[Q_HOLYEAR_ALL] = "SELECT year FROM holiday_year ORDER BY year",
	[Q_SERIAL_NEXT] = "INSERT INTO serial(agency, day, last) VALUES (:agency, :day, 1) "
			  "ON CONFLICT(agency, day) DO UPDATE SET last = last + 1 RETURNING last",
	[Q_DOS_INSERT] = "INSERT INTO dossier(code, agency, origin, procedure, channel, status, "
			 "status_code, name, id_number, phone, email, address, summary, components, "
			 "time_amount, time_unit, time_guessed, submitted_at, received_at, due_at, due_legal, "
			 "assignee, resume_status, paused_at, supplements, supplements_processing, "
			 "apology_at, finished_at, timeliness, returned_at, collected_by, note, fold, "
			 "updated_at, last_seq) VALUES (:code, :agency, :origin, :procedure, :channel, "
			 ":status, :status_code, :name, :id_number, :phone, :email, :address, :summary, "
			 ":components, :time_amount, :time_unit, :time_guessed, :submitted_at, :received_at, :due_at, "
			 ":due_legal, :assignee, :resume_status, :paused_at, :supplements, "
			 ":supplements_processing, :apology_at, :finished_at, :timeliness, "
			 ":returned_at, :collected_by, :note, :fold, :updated_at, :last_seq)",
	[Q_DOS_UPDATE] = "UPDATE dossier SET agency = :agency, status = :status, "
			 "status_code = :status_code, received_at = :received_at, due_at = :due_at, "
			 "due_legal = :due_legal, assignee = :assignee, resume_status = :resume_status, "
			 "paused_at = :paused_at, supplements = :supplements, "
			 "supplements_processing = :supplements_processing, apology_at = :apology_at, "
			 "finished_at = :finished_at, timeliness = :timeliness, "
			 "returned_at = :returned_at, collected_by = :collected_by, note = :note, "
			 "updated_at = :updated_at, last_seq = :last_seq WHERE code = :code",
	[Q_DOS_GET] = "SELECT " DOS_COLS " FROM dossier WHERE code = :code",
	[Q_DOS_COUNT] = "SELECT count(*) FROM dossier",
	[Q_DOS_MAXSEQ] = "SELECT coalesce(max(last_seq), 0) FROM dossier",
	[Q_DOS_COUNTS] = "SELECT total(status = 'submitted'), total(status = 'received'), "
			 "total(status = 'processing'), total(status = 'awaiting_approval'), "
			 "total(status = 'supplement'), total(status = 'awaiting_payment'), "
			 "total(status = 'result_ready'), "
			 "total(status IN ('received','processing','awaiting_approval','awaiting_payment') "
			 "AND due_at > 0 AND due_at < :now), "
			 "total(status IN ('received','processing','awaiting_approval','awaiting_payment') "
			 "AND due_at >= :now AND due_at < :near), "
			 "total(received_at >= :day0 AND received_at < :day1), "
			 "total(returned_at >= :day0 AND returned_at < :day1), "
			 "total(assignee = :login AND status IN ('processing','awaiting_payment')) "
			 "FROM dossier WHERE agency = :agency",
	[Q_EV_LAST] = "SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1",
	[Q_EV_INSERT] = "INSERT INTO event(seq, at, actor, kind, dossier, payload, prev_hash, hash) "
			"VALUES (:seq, :at, :actor, :kind, :dossier, :payload, :prev, :hash)",
	[Q_EV_LIST] = "SELECT seq, at, actor, kind, dossier, payload, prev_hash, hash FROM event "
		      "WHERE seq > :after ORDER BY seq LIMIT :limit",
	[Q_EV_DOSSIER] = "SELECT seq, at, actor, kind, dossier, payload, prev_hash, hash FROM event "
			 "WHERE dossier = :code ORDER BY seq",
	[Q_EV_ALL] = "SELECT seq, at, actor, kind, dossier, payload, prev_hash, hash FROM event "
		     "ORDER BY seq",
	[Q_EV_COUNT] = "SELECT count(*) FROM event",
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
	[Q_TOK_LIST] = "SELECT id, login, created_at, revoked_at FROM api_token ORDER BY created_at",
	[Q_RATING_INSERT] = "INSERT INTO rating(dossier, agency, level, comment, channel, at) "
			    "VALUES (:dossier, :agency, :level, :comment, :channel, :at)",
	[Q_RATING_GET] = "SELECT level, comment, at FROM rating WHERE dossier = :dossier",
	[Q_REQKEY_GET] = "SELECT request, dossier FROM request_key WHERE login = :login AND key = :key",
	[Q_REQKEY_PUT] = "INSERT INTO request_key(login, key, request, dossier, created_at) "
			 "VALUES (:login, :key, :request, :dossier, :now)",
	[Q_REQKEY_PURGE] = "DELETE FROM request_key WHERE created_at < :before",
};

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

int st_step(sqlite3_stmt *q)
{
	if (!fault_env_read)
		fault_from_env();
	if (fault_countdown > 0 && --fault_countdown == 0) {
		fault_fired = 1;
		return fault_kind == ST_FAULT_BUSY ? SQLITE_BUSY : SQLITE_IOERR;
	}
	return sqlite3_step(q);
}

/* ---- helpers ---- */

int st_fail(st *s, int rc, const char *what, mc_err *e)
{
	int prim = rc & 0xff;
	const char *msg = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
	if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
		return mc_seterr(e, MC_EBUSY, "database is busy (%s): try again", what);
	if (prim == SQLITE_CONSTRAINT)
		return mc_seterr(e, MC_ECONFLICT, "%s: %s", what, msg);
	if (prim == SQLITE_CORRUPT || prim == SQLITE_NOTADB)
		return mc_seterr(e, MC_ECORRUPT, "%s: database is corrupt (%s)", what, msg);
	if (prim == SQLITE_IOERR)
		return mc_seterr(e, MC_EIO, "%s: disk i/o error", what);
	return mc_seterr(e, MC_EIO, "%s: %s", what, msg);
}

int st_q(st *s, int id, sqlite3_stmt **out, mc_err *e)
{
	if (!s->q[id]) {
		int rc = sqlite3_prepare_v3(s->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT,
					    &s->q[id], NULL);
		if (rc != SQLITE_OK)
			return st_fail(s, rc, "prepare", e);
	}
	sqlite3_reset(s->q[id]);
	sqlite3_clear_bindings(s->q[id]);
	*out = s->q[id];
	return MC_OK;
}

static int bind_double(sqlite3_stmt *q, const char *name, double v);

int st_bind_text(sqlite3_stmt *q, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(q, name);
	if (i == 0)
		return SQLITE_RANGE;
	if (!v)
		return sqlite3_bind_null(q, i);
	return sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
}

int st_bind_int(sqlite3_stmt *q, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(q, name);
	if (i == 0)
		return SQLITE_RANGE;
	return sqlite3_bind_int64(q, i, v);
}

static int bind_double(sqlite3_stmt *q, const char *name, double v)
{
	int i = sqlite3_bind_parameter_index(q, name);
	if (i == 0)
		return SQLITE_RANGE;
	return sqlite3_bind_double(q, i, v);
}

const char *st_col_text(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return t ? (const char *)t : "";
}

int st_exec_q(st *s, sqlite3_stmt *q, const char *what, mc_err *e)
{
	int rc = st_step(q);
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE; /* RETURNING-less statements should not get here */
	int out = rc == SQLITE_DONE ? MC_OK : st_fail(s, rc, what, e);
	sqlite3_reset(q);
	return out;
}

static int exec_sql(st *s, const char *text, const char *what, mc_err *e)
{
	char *err = NULL;
	int rc = sqlite3_exec(s->db, text, NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		mc_seterr(e, MC_EIO, "%s: %s", what, err ? err : sqlite3_errstr(rc));
		sqlite3_free(err);
		if ((rc & 0xff) == SQLITE_BUSY)
			e->code = MC_EBUSY;
		return e ? e->code : MC_EIO;
	}
	return MC_OK;
}

/* ---- open, migrate, close ---- */

/* Numbered migrations, embedded from src/store/migrations: file i takes
 * user_version i-1 to i. Append only; never edit a shipped one. */
static const char *const migrations[] = {
	NULL,
	"0001-schema.sql",
	"0002-sessions.sql",
	"0003-request-keys.sql",
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
		return mc_seterr(e, MC_EINVAL,
				 "database schema version %d is newer than this motcua (%d)", v,
				 ST_SCHEMA_VERSION);
	if (v == ST_SCHEMA_VERSION)
		return MC_OK;
	/* All steps in one transaction: a failed upgrade leaves the old schema. */
	int rc = exec_sql(s, "BEGIN IMMEDIATE", "migrate", e);
	/* Another process may have migrated while we waited for the lock. */
	if (!rc)
		v = st_schema_version(s);
	for (int i = v + 1; !rc && i <= ST_SCHEMA_VERSION; i++) {
		const char *text = embedded_sql(migrations[i]);
		rc = text ? exec_sql(s, text, migrations[i], e)
			  : mc_seterr(e, MC_EIO, "migration %s is not embedded", migrations[i]);
	}
	if (!rc) {
		char pragma[96];
		snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d; PRAGMA user_version = %d",
			 ST_APP_ID, ST_SCHEMA_VERSION);
		rc = exec_sql(s, pragma, "set schema version", e);
	}
	if (!rc)
		rc = exec_sql(s, "COMMIT", "migrate", e);
	if (rc)
		(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

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
		return mc_seterr(e, MC_EEXIST, "database '%s' already exists", path);
	if (!create && !exists)
		return mc_seterr(e, MC_ENOTFOUND, "no database at '%s' (run motcua init)", path);

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
	rc = exec_sql(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
			 "PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF; PRAGMA wal_autocheckpoint = 4000",
		      "configure database", e);
	if (!rc) {
		int v = st_schema_version(s);
		if (!create && v == 0)
			rc = mc_seterr(e, MC_EINVAL, "'%s' is not a motcua database", path);
	}
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
	int rc = exec_sql(s, "BEGIN IMMEDIATE", "begin transaction", e);
	if (rc) {
		pthread_mutex_unlock(&write_mu);
		return rc;
	}
	s->in_tx = 1;
	return MC_OK;
}

int st_commit(st *s, mc_err *e)
{
	/* The commit is a step like any other: it can be made to fail too. */
	if (fault_countdown > 0 && --fault_countdown == 0) {
		fault_fired = 1;
		st_rollback(s);
		return fault_kind == ST_FAULT_BUSY
			       ? mc_seterr(e, MC_EBUSY, "database is busy (commit): try again")
			       : mc_seterr(e, MC_EIO, "commit: disk i/o error");
	}
	int rc = exec_sql(s, "COMMIT", "commit", e);
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
	return exec_sql(s, "BEGIN", "begin read", e);
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
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return st_fail(s, rc, "integrity check", e);
	rc = st_step(q);
	int out = MC_OK;
	if (rc != SQLITE_ROW)
		out = st_fail(s, rc, "integrity check", e);
	else if (strcmp(st_col_text(q, 0), "ok") != 0)
		out = mc_seterr(e, MC_ECORRUPT, "integrity check: %s", st_col_text(q, 0));
	sqlite3_finalize(q);
	return out;
}

/* ---- settings ---- */

int st_setting_get(st *s, const char *key, char **value, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_SETTING_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":key", key);
	rc = st_step(q);
	if (rc == SQLITE_ROW) {
		*value = mc_xstrdup(st_col_text(q, 0));
		rc = MC_OK;
	} else if (rc == SQLITE_DONE) {
		rc = mc_seterr(e, MC_ENOTFOUND, "setting '%s' is not set", key);
	} else {
		rc = st_fail(s, rc, "read setting", e);
	}
	sqlite3_reset(q);
	return rc;
}

int st_setting_set(st *s, const char *key, const char *value, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_SETTING_SET, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":key", key);
	st_bind_text(q, ":value", value);
	return st_exec_q(s, q, "write setting", e);
}

/* ---- agencies ---- */

int st_agency_put(st *s, const char *code, const char *name, const char *kind,
		  const char *parent, int is_self, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_AGENCY_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":code", code);
	st_bind_text(q, ":name", name);
	st_bind_text(q, ":kind", kind);
	st_bind_text(q, ":parent", parent);
	st_bind_int(q, ":self", is_self);
	return st_exec_q(s, q, "write agency", e);
}

int st_agency_get(st *s, const char *code, char *name, size_t size, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_AGENCY_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":code", code);
	rc = st_step(q);
	if (rc == SQLITE_ROW) {
		if (name)
			snprintf(name, size, "%s", st_col_text(q, 0));
		rc = MC_OK;
	} else if (rc == SQLITE_DONE) {
		rc = mc_seterr(e, MC_ENOTFOUND, "unknown agency '%s'", code);
	} else {
		rc = st_fail(s, rc, "read agency", e);
	}
	sqlite3_reset(q);
	return rc;
}

int st_agency_list(st *s, st_agency_cb cb, void *ctx, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_AGENCY_LIST, &q, e);
	if (rc)
		return rc;
	while ((rc = st_step(q)) == SQLITE_ROW)
		if (cb(ctx, st_col_text(q, 0), st_col_text(q, 1), st_col_text(q, 2),
		       sqlite3_column_int(q, 3)))
			break;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? MC_OK : st_fail(s, rc, "list agencies", e);
	sqlite3_reset(q);
	return rc;
}

/* ---- users ---- */

static void bind_user(sqlite3_stmt *q, const st_user *u)
{
	st_bind_text(q, ":login", u->login);
	st_bind_text(q, ":agency", u->agency);
	st_bind_text(q, ":name", u->name);
	st_bind_text(q, ":role", dsr_role_name(u->role));
	st_bind_text(q, ":pw", u->pw_hash);
	st_bind_int(q, ":disabled", u->disabled);
	st_bind_int(q, ":created", u->created_at);
}

static void read_user(sqlite3_stmt *q, st_user *u)
{
	memset(u, 0, sizeof *u);
	snprintf(u->login, sizeof u->login, "%s", st_col_text(q, 0));
	snprintf(u->agency, sizeof u->agency, "%s", st_col_text(q, 1));
	snprintf(u->name, sizeof u->name, "%s", st_col_text(q, 2));
	u->role = dsr_role_parse(st_col_text(q, 3));
	snprintf(u->pw_hash, sizeof u->pw_hash, "%s", st_col_text(q, 4));
	u->disabled = sqlite3_column_int(q, 5);
	u->created_at = sqlite3_column_int64(q, 6);
}

int st_user_insert(st *s, const st_user *u, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_USER_INSERT, &q, e);
	if (rc)
		return rc;
	bind_user(q, u);
	rc = st_exec_q(s, q, "add user", e);
	if (rc == MC_ECONFLICT)
		return mc_seterr(e, MC_ECONFLICT, "user '%s' already exists", u->login);
	return rc;
}

int st_user_update(st *s, const st_user *u, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_USER_UPDATE, &q, e);
	if (rc)
		return rc;
	bind_user(q, u);
	sqlite3_bind_null(q, sqlite3_bind_parameter_index(q, ":agency"));
	return st_exec_q(s, q, "update user", e);
}

int st_user_get(st *s, const char *login, st_user *u, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_USER_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":login", login);
	rc = st_step(q);
	if (rc == SQLITE_ROW) {
		read_user(q, u);
		rc = MC_OK;
	} else if (rc == SQLITE_DONE) {
		rc = mc_seterr(e, MC_ENOTFOUND, "unknown user '%s'", login);
	} else {
		rc = st_fail(s, rc, "read user", e);
	}
	sqlite3_reset(q);
	return rc;
}

int st_user_list(st *s, st_user_cb cb, void *ctx, mc_err *e)
{
	sqlite3_stmt *q;
	st_user u;
	int rc = st_q(s, Q_USER_LIST, &q, e);
	if (rc)
		return rc;
	while ((rc = st_step(q)) == SQLITE_ROW) {
		read_user(q, &u);
		if (cb(ctx, &u))
			break;
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? MC_OK : st_fail(s, rc, "list users", e);
	sqlite3_reset(q);
	return rc;
}

/* ---- procedures ---- */

int st_procedure_put(st *s, const st_procedure *p, int *created, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_PROC_EXISTS, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":code", p->code);
	rc = st_step(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = st_fail(s, rc, "read procedure", e);
		sqlite3_reset(q);
		return rc;
	}
	if (created)
		*created = rc == SQLITE_DONE;
	sqlite3_reset(q);
	rc = st_q(s, Q_PROC_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":code", p->code);
	st_bind_text(q, ":name", p->name);
	st_bind_text(q, ":field", p->field ? p->field : "");
	st_bind_text(q, ":level", p->level ? p->level : "");
	st_bind_text(q, ":fold", p->fold);
	st_bind_int(q, ":complete", p->complete);
	st_bind_text(q, ":version", p->version);
	st_bind_text(q, ":source", p->source);
	st_bind_text(q, ":body", p->body);
	st_bind_int(q, ":guessed", (p->guessed[0] ? 1 : 0) | (p->guessed[1] ? 2 : 0) |
					   (p->guessed[2] ? 4 : 0));
	for (int ch = 0; ch < 3; ch++) {
		char tn[4] = { ':', 't', (char)('0' + ch), 0 }, un[4] = { ':', 'u', (char)('0' + ch), 0 };
		if (p->unit[ch] >= 0) {
			bind_double(q, tn, p->t[ch]);
			st_bind_text(q, un, dl_unit_name(p->unit[ch]));
		}
	}
	return st_exec_q(s, q, "write procedure", e);
}

int st_channel_parse(const char *name)
{
	static const char *const names[] = { "direct", "online", "postal" };
	for (int i = 0; name && i < 3; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

int st_procedure_time(st *s, const char *code, int ch, double *amount, int *unit, int *guessed,
		      char *name, size_t size, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_PROC_TIME, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":code", code);
	rc = st_step(q);
	if (rc == SQLITE_ROW) {
		if (name)
			snprintf(name, size, "%s", st_col_text(q, 0));
		/* The channel's own time, else the direct one (the catalog often
		 * lists only the desk), else any. */
		int order[4] = { ch, ST_CH_DIRECT, ST_CH_ONLINE, ST_CH_POSTAL };
		rc = mc_seterr(e, MC_EINVAL, "procedure '%s' has no processing time on file", code);
		for (int i = 0; i < 4; i++) {
			int c = order[i];
			if (c < 0 || sqlite3_column_type(q, 1 + 2 * c) == SQLITE_NULL)
				continue;
			*amount = sqlite3_column_double(q, 1 + 2 * c);
			*unit = dl_unit_parse(st_col_text(q, 2 + 2 * c));
			if (guessed)
				*guessed = (sqlite3_column_int(q, 7) >> c) & 1;
			rc = *unit >= 0 ? MC_OK : rc;
			break;
		}
	} else if (rc == SQLITE_DONE) {
		rc = mc_seterr(e, MC_ENOTFOUND, "unknown procedure '%s'", code);
	} else {
		rc = st_fail(s, rc, "read procedure", e);
	}
	sqlite3_reset(q);
	return rc;
}

int st_procedure_get(st *s, const char *code, char **body, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_PROC_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":code", code);
	rc = st_step(q);
	if (rc == SQLITE_ROW) {
		*body = mc_xstrdup(st_col_text(q, 0));
		rc = MC_OK;
	} else if (rc == SQLITE_DONE) {
		rc = mc_seterr(e, MC_ENOTFOUND, "unknown procedure '%s'", code);
	} else {
		rc = st_fail(s, rc, "read procedure", e);
	}
	sqlite3_reset(q);
	return rc;
}

int st_procedure_list(st *s, const char *field, const char *fold_q, st_procedure_cb cb,
		      void *ctx, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_PROC_LIST, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":field", field && *field ? field : NULL);
	st_bind_text(q, ":q", fold_q && *fold_q ? fold_q : NULL);
	while ((rc = st_step(q)) == SQLITE_ROW) {
		st_procedure p = {
			.code = st_col_text(q, 0), .name = st_col_text(q, 1),
			.field = st_col_text(q, 2), .level = st_col_text(q, 3),
			.fold = st_col_text(q, 4), .complete = sqlite3_column_int(q, 5),
			.version = st_col_text(q, 6), .source = st_col_text(q, 7),
			.body = st_col_text(q, 8),
		};
		if (cb(ctx, &p))
			break;
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? MC_OK : st_fail(s, rc, "list procedures", e);
	sqlite3_reset(q);
	return rc;
}

static int count_q(st *s, int id, int64_t *n, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, id, &q, e);
	if (rc)
		return rc;
	rc = st_step(q);
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int64(q, 0);
		rc = MC_OK;
	} else {
		rc = st_fail(s, rc, "count", e);
	}
	sqlite3_reset(q);
	return rc;
}

int st_procedure_count(st *s, int64_t *n, mc_err *e)
{
	return count_q(s, Q_PROC_COUNT, n, e);
}

int st_dossier_count(st *s, int64_t *n, mc_err *e)
{
	return count_q(s, Q_DOS_COUNT, n, e);
}

int st_dossier_max_seq(st *s, int64_t *n, mc_err *e)
{
	return count_q(s, Q_DOS_MAXSEQ, n, e);
}

int st_ev_count_q(st *s, int64_t *n, mc_err *e);
int st_ev_count_q(st *s, int64_t *n, mc_err *e)
{
	return count_q(s, Q_EV_COUNT, n, e);
}

/* ---- days-off schedules ---- */

int st_holiday_replace(st *s, const cal_sched *sched, const int *years, int n_years,
		       const char *version, const char *source, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = MC_OK;
	for (int i = 0; !rc && i < n_years; i++) {
		rc = st_q(s, Q_HOL_DEL, &q, e);
		if (!rc) {
			st_bind_int(q, ":year", years[i]);
			rc = st_exec_q(s, q, "replace schedule", e);
		}
		if (!rc)
			rc = st_q(s, Q_HOLYEAR_PUT, &q, e);
		if (!rc) {
			st_bind_int(q, ":year", years[i]);
			st_bind_text(q, ":version", version);
			st_bind_text(q, ":source", source);
			rc = st_exec_q(s, q, "replace schedule", e);
		}
	}
	for (size_t k = 0; !rc && k < sched->n; k++) {
		const cal_entry *en = &sched->e[k];
		int y, m, d, wanted = 0;
		cal_civil_from_days(en->day, &y, &m, &d);
		for (int i = 0; i < n_years; i++)
			wanted |= years[i] == y;
		if (!wanted)
			continue;
		char day[11];
		cal_format_date(en->day, day);
		rc = st_q(s, Q_HOL_INS, &q, e);
		if (rc)
			break;
		st_bind_text(q, ":day", day);
		st_bind_int(q, ":year", y);
		st_bind_text(q, ":kind", cal_kind_name(en->kind));
		st_bind_text(q, ":occasion", en->occasion);
		st_bind_text(q, ":source", en->source);
		st_bind_text(q, ":version", version);
		rc = st_exec_q(s, q, "write schedule", e);
	}
	return rc;
}

int st_holiday_load(st *s, cal_sched *sched, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_HOLYEAR_ALL, &q, e);
	if (rc)
		return rc;
	while ((rc = st_step(q)) == SQLITE_ROW)
		cal_sched_clear_year(sched, sqlite3_column_int(q, 0));
	rc = rc == SQLITE_DONE ? MC_OK : st_fail(s, rc, "read schedules", e);
	sqlite3_reset(q);
	if (rc)
		return rc;
	rc = st_q(s, Q_HOL_ALL, &q, e);
	if (rc)
		return rc;
	while ((rc = st_step(q)) == SQLITE_ROW) {
		int32_t day;
		int kind = cal_kind_parse(st_col_text(q, 1));
		rc = cal_parse_date(st_col_text(q, 0), &day, e);
		if (!rc && kind < 0)
			rc = mc_seterr(e, MC_ECORRUPT, "stored day kind '%s' is unknown",
				       st_col_text(q, 1));
		if (!rc)
			rc = cal_sched_add(sched, day, kind,
					   sqlite3_column_type(q, 2) == SQLITE_NULL ? NULL
										    : st_col_text(q, 2),
					   sqlite3_column_type(q, 3) == SQLITE_NULL ? NULL
										    : st_col_text(q, 3),
					   e);
		if (rc) {
			sqlite3_reset(q);
			return rc;
		}
	}
	rc = rc == SQLITE_DONE ? MC_OK : st_fail(s, rc, "read schedules", e);
	sqlite3_reset(q);
	return rc;
}

/* ---- dossiers ---- */

void st_dossier_release(st_dossier *d)
{
	free(d->name);
	free(d->id_number);
	free(d->phone);
	free(d->email);
	free(d->address);
	free(d->summary);
	free(d->components);
	free(d->note);
	free(d->collected_by);
	d->name = d->id_number = d->phone = d->email = d->address = NULL;
	d->summary = d->components = d->note = d->collected_by = NULL;
}

int st_serial_next(st *s, const char *agency, const char *yymmdd, int64_t *serial, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_SERIAL_NEXT, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":agency", agency);
	st_bind_text(q, ":day", yymmdd);
	rc = st_step(q);
	if (rc == SQLITE_ROW) {
		*serial = sqlite3_column_int64(q, 0);
		int r2 = st_step(q);
		rc = r2 == SQLITE_DONE ? MC_OK : st_fail(s, r2, "allocate serial", e);
	} else {
		rc = st_fail(s, rc, "allocate serial", e);
	}
	sqlite3_reset(q);
	return rc;
}

static void bind_state(sqlite3_stmt *q, const st_dossier *d)
{
	const dsr_rec *r = &d->r;
	st_bind_text(q, ":code", d->code);
	st_bind_text(q, ":agency", r->agency);
	st_bind_text(q, ":status", dsr_state_name(r->state));
	st_bind_int(q, ":status_code", dsr_state_code(r->state));
	st_bind_int(q, ":received_at", r->received_at);
	st_bind_int(q, ":due_at", r->due_at);
	st_bind_int(q, ":due_legal", r->due_legal);
	st_bind_text(q, ":assignee", r->assignee);
	st_bind_text(q, ":resume_status",
		     r->resume_state >= 0 ? dsr_state_name(r->resume_state) : "");
	st_bind_int(q, ":paused_at", r->paused_at);
	st_bind_int(q, ":supplements", r->supplements);
	st_bind_int(q, ":supplements_processing", r->supplements_processing);
	st_bind_int(q, ":apology_at", r->apology_at);
	st_bind_int(q, ":finished_at", r->finished_at);
	st_bind_text(q, ":timeliness", dl_timeliness_name(r->timeliness));
	st_bind_int(q, ":returned_at", r->returned_at);
	st_bind_text(q, ":collected_by", d->collected_by ? d->collected_by : "");
	st_bind_text(q, ":note", d->note ? d->note : "");
	st_bind_int(q, ":updated_at", d->updated_at);
	st_bind_int(q, ":last_seq", d->last_seq);
}

int st_dossier_insert(st *s, const st_dossier *d, const char *fold, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_DOS_INSERT, &q, e);
	if (rc)
		return rc;
	bind_state(q, d);
	st_bind_text(q, ":origin", d->origin);
	st_bind_text(q, ":procedure", d->procedure);
	st_bind_text(q, ":channel", d->channel);
	st_bind_text(q, ":name", d->name);
	st_bind_text(q, ":id_number", d->id_number);
	st_bind_text(q, ":phone", d->phone);
	st_bind_text(q, ":email", d->email ? d->email : "");
	st_bind_text(q, ":address", d->address ? d->address : "");
	st_bind_text(q, ":summary", d->summary ? d->summary : "");
	st_bind_text(q, ":components", d->components ? d->components : "[]");
	bind_double(q, ":time_amount", d->r.time_amount);
	st_bind_text(q, ":time_unit", dl_unit_name(d->r.time_unit));
	st_bind_int(q, ":time_guessed", d->time_guessed);
	st_bind_int(q, ":submitted_at", d->submitted_at);
	st_bind_text(q, ":fold", fold);
	rc = st_exec_q(s, q, "insert dossier", e);
	if (rc == MC_ECONFLICT)
		return mc_seterr(e, MC_ECONFLICT, "dossier '%s' already exists", d->code);
	return rc;
}

int st_dossier_update(st *s, const st_dossier *d, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_DOS_UPDATE, &q, e);
	if (rc)
		return rc;
	bind_state(q, d);
	rc = st_exec_q(s, q, "update dossier", e);
	if (!rc && sqlite3_changes(s->db) != 1)
		rc = mc_seterr(e, MC_ENOTFOUND, "unknown dossier '%s'", d->code);
	return rc;
}

static void read_dossier(sqlite3_stmt *q, st_dossier *d)
{
	dsr_rec *r = &d->r;
	memset(d, 0, sizeof *d);
	snprintf(d->code, sizeof d->code, "%s", st_col_text(q, 0));
	snprintf(r->agency, sizeof r->agency, "%s", st_col_text(q, 1));
	snprintf(d->origin, sizeof d->origin, "%s", st_col_text(q, 2));
	snprintf(d->procedure, sizeof d->procedure, "%s", st_col_text(q, 3));
	snprintf(d->channel, sizeof d->channel, "%s", st_col_text(q, 4));
	r->state = dsr_state_parse(st_col_text(q, 5));
	d->name = mc_xstrdup(st_col_text(q, 6));
	d->id_number = mc_xstrdup(st_col_text(q, 7));
	d->phone = mc_xstrdup(st_col_text(q, 8));
	d->email = mc_xstrdup(st_col_text(q, 9));
	d->address = mc_xstrdup(st_col_text(q, 10));
	d->summary = mc_xstrdup(st_col_text(q, 11));
	d->components = mc_xstrdup(st_col_text(q, 12));
	r->time_amount = sqlite3_column_double(q, 13);
	r->time_unit = dl_unit_parse(st_col_text(q, 14));
	d->submitted_at = sqlite3_column_int64(q, 15);
	r->received_at = sqlite3_column_int64(q, 16);
	r->due_at = sqlite3_column_int64(q, 17);
	r->due_legal = sqlite3_column_int64(q, 18);
	snprintf(r->assignee, sizeof r->assignee, "%s", st_col_text(q, 19));
	r->resume_state = dsr_state_parse(st_col_text(q, 20));
	r->paused_at = sqlite3_column_int64(q, 21);
	r->supplements = sqlite3_column_int(q, 22);
	r->supplements_processing = sqlite3_column_int(q, 23);
	r->apology_at = sqlite3_column_int64(q, 24);
	r->finished_at = sqlite3_column_int64(q, 25);
	const char *t = st_col_text(q, 26);
	r->timeliness = strcmp(t, "early") == 0 ? DL_EARLY
			: strcmp(t, "on_time") == 0 ? DL_ON_TIME
			: strcmp(t, "late") == 0    ? DL_LATE
						    : 0;
	r->returned_at = sqlite3_column_int64(q, 27);
	d->collected_by = mc_xstrdup(st_col_text(q, 28));
	d->note = mc_xstrdup(st_col_text(q, 29));
	d->updated_at = sqlite3_column_int64(q, 30);
	d->last_seq = sqlite3_column_int64(q, 31);
	d->time_guessed = sqlite3_column_int(q, 32);
}

int st_dossier_get(st *s, const char *code, st_dossier *d, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_DOS_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":code", code);
	rc = st_step(q);
	if (rc == SQLITE_ROW) {
		read_dossier(q, d);
		rc = MC_OK;
	} else if (rc == SQLITE_DONE) {
		rc = mc_seterr(e, MC_ENOTFOUND, "unknown dossier '%s'", code);
	} else {
		rc = st_fail(s, rc, "read dossier", e);
	}
	sqlite3_reset(q);
	return rc;
}

/* The list queries: every filter is a named parameter that is NULL when
 * unused, so each statement keeps one simple plan. Two orders: newest
 * reception first (the default), or soonest due first (dossiers with a due
 * time only); each pages with its own keyset cursor. */
#define DOSSIER_LIST_WHERE \
	"SELECT " DOS_COLS " FROM dossier WHERE " \
	"(:status IS NULL OR status = :status) " \
	"AND (:open = 0 OR status IN " OPEN_SQL ") " \
	"AND (:overdue = 0 OR (status IN ('received','processing','awaiting_approval'," \
	"'awaiting_payment') AND due_at > 0 AND due_at < :now)) " \
	"AND (:q IS NULL OR instr(fold, :q) > 0) " \
	"AND (:assignee IS NULL OR assignee = :assignee) " \
	"AND (:channel IS NULL OR channel = :channel) " \
	"AND (:procedure IS NULL OR procedure = :procedure) " \
	"AND (:field IS NULL OR procedure IN (SELECT code FROM procedure WHERE field = :field)) " \
	"AND (:agency IS NULL OR agency = :agency) " \
	"AND (:from IS NULL OR received_at >= :from) " \
	"AND (:to IS NULL OR (received_at > 0 AND received_at < :to)) " \
	"AND (:due_before IS NULL OR (due_at > 0 AND due_at < :due_before)) "

static const char dossier_list_sql[] = DOSSIER_LIST_WHERE
	"AND (:after_code IS NULL OR (submitted_at, code) < (:after_t, :after_code)) "
	"ORDER BY submitted_at DESC, code DESC LIMIT :limit";

static const char dossier_list_due_sql[] = DOSSIER_LIST_WHERE
	"AND due_at > 0 "
	"AND (:after_code IS NULL OR (due_at, code) > (:after_t, :after_code)) "
	"ORDER BY due_at, code LIMIT :limit";

int st_dossier_list(st *s, const st_dossier_filter *f, st_dossier_cb cb, void *ctx, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(s->db, f->by_due ? dossier_list_due_sql : dossier_list_sql, -1,
				    &q, NULL);
	if (rc != SQLITE_OK)
		return st_fail(s, rc, "list dossiers", e);
	if (f->state >= 0)
		st_bind_text(q, ":status", dsr_state_name(f->state));
	st_bind_int(q, ":open", f->open_only);
	st_bind_int(q, ":overdue", f->overdue);
	st_bind_int(q, ":now", f->now);
	st_bind_text(q, ":q", f->fold_q && *f->fold_q ? f->fold_q : NULL);
	st_bind_text(q, ":assignee", f->assignee);
	st_bind_text(q, ":channel", f->channel);
	st_bind_text(q, ":procedure", f->procedure);
	st_bind_text(q, ":field", f->field);
	st_bind_text(q, ":agency", f->agency);
	if (f->received_from)
		st_bind_int(q, ":from", f->received_from);
	if (f->received_to)
		st_bind_int(q, ":to", f->received_to);
	if (f->due_before)
		st_bind_int(q, ":due_before", f->due_before);
	if (f->after_code) {
		st_bind_text(q, ":after_code", f->after_code);
		st_bind_int(q, ":after_t", f->after_t);
	}
	st_bind_int(q, ":limit", f->limit > 0 ? f->limit : -1);
	st_dossier d;
	while ((rc = st_step(q)) == SQLITE_ROW) {
		read_dossier(q, &d);
		int stop = cb(ctx, &d);
		st_dossier_release(&d);
		if (stop)
			break;
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? MC_OK : st_fail(s, rc, "list dossiers", e);
	sqlite3_finalize(q);
	return rc;
}

int st_bench_raw_commits(st *s, int n, mc_err *e)
{
	int rc = exec_sql(s, "CREATE TABLE IF NOT EXISTS bench_raw(id INTEGER PRIMARY KEY, v TEXT)",
			  "bench", e);
	sqlite3_stmt *q = NULL;
	if (!rc && sqlite3_prepare_v2(s->db, "INSERT INTO bench_raw(v) VALUES (?1)", -1, &q, NULL))
		rc = st_fail(s, SQLITE_ERROR, "bench", e);
	for (int i = 0; !rc && i < n; i++) {
		rc = exec_sql(s, "BEGIN IMMEDIATE", "bench", e);
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, "a row of about the size of a small dossier record", -1,
				  SQLITE_STATIC);
		if (!rc && sqlite3_step(q) != SQLITE_DONE)
			rc = st_fail(s, SQLITE_ERROR, "bench", e);
		if (!rc)
			rc = exec_sql(s, "COMMIT", "bench", e);
	}
	sqlite3_finalize(q);
	if (rc)
		st_rollback(s);
	int rc2 = exec_sql(s, "DROP TABLE IF EXISTS bench_raw", "bench", e);
	return rc ? rc : rc2;
}

/* ---- sessions, API tokens, ratings ---- */

int st_session_insert(st *s, const char *hash, const char *login, mc_time now,
		      const char *address, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_SES_INSERT, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":hash", hash);
	st_bind_text(q, ":login", login);
	st_bind_int(q, ":now", now);
	st_bind_text(q, ":address", address ? address : "");
	return st_exec_q(s, q, "create session", e);
}

int st_session_get(st *s, const char *hash, char login[64], mc_time *seen_at, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_SES_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":hash", hash);
	rc = st_step(q);
	if (rc == SQLITE_ROW) {
		snprintf(login, 64, "%s", st_col_text(q, 0));
		*seen_at = sqlite3_column_int64(q, 2);
		rc = MC_OK;
	} else if (rc == SQLITE_DONE) {
		rc = mc_seterr(e, MC_ENOTFOUND, "no such session");
	} else {
		rc = st_fail(s, rc, "read session", e);
	}
	sqlite3_reset(q);
	return rc;
}

int st_session_touch(st *s, const char *hash, mc_time now, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_SES_TOUCH, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":hash", hash);
	st_bind_int(q, ":now", now);
	return st_exec_q(s, q, "touch session", e);
}

int st_session_delete(st *s, const char *hash, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_SES_DELETE, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":hash", hash);
	return st_exec_q(s, q, "delete session", e);
}

int st_session_delete_user(st *s, const char *login, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_SES_DELETE_USER, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":login", login);
	return st_exec_q(s, q, "delete sessions", e);
}

int st_session_purge(st *s, mc_time before, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_SES_PURGE, &q, e);
	if (rc)
		return rc;
	st_bind_int(q, ":before", before);
	return st_exec_q(s, q, "purge sessions", e);
}

int st_token_insert(st *s, const char *hash, const char *id, const char *login, mc_time now,
		    mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_TOK_INSERT, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":hash", hash);
	st_bind_text(q, ":id", id);
	st_bind_text(q, ":login", login);
	st_bind_int(q, ":now", now);
	return st_exec_q(s, q, "create token", e);
}

int st_token_get(st *s, const char *hash, char login[64], mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_TOK_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":hash", hash);
	rc = st_step(q);
	if (rc == SQLITE_ROW) {
		snprintf(login, 64, "%s", st_col_text(q, 0));
		rc = MC_OK;
	} else if (rc == SQLITE_DONE) {
		rc = mc_seterr(e, MC_ENOTFOUND, "no such token");
	} else {
		rc = st_fail(s, rc, "read token", e);
	}
	sqlite3_reset(q);
	return rc;
}

/* ---- idempotency keys ---- */

int st_reqkey_get(st *s, const char *login, const char *key, char request[160], char dossier[96],
		  mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_REQKEY_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":login", login);
	st_bind_text(q, ":key", key);
	rc = st_step(q);
	if (rc == SQLITE_ROW) {
		snprintf(request, 160, "%s", st_col_text(q, 0));
		snprintf(dossier, 96, "%s", st_col_text(q, 1));
		rc = MC_OK;
	} else if (rc == SQLITE_DONE) {
		rc = MC_ENOTFOUND; /* the usual case: no message needed */
	} else {
		rc = st_fail(s, rc, "read request key", e);
	}
	sqlite3_reset(q);
	return rc;
}

int st_reqkey_put(st *s, const char *login, const char *key, const char *request,
		  const char *dossier, mc_time now, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_REQKEY_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":login", login);
	st_bind_text(q, ":key", key);
	st_bind_text(q, ":request", request);
	st_bind_text(q, ":dossier", dossier);
	st_bind_int(q, ":now", now);
	return st_exec_q(s, q, "record request key", e);
}

int st_reqkey_purge(st *s, mc_time before, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_REQKEY_PURGE, &q, e);
	if (rc)
		return rc;
	st_bind_int(q, ":before", before);
	return st_exec_q(s, q, "purge request keys", e);
}

int st_token_revoke(st *s, const char *id, mc_time now, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_TOK_REVOKE, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":id", id);
	st_bind_int(q, ":now", now);
	rc = st_exec_q(s, q, "revoke token", e);
	if (!rc && sqlite3_changes(s->db) != 1)
		rc = mc_seterr(e, MC_ENOTFOUND, "no active token '%s'", id);
	return rc;
}

int st_rating_insert(st *s, const char *dossier, const char *agency, int level,
		     const char *comment, const char *channel, mc_time at, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_RATING_INSERT, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":dossier", dossier);
	st_bind_text(q, ":agency", agency);
	st_bind_int(q, ":level", level);
	st_bind_text(q, ":comment", comment ? comment : "");
	st_bind_text(q, ":channel", channel);
	st_bind_int(q, ":at", at);
	rc = st_exec_q(s, q, "save rating", e);
	if (rc == MC_ECONFLICT)
		return mc_seterr(e, MC_ECONFLICT, "this dossier has already been rated");
	return rc;
}

int st_rating_get(st *s, const char *dossier, int *level, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_RATING_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":dossier", dossier);
	rc = st_step(q);
	if (rc == SQLITE_ROW) {
		*level = sqlite3_column_int(q, 0);
		rc = MC_OK;
	} else if (rc == SQLITE_DONE) {
		rc = mc_seterr(e, MC_ENOTFOUND, "not rated");
	} else {
		rc = st_fail(s, rc, "read rating", e);
	}
	sqlite3_reset(q);
	return rc;
}

int st_dossier_counts(st *s, const char *agency, mc_time now, mc_time near, mc_time day0,
		      mc_time day1, const char *login, st_counts *out, mc_err *e)
{
	sqlite3_stmt *q;
	int rc = st_q(s, Q_DOS_COUNTS, &q, e);
	if (rc)
		return rc;
	st_bind_text(q, ":agency", agency);
	st_bind_int(q, ":now", now);
	st_bind_int(q, ":near", near);
	st_bind_int(q, ":day0", day0);
	st_bind_int(q, ":day1", day1);
	st_bind_text(q, ":login", login);
	rc = st_step(q);
	if (rc == SQLITE_ROW) {
		int64_t *f[] = { &out->submitted, &out->received, &out->processing,
				 &out->awaiting_approval, &out->supplement, &out->awaiting_payment,
				 &out->result_ready, &out->overdue, &out->near_due,
				 &out->received_today, &out->returned_today, &out->mine };
		for (int i = 0; i < (int)MC_ARRAY_LEN(f); i++)
			*f[i] = (int64_t)sqlite3_column_double(q, i);
		rc = MC_OK;
	} else {
		rc = st_fail(s, rc, "count dossiers", e);
	}
	sqlite3_reset(q);
	return rc;
}
