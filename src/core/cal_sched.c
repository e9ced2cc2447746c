/*
 * cal_sched.c - days off: the kinds of day, the Labour Code defaults, a
 * schedule's entries and the off-day bitmap that answers cal_is_workday
 * (see cal.h for the contract; the schedule CSV is read by cal_csv.c).
 */
#include "cal_int.h"

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

/* Kinds that make a day a day off in a scheduled year.
 * LAW: Labour Code 2019 art. 112 (DOMAIN.md "Legal frame"): the government
 * sets the yearly schedule of holidays for civil servants, with weekdays
 * swapped off and Saturdays worked to make them up; a year that has one
 * replaces the defaults below (cal_sched_finish). */
static int kind_is_off(int kind)
{
	return kind == CAL_WEEKEND || kind == CAL_HOLIDAY || kind == CAL_HOLIDAY_ON_WEEKEND ||
	       kind == CAL_COMPENSATORY || kind == CAL_SWAPPED_OFF;
}

/* Not const: default entries point here and at string literals through
 * cal_entry's char * fields (owned strings in a schedule); nobody writes or
 * frees them (cal.h says so). */
static char LAW_SOURCE[] = "Bộ luật Lao động 2019, điều 112";
static char LAW_SOURCE_COMP[] = "Bộ luật Lao động 2019, điều 111 khoản 3";

typedef struct {
	int32_t day;
	char *occasion; /* a string literal */
} holiday;

#define MAX_HOLIDAYS 64

static void add_holiday(holiday *h, size_t *n, int32_t day, char *occasion)
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
	int tet = cal_lunar_jd(1, 1, y, 0) - CAL_JD_EPOCH;
	int gio_to = cal_lunar_jd(10, 3, y, 0) - CAL_JD_EPOCH;

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
		if (!cal_is_weekend(h[i].day))
			continue;
		d = h[i].day + 1;
		while (cal_is_weekend(d) || in_holidays(h, nh, d) || in_holidays(comp, nc, d))
			d++;
		if (nc < MAX_HOLIDAYS)
			comp[nc++] = (holiday){ d, h[i].occasion };
	}

	for (size_t i = 0; i < nh; i++) {
		if (cal_year_of(h[i].day) != y)
			continue;
		all[nall++] = (cal_entry){ h[i].day,
					   cal_is_weekend(h[i].day) ? CAL_HOLIDAY_ON_WEEKEND : CAL_HOLIDAY,
					   h[i].occasion, LAW_SOURCE };
	}
	for (size_t i = 0; i < nc; i++) {
		if (cal_year_of(comp[i].day) != y)
			continue;
		all[nall++] = (cal_entry){ comp[i].day, CAL_COMPENSATORY, comp[i].occasion,
					   LAW_SOURCE_COMP };
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
		if (cal_year_of(s->e[i].day) == y)
			entry_release(&s->e[i]);
		else
			s->e[j++] = s->e[i];
	}
	s->n = j;
	s->has_year[y - CAL_MIN_YEAR] = 1;
	s->finished = 0;
}

/* Adds an entry taking ownership of occasion and source (already checked). */
void cal_sched_add_owned(cal_sched *s, int32_t day, int kind, char *occasion, char *source)
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
	s->has_year[cal_year_of(day) - CAL_MIN_YEAR] = 1;
	s->finished = 0;
}

int cal_sched_add(cal_sched *s, int32_t day, int kind, const char *occasion, const char *source,
		  mc_err *e)
{
	char buf[11];
	if (day < CAL_MIN_DAY || day > CAL_MAX_DAY)
		return mc_fail(e, MCE_CAL_BAD_DATE,
			       "ngày số %ld nằm ngoài khoảng năm được hỗ trợ (%d-%d)",
			       "day %ld out of range (years %d-%d)", (long)day, CAL_MIN_YEAR,
			       CAL_MAX_YEAR);
	if (kind < CAL_WORKDAY || kind > CAL_MAKEUP_WORKDAY) {
		cal_format_date(day, buf);
		return mc_fail(e, MCE_INVALID, "không có loại ngày %d (ngày '%s')",
			       "unknown kind %d for '%s'", kind, buf);
	}
	cal_sched_add_owned(s, day, kind, occasion && *occasion ? mc_xstrdup(occasion) : NULL,
		  source && *source ? mc_xstrdup(source) : NULL);
	return MC_OK;
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
	int32_t lo = CAL_MIN_DAY, ndays = CAL_MAX_DAY - lo + 1;
	cal_entry def[64];

	(void)e;
	if (s->n)
		qsort(s->e, s->n, sizeof s->e[0], cmp_entry);
	if (!s->off)
		s->off = mc_xmalloc((size_t)(ndays + 7) / 8);
	memset(s->off, 0, (size_t)(ndays + 7) / 8);
	for (int32_t i = 0; i < ndays; i++)
		if (cal_is_weekend(lo + i))
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
	int y = cal_year_of(day);
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
	return !cal_is_weekend(day);
}

int cal_is_workday(const cal_sched *s, int32_t day)
{
	int32_t lo = CAL_MIN_DAY;
	if (!s || day < lo || day > CAL_MAX_DAY)
		return !cal_is_weekend(day);
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
		if (cal_is_weekend(days[i]))
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
