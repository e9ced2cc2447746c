/*
 * faultproxy.c - a fault-injecting TCP proxy for tests (faultproxy.h has
 * the command line and the control protocol).
 *
 * One thread, one poll() loop over the listening socket, the control
 * socket and its clients, and both ends of every proxied connection. Each
 * connection has two directions (c2s, s2c), each a queue of chunks read
 * from one end and waiting to be written to the other: a chunk waits for
 * its delay, then for the direction's token bucket. Reading stops while a
 * queue holds FP_QUEUE_MAX bytes, so a slow receiver slows the sender down
 * as a real link would. A peer closing, resetting or vanishing only ever
 * ends its own connection: SIGPIPE is ignored and every send uses
 * MSG_NOSIGNAL.
 */
#include "faultproxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

enum { FP_QUEUE_MAX = 256 * 1024, FP_READ = 16 * 1024, FP_CTL_MAX = 16 };

/* ---- parsing (public for tests) ---- */

static int bad(char *err, size_t errlen, const char *what, const char *tok)
{
	snprintf(err, errlen, "%s '%s'", what, tok ? tok : "");
	return -1;
}

/* A whole decimal number in [0, max]. */
static int num(const char *s, int64_t max, int64_t *out)
{
	char *end;
	long long v;
	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

static int dir_of(const char *s)
{
	if (!s)
		return 0;
	if (!strcmp(s, "c2s"))
		return FP_C2S;
	if (!strcmp(s, "s2c"))
		return FP_S2C;
	if (!strcmp(s, "both"))
		return FP_C2S | FP_S2C;
	return 0;
}

int fp_parse(const char *line, fp_cmd *out, char *err, size_t errlen)
{
	char buf[FP_LINE_MAX + 1], *tok[8], *save = NULL, *t;
	int n = 0;
	int64_t v;
	if (strlen(line) > FP_LINE_MAX)
		return bad(err, errlen, "line too long", "");
	snprintf(buf, sizeof buf, "%s", line);
	for (t = strtok_r(buf, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
		if (n == 8)
			return bad(err, errlen, "too many words", t);
		tok[n++] = t;
	}
	for (int i = n; i < 8; i++)
		tok[i] = NULL;
	memset(out, 0, sizeof *out);
	if (n == 0)
		return bad(err, errlen, "empty command", "");
	const char *c = tok[0];
	/* Commands without a direction. */
	if (!strcmp(c, "pass") || !strcmp(c, "accept") || !strcmp(c, "up") || !strcmp(c, "status")) {
		if (n != 1)
			return bad(err, errlen, "unexpected argument", tok[1]);
		out->op = !strcmp(c, "pass") ? FP_PASS : !strcmp(c, "accept") ? FP_ACCEPT
					: !strcmp(c, "up") ? FP_UP : FP_STATUS;
		return 0;
	}
	if (!strcmp(c, "refuse") || !strcmp(c, "down")) {
		int refuse = c[0] == 'r';
		out->op = refuse ? FP_REFUSE : FP_DOWN;
		if (n > 2)
			return bad(err, errlen, "unexpected argument", tok[2]);
		if (n == 1 || !strcmp(tok[1], refuse ? "close" : "drop"))
			return 0;
		if (!strcmp(tok[1], refuse ? "rst" : "hold")) {
			out->flag = 1;
			return 0;
		}
		return bad(err, errlen, "unknown mode", tok[1]);
	}
	if ((!strcmp(c, "cut") || !strcmp(c, "random")) && n == 2 && !strcmp(tok[1], "off")) {
		out->op = c[0] == 'c' ? FP_CUT_OFF : FP_RANDOM_OFF;
		return 0;
	}
	if (!strcmp(c, "cut") || !strcmp(c, "delay") || !strcmp(c, "throttle")) {
		out->op = c[0] == 'c' ? FP_CUT : c[0] == 'd' ? FP_DELAY : FP_THROTTLE;
		out->dirs = dir_of(tok[1]);
		if (!out->dirs)
			return bad(err, errlen, "unknown direction (c2s, s2c, both)", tok[1]);
		/* A day of delay, a TB of cut, 1 GB/s: beyond that is a typo. */
		int64_t max = out->op == FP_DELAY ? 86400000 : out->op == FP_CUT ? (1LL << 40)
										 : (1LL << 30);
		if (num(tok[2], max, &v))
			return bad(err, errlen, "bad number", tok[2]);
		out->n = v;
		if (out->op == FP_CUT && n == 4 && (!strcmp(tok[3], "fin") || !strcmp(tok[3], "rst"))) {
			out->flag = tok[3][0] == 'r';
			return 0;
		}
		if (n != 3)
			return bad(err, errlen, "unexpected argument", tok[3]);
		return 0;
	}
	if (!strcmp(c, "random")) {
		out->op = FP_RANDOM;
		if (n != 5)
			return bad(err, errlen, "usage: random DIR SEED PCT MAX; got", line);
		out->dirs = dir_of(tok[1]);
		if (out->dirs != FP_C2S && out->dirs != FP_S2C)
			return bad(err, errlen, "unknown direction (c2s, s2c)", tok[1]);
		if (num(tok[2], INT64_MAX, &v))
			return bad(err, errlen, "bad seed", tok[2]);
		out->seed = (uint64_t)v;
		if (num(tok[3], 100, &v))
			return bad(err, errlen, "bad percentage", tok[3]);
		out->pct = (int)v;
		if (num(tok[4], 1LL << 40, &v) || v == 0)
			return bad(err, errlen, "bad maximum", tok[4]);
		out->n = v;
		return 0;
	}
	return bad(err, errlen, "unknown command", c);
}

int fp_loopback(const char *hostport, struct sockaddr_in *out, char *err, size_t errlen)
{
	char host[64];
	const char *colon = strrchr(hostport, ':');
	int64_t port;
	if (!colon || (size_t)(colon - hostport) >= sizeof host)
		return bad(err, errlen, "expected A.B.C.D:PORT, got", hostport);
	memcpy(host, hostport, (size_t)(colon - hostport));
	host[colon - hostport] = 0;
	memset(out, 0, sizeof *out);
	out->sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &out->sin_addr) != 1)
		return bad(err, errlen, "not an IPv4 address", host);
	/* The tool must never reach past this machine. */
	if ((ntohl(out->sin_addr.s_addr) >> 24) != 127)
		return bad(err, errlen, "not a loopback address (127.0.0.0/8)", host);
	if (num(colon + 1, 65535, &port))
		return bad(err, errlen, "bad port", colon + 1);
	out->sin_port = htons((uint16_t)port);
	return 0;
}

