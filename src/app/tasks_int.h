/*
 * tasks_int.h - what the app's sync and sweep code calls of tasks.c
 * (docs/tasks.md, docs/sync.md §7): a commune's task events on the hub,
 * the pull stream "tasks" on a node, reminders and recurrence in the
 * notification sweep.
 */
#ifndef APP_TASKS_INT_H
#define APP_TASKS_INT_H

#include "app/app_int.h"

/*
 * On a hub, inside the push's transaction: a commune's task.* event
 * (agency's seq, kind, at, actor, parsed payload) applied to the hub's
 * record of it. Sets the verdict: "applied" (an assignment of a province
 * task, or a shared task, changed), "stored" (kept, nothing to change: a
 * commune's own unshared task, or an action that crossed the hub's
 * cancellation), "rejected" with its code and message.
 */
MC_MUST_USE int app_hub_task_event(app *a, const char *agency, int64_t seq, const char *kind,
				   const char *at, const char *actor, const json_t *payload,
				   mc_time now, const char **verdict, const char **vcode,
				   char *vmsg, size_t vmsg_size, mc_err *e);

/*
 * On a node, inside the pull's transaction: one item of stream "tasks"
 * (kind task.assigned or task.reviewed, body parsed) applied as an event
 * in this node's log. OUT: *seq that event; *skipped 1 with the reason in
 * *why when the item cannot apply here (nothing written).
 */
MC_MUST_USE int app_task_item(app *a, const char *kind, const json_t *body, int64_t cursor,
			      const char *hash, mc_time now, int64_t *seq, int *skipped,
			      mc_err *why, mc_err *e);

typedef struct {
	int near_due, overdue; /* notifications made */
	int made;              /* instances of recurring tasks made */
} app_task_sweep_stats;

/*
 * The tasks' part of the notification sweep at now: the next instance of
 * each recurring series whose period began (once), and on a node the
 * reminders of tasks that became near due or overdue (once per crossing),
 * to their officers, co-workers and, when overdue, the assigner and the
 * leaders. OUT: *stats (may be NULL).
 */
MC_MUST_USE int app_task_sweep(app *a, mc_time now, app_task_sweep_stats *stats, mc_err *e);

/* The demo commune's tasks (demo_tasks.c), for init --demo --office. */
MC_MUST_USE int app_demo_tasks(app *a, mc_time now, mc_err *e);

#endif
