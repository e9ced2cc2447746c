/*
 * st_jobs.c - the rows of background jobs and of files' text (schema
 * 0012). See st_jobs.h.
 */
#include "st_int.h"
#include "st_jobs.h"

#define JOB_COLS                                                                       \
	"id, kind, ref, agency, state, attempts, pages_done, pages_total, error, "    \
	"lease_until, created_at, started_at, finished_at"

static const char *const sql[Q_N] = {
	[Q_JOB_ADD] = "INSERT OR IGNORE INTO job(kind, ref, agency, created_at) VALUES (:kind, "
		      ":ref, :agency, :at)",
	[Q_JOB_CLAIM_PICK] = "SELECT id FROM job WHERE state = 'queued' AND kind = :kind ORDER "
			     "BY id LIMIT 1",
	[Q_JOB_CLAIM] = "UPDATE job SET state = 'running', attempts = attempts + 1, pages_done "
			"= 0, lease_until = :lease, started_at = :at, error = '' WHERE id = :id "
			"AND state = 'queued'",
	[Q_JOB_GET] = "SELECT " JOB_COLS " FROM job WHERE id = :id",
	[Q_JOB_OF] = "SELECT " JOB_COLS " FROM job WHERE kind = :kind AND ref = :ref",
	[Q_JOB_PROGRESS] = "UPDATE job SET pages_done = :done, pages_total = :total, "
			   "lease_until = :lease WHERE id = :id AND state = 'running' AND "
			   "attempts = :attempt",
	[Q_JOB_DONE] = "UPDATE job SET state = 'done', lease_until = 0, finished_at = :at, "
		       "pages_done = pages_total, error = '' WHERE id = :id AND state = "
		       "'running' AND attempts = :attempt",
	[Q_JOB_FAIL] = "UPDATE job SET state = CASE WHEN :final THEN 'failed' ELSE 'queued' END, "
		       "error = :error, lease_until = 0, finished_at = CASE WHEN :final THEN :at "
		       "ELSE 0 END WHERE id = :id AND state = 'running' AND attempts = :attempt",
	[Q_JOB_RELEASE] = "UPDATE job SET state = 'queued', attempts = attempts - 1, lease_until "
			  "= 0, pages_done = 0 WHERE id = :id AND state = 'running' AND attempts "
			  "= :attempt",
	[Q_JOB_REQUEUE] = "UPDATE job SET state = CASE WHEN attempts >= :max THEN 'failed' ELSE "
			  "'queued' END, error = CASE WHEN attempts >= :max THEN :error ELSE "
			  "error END, finished_at = CASE WHEN attempts >= :max THEN :at ELSE 0 "
			  "END, lease_until = 0 WHERE state = 'running' AND (:all OR lease_until "
			  "< :at)",
	[Q_JOB_LIST] = "SELECT " JOB_COLS " FROM job WHERE (:agency = '' OR agency = :agency) "
		       "AND (:state = '' OR state = :state) ORDER BY id DESC LIMIT :limit",
	[Q_TEXT_DEL] = "DELETE FROM file_text WHERE sha256 = :sha256",
	[Q_TEXT_PUT] = "INSERT OR REPLACE INTO file_text(sha256, page, text, confidence) VALUES "
		       "(:sha256, :page, :text, :conf)",
	[Q_DERIVED_PUT] = "INSERT OR REPLACE INTO file_derived(sha256, kind, derived) VALUES "
			   "(:sha256, :kind, :derived)",
	[Q_DERIVED_GET] = "SELECT derived FROM file_derived WHERE sha256 = :sha256 AND kind = :kind",
	[Q_TEXT_LIST] = "SELECT page, text, confidence FROM file_text WHERE sha256 = :sha256 "
			"ORDER BY page",
};

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static void job_of_row(const st_stmt *q, st_job *j)
{
	memset(j, 0, sizeof *j);
	j->id = st_col_int64(q, 0);
	copy(j->kind, sizeof j->kind, st_col_text(q, 1));
	copy(j->ref, sizeof j->ref, st_col_text(q, 2));
	copy(j->agency, sizeof j->agency, st_col_text(q, 3));
	copy(j->state, sizeof j->state, st_col_text(q, 4));
	j->attempts = st_col_int(q, 5);
	j->pages_done = st_col_int(q, 6);
	j->pages_total = st_col_int(q, 7);
	copy(j->error, sizeof j->error, st_col_text(q, 8));
	j->lease_until = st_col_int64(q, 9);
	j->created_at = st_col_int64(q, 10);
	j->started_at = st_col_int64(q, 11);
	j->finished_at = st_col_int64(q, 12);
}

int st_job_add(st *s, const char *kind, const char *ref, const char *agency, mc_time now,
	       int *created, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_JOB_ADD, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":kind", kind);
	st_bind_text(&q, ":ref", ref);
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":at", now);
	rc = st_exec_q(&q, "queue job", e);
	if (!rc && created)
		*created = sqlite3_changes(s->db) > 0;
	return rc;
}

static int one_job(st_stmt *q, st_job *j, mc_err *e)
{
	int rc = st_one(q, "read job", e);
	if (rc)
		return rc;
	job_of_row(q, j);
	st_reset(q);
	return MC_OK;
}

