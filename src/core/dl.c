/*
 * dl.c - legal deadlines: working time over office hours and days off
 * (see dl.h for the contract and DESIGN.md section 4 for the rules).
 *
 * Positions during a walk are (local day, seconds since local midnight).
 * Whole working days are skipped by counting days, never by stepping
 * through seconds, so a ten-year walk costs a few thousand bitmap look-ups.
 *
 * Each rule taken from a legal text carries a LAW: tag; docs/law.md lists
 * them with their sources. Days off (Labour Code 2019 art. 111-112 and the
 * government's yearly schedule) come from cal_is_workday (cal_sched.c).
 */
#include "dl.h"

#include <math.h>

#define DAY_SECS 86400
/* Walks and counts stay within what the calendar knows, plus slack. */
#define DL_MIN_DAY (-25567) /* 1900-01-01 */
#define DL_MAX_DAY 84005    /* 2199-12-31 */
#define DL_MAX_DAYS 3650

/* LAW: Labour Code 2019 art. 105(1): normal working time is at most 8 hours
 * a day; the sessions themselves are the node's setting, commonly 07:00-11:30
 * and 13:30-17:00 (DOMAIN.md "Deadlines in practice"; DESIGN.md section 4).
 * LAW: Decree 23/2015/NĐ-CP art. 7 (certification), and civil-status
 * practice (DOMAIN.md "Deadlines in practice"): a request received after
 * 15:00 is done on the next working day; hence the 15:00 cut-off. */
void dl_hours_default(dl_hours *h)
{
	memset(h, 0, sizeof *h);
	h->start[0] = 7 * 3600;
	h->end[0] = 11 * 3600 + 30 * 60;
	h->start[1] = 13 * 3600 + 30 * 60;
	h->end[1] = 17 * 3600;
	h->n = 2;
	h->cutoff = 15 * 3600;
}

/* Sessions non-empty, ascending, disjoint, within one day. */
static int hours_valid(const dl_hours *h)
{
	if (!h || h->n < 1 || h->n > DL_MAX_SESSIONS)
		return 0;
	for (int i = 0; i < h->n; i++) {
		if (h->start[i] < 0 || h->end[i] > DAY_SECS || h->start[i] >= h->end[i])
			return 0;
		if (i > 0 && h->start[i] < h->end[i - 1])
			return 0;
	}
	return 1;
}

/* Reads "HH:MM" (00:00 to 24:00). Returns 0 on success. OUT: *secs. */
static int parse_hhmm(const char *p, int *secs)
{
	int hh, mm;
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' || p[2] != ':' || p[3] < '0' ||
	    p[3] > '9' || p[4] < '0' || p[4] > '9')
		return -1;
	hh = (p[0] - '0') * 10 + (p[1] - '0');
	mm = (p[3] - '0') * 10 + (p[4] - '0');
	if (mm > 59 || hh > 24 || (hh == 24 && mm != 0))
		return -1;
	*secs = hh * 3600 + mm * 60;
	return 0;
}

/* Non-zero if p holds n characters before its NUL (the parsers read ahead). */
static int has_chars(const char *p, int n)
{
	for (int i = 0; i < n; i++)
		if (!p[i])
			return 0;
	return 1;
}

int dl_hours_parse(const char *s, dl_hours *h, mc_err *e)
{
	dl_hours t = { .n = 0 };
	const char *p = s ? s : "";

	if (!*p)
		return mc_fail(e, MCE_DEADLINE_BAD_HOURS, "giờ làm việc '%s' đang trống", "empty office hours '%s'", p);
	for (;;) {
		int a, b;
		if (t.n == DL_MAX_SESSIONS)
			return mc_fail(e, MCE_DEADLINE_BAD_HOURS, "giờ làm việc '%s' có quá nhiều buổi (tối đa %d)",
				       "too many sessions in office hours '%s' (at most %d)", s,
				       DL_MAX_SESSIONS);
		if (!has_chars(p, 11) || parse_hhmm(p, &a) || p[5] != '-' || parse_hhmm(p + 6, &b))
			return mc_fail(e, MCE_DEADLINE_BAD_HOURS, "giờ làm việc '%s' sai định dạng (dùng HH:MM-HH:MM)",
				       "malformed office hours '%s'", s);
		if (a >= b)
			return mc_fail(e, MCE_DEADLINE_BAD_HOURS, "giờ làm việc '%s' có buổi kết thúc không sau giờ bắt đầu",
				       "empty session in office hours '%s'", s);
		if (t.n > 0 && a < t.end[t.n - 1])
			return mc_fail(e, MCE_DEADLINE_BAD_HOURS, "các buổi trong giờ làm việc '%s' không theo thứ tự",
				       "office hours '%s' not ascending", s);
		t.start[t.n] = a;
		t.end[t.n] = b;
		t.n++;
		p += 11;
		if (*p == '\0')
			break;
		if (*p != ',')
			return mc_fail(e, MCE_DEADLINE_BAD_HOURS, "giờ làm việc '%s' sai định dạng (dùng HH:MM-HH:MM)",
				       "malformed office hours '%s'", s);
		p++;
	}
	t.cutoff = h->cutoff;
	*h = t;
	return MC_OK;
}

