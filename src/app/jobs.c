/*
 * jobs.c - background jobs: the OCR queue and its workers (see jobs.h).
 */
#include "app/jobs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/app_int.h"
#include "app/files.h"
#include "doc/ocr.h"
#include "store/blob.h"
#include "store/st_files.h"
#include "store/st_jobs.h"
#include "store/st_search.h"

/* ---- reading ---- */

static int officer_here(app *a, const app_actor *by)
{
	return by && by->role != 0 && strcmp(by->agency, a->agency) == 0;
}

static json_t *job_json(const st_job *j)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:i, s:i, s:i, s:s, s:o}", "id",
			      (json_int_t)j->id, "kind", j->kind, "ref", j->ref, "state", j->state,
			      "attempts", j->attempts, "pages_done", j->pages_done, "pages_total",
			      j->pages_total, "error", j->error, "created_at",
			      app_json_time(j->created_at));
	if (o && j->started_at)
		json_object_set_new(o, "started_at", app_json_time(j->started_at));
	if (o && j->finished_at)
		json_object_set_new(o, "finished_at", app_json_time(j->finished_at));
	return o;
}

static int list_one(void *ctx, const st_job *j)
{
	json_array_append_new(ctx, job_json(j));
	return 0;
}

static const char *const states[] = { "queued", "running", "done", "failed", NULL };

int app_jobs_list(app *a, const app_actor *by, const char *state, json_t **out, mc_err *e)
{
	*out = NULL;
	if (!officer_here(a, by))
		return mc_fail(e, MCE_FORBIDDEN, "chỉ cán bộ của đơn vị xem được các việc chạy nền",
			       "only the agency's officers see its background jobs");
	int ok = !state || !*state;
	for (int i = 0; !ok && states[i]; i++)
		ok = strcmp(state, states[i]) == 0;
	if (!ok)
		return mc_fail(e, MCE_BAD_FIELD,
			       "trạng thái '%.40s' không hợp lệ: queued, running, done hoặc failed",
			       "state '%.40s' is not one of queued, running, done, failed", state);
	json_t *items = json_array();
	int rc = st_job_list(a->st, a->agency, state ? state : "", 500, list_one, items, e);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return MC_OK;
}

static json_t *ocr_json(const st_job *j)
{
	json_t *o = json_pack("{s:s, s:i, s:i}", "state", j->state, "pages_done", j->pages_done,
			      "pages_total", j->pages_total);
	if (o && strcmp(j->state, "failed") == 0)
		json_object_set_new(o, "error", json_string(j->error));
	return o;
}

json_t *app_file_ocr(app *a, const char *sha256)
{
	st_job j;
	mc_err e;
	if (st_job_of(a->st, "ocr", sha256, &j, &e))
		return NULL;
	return ocr_json(&j);
}

static int text_one(void *ctx, int page, const char *text, double conf)
{
	json_array_append_new(ctx, json_pack("{s:i, s:s, s:f}", "page", page, "text", text,
					     "confidence", conf));
	return 0;
}

int app_file_text(app *a, const app_actor *by, const char *sha256, json_t **out, mc_err *e)
{
	*out = NULL;
	int held = 0;
	int rc = blob_sha_valid(sha256) ? st_dfile_held(a->st, a->agency, sha256, &held, e) : 0;
	if (rc)
		return rc;
	if (!held || !officer_here(a, by))
		return mc_fail(e, MCE_FILE_NOT_FOUND, "không có tệp '%.70s'", "no file '%.70s'",
			       sha256 ? sha256 : "");
	json_t *pages = json_array();
	rc = st_text_list(a->st, sha256, text_one, pages, e);
	if (rc) {
		json_decref(pages);
		return rc;
	}
	json_t *ocr = app_file_ocr(a, sha256);
	*out = json_pack("{s:s, s:o, s:o}", "sha256", sha256, "ocr", ocr ? ocr : json_null(),
			 "pages", pages);
	return MC_OK;
}

/* ---- running ---- */

int app_jobs_requeue(app *a, int at_start, int *n, mc_err *e)
{
	return st_job_requeue(a->st, app_now(), at_start, APP_JOB_MAX_ATTEMPTS,
			      "nhận dạng bị ngắt nhiều lần (the worker stopped during the job "
			      "each time)",
			      n, e);
}

static pthread_mutex_t w_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t w_cv = PTHREAD_COND_INITIALIZER;
static int w_stop;

static int stopping(void)
{
	pthread_mutex_lock(&w_mu);
	int s = w_stop;
	pthread_mutex_unlock(&w_mu);
	return s;
}

typedef struct {
	app *a;
	const st_job *j;
	json_t *pages; /* [[text, confidence], ...] */
	int lost;      /* the claim is no longer ours */
} run_ctx;

static int on_page(void *ctx, int page, int pages, const char *text, double conf)
{
	run_ctx *r = ctx;
	json_array_append_new(r->pages, json_pack("[s, f]", text, conf));
	mc_err e;
	int rc = st_job_progress(r->a->st, r->j->id, r->j->attempts, page + 1, pages,
				 app_now() + APP_JOB_LEASE, &e);
	if (rc == MC_ECONFLICT)
		r->lost = 1;
	return r->lost || stopping();
}

/* The result and 'done' in one transaction: all of it or nothing. */
static int save_text(app *a, const st_job *j, json_t *pages, mc_err *e)
{
	int rc = st_begin(a->st, e);
	if (!rc)
		rc = st_text_clear(a->st, j->ref, e);
	size_t i;
	json_t *p;
	json_array_foreach(pages, i, p) {
		if (rc)
			break;
		rc = st_text_put(a->st, j->ref, (int)i + 1, json_string_value(json_array_get(p, 0)),
				 json_real_value(json_array_get(p, 1)), e);
	}
	if (!rc)
		rc = st_search_file(a->st, j->ref, e); /* found by its words */
	if (!rc)
		rc = st_job_done(a->st, j->id, j->attempts, app_now(), e);
	return st_end(a->st, rc, e);
}

