/*
 * cal_test.c - civil dates, parsing and formatting, the Vietnamese lunar
 * calendar and the days-off schedule.
 *
 * Reference values come from outside the code under test: the Tet dates are
 * tests/data/tet-2000-2040.csv, the leap months are the
 * published Vietnamese/Chinese lists (the two agree in 2000-2040) and were
 * cross-checked against an independent computation from precise ephemerides
 * at UTC+7; days off come from the shipped 2024-2026 schedule and, for the
 * years without one, from Labour Code 2019 art. 111-112 worked out by hand.
 */
#include "core/cal.h"
#include "t.h"

#include "shipped.h"

#define SCHED_CSV "holidays-2024-2026.csv"

static int32_t D(const char *s)
{
	int32_t d = 0;
	mc_err e;
	if (cal_parse_date(s, &d, &e)) {
		fprintf(stderr, "bad test date '%s': %s\n", s, e.msg);
		t_fail++;
	}
	return d;
}

/* ---- civil dates ---- */

static void test_civil(void)
{
	static const struct {
		int y, m, d;
		int32_t days;
		int weekday; /* 0 = Sunday */
	} cases[] = {
		{ 1970, 1, 1, 0, 4 },	     { 1969, 12, 31, -1, 3 },
		{ 2000, 3, 1, 11017, 3 },    { 2024, 2, 29, 19782, 4 },
		{ 2025, 1, 29, 20117, 3 },   { 1900, 1, 1, -25567, 1 },
		{ 2199, 12, 31, 84005, 2 },  { 2200, 1, 4, 84009, 6 },
		{ 1899, 12, 29, -25570, 5 },
	};
	static const struct {
		int y, m, days;
	} months[] = {
		{ 2024, 2, 29 }, { 2025, 2, 28 }, { 1900, 2, 28 }, { 2000, 2, 29 }, { 2100, 2, 28 },
		{ 2025, 4, 30 }, { 2025, 12, 31 }, { 2025, 0, 0 },  { 2025, 13, 0 },
	};
	int bad = 0;

	T_CASE("civil");
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		int y, m, d;
		CHECK_INT(cal_days_from_civil(cases[i].y, cases[i].m, cases[i].d), cases[i].days);
		cal_civil_from_days(cases[i].days, &y, &m, &d);
		CHECK(y == cases[i].y && m == cases[i].m && d == cases[i].d);
		CHECK_INT(cal_weekday(cases[i].days), cases[i].weekday);
	}
	for (size_t i = 0; i < MC_ARRAY_LEN(months); i++)
		CHECK_INT(cal_month_days(months[i].y, months[i].m), months[i].days);

	/* Every day of 1600-2400 round-trips and follows its predecessor. */
	{
		int py = 1599, pm = 12, pd = 31;
		for (int32_t z = cal_days_from_civil(1600, 1, 1); z <= cal_days_from_civil(2400, 12, 31);
		     z++) {
			int y, m, d;
			cal_civil_from_days(z, &y, &m, &d);
			if (cal_days_from_civil(y, m, d) != z)
				bad++;
			if (d == 1 ? !(pd == cal_month_days(py, pm) &&
				       (m == pm + 1 || (m == 1 && pm == 12 && y == py + 1)))
				   : !(y == py && m == pm && d == pd + 1))
				bad++;
			py = y;
			pm = m;
			pd = d;
		}
	}
	CHECK_INT(bad, 0);
}

static void test_parse(void)
{
	static const struct {
		const char *s;
		int ok;
		int32_t day;
		const char *msg;
	} dates[] = {
		{ "2025-01-29", 1, 20117, NULL },
		{ "2024-02-29", 1, 19782, NULL },
		{ "1900-01-01", 1, -25567, NULL },
		{ "2199-12-31", 1, 84005, NULL },
		{ "2025-02-29", 0, 0, "no such date '2025-02-29'" },
		{ "2025-13-01", 0, 0, "no such date '2025-13-01'" },
		{ "2025-00-10", 0, 0, "no such date '2025-00-10'" },
		{ "2025-01-32", 0, 0, "no such date '2025-01-32'" },
		{ "2025-04-31", 0, 0, "no such date '2025-04-31'" },
		{ "2025-1-1", 0, 0, "malformed date '2025-1-1'" },
		{ "2025-01-01x", 0, 0, "malformed date '2025-01-01x'" },
		{ "2025-01-01 ", 0, 0, "malformed date '2025-01-01 '" },
		{ " 2025-01-01", 0, 0, "malformed date ' 2025-01-01'" },
		{ "2025/01/01", 0, 0, "malformed date '2025/01/01'" },
		{ "+025-01-01", 0, 0, "malformed date '+025-01-01'" },
		{ "", 0, 0, "malformed date ''" },
		{ "1899-12-31", 0, 0, "date '1899-12-31' out of range (years 1900-2199)" },
		{ "2200-01-01", 0, 0, "date '2200-01-01' out of range (years 1900-2199)" },
	};
	static const struct {
		const char *s;
		int ok;
		mc_time t;
	} times[] = {
		{ "2025-03-10 07:00", 1, 1741564800 },
		{ "2025-03-10T07:00", 1, 1741564800 },
		{ "2025-03-10 07:00:30", 1, 1741564830 },
		{ "2025-03-10T07:00:30", 1, 1741564830 },
		{ "1970-01-01 07:00", 1, 0 },
		{ "1900-01-01 00:00", 1, -2209014000LL },
		{ "2199-12-31 23:59:59", 1, 7258093199LL },
		{ "2025-03-10 01:00", 1, 1741543200 },
		{ "2025-03-10 24:00", 0, 0 },
		{ "2025-03-10 23:60", 0, 0 },
		{ "2025-03-10 07:00:60", 0, 0 },
		{ "2025-03-10 7:00", 0, 0 },
		{ "2025-03-10 07:00:0", 0, 0 },
		{ "2025-03-10 07:00Z", 0, 0 },
		{ "2025-03-10 07:00+07:00", 0, 0 },
		{ "2025-03-10x07:00", 0, 0 },
		{ "2025-03-10  7:00", 0, 0 },
		{ "2025-03-10", 0, 0 },
		{ "2025-02-29 10:00", 0, 0 },
		{ "1899-12-31 23:59", 0, 0 },
		{ "2200-01-01 00:00", 0, 0 },
		{ "", 0, 0 },
	};
	mc_err e;

	T_CASE("parse date");
	for (size_t i = 0; i < MC_ARRAY_LEN(dates); i++) {
		int32_t d = 12345;
		int rc;
		e.msg[0] = '\0';
		rc = cal_parse_date(dates[i].s, &d, &e);
		CHECK_INT(rc, dates[i].ok ? MC_OK : MC_EINVAL);
		if (dates[i].ok) {
			CHECK_INT(d, dates[i].day);
		} else {
			CHECK_INT(e.code, MC_EINVAL);
			CHECK_STR(e.msg, dates[i].msg);
			CHECK_INT(d, 12345); /* untouched on error */
		}
	}

	T_CASE("parse datetime");
	for (size_t i = 0; i < MC_ARRAY_LEN(times); i++) {
		mc_time t = 0;
		int rc = cal_parse_datetime(times[i].s, &t, &e);
		CHECK_INT(rc, times[i].ok ? MC_OK : MC_EINVAL);
		if (times[i].ok)
			CHECK_INT(t, times[i].t);
		else
			CHECK(strstr(e.msg, times[i].s) != NULL && e.msg[0] >= 'a' &&
			      e.msg[0] <= 'z');
	}
	CHECK_INT(cal_parse_datetime("2025-03-10 24:00", &(mc_time){ 0 }, &e), MC_EINVAL);
	CHECK_STR(e.msg, "no such time '2025-03-10 24:00'");
	CHECK_INT(cal_parse_datetime("2025-03-10 7:00", &(mc_time){ 0 }, &e), MC_EINVAL);
	CHECK_STR(e.msg, "malformed date and time '2025-03-10 7:00'");
	CHECK_INT(cal_parse_date(NULL, &(int32_t){ 0 }, NULL), MC_EINVAL);
}

