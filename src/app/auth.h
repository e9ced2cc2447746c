/*
 * auth.h - sign-in sessions, API tokens, account administration, the audit
 * log and the public (anonymous) look-up and rating.
 */
#ifndef AUTH_H
#define AUTH_H

#include "app/app.h"

#define AUTH_TOKEN_HEX 65          /* 256-bit token as hex + NUL */
#define AUTH_IDLE_SECS (8 * 3600)  /* sessions expire after 8 idle hours */

/* Signs in: checks the password, creates a session. OUT: token (the cookie
 * value, shown once), csrf (the token for X-CSRF-Token), *actor. MC_EPERM
 * with one message for unknown, disabled and wrong. */
MC_MUST_USE int auth_login(app *a, const char *login, const char *password, const char *address,
			   mc_time now, char token[AUTH_TOKEN_HEX], char csrf[AUTH_TOKEN_HEX],
			   app_actor *actor, mc_err *e);
/* The actor of a session cookie. MC_EPERM if unknown (auth.required),
 * idle past 8 hours or signed in longer ago than the setting
 * session_max_hours (12 by default: auth.session_ended, "session expired:
 * sign in again"); an expired session is deleted, so the next request with
 * it is merely unknown. A disabled account: user.disabled. Refreshes the
 * idle clock now and then. */
MC_MUST_USE int auth_session(app *a, const char *token, mc_time now, app_actor *actor, mc_err *e);
/* The CSRF token that belongs to a session token. */
void auth_csrf_of(const char *token, char csrf[AUTH_TOKEN_HEX]);
MC_MUST_USE int auth_logout(app *a, const char *token, mc_err *e);

/* Creates an API token for login (admins, or the local administrator).
 * OUT: token (shown once), id (public, for revoking; 17 bytes). */
MC_MUST_USE int auth_token_create(app *a, const app_actor *by, const char *login, mc_time now,
				  char token[AUTH_TOKEN_HEX], char id[17], mc_err *e);
MC_MUST_USE int auth_token_revoke(app *a, const app_actor *by, const char *id, mc_time now,
				  mc_err *e);
/* The actor of a bearer token. MC_EPERM if unknown or revoked
 * (auth.required), user.disabled if its account is disabled. */
MC_MUST_USE int auth_token(app *a, const char *token, app_actor *actor, mc_err *e);

/* Users as JSON, never with password hashes. */
MC_MUST_USE int auth_users(app *a, const app_actor *by, json_t **out, mc_err *e);
/* OUT: *out, an array of {login, name, role, role_label, disabled}; any officer. */
MC_MUST_USE int auth_staff(app *a, const app_actor *by, json_t **out, mc_err *e);
MC_MUST_USE int auth_user_json(app *a, const char *login, json_t **out, mc_err *e);

typedef struct {
	const char *name;     /* NULL: unchanged */
	const char *role;     /* NULL: unchanged */
	const char *password; /* NULL: unchanged */
	int disabled;         /* -1: unchanged */
	const char *email;    /* NULL: unchanged; "": none (app_email_check) */
	const char *unit;     /* NULL: unchanged; "": none; else an active unit (units.h) */
} auth_user_change;

/* Changes an account (admin only); disabling or a new password ends the
 * user's sessions, and a new password also revokes their API tokens. */
MC_MUST_USE int auth_user_update(app *a, const app_actor *by, const char *login,
				 const auth_user_change *c, mc_time now, mc_err *e);

/* The event log after after_seq, at most limit, with hashes (supervisor,
 * admin). OUT: {"events":[...], "next_after_seq": n|null}. */
MC_MUST_USE int auth_audit(app *a, const app_actor *by, int64_t after_seq, int limit,
			   json_t **out, mc_err *e);

/* Public look-up by code and the last 4 digits of the phone: procedure,
 * status, times and steps, nothing personal. A wrong phone answers exactly
 * like an unknown code (MC_ENOTFOUND lookup.no_match, "no dossier matches
 * this code and phone number"). OUT: *phone_wrong (may be NULL) = 1 if the code exists
 * and the digits were wrong, so that the server can pause the code's
 * look-up after too many (never shown to the caller). */
MC_MUST_USE int auth_public_lookup(app *a, const char *code, const char *phone4, mc_time now,
				   json_t **out, int *phone_wrong, mc_err *e);
/* A citizen's rating (3 very satisfied, 2 satisfied, 1 not satisfied), once, after
 * the result is ready. One answer for every dossier that cannot be rated
 * (unknown code, wrong phone, not ready, rated already): MC_ENOTFOUND
 * rating.unavailable, "no dossier with this code and phone can be rated now". OUT: *phone_wrong as
 * for auth_public_lookup. */
MC_MUST_USE int auth_public_rate(app *a, const char *code, const char *phone4, int level,
				 const char *comment, mc_time now, int *phone_wrong, mc_err *e);

#endif
