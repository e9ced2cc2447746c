/*
 * st.h - the store: one SQLite connection per st, the schema and its
 * migrations, and every query motcua makes. SQL text lives only in
 * src/store. Statements are prepared once per connection and kept.
 */
#ifndef ST_H
#define ST_H

#include "core/dsr.h"

typedef struct st st;

/*
 * Opens (create = 0) or creates (create = 1) the database at path:
 * WAL, synchronous=FULL (a commit is durable when it returns), foreign keys,
 * a 10 s busy timeout, and migrations up to the current schema version.
 * Creating refuses a file that exists (MC_EEXIST). OUT: *out, free with
 * st_close.
 */
MC_MUST_USE int st_open(const char *path, int create, st **out, mc_err *e);
void st_close(st *s);

/* BEGIN IMMEDIATE: takes the write lock now, so a transaction never fails
 * half-way on a lock upgrade. */
MC_MUST_USE int st_begin(st *s, mc_err *e);
MC_MUST_USE int st_commit(st *s, mc_err *e);
/* Rolls back if a transaction is open; never fails. */
void st_rollback(st *s);
/* Ends the transaction begun by st_begin: commits if rc is MC_OK, else
 * rolls back. Returns the final status (rc, or the commit's error). */
MC_MUST_USE int st_end(st *s, int rc, mc_err *e);
/* Inside a transaction: a point to roll back to (one part of the work
 * refused, the rest kept), then kept (release) or undone (undo). */
MC_MUST_USE int st_savepoint(st *s, mc_err *e);
MC_MUST_USE int st_savepoint_release(st *s, mc_err *e);
void st_savepoint_undo(st *s);
/* A read transaction: the statements between see one snapshot and take the
 * file lock once instead of once each. No writes inside. */
MC_MUST_USE int st_read_begin(st *s, mc_err *e);
void st_read_end(st *s);
/* Process-wide SQLite settings; call before the first st_open. */
void st_library_init(void);
/* PRAGMA integrity_check; MC_ECORRUPT with the first complaint. */
MC_MUST_USE int st_integrity(st *s, mc_err *e);
/* Schema version (PRAGMA user_version). */
int st_schema_version(st *s);

/*
 * Fault injection (SQLite test_malloc.c style): after st_fault_arm(n, kind)
 * the n-th statement step from now in this process fails with SQLITE_BUSY
 * (ST_FAULT_BUSY) or SQLITE_IOERR (ST_FAULT_IO); n = 0 disarms. Also armed
 * from the environment: MOTCUA_TEST_FAULT="N:busy" or "N:io".
 */
enum { ST_FAULT_BUSY = 1, ST_FAULT_IO = 2 };
void st_fault_arm(int nth, int kind);
int st_fault_fired(void);

/* ---- settings ---- */
/* OUT: *value (caller frees). MC_ENOTFOUND if unset. */
MC_MUST_USE int st_setting_get(st *s, const char *key, char **value, mc_err *e);
MC_MUST_USE int st_setting_set(st *s, const char *key, const char *value, mc_err *e);

/* ---- agencies ---- */
MC_MUST_USE int st_agency_put(st *s, const char *code, const char *name, const char *kind,
			      const char *parent, int is_self, mc_err *e);
/* OUT: name (may be NULL; size bytes). MC_ENOTFOUND if unknown. */
MC_MUST_USE int st_agency_get(st *s, const char *code, char *name, size_t size, mc_err *e);
typedef int (*st_agency_cb)(void *ctx, const char *code, const char *name, const char *kind,
			    int is_self);
MC_MUST_USE int st_agency_list(st *s, st_agency_cb cb, void *ctx, mc_err *e);

/* ---- users ---- */
typedef struct {
	char login[64];
	char agency[64];
	char name[256];
	int role; /* ROLE_* */
	char pw_hash[160];
	int disabled;
	mc_time created_at;
	char email[256]; /* "" if none (schema 15) */
	char unit[32];   /* "" if none (schema 16) */
} st_user;

MC_MUST_USE int st_user_insert(st *s, const st_user *u, mc_err *e);
/* Updates name, role, pw_hash, disabled, email, unit of u->login. */
MC_MUST_USE int st_user_update(st *s, const st_user *u, mc_err *e);
MC_MUST_USE int st_user_get(st *s, const char *login, st_user *u, mc_err *e);
typedef int (*st_user_cb)(void *ctx, const st_user *u);
MC_MUST_USE int st_user_list(st *s, st_user_cb cb, void *ctx, mc_err *e);

/* ---- procedures ---- */
typedef struct {
	const char *code, *name, *field, *level, *fold, *version, *source;
	int complete;
	const char *body; /* clean-format JSON text */
	/* processing time per channel (index ST_CH_*); unit -1 = none */
	double t[3];
	int unit[3];
	int guessed[3]; /* 1: the catalog named no unit; counted in working days */
} st_procedure;

