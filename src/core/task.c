/*
 * task.c - the task state machine, its one table of actions and sides,
 * date deadlines, recurrence and the hub's aggregate state. See task.h and
 * docs/tasks.md.
 */
#include "task.h"

#define S(x) (1u << (x))
#define OPEN_WORK (S(TASK_ASSIGNED) | S(TASK_IN_PROGRESS) | S(TASK_RETURNED))
#define NOT_FINAL (OPEN_WORK | S(TASK_REPORTED_DONE))

static const struct {
	const char *name, *label;
} states[TASK_N_STATES] = {
	[TASK_ASSIGNED] = { "assigned", "Mới giao" },
	[TASK_IN_PROGRESS] = { "in_progress", "Đang thực hiện" },
	[TASK_REPORTED_DONE] = { "reported_done", "Đã báo cáo hoàn thành" },
	[TASK_ACCEPTED] = { "accepted", "Đã nghiệm thu" },
	[TASK_RETURNED] = { "returned", "Trả lại, làm tiếp" },
	[TASK_CANCELLED] = { "cancelled", "Đã huỷ" },
};

/*
 * Who does what, from which states. The assignee side does the work
 * (start, progress, report); the assigner side reviews it (accept,
 * return) and may call it off (cancel) at any time before it is final.
 * The two sides own distinct actions, which is what lets a hub and a
 * commune each apply the other's events without merging (docs/tasks.md
 * "Both sides").
 */
const task_action_def task_actions[TASK_N_ACTIONS] = {
	[TASK_START] = { TASK_START, "start", "Bắt đầu thực hiện",
			 S(TASK_ASSIGNED) | S(TASK_RETURNED), TASK_IN_PROGRESS,
			 TASK_SIDE_ASSIGNEE, 0 },
	/* A report on an untouched or returned task starts it too. */
	[TASK_PROGRESS] = { TASK_PROGRESS, "progress", "Báo cáo tiến độ", OPEN_WORK, -2,
			    TASK_SIDE_ASSIGNEE, TASK_NEED_PERCENT },
	[TASK_REPORT_DONE] = { TASK_REPORT_DONE, "report_done", "Báo cáo hoàn thành", OPEN_WORK,
			       TASK_REPORTED_DONE, TASK_SIDE_ASSIGNEE, 0 },
	[TASK_ACCEPT] = { TASK_ACCEPT, "accept", "Nghiệm thu", S(TASK_REPORTED_DONE),
			  TASK_ACCEPTED, TASK_SIDE_ASSIGNER, 0 },
	[TASK_RETURN] = { TASK_RETURN, "return", "Trả lại để làm tiếp", S(TASK_REPORTED_DONE),
			  TASK_RETURNED, TASK_SIDE_ASSIGNER, TASK_NEED_REASON },
	[TASK_CANCEL] = { TASK_CANCEL, "cancel", "Huỷ nhiệm vụ", NOT_FINAL, TASK_CANCELLED,
			  TASK_SIDE_ASSIGNER, TASK_NEED_REASON },
	/* The commune's leader hands a province task (or any task of the
	 * node) to one of its units and officers; the state is unchanged. */
	[TASK_DELEGATE] = { TASK_DELEGATE, "delegate", "Giao cho đơn vị, cán bộ", OPEN_WORK, -1,
			    TASK_SIDE_LEADER, TASK_NEED_OWNER },
};

const char *task_state_name(int state)
{
	return state >= 0 && state < TASK_N_STATES ? states[state].name : "";
}

const char *task_state_label_vi(int state)
{
	return state >= 0 && state < TASK_N_STATES ? states[state].label : "";
}

int task_state_parse(const char *name)
{
	for (int i = 0; name && i < TASK_N_STATES; i++)
		if (strcmp(states[i].name, name) == 0)
			return i;
	return -1;
}

int task_state_final(int state)
{
	return state == TASK_ACCEPTED || state == TASK_CANCELLED;
}

const char *task_action_name(int action)
{
	return action >= 0 && action < TASK_N_ACTIONS ? task_actions[action].name : "";
}

int task_action_parse(const char *name)
{
	for (int i = 0; name && i < TASK_N_ACTIONS; i++)
		if (strcmp(task_actions[i].name, name) == 0)
			return i;
	return -1;
}

