/*
 * hours.c - fuzz target for dl_hours_parse, the office hours a node
 * configures ("07:00-11:30,13:30-17:00").
 *
 * Accepted hours must format back to the input, leave the cut-off alone and
 * be hours the deadline code can walk: every due time lies after the
 * reception and the working time between them is what was asked for.
 * Refused hours must leave the struct untouched.
 */
#include "core/dl.h"
#include "fuzz.h"

#include <math.h>

/* The default schedule (weekends and Labour Code holidays), built once: it
 * stays reachable from here, so leak checkers do not count it. */
static const cal_sched *sched(void)
{
	static cal_sched s;
	static int ready;
	mc_err e;
	if (!ready) {
		cal_sched_init(&s);
		FZ_CHECK(cal_sched_finish(&s, &e) == MC_OK);
		ready = 1;
	}
	return &s;
}

static void check_due(const dl_hours *h, mc_time t)
{
	static const struct {
		double amount;
		int unit;
	} asks[] = {
		{ 1, DL_WORKING_DAYS },    { 0.5, DL_WORKING_DAYS }, { 15, DL_WORKING_DAYS },
		{ 3, DL_WORKING_HOURS },   { 1, DL_CALENDAR_DAYS },  { 7, DL_CALENDAR_DAYS },
		{ 1, DL_SAME_DAY },
	};
	const cal_sched *s = sched();
	int64_t per_day = dl_day_secs(h);
	for (size_t i = 0; i < MC_ARRAY_LEN(asks); i++) {
		mc_time due = 0;
		mc_err e;
		FZ_CHECK(dl_due(s, h, t, asks[i].amount, asks[i].unit, &due, &e) == MC_OK);
		FZ_CHECK(due > t);
		FZ_CHECK(cal_is_workday(s, cal_local_day(due - 1)));
		if (asks[i].unit == DL_WORKING_DAYS || asks[i].unit == DL_WORKING_HOURS) {
			double unit_secs = asks[i].unit == DL_WORKING_DAYS ? (double)per_day : 3600.0;
			int64_t secs = llround(asks[i].amount * unit_secs);
			FZ_CHECK(dl_working_secs(s, h, t, due) == secs);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_cstr(data, size), out[64];
	dl_hours h, before, again;
	mc_err e = { 0 };

	dl_hours_default(&h);
	h.cutoff = 12345; /* an odd value, to see it kept */
	before = h;
	if (dl_hours_parse(s, &h, &e) != MC_OK) {
		FZ_CHECK(e.code == MC_EINVAL && e.msg[0]);
		FZ_CHECK(memcmp(&h, &before, sizeof h) == 0);
		free(s);
		return 0;
	}
	FZ_CHECK(h.cutoff == 12345);
	FZ_CHECK(h.n >= 1 && h.n <= DL_MAX_SESSIONS);
	for (int i = 0; i < h.n; i++) {
		FZ_CHECK(h.start[i] >= 0 && h.start[i] < h.end[i] && h.end[i] <= 86400);
		FZ_CHECK(i == 0 || h.start[i] >= h.end[i - 1]);
	}
	FZ_CHECK(dl_day_secs(&h) > 0 && dl_day_secs(&h) <= 86400);

	/* the parser is strict, so what it accepts is canonical */
	dl_hours_format(&h, out, sizeof out);
	FZ_CHECK(strcmp(out, s) == 0);
	again = before;
	FZ_CHECK(dl_hours_parse(out, &again, &e) == MC_OK);
	FZ_CHECK(memcmp(&again, &h, sizeof h) == 0);

	/* Monday 2025-03-03 at midnight, mid-morning and late evening; the
	 * Friday before Tết 2025 in the afternoon; a Saturday noon */
	int32_t mon = cal_days_from_civil(2025, 3, 3), tet = cal_days_from_civil(2025, 1, 24);
	check_due(&h, cal_time_of(mon, 0));
	check_due(&h, cal_time_of(mon, 9 * 3600 + 17 * 60));
	check_due(&h, cal_time_of(mon, 23 * 3600 + 59 * 60));
	check_due(&h, cal_time_of(tet, 16 * 3600 + 59 * 60 + 59));
	check_due(&h, cal_time_of(mon - 2, 12 * 3600));
	free(s);
	return 0;
}