static void test_local_and_format(void)
{
	static const struct {
		mc_time t;
		const char *date, *dt, *iso;
		int secs;
	} cases[] = {
		{ 1741564800, "2025-03-10", "2025-03-10 07:00", "2025-03-10T07:00:00+07:00", 25200 },
		/* 18:00 UTC on the 9th is 01:00 on the 10th in Vietnam */
		{ 1741543200, "2025-03-10", "2025-03-10 01:00", "2025-03-10T01:00:00+07:00", 3600 },
		{ 1741543199, "2025-03-10", "2025-03-10 00:59", "2025-03-10T00:59:59+07:00", 3599 },
		{ 1741539600, "2025-03-10", "2025-03-10 00:00", "2025-03-10T00:00:00+07:00", 0 },
		{ 1741539599, "2025-03-09", "2025-03-09 23:59", "2025-03-09T23:59:59+07:00", 86399 },
		{ 0, "1970-01-01", "1970-01-01 07:00", "1970-01-01T07:00:00+07:00", 25200 },
		{ -25201, "1969-12-31", "1969-12-31 23:59", "1969-12-31T23:59:59+07:00", 86399 },
		{ -2209014000LL, "1900-01-01", "1900-01-01 00:00", "1900-01-01T00:00:00+07:00", 0 },
		{ 7258093199LL, "2199-12-31", "2199-12-31 23:59", "2199-12-31T23:59:59+07:00", 86399 },
		{ 1772409600, "2026-03-02", "2026-03-02 07:00", "2026-03-02T07:00:00+07:00", 25200 },
	};

	T_CASE("local time and formatting");
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		char d[11], dt[17], iso[26];
		int32_t day = cal_local_day(cases[i].t);
		cal_format_date(day, d);
		cal_format_datetime(cases[i].t, dt);
		cal_format_iso(cases[i].t, iso);
		CHECK_STR(d, cases[i].date);
		CHECK_STR(dt, cases[i].dt);
		CHECK_STR(iso, cases[i].iso);
		CHECK_INT(cal_local_secs(cases[i].t), cases[i].secs);
		CHECK_INT(cal_time_of(day, cases[i].secs), cases[i].t);
	}
	/* Extreme instants must not overflow. */
	CHECK(cal_local_secs(INT64_MAX) >= 0 && cal_local_secs(INT64_MAX) < 86400);
	CHECK(cal_local_secs(INT64_MIN) >= 0 && cal_local_secs(INT64_MIN) < 86400);
}

/* ---- lunar calendar ---- */

/* tet-2000-2040.csv: the solar date of lunar 1/1 of each year. */
static const struct {
	int year;
	const char *date;
} tet[] = {
	{ 2000, "2000-02-05" }, { 2001, "2001-01-24" }, { 2002, "2002-02-12" },
	{ 2003, "2003-02-01" }, { 2004, "2004-01-22" }, { 2005, "2005-02-09" },
	{ 2006, "2006-01-29" }, { 2007, "2007-02-17" }, { 2008, "2008-02-07" },
	{ 2009, "2009-01-26" }, { 2010, "2010-02-14" }, { 2011, "2011-02-03" },
	{ 2012, "2012-01-23" }, { 2013, "2013-02-10" }, { 2014, "2014-01-31" },
	{ 2015, "2015-02-19" }, { 2016, "2016-02-08" }, { 2017, "2017-01-28" },
	{ 2018, "2018-02-16" }, { 2019, "2019-02-05" }, { 2020, "2020-01-25" },
	{ 2021, "2021-02-12" }, { 2022, "2022-02-01" }, { 2023, "2023-01-22" },
	{ 2024, "2024-02-10" }, { 2025, "2025-01-29" }, { 2026, "2026-02-17" },
	{ 2027, "2027-02-06" }, { 2028, "2028-01-26" }, { 2029, "2029-02-13" },
	{ 2030, "2030-02-02" }, { 2031, "2031-01-23" }, { 2032, "2032-02-11" },
	{ 2033, "2033-01-31" }, { 2034, "2034-02-19" }, { 2035, "2035-02-08" },
	{ 2036, "2036-01-28" }, { 2037, "2037-02-15" }, { 2038, "2038-02-04" },
	{ 2039, "2039-01-24" }, { 2040, "2040-02-12" },
};

