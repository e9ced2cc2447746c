/*
 * cal.c - civil dates, the Vietnamese lunar calendar and the days-off
 * schedule (see cal.h for the contract).
 *
 * The lunar calendar follows Ho Ngoc Duc's published algorithm ("Thuat toan
 * tinh am lich"): new moons and solar longitudes from Meeus' approximations,
 * month 11 is the month holding the December solstice, and in a 13-month
 * year the first month after month 11 without a principal term is leap.
 * Everything is computed at UTC+7 (a double: an integer time zone divided by
 * 24 is the classic bug that silently computes at UTC+0).
 */
#include "cal.h"

#include <math.h>

#define DAY_SECS 86400
/* Julian day number of 1970-01-01. */
#define JD_EPOCH 2440588
#define LUNAR_TZ 7.0

static const double PI = 3.14159265358979323846;

/* ---- civil dates ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
int32_t cal_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = floor_div(yy, 400);
	int64_t yoe = yy - era * 400;
	int64_t mp = m > 2 ? m - 3 : m + 9;
	int64_t doy = (153 * mp + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void cal_civil_from_days(int32_t z, int *y, int *m, int *d)
{
	int64_t zz = (int64_t)z + 719468;
	int64_t era = floor_div(zz, 146097);
	int64_t doe = zz - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t mm = mp < 10 ? mp + 3 : mp - 9;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)mm;
	*y = (int)(yoe + era * 400 + (mm <= 2));
}

int cal_weekday(int32_t day)
{
	/* 1970-01-01 was a Thursday (4). */
	return (int)(((int64_t)day % 7 + 7 + 4) % 7);
}

static int is_leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cal_month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && is_leap_year(y))
		return 29;
	return days[m - 1];
}

/* 1900-01-01 and 2199-12-31 as days since 1970-01-01 (checked by the tests). */
#define MIN_DAY (-25567)
#define MAX_DAY 84005

static int32_t min_day(void)
{
	return MIN_DAY;
}

static int32_t max_day(void)
{
	return MAX_DAY;
}

/* Reads exactly n ASCII digits. Returns 0 on success. OUT: *v. */
static int digits(const char *p, int n, int *v)
{
	int x = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		x = x * 10 + (p[i] - '0');
	}
	*v = x;
	return 0;
}

enum { YMD_OK = 0, YMD_SYNTAX, YMD_NODATE, YMD_RANGE };

/* Parses "YYYY-MM-DD" at p (exactly 10 characters, already length-checked). */
static int parse_ymd(const char *p, int32_t *day)
{
	int y, m, d;
	if (digits(p, 4, &y) || p[4] != '-' || digits(p + 5, 2, &m) || p[7] != '-' ||
	    digits(p + 8, 2, &d))
		return YMD_SYNTAX;
	if (m < 1 || m > 12 || d < 1 || d > cal_month_days(y, m))
		return YMD_NODATE;
	if (y < CAL_MIN_YEAR || y > CAL_MAX_YEAR)
		return YMD_RANGE;
	*day = cal_days_from_civil(y, m, d);
	return YMD_OK;
}

static int ymd_error(int rc, const char *what, const char *s, mc_err *e)
{
	switch (rc) {
	case YMD_NODATE:
		return mc_seterr(e, MC_EINVAL, "no such %s '%s'", what, s);
	case YMD_RANGE:
		return mc_seterr(e, MC_EINVAL, "%s '%s' out of range (years %d-%d)", what, s,
				 CAL_MIN_YEAR, CAL_MAX_YEAR);
	default:
		return mc_seterr(e, MC_EINVAL, "malformed %s '%s'", what, s);
	}
}

int cal_parse_date(const char *s, int32_t *day, mc_err *e)
{
	int rc;
	if (!s)
		s = "";
	if (strlen(s) != 10)
		return mc_seterr(e, MC_EINVAL, "malformed date '%s'", s);
	rc = parse_ymd(s, day);
	if (rc)
		return ymd_error(rc, "date", s, e);
	return MC_OK;
}

