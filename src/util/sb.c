/*
 * sb.c - the string builder (sb.h).
 */
#include "sb.h"

#include <stdarg.h>

void sb_init(sb *s, size_t max)
{
	s->buf = NULL;
	s->len = 0;
	s->cap = 0;
	s->max = max;
	s->err = 0;
}

void sb_release(sb *s)
{
	free(s->buf);
	sb_init(s, s->max);
}

void sb_reset(sb *s)
{
	s->len = 0;
	s->err = 0;
	if (s->buf)
		s->buf[0] = 0;
}

/* Makes room for n more bytes and the NUL; sets the sticky error instead
 * when the length would pass max (or size_t). */
static int grow(sb *s, size_t n)
{
	size_t need, size;
	if (s->err)
		return -1;
	if (mc_size_add(s->len, n, &need) || need > s->max || mc_size_add(need, 1, &size)) {
		s->err = 1;
		return -1;
	}
	if (size > s->cap) {
		size_t cap = s->cap ? s->cap : 64;
		while (cap < size)
			if (mc_size_mul(cap, 2, &cap))
				cap = size;
		s->buf = mc_xrealloc(s->buf, cap);
		s->cap = cap;
	}
	return 0;
}

void sb_addn(sb *s, const char *str, size_t n)
{
	if (grow(s, n))
		return;
	memcpy(s->buf + s->len, str, n);
	s->len += n;
	s->buf[s->len] = 0;
}

void sb_add(sb *s, const char *str)
{
	sb_addn(s, str, strlen(str));
}

void sb_addc(sb *s, char c)
{
	sb_addn(s, &c, 1);
}

void sb_addf(sb *s, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		s->err = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		sb_addn(s, small, (size_t)n);
		return;
	}
	if (grow(s, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(s->buf + s->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	s->len += (size_t)n;
}

int sb_err(const sb *s)
{
	return s->err;
}

const char *sb_str(const sb *s)
{
	return s->buf ? s->buf : "";
}

char *sb_take(sb *s)
{
	char *p = s->buf ? s->buf : mc_xstrdup("");
	sb_init(s, s->max);
	return p;
}
