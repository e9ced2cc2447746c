/*
 * st_docs.h - the store's side of the official document registers
 * (schema 17, docs/documents.md): the incoming and outgoing books in one
 * table, their numbering, search and the rows of an export.
 */
#ifndef ST_DOCS_H
#define ST_DOCS_H

#include "st.h"

/* One register entry, as written and as read. Strings read are owned by
 * the walk (valid during the callback or until the statement is reset). */
typedef struct {
	const char *agency;
	const char *book;   /* in | out */
	int year;
	const char *series; /* '' (in) or the type (out) */
	int64_t no;
	const char *id;
	const char *type, *symbol, *doc_date, *day, *excerpt, *urgency, *secrecy;
	const char *attachments; /* JSON array text */
	const char *note;
	/* incoming */
	mc_time received_at;
	const char *issuer, *assignee, *unit;
	mc_time due_at;
	const char *state;
	mc_time done_at;
	const char *done_by;
	/* outgoing */
	const char *issuer_abbr, *signer_name, *signer_title;
	const char *recipients; /* JSON array text */
	int copies;
	/* who and when */
	const char *registered_by;
	mc_time registered_at, updated_at;
	int64_t last_seq;
	const char *fold_pub, *fold_text;
} st_doc;

/* Inside a transaction: the next number of (agency, book, year, series),
 * from 1. OUT: *no. */
MC_MUST_USE int st_doc_next(st *s, const char *agency, const char *book, int year,
			    const char *series, int64_t *no, mc_err *e);
/* Inside a transaction: records that no was given by hand, so that the
 * numbers given next follow it. */
MC_MUST_USE int st_doc_take(st *s, const char *agency, const char *book, int year,
			    const char *series, int64_t no, mc_err *e);
/* OUT: *used = 1 if (agency, book, year, series, no) is in the register. */
MC_MUST_USE int st_doc_used(st *s, const char *agency, const char *book, int year,
			    const char *series, int64_t no, int *used, mc_err *e);
/* Inserts d (MC_ECONFLICT if its number or id is taken). */
MC_MUST_USE int st_doc_insert(st *s, const st_doc *d, mc_err *e);
/* Rewrites every field of the entry (agency, book, id) but its name. */
MC_MUST_USE int st_doc_update(st *s, const st_doc *d, mc_err *e);

typedef int (*st_doc_cb)(void *ctx, const st_doc *d);
/* Calls cb with the entry (agency, book, id). MC_ENOTFOUND (no message)
 * if there is none. */
MC_MUST_USE int st_doc_get(st *s, const char *agency, const char *book, const char *id,
			   st_doc_cb cb, void *ctx, mc_err *e);

typedef struct {
	const char *agency, *book;  /* required */
	int year;                   /* 0: any */
	const char *type;           /* NULL: any */
	const char *urgency, *secrecy, *state; /* NULL: any */
	const char *assignee;       /* NULL: any */
	const char *unit;           /* NULL: any */
	const char *day_from, *day_to; /* YYYY-MM-DD inclusive; NULL: unbounded */
	const char *fold_q;         /* a folded substring; NULL: none */
	/* Who searches: the excerpt of a confidential entry is matched only
	 * for them (privileged: a leader or admin; else login must be its
	 * assignee). */
	int privileged;
	const char *login;
	const char *login_unit;     /* their unit: an incoming entry assigned to it and to
				     * no officer counts as theirs */
	int ascending;              /* the register's order (an export) instead of newest first */
	int offset, limit;          /* limit 0: all */
} st_doc_filter;

/* The entries matching f, newest first (in: by number; out: by date),
 * or in the register's order with ascending. cb returning non-zero stops
 * the walk. */
MC_MUST_USE int st_doc_list(st *s, const st_doc_filter *f, st_doc_cb cb, void *ctx, mc_err *e);
/* OUT: *n, how many entries match f (offset and limit aside). */
MC_MUST_USE int st_doc_count(st *s, const st_doc_filter *f, int64_t *n, mc_err *e);

#endif