static int run_ocr(app *a, struct doc_ocr **ocr, const st_job *j, mc_err *e)
{
	char *data = NULL;
	size_t len = 0;
	int rc = *ocr ? MC_OK : doc_ocr_new(DOC_OCR_LANG, ocr, e);
	if (!rc)
		rc = blob_read(app_dir(a), j->ref, (size_t)APP_FILE_MAX, &data, &len, e);
	if (rc)
		return rc;
	run_ctx r = { .a = a, .j = j, .pages = json_array() };
	rc = doc_ocr_file(*ocr, data, len, on_page, &r, e);
	free(data);
	if (r.lost)
		rc = MC_ECONFLICT;
	if (!rc)
		rc = save_text(a, j, r.pages, e);
	json_decref(r.pages);
	return rc;
}

int app_ocr_run_one(app *a, struct doc_ocr **ocr, int *worked, mc_err *e)
{
	*worked = 0;
	st_job j;
	int got = 0;
	mc_time now = app_now();
	int rc = st_begin(a->st, e);
	if (!rc)
		rc = st_job_claim(a->st, "ocr", now, now + APP_JOB_LEASE, &j, &got, e);
	rc = st_end(a->st, rc, e);
	if (rc || !got)
		return rc;
	*worked = 1;
	mc_err je = { 0 };
	int jrc = run_ocr(a, ocr, &j, &je);
	if (jrc == MC_OK || jrc == MC_ECONFLICT)
		return MC_OK; /* done, or no longer ours: another worker has it */
	if (je.id == MCE_OCR_STOPPED) {
		rc = st_job_release(a->st, j.id, j.attempts, e);
		return rc == MC_ECONFLICT ? MC_OK : rc;
	}
	/* Bytes that cannot be read fail at once; anything else (memory, the
	 * disk, tesseract) gets its attempts. */
	int final = je.code == MC_EINVAL || j.attempts >= APP_JOB_MAX_ATTEMPTS;
	rc = st_job_fail(a->st, j.id, j.attempts, je.msg[0] ? je.msg : "failed", final, app_now(),
			 e);
	return rc == MC_ECONFLICT ? MC_OK : rc;
}

/* ---- the workers of serve ---- */

#define MAX_WORKERS 16

static pthread_t w_th[MAX_WORKERS];
static int w_n;
static char w_dir[512];

static void *worker(void *arg)
{
	(void)arg;
	app *a = NULL;
	mc_err e;
	if (app_open(w_dir, &a, &e)) {
		fprintf(stderr, "motcua: OCR worker: %s\n", e.msg);
		return NULL;
	}
	struct doc_ocr *ocr = NULL;
	time_t last_sweep = 0;
	while (!stopping()) {
		int worked = 0;
		if (time(NULL) - last_sweep >= 30) {
			/* Leases of workers that died in another process. */
			if (app_jobs_requeue(a, 0, NULL, &e))
				fprintf(stderr, "motcua: OCR queue: %s\n", e.msg);
			last_sweep = time(NULL);
		}
		if (app_ocr_run_one(a, &ocr, &worked, &e))
			fprintf(stderr, "motcua: OCR job: %s\n", e.msg);
		if (worked)
			continue;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_mutex_lock(&w_mu);
		if (!w_stop)
			pthread_cond_timedwait(&w_cv, &w_mu, &until);
		pthread_mutex_unlock(&w_mu);
	}
	doc_ocr_free(ocr);
	app_close(a);
	return NULL;
}

/* NEEDSWORK: Debian's libtesseract uses OpenMP; with several workers each
 * may spread over every core. OMP_THREAD_LIMIT=1 in serve's environment
 * (read when libgomp loads, so not settable from here) avoids that. */
int app_jobs_start(const char *dir, int workers, mc_err *e)
{
	if (workers <= 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		workers = cores > 1 ? (int)cores - 1 : 1;
	}
	const char *env = getenv("MOTCUA_OCR_WORKERS");
	if (env && *env)
		workers = (int)strtol(env, NULL, 10);
	if (workers < 0)
		workers = 0;
	if (workers > MAX_WORKERS)
		workers = MAX_WORKERS;
	snprintf(w_dir, sizeof w_dir, "%s", dir);
	app *a;
	int rc = app_open(dir, &a, e);
	if (rc)
		return rc;
	int n = 0;
	rc = app_jobs_requeue(a, 1, &n, e);
	app_close(a);
	if (rc)
		return rc;
	if (n > 0)
		fprintf(stderr, "motcua: %d OCR job(s) left running by the last run queued again\n",
			n);
	pthread_mutex_lock(&w_mu);
	w_stop = 0;
	pthread_mutex_unlock(&w_mu);
	for (w_n = 0; w_n < workers; w_n++)
		if (pthread_create(&w_th[w_n], NULL, worker, NULL) != 0)
			break;
	return MC_OK;
}

void app_jobs_kick(void)
{
	pthread_mutex_lock(&w_mu);
	pthread_cond_signal(&w_cv);
	pthread_mutex_unlock(&w_mu);
}

void app_jobs_stop(void)
{
	pthread_mutex_lock(&w_mu);
	w_stop = 1;
	pthread_cond_broadcast(&w_cv);
	pthread_mutex_unlock(&w_mu);
	for (int i = 0; i < w_n; i++)
		pthread_join(w_th[i], NULL);
	w_n = 0;
}
