/*
 * st_task.h - the store's side of tasks (issue 14, schema 18): the task
 * rows, their history, serials, and on a hub each commune's assignment of
 * a province task. docs/tasks.md.
 */
#ifndef ST_TASK_H
#define ST_TASK_H

#include "st.h"

/* One task row. Strings are borrowed: for a walk, valid during the
 * callback; for a put, the caller's. JSON columns hold JSON text. */
typedef struct {
	const char *id, *agency, *assigner, *origin;
	const char *title, *content;
	const char *source_kind, *source_ref, *source_date;
	const char *unit, *officer, *coworkers; /* coworkers: JSON array */
	const char *creator, *creator_name;
	mc_time assigned_at;
	const char *deadline; /* JSON */
	mc_time due_at;
	const char *state;
	int percent;
	mc_time done_at, closed_at;
	const char *reason;
	const char *recur;
	int recur_day;
	const char *series, *period, *nominal;
	int shared;
	const char *attachments, *communes; /* JSON arrays */
	mc_time updated_at;
	int64_t last_seq;
} st_task;

typedef int (*st_task_cb)(void *ctx, const st_task *t);

/* Inside a transaction: the next serial of agency's tasks in year
 * (1, 2, ...). OUT: *n. */
MC_MUST_USE int st_task_serial_next(st *s, const char *agency, int year, int64_t *n, mc_err *e);
/* Inside a transaction: inserts t, or replaces the row of its id. */
MC_MUST_USE int st_task_put(st *s, const st_task *t, mc_err *e);
/* The row of id: cb(ctx, row) once. MC_ENOTFOUND (no message) if none. */
MC_MUST_USE int st_task_get(st *s, const char *id, st_task_cb cb, void *ctx, mc_err *e);
/* Whether series already has an instance for period. OUT: *exists. */
MC_MUST_USE int st_task_period_exists(st *s, const char *series, const char *period, int *exists,
				      mc_err *e);

/* What a list asks for. NULL/0 fields do not filter. */
typedef struct {
	const char *agency;      /* the node that works it */
	const char *member;      /* officer or co-worker is this login */
	const char *unit;        /* owner unit */
	const char *source;      /* folded text the source's ref contains, or a kind */
	const char *commune;     /* hub: sent to, or held by, this commune */
	const char *origin;      /* 'local', 'hub', 'commune' */
	/* Who may see: unless see_all, only tasks scope_login created, holds
	 * (officer, co-worker) or whose unit is scope_unit. */
	int see_all;
	const char *scope_login, *scope_unit;
	int open_only;           /* not accepted nor cancelled */
	mc_time due_before;      /* 0 none: due_at in (0, due_before) */
	int overdue;             /* overdue at now (task_overdue's rule) */
	int near;                /* not overdue at now, due before due_before */
	mc_time now;
	int limit, offset;       /* limit 0: all */
} st_task_filter;

/* The tasks f selects, soonest due first (no deadline last), then id.
 * OUT: *total (may be NULL), how many match without limit and offset. */
MC_MUST_USE int st_task_list(st *s, const st_task_filter *f, st_task_cb cb, void *ctx,
			     int64_t *total, mc_err *e);
/* Recurring series of agency assigned here: the latest instance of each
 * (cb with its row). */
MC_MUST_USE int st_task_series_latest(st *s, const char *agency, st_task_cb cb, void *ctx,
				      mc_err *e);

/* ---- history ---- */
typedef struct {
	int64_t id;
	const char *task, *commune, *agency;
	int64_t seq;
	mc_time at;
	const char *actor, *actor_name, *action, *from_state, *to_state;
	int percent; /* -1 none */
	const char *text, *attachments, *note;
} st_task_log;

/* Inside a transaction: records one history row; the same event
 * (agency, seq, task, commune) twice is kept once. */
MC_MUST_USE int st_task_log_put(st *s, const st_task_log *l, mc_err *e);
typedef int (*st_task_log_cb)(void *ctx, const st_task_log *l);
/* task's history, oldest first (every commune's on a hub). */
MC_MUST_USE int st_task_log_list(st *s, const char *task, st_task_log_cb cb, void *ctx, mc_err *e);

/* ---- on a hub: each commune's assignment of a province task ---- */
typedef struct {
	const char *agency, *task, *state;
	int percent;
	const char *unit, *officer;
	mc_time delivered_at, done_at, closed_at;
	const char *reason;
	mc_time updated_at;
} st_task_assign;

MC_MUST_USE int st_task_assign_put(st *s, const st_task_assign *a, mc_err *e);
typedef int (*st_task_assign_cb)(void *ctx, const st_task_assign *a);
/* The assignment of task to agency: cb once; MC_ENOTFOUND if none. */
MC_MUST_USE int st_task_assign_get(st *s, const char *agency, const char *task,
				   st_task_assign_cb cb, void *ctx, mc_err *e);
/* Every commune's assignment of task, by agency. */
MC_MUST_USE int st_task_assign_list(st *s, const char *task, st_task_assign_cb cb, void *ctx,
				    mc_err *e);

#endif