/* Leap months 2000-2040 and the first solar day of the leap month. Only
 * these years of the range have one. */
static const struct {
	int year, month;
	const char *first;
} leaps[] = {
	{ 2001, 4, "2001-05-23" },  { 2004, 2, "2004-03-21" }, { 2006, 7, "2006-08-24" },
	{ 2009, 5, "2009-06-23" },  { 2012, 4, "2012-05-21" }, { 2014, 9, "2014-10-24" },
	{ 2017, 6, "2017-07-23" },  { 2020, 4, "2020-05-23" }, { 2023, 2, "2023-03-22" },
	{ 2025, 6, "2025-07-25" },  { 2028, 5, "2028-06-23" }, { 2031, 3, "2031-04-21" },
	{ 2033, 11, "2033-12-22" }, { 2036, 6, "2036-07-23" }, { 2039, 5, "2039-06-22" },
};

static int leap_month_of(int year)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(leaps); i++)
		if (leaps[i].year == year)
			return leaps[i].month;
	return 0;
}

static void test_tet(void)
{
	mc_err e;
	T_CASE("tet 2000-2040");
	for (size_t i = 0; i < MC_ARRAY_LEN(tet); i++) {
		cal_lunar l = { 0 }, q = { 1, 1, tet[i].year, 0 };
		int32_t d = D(tet[i].date), back = 0;
		CHECK_INT(cal_solar_to_lunar(d, &l, &e), MC_OK);
		CHECK(l.day == 1 && l.month == 1 && l.year == tet[i].year && l.leap == 0);
		CHECK_INT(cal_lunar_to_solar(&q, &back, &e), MC_OK);
		CHECK_INT(back, d);
		/* The day before belongs to month 12 (or leap 12) of the old year. */
		CHECK_INT(cal_solar_to_lunar(d - 1, &l, &e), MC_OK);
		CHECK(l.month == 12 && l.year == tet[i].year - 1 && (l.day == 29 || l.day == 30));
	}
}

static void test_leap_months(void)
{
	mc_err e;
	T_CASE("leap months 2000-2040");
	for (size_t i = 0; i < MC_ARRAY_LEN(leaps); i++) {
		int y = leaps[i].year, m = leaps[i].month;
		int32_t first = D(leaps[i].first), d = 0, reg = 0;
		cal_lunar l = { 0 };
		cal_lunar lq = { 1, m, y, 1 }, rq = { 1, m, y, 0 };
		cal_lunar bad = { 1, m == 12 ? 1 : m + 1, y, 1 };

		CHECK_INT(cal_solar_to_lunar(first, &l, &e), MC_OK);
		CHECK(l.day == 1 && l.month == m && l.year == y && l.leap == 1);
		CHECK_INT(cal_lunar_to_solar(&lq, &d, &e), MC_OK);
		CHECK_INT(d, first);
		CHECK_INT(cal_lunar_to_solar(&rq, &reg, &e), MC_OK);
		CHECK(first - reg == 29 || first - reg == 30);
		CHECK_INT(cal_solar_to_lunar(reg, &l, &e), MC_OK);
		CHECK(l.day == 1 && l.month == m && l.year == y && l.leap == 0);
		/* The day before the leap month is the last of the regular one. */
		CHECK_INT(cal_solar_to_lunar(first - 1, &l, &e), MC_OK);
		CHECK(l.day == first - reg && l.month == m && l.leap == 0);
		/* The month after the leap month is regular month m + 1. */
		CHECK_INT(cal_lunar_to_solar(&bad, &d, &e), MC_EINVAL);
	}
	/* Years without a leap month reject every leap flag. */
	for (int y = 2000; y <= 2040; y++) {
		int wrong = 0;
		for (int m = 1; m <= 12; m++) {
			cal_lunar q = { 1, m, y, 1 };
			int32_t d;
			int rc = cal_lunar_to_solar(&q, &d, &e);
			if ((rc == MC_OK) != (m == leap_month_of(y)))
				wrong++;
			if (rc != MC_OK && e.code != MC_EINVAL)
				wrong++;
		}
		CHECK_INT(wrong, 0);
	}
	/* And no solar day of 2000-2040 falls in a leap month other than these. */
	{
		int wrong = 0;
		for (int32_t d = D("2000-02-05"); d < D("2041-01-01"); d++) {
			cal_lunar l;
			if (cal_solar_to_lunar(d, &l, &e) ||
			    (l.leap && leap_month_of(l.year) != l.month))
				wrong++;
		}
		CHECK_INT(wrong, 0);
	}
}

static void test_lunar_known(void)
{
	static const struct {
		const char *solar;
		int d, m, y, leap;
	} cases[] = {
		{ "2025-01-29", 1, 1, 2025, 0 },  /* Tet At Ty */
		{ "2025-01-28", 29, 12, 2024, 0 }, /* no 30 Tet in 2025 */
		{ "2024-02-09", 30, 12, 2023, 0 }, /* 30 Tet 2024 */
		{ "2025-04-07", 10, 3, 2025, 0 },  /* Gio To 2025 */
		{ "2026-04-26", 10, 3, 2026, 0 },  /* Gio To 2026 */
		{ "2024-04-18", 10, 3, 2024, 0 },  /* Gio To 2024 */
		{ "2023-03-22", 1, 2, 2023, 1 },   /* first day of leap month 2 */
		{ "2023-04-19", 29, 2, 2023, 1 },  /* its last day */
		{ "2023-04-20", 1, 3, 2023, 0 },
		{ "2025-10-06", 15, 8, 2025, 0 },  /* Trung thu 2025 */
		{ "2033-12-22", 1, 11, 2033, 1 },  /* leap 11 */
		{ "2034-01-20", 1, 12, 2033, 0 },
		{ "1985-01-21", 1, 1, 1985, 0 },   /* Vietnam; China had 20 February */
		{ "1995-09-24", 1, 8, 1995, 1 },   /* a day before China's leap 8 */
		{ "1900-01-01", 1, 12, 1899, 0 },
		{ "1900-01-31", 1, 1, 1900, 0 },
		/* where the published algorithm's first new-moon guess is two
		 * months off (it answers day 0) */
		{ "2054-05-07", 30, 3, 2054, 0 },
		{ "2062-04-09", 30, 2, 2062, 0 },
	};
	mc_err e;

	T_CASE("known lunar dates");
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		cal_lunar l = { 0 }, q = { cases[i].d, cases[i].m, cases[i].y, cases[i].leap };
		int32_t d = D(cases[i].solar), back = 0;
		CHECK_INT(cal_solar_to_lunar(d, &l, &e), MC_OK);
		CHECK(l.day == cases[i].d && l.month == cases[i].m && l.year == cases[i].y &&
		      l.leap == cases[i].leap);
		CHECK_INT(cal_lunar_to_solar(&q, &back, &e), MC_OK);
		CHECK_INT(back, d);
	}
}

