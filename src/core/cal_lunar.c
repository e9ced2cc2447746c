/*
 * cal_lunar.c - the Vietnamese lunar calendar (see cal.h for the contract).
 *
 * The lunar calendar follows Ho Ngoc Duc's published algorithm ("Thuat toan
 * tinh am lich"): new moons and solar longitudes from Meeus' approximations,
 * month 11 is the month holding the December solstice, and in a 13-month
 * year the first month after month 11 without a principal term is leap.
 * Everything is computed at UTC+7 (a double: an integer time zone divided by
 * 24 is the classic bug that silently computes at UTC+0).
 */
#include "cal_int.h"

#include <math.h>

#define LUNAR_TZ 7.0

static const double PI = 3.14159265358979323846;

/* Julian date of the k-th new moon after 1900-01-01 13:52 UTC (Meeus). */
static double new_moon(int k)
{
	double T = k / 1236.85; /* Julian centuries from 1900 January 0.5 */
	double T2 = T * T, T3 = T2 * T, dr = PI / 180;
	double jd1, M, Mpr, F, C1, deltat;

	jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3;
	jd1 += 0.00033 * sin((166.56 + 132.87 * T - 0.009173 * T2) * dr);
	M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3;
	Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3;
	F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3;
	C1 = (0.1734 - 0.000393 * T) * sin(M * dr) + 0.0021 * sin(2 * dr * M);
	C1 = C1 - 0.4068 * sin(Mpr * dr) + 0.0161 * sin(dr * 2 * Mpr);
	C1 = C1 - 0.0004 * sin(dr * 3 * Mpr);
	C1 = C1 + 0.0104 * sin(dr * 2 * F) - 0.0051 * sin(dr * (M + Mpr));
	C1 = C1 - 0.0074 * sin(dr * (M - Mpr)) + 0.0004 * sin(dr * (2 * F + M));
	C1 = C1 - 0.0004 * sin(dr * (2 * F - M)) - 0.0006 * sin(dr * (2 * F + Mpr));
	C1 = C1 + 0.0010 * sin(dr * (2 * F - Mpr)) + 0.0005 * sin(dr * (2 * Mpr + M));
	if (T < -11)
		deltat = 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 -
			 0.000000081 * T * T3;
	else
		deltat = -0.000278 + 0.000265 * T + 0.000262 * T2;
	return jd1 + C1 - deltat;
}

/* Apparent longitude of the sun in radians, [0, 2*pi), at Julian date jdn. */
static double sun_longitude(double jdn)
{
	double T = (jdn - 2451545.0) / 36525; /* centuries from 2000-01-01 12:00 UTC */
	double T2 = T * T, dr = PI / 180;
	double M, L0, DL, L;

	M = 357.52910 + 35999.05030 * T - 0.0001559 * T2 - 0.00000048 * T * T2;
	L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
	DL = (1.914600 - 0.004817 * T - 0.000014 * T2) * sin(dr * M);
	DL = DL + (0.019993 - 0.000101 * T) * sin(dr * 2 * M) + 0.000290 * sin(dr * 3 * M);
	L = (L0 + DL) * dr;
	return L - PI * 2 * floor(L / (PI * 2));
}

/* Which 30-degree sector (0..11) the sun is in at local midnight starting
 * Julian day jd; sector 9 starts at the December solstice (270 degrees). */
static int sun_sector(int jd)
{
	return (int)floor(sun_longitude(jd - 0.5 - LUNAR_TZ / 24.0) / PI * 6);
}

/* Julian day number (local) of the k-th new moon. */
static int new_moon_day(int k)
{
	return (int)floor(new_moon(k) + 0.5 + LUNAR_TZ / 24.0);
}

static int jd_of_civil(int y, int m, int d)
{
	return cal_days_from_civil(y, m, d) + CAL_JD_EPOCH;
}

/* Julian day of the start of lunar month 11 of solar year y: the month that
 * holds the December solstice. */
static int lunar_month11(int y)
{
	int off = jd_of_civil(y, 12, 31) - 2415021;
	int k = (int)floor(off / 29.530588853);
	int nm = new_moon_day(k);
	/* The new moon before 31 December came after the solstice: month 11 is
	 * the one before it. */
	if (sun_sector(nm) >= 9)
		nm = new_moon_day(k - 1);
	return nm;
}

/* In the 13-month lunar year that starts with month 11 at a11: the offset
 * (from a11) of the first month without a principal term, the leap month. */
static int leap_month_offset(int a11)
{
	int k = (int)floor((a11 - 2415021.076998695) / 29.530588853 + 0.5);
	int i = 1, last, arc;

	arc = sun_sector(new_moon_day(k + i));
	do {
		last = arc;
		i++;
		arc = sun_sector(new_moon_day(k + i));
	} while (arc != last && i < 14);
	return i - 1;
}