/* ---- the proxy ---- */

typedef struct chunk {
	struct chunk *next;
	int64_t ready; /* monotonic ms at which it may be written */
	size_t off, len;
	char data[];
} chunk;

/* One direction of one connection: read from fd[d], written to fd[!d]. */
typedef struct {
	chunk *head, *tail;
	size_t queued;
	int64_t in;    /* bytes read so far */
	int64_t limit; /* this connection's random cut, -1 none */
	int eof;       /* the source sent FIN */
	int shut;      /* FIN passed on to the receiver */
	int cutting;   /* limit reached: flush, then cut */
} dirq;

enum { C_CONNECTING, C_OPEN, C_HELD };

typedef struct conn {
	struct conn *next;
	int fd[2]; /* 0: the client's side, 1: the target's side */
	int state;
	int cut_rst;
	int dead;
	dirq q[2]; /* q[0]: c2s, q[1]: s2c */
} conn;

typedef struct {
	char buf[FP_LINE_MAX + 2];
	size_t len;
	int fd;
	int closing; /* a reply ends this client (line too long) */
} ctl_client;

static struct {
	struct sockaddr_in listen_addr, target, control;
	int lfd, cfd;
	conn *conns;
	ctl_client ctl[FP_CTL_MAX];
	int nconns;
	/* faults */
	int refuse; /* 0, 1 close, 2 rst */
	int down;   /* 0, 1 drop, 2 hold */
	int64_t cut[2];
	int cut_rst[2];
	int64_t delay[2];
	int64_t bps[2];
	double tokens[2];
	int64_t refill[2];
	int rnd_dir; /* 0 off, else FP_C2S / FP_S2C */
	uint64_t rnd_seed, rnd_k, rnd_max;
	int rnd_pct;
	int64_t accept_pause; /* EMFILE: listen again at this time */
	/* counters */
	uint64_t accepted, refused, cuts, bytes[2];
} P;

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Closes fd; with rst the peer gets a reset instead of a FIN. */
static void close_fd(int fd, int rst)
{
	if (fd < 0)
		return;
	if (rst) {
		struct linger lg = {1, 0};
		(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	}
	close(fd);
}

static int listen_on(struct sockaddr_in *a)
{
	int one = 1;
	socklen_t alen = sizeof *a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)a, sizeof *a) || listen(fd, 512) || nonblock(fd) ||
	    getsockname(fd, (struct sockaddr *)a, &alen)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* splitmix64: a good stream from any seed, so runs repeat. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Marks a connection for removal; rst resets both peers. */
