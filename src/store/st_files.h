/*
 * st_files.h - the rows of digitization (schema 0010): stored files, the
 * files attached to dossiers and the uploads under way. The bytes
 * themselves are blob.c's; these rows say what is stored and where it
 * belongs.
 */
#ifndef ST_FILES_H
#define ST_FILES_H

#include "st.h"

/* A stored file: its bytes are blob DIR/files/<sha256[0:2]>/<sha256[2:]>. */
typedef struct {
	char sha256[65];
	int64_t size;
	char mime[64];
	int pages;
	int width, height; /* images: the first page; 0 for PDF */
	mc_time created_at;
} st_file;

/* Inserts f unless a row with its hash exists (the same bytes: nothing to
 * change). OUT: *created (may be NULL). */
MC_MUST_USE int st_file_put(st *s, const st_file *f, int *created, mc_err *e);
/* OUT: *f. MC_ENOTFOUND (no message) if no such file. */
MC_MUST_USE int st_file_get(st *s, const char *sha256, st_file *f, mc_err *e);

/* A file attached to a dossier (strings owned by the caller or, in a
 * list, by the store until the callback returns). */
typedef struct {
	const char *dossier, *agency;
	int component; /* index in the dossier's components; -1: the result */
	const char *component_name;
	const char *sha256;
	const char *kind;   /* scan | result */
	const char *source; /* digitized | reused | data_store */
	const char *filename;
	const char *added_by;
	mc_time added_at;
	int64_t seq;
	st_file file; /* filled by the lists */
} st_dfile;

/* Inserts d. MC_ECONFLICT (MCE_FILE_EXISTS) if the dossier already holds
 * that file for that component. */
MC_MUST_USE int st_dfile_put(st *s, const st_dfile *d, mc_err *e);
typedef int (*st_dfile_cb)(void *ctx, const st_dfile *d);
/* The files of dossier, by component then time. */
MC_MUST_USE int st_dfile_list(st *s, const char *dossier, st_dfile_cb cb, void *ctx,
			      mc_err *e);
/* 1 in *held if some dossier of agency holds the file sha256. */
MC_MUST_USE int st_dfile_held(st *s, const char *agency, const char *sha256, int *held,
			      mc_err *e);
/* The scans of every dossier of agency whose applicant has id_number,
 * newest first, at most limit. */
MC_MUST_USE int st_dfile_applicant(st *s, const char *agency, const char *id_number, int limit,
				   st_dfile_cb cb, void *ctx, mc_err *e);

/* An upload under way. */
typedef struct {
	char id[33];
	char agency[64];
	char dossier[96];
	int component;
	char kind[8];
	char source[16]; /* digitized | data_store */
	char filename[256];
	int64_t size;     /* declared */
	char sha256[65];  /* declared, or "" */
	int64_t received; /* bytes durable in the part file */
	char hash[65];    /* every byte in and checked: their SHA-256; else "" */
	char stored[65];  /* once complete: the file's hash; else "" */
	char created_by[64];
	mc_time created_at, updated_at;
} st_upload;

MC_MUST_USE int st_upload_insert(st *s, const st_upload *u, mc_err *e);
/* OUT: *u. MC_ENOTFOUND (no message) if none. */
MC_MUST_USE int st_upload_get(st *s, const char *id, st_upload *u, mc_err *e);
/* Sets received to to (and hash, NULL for none: set once the last byte is
 * in and the content checked) if it is from now: compare and set, so two
 * writers never both advance it. MC_ECONFLICT if it moved meanwhile. */
MC_MUST_USE int st_upload_advance(st *s, const char *id, int64_t from, int64_t to,
				  const char *hash, mc_time now, mc_err *e);
/* Marks the upload complete: its file is sha256. */
MC_MUST_USE int st_upload_stored(st *s, const char *id, const char *sha256, mc_time now,
				 mc_err *e);
MC_MUST_USE int st_upload_delete(st *s, const char *id, mc_err *e);
typedef int (*st_upload_id_cb)(void *ctx, const char *id);
/* The uploads untouched since before (for the sweep). */
MC_MUST_USE int st_upload_old(st *s, mc_time before, st_upload_id_cb cb, void *ctx, mc_err *e);
/* 1 in *exists if an upload id is under way or complete. */
MC_MUST_USE int st_upload_exists(st *s, const char *id, int *exists, mc_err *e);

#endif
