/*
 * calendar.c - questions about the calendar that the CLI and the API both
 * ask (days off of a year, the due time of a processing time), with one
 * check of their arguments and one set of messages.
 */
#include "app_int.h"

#include <errno.h>

#define UNITS "working_days, working_hours, calendar_days or same_day"
#define UNITS_VI "working_days, working_hours, calendar_days hoặc same_day"

/* The calendar and office hours to count with: a's, or (a NULL) the
 * built-in schedule and default hours in own / hbuf, which the caller
 * releases with cal_sched_release(own) when *owned. */
static int calendar_of(app *a, cal_sched *own, dl_hours *hbuf, const cal_sched **s,
		       const dl_hours **h, int *owned, mc_err *e)
{
	*owned = 0;
	if (a) {
		*s = &a->sched;
		*h = &a->hours;
		return MC_OK;
	}
	cal_sched_init(own);
	int rc = app_builtin_sched(own, e);
	if (rc) {
		cal_sched_release(own);
		return rc;
	}
	dl_hours_default(hbuf);
	*s = own;
	*h = hbuf;
	*owned = 1;
	return MC_OK;
}

static int parse_year(const char *s, int *y, mc_err *e)
{
	char *end = NULL;
	errno = 0;
	long v = s && *s ? strtol(s, &end, 10) : 0;
	if (!s || !*s || *end || errno || v < CAL_MIN_YEAR || v > CAL_MAX_YEAR)
		return mc_fail(e, MCE_CALENDAR_BAD_PARAM,
			       "năm (year) phải là số nguyên từ %d đến %d, không phải '%.20s'",
			       "year must be a whole number from %d to %d, not '%.20s'",
			       CAL_MIN_YEAR, CAL_MAX_YEAR, s ? s : "");
	*y = (int)v;
	return MC_OK;
}

int app_days_off(app *a, const char *year, json_t **out, mc_err *e)
{
	int y = 0, owned = 0;
	cal_sched own;
	dl_hours hb;
	const cal_sched *s;
	const dl_hours *h;
	int rc = parse_year(year, &y, e);
	if (!rc)
		rc = calendar_of(a, &own, &hb, &s, &h, &owned, e);
	if (rc)
		return rc;
	json_t *days = json_array();
	for (int32_t d = cal_days_from_civil(y, 1, 1); d < cal_days_from_civil(y + 1, 1, 1); d++) {
		if (!cal_is_workday(s, d)) {
			char iso[11];
			cal_format_date(d, iso);
			json_array_append_new(days, json_string(iso));
		}
	}
	*out = json_pack("{s:i, s:b, s:o}", "year", y, "scheduled", cal_sched_has_year(s, y),
			 "days_off", days);
	if (owned)
		cal_sched_release(&own);
	return MC_OK;
}

/* at as the CLI and the API write it: "YYYY-MM-DD HH:MM" or ISO 8601 with
 * this country's offset. */
static int parse_at(const char *at, mc_time *t, mc_err *e)
{
	char buf[32];
	mc_err pe;
	if (!at || !*at)
		return mc_fail(e, MCE_CALENDAR_BAD_PARAM, "cần có thời điểm at (YYYY-MM-DD HH:MM)",
			       "at is required (YYYY-MM-DD HH:MM)");
	size_t n = strlen(at);
	if (n > 25)
		return mc_fail(e, MCE_CALENDAR_BAD_PARAM,
			       "at '%.30s' quá dài (dạng YYYY-MM-DD HH:MM)",
			       "at '%.30s' is too long (use YYYY-MM-DD HH:MM)", at);
	snprintf(buf, sizeof buf, "%s", at);
	if (n > 6 && strcmp(buf + n - 6, "+07:00") == 0)
		buf[n - 6] = 0;
	/* The calendar's own code and both its texts, in context ("%.0s" skips
	 * the other language's). */
	if (cal_parse_datetime(buf, t, &pe) != MC_OK)
		return mc_fail(e, pe.id, "at: %.0s%s (dạng YYYY-MM-DD HH:MM)",
			       "at: %s%.0s (use YYYY-MM-DD HH:MM)", pe.msg, mc_errmsg(&pe, 1));
	return MC_OK;
}

static int parse_amount(const char *time, int unit, double *amount, mc_err *e)
{
	*amount = 1;
	if (!time && unit == DL_SAME_DAY)
		return MC_OK;
	if (!time || !*time)
		return mc_fail(e, MCE_CALENDAR_BAD_PARAM, "cần có time (một số dương)",
			       "time is required (a positive number)");
	char *end;
	errno = 0;
	double v = strtod(time, &end);
	/* !(v > 0) also refuses NaN; errno an overflow to inf. dl_due
	 * bounds the rest. */
	if (*end || end == time || errno || !(v > 0))
		return mc_fail(e, MCE_CALENDAR_BAD_PARAM,
			       "time phải là số dương, không phải '%.20s'",
			       "time must be a positive number, not '%.20s'", time);
	*amount = v;
	return MC_OK;
}

int app_due(app *a, const char *at, const char *time, const char *unit, mc_time *t,
	    mc_time *due, int *scheduled, mc_err *e)
{
	int rc = parse_at(at, t, e);
	if (rc)
		return rc;
	int u = unit && *unit ? dl_unit_parse(unit) : -1;
	if (u < 0)
		return mc_fail(e, MCE_CALENDAR_BAD_PARAM,
			       "unit phải là " UNITS_VI ", không phải '%.30s'",
			       "unit must be " UNITS ", not '%.30s'", unit ? unit : "");
	double amount;
	rc = parse_amount(time, u, &amount, e);
	if (rc)
		return rc;
	int owned = 0;
	cal_sched own;
	dl_hours hb;
	const cal_sched *s;
	const dl_hours *h;
	rc = calendar_of(a, &own, &hb, &s, &h, &owned, e);
	if (rc)
		return rc;
	rc = dl_due(s, h, *t, amount, u, due, e);
	if (!rc && scheduled) {
		int y, m, d;
		cal_civil_from_days(cal_local_day(*t), &y, &m, &d);
		*scheduled = cal_sched_has_year(s, y);
	}
	if (owned)
		cal_sched_release(&own);
	return rc;
}
