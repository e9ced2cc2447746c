/*
 * catalog-convert - turns a crawl of the national public service portal (one
 * JSON object a line) into the clean catalog format, one object a line.
 *
 *   gcc -std=c11 -D_GNU_SOURCE -Isrc -Isrc/util -o build/catalog-convert \
 *       scripts/catalog-convert.c src/app/catalog.c src/core/catp_*.c \
 *       src/core/txt.c src/util/mc.c src/util/sb.c \
 *       $(pkg-config --cflags --libs jansson) -lunistring
 *   build/catalog-convert < crawl.jsonl > data/catalog/commune.jsonl
 *
 * Prints to stderr how many procedures parsed fully, partly or were
 * rejected, and how many did not parse per field. Exits 1 if any line was
 * rejected.
 */
#include "app/catalog.h"

int main(void)
{
	static const char *groups[] = { "channels", "components", "result" };
	size_t counts[MC_ARRAY_LEN(groups)] = { 0 };
	size_t total = 0, full = 0, part = 0, rejected = 0, lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, stdin)) > 0) {
		json_error_t jerr;
		json_t *in, *out = NULL;
		mc_err e = { 0, "" };
		int complete;
		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)n)
			continue;
		total++;
		in = json_loads(line, 0, &jerr);
		if (!in) {
			fprintf(stderr, "line %zu: %s\n", lineno, jerr.text);
			rejected++;
			continue;
		}
		if (catalog_normalize(in, &out, &complete, &e) != MC_OK) {
			fprintf(stderr, "line %zu: %s\n", lineno, e.msg);
			rejected++;
			json_decref(in);
			continue;
		}
		json_t *unparsed = json_object_get(out, "unparsed");
		for (size_t i = 0; i < json_array_size(unparsed); i++) {
			const char *g = json_string_value(json_array_get(unparsed, i));
			for (size_t k = 0; k < MC_ARRAY_LEN(groups); k++)
				counts[k] += strcmp(g, groups[k]) == 0;
		}
		complete ? full++ : part++;
		char *s = json_dumps(out, JSON_COMPACT);
		if (!s || puts(s) == EOF) {
			fprintf(stderr, "catalog-convert: cannot write line %zu\n", lineno);
			return 2;
		}
		free(s);
		json_decref(out);
		json_decref(in);
	}
	free(line);
	fprintf(stderr, "%zu procedures: %zu parsed fully, %zu partly, %zu rejected\n", total, full,
		part, rejected);
	for (size_t k = 0; k < MC_ARRAY_LEN(groups); k++)
		fprintf(stderr, "  %-10s did not parse in %zu\n", groups[k], counts[k]);
	return rejected ? 1 : 0;
}