static void kill_conn(conn *c, int rst)
{
	if (c->dead)
		return;
	close_fd(c->fd[0], rst);
	close_fd(c->fd[1], rst);
	c->fd[0] = c->fd[1] = -1;
	c->dead = 1;
}

static void free_conn(conn *c)
{
	for (int d = 0; d < 2; d++) {
		chunk *k = c->q[d].head;
		while (k) {
			chunk *next = k->next;
			free(k);
			k = next;
		}
	}
	free(c);
}

/* The limit for direction d of c, the tighter of the cut and the random cut. */
static int64_t limit_of(const conn *c, int d)
{
	int64_t a = P.cut[d], b = c->q[d].limit;
	if (a < 0)
		return b;
	return b < 0 || a < b ? a : b;
}

/* A cut ends the connection once the receiver has its N bytes. Bytes the
 * proxy has not read would turn close() into a reset, so they are read and
 * thrown away first: the receiver of a FIN cut sees a clean end. */
static void cut_now(conn *c, int rst)
{
	char sink[4096];
	P.cuts++;
	if (!rst)
		for (int i = 0; i < 2; i++)
			while (recv(c->fd[i], sink, sizeof sink, MSG_DONTWAIT) > 0)
				;
	kill_conn(c, rst);
}

static void start_connect(conn *c)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	c->state = C_CONNECTING;
	if (fd < 0 || nonblock(fd)) {
		close_fd(fd, 0);
		kill_conn(c, 1);
		return;
	}
	c->fd[1] = fd;
	if (connect(fd, (struct sockaddr *)&P.target, sizeof P.target) == 0)
		c->state = C_OPEN;
	else if (errno != EINPROGRESS)
		kill_conn(c, 1); /* the target refuses: so does the proxy */
}

static void on_accept(int64_t now)
{
	for (;;) {
		int fd = accept(P.lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
				P.accept_pause = now + 100;
			return;
		}
		if (P.refuse == 2 || nonblock(fd)) {
			P.refused++;
			close_fd(fd, 1);
			continue;
		}
		conn *c = calloc(1, sizeof *c);
		if (!c) {
			close_fd(fd, 1);
			continue;
		}
		int one = 1;
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		c->fd[0] = fd;
		c->fd[1] = -1;
		c->q[0].limit = c->q[1].limit = -1;
		if (P.rnd_dir) {
			uint64_t r = mix(P.rnd_seed ^ mix(P.rnd_k++));
			if (r % 100 < (uint64_t)P.rnd_pct)
				c->q[P.rnd_dir == FP_C2S ? 0 : 1].limit = (int64_t)(mix(r) % P.rnd_max);
		}
		c->next = P.conns;
		P.conns = c;
		P.nconns++;
		P.accepted++;
		if (P.down == 2)
			c->state = C_HELD;
		else
			start_connect(c);
	}
}

/* Reads what direction d may take now. */
static void do_read(conn *c, int d, int64_t now)
{
	dirq *q = &c->q[d];
	char buf[FP_READ];
	size_t want = sizeof buf;
	int64_t lim = limit_of(c, d);
	if (lim >= 0) {
		if (q->in >= lim) {
			q->cutting = 1;
			return;
		}
		if ((int64_t)want > lim - q->in)
			want = (size_t)(lim - q->in);
	}
	ssize_t n = recv(c->fd[d], buf, want, 0);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			kill_conn(c, 1); /* a reset on one side resets the other */
		return;
	}
	if (n == 0) {
		q->eof = 1;
		return;
	}
	chunk *k = malloc(sizeof *k + (size_t)n);
	if (!k) {
		kill_conn(c, 1);
		return;
	}
	memcpy(k->data, buf, (size_t)n);
	k->next = NULL;
	k->off = 0;
	k->len = (size_t)n;
	k->ready = now + P.delay[d];
	if (q->tail)
		q->tail->next = k;
	else
		q->head = k;
	q->tail = k;
	q->queued += (size_t)n;
	q->in += n;
	if (lim >= 0 && q->in >= lim)
		q->cutting = 1;
}