int cal_parse_datetime(const char *s, mc_time *t, mc_err *e)
{
	size_t len;
	int32_t day;
	int hh, mm, ss = 0, rc;

	if (!s)
		s = "";
	len = strlen(s);
	if (len != 16 && len != 19)
		return mc_seterr(e, MC_EINVAL, "malformed date and time '%s'", s);
	if ((s[10] != ' ' && s[10] != 'T') || digits(s + 11, 2, &hh) || s[13] != ':' ||
	    digits(s + 14, 2, &mm))
		return mc_seterr(e, MC_EINVAL, "malformed date and time '%s'", s);
	if (len == 19 && (s[16] != ':' || digits(s + 17, 2, &ss)))
		return mc_seterr(e, MC_EINVAL, "malformed date and time '%s'", s);
	rc = parse_ymd(s, &day);
	if (rc)
		return ymd_error(rc, "date and time", s, e);
	if (hh > 23 || mm > 59 || ss > 59)
		return mc_seterr(e, MC_EINVAL, "no such time '%s'", s);
	*t = cal_time_of(day, hh * 3600 + mm * 60 + ss);
	return MC_OK;
}

/* Splits t + MC_TZ_OFFSET into days and seconds without overflowing. */
static void local_split(mc_time t, int64_t *day, int *secs)
{
	int64_t q = t / DAY_SECS, r = t % DAY_SECS;
	if (r < 0) {
		r += DAY_SECS;
		q--;
	}
	r += MC_TZ_OFFSET;
	if (r >= DAY_SECS) {
		q++;
		r -= DAY_SECS;
	}
	*day = q;
	*secs = (int)r;
}

int32_t cal_local_day(mc_time t)
{
	int64_t d;
	int x;
	local_split(t, &d, &x);
	return (int32_t)d;
}

int cal_local_secs(mc_time t)
{
	int64_t d;
	int x;
	local_split(t, &d, &x);
	return x;
}

mc_time cal_time_of(int32_t day, int secs)
{
	return (mc_time)day * DAY_SECS + secs - MC_TZ_OFFSET;
}

/* Writes n decimal digits of v (zero-padded, v >= 0) at p. */
static void put_digits(char *p, int n, int v)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Years outside 0-9999 cannot be written in four digits; they are clamped
 * (they never reach here from a parsed date). */
static void put_date(char *p, int32_t day)
{
	int y, m, d;
	cal_civil_from_days(day, &y, &m, &d);
	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	put_digits(p, 4, y);
	p[4] = '-';
	put_digits(p + 5, 2, m);
	p[7] = '-';
	put_digits(p + 8, 2, d);
}

void cal_format_date(int32_t day, char out[11])
{
	put_date(out, day);
	out[10] = '\0';
}

void cal_format_datetime(mc_time t, char out[17])
{
	int x = cal_local_secs(t);
	put_date(out, cal_local_day(t));
	out[10] = ' ';
	put_digits(out + 11, 2, x / 3600);
	out[13] = ':';
	put_digits(out + 14, 2, x / 60 % 60);
	out[16] = '\0';
}

void cal_format_iso(mc_time t, char out[26])
{
	int x = cal_local_secs(t);
	put_date(out, cal_local_day(t));
	out[10] = 'T';
	put_digits(out + 11, 2, x / 3600);
	out[13] = ':';
	put_digits(out + 14, 2, x / 60 % 60);
	out[16] = ':';
	put_digits(out + 17, 2, x % 60);
	memcpy(out + 19, "+07:00", 7);
}

