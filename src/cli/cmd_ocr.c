/*
 * cmd_ocr.c - text recognition from the command line: `motcua ocr FILE`
 * reads a file's text directly (tests and bench/run), `motcua jobs` lists
 * the background jobs of a data directory (app/jobs.h) as the API does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/files.h"
#include "app/jobs.h"
#include "cli/cli.h"
#include "doc/ocr.h"

int cmd_ocr(cli_args *a)
{
	if (a->npos != 1)
		return cli_fail("expected one FILE (PDF, JPEG, PNG or TIFF)");
	char *data = NULL;
	size_t len = 0;
	mc_err e;
	if (cli_read_file(a->pos[0], &data, &len, (size_t)APP_FILE_MAX, &e))
		return cli_fail_err(&e);
	const char *lang = cli_opt(a, "lang");
	doc_ocr *o = NULL;
	char *text = NULL;
	double conf = 0;
	const char *pdf_out = cli_opt(a, "pdf");
	unsigned char *pdf = NULL;
	size_t pdf_len = 0;
	int rc = doc_ocr_new(lang && *lang ? lang : DOC_OCR_LANG, &o, &e);
	if (!rc && pdf_out)
		rc = doc_ocr_file_pdf(o, data, len, NULL, NULL, &pdf, &pdf_len, &e);
	if (!rc)
		rc = doc_ocr_image(o, data, len, &text, &conf, &e);
	doc_ocr_free(o);
	free(data);
	if (rc)
		return cli_fail_err(&e);
	if (pdf_out) {
		FILE *f = pdf ? fopen(pdf_out, "wb") : NULL;
		int bad = !f || fwrite(pdf, 1, pdf_len, f) != pdf_len;
		bad |= f && fclose(f) != 0;
		free(pdf);
		if (bad) {
			free(text);
			return cli_fail(pdf_len ? "cannot write '%s'" : "'%s': a PDF is searchable as it is",
					pdf_out);
		}
	}
	if (cli_flag(a, "json")) {
		json_t *j = json_pack("{s:s, s:f}", "text", text, "confidence", conf);
		cli_print_json(j, 1);
		json_decref(j);
	} else {
		fputs(text, stdout);
	}
	free(text);
	return 0;
}

static const char *str(const json_t *j, const char *key)
{
	const char *s = json_string_value(json_object_get(j, key));
	return s && *s ? s : "-";
}

int cmd_jobs(cli_args *a)
{
	json_t *out;
	mc_err e;
	if (app_jobs_list(a->app, &a->actor, cli_opt(a, "state"), &out, &e))
		return cli_fail_err(&e);
	if (cli_flag(a, "json")) {
		cli_print_json(out, 1);
		json_decref(out);
		return 0;
	}
	size_t i;
	const json_t *j;
	json_array_foreach(json_object_get(out, "items"), i, j) {
		printf("%-6lld %-4s %-8s %3lld/%-3lld pages  attempts %lld  %.16s  %s\n",
		       (long long)json_integer_value(json_object_get(j, "id")), str(j, "kind"),
		       str(j, "state"), (long long)json_integer_value(json_object_get(j, "pages_done")),
		       (long long)json_integer_value(json_object_get(j, "pages_total")),
		       (long long)json_integer_value(json_object_get(j, "attempts")), str(j, "ref"),
		       json_string_value(json_object_get(j, "error")));
	}
	json_decref(out);
	return 0;
}
