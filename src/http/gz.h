/*
 * gz.h - smaller and fewer answers for slow links (issue 9, item 12): the
 * web UI's files in the encoding the browser takes best (brotli, gzip or
 * none, all made at build time by scripts/embed.sh), with a strong ETag, a
 * 304 for a browser that has them already, a year's caching for an asset
 * whose address names its content (".../app.js?v=<hash>"); and JSON answers
 * gzipped at run time above HTTP_GZIP_MIN bytes.
 *
 * Contract with srv.c respond() (to be folded into http.h):
 *
 *   http_static(r) (static.c) answers a UI file as it always did: status
 *   200, r->raw = a copy of the identity bytes, r->raw_type, r->is_static.
 *   respond() then, for r->is_static, calls http_static_rep(r, &rep) before
 *   it makes the MHD response. That call reads Accept-Encoding, If-None-Match
 *   and the "v" argument, and may swap r->raw/r->raw_len for the brotli or
 *   gzip bytes, and may answer 304 (r->status = 304, rep.not_modified); on
 *   a 304 r->raw keeps the bytes a 200 would carry, which libmicrohttpd
 *   0.9.75 does not send but counts in Content-Length (RFC 9110 8.6), as for
 *   HEAD. respond() adds the headers rep names: Content-Encoding if
 *   rep.encoding (never on a 304), ETag if rep.etag[0], Cache-Control and
 *   Vary always. Until respond() calls it, UI files go out as before:
 *   identity, "Cache-Control: no-cache", no ETag.
 *
 *   For a JSON body of len bytes: if http_gzip_wanted(r, len) and
 *   http_gzip() succeeds, send its bytes with "Content-Encoding: gzip".
 *   Every JSON answer says "Vary: Accept-Encoding".
 */
#ifndef HTTP_GZ_H
#define HTTP_GZ_H

#include "http/http.h"

/* JSON bodies below this go as they are: one TCP segment either way. */
#define HTTP_GZIP_MIN 1400u

/* The headers of a UI file's answer, filled by http_static_rep. */
typedef struct {
	const char *encoding;      /* Content-Encoding: "br", "gzip", NULL = identity */
	const char *cache_control; /* Cache-Control */
	const char *vary;          /* Vary: "Accept-Encoding" */
	char etag[32];             /* ETag, with its quotes: "\"<16 hex>-br\"" */
	int not_modified;          /* 1: r->status is now 304 (r->raw: see above) */
} http_rep;

/*
 * Chooses the representation of the UI file http_static(r) answered with
 * (r->is_static): by r's Accept-Encoding the smallest of the encodings with
 * the highest q (identity if the client takes none), 304 without a body if
 * r's If-None-Match names its ETag, "immutable" caching if r's "v" argument
 * is the file's hash (else "no-cache": the browser asks each time, and a
 * 304 answers). May free r->raw and set it anew (owned, as before). OUT:
 * *rep. Does nothing but fill *rep with no-cache if r is not a UI file.
 */
void http_static_rep(http_req *r, http_rep *rep);

/*
 * The q-value, in thousandths (0-1000), that the Accept-Encoding header
 * value h gives to coding ("br", "gzip", "identity"), RFC 9110 12.5.3: the
 * coding's own entry, else "*"'s; -1 if h names neither (or h is NULL, no
 * header): then identity is acceptable and any other coding is not.
 * "x-gzip" counts as "gzip"; a malformed q counts as 0.
 */
int http_accept_q(const char *h, const char *coding);

/* 1 if a JSON body of n bytes should go gzipped to r's client: n is at
 * least HTTP_GZIP_MIN and r's Accept-Encoding takes gzip. */
int http_gzip_wanted(http_req *r, size_t n);

/*
 * Compresses in[0..n) (zlib deflate, level 6, gzip wrapper). OUT: *out
 * (malloc'd, caller frees) and *out_n. Returns 0, or MC_EIO (nothing
 * allocated) if zlib fails. n may be 0.
 */
MC_MUST_USE int http_gzip(const char *in, size_t n, char **out, size_t *out_n);

#endif
