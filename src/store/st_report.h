/*
 * st_report.h - what the supervision reports read (schema 0014): one fact
 * per dossier of an agency that a period [from, end) can count, from the
 * node's own dossiers or, on a hub, from the copies of a commune's.
 */
#ifndef ST_REPORT_H
#define ST_REPORT_H

#include "core/rep.h"
#include "st.h"

typedef struct {
	const char *agency, *code, *procedure, *channel, *assignee, *status;
	rep_fact f; /* flags filled only when asked for (with_flags) */
} st_report_row;

typedef int (*st_report_cb)(void *ctx, const st_report_row *r);

/* Walks agency's dossiers received before end and not ended before from,
 * from the node's table (hub 0) or the hub's copies (hub 1). with_flags
 * adds the Decision 766 facts (files, fees, ratings, sync), which cost a
 * look-up each. cb returning non-zero stops the walk (and is returned). */
MC_MUST_USE int st_report_walk(st *s, int hub, const char *agency, mc_time from, mc_time end,
			       int with_flags, st_report_cb cb, void *ctx, mc_err *e);

/* The agencies whose copies a hub keeps (hub 1) or the node's own agency
 * set (hub 0: every owner in its dossier table), sorted. cb gets each. */
typedef int (*st_report_agency_cb)(void *ctx, const char *agency);
MC_MUST_USE int st_report_agencies(st *s, int hub, st_report_agency_cb cb, void *ctx,
				   mc_err *e);

/* For the bench: an indexed count(*) of the same rows st_report_walk
 * reads. */
MC_MUST_USE int st_report_count(st *s, const char *agency, mc_time from, mc_time end, int64_t *n,
				mc_err *e);

#endif
