/*
 * rep.h - the supervision reports' rules: where a dossier falls in Biểu
 * II.06a for a period, and the Decision 766 indicators a node can compute,
 * as one table of formulas. Pure rules: the store streams one fact per
 * dossier, the app adds the cells up.
 *
 * A dossier is counted by its owning agency (a transfer moves it, with its
 * original reception time). A period is [from, to): "to" is the instant
 * after the last day. A period not over yet is judged at now.
 */
#ifndef REP_H
#define REP_H

#include "mc.h"

/* The cells of Biểu II.06a a dossier can fall in; totals are sums. */
enum {
	REP_CARRIED = 0,      /* (4) received before the period, pending at its start */
	REP_NEW_ONLINE,       /* (5) received in the period, online */
	REP_NEW_DIRECT,       /* (6) received in the period, at the desk or by post */
	REP_EARLY,            /* (8) resolved in the period before the due date */
	REP_ON_TIME,          /* (9) on the due date */
	REP_LATE,             /* (10) after it, or supplemented twice during processing */
	REP_PENDING_IN_TIME,  /* (12) pending at the period's end, not past due */
	REP_PENDING_OVERDUE,  /* (13) pending at the period's end, past due */
	REP_N_CELLS
};

/* The columns of the official table, (3) to (13), in order: each is a
 * cell or a sum of cells. */
typedef struct {
	const char *key;      /* "received", "carried", ... (the API's names) */
	const char *label_vi; /* the column's heading */
	unsigned cells;       /* mask of 1 << REP_* it adds up */
} rep_column;
extern const rep_column rep_ii06a_columns[];
extern const int rep_ii06a_n_columns; /* 11 */

/* What the store knows of one dossier, for a period ending at `to`. */
typedef struct {
	mc_time received;     /* 0: never received (refused at the desk, online not taken) */
	mc_time finished;     /* 0: processing has not ended */
	mc_time due_legal;    /* original due plus the supplement pauses so far */
	int timeliness;       /* DL_EARLY / DL_ON_TIME / DL_LATE once finished */
	int online;           /* 1: submitted online */
	/* Supplement pauses, as of the end instant: the working time the pauses
	 * that began at or after it added to due_legal (none existed then),
	 * and the pause under way at that instant, if any (span_at its start,
	 * span_added what it added to due_legal once it ended, 0 if not yet). */
	int64_t added_after;
	mc_time span_at;
	int64_t span_added;
	/* Decision 766 facts (flags REP_F_* beyond the period ones). */
	unsigned flags;
} rep_fact;

/* The end instant a period is judged at: to, or just after now if that
 * comes first (what happened at now is in the period). */
mc_time rep_end(mc_time to, mc_time now);

/* The II.06a cells (mask of 1 << REP_*) the dossier falls in for
 * [from, end). 0: outside the report. */
unsigned rep_cells(const rep_fact *f, mc_time from, mc_time end);

/* ---- Decision 766 ---- */
/* Facts a formula can name. The first four come from rep_cells. */
enum {
	REP_F_RECEIVED = 1 << 0,   /* received in the period */
	REP_F_RESOLVED = 1 << 1,   /* processing ended in the period */
	REP_F_LATE = 1 << 2,       /* resolved late */
	REP_F_ONLINE = 1 << 3,     /* submitted online */
	REP_F_RESULT = 1 << 4,     /* ended with a result (not refused, stopped, withdrawn) */
	REP_F_RESULT_FILE = 1 << 5, /* its result is held as an electronic file */
	REP_F_DIGITIZED = 1 << 6,  /* every paper component scanned */
	REP_F_REUSED = 1 << 7,     /* a component reused or taken from the data store */
	REP_F_FEE = 1 << 8,        /* a fee or charge was collected */
	REP_F_PAID_ONLINE = 1 << 9, /* ... paid online */
	REP_F_UNSATISFIED = 1 << 10, /* the citizen rated it "not satisfied" */
	REP_F_SYNCED = 1 << 11,    /* its latest state reached the province's hub */
};

typedef struct {
	const char *id;       /* "2.1" */
	int group;            /* 1..5 */
	const char *name_vi;
	const char *source;   /* where the formula comes from */
	double points;        /* the indicator's points */
	double full_at;       /* ratio at and above which it scores full points */
	unsigned num_all, num_none; /* numerator: every num_all flag, no num_none flag */
	unsigned den_all, den_none; /* denominator */
} rep_indicator;
extern const rep_indicator rep_766[];
extern const int rep_766_n;

typedef struct {
	const char *name_vi;
	double points; /* the group's share of the 100 */
} rep_group;
extern const rep_group rep_766_groups[5];

/* The facts of a dossier for [from, end): the period flags from its cells
 * and its own flags. */
unsigned rep_flags(const rep_fact *f, unsigned cells);
/* 1 if flags satisfy the numerator (num) or the denominator (!num). */
int rep_in(const rep_indicator *ind, unsigned flags, int num);
/* Points for num of den: points * min(1, ratio / full_at); 0 when den is 0. */
double rep_points(const rep_indicator *ind, int64_t num, int64_t den);
/* The name of a flag ("late"), for the API's description of formulas. */
const char *rep_flag_name(unsigned flag);

#endif
