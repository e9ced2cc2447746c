/*
 * st_syncfiles.h - the rows of files travelling with sync (schema 0013,
 * docs/sync.md §12): on a node which stored files the hub has confirmed
 * (sync_file); on a hub the dossiers' file rows its events recorded
 * (hub_file), the bytes it holds per agency (hub_blob) and the transfers
 * under way (hub_file_in). Every function runs inside the caller's
 * transaction or snapshot.
 */
#ifndef ST_SYNCFILES_H
#define ST_SYNCFILES_H

#include "st.h"

/* ---- node ---- */
typedef int (*st_sfile_cb)(void *ctx, const char *sha256, int64_t size);
/* The waiting files some dossier_file row with seq <= acked names (the
 * hub has the event), oldest event first, at most limit. */
MC_MUST_USE int st_sfile_offer(st *s, int64_t acked, int limit, st_sfile_cb cb, void *ctx,
			       mc_err *e);
/* Sets a file's state (confirmed | refused | waiting) with the hub's code
 * and message ("" for none) at time at. */
MC_MUST_USE int st_sfile_set(st *s, const char *sha256, const char *state, const char *code,
			     const char *message, mc_time at, mc_err *e);
/* Adds n to the bytes sent for sha256. */
MC_MUST_USE int st_sfile_sent(st *s, const char *sha256, int64_t n, mc_err *e);
/* OUT: files waiting and their bytes, refused files, bytes sent in all. */
MC_MUST_USE int st_sfile_counts(st *s, int64_t *waiting, int64_t *bytes, int64_t *refused,
				int64_t *sent, mc_err *e);
typedef int (*st_sfile_refused_cb)(void *ctx, const char *sha256, const char *code,
				   const char *message, mc_time at);
MC_MUST_USE int st_sfile_refused(st *s, st_sfile_refused_cb cb, void *ctx, mc_err *e);

/* ---- hub ---- */
typedef struct {
	const char *agency, *dossier;
	int component;
	const char *sha256, *component_name, *kind, *source, *filename, *mime;
	int64_t size;
	int pages;
	int64_t chain, seq;
	int held; /* filled by st_hub_file_dossier: some agency's hub_blob row exists */
} st_hub_file;

/* Inserts f (an event seen again changes nothing). */
MC_MUST_USE int st_hub_file_put(st *s, const st_hub_file *f, mc_err *e);
/* The size agency's events gave sha256: MC_ENOTFOUND (no message) if no
 * event of agency names it. */
MC_MUST_USE int st_hub_file_size(st *s, const char *agency, const char *sha256, int64_t *size,
				 mc_err *e);
typedef int (*st_hub_file_cb)(void *ctx, const st_hub_file *f);
/* The files of dossier code, every agency's, by component. */
MC_MUST_USE int st_hub_file_dossier(st *s, const char *code, st_hub_file_cb cb, void *ctx,
				    mc_err *e);
/* 1 in *held if agency (NULL: any agency) holds sha256's bytes. */
MC_MUST_USE int st_hub_blob_held(st *s, const char *agency, const char *sha256, int *held,
				 mc_err *e);
MC_MUST_USE int st_hub_blob_put(st *s, const char *agency, const char *sha256, int64_t size,
				int sent, mc_time at, mc_err *e);

typedef struct {
	char part[33];
	int64_t size, received;
} st_hub_file_in;
/* MC_ENOTFOUND (no message) if no transfer of sha256 from agency. */
MC_MUST_USE int st_hub_file_in_get(st *s, const char *agency, const char *sha256,
				   st_hub_file_in *in, mc_err *e);
MC_MUST_USE int st_hub_file_in_put(st *s, const char *agency, const char *sha256,
				   const st_hub_file_in *in, mc_time at, mc_err *e);
MC_MUST_USE int st_hub_file_in_delete(st *s, const char *agency, const char *sha256,
				      mc_err *e);
/* 1 in *exists if part names a transfer under way (the sweep). */
MC_MUST_USE int st_hub_file_in_part(st *s, const char *part, int *exists, mc_err *e);

#endif
