/*
 * dl_test.c - deadlines over office hours (07:00-11:30, 13:30-17:00, cut-off
 * 15:00) and the shipped 2024-2026 schedule, with Labour Code defaults for
 * the other years. Every expected due time was worked out by hand from the
 * rules in DESIGN.md section 4 (weekdays and days off noted in comments).
 *
 * Days off used below:
 *   2025: 1/1 Wed; Tet 27/1 Mon - 31/1 Fri (25-26/1, 1-2/2 weekend);
 *         7/4 Mon; 26/4 Sat WORKED; 30/4 Wed, 1/5 Thu, 2/5 Fri; 1/9 Mon, 2/9 Tue
 *   2026: 1/1 Thu, 2/1 Fri; 10/1 Sat WORKED; Tet 16/2 Mon - 20/2 Fri;
 *         26/4 Sun + 27/4 Mon; 30/4 Thu, 1/5 Fri; 22/8 Sat WORKED;
 *         31/8 Mon, 1/9 Tue, 2/9 Wed
 *   2027 (defaults): 1/1 Fri; Tet 5/2 Fri - 9/2 Tue (6-7 weekend) + 10/2,
 *         11/2 compensatory; 16/4 Fri (10/3); 30/4 Fri; 1/5 Sat + 3/5 Mon;
 *         2/9 Thu, 3/9 Fri
 */
#include "core/dl.h"
#include "t.h"

#include <math.h>

#include "shipped.h"

static cal_sched sched;
static dl_hours hours;

static mc_time T(const char *s)
{
	mc_time t = 0;
	mc_err e;
	if (cal_parse_datetime(s, &t, &e)) {
		fprintf(stderr, "bad test time '%s': %s\n", s, e.msg);
		t_fail++;
	}
	return t;
}

static const char *fmt(mc_time t, char buf[17])
{
	cal_format_datetime(t, buf);
	return buf;
}

