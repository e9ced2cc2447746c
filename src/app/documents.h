/*
 * documents.h - the official document registers of Decree 30/2020/NĐ-CP
 * on clerical work (issue 14, docs/documents.md): the incoming register
 * (sổ đăng ký văn bản đến) with its arrival numbers, assignment and
 * processing state, and the outgoing register (sổ đăng ký văn bản đi)
 * with numbers per year and type and the symbol core/vb.h builds. Each
 * write is one transaction with its event, document.registered or
 * document.updated, whose payload carries the whole entry.
 *
 * Who: any officer reads; reception, leaders and admins register and
 * edit; the assignee, a leader or an admin marks an incoming document
 * done. A confidential document (secrecy mat and above) shows its excerpt
 * and attachments only to leaders, admins and its assignee; others see
 * the entry with "excerpt": null and "withheld": true.
 */
#ifndef APP_DOCUMENTS_H
#define APP_DOCUMENTS_H

#include "app/app.h"

/* A page of a register list holds at most this many entries; an export
 * at most APP_DOC_EXPORT_MAX, over at most 366 days. */
#define APP_DOC_PAGE_MAX 200
#define APP_DOC_EXPORT_MAX 5000

/*
 * Registers a document in book ("in" or "out") from in, a JSON object
 * (docs/documents.md lists the fields; unknown ones are refused by the
 * HTTP layer). Without "number" the next number of the year (and type,
 * outgoing) is given, inside the write transaction; with one, that number
 * unless the book holds it already (MC_ECONFLICT, document.number_used,
 * and nothing is written). Bad fields: MC_EINVAL naming the field
 * (document.bad_field, unit.unknown, document.unknown_officer,
 * document.due_too_early, attachment.unknown). OUT: *out the entry as
 * app_doc_get shows it to by (caller decrefs).
 *
 * request_key (NULL: none) makes a retry safe, as app_act's does: the same
 * officer's same key with the same request answers the entry the first one
 * made and writes nothing (*replayed = 1); with another request,
 * MC_ECONFLICT request.idempotency_reused. replayed may be NULL.
 */
MC_MUST_USE int app_doc_register(app *a, const app_actor *by, const char *book, const json_t *in,
				 const char *request_key, int *replayed, mc_time now, json_t **out,
				 mc_err *e);

/*
 * Changes entry id of book: in holds the fields to change (at least one).
 * Incoming: the fields of the registration but its number, and "done"
 * (true: processed; false: open again). Outgoing: the fields but type,
 * number and drafting unit (they make the symbol); doc_date within its
 * year. Reception, leaders and admins change anything; the assignee may
 * send only "done" (else MC_EPERM). An entry changed writes
 * document.updated; a request that changes nothing writes nothing.
 * MC_ENOTFOUND (document.not_found). OUT: *out as app_doc_get.
 */
MC_MUST_USE int app_doc_update(app *a, const app_actor *by, const char *book, const char *id,
			       const json_t *in, mc_time now, json_t **out, mc_err *e);

/* The entry id of book as by may see it (see above). OUT: *out. */
MC_MUST_USE int app_doc_get(app *a, const app_actor *by, const char *book, const char *id,
			    mc_time now, json_t **out, mc_err *e);

/* A search of one register. Every filter is text as a query string
 * carries it; NULL or "" for none. */
typedef struct {
	const char *book;     /* in | out */
	const char *q;        /* words of the issuer, symbol, number, excerpt...; diacritics ignored */
	const char *year;     /* YYYY */
	const char *type;     /* a core/vb.h type code */
	const char *urgency, *secrecy;
	const char *state;    /* in: new | assigned | done | open (new or assigned) */
	const char *assignee; /* in: a login */
	const char *unit;     /* in: the unit assigned; out: the drafting unit */
	const char *from, *to; /* YYYY-MM-DD: date received (in) or the document's date (out) */
	int offset, limit;    /* limit 1..APP_DOC_PAGE_MAX, 0: 50 */
} app_doc_query;

/* OUT: *out {"items": [entries], "total": n, "offset", "limit"}, newest
 * first (incoming by number, outgoing by date). MC_EINVAL
 * (document.bad_field) naming a bad filter. */
MC_MUST_USE int app_doc_list(app *a, const app_actor *by, const app_doc_query *q, mc_time now,
			     json_t **out, mc_err *e);

/*
 * The register book from..to (YYYY-MM-DD, default this year up to today;
 * at most 366 days and APP_DOC_EXPORT_MAX entries) as format "xlsx" or
 * "pdf": the columns of Decree 30's register, in the book's order, a
 * confidential excerpt withheld as app_doc_get withholds it.
 * OUT: *bytes, *len (caller frees), *mime (static).
 */
MC_MUST_USE int app_doc_export(app *a, const app_actor *by, const char *book, const char *from,
			       const char *to, const char *format, mc_time now,
			       unsigned char **bytes, size_t *len, const char **mime, mc_err *e);

/* The document types, urgencies and secrecies with their Vietnamese
 * labels, for forms: {"types": [{"code","name","abbr"}], "urgencies":
 * [{"code","label"}], "secrecies": [...], "issuer_abbr": "UBND"}. */
json_t *app_doc_reference(app *a);

#endif
