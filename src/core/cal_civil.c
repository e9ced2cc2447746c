/*
 * cal_civil.c - civil dates: the proleptic Gregorian calendar, local time
 * (UTC+7), and the strict date and time formats (see cal.h for the contract).
 */
#include "cal_int.h"

#define DAY_SECS 86400

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

int cal_is_weekend(int32_t day)
{
	int w = cal_weekday(day);
	return w == 0 || w == 6;
}

int cal_year_of(int32_t day)
{
	int y, m, d;
	cal_civil_from_days(day, &y, &m, &d);
	return y;
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

/* dt: s is a date and time, not a date. */
static int ymd_error(int rc, int dt, const char *s, mc_err *e)
{
	switch (rc) {
	case YMD_NODATE:
		return mc_fail(e, MCE_CAL_BAD_DATE,
			       dt ? "không có ngày giờ '%s'" : "không có ngày '%s'",
			       dt ? "no such date and time '%s'" : "no such date '%s'", s);
	case YMD_RANGE:
		return mc_fail(e, MCE_CAL_BAD_DATE,
			       dt ? "ngày giờ '%s' nằm ngoài khoảng năm được hỗ trợ (%d-%d)"
				  : "ngày '%s' nằm ngoài khoảng năm được hỗ trợ (%d-%d)",
			       dt ? "date and time '%s' out of range (years %d-%d)"
				  : "date '%s' out of range (years %d-%d)",
			       s, CAL_MIN_YEAR, CAL_MAX_YEAR);
	default:
		return mc_fail(e, dt ? MCE_CAL_BAD_TIME : MCE_CAL_BAD_DATE,
			       dt ? "ngày giờ '%s' sai định dạng (dùng YYYY-MM-DD HH:MM)"
				  : "ngày '%s' sai định dạng (dùng YYYY-MM-DD)",
			       dt ? "malformed date and time '%s'" : "malformed date '%s'", s);
	}
}

int cal_parse_date(const char *s, int32_t *day, mc_err *e)
{
	int rc;
	if (!s)
		s = "";
	if (strlen(s) != 10)
		return mc_fail(e, MCE_CAL_BAD_DATE, "ngày '%s' sai định dạng (dùng YYYY-MM-DD)",
			       "malformed date '%s'", s);
	rc = parse_ymd(s, day);
	if (rc)
		return ymd_error(rc, 0, s, e);
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
	if ((len != 16 && len != 19) || (s[10] != ' ' && s[10] != 'T') ||
	    digits(s + 11, 2, &hh) || s[13] != ':' || digits(s + 14, 2, &mm) ||
	    (len == 19 && (s[16] != ':' || digits(s + 17, 2, &ss))))
		return mc_fail(e, MCE_CAL_BAD_TIME,
			       "ngày giờ '%s' sai định dạng (dùng YYYY-MM-DD HH:MM)",
			       "malformed date and time '%s'", s);
	rc = parse_ymd(s, &day);
	if (rc)
		return ymd_error(rc, 1, s, e);
	if (hh > 23 || mm > 59 || ss > 59)
		return mc_fail(e, MCE_CAL_BAD_TIME, "không có giờ '%s'", "no such time '%s'", s);
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
