/*
 * dl.h - legal deadlines: working time over office hours and days off.
 * Pure computation; "now" and every instant are arguments.
 */
#ifndef DL_H
#define DL_H

#include "cal.h"

#define DL_MAX_SESSIONS 4

/* Office hours of a node: sessions of one working day, in seconds since
 * local midnight, ascending and disjoint; and the same-day cut-off. */
typedef struct {
	int start[DL_MAX_SESSIONS];
	int end[DL_MAX_SESSIONS];
	int n;
	int cutoff; /* seconds since midnight; same_day requests after it are next day */
} dl_hours;

/* Default: 07:00-11:30, 13:30-17:00, cut-off 15:00. */
void dl_hours_default(dl_hours *h);
/* Parses "07:00-11:30,13:30-17:00"; keeps h->cutoff. */
MC_MUST_USE int dl_hours_parse(const char *s, dl_hours *h, mc_err *e);
/* Formats as dl_hours_parse reads (out: at least 64 bytes). */
void dl_hours_format(const dl_hours *h, char *out, size_t size);
/* Working seconds in one working day (8 h = 28800 by default). */
int dl_day_secs(const dl_hours *h);

enum { DL_WORKING_DAYS = 0, DL_WORKING_HOURS, DL_CALENDAR_DAYS, DL_SAME_DAY };

/* "working_days", "working_hours", "calendar_days", "same_day". */
const char *dl_unit_name(int unit);
/* Unit from its name; -1 if unknown. */
int dl_unit_parse(const char *name);

/*
 * Due time of a processing time (amount of unit) for a dossier received at t.
 * working_days and working_hours walk forward through working time only,
 * from t moved to the next working instant; a walk that ends exactly at the
 * end of a session ends there. same_day and calendar_days end at the close of
 * a working day. amount must be > 0 (same_day ignores it) and at most 3650
 * days' worth. OUT: *due.
 */
MC_MUST_USE int dl_due(const cal_sched *s, const dl_hours *h, mc_time t, double amount,
		       int unit, mc_time *due, mc_err *e);
/* Working seconds between from and to (0 if to <= from). */
int64_t dl_working_secs(const cal_sched *s, const dl_hours *h, mc_time from, mc_time to);
/* The instant secs working seconds after t: t itself if secs == 0 (even
 * out of office hours, so a pause with no working time in it never moves a
 * due time); otherwise from t moved to the next working instant, and a walk
 * that ends exactly at the end of a session ends there (16:00 + 1 h is
 * 17:00, not 07:00 of the next working day). OUT: *out. */
MC_MUST_USE int dl_add_working(const cal_sched *s, const dl_hours *h, mc_time t, int64_t secs,
			       mc_time *out, mc_err *e);

enum { DL_EARLY = 1, DL_ON_TIME = 2, DL_LATE = 3 };
/* Early if finished's local date is before due's, on time if the same date,
 * late if after. */
int dl_timeliness(mc_time finished, mc_time due);
/* "early", "on_time", "late"; "" for 0. */
const char *dl_timeliness_name(int t);
/* The reports' words: "Trước hạn", "Đúng hạn", "Quá hạn"; "" for 0. */
const char *dl_timeliness_label_vi(int t);

/*
 * Near due: a due time within one working day of now, counted in working
 * time over s and h (the node's calendar and office hours). OUT: *before,
 * the first instant more than one working day of working time after now, so
 * that a due time t is near due exactly when now <= t < *before. A window
 * that ends at the close of a session runs on to the start of the next one:
 * from Saturday afternoon a dossier due Monday 17:00 is near due.
 */
MC_MUST_USE int dl_near_due_before(const cal_sched *s, const dl_hours *h, mc_time now,
				   mc_time *before, mc_err *e);

#endif
