/*
 * cal_int.h - what the parts of the calendar module share: cal_civil.c
 * (civil dates), cal_lunar.c (lunar calendar), cal_sched.c (days off) and
 * cal_csv.c (the schedule CSV). Private to them; everyone else includes
 * cal.h.
 */
#ifndef CAL_INT_H
#define CAL_INT_H

#include "cal.h"

/* Julian day number of 1970-01-01. */
#define CAL_JD_EPOCH 2440588

/* 1900-01-01 and 2199-12-31 as days since 1970-01-01 (checked by the tests). */
#define CAL_MIN_DAY (-25567)
#define CAL_MAX_DAY 84005

/* cal_civil.c: 1 if day is a Saturday or a Sunday. */
int cal_is_weekend(int32_t day);
/* cal_civil.c: the civil year of day. */
int cal_year_of(int32_t day);

/* cal_lunar.c: Julian day of a lunar date, with no range checks (the
 * Labour Code defaults look one year past each end of the range). Returns
 * -1 if the leap flag names a month that is not leap that year or the month
 * has no such day. */
int cal_lunar_jd(int day, int month, int year, int leap);

/* cal_sched.c: adds an entry to s taking ownership of occasion and source
 * (already checked; either may be NULL); a later entry for the same day
 * replaces the earlier one. */
void cal_sched_add_owned(cal_sched *s, int32_t day, int kind, char *occasion, char *source);

#endif
