/* main.c - the motcua binary: everything goes through the command table. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
