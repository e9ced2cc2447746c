/*
 * client.c - push rounds over libcurl and the node's sync thread
 * (docs/sync.md §5.4, §6). A round is stateless on the hub and resumable
 * on the node: what was acknowledged is only ever learnt from the hub's
 * signed head, so a cut anywhere costs at most the batch in flight.
 */
#include "sync/client.h"

#include "sync/batch.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <strings.h>
#include <time.h>

/* The largest answer we read from a hub. */
#define ANSWER_MAX (1u << 20)
/* Back-off: full jitter in [0, min(CAP, BASE * 2^n)] seconds. The cap
 * bounds how long a node waits after its link returns (a minute at most);
 * 300 communes trying once a minute are 5 small requests a second. */
#define BACKOFF_BASE 2.0
#define BACKOFF_CAP 60.0
/* How often the idle thread looks for events to send. */
#define IDLE_POLL_MS 1000
/* How often an idle node still asks the hub for what it sent down (and so
 * learns the hub's head): one small signed request. */
#define IDLE_PULL_S 30
/* How long one round may spend sending files (docs/sync.md §12); the rest
 * goes in the next round, started at once. */
#define FILES_BUDGET_S 60.0

typedef struct {
	char *buf;
	size_t len;
	int too_big;
	char sig[130];
} answer;

static size_t on_data(char *p, size_t size, size_t nmemb, void *ctx)
{
	answer *an = ctx;
	size_t n = size * nmemb;
	if (an->len + n > ANSWER_MAX) {
		an->too_big = 1;
		return 0;
	}
	an->buf = mc_xrealloc(an->buf, an->len + n + 1);
	memcpy(an->buf + an->len, p, n);
	an->len += n;
	an->buf[an->len] = 0;
	return n;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ctx)
{
	answer *an = ctx;
	size_t n = size * nmemb;
	static const char name[] = "motcua-signature:";
	if (n > sizeof name && strncasecmp(p, name, sizeof name - 1) == 0) {
		const char *v = p + sizeof name - 1;
		while (*v == ' ')
			v++;
		size_t m = 0;
		while (m < 128 && v + m < p + n && v[m] != '\r' && v[m] != '\n')
			m++;
		memcpy(an->sig, v, m);
		an->sig[m] = 0;
	}
	return n;
}

void sync_library_init(void)
{
	static int done;
	if (!done && curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK)
		done = 1;
}

/* Whether url is one we may send citizens' data to: https, or http on a
 * loopback address (tests, a hub on the same machine). */
static int url_allowed(const char *url)
{
	if (strncmp(url, "https://", 8) == 0)
		return 1;
	return strncmp(url, "http://127.", 11) == 0 || strncmp(url, "http://localhost:", 17) == 0 ||
	       strncmp(url, "http://localhost/", 17) == 0 || strncmp(url, "http://[::1]", 12) == 0;
}

/*
 * POSTs body to base+path on handle c (NULL: a handle for this request
 * alone). A round passes one handle to all its requests, so they share one
 * kept-alive connection (one TLS handshake on a slow link, one socket on
 * the hub). OUT: *status (0 when no answer came), an.
 */
static int post(CURL *shared, const char *base, const char *path, const char *type,
		const char *key, const char *sig, const void *body, size_t n, long *status,
		answer *an, mc_err *e)
{
	*status = 0;
	char url[700];
	size_t bl = strlen(base);
	snprintf(url, sizeof url, "%.*s%s", (int)(bl && base[bl - 1] == '/' ? bl - 1 : bl), base,
		 path);
	CURL *c = shared ? shared : curl_easy_init();
	if (!c)
		return mc_fail(e, MCE_INTERNAL, "không khởi tạo được libcurl", "cannot start libcurl");
	if (shared)
		curl_easy_reset(c); /* options only: the connection cache stays */
	struct curl_slist *h = NULL;
	char line[200];
	snprintf(line, sizeof line, "Content-Type: %s", type);
	h = curl_slist_append(h, line);
	if (key) {
		snprintf(line, sizeof line, "Motcua-Key: %s", key);
		h = curl_slist_append(h, line);
	}
	if (sig) {
		snprintf(line, sizeof line, "Motcua-Signature: %s", sig);
		h = curl_slist_append(h, line);
	}
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, an);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, an);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	/* As long as it moves: at least 1 KB/s over 20 s (docs/sync.md §6.2). */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 20L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "motcua-sync/1");
	CURLcode cr = curl_easy_perform(c);
	int rc = MC_OK;
	if (cr != CURLE_OK)
		rc = mc_fail(e, MCE_SYNC_UNREACHABLE, "không kết nối được máy chủ tỉnh %s: %s",
			     "cannot reach the hub at %s: %s", base, curl_easy_strerror(cr));
	else
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(h);
	if (!shared)
		curl_easy_cleanup(c);
	return rc;
}

