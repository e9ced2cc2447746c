/*
 * jobs.c - background jobs: the OCR queue and its workers (see jobs.h).
 */
#include "app/jobs.h"

#include <pthread.h>
#include <sodium.h>
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
	json_t *o = ocr_json(&j);
	char d[65];
	json_object_set_new(o, "thumbnail",
			    json_boolean(!st_derived_get(a->st, sha256, "thumbnail", d, &e)));
	json_object_set_new(o, "searchable_pdf",
			    json_boolean(!st_derived_get(a->st, sha256, "searchable_pdf", d, &e)));
	return o;
}

int app_file_derived(app *a, const app_actor *by, const char *sha256, const char *kind,
		     char **data, size_t *len, mc_err *e)
{
	*data = NULL;
	*len = 0;
	int held = 0;
	char d[65];
	int rc = blob_sha_valid(sha256) ? st_dfile_held(a->st, a->agency, sha256, &held, e) : 0;
	if (!rc && held && officer_here(a, by))
		rc = st_derived_get(a->st, sha256, kind, d, e);
	else if (!rc)
		rc = MC_ENOTFOUND;
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_FILE_NOT_FOUND,
			       "tệp '%.70s' không có (hoặc chưa có) %s",
			       "file '%.70s' has no %s (yet)", sha256 ? sha256 : "",
			       strcmp(kind, "thumbnail") == 0 ? "thumbnail" : "searchable PDF");
	if (rc)
		return rc;
	return blob_read(app_dir(a), d, (size_t)APP_FILE_MAX, data, len, e);
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

/* What the job makes besides the text: stored as files of their own. */
typedef struct {
	const char *kind; /* file_derived.kind */
	const char *mime;
	char sha[65];     /* "" if not made */
	int64_t size;
	int pages, width, height;
} derived;

typedef struct {
	app *a;
	const st_job *j;
	json_t *pages; /* [[text, confidence], ...] */
	int lost;      /* the claim is no longer ours */
	derived made[2]; /* the thumbnail, the searchable PDF */
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

/* Writes bytes as a blob (DIR/files/ab/cdef..., fsync'd) through a part
 * file of a fresh id. Its file row comes in the job's 'done' transaction:
 * a crash before leaves bytes no row refers to, which the start-up sweep
 * removes. OUT: sha. */
static int store_bytes(app *a, const void *data, size_t len, char sha[65], mc_err *e)
{
	unsigned char raw[16];
	char id[33];
	randombytes_buf(raw, sizeof raw);
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(id + 2 * i, 3, "%02x", raw[i]);
	blob_part p;
	int existed = 0;
	int rc = blob_part_open(app_dir(a), id, 1, &p, e);
	if (rc)
		return rc;
	rc = blob_part_append(&p, 0, data, len, e);
	if (!rc)
		rc = blob_part_hash(&p, sha, e);
	if (!rc)
		rc = blob_part_commit(app_dir(a), &p, sha, &existed, e);
	blob_part_close(&p);
	if (rc)
		MC_IGNORE(blob_part_remove(app_dir(a), id, e));
	return rc;
}

/* Makes and stores the thumbnail and, for an image scan, the searchable
 * PDF (pdf: from the reading). Neither is worth failing the job for: what
 * cannot be made is left out, and the text is saved all the same. */
static void make_derived(run_ctx *r, const char *data, size_t len, unsigned char *pdf,
			 size_t pdf_len, int pages)
{
	mc_err e;
	unsigned char *png = NULL;
	size_t png_len = 0;
	derived *t = &r->made[0], *s = &r->made[1];
	*t = (derived){ .kind = "thumbnail", .mime = "image/png", .pages = 1 };
	*s = (derived){ .kind = "searchable_pdf", .mime = "application/pdf", .pages = pages };
	if (!doc_ocr_thumbnail(data, len, APP_THUMB_SIDE, &png, &png_len, &e) &&
	    store_bytes(r->a, png, png_len, t->sha, &e) == MC_OK)
		t->size = (int64_t)png_len;
	else
		t->sha[0] = 0;
	free(png);
	if (pdf && store_bytes(r->a, pdf, pdf_len, s->sha, &e) == MC_OK)
		s->size = (int64_t)pdf_len;
	else
		s->sha[0] = 0;
}

/* The result and 'done' in one transaction: all of it or nothing. */
static int save_text(app *a, const st_job *j, json_t *pages, const derived *made, int n_made,
		     mc_err *e)
{
	int rc = st_begin(a->st, e);
	for (int i = 0; !rc && i < n_made; i++) {
		if (!made[i].sha[0])
			continue;
		st_file f = { .size = made[i].size, .pages = made[i].pages,
			      .created_at = app_now() };
		snprintf(f.sha256, sizeof f.sha256, "%s", made[i].sha);
		snprintf(f.mime, sizeof f.mime, "%s", made[i].mime);
		rc = st_file_put(a->st, &f, NULL, e);
		if (!rc)
			rc = st_derived_put(a->st, j->ref, made[i].kind, made[i].sha, e);
	}
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
	unsigned char *pdf = NULL;
	size_t pdf_len = 0;
	rc = doc_ocr_file_pdf(*ocr, data, len, on_page, &r, &pdf, &pdf_len, e);
	if (r.lost)
		rc = MC_ECONFLICT;
	if (!rc)
		make_derived(&r, data, len, pdf, pdf_len, (int)json_array_size(r.pages));
	free(pdf);
	free(data);
	if (!rc)
		rc = save_text(a, j, r.pages, r.made, 2, e);
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

/* Debian's libtesseract uses OpenMP: `motcua serve` runs with
 * OMP_THREAD_LIMIT=1 (src/cli/main.c) so that each worker keeps to its
 * core. */
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