/* One row a case: reception (local), amount, unit, expected due (local). */
static const struct {
	const char *recv;
	double amount;
	const char *unit;
	const char *due;
} cases[] = {
	/* -- working_days in an ordinary week (Mon 3/3/2025 - Fri 7/3) -- */
	{ "2025-03-03 07:00", 1, "working_days", "2025-03-03 17:00" }, /* ends at close */
	{ "2025-03-03 06:00", 1, "working_days", "2025-03-03 17:00" }, /* early: from 07:00 */
	{ "2025-03-03 00:00", 1, "working_days", "2025-03-03 17:00" },
	{ "2025-03-03 08:00", 1, "working_days", "2025-03-04 08:00" },
	{ "2025-03-03 11:30", 1, "working_days", "2025-03-04 11:30" }, /* 3.5 h + 4.5 h */
	{ "2025-03-03 12:00", 1, "working_days", "2025-03-04 11:30" }, /* lunch: from 13:30 */
	{ "2025-03-03 13:30", 1, "working_days", "2025-03-04 11:30" },
	{ "2025-03-03 13:00", 0.5, "working_days", "2025-03-04 07:30" },
	{ "2025-03-03 07:00", 0.5, "working_days", "2025-03-03 11:00" },
	{ "2025-03-03 07:00", 2, "working_days", "2025-03-04 17:00" },
	{ "2025-03-03 07:00", 5, "working_days", "2025-03-07 17:00" },
	{ "2025-03-03 07:00", 6, "working_days", "2025-03-10 17:00" },
	{ "2025-03-03 17:00", 1, "working_days", "2025-03-04 17:00" }, /* at close */
	{ "2025-03-03 17:30", 1, "working_days", "2025-03-04 17:00" }, /* evening */
	{ "2025-03-03 23:59", 1, "working_days", "2025-03-04 17:00" },
	{ "2025-03-03 16:59", 1, "working_days", "2025-03-04 16:59" },
	{ "2025-03-03 10:00", 3, "working_days", "2025-03-06 10:00" },
	{ "2025-03-03 14:00", 2, "working_days", "2025-03-05 14:00" },
	{ "2025-03-03 11:00", 1, "working_days", "2025-03-04 11:00" },
	{ "2025-03-03 11:29", 1, "working_days", "2025-03-04 11:29" },
	{ "2025-03-04 09:15", 1, "working_days", "2025-03-05 09:15" },
	{ "2025-03-03 07:00", 0.25, "working_days", "2025-03-03 09:00" },
	{ "2025-03-03 07:00", 10, "working_days", "2025-03-14 17:00" },
	{ "2025-03-03 07:00", 20, "working_days", "2025-03-28 17:00" },
	{ "2025-03-03 11:30", 0.5, "working_days", "2025-03-04 07:30" },
	{ "2025-03-03 07:00", 0.5625, "working_days", "2025-03-03 11:30" }, /* 4.5 h */
	{ "2025-03-03 13:30", 0.4375, "working_days", "2025-03-03 17:00" }, /* 3.5 h */
	/* -- weekends; Friday afternoons -- */
	{ "2025-03-07 16:00", 1, "working_days", "2025-03-10 16:00" },
	{ "2025-03-07 17:00", 1, "working_days", "2025-03-10 17:00" },
	{ "2025-03-08 10:00", 1, "working_days", "2025-03-10 17:00" }, /* Sat */
	{ "2025-03-09 22:00", 2, "working_days", "2025-03-11 17:00" }, /* Sun night */
	{ "2025-03-07 12:30", 1, "working_days", "2025-03-10 11:30" }, /* Fri lunch */
	{ "2025-03-07 07:00", 1.5, "working_days", "2025-03-10 11:00" },
	/* -- Tet 2025 -- */
	{ "2025-01-24 16:00", 1, "working_days", "2025-02-03 16:00" }, /* 1 h Fri, 7 h Mon */
	{ "2025-01-24 17:00", 1, "working_days", "2025-02-03 17:00" },
	{ "2025-01-24 07:00", 1, "working_days", "2025-01-24 17:00" },
	{ "2025-01-24 07:00", 2, "working_days", "2025-02-03 17:00" },
	{ "2025-01-23 10:00", 2, "working_days", "2025-02-03 10:00" },
	{ "2025-01-27 09:00", 1, "working_days", "2025-02-03 17:00" },
	{ "2025-01-27 05:00", 1, "working_days", "2025-02-03 17:00" },
	{ "2025-01-29 10:00", 0.5, "working_days", "2025-02-03 11:00" },
	{ "2025-02-01 10:00", 1, "working_days", "2025-02-03 17:00" },
	{ "2025-01-24 15:00", 3, "working_days", "2025-02-05 15:00" },
	{ "2025-01-20 07:00", 5, "working_days", "2025-01-24 17:00" },
	{ "2025-01-20 07:00", 6, "working_days", "2025-02-03 17:00" },
	{ "2025-01-02 07:00", 30, "working_days", "2025-02-19 17:00" },
	/* -- 1/1/2025 (Wed) and Gio To 2025 (Mon 7/4) -- */
	{ "2024-12-31 16:00", 1, "working_days", "2025-01-02 16:00" },
	{ "2024-12-31 17:00", 1, "working_days", "2025-01-02 17:00" },
	{ "2025-04-04 16:00", 1, "working_days", "2025-04-08 16:00" },
	{ "2025-04-04 08:00", 1, "working_days", "2025-04-08 08:00" },
	/* -- 30/4-1/5 2025: Sat 26/4 worked, 2/5 swapped off -- */
	{ "2025-04-25 16:00", 1, "working_days", "2025-04-26 16:00" },
	{ "2025-04-25 17:00", 1, "working_days", "2025-04-26 17:00" },
	{ "2025-04-26 07:00", 1, "working_days", "2025-04-26 17:00" },
	{ "2025-04-26 10:00", 1, "working_days", "2025-04-28 10:00" },
	{ "2025-04-27 10:00", 1, "working_days", "2025-04-28 17:00" }, /* plain Sunday */
	{ "2025-04-29 16:00", 1, "working_days", "2025-05-05 16:00" },
	{ "2025-04-29 07:00", 2, "working_days", "2025-05-05 17:00" },
	{ "2025-04-28 07:00", 3, "working_days", "2025-05-05 17:00" },
	{ "2025-04-24 07:00", 4, "working_days", "2025-04-28 17:00" },
	{ "2025-04-30 09:00", 1, "working_days", "2025-05-05 17:00" },
	{ "2025-05-02 09:00", 0.5, "working_days", "2025-05-05 11:00" },
	{ "2025-05-02 16:00", 1, "working_days", "2025-05-05 17:00" },
	{ "2025-04-01 07:00", 20, "working_days", "2025-04-28 17:00" },
	{ "2025-04-01 07:00", 21, "working_days", "2025-04-29 17:00" },
	{ "2025-04-01 07:00", 22, "working_days", "2025-05-05 17:00" },
	/* -- 2/9/2025: 1/9 Mon and 2/9 Tue off -- */
	{ "2025-08-29 16:00", 1, "working_days", "2025-09-03 16:00" },
	{ "2025-08-29 07:00", 2, "working_days", "2025-09-03 17:00" },
	{ "2025-09-01 10:00", 1, "working_days", "2025-09-03 17:00" },
	/* -- 1/1/2026: 2/1 swapped off, Sat 10/1 worked -- */
	{ "2025-12-31 16:00", 1, "working_days", "2026-01-05 16:00" },
	{ "2025-12-31 07:00", 2, "working_days", "2026-01-05 17:00" },
	{ "2026-01-09 16:00", 1, "working_days", "2026-01-10 16:00" },
	{ "2026-01-09 17:00", 1, "working_days", "2026-01-10 17:00" },
	{ "2026-01-10 16:00", 1, "working_days", "2026-01-12 16:00" },
	{ "2026-01-02 10:00", 1, "working_days", "2026-01-05 17:00" },
	{ "2026-01-08 07:00", 3, "working_days", "2026-01-10 17:00" },
	{ "2026-01-03 10:00", 1, "working_days", "2026-01-05 17:00" },
	{ "2026-01-17 10:00", 1, "working_days", "2026-01-19 17:00" },
	{ "2025-12-29 07:00", 10, "working_days", "2026-01-12 17:00" },
	/* -- Tet 2026: 16/2-20/2 -- */
	{ "2026-02-13 16:00", 1, "working_days", "2026-02-23 16:00" },
	{ "2026-02-13 07:00", 2, "working_days", "2026-02-23 17:00" },
	{ "2026-02-12 10:00", 2, "working_days", "2026-02-23 10:00" },
	{ "2026-02-17 10:00", 1, "working_days", "2026-02-23 17:00" },
	{ "2026-02-14 10:00", 0.5, "working_days", "2026-02-23 11:00" },
	{ "2026-02-09 07:00", 10, "working_days", "2026-02-27 17:00" },
	{ "2026-02-02 07:00", 15, "working_days", "2026-02-27 17:00" },
	/* -- Gio To 2026 (Sun 26/4, compensatory Mon 27/4) and 30/4-1/5 -- */
	{ "2026-04-24 16:00", 1, "working_days", "2026-04-28 16:00" },
	{ "2026-04-29 16:00", 1, "working_days", "2026-05-04 16:00" },
	{ "2026-04-28 07:00", 3, "working_days", "2026-05-04 17:00" },
	{ "2026-04-27 10:00", 1, "working_days", "2026-04-28 17:00" },
	/* -- 2/9/2026: Sat 22/8 worked; 31/8, 1/9, 2/9 off -- */
	{ "2026-08-21 16:00", 1, "working_days", "2026-08-22 16:00" },
	{ "2026-08-22 10:00", 1, "working_days", "2026-08-24 10:00" },
	{ "2026-08-28 16:00", 1, "working_days", "2026-09-03 16:00" },
	{ "2026-08-28 07:00", 2, "working_days", "2026-09-03 17:00" },
	{ "2026-08-31 09:00", 1, "working_days", "2026-09-03 17:00" },
	{ "2026-08-29 09:00", 1, "working_days", "2026-09-03 17:00" },
	{ "2026-08-17 07:00", 10, "working_days", "2026-08-27 17:00" },
	{ "2026-08-24 07:00", 7, "working_days", "2026-09-04 17:00" },
	/* -- 2027: no schedule, Labour Code defaults -- */
	{ "2027-02-04 16:00", 1, "working_days", "2027-02-12 16:00" },
	{ "2027-02-04 07:00", 2, "working_days", "2027-02-12 17:00" },
	{ "2027-02-04 07:00", 3, "working_days", "2027-02-15 17:00" },
	{ "2027-04-15 16:00", 1, "working_days", "2027-04-19 16:00" },
	{ "2027-04-29 16:00", 1, "working_days", "2027-05-04 16:00" },
	{ "2027-09-01 16:00", 1, "working_days", "2027-09-06 16:00" },
	{ "2027-01-01 10:00", 1, "working_days", "2027-01-04 17:00" },
	{ "2026-12-31 16:00", 1, "working_days", "2027-01-04 16:00" },
	/* -- working_hours -- */
	{ "2025-03-03 07:00", 1, "working_hours", "2025-03-03 08:00" },
	{ "2025-03-03 07:00", 4.5, "working_hours", "2025-03-03 11:30" }, /* stays 11:30 */
	{ "2025-03-03 07:00", 5, "working_hours", "2025-03-03 14:00" },
	{ "2025-03-03 11:00", 1, "working_hours", "2025-03-03 14:00" },
	{ "2025-03-03 12:00", 2, "working_hours", "2025-03-03 15:30" },
	{ "2025-03-03 16:00", 2, "working_hours", "2025-03-04 08:00" },
	{ "2025-03-03 16:00", 1, "working_hours", "2025-03-03 17:00" },
	{ "2025-03-03 17:00", 1, "working_hours", "2025-03-04 08:00" },
	{ "2025-03-03 06:30", 0.5, "working_hours", "2025-03-03 07:30" },
	{ "2025-03-03 07:00", 8, "working_hours", "2025-03-03 17:00" },
	{ "2025-03-03 07:00", 16, "working_hours", "2025-03-04 17:00" },
	{ "2025-03-03 07:00", 24, "working_hours", "2025-03-05 17:00" },
	{ "2025-03-03 07:00", 40, "working_hours", "2025-03-07 17:00" },
	{ "2025-03-03 07:00", 41, "working_hours", "2025-03-10 08:00" },
	{ "2025-03-07 15:00", 4, "working_hours", "2025-03-10 09:00" },
	{ "2025-03-03 10:45", 0.75, "working_hours", "2025-03-03 11:30" },
	{ "2025-03-03 10:45", 1, "working_hours", "2025-03-03 13:45" },
	{ "2025-03-03 11:30", 4.5, "working_hours", "2025-03-04 08:00" },
	{ "2025-03-03 13:30", 3.5, "working_hours", "2025-03-03 17:00" },
	{ "2025-03-03 13:30", 8, "working_hours", "2025-03-04 11:30" },
	{ "2025-03-03 07:00", 0.25, "working_hours", "2025-03-03 07:15" },
	{ "2025-01-24 16:00", 8, "working_hours", "2025-02-03 16:00" },
	{ "2025-01-24 16:00", 4, "working_hours", "2025-02-03 10:00" },
	{ "2025-04-25 16:00", 2, "working_hours", "2025-04-26 08:00" },
	{ "2026-01-09 16:00", 2, "working_hours", "2026-01-10 08:00" },
	{ "2026-01-02 16:00", 2, "working_hours", "2026-01-05 09:00" },
	{ "2026-02-13 15:30", 4, "working_hours", "2026-02-23 09:30" },
	{ "2026-08-21 16:00", 2, "working_hours", "2026-08-22 08:00" },
	/* -- same_day: cut-off 15:00 -- */
	{ "2025-03-03 08:00", 1, "same_day", "2025-03-03 17:00" },
	{ "2025-03-03 14:59", 1, "same_day", "2025-03-03 17:00" },
	{ "2025-03-03 14:59:59", 1, "same_day", "2025-03-03 17:00" },
	{ "2025-03-03 15:00", 1, "same_day", "2025-03-04 17:00" }, /* at the cut-off */
	{ "2025-03-03 15:01", 1, "same_day", "2025-03-04 17:00" },
	{ "2025-03-03 06:00", 1, "same_day", "2025-03-03 17:00" },
	{ "2025-03-03 12:00", 1, "same_day", "2025-03-03 17:00" },
	{ "2025-03-03 17:30", 1, "same_day", "2025-03-04 17:00" },
	{ "2025-03-07 15:00", 1, "same_day", "2025-03-10 17:00" },
	/* issue 10, the commune's own list: chứng thực and bản sao trích lục
	 * (Decree 23/2015 art. 7(4); entry 2.000635's own steps): 14:59 that
	 * day, 15:01 the next working day, Friday 15:30 on Monday, and the
	 * Friday before Tết Bính Ngọ (16-20/2/2026) on the Monday after it. */
	{ "2026-03-02 14:59", 1, "same_day", "2026-03-02 17:00" },
	{ "2026-03-02 15:01", 1, "same_day", "2026-03-03 17:00" },
	{ "2026-03-06 15:30", 1, "same_day", "2026-03-09 17:00" },
	{ "2026-02-13 15:30", 1, "same_day", "2026-02-23 17:00" },
	{ "2026-02-13 14:30", 1, "same_day", "2026-02-13 17:00" },
	{ "2025-03-07 10:00", 1, "same_day", "2025-03-07 17:00" },
	{ "2025-03-08 10:00", 1, "same_day", "2025-03-10 17:00" },
	{ "2025-03-02 23:59", 1, "same_day", "2025-03-03 17:00" },
	{ "2025-01-24 15:30", 1, "same_day", "2025-02-03 17:00" },
	{ "2025-01-24 14:00", 1, "same_day", "2025-01-24 17:00" },
	{ "2025-01-28 10:00", 1, "same_day", "2025-02-03 17:00" },
	{ "2025-04-26 10:00", 1, "same_day", "2025-04-26 17:00" },
	{ "2025-04-25 16:00", 1, "same_day", "2025-04-26 17:00" },
	{ "2025-04-29 15:00", 1, "same_day", "2025-05-05 17:00" },
	{ "2026-01-10 14:00", 1, "same_day", "2026-01-10 17:00" },
	{ "2026-02-13 15:00", 1, "same_day", "2026-02-23 17:00" },
	{ "2026-08-22 15:00", 1, "same_day", "2026-08-24 17:00" },
	{ "2026-08-28 15:00", 1, "same_day", "2026-09-03 17:00" },
	{ "2027-02-04 15:00", 1, "same_day", "2027-02-12 17:00" },
	{ "2025-03-03 08:00", 0, "same_day", "2025-03-03 17:00" }, /* amount ignored */
	/* -- calendar_days: close of the date N days on, or the next working day -- */
	{ "2025-03-03 10:00", 1, "calendar_days", "2025-03-04 17:00" },
	{ "2025-03-03 10:00", 4, "calendar_days", "2025-03-07 17:00" },
	{ "2025-03-03 10:00", 5, "calendar_days", "2025-03-10 17:00" }, /* Sat */
	{ "2025-03-03 10:00", 6, "calendar_days", "2025-03-10 17:00" }, /* Sun */
	{ "2025-03-03 10:00", 7, "calendar_days", "2025-03-10 17:00" },
	{ "2025-03-03 23:00", 1, "calendar_days", "2025-03-04 17:00" },
	{ "2025-03-03 10:00", 0.5, "calendar_days", "2025-03-04 17:00" }, /* rounds up */
	{ "2025-03-03 10:00", 1.2, "calendar_days", "2025-03-05 17:00" },
	{ "2025-03-03 10:00", 30, "calendar_days", "2025-04-02 17:00" },
	{ "2025-03-08 10:00", 2, "calendar_days", "2025-03-10 17:00" },
	{ "2025-01-20 10:00", 7, "calendar_days", "2025-02-03 17:00" }, /* Tet */
	{ "2025-01-20 10:00", 5, "calendar_days", "2025-02-03 17:00" },
	{ "2025-01-20 10:00", 4, "calendar_days", "2025-01-24 17:00" },
	{ "2025-04-20 10:00", 10, "calendar_days", "2025-05-05 17:00" },
	{ "2025-04-16 10:00", 10, "calendar_days", "2025-04-26 17:00" }, /* make-up Sat */
	{ "2025-08-22 10:00", 10, "calendar_days", "2025-09-03 17:00" },
	{ "2025-12-22 10:00", 10, "calendar_days", "2026-01-05 17:00" },
	{ "2025-12-31 10:00", 10, "calendar_days", "2026-01-10 17:00" },
	{ "2026-02-06 10:00", 10, "calendar_days", "2026-02-23 17:00" },
	{ "2026-08-21 10:00", 10, "calendar_days", "2026-09-03 17:00" }, /* swapped 31/8 */
	{ "2026-08-12 10:00", 10, "calendar_days", "2026-08-22 17:00" },
	{ "2027-01-27 10:00", 10, "calendar_days", "2027-02-12 17:00" },
	{ "2027-04-20 10:00", 10, "calendar_days", "2027-05-04 17:00" },
	{ "2024-12-22 10:00", 10, "calendar_days", "2025-01-02 17:00" },
};

