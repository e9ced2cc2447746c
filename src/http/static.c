/*
 * static.c - the web UI's files, embedded in the binary at build time
 * (scripts/embed.sh), served with a strict Content-Security-Policy: the UI
 * works on the commune's LAN with the internet down and runs no script that
 * did not come from this binary.
 */
#include "http/http.h"

#include "embedded.h"

static const struct {
	const char *ext, *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" }, { ".js", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },   { ".svg", "image/svg+xml" },
	{ ".ico", "image/x-icon" },		 { ".json", "application/json" },
};

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

int http_static(http_req *r)
{
	char name[160];
	const char *p = r->path;
	/* The staff app is one page; the citizen's look-up has its own
	 * (/tra-cuu and /tra-cuu/{code}, the address a receipt's QR code holds). */
	if (strcmp(p, "/") == 0 || strcmp(p, "/index.html") == 0)
		snprintf(name, sizeof name, "web/index.html");
	else if (strcmp(p, "/tra-cuu") == 0 || strncmp(p, "/tra-cuu/", 9) == 0)
		snprintf(name, sizeof name, "web/tra-cuu.html");
	else if (strncmp(p, "/assets/", 8) == 0 && strlen(p + 8) < 100 && !strstr(p, "..") &&
		 !strchr(p + 8, '/'))
		snprintf(name, sizeof name, "web/%s", p + 8);
	else
		return 0;
	const mc_embedded_file *f = find_file(name);
	if (!f)
		return 0;
	r->status = 200;
	r->raw = mc_xmalloc(f->size ? f->size : 1);
	memcpy(r->raw, f->data, f->size);
	r->raw_len = f->size;
	r->raw_type = type_of(name);
	r->is_static = 1;
	return 1;
}