static void refill(int d, int64_t now)
{
	if (!P.bps[d])
		return;
	double burst = P.bps[d] / 10.0 < 1 ? 1 : P.bps[d] / 10.0;
	P.tokens[d] += (double)(now - P.refill[d]) * (double)P.bps[d] / 1000.0;
	if (P.tokens[d] > burst)
		P.tokens[d] = burst;
	P.refill[d] = now;
}

/* Writes what direction d may give now; returns how long (ms) it must
 * wait for a delay or for tokens, or -1 when it waits on nothing timed. */
static int64_t do_write(conn *c, int d, int64_t now, int writable)
{
	dirq *q = &c->q[d];
	while (q->head) {
		chunk *k = q->head;
		if (k->ready > now)
			return k->ready - now;
		size_t len = k->len - k->off;
		if (P.bps[d]) {
			refill(d, now);
			if (P.tokens[d] < 1)
				return 1 + (int64_t)((1 - P.tokens[d]) * 1000.0 / (double)P.bps[d]);
			if ((double)len > P.tokens[d])
				len = (size_t)P.tokens[d];
		}
		if (!writable)
			return -1;
		ssize_t n = send(c->fd[!d], k->data + k->off, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				kill_conn(c, 1);
			return -1;
		}
		if (P.bps[d])
			P.tokens[d] -= (double)n;
		P.bytes[d] += (uint64_t)n;
		k->off += (size_t)n;
		q->queued -= (size_t)n;
		if (k->off < k->len)
			return -1; /* the socket is full: wait for POLLOUT */
		q->head = k->next;
		if (!q->head)
			q->tail = NULL;
		free(k);
	}
	if (q->cutting) {
		cut_now(c, P.cut[d] >= 0 && q->in >= P.cut[d] ? P.cut_rst[d] : 0);
		return -1;
	}
	if (q->eof && !q->shut) {
		(void)shutdown(c->fd[!d], SHUT_WR);
		q->shut = 1;
	}
	return -1;
}

/* ---- control ---- */

/* The listening socket is closed while new connections must be refused. */
static int want_listener(void)
{
	return P.refuse != 1 && P.down != 1;
}

static void open_listener(void)
{
	if (P.lfd < 0 && want_listener())
		P.lfd = listen_on(&P.listen_addr);
}

static void close_listener(void)
{
	if (P.lfd >= 0)
		close(P.lfd);
	P.lfd = -1;
}

