/*
 * catp_range.c - helpers over byte ranges [a, b) of UTF-8 text, shared by
 * the catp parsers (declared in catp_int.h).
 */
#include "catp_int.h"

#include <unistr.h>

int catp_has_prefix(const char *a, const char *b, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(b - a) >= n && memcmp(a, lit, n) == 0;
}

const char *catp_find(const char *a, const char *b, const char *lit)
{
	return memmem(a, (size_t)(b - a), lit, strlen(lit));
}

int catp_is_digit(ucs4_t c)
{
	return c >= '0' && c <= '9';
}

/* The code point at p (0 at the end). */
ucs4_t catp_cp_at(const char *p, const char *b)
{
	ucs4_t uc;
	if (p >= b)
		return 0;
	u8_mbtouc(&uc, (const uint8_t *)p, (size_t)(b - p));
	return uc;
}

/* Start of the code point before p (not before a). */
const char *catp_back(const char *p, const char *a)
{
	if (p <= a)
		return a;
	p--;
	while (p > a && ((unsigned char)*p & 0xC0) == 0x80)
		p--;
	return p;
}

/* Width of a blank at p: ASCII white space or a no-break space (the portal
 * pads cells with &nbsp;), 0 if none. */
size_t catp_blank_at(const char *p, const char *b)
{
	if (p < b && (*p == ' ' || (*p >= '\t' && *p <= '\r')))
		return 1;
	if (catp_has_prefix(p, b, "\xc2\xa0"))
		return 2;
	return 0;
}

void catp_trim(const char **a, const char **b)
{
	size_t k;
	while ((k = catp_blank_at(*a, *b)))
		*a += k;
	while (*b > *a) {
		if (strchr(" \t\n\r\v\f", (*b)[-1]))
			(*b)--;
		else if (*b - *a >= 2 && catp_has_prefix(*b - 2, *b, "\xc2\xa0"))
			*b -= 2;
		else
			break;
	}
}

int catp_is_blank(const char *a, const char *b)
{
	catp_trim(&a, &b);
	return a == b;
}

char *catp_dup_trim(const char *a, const char *b)
{
	catp_trim(&a, &b);
	return mc_xstrndup(a, (size_t)(b - a));
}

/* Trimmed copy with every run of blanks turned into one space: names and
 * headings, where the portal's line breaks and padding carry no meaning. */
char *catp_dup_squeeze(const char *a, const char *b)
{
	catp_trim(&a, &b);
	char *out = mc_xmalloc((size_t)(b - a) + 1);
	size_t o = 0, k;
	while (a < b) {
		if ((k = catp_blank_at(a, b))) {
			while ((k = catp_blank_at(a, b)))
				a += k;
			out[o++] = ' ';
		} else {
			out[o++] = *a++;
		}
	}
	out[o] = 0;
	return out;
}

/* Length of a run [0-9][0-9.,]* at p. */
size_t catp_num_run(const char *p, const char *b)
{
	const char *q = p;
	if (q >= b || !catp_is_digit((unsigned char)*q))
		return 0;
	while (q < b && (catp_is_digit((unsigned char)*q) || *q == '.' || *q == ','))
		q++;
	return (size_t)(q - p);
}