/* Lunar date of Julian day jd (no range checks). */
static void jd_to_lunar(int jd, cal_lunar *out)
{
	int y, m, d, k, i, month_start, a11, b11, diff, lyear, lmonth, leap = 0;

	cal_civil_from_days(jd - CAL_JD_EPOCH, &y, &m, &d);
	k = (int)floor((jd - 2415021.076998695) / 29.530588853);
	/* The published algorithm tries new moons k + 1 and k only; twice in
	 * 1900-2199 (2054-05-07, 2062-04-09) the month started at k - 1 and it
	 * answered "day 0". Search until month_start <= jd < next new moon. */
	i = k + 1;
	while (new_moon_day(i) > jd)
		i--;
	while (new_moon_day(i + 1) <= jd)
		i++;
	month_start = new_moon_day(i);
	a11 = lunar_month11(y);
	b11 = a11;
	if (a11 >= month_start) {
		lyear = y;
		a11 = lunar_month11(y - 1);
	} else {
		lyear = y + 1;
		b11 = lunar_month11(y + 1);
	}
	diff = (int)floor((month_start - a11) / 29.0);
	lmonth = diff + 11;
	if (b11 - a11 > 365) {
		int leap_off = leap_month_offset(a11);
		if (diff >= leap_off) {
			lmonth = diff + 10;
			leap = diff == leap_off;
		}
	}
	if (lmonth > 12)
		lmonth -= 12;
	/* Months 11 and 12 (and a leap 11 or 12) belong to the lunar year that
	 * began before a11. */
	if (lmonth >= 11 && diff < 4)
		lyear--;
	out->day = jd - month_start + 1;
	out->month = lmonth;
	out->year = lyear;
	out->leap = leap;
}

/* Julian day of a lunar date (no range checks). Returns -1 if the leap flag
 * names a month that is not leap that year or the month has no such day. */
int cal_lunar_jd(int day, int month, int year, int leap)
{
	int a11, b11, k, off, month_start;

	if (month < 11) {
		a11 = lunar_month11(year - 1);
		b11 = lunar_month11(year);
	} else {
		a11 = lunar_month11(year);
		b11 = lunar_month11(year + 1);
	}
	k = (int)floor(0.5 + (a11 - 2415021.076998695) / 29.530588853);
	off = month - 11;
	if (off < 0)
		off += 12;
	if (b11 - a11 > 365) {
		int leap_off = leap_month_offset(a11);
		int leap_month = leap_off - 2;
		if (leap_month < 0)
			leap_month += 12;
		if (leap && month != leap_month)
			return -1;
		if (leap || off >= leap_off)
			off++;
	} else if (leap) {
		return -1;
	}
	month_start = new_moon_day(k + off);
	if (day > new_moon_day(k + off + 1) - month_start)
		return -1;
	return month_start + day - 1;
}

int cal_solar_to_lunar(int32_t day, cal_lunar *out, mc_err *e)
{
	if (day < CAL_MIN_DAY || day > CAL_MAX_DAY)
		return mc_fail(e, MCE_CAL_BAD_DATE,
			       "ngày số %ld nằm ngoài khoảng năm được hỗ trợ (%d-%d)",
			       "day %ld out of range (years %d-%d)", (long)day, CAL_MIN_YEAR,
			       CAL_MAX_YEAR);
	jd_to_lunar(day + CAL_JD_EPOCH, out);
	return MC_OK;
}

enum { LUNAR_MALFORMED, LUNAR_RANGE, LUNAR_NODATE };

static int lunar_error(int why, const cal_lunar *l, mc_err *e)
{
	int lp = l->leap != 0;
	switch (why) {
	case LUNAR_MALFORMED:
		return mc_fail(e, MCE_CAL_BAD_DATE,
			       lp ? "ngày âm lịch '%d/%d nhuận/%d' sai định dạng"
				  : "ngày âm lịch '%d/%d/%d' sai định dạng",
			       lp ? "malformed lunar date '%d/%d leap/%d'"
				  : "malformed lunar date '%d/%d/%d'",
			       l->day, l->month, l->year);
	case LUNAR_RANGE:
		return mc_fail(e, MCE_CAL_BAD_DATE,
			       lp ? "ngày âm lịch '%d/%d nhuận/%d' nằm ngoài khoảng năm được hỗ trợ"
				  : "ngày âm lịch '%d/%d/%d' nằm ngoài khoảng năm được hỗ trợ",
			       lp ? "lunar date '%d/%d leap/%d' out of range"
				  : "lunar date '%d/%d/%d' out of range",
			       l->day, l->month, l->year);
	default:
		return mc_fail(e, MCE_CAL_BAD_DATE,
			       lp ? "không có ngày âm lịch '%d/%d nhuận/%d'"
				  : "không có ngày âm lịch '%d/%d/%d'",
			       lp ? "no such lunar date '%d/%d leap/%d'"
				  : "no such lunar date '%d/%d/%d'",
			       l->day, l->month, l->year);
	}
}

int cal_lunar_to_solar(const cal_lunar *l, int32_t *day, mc_err *e)
{
	int jd;
	int32_t d;

	if (l->month < 1 || l->month > 12 || l->day < 1 || l->day > 30 || l->leap < 0 ||
	    l->leap > 1)
		return lunar_error(LUNAR_MALFORMED, l, e);
	/* Lunar year 1899 still covers the first weeks of 1900. */
	if (l->year < CAL_MIN_YEAR - 1 || l->year > CAL_MAX_YEAR)
		return lunar_error(LUNAR_RANGE, l, e);
	jd = cal_lunar_jd(l->day, l->month, l->year, l->leap);
	if (jd < 0)
		return lunar_error(LUNAR_NODATE, l, e);
	d = jd - CAL_JD_EPOCH;
	if (d < CAL_MIN_DAY || d > CAL_MAX_DAY)
		return lunar_error(LUNAR_RANGE, l, e);
	*day = d;
	return MC_OK;
}
