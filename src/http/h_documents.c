/*
 * h_documents.c - the official document registers (issue 14,
 * docs/documents.md): list and search, register, read, change, and the
 * books as .xlsx and PDF. Thin: parse, one app call, JSON out.
 */
#include "http/http_int.h"

#include <string.h>

#include "app/documents.h"

/* The book a route's path names: /api/v1/documents/in[/...] or
 * /api/v1/documents/out[/...]. */
static const char *book_of(const http_req *r)
{
	const char *p = r->path + strlen("/api/v1/documents/");
	return strncmp(p, "in", 2) == 0 && (p[2] == 0 || p[2] == '/') ? "in" : "out";
}

/* The fields a body may carry: the app checks each; unknown ones are
 * refused here first, naming them. */
static const char *const in_fields[] = { "received_at", "number", "issuer", "symbol",
					 "doc_date", "type", "excerpt", "urgency", "secrecy",
					 "attachments", "assignee", "unit", "due_date", "due_in",
					 "note", "done", NULL };
static const char *const out_fields[] = { "number", "type", "doc_date", "excerpt", "unit",
					  "issuer_abbr", "signer", "recipients", "copies",
					  "urgency", "secrecy", "attachments", "note", NULL };

int h_documents(http_req *r)
{
	long offset = 0, limit = 50;
	if (http_long_arg(r, "offset", 0, 1000000, &offset) ||
	    http_long_arg(r, "limit", 1, APP_DOC_PAGE_MAX, &limit))
		return r->status;
	app_doc_query q = {
		.book = book_of(r), .q = http_arg(r, "q"), .year = http_arg(r, "year"),
		.type = http_arg(r, "type"), .urgency = http_arg(r, "urgency"),
		.secrecy = http_arg(r, "secrecy"), .state = http_arg(r, "state"),
		.assignee = http_arg(r, "assignee"), .unit = http_arg(r, "unit"),
		.from = http_arg(r, "from"), .to = http_arg(r, "to"), .offset = (int)offset,
		.limit = (int)limit,
	};
	json_t *out;
	mc_err e;
	if (app_doc_list(r->app, &r->actor, &q, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_document_create(http_req *r)
{
	const char *book = book_of(r);
	json_t *o;
	if (http_body_object(r, strcmp(book, "in") == 0 ? in_fields : out_fields, &o))
		return r->status;
	json_t *out;
	mc_err e;
	int rc = app_doc_register(r->app, &r->actor, book, o, http_header(r, "Idempotency-Key"),
				  &r->replayed, r->now, &out, &e);
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 201, out);
}

int h_document(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_doc_get(r->app, &r->actor, book_of(r), r->params[0], r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_document_update(http_req *r)
{
	const char *book = book_of(r);
	json_t *o;
	if (http_body_object(r, strcmp(book, "in") == 0 ? in_fields : out_fields, &o))
		return r->status;
	json_t *out;
	mc_err e;
	int rc = app_doc_update(r->app, &r->actor, book, r->params[0], o, r->now, &out, &e);
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}

int h_document_types(http_req *r)
{
	return http_ok(r, 200, app_doc_reference(r->app));
}

int h_documents_file(http_req *r)
{
	size_t n = strlen(r->path);
	const char *format = n > 4 && strcmp(r->path + n - 4, ".pdf") == 0 ? "pdf" : "xlsx";
	const char *book = r->params[0];
	unsigned char *bytes;
	size_t len;
	const char *mime;
	mc_err e;
	if (app_doc_export(r->app, &r->actor, book, http_arg(r, "from"), http_arg(r, "to"), format,
			   r->now, &bytes, &len, &mime, &e))
		return http_fail(r, &e);
	char name[64];
	snprintf(name, sizeof name, "so-van-ban-%s.%s", strcmp(book, "in") == 0 ? "den" : "di", format);
	return http_download(r, (char *)bytes, len, mime, name, 0);
}
