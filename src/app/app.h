/*
 * app.h - use cases: each is one transaction with its permission check and
 * its event. The CLI and the HTTP API call these and nothing below them.
 */
#ifndef APP_H
#define APP_H

#include <jansson.h>
#include <stdio.h>

#include "core/dsr.h"

#define APP_DB_FILE "motcua.db"

/* A node opened by app_open: its database, settings and calendar. Opaque:
 * callers above the app layer reach the store only through these use
 * cases. */
typedef struct app app;

/* The person (or script) acting. */
typedef struct {
	char login[64];
	char name[256];
	int role; /* ROLE_* */
	char agency[64];
	char unit[32]; /* the officer's unit code (units.h), "" if none */
} app_actor;

typedef struct {
	const char *agency;      /* default 000.00.00.H00 */
	const char *name;        /* default "Xã mới" */
	int demo;                /* load the demo commune */
	int office;              /* with demo: its office records too (documents, tasks,
				  * recommendations), as make run shows them */
	const char *admin_login; /* an initial admin; NULL for none */
	const char *admin_password;
	int hub;                 /* a provincial hub (docs/sync.md §2) */
} app_init_opts;

/* 1 if s looks like an agency's electronic code (000.00.00.H56). */
int app_agency_code_valid(const char *s);

/*
 * Creates the data directory dir: database (schema, settings, the built-in
 * calendar schedules), the node's Ed25519 key pair (node.key mode 0600,
 * node.pub) and, with opts->demo, the demo commune. Refuses a directory that
 * exists and is not empty (MC_EEXIST). out (may be NULL) receives text for
 * the user (demo logins).
 */
MC_MUST_USE int app_init_dir(const char *dir, const app_init_opts *opts, mc_time now,
			     FILE *out, mc_err *e);

/* Process-wide set-up, once before the first app_open: SQLite's settings
 * and libsodium. MC_EIO if libsodium cannot start. */
MC_MUST_USE int app_library_init(mc_err *e);

/* The current time: MOTCUA_TEST_NOW ("YYYY-MM-DD HH:MM", pins the clock for
 * tests) when it is set and valid, else the system clock. The one place
 * that reads the variable: the CLI and the server both ask here. */
mc_time app_now(void);
/* MC_EINVAL naming MOTCUA_TEST_NOW if it is set but is not a date and time
 * (the CLI refuses to run then rather than silently use the clock). */
MC_MUST_USE int app_now_check(mc_err *e);

/* Opens the node in dir. Refuses (MC_EPERM) a directory that other users
 * may enter, saying how to fix it. OUT: *out, close with app_close. */
MC_MUST_USE int app_open(const char *dir, app **out, mc_err *e);
void app_close(app *a);

/* The node's agency code and name, and its data directory; valid while a
 * is open. */
const char *app_agency_code(const app *a);
const char *app_agency_name(const app *a);
const char *app_dir(const app *a);
/* This node's Ed25519 public key (64 hex). */
const char *app_pubkey(const app *a);

/* MC_OK if the database answers with its schema in place; else MC_EIO
 * "the database does not answer" (for /healthz). */
MC_MUST_USE int app_health(app *a, mc_err *e);

/* The agencies this node knows. OUT: *out, {"items":[{"code","name","kind",
 * "self"}, ...]} (caller decrefs). */
MC_MUST_USE int app_agencies_json(app *a, json_t **out, mc_err *e);

/* The built-in days-off schedule (shipped data), finished. */
MC_MUST_USE int app_builtin_sched(cal_sched *s, mc_err *e);

/* Loads an active user as actor. MC_EPERM if disabled. */
MC_MUST_USE int app_actor_load(app *a, const char *login, app_actor *out, mc_err *e);
/* The node's own administrator, for local commands run without --as. */
void app_actor_system(app *a, app_actor *out);

/* Adds or renames an agency this node knows (admin), with its event. */
MC_MUST_USE int app_agency_add(app *a, const app_actor *by, const char *code, const char *name,
			       const char *kind, const char *parent, mc_time now, mc_err *e);

/* ---- users ---- */
MC_MUST_USE int app_user_add(app *a, const app_actor *by, const char *login, const char *role,
			     const char *name, const char *password, mc_time now, mc_err *e);
/* Verifies a password. MC_EPERM (same message) for unknown, disabled or wrong. */
MC_MUST_USE int app_user_login(app *a, const char *login, const char *password,
			       app_actor *out, mc_err *e);

/* ---- catalog ---- */
typedef struct {
	int total, full, partial, created, updated, rejected;
	char first_error[256];
} app_import_stats;

