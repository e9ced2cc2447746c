/*
 * sb.h - string builder: always NUL-terminated, bounded by a maximum size,
 * with a sticky error so a chain of appends is checked once (SQLite StrAccum,
 * Git strbuf).
 */
#ifndef SB_H
#define SB_H

#include "mc.h"

typedef struct {
	char *buf;  /* always NUL-terminated once anything was added */
	size_t len; /* bytes before the NUL */
	size_t cap; /* allocated bytes */
	size_t max; /* appends that would pass this length set err */
	int err;    /* sticky: set once an append was cut short */
} sb;

/* Prepares s, allocating nothing; max is the largest length allowed. */
void sb_init(sb *s, size_t max);
/* Frees the contents; s may be reused after sb_init. */
void sb_release(sb *s);
void sb_add(sb *s, const char *str);
void sb_addn(sb *s, const char *str, size_t n);
void sb_addc(sb *s, char c);
void sb_addf(sb *s, const char *fmt, ...) MC_PRINTF(2, 3);
void sb_reset(sb *s);
/* Non-zero if any append was cut short. */
int sb_err(const sb *s);
/* The text so far ("" if nothing); owned by s. */
const char *sb_str(const sb *s);
/* Hands the buffer to the caller (free it) and reinitialises s. */
char *sb_take(sb *s);

#endif