/* ---- lunar calendar ---- */

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
	return cal_days_from_civil(y, m, d) + JD_EPOCH;
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

	cal_civil_from_days(jd - JD_EPOCH, &y, &m, &d);
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
static int lunar_to_jd(int day, int month, int year, int leap)
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
	if (day < min_day() || day > max_day())
		return mc_seterr(e, MC_EINVAL, "day %ld out of range (years %d-%d)", (long)day,
				 CAL_MIN_YEAR, CAL_MAX_YEAR);
	jd_to_lunar(day + JD_EPOCH, out);
	return MC_OK;
}

int cal_lunar_to_solar(const cal_lunar *l, int32_t *day, mc_err *e)
{
	int jd;
	int32_t d;

	if (l->month < 1 || l->month > 12 || l->day < 1 || l->day > 30 || l->leap < 0 ||
	    l->leap > 1)
		return mc_seterr(e, MC_EINVAL, "malformed lunar date '%d/%d%s/%d'", l->day,
				 l->month, l->leap ? " leap" : "", l->year);
	/* Lunar year 1899 still covers the first weeks of 1900. */
	if (l->year < CAL_MIN_YEAR - 1 || l->year > CAL_MAX_YEAR)
		return mc_seterr(e, MC_EINVAL, "lunar date '%d/%d%s/%d' out of range", l->day,
				 l->month, l->leap ? " leap" : "", l->year);
	jd = lunar_to_jd(l->day, l->month, l->year, l->leap);
	if (jd < 0)
		return mc_seterr(e, MC_EINVAL, "no such lunar date '%d/%d%s/%d'", l->day,
				 l->month, l->leap ? " leap" : "", l->year);
	d = jd - JD_EPOCH;
	if (d < min_day() || d > max_day())
		return mc_seterr(e, MC_EINVAL, "lunar date '%d/%d%s/%d' out of range", l->day,
				 l->month, l->leap ? " leap" : "", l->year);
	*day = d;
	return MC_OK;
}

/* ---- days off ---- */

static const char *const kind_names[] = {
	"workday",	"weekend",     "holiday",	 "holiday_on_weekend",
	"compensatory", "swapped_off", "makeup_workday",
};

const char *cal_kind_name(int kind)
{
	if (kind < 0 || (size_t)kind >= MC_ARRAY_LEN(kind_names))
		return "";
	return kind_names[kind];
}

int cal_kind_parse(const char *name)
{
	for (size_t i = 0; name && i < MC_ARRAY_LEN(kind_names); i++)
		if (strcmp(name, kind_names[i]) == 0)
			return (int)i;
	return -1;
}

static int is_weekend(int32_t day)
{
	int w = cal_weekday(day);
	return w == 0 || w == 6;
}

/* Kinds that make a day a day off in a scheduled year. */
static int kind_is_off(int kind)
{
	return kind == CAL_WEEKEND || kind == CAL_HOLIDAY || kind == CAL_HOLIDAY_ON_WEEKEND ||
	       kind == CAL_COMPENSATORY || kind == CAL_SWAPPED_OFF;
}

static int year_of(int32_t day)
{
	int y, m, d;
	cal_civil_from_days(day, &y, &m, &d);
	return y;
}

static const char LAW_SOURCE[] = "Bộ luật Lao động 2019, điều 112";
static const char LAW_SOURCE_COMP[] = "Bộ luật Lao động 2019, điều 111 khoản 3";

typedef struct {
	int32_t day;
	const char *occasion;
} holiday;

#define MAX_HOLIDAYS 64

static void add_holiday(holiday *h, size_t *n, int32_t day, const char *occasion)
{
	for (size_t i = 0; i < *n; i++)
		if (h[i].day == day)
			return; /* two holidays on one date are one day off */
	if (*n < MAX_HOLIDAYS)
		h[(*n)++] = (holiday){ day, occasion };
}

/* LAW: Bo luat Lao dong 2019 art. 112(1): 1/1; Tet, 5 days (by custom the
 * last day of the old lunar year and 1-4/1 of the new one); 10/3 lunar;
 * 30/4; 1/5; 2/9 and one adjacent day (3/9 unless the government picks
 * another, which it does through the yearly schedule). */
