/*
 * srv.c - the HTTP server on libmicrohttpd: epoll with an internal thread
 * pool sized to the cores (DESIGN §8: as fast as nginx here), request
 * bodies capped at 1 MiB, timeouts so a slow client cannot hold a thread,
 * one access-log line per request, and a clean stop on SIGINT/SIGTERM.
 * Each pool thread has its own SQLite connection (SQLite connections are
 * not shared between threads here; WAL lets readers run beside the writer).
 */
#include "http/http.h"

#include "core/txt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DRAIN_MAX (32u << 20)

static char g_dir[512];
static pthread_mutex_t g_apps_mu = PTHREAD_MUTEX_INITIALIZER;
static app *g_apps[64];
static int g_napps;
static __thread app *tls_app;
static volatile sig_atomic_t g_stop;

typedef struct {
	http_req r;
	char *buf; /* body being received */
	size_t len, cap;
	int too_big;
	size_t limit;
	size_t drained; /* bytes of an oversized body read and thrown away */
	double t0;
	char path[1024];
	int answered;
	int too_many_params; /* the query was emptied by on_uri */
} conn_state;

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* This thread's connection, opened on first use and closed at shutdown. */
static app *thread_app(mc_err *e)
{
	if (tls_app)
		return tls_app;
	app *a;
	if (app_open(g_dir, &a, e))
		return NULL;
	pthread_mutex_lock(&g_apps_mu);
	if (g_napps < (int)MC_ARRAY_LEN(g_apps)) {
		g_apps[g_napps++] = a;
		tls_app = a;
	}
	pthread_mutex_unlock(&g_apps_mu);
	if (!tls_app) {
		app_close(a);
		mc_seterr(e, MC_EIO, "too many server threads");
	}
	return tls_app;
}

static mc_time clock_now(void)
{
	const char *pin = getenv("MOTCUA_TEST_NOW");
	mc_time t;
	mc_err e;
	if (pin && *pin && cal_parse_datetime(pin, &t, &e) == MC_OK)
		return t;
	return (mc_time)time(NULL);
}

const char *http_arg(http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	int *ok = cls;
	if ((key && (!txt_utf8_valid(key, strlen(key)) || txt_has_control(key))) ||
	    (value && (!txt_utf8_valid(value, strlen(value)) || txt_has_control(value)))) {
		*ok = 0;
		return MHD_NO;
	}
	return MHD_YES;
}

typedef struct {
	size_t n, bytes;
} kv_count;

static enum MHD_Result count_kv(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *value)
{
	kv_count *c = cls;
	c->n++;
	c->bytes += (key ? strlen(key) : 0) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

#define MAX_PARAMS 100 /* query parameters of one request */

/* Our own limits on the request head, tighter than what MHD's memory pool
 * allows, so that an oversized head gets a JSON 4xx at once. */
static int head_too_large(struct MHD_Connection *c, const char *url, http_req *r)
{
	kv_count h = { 0, 0 }, q = { 0, 0 };
	MHD_get_connection_values(c, MHD_HEADER_KIND, count_kv, &h);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, count_kv, &q);
	if (h.n > 100 || h.bytes > 16 * 1024) {
		http_error(r, 431, "headers_too_large",
			   "the request has too many or too large headers (at most 100, 16 KB)");
		return 1;
	}
	/* (Too many parameters were caught by on_uri, before MHD split them.) */
	if (q.bytes + strlen(url) > 16 * 1024) {
		http_error(r, 414, "uri_too_long", "the address is too long (at most 16 KB)");
		return 1;
	}
	return 0;
}

int http_args_valid(http_req *r)
{
	int ok = 1;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &ok);
	return ok;
}

static void client_address(struct MHD_Connection *c, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, size, "?");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
			  (socklen_t)size);
}

