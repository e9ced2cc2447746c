/*
 * gz.c - content codings: what a client's Accept-Encoding takes, and gzip
 * for JSON answers at run time (the UI's files are compressed at build
 * time, scripts/embed.sh). At 256 kbit/s a 150 KB list of dossiers takes
 * five seconds; gzipped, under one.
 */
#include "http/gz.h"

#include <strings.h>
#include <zlib.h>

/* Level 6: the demo's 147 KB list of returned dossiers becomes 15.1 KB in
 * 1.5 ms, at level 9 14.5 KB in 2.9 ms, at level 1 19.8 KB in about the
 * same time as 6 (zlib 1.2.13 here). */
#define GZIP_LEVEL 6

static const char *skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A qvalue ("0", "0.5", "1", "1.000"), in thousandths; -1 if malformed. */
static int parse_q(const char *p, size_t n)
{
	if (n == 0 || (p[0] != '0' && p[0] != '1'))
		return -1;
	int q = (p[0] - '0') * 1000;
	if (n == 1)
		return q;
	if (p[1] != '.' || n > 5)
		return -1;
	int scale = 100;
	for (size_t i = 2; i < n; i++, scale /= 10) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		q += (p[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

/* The q of one list element's parameters (p after the coding); 1000 if it
 * has none. OUT: *end, the element's end (its comma or the NUL). */
static int element_q(const char *p, const char **end)
{
	int q = 1000;
	while (*p && *p != ',') {
		p = skip_ows(p);
		if (!*p || *p == ',')
			break;
		if (*p != ';') { /* junk after the coding: the element is malformed */
			q = -1;
			while (*p && *p != ',')
				p++;
			break;
		}
		p = skip_ows(p + 1);
		const char *name = p;
		while (*p && *p != '=' && *p != ';' && *p != ',' && *p != ' ' && *p != '\t')
			p++;
		size_t name_n = (size_t)(p - name);
		if (*p != '=')
			continue;
		const char *v = ++p;
		if (*p == '"') { /* a quoted-string value (not for q) */
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p == '"')
				p++;
		} else {
			while (*p && *p != ';' && *p != ',' && *p != ' ' && *p != '\t')
				p++;
		}
		if (name_n == 1 && (name[0] == 'q' || name[0] == 'Q'))
			q = parse_q(v, (size_t)(p - v));
	}
	*end = p;
	return q;
}

int http_accept_q(const char *h, const char *coding)
{
	if (!h)
		return -1;
	int own = -1, star = -1;
	const char *p = h;
	for (;;) {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *tok = p;
		while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
			p++;
		size_t n = (size_t)(p - tok);
		const char *end;
		int q = element_q(p, &end);
		p = end;
		if (q < 0)
			q = 0; /* a garbled q never turns a coding on */
		if (n == 1 && tok[0] == '*') {
			star = q > star ? q : star;
		} else if ((n == strlen(coding) && strncasecmp(tok, coding, n) == 0) ||
			   (strcmp(coding, "gzip") == 0 && n == 6 &&
			    strncasecmp(tok, "x-gzip", 6) == 0)) {
			own = q > own ? q : own;
		}
	}
	return own >= 0 ? own : star;
}

int http_gzip_wanted(http_req *r, size_t n)
{
	return n >= HTTP_GZIP_MIN && http_accept_q(http_header(r, "Accept-Encoding"), "gzip") > 0;
}

int http_gzip(const char *in, size_t n, char **out, size_t *out_n)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	*out = NULL;
	*out_n = 0;
	/* 15 + 16: a 32 KB window and the gzip wrapper (RFC 1952), which every
	 * browser takes as "gzip"; zlib's own wrapper is "deflate", which some
	 * do not. */
	if (deflateInit2(&z, GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return MC_EIO;
	uLong cap = deflateBound(&z, (uLong)n);
	unsigned char *buf = mc_xmalloc(cap);
	z.next_in = (Bytef *)(uintptr_t)in; /* zlib's API is not const */
	z.avail_in = (uInt)n;
	z.next_out = buf;
	z.avail_out = (uInt)cap;
	/* deflateBound is enough for one Z_FINISH call; a body over 4 GB never
	 * reaches here (HTTP answers are far smaller). */
	int rc = n > UINT32_MAX ? Z_STREAM_ERROR : deflate(&z, Z_FINISH);
	size_t got = cap - z.avail_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(buf);
		return MC_EIO;
	}
	*out = (char *)buf;
	*out_n = got;
	return 0;
}
