/*
 * embedded.h - data files compiled into the binary (scripts/embed.sh):
 * the shipped calendar schedules, the commune-level procedure catalog, the
 * database migrations and the web UI. A web file comes with its content
 * hash and, where they are smaller, its gzip and brotli encodings, all made
 * at build time (served by src/http/static.c).
 */
#ifndef EMBEDDED_H
#define EMBEDDED_H

#include <stddef.h>

typedef struct {
	const char *name;          /* "web/app.js"; a data file by base name,
				    * e.g. "holidays-2024-2026.csv" */
	const unsigned char *data; /* size bytes, followed by a NUL */
	size_t size;
	const unsigned char *gz;   /* gzip of data (gz_size bytes), or NULL */
	size_t gz_size;
	const unsigned char *br;   /* brotli of data (br_size bytes), or NULL */
	size_t br_size;
	const char *hash;          /* web files: 16 hex digits of SHA-256(data);
				    * else NULL */
} mc_embedded_file;

/* Terminated by an entry whose name is NULL. */
extern const mc_embedded_file mc_embedded[];

#endif
