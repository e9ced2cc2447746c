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
	int rc = cli_write_out(out, p.data, p.len, "PDF");
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
	int rc = cli_write_out(out, p.data, p.len, "PDF");
	free(p.data);
	return rc;
}
