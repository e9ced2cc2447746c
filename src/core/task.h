/*
 * task.h - tasks (giao việc, issue 14): the state machine as one table,
 * the sides that may act, deadlines and recurrence. Pure rules: the app
 * loads a task, asks task_next for the state after an action, and stores
 * it with its event. "now" and every instant are arguments.
 */
#ifndef TASK_H
#define TASK_H

#include "dl.h"

/* States. Overdue is not one: it is derived (task_overdue). */
enum {
	TASK_ASSIGNED = 0, /* made, nobody started it */
	TASK_IN_PROGRESS,
	TASK_REPORTED_DONE, /* the assignee says it is done: the assigner reviews */
	TASK_ACCEPTED,      /* final */
	TASK_RETURNED,      /* the assigner asks for more work */
	TASK_CANCELLED,     /* final, with a reason */
	TASK_N_STATES
};

enum {
	TASK_START = 0,
	TASK_PROGRESS,    /* a progress report: percent, text, attachments */
	TASK_REPORT_DONE,
	TASK_ACCEPT,
	TASK_RETURN,      /* reason required */
	TASK_CANCEL,      /* reason required */
	TASK_DELEGATE,    /* the owner side's leader hands it to a unit / officer */
	TASK_N_ACTIONS
};

/* The two sides of a task. The app decides which an actor is on (both is
 * possible: a leader who assigns work to their own unit). */
enum {
	TASK_SIDE_ASSIGNER = 1 << 0, /* the creator, the assigning node's leaders and admins */
	TASK_SIDE_ASSIGNEE = 1 << 1, /* the owner officer, co-workers, the unit, the leaders */
	TASK_SIDE_LEADER = 1 << 2,   /* of the assignee side, as its leader (delegation) */
};

/* What an action needs besides the actor. */
enum {
	TASK_NEED_REASON = 1 << 0,  /* a non-empty reason */
	TASK_NEED_PERCENT = 1 << 1, /* percent 0..100 */
	TASK_NEED_OWNER = 1 << 2,   /* a unit (and maybe an officer) to hand it to */
};

typedef struct {
	int action;
	const char *name;     /* "report_done" */
	const char *label_vi; /* the button */
	unsigned from;        /* mask of states (1 << TASK_*) it applies to */
	int to;               /* next state; -1: unchanged; -2: in_progress from
			       * assigned/returned, else unchanged (progress) */
	unsigned side;        /* the side that may do it (TASK_SIDE_*) */
	unsigned needs;       /* TASK_NEED_* */
} task_action_def;

/* The one table, indexed by action. */
extern const task_action_def task_actions[TASK_N_ACTIONS];

const char *task_state_name(int state);     /* "in_progress" */
const char *task_state_label_vi(int state); /* "Đang thực hiện" */
int task_state_parse(const char *name);     /* -1 if unknown */
int task_state_final(int state);            /* accepted or cancelled */
const char *task_action_name(int action);
int task_action_parse(const char *name);    /* -1 if unknown */

enum { TASK_OK = 0, TASK_ERR_SIDE, TASK_ERR_STATE };
/*
 * The state after action on a task in state by an actor on sides (a mask
 * of TASK_SIDE_*). TASK_ERR_SIDE when the actor is not on the action's
 * side (checked first: a wrong side is told so whatever the state),
 * TASK_ERR_STATE when the action does not apply in state. OUT: *to.
 */
int task_next(int state, int action, unsigned sides, int *to);

/* Whether a task is overdue: not final, and the instant that counts (the
 * report's time, done_at, while reported done; else now) past due_at.
 * due_at 0: never. */
int task_overdue(int state, mc_time due_at, mc_time done_at, mc_time now);

/* ---- deadlines ---- */
/* A date deadline: the close of office hours on day, or of the next
 * working day if day is a day off (the rule of calendar days). OUT: *due. */
MC_MUST_USE int task_due_date(const cal_sched *s, const dl_hours *h, int32_t day, mc_time *due,
			      mc_err *e);

/* ---- recurrence ---- */
enum { TASK_RECUR_NONE = 0, TASK_RECUR_MONTHLY, TASK_RECUR_QUARTERLY };
const char *task_recur_name(int every); /* "", "monthly", "quarterly" */
int task_recur_parse(const char *name); /* -1 if unknown; "" is NONE */
/*
 * The nominal date (before moving off a day off) of the instance after
 * the one due on cur: day `day` (1..31, clamped to the month's length) of
 * the month 1 (monthly) or 3 (quarterly) after cur's. OUT: *next.
 */
MC_MUST_USE int task_recur_next(int every, int day, int32_t cur, int32_t *next, mc_err *e);
/* The first day of the period of an instance due on nominal: the first of
 * its month (monthly) or of the month two before (quarterly: the three
 * months that end with it). */
int32_t task_period_start(int every, int32_t nominal);
/* The period's name, "YYYY-MM" of the nominal date (out: 8 bytes). */
void task_period_name(int32_t nominal, char out[8]);

/*
 * The state a province task shows on the hub, made of its communes'
 * states: cancelled if all are; accepted when every one is final and one
 * at least accepted; reported_done when every one not final is; returned
 * if one is; in_progress if one has started; else assigned.
 */
int task_aggregate(const int *states, size_t n);

#endif
