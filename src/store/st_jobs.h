/*
 * st_jobs.h - the rows of background jobs (schema 0012): a queue that
 * survives restarts, claimed with leases, and the text each OCR job reads
 * from a stored file. A claim bumps the job's attempts; every later write
 * of the claimer names the attempt it holds (a fencing token), so a worker
 * whose lease ran out and whose job went to another can no longer write.
 */
#ifndef ST_JOBS_H
#define ST_JOBS_H

#include "st.h"

typedef struct {
	int64_t id;
	char kind[8];  /* ocr */
	char ref[65];  /* ocr: the file's sha256 */
	char agency[64];
	char state[8]; /* queued | running | done | failed */
	int attempts;
	int pages_done, pages_total;
	char error[256];
	mc_time lease_until, created_at, started_at, finished_at;
} st_job;

/* Queues a job of kind for ref unless one exists (any state: a file is
 * read once). OUT: *created (may be NULL). */
MC_MUST_USE int st_job_add(st *s, const char *kind, const char *ref, const char *agency,
			   mc_time now, int *created, mc_err *e);
/* Claims the oldest queued job of kind: running, attempts + 1, leased
 * until lease_until, its progress zeroed. Run it inside a transaction
 * (st_begin). OUT: *j, *got (0: nothing queued). */
MC_MUST_USE int st_job_claim(st *s, const char *kind, mc_time now, mc_time lease_until,
			     st_job *j, int *got, mc_err *e);
/* OUT: *j. MC_ENOTFOUND (no message) if none. */
MC_MUST_USE int st_job_get(st *s, int64_t id, st_job *j, mc_err *e);
/* The job of kind for ref. MC_ENOTFOUND (no message) if none. */
MC_MUST_USE int st_job_of(st *s, const char *kind, const char *ref, st_job *j, mc_err *e);
/* Records progress of the claim attempt holds and renews its lease.
 * MC_ECONFLICT (no message) if the job is no longer that claim's. */
MC_MUST_USE int st_job_progress(st *s, int64_t id, int attempt, int pages_done,
				int pages_total, mc_time lease_until, mc_err *e);
/* Marks the claim's job done (MC_ECONFLICT as st_job_progress). */
MC_MUST_USE int st_job_done(st *s, int64_t id, int attempt, mc_time now, mc_err *e);
/* Ends the claim's job with error: failed if final, else queued again. */
MC_MUST_USE int st_job_fail(st *s, int64_t id, int attempt, const char *error, int final,
			    mc_time now, mc_err *e);
/* Puts the claim's job back in the queue without counting the attempt
 * (a worker stopped by a clean shutdown). */
MC_MUST_USE int st_job_release(st *s, int64_t id, int attempt, mc_err *e);
/* Queues again every running job whose lease ended before now (its
 * worker died); those that used max_attempts already fail with error.
 * all: every running job, leased or not (at start-up: no worker of this
 * data directory is alive). OUT: *n jobs touched (may be NULL). */
MC_MUST_USE int st_job_requeue(st *s, mc_time now, int all, int max_attempts,
			       const char *error, int *n, mc_err *e);
typedef int (*st_job_cb)(void *ctx, const st_job *j);
/* Jobs of agency ("" every agency), state ("" any), newest first, at most
 * limit. */
MC_MUST_USE int st_job_list(st *s, const char *agency, const char *state, int limit,
			    st_job_cb cb, void *ctx, mc_err *e);

/* Removes the text of file sha256 (before a run writes it anew). */
MC_MUST_USE int st_text_clear(st *s, const char *sha256, mc_err *e);
/* Stores the text of a page (1-based) of file sha256. */
MC_MUST_USE int st_text_put(st *s, const char *sha256, int page, const char *text,
			    double confidence, mc_err *e);
/* Records file derived as what the OCR job made of file sha256: kind
 * "thumbnail" or "searchable_pdf" (both files have their rows). */
MC_MUST_USE int st_derived_put(st *s, const char *sha256, const char *kind, const char *derived,
			       mc_err *e);
/* OUT: derived, the hash of file sha256's kind. MC_ENOTFOUND (no message)
 * if none. */
MC_MUST_USE int st_derived_get(st *s, const char *sha256, const char *kind, char derived[65],
			       mc_err *e);
typedef int (*st_text_cb)(void *ctx, int page, const char *text, double confidence);
/* The pages of file sha256's text, in order. */
MC_MUST_USE int st_text_list(st *s, const char *sha256, st_text_cb cb, void *ctx, mc_err *e);

#endif
