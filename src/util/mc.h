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

/*
 * Stable error codes ("dossier.wrong_state"): what a client program keys on,
 * whatever the language of the message. One table, mc_errors.def, lists
 * them all with their class, HTTP status and a title in both languages;
 * the API document and docs/api.md are made from it.
 */
enum {
#define MC_ERROR(id, name, cls, status, vi, en) MCE_##id,
#include "mc_errors.def"
#undef MC_ERROR
	MCE_COUNT
};

typedef struct {
	const char *name; /* the stable code */
	int cls;          /* MC_E* */
	int status;       /* the HTTP status it is answered with */
	const char *vi, *en; /* what the code means, for the reference */
} mc_errdef;

/* The table, in mc_errors.def order. OUT: *n entries. */
const mc_errdef *mc_errdefs(size_t *n);

/* An error: its class (for callers' logic), its stable code and the same
 * message in English and in Vietnamese. */
typedef struct {
	int code; /* class: MC_E* */
	int id;   /* stable code: MCE_* */
	char msg[256]; /* English */
	char vi[384];  /* Vietnamese (UTF-8 takes more bytes) */
} mc_err;

/*
 * Sets e (if not NULL) to the stable code id with the message in Vietnamese
 * (vi) and English (en): two printf formats of the same arguments (use
 * "%1$s" positions if the word order differs). Returns id's class.
 */
int mc_fail(mc_err *e, int id, const char *vi, const char *en, ...)
	__attribute__((format(printf, 3, 5), format(printf, 4, 5)));

/* Puts a formatted context before both messages of e ("line 3: ..."),
 * keeping its code. Returns e->code. */
int mc_prefix(mc_err *e, const char *vi, const char *en, ...)
	__attribute__((format(printf, 2, 4), format(printf, 3, 4)));

/* e's message in Vietnamese (vi non-zero) or English. */
const char *mc_errmsg(const mc_err *e, int vi);

/* Name of a status class ("invalid", "not_found", ...), for logs. */
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