static void apply(const fp_cmd *cmd, int64_t now, char *reply, size_t rlen)
{
	snprintf(reply, rlen, "ok");
	switch (cmd->op) {
	case FP_PASS:
		P.refuse = 0;
		P.down = 0;
		P.rnd_dir = 0;
		for (int d = 0; d < 2; d++) {
			P.cut[d] = -1;
			P.delay[d] = P.bps[d] = 0;
		}
		for (conn *c = P.conns; c; c = c->next)
			c->q[0].limit = c->q[1].limit = -1;
		break;
	case FP_REFUSE:
		P.refuse = cmd->flag ? 2 : 1;
		break;
	case FP_ACCEPT:
		P.refuse = 0;
		break;
	case FP_DOWN:
		P.down = cmd->flag ? 2 : 1;
		if (P.down == 1)
			for (conn *c = P.conns; c; c = c->next)
				kill_conn(c, 1);
		break;
	case FP_UP:
		P.down = 0;
		break;
	case FP_CUT:
	case FP_CUT_OFF:
		for (int d = 0; d < 2; d++)
			if (cmd->op == FP_CUT_OFF || (cmd->dirs & (1 << d))) {
				P.cut[d] = cmd->op == FP_CUT ? cmd->n : -1;
				P.cut_rst[d] = cmd->flag;
			}
		break;
	case FP_DELAY:
	case FP_THROTTLE:
		for (int d = 0; d < 2; d++)
			if (cmd->dirs & (1 << d)) {
				if (cmd->op == FP_DELAY)
					P.delay[d] = cmd->n;
				else {
					P.bps[d] = cmd->n;
					P.tokens[d] = cmd->n / 10.0 < 1 ? 1 : cmd->n / 10.0;
					P.refill[d] = now;
				}
			}
		break;
	case FP_RANDOM:
		P.rnd_dir = cmd->dirs;
		P.rnd_seed = cmd->seed;
		P.rnd_pct = cmd->pct;
		P.rnd_max = (uint64_t)cmd->n;
		P.rnd_k = 0;
		break;
	case FP_RANDOM_OFF:
		P.rnd_dir = 0;
		break;
	case FP_STATUS:
		snprintf(reply, rlen,
			 "ok listening=%d refuse=%d down=%s cut=%" PRId64 ",%" PRId64
			 " delay=%" PRId64 ",%" PRId64 " throttle=%" PRId64 ",%" PRId64
			 " random=%d conns=%d accepted=%" PRIu64 " refused=%" PRIu64
			 " cuts=%" PRIu64 " c2s=%" PRIu64 " s2c=%" PRIu64,
			 P.lfd >= 0, P.refuse, P.down == 1 ? "drop" : P.down == 2 ? "hold" : "no",
			 P.cut[0], P.cut[1], P.delay[0], P.delay[1], P.bps[0], P.bps[1],
			 P.rnd_dir ? P.rnd_pct : 0, P.nconns, P.accepted, P.refused, P.cuts,
			 P.bytes[0], P.bytes[1]);
		break;
	}
	if (!want_listener())
		close_listener();
	else
		open_listener();
	if (P.lfd < 0 && want_listener())
		snprintf(reply, rlen, "err cannot listen again on port %d",
			 ntohs(P.listen_addr.sin_port));
}

static void ctl_reply(ctl_client *k, const char *msg)
{
	char out[FP_LINE_MAX * 2];
	int n = snprintf(out, sizeof out, "%s\n", msg);
	/* Replies are short and the client reads them; a client that does not
	 * read is dropped rather than waited for. */
	if (send(k->fd, out, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) != n)
		k->closing = 1;
}

static void ctl_read(ctl_client *k, int64_t now)
{
	ssize_t n = recv(k->fd, k->buf + k->len, sizeof k->buf - 1 - k->len, 0);
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			k->closing = 1;
		return;
	}
	k->len += (size_t)n;
	k->buf[k->len] = 0;
	char *nl;
	while (!k->closing && (nl = memchr(k->buf, '\n', k->len))) {
		char reply[FP_LINE_MAX * 2], err[FP_LINE_MAX + 64];
		fp_cmd cmd;
		*nl = 0;
		if (fp_parse(k->buf, &cmd, err, sizeof err)) {
			snprintf(reply, sizeof reply, "err %s", err);
		} else {
			apply(&cmd, now, reply, sizeof reply);
		}
		ctl_reply(k, reply);
		size_t used = (size_t)(nl + 1 - k->buf);
		memmove(k->buf, nl + 1, k->len - used);
		k->len -= used;
		k->buf[k->len] = 0;
	}
	if (!k->closing && k->len >= sizeof k->buf - 1) {
		ctl_reply(k, "err line too long");
		k->closing = 1;
	}
}

/* ---- the loop ---- */

static void sweep(void)
{
	conn **pp = &P.conns;
	while (*pp) {
		conn *c = *pp;
		if (!c->dead && c->q[0].shut && c->q[1].shut)
			kill_conn(c, 0);
		if (c->dead) {
			*pp = c->next;
			P.nconns--;
			free_conn(c);
		} else {
			pp = &c->next;
		}
	}
}

/* poll() events wanted on fd i (0 client, 1 target) of c. */
static short events_of(const conn *c, int i, int64_t now)
{
	short ev = 0;
	if (c->state == C_CONNECTING)
		return i == 1 ? POLLOUT : 0;
	const dirq *in = &c->q[i], *out = &c->q[!i];
	if (!in->eof && !in->cutting && in->queued < FP_QUEUE_MAX)
		ev |= POLLIN;
	/* A throttled direction out of tokens waits on the clock, not on the
	 * socket (which would be writable at once: a busy loop). */
	if (out->head && out->head->ready <= now && (!P.bps[!i] || P.tokens[!i] >= 1))
		ev |= POLLOUT;
	return ev;
}

