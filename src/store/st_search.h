/*
 * st_search.h - the full-text index (schema 0011, st_search.c): one row per
 * dossier (its applicant, code, procedure, numbers, address, summary and
 * result number), kept up to date by the store's writes, and rows that
 * other modules feed (the text read from a scanned file), searched by
 * prefixes of folded words and ranked by bm25.
 */
#ifndef ST_SEARCH_H
#define ST_SEARCH_H

#include "store/st.h"

/* The marks around a matched word in st_search_hit's title and snippet:
 * bytes that stored text never holds (st_search_put replaces them). */
#define ST_SEARCH_HIT_ON '\x01'
#define ST_SEARCH_HIT_OFF '\x02'
/* At most this many words in one query. */
#define ST_SEARCH_WORDS_MAX 32

/*
 * Indexes (or indexes again) one thing of kind "dossier" or "file" under
 * ref: a dossier's code, or for a file "<dossier code>/<sha256 hex>" (the
 * dossier is the part before the '/'), with agency, its title and body
 * (UTF-8; invalid bytes are stored as '?'). Inside the caller's
 * transaction, so the index changes with what it describes.
 */
MC_MUST_USE int st_search_put(st *s, const char *kind, const char *ref, const char *agency,
			      const char *title, const char *body, mc_err *e);
/* Indexes the text read from file sha256 (file_text, written by the OCR
 * jobs) for every dossier holding it, as kind "file", ref
 * "<dossier>/<sha256>", titled with the applicant. Nothing if no text yet.
 * Inside a transaction: when the text is saved, and when a dossier gets a
 * file that was read already. */
MC_MUST_USE int st_search_file(st *s, const char *sha256, mc_err *e);
/* Drops the row of (kind, ref); MC_OK if there was none. */
MC_MUST_USE int st_search_del(st *s, const char *kind, const char *ref, mc_err *e);
/* Indexes every dossier again from its rows (after schema 0011, or to
 * repair the index); the rows of files are kept. Inside a transaction. */
MC_MUST_USE int st_search_rebuild(st *s, mc_err *e);

typedef struct {
	const char *kind, *ref, *dossier;
	/* the dossier's: "" and 0 if it has no row */
	const char *status, *procedure;
	mc_time received_at, submitted_at;
	/* the text as stored, matched words between ST_SEARCH_HIT_ON and
	 * ST_SEARCH_HIT_OFF: the whole title, and up to 24 words of the
	 * body around the matches ("…" where it was cut) */
	const char *title, *snippet;
} st_search_hit;
typedef int (*st_search_cb)(void *ctx, const st_search_hit *h);

/*
 * The rows of agency (a dossier's rows carry its agency: st_dossier_update
 * moves them with it; a file's row has the agency it was put with) holding
 * each of words[0..n) (folded words, as txt_words makes them, 1 <= n <=
 * ST_SEARCH_WORDS_MAX: the last one as a word's start, the others as whole
 * words), best bm25 first (a match in
 * the title weighs 4 times one in the body), newest row first among equals:
 * limit of them from offset. OUT: *total, all the matches (counted in the
 * same pass as the page; a page past the end counts them again). When more
 * than ST_SEARCH_RANK_MAX rows match, ranking them all would cost a score
 * each: the newest come first instead, *total is ST_SEARCH_RANK_MAX + 1 and
 * *capped (may be NULL) is 1.
 */
#define ST_SEARCH_RANK_MAX 2000
MC_MUST_USE int st_search(st *s, const char *agency, const char *const *words, int n, int limit,
			  int offset, int64_t *total, int *capped, st_search_cb cb, void *ctx,
			  mc_err *e);

#endif