static void year_holidays(int y, holiday *h, size_t *n)
{
	int tet = lunar_to_jd(1, 1, y, 0) - JD_EPOCH;
	int gio_to = lunar_to_jd(10, 3, y, 0) - JD_EPOCH;

	add_holiday(h, n, cal_days_from_civil(y, 1, 1), "Tết Dương lịch");
	for (int i = -1; i <= 3; i++)
		add_holiday(h, n, tet + i, "Tết Âm lịch");
	add_holiday(h, n, gio_to, "Giỗ Tổ Hùng Vương");
	add_holiday(h, n, cal_days_from_civil(y, 4, 30), "Ngày Chiến thắng");
	add_holiday(h, n, cal_days_from_civil(y, 5, 1), "Ngày Quốc tế Lao động");
	add_holiday(h, n, cal_days_from_civil(y, 9, 2), "Quốc khánh");
	add_holiday(h, n, cal_days_from_civil(y, 9, 3), "Quốc khánh");
}

static int cmp_holiday(const void *a, const void *b)
{
	const holiday *x = a, *y = b;
	return (x->day > y->day) - (x->day < y->day);
}

static int cmp_entry(const void *a, const void *b)
{
	const cal_entry *x = a, *y = b;
	return (x->day > y->day) - (x->day < y->day);
}

static int in_holidays(const holiday *h, size_t n, int32_t day)
{
	for (size_t i = 0; i < n; i++)
		if (h[i].day == day)
			return 1;
	return 0;
}

/* Default entries carry static strings (occasion, source): they must not be
 * freed. Returns the number of entries written (at most max). */
size_t cal_default_days_off(int y, cal_entry *out, size_t max)
{
	holiday h[MAX_HOLIDAYS], comp[MAX_HOLIDAYS];
	size_t nh = 0, nc = 0, nout = 0;
	cal_entry all[2 * MAX_HOLIDAYS];
	size_t nall = 0;

	if (y < CAL_MIN_YEAR || y > CAL_MAX_YEAR)
		return 0;
	/* Neighbouring years too, in case a holiday or its compensatory day
	 * crosses 1 January (none does under the 2019 code; cheap insurance). */
	for (int yy = y - 1; yy <= y + 1; yy++)
		year_holidays(yy, h, &nh);
	qsort(h, nh, sizeof h[0], cmp_holiday);

	/* LAW: Bo luat Lao dong 2019 art. 111(3): a holiday that falls on the
	 * weekly rest day is made up on the following working day(s). */
	for (size_t i = 0; i < nh; i++) {
		int32_t d;
		if (!is_weekend(h[i].day))
			continue;
		d = h[i].day + 1;
		while (is_weekend(d) || in_holidays(h, nh, d) || in_holidays(comp, nc, d))
			d++;
		if (nc < MAX_HOLIDAYS)
			comp[nc++] = (holiday){ d, h[i].occasion };
	}

	for (size_t i = 0; i < nh; i++) {
		if (year_of(h[i].day) != y)
			continue;
		all[nall++] = (cal_entry){ h[i].day,
					   is_weekend(h[i].day) ? CAL_HOLIDAY_ON_WEEKEND : CAL_HOLIDAY,
					   (char *)h[i].occasion, (char *)LAW_SOURCE };
	}
	for (size_t i = 0; i < nc; i++) {
		if (year_of(comp[i].day) != y)
			continue;
		all[nall++] = (cal_entry){ comp[i].day, CAL_COMPENSATORY, (char *)comp[i].occasion,
					   (char *)LAW_SOURCE_COMP };
	}
	qsort(all, nall, sizeof all[0], cmp_entry);
	for (size_t i = 0; i < nall && nout < max; i++)
		out[nout++] = all[i];
	return nout;
}

void cal_sched_init(cal_sched *s)
{
	memset(s, 0, sizeof *s);
}

