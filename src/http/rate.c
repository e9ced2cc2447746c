/*
 * rate.c - in-memory limits: fixed windows per (bucket, key), the sign-in
 * back-off, the pause of a dossier code's public look-up after wrong phone
 * digits, and requests in flight per session.
 *
 * One table of slots under one mutex: a commune node sees a few hundred
 * clients, and losing the table at restart only forgives a few failures.
 * Slots are found by a keyed hash (SipHash from libsodium, with a key drawn
 * at start), so nobody can craft keys that fall on a chosen slot; and a
 * slot that holds failures, a lock or requests in flight is never taken
 * for another key. When every probe is held, the caller is refused rather
 * than forgiven.
 *
 * Sign-in: failures count per (login, address) and lock that pair only, so
 * wrong passwords typed elsewhere never lock the officer out at their own
 * desk. A login-wide count only slows guessing from addresses that never
 * signed in as that login; an address-wide count stops one address from
 * spraying passwords over many logins.
 */
#include <pthread.h>
#include <sodium.h>

#include "http/http.h"

#define SLOTS 16384
#define PROBES 8
#define FORGET_SECS 3600       /* failures older than this are forgiven */
#define PAIR_FREE 5            /* tries per (login, address) before back-off */
#define ADDRESS_FREE 20        /* failures per address, over all logins */
#define LOGIN_WIDE 50          /* failures per login before the slowdown */
#define LOGIN_WIDE_GAP 2       /* seconds between tries once slowed */
#define LOCK_MAX 900           /* the longest back-off, seconds */

typedef struct {
	uint64_t tag; /* keyed hash of key; 0: empty */
	char key[128];
	mc_time window_start;
	int count;
	int failures;
	mc_time last_failure;
	mc_time locked_until;
	mc_time last;
	int good;     /* (login, address): signed in from here before */
	int inflight;
} slot;

