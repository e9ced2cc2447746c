/*
 * forms.h - the printed forms of a dossier and the tracking register as
 * PDF (the use cases over the doc layer, src/doc/doc.h): the app gathers
 * the dossier, the issuing unit and the officers' names, doc lays them out.
 */
#ifndef APP_FORMS_H
#define APP_FORMS_H

#include "app/app.h"

/* A PDF made for a reader. */
typedef struct {
	unsigned char *data; /* caller frees */
	size_t len;
	char filename[160];  /* "mau-01-000.31.45.H45-261203-0004.pdf" */
} app_pdf;

/*
 * Form `form` of dossier code, for any officer: "1" to "6" (Circular
 * 03/2025/TT-VPCP annex I: receipt, supplement request, refusal, apology,
 * stop notice, process-control sheet) or "fee" (the fee slip). Forms 2, 3
 * and 5 print the dossier's latest notice of their kind. origin is the
 * address the reader reached this node at ("http://127.0.0.1:8080"): the
 * receipt's look-up address and QR code use the node's public_url when the
 * administrator set one, else origin. MC_ENOTFOUND (doc.no_form, or the
 * dossier's), MC_ECONFLICT (doc.missing: nothing to print yet).
 */
MC_MUST_USE int app_form_pdf(app *a, const app_actor *by, const char *code, const char *form,
			     const char *origin, mc_time now, app_pdf *out, mc_err *e);

/* Form 7, the tracking register of the dossiers received from..to
 * ("YYYY-MM-DD", at most 366 days; empty: this month to today), in
 * register order. MC_EINVAL (doc.bad_period) for a bad period or more than
 * APP_REGISTER_MAX dossiers. */
#define APP_REGISTER_MAX 5000
MC_MUST_USE int app_register_pdf(app *a, const app_actor *by, const char *from, const char *to,
				 mc_time now, app_pdf *out, mc_err *e);

#endif
