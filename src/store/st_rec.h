/*
 * st_rec.h - the store's side of recommendations (kiến nghị, schema 19):
 * the records, their steps and their numbers. Rows only: the rules, the
 * checks and the events are the app's (app/recommend.h).
 */
#ifndef ST_REC_H
#define ST_REC_H

#include "st.h"

/* A recommendation's row. Strings are borrowed: a walk's are valid during
 * the callback only. */
typedef struct {
	const char *agency, *id, *state;
	int round;
	const char *concerns, *department, *field;
	mc_time filed_at, routed_at, due_at, answered_at, ended_at;
	const char *fold, *body;
	mc_time updated_at;
} st_rec;

/* Inside a transaction: the next number of agency's recommendations in
 * year (1, 2, ...). OUT: *n. */
MC_MUST_USE int st_rec_serial_next(st *s, const char *agency, int year, int64_t *n, mc_err *e);
/* Inside a transaction: inserts r, or replaces the row of (r->agency,
 * r->id). */
MC_MUST_USE int st_rec_put(st *s, const st_rec *r, mc_err *e);

typedef int (*st_rec_cb)(void *ctx, const st_rec *r);
/* The recommendation id, to cb. MC_ENOTFOUND (no message) if none. */
MC_MUST_USE int st_rec_get(st *s, const char *id, st_rec_cb cb, void *ctx, mc_err *e);

/* What a list keeps; NULL or "" (0 for times) leaves a condition out. */
typedef struct {
	const char *agency;     /* the commune */
	const char *state;      /* a state, or "open" (filed or routed) */
	const char *department; /* routed to */
	const char *concerns;   /* named by the commune */
	const char *field;      /* exactly */
	const char *fold;       /* folded words the fold column contains */
	mc_time from, to;       /* filed in [from, to) */
	mc_time due_before;     /* routed, unanswered, answer due before this */
	int limit, offset;      /* limit 0: all */
} st_rec_filter;

/* The recommendations f keeps, newest filed first. cb returning non-zero
 * stops the walk. OUT: *total (may be NULL): how many f keeps in all. */
MC_MUST_USE int st_rec_list(st *s, const st_rec_filter *f, st_rec_cb cb, void *ctx,
			    int64_t *total, mc_err *e);

typedef struct {
	const char *agency, *id, *origin, *action, *side, *actor, *body;
	int round;
	int64_t n, seq;
	mc_time at;
} st_rec_step;

/* Inside a transaction: appends step (its n is the next one), unless a
 * step of the same origin is there already. OUT: *added (may be NULL). */
MC_MUST_USE int st_rec_step_add(st *s, const st_rec_step *step, int *added, mc_err *e);
typedef int (*st_rec_step_cb)(void *ctx, const st_rec_step *step);
/* The steps of recommendation id in the order they were applied. */
MC_MUST_USE int st_rec_steps(st *s, const char *id, st_rec_step_cb cb, void *ctx, mc_err *e);

#endif
