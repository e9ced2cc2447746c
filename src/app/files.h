/*
 * files.h - digitization use cases (issue 12): the scans of a dossier's
 * components and its electronic result, uploaded in chunks that resume
 * where the last one stopped, checked (fcheck.h), stored once by content
 * (store/blob.h) and recorded with a dossier.file event. Each use case
 * checks its permission; see docs/permissions.md "Digitization".
 */
#ifndef APP_FILES_H
#define APP_FILES_H

#include "app/app.h"

#define APP_FILE_MAX (50LL << 20)  /* bytes of one file */
#define APP_CHUNK_MAX (1u << 20)   /* bytes of one chunk (the route's body limit) */
/* The chunk a client should start with: about 40 s at 50 kbit/s, so that a
 * link cut every minute still lands a chunk between cuts. */
#define APP_CHUNK_HINT (256u << 10)
#define APP_UPLOAD_TTL (7 * 86400) /* an upload untouched this long is swept */

typedef struct {
	int component;        /* index in the dossier's components; -1 for the result */
	const char *kind;     /* scan | result */
	const char *source;   /* digitized (NULL too) | data_store */
	const char *filename; /* as the officer's machine named it; may be NULL */
	int64_t size;         /* declared: 1 .. APP_FILE_MAX */
	const char *sha256;   /* declared (64 hex) or NULL */
} app_upload_req;

/*
 * Begins an upload to dossier code. Scans: reception or admin, while the
 * dossier is open; the result: the specialist assigned the dossier, a
 * leader or admin, while it is processed or ready. OUT: *out {"id",
 * "offset": 0, "size", "chunk_max", "chunk_hint"} (caller decrefs).
 */
MC_MUST_USE int app_upload_begin(app *a, const app_actor *by, const char *code,
				 const app_upload_req *q, mc_time now, json_t **out, mc_err *e);

/*
 * Appends n bytes at offset to upload id (its creator or an admin). The
 * offset must be what the server holds: else MCE_UPLOAD_BAD_OFFSET with
 * *expected set (the client resumes there). The first chunk's type is
 * checked at once. When the last byte is in, the file is checked, stored
 * and attached: *complete = 1 and *out has "file" (the dossier's file
 * record). A retry of the last chunk of a stored upload answers the same.
 * Refused content (type, damage, size, hash) removes the upload. OUT:
 * *out {"id", "offset", "size", "complete", "file"?}.
 */
MC_MUST_USE int app_upload_chunk(app *a, const app_actor *by, const char *id, int64_t offset,
				 const void *data, size_t n, mc_time now, int *complete,
				 int64_t *expected, json_t **out, mc_err *e);

/* Where upload id stands: OUT *out as app_upload_chunk's (the offset the
 * next chunk must have). Also finishes an upload a crash interrupted
 * after its last byte. */
MC_MUST_USE int app_upload_status(app *a, const app_actor *by, const char *id, mc_time now,
				  json_t **out, mc_err *e);

/* The files of dossier code (any officer). OUT: *out {"items": [file
 * records]}. A record: {"component", "component_name", "kind", "source",
 * "source_label", "filename", "sha256", "size", "mime", "pages", "width",
 * "height", "added_by", "added_at", "seq", "ocr"}; "ocr" is where the
 * reading of its text stands (jobs.h): {"state", "pages_done",
 * "pages_total", "error"?} or null. */
MC_MUST_USE int app_dossier_files(app *a, const app_actor *by, const char *code, json_t **out,
				  mc_err *e);

/* The bytes of a stored file for an officer of an agency one of whose
 * dossiers holds it. OUT: *data (caller frees), *len, mime (64 bytes),
 * filename (size bytes: a name it was uploaded under). */
MC_MUST_USE int app_file_get(app *a, const app_actor *by, const char *sha256, char **data,
			     size_t *len, char mime[64], char *filename, size_t size, mc_err *e);

/* The scans already held for an applicant's ID number (reception and
 * admin), newest first, one per file: OUT *out {"items": [file records
 * with "dossier"]}. */
MC_MUST_USE int app_applicant_files(app *a, const app_actor *by, const char *id_number,
				    json_t **out, mc_err *e);

/* Attaches a file held for the same applicant (same ID number) to
 * component of dossier code, marked reused (reception, admin): nobody is
 * asked again for a paper already digitized. OUT: *out the file record. */
MC_MUST_USE int app_file_reuse(app *a, const app_actor *by, const char *code, int component,
			       const char *sha256, mc_time now, json_t **out, mc_err *e);

/* Removes part files without an upload, uploads untouched for
 * APP_UPLOAD_TTL (and their parts), and blobs no row names that are older
 * than an hour (a crash between storing and recording). OUT: *removed
 * files (may be NULL). Run at start-up and daily. */
MC_MUST_USE int app_files_sweep(app *a, mc_time now, int *removed, mc_err *e);

#endif
