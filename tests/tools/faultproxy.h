/*
 * faultproxy.h - a fault-injecting TCP proxy for tests, loopback only.
 *
 * Test tooling, not part of the motcua binary: it sits between a node and
 * the hub in the sync tests (docs/sync.md "Test plan") and plays the bad
 * links communes have. It listens on a loopback port, forwards every
 * connection to a loopback target, and takes one-line text commands on a
 * second loopback port (the control port) that switch faults at run time.
 *
 *   faultproxy --target 127.0.0.1:PORT [--listen 127.0.0.1:PORT]
 *              [--control 127.0.0.1:PORT]
 *   faultproxy ctl 127.0.0.1:CONTROLPORT COMMAND...
 *
 * Port 0 (the default for --listen and --control) picks a free port; once
 * ready the proxy prints one line on stdout:
 *   faultproxy listen 127.0.0.1:P control 127.0.0.1:C target 127.0.0.1:T
 * Every address must be in 127.0.0.0/8: any other is refused (exit 2), so
 * the tool cannot be pointed at a real network. SIGTERM or SIGINT ends it
 * cleanly (exit 0). `ctl` sends one command, prints the reply, and exits 0
 * when it starts with "ok" (for shell scripts).
 *
 * Control protocol: one command per line (at most FP_LINE_MAX bytes), one
 * reply line each, "ok[ key=value...]" or "err REASON". DIR is c2s (client
 * to target), s2c (target to client) or both.
 *   pass                     every fault off
 *   refuse [close|rst]       new connections refused: the listening socket
 *                            is closed (ECONNREFUSED); with rst they are
 *                            accepted and reset at once (ECONNRESET)
 *   accept                   undo refuse
 *   down [drop|hold]         link down. drop (the default): every open
 *                            connection is reset, new ones are refused
 *                            (ECONNREFUSED). hold: nothing moves on any
 *                            connection, and new ones are accepted and
 *                            held unanswered (a black hole) until up
 *   up                       link up: held connections go on, the
 *                            listening socket is open again
 *   cut DIR N [fin|rst]      every connection is cut once N bytes have been
 *                            forwarded in DIR, counted from its start: the
 *                            receiver gets exactly those N bytes, then both
 *                            sides are closed (fin, the default); with rst
 *                            both are reset, which may discard some of the
 *                            N bytes still in flight. A connection already
 *                            past N is cut when it next sends in DIR
 *   cut off
 *   delay DIR MS             each chunk read in DIR is forwarded MS ms later
 *                            (order kept); 0 = off
 *   throttle DIR BPS         DIR carries at most BPS bytes per second over
 *                            all connections (a token bucket of BPS/10
 *                            bytes, full when set); 0 = off. 50 kbit/s is
 *                            6250
 *   random DIR SEED PCT MAX  connection k accepted after this command is,
 *                            with probability PCT %, cut (fin) after M bytes
 *                            in DIR, 0 <= M < MAX; both drawn from
 *                            SEED and k alone, so a run is reproducible
 *                            whatever the timing
 *   random off
 *   status                   "ok" then the settings and counters
 *
 * fp_parse (the grammar above) and fp_loopback (the address rule) are the
 * only functions with external linkage; the rest of the proxy is static in
 * tests/tools/faultproxy.c.
 */
#ifndef FAULTPROXY_H
#define FAULTPROXY_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

enum { FP_LINE_MAX = 256 };

typedef enum {
	FP_PASS,
	FP_REFUSE,
	FP_ACCEPT,
	FP_DOWN,
	FP_UP,
	FP_CUT,
	FP_CUT_OFF,
	FP_DELAY,
	FP_THROTTLE,
	FP_RANDOM,
	FP_RANDOM_OFF,
	FP_STATUS
} fp_op;

/* Directions: a mask, so "both" is FP_C2S | FP_S2C. */
enum { FP_C2S = 1, FP_S2C = 2 };

typedef struct {
	fp_op op;
	int dirs;      /* FP_C2S | FP_S2C mask (cut, delay, throttle, random) */
	int flag;      /* refuse: 1 = rst; down: 1 = hold; cut: 1 = rst */
	int64_t n;     /* cut: bytes; delay: ms; throttle: bytes/s; random: MAX */
	uint64_t seed; /* random */
	int pct;       /* random: 0..100 */
} fp_cmd;

/*
 * Parses one control line (without its newline) into *out (OUT).
 * Returns 0, or -1 with a lower-case reason in err (errlen bytes).
 */
int fp_parse(const char *line, fp_cmd *out, char *err, size_t errlen);

/*
 * Parses "A.B.C.D:PORT" into *out (OUT) and checks that the address is in
 * 127.0.0.0/8. Returns 0, or -1 with a reason in err.
 */
int fp_loopback(const char *hostport, struct sockaddr_in *out, char *err, size_t errlen);

#endif