static void test_lunar_errors(void)
{
	static const struct {
		int d, m, y, leap;
	} bad[] = {
		{ 30, 12, 2024, 0 }, /* month 12 of Giap Thin has 29 days */
		{ 30, 2, 2023, 1 },  /* leap 2 of 2023 has 29 days */
		{ 1, 2, 2023, 2 },   { 1, 7, 2023, 1 }, { 1, 6, 2024, 1 }, { 0, 1, 2025, 0 },
		{ 31, 1, 2025, 0 },  { 1, 0, 2025, 0 }, { 1, 13, 2025, 0 }, { 1, 1, 1898, 0 },
		{ 1, 1, 2200, 0 },   { 1, 11, 2199, 0 }, /* month 11 of 2199 starts in 2199 */
		{ 1, 12, 2199, 0 },  /* but month 12 starts in 2200 */
		{ 1, 11, 1899, 0 },  /* and month 11 of 1899 ended in 1899 */
	};
	static const int ok_rc[] = { MC_EINVAL, MC_EINVAL, MC_EINVAL, MC_EINVAL, MC_EINVAL,
				     MC_EINVAL, MC_EINVAL, MC_EINVAL, MC_EINVAL, MC_EINVAL,
				     MC_EINVAL, MC_OK,	   MC_EINVAL, MC_EINVAL };
	mc_err e;
	cal_lunar l;

	T_CASE("lunar errors");
	for (size_t i = 0; i < MC_ARRAY_LEN(bad); i++) {
		cal_lunar q = { bad[i].d, bad[i].m, bad[i].y, bad[i].leap };
		int32_t d = 777;
		int rc = cal_lunar_to_solar(&q, &d, &e);
		CHECK_INT(rc, ok_rc[i]);
		if (rc)
			CHECK(d == 777 && strchr(e.msg, '\'') != NULL);
	}
	CHECK_INT(cal_lunar_to_solar(&(cal_lunar){ 30, 12, 2024, 0 }, &(int32_t){ 0 }, &e),
		  MC_EINVAL);
	CHECK_STR(e.msg, "no such lunar date '30/12/2024'");
	CHECK_INT(cal_solar_to_lunar(D("1900-01-01") - 1, &l, &e), MC_EINVAL);
	CHECK_INT(cal_solar_to_lunar(D("2199-12-31") + 1, &l, &e), MC_EINVAL);
	CHECK_INT(cal_solar_to_lunar(D("2199-12-31"), &l, &e), MC_OK);
	CHECK(l.year == 2199 && l.month == 11 && l.leap == 0);
}

/* Every day of 1900-2199: solar -> lunar -> solar is the identity, and the
 * lunar dates run on without gaps. */
static void test_lunar_round_trip(void)
{
	int bad = 0, months = 0;
	cal_lunar prev = { 0 };
	mc_err e;

	T_CASE("lunar round trip 1900-2199");
	for (int32_t d = D("1900-01-01"); d <= D("2199-12-31"); d++) {
		cal_lunar l;
		int32_t back = -1;
		if (cal_solar_to_lunar(d, &l, &e) || cal_lunar_to_solar(&l, &back, &e) ||
		    back != d) {
			if (bad++ < 5)
				fprintf(stderr, "round trip failed at day %ld\n", (long)d);
			continue;
		}
		if (prev.day) {
			if (l.day == 1) {
				/* a month has 29 or 30 days; months follow in order */
				int next_ok;
				if (prev.day != 29 && prev.day != 30)
					bad++;
				if (l.leap)
					next_ok = l.month == prev.month && !prev.leap &&
						  l.year == prev.year;
				else if (prev.month == 12)
					next_ok = l.month == 1 && l.year == prev.year + 1;
				else
					next_ok = l.month == prev.month + 1 && l.year == prev.year;
				if (!next_ok)
					bad++;
				months++;
			} else if (l.day != prev.day + 1 || l.month != prev.month ||
				   l.year != prev.year || l.leap != prev.leap) {
				bad++;
			}
		}
		prev = l;
	}
	CHECK_INT(bad, 0);
	/* 300 years hold about 300 * 12.37 lunar months. */
	CHECK(months > 3700 && months < 3720);
}

/* ---- days off ---- */

static void test_kinds(void)
{
	static const char *names[] = { "workday",      "weekend",     "holiday",
				       "holiday_on_weekend", "compensatory", "swapped_off",
				       "makeup_workday" };
	T_CASE("kinds");
	for (int i = 0; i < (int)MC_ARRAY_LEN(names); i++) {
		CHECK_STR(cal_kind_name(i), names[i]);
		CHECK_INT(cal_kind_parse(names[i]), i);
	}
	CHECK_INT(CAL_MAKEUP_WORKDAY, 6);
	CHECK_INT(cal_kind_parse("Holiday"), -1);
	CHECK_INT(cal_kind_parse(""), -1);
	CHECK_INT(cal_kind_parse(NULL), -1);
	CHECK_STR(cal_kind_name(7), "");
	CHECK_STR(cal_kind_name(-1), "");
}

