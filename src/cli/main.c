/* main.c - the motcua binary: everything goes through the command table. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
	/* The server's OCR workers are one per spare core, each reading one
	 * page at a time; Debian's libtesseract would spread each over every
	 * core with OpenMP, starving the HTTP threads. libgomp reads its
	 * limit when it loads, before main: so serve starts itself again
	 * once with OMP_THREAD_LIMIT=1 (same process id). If the exec fails
	 * it serves as it is. */
	if (argc > 1 && strcmp(argv[1], "serve") == 0 && !getenv("OMP_THREAD_LIMIT") &&
	    setenv("OMP_THREAD_LIMIT", "1", 1) == 0)
		(void)execv("/proc/self/exe", argv);
	return cli_main(argc, argv);
}
