/*
 * st_units.h - units (đơn vị), and attachments of office records (schema
 * 16). Rows only: the checks and events are the app's (app/units.h).
 */
#ifndef ST_UNITS_H
#define ST_UNITS_H

#include "st.h"

typedef struct {
	char code[32];
	char name[256];
	char abbr[32];
	char scope[16]; /* node | province */
	int active;
	mc_time updated_at;
} st_unit;

/* OUT: *u. MC_ENOTFOUND (no message) if no unit has that code. */
MC_MUST_USE int st_unit_get(st *s, const char *code, st_unit *u, mc_err *e);
/* Inserts or replaces u. */
MC_MUST_USE int st_unit_put(st *s, const st_unit *u, mc_err *e);
/* Removes the units of a scope (init --hub drops a commune's offices). */
MC_MUST_USE int st_unit_drop_scope(st *s, const char *scope, mc_err *e);
typedef int (*st_unit_cb)(void *ctx, const st_unit *u);
/* Every unit, scope 'node' first, then by name. */
MC_MUST_USE int st_unit_list(st *s, st_unit_cb cb, void *ctx, mc_err *e);

typedef struct {
	const char *sha256, *agency, *filename, *mime, *added_by, *origin;
	int64_t size;
	mc_time added_at;
	int64_t seq;
} st_attach;

/* Inserts a (nothing if its hash is recorded). OUT: *created (may be NULL). */
MC_MUST_USE int st_attach_put(st *s, const st_attach *a, int *created, mc_err *e);
typedef int (*st_attach_cb)(void *ctx, const st_attach *a);
/* The attachment with that hash, to cb. MC_ENOTFOUND (no message) if none. */
MC_MUST_USE int st_attach_get(st *s, const char *sha256, st_attach_cb cb, void *ctx, mc_err *e);

/* On a hub: a commune's attachment it holds the bytes of (hub_file kind
 * 'attachment'). OUT: filename, mime (sizes as named), *size. MC_ENOTFOUND
 * (no message) if none. */
MC_MUST_USE int st_attach_hub(st *s, const char *sha256, char *filename, size_t fsize,
			      char mime[64], int64_t *size, mc_err *e);

/* An attachment a pull item named, to fetch from the hub. */
typedef struct {
	const char *sha256, *filename, *mime, *error;
	int64_t size, received, tries;
} st_attach_want;
/* Records a wanted attachment (nothing if it is wanted already). */
MC_MUST_USE int st_attach_want_put(st *s, const st_attach_want *w, mc_time now, mc_err *e);
typedef int (*st_attach_want_cb)(void *ctx, const st_attach_want *w);
/* The wanted attachments with fewer than max_tries failures, oldest first,
 * at most limit. */
MC_MUST_USE int st_attach_want_list(st *s, int max_tries, int limit, st_attach_want_cb cb,
				    void *ctx, mc_err *e);
/* Records progress (received bytes) or a failure (error non-NULL: tries+1). */
MC_MUST_USE int st_attach_want_set(st *s, const char *sha256, int64_t received,
				   const char *error, mc_err *e);
/* The wanted attachment sha256, to cb. MC_ENOTFOUND (no message) if none. */
MC_MUST_USE int st_attach_want_get(st *s, const char *sha256, st_attach_want_cb cb, void *ctx,
				   mc_err *e);
/* 1 in *exists if a wanted attachment's part file is named id (the first
 * 32 hex digits of its hash). */
MC_MUST_USE int st_attach_want_part(st *s, const char *id, int *exists, mc_err *e);
MC_MUST_USE int st_attach_want_delete(st *s, const char *sha256, mc_err *e);
/* How many are wanted, and how many gave up. */
MC_MUST_USE int st_attach_want_counts(st *s, int max_tries, int64_t *waiting, int64_t *failed,
				      mc_err *e);

#endif
