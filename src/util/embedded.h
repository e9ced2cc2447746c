/*
 * embedded.h - data files compiled into the binary (scripts/embed.sh):
 * the shipped calendar schedules and the commune-level procedure catalog.
 */
#ifndef EMBEDDED_H
#define EMBEDDED_H

#include <stddef.h>

typedef struct {
	const char *name;          /* base name, e.g. "holidays-2024-2026.csv" */
	const unsigned char *data; /* size bytes, followed by a NUL */
	size_t size;
} mc_embedded_file;

/* Terminated by an entry whose name is NULL. */
extern const mc_embedded_file mc_embedded[];

#endif