/* Imports JSONL text (crawl or clean format) in one transaction. Lines that
 * cannot be used at all are counted as rejected; if none is usable, nothing
 * changes and MC_EINVAL. */
MC_MUST_USE int app_catalog_import(app *a, const app_actor *by, const char *text, size_t len,
				   const char *source, mc_time now, app_import_stats *stats,
				   mc_err *e);
/* Lists procedures as a JSON array (summary fields). q ignores diacritics. */
MC_MUST_USE int app_catalog_list(app *a, const char *field, const char *q, json_t **out,
				 mc_err *e);
/* One page of that list: {"items": [limit summaries from offset], "total":
 * the matches, "offset", "limit", "fields": every field of the matches,
 * sorted}. Only the page's rows are decoded, so a page costs little
 * whatever the catalog's size. */
MC_MUST_USE int app_catalog_page(app *a, const char *field, const char *q, int offset, int limit,
				 json_t **out, mc_err *e);
/* One procedure's clean JSON. */
MC_MUST_USE int app_catalog_get(app *a, const char *code, json_t **out, mc_err *e);

/* ---- calendar ---- */
/* Imports one or more years' schedules (CSV); replaces those years. */
/* Imports days-off schedules (CSV). Without add, each year named replaces
 * that year's schedule and must be a whole government schedule (it lists
 * the statutory holidays; else MC_EINVAL). With add, the file's days are
 * laid over the year's current calendar (its schedule, or the Labour Code
 * defaults): how a new holiday arrives as data. */
MC_MUST_USE int app_calendar_import(app *a, const app_actor *by, const char *text, size_t len,
				    const char *source, int add, mc_time now, int *years,
				    int *n_years, mc_err *e);

/* Every non-working day of year in a's calendar; with a NULL, in the
 * built-in one. year is text ("2026") so that the CLI and the API share one
 * check: MC_EINVAL "year must be a whole number from 1900 to 2100, not 'x'".
 * OUT: *out, {"year": n, "scheduled": true if the government's schedule for
 * year is known (else Labour Code defaults), "days_off": ["YYYY-MM-DD", ...]}
 * (caller decrefs). */
MC_MUST_USE int app_days_off(app *a, const char *year, json_t **out, mc_err *e);

/*
 * Due time of a processing time received at at, in a's calendar and office
 * hours (a NULL: the built-in calendar and default hours). at is
 * "YYYY-MM-DD HH:MM" ('T' for the space, seconds and "+07:00" allowed); time
 * a positive number (may be NULL for same_day: 1); unit working_days,
 * working_hours, calendar_days or same_day. One check for the CLI and the
 * API; MC_EINVAL names the argument ("at", "time", "unit"). OUT: *t (at),
 * *due, *scheduled (may be NULL: 1 if at's year has a government schedule).
 */
MC_MUST_USE int app_due(app *a, const char *at, const char *time, const char *unit, mc_time *t,
			mc_time *due, int *scheduled, mc_err *e);

/* For motcua test-bench: OUT: code (32 bytes), the first procedure with a
 * direct processing time (MC_ENOTFOUND if none); and n raw durable INSERT
 * commits, the baseline receptions are compared with. */
MC_MUST_USE int app_bench_procedure(app *a, char code[32], mc_err *e);
MC_MUST_USE int app_bench_raw_commits(app *a, int n, mc_err *e);

/* ---- dossiers ---- */
typedef struct {
	const char *procedure;
	const char *channel; /* direct | online | postal */
	const char *name, *id_number, *phone, *email, *address, *summary;
	const char *id_type;        /* cccd (NULL/"" too) | cmnd | passport | none */
	const char *kind;           /* person (NULL/"" too) | organisation */
	const char *org_name;       /* organisation only, required there */
	const char *tax_code;       /* organisation only: 10 or 13 digits */
	const char *representative; /* organisation only, required there */
	const json_t *components; /* array of {name, originals, copies[, photocopies]} or NULL */
	int sets;                 /* sets of papers handed in, 1..20; 0: 1 */
	mc_time received_at;      /* 0 = now; earlier only for admins */
	int pending;              /* waiting for reception: an online submission, or a
				   * dossier checked at the desk that is then refused
				   * or sent back for a supplement (never received) */
	const char *request_key;  /* idempotency key or NULL (see app_act) */
	int *replayed;            /* OUT, may be NULL: 1 if request_key was used already */
} app_receive_req;

/* Receives a dossier. OUT: code (96 bytes), *due (0 if pending). */
MC_MUST_USE int app_receive(app *a, const app_actor *by, const app_receive_req *req, mc_time now,
			    char *code, mc_time *due, mc_err *e);

