/*
 * replay.c - a main() for a fuzz target without libFuzzer: runs
 * LLVMFuzzerTestOneInput once on every file named on the command line, or in
 * a directory named there, and prints "N passed, 0 failed". An input that
 * breaks an invariant aborts the process (SQLite test/fuzzcheck.c does the
 * same with its corpus). Each input is named on stderr before it runs, so the
 * last name there is the culprit whichever sanitizer ended the process (gcc's
 * UBSan runtime calls no death callback and no abort handler).
 *
 * Usage: <build>/fuzz/<target> fuzz/corpus/<target> [FILE|DIR]...
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

/* Reads the file at path into a buffer of exactly its size, so that a read
 * past the end is caught by AddressSanitizer as it is under libFuzzer.
 * OUT: *data (caller frees), *size. Returns 0, or -1 with a message. */
static int read_file(const char *path, uint8_t **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 4096;
			buf = mc_xrealloc(buf, cap);
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	*data = mc_xrealloc(buf, len);
	*size = len;
	return 0;
}

static int run_file(const char *path)
{
	uint8_t *data;
	size_t size;
	if (read_file(path, &data, &size))
		return -1;
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	return 0;
}

/* Runs every regular file of dir (not hidden ones), in name order so that a
 * failing run is the same on every machine. OUT: *n, the inputs run. */
static int run_dir(const char *dir, long *n)
{
	struct dirent **names;
	int count = scandir(dir, &names, NULL, alphasort), rc = 0;
	if (count < 0) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < count; i++) {
		const char *name = names[i]->d_name;
		size_t len = strlen(dir) + strlen(name) + 2;
		char *path = mc_xmalloc(len);
		struct stat st;
		snprintf(path, len, "%s/%s", dir, name);
		if (name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(path))
				rc = -1;
			else
				(*n)++;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	long n = 0;
	int bad = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			bad++;
		} else if (S_ISDIR(st.st_mode)) {
			if (run_dir(argv[i], &n))
				bad++;
		} else if (run_file(argv[i])) {
			bad++;
		} else {
			n++;
		}
	}
	/* Inputs that could not be read are failures; crashes never get here. */
	printf("%ld passed, %d failed\n", n, bad);
	return bad ? 1 : 0;
}
