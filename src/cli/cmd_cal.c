/* cmd_cal.c - calendar commands: lunar/solar conversion, days off, due times. */
#include "cli/cli.h"

#include <errno.h>

static int need_pos(cli_args *a, int n, const char *what)
{
	if (a->npos != n)
		return cli_fail("expected %s", what);
	return 0;
}

int cmd_calendar_lunar(cli_args *a)
{
	int rc = need_pos(a, 1, "one date YYYY-MM-DD");
	if (rc)
		return rc;
	int32_t day;
	cal_lunar l;
	mc_err e;
	if (cal_parse_date(a->pos[0], &day, &e) || cal_solar_to_lunar(day, &l, &e))
		return cli_fail_err(&e);
	printf("{\"day\":%d,\"month\":%d,\"year\":%d,\"leap\":%s}\n", l.day, l.month, l.year,
	       l.leap ? "true" : "false");
	return 0;
}

static int parse_int(const char *s, const char *name, int lo, int hi, int *out)
{
	char *end;
	if (!s || !*s)
		return cli_fail("--%s is required", name);
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*end || errno || v < lo || v > hi)
		return cli_fail("--%s must be a whole number from %d to %d, not '%s'", name, lo, hi, s);
	*out = (int)v;
	return 0;
}

int cmd_calendar_solar(cli_args *a)
{
	cal_lunar l = { 0 };
	int rc = parse_int(cli_opt(a, "lunar-year"), "lunar-year", CAL_MIN_YEAR, CAL_MAX_YEAR,
			   &l.year);
	if (!rc)
		rc = parse_int(cli_opt(a, "lunar-month"), "lunar-month", 1, 12, &l.month);
	if (!rc)
		rc = parse_int(cli_opt(a, "lunar-day"), "lunar-day", 1, 30, &l.day);
	if (rc)
		return rc;
	if (a->npos)
		return cli_fail("unexpected argument '%s'", a->pos[0]);
	l.leap = cli_flag(a, "leap");
	int32_t day;
	mc_err e;
	if (cal_lunar_to_solar(&l, &day, &e))
		return cli_fail_err(&e);
	char out[11];
	cal_format_date(day, out);
	puts(out);
	return 0;
}

/* The node's calendar if a data directory was given, else the built-in one. */
static int with_sched(cli_args *a, cal_sched *own, const cal_sched **s, const dl_hours **h,
		      dl_hours *hbuf)
{
	mc_err e;
	if (a->app) {
		*s = &a->app->sched;
		*h = &a->app->hours;
		return 0;
	}
	cal_sched_init(own);
	if (app_builtin_sched(own, &e))
		return cli_fail_err(&e);
	dl_hours_default(hbuf);
	*s = own;
	*h = hbuf;
	return 0;
}

static void note_default_year(const cal_sched *s, int y)
{
	if (!cal_sched_has_year(s, y))
		fprintf(stderr,
			"motcua: note: no government schedule for %d; using Labour Code defaults\n",
			y);
}

int cmd_calendar_days_off(cli_args *a)
{
	int y;
	if (a->npos != 1)
		return cli_fail("expected one year");
	char *end;
	long yl = strtol(a->pos[0], &end, 10);
	if (*end || end == a->pos[0] || yl < CAL_MIN_YEAR || yl > CAL_MAX_YEAR)
		return cli_fail("year must be from %d to %d, not '%s'", CAL_MIN_YEAR, CAL_MAX_YEAR,
				a->pos[0]);
	y = (int)yl;
	int rc;
	cal_sched own;
	const cal_sched *s = NULL;
	const dl_hours *h = NULL;
	dl_hours hb;
	rc = with_sched(a, &own, &s, &h, &hb);
	if (rc)
		return rc;
	note_default_year(s, y);
	for (int32_t d = cal_days_from_civil(y, 1, 1); d < cal_days_from_civil(y + 1, 1, 1); d++) {
		if (!cal_is_workday(s, d)) {
			char out[11];
			cal_format_date(d, out);
			puts(out);
		}
	}
	if (!a->app)
		cal_sched_release(&own);
	return 0;
}

int cmd_calendar_due(cli_args *a)
{
	const char *at = cli_opt(a, "at"), *time_s = cli_opt(a, "time"), *unit_s = cli_opt(a, "unit");
	if (!at || !*at)
		return cli_fail("--at \"YYYY-MM-DD HH:MM\" is required");
	if (!unit_s || !*unit_s)
		return cli_fail("--unit is required (working_days, working_hours, calendar_days, same_day)");
	int unit = dl_unit_parse(unit_s);
	if (unit < 0)
		return cli_fail("unknown unit '%s' (working_days, working_hours, calendar_days, same_day)",
				unit_s);
	double amount = 1;
	if (unit != DL_SAME_DAY || time_s) {
		char *end;
		if (!time_s || !*time_s)
			return cli_fail("--time N is required");
		errno = 0;
		amount = strtod(time_s, &end);
		if (*end || errno || !(amount > 0))
			return cli_fail("--time must be a positive number, not '%s'", time_s);
	}
	mc_time t, due;
	mc_err e;
	if (cal_parse_datetime(at, &t, &e))
		return cli_fail_err(&e);
	cal_sched own;
	const cal_sched *s = NULL;
	const dl_hours *h = NULL;
	dl_hours hb;
	int rc = with_sched(a, &own, &s, &h, &hb);
	if (rc)
		return rc;
	int y, m, d;
	cal_civil_from_days(cal_local_day(t), &y, &m, &d);
	note_default_year(s, y);
	rc = dl_due(s, h, t, amount, unit, &due, &e);
	if (!rc) {
		char out[17];
		cal_format_datetime(due, out);
		puts(out);
	}
	if (!a->app)
		cal_sched_release(&own);
	return rc ? cli_fail_err(&e) : 0;
}

int cmd_calendar_import(cli_args *a)
{
	if (a->npos != 1)
		return cli_fail("expected one CSV file");
	char *data;
	size_t len;
	mc_err e;
	if (cli_read_file(a->pos[0], &data, &len, 4 << 20, &e))
		return cli_fail_err(&e);
	int years[64], n = 0;
	const char *base = strrchr(a->pos[0], '/');
	int rc = app_calendar_import(a->app, &a->actor, data, len, base ? base + 1 : a->pos[0],
				     cli_flag(a, "add"), a->now, years, &n, &e);
	free(data);
	if (rc)
		return cli_fail_err(&e);
	printf("imported the schedule for");
	for (int i = 0; i < n; i++)
		printf("%s %d", i ? "," : "", years[i]);
	printf("\n");
	return 0;
}