enum { H = CAL_HOLIDAY, HW = CAL_HOLIDAY_ON_WEEKEND, C = CAL_COMPENSATORY };

typedef struct {
	const char *date;
	int kind;
} day_kind;

/* Labour Code defaults, worked out by hand from the weekdays and the lunar
 * dates (Tet and 10/3 from the reference tables). */
static const day_kind def2027[] = {
	{ "2027-01-01", H },  /* Fri */
	{ "2027-02-05", H },  /* Fri, 30/12 Binh Ngo */
	{ "2027-02-06", HW }, /* Sat, 1/1 Dinh Mui */
	{ "2027-02-07", HW }, /* Sun */
	{ "2027-02-08", H },  { "2027-02-09", H },
	{ "2027-02-10", C },  /* for the 6th */
	{ "2027-02-11", C },  /* for the 7th */
	{ "2027-04-16", H },  /* 10/3, Fri */
	{ "2027-04-30", H },  /* Fri */
	{ "2027-05-01", HW }, /* Sat */
	{ "2027-05-03", C },  /* Mon */
	{ "2027-09-02", H },  /* Thu */
	{ "2027-09-03", H },  /* Fri */
};

static const day_kind def2028[] = {
	{ "2028-01-01", HW }, /* Sat */
	{ "2028-01-03", C },  /* Mon */
	{ "2028-01-25", H },  /* Tue, last day of Dinh Mui */
	{ "2028-01-26", H },  { "2028-01-27", H }, { "2028-01-28", H },
	{ "2028-01-29", HW }, /* Sat, 4/1 */
	{ "2028-01-31", C },  /* Mon */
	{ "2028-04-04", H },  /* 10/3, Tue */
	{ "2028-04-30", HW }, /* Sun */
	{ "2028-05-01", H },  /* Mon */
	{ "2028-05-02", C },  /* Tue: Monday is itself a holiday */
	{ "2028-09-02", HW }, /* Sat */
	{ "2028-09-03", HW }, /* Sun */
	{ "2028-09-04", C },  { "2028-09-05", C },
};

static const day_kind def2029[] = {
	{ "2029-01-01", H },  { "2029-02-12", H }, { "2029-02-13", H }, { "2029-02-14", H },
	{ "2029-02-15", H },  { "2029-02-16", H }, { "2029-04-23", H }, /* 10/3, Mon */
	{ "2029-04-30", H },  { "2029-05-01", H },
	{ "2029-09-02", HW }, /* Sun */
	{ "2029-09-03", H },  /* Mon */
	{ "2029-09-04", C },  /* Tue */
};

static const day_kind def2030[] = {
	{ "2030-01-01", H },  /* Tue */
	{ "2030-02-01", H },  /* Fri */
	{ "2030-02-02", HW }, /* Sat, 1/1 Canh Tuat */
	{ "2030-02-03", HW }, { "2030-02-04", H }, { "2030-02-05", H },
	{ "2030-02-06", C },  { "2030-02-07", C },
	{ "2030-04-12", H },  /* 10/3, Fri */
	{ "2030-04-30", H },  { "2030-05-01", H }, { "2030-09-02", H }, { "2030-09-03", H },
};

static const day_kind def2033[] = {
	{ "2033-01-01", HW }, /* Sat */
	{ "2033-01-03", C },
	{ "2033-01-30", HW }, /* Sun, last day of Nham Ty */
	{ "2033-01-31", H },  { "2033-02-01", H }, { "2033-02-02", H }, { "2033-02-03", H },
	{ "2033-02-04", C },  /* Fri */
	{ "2033-04-09", HW }, /* 10/3 on a Saturday */
	{ "2033-04-11", C },  { "2033-04-30", HW }, { "2033-05-01", HW },
	{ "2033-05-02", C },  { "2033-05-03", C },  { "2033-09-02", H },
	{ "2033-09-03", HW }, { "2033-09-05", C },
};

static void check_defaults(const char *name, int y, const day_kind *want, size_t n)
{
	cal_entry out[64];
	size_t got = cal_default_days_off(y, out, MC_ARRAY_LEN(out));

	T_CASE(name);
	CHECK_INT(got, n);
	for (size_t i = 0; i < n && i < got; i++) {
		char buf[11];
		cal_format_date(out[i].day, buf);
		CHECK_STR(buf, want[i].date);
		CHECK_STR(cal_kind_name(out[i].kind), cal_kind_name(want[i].kind));
		CHECK(out[i].occasion != NULL && out[i].source != NULL);
	}
}

static void test_defaults(void)
{
	cal_entry out[64];

	check_defaults("defaults 2027", 2027, def2027, MC_ARRAY_LEN(def2027));
	check_defaults("defaults 2028", 2028, def2028, MC_ARRAY_LEN(def2028));
	check_defaults("defaults 2029", 2029, def2029, MC_ARRAY_LEN(def2029));
	check_defaults("defaults 2030", 2030, def2030, MC_ARRAY_LEN(def2030));
	check_defaults("defaults 2033", 2033, def2033, MC_ARRAY_LEN(def2033));

	T_CASE("defaults, limits");
	CHECK_INT(cal_default_days_off(2027, out, 3), 3);
	CHECK_INT(out[2].day, D("2027-02-06"));
	CHECK_INT(cal_default_days_off(1899, out, 64), 0);
	CHECK_INT(cal_default_days_off(2200, out, 64), 0);
	CHECK(cal_default_days_off(1900, out, 64) >= 10);
	CHECK(cal_default_days_off(2199, out, 64) >= 10);
	/* Defaults for 2025 put Tet on 28/1 (29 Tet) to 1/2 (a Saturday) with
	 * one compensatory day, 3/2; the government chose 27-31/1 instead. */
	{
		size_t n = cal_default_days_off(2025, out, 64), tet_days = 0;
		for (size_t i = 0; i < n; i++)
			if (out[i].day >= D("2025-01-20") && out[i].day <= D("2025-02-10"))
				tet_days++;
		CHECK_INT(tet_days, 6);
		CHECK(n >= 7 && out[1].day == D("2025-01-28"));
	}
}

