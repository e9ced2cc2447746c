/*
 * srv.c - the HTTP server on libmicrohttpd: epoll with an internal thread
 * pool sized to the cores (DESIGN §8: as fast as nginx here), one
 * access-log line per request, and a clean stop on SIGINT/SIGTERM. Each
 * pool thread has its own SQLite connection (SQLite connections are not
 * shared between threads here; WAL lets readers run beside the writer).
 *
 * The front door: no anonymous client can take the node down.
 * - A request is decided from its head (http_admit) before any byte of its
 *   body is kept: sign-in, role and the route's size limit; a refused body
 *   is read and thrown away, and the bytes kept across all connections are
 *   capped.
 * - Slow clients: MHD's timeout counts silence only, so a client sending a
 *   header line every few seconds would hold its connection for ever. A
 *   watchdog thread gives each request head a deadline and each body a
 *   minimum rate, and shuts down the sockets of those that miss them.
 * - Connections per address are capped, leaving room for everyone else
 *   (a trusted reverse proxy, which carries everyone, is exempt).
 */
#include "http/http.h"
#include "http/gz.h"

#include "app/files.h"
#include "app/sync.h"

#include "core/txt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DRAIN_MAX (32u << 20)      /* a refused body read and thrown away, at most */
#define BUFFERED_MAX (64u << 20)   /* body bytes kept across all connections */
#define CONN_MAX 1024u             /* connections in all (fewer if the fd limit is low) */
#define CONN_PER_ADDRESS 32        /* connections from one address */
#define HEAD_DEADLINE_MS 10000     /* the whole request head, from its first byte */
/* When more than three quarters of the connections are taken, heads get
 * this long only: slow clients from many addresses cannot hold every slot
 * (Apache's mod_reqtimeout and nginx under load do the same). */
#define HEAD_DEADLINE_BUSY_MS 2000
#define BODY_GRACE_MS 10000        /* then a body must keep up BODY_MIN_RATE */
#define BODY_MIN_RATE 1024         /* bytes a second */

static char g_dir[512];
static pthread_mutex_t g_apps_mu = PTHREAD_MUTEX_INITIALIZER;
static app *g_apps[64];
static int g_napps;
static __thread app *tls_app;
/* Set by the signal handler, read by the main loop and by the watchdog
 * thread: volatile sig_atomic_t only covers the thread a handler interrupts,
 * so an atomic (lock-free, thus safe in a handler). */
static atomic_int g_stop;
static size_t g_buffered; /* body bytes kept, all connections; under g_conns_mu */
char http_trusted_proxy[64];

/* ---- connections: the watchdog's registry ---- */

enum { PHASE_HEAD, PHASE_BODY, PHASE_WORK };

typedef struct conn_info {
	struct conn_info *prev, *next;
	int fd;
	char peer[64];     /* the socket's address (a proxy's, behind one) */
	int phase;         /* PHASE_* */
	int64_t since_ms;  /* when the phase began */
	size_t body_bytes; /* received in PHASE_BODY */
	int cut;           /* shut down by the watchdog */
} conn_info;

static pthread_mutex_t g_conns_mu = PTHREAD_MUTEX_INITIALIZER;
static conn_info *g_conns;
static int g_nconns;
static unsigned g_conn_limit = CONN_MAX; /* CONN_MAX, or less if file descriptors are few */

typedef struct {
	char address[64];
	int n;
} addr_count;
static addr_count g_addrs[CONN_MAX + 16]; /* connections per address */

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct {
	http_req r;
	char *buf; /* body being received */
	size_t len, cap;
	size_t limit;
	int refused;    /* answer already set in r: read and throw away the body */
	size_t drained; /* bytes of a refused body thrown away */
	double t0;
	char path[1024];
	int answered;
	int admitted;   /* http_admit ran: http_done must too */
	int too_many_params; /* the query was emptied by on_uri */
	int nul_escaped;     /* the URI holds %00: decoded, it would end early */
} conn_state;

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sockaddr_text(const struct sockaddr *sa, char *out, size_t size)
{
	snprintf(out, size, "?");
	if (!sa)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
			  (socklen_t)size);
}

