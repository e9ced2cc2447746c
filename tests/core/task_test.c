/*
 * task_test.c - the task state machine (src/core/task.c): every state ×
 * action with the right side, the wrong side and both; overdue; date
 * deadlines across Tết; recurrence; the hub's aggregate state.
 */
#include "core/task.h"
#include "t.h"

#include "shipped.h"

enum { A = TASK_ASSIGNED, P = TASK_IN_PROGRESS, R = TASK_REPORTED_DONE, OK = TASK_ACCEPTED,
       RT = TASK_RETURNED, C = TASK_CANCELLED, X = -9 /* wrong state */ };

/* The state after each action from each state, done by its own side. */
static const struct {
	int from;
	int to[TASK_N_ACTIONS]; /* start progress report_done accept return cancel delegate */
} table[] = {
	{ A, { P, P, R, X, X, C, A } },
	{ P, { X, P, R, X, X, C, P } },
	{ R, { X, X, X, OK, RT, C, X } },
	{ OK, { X, X, X, X, X, X, X } },
	{ RT, { P, P, R, X, X, C, RT } },
	{ C, { X, X, X, X, X, X, X } },
};

static const unsigned own_side[TASK_N_ACTIONS] = {
	[TASK_START] = TASK_SIDE_ASSIGNEE,   [TASK_PROGRESS] = TASK_SIDE_ASSIGNEE,
	[TASK_REPORT_DONE] = TASK_SIDE_ASSIGNEE, [TASK_ACCEPT] = TASK_SIDE_ASSIGNER,
	[TASK_RETURN] = TASK_SIDE_ASSIGNER,  [TASK_CANCEL] = TASK_SIDE_ASSIGNER,
	[TASK_DELEGATE] = TASK_SIDE_LEADER,
};

static void test_table(void)
{
	T_CASE("state x action");
	CHECK_INT(sizeof table / sizeof table[0], TASK_N_STATES);
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		for (int act = 0; act < TASK_N_ACTIONS; act++) {
			int want = table[i].to[act], to = -1;
			int rc = task_next(table[i].from, act, own_side[act], &to);
			if (want == X) {
				CHECK_INT(rc, TASK_ERR_STATE);
			} else {
				CHECK_INT(rc, TASK_OK);
				CHECK_INT(to, want);
			}
			/* Every other side is refused as such, whatever the state. */
			unsigned others = (TASK_SIDE_ASSIGNER | TASK_SIDE_ASSIGNEE | TASK_SIDE_LEADER) &
					  ~own_side[act];
			for (unsigned bit = 1; bit <= TASK_SIDE_LEADER; bit <<= 1) {
				if (!(others & bit))
					continue;
				CHECK_INT(task_next(table[i].from, act, bit, &to), TASK_ERR_SIDE);
			}
			/* No side at all (a supervisor): refused. */
			CHECK_INT(task_next(table[i].from, act, 0, &to), TASK_ERR_SIDE);
			/* Both sides (a leader assigning to their own unit). */
			rc = task_next(table[i].from, act,
				       TASK_SIDE_ASSIGNER | TASK_SIDE_ASSIGNEE | TASK_SIDE_LEADER, &to);
			CHECK_INT(rc, want == X ? TASK_ERR_STATE : TASK_OK);
		}
	}
	T_CASE("table shape");
	for (int act = 0; act < TASK_N_ACTIONS; act++) {
		CHECK_INT(task_actions[act].action, act);
		CHECK_INT(task_action_parse(task_action_name(act)), act);
		CHECK(task_actions[act].label_vi && task_actions[act].label_vi[0]);
	}
	CHECK(task_actions[TASK_RETURN].needs & TASK_NEED_REASON);
	CHECK(task_actions[TASK_CANCEL].needs & TASK_NEED_REASON);
	CHECK(task_actions[TASK_PROGRESS].needs & TASK_NEED_PERCENT);
	CHECK(task_actions[TASK_DELEGATE].needs & TASK_NEED_OWNER);
	CHECK_INT(task_action_parse("overdue"), -1);
	CHECK_INT(task_action_parse(NULL), -1);
	CHECK_INT(task_next(-1, TASK_START, TASK_SIDE_ASSIGNEE, &(int){ 0 }), TASK_ERR_STATE);
	CHECK_INT(task_next(A, TASK_N_ACTIONS, TASK_SIDE_ASSIGNEE, &(int){ 0 }), TASK_ERR_STATE);
	for (int s = 0; s < TASK_N_STATES; s++) {
		CHECK_INT(task_state_parse(task_state_name(s)), s);
		CHECK(task_state_label_vi(s)[0]);
	}
	/* Overdue is derived, never a state. */
	CHECK_INT(task_state_parse("overdue"), -1);
	CHECK(task_state_final(OK) && task_state_final(C) && !task_state_final(R));
}

