/*
 * h_forms.c - the printed forms as PDF: a dossier's forms 1 to 6 and its
 * fee slip, and the tracking register of a period. The PDF is the answer's
 * body (Content-Type application/pdf, shown inline with its file name).
 */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

#include "app/forms.h"

/* The address the reader reached this node at, for the receipt's look-up
 * line when no public address is set: the Host header if it is a plain
 * host[:port], else the loopback address. */
static void origin_of(http_req *r, char *out, size_t size)
{
	const char *host = http_header(r, "Host");
	int ok = host && *host && strlen(host) < 200;
	for (const char *p = host; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		     strchr(".-:[]", *p) != NULL;
	snprintf(out, size, "%s://%s", r->secure ? "https" : "http", ok ? host : "127.0.0.1");
}

static int pdf_answer(http_req *r, app_pdf *p)
{
	return http_download(r, (char *)p->data, p->len, "application/pdf", p->filename, 1);
}

int h_form(http_req *r)
{
	char origin[256];
	origin_of(r, origin, sizeof origin);
	app_pdf p;
	mc_err e;
	if (app_form_pdf(r->app, &r->actor, r->params[0], r->params[1], origin, r->now, &p, &e))
		return http_fail(r, &e);
	return pdf_answer(r, &p);
}

int h_register(http_req *r)
{
	app_pdf p;
	mc_err e;
	if (app_register_pdf(r->app, &r->actor, http_arg(r, "from"), http_arg(r, "to"), r->now, &p,
			     &e))
		return http_fail(r, &e);
	return pdf_answer(r, &p);
}
