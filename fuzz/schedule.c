/*
 * schedule.c - fuzz target for cal_sched_add_csv and cal_sched_finish, the
 * yearly days-off schedules a commune loads from CSV.
 *
 * The schedule starts with two entries of its own. A refused file must leave
 * it exactly as it was (cal.h: "on error nothing is changed"). An accepted
 * file replaces the years it names and no others, loading it again changes
 * nothing, and once finished the day bitmap agrees with the entries and with
 * the slow look-up used before finishing.
 */
#include "core/cal.h"
#include "fuzz.h"

#define MAX_YEARS 8

/* A copy of what a failed add must not touch. */
typedef struct {
	cal_entry *e;
	size_t n;
	cal_entry copy[2];
	unsigned char has_year[CAL_MAX_YEAR - CAL_MIN_YEAR + 1];
	int finished;
} snapshot;

static void take(const cal_sched *s, snapshot *sn)
{
	FZ_CHECK(s->n <= MC_ARRAY_LEN(sn->copy));
	sn->e = s->e;
	sn->n = s->n;
	memcpy(sn->copy, s->e, s->n * sizeof s->e[0]);
	memcpy(sn->has_year, s->has_year, sizeof sn->has_year);
	sn->finished = s->finished;
}

static void same(const cal_sched *s, const snapshot *sn)
{
	FZ_CHECK(s->e == sn->e && s->n == sn->n);
	FZ_CHECK(memcmp(s->e, sn->copy, sn->n * sizeof s->e[0]) == 0);
	FZ_CHECK(memcmp(s->has_year, sn->has_year, sizeof sn->has_year) == 0);
	FZ_CHECK(s->finished == sn->finished);
}

static int year_of(int32_t day)
{
	int y, m, d;
	cal_civil_from_days(day, &y, &m, &d);
	return y;
}

static int off_kind(int kind)
{
	return kind != CAL_WORKDAY && kind != CAL_MAKEUP_WORKDAY;
}

static int str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Entries of two schedules are the same, in any order. */
static void same_entries(const cal_sched *a, const cal_sched *b)
{
	FZ_CHECK(a->n == b->n);
	for (size_t i = 0; i < a->n; i++) {
		size_t j = 0;
		while (j < b->n && b->e[j].day != a->e[i].day)
			j++;
		FZ_CHECK(j < b->n);
		FZ_CHECK(a->e[i].kind == b->e[j].kind);
		FZ_CHECK(str_eq(a->e[i].occasion, b->e[j].occasion));
		FZ_CHECK(str_eq(a->e[i].source, b->e[j].source));
	}
}

