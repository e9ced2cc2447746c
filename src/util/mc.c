/*
 * mc.c - the error record, status code names, the aborting allocators and
 * process set-up.
 */
#include "mc.h"

#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mc_seterr(mc_err *e, int code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		e->code = code;
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

const char *mc_code_name(int code)
{
	static const char *names[] = {
		"ok", "invalid", "not_found", "conflict", "forbidden",
		"busy", "io_error", "corrupt", "exists",
	};
	if (code < 0 || (size_t)code >= MC_ARRAY_LEN(names))
		return "error";
	return names[code];
}

__attribute__((noreturn)) static void oom(void)
{
	fputs("motcua: out of memory\n", stderr);
	abort();
}

void *mc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *mc_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *mc_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom();
	return q;
}

void *mc_xmallocarray(size_t n, size_t size)
{
	size_t total;
	if (mc_size_mul(n, size, &total))
		oom();
	return mc_xmalloc(total);
}

void *mc_xreallocarray(void *p, size_t n, size_t size)
{
	size_t total;
	if (mc_size_mul(n, size, &total))
		oom();
	return mc_xrealloc(p, total);
}

char *mc_xstrdup(const char *s)
{
	return mc_xstrndup(s, strlen(s));
}

char *mc_xstrndup(const char *s, size_t n)
{
	size_t size;
	if (mc_size_add(n, 1, &size))
		oom();
	char *p = mc_xmalloc(size);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void mc_process_init(void)
{
	/* SQLite takes a 64 KiB statement-journal chunk in every write
	 * transaction and frees it at commit. With glibc's default 128 KiB trim
	 * threshold that chunk sits at the top of the heap, so every commit paid
	 * a brk() to grow and another to trim (measured: about 15 % of a
	 * reception's CPU). Keep up to 8 MiB of free heap instead. */
	mallopt(M_TRIM_THRESHOLD, 8 << 20);
	mallopt(M_TOP_PAD, 1 << 20);
}