typedef struct {
	const char *action;
	const char *to_user;
	const char *to_agency;
	mc_time new_due;
	const char *comment;
	const char *request_key; /* idempotency key or NULL */
	int *replayed;           /* OUT, may be NULL: 1 if request_key was used already */
	/* approve: the result's number and date (YYYY-MM-DD, default today) */
	const char *result_number, *result_date;
	/* return: who collected the result (default name: comment) and how */
	const char *collector_name, *collector_id;
	int collector_authorised; /* 1: by authorisation (needs collector_id) */
	const char *delivery;     /* desk (default) | postal | online */
	/* request_supplement, refuse: every item of the notice, in full */
	json_t *items;
} app_act_req;

/* Performs one transition. Role, ownership and assignee checks first.
 *
 * Idempotency: with a request_key, the first call records the key in the
 * same transaction as its write, with a hash of the request's fields; a
 * later call by the same officer with the same key and the same request
 * (for app_act: dossier, action, to, to_agency, new_due, comment; for
 * app_receive: every field of the reception) writes nothing, sets *replayed
 * and succeeds (app_receive gives the code it made then). The same key for
 * another request is MC_ECONFLICT "this Idempotency-Key was used for
 * another request". Keys are 8 to 64 of A-Z a-z 0-9 - _ and kept at least
 * 7 days. */
MC_MUST_USE int app_act(app *a, const app_actor *by, const char *code, const app_act_req *req,
			mc_time now, mc_err *e);

/* A dossier as JSON (with its history if history != 0). */
MC_MUST_USE int app_dossier_get(app *a, const char *code, int history, mc_time now,
				json_t **out, mc_err *e);

typedef struct {
	const char *status;   /* state name or NULL */
	int overdue;
	const char *q;        /* free text, diacritics ignored */
	const char *assignee;
	const char *channel;
	const char *procedure;
	const char *field;    /* procedure field (lĩnh vực) */
	mc_time received_from, received_to, due_before;
	const char *cursor;   /* from a previous page */
	const char *sort;     /* "received" (newest first, default) | "due" (soonest due first) */
	int limit;            /* 1..500, 0 = 50 */
} app_list_req;

/* A page of dossiers: {"items":[...], "next_cursor": "..."|null}. */
MC_MUST_USE int app_dossier_list(app *a, const app_list_req *req, mc_time now, json_t **out,
				 mc_err *e);

/* ---- integrity ---- */
/* Verifies the event chain and the database. OUT: *events, *bad_seq. */
MC_MUST_USE int app_check(app *a, int64_t *events, int64_t *bad_seq, mc_err *e);

/* ---- demo ---- */
/* Fills a fresh node with the demo commune's users and ~200 dossiers spread
 * over the 90 days before now. OUT: text for the user on out. */
MC_MUST_USE int app_demo_load(app *a, mc_time now, FILE *out, mc_err *e);

/* Counts for the home screen: {"now","near_due_before","counts":{...}}.
 * near_due_before: the first instant more than one working day of working
 * time after now (dl_near_due_before); near_due counts the dossiers whose
 * clock runs and whose due time is in [now, near_due_before). */
MC_MUST_USE int app_dashboard(app *a, const app_actor *by, mc_time now, json_t **out, mc_err *e);
/* {"agency","agency_name","office_hours","cutoff","session_max_hours"} */
json_t *app_settings_json(app *a);
/* Changes office hours ("07:00-11:30,13:30-17:00"), the same-day cut-off
 * ("15:00") and/or the absolute lifetime of sign-in sessions in hours
 * (1 to 168; MC_EINVAL "session_max_hours must be a whole number from 1 to
 * 168"), admin only, with an event. NULL or -1 leaves one as is. */
MC_MUST_USE int app_settings_update(app *a, const app_actor *by, const char *office_hours,
				    const char *cutoff, int session_max_hours, mc_time now,
				    mc_err *e);
/* Reloads settings and calendar if another connection of this process
 * changed them (a server has one connection per thread). */
MC_MUST_USE int app_refresh(app *a, mc_err *e);

/* Groups the reads of one request in one snapshot (see st_read_begin). */
MC_MUST_USE int app_read_begin(app *a, mc_err *e);
void app_read_end(app *a);

/* Frees a's history cache (app_close calls it). */
void app_hist_cache_free(app *a);

/* Time helpers for JSON: ISO 8601 +07:00, or null for 0. */
json_t *app_json_time(mc_time t);
/* The time an ISO text as app_json_time writes it names
 * ("2026-03-02T07:00:00+07:00"), or 0 when s is NULL or not one. */
mc_time app_iso_time(const char *s);