static void test_overdue(void)
{
	static const struct {
		int state;
		mc_time due, done, now;
		int want;
	} cases[] = {
		{ A, 1000, 0, 999, 0 },
		{ A, 1000, 0, 1000, 0 }, /* at the deadline: not yet */
		{ A, 1000, 0, 1001, 1 },
		{ P, 1000, 0, 2000, 1 },
		{ RT, 1000, 0, 2000, 1 },
		{ R, 1000, 900, 2000, 0 },  /* reported on time, review pending */
		{ R, 1000, 1100, 2000, 1 }, /* reported late */
		{ R, 1000, 0, 2000, 1 },    /* no report time: now counts */
		{ OK, 1000, 1100, 2000, 0 },
		{ C, 1000, 0, 2000, 0 },
		{ A, 0, 0, 2000, 0 }, /* no deadline */
	};
	T_CASE("overdue");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK_INT(task_overdue(cases[i].state, cases[i].due, cases[i].done, cases[i].now),
			  cases[i].want);
}

static void test_due_date(void)
{
	cal_sched s;
	dl_hours h;
	mc_err e;
	size_t len;
	const char *csv = shipped("holidays-2024-2026.csv", &len);
	T_CASE("date deadlines");
	cal_sched_init(&s);
	CHECK_INT(cal_sched_add_csv(&s, csv, len, NULL, 0, NULL, &e), MC_OK);
	CHECK_INT(cal_sched_finish(&s, &e), MC_OK);
	dl_hours_default(&h);
	static const struct {
		const char *date, *want;
	} cases[] = {
		{ "2026-03-02", "2026-03-02 17:00" }, /* a Monday */
		{ "2026-03-07", "2026-03-09 17:00" }, /* Saturday: the Monday after */
		{ "2026-02-16", "2026-02-23 17:00" }, /* Tết Bính Ngọ (government schedule) */
		{ "2026-09-01", "2026-09-03 17:00" }, /* National Day and the day before it */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int32_t d;
		mc_time due = 0;
		char got[17] = "";
		CHECK_INT(cal_parse_date(cases[i].date, &d, &e), MC_OK);
		CHECK_INT(task_due_date(&s, &h, d, &due, &e), MC_OK);
		cal_format_datetime(due, got);
		CHECK_STR(got, cases[i].want);
	}
	/* Every day of 2026-2027 (Tết 2027 from the Labour Code's defaults):
	 * the deadline is the close of the first working day on or after it. */
	int32_t from, to;
	CHECK_INT(cal_parse_date("2026-01-01", &from, &e), MC_OK);
	CHECK_INT(cal_parse_date("2027-12-31", &to, &e), MC_OK);
	int bad = 0;
	for (int32_t d = from; d <= to; d++) {
		mc_time due = 0;
		if (task_due_date(&s, &h, d, &due, &e) != MC_OK) {
			bad++;
			continue;
		}
		int32_t got = cal_local_day(due);
		int ok = got >= d && cal_is_workday(&s, got) && cal_local_secs(due) == 17 * 3600;
		for (int32_t k = d; ok && k < got; k++)
			ok = !cal_is_workday(&s, k);
		bad += !ok;
	}
	CHECK_INT(bad, 0);
	int32_t far;
	CHECK_INT(cal_parse_date("2199-12-31", &far, &e), MC_OK);
	mc_time due;
	CHECK(task_due_date(&s, &h, far + 2, &due, &e) != MC_OK);
	cal_sched_release(&s);
}