static void check_accepted(cal_sched *s, const char *text, size_t len, const int *years, int ny,
			   const snapshot *sn)
{
	mc_err e;
	int named[CAL_MAX_YEAR - CAL_MIN_YEAR + 1] = { 0 };

	FZ_CHECK(ny >= 0 && ny <= MAX_YEARS);
	for (int i = 0; i < ny; i++) {
		FZ_CHECK(years[i] >= CAL_MIN_YEAR && years[i] <= CAL_MAX_YEAR);
		FZ_CHECK(i == 0 || years[i] > years[i - 1]);
		FZ_CHECK(cal_sched_has_year(s, years[i]));
		named[years[i] - CAL_MIN_YEAR] = 1;
	}
	/* years not named keep their flag and their entries (with more than
	 * MAX_YEARS named, which ones is not known) */
	for (int y = CAL_MIN_YEAR; ny < MAX_YEARS && y <= CAL_MAX_YEAR; y++) {
		if (!named[y - CAL_MIN_YEAR])
			FZ_CHECK(s->has_year[y - CAL_MIN_YEAR] == sn->has_year[y - CAL_MIN_YEAR]);
	}
	for (size_t i = 0; ny < MAX_YEARS && i < sn->n; i++) {
		size_t j = 0;
		if (named[year_of(sn->copy[i].day) - CAL_MIN_YEAR])
			continue;
		while (j < s->n && s->e[j].day != sn->copy[i].day)
			j++;
		FZ_CHECK(j < s->n);
		FZ_CHECK(memcmp(&s->e[j], &sn->copy[i], sizeof s->e[j]) == 0);
	}
	for (size_t i = 0; i < s->n; i++) {
		FZ_CHECK(s->e[i].kind >= CAL_WORKDAY && s->e[i].kind <= CAL_MAKEUP_WORKDAY);
		FZ_CHECK(s->e[i].kind != CAL_WEEKEND);
		FZ_CHECK(cal_sched_has_year(s, year_of(s->e[i].day)));
		FZ_CHECK(!s->e[i].occasion || s->e[i].occasion[0]);
		FZ_CHECK(!s->e[i].source || s->e[i].source[0]);
		for (size_t j = 0; j < i; j++)
			FZ_CHECK(s->e[j].day != s->e[i].day);
	}

	/* Loading the same file again is a no-op. */
	cal_sched twice;
	int y2[MAX_YEARS], ny2 = -1;
	cal_sched_init(&twice);
	for (size_t i = 0; i < s->n; i++)
		FZ_CHECK(cal_sched_add(&twice, s->e[i].day, s->e[i].kind, s->e[i].occasion,
				       s->e[i].source, &e) == MC_OK);
	memcpy(twice.has_year, s->has_year, sizeof twice.has_year);
	FZ_CHECK(cal_sched_add_csv(&twice, text, len, y2, MAX_YEARS, &ny2, &e) == MC_OK);
	FZ_CHECK(ny2 == ny && memcmp(y2, years, (size_t)ny * sizeof *years) == 0);
	same_entries(s, &twice);
	cal_sched_release(&twice);

	/* The slow look-up before finish, over the first year named, and the
	 * bitmap after it agree; so does every entry. */
	int probe_year = ny ? years[0] : 0;
	unsigned char before[366];
	int32_t first = probe_year ? cal_days_from_civil(probe_year, 1, 1) : 0;
	int ndays = probe_year ? cal_days_from_civil(probe_year + 1, 1, 1) - first : 0;
	for (int i = 0; i < ndays; i++)
		before[i] = (unsigned char)cal_is_workday(s, first + i);
	FZ_CHECK(cal_sched_finish(s, &e) == MC_OK);
	FZ_CHECK(s->finished);
	for (int i = 0; i < ndays; i++)
		FZ_CHECK(before[i] == cal_is_workday(s, first + i));
	for (size_t i = 0; i < s->n; i++) {
		FZ_CHECK(i == 0 || s->e[i - 1].day < s->e[i].day);
		FZ_CHECK(cal_is_workday(s, s->e[i].day) == !off_kind(s->e[i].kind));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	cal_sched s;
	snapshot sn;
	mc_err e = { 0 };
	int years[MAX_YEARS], ny = -1;

	/* Two entries of our own: a working Saturday in 2150, which no seed
	 * names, and a holiday on 2025-01-27, which real files replace. */
	cal_sched_init(&s);
	FZ_CHECK(cal_sched_add(&s, cal_days_from_civil(2150, 6, 6), CAL_MAKEUP_WORKDAY, "x", "",
			       &e) == MC_OK);
	FZ_CHECK(cal_sched_add(&s, cal_days_from_civil(2025, 1, 27), CAL_HOLIDAY, "", "y", &e) ==
		 MC_OK);
	take(&s, &sn);

	if (cal_sched_add_csv(&s, text, size, years, MAX_YEARS, &ny, &e) != MC_OK) {
		FZ_CHECK(e.code == MC_EINVAL && e.msg[0]);
		FZ_CHECK(ny == 0);
		same(&s, &sn);
	} else {
		check_accepted(&s, text, size, years, ny, &sn);
	}
	cal_sched_release(&s);
	return 0;
}