static void entry_release(cal_entry *x)
{
	free(x->occasion);
	free(x->source);
	x->occasion = NULL;
	x->source = NULL;
}

void cal_sched_release(cal_sched *s)
{
	for (size_t i = 0; i < s->n; i++)
		entry_release(&s->e[i]);
	free(s->e);
	free(s->off);
	cal_sched_init(s);
}

static int year_ok(int y)
{
	return y >= CAL_MIN_YEAR && y <= CAL_MAX_YEAR;
}

void cal_sched_clear_year(cal_sched *s, int y)
{
	size_t j = 0;
	if (!year_ok(y))
		return;
	for (size_t i = 0; i < s->n; i++) {
		if (year_of(s->e[i].day) == y)
			entry_release(&s->e[i]);
		else
			s->e[j++] = s->e[i];
	}
	s->n = j;
	s->has_year[y - CAL_MIN_YEAR] = 1;
	s->finished = 0;
}

/* Adds an entry taking ownership of occasion and source (already checked). */
static void add_owned(cal_sched *s, int32_t day, int kind, char *occasion, char *source)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->e[i].day == day) {
			/* A later entry for the same day replaces the earlier one. */
			entry_release(&s->e[i]);
			s->e[i] = (cal_entry){ day, kind, occasion, source };
			goto out;
		}
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->e = mc_xrealloc(s->e, s->cap * sizeof s->e[0]);
	}
	s->e[s->n++] = (cal_entry){ day, kind, occasion, source };
out:
	s->has_year[year_of(day) - CAL_MIN_YEAR] = 1;
	s->finished = 0;
}

int cal_sched_add(cal_sched *s, int32_t day, int kind, const char *occasion, const char *source,
		  mc_err *e)
{
	char buf[11];
	if (day < min_day() || day > max_day())
		return mc_seterr(e, MC_EINVAL, "day %ld out of range (years %d-%d)", (long)day,
				 CAL_MIN_YEAR, CAL_MAX_YEAR);
	if (kind < CAL_WORKDAY || kind > CAL_MAKEUP_WORKDAY) {
		cal_format_date(day, buf);
		return mc_seterr(e, MC_EINVAL, "unknown kind %d for '%s'", kind, buf);
	}
	add_owned(s, day, kind, occasion && *occasion ? mc_xstrdup(occasion) : NULL,
		  source && *source ? mc_xstrdup(source) : NULL);
	return MC_OK;
}

/* ---- schedule CSV ---- */

typedef struct {
	const char *p, *end;
	int line; /* current physical line, 1-based */
} csv_reader;

#define CSV_MAX_FIELDS 8

typedef struct {
	char *buf; /* fields, each NUL-terminated */
	size_t len, cap;
	size_t off[CSV_MAX_FIELDS];
	int nf;	  /* number of fields seen (may exceed CSV_MAX_FIELDS) */
	int line; /* line on which the record starts */
} csv_record;

static void rec_putc(csv_record *r, char c)
{
	if (r->len + 1 >= r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->buf = mc_xrealloc(r->buf, r->cap);
	}
	r->buf[r->len++] = c;
}

static void rec_end_field(csv_record *r)
{
	rec_putc(r, '\0');
	r->nf++;
	if (r->nf < CSV_MAX_FIELDS)
		r->off[r->nf] = r->len;
}

static const char *rec_field(const csv_record *r, int i)
{
	return r->buf + r->off[i];
}

/* Reads one RFC 4180 record (CRLF or LF line ends, quoted fields may hold
 * commas, doubled quotes and line breaks). Returns 1 if a record was read,
 * 0 at the end of the text, -1 on a quoting error (e set). */