static int run(void)
{
	struct pollfd *pfd = NULL;
	conn **owner = NULL;
	size_t cap = 0;
	int rc = 0;
	while (!stop) {
		int64_t now = now_ms(), wait = 1000;
		size_t need = 2 + FP_CTL_MAX + 2 * (size_t)P.nconns, n = 0;
		if (need > cap) {
			cap = need * 2;
			free(pfd);
			free(owner);
			pfd = calloc(cap, sizeof *pfd);
			owner = calloc(cap, sizeof *owner);
			if (!pfd || !owner) {
				rc = 1;
				break;
			}
		}
		/* Timed work first: delayed chunks and throttled bytes come due. */
		if (P.down != 2)
			for (conn *c = P.conns; c; c = c->next)
				for (int d = 0; d < 2 && c->state == C_OPEN && !c->dead; d++) {
					int64_t w = do_write(c, d, now, 0);
					if (w >= 0 && w < wait)
						wait = w;
				}
		sweep();
		if (P.lfd >= 0 && now >= P.accept_pause)
			pfd[n++] = (struct pollfd){P.lfd, POLLIN, 0};
		else if (P.lfd >= 0 && P.accept_pause - now < wait)
			wait = P.accept_pause - now;
		pfd[n++] = (struct pollfd){P.cfd, POLLIN, 0};
		size_t first_ctl = n;
		for (int i = 0; i < FP_CTL_MAX; i++)
			pfd[n++] = (struct pollfd){P.ctl[i].fd, P.ctl[i].fd >= 0 ? POLLIN : 0, 0};
		size_t first_conn = n;
		if (P.down != 2)
			for (conn *c = P.conns; c; c = c->next)
				if (c->state != C_HELD)
					for (int i = 0; i < 2; i++) {
						owner[n] = c;
						pfd[n++] = (struct pollfd){c->fd[i], events_of(c, i, now), 0};
					}
		if (poll(pfd, (nfds_t)n, (int)wait) < 0) {
			if (errno == EINTR)
				continue;
			rc = 1;
			break;
		}
		now = now_ms();
		for (size_t i = first_conn; i < n; i += 2) {
			conn *c = owner[i];
			if (c->dead)
				continue;
			if (c->state == C_CONNECTING) {
				int e = 0;
				socklen_t el = sizeof e;
				if (!pfd[i + 1].revents)
					continue;
				if (getsockopt(c->fd[1], SOL_SOCKET, SO_ERROR, &e, &el) || e) {
					kill_conn(c, 1);
					continue;
				}
				c->state = C_OPEN;
				continue;
			}
			for (int s = 0; s < 2 && !c->dead; s++) {
				short re = pfd[i + (size_t)s].revents;
				if (re & (POLLIN | POLLHUP | POLLERR))
					do_read(c, s, now);
				if (!c->dead && (re & (POLLOUT | POLLERR | POLLHUP)))
					(void)do_write(c, !s, now, 1);
			}
		}
		for (size_t i = first_ctl; i < first_conn; i++) {
			ctl_client *k = &P.ctl[i - first_ctl];
			if (k->fd >= 0 && pfd[i].revents)
				ctl_read(k, now);
			if (k->fd >= 0 && k->closing) {
				close(k->fd);
				k->fd = -1;
			}
		}
		if (pfd[first_ctl - 1].revents) {
			int fd = accept(P.cfd, NULL, NULL);
			int slot = -1;
			for (int i = 0; i < FP_CTL_MAX && fd >= 0; i++)
				if (P.ctl[i].fd < 0)
					slot = i;
			if (fd >= 0 && (slot < 0 || nonblock(fd))) {
				close(fd);
			} else if (fd >= 0) {
				P.ctl[slot] = (ctl_client){.fd = fd};
			}
		}
		/* The control commands above may have closed the listener. */
		if (first_ctl == 2 && P.lfd >= 0 && pfd[0].fd == P.lfd && pfd[0].revents)
			on_accept(now);
		if (P.down == 0)
			for (conn *c = P.conns; c; c = c->next)
				if (c->state == C_HELD)
					start_connect(c);
		sweep();
	}
	free(pfd);
	free(owner);
	return rc;
}