int sync_enrol(app *a, const char *url, mc_time now, const char **status, mc_err *e)
{
	*status = NULL;
	if (!url_allowed(url))
		return mc_fail(e, MCE_BAD_FIELD,
			       "địa chỉ máy chủ tỉnh phải là https:// (hoặc http:// trên máy này)",
			       "the hub address must be https:// (or http:// on a loopback address)");
	json_t *req;
	int rc = app_sync_enrol_body(a, &req, e);
	if (rc)
		return rc;
	char *body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	answer an = { 0 };
	long http = 0;
	rc = post(NULL, url, APP_SYNC_ENROL_PATH, "application/json", NULL, NULL, body, strlen(body),
		  &http, &an, e);
	free(body);
	json_t *j = NULL;
	if (!rc) {
		json_error_t je;
		j = an.buf ? json_loadb(an.buf, an.len, 0, &je) : NULL;
		if (http != 200 && http != 201) {
			const json_t *err = json_object_get(j, "error");
			rc = mc_fail(e, MCE_SYNC_BAD_ANSWER, "máy chủ tỉnh từ chối đăng ký (%ld): %s",
				     "the hub refused the enrolment (%ld): %s", http,
				     json_string_value(json_object_get(err, "message"))
					     ? json_string_value(json_object_get(err, "message"))
					     : "?");
		} else if (!j) {
			rc = mc_fail(e, MCE_SYNC_BAD_ANSWER, "máy chủ tỉnh trả lời không phải JSON",
				     "the hub's answer is not JSON");
		}
	}
	/* The hub's key is pinned from this answer (trust on first use); the
	 * signature proves the answer came from that key. */
	const char *hub_key = json_string_value(json_object_get(j, "hub_key"));
	if (!rc && batch_verify(APP_SYNC_DOMAIN_HUB, APP_SYNC_ENROL_PATH, an.buf, an.len,
				hub_key ? hub_key : "", an.sig, e))
		rc = mc_fail(e, MCE_SYNC_HUB_KEY_MISMATCH,
			     "phản hồi đăng ký không mang chữ ký của khoá máy chủ tỉnh",
			     "the enrolment answer is not signed by the hub's key");
	if (!rc)
		rc = app_sync_enrolled(a, url, j, now, e);
	if (!rc) {
		const char *s = json_string_value(json_object_get(j, "status"));
		*status = s && strcmp(s, "approved") == 0 ? "approved" : "pending";
	}
	json_decref(j);
	free(an.buf);
	return rc;
}

/* ---- rounds ---- */

/*
 * One signed request of a round and its answer. A transport failure (no
 * answer, or one too large) is recorded as sync.unreachable and returns
 * MC_EIO with the reason in e. Otherwise OUT: *http, *j (the answer parsed,
 * NULL if not JSON; decref it) and *signed_ok (the hub's signature holds).
 */