static void test_table(void)
{
	T_CASE("due table");
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		mc_time due = 0;
		mc_err e;
		char got[17], want[17];
		int unit = dl_unit_parse(cases[i].unit);
		int rc = dl_due(&sched, &hours, T(cases[i].recv), cases[i].amount, unit, &due, &e);
		CHECK_INT(rc, MC_OK);
		fmt(due, got);
		snprintf(want, sizeof want, "%s", cases[i].due);
		if (strcmp(got, want) != 0)
			fprintf(stderr, "  case %zu: %s + %g %s\n", i, cases[i].recv, cases[i].amount,
				cases[i].unit);
		CHECK_STR(got, want);
	}
}

/* Supplement pauses: working time elapsed between pause and resume, then
 * the due time moved forward by it. */
static const struct {
	const char *due, *pause, *resume;
	double hours;
	const char *new_due;
} pauses[] = {
	/* Wed 10:00-17:00 5 h, Thu 8 h, Fri 07:00-10:00 3 h */
	{ "2025-03-10 17:00", "2025-03-05 10:00", "2025-03-07 10:00", 16, "2025-03-12 17:00" },
	/* Thu 1 h, Fri 8 h, Tet, Mon 3/2 07:00-08:00 1 h; from Fri 17:00: Mon 8 h,
	 * Tue 2 h */
	{ "2025-01-24 17:00", "2025-01-23 16:00", "2025-02-03 08:00", 10, "2025-02-04 09:00" },
	/* over a weekend only */
	{ "2025-03-12 11:00", "2025-03-08 10:00", "2025-03-09 15:00", 0, "2025-03-12 11:00" },
	/* over lunch only */
	{ "2025-03-05 11:00", "2025-03-03 12:00", "2025-03-03 13:00", 0, "2025-03-05 11:00" },
	/* Fri 1 h, Sat 26/4 8 h, Mon 8 h, Tue 8 h, Mon 5/5 2 h = 27 h; from Tue
	 * 6/5 10:00: 5 + 8 + 8 + 6 */
	{ "2025-05-06 10:00", "2025-04-25 16:00", "2025-05-05 09:00", 27, "2025-05-09 15:00" },
	/* Fri 1 h, Sat 22/8 8 h, 24-28/8 40 h = 49 h; from Thu 3/9 17:00: Fri 8 h,
	 * 7-11/9 40 h, Mon 14/9 1 h */
	{ "2026-09-03 17:00", "2026-08-21 16:00", "2026-09-03 07:00", 49, "2026-09-14 08:00" },
	/* pause in the lunch break, resume next morning: 13:30-17:00 + 07:00-08:00;
	 * from Fri 11:30: 13:30-17:00, then Mon 07:00-08:00 */
	{ "2025-03-07 11:30", "2025-03-05 12:15", "2025-03-06 08:00", 4.5, "2025-03-10 08:00" },
	/* same instant */
	{ "2025-03-07 11:30", "2025-03-05 10:00", "2025-03-05 10:00", 0, "2025-03-07 11:30" },
	/* resume before pause counts nothing */
	{ "2025-03-07 11:30", "2025-03-05 10:00", "2025-03-04 10:00", 0, "2025-03-07 11:30" },
	/* over Tet 2026 entirely: nothing */
	{ "2026-02-24 10:00", "2026-02-14 08:00", "2026-02-22 20:00", 0, "2026-02-24 10:00" },
	/* from before opening to after close of one day: 8 h */
	{ "2026-03-03 09:00", "2026-03-02 05:00", "2026-03-02 19:00", 8, "2026-03-04 09:00" },
	/* over 2027 Tet defaults: Thu 4/2 16:00 to Fri 12/2 09:00 = 1 h + 2 h;
	 * from Fri 12/2 16:00: 1 h, then Mon 07:00-09:00 */
	{ "2027-02-12 16:00", "2027-02-04 16:00", "2027-02-12 09:00", 3, "2027-02-15 09:00" },
};