static int csv_read(csv_reader *rd, csv_record *r, mc_err *e)
{
	r->len = 0;
	r->nf = 0;
	r->off[0] = 0;
	r->line = rd->line;
	if (rd->p >= rd->end)
		return 0;
	for (;;) {
		if (rd->p < rd->end && *rd->p == '"') {
			rd->p++;
			for (;;) {
				if (rd->p >= rd->end) {
					mc_seterr(e, MC_EINVAL, "line %d: unterminated quote",
						  r->line);
					return -1;
				}
				if (*rd->p == '"') {
					if (rd->p + 1 < rd->end && rd->p[1] == '"') {
						rec_putc(r, '"');
						rd->p += 2;
						continue;
					}
					rd->p++;
					break;
				}
				if (*rd->p == '\n')
					rd->line++;
				rec_putc(r, *rd->p++);
			}
			if (rd->p < rd->end && *rd->p != ',' && *rd->p != '\r' && *rd->p != '\n') {
				mc_seterr(e, MC_EINVAL, "line %d: text after a closing quote",
					  rd->line);
				return -1;
			}
		} else {
			while (rd->p < rd->end && *rd->p != ',' && *rd->p != '\r' && *rd->p != '\n')
				rec_putc(r, *rd->p++);
		}
		rec_end_field(r);
		if (rd->p >= rd->end)
			return 1;
		if (*rd->p == ',') {
			rd->p++;
			continue;
		}
		/* End of line: CRLF, LF or a lone CR. */
		if (*rd->p == '\r')
			rd->p++;
		if (rd->p < rd->end && *rd->p == '\n')
			rd->p++;
		rd->line++;
		return 1;
	}
}

static const char *const csv_header[] = {
	"date", "weekday", "status", "civil_servant_working_day", "occasion", "source",
};

static const char *const weekday_abbr[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

static int ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y || !x)
			return x - y;
	}
}

typedef struct {
	int32_t day;
	int kind;
	int line;
	char *occasion, *source;
} csv_row;

/* Checks one data record. OUT: *row (strings copied). */
static int check_row(const csv_record *r, csv_row *row, mc_err *e)
{
	const char *date, *wd, *status, *civil;
	int32_t day;
	int kind, w, working;
	mc_err pe;

	if (r->nf != 6)
		return mc_seterr(e, MC_EINVAL, "line %d: expected 6 fields, found %d", r->line,
				 r->nf);
	date = rec_field(r, 0);
	wd = rec_field(r, 1);
	status = rec_field(r, 2);
	civil = rec_field(r, 3);
	if (cal_parse_date(date, &day, &pe))
		return mc_seterr(e, MC_EINVAL, "line %d: %s", r->line, pe.msg);
	w = cal_weekday(day);
	if (ascii_casecmp(wd, weekday_abbr[w]) != 0)
		return mc_seterr(e, MC_EINVAL, "line %d: weekday '%s' does not match date '%s' (%s)",
				 r->line, wd, date, weekday_abbr[w]);
	kind = cal_kind_parse(status);
	if (kind < 0)
		return mc_seterr(e, MC_EINVAL, "line %d: unknown status '%s'", r->line, status);
	if (kind == CAL_WEEKEND || kind == CAL_HOLIDAY_ON_WEEKEND || kind == CAL_MAKEUP_WORKDAY) {
		if (!is_weekend(day))
			return mc_seterr(e, MC_EINVAL, "line %d: status '%s' on '%s', not a weekend",
					 r->line, status, date);
	} else if (is_weekend(day)) {
		return mc_seterr(e, MC_EINVAL, "line %d: status '%s' on '%s', a weekend", r->line,
				 status, date);
	}
	if (strcmp(civil, "0") != 0 && strcmp(civil, "1") != 0)
		return mc_seterr(e, MC_EINVAL,
				 "line %d: civil_servant_working_day '%s' is not 0 or 1", r->line,
				 civil);
	working = kind == CAL_WORKDAY || kind == CAL_MAKEUP_WORKDAY;
	if ((civil[0] == '1') != working)
		return mc_seterr(e, MC_EINVAL,
				 "line %d: civil_servant_working_day '%s' contradicts status '%s'",
				 r->line, civil, status);
	row->day = day;
	row->kind = kind;
	row->line = r->line;
	row->occasion = *rec_field(r, 4) ? mc_xstrdup(rec_field(r, 4)) : NULL;
	row->source = *rec_field(r, 5) ? mc_xstrdup(rec_field(r, 5)) : NULL;
	return MC_OK;
}

