/*
 * static.c - the web UI's files, embedded in the binary at build time
 * (scripts/embed.sh), served with a strict Content-Security-Policy: the UI
 * works on the commune's LAN with the internet down and runs no script that
 * did not come from this binary.
 *
 * For slow links (docs/ui.md): each file also exists brotli- and
 * gzip-encoded; the pages (HTML) are revalidated on every visit (a 304 of a
 * few hundred bytes), and the assets they name carry their content hash in
 * the address ("/assets/app.js?v=<hash>", written in at build time), so the
 * browser keeps them a year and never asks again.
 */
#include "http/gz.h"

#include "embedded.h"

static const struct {
	const char *ext, *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" }, { ".js", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },   { ".svg", "image/svg+xml" },
	{ ".ico", "image/x-icon" },		 { ".json", "application/json" },
};

#define CACHE_REVALIDATE "no-cache"
/* A year: the longest RFC 9111 lets a cache count on; "immutable" spares
 * even the reload's revalidation. */
#define CACHE_FOREVER "public, max-age=31536000, immutable"

static const mc_embedded_file *find_file(const char *name)
{
	for (const mc_embedded_file *f = mc_embedded; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static const char *type_of(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < MC_ARRAY_LEN(types); i++) {
		size_t k = strlen(types[i].ext);
		if (n > k && strcmp(name + n - k, types[i].ext) == 0)
			return types[i].type;
	}
	return "application/octet-stream";
}

/* The embedded file for a path, or NULL. OUT: *is_asset, 1 for
 * "/assets/..." (cacheable by its hash), 0 for a page. */
static const mc_embedded_file *file_for(const char *p, int *is_asset)
{
	char name[160];
	*is_asset = 0;
	/* The staff app is one page; the citizen's look-up has its own
	 * (/tra-cuu and /tra-cuu/{code}, the address a receipt's QR code holds). */
	if (strcmp(p, "/") == 0 || strcmp(p, "/index.html") == 0) {
		snprintf(name, sizeof name, "web/index.html");
	} else if (strcmp(p, "/tra-cuu") == 0 || strncmp(p, "/tra-cuu/", 9) == 0) {
		snprintf(name, sizeof name, "web/tra-cuu.html");
	} else if (strncmp(p, "/assets/", 8) == 0 && strlen(p + 8) < 100 && !strstr(p, "..") &&
		   !strchr(p + 8, '/')) {
		snprintf(name, sizeof name, "web/%s", p + 8);
		*is_asset = 1;
	} else {
		return NULL;
	}
	return find_file(name);
}

int http_static(http_req *r)
{
	int is_asset;
	const mc_embedded_file *f = file_for(r->path, &is_asset);
	if (!f)
		return 0;
	r->status = 200;
	r->raw = mc_xmalloc(f->size ? f->size : 1);
	memcpy(r->raw, f->data, f->size);
	r->raw_len = f->size;
	r->raw_type = type_of(f->name);
	r->is_static = 1;
	return 1;
}

/* 1 if the If-None-Match value inm names etag (with its quotes), by the
 * weak comparison RFC 9110 13.1.2 asks for: "W/" is ignored. */
static int etag_listed(const char *inm, const char *etag)
{
	size_t n = strlen(etag);
	const char *p = inm;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"')
			return 0; /* malformed: believe nothing after it */
		const char *q = strchr(p + 1, '"');
		if (!q)
			return 0;
		if ((size_t)(q + 1 - p) == n && memcmp(p, etag, n) == 0)
			return 1;
		p = q + 1;
	}
}

/* A representation the client may get: its coding, bytes and q. */
typedef struct {
	const char *coding; /* Content-Encoding, NULL for identity */
	const char *suffix; /* of the ETag */
	const unsigned char *data;
	size_t size;
	int q;
} rep_choice;

/* The representation of f that Accept-Encoding ae prefers: the highest q,
 * then the fewest bytes. Identity is the fallback: when the header does not
 * name it, it ranks below every coding the client takes; when nothing is
 * acceptable, it is sent anyway (RFC 9110 12.5.3 lets us disregard the
 * header rather than answer 406). */
static rep_choice choose(const mc_embedded_file *f, const char *ae)
{
	rep_choice c[3] = {
		{ NULL, "", f->data, f->size, http_accept_q(ae, "identity") },
		{ "br", "-br", f->br, f->br_size, http_accept_q(ae, "br") },
		{ "gzip", "-gz", f->gz, f->gz_size, http_accept_q(ae, "gzip") },
	};
	rep_choice best = c[0];
	best.q = best.q > 0 ? best.q : 0;
	for (int i = 1; i < 3; i++)
		if (c[i].data && c[i].q > 0 &&
		    (c[i].q > best.q || (c[i].q == best.q && c[i].size < best.size)))
			best = c[i];
	return best;
}

void http_static_rep(http_req *r, http_rep *rep)
{
	memset(rep, 0, sizeof *rep);
	rep->cache_control = CACHE_REVALIDATE;
	rep->vary = "Accept-Encoding";
	int is_asset;
	const mc_embedded_file *f = r->is_static ? file_for(r->path, &is_asset) : NULL;
	if (!f || !f->hash || r->status != 200)
		return;
	rep_choice c = choose(f, http_header(r, "Accept-Encoding"));
	snprintf(rep->etag, sizeof rep->etag, "\"%s%s\"", f->hash, c.suffix);
	/* Only the address of this very content may be kept for a year: an
	 * old page asking "?v=<old hash>" gets today's file, revalidated. */
	const char *v = http_arg(r, "v");
	if (is_asset && v && strcmp(v, f->hash) == 0)
		rep->cache_control = CACHE_FOREVER;
	if (c.coding) {
		free(r->raw);
		r->raw = mc_xmalloc(c.size);
		memcpy(r->raw, c.data, c.size);
		r->raw_len = c.size;
	}
	/* A 304 keeps the bytes a 200 would carry: libmicrohttpd sends none of
	 * them but states their length, as RFC 9110 8.6 allows (a
	 * "Content-Length: 0" would not be the representation's). */
	const char *inm = http_header(r, "If-None-Match");
	if (inm && etag_listed(inm, rep->etag)) {
		r->status = 304;
		rep->not_modified = 1;
		return;
	}
	rep->encoding = c.coding;
}
