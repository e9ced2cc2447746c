/*
 * jobs.h - background jobs (issue 12): the text of every stored file is
 * read (OCR, doc/ocr.h) by worker threads of `serve`, from a queue kept in
 * the database. It survives restarts: a job whose worker died (kill -9,
 * power cut) is queued again, and its result and its 'done' are written in
 * one transaction, so no job is lost and none is done twice. A job that
 * fails APP_JOB_MAX_ATTEMPTS times, or on bytes that cannot be read at
 * all, stays failed with its error.
 */
#ifndef APP_JOBS_H
#define APP_JOBS_H

#include "app/app.h"

#define APP_JOB_LEASE 600       /* seconds a claim holds; renewed after each page */
#define APP_JOB_MAX_ATTEMPTS 3

/* Jobs of this node's agency for an officer (any role), newest first, at
 * most 500; state "" or NULL for all, else queued | running | done |
 * failed. OUT: *out {"items": [{"id", "kind", "ref", "state",
 * "attempts", "pages_done", "pages_total", "error", "created_at",
 * "started_at"?, "finished_at"?}]}. */
MC_MUST_USE int app_jobs_list(app *a, const app_actor *by, const char *state, json_t **out,
			      mc_err *e);

/* The text read from file sha256, for an officer of an agency one of
 * whose dossiers holds it. OUT: *out {"sha256", "ocr": {"state",
 * "pages_done", "pages_total", "error"?} or null (never queued), "pages":
 * [{"page", "text", "confidence"}] (empty until done)}. */
MC_MUST_USE int app_file_text(app *a, const app_actor *by, const char *sha256, json_t **out,
			      mc_err *e);

/* Where the OCR of file sha256 stands, for a file list: {"state",
 * "pages_done", "pages_total"}, or NULL if it was never queued (caller
 * decrefs). */
json_t *app_file_ocr(app *a, const char *sha256);

/* The largest side of a thumbnail, in pixels. */
#define APP_THUMB_SIDE 320
/* What the OCR job made of file sha256 (officers of an agency holding
 * it): kind "thumbnail" (PNG of page 1, at most APP_THUMB_SIDE pixels a
 * side) or "searchable_pdf" (an image scan as a PDF whose text can be
 * found and copied). OUT: *data, *len (caller frees). MC_ENOTFOUND
 * (file.not_found) if there is none (yet). */
MC_MUST_USE int app_file_derived(app *a, const app_actor *by, const char *sha256,
				 const char *kind, char **data, size_t *len, mc_err *e);

/* Queues again the running jobs whose worker is gone: all of them
 * (at_start: no worker of this directory is alive), else those whose
 * lease ran out. OUT: *n (may be NULL). */
MC_MUST_USE int app_jobs_requeue(app *a, int at_start, int *n, mc_err *e);

/* Claims one queued OCR job and runs it with engine *ocr (made on first
 * use with DOC_OCR_LANG; the caller doc_ocr_free's it at the end). OUT:
 * *worked = 0 if nothing was queued. A failure of the job itself is
 * recorded on the job, not returned; the error returned is the store's. */
struct doc_ocr;
MC_MUST_USE int app_ocr_run_one(app *a, struct doc_ocr **ocr, int *worked, mc_err *e);

/* Starts the workers of `serve` for data directory dir: workers threads
 * (<= 0: one per core but one, at least one; MOTCUA_OCR_WORKERS overrides,
 * 0 there starts none), each with its own app handle and engine, after
 * queueing again the jobs a previous run left running. */
MC_MUST_USE int app_jobs_start(const char *dir, int workers, mc_err *e);
/* Wakes an idle worker (a file was just stored). */
void app_jobs_kick(void);
/* Stops the workers: a page being read is finished, its job queued again
 * (without counting the attempt). Waits for them. */
void app_jobs_stop(void);

#endif
