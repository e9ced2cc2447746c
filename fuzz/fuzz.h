/*
 * fuzz.h - what every fuzz target shares: the libFuzzer entry point, a
 * NUL-terminated copy of the input and an invariant check that aborts.
 *
 * A target is built two ways (see fuzz/README.md): with clang and libFuzzer
 * for real fuzzing, and with gcc and fuzz/replay.c, which `make test` uses to
 * run the committed corpus fuzz/corpus/<target>/ through it.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include "mc.h"

/* Runs one input; returns 0. A violated invariant aborts. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts, naming the check, when cond is false: a crash is how a fuzzer
 * hears about a wrong answer. */
#define FZ_CHECK(cond)                                                                  \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,      \
				__LINE__, #cond);                                       \
			abort();                                                        \
		}                                                                       \
	} while (0)

/* The input as a C string (caller frees). Parsers that take a C string see
 * the input up to its first NUL byte. */
static inline char *fz_cstr(const uint8_t *data, size_t size)
{
	return mc_xstrndup((const char *)data, size);
}

#endif