void dl_hours_format(const dl_hours *h, char *out, size_t size)
{
	size_t len = 0;
	if (size == 0)
		return;
	out[0] = '\0';
	for (int i = 0; i < h->n && i < DL_MAX_SESSIONS; i++) {
		int n = snprintf(out + len, size - len, "%s%02d:%02d-%02d:%02d", i ? "," : "",
				 h->start[i] / 3600, h->start[i] / 60 % 60, h->end[i] / 3600,
				 h->end[i] / 60 % 60);
		if (n < 0 || (size_t)n >= size - len) {
			out[len] = '\0'; /* too small: whole sessions only */
			return;
		}
		len += (size_t)n;
	}
}

int dl_day_secs(const dl_hours *h)
{
	int sum = 0;
	for (int i = 0; i < h->n && i < DL_MAX_SESSIONS; i++)
		sum += h->end[i] - h->start[i];
	return sum;
}

static const char *const unit_names[] = { "working_days", "working_hours", "calendar_days",
					  "same_day" };

const char *dl_unit_name(int unit)
{
	if (unit < 0 || (size_t)unit >= MC_ARRAY_LEN(unit_names))
		return "";
	return unit_names[unit];
}

int dl_unit_parse(const char *name)
{
	for (size_t i = 0; name && i < MC_ARRAY_LEN(unit_names); i++)
		if (strcmp(name, unit_names[i]) == 0)
			return (int)i;
	return -1;
}

/* ---- walking through working time ---- */

static int32_t next_workday(const cal_sched *s, int32_t d)
{
	do
		d++;
	while (!cal_is_workday(s, d));
	return d;
}

/* Moves (day, x) forward to the first working instant at or after it; an
 * instant at the end of a session belongs to the next one.
 * LAW: DOMAIN.md "Deadlines in practice" (no legal text named): time counts
 * in office hours only; a dossier accepted after closing counts from the next
 * working morning, one accepted during the lunch break from 13:30. */
static void to_working(const cal_sched *s, const dl_hours *h, int32_t *day, int *x)
{
	int32_t d = *day;
	int xx = *x;
	for (;;) {
		if (cal_is_workday(s, d)) {
			for (int i = 0; i < h->n; i++) {
				if (xx < h->end[i]) {
					*day = d;
					*x = xx > h->start[i] ? xx : h->start[i];
					return;
				}
			}
		}
		d++;
		xx = 0;
	}
}

/* The instant r > 0 working seconds after the working instant (d, x). A walk
 * that ends exactly at the end of a session ends there. */
static mc_time walk(const cal_sched *s, const dl_hours *h, int32_t d, int x, int64_t r)
{
	int64_t per_day = dl_day_secs(h), full;

	for (int i = 0; i < h->n; i++) {
		int from;
		if (x >= h->end[i])
			continue;
		from = x > h->start[i] ? x : h->start[i];
		if (r <= h->end[i] - from)
			return cal_time_of(d, (int)(from + r));
		r -= h->end[i] - from;
	}
	/* The rest of day d is used up; skip whole working days, leaving
	 * 0 < r <= per_day for the last one. */
	full = (r - 1) / per_day;
	r -= full * per_day;
	d = next_workday(s, d);
	for (int64_t j = 0; j < full; j++)
		d = next_workday(s, d);
	for (int i = 0; i < h->n; i++) {
		int len = h->end[i] - h->start[i];
		if (r <= len)
			return cal_time_of(d, (int)(h->start[i] + r));
		r -= len;
	}
	/* Not reached: r <= per_day. */
	return cal_time_of(d, h->end[h->n - 1]);
}

static int time_in_range(mc_time t)
{
	/* Compare as times first so that cal_local_day cannot overflow. */
	mc_time lo = cal_time_of(DL_MIN_DAY, 0), hi = cal_time_of(DL_MAX_DAY + 1, 0);
	return t >= lo && t < hi;
}

/* LAW: DOMAIN.md "Deadlines in practice": while the applicant supplements,
 * the clock stops; dsr.c (resume_clock) moves a due time on by the working
 * time of the wait with this function. */