static void test_pauses(void)
{
	T_CASE("supplement pauses");
	for (size_t i = 0; i < MC_ARRAY_LEN(pauses); i++) {
		int64_t secs = dl_working_secs(&sched, &hours, T(pauses[i].pause), T(pauses[i].resume));
		mc_time nd = 0;
		mc_err e;
		char got[17];
		CHECK_INT(secs, (int64_t)(pauses[i].hours * 3600));
		CHECK_INT(dl_add_working(&sched, &hours, T(pauses[i].due), secs, &nd, &e), MC_OK);
		CHECK_STR(fmt(nd, got), pauses[i].new_due);
	}
}

static const struct {
	const char *from, *to;
	double hours;
} spans[] = {
	{ "2025-03-03 00:00", "2025-03-10 00:00", 40 },	 /* an ordinary week */
	{ "2025-01-25 00:00", "2025-02-03 00:00", 0 },	 /* Tet 2025 and its weekends */
	{ "2025-04-26 00:00", "2025-04-27 00:00", 8 },	 /* make-up Saturday */
	{ "2025-04-29 17:00", "2025-05-05 07:00", 0 },
	{ "2025-03-03 07:00", "2025-03-03 11:30", 4.5 },
	{ "2025-03-03 11:00", "2025-03-03 14:00", 1 },
	{ "2025-03-03 11:30", "2025-03-03 13:30", 0 },
	{ "2025-03-03 16:59", "2025-03-04 07:01", 2.0 / 60 },
	/* 2025: 261 weekdays, 12 of them off, 1 make-up Saturday */
	{ "2025-01-01 00:00", "2026-01-01 00:00", 8 * 250 },
	/* 2027: 261 weekdays, 11 of them off by default */
	{ "2027-01-01 00:00", "2028-01-01 00:00", 8 * 250 },
	{ "2025-03-10 00:00", "2025-03-03 00:00", 0 },	 /* reversed */
};

