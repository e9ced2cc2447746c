/*
 * cmd_doc.c - printed forms from the command line: `motcua form N CODE
 * --out FILE` and `motcua register --from --to --out FILE`, the same PDFs
 * the API serves.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/forms.h"
#include "cli/cli.h"

/* Writes the PDF to path ("-": standard output): a temporary file renamed
 * over path, so a reader never sees half a PDF. */
static int write_pdf(const char *path, const app_pdf *p)
{
	if (strcmp(path, "-") == 0) {
		if (fwrite(p->data, 1, p->len, stdout) != p->len || fflush(stdout))
			return cli_fail("cannot write the PDF to standard output");
		return 0;
	}
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) >= sizeof tmp)
		return cli_fail("--out is too long");
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return cli_fail("cannot create '%s': %s", tmp, strerror(errno));
	int bad = fwrite(p->data, 1, p->len, f) != p->len;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		int err = errno;
		(void)unlink(tmp);
		return cli_fail("cannot write '%s': %s", path, strerror(err));
	}
	fprintf(stderr, "%s: %zu bytes\n", path, p->len);
	return 0;
}

int cmd_form(cli_args *a)
{
	if (a->npos != 2)
		return cli_fail("expected a form (1 to 6, or fee) and a dossier code");
	const char *out = cli_opt(a, "out");
	if (!out)
		return cli_fail("--out FILE is required (- for standard output)");
	app_pdf p;
	mc_err e;
	if (app_form_pdf(a->app, &a->actor, a->pos[1], a->pos[0], cli_opt(a, "origin"), a->now, &p,
			 &e))
		return cli_fail_err(&e);
	int rc = write_pdf(out, &p);
	free(p.data);
	return rc;
}

int cmd_register(cli_args *a)
{
	if (a->npos)
		return cli_fail("unexpected argument '%s'", a->pos[0]);
	const char *out = cli_opt(a, "out");
	if (!out)
		return cli_fail("--out FILE is required (- for standard output)");
	app_pdf p;
	mc_err e;
	if (app_register_pdf(a->app, &a->actor, cli_opt(a, "from"), cli_opt(a, "to"), a->now, &p,
			     &e))
		return cli_fail_err(&e);
	int rc = write_pdf(out, &p);
	free(p.data);
	return rc;
}
