/*
 * mc.h - things every motcua module shares: the error record, status codes,
 * the fallible-function attribute and the aborting allocator.
 */
#ifndef MC_H
#define MC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MC_MUST_USE __attribute__((warn_unused_result))
#define MC_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Status codes. Append only: the HTTP layer maps them to statuses. */
enum {
	MC_OK = 0,
	MC_EINVAL,    /* bad input: the message names the field */
	MC_ENOTFOUND, /* no such record */
	MC_ECONFLICT, /* valid request, wrong state (invalid transition, duplicate) */
	MC_EPERM,     /* the actor's role does not allow it */
	MC_EBUSY,     /* database locked past the busy timeout */
	MC_EIO,       /* disk or database failure */
	MC_ECORRUPT,  /* integrity check or hash chain failed */
	MC_EEXIST,    /* refuses to overwrite something that exists */
};

typedef struct {
	int code;
	char msg[256];
} mc_err;

/* Sets e (if not NULL) to code and a printf-formatted message; returns code. */
int mc_seterr(mc_err *e, int code, const char *fmt, ...) MC_PRINTF(3, 4);

/* Name of a status code ("invalid", "not_found", ...), for JSON and logs. */
const char *mc_code_name(int code);

/* Allocators that abort on out-of-memory (a server that cannot allocate
 * cannot keep its promises; Redis does the same). */
void *mc_xmalloc(size_t n);
void *mc_xcalloc(size_t n, size_t size);
void *mc_xrealloc(void *p, size_t n);
char *mc_xstrdup(const char *s);
char *mc_xstrndup(const char *s, size_t n);
/* n elements of size bytes; a product that overflows size_t aborts like
 * out-of-memory (it is a request for more memory than exists). */
void *mc_xmallocarray(size_t n, size_t size);
void *mc_xreallocarray(void *p, size_t n, size_t size);

/*
 * Overflow-checked sizes for allocations (Git's st_add/st_mult, returning
 * instead of dying). OUT: *out = a * b (a + b). Return non-zero on overflow,
 * with *out = SIZE_MAX so an unchecked use fails to allocate rather than
 * allocating too little.
 */
MC_MUST_USE static inline int mc_size_mul(size_t a, size_t b, size_t *out)
{
	if (__builtin_mul_overflow(a, b, out)) {
		*out = SIZE_MAX;
		return 1;
	}
	return 0;
}

MC_MUST_USE static inline int mc_size_add(size_t a, size_t b, size_t *out)
{
	if (__builtin_add_overflow(a, b, out)) {
		*out = SIZE_MAX;
		return 1;
	}
	return 0;
}

/* Process-wide set-up, called first by main: malloc tuning (see mc.c). */
void mc_process_init(void);

/* Times: seconds since the Unix epoch (UTC). Vietnam keeps UTC+7 all year,
 * so local civil time is always t + MC_TZ_OFFSET. */
typedef int64_t mc_time;
#define MC_TZ_OFFSET (7 * 3600)

/* Ignores a fallible call's result on purpose (a cast to void does not
 * silence warn_unused_result in gcc). */
#define MC_IGNORE(x)        \
	do {                \
		if (x) {    \
		}           \
	} while (0)

#define MC_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#include "banned.h"

#endif
