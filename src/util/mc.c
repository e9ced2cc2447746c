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

static const mc_errdef errdefs[] = {
#define MC_ERROR(id, name, cls, status, vi, en) { name, cls, status, vi, en },
#include "mc_errors.def"
#undef MC_ERROR
};

const mc_errdef *mc_errdefs(size_t *n)
{
	*n = MC_ARRAY_LEN(errdefs);
	return errdefs;
}

/* Cuts a UTF-8 string that snprintf may have cut inside a character back to
 * the last whole one. */
static void utf8_trim(char *s)
{
	size_t n = strlen(s), i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t want = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (n - (i - 1) < want)
		s[i - 1] = 0;
}

int mc_fail(mc_err *e, int id, const char *vi, const char *en, ...)
{
	if (id < 0 || id >= MCE_COUNT)
		id = MCE_INTERNAL;
	if (e) {
		va_list ap, aq;
		va_start(ap, en);
		va_copy(aq, ap);
		e->code = errdefs[id].cls;
		e->id = id;
		vsnprintf(e->vi, sizeof e->vi, vi, ap);
		vsnprintf(e->msg, sizeof e->msg, en, aq);
		va_end(aq);
		va_end(ap);
		utf8_trim(e->vi);
		utf8_trim(e->msg);
	}
	return errdefs[id].cls;
}

/* buf = pre ": " buf, cut to size at a character boundary. */
static void prepend(char *buf, size_t size, const char *pre)
{
	size_t np = strlen(pre), nb = strlen(buf);
	if (np + 2 >= size) {
		np = size - 3;
		while (np > 0 && ((unsigned char)pre[np] & 0xC0) == 0x80)
			np--; /* cut the prefix before a whole character */
		nb = 0;
	} else if (np + 2 + nb >= size) {
		nb = size - 1 - np - 2;
	}
	memmove(buf + np + 2, buf, nb);
	memcpy(buf, pre, np);
	buf[np] = ':';
	buf[np + 1] = ' ';
	buf[np + 2 + nb] = 0;
	utf8_trim(buf);
}

int mc_prefix(mc_err *e, const char *vi, const char *en, ...)
{
	char pvi[256], pen[256];
	va_list ap, aq;
	if (!e)
		return MC_EIO; /* no record to add context to: a caller's mistake */
	va_start(ap, en);
	va_copy(aq, ap);
	vsnprintf(pvi, sizeof pvi, vi, ap);
	vsnprintf(pen, sizeof pen, en, aq);
	va_end(aq);
	va_end(ap);
	prepend(e->vi, sizeof e->vi, pvi);
	prepend(e->msg, sizeof e->msg, pen);
	return e->code;
}

const char *mc_errmsg(const mc_err *e, int vi)
{
	if (vi && e->vi[0])
		return e->vi;
	if (e->msg[0])
		return e->msg;
	return vi ? errdefs[e->id >= 0 && e->id < MCE_COUNT ? e->id : MCE_INTERNAL].vi
		  : errdefs[e->id >= 0 && e->id < MCE_COUNT ? e->id : MCE_INTERNAL].en;
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
