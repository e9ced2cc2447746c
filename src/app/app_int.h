/*
 * app_int.h - what the app's own files share and nobody else sees: the node
 * record behind the opaque app handle. http and cli go through app.h only,
 * so they cannot reach the store (tests/sh/layers.sh checks it).
 */
#ifndef APP_INT_H
#define APP_INT_H

#include "app/app.h"
#include "store/st.h"
#include "store/st_sync.h"

/* Default absolute lifetime of a sign-in session, in hours, and the range
 * an administrator may set (setting "session_max_hours"). */
#define APP_SESSION_MAX_HOURS 12
#define APP_SESSION_MAX_HOURS_LIMIT 168

struct app {
	st *st;
	char dir[512];
	char agency[64];       /* this node's agency code */
	char agency_name[256];
	cal_sched sched;       /* finished: read-only */
	dl_hours hours;
	dsr_clock clock;
	int session_max_hours; /* absolute session lifetime (auth_session) */
	void *hist_cache;      /* dossier histories by (code, last_seq); dossier.c */
	int config_gen;        /* settings/calendar generation loaded */
	int hub;               /* made with init --hub (setting role=hub) */
	char epoch[33];        /* the hub's epoch (hex), "" on a node */
	char pubkey[65];       /* this node's Ed25519 public key (hex) */
};

/* A government schedule checked and ready to write: an administrator's
 * import (app_calendar_import) and one the province published (applied by
 * sync.c) are the same two steps. */
typedef struct {
	cal_sched s;
	int ys[64], ny;
	char version[17];
	char source[256];
	json_t *payload; /* the calendar.imported event's */
} app_cal_import;
/* Checks text (CSV) as a whole schedule (add 0) or days laid over the
 * current calendar (add 1). On success release ci with app_cal_release. */
MC_MUST_USE int app_cal_prepare(app *a, const char *text, size_t len, const char *source,
				int add, app_cal_import *ci, mc_err *e);
/* Inside the caller's transaction: the days and the calendar.imported
 * event by actor. OUT: *seq (may be NULL). After the commit, call
 * app_cal_changed() and app_refresh(). */
MC_MUST_USE int app_cal_write(app *a, const char *actor, app_cal_import *ci, mc_time now,
			      int64_t *seq, mc_err *e);
void app_cal_changed(void);
void app_cal_release(app_cal_import *ci);

/* The head a hub answers a node with (docs/sync.md §5.3). */
json_t *app_hub_head_json(app *a, const st_hub_node *n, mc_time now);
/* Seconds from now to another clock's ISO reading (theirs - ours); 0 if
 * unreadable. */
int64_t app_clock_skew(const char *iso, mc_time now);

/* On a node, inside the caller's transaction: records a head the hub
 * signed (docs/sync.md §5.3, §6.4), and a successful exchange. */
MC_MUST_USE int app_sync_record_head(app *a, const json_t *head, mc_time now, mc_err *e);
MC_MUST_USE int app_sync_record_ok(app *a, size_t batch_bytes, mc_time now, mc_err *e);

/* Inside the caller's transaction: a dossier the hub delivered
 * (docs/sync.md §7.3) becomes this node's to write: one transferred to it
 * (submission 0: a dossier.transfer_in event) or an online submission made
 * on the hub (1: a dossier.received event, waiting for reception). OUT:
 * *seq that event; *why (static text) instead when the item cannot apply
 * here (then nothing is written). */
MC_MUST_USE int app_dossier_in(app *a, const json_t *record, int submission, const char *from,
			       int64_t cursor, const char *hash, mc_time now, int64_t *seq,
			       const char **why, mc_err *e);
/* On a hub, inside the caller's transaction: its copy of a dossier from
 * the record events carry, owned by owner. */
MC_MUST_USE int app_hub_dossier_record(app *a, const char *owner, const json_t *d,
				       int64_t last_seq, const char *event_at, mc_err *e);