static int exchange(CURL *c, app *a, const app_sync_cfg *cfg, const char *path, const char *type,
		    const char *sig, const char *body, size_t n, sync_round_stats *st, long *http,
		    json_t **j, int *signed_ok, mc_err *e)
{
	answer an = { 0 };
	mc_err pe;
	int rc = post(c, cfg->url, path, type, app_pubkey(a), sig, body, n, http, &an, &pe);
	st->bytes_up += (int64_t)n;
	st->bytes_down += (int64_t)an.len;
	if (rc || an.too_big) {
		if (!rc)
			mc_fail(&pe, MCE_SYNC_BAD_ANSWER, "phản hồi của máy chủ tỉnh quá lớn",
				"the hub's answer is too large");
		rc = app_sync_failed(a, "sync.unreachable", mc_errmsg(&pe, 0), cfg->batch_bytes,
				     app_now(), e);
		free(an.buf);
		if (!rc)
			*e = pe;
		return MC_EIO;
	}
	json_error_t je;
	*j = an.buf ? json_loadb(an.buf, an.len, 0, &je) : NULL;
	mc_err ve;
	/* The hub signs its answer over the path without the query (what
	 * the server routes on). */
	char apath[200];
	snprintf(apath, sizeof apath, "%.*s", (int)strcspn(path, "?"), path);
	*signed_ok = *j && app_sync_check_answer(a, apath, an.buf, an.len, an.sig, &ve) == MC_OK;
	free(an.buf);
	return MC_OK;
}

/* Pushes one batch. OUT: *done 1 when nothing was left to send. */
static int push_one(CURL *c, app *a, const app_sync_cfg *cfg, sync_round_stats *st, int *done,
		    mc_err *e)
{
	*done = 0;
	char *body = NULL, sig[129];
	size_t n = 0;
	int64_t last = 0;
	mc_time now = app_now();
	int rc = app_sync_next_batch(a, cfg->batch_bytes, now, &body, &n, sig, &last, e);
	if (rc)
		return rc;
	if (n == 0) {
		*done = 1;
		return MC_OK;
	}
	long http = 0;
	json_t *j = NULL;
	int signed_ok = 0;
	rc = exchange(c, a, cfg, APP_SYNC_PUSH_PATH, "application/vnd.motcua.batch+zstd", sig, body,
		      n, st, &http, &j, &signed_ok, e);
	free(body);
	if (rc)
		return rc;
	const json_t *err = json_object_get(j, "error");
	const char *code = json_string_value(json_object_get(err, "code"));
	const char *msg = json_string_value(json_object_get(err, "message"));
	if (!signed_ok) {
		/* Not the hub speaking (a proxy's error page, a cut answer). */
		char m[300];
		snprintf(m, sizeof m, "HTTP %ld: %s", http,
			 j ? "the answer is not signed by the hub" : "no answer the hub signed");
		rc = app_sync_failed(a, http >= 500 || http == 429 || !j ? "sync.unreachable"
									 : "sync.hub_key_mismatch",
				     m, cfg->batch_bytes, app_now(), e);
		json_decref(j);
		if (!rc)
			rc = mc_fail(e, MCE_SYNC_BAD_ANSWER, "máy chủ tỉnh trả lời lỗi: %s",
				     "the hub answered with an error: %s", m);
		return rc ? rc : MC_EIO;
	}
	rc = app_sync_record(a, (int)http, j, http == 200 ? NULL : code ? code : "sync.bad_answer",
			     msg, cfg->batch_bytes, app_now(), e);
	if (!rc && http == 200) {
		st->batches++;
		const char *status = json_string_value(json_object_get(j, "status"));
		if (status && strcmp(status, "applied") == 0)
			st->events += last - cfg->acked_seq;
	} else if (!rc) {
		rc = mc_fail(e, MCE_SYNC_BAD_ANSWER, "máy chủ tỉnh từ chối gói (%s): %s",
			     "the hub refused the batch (%s): %s", code ? code : "?", msg ? msg : "");
		/* A refusal that carries the hub's head (a gap, a restored hub, an
		 * old batch) is repaired by the head just recorded: go on. */
		if (code && (strcmp(code, "sync.gap") == 0 || strcmp(code, "sync.epoch_changed") == 0 ||
			     strcmp(code, "sync.replayed") == 0))
			rc = MC_OK;
		else
			rc = MC_ECONFLICT;
	}
	json_decref(j);
	return rc;
}