static void test_working_secs(void)
{
	T_CASE("working seconds");
	for (size_t i = 0; i < MC_ARRAY_LEN(spans); i++)
		CHECK_INT(dl_working_secs(&sched, &hours, T(spans[i].from), T(spans[i].to)),
			  llround(spans[i].hours * 3600));
	/* clamped outside the calendar: a weekday count would be enormous */
	CHECK(dl_working_secs(&sched, &hours, INT64_MIN / 2, INT64_MAX / 2) > 0);
}

/* dl_add_working: start (local), working seconds, expected (local, to the
 * second: "+N" after the time adds N seconds). Zero returns the start itself,
 * wherever it lies; a positive amount starts from the next working instant
 * and a walk that ends exactly at the end of a session ends there, so a due
 * time at 17:00 stays at 17:00 and never becomes 07:00 of the next working
 * day (the same working instant, but a different appointment). */
static const struct {
	const char *t;
	int64_t secs;
	const char *out;
	int plus;
} adds[] = {
	/* -- zero: t itself, at a boundary, at night, on a day off -- */
	{ "2025-03-03 17:00", 0, "2025-03-03 17:00", 0 }, /* close (Mon) */
	{ "2025-03-03 11:30", 0, "2025-03-03 11:30", 0 }, /* lunch starts */
	{ "2025-03-03 07:00", 0, "2025-03-03 07:00", 0 }, /* opening */
	{ "2025-03-03 13:30", 0, "2025-03-03 13:30", 0 },
	{ "2025-03-03 12:15", 0, "2025-03-03 12:15", 0 }, /* in the lunch break */
	{ "2025-03-03 06:00", 0, "2025-03-03 06:00", 0 },
	{ "2025-03-08 10:00", 0, "2025-03-08 10:00", 0 }, /* Saturday */
	{ "2025-03-07 17:30", 0, "2025-03-07 17:30", 0 }, /* Friday evening */
	{ "2025-01-28 22:13", 0, "2025-01-28 22:13", 0 }, /* Tet night */
	/* -- ending exactly at the end of a session: that session end -- */
	{ "2025-03-03 16:00", 3600, "2025-03-03 17:00", 0 },
	{ "2025-03-03 16:59", 60, "2025-03-03 17:00", 0 },
	{ "2025-03-03 10:30", 3600, "2025-03-03 11:30", 0 },
	{ "2025-03-03 11:29", 60, "2025-03-03 11:30", 0 },
	{ "2025-03-03 07:00", 16200, "2025-03-03 11:30", 0 }, /* 4.5 h */
	{ "2025-03-03 05:00", 16200, "2025-03-03 11:30", 0 }, /* before opening */
	{ "2025-03-03 13:30", 12600, "2025-03-03 17:00", 0 }, /* 3.5 h */
	{ "2025-03-03 11:30", 12600, "2025-03-03 17:00", 0 }, /* from lunch */
	{ "2025-03-03 07:00", 28800, "2025-03-03 17:00", 0 }, /* a day */
	{ "2025-03-02 22:00", 28800, "2025-03-03 17:00", 0 }, /* Sunday night */
	{ "2025-03-03 07:00", 57600, "2025-03-04 17:00", 0 }, /* two days */
	{ "2025-03-03 16:00", 32400, "2025-03-04 17:00", 0 }, /* 1 h + a day */
	{ "2025-03-03 17:00", 28800, "2025-03-04 17:00", 0 }, /* from close */
	{ "2025-03-03 17:00", 16200, "2025-03-04 11:30", 0 },
	{ "2025-03-07 16:00", 3600, "2025-03-07 17:00", 0 },	/* Fri: not Mon 07:00 */
	{ "2025-01-24 16:00", 3600, "2025-01-24 17:00", 0 },	/* before Tet 2025 */
	{ "2025-04-29 16:00", 3600, "2025-04-29 17:00", 0 },	/* before 30/4-2/5 */
	{ "2025-04-25 16:00", 32400, "2025-04-26 17:00", 0 }, /* make-up Sat 26/4 */
	/* -- past a session end: into the next session -- */
	{ "2025-03-03 11:29", 61, "2025-03-03 13:30", 1 },
	{ "2025-03-03 11:30", 1, "2025-03-03 13:30", 1 },
	{ "2025-03-03 17:00", 1, "2025-03-04 07:00", 1 },
	{ "2025-03-03 16:59", 61, "2025-03-04 07:00", 1 },
	{ "2025-03-08 10:00", 3600, "2025-03-10 08:00", 0 },	/* Saturday */
	/* -- across lunch -- */
	{ "2025-03-03 11:00", 3600, "2025-03-03 14:00", 0 },
	{ "2025-03-03 10:00", 14400, "2025-03-03 16:00", 0 }, /* 1.5 h + 2.5 h */
	{ "2025-03-03 10:00", 18000, "2025-03-03 17:00", 0 }, /* 1.5 h + 3.5 h */
	{ "2025-03-03 12:00", 3600, "2025-03-03 14:30", 0 },	/* from lunch */
	/* -- across days off -- */
	{ "2025-01-24 16:00", 7200, "2025-02-03 08:00", 0 },	/* Tet 2025 */
	{ "2025-01-24 16:00", 32400, "2025-02-03 17:00", 0 },
	{ "2025-04-29 16:00", 7200, "2025-05-05 08:00", 0 },	/* 30/4-2/5 2025 */
	{ "2025-04-04 16:00", 5400, "2025-04-08 07:30", 0 },	/* Gio To, Mon 7/4 */
	{ "2026-02-13 16:00", 9000, "2026-02-23 08:30", 0 },	/* Tet 2026 */
};

