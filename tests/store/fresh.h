/*
 * fresh.h - the store tests' database: a new one in a directory of its
 * own under /tmp, and its removal (files, WAL, shared memory, directory).
 */
#ifndef TESTS_STORE_FRESH_H
#define TESTS_STORE_FRESH_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/st.h"

static char dir[64];
static char path[128];

/* A new database in /tmp/motcua-NAME-XXXXXX; NULL (said on stderr) if it
 * cannot be made. */
static st *open_fresh_named(const char *name)
{
	st *s = NULL;
	mc_err e = { 0 };
	snprintf(dir, sizeof dir, "/tmp/motcua-%s-XXXXXX", name);
	if (!mkdtemp(dir))
		return NULL;
	snprintf(path, sizeof path, "%s/motcua.db", dir);
	if (st_open(path, 1, &s, &e)) {
		fprintf(stderr, "open: %s\n", e.msg);
		return NULL;
	}
	return s;
}

static void remove_fresh(st *s)
{
	static const char *const tails[] = { "", "-wal", "-shm" };
	char p[160];
	st_close(s);
	for (size_t i = 0; i < MC_ARRAY_LEN(tails); i++) {
		snprintf(p, sizeof p, "%s%s", path, tails[i]);
		unlink(p);
	}
	rmdir(dir);
}

#endif
