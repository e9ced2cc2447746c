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

static void note_default_year(int scheduled, int y)
{
	if (!scheduled)
		fprintf(stderr,
			"motcua: note: no government schedule for %d; using Labour Code defaults\n",
			y);
}

/* With a data directory the node's calendar, else the built-in one. */
int cmd_calendar_days_off(cli_args *a)
{
	if (a->npos != 1)
		return cli_fail("expected one year");
	json_t *j;
	mc_err e;
	if (app_days_off(a->app, a->pos[0], &j, &e))
		return cli_fail_err(&e);
	note_default_year(json_is_true(json_object_get(j, "scheduled")),
			  (int)json_integer_value(json_object_get(j, "year")));
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(j, "days_off"), i, d)
		puts(json_string_value(d));
	json_decref(j);
	return 0;
}

int cmd_calendar_due(cli_args *a)
{
	if (a->npos)
		return cli_fail("unexpected argument '%s'", a->pos[0]);
	mc_time t, due;
	int scheduled;
	mc_err e;
	if (app_due(a->app, cli_opt(a, "at"), cli_opt(a, "time"), cli_opt(a, "unit"), &t, &due,
		    &scheduled, &e))
		return cli_fail_err(&e);
	int y, m, d;
	cal_civil_from_days(cal_local_day(t), &y, &m, &d);
	note_default_year(scheduled, y);
	char out[17];
	cal_format_datetime(due, out);
	puts(out);
	return 0;
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