static enum MHD_Result respond(struct MHD_Connection *c, conn_state *cs)
{
	http_req *r = &cs->r;
	char *body;
	size_t len;
	const char *type = "application/json; charset=utf-8";
	if (r->raw) {
		body = r->raw;
		len = r->raw_len;
		type = r->raw_type;
		r->raw = NULL;
	} else {
		if (!r->json)
			http_error(r, 500, "internal", "no response");
		body = json_dumps(r->json, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
		if (!body)
			body = mc_xstrdup("{\"error\":{\"code\":\"internal\",\"message\":\"encoding failed\"}}");
		len = strlen(body);
	}
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (r->is_static) {
		/* No inline script, no outside origin: data shown as text can never
		 * run, and nothing is fetched from the internet. */
		MHD_add_response_header(resp, "Content-Security-Policy",
					"default-src 'self'; script-src 'self'; style-src 'self'; "
					"img-src 'self' data:; connect-src 'self'; font-src 'self'; "
					"object-src 'none'; base-uri 'none'; form-action 'self'; "
					"frame-ancestors 'none'");
		MHD_add_response_header(resp, "X-Frame-Options", "DENY");
		MHD_add_response_header(resp, "Cache-Control", "no-cache");
	} else {
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	}
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	if (r->set_cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->retry_after > 0) {
		char ra[16];
		snprintf(ra, sizeof ra, "%d", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", ra);
	}
	if (r->replayed)
		MHD_add_response_header(resp, "Idempotent-Replayed", "true");
	if (r->status == 405)
		MHD_add_response_header(resp, "Allow", "GET, POST, PATCH, DELETE");
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	cs->answered = 1;
	return ret;
}

/*
 * Called by MHD with the raw request line's URI, before it splits the query.
 * libmicrohttpd 0.9.75 (Debian 12) stores every query parameter in the
 * connection's memory pool, and when the pool runs out (a few thousand
 * "a=1&" parameters) it answers nothing: the client waits for the 30 s
 * timeout. The URI lies in MHD's own read buffer, which MHD itself writes to
 * next (it cuts the query at '?'); a query with more parameters than we
 * accept is emptied there, so MHD has nothing to split, and on_request
 * answers 414. Every request's state is made here (MHD hands it back as
 * *con_cls).
 */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	conn_state *cs = mc_xcalloc(1, sizeof *cs);
	cs->t0 = mono();
	const char *q = uri ? strchr(uri, '?') : NULL;
	if (q) {
		size_t n = 1;
		for (const char *p = q + 1; *p; p++)
			n += *p == '&';
		if (n > MAX_PARAMS) {
			cs->too_many_params = 1;
			((char *)q)[1] = '\0'; /* MHD's buffer, not ours: see above */
		}
	}
	return cs;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	conn_state *cs = *con_cls;
	if (!cs) { /* not made by on_uri (never with the options we set) */
		cs = mc_xcalloc(1, sizeof *cs);
		cs->t0 = mono();
		*con_cls = cs;
	}
	if (!cs->r.conn) {
		/* First call: headers only. Answering now would make MHD close the
		 * connection after every response (DESIGN §8), so only prepare. */
		snprintf(cs->path, sizeof cs->path, "%s", url);
		cs->r.method = method;
		cs->r.path = cs->path;
		cs->r.conn = c;
		cs->limit = http_body_limit(method, url);
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (cs->too_many_params || head_too_large(c, url, &cs->r)) {
			if (cs->too_many_params)
				http_error(&cs->r, 414, "uri_too_long",
					   "the address has too many parameters (at most %d)",
					   MAX_PARAMS);
			client_address(c, cs->r.address, sizeof cs->r.address);
			return respond(c, cs);
		}
		if (cl && strtoull(cl, NULL, 10) > cs->limit)
			cs->too_big = 1;
		if (cs->too_big &&
		    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Expect") != NULL) {
			/* The client waits for "100 Continue": say no before it sends
			 * the body; the connection closes after. Other clients are
			 * already sending, so they are drained and answered at the end
			 * (closing on them mid-send makes them see a broken pipe, not
			 * the 413). */
			client_address(c, cs->r.address, sizeof cs->r.address);
			http_error(&cs->r, 413, "too_large", "the request body is larger than %zu bytes",
				   cs->limit);
			return respond(c, cs);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (cs->too_big || cs->len + n > cs->limit) {
			cs->too_big = 1;
			cs->drained += n;
			if (cs->drained > DRAIN_MAX && !cs->answered) {
				/* Enough: a body this large is an attack, not a mistake. */
				http_error(&cs->r, 413, "too_large",
					   "the request body is larger than %zu bytes", cs->limit);
				return respond(c, cs);
			}
			return MHD_YES; /* drain; answered 413 at the end */
		}
		if (cs->len + n + 1 > cs->cap) {
			cs->cap = (cs->len + n + 1) * 2;
			cs->buf = mc_xrealloc(cs->buf, cs->cap);
		}
		memcpy(cs->buf + cs->len, upload_data, n);
		cs->len += n;
		cs->buf[cs->len] = 0;
		return MHD_YES;
	}
	if (cs->answered)
		return MHD_YES;
	http_req *r = &cs->r;
	client_address(c, r->address, sizeof r->address);
	r->now = clock_now();
	if (cs->too_big) {
		http_error(r, 413, "too_large", "the request body is larger than %zu bytes",
			   cs->limit);
		return respond(c, cs);
	}
	r->body = cs->buf;
	r->body_len = cs->len;
	mc_err e = { 0, "" };
	r->app = thread_app(&e);
	if (!r->app)
		http_error(r, 503, "unavailable", "the database cannot be opened: %s", e.msg);
	else
		http_dispatch(r);
	return respond(c, cs);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	conn_state *cs = *con_cls;
	if (!cs)
		return;
	double ms = (mono() - cs->t0) * 1000.0;
	char iso[26];
	cal_format_iso((mc_time)time(NULL), iso);
	fprintf(stderr, "%s %s %s %d %.1fms%s\n", iso, cs->r.method ? cs->r.method : "-",
		cs->path, cs->r.status, ms,
		toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	json_decref(cs->r.json);
	free(cs->r.raw);
	free(cs->buf);
	free(cs);
	*con_cls = NULL;
}

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, mc_err *e)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host)
		return mc_seterr(e, MC_EINVAL, "--listen must be HOST:PORT, not '%s'", listen);
	snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535)
		return mc_seterr(e, MC_EINVAL, "bad port in '%s'", listen);
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return mc_seterr(e, MC_EINVAL, "bad IPv4 address '%s'", host);
	return MC_OK;
}

