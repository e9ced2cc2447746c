/*
 * table_csv.c - fuzz target for the report table's checks and CSV
 * (src/doc/table.h): doc_table_check and doc_table_csv over a JSON input.
 *
 * The two agree: a table the check refuses the CSV refuses with the same
 * code and no output; a table it accepts gives CSV unless a total
 * overflows. Accepted CSV is read back with an RFC 4180 reader: a BOM,
 * CRLF records, the header and one record a data row (and the total),
 * each with exactly one field a column; every string cell comes back as
 * it went in (behind an apostrophe when it starts like a formula), every
 * integer as its digits, a null as an empty field.
 */
#include "doc/table.h"
#include "fuzz.h"

#include <jansson.h>

/* Splits one record of csv at *p into fields (each a malloc'd string).
 * Returns the field count, or -1 when the record is not RFC 4180. */
static int record(const char *csv, size_t len, size_t *p, char **fields, int max)
{
	int n = 0;
	for (;;) {
		size_t i = *p, cap = 16, k = 0;
		char *f = mc_xmalloc(cap);
		if (i < len && csv[i] == '"') {
			for (i++;; i++) {
				if (i >= len)
					goto bad;
				if (csv[i] == '"') {
					if (i + 1 < len && csv[i + 1] == '"')
						i++;
					else
						break;
				}
				if (k + 2 > cap)
					f = mc_xrealloc(f, cap *= 2);
				f[k++] = csv[i];
			}
			i++; /* the closing quote */
		} else {
			while (i < len && csv[i] != ',' && csv[i] != '\r' && csv[i] != '\n' &&
			       csv[i] != '"') {
				if (k + 2 > cap)
					f = mc_xrealloc(f, cap *= 2);
				f[k++] = csv[i++];
			}
		}
		f[k] = 0;
		if (n >= max)
			goto bad;
		fields[n++] = f;
		f = NULL;
		if (i < len && csv[i] == ',') {
			*p = i + 1;
			continue;
		}
		if (i + 1 < len && csv[i] == '\r' && csv[i + 1] == '\n') {
			*p = i + 2;
			return n;
		}
	bad:
		free(f);
		while (n > 0)
			free(fields[--n]);
		return -1;
	}
}

static void free_fields(char **fields, int n)
{
	while (n > 0)
		free(fields[--n]);
}

/* The data row i against its record. */
static void check_row(const json_t *row, char **fields)
{
	for (size_t c = 0; c < json_array_size(row); c++) {
		const json_t *v = json_array_get(row, c);
		if (json_is_null(v)) {
			FZ_CHECK(fields[c][0] == 0);
		} else if (json_is_string(v)) {
			const char *s = json_string_value(v);
			const char *got = fields[c];
			if (s[0] && strchr("=+-@\t\r", s[0])) {
				FZ_CHECK(got[0] == '\'');
				got++;
			}
			FZ_CHECK(strcmp(got, s) == 0);
		} else if (json_is_integer(v)) {
			char want[32];
			snprintf(want, sizeof want, "%lld", (long long)json_integer_value(v));
			FZ_CHECK(strcmp(fields[c], want) == 0);
		} else {
			FZ_CHECK(fields[c][0] != 0 && !strchr(fields[c], ','));
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	if (!j)
		return 0;
	mc_err e1 = { 0 }, e2 = { 0 };
	char *csv = NULL;
	size_t len = 0;
	int rc1 = doc_table_check(j, &e1);
	int rc2 = doc_table_csv(j, &csv, &len, &e2);
	if (rc1) {
		FZ_CHECK(rc1 == MC_EINVAL && rc2 == rc1 && e2.id == e1.id);
		FZ_CHECK(strcmp(e1.msg, e2.msg) == 0);
		FZ_CHECK(csv == NULL && len == 0);
	} else if (rc2) {
		FZ_CHECK(rc2 == MC_EINVAL && strstr(e2.msg, "too large"));
		FZ_CHECK(csv == NULL);
	} else {
		const json_t *rows = json_object_get(j, "rows");
		int ncols = (int)json_array_size(json_object_get(j, "columns"));
		size_t nrec = 1 + json_array_size(rows) + (json_object_get(j, "total") ? 1 : 0);
		FZ_CHECK(csv && strlen(csv) == len && len >= 5);
		FZ_CHECK(memcmp(csv, "\xEF\xBB\xBF", 3) == 0);
		size_t p = 3;
		char **fields = mc_xcalloc((size_t)ncols + 1, sizeof *fields);
		for (size_t r = 0; r < nrec; r++) {
			int n = record(csv, len, &p, fields, ncols);
			FZ_CHECK(n == ncols);
			if (r > 0 && r <= json_array_size(rows))
				check_row(json_array_get(rows, r - 1), fields);
			free_fields(fields, n);
		}
		FZ_CHECK(p == len);
		free(fields);
	}
	free(csv);
	json_decref(j);
	return 0;
}