/* Pulls one page of items. OUT: *more 1 when the hub has more. */
static int pull_one(CURL *c, app *a, const app_sync_cfg *cfg, sync_round_stats *st, int *more,
		    mc_err *e)
{
	*more = 0;
	char *body = NULL, sig[129];
	int rc = app_sync_pull_body(a, cfg->batch_bytes, &body, sig, e);
	if (rc)
		return rc;
	size_t n = strlen(body);
	long http = 0;
	json_t *j = NULL;
	int signed_ok = 0;
	rc = exchange(c, a, cfg, APP_SYNC_PULL_PATH, "application/json", sig, body, n, st, &http, &j,
		      &signed_ok, e);
	free(body);
	if (rc)
		return rc;
	if (!signed_ok || http != 200) {
		const json_t *err = json_object_get(j, "error");
		const char *code = json_string_value(json_object_get(err, "code"));
		const char *msg = json_string_value(json_object_get(err, "message"));
		char m[300];
		snprintf(m, sizeof m, "HTTP %ld: %s", http,
			 !signed_ok ? "the answer is not signed by the hub" : msg ? msg : "?");
		const char *rec = !signed_ok ? (http >= 500 || http == 429 || !j ? "sync.unreachable"
										 : "sync.hub_key_mismatch")
					     : code ? code : "sync.bad_answer";
		rc = app_sync_failed(a, rec, m, cfg->batch_bytes, app_now(), e);
		json_decref(j);
		if (!rc)
			rc = mc_fail(e, MCE_SYNC_BAD_ANSWER, "máy chủ tỉnh không cho lấy dữ liệu: %s",
				     "the hub refused the pull: %s", m);
		return rc ? rc : MC_EIO;
	}
	int applied = 0;
	int64_t high = 0;
	rc = app_sync_apply_pull(a, j, app_now(), &applied, &high, e);
	if (!rc) {
		st->items += applied;
		*more = json_is_true(json_object_get(j, "more")) &&
			json_array_size(json_object_get(j, "items")) > 0;
	}
	json_decref(j);
	return rc;
}


/* ---- files (docs/sync.md §12) ---- */

static double mono_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A refusal about this file alone: the node records it and goes on. */
static int file_refusal(const char *code)
{
	static const char *const own[] = { "file.mismatch", "sync.file_unknown", "file.too_large",
					   "file.bad_field", "file.not_found" };
	for (size_t i = 0; code && i < MC_ARRAY_LEN(own); i++)
		if (strcmp(code, own[i]) == 0)
			return 1;
	return 0;
}

/* An answer that is not the hub's, or a refusal that concerns the node
 * (its key): the round fails, as a push's would. */
static int file_failed(app *a, const app_sync_cfg *cfg, long http, const json_t *j, int signed_ok,
		       mc_err *e)
{
	const json_t *err = json_object_get(j, "error");
	const char *code = json_string_value(json_object_get(err, "code"));
	const char *msg = json_string_value(json_object_get(err, "message"));
	char m[300];
	snprintf(m, sizeof m, "HTTP %ld: %s", http,
		 !signed_ok ? "the answer is not signed by the hub" : msg ? msg : "?");
	const char *rec = !signed_ok ? (http >= 500 || http == 429 || !j ? "sync.unreachable"
									 : "sync.hub_key_mismatch")
				     : code ? code : "sync.bad_answer";
	int rc = app_sync_failed(a, rec, m, cfg->batch_bytes, app_now(), e);
	if (!rc)
		rc = mc_fail(e, MCE_SYNC_BAD_ANSWER, "máy chủ tỉnh không nhận tệp: %s",
			     "the hub refused a file: %s", m);
	return rc ? rc : MC_EIO;
}

/* Sends file o from offset until the hub stored it, refused it, or the
 * deadline. OUT: *late 1 when the deadline stopped it. */