/* The count of address, made if make. Under g_conns_mu. */
static addr_count *addr_slot(const char *address, int make)
{
	addr_count *free_slot = NULL;
	for (size_t i = 0; i < MC_ARRAY_LEN(g_addrs); i++) {
		if (g_addrs[i].n > 0 && strcmp(g_addrs[i].address, address) == 0)
			return &g_addrs[i];
		if (!free_slot && g_addrs[i].n == 0)
			free_slot = &g_addrs[i];
	}
	if (make && free_slot)
		snprintf(free_slot->address, sizeof free_slot->address, "%s", address);
	return make ? free_slot : NULL;
}

/* MHD asks before it takes a connection. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
	char a[64];
	sockaddr_text(addr, a, sizeof a);
	if (http_trusted_proxy[0] && strcmp(a, http_trusted_proxy) == 0)
		return MHD_YES;
	pthread_mutex_lock(&g_conns_mu);
	addr_count *c = addr_slot(a, 0);
	int ok = !c || c->n < CONN_PER_ADDRESS;
	pthread_mutex_unlock(&g_conns_mu);
	return ok ? MHD_YES : MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		conn_info *ci = mc_xcalloc(1, sizeof *ci);
		const union MHD_ConnectionInfo *fd =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *ad =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		ci->fd = fd ? fd->connect_fd : -1;
		sockaddr_text(ad ? ad->client_addr : NULL, ci->peer, sizeof ci->peer);
		ci->phase = PHASE_HEAD;
		ci->since_ms = mono_ms();
		pthread_mutex_lock(&g_conns_mu);
		ci->next = g_conns;
		if (g_conns)
			g_conns->prev = ci;
		g_conns = ci;
		g_nconns++;
		addr_count *a = addr_slot(ci->peer, 1);
		if (a)
			a->n++;
		pthread_mutex_unlock(&g_conns_mu);
		*socket_context = ci;
		return;
	}
	/* Closed: MHD closes the socket after this returns, so the watchdog,
	 * which only shuts down registered sockets under the same lock, never
	 * touches a descriptor that was closed and reused. */
	conn_info *ci = *socket_context;
	if (!ci)
		return;
	pthread_mutex_lock(&g_conns_mu);
	if (ci->prev)
		ci->prev->next = ci->next;
	else
		g_conns = ci->next;
	if (ci->next)
		ci->next->prev = ci->prev;
	g_nconns--;
	addr_count *a = addr_slot(ci->peer, 0);
	if (a && a->n > 0)
		a->n--;
	pthread_mutex_unlock(&g_conns_mu);
	free(ci);
	*socket_context = NULL;
}

static conn_info *info_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *i =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return i ? i->socket_context : NULL;
}

static void set_phase(struct MHD_Connection *c, int phase)
{
	conn_info *ci = info_of(c);
	if (!ci)
		return;
	pthread_mutex_lock(&g_conns_mu);
	ci->phase = phase;
	ci->since_ms = mono_ms();
	ci->body_bytes = 0;
	pthread_mutex_unlock(&g_conns_mu);
}

/* Shuts down the connections whose head or body is too slow. A shut
 * socket reads end-of-file, so MHD closes it in its own thread. */
static void *watchdog(void *arg)
{
	(void)arg;
	while (!g_stop) {
		usleep(250 * 1000);
		int64_t now = mono_ms();
		pthread_mutex_lock(&g_conns_mu);
		int64_t head_ms = (unsigned)g_nconns > g_conn_limit / 4 * 3 ? HEAD_DEADLINE_BUSY_MS
									    : HEAD_DEADLINE_MS;
		for (conn_info *ci = g_conns; ci; ci = ci->next) {
			int64_t age = now - ci->since_ms;
			int slow = 0;
			if (ci->phase == PHASE_HEAD)
				slow = age > head_ms;
			else if (ci->phase == PHASE_BODY && age > BODY_GRACE_MS)
				slow = (int64_t)ci->body_bytes <
				       (age - BODY_GRACE_MS) * BODY_MIN_RATE / 1000;
			if (slow && !ci->cut && ci->fd >= 0) {
				ci->cut = 1;
				shutdown(ci->fd, SHUT_RDWR);
			}
		}
		pthread_mutex_unlock(&g_conns_mu);
	}
	return NULL;
}

/* Raises the soft limit on open files (Debian's default, 1024, is below
 * CONN_MAX plus the databases) as far as the hard limit allows, and sets
 * g_conn_limit to what then fits. */