static slot table[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned char hash_key[crypto_shorthash_KEYBYTES];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void key_init(void)
{
	if (sodium_init() < 0)
		abort(); /* libsodium cannot run without its RNG */
	randombytes_buf(hash_key, sizeof hash_key);
}

static uint64_t tag_of(const char *key)
{
	unsigned char out[crypto_shorthash_BYTES];
	uint64_t t = 0;
	crypto_shorthash(out, (const unsigned char *)key, strlen(key), hash_key);
	for (int i = 0; i < 8; i++)
		t = (t << 8) | out[i];
	return t ? t : 1;
}

/* 1 if s holds something that must not be forgotten yet. */
static int held(const slot *s, mc_time now)
{
	return s->inflight > 0 || s->locked_until > now ||
	       (s->failures > 0 && now - s->last_failure < FORGET_SECS);
}

/* The slot of key (made if absent), or NULL if every probe is held by
 * another key. Under mu. */
static slot *find(const char *key, mc_time now)
{
	uint64_t t = tag_of(key);
	slot *victim = NULL;
	for (int i = 0; i < PROBES; i++) {
		slot *s = &table[(t + (uint64_t)i) % SLOTS];
		if (s->tag == t && strcmp(s->key, key) == 0)
			return s;
		if (s->tag && held(s, now))
			continue;
		if (!victim || !s->tag || (victim->tag && s->last < victim->last))
			victim = s;
	}
	if (!victim)
		return NULL;
	memset(victim, 0, sizeof *victim);
	victim->tag = t;
	snprintf(victim->key, sizeof victim->key, "%s", key);
	victim->window_start = now;
	victim->last = now;
	return victim;
}

static slot *lookup(const char *prefix, const char *a, const char *b, mc_time now)
{
	char k[128];
	snprintf(k, sizeof k, "%s:%.60s\n%.60s", prefix, a, b ? b : "");
	pthread_once(&key_once, key_init);
	slot *s = find(k, now);
	if (s)
		s->last = now;
	return s;
}

int rate_allow(const char *bucket, const char *key, int max, int window_secs, mc_time now,
	       int *retry_after)
{
	pthread_mutex_lock(&mu);
	slot *s = lookup(bucket, key, NULL, now);
	int ok = 0;
	if (s) {
		if (now - s->window_start >= window_secs) {
			s->window_start = now;
			s->count = 0;
		}
		ok = s->count < max;
		if (ok)
			s->count++;
	}
	if (!ok && retry_after)
		*retry_after = s ? (int)(s->window_start + window_secs - now) + 1 : window_secs;
	pthread_mutex_unlock(&mu);
	return ok;
}

/* Forgets failures older than FORGET_SECS. */
static void age(slot *s, mc_time now)
{
	if (s->failures > 0 && now - s->last_failure >= FORGET_SECS && s->locked_until <= now) {
		s->failures = 0;
		s->locked_until = 0;
	}
}

/* The wait after failures, of which free were free: 2, 4, 8 ... seconds. */
static mc_time backoff(int failures, int free)
{
	if (failures < free)
		return 0;
	int shift = failures - free + 1;
	return shift >= 10 ? LOCK_MAX : ((mc_time)1 << shift) > LOCK_MAX ? LOCK_MAX : (mc_time)1 << shift;
}

static int wait_of(const slot *s, mc_time now)
{
	return s && s->locked_until > now ? (int)(s->locked_until - now) : 0;
}

int rate_login_allowed(const char *login, const char *address, mc_time now, int *retry_after)
{
	pthread_mutex_lock(&mu);
	slot *pair = lookup("pair", login, address, now);
	slot *who = lookup("login", login, NULL, now);
	slot *from = lookup("addr", address, NULL, now);
	int wait = 60; /* no room to count: refuse rather than forgive */
	if (pair && who && from) {
		age(pair, now);
		age(who, now);
		age(from, now);
		wait = wait_of(pair, now);
		if (wait_of(from, now) > wait)
			wait = wait_of(from, now);
		if (!pair->good && wait_of(who, now) > wait)
			wait = wait_of(who, now);
	}
	if (wait > 0 && retry_after)
		*retry_after = wait + 1;
	pthread_mutex_unlock(&mu);
	return wait == 0;
}

void rate_login_failed(const char *login, const char *address, mc_time now)
{
	pthread_mutex_lock(&mu);
	slot *pair = lookup("pair", login, address, now);
	slot *who = lookup("login", login, NULL, now);
	slot *from = lookup("addr", address, NULL, now);
	if (pair) {
		pair->failures++;
		pair->last_failure = now;
		pair->locked_until = now + backoff(pair->failures, PAIR_FREE);
	}
	if (from) {
		from->failures++;
		from->last_failure = now;
		from->locked_until = now + backoff(from->failures, ADDRESS_FREE);
	}
	if (who) {
		who->failures++;
		who->last_failure = now;
		if (who->failures >= LOGIN_WIDE)
			who->locked_until = now + LOGIN_WIDE_GAP;
	}
	pthread_mutex_unlock(&mu);
}

void rate_login_succeeded(const char *login, const char *address, mc_time now)
{
	pthread_mutex_lock(&mu);
	slot *pair = lookup("pair", login, address, now);
	if (pair) {
		pair->failures = 0;
		pair->locked_until = 0;
		pair->good = 1;
	}
	pthread_mutex_unlock(&mu);
}

int rate_code_allowed(const char *code, mc_time now, int *retry_after)
{
	pthread_mutex_lock(&mu);
	slot *s = lookup("code", code, NULL, now);
	int wait = 60;
	if (s) {
		age(s, now);
		wait = s->failures >= RATE_CODE_MAX ? (int)(s->last_failure + FORGET_SECS - now) : 0;
	}
	if (wait > 0 && retry_after)
		*retry_after = wait + 1;
	pthread_mutex_unlock(&mu);
	return wait <= 0;
}

void rate_code_wrong(const char *code, mc_time now)
{
	pthread_mutex_lock(&mu);
	slot *s = lookup("code", code, NULL, now);
	if (s) {
		age(s, now);
		s->failures++;
		s->last_failure = now;
	}
	pthread_mutex_unlock(&mu);
}

int rate_inflight_begin(const char *key, int max)
{
	pthread_mutex_lock(&mu);
	slot *s = lookup("fly", key, NULL, 0);
	int ok = s && s->inflight < max;
	if (ok)
		s->inflight++;
	pthread_mutex_unlock(&mu);
	return ok;
}

void rate_inflight_end(const char *key)
{
	pthread_mutex_lock(&mu);
	slot *s = lookup("fly", key, NULL, 0);
	if (s && s->inflight > 0)
		s->inflight--;
	pthread_mutex_unlock(&mu);
}

void rate_reset(void)
{
	pthread_mutex_lock(&mu);
	memset(table, 0, sizeof table);
	pthread_mutex_unlock(&mu);
}