static void test_add_working(void)
{
	mc_time out = 0;
	mc_err e;
	char got[17];

	T_CASE("add working");
	for (size_t i = 0; i < MC_ARRAY_LEN(adds); i++) {
		out = 0;
		CHECK_INT(dl_add_working(&sched, &hours, T(adds[i].t), adds[i].secs, &out, &e),
			  MC_OK);
		CHECK_STR(fmt(out, got), adds[i].out);
		CHECK_INT(out - T(adds[i].out), adds[i].plus);
		/* the two paths agree: exactly secs working seconds lie between */
		CHECK_INT(dl_working_secs(&sched, &hours, T(adds[i].t), out), adds[i].secs);
	}
	/* zero returns t to the second, even out of office hours */
	CHECK_INT(dl_add_working(&sched, &hours, T("2025-03-08 10:00") + 17, 0, &out, &e), MC_OK);
	CHECK_INT(out, T("2025-03-08 10:00") + 17);
	CHECK_INT(dl_add_working(&sched, &hours, T("2025-03-03 07:00"), -1, &out, &e), MC_EINVAL);
	CHECK_INT(dl_add_working(&sched, &hours, T("1900-01-01 00:00") - 1, 60, &out, &e),
		  MC_EINVAL);
	CHECK_INT(dl_add_working(&sched, &hours, INT64_MAX, 60, &out, &e), MC_EINVAL);
	CHECK_INT(dl_add_working(&sched, &hours, T("2025-03-03 07:00"), INT64_MAX, &out, &e),
		  MC_EINVAL);
}

static void test_due_errors(void)
{
	static const struct {
		double amount;
		const char *unit;
		int rc;
	} cases_e[] = {
		{ 0, "working_days", MC_EINVAL },	{ -1, "working_days", MC_EINVAL },
		{ NAN, "working_days", MC_EINVAL },	{ INFINITY, "working_days", MC_EINVAL },
		{ 3650, "working_days", MC_OK },	{ 3650.01, "working_days", MC_EINVAL },
		{ 0, "working_hours", MC_EINVAL },	{ -0.5, "working_hours", MC_EINVAL },
		{ 29200, "working_hours", MC_OK },	{ 29201, "working_hours", MC_EINVAL },
		{ 0, "calendar_days", MC_EINVAL },	{ 3650, "calendar_days", MC_OK },
		{ 3651, "calendar_days", MC_EINVAL },	{ 1e300, "calendar_days", MC_EINVAL },
		{ -5, "same_day", MC_OK },		{ NAN, "same_day", MC_OK },
	};
	mc_time due;
	mc_err e;

	T_CASE("due errors");
	for (size_t i = 0; i < MC_ARRAY_LEN(cases_e); i++) {
		int rc = dl_due(&sched, &hours, T("2025-03-03 10:00"), cases_e[i].amount,
				dl_unit_parse(cases_e[i].unit), &due, &e);
		CHECK_INT(rc, cases_e[i].rc);
		if (rc)
			CHECK(strstr(e.msg, cases_e[i].unit) != NULL);
	}
	CHECK_INT(dl_due(&sched, &hours, T("2025-03-03 10:00"), 1, 4, &due, &e), MC_EINVAL);
	CHECK_INT(dl_due(&sched, &hours, T("2025-03-03 10:00"), 1, -1, &due, &e), MC_EINVAL);
	CHECK_INT(dl_due(&sched, &hours, T("1900-01-01 00:00") - 1, 1, DL_WORKING_DAYS, &due, &e),
		  MC_EINVAL);
	CHECK_INT(dl_due(&sched, &hours, INT64_MIN, 1, DL_SAME_DAY, &due, &e), MC_EINVAL);
	{
		dl_hours none = { .n = 0 };
		CHECK_INT(dl_due(&sched, &none, T("2025-03-03 10:00"), 1, DL_WORKING_DAYS, &due, &e),
			  MC_EINVAL);
		CHECK_INT(dl_working_secs(&sched, &none, T("2025-03-03 00:00"),
					  T("2025-03-04 00:00")),
			  0);
	}
}

/* Two independent paths must agree: the due time of N working seconds is
 * the first instant by which exactly N working seconds have passed. */
static void test_walk_vs_count(void)
{
	static const double amounts[] = { 0.25, 0.5, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 30 };
	int bad = 0, n = 0;
	mc_err e;

	T_CASE("walk agrees with count");
	for (mc_time t = T("2024-12-20 00:00"); t < T("2027-03-01 00:00"); t += 3 * 3600 + 17 * 60) {
		for (size_t i = 0; i < MC_ARRAY_LEN(amounts); i++) {
			mc_time due;
			int64_t secs = llround(amounts[i] * 28800);
			if (dl_due(&sched, &hours, t, amounts[i], DL_WORKING_DAYS, &due, &e)) {
				bad++;
				continue;
			}
			if (dl_working_secs(&sched, &hours, t, due) != secs ||
			    dl_working_secs(&sched, &hours, t, due - 1) != secs - 1)
				bad++;
			n++;
		}
	}
	CHECK_INT(bad, 0);
	CHECK(n > 50000);

	/* The longest walk allowed: ten years of working days. */
	{
		mc_time t = T("2025-03-03 10:00"), due = 0;
		CHECK_INT(dl_due(&sched, &hours, t, 3650, DL_WORKING_DAYS, &due, &e), MC_OK);
		CHECK_INT(dl_working_secs(&sched, &hours, t, due), 3650LL * 28800);
		CHECK_INT(cal_local_secs(due), 10 * 3600); /* same time of day */
		CHECK(cal_local_day(due) > cal_local_day(t) + 5000);
		CHECK_INT(dl_due(&sched, &hours, t, 29200, DL_WORKING_HOURS, &due, &e), MC_OK);
		CHECK_INT(dl_working_secs(&sched, &hours, t, due), 29200LL * 3600);
	}
}