static int cmp_row(const void *a, const void *b)
{
	const csv_row *x = a, *y = b;
	if (x->day != y->day)
		return (x->day > y->day) - (x->day < y->day);
	return (x->line > y->line) - (x->line < y->line);
}

static void rows_free(csv_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].occasion);
		free(rows[i].source);
	}
	free(rows);
}

static int check_header(const csv_record *r, mc_err *e)
{
	int ok = r->nf == 6;
	for (int i = 0; ok && i < 6; i++)
		ok = strcmp(rec_field(r, i), csv_header[i]) == 0;
	if (!ok)
		return mc_seterr(e, MC_EINVAL,
				 "line %d: header must be "
				 "'date,weekday,status,civil_servant_working_day,occasion,source'",
				 r->line);
	return MC_OK;
}

int cal_sched_add_csv(cal_sched *s, const char *text, size_t len, int *years, int max_years,
		      int *n_years, mc_err *e)
{
	csv_reader rd = { text, text + len, 1 };
	csv_record rec = { 0 };
	csv_row *rows = NULL;
	size_t n = 0, cap = 0;
	unsigned char named[CAL_MAX_YEAR - CAL_MIN_YEAR + 1] = { 0 };
	int rc = MC_OK, got, seen_header = 0, ny = 0;

	if (n_years)
		*n_years = 0;
	if (memchr(text, '\0', len))
		return mc_seterr(e, MC_EINVAL, "schedule contains a nul byte");
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		rd.p += 3;
	while ((got = csv_read(&rd, &rec, e)) == 1) {
		if (rec.nf == 1 && rec.buf[0] == '\0')
			continue; /* blank line */
		if (!seen_header) {
			rc = check_header(&rec, e);
			if (rc)
				goto out;
			seen_header = 1;
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 128;
			rows = mc_xrealloc(rows, cap * sizeof rows[0]);
		}
		rc = check_row(&rec, &rows[n], e);
		if (rc)
			goto out;
		n++;
	}
	if (got < 0) {
		rc = MC_EINVAL;
		goto out;
	}
	if (!seen_header) {
		rc = mc_seterr(e, MC_EINVAL, "line 1: empty schedule, no header");
		goto out;
	}
	if (n)
		qsort(rows, n, sizeof rows[0], cmp_row);
	for (size_t i = 1; i < n; i++) {
		if (rows[i].day == rows[i - 1].day) {
			char buf[11];
			cal_format_date(rows[i].day, buf);
			rc = mc_seterr(e, MC_EINVAL, "line %d: duplicate date '%s'", rows[i].line,
				       buf);
			goto out;
		}
	}

	/* Valid: replace the years the file speaks about. */
	for (size_t i = 0; i < n; i++)
		if (rows[i].kind != CAL_WEEKEND)
			named[year_of(rows[i].day) - CAL_MIN_YEAR] = 1;
	for (int y = CAL_MIN_YEAR; y <= CAL_MAX_YEAR; y++) {
		if (!named[y - CAL_MIN_YEAR])
			continue;
		cal_sched_clear_year(s, y);
		if (years && ny < max_years)
			years[ny++] = y;
	}
	for (size_t i = 0; i < n; i++) {
		if (rows[i].kind == CAL_WEEKEND)
			continue; /* carries no information */
		add_owned(s, rows[i].day, rows[i].kind, rows[i].occasion, rows[i].source);
		rows[i].occasion = rows[i].source = NULL;
	}
	if (n_years)
		*n_years = ny;
out:
	rows_free(rows, n);
	free(rec.buf);
	return rc;
}