int st_job_get(st *s, int64_t id, st_job *j, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_JOB_GET, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":id", id);
	return one_job(&q, j, e);
}

int st_job_of(st *s, const char *kind, const char *ref, st_job *j, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_JOB_OF, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":kind", kind);
	st_bind_text(&q, ":ref", ref);
	return one_job(&q, j, e);
}

int st_job_claim(st *s, const char *kind, mc_time now, mc_time lease_until, st_job *j,
		 int *got, mc_err *e)
{
	*got = 0;
	st_stmt q;
	int rc = ST_Q(s, Q_JOB_CLAIM_PICK, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":kind", kind);
	rc = st_one(&q, "pick job", e);
	if (rc == MC_ENOTFOUND)
		return MC_OK;
	if (rc)
		return rc;
	int64_t id = st_col_int64(&q, 0);
	st_reset(&q);
	rc = ST_Q(s, Q_JOB_CLAIM, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":id", id);
	st_bind_int(&q, ":lease", lease_until);
	st_bind_int(&q, ":at", now);
	rc = st_exec_q(&q, "claim job", e);
	if (rc || sqlite3_changes(s->db) == 0)
		return rc;
	rc = st_job_get(s, id, j, e);
	if (!rc)
		*got = 1;
	return rc;
}

/* MC_ECONFLICT (no message) if the last statement changed no row: the job
 * is no longer the claim's. */
static int fenced(st *s, int rc)
{
	if (!rc && sqlite3_changes(s->db) == 0)
		return MC_ECONFLICT;
	return rc;
}

int st_job_progress(st *s, int64_t id, int attempt, int pages_done, int pages_total,
		    mc_time lease_until, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_JOB_PROGRESS, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":id", id);
	st_bind_int(&q, ":attempt", attempt);
	st_bind_int(&q, ":done", pages_done);
	st_bind_int(&q, ":total", pages_total);
	st_bind_int(&q, ":lease", lease_until);
	return fenced(s, st_exec_q(&q, "job progress", e));
}

int st_job_done(st *s, int64_t id, int attempt, mc_time now, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_JOB_DONE, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":id", id);
	st_bind_int(&q, ":attempt", attempt);
	st_bind_int(&q, ":at", now);
	return fenced(s, st_exec_q(&q, "finish job", e));
}

int st_job_fail(st *s, int64_t id, int attempt, const char *error, int final, mc_time now,
		mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_JOB_FAIL, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":id", id);
	st_bind_int(&q, ":attempt", attempt);
	st_bind_text(&q, ":error", error);
	st_bind_int(&q, ":final", final != 0);
	st_bind_int(&q, ":at", now);
	return fenced(s, st_exec_q(&q, "fail job", e));
}

int st_job_release(st *s, int64_t id, int attempt, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_JOB_RELEASE, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":id", id);
	st_bind_int(&q, ":attempt", attempt);
	return fenced(s, st_exec_q(&q, "release job", e));
}

int st_job_requeue(st *s, mc_time now, int all, int max_attempts, const char *error, int *n,
		   mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_JOB_REQUEUE, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":at", now);
	st_bind_int(&q, ":all", all != 0);
	st_bind_int(&q, ":max", max_attempts);
	st_bind_text(&q, ":error", error);
	rc = st_exec_q(&q, "requeue jobs", e);
	if (!rc && n)
		*n = sqlite3_changes(s->db);
	return rc;
}

int st_job_list(st *s, const char *agency, const char *state, int limit, st_job_cb cb,
		void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_JOB_LIST, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency ? agency : "");
	st_bind_text(&q, ":state", state ? state : "");
	st_bind_int(&q, ":limit", limit);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_job j;
		job_of_row(&q, &j);
		if (cb(ctx, &j))
			break;
	}
	return st_walk_end(&q, rc, "list jobs", e);
}

int st_text_clear(st *s, const char *sha256, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TEXT_DEL, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", sha256);
	return st_exec_q(&q, "clear file text", e);
}

int st_text_put(st *s, const char *sha256, int page, const char *text, double confidence,
		mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TEXT_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", sha256);
	st_bind_int(&q, ":page", page);
	st_bind_text(&q, ":text", text);
	st_bind_double(&q, ":conf", confidence);
	return st_exec_q(&q, "save file text", e);
}

int st_derived_put(st *s, const char *sha256, const char *kind, const char *derived, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DERIVED_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", sha256);
	st_bind_text(&q, ":kind", kind);
	st_bind_text(&q, ":derived", derived);
	return st_exec_q(&q, "record a derived file", e);
}

int st_derived_get(st *s, const char *sha256, const char *kind, char derived[65], mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DERIVED_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", sha256);
	st_bind_text(&q, ":kind", kind);
	rc = st_one(&q, "read a derived file", e);
	if (!rc)
		snprintf(derived, 65, "%s", st_col_text(&q, 0));
	st_reset(&q);
	return rc;
}

int st_text_list(st *s, const char *sha256, st_text_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_TEXT_LIST, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", sha256);
	while ((rc = st_step(&q)) == SQLITE_ROW)
		if (cb(ctx, st_col_int(&q, 0), st_col_text(&q, 1), st_col_double(&q, 2)))
			break;
	return st_walk_end(&q, rc, "read file text", e);
}