int http_serve(const char *dir, const char *listen, mc_err *e)
{
	struct sockaddr_in sa;
	int rc = parse_listen(listen, &sa, e);
	if (rc)
		return rc;
	snprintf(g_dir, sizeof g_dir, "%s", dir);
	/* Open once up front: a bad directory fails here, not per request. */
	app *probe;
	rc = app_open(dir, &probe, e);
	if (rc)
		return rc;
	app_close(probe);

	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = cores > 0 && cores < 32 ? (unsigned)cores : 2;
	struct sigaction act;
	memset(&act, 0, sizeof act);
	act.sa_handler = on_signal;
	sigaction(SIGINT, &act, NULL);
	sigaction(SIGTERM, &act, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL, NULL,
		&on_request, NULL, MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		/* Per connection: room for heads far beyond our own limits (16 KB
		 * of address, 16 KB of headers), so that oversized ones still get
		 * our JSON 414/431; beyond the pool MHD answers by itself. (MHD
		 * zeroes the pool between kept-alive requests; A/B runs at 64, 128
		 * and 256 KB showed no difference above this machine's noise.) */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)256,
		/* No LISTENING_ADDRESS_REUSE: that sets SO_REUSEPORT, and a second
		 * server started by mistake on the same port would silently get
		 * half of the requests, against another data directory. MHD's
		 * default SO_REUSEADDR is enough to restart at once after a crash. */
		MHD_OPTION_URI_LOG_CALLBACK, &on_uri, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, &on_completed, NULL, MHD_OPTION_END);
	if (!d)
		return mc_seterr(e, MC_EIO, "cannot listen on %s: %s", listen, strerror(errno));
	fprintf(stderr, "motcua: serving %s on http://%s/ (%u threads)\n", dir, listen, threads);
	fflush(stderr);
	while (!g_stop)
		usleep(100 * 1000);
	/* Stop accepting, let in-flight requests finish, then close. */
	MHD_quiesce_daemon(d);
	for (int i = 0; i < 100; i++) {
		const union MHD_DaemonInfo *di =
			MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (!di || di->num_connections == 0)
			break;
		usleep(50 * 1000);
	}
	MHD_stop_daemon(d);
	pthread_mutex_lock(&g_apps_mu);
	for (int i = 0; i < g_napps; i++)
		app_close(g_apps[i]);
	g_napps = 0;
	pthread_mutex_unlock(&g_apps_mu);
	fprintf(stderr, "motcua: stopped\n");
	return MC_OK;
}
