/*
 * shipped.h - the data files motcua ships, read by the tests as the binary
 * embeds them (build/gen/embedded.c from data/, src/util/embedded.h): the
 * tests check the very bytes the binary serves and keep no copy of their own.
 */
#ifndef TEST_SHIPPED_H
#define TEST_SHIPPED_H

#include "embedded.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The embedded file whose base name is name ("holidays-2024-2026.csv"),
 * NUL-terminated; a missing file ends the test run, since every check after
 * it would fail for that one reason. OUT: *len, its size in bytes. */
static const char *shipped(const char *name, size_t *len)
{
	for (const mc_embedded_file *f = mc_embedded; f->name; f++) {
		if (strcmp(f->name, name) == 0) {
			*len = f->size;
			return (const char *)f->data;
		}
	}
	fprintf(stderr, "shipped file '%s' is not embedded (see scripts/embed.sh)\n", name);
	exit(1);
}

#endif
