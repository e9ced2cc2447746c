/*
 * tasks.h - tasks (giao việc, issue 14): assigned from a directive to a
 * unit and officer with a working-time deadline, worked on with progress
 * reports, reviewed by the assigner; on a hub, assigned to communes, whose
 * progress comes back with sync. docs/tasks.md.
 */
#ifndef APP_TASKS_H
#define APP_TASKS_H

#include "app/app.h"

/* Limits of a task's text, in bytes, and of its lists. */
#define APP_TASK_TITLE_MAX 500
#define APP_TASK_CONTENT_MAX 20000
#define APP_TASK_REF_MAX 500
#define APP_TASK_TEXT_MAX 10000
#define APP_TASK_COWORKERS_MAX 20
#define APP_TASK_COMMUNES_MAX 500
#define APP_TASK_PAGE_MAX 200

/*
 * Assigns a task (a leader or admin), in one transaction with its
 * task.assigned event. in: {"title", "content"?, "source": {"kind":
 * document|meeting|person, "ref", "date"?}, "unit"?, "officer"?,
 * "coworkers"?: [login], "deadline": {"date"} | {"time", "unit"},
 * "recurrence"?: {"every": monthly|quarterly, "day"?}, "attachments"?:
 * [sha256], "shared"?: bool} and, on a hub, "communes": [agency] | "all"
 * instead of the unit and officers. Errors: MCE_BAD_FIELD/UNKNOWN_FIELD
 * naming the field, MCE_UNIT_UNKNOWN, MCE_TASK_UNKNOWN_OFFICER,
 * MCE_TASK_UNKNOWN_COMMUNE, MCE_TASK_DEADLINE_PAST, MCE_ATTACH_UNKNOWN.
 * OUT: *out the task as app_task_get answers it.
 */
MC_MUST_USE int app_task_create(app *a, const app_actor *by, const json_t *in, mc_time now,
				json_t **out, mc_err *e);

/*
 * One action on task id: start, progress, report_done, accept, return,
 * cancel, delegate (docs/tasks.md has the table). in holds what the
 * action takes: "text", "percent" (progress), "attachments", "reason"
 * (return, cancel), "unit"/"officer"/"coworkers" (delegate), "commune"
 * (a hub's review of one commune's assignment). MCE_TASK_WRONG_SIDE (403)
 * when by is not on the action's side, MCE_TASK_WRONG_STATE (409) when it
 * does not apply now, MCE_TASK_NOT_HERE (409) on a copy held elsewhere.
 * OUT: *out the task after it.
 */
MC_MUST_USE int app_task_act(app *a, const app_actor *by, const char *id, const char *action,
			     const json_t *in, mc_time now, json_t **out, mc_err *e);

/* The task with its history, what by may do now, and on a hub each
 * commune's assignment. MCE_TASK_NOT_FOUND for an unknown id or one by
 * may not see. */
MC_MUST_USE int app_task_get(app *a, const app_actor *by, const char *id, mc_time now,
			     json_t **out, mc_err *e);

typedef struct {
	const char *view;    /* mine | unit | near_due | overdue | all (NULL: mine) */
	const char *source;  /* a source kind, or a directive's ref exactly */
	const char *unit;    /* a unit's code */
	const char *commune; /* hub: the tasks of one commune */
	int limit, offset;   /* 1..APP_TASK_PAGE_MAX (0: 50), >= 0 */
} app_task_query;

/* A page of tasks, soonest due first: {"items", "total", "limit",
 * "offset", "now", "near_due_before"}. */
MC_MUST_USE int app_task_list(app *a, const app_actor *by, const app_task_query *q, mc_time now,
			      json_t **out, mc_err *e);

/* The leader's board (leader, admin, supervisor): counts of open,
 * near-due, overdue, done on time and late, by unit, by source directive
 * and, on a hub, by commune. */
MC_MUST_USE int app_task_board(app *a, const app_actor *by, mc_time now, json_t **out, mc_err *e);

#endif
