/*
 * app_int.h - what the app's own files share and nobody else sees: the node
 * record behind the opaque app handle. http and cli go through app.h only,
 * so they cannot reach the store (tests/sh/layers.sh checks it).
 */
#ifndef APP_INT_H
#define APP_INT_H

#include "app/app.h"
#include "store/st.h"

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
};

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

/* Inside a transaction: lays the shipped processing times
 * (data/catalog/commune-times.csv) over the catalog for every code the
 * catalog has and the commune has not set. OUT: *applied (may be NULL). */
MC_MUST_USE int app_local_ship(app *a, const app_actor *by, mc_time now, int *applied,
			       mc_err *e);

#endif