/* `faultproxy ctl ADDR COMMAND...`: one command, its reply on stdout. */
static int ctl_main(int argc, char **argv)
{
	struct sockaddr_in a;
	char err[FP_LINE_MAX + 64], line[FP_LINE_MAX + 2] = "", reply[FP_LINE_MAX * 2];
	size_t len = 0;
	if (argc < 4 || fp_loopback(argv[2], &a, err, sizeof err)) {
		fprintf(stderr, "faultproxy ctl: %s\n", argc < 4 ? "usage: ctl ADDR COMMAND..." : err);
		return 2;
	}
	for (int i = 3; i < argc; i++) {
		int w = snprintf(line + len, sizeof line - len, "%s%s", i > 3 ? " " : "", argv[i]);
		if (w < 0 || (size_t)w >= sizeof line - len) {
			fprintf(stderr, "faultproxy ctl: command too long\n");
			return 2;
		}
		len += (size_t)w;
	}
	line[len++] = '\n';
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) ||
	    send(fd, line, len, MSG_NOSIGNAL) != (ssize_t)len) {
		fprintf(stderr, "faultproxy ctl: %s: %s\n", argv[2], strerror(errno));
		close_fd(fd, 0);
		return 2;
	}
	size_t got = 0;
	while (got < sizeof reply - 1) {
		ssize_t r = recv(fd, reply + got, sizeof reply - 1 - got, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
		if (memchr(reply, '\n', got))
			break;
	}
	close(fd);
	reply[got] = 0;
	fputs(reply, stdout);
	return strncmp(reply, "ok", 2) ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: faultproxy --target 127.0.0.1:PORT [--listen 127.0.0.1:PORT] "
			"[--control 127.0.0.1:PORT]\n"
			"       faultproxy ctl 127.0.0.1:CONTROLPORT COMMAND...\n"
			"(commands: tests/tools/faultproxy.h)\n");
}

int main(int argc, char **argv)
{
	char err[FP_LINE_MAX + 64];
	const char *listen_s = "127.0.0.1:0", *target_s = NULL, *control_s = "127.0.0.1:0";
	if (argc > 1 && !strcmp(argv[1], "ctl"))
		return ctl_main(argc, argv);
	for (int i = 1; i < argc; i++) {
		const char **dst = !strcmp(argv[i], "--listen")	   ? &listen_s
				   : !strcmp(argv[i], "--target")  ? &target_s
				   : !strcmp(argv[i], "--control") ? &control_s
								   : NULL;
		if (!dst || i + 1 == argc) {
			usage();
			return 2;
		}
		*dst = argv[++i];
	}
	if (!target_s) {
		usage();
		return 2;
	}
	if (fp_loopback(listen_s, &P.listen_addr, err, sizeof err) ||
	    fp_loopback(target_s, &P.target, err, sizeof err) ||
	    fp_loopback(control_s, &P.control, err, sizeof err)) {
		fprintf(stderr, "faultproxy: %s\n", err);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	P.cut[0] = P.cut[1] = -1;
	for (int i = 0; i < FP_CTL_MAX; i++)
		P.ctl[i].fd = -1;
	P.lfd = listen_on(&P.listen_addr);
	P.cfd = listen_on(&P.control);
	if (P.lfd < 0 || P.cfd < 0) {
		fprintf(stderr, "faultproxy: cannot listen: %s\n", strerror(errno));
		return 1;
	}
	char a1[INET_ADDRSTRLEN], a2[INET_ADDRSTRLEN], a3[INET_ADDRSTRLEN];
	printf("faultproxy listen %s:%d control %s:%d target %s:%d\n",
	       inet_ntop(AF_INET, &P.listen_addr.sin_addr, a1, sizeof a1),
	       ntohs(P.listen_addr.sin_port), inet_ntop(AF_INET, &P.control.sin_addr, a2, sizeof a2),
	       ntohs(P.control.sin_port), inet_ntop(AF_INET, &P.target.sin_addr, a3, sizeof a3),
	       ntohs(P.target.sin_port));
	fflush(stdout);
	int rc = run();
	while (P.conns) {
		conn *c = P.conns;
		P.conns = c->next;
		kill_conn(c, 0);
		free_conn(c);
	}
	for (int i = 0; i < FP_CTL_MAX; i++)
		if (P.ctl[i].fd >= 0)
			close(P.ctl[i].fd);
	close_listener();
	close(P.cfd);
	return rc;
}