static int send_file(CURL *c, app *a, const app_sync_cfg *cfg, const app_sync_offer *o,
		     int64_t offset, double deadline, sync_round_stats *st, int *late, mc_err *e)
{
	int64_t last_refused = -1;
	*late = 0;
	for (;;) {
		if (mono_s() > deadline) {
			*late = 1;
			return MC_OK;
		}
		char *data = NULL, path[160], sig[129];
		size_t n = 0;
		int rc = app_sync_file_chunk(a, o->sha256, offset, app_sync_file_chunk_size(a), &data,
					     &n, path, sig, e);
		if (rc)
			return rc;
		long http = 0;
		json_t *j = NULL;
		int signed_ok = 0;
		rc = exchange(c, a, cfg, path, "application/octet-stream", sig, data, n, st, &http, &j,
			      &signed_ok, e);
		free(data);
		st->file_bytes += (int64_t)n;
		mc_err ig;
		if (rc) {
			/* A cut: the next chunk is smaller; the hub keeps what landed. */
			MC_IGNORE(app_sync_file_result(a, o->sha256, (int64_t)n, -1, NULL, NULL, NULL,
						       app_now(), &ig));
			return rc;
		}
		const json_t *err = json_object_get(j, "error");
		const char *code = json_string_value(json_object_get(err, "code"));
		const char *msg = json_string_value(json_object_get(err, "message"));
		if (signed_ok && (http == 200 || http == 201)) {
			int done = http == 201 && json_is_true(json_object_get(j, "complete"));
			offset = json_integer_value(json_object_get(j, "offset"));
			rc = app_sync_file_result(a, o->sha256, (int64_t)n, 1,
						  done ? "confirmed" : NULL, NULL, NULL, app_now(), e);
			json_decref(j);
			if (rc || done) {
				st->files += !rc;
				return rc;
			}
			continue;
		}
		if (signed_ok && http == 409 && json_is_integer(json_object_get(j, "expected_offset"))) {
			/* The hub holds another length (a lost answer): resume there,
			 * once; the same refusal twice is not progress. */
			int64_t want = json_integer_value(json_object_get(j, "expected_offset"));
			json_decref(j);
			rc = app_sync_file_result(a, o->sha256, (int64_t)n, 0, NULL, NULL, NULL,
						  app_now(), e);
			if (rc)
				return rc;
			if (want == last_refused)
				return mc_fail(e, MCE_SYNC_BAD_ANSWER,
					       "máy chủ tỉnh không nhận tiếp tệp %.16s…",
					       "the hub does not move forward on file %.16s...",
					       o->sha256);
			last_refused = offset = want;
			continue;
		}
		if (signed_ok && file_refusal(code)) {
			fprintf(stderr, "sync: the hub refused file %s: %s: %s\n", o->sha256, code,
				msg ? msg : "");
			rc = app_sync_file_result(a, o->sha256, (int64_t)n, 0, "refused", code,
						  msg ? msg : "", app_now(), e);
			json_decref(j);
			return rc;
		}
		rc = file_failed(a, cfg, http, j, signed_ok, e);
		json_decref(j);
		return rc;
	}
}

/* After the events: offers and sends files for at most FILES_BUDGET_S, so
 * a large file never holds back the next round's events. */
