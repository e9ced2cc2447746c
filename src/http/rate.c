/*
 * rate.c - in-memory rate limits: a fixed window per (bucket, key), and an
 * exponential back-off for failed sign-ins per address and per login.
 * A small fixed table under one mutex: a commune node sees a few hundred
 * clients, and losing the table at restart only forgives a few failures.
 */
#include <pthread.h>

#include "http/http.h"

#define SLOTS 4096

typedef struct {
	char key[96];
	mc_time window_start;
	int count;
	int failures;
	mc_time locked_until;
	mc_time last;
} slot;

static slot table[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The slot for key, reusing the least recently used of 8 probes. */
static slot *find(const char *key, mc_time now)
{
	uint32_t h = hash(key);
	slot *victim = NULL;
	for (int i = 0; i < 8; i++) {
		slot *s = &table[(h + (uint32_t)i) % SLOTS];
		if (strcmp(s->key, key) == 0)
			return s;
		if (!victim || s->last < victim->last)
			victim = s;
	}
	memset(victim, 0, sizeof *victim);
	snprintf(victim->key, sizeof victim->key, "%s", key);
	victim->window_start = now;
	return victim;
}

int rate_allow(const char *bucket, const char *key, int max, int window_secs, mc_time now,
	       int *retry_after)
{
	char k[96];
	snprintf(k, sizeof k, "%s:%s", bucket, key);
	pthread_mutex_lock(&mu);
	slot *s = find(k, now);
	s->last = now;
	if (now - s->window_start >= window_secs) {
		s->window_start = now;
		s->count = 0;
	}
	int ok = s->count < max;
	if (ok)
		s->count++;
	else if (retry_after)
		*retry_after = (int)(s->window_start + window_secs - now) + 1;
	pthread_mutex_unlock(&mu);
	return ok;
}

int rate_login_allowed(const char *key, mc_time now, int *retry_after)
{
	char k[96];
	snprintf(k, sizeof k, "login:%s", key);
	pthread_mutex_lock(&mu);
	slot *s = find(k, now);
	s->last = now;
	int ok = now >= s->locked_until;
	if (!ok && retry_after)
		*retry_after = (int)(s->locked_until - now) + 1;
	pthread_mutex_unlock(&mu);
	return ok;
}

void rate_login_failed(const char *key, mc_time now)
{
	char k[96];
	snprintf(k, sizeof k, "login:%s", key);
	pthread_mutex_lock(&mu);
	slot *s = find(k, now);
	s->last = now;
	s->failures++;
	/* Five tries free, then 2, 4, 8 ... seconds, at most 15 minutes. */
	if (s->failures >= 5) {
		int shift = s->failures - 4;
		long wait = shift >= 10 ? 900 : (1L << shift);
		s->locked_until = now + (wait > 900 ? 900 : wait);
	}
	pthread_mutex_unlock(&mu);
}

void rate_login_succeeded(const char *key)
{
	char k[96];
	snprintf(k, sizeof k, "login:%s", key);
	pthread_mutex_lock(&mu);
	slot *s = find(k, 0);
	s->failures = 0;
	s->locked_until = 0;
	pthread_mutex_unlock(&mu);
}

void rate_reset(void)
{
	pthread_mutex_lock(&mu);
	memset(table, 0, sizeof table);
	pthread_mutex_unlock(&mu);
}
