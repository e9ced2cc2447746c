/*
 * rep_test.c - where a dossier falls in Biểu II.06a for a period, written
 * out by hand from DOMAIN.md and DESIGN §4, and the Decision 766 formulas.
 */
#include "core/dl.h"
#include "core/rep.h"
#include "t.h"

#define H 3600
#define D (24 * H)
/* The period: [F, T), judged at E = T unless the case says otherwise. */
#define F (100 * D)
#define T (130 * D)
#define C(x) (1u << (x))

static const struct {
	const char *name;
	rep_fact f;
	mc_time end; /* 0: T */
	unsigned cells;
} cases[] = {
	{ "never received (refused at the desk)", { .received = 0 }, 0, 0 },
	{ "received after the period", { .received = T + H, .due_legal = T + 5 * D }, 0, 0 },
	{ "received at the period's end instant is outside", { .received = T, .due_legal = T + D },
	  0, 0 },
	{ "ended before the period", { .received = F - 10 * D, .finished = F - H, .due_legal = F,
				       .timeliness = DL_EARLY }, 0, 0 },
	{ "carried over, still pending, in time",
	  { .received = F - 2 * D, .due_legal = T + D }, 0, C(REP_CARRIED) | C(REP_PENDING_IN_TIME) },
	{ "carried over, resolved early in the period",
	  { .received = F - 2 * D, .finished = F + D, .due_legal = F + 3 * D, .timeliness = DL_EARLY },
	  0, C(REP_CARRIED) | C(REP_EARLY) },
	{ "ended at the period's first instant counts in it",
	  { .received = F - D, .finished = F, .due_legal = F + D, .timeliness = DL_ON_TIME }, 0,
	  C(REP_CARRIED) | C(REP_ON_TIME) },
	{ "new direct, resolved on the due date",
	  { .received = F + D, .finished = F + 5 * D, .due_legal = F + 5 * D + H,
	    .timeliness = DL_ON_TIME }, 0, C(REP_NEW_DIRECT) | C(REP_ON_TIME) },
	{ "new online, late",
	  { .received = F + D, .finished = F + 9 * D, .due_legal = F + 5 * D, .timeliness = DL_LATE,
	    .online = 1 }, 0, C(REP_NEW_ONLINE) | C(REP_LATE) },
	{ "resolved after the period: pending at its end, overdue",
	  { .received = F + D, .finished = T + D, .due_legal = T - D, .timeliness = DL_LATE }, 0,
	  C(REP_NEW_DIRECT) | C(REP_PENDING_OVERDUE) },
	{ "due exactly at the end instant is not yet overdue",
	  { .received = F + D, .due_legal = T }, 0, C(REP_NEW_DIRECT) | C(REP_PENDING_IN_TIME) },
	{ "a pause begun after the end does not move the due time back then",
	  { .received = F + D, .due_legal = T + 2 * D, .added_after = 3 * D }, 0,
	  C(REP_NEW_DIRECT) | C(REP_PENDING_OVERDUE) },
	{ "paused across the end, in time when the wait began",
	  { .received = F + D, .due_legal = T - D, .span_at = T - 3 * D }, 0,
	  C(REP_NEW_DIRECT) | C(REP_PENDING_IN_TIME) },
	{ "paused across the end, already overdue when the wait began",
	  { .received = F + D, .due_legal = T - 5 * D, .span_at = T - 3 * D }, 0,
	  C(REP_NEW_DIRECT) | C(REP_PENDING_OVERDUE) },
	{ "paused across the end, ended later: its addition is taken back",
	  { .received = F + D, .due_legal = T + 2 * D, .span_at = T - 3 * D, .span_added = 6 * D },
	  0, C(REP_NEW_DIRECT) | C(REP_PENDING_OVERDUE) },
	{ "judged at now when the period has not ended",
	  { .received = F + D, .due_legal = F + 10 * D }, F + 5 * D,
	  C(REP_NEW_DIRECT) | C(REP_PENDING_IN_TIME) },
	{ "an ended dossier without a verdict counts late",
	  { .received = F + D, .finished = F + 2 * D, .due_legal = F + 9 * D }, 0,
	  C(REP_NEW_DIRECT) | C(REP_LATE) },
};

static void test_cells(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		T_CASE(cases[i].name);
		mc_time end = cases[i].end ? cases[i].end : T;
		CHECK_INT(rep_cells(&cases[i].f, F, end), cases[i].cells);
	}
	T_CASE("rep_end");
	CHECK_INT(rep_end(T, T + 1), T);
	CHECK_INT(rep_end(T, T), T);
	CHECK_INT(rep_end(T, T - 1), T); /* a dossier received at now counts */
}