static void expect_off(const cal_sched *s, const char *const *dates, size_t n, int workday)
{
	for (size_t i = 0; i < n; i++) {
		int got = cal_is_workday(s, D(dates[i]));
		if (got != workday)
			fprintf(stderr, "  %s: is_workday %d, expected %d\n", dates[i], got, workday);
		CHECK_INT(got, workday);
	}
}

static const char *const off_days[] = {
	/* 2025 schedule */
	"2025-01-01", "2025-01-25", "2025-01-26", "2025-01-27", "2025-01-28", "2025-01-29",
	"2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02", "2025-04-07", "2025-04-27",
	"2025-04-30", "2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04", "2025-09-01",
	"2025-09-02",
	/* 2026 schedule */
	"2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-02-16", "2026-02-20",
	"2026-04-26", "2026-04-27", "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01",
	"2026-09-02",
	/* 2024 schedule */
	"2024-02-08", "2024-02-14", "2024-04-29", "2024-09-03",
	/* 2027 and 2030: Labour Code defaults */
	"2027-01-01", "2027-02-05", "2027-02-08", "2027-02-10", "2027-02-11", "2027-04-16",
	"2027-04-30", "2027-05-03", "2027-09-02", "2027-09-03", "2030-02-01", "2030-02-06",
	"2030-02-07", "2030-04-12", "2030-09-02", "2030-09-03",
	/* 2023 has only weekend rows in the file: defaults; Tet 2023 21-25/1
	 * with 21 and 22 on the weekend, so 26 and 27 are compensatory */
	"2023-01-21", "2023-01-23", "2023-01-25", "2023-01-26", "2023-01-27",
};

static const char *const work_days[] = {
	"2024-12-31", "2025-01-02", "2025-01-24", "2025-02-03", "2025-04-08", "2025-04-26",
	"2025-04-28", "2025-04-29", "2025-05-05", "2025-09-03", "2025-12-31", "2026-01-05",
	"2026-01-10", "2026-02-13", "2026-02-23", "2026-04-28", "2026-04-29", "2026-08-22",
	"2026-08-28", "2026-09-03", "2024-05-04", "2024-02-15",
	/* 2025 is scheduled: 3/9 (the default adjacent day) works */
	"2025-09-03",
	/* defaults */
	"2027-02-04", "2027-02-12", "2027-05-04", "2027-09-06", "2030-02-08", "2030-04-11",
	"2023-01-20", "2023-01-30",
};

static void test_sched(void)
{
	cal_sched s;
	mc_err e;
	int years[8], ny = -1;
	size_t len;
	const char *shipped_csv = shipped(SCHED_CSV, &len);

	T_CASE("schedule from the shipped csv");
	cal_sched_init(&s);
	CHECK_INT(cal_sched_add_csv(&s, shipped_csv, len, years, 8, &ny, &e), MC_OK);
	CHECK_INT(ny, 3);
	CHECK(years[0] == 2024 && years[1] == 2025 && years[2] == 2026);
	CHECK(cal_sched_has_year(&s, 2024) && cal_sched_has_year(&s, 2025) &&
	      cal_sched_has_year(&s, 2026));
	CHECK(!cal_sched_has_year(&s, 2023) && !cal_sched_has_year(&s, 2027));
	CHECK(!cal_sched_has_year(&s, 1899) && !cal_sched_has_year(&s, 2200));
	CHECK_INT(s.n, 44); /* non-weekend rows */

	/* Before finish the answers are already right (slow path). */
	CHECK_INT(cal_is_workday(&s, D("2025-04-26")), 1);
	CHECK_INT(cal_is_workday(&s, D("2025-05-02")), 0);
	CHECK_INT(cal_is_workday(&s, D("2027-02-08")), 0);
	CHECK_INT(cal_is_workday(&s, D("2027-02-12")), 1);

	CHECK_INT(cal_sched_finish(&s, &e), MC_OK);
	CHECK(s.finished);
	expect_off(&s, off_days, MC_ARRAY_LEN(off_days), 0);
	expect_off(&s, work_days, MC_ARRAY_LEN(work_days), 1);
	for (size_t i = 1; i < s.n; i++)
		CHECK(s.e[i - 1].day < s.e[i].day);

	/* Quoted source with a comma survives the parser. */
	{
		int found = 0;
		for (size_t i = 0; i < s.n; i++) {
			if (s.e[i].day == D("2025-09-01")) {
				CHECK_STR(s.e[i].source,
					  "Bộ Nội vụ announcement, vietnamnews.vn 04/8/2025");
				CHECK_STR(s.e[i].occasion, "Quốc khánh 2025");
				CHECK_INT(s.e[i].kind, CAL_HOLIDAY);
				found = 1;
			}
		}
		CHECK(found);
	}

	/* Every weekday of 2025 not listed works, every weekend day not a
	 * make-up day is off. */
	{
		int wrong = 0;
		for (int32_t d = D("2025-01-01"); d <= D("2025-12-31"); d++) {
			int listed = -1, w = cal_weekday(d), want;
			for (size_t i = 0; i < s.n; i++)
				if (s.e[i].day == d)
					listed = s.e[i].kind;
			if (listed >= 0)
				want = listed == CAL_MAKEUP_WORKDAY || listed == CAL_WORKDAY;
			else
				want = w != 0 && w != 6;
			if (cal_is_workday(&s, d) != want)
				wrong++;
		}
		CHECK_INT(wrong, 0);
	}

	/* Outside the calendar, weekdays work. */
	CHECK_INT(cal_is_workday(&s, D("1900-01-01") - 3), 1); /* Fri 1899-12-29 */
	CHECK_INT(cal_is_workday(&s, D("2199-12-31") + 4), 0); /* Sat 2200-01-04 */
	CHECK_INT(cal_is_workday(NULL, D("2025-01-29")), 1);

	/* A later file for 2025 replaces that year only. */
	T_CASE("schedule replacement");
	{
		static const char csv[] = "date,weekday,status,civil_servant_working_day,occasion,source\n"
					  "2025-01-01,Wed,holiday,0,,\n";
		CHECK_INT(cal_sched_add_csv(&s, csv, sizeof csv - 1, years, 8, &ny, &e), MC_OK);
		CHECK_INT(ny, 1);
		CHECK_INT(years[0], 2025);
		CHECK_INT(s.finished, 0);
		CHECK_INT(cal_sched_finish(&s, &e), MC_OK);
		CHECK_INT(cal_is_workday(&s, D("2025-01-01")), 0);
		CHECK_INT(cal_is_workday(&s, D("2025-05-02")), 1);
		CHECK_INT(cal_is_workday(&s, D("2025-04-26")), 0);
		CHECK_INT(cal_is_workday(&s, D("2025-01-29")), 1); /* schedule alone decides */
		CHECK_INT(cal_is_workday(&s, D("2026-01-02")), 0);
		CHECK_INT(cal_is_workday(&s, D("2024-04-29")), 0);
	}

	/* An empty schedule for a year: weekends only. */
	T_CASE("clear year");
	cal_sched_clear_year(&s, 2027);
	CHECK(cal_sched_has_year(&s, 2027));
	CHECK_INT(cal_sched_finish(&s, &e), MC_OK);
	CHECK_INT(cal_is_workday(&s, D("2027-02-08")), 1);
	CHECK_INT(cal_is_workday(&s, D("2027-02-06")), 0);
	cal_sched_clear_year(&s, 1800); /* ignored */

	/* cal_sched_add */
	T_CASE("sched add");
	CHECK_INT(cal_sched_add(&s, D("2027-02-08"), CAL_HOLIDAY, "Tết", "test", &e), MC_OK);
	CHECK_INT(cal_sched_add(&s, D("2027-02-13"), CAL_MAKEUP_WORKDAY, NULL, NULL, &e), MC_OK);
	CHECK_INT(cal_is_workday(&s, D("2027-02-08")), 0); /* slow path */
	CHECK_INT(cal_sched_finish(&s, &e), MC_OK);
	CHECK_INT(cal_is_workday(&s, D("2027-02-08")), 0);
	CHECK_INT(cal_is_workday(&s, D("2027-02-13")), 1);
	CHECK_INT(cal_sched_add(&s, D("2027-02-08"), CAL_WORKDAY, NULL, NULL, &e), MC_OK);
	CHECK_INT(cal_sched_finish(&s, &e), MC_OK);
	CHECK_INT(cal_is_workday(&s, D("2027-02-08")), 1); /* replaced */
	CHECK_INT(cal_sched_add(&s, D("2027-02-09"), 7, NULL, NULL, &e), MC_EINVAL);
	CHECK_INT(cal_sched_add(&s, D("2027-02-09"), -1, NULL, NULL, &e), MC_EINVAL);
	CHECK_INT(cal_sched_add(&s, D("1900-01-01") - 1, CAL_HOLIDAY, NULL, NULL, &e), MC_EINVAL);
	CHECK_INT(cal_sched_add(&s, D("2199-12-31") + 1, CAL_HOLIDAY, NULL, NULL, &e), MC_EINVAL);
	cal_sched_release(&s);
	CHECK(s.n == 0 && s.e == NULL && s.off == NULL);
	cal_sched_release(&s); /* twice is harmless */
}