static void test_hours(void)
{
	static const struct {
		const char *s;
		int n;
		int start0, end_last;
	} good[] = {
		{ "07:00-11:30,13:30-17:00", 2, 25200, 61200 },
		{ "08:00-12:00", 1, 28800, 43200 },
		{ "00:00-24:00", 1, 0, 86400 },
		{ "07:00-11:30,11:30-17:00", 2, 25200, 61200 }, /* touching sessions */
		{ "06:00-07:00,08:00-09:00,10:00-11:00,12:00-13:00", 4, 21600, 46800 },
	};
	static const struct {
		const char *s, *msg;
	} bad[] = {
		{ "", "empty office hours ''" },
		{ "07:00", "malformed office hours '07:00'" },
		{ "7:00-11:30", "malformed office hours '7:00-11:30'" },
		{ "07:00-11:30,", "malformed office hours '07:00-11:30,'" },
		{ "07:00-11:30;13:30-17:00", "malformed office hours '07:00-11:30;13:30-17:00'" },
		{ " 07:00-11:30", "malformed office hours ' 07:00-11:30'" },
		{ "07:00-11:30 ", "malformed office hours '07:00-11:30 '" },
		{ "07:00 - 11:30", "malformed office hours '07:00 - 11:30'" },
		{ "07:60-08:00", "malformed office hours '07:60-08:00'" },
		{ "24:30-25:00", "malformed office hours '24:30-25:00'" },
		{ "23:00-24:01", "malformed office hours '23:00-24:01'" },
		{ "11:30-07:00", "empty session in office hours '11:30-07:00'" },
		{ "07:00-07:00", "empty session in office hours '07:00-07:00'" },
		{ "13:30-17:00,07:00-11:30", "office hours '13:30-17:00,07:00-11:30' not ascending" },
		{ "07:00-12:00,11:00-17:00", "office hours '07:00-12:00,11:00-17:00' not ascending" },
		{ "06:00-07:00,08:00-09:00,10:00-11:00,12:00-13:00,14:00-15:00",
		  "too many sessions in office hours "
		  "'06:00-07:00,08:00-09:00,10:00-11:00,12:00-13:00,14:00-15:00' (at most 4)" },
	};
	dl_hours h;
	mc_err e;
	char buf[64];

	T_CASE("office hours");
	dl_hours_default(&h);
	CHECK_INT(h.n, 2);
	CHECK_INT(h.cutoff, 15 * 3600);
	CHECK_INT(dl_day_secs(&h), 28800);
	dl_hours_format(&h, buf, sizeof buf);
	CHECK_STR(buf, "07:00-11:30,13:30-17:00");
	for (size_t i = 0; i < MC_ARRAY_LEN(good); i++) {
		dl_hours_default(&h);
		h.cutoff = 12345;
		CHECK_INT(dl_hours_parse(good[i].s, &h, &e), MC_OK);
		CHECK_INT(h.n, good[i].n);
		CHECK_INT(h.start[0], good[i].start0);
		CHECK_INT(h.end[h.n - 1], good[i].end_last);
		CHECK_INT(h.cutoff, 12345); /* kept */
		dl_hours_format(&h, buf, sizeof buf);
		CHECK_STR(buf, good[i].s);
	}
	for (size_t i = 0; i < MC_ARRAY_LEN(bad); i++) {
		dl_hours_default(&h);
		CHECK_INT(dl_hours_parse(bad[i].s, &h, &e), MC_EINVAL);
		CHECK_STR(e.msg, bad[i].msg);
		CHECK_INT(h.n, 2); /* unchanged */
		CHECK_INT(h.end[1], 61200);
	}
	CHECK_INT(dl_hours_parse(NULL, &h, &e), MC_EINVAL);
	/* a short buffer is cut, still terminated */
	dl_hours_default(&h);
	dl_hours_format(&h, buf, 8);
	CHECK_INT(strlen(buf), 0);
}

/* Deadlines with other office hours. */
static void test_custom_hours(void)
{
	static const struct {
		const char *hours, *recv;
		double amount;
		int unit;
		const char *due;
	} cc[] = {
		/* 8 h in 08:00-12:00, 13:00-17:00 */
		{ "08:00-12:00,13:00-17:00", "2025-03-03 12:00", 1, DL_WORKING_DAYS,
		  "2025-03-04 12:00" },
		{ "08:00-12:00,13:00-17:00", "2025-03-03 07:00", 0.5, DL_WORKING_DAYS,
		  "2025-03-03 12:00" },
		{ "08:00-12:00,13:00-17:00", "2025-03-07 16:30", 1, DL_WORKING_HOURS,
		  "2025-03-10 08:30" },
		/* one 9 h session: a working day is 9 h */
		{ "07:30-16:30", "2025-03-03 07:30", 1, DL_WORKING_DAYS, "2025-03-03 16:30" },
		{ "07:30-16:30", "2025-03-03 12:00", 1, DL_WORKING_DAYS, "2025-03-04 12:00" },
		{ "07:30-16:30", "2025-03-03 12:00", 1, DL_SAME_DAY, "2025-03-03 16:30" },
		{ "07:30-16:30", "2025-03-03 10:00", 2, DL_CALENDAR_DAYS, "2025-03-05 16:30" },
		/* three sessions, 2 h each: 6 h a day */
		{ "07:00-09:00,10:00-12:00,14:00-16:00", "2025-03-03 08:00", 1, DL_WORKING_DAYS,
		  "2025-03-04 08:00" },
		{ "07:00-09:00,10:00-12:00,14:00-16:00", "2025-03-03 09:30", 3, DL_WORKING_HOURS,
		  "2025-03-03 15:00" },
		{ "07:00-09:00,10:00-12:00,14:00-16:00", "2025-03-03 07:00", 4, DL_WORKING_HOURS,
		  "2025-03-03 12:00" },
	};
	mc_err e;

	T_CASE("custom office hours");
	for (size_t i = 0; i < MC_ARRAY_LEN(cc); i++) {
		dl_hours h;
		mc_time due = 0;
		char got[17];
		dl_hours_default(&h);
		CHECK_INT(dl_hours_parse(cc[i].hours, &h, &e), MC_OK);
		CHECK_INT(dl_due(&sched, &h, T(cc[i].recv), cc[i].amount, cc[i].unit, &due, &e),
			  MC_OK);
		CHECK_STR(fmt(due, got), cc[i].due);
	}
}

