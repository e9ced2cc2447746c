/*
 * blob.h - the content-addressed byte store of a data directory: stored
 * files under DIR/files/ab/cdef... (their SHA-256 in lower-case hex, the
 * first two digits a directory), uploads under way in
 * DIR/files/tmp/<upload id>.part. It knows bytes and paths only: no rows,
 * no HTTP. Every write is fsync'd (the file and the directory that names
 * it) before the function returns, so that a row written after it never
 * points at bytes a power cut could lose.
 */
#ifndef BLOB_H
#define BLOB_H

#include <stddef.h>
#include <stdint.h>

#include "mc.h"

/* A part file, opened and locked (flock LOCK_EX: one writer at a time
 * for each upload; a second opener waits). */
typedef struct {
	int fd;       /* -1 when closed */
	int64_t size; /* bytes in the file now */
	char path[600];
	const unsigned char *map; /* blob_part_map */
	size_t map_len;
	void *wmap; /* the same, as munmap takes it */
} blob_part;

/* 1 if s is 64 lower-case hex digits (a blob name). */
int blob_sha_valid(const char *s);
/* 1 if s is 32 lower-case hex digits (an upload id). */
int blob_id_valid(const char *s);

/* Creates DIR/files and DIR/files/tmp (mode 0700) if missing. */
MC_MUST_USE int blob_init(const char *dir, mc_err *e);

/* Opens (create: makes it if missing) and locks the part file of upload
 * id. MC_ENOTFOUND (no message) if missing and not create. OUT: *p (close
 * it with blob_part_close, also after a failure). */
MC_MUST_USE int blob_part_open(const char *dir, const char *id, int create, blob_part *p,
			       mc_err *e);
/* Cuts the part file to size (bytes past it were written but never
 * recorded) and syncs it. */
MC_MUST_USE int blob_part_truncate(blob_part *p, int64_t size, mc_err *e);
/* Writes n bytes at offset, which must be p->size (MC_ECONFLICT
 * otherwise: nothing written), then fdatasync. On a failure the file is
 * cut back to where it was. */
MC_MUST_USE int blob_part_append(blob_part *p, int64_t offset, const void *data, size_t n,
				 mc_err *e);
/* Maps the whole part file read-only (p->map, p->map_len; unmapped by
 * blob_part_close). An empty file maps to a NULL map of length 0. */
MC_MUST_USE int blob_part_map(blob_part *p, mc_err *e);
/* SHA-256 (hex) of the part file's bytes. */
MC_MUST_USE int blob_part_hash(blob_part *p, char hex[65], mc_err *e);
/* Moves the part file into place as blob sha (already hashed by the
 * caller) and syncs the file and both directories. If the blob exists
 * already (the same bytes stored before), the part file is removed
 * instead: OUT *existed = 1. p stays open (and locked) until
 * blob_part_close. */
MC_MUST_USE int blob_part_commit(const char *dir, blob_part *p, const char *sha, int *existed,
				 mc_err *e);
/* Unmaps, unlocks and closes; never fails. */
void blob_part_close(blob_part *p);
/* Removes the part file of id (no error if missing) and syncs tmp. */
MC_MUST_USE int blob_part_remove(const char *dir, const char *id, mc_err *e);

/* DIR/files/ab/cdef... into out. */
void blob_path(const char *dir, const char *sha, char *out, size_t size);
/* OUT: *size of blob sha, or -1 if it is not there. */
MC_MUST_USE int blob_stat(const char *dir, const char *sha, int64_t *size, mc_err *e);
/* Reads blob sha whole (at most max bytes). OUT: *data (caller frees),
 * *len. MC_ENOTFOUND (MCE_FILE_NOT_FOUND) if missing. */
MC_MUST_USE int blob_read(const char *dir, const char *sha, size_t max, char **data, size_t *len,
			  mc_err *e);
/* Reads at most max bytes of blob sha from offset (fewer at its end).
 * OUT: *data (caller frees), *len. */
MC_MUST_USE int blob_read_range(const char *dir, const char *sha, int64_t offset, size_t max,
				char **data, size_t *len, mc_err *e);
/* Removes blob sha and syncs its directory (a sweep of an orphan). */
MC_MUST_USE int blob_remove(const char *dir, const char *sha, mc_err *e);

/* Calls cb for each part file (its upload id) and each blob (its hash)
 * with the file's age in seconds at now; cb returns 1 to remove it. OUT:
 * *removed (may be NULL). Names that are neither are left alone. */
typedef int (*blob_sweep_cb)(void *ctx, int is_part, const char *name, int64_t age);
MC_MUST_USE int blob_sweep(const char *dir, mc_time now, blob_sweep_cb cb, void *ctx,
			   int *removed, mc_err *e);

#endif