static void test_sched_defaults_only(void)
{
	cal_sched s;
	mc_err e;
	T_CASE("schedule without any csv");
	cal_sched_init(&s);
	CHECK_INT(cal_sched_finish(&s, &e), MC_OK);
	CHECK_INT(cal_is_workday(&s, D("2025-01-28")), 0);  /* default Tet: 29 Tet */
	CHECK_INT(cal_is_workday(&s, D("2025-01-27")), 1);  /* the government's extra day */
	CHECK_INT(cal_is_workday(&s, D("2025-02-03")), 0);  /* compensatory for 1/2 Sat */
	CHECK_INT(cal_is_workday(&s, D("2025-02-04")), 1);  /* 2/2 (5 Tet) is no holiday */
	CHECK_INT(cal_is_workday(&s, D("2025-09-03")), 0);  /* 3/9 default */
	CHECK_INT(cal_is_workday(&s, D("2025-09-01")), 1);
	CHECK_INT(cal_is_workday(&s, D("2025-04-26")), 0);  /* a plain Saturday */
	CHECK_INT(cal_is_workday(&s, D("2030-02-07")), 0);
	CHECK_INT(cal_is_workday(&s, D("1900-01-01")), 0);  /* 1/1, a Monday */
	CHECK_INT(cal_is_workday(&s, D("2199-12-31")), 1);
	cal_sched_release(&s);
}