static void test_units_and_timeliness(void)
{
	static const char *names[] = { "working_days", "working_hours", "calendar_days",
				       "same_day" };
	static const struct {
		const char *finished, *due;
		int t;
	} tl[] = {
		{ "2025-03-10 23:30", "2025-03-10 17:00", DL_ON_TIME },
		{ "2025-03-10 17:00", "2025-03-10 17:00", DL_ON_TIME },
		{ "2025-03-10 00:00", "2025-03-10 17:00", DL_ON_TIME },
		{ "2025-03-11 00:00", "2025-03-10 17:00", DL_LATE },
		{ "2025-03-09 23:59", "2025-03-10 17:00", DL_EARLY },
		{ "2025-03-01 10:00", "2025-03-10 17:00", DL_EARLY },
		{ "2025-04-10 10:00", "2025-03-10 17:00", DL_LATE },
		/* 01:00 local on the 10th is 18:00 UTC on the 9th: still the 10th */
		{ "2025-03-10 01:00", "2025-03-10 17:00", DL_ON_TIME },
		{ "2025-03-10 06:59", "2025-03-10 07:00", DL_ON_TIME },
	};

	T_CASE("units");
	for (int i = 0; i < 4; i++) {
		CHECK_STR(dl_unit_name(i), names[i]);
		CHECK_INT(dl_unit_parse(names[i]), i);
	}
	CHECK_INT(DL_WORKING_DAYS, 0);
	CHECK_INT(DL_SAME_DAY, 3);
	CHECK_INT(dl_unit_parse("days"), -1);
	CHECK_INT(dl_unit_parse("Working_days"), -1);
	CHECK_INT(dl_unit_parse(""), -1);
	CHECK_INT(dl_unit_parse(NULL), -1);
	CHECK_STR(dl_unit_name(4), "");

	T_CASE("timeliness");
	for (size_t i = 0; i < MC_ARRAY_LEN(tl); i++)
		CHECK_INT(dl_timeliness(T(tl[i].finished), T(tl[i].due)), tl[i].t);
	CHECK_INT(T("2025-03-10 01:00"), 1741543200); /* 2025-03-09T18:00:00Z */
	CHECK_STR(dl_timeliness_name(DL_EARLY), "early");
	CHECK_STR(dl_timeliness_name(DL_ON_TIME), "on_time");
	CHECK_STR(dl_timeliness_name(DL_LATE), "late");
	CHECK_STR(dl_timeliness_name(0), "");
	/* LAW: the reports' words (Biểu II.06a: trước hạn, đúng hạn, quá hạn) */
	CHECK_STR(dl_timeliness_label_vi(DL_EARLY), "Trước hạn");
	CHECK_STR(dl_timeliness_label_vi(DL_ON_TIME), "Đúng hạn");
	CHECK_STR(dl_timeliness_label_vi(DL_LATE), "Quá hạn");
	CHECK_STR(dl_timeliness_label_vi(0), "");
}

/* Near due (issue 10, item 7): due within one working day of now, in working
 * time. One row a case: now, the last instant that is still near due; the
 * bound returned is the first instant after it. */
static const struct {
	const char *now, *last;
} nears[] = {
	/* Saturday afternoon: Monday's whole working day is the window, and a
	 * dossier due Monday 17:00 is in it (Tuesday 07:00 is the same working
	 * instant) */
	{ "2026-03-07 14:00", "2026-03-10 07:00" },
	{ "2026-03-07 00:00", "2026-03-10 07:00" },
	/* mid-session: exactly one working day later is still within */
	{ "2026-03-04 10:00", "2026-03-05 10:00" },
	/* at midnight: the day's close runs on to the next morning */
	{ "2026-03-05 00:00", "2026-03-06 07:00" },
	/* from the start of the afternoon: tomorrow's morning close = 13:30 */
	{ "2026-03-04 13:30", "2026-03-05 13:30" },
	/* Friday 16:00: 1 h Friday, 7 h Monday */
	{ "2026-03-06 16:00", "2026-03-09 16:00" },
	/* before Tet 2026 (16/2 Mon - 20/2 Fri): the window jumps the holiday */
	{ "2026-02-13 16:00", "2026-02-23 16:00" },
	/* before 30/4-1/5 2026 (Thu, Fri): Wednesday 29/4 afternoon to Monday */
	{ "2026-04-29 14:00", "2026-05-04 14:00" },
};

static void test_near_due(void)
{
	mc_err e;
	char got[17];
	T_CASE("near due");
	for (size_t i = 0; i < MC_ARRAY_LEN(nears); i++) {
		mc_time b = 0;
		CHECK_INT(dl_near_due_before(&sched, &hours, T(nears[i].now), &b, &e), MC_OK);
		CHECK_STR(fmt(b - 1, got), nears[i].last);
		CHECK_INT(b, T(nears[i].last) + 1);
		/* the last near instant is at most one working day away, the
		 * bound more */
		CHECK(dl_working_secs(&sched, &hours, T(nears[i].now), b - 1) <=
		      dl_day_secs(&hours));
		CHECK(dl_working_secs(&sched, &hours, T(nears[i].now), b) > dl_day_secs(&hours));
	}
	mc_time b;
	CHECK_INT(dl_near_due_before(&sched, &hours, INT64_MAX, &b, &e), MC_EINVAL);
}

int main(void)
{
	mc_err e;
	size_t len;
	const char *csv = shipped("holidays-2024-2026.csv", &len);

	cal_sched_init(&sched);
	if (cal_sched_add_csv(&sched, csv, len, NULL, 0, NULL, &e) ||
	    cal_sched_finish(&sched, &e)) {
		fprintf(stderr, "schedule: %s\n", e.msg);
		return 1;
	}
	dl_hours_default(&hours);

	T_CASE("table size");
	CHECK(MC_ARRAY_LEN(cases) >= 160);

	test_table();
	test_pauses();
	test_working_secs();
	test_add_working();
	test_due_errors();
	test_walk_vs_count();
	test_hours();
	test_custom_hours();
	test_units_and_timeliness();
	test_near_due();
	cal_sched_release(&sched);
	return t_done();
}