static int files_step(CURL *c, app *a, sync_round_stats *st, mc_err *e)
{
	double deadline = mono_s() + FILES_BUDGET_S;
	app_sync_offer list[APP_SYNC_FILES_WANT_MAX];
	/* Tests that play the node's part by hand push its events alone. */
	const char *off = getenv("MOTCUA_TEST_NO_FILES");
	if (off && *off == '1')
		return MC_OK;
	for (int pass = 0; pass < 10000; pass++) {
		app_sync_cfg cfg;
		int rc = app_sync_config(a, &cfg, e);
		if (rc || !cfg.url[0] || cfg.stopped || mono_s() > deadline)
			return rc;
		size_t n = 0;
		char *body = NULL, sig[129];
		rc = app_sync_files_offer(a, APP_SYNC_FILES_WANT_MAX, list, &n, &body, sig, e);
		if (rc || n == 0)
			return rc;
		long http = 0;
		json_t *j = NULL;
		int signed_ok = 0;
		rc = exchange(c, a, &cfg, APP_SYNC_FILES_WANT_PATH, "application/json", sig, body,
			      strlen(body), st, &http, &j, &signed_ok, e);
		free(body);
		if (rc)
			return rc;
		if (!signed_ok || http != 200) {
			rc = file_failed(a, &cfg, http, j, signed_ok, e);
			json_decref(j);
			return rc;
		}
		int moved = 0, late = 0;
		size_t i;
		const json_t *it;
		json_array_foreach(json_object_get(j, "files"), i, it) {
			const char *sha = json_string_value(json_object_get(it, "sha256"));
			const char *state = json_string_value(json_object_get(it, "state"));
			const app_sync_offer *o = NULL;
			for (size_t k = 0; sha && k < n && !o; k++)
				if (strcmp(list[k].sha256, sha) == 0)
					o = &list[k];
			if (!o || !state)
				continue;
			if (strcmp(state, "held") == 0) {
				rc = app_sync_file_result(a, sha, 0, 0, "confirmed", NULL, NULL,
							  app_now(), e);
				st->files += !rc;
			} else if (strcmp(state, "unknown") == 0) {
				fprintf(stderr, "sync: the hub knows no accepted event naming file %s\n",
					sha);
				rc = app_sync_file_result(a, sha, 0, 0, "refused", "sync.file_unknown",
							  "no event of this node the hub accepted names "
							  "this file",
							  app_now(), e);
			} else if (!late) {
				rc = send_file(c, a, &cfg, o,
					       json_integer_value(json_object_get(it, "offset")),
					       deadline, st, &late, e);
			}
			if (rc)
				break;
			moved += !late;
		}
		json_decref(j);
		if (rc || late)
			return rc;
		if (!moved)
			return mc_fail(e, MCE_SYNC_BAD_ANSWER,
				       "máy chủ tỉnh không trả lời về các tệp được đề nghị",
				       "the hub's answer names none of the files offered");
	}
	return MC_OK;
}

/* Fetches attachment f from what this node holds until it is stored, the
 * hub refuses it (counted; left after APP_SYNC_FETCH_TRIES), or the
 * deadline. A cut fails the round, as a push's would. */
static int fetch_one(CURL *c, app *a, const app_sync_fetch *f, double deadline,
		     sync_round_stats *st, mc_err *e)
{
	int64_t off = f->received;
	for (int complete = 0, empty = 0; !complete;) {
		app_sync_cfg cfg;
		int rc = app_sync_config(a, &cfg, e);
		if (rc || !cfg.url[0] || cfg.stopped || mono_s() > deadline)
			return rc;
		char path[200], sig[129];
		rc = app_sync_fetch_sign(a, f->sha256, off, app_sync_file_chunk_size(a), path, sig, e);
		if (rc)
			return rc;
		answer an = { 0 };
		long http = 0;
		mc_err pe;
		rc = post(c, cfg.url, path, "application/octet-stream", app_pubkey(a), sig, "", 0,
			  &http, &an, &pe);
		st->bytes_down += (int64_t)an.len;
		if (rc || an.too_big || http >= 500 || http == 429 || http == 0) {
			if (!rc)
				mc_fail(&pe, MCE_SYNC_BAD_ANSWER, "máy chủ tỉnh trả lời HTTP %ld",
					"the hub answered HTTP %ld", http);
			free(an.buf);
			/* A cut: ask for less next time, as a send would. */
			mc_err ig;
			MC_IGNORE(app_sync_chunk_result(a, -1, 0, &ig));
			rc = app_sync_failed(a, "sync.unreachable", mc_errmsg(&pe, 0), cfg.batch_bytes,
					     app_now(), e);
			if (!rc)
				*e = pe;
			return MC_EIO;
		}
		if (http != 200) {
			/* The hub publishes no such attachment, or refuses the
			 * request: count it against this file and go on. */
			json_error_t je;
			json_t *j = an.buf ? json_loadb(an.buf, an.len, 0, &je) : NULL;
			const char *msg = json_string_value(
				json_object_get(json_object_get(j, "error"), "message"));
			char m[300];
			snprintf(m, sizeof m, "HTTP %ld: %s", http, msg ? msg : "?");
			fprintf(stderr, "sync: the hub refused attachment %s: %s\n", f->sha256, m);
			json_decref(j);
			free(an.buf);
			return app_sync_fetch_failed(a, f->sha256, m, e);
		}
		mc_err ce;
		rc = app_sync_fetch_chunk(a, f->sha256, off, an.buf ? an.buf : "", an.len, app_now(),
					  &complete, &ce);
		off += (int64_t)an.len;
		free(an.buf);
		if (rc == MC_ECONFLICT || (rc && ce.id == MCE_FILE_MISMATCH) ||
		    (!complete && an.len == 0 && ++empty > 1)) {
			/* Out of step (a crash between the bytes and their
			 * record) or damaged: the next round starts it again. */
			fprintf(stderr, "sync: attachment %s: %s\n", f->sha256,
				rc ? mc_errmsg(&ce, 0) : "the hub sent nothing");
			return rc ? MC_OK : app_sync_fetch_failed(a, f->sha256, "empty answer", e);
		}
		if (rc) {
			*e = ce;
			return rc;
		}
		rc = app_sync_chunk_result(a, 1, complete, e);
		if (rc)
			return rc;
		st->files += complete;
	}
	return MC_OK;
}