/* Each bad file: the error names the line, and the schedule is unchanged. */
static void test_csv_errors(void)
{
#define HDR "date,weekday,status,civil_servant_working_day,occasion,source\r\n"
	static const struct {
		const char *csv;
		const char *msg;
	} bad[] = {
		{ HDR "2025-01-01,Thu,holiday,0,x,y\r\n",
		  "line 2: weekday 'Thu' does not match date '2025-01-01' (Wed)" },
		{ HDR "2025-01-01,Wed,holliday,0,x,y\r\n", "line 2: unknown status 'holliday'" },
		{ HDR "2025-02-30,Sun,holiday,0,x,y\r\n", "line 2: no such date '2025-02-30'" },
		{ HDR "2025-1-1,Wed,holiday,0,x,y\r\n", "line 2: malformed date '2025-1-1'" },
		{ HDR "2025-04-25,Fri,makeup_workday,1,x,y\r\n",
		  "line 2: status 'makeup_workday' on '2025-04-25', not a weekend" },
		{ HDR "2025-01-04,Sat,holiday,0,x,y\r\n",
		  "line 2: status 'holiday' on '2025-01-04', a weekend" },
		{ HDR "2025-01-01,Wed,holiday,1,x,y\r\n",
		  "line 2: civil_servant_working_day '1' contradicts status 'holiday'" },
		{ HDR "2025-04-26,Sat,makeup_workday,0,x,y\r\n",
		  "line 2: civil_servant_working_day '0' contradicts status 'makeup_workday'" },
		{ HDR "2025-01-01,Wed,holiday,2,x,y\r\n",
		  "line 2: civil_servant_working_day '2' is not 0 or 1" },
		{ HDR "2025-01-01,Wed,holiday,,x,y\r\n",
		  "line 2: civil_servant_working_day '' is not 0 or 1" },
		{ HDR "2025-01-01,Wed,holiday,0,x\r\n", "line 2: expected 6 fields, found 5" },
		{ HDR "2025-01-01,Wed,holiday,0,x,y,z\r\n", "line 2: expected 6 fields, found 7" },
		{ HDR "2025-01-01,Wed,holiday,0,\"x,y\r\n", "line 2: unterminated quote" },
		{ HDR "2025-01-01,Wed,holiday,0,\"x\"y,z\r\n", "line 2: text after a closing quote" },
		{ HDR "2025-01-01,Wed,holiday,0,x,y\r\n2025-01-02,Thu,holiday,0,x,y\r\n"
		      "2025-01-01,Wed,holiday,0,x,y\r\n",
		  "line 4: duplicate date '2025-01-01'" },
		{ HDR "2025-01-01,Wed,holiday,0,\"multi\nline\",y\r\n2025-01-02,Thu,nope,0,x,y\r\n",
		  "line 4: unknown status 'nope'" },
		{ HDR "1899-12-29,Fri,holiday,0,x,y\r\n",
		  "line 2: date '1899-12-29' out of range (years 1900-2199)" },
		{ "date,weekday,status\r\n2025-01-01,Wed,holiday\r\n",
		  "line 1: header must be "
		  "'date,weekday,status,civil_servant_working_day,occasion,source'" },
		{ "", "line 1: empty schedule, no header" },
		{ HDR "\r\n\r\n2025-01-01,Wed,holiday,0,x,y\r\n2025-13-01,Wed,holiday,0,x,y\r\n",
		  "line 5: no such date '2025-13-01'" },
	};
	cal_sched s;
	mc_err e;
	size_t n0, len;
	const char *csv = shipped(SCHED_CSV, &len);

	T_CASE("csv errors");
	cal_sched_init(&s);
	CHECK_INT(cal_sched_add_csv(&s, csv, len, NULL, 0, NULL, &e), MC_OK);
	CHECK_INT(cal_sched_finish(&s, &e), MC_OK);
	n0 = s.n;
	for (size_t i = 0; i < MC_ARRAY_LEN(bad); i++) {
		int years[4] = { 0 }, ny = -1;
		e.msg[0] = '\0';
		CHECK_INT(cal_sched_add_csv(&s, bad[i].csv, strlen(bad[i].csv), years, 4, &ny, &e),
			  MC_EINVAL);
		CHECK_STR(e.msg, bad[i].msg);
		CHECK_INT(ny, 0);
		CHECK_INT(s.n, n0);
		CHECK_INT(s.finished, 1);
		CHECK_INT(cal_is_workday(&s, D("2025-05-02")), 0);
		CHECK_INT(cal_is_workday(&s, D("2025-04-26")), 1);
	}
	/* A nul byte inside the text. */
	CHECK_INT(cal_sched_add_csv(&s, HDR "2025\0", sizeof(HDR "2025\0") - 1, NULL, 0, NULL, &e),
		  MC_EINVAL);
	CHECK_INT(s.n, n0);
	cal_sched_release(&s);
}

static void test_csv_forms(void)
{
	/* BOM, LF and CRLF mixed, no final newline, quotes with doubled
	 * quotes, a weekday in another case, a year with weekend rows only. */
	static const char csv[] =
		"\xEF\xBB\xBF" "date,weekday,status,civil_servant_working_day,occasion,source\n"
		"2030-01-05,Sat,weekend,0,,\r\n"
		"2031-01-01,wed,holiday,0,\"Tết \"\"Dương\"\" lịch\",\"a, b\"\n"
		"\n"
		"2031-01-04,Sat,makeup_workday,1,,\r\n"
		"2031-01-02,Thu,workday,1,,\r\n"
		"2031-01-03,Fri,swapped_off,0,x,y";
	cal_sched s;
	mc_err e;
	int years[4] = { 0 }, ny = 0;

	T_CASE("csv forms");
	cal_sched_init(&s);
	CHECK_INT(cal_sched_add_csv(&s, csv, sizeof csv - 1, years, 4, &ny, &e), MC_OK);
	CHECK_INT(ny, 1);
	CHECK_INT(years[0], 2031);
	CHECK(!cal_sched_has_year(&s, 2030));
	CHECK_INT(cal_sched_finish(&s, &e), MC_OK);
	CHECK_INT(s.n, 4);
	CHECK_STR(s.e[0].occasion, "Tết \"Dương\" lịch");
	CHECK_STR(s.e[0].source, "a, b");
	CHECK(s.e[1].occasion == NULL && s.e[1].source == NULL);
	CHECK_INT(cal_is_workday(&s, D("2031-01-01")), 0);
	CHECK_INT(cal_is_workday(&s, D("2031-01-02")), 1);
	CHECK_INT(cal_is_workday(&s, D("2031-01-03")), 0);
	CHECK_INT(cal_is_workday(&s, D("2031-01-04")), 1);
	CHECK_INT(cal_is_workday(&s, D("2031-01-23")), 1); /* default Tet is gone in 2031 */
	CHECK_INT(cal_is_workday(&s, D("2030-02-06")), 0); /* 2030 keeps its defaults */
	/* years may be NULL, and max_years bounds the list */
	CHECK_INT(cal_sched_add_csv(&s, csv, sizeof csv - 1, NULL, 0, &ny, &e), MC_OK);
	CHECK_INT(ny, 0);
	cal_sched_release(&s);
}

int main(void)
{
	test_civil();
	test_parse();
	test_local_and_format();
	test_tet();
	test_leap_months();
	test_lunar_known();
	test_lunar_errors();
	test_lunar_round_trip();
	test_kinds();
	test_defaults();
	test_sched();
	test_sched_defaults_only();
	test_csv_errors();
	test_csv_forms();
	return t_done();
}
