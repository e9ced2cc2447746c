/*
 * cal.h - civil dates, the Vietnamese lunar calendar and the days-off
 * schedule. Pure computation: no I/O, no clock, no allocation except in
 * cal_sched.
 *
 * Days are counted as int32_t days since 1970-01-01 (day 0 = Thursday).
 * Times are mc_time (UTC seconds); local time is UTC+7 (MC_TZ_OFFSET).
 *
 * One module in four files: cal_civil.c (civil dates), cal_lunar.c (lunar
 * calendar), cal_sched.c (days off and the off-day bitmap) and cal_csv.c
 * (the schedule CSV); cal_int.h holds what they share.
 */
#ifndef CAL_H
#define CAL_H

#include "mc.h"

#define CAL_MIN_YEAR 1900
#define CAL_MAX_YEAR 2199

/* ---- civil dates ---- */

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d (no checks). */
int32_t cal_days_from_civil(int y, int m, int d);
/* Inverse of cal_days_from_civil. OUT: *y, *m, *d. */
void cal_civil_from_days(int32_t z, int *y, int *m, int *d);
/* 0 = Sunday ... 6 = Saturday. */
int cal_weekday(int32_t day);
/* Number of days in month m of year y. */
int cal_month_days(int y, int m);

/* Strict "YYYY-MM-DD" (a real date, year 1900-2199). OUT: *day.
 * Returns MC_OK or MC_EINVAL with a message naming the text. */
MC_MUST_USE int cal_parse_date(const char *s, int32_t *day, mc_err *e);
/* Strict local "YYYY-MM-DD HH:MM" (also accepts "YYYY-MM-DDTHH:MM" and an
 * optional ":SS"). OUT: *t (UTC seconds). */
MC_MUST_USE int cal_parse_datetime(const char *s, mc_time *t, mc_err *e);
/* Local date of t (days since epoch). */
int32_t cal_local_day(mc_time t);
/* Seconds since local midnight of t. */
int cal_local_secs(mc_time t);
/* The instant of local day + seconds since midnight. */
mc_time cal_time_of(int32_t day, int secs);
/* "YYYY-MM-DD" into out (11 bytes). */
void cal_format_date(int32_t day, char out[11]);
/* Local "YYYY-MM-DD HH:MM" into out (17 bytes). */
void cal_format_datetime(mc_time t, char out[17]);
/* ISO 8601 with offset, "2026-03-02T07:00:00+07:00", into out (26 bytes). */
void cal_format_iso(mc_time t, char out[26]);

/* ---- lunar calendar (Ho Ngoc Duc's rules, UTC+7) ---- */

typedef struct {
	int day;   /* 1..30 */
	int month; /* 1..12 */
	int year;  /* lunar year, e.g. 2025 for At Ty */
	int leap;  /* 1 if the month is a leap (nhuan) month */
} cal_lunar;

/* Lunar date of a solar day. Years 1900-2199.
 * Returns MC_OK or MC_EINVAL (out of range). OUT: *out. */
MC_MUST_USE int cal_solar_to_lunar(int32_t day, cal_lunar *out, mc_err *e);
/* Solar day of a lunar date; MC_EINVAL if no such lunar date (day 30 of a
 * 29-day month, a leap flag on a month that is not leap that year, out of
 * range). OUT: *day. */
MC_MUST_USE int cal_lunar_to_solar(const cal_lunar *l, int32_t *day, mc_err *e);

/* ---- days off ---- */

/* Kind of a day in a schedule; the values match the CSV "status" column. */
enum {
	CAL_WORKDAY = 0,        /* an ordinary working day */
	CAL_WEEKEND,            /* Saturday or Sunday */
	CAL_HOLIDAY,            /* Labour Code art. 112 holiday on a weekday */
	CAL_HOLIDAY_ON_WEEKEND, /* a holiday that falls on a weekend */
	CAL_COMPENSATORY,       /* art. 111(3) day off for a holiday on a weekend */
	CAL_SWAPPED_OFF,        /* a weekday off, made up on a Saturday */
	CAL_MAKEUP_WORKDAY,     /* a Saturday worked to make up a swapped day */
};

/* Name of a kind as in the CSV ("holiday", "makeup_workday", ...). */
const char *cal_kind_name(int kind);
/* Kind from its CSV name; -1 if unknown. */
int cal_kind_parse(const char *name);

typedef struct {
	int32_t day;
	int kind;
	char *occasion; /* owned; may be NULL */
	char *source;   /* owned; may be NULL */
} cal_entry;

/*
 * A days-off schedule: the government's yearly schedules for the years that
 * have one, and Labour Code defaults for the others. Build it with
 * cal_sched_init, cal_sched_add_csv / cal_sched_add, then cal_sched_finish;
 * after finish it is read-only and safe to share between threads.
 */
typedef struct {
	cal_entry *e; /* entries of scheduled years, sorted by day once finished */
	size_t n, cap;
	unsigned char has_year[CAL_MAX_YEAR - CAL_MIN_YEAR + 1];
	unsigned char *off; /* bitmap of non-working days, built by finish */
	int finished;
} cal_sched;

void cal_sched_init(cal_sched *s);
void cal_sched_release(cal_sched *s);
/* Drops every entry of year y and marks y as scheduled (an empty schedule is
 * still one: weekends only). */
void cal_sched_clear_year(cal_sched *s, int y);
/* Adds one entry (marks its year as scheduled). Strings are copied. */
MC_MUST_USE int cal_sched_add(cal_sched *s, int32_t day, int kind, const char *occasion,
			      const char *source, mc_err *e);
/*
 * Parses a schedule CSV (header "date,weekday,status,civil_servant_working_day,
 * occasion,source"; RFC 4180 quoting) and, for every year named by a row whose
 * status is not "weekend", replaces that year's schedule with the file's rows.
 * Plain weekend rows carry no information and are skipped. On error nothing
 * is changed and e names the line. OUT: years[] (up to max_years) and *n_years
 * list the years replaced, if years is not NULL.
 */
MC_MUST_USE int cal_sched_add_csv(cal_sched *s, const char *text, size_t len, int *years,
				  int max_years, int *n_years, mc_err *e);
/* Computes the day bitmap; call after the last add. */
MC_MUST_USE int cal_sched_finish(cal_sched *s, mc_err *e);
/* Non-zero if year y has a government schedule (else defaults apply). */
int cal_sched_has_year(const cal_sched *s, int y);
/* 1 if day is a working day, 0 if not. Outside 1900-2199: weekdays work. */
int cal_is_workday(const cal_sched *s, int32_t day);
/*
 * The fixed statutory days of year y (1/1, lunar 1/1, lunar 10/3, 30/4,
 * 1/5, 2/9) that fall on a weekday and that the entries of s (finished or
 * not) do not list as a day off. OUT: missing[] (up to max); returns the
 * count. A government schedule always lists them: one that does not is
 * a partial file, not a year's schedule.
 */
size_t cal_statutory_missing(const cal_sched *s, int y, int32_t *missing, size_t max);

/* Labour Code 2019 art. 112 defaults for year y, with art. 111(3)
 * compensatory days: fills out[] (up to max) sorted; returns the count.
 * (The count written, at most max; 0 outside 1900-2199. The entries'
 * occasion and source point at static strings: do not free them.) */
size_t cal_default_days_off(int y, cal_entry *out, size_t max);

#endif