int dl_add_working(const cal_sched *s, const dl_hours *h, mc_time t, int64_t secs, mc_time *out,
		   mc_err *e)
{
	int32_t d;
	int x;
	char buf[17];

	if (secs < 0)
		return mc_fail(e, MCE_INVALID, "thời gian làm việc '%lld' bị âm",
			       "negative working time '%lld'", (long long)secs);
	if (secs == 0) {
		*out = t;
		return MC_OK;
	}
	if (!hours_valid(h))
		return mc_fail(e, MCE_DEADLINE_BAD_HOURS, "giờ làm việc không hợp lệ", "invalid office hours");
	if (!time_in_range(t))
		return mc_fail(e, MCE_DEADLINE_OUT_OF_RANGE,
			       "thời điểm '%lld' nằm ngoài khoảng năm được hỗ trợ (%d-%d)",
			       "time '%lld' out of range (years %d-%d)", (long long)t, CAL_MIN_YEAR,
			       CAL_MAX_YEAR);
	/* A walk over the whole calendar range is the most that makes sense. */
	if (secs > (int64_t)(DL_MAX_DAY - DL_MIN_DAY + 1) * DAY_SECS) {
		cal_format_datetime(t, buf);
		return mc_fail(e, MCE_DEADLINE_OUT_OF_RANGE,
			       "thời gian làm việc '%lld' tính từ '%s' quá dài",
			       "working time '%lld' from '%s' too long", (long long)secs, buf);
	}
	d = cal_local_day(t);
	x = cal_local_secs(t);
	to_working(s, h, &d, &x);
	*out = walk(s, h, d, x, secs);
	return MC_OK;
}

int64_t dl_working_secs(const cal_sched *s, const dl_hours *h, mc_time from, mc_time to)
{
	mc_time lo = cal_time_of(DL_MIN_DAY, 0), hi = cal_time_of(DL_MAX_DAY + 1, 0);
	int32_t d0, d1;
	int x0, x1;
	int64_t sum = 0, per_day;

	if (!hours_valid(h))
		return 0;
	/* Outside the calendar's range the count is clamped to it. */
	if (from < lo)
		from = lo;
	if (to > hi)
		to = hi;
	if (to <= from)
		return 0;
	per_day = dl_day_secs(h);
	d0 = cal_local_day(from);
	x0 = cal_local_secs(from);
	d1 = cal_local_day(to);
	x1 = cal_local_secs(to);
	for (int32_t d = d0; d <= d1; d++) {
		int a, b;
		if (!cal_is_workday(s, d))
			continue;
		if (d != d0 && d != d1) {
			sum += per_day;
			continue;
		}
		a = d == d0 ? x0 : 0;
		b = d == d1 ? x1 : DAY_SECS;
		for (int i = 0; i < h->n; i++) {
			int lo_i = h->start[i] > a ? h->start[i] : a;
			int hi_i = h->end[i] < b ? h->end[i] : b;
			if (hi_i > lo_i)
				sum += hi_i - lo_i;
		}
	}
	return sum;
}

/* Close of the working day d: the end of its last session. */
static mc_time close_of(const dl_hours *h, int32_t d)
{
	return cal_time_of(d, h->end[h->n - 1]);
}