/* Every column is the sum its heading says; the identity of the table:
 * received = resolved + pending, for any mix of dossiers. */
static void test_columns(void)
{
	T_CASE("columns");
	CHECK_INT(rep_ii06a_n_columns, 11);
	int64_t col[11] = { 0 };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned c = rep_cells(&cases[i].f, F, cases[i].end ? cases[i].end : T);
		for (int k = 0; k < 11; k++)
			col[k] += (c & rep_ii06a_columns[k].cells) != 0;
	}
	CHECK_STR(rep_ii06a_columns[0].key, "received");
	CHECK_INT(col[0], col[1] + col[2] + col[3]);
	CHECK_INT(col[4], col[5] + col[6] + col[7]);
	CHECK_INT(col[8], col[9] + col[10]);
	CHECK_INT(col[0], col[4] + col[8]);
	CHECK(col[0] > 0);
}

static const rep_indicator *ind(const char *id)
{
	for (int i = 0; i < rep_766_n; i++)
		if (strcmp(rep_766[i].id, id) == 0)
			return &rep_766[i];
	return NULL;
}

static void test_766(void)
{
	T_CASE("766 table");
	double sum[5] = { 0 };
	for (int i = 0; i < rep_766_n; i++) {
		CHECK(rep_766[i].group >= 1 && rep_766[i].group <= 5);
		CHECK(rep_766[i].points > 0 && rep_766[i].full_at > 0 && rep_766[i].full_at <= 1);
		CHECK(rep_766[i].source[0] != 0);
		/* the numerator is a part of the denominator */
		CHECK((rep_766[i].num_all & rep_766[i].den_all) == rep_766[i].den_all);
		CHECK((rep_766[i].num_none & rep_766[i].den_none) == rep_766[i].den_none);
		sum[rep_766[i].group - 1] += rep_766[i].points;
	}
	for (int g = 0; g < 5; g++)
		CHECK(sum[g] <= rep_766_groups[g].points);
	CHECK(rep_766_groups[0].points + rep_766_groups[1].points + rep_766_groups[2].points +
		      rep_766_groups[3].points + rep_766_groups[4].points == 100);

	T_CASE("766 points");
	const rep_indicator *t21 = ind("2.1"), *t33 = ind("3.3"), *t54 = ind("5.4");
	CHECK(t21 && t33 && t54);
	if (!t21 || !t33 || !t54)
		return;
	CHECK(rep_points(t21, 3, 4) == 15); /* 20 points × 75 % */
	CHECK(rep_points(t21, 0, 0) == 0);
	CHECK(rep_points(t33, 1, 2) == t33->points); /* full at 50 % */
	CHECK(rep_points(t33, 1, 4) == t33->points / 2);
	CHECK(rep_points(t54, 9, 10) == t54->points);

	T_CASE("766 flags");
	rep_fact late = { .received = F + D, .finished = F + 9 * D, .due_legal = F + 5 * D,
			  .timeliness = DL_LATE, .online = 1 };
	unsigned fl = rep_flags(&late, rep_cells(&late, F, T));
	CHECK((fl & (REP_F_RECEIVED | REP_F_RESOLVED | REP_F_LATE | REP_F_ONLINE)) ==
	      (REP_F_RECEIVED | REP_F_RESOLVED | REP_F_LATE | REP_F_ONLINE));
	CHECK(rep_in(t21, fl, 0) && !rep_in(t21, fl, 1));
	CHECK(rep_in(t33, fl, 1));
	rep_fact carried = { .received = F - D, .finished = F + D, .due_legal = F + 3 * D,
			     .timeliness = DL_EARLY, .flags = REP_F_UNSATISFIED };
	fl = rep_flags(&carried, rep_cells(&carried, F, T));
	CHECK(!(fl & REP_F_RECEIVED)); /* carried over: not received in the period */
	CHECK(rep_in(t21, fl, 1));
	CHECK(rep_in(t54, fl, 0) && !rep_in(t54, fl, 1)); /* unsatisfied */
	CHECK_STR(rep_flag_name(REP_F_PAID_ONLINE), "paid_online");
	CHECK_STR(rep_flag_name(3), "");
}

int main(void)
{
	test_cells();
	test_columns();
	test_766();
	return t_done();
}