enum { ST_CH_DIRECT = 0, ST_CH_ONLINE, ST_CH_POSTAL };
/* "direct" "online" "postal" -> ST_CH_*, -1 if unknown. */
int st_channel_parse(const char *name);

/* Processing time of procedure code on channel ch. OUT: *amount, *unit, and
 * name (size bytes) if not NULL. MC_ENOTFOUND if no such procedure; MC_EINVAL
 * if it has no processing time on file. */
MC_MUST_USE int st_procedure_time(st *s, const char *code, int ch, double *amount, int *unit,
				  int *guessed, char *name, size_t size, mc_err *e);

/* Inserts or replaces by code. OUT: *created (1 if new), may be NULL. */
MC_MUST_USE int st_procedure_put(st *s, const st_procedure *p, int *created, mc_err *e);
/* OUT: *body (caller frees). */
MC_MUST_USE int st_procedure_get(st *s, const char *code, char **body, mc_err *e);
typedef int (*st_procedure_cb)(void *ctx, const st_procedure *p);
/* Lists procedures ordered by field then code; field and fold_q (a folded
 * substring) filter when not NULL/empty. */
MC_MUST_USE int st_procedure_list(st *s, const char *field, const char *fold_q,
				  st_procedure_cb cb, void *ctx, mc_err *e);
MC_MUST_USE int st_procedure_count(st *s, int64_t *n, mc_err *e);

/* ---- days-off schedules ---- */
/* Replaces the rows of each year in years[] with sched's entries of that
 * year and records the years as scheduled with version and source. */
MC_MUST_USE int st_holiday_replace(st *s, const cal_sched *sched, const int *years, int n_years,
				   const char *version, const char *source, mc_err *e);
/* Adds every stored schedule to sched (before cal_sched_finish). */
MC_MUST_USE int st_holiday_load(st *s, cal_sched *sched, mc_err *e);

/* ---- dossiers ---- */
typedef struct {
	char code[96];
	char origin[64];
	char procedure[32];
	char channel[8];
	char *name, *id_number, *phone, *email, *address, *summary;
	char *components; /* JSON array text */
	char *note;       /* last reason (refusal, stop, supplement) */
	char *collected_by;
	char id_type[16];      /* cccd | cmnd | passport | none */
	char kind[16];         /* person | organisation */
	char *org_name;        /* organisation applicants: name, */
	char tax_code[16];     /* tax / enterprise code, */
	char *representative;  /* and representative; else "" */
	int time_guessed; /* the processing time's unit was not in the catalog */
	/* The tracking register's entry: the book (the reception's year) and
	 * the number in it; 0 until the dossier is received. */
	int register_book;
	int64_t register_no;
	int sets; /* sets of papers handed in (form 1), 1 if not said */
	mc_time submitted_at;
	mc_time updated_at;
	int64_t last_seq;
	dsr_rec r;
} st_dossier;

/* Frees the owned strings. */
void st_dossier_release(st_dossier *d);
/* Next serial for agency and day (YYMMDD), inside the caller's transaction.
 * OUT: *serial, 1 for the first of the day. */
/* Inside a transaction: the next number in agency's register book (a
 * year), from 1. OUT: *no. */
MC_MUST_USE int st_register_next(st *s, const char *agency, int book, int64_t *no, mc_err *e);
MC_MUST_USE int st_serial_next(st *s, const char *agency, const char *yymmdd, int64_t *serial,
			       mc_err *e);
MC_MUST_USE int st_dossier_insert(st *s, const st_dossier *d, const char *fold, mc_err *e);
/* Writes the state fields (r, note, collected_by, updated_at, last_seq). */
MC_MUST_USE int st_dossier_update(st *s, const st_dossier *d, mc_err *e);
/* Records seq as the last event of dossier code when an event about it
 * leaves its state as it is (a citizen's rating), so that what is derived
 * from its events (the history) is known to have changed. */
MC_MUST_USE int st_dossier_touch(st *s, const char *code, int64_t last_seq, mc_err *e);
/* OUT: *d (release it). MC_ENOTFOUND if no such code. */
MC_MUST_USE int st_dossier_get(st *s, const char *code, st_dossier *d, mc_err *e);

