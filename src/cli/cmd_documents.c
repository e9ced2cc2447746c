/*
 * cmd_documents.c - `motcua documents export in|out [--from] [--to]
 * --format xlsx|pdf --out FILE`: a document register book (văn bản đến,
 * văn bản đi) of a period, the same files the API serves, read in one
 * snapshot.
 */
#include <stdlib.h>
#include <string.h>

#include "app/documents.h"
#include "cli/cli.h"

int cmd_documents_export(cli_args *a)
{
	if (a->npos != 1 || (strcmp(a->pos[0], "in") != 0 && strcmp(a->pos[0], "out") != 0))
		return cli_fail_both("cần chỉ sổ: in (văn bản đến) hoặc out (văn bản đi)",
				     "expected the register: in (incoming) or out (outgoing)");
	const char *out = cli_opt(a, "out");
	if (!out)
		return cli_fail("--out FILE is required (- for standard output)");
	const char *format = cli_opt(a, "format");
	if (!format) {
		/* The file's name says it when --format does not. */
		size_t n = strlen(out);
		format = n > 4 && strcmp(out + n - 4, ".pdf") == 0 ? "pdf" : "xlsx";
	}
	mc_err e;
	if (app_read_begin(a->app, &e))
		return cli_fail_err(&e);
	unsigned char *bytes = NULL;
	size_t len = 0;
	const char *mime = NULL;
	int rc = 0;
	if (app_doc_export(a->app, &a->actor, a->pos[0], cli_opt(a, "from"), cli_opt(a, "to"),
			   format, a->now, &bytes, &len, &mime, &e))
		rc = cli_fail_err(&e);
	app_read_end(a->app);
	if (!rc)
		rc = cli_write_out(out, bytes, len, strcmp(format, "pdf") == 0 ? "PDF" : "workbook");
	free(bytes);
	return rc;
}