static unsigned conn_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rlim_t want = CONN_MAX + 256;
		if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
			rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want
											   : rl.rlim_max;
			MC_IGNORE(setrlimit(RLIMIT_NOFILE, &rl)); /* keep what we had if refused */
			MC_IGNORE(getrlimit(RLIMIT_NOFILE, &rl));
		}
		if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < CONN_MAX + 256)
			g_conn_limit = rl.rlim_cur > 256 + 64 ? (unsigned)(rl.rlim_cur - 256) : 64;
	}
	return g_conn_limit;
}

/* ---- requests ---- */

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
		MC_IGNORE(mc_fail(e, MCE_SERVE_START, "quá nhiều luồng phục vụ", "too many server threads"));
	}
	return tls_app;
}

static mc_time clock_now(void)
{
	return app_now(); /* MOTCUA_TEST_NOW is read there only */
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
		http_error(r, MCE_HEADERS_TOO_LARGE,
			   "yêu cầu có quá nhiều tiêu đề hoặc tiêu đề quá lớn (tối đa 100, 16 KB)",
			   "the request has too many or too large headers (at most 100, 16 KB)");
		return 1;
	}
	/* (Too many parameters were caught by on_uri, before MHD split them.) */
	if (q.bytes + strlen(url) > 16 * 1024) {
		http_error(r, MCE_URI_TOO_LONG, "địa chỉ quá dài (tối đa 16 KB)",
			   "the address is too long (at most 16 KB)");
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

/* The client's address, and whether it came over HTTPS: from the socket,
 * or, when the socket is the trusted proxy, from the proxy's headers (the
 * right-most X-Forwarded-For entry is the one the proxy itself added). */
static void client_address(struct MHD_Connection *c, http_req *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	sockaddr_text(ci ? ci->client_addr : NULL, r->address, sizeof r->address);
	r->secure = 0;
	if (!http_trusted_proxy[0] || strcmp(r->address, http_trusted_proxy) != 0)
		return;
	const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
	if (xff) {
		const char *last = strrchr(xff, ',');
		last = last ? last + 1 : xff;
		while (*last == ' ')
			last++;
		char a[64];
		unsigned char bin[16];
		snprintf(a, sizeof a, "%.*s", (int)strcspn(last, " "), last);
		if (inet_pton(AF_INET, a, bin) == 1 || inet_pton(AF_INET6, a, bin) == 1)
			snprintf(r->address, sizeof r->address, "%s", a);
	}
	const char *proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
	r->secure = proto && strcasecmp(proto, "https") == 0;
}

static enum MHD_Result respond(struct MHD_Connection *c, conn_state *cs)
{
	http_req *r = &cs->r;
	char *body;
	size_t len;
	const char *type = "application/json; charset=utf-8";
	http_rep rep = { 0 };
	int gzipped = 0;
	if (r->is_static)
		http_static_rep(r, &rep); /* may swap r->raw for br/gzip, or make it a 304 */
	if (r->raw) {
		body = r->raw;
		len = r->raw_len;
		type = r->raw_type;
		r->raw = NULL;
	} else {
		if (!r->json)
			http_error(r, MCE_INTERNAL, "không có phản hồi", "no response");
		body = json_dumps(r->json, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
		if (!body)
			body = mc_xstrdup("{\"error\":{\"code\":\"internal\",\"message\":\"encoding failed\"}}");
		len = strlen(body);
		/* A hub signs every answer on a node's route, refusals from the
		 * admission too (unknown key, not approved, too large): a node
		 * stops on some of them, so it must know the hub said so. */
		if (r->route && r->route->who == HTTP_NODE && !r->signature[0] &&
		    app_is_hub(r->app)) {
			mc_err e;
			if (app_hub_sign(r->app, r->path, body, len, r->signature, &e))
				r->signature[0] = 0;
		}
		char *z;
		size_t zn;
		if (http_gzip_wanted(r, len) && http_gzip(body, len, &z, &zn) == 0) {
			free(body);
			body = z;
			len = zn;
			gzipped = 1;
		}
	}
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (r->disposition[0])
		MHD_add_response_header(resp, "Content-Disposition", r->disposition);
	if (r->is_static) {
		/* No inline script, no outside origin: data shown as text can never
		 * run, and nothing is fetched from the internet. */
		MHD_add_response_header(resp, "Content-Security-Policy",
					"default-src 'self'; script-src 'self'; style-src 'self'; "
					"img-src 'self' data:; connect-src 'self'; font-src 'self'; "
					"object-src 'none'; base-uri 'none'; form-action 'self'; "
					"frame-ancestors 'none'");
		MHD_add_response_header(resp, "X-Frame-Options", "DENY");
		MHD_add_response_header(resp, "Cache-Control", rep.cache_control);
		MHD_add_response_header(resp, "Vary", rep.vary);
		if (rep.etag[0])
			MHD_add_response_header(resp, "ETag", rep.etag);
		if (rep.encoding)
			MHD_add_response_header(resp, "Content-Encoding", rep.encoding);
	} else {
		MHD_add_response_header(resp, "Cache-Control", "no-store");
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
		if (gzipped)
			MHD_add_response_header(resp, "Content-Encoding", "gzip");
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
	if (r->signature[0])
		MHD_add_response_header(resp, "Motcua-Signature", r->signature);
	if (r->status == 405 && r->allow[0])
		MHD_add_response_header(resp, "Allow", r->allow);
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
	/* MHD decodes the path and the parameters into C strings: a %00 would
	 * cut "/x/CODE%00junk" to "/x/CODE" unseen. No text here holds a NUL. */
	cs->nul_escaped = uri && strstr(uri, "%00") != NULL;
	const char *q = uri ? strchr(uri, '?') : NULL;
	if (q) {
		size_t n = 1;
		for (const char *p = q + 1; *p; p++)
			n += *p == '&';
		if (n > MAX_PARAMS) {
			cs->too_many_params = 1;
			/* MHD's buffer, not ours: see above. The pointer MHD hands us
			 * is const only by its prototype. */
			char *cut = (char *)(uintptr_t)(q + 1);
			*cut = '\0';
		}
	}
	return cs;
}

/* Does a refused request send a body we must read before answering? */
static int body_announced(struct MHD_Connection *c)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
	return (cl && strtoull(cl, NULL, 10) > 0) || te;
}

/* The first call: the head is in, no body byte has been read. Decides the
 * request; never answers here (DESIGN §8) unless the client waits for
 * "100 Continue", which then is a refusal before it sends anything. */
static enum MHD_Result on_head(struct MHD_Connection *c, conn_state *cs, const char *url,
			       const char *method)
{
	http_req *r = &cs->r;
	snprintf(cs->path, sizeof cs->path, "%s", url);
	r->method = method;
	r->path = cs->path;
	r->conn = c;
	client_address(c, r);
	r->now = clock_now();
	set_phase(c, PHASE_BODY);
	if (cs->too_many_params) {
		cs->refused = 1;
		http_error(r, MCE_URI_TOO_LONG, "địa chỉ có quá nhiều tham số (tối đa %d)",
			   "the address has too many parameters (at most %d)", MAX_PARAMS);
		return respond(c, cs);
	}
	if (cs->nul_escaped) {
		cs->refused = 1;
		http_error(r, MCE_BAD_TEXT, "địa chỉ hoặc tham số chứa ký tự NUL (%%00)",
			   "the address or a parameter holds a NUL character (%%00)");
		return respond(c, cs);
	}
	if (head_too_large(c, url, r)) {
		cs->refused = 1;
		return respond(c, cs);
	}
	mc_err e = { 0 };
	r->app = thread_app(&e);
	if (!r->app) {
		http_fail_as(r, MCE_UNAVAILABLE, &e);
		cs->refused = 1;
	} else {
		cs->admitted = 1;
		cs->refused = http_admit(r) != 0;
	}
	cs->limit = cs->refused ? 0 : http_body_max(r);
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (!cs->refused && cl && strtoull(cl, NULL, 10) > cs->limit && cs->limit > 0) {
		http_error(r, MCE_TOO_LARGE, "Dữ liệu gửi lên quá lớn (tối đa %zu byte)",
			   "the request body is larger than %zu bytes", cs->limit);
		cs->refused = 1;
	}
	if (cs->refused && body_announced(c) &&
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Expect") != NULL)
		return respond(c, cs); /* before it sends the body; the connection closes */
	return MHD_YES;
}

/* A piece of the body: kept, or thrown away if the request was refused. */
static enum MHD_Result on_body(struct MHD_Connection *c, conn_state *cs, const char *data,
			       size_t n)
{
	conn_info *ci = info_of(c);
	if (ci) {
		pthread_mutex_lock(&g_conns_mu);
		ci->body_bytes += n;
		pthread_mutex_unlock(&g_conns_mu);
	}
	if (!cs->refused && cs->limit > 0 && cs->len + n > cs->limit) {
		http_error(&cs->r, MCE_TOO_LARGE, "Dữ liệu gửi lên quá lớn (tối đa %zu byte)",
			   "the request body is larger than %zu bytes", cs->limit);
		cs->refused = 1;
	}
	if (!cs->refused && cs->limit == 0) {
		/* A route without a body: refused after its head is read whole,
		 * so the client sees the 400 rather than a broken pipe. */
		http_error(&cs->r, MCE_NO_BODY_ALLOWED, "%s %s không nhận nội dung gửi kèm",
			   "%s %s takes no request body", cs->r.method,
			   cs->r.route ? cs->r.route->pattern : cs->r.path);
		cs->refused = 1;
	}
	if (!cs->refused && cs->len + n + 1 > cs->cap) {
		size_t want = cs->cap ? cs->cap : 4096;
		while (want < cs->len + n + 1 && want <= cs->limit)
			want *= 2; /* bounded: cs->len + n <= cs->limit (checked above) */
		if (want > cs->limit + 1)
			want = cs->limit + 1;
		pthread_mutex_lock(&g_conns_mu);
		int room = g_buffered + (want - cs->cap) <= BUFFERED_MAX;
		if (room)
			g_buffered += want - cs->cap;
		pthread_mutex_unlock(&g_conns_mu);
		if (room) {
			cs->buf = mc_xrealloc(cs->buf, want);
			cs->cap = want;
		} else {
			cs->r.retry_after = 5;
			http_error(&cs->r, MCE_SERVER_FULL,
				   "máy chủ đang nhận quá nhiều dữ liệu cùng lúc: thử lại sau giây lát",
				   "the server is receiving too much at once: try again in a moment");
			cs->refused = 1;
		}
	}
	if (cs->refused) {
		cs->drained += n;
		if (cs->drained > DRAIN_MAX && !cs->answered)
			return respond(c, cs); /* enough: this is an attack, not a mistake */
		return MHD_YES;
	}
	memcpy(cs->buf + cs->len, data, n);
	cs->len += n;
	cs->buf[cs->len] = 0;
	return MHD_YES;
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
	if (!cs->r.conn)
		return on_head(c, cs, url, method);
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		return on_body(c, cs, upload_data, n);
	}
	if (cs->answered)
		return MHD_YES;
	set_phase(c, PHASE_WORK);
	if (cs->refused)
		return respond(c, cs);
	http_req *r = &cs->r;
	r->body = cs->buf;
	r->body_len = cs->len;
	r->now = clock_now();
	http_run(r);
	return respond(c, cs);
}

/* Writes s to the log with control characters and bytes that are not
 * UTF-8 escaped as \xHH: a path decoded from %0a or %1b must not forge a
 * log line or send escapes to an administrator's terminal. */
static void log_escaped(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = 1;
		if (*p >= 0xc2 && *p <= 0xf4) {
			n = *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
			for (size_t i = 1; i < n; i++)
				if ((p[i] & 0xc0) != 0x80)
					n = 0;
			if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
				n = 0; /* C1 controls: U+0080 to U+009F */
			if (n && !txt_utf8_valid((const char *)p, n))
				n = 0;
		} else if (*p < 0x20 || *p == 0x7f || *p == '\\' || *p >= 0x80) {
			n = 0;
		}
		if (n == 0) {
			fprintf(f, "\\x%02x", *p);
			p++;
			continue;
		}
		fwrite(p, 1, n, f);
		p += n;
	}
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	conn_state *cs = *con_cls;
	if (!cs)
		return;
	if (cs->admitted)
		http_done(&cs->r);
	if (cs->cap) {
		pthread_mutex_lock(&g_conns_mu);
		g_buffered -= cs->cap;
		pthread_mutex_unlock(&g_conns_mu);
	}
	set_phase(c, PHASE_HEAD); /* the next request on this connection */
	double ms = (mono() - cs->t0) * 1000.0;
	char iso[26];
	cal_format_iso((mc_time)time(NULL), iso);
	flockfile(stderr);
	fprintf(stderr, "%s %s ", iso, cs->r.address[0] ? cs->r.address : "-");
	log_escaped(stderr, cs->r.method ? cs->r.method : "-");
	fputc(' ', stderr);
	log_escaped(stderr, cs->path);
	fprintf(stderr, " %d %.1fms%s\n", cs->r.status, ms,
		toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	funlockfile(stderr);
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
		return mc_fail(e, MCE_SERVE_BAD_ADDRESS, "--listen phải có dạng HOST:PORT, không phải '%s'",
			       "--listen must be HOST:PORT, not '%s'", listen);
	snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535)
		return mc_fail(e, MCE_SERVE_BAD_ADDRESS, "cổng không hợp lệ trong '%s'", "bad port in '%s'",
			       listen);
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return mc_fail(e, MCE_SERVE_BAD_ADDRESS, "địa chỉ IPv4 không hợp lệ '%s'", "bad IPv4 address '%s'",
			       host);
	return MC_OK;
}

int http_serve(const char *dir, const http_serve_opts *o, mc_err *e)
{
	struct sockaddr_in sa;
	const char *listen = o->listen ? o->listen : "127.0.0.1:8080";
	int rc = parse_listen(listen, &sa, e);
	if (rc)
		return rc;
	http_trusted_proxy[0] = 0;
	if (o->trusted_proxy && *o->trusted_proxy) {
		unsigned char bin[16];
		if (inet_pton(AF_INET, o->trusted_proxy, bin) != 1 &&
		    inet_pton(AF_INET6, o->trusted_proxy, bin) != 1)
			return mc_fail(e, MCE_SERVE_BAD_ADDRESS, "--trusted-proxy phải là một địa chỉ IP, không phải '%s'",
				       "--trusted-proxy must be an IP address, not '%s'",
					 o->trusted_proxy);
		snprintf(http_trusted_proxy, sizeof http_trusted_proxy, "%s", o->trusted_proxy);
	}
	snprintf(g_dir, sizeof g_dir, "%s", dir);
	/* Open once up front: a bad directory fails here, not per request. */
	app *probe;
	rc = app_open(dir, &probe, e);
	if (rc)
		return rc;
	/* Uploads abandoned or cut by a crash (app/files.h). */
	mc_err se;
	if (app_files_sweep(probe, clock_now(), NULL, &se))
		fprintf(stderr, "motcua: sweeping files: %s\n", se.msg);
	app_close(probe);

	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = cores > 0 && cores < 32 ? (unsigned)cores : 2;
	struct sigaction act;
	memset(&act, 0, sizeof act);
	act.sa_handler = on_signal;
	sigaction(SIGINT, &act, NULL);
	sigaction(SIGTERM, &act, NULL);
	signal(SIGPIPE, SIG_IGN);
	g_stop = 0;

	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, &on_accept, NULL,
		&on_request, NULL, MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		/* Per connection: room for heads far beyond our own limits (16 KB
		 * of address, 16 KB of headers), so that oversized ones still get
		 * our JSON 414/431; beyond the pool MHD answers by itself. (MHD
		 * zeroes the pool between kept-alive requests; A/B runs at 64, 128
		 * and 256 KB showed no difference above this machine's noise.) */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024),
		MHD_OPTION_CONNECTION_LIMIT, conn_limit(),
		/* No LISTENING_ADDRESS_REUSE: that sets SO_REUSEPORT, and a second
		 * server started by mistake on the same port would silently get
		 * half of the requests, against another data directory. MHD's
		 * default SO_REUSEADDR is enough to restart at once after a crash. */
		MHD_OPTION_URI_LOG_CALLBACK, &on_uri, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, &on_connection, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, &on_completed, NULL, MHD_OPTION_END);
	if (!d)
		return mc_fail(e, MCE_SERVE_START, "không nghe được trên %s: %s", "cannot listen on %s: %s",
			       listen, strerror(errno));
	pthread_t wd;
	if (pthread_create(&wd, NULL, watchdog, NULL) != 0) {
		MHD_stop_daemon(d);
		return mc_fail(e, MCE_SERVE_START, "không khởi động được luồng giám sát kết nối",
			       "cannot start the watchdog thread");
	}
	fprintf(stderr, "motcua: serving %s on http://%s/ (%u threads%s%s)\n", dir, listen, threads,
		http_trusted_proxy[0] ? ", trusting the proxy at " : "", http_trusted_proxy);
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
	pthread_join(wd, NULL);
	pthread_mutex_lock(&g_apps_mu);
	for (int i = 0; i < g_napps; i++)
		app_close(g_apps[i]);
	g_napps = 0;
	pthread_mutex_unlock(&g_apps_mu);
	fprintf(stderr, "motcua: stopped\n");
	return MC_OK;
}