typedef struct {
	int state;             /* -1 any */
	int open_only;         /* only open states */
	int overdue;           /* open, clock running, due_at < now */
	mc_time now;
	const char *fold_q;    /* folded substring of name/code/id/summary */
	const char *assignee;  /* NULL any */
	const char *channel;   /* NULL any */
	const char *procedure; /* NULL any */
	const char *field;     /* procedure field; NULL any */
	const char *agency;    /* owning agency; NULL any */
	mc_time received_from, received_to; /* 0 = unbounded; to is exclusive */
	mc_time due_before;    /* 0 = unbounded */
	int by_due;            /* soonest due first (only dossiers with a due time) */
	const char *after_code; /* cursor: the last row of the previous page, */
	mc_time after_t;        /* and its submitted_at (or due_at when by_due) */
	int limit;             /* 0 = no limit */
} st_dossier_filter;

typedef int (*st_dossier_cb)(void *ctx, const st_dossier *d);
/* Newest first (by_due: soonest due first). cb returning non-zero stops
 * the walk. */
MC_MUST_USE int st_dossier_list(st *s, const st_dossier_filter *f, st_dossier_cb cb, void *ctx,
				mc_err *e);
MC_MUST_USE int st_dossier_count(st *s, int64_t *n, mc_err *e);
typedef struct {
	int64_t submitted, received, processing, awaiting_approval, supplement, awaiting_payment,
		result_ready, overdue, near_due, received_today, returned_today, mine;
} st_counts;

/* Dossier counts of agency for a dashboard: overdue at now, due before
 * near, received/returned in [day0, day1), open and assigned to login. */
MC_MUST_USE int st_dossier_counts(st *s, const char *agency, mc_time now, mc_time near,
				  mc_time day0, mc_time day1, const char *login, st_counts *out,
				  mc_err *e);
/* The highest last_seq of any dossier (0 if none). */
MC_MUST_USE int st_dossier_max_seq(st *s, int64_t *n, mc_err *e);

/* Benchmark baseline: n single-row INSERT commits into a scratch table with
 * the same durability settings, dropped afterwards. Only for `motcua
 * test-bench`; st_bench.c, to be removed when that command stops using it. */
MC_MUST_USE int st_bench_raw_commits(st *s, int n, mc_err *e);

/* ---- sessions and API tokens (hashes only; the app hashes) ---- */
MC_MUST_USE int st_session_insert(st *s, const char *hash, const char *login, mc_time now,
				  const char *address, mc_err *e);
/* OUT: login, *seen_at (last use) and *created_at (sign-in); either time
 * may be NULL. MC_ENOTFOUND if no such session. */
MC_MUST_USE int st_session_get(st *s, const char *hash, char login[64], mc_time *seen_at,
			       mc_time *created_at, mc_err *e);
MC_MUST_USE int st_session_touch(st *s, const char *hash, mc_time now, mc_err *e);
MC_MUST_USE int st_session_delete(st *s, const char *hash, mc_err *e);
MC_MUST_USE int st_session_delete_user(st *s, const char *login, mc_err *e);
/* Deletes sessions idle since before. */
MC_MUST_USE int st_session_purge(st *s, mc_time before, mc_err *e);
MC_MUST_USE int st_token_insert(st *s, const char *hash, const char *id, const char *login,
				mc_time now, mc_err *e);
/* The login of an active (not revoked) token. */
MC_MUST_USE int st_token_get(st *s, const char *hash, char login[64], mc_err *e);
/* MC_ENOTFOUND if id names no active token. */
MC_MUST_USE int st_token_revoke(st *s, const char *id, mc_time now, mc_err *e);
/* Revokes every active token of login (a password reset does). MC_OK also
 * when there was none. */
MC_MUST_USE int st_token_revoke_login(st *s, const char *login, mc_time now, mc_err *e);

/* ---- idempotency keys ---- */
/* How long a key is remembered at least (a retry comes within minutes). */
#define ST_REQKEY_KEEP (7 * 24 * 3600)
/* Inside a write transaction. OUT: request, dossier. MC_ENOTFOUND (without a
 * message) if login has not used key. */
MC_MUST_USE int st_reqkey_get(st *s, const char *login, const char *key, char request[160],
			      char dossier[96], mc_err *e);
/* Records key. */
MC_MUST_USE int st_reqkey_put(st *s, const char *login, const char *key, const char *request,
			      const char *dossier, mc_time now, mc_err *e);
/* Forgets keys recorded before `before` (done at each sign-in). */
MC_MUST_USE int st_reqkey_purge(st *s, mc_time before, mc_err *e);

/* ---- ratings ---- */
/* MC_ECONFLICT if the dossier was rated already. */
MC_MUST_USE int st_rating_insert(st *s, const char *dossier, const char *agency, int level,
				 const char *comment, const char *channel, mc_time at, mc_err *e);
MC_MUST_USE int st_rating_get(st *s, const char *dossier, int *level, mc_err *e);