/* ---- the off-day bitmap ---- */

static void set_off(unsigned char *off, int32_t idx, int v)
{
	if (v)
		off[idx >> 3] |= (unsigned char)(1u << (idx & 7));
	else
		off[idx >> 3] &= (unsigned char)~(1u << (idx & 7));
}

int cal_sched_finish(cal_sched *s, mc_err *e)
{
	int32_t lo = min_day(), ndays = max_day() - lo + 1;
	cal_entry def[64];

	(void)e;
	if (s->n)
		qsort(s->e, s->n, sizeof s->e[0], cmp_entry);
	if (!s->off)
		s->off = mc_xmalloc((size_t)(ndays + 7) / 8);
	memset(s->off, 0, (size_t)(ndays + 7) / 8);
	for (int32_t i = 0; i < ndays; i++)
		if (is_weekend(lo + i))
			set_off(s->off, i, 1);
	for (int y = CAL_MIN_YEAR; y <= CAL_MAX_YEAR; y++) {
		if (s->has_year[y - CAL_MIN_YEAR])
			continue;
		size_t nd = cal_default_days_off(y, def, MC_ARRAY_LEN(def));
		for (size_t i = 0; i < nd; i++)
			set_off(s->off, def[i].day - lo, 1);
	}
	for (size_t i = 0; i < s->n; i++)
		set_off(s->off, s->e[i].day - lo, kind_is_off(s->e[i].kind));
	s->finished = 1;
	return MC_OK;
}

int cal_sched_has_year(const cal_sched *s, int y)
{
	return s && year_ok(y) && s->has_year[y - CAL_MIN_YEAR];
}

/* Slow path before cal_sched_finish (or after a later add). */
static int workday_unfinished(const cal_sched *s, int32_t day)
{
	int y = year_of(day);
	if (s->has_year[y - CAL_MIN_YEAR]) {
		for (size_t i = 0; i < s->n; i++)
			if (s->e[i].day == day)
				return !kind_is_off(s->e[i].kind);
	} else {
		cal_entry def[64];
		size_t nd = cal_default_days_off(y, def, MC_ARRAY_LEN(def));
		for (size_t i = 0; i < nd; i++)
			if (def[i].day == day)
				return 0;
	}
	return !is_weekend(day);
}

int cal_is_workday(const cal_sched *s, int32_t day)
{
	int32_t lo = min_day();
	if (!s || day < lo || day > max_day())
		return !is_weekend(day);
	if (s->finished && s->off) {
		int32_t i = day - lo;
		return !(s->off[i >> 3] & (1u << (i & 7)));
	}
	return workday_unfinished(s, day);
}

size_t cal_statutory_missing(const cal_sched *s, int y, int32_t *missing, size_t max)
{
	int32_t days[6];
	size_t nd = 0, n = 0;
	days[nd++] = cal_days_from_civil(y, 1, 1);
	days[nd++] = cal_days_from_civil(y, 4, 30);
	days[nd++] = cal_days_from_civil(y, 5, 1);
	days[nd++] = cal_days_from_civil(y, 9, 2);
	cal_lunar tet = { 1, 1, y, 0 }, gio_to = { 10, 3, y, 0 };
	int32_t d;
	if (cal_lunar_to_solar(&tet, &d, NULL) == MC_OK)
		days[nd++] = d;
	if (cal_lunar_to_solar(&gio_to, &d, NULL) == MC_OK)
		days[nd++] = d;
	for (size_t i = 0; i < nd; i++) {
		if (is_weekend(days[i]))
			continue;
		int listed = 0;
		for (size_t k = 0; k < s->n && !listed; k++)
			listed = s->e[k].day == days[i] && s->e[k].kind != CAL_WORKDAY &&
				 s->e[k].kind != CAL_MAKEUP_WORKDAY;
		if (!listed && n < max)
			missing[n++] = days[i];
	}
	return n;
}