int task_next(int state, int action, unsigned sides, int *to)
{
	if (action < 0 || action >= TASK_N_ACTIONS || state < 0 || state >= TASK_N_STATES)
		return TASK_ERR_STATE;
	const task_action_def *d = &task_actions[action];
	if (!(sides & d->side))
		return TASK_ERR_SIDE;
	if (!(d->from & S(state)))
		return TASK_ERR_STATE;
	if (d->to == -1)
		*to = state;
	else if (d->to == -2)
		*to = TASK_IN_PROGRESS;
	else
		*to = d->to;
	return TASK_OK;
}

int task_overdue(int state, mc_time due_at, mc_time done_at, mc_time now)
{
	if (task_state_final(state) || due_at <= 0 || state < 0 || state >= TASK_N_STATES)
		return 0;
	/* Reported on time, the assigner's review does not make it late. */
	mc_time at = state == TASK_REPORTED_DONE && done_at > 0 ? done_at : now;
	return at > due_at;
}

int task_due_date(const cal_sched *s, const dl_hours *h, int32_t day, mc_time *due, mc_err *e)
{
	/* LAW: Civil Code 2015 art. 148(5): a term whose last day is a day
	 * off ends with the next working day; it ends at the close of office,
	 * as a term in calendar days does (dl.c). One calendar day from the
	 * day before is exactly that. */
	return dl_due(s, h, cal_time_of(day - 1, 0), 1, DL_CALENDAR_DAYS, due, e);
}

/* ---- recurrence ---- */

static const char *const recur_names[] = { "", "monthly", "quarterly" };

const char *task_recur_name(int every)
{
	return every >= TASK_RECUR_NONE && every <= TASK_RECUR_QUARTERLY ? recur_names[every] : "";
}

int task_recur_parse(const char *name)
{
	if (!name || !*name)
		return TASK_RECUR_NONE;
	for (int i = TASK_RECUR_MONTHLY; i <= TASK_RECUR_QUARTERLY; i++)
		if (strcmp(recur_names[i], name) == 0)
			return i;
	return -1;
}

int task_recur_next(int every, int day, int32_t cur, int32_t *next, mc_err *e)
{
	if (every != TASK_RECUR_MONTHLY && every != TASK_RECUR_QUARTERLY)
		return mc_fail(e, MCE_INVALID, "nhiệm vụ không lặp lại", "the task does not recur");
	if (day < 1 || day > 31)
		return mc_fail(e, MCE_INVALID, "ngày lặp lại phải từ 1 đến 31, không phải %d",
			       "the day of the month must be 1 to 31, not %d", day);
	int y, m, d;
	cal_civil_from_days(cur, &y, &m, &d);
	m += every == TASK_RECUR_MONTHLY ? 1 : 3;
	while (m > 12) {
		m -= 12;
		y++;
	}
	if (y > CAL_MAX_YEAR)
		return mc_fail(e, MCE_DEADLINE_OUT_OF_RANGE, "kỳ sau nằm ngoài khoảng năm của lịch",
			       "the next period is outside the calendar's years");
	int last = cal_month_days(y, m);
	*next = cal_days_from_civil(y, m, day < last ? day : last);
	return MC_OK;
}

int32_t task_period_start(int every, int32_t nominal)
{
	int y, m, d;
	cal_civil_from_days(nominal, &y, &m, &d);
	if (every == TASK_RECUR_QUARTERLY) {
		m -= 2;
		if (m < 1) {
			m += 12;
			y--;
		}
	}
	return cal_days_from_civil(y, m, 1);
}

void task_period_name(int32_t nominal, char out[8])
{
	int y, m, d;
	cal_civil_from_days(nominal, &y, &m, &d);
	snprintf(out, 8, "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
}

int task_aggregate(const int *st, size_t n)
{
	size_t cancelled = 0, accepted = 0, reported = 0, final = 0;
	int returned = 0, started = 0;
	for (size_t i = 0; i < n; i++) {
		cancelled += st[i] == TASK_CANCELLED;
		accepted += st[i] == TASK_ACCEPTED;
		reported += st[i] == TASK_REPORTED_DONE;
		final += task_state_final(st[i]);
		returned |= st[i] == TASK_RETURNED;
		started |= st[i] == TASK_IN_PROGRESS || st[i] == TASK_REPORTED_DONE ||
			   st[i] == TASK_RETURNED || st[i] == TASK_ACCEPTED;
	}
	if (n == 0)
		return TASK_ASSIGNED;
	if (cancelled == n)
		return TASK_CANCELLED;
	if (final == n)
		return TASK_ACCEPTED;
	if (reported && reported + final == n)
		return TASK_REPORTED_DONE;
	if (returned)
		return TASK_RETURNED;
	return started ? TASK_IN_PROGRESS : TASK_ASSIGNED;
}