/* After the node's own files: the attachments the hub's items named. */
static int fetch_step(CURL *c, app *a, sync_round_stats *st, mc_err *e)
{
	double deadline = mono_s() + FILES_BUDGET_S;
	app_sync_fetch list[16];
	size_t n = 0;
	int rc = app_sync_fetch_list(a, MC_ARRAY_LEN(list), list, &n, e);
	for (size_t i = 0; !rc && i < n; i++)
		rc = fetch_one(c, a, &list[i], deadline, st, e);
	return rc;
}

static int round_on(CURL *c, app *a, sync_round_stats *st, mc_err *e);

int sync_round(app *a, sync_round_stats *st, mc_err *e)
{
	memset(st, 0, sizeof *st);
	CURL *c = curl_easy_init();
	if (!c)
		return mc_fail(e, MCE_INTERNAL, "không khởi tạo được libcurl", "cannot start libcurl");
	int rc = round_on(c, a, st, e);
	curl_easy_cleanup(c);
	return rc;
}

static int round_on(CURL *c, app *a, sync_round_stats *st, mc_err *e)
{
	int rc = MC_OK, done = 0, refusals = 0;
	/* First what the province sent down: a node that cannot push (a
	 * refusal) still gets its schedules. */
	for (int i = 0, more = 1; more && i < 1000; i++) {
		app_sync_cfg cfg;
		rc = app_sync_config(a, &cfg, e);
		if (!rc && (!cfg.url[0] || cfg.stopped))
			break;
		if (!rc)
			rc = pull_one(c, a, &cfg, st, &more, e);
		if (rc)
			return rc;
	}
	for (int i = 0; i < 100000 && !done; i++) {
		app_sync_cfg cfg;
		rc = app_sync_config(a, &cfg, e);
		if (rc)
			break;
		if (!cfg.url[0]) {
			rc = mc_fail(e, MCE_SYNC_NOT_ENROLLED,
				     "máy xã chưa đăng ký với máy chủ tỉnh: chạy motcua enrol --hub URL",
				     "this node has not enrolled with a hub: run motcua enrol --hub URL");
			break;
		}
		if (cfg.stopped) {
			rc = mc_fail(e, MCE_CONFLICT,
				     "đồng bộ đang dừng sau một lỗi cần quản trị xử lý (motcua sync status)",
				     "sync is stopped after an error an administrator must fix (motcua sync status)");
			break;
		}
		int64_t before = cfg.acked_seq;
		rc = push_one(c, a, &cfg, st, &done, e);
		if (rc)
			break;
		if (!done && app_sync_config(a, &cfg, e) == MC_OK && cfg.acked_seq == before &&
		    ++refusals > 3) {
			rc = mc_fail(e, MCE_SYNC_BAD_ANSWER,
				     "máy chủ tỉnh không tiến thêm sau nhiều lần gửi",
				     "the hub does not move forward after several batches");
			break;
		}
	}
	/* Files flow after the events: the hub must know the hash belongs to
	 * one of this node's dossiers first. */
	if (!rc)
		rc = files_step(c, a, st, e);
	if (!rc)
		rc = fetch_step(c, a, st, e);
	app_sync_cfg end;
	mc_err ignored;
	if (app_sync_config(a, &end, &ignored) == MC_OK) {
		st->waiting = end.local_seq > end.acked_seq ? end.local_seq - end.acked_seq : 0;
		st->files_waiting = end.files_waiting;
	}
	return rc;
}