int dl_due(const cal_sched *s, const dl_hours *h, mc_time t, double amount, int unit,
	   mc_time *due, mc_err *e)
{
	int64_t per_day, secs;
	int32_t d;
	int x;
	double max;

	if (unit < DL_WORKING_DAYS || unit > DL_SAME_DAY)
		return mc_fail(e, MCE_DEADLINE_BAD_TIME, "không có đơn vị thời hạn '%d'",
			       "unknown unit '%d'", unit);
	if (!hours_valid(h))
		return mc_fail(e, MCE_DEADLINE_BAD_HOURS, "giờ làm việc không hợp lệ", "invalid office hours");
	if (!time_in_range(t))
		return mc_fail(e, MCE_DEADLINE_OUT_OF_RANGE,
			       "thời điểm tiếp nhận '%lld' nằm ngoài khoảng năm được hỗ trợ (%d-%d)",
			       "reception time '%lld' out of range (years %d-%d)", (long long)t,
			       CAL_MIN_YEAR, CAL_MAX_YEAR);
	per_day = dl_day_secs(h);
	d = cal_local_day(t);
	x = cal_local_secs(t);

	if (unit == DL_SAME_DAY) {
		/* Received on a working day before the cut-off: that day.
		 * LAW: Decree 23/2015/NĐ-CP art. 7 (certification) and civil-status
		 * practice (DOMAIN.md "Deadlines in practice"): a request received
		 * after 15:00 is finished on the next working day (one received on
		 * a day off, on the working day after it).
		 * NEEDSWORK: DOMAIN.md and art. 7 say "after 15:00"; this treats
		 * a reception at 15:00 exactly (x == cutoff) as after it, as
		 * DESIGN.md section 4 ("before the cut-off") and dl_test pin. */
		if (!cal_is_workday(s, d) || x >= h->cutoff || x >= h->end[h->n - 1])
			d = next_workday(s, d);
		*due = close_of(h, d);
		return MC_OK;
	}

	max = unit == DL_WORKING_HOURS ? (double)DL_MAX_DAYS * per_day / 3600 : DL_MAX_DAYS;
	if (!(amount > 0)) /* also NaN */
		return mc_fail(e, MCE_DEADLINE_BAD_TIME, "thời hạn giải quyết '%g %s' phải lớn hơn 0",
			       "processing time '%g %s' must be positive", amount,
			       dl_unit_name(unit));
	if (amount > max)
		return mc_fail(e, MCE_DEADLINE_BAD_TIME,
			       "thời hạn giải quyết '%g %s' quá dài (tối đa %g)",
			       "processing time '%g %s' too long (at most %g)", amount,
			       dl_unit_name(unit), max);

	if (unit == DL_CALENDAR_DAYS) {
		/* LAW: Civil Code 2015 art. 147(2): a term in days starts the day
		 * after the event (reception); art. 148(5): when its last day is a
		 * weekend or a holiday the term ends with the next working day.
		 * The term ends at the close of office (DESIGN.md section 4), not
		 * at 24:00 as art. 148(6) has it: timeliness compares dates, so
		 * only dsr_is_overdue between closing and midnight can tell. */
		d += (int32_t)ceil(amount);
		if (!cal_is_workday(s, d))
			d = next_workday(s, d);
		*due = close_of(h, d);
		return MC_OK;
	}

	/* LAW: DOMAIN.md "Deadlines in practice" (no legal text named): working
	 * days are counted in working hours, 8 h = 1 working day, from the
	 * reception instant moved into office hours (to_working), not from the
	 * next day as Civil Code 2015 art. 147(2) would for a term in days.
	 * NEEDSWORK: DOMAIN.md and DESIGN.md section 4 make a working day 8
	 * working hours; this makes it one day of the node's office hours
	 * (dl_day_secs), which differs when they do not add up to 8 h (dl_test
	 * "custom office hours" pins 9 h and 6 h days). */
	secs = llround(amount * (unit == DL_WORKING_DAYS ? (double)per_day : 3600.0));
	if (secs < 1)
		secs = 1; /* a positive amount is never due at once */
	to_working(s, h, &d, &x);
	*due = walk(s, h, d, x, secs);
	return MC_OK;
}

/* LAW: Decision 766/QĐ-TTg (2022) indicator 2.1 (share of dossiers resolved
 * early or on time), read as DOMAIN.md "Deadlines in practice" does: compare
 * the date processing ended with the date of the appointment, not the hour. */
int dl_timeliness(mc_time finished, mc_time due)
{
	int32_t f = cal_local_day(finished), d = cal_local_day(due);
	if (f < d)
		return DL_EARLY;
	if (f == d)
		return DL_ON_TIME;
	return DL_LATE;
}

/* LAW: the periodic reports (DOMAIN.md "Periodic report Biểu II.06a":
 * resolved early, on time, late) name the three verdicts "trước hạn",
 * "đúng hạn", "quá hạn"; issue 10 item 3: the same words everywhere. */
const char *dl_timeliness_label_vi(int t)
{
	switch (t) {
	case DL_EARLY:
		return "Trước hạn";
	case DL_ON_TIME:
		return "Đúng hạn";
	case DL_LATE:
		return "Quá hạn";
	default:
		return "";
	}
}

/* LAW: DOMAIN.md "Deadlines in practice" (time counts in office hours only)
 * and issue 10 item 7: near due means due within one working day of now,
 * counted in working time, so the window is one working day of the node's
 * office hours on its calendar, not 24 hours. */
int dl_near_due_before(const cal_sched *s, const dl_hours *h, mc_time now, mc_time *before,
		       mc_err *e)
{
	mc_time end;
	int rc = dl_add_working(s, h, now, dl_day_secs(h), &end, e);
	if (rc)
		return rc;
	/* A window ending at a session's close: the instants up to the next
	 * session's start are no more working time away. */
	int32_t d = cal_local_day(end);
	int x = (int)(end - cal_time_of(d, 0));
	to_working(s, h, &d, &x);
	*before = cal_time_of(d, x) + 1;
	return MC_OK;
}

const char *dl_timeliness_name(int t)
{
	switch (t) {
	case DL_EARLY:
		return "early";
	case DL_ON_TIME:
		return "on_time";
	case DL_LATE:
		return "late";
	default:
		return "";
	}
}
