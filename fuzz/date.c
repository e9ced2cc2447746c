/*
 * date.c - fuzz target for cal_parse_date and cal_parse_datetime (Git
 * oss-fuzz/fuzz-date.c).
 *
 * Both parsers are strict: anything they accept is already canonical, so a
 * date that parses must format back to exactly the input, a date and time to
 * the input with 'T' for ' ', and every accepted day must survive the trip
 * through the lunar calendar and back.
 */
#include "core/cal.h"
#include "fuzz.h"

static void check_err(int rc, const mc_err *e)
{
	FZ_CHECK(rc == MC_EINVAL);
	FZ_CHECK(e->code == MC_EINVAL);
	FZ_CHECK(e->msg[0] != '\0');
}

/* A day the parser accepted: in range, and the same day through every other
 * view of it. */
static void check_day(int32_t day)
{
	int y, m, d;
	cal_lunar l;
	int32_t back;
	mc_err e;

	FZ_CHECK(day >= cal_days_from_civil(CAL_MIN_YEAR, 1, 1));
	FZ_CHECK(day <= cal_days_from_civil(CAL_MAX_YEAR, 12, 31));
	cal_civil_from_days(day, &y, &m, &d);
	FZ_CHECK(cal_days_from_civil(y, m, d) == day);
	FZ_CHECK(d >= 1 && d <= cal_month_days(y, m));
	FZ_CHECK(cal_weekday(day) >= 0 && cal_weekday(day) <= 6);
	FZ_CHECK(cal_weekday(day + 1) == (cal_weekday(day) + 1) % 7);
	FZ_CHECK(cal_solar_to_lunar(day, &l, &e) == MC_OK);
	FZ_CHECK(l.day >= 1 && l.day <= 30 && l.month >= 1 && l.month <= 12);
	FZ_CHECK(l.leap == 0 || l.leap == 1);
	FZ_CHECK(cal_lunar_to_solar(&l, &back, &e) == MC_OK);
	FZ_CHECK(back == day);
}

static void fuzz_date(const char *s)
{
	int32_t day = INT32_MIN;
	mc_err e = { 0 };
	char out[11];
	int rc = cal_parse_date(s, &day, &e);
	if (rc) {
		check_err(rc, &e);
		FZ_CHECK(day == INT32_MIN); /* OUT untouched on error */
		return;
	}
	check_day(day);
	cal_format_date(day, out);
	FZ_CHECK(strcmp(out, s) == 0);
}

static void fuzz_datetime(const char *s)
{
	mc_time t = INT64_MIN, t2;
	mc_err e = { 0 };
	char iso[26], canon[20], dt[17];
	int32_t day;
	size_t len = strlen(s);
	int rc = cal_parse_datetime(s, &t, &e);
	if (rc) {
		check_err(rc, &e);
		FZ_CHECK(t == INT64_MIN);
		return;
	}
	FZ_CHECK(len == 16 || len == 19);
	/* the date part alone is a date */
	memcpy(canon, s, 10);
	canon[10] = '\0';
	FZ_CHECK(cal_parse_date(canon, &day, &e) == MC_OK);
	check_day(day);
	FZ_CHECK(cal_local_day(t) == day);
	FZ_CHECK(cal_time_of(cal_local_day(t), cal_local_secs(t)) == t);
	FZ_CHECK(cal_local_secs(t) >= 0 && cal_local_secs(t) < 86400);

	/* back to text: ISO with seconds, and the short form without */
	cal_format_iso(t, iso);
	FZ_CHECK(strcmp(iso + 19, "+07:00") == 0);
	memcpy(canon, s, len);
	canon[len] = '\0';
	canon[10] = 'T';
	FZ_CHECK(strncmp(iso, canon, len) == 0);
	if (len == 16)
		FZ_CHECK(strcmp(iso + 16, ":00+07:00") == 0);
	cal_format_datetime(t, dt);
	canon[10] = ' ';
	FZ_CHECK(strncmp(dt, canon, 16) == 0 && dt[16] == '\0');
	FZ_CHECK(cal_parse_datetime(dt, &t2, &e) == MC_OK);
	FZ_CHECK(t2 == t - cal_local_secs(t) % 60);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_cstr(data, size);
	fuzz_date(s);
	fuzz_datetime(s);
	free(s);
	return 0;
}
