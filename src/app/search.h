/*
 * search.h - full-text search over this node's dossiers, and later the text
 * read from their scanned papers (search.c; the index is the store's,
 * st_search.h). Words are matched whole, the last one by its start (it
 * may be still being typed), whatever their case and
 * diacritics (đ = d; precomposed or decomposed), all of them required.
 */
#ifndef APP_SEARCH_H
#define APP_SEARCH_H

#include "app/app.h"

/* The longest q taken, in bytes. */
#define APP_SEARCH_Q_MAX 200
/* Page size: default and largest; the largest offset. */
#define APP_SEARCH_LIMIT 20
#define APP_SEARCH_LIMIT_MAX 100
#define APP_SEARCH_OFFSET_MAX 10000

/*
 * Searches the dossiers of this node's agency for q (user text: only its
 * words are used, never its punctuation, so no input is a syntax error),
 * best first; limit (0: APP_SEARCH_LIMIT) of them from offset. by is the
 * officer asking (any officer may: the route checks the role).
 * OUT: *out (caller decrefs):
 *   {"items": [{"kind": "dossier" | "file", "code": the dossier's code,
 *               "ref": the indexed thing (a file's "<code>/<sha256>"),
 *               "title": the applicant, plain text,
 *               "title_parts": [segment...], "snippet": [segment...],
 *               "status", "procedure", "received_at", "submitted_at"}...],
 *    "total": all the matches, "total_capped": true when more than
 *    ST_SEARCH_RANK_MAX (2000) match (then total is 2001, the newest
 *    come first instead of the best: ranking them all would cost too
 *    much), "offset", "limit"}
 * A segment is {"text": plain text as stored, "hit": true if a matched
 * word}: text from citizens comes back as data, never as markup, and the
 * client marks the hits itself (the UI builds <mark> nodes). The snippet
 * is up to 24 words of the rest (code, procedure, numbers, address,
 * summary, result number), "…" where it was cut.
 * MC_EINVAL with MCE_SEARCH_BAD_QUERY: q empty or blank, longer than
 * APP_SEARCH_Q_MAX bytes, not UTF-8, or of more than 32 words; limit or
 * offset out of range. A q without any word (only punctuation) matches
 * nothing: MC_OK with no items.
 */
MC_MUST_USE int app_search(app *a, const app_actor *by, const char *q, int limit, int offset,
			   json_t **out, mc_err *e);

/* For make bench only (bench/search.sh): fills this node with n made-up
 * dossiers of its agency (Vietnamese names, addresses, summaries; no
 * events: they are not records) and, for each, a page of made-up text of
 * a scanned paper in the index, in transactions of a few thousand rows.
 * seed makes the same data again. */
MC_MUST_USE int app_search_bench_fill(app *a, int n, unsigned seed, mc_time now, mc_err *e);

#endif