/* ---- the sync thread ---- */

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int running, stop, kicked;
	char dir[512];
} g = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

void sync_client_kick(void)
{
	pthread_mutex_lock(&g.mu);
	g.kicked = 1;
	pthread_cond_signal(&g.cv);
	pthread_mutex_unlock(&g.mu);
}

/* Waits up to ms or until kicked or stopped. Returns 1 to stop, 2 when
 * kicked (a round is wanted now), 0 after ms. */
static int wait_ms(long ms)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&g.mu);
	while (!g.stop && !g.kicked)
		if (pthread_cond_timedwait(&g.cv, &g.mu, &t) != 0)
			break;
	int r = g.stop ? 1 : g.kicked ? 2 : 0;
	g.kicked = 0;
	pthread_mutex_unlock(&g.mu);
	return r;
}

static long backoff_ms(int failures)
{
	double cap = BACKOFF_BASE;
	for (int i = 0; i < failures && cap < BACKOFF_CAP; i++)
		cap *= 2;
	if (cap > BACKOFF_CAP)
		cap = BACKOFF_CAP;
	/* Full jitter (docs/sync.md §6.2), at least a tenth of a second. */
	uint32_t r = randombytes_uniform(1000000u);
	long ms = (long)(cap * 1000.0 * (double)r / 1e6);
	return ms < 100 ? 100 : ms;
}

static void *thread_main(void *arg)
{
	app *a = NULL;
	mc_err e;
	if (app_open(g.dir, &a, &e)) {
		fprintf(stderr, "sync: cannot open %s: %s\n", g.dir, mc_errmsg(&e, 0));
		return NULL;
	}
	int failures = 0, files_left = 0;
	long wait = 0;
	struct timespec last = { 0 };
	for (;;) {
		int w = wait_ms(wait);
		if (w == 1)
			break;
		app_sync_cfg cfg;
		if (app_sync_config(a, &cfg, &e) || !cfg.url[0] || cfg.stopped) {
			wait = 5000;
			continue;
		}
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (w != 2 && cfg.local_seq <= cfg.acked_seq && failures == 0 && last.tv_sec &&
		    t.tv_sec - last.tv_sec < IDLE_PULL_S && !files_left) {
			wait = IDLE_POLL_MS;
			continue;
		}
		last = t;
		sync_round_stats st;
		if (sync_round(a, &st, &e) == MC_OK) {
			/* A round that ran out of its files' time goes on at once. */
			files_left = st.files_waiting > 0 && st.file_bytes > 0;
			failures = 0;
			wait = IDLE_POLL_MS;
		} else {
			failures++;
			wait = backoff_ms(failures);
			fprintf(stderr, "sync: round failed (%d in a row, next in %.1f s): %s\n",
				failures, (double)wait / 1000.0, mc_errmsg(&e, 0));
		}
	}
	app_close(a);
	return NULL;
}

int sync_client_start(const char *dir, mc_err *e)
{
	if (g.running)
		return MC_OK;
	snprintf(g.dir, sizeof g.dir, "%s", dir);
	g.stop = 0;
	g.kicked = 0;
	if (pthread_create(&g.thread, NULL, thread_main, NULL) != 0)
		return mc_fail(e, MCE_SERVE_START, "không khởi động được luồng đồng bộ",
			       "cannot start the sync thread");
	g.running = 1;
	return MC_OK;
}

void sync_client_stop(void)
{
	if (!g.running)
		return;
	pthread_mutex_lock(&g.mu);
	g.stop = 1;
	pthread_cond_signal(&g.cv);
	pthread_mutex_unlock(&g.mu);
	pthread_join(g.thread, NULL);
	g.running = 0;
}