/* ---- fees, the result, the public address (records.c) ---- */
#define APP_FEE_MAX 1000000000LL /* đồng: more is a typing error */
typedef struct {
	int64_t amount;          /* đồng, 0..APP_FEE_MAX (0: a full exemption) */
	const char *method;      /* cash | transfer | online; NULL when exempt */
	const char *receipt_no;  /* required when amount > 0 */
	const char *exemption;   /* NULL/"" | full | partial */
	const char *exemption_reason;
	const char *request_key; /* idempotency key or NULL (see app_act) */
	int *replayed;           /* OUT, may be NULL */
} app_fee_req;

/* Records a fee or charge collected on dossier code by `by` (the
 * collector: reception or admin), with its event dossier.fee. */
MC_MUST_USE int app_fee_record(app *a, const app_actor *by, const char *code,
			       const app_fee_req *q, mc_time now, mc_err *e);
/* The fee book of this node for the days from..to ("YYYY-MM-DD", at most
 * 31 days; empty: today): totals per day, per officer, per day and officer,
 * and the entries. OUT: *out. */
MC_MUST_USE int app_fee_report(app *a, const app_actor *by, const char *from, const char *to,
			       mc_time now, json_t **out, mc_err *e);
/* The fee the catalog states for procedure on channel: OUT: *amount (-1
 * when the catalog states no single amount), text (the catalog's words,
 * size bytes). The one place the default fee is read (a commune's own list
 * may set it later). */
MC_MUST_USE int app_procedure_fee(app *a, const char *procedure, const char *channel,
				  int64_t *amount, char *text, size_t size, mc_err *e);
/* Sets the node's public address ("" unsets it), admin only, with an
 * event: an absolute http(s) URL. */
MC_MUST_USE int app_public_url_set(app *a, const app_actor *by, const char *url, mc_time now,
				   mc_err *e);
/* The public address, or JSON null if unset. */
json_t *app_public_url_json(app *a);
/* ---- the commune's own procedure list (local.c; docs/overlay.md) ---- */
/*
 * Sets the commune's entry for procedure code (admin): in is
 * {"enabled": bool|null, "times": {"direct"|"online"|"postal": {"time": n,
 * "unit": u}|null}, "fee": đồng|null, "handling_unit": s, "steps":
 * [{"name","kind","share"}] (shares add up to 100), "source": the decision
 * (required)}; absent fields are null/empty. Writes the next version with
 * its "procedure.local" event, unless nothing changed. OUT: *out, the
 * stored entry (caller decrefs). MC_EINVAL (local.bad_field) naming the
 * field; MC_ENOTFOUND for a code the catalog lacks.
 */
MC_MUST_USE int app_local_set(app *a, const app_actor *by, const char *code, json_t *in,
			      mc_time now, json_t **out, mc_err *e);
/* The entry of code (MC_ENOTFOUND if the commune set nothing). OUT: *out. */
MC_MUST_USE int app_local_get(app *a, const char *code, json_t **out, mc_err *e);
/* Admin: {"items": [entries with "name"], "review": [{"code","name","field",
 * "enabled","listed","no_time","unit_guessed"}]}: the review list holds the
 * procedures not disabled here with no processing time ("Thủ tục chưa có
 * thời hạn") or a guessed unit, those enabled first. */
MC_MUST_USE int app_local_list(app *a, const app_actor *by, json_t **out, mc_err *e);
/* Admin: applies a CSV file (docs/overlay.md) in one transaction: every row
 * or none. OUT: *out {"total","changed","unchanged"}. */
MC_MUST_USE int app_local_import(app *a, const app_actor *by, const char *text, size_t len,
				 mc_time now, json_t **out, mc_err *e);
/* Admin: every entry as CSV, in the import's format. OUT: *csv (caller frees). */
MC_MUST_USE int app_local_export(app *a, const app_actor *by, char **csv, mc_err *e);
/* What reception offers: {"items": [{"code","name","field","received"}]},
 * the procedures on the commune's list with a processing time, matching q
 * (diacritics ignored; NULL: all), the most received here first. */
MC_MUST_USE int app_local_receivable(app *a, const char *q, int limit, json_t **out, mc_err *e);
/* The fee the commune set for code, in đồng. MC_ENOTFOUND if none (then
 * the catalog's text is all there is). For the fee records of reception. */
MC_MUST_USE int app_local_fee(app *a, const char *code, int64_t *dong, mc_err *e);
/* The dossier's workflow steps with their own due times: the commune's
 * steps of procedure, each due when its share of the working time from
 * received to due has run, with when it ended (from history, the
 * dossier's events) and its verdict. An empty array if none. */
json_t *app_local_steps(app *a, const char *procedure, mc_time received, mc_time due,
			json_t *history, mc_time now);

#endif