/* ---- notices, fees, results (st_records.c; schema 0005) ---- */
typedef struct {
	const char *dossier, *agency;
	int64_t seq;        /* the event that made it */
	const char *kind;   /* request_supplement | refuse | apology | stop */
	mc_time issued_at;
	const char *issuer, *issuer_name, *issuer_title;
	const char *reason;
	const char *data;   /* JSON object text */
} st_notice;

MC_MUST_USE int st_notice_insert(st *s, const st_notice *n, mc_err *e);
typedef int (*st_notice_cb)(void *ctx, const st_notice *n);
/* The notices of dossier, oldest first. */
MC_MUST_USE int st_notice_list(st *s, const char *dossier, st_notice_cb cb, void *ctx,
			       mc_err *e);

typedef struct {
	const char *dossier, *agency;
	int64_t seq;
	mc_time at;
	int64_t amount;       /* đồng */
	const char *method;   /* "" | cash | transfer | online */
	const char *receipt_no;
	const char *collector, *collector_name;
	const char *exemption; /* "" | full | partial */
	const char *exemption_reason;
} st_fee;

MC_MUST_USE int st_fee_insert(st *s, const st_fee *f, mc_err *e);
typedef int (*st_fee_cb)(void *ctx, const st_fee *f);
/* The fees of dossier, oldest first. */
MC_MUST_USE int st_fee_list(st *s, const char *dossier, st_fee_cb cb, void *ctx, mc_err *e);
/* The fees of agency collected in [from, to), oldest first. */
MC_MUST_USE int st_fee_range(st *s, const char *agency, mc_time from, mc_time to, st_fee_cb cb,
			     void *ctx, mc_err *e);

typedef struct {
	const char *dossier, *agency;
	const char *number, *date; /* the result's number and date (YYYY-MM-DD) */
	const char *recorded_by;
	mc_time recorded_at;
	const char *collector_name, *collector_id;
	int authorised;            /* 1: collected by authorisation */
	const char *delivery;      /* "" | desk | postal | online */
	const char *returned_by;
	mc_time returned_at;
} st_result;

/* Records the result's number and date (keeps the hand-over). */
MC_MUST_USE int st_result_set(st *s, const st_result *r, mc_err *e);
/* Records the hand-over (keeps the number and date). */
MC_MUST_USE int st_result_collect(st *s, const st_result *r, mc_err *e);
typedef int (*st_result_cb)(void *ctx, const st_result *r);
/* Calls cb with the row of dossier, if there is one (MC_OK either way). */
MC_MUST_USE int st_result_get(st *s, const char *dossier, st_result_cb cb, void *ctx, mc_err *e);
/* ---- the commune's own procedure list (st_local.c) ---- */
/* One procedure's local entry: what the commune set over the national
 * catalog. body is its canonical JSON (the event's payload). */
typedef struct {
	const char *agency, *code;
	int version;
	int enabled;              /* 1, 0, or -1: not decided */
	double t[3];              /* per channel (ST_CH_*) */
	int unit[3];              /* DL_*; -1: the national entry's */
	int64_t fee;              /* đồng; -1: not set here */
	const char *handling_unit, *source, *updated_by, *body;
	mc_time updated_at;
} st_local;

/* Inserts or replaces (agency, code). */
MC_MUST_USE int st_local_put(st *s, const st_local *l, mc_err *e);
/* OUT: *body (caller frees), *version. MC_ENOTFOUND if none. */
MC_MUST_USE int st_local_get(st *s, const char *agency, const char *code, char **body,
			     int *version, mc_err *e);
/* Every local entry of agency, by code, with the catalog's name ("" if the
 * catalog lacks the code). */
typedef int (*st_local_cb)(void *ctx, const char *code, const char *name, const char *body);
MC_MUST_USE int st_local_list(st *s, const char *agency, st_local_cb cb, void *ctx, mc_err *e);
/* The admin's review list: procedures not disabled here whose effective
 * entry has no processing time on any channel, or a guessed unit; those
 * enabled here first. enabled: 1, 0 or -1 (not decided); listed: whether
 * reception offers it. */
typedef struct {
	const char *code, *name, *field;
	int enabled, listed, no_time, guessed;
} st_review_row;
typedef int (*st_review_cb)(void *ctx, const st_review_row *r);
MC_MUST_USE int st_local_review(st *s, const char *agency, st_review_cb cb, void *ctx,
				mc_err *e);
/* What reception may receive: listed procedures with an effective time,
 * matching fold_q (NULL: all), the most received on this node first, at
 * most limit. */
typedef int (*st_receivable_cb)(void *ctx, const char *code, const char *name,
				const char *field, int64_t received);
MC_MUST_USE int st_local_receivable(st *s, const char *agency, const char *fold_q, int limit,
				    st_receivable_cb cb, void *ctx, mc_err *e);

#endif