/* The demo commune's office records (demo_office.c): documents,
 * recommendations, tasks; after its officers exist. */
MC_MUST_USE int app_demo_office(app *a, mc_time now, mc_err *e);

/* Imports the catalog shipped in the binary (data/catalog/commune.jsonl). */
MC_MUST_USE int app_catalog_ship(app *a, const app_actor *sys, mc_time now, mc_err *e);
/* Inside the caller's transaction: a commune procedure list (CSV, as
 * app_local_import takes) applied by by. OUT: *changed (may be NULL). */
MC_MUST_USE int app_local_apply(app *a, const app_actor *by, const char *text, size_t len,
				mc_time now, int *changed, mc_err *e);

/* Reads this node's Ed25519 secret key (dir/node.key). */
MC_MUST_USE int app_node_secret(app *a, unsigned char sk[64], mc_err *e);
/* Signs n bytes of a request to path with this node's key (docs/sync.md
 * §4; the key is wiped after). OUT: sig (hex). */
MC_MUST_USE int app_node_sign(app *a, const char *path, const void *data, size_t n,
			      char sig[129], mc_err *e);

/* argon2id at OWASP's recommended minimum (t=2, m=19 MiB): strong enough
 * against offline guessing, light enough for a commune PC serving logins. */
#define APP_PW_OPSLIMIT 2
#define APP_PW_MEMLIMIT (19u * 1024 * 1024)

/* Hashes password for storage into out (crypto_pwhash_STRBYTES). MC_EIO if
 * the machine has not the memory. */
MC_MUST_USE int app_pw_hash(char *out, const char *password, mc_err *e);

/* Checks password against hash; with hash NULL (unknown or disabled
 * account), against a fixed dummy hash of the same cost, so that the answer
 * takes as long either way. 1 if it matches (never for NULL). */
int app_pw_verify(const char *hash, const char *password);

/* For tests: how many argon2id verifications this process has run. */
unsigned long app_test_pw_verifies(void);

/* ---- shared by dossier.c and records.c ---- */
/* Idempotency keys (dossier.c): see app_act. */
MC_MUST_USE int app_reqkey_valid(const char *k, mc_err *e);
void app_request_id(const char *kind, json_t *fields, char out[160]);
MC_MUST_USE int app_reqkey_seen(app *a, const app_actor *by, const char *key, const char *request,
				char code[96], int *seen, mc_err *e);
/* What a step records besides its state (records.c). */
MC_MUST_USE int rec_check_act(int action, const app_act_req *req, mc_time now, mc_err *e);
/* The step's own fields for its request id; NULL if none. */
json_t *rec_act_fields(const app_act_req *req);
/* Adds to the event payload p: the issuer of a notice, the items, the
 * apology's data, the result, the collection. before: the record before
 * the step. */
MC_MUST_USE int rec_act_enrich(app *a, const app_actor *by, int action, const app_act_req *req,
			       const dsr_rec *before, const st_dossier *d, const char *comment,
			       mc_time now, json_t *p, mc_err *e);
/* Writes the rows for what rec_act_enrich put in p (event seq). */
MC_MUST_USE int rec_act_save(app *a, const app_actor *by, int action, const st_dossier *d,
			     int64_t seq, mc_time now, const json_t *p, mc_err *e);
/* Adds notices, apology, overdue_legal, fees, fee_total, fee_default,
 * result, collection to the dossier JSON j. */
MC_MUST_USE int rec_dossier_json(app *a, const st_dossier *d, mc_time now, json_t *j, mc_err *e);
/* Inside a transaction: lays the shipped processing times
 * (data/catalog/commune-times.csv) over the catalog for every code the
 * catalog has and the commune has not set. OUT: *applied (may be NULL). */
MC_MUST_USE int app_local_ship(app *a, const app_actor *by, mc_time now, int *applied,
			       mc_err *e);

#endif