static void test_recurrence(void)
{
	static const struct {
		int every, day;
		const char *cur, *next, *period_start, *period;
	} cases[] = {
		{ TASK_RECUR_MONTHLY, 20, "2026-01-20", "2026-02-20", "2026-02-01", "2026-02" },
		{ TASK_RECUR_MONTHLY, 31, "2026-01-31", "2026-02-28", "2026-02-01", "2026-02" },
		{ TASK_RECUR_MONTHLY, 31, "2026-02-28", "2026-03-31", "2026-03-01", "2026-03" },
		{ TASK_RECUR_MONTHLY, 29, "2028-01-29", "2028-02-29", "2028-02-01", "2028-02" },
		{ TASK_RECUR_MONTHLY, 5, "2026-12-05", "2027-01-05", "2027-01-01", "2027-01" },
		{ TASK_RECUR_QUARTERLY, 15, "2026-03-15", "2026-06-15", "2026-04-01", "2026-06" },
		{ TASK_RECUR_QUARTERLY, 31, "2026-11-30", "2027-02-28", "2026-12-01", "2027-02" },
	};
	mc_err e;
	T_CASE("recurrence");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int32_t cur, next = 0;
		char got[11], start[11], period[8];
		CHECK_INT(cal_parse_date(cases[i].cur, &cur, &e), MC_OK);
		CHECK_INT(task_recur_next(cases[i].every, cases[i].day, cur, &next, &e), MC_OK);
		cal_format_date(next, got);
		CHECK_STR(got, cases[i].next);
		cal_format_date(task_period_start(cases[i].every, next), start);
		CHECK_STR(start, cases[i].period_start);
		task_period_name(next, period);
		CHECK_STR(period, cases[i].period);
	}
	int32_t d = 0;
	CHECK(task_recur_next(TASK_RECUR_NONE, 1, 0, &d, &e) != MC_OK);
	CHECK(task_recur_next(TASK_RECUR_MONTHLY, 0, 0, &d, &e) != MC_OK);
	CHECK(task_recur_next(TASK_RECUR_MONTHLY, 32, 0, &d, &e) != MC_OK);
	CHECK_INT(task_recur_parse(""), TASK_RECUR_NONE);
	CHECK_INT(task_recur_parse(NULL), TASK_RECUR_NONE);
	CHECK_INT(task_recur_parse("monthly"), TASK_RECUR_MONTHLY);
	CHECK_INT(task_recur_parse("quarterly"), TASK_RECUR_QUARTERLY);
	CHECK_INT(task_recur_parse("weekly"), -1);
	CHECK_STR(task_recur_name(TASK_RECUR_QUARTERLY), "quarterly");
}

static void test_aggregate(void)
{
	static const struct {
		int st[4];
		size_t n;
		int want;
	} cases[] = {
		{ { 0 }, 0, A },
		{ { A, A }, 2, A },
		{ { A, P }, 2, P },
		{ { R, P }, 2, P },
		{ { R, R }, 2, R },
		{ { R, C }, 2, R },
		{ { R, RT }, 2, RT },
		{ { OK, C }, 2, OK },
		{ { OK, OK, OK }, 3, OK },
		{ { C, C }, 2, C },
		{ { OK, A }, 2, P },
		{ { C, A }, 2, A },
	};
	T_CASE("aggregate");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK_INT(task_aggregate(cases[i].st, cases[i].n), cases[i].want);
}

int main(void)
{
	test_table();
	test_overdue();
	test_due_date();
	test_recurrence();
	test_aggregate();
	return t_done();
}
