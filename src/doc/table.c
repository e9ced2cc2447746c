/*
 * table.c - report tables as .xlsx (libxlsxwriter) and CSV (table.h).
 *
 * One parse (parse) checks the JSON and lays the header out on a grid;
 * both renderers then walk the parsed table, never the JSON's shape.
 */
#include "doc/table.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <sys/stat.h>
#include <unicase.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "sb.h"

#define MAX_COLS 1000
#define MAX_HEAD 10
#define MAX_ROWS 1000000
#define MAX_LINES 100     /* subtitle and note lines */
#define MAX_SHEETS 255    /* tables in one workbook */
#define MAX_CELL 32767    /* Excel's limit on a cell's characters */
#define MAX_CSV (512u << 20)
#define MAX_XLSX ((off_t)1 << 30)
#define SHEET_UNITS 31 /* Excel's limit on a sheet name, in UTF-16 units */
#define NONE SIZE_MAX

#define FONT "Times New Roman" /* LAW: Decree 30/2020/ND-CP annex I: Times New Roman */
#define FONT_SIZE 12
#define LINE_PT 15.75 /* Excel's row height for one line of 12 pt text */
#define GREY 0xD9D9D9

enum { COL_TEXT, COL_INT, COL_NUMBER, COL_PERCENT, COL_TYPES };
static const char *const col_types[COL_TYPES] = { "text", "int", "number", "percent" };

/* A head cell, placed: its first row and column on the head's grid. */
typedef struct {
	size_t r, c, rows, cols;
	const char *text;
} hcell;

typedef struct {
	const char *sheet, *form, *title;
	const json_t *subtitle, *notes, *rows; /* arrays (or NULL) */
	size_t ncols, nhead, nrows;
	int *type;     /* ncols COL_* */
	double *width; /* ncols, in characters */
	hcell *cells;
	size_t ncells;
	size_t *cover; /* nhead x ncols: the cell covering each slot */
	int numbered;
	int total;
	const char *label;
	size_t label_col;
	unsigned char *sum; /* ncols flags */
} tbl;

static void tbl_release(tbl *t)
{
	free(t->type);
	free(t->width);
	free(t->cells);
	free(t->cover);
	free(t->sum);
	memset(t, 0, sizeof *t);
}

/* Characters (code points) of valid UTF-8, which jansson guarantees. */
static size_t u8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* ---- checking ---- */

/* Fails unless every key of o is one of keys (NULL-terminated). */
static int only_keys(const json_t *o, const char *const *keys, const char *what, mc_err *e)
{
	const char *k;
	json_t *v;
	json_t *m = (json_t *)(uintptr_t)o; /* jansson's iteration is not const */
	json_object_foreach (m, k, v) {
		size_t i = 0;
		while (keys[i] && strcmp(keys[i], k) != 0)
			i++;
		if (!keys[i])
			return mc_fail(e, MCE_INVALID, "%s: không nhận trường '%s'",
				       "%s: unknown field '%s'", what, k);
	}
	return MC_OK;
}

/* A cell's text: a string without NUL bytes, at most MAX_CELL characters. */
static int check_text(const json_t *v, const char *what, mc_err *e)
{
	if (!json_is_string(v))
		return mc_fail(e, MCE_INVALID, "%s phải là chuỗi", "%s must be a string", what);
	if (strlen(json_string_value(v)) != json_string_length(v))
		return mc_fail(e, MCE_INVALID, "%s có ký tự NUL", "%s contains a NUL", what);
	if (u8_chars(json_string_value(v)) > MAX_CELL)
		return mc_fail(e, MCE_INVALID, "%s dài quá %d ký tự",
			       "%s is longer than %d characters", what, MAX_CELL);
	return MC_OK;
}

/* An optional string member of o. OUT: *out (NULL when absent). */
static int opt_text(const json_t *o, const char *key, const char **out, mc_err *e)
{
	const json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v)
		return MC_OK;
	int rc = check_text(v, key, e);
	if (!rc)
		*out = json_string_value(v);
	return rc;
}

/* An optional array of at most MAX_LINES strings. OUT: *out. */
static int opt_lines(const json_t *o, const char *key, const json_t **out, mc_err *e)
{
	const json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v)
		return MC_OK;
	if (!json_is_array(v) || json_array_size(v) > MAX_LINES)
		return mc_fail(e, MCE_INVALID, "%s phải là mảng tối đa %d chuỗi",
			       "%s must be an array of at most %d strings", key, MAX_LINES);
	for (size_t i = 0; i < json_array_size(v); i++) {
		int rc = check_text(json_array_get(v, i), key, e);
		if (rc)
			return rc;
	}
	*out = v;
	return MC_OK;
}

/* An integer member in [lo, hi], dflt when absent. */
static int opt_index(const json_t *o, const char *key, json_int_t lo, json_int_t hi,
		     json_int_t dflt, size_t *out, const char *what, mc_err *e)
{
	const json_t *v = json_object_get(o, key);
	json_int_t n = dflt;
	if (v) {
		if (!json_is_integer(v))
			return mc_fail(e, MCE_INVALID, "%s: '%s' phải là số nguyên",
				       "%s: '%s' must be an integer", what, key);
		n = json_integer_value(v);
	}
	if (n < lo || n > hi)
		return mc_fail(e, MCE_INVALID, "%s: '%s' phải từ %lld đến %lld",
			       "%s: '%s' must be %lld to %lld", what, key, (long long)lo,
			       (long long)hi);
	*out = (size_t)n;
	return MC_OK;
}

static int parse_columns(const json_t *j, tbl *t, mc_err *e)
{
	static const char *const keys[] = { "type", "width", NULL };
	const json_t *cols = json_object_get(j, "columns");
	if (!json_is_array(cols) || json_array_size(cols) < 1 ||
	    json_array_size(cols) > MAX_COLS)
		return mc_fail(e, MCE_INVALID, "columns phải là mảng từ 1 đến %d cột",
			       "columns must be an array of 1 to %d columns", MAX_COLS);
	t->ncols = json_array_size(cols);
	t->type = mc_xcalloc(t->ncols, sizeof *t->type);
	t->width = mc_xcalloc(t->ncols, sizeof *t->width);
	for (size_t c = 0; c < t->ncols; c++) {
		const json_t *col = json_array_get(cols, c);
		char what[48];
		snprintf(what, sizeof what, "columns[%zu]", c);
		if (!json_is_object(col))
			return mc_fail(e, MCE_INVALID, "%s phải là đối tượng",
				       "%s must be an object", what);
		int rc = only_keys(col, keys, what, e);
		if (rc)
			return rc;
		const json_t *ty = json_object_get(col, "type");
		int k = COL_TEXT;
		if (ty) {
			for (k = 0; k < COL_TYPES; k++)
				if (json_is_string(ty) && strcmp(json_string_value(ty), col_types[k]) == 0)
					break;
			if (k == COL_TYPES)
				return mc_fail(e, MCE_INVALID,
					       "%s: type phải là text, int, number hoặc percent",
					       "%s: type must be text, int, number or percent", what);
		}
		t->type[c] = k;
		t->width[c] = k == COL_TEXT ? 30 : 10;
		const json_t *w = json_object_get(col, "width");
		if (w) {
			if (!json_is_number(w) || json_number_value(w) < 1 ||
			    json_number_value(w) > 255)
				return mc_fail(e, MCE_INVALID, "%s: width phải là số từ 1 đến 255",
					       "%s: width must be a number from 1 to 255", what);
			t->width[c] = json_number_value(w);
		}
	}
	return MC_OK;
}

/* Places one head cell of row r at the first free column from *c. */
static int place_cell(tbl *t, size_t r, size_t i, const json_t *cell, size_t *c, mc_err *e)
{
	static const char *const keys[] = { "text", "rows", "cols", NULL };
	char what[64];
	snprintf(what, sizeof what, "head[%zu][%zu]", r, i);
	if (!json_is_object(cell))
		return mc_fail(e, MCE_INVALID, "%s phải là đối tượng", "%s must be an object",
			       what);
	int rc = only_keys(cell, keys, what, e);
	if (!rc)
		rc = check_text(json_object_get(cell, "text"), "text", e);
	hcell h = { .r = r, .text = json_string_value(json_object_get(cell, "text")) };
	if (!rc)
		rc = opt_index(cell, "rows", 1, (json_int_t)MAX_HEAD, 1, &h.rows, what, e);
	if (!rc)
		rc = opt_index(cell, "cols", 1, (json_int_t)MAX_COLS, 1, &h.cols, what, e);
	if (rc)
		return rc;
	if (h.rows > t->nhead - r)
		return mc_fail(e, MCE_INVALID, "dòng tiêu đề %zu: ô %zu kéo xuống quá các dòng tiêu đề",
			       "head row %zu: cell %zu spans below the head", r + 1, i + 1);
	while (*c < t->ncols && t->cover[r * t->ncols + *c] != NONE)
		(*c)++; /* covered by a cell above that spans rows */
	h.c = *c;
	if (h.c + h.cols > t->ncols)
		return mc_fail(e, MCE_INVALID, "dòng tiêu đề %zu rộng hơn %zu cột",
			       "head row %zu is wider than the %zu columns", r + 1, t->ncols);
	for (size_t rr = r; rr < r + h.rows; rr++)
		for (size_t k = h.c; k < h.c + h.cols; k++) {
			if (t->cover[rr * t->ncols + k] != NONE)
				return mc_fail(e, MCE_INVALID,
					       "dòng tiêu đề %zu: ô %zu chồng lên ô của dòng trên",
					       "head row %zu: cell %zu overlaps a cell from a row above",
					       r + 1, i + 1);
			t->cover[rr * t->ncols + k] = t->ncells;
		}
	t->cells[t->ncells++] = h;
	*c = h.c + h.cols;
	return MC_OK;
}

static int parse_head(const json_t *j, tbl *t, mc_err *e)
{
	const json_t *head = json_object_get(j, "head");
	if (!json_is_array(head) || json_array_size(head) < 1 ||
	    json_array_size(head) > MAX_HEAD)
		return mc_fail(e, MCE_INVALID, "head phải là mảng từ 1 đến %d dòng",
			       "head must be an array of 1 to %d rows", MAX_HEAD);
	t->nhead = json_array_size(head);
	t->cover = mc_xmallocarray(t->nhead * t->ncols, sizeof *t->cover);
	for (size_t k = 0; k < t->nhead * t->ncols; k++)
		t->cover[k] = NONE;
	t->cells = mc_xmallocarray(t->nhead * t->ncols, sizeof *t->cells);
	for (size_t r = 0; r < t->nhead; r++) {
		const json_t *row = json_array_get(head, r);
		if (!json_is_array(row))
			return mc_fail(e, MCE_INVALID, "dòng tiêu đề %zu phải là mảng",
				       "head row %zu must be an array", r + 1);
		size_t c = 0;
		for (size_t i = 0; i < json_array_size(row); i++) {
			int rc = place_cell(t, r, i, json_array_get(row, i), &c, e);
			if (rc)
				return rc;
		}
		size_t covered = 0;
		for (size_t k = 0; k < t->ncols; k++)
			covered += t->cover[r * t->ncols + k] != NONE;
		if (covered != t->ncols)
			return mc_fail(e, MCE_INVALID, "dòng tiêu đề %zu chỉ phủ %zu trên %zu cột",
				       "head row %zu covers %zu of the %zu columns", r + 1, covered,
				       t->ncols);
	}
	return MC_OK;
}

static int parse_value(const tbl *t, size_t i, size_t c, const json_t *v, mc_err *e)
{
	if (json_is_null(v))
		return MC_OK;
	if (json_is_string(v)) {
		if (t->type[c] != COL_TEXT)
			return mc_fail(e, MCE_INVALID, "dòng %zu, cột %zu: cột số không nhận chữ",
				       "row %zu, column %zu: text in a numeric column", i + 1,
				       c + 1);
		int rc = check_text(v, "text", e);
		if (rc)
			return mc_prefix(e, "dòng %zu, cột %zu", "row %zu, column %zu", i + 1,
					 c + 1);
		return MC_OK;
	}
	if (json_is_real(v) && t->type[c] == COL_INT)
		return mc_fail(e, MCE_INVALID, "dòng %zu, cột %zu: %g không phải số nguyên",
			       "row %zu, column %zu: %g is not an integer", i + 1, c + 1,
			       json_real_value(v));
	if (json_is_number(v))
		return MC_OK;
	return mc_fail(e, MCE_INVALID, "dòng %zu, cột %zu: giá trị phải là chuỗi, số hoặc null",
		       "row %zu, column %zu: a value must be a string, a number or null", i + 1,
		       c + 1);
}

static int parse_rows(const json_t *j, tbl *t, mc_err *e)
{
	const json_t *rows = json_object_get(j, "rows");
	if (!json_is_array(rows) || json_array_size(rows) > MAX_ROWS)
		return mc_fail(e, MCE_INVALID, "rows phải là mảng tối đa %d dòng",
			       "rows must be an array of at most %d rows", MAX_ROWS);
	t->rows = rows;
	t->nrows = json_array_size(rows);
	for (size_t i = 0; i < t->nrows; i++) {
		const json_t *row = json_array_get(rows, i);
		if (!json_is_array(row) || json_array_size(row) != t->ncols)
			return mc_fail(e, MCE_INVALID, "dòng %zu phải là mảng %zu giá trị",
				       "row %zu must be an array of %zu values", i + 1, t->ncols);
		for (size_t c = 0; c < t->ncols; c++) {
			int rc = parse_value(t, i, c, json_array_get(row, c), e);
			if (rc)
				return rc;
		}
	}
	return MC_OK;
}

static int parse_total(const json_t *j, tbl *t, mc_err *e)
{
	static const char *const keys[] = { "label", "label_col", "sum", NULL };
	const json_t *tot = json_object_get(j, "total");
	if (!tot)
		return MC_OK;
	if (!json_is_object(tot))
		return mc_fail(e, MCE_INVALID, "total phải là đối tượng", "total must be an object");
	int rc = only_keys(tot, keys, "total", e);
	if (!rc)
		rc = opt_text(tot, "label", &t->label, e);
	if (!rc)
		rc = opt_index(tot, "label_col", 0, (json_int_t)t->ncols - 1, 0, &t->label_col,
			       "total", e);
	if (rc)
		return rc;
	if (!t->label)
		t->label = "Tổng cộng";
	t->total = 1;
	t->sum = mc_xcalloc(t->ncols, 1);
	const json_t *sum = json_object_get(tot, "sum");
	if (!sum)
		return MC_OK;
	if (!json_is_array(sum))
		return mc_fail(e, MCE_INVALID, "total: sum phải là mảng chỉ số cột",
			       "total: sum must be an array of column indexes");
	for (size_t i = 0; i < json_array_size(sum); i++) {
		const json_t *v = json_array_get(sum, i);
		json_int_t c = json_is_integer(v) ? json_integer_value(v) : -1;
		if (c < 0 || c >= (json_int_t)t->ncols)
			return mc_fail(e, MCE_INVALID, "total: sum[%zu] không phải chỉ số cột (0 đến %zu)",
				       "total: sum[%zu] is not a column index (0 to %zu)", i,
				       t->ncols - 1);
		if (t->type[c] != COL_INT && t->type[c] != COL_NUMBER)
			return mc_fail(e, MCE_INVALID, "total: cột %lld không phải cột int hay number",
				       "total: column %lld is not an int or number column",
				       (long long)c);
		if ((size_t)c == t->label_col || t->sum[c])
			return mc_fail(e, MCE_INVALID, "total: cột %lld lặp lại hoặc là cột nhãn",
				       "total: column %lld is repeated or the label's", (long long)c);
		t->sum[c] = 1;
	}
	return MC_OK;
}

/* Checks j and fills t (tbl_release it whatever the result). */
static int parse(const json_t *j, tbl *t, mc_err *e)
{
	static const char *const keys[] = { "sheet",    "form",    "title", "subtitle",
					     "head",     "numbered", "columns", "rows",
					     "total",    "notes",    NULL };
	memset(t, 0, sizeof *t);
	if (!json_is_object(j))
		return mc_fail(e, MCE_INVALID, "bảng phải là đối tượng JSON",
			       "a table must be a JSON object");
	int rc = only_keys(j, keys, "table", e);
	if (!rc)
		rc = opt_text(j, "sheet", &t->sheet, e);
	if (!rc)
		rc = opt_text(j, "form", &t->form, e);
	if (!rc)
		rc = opt_text(j, "title", &t->title, e);
	if (!rc)
		rc = opt_lines(j, "subtitle", &t->subtitle, e);
	if (!rc)
		rc = opt_lines(j, "notes", &t->notes, e);
	if (rc)
		return rc;
	const json_t *num = json_object_get(j, "numbered");
	if (num && !json_is_boolean(num))
		return mc_fail(e, MCE_INVALID, "numbered phải là true hoặc false",
			       "numbered must be true or false");
	t->numbered = json_is_true(num);
	rc = parse_columns(j, t, e);
	if (!rc)
		rc = parse_head(j, t, e);
	if (!rc)
		rc = parse_rows(j, t, e);
	if (!rc)
		rc = parse_total(j, t, e);
	return rc;
}

int doc_table_check(const json_t *table, mc_err *e)
{
	tbl t;
	int rc = parse(table, &t, e);
	tbl_release(&t);
	return rc;
}

/* ---- values ---- */

static const json_t *cell(const tbl *t, size_t i, size_t c)
{
	return json_array_get(json_array_get(t->rows, i), c);
}

/* The sums of the total row, summed as the column's type (int64 for int,
 * double for number). OUT: isum, dsum (ncols each). */
static int sums(const tbl *t, int64_t *isum, double *dsum, mc_err *e)
{
	for (size_t c = 0; c < t->ncols; c++) {
		isum[c] = 0;
		dsum[c] = 0;
		if (!t->sum || !t->sum[c])
			continue;
		for (size_t i = 0; i < t->nrows; i++) {
			const json_t *v = cell(t, i, c);
			if (json_is_integer(v) && t->type[c] == COL_INT) {
				if (__builtin_add_overflow(isum[c], (int64_t)json_integer_value(v),
							   &isum[c]))
					return mc_fail(e, MCE_INVALID, "tổng cột %zu quá lớn",
						       "the total of column %zu is too large", c + 1);
			} else if (json_is_number(v)) {
				dsum[c] += json_number_value(v);
			}
		}
		if (t->type[c] == COL_INT)
			dsum[c] = (double)isum[c];
		if (!isfinite(dsum[c]))
			return mc_fail(e, MCE_INVALID, "tổng cột %zu quá lớn",
				       "the total of column %zu is too large", c + 1);
	}
	return MC_OK;
}

/* A real as people write it: at most 4 decimals, no trailing zeros, no
 * "-0". */
static void fmt_real(double d, char *buf, size_t size)
{
	snprintf(buf, size, "%.4f", d);
	char *dot = strchr(buf, '.');
	if (dot) {
		char *end = buf + strlen(buf);
		while (end > dot + 1 && end[-1] == '0')
			*--end = 0;
		if (end == dot + 1)
			*dot = 0;
	}
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, size, "0");
}

/* A number as text: integers whole, reals by fmt_real. */
static void fmt_number(const json_t *v, char *buf, size_t size)
{
	if (json_is_integer(v))
		snprintf(buf, size, "%lld", (long long)json_integer_value(v));
	else
		fmt_real(json_real_value(v), buf, size);
}

/* ---- CSV ---- */

/* One field, RFC 4180: quoted when it holds a comma, a quote, CR or LF. */
static void csv_field(sb *s, const char *v, int guard)
{
	/* A spreadsheet runs a cell starting with these as a formula (OWASP
	 * "CSV injection"); the apostrophe makes it text. */
	const char *pre = guard && v[0] && strchr("=+-@\t\r", v[0]) ? "'" : "";
	if (!strpbrk(v, ",\"\r\n")) {
		sb_add(s, pre);
		sb_add(s, v);
		return;
	}
	sb_addc(s, '"');
	sb_add(s, pre);
	for (; *v; v++) {
		if (*v == '"')
			sb_addc(s, '"');
		sb_addc(s, *v);
	}
	sb_addc(s, '"');
}

/* Column c's name: the head cells above it, joined, each text once. */
static void csv_label(const tbl *t, size_t c, sb *s)
{
	size_t prev = NONE;
	const char *last = NULL;
	for (size_t r = 0; r < t->nhead; r++) {
		size_t k = t->cover[r * t->ncols + c];
		const char *text = t->cells[k].text;
		if (k == prev)
			continue;
		prev = k;
		if (!text[0] || (last && strcmp(last, text) == 0))
			continue;
		if (last)
			sb_add(s, " - ");
		sb_add(s, text);
		last = text;
	}
}

static void csv_rows(const tbl *t, sb *s)
{
	char num[512];
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const json_t *v = cell(t, i, c);
			if (c)
				sb_addc(s, ',');
			if (json_is_string(v)) {
				csv_field(s, json_string_value(v), 1);
			} else if (json_is_number(v)) {
				fmt_number(v, num, sizeof num);
				sb_add(s, num);
			}
		}
		sb_add(s, "\r\n");
	}
}

int doc_table_csv(const json_t *table, char **out, size_t *len, mc_err *e)
{
	*out = NULL;
	*len = 0;
	tbl t;
	sb s, lab;
	int64_t *isum = NULL;
	double *dsum = NULL;
	sb_init(&s, MAX_CSV);
	sb_init(&lab, MAX_CSV);
	int rc = parse(table, &t, e);
	if (rc)
		goto out;
	isum = mc_xcalloc(t.ncols, sizeof *isum);
	dsum = mc_xcalloc(t.ncols, sizeof *dsum);
	rc = sums(&t, isum, dsum, e);
	if (rc)
		goto out;
	sb_add(&s, "\xEF\xBB\xBF"); /* Excel reads a CSV as the ANSI code page without it */
	for (size_t c = 0; c < t.ncols; c++) {
		sb_reset(&lab);
		csv_label(&t, c, &lab);
		if (c)
			sb_addc(&s, ',');
		csv_field(&s, sb_str(&lab), 1);
	}
	sb_add(&s, "\r\n");
	csv_rows(&t, &s);
	if (t.total) {
		char num[512];
		for (size_t c = 0; c < t.ncols; c++) {
			if (c)
				sb_addc(&s, ',');
			if (c == t.label_col) {
				csv_field(&s, t.label, 1);
			} else if (t.sum[c] && t.type[c] == COL_INT) {
				sb_addf(&s, "%lld", (long long)isum[c]);
			} else if (t.sum[c]) {
				fmt_real(dsum[c], num, sizeof num);
				sb_add(&s, num);
			}
		}
		sb_add(&s, "\r\n");
	}
	if (sb_err(&s) || sb_err(&lab)) {
		rc = mc_fail(e, MCE_INVALID, "bảng quá lớn để xuất CSV",
			     "the table is too large for CSV");
		goto out;
	}
	*len = s.len;
	*out = sb_take(&s);
out:
	free(isum);
	free(dsum);
	sb_release(&s);
	sb_release(&lab);
	tbl_release(&t);
	return rc;
}

/* ---- XLSX ---- */

typedef struct {
	lxw_format *form, *title, *sub, *head, *num, *note;
	lxw_format *cell[COL_TYPES], *tot[COL_TYPES];
} fmts;

/* Maps a libxlsxwriter failure to MCE_INTERNAL. */
static int lx(lxw_error err, const char *what, mc_err *e)
{
	if (err == LXW_NO_ERROR)
		return MC_OK;
	return mc_fail(e, MCE_INTERNAL, "không ghi được bảng tính (%s: %s)",
		       "cannot write the workbook (%s: %s)", what, lxw_strerror(err));
}

static lxw_format *font(lxw_workbook *wb, int bold, int italic)
{
	lxw_format *f = workbook_add_format(wb);
	if (!f)
		return NULL;
	format_set_font_name(f, FONT);
	format_set_font_size(f, FONT_SIZE);
	if (bold)
		format_set_bold(f);
	if (italic)
		format_set_italic(f);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	return f;
}

/* A table cell's format: bordered, numbers formatted by their type. */
static lxw_format *table_fmt(lxw_workbook *wb, int type, int bold)
{
	lxw_format *f = font(wb, bold, 0);
	if (!f)
		return NULL;
	format_set_border(f, LXW_BORDER_THIN);
	if (type == COL_TEXT)
		format_set_text_wrap(f);
	else if (type == COL_INT)
		format_set_num_format(f, "0");
	else if (type == COL_PERCENT)
		format_set_num_format(f, "0.0%");
	return f;
}

static int make_fmts(lxw_workbook *wb, fmts *f, mc_err *e)
{
	f->form = font(wb, 1, 0);
	f->title = font(wb, 1, 0);
	f->sub = font(wb, 0, 0);
	f->head = table_fmt(wb, COL_TEXT, 1);
	f->num = table_fmt(wb, COL_TEXT, 0);
	f->note = font(wb, 0, 0);
	if (!f->form || !f->title || !f->sub || !f->head || !f->num || !f->note)
		return lx(LXW_ERROR_MEMORY_MALLOC_FAILED, "format", e);
	format_set_align(f->form, LXW_ALIGN_RIGHT);
	format_set_align(f->title, LXW_ALIGN_CENTER);
	format_set_text_wrap(f->title);
	format_set_align(f->sub, LXW_ALIGN_CENTER);
	format_set_text_wrap(f->sub);
	format_set_align(f->head, LXW_ALIGN_CENTER);
	format_set_bg_color(f->head, GREY);
	format_set_align(f->num, LXW_ALIGN_CENTER);
	format_set_italic(f->num);
	format_set_text_wrap(f->note);
	for (int k = 0; k < COL_TYPES; k++) {
		f->cell[k] = table_fmt(wb, k, 0);
		f->tot[k] = table_fmt(wb, k, 1);
		if (!f->cell[k] || !f->tot[k])
			return lx(LXW_ERROR_MEMORY_MALLOC_FAILED, "format", e);
	}
	return MC_OK;
}

/* Lines text takes in width characters of column (an estimate: Excel
 * fits no row height to a merged cell, so merged text sets its own). */
static double lines(const char *text, double width, int bold)
{
	double n = 1, run = 0;
	double per = bold ? 1.3 : 1.15; /* Times New Roman 12 against the width unit */
	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			n += 1;
			run = 0;
		} else if (((unsigned char)*p & 0xC0) != 0x80 && (run += per) > width - 1) {
			n += 1;
			run = per;
		}
	}
	return n;
}

static double span_width(const tbl *t, size_t c0, size_t n)
{
	double w = 0;
	for (size_t c = c0; c < c0 + n; c++)
		w += t->width[c];
	return w;
}

/* A line over the whole table's width (title, subtitle, note). */
static int wide_line(lxw_worksheet *ws, const tbl *t, lxw_row_t r, const char *text,
		     lxw_format *f, int bold, mc_err *e)
{
	lxw_error err = t->ncols > 1 ? worksheet_merge_range(ws, r, 0, r, (lxw_col_t)(t->ncols - 1),
							      text, f)
				     : worksheet_write_string(ws, r, 0, text, f);
	int rc = lx(err, "line", e);
	double n = lines(text, span_width(t, 0, t->ncols), bold);
	if (!rc && n > 1)
		rc = lx(worksheet_set_row(ws, r, n * LINE_PT + 2, NULL), "row height", e);
	return rc;
}

/* Head rows tall enough for their merged cells' text: single rows first,
 * then cells spanning rows share what they still lack. */
static int head_heights(lxw_worksheet *ws, const tbl *t, lxw_row_t r0, mc_err *e)
{
	double h[MAX_HEAD];
	for (size_t r = 0; r < t->nhead; r++)
		h[r] = LINE_PT + 2;
	for (size_t span = 1; span <= t->nhead; span++)
		for (size_t i = 0; i < t->ncells; i++) {
			const hcell *c = &t->cells[i];
			if (c->rows != span)
				continue;
			double need = lines(c->text, span_width(t, c->c, c->cols), 1) * LINE_PT + 4;
			double have = 0;
			for (size_t r = c->r; r < c->r + span; r++)
				have += h[r];
			for (size_t r = c->r; need > have && r < c->r + span; r++)
				h[r] += (need - have) / (double)span;
		}
	for (size_t r = 0; r < t->nhead; r++) {
		int rc = lx(worksheet_set_row(ws, r0 + (lxw_row_t)r, h[r], NULL), "row height", e);
		if (rc)
			return rc;
	}
	return MC_OK;
}

static int write_head(lxw_worksheet *ws, const tbl *t, const fmts *f, lxw_row_t r0, mc_err *e)
{
	for (size_t i = 0; i < t->ncells; i++) {
		const hcell *c = &t->cells[i];
		lxw_row_t r = r0 + (lxw_row_t)c->r;
		lxw_col_t k = (lxw_col_t)c->c;
		lxw_error err;
		if (c->rows > 1 || c->cols > 1) /* Excel refuses a merge of one cell */
			err = worksheet_merge_range(ws, r, k, r + (lxw_row_t)c->rows - 1,
						    k + (lxw_col_t)c->cols - 1, c->text, f->head);
		else
			err = worksheet_write_string(ws, r, k, c->text, f->head);
		int rc = lx(err, "head", e);
		if (rc)
			return rc;
	}
	int rc = head_heights(ws, t, r0, e);
	for (size_t c = 0; !rc && t->numbered && c < t->ncols; c++) {
		char n[32];
		snprintf(n, sizeof n, "(%zu)", c + 1);
		rc = lx(worksheet_write_string(ws, r0 + (lxw_row_t)t->nhead, (lxw_col_t)c, n, f->num),
			"numbered row", e);
	}
	return rc;
}

/* A cell's A1 name: column letters, then the row counted from 1. */
static void a1(lxw_row_t r, lxw_col_t c, char *buf, size_t size)
{
	char col[8];
	size_t n = 0;
	for (unsigned v = (unsigned)c + 1; v; v = (v - 1) / 26)
		col[n++] = (char)('A' + (v - 1) % 26);
	size_t k = 0;
	while (n && k + 1 < size)
		buf[k++] = col[--n];
	snprintf(buf + k, size - k, "%u", (unsigned)r + 1);
}

static int write_value(lxw_worksheet *ws, const tbl *t, const fmts *f, lxw_row_t r, size_t c,
		       const json_t *v, mc_err *e)
{
	lxw_format *fmt = f->cell[t->type[c]];
	lxw_col_t k = (lxw_col_t)c;
	lxw_error err;
	char num[512];
	/* Strings are written as strings: unlike CSV, no reader takes one
	 * for a formula, so no guard is needed. */
	if (json_is_string(v)) {
		err = worksheet_write_string(ws, r, k, json_string_value(v), fmt);
	} else if (json_is_number(v) && t->type[c] == COL_TEXT) {
		fmt_number(v, num, sizeof num);
		err = worksheet_write_string(ws, r, k, num, fmt);
	} else if (json_is_number(v)) {
		err = worksheet_write_number(ws, r, k, json_number_value(v), fmt);
	} else {
		err = worksheet_write_blank(ws, r, k, fmt); /* for its border */
	}
	return lx(err, "cell", e);
}

static int write_total(lxw_worksheet *ws, const tbl *t, const fmts *f, lxw_row_t r,
		       lxw_row_t first, const double *dsum, mc_err *e)
{
	for (size_t c = 0; c < t->ncols; c++) {
		lxw_format *fmt = f->tot[t->type[c]];
		lxw_col_t k = (lxw_col_t)c;
		lxw_error err;
		if (c == t->label_col) {
			err = worksheet_write_string(ws, r, k, t->label, f->tot[COL_TEXT]);
		} else if (t->sum[c] && t->nrows > 0) {
			char from[16], to[16], formula[48];
			a1(first, k, from, sizeof from);
			a1(r - 1, k, to, sizeof to);
			snprintf(formula, sizeof formula, "=SUM(%s:%s)", from, to);
			/* The value too, for readers that do not calculate. */
			err = worksheet_write_formula_num(ws, r, k, formula, fmt, dsum[c]);
		} else if (t->sum[c]) {
			err = worksheet_write_number(ws, r, k, 0, fmt); /* SUM of no rows */
		} else {
			err = worksheet_write_blank(ws, r, k, fmt);
		}
		int rc = lx(err, "total", e);
		if (rc)
			return rc;
	}
	return MC_OK;
}

static int page_setup(lxw_worksheet *ws, lxw_row_t h0, lxw_row_t body, mc_err *e)
{
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_fit_to_pages(ws, 1, 0); /* as wide as the page, as many pages as it takes */
	worksheet_freeze_panes(ws, body, 0);
	return lx(worksheet_repeat_rows(ws, h0, body - 1), "print titles", e);
}

static int write_sheet(lxw_worksheet *ws, const tbl *t, const fmts *f, mc_err *e)
{
	int rc = MC_OK;
	lxw_row_t r = 0;
	for (size_t c = 0; !rc && c < t->ncols; c++)
		rc = lx(worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, t->width[c], NULL),
			"column width", e);
	if (!rc && t->form)
		rc = lx(worksheet_write_string(ws, r++, (lxw_col_t)(t->ncols - 1), t->form, f->form),
			"form", e);
	if (!rc && t->title)
		rc = wide_line(ws, t, r++, t->title, f->title, 1, e);
	for (size_t i = 0; !rc && i < json_array_size(t->subtitle); i++)
		rc = wide_line(ws, t, r++, json_string_value(json_array_get(t->subtitle, i)),
			       f->sub, 0, e);
	if (r > 0)
		r++; /* a blank line before the table */
	lxw_row_t h0 = r, body = r + (lxw_row_t)t->nhead + (t->numbered ? 1 : 0);
	if (!rc)
		rc = write_head(ws, t, f, h0, e);
	for (size_t i = 0; !rc && i < t->nrows; i++)
		for (size_t c = 0; !rc && c < t->ncols; c++)
			rc = write_value(ws, t, f, body + (lxw_row_t)i, c, cell(t, i, c), e);
	r = body + (lxw_row_t)t->nrows;
	if (!rc && t->total) {
		int64_t *isum = mc_xcalloc(t->ncols, sizeof *isum);
		double *dsum = mc_xcalloc(t->ncols, sizeof *dsum);
		rc = sums(t, isum, dsum, e);
		if (!rc)
			rc = write_total(ws, t, f, r++, body, dsum, e);
		free(isum);
		free(dsum);
	}
	if (json_array_size(t->notes) > 0)
		r++;
	for (size_t i = 0; !rc && i < json_array_size(t->notes); i++)
		rc = wide_line(ws, t, r++, json_string_value(json_array_get(t->notes, i)), f->note,
			       0, e);
	if (!rc)
		rc = page_setup(ws, h0, body, e);
	return rc;
}

/* ---- sheet names ---- */

/* Cuts s (UTF-8) to at most max UTF-16 units, at a character boundary. */
static void cut_units(char *s, size_t max)
{
	size_t units = 0;
	for (char *p = s; *p;) {
		unsigned char b = (unsigned char)*p;
		size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
		size_t u = len == 4 ? 2 : 1; /* beyond the BMP: a surrogate pair */
		if (units + u > max) {
			*p = 0;
			return;
		}
		units += u;
		p += len;
	}
}

/* What Excel accepts of name (NULL: the default). OUT: buf. */
static void sheet_base(const char *name, char *buf, size_t size)
{
	if (!name)
		name = "Báo cáo";
	size_t n = 0;
	for (const char *p = name; *p && n + 1 < size; p++) {
		unsigned char b = (unsigned char)*p;
		buf[n++] = b < 0x20 || strchr("[]:*?/\\", b) ? '-' : (char)b;
	}
	buf[n] = 0;
	while (n && ((unsigned char)buf[n - 1] & 0xC0) == 0x80)
		buf[--n] = 0; /* size cut a character */
	if (n && ((unsigned char)buf[n - 1] & 0xC0) == 0xC0)
		buf[--n] = 0;
	cut_units(buf, SHEET_UNITS);
	/* Excel refuses an apostrophe at either end. */
	char *p = buf;
	while (*p == '\'')
		p++;
	memmove(buf, p, strlen(p) + 1);
	n = strlen(buf);
	while (n && buf[n - 1] == '\'')
		buf[--n] = 0;
	if (!buf[0])
		snprintf(buf, size, "%s", "Báo cáo");
}

static int name_taken(const char *name, char names[][SHEET_UNITS * 4 + 1], size_t n)
{
	/* Excel compares sheet names without case, and keeps "History". */
	const char *reserved = "History";
	for (size_t i = 0; i <= n; i++) {
		const char *o = i < n ? names[i] : reserved;
		int cmp = 1;
		if (u8_casecmp((const uint8_t *)name, strlen(name), (const uint8_t *)o, strlen(o),
			       NULL, NULL, &cmp) == 0 &&
		    cmp == 0)
			return 1;
	}
	return 0;
}

/* The name of sheet n: the table's, made valid and unique among the n
 * before it ("X (2)"). OUT: names[n]. */
static void sheet_name(const char *want, char names[][SHEET_UNITS * 4 + 1], size_t n)
{
	char base[SHEET_UNITS * 4 + 1];
	sheet_base(want, base, sizeof base);
	snprintf(names[n], sizeof names[n], "%s", base);
	for (unsigned k = 2; name_taken(names[n], names, n); k++) {
		char suffix[16];
		snprintf(suffix, sizeof suffix, " (%u)", k);
		cut_units(base, SHEET_UNITS - strlen(suffix));
		/* At most 3 bytes a UTF-16 unit: base and suffix fit. */
		size_t bl = strlen(base), sl = strlen(suffix);
		memcpy(names[n], base, bl);
		memcpy(names[n] + bl, suffix, sl + 1);
	}
}

/* ---- the workbook ---- */

/* Reads the whole file fd. OUT: *out, *len (caller frees). */
static int slurp(int fd, unsigned char **out, size_t *len, mc_err *e)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || st.st_size <= 0 || st.st_size > MAX_XLSX)
		return mc_fail(e, MCE_INTERNAL, "không đọc lại được bảng tính vừa ghi",
			       "cannot read the workbook back");
	size_t n = (size_t)st.st_size, got = 0;
	unsigned char *buf = mc_xmalloc(n);
	while (got < n) {
		ssize_t k = pread(fd, buf + got, n - got, (off_t)got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			free(buf);
			return mc_fail(e, MCE_INTERNAL, "không đọc lại được bảng tính vừa ghi",
				       "cannot read the workbook back");
		}
		got += (size_t)k;
	}
	*out = buf;
	*len = n;
	return MC_OK;
}

/* Writes the workbook of the parsed tables to path. */
static int write_book(const char *path, char *tmpdir, const tbl *t, size_t n, mc_err *e)
{
	lxw_workbook_options opt = { .constant_memory = 0, .tmpdir = tmpdir, .use_zip64 = 0 };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	if (!wb)
		return lx(LXW_ERROR_CREATING_XLSX_FILE, "workbook", e);
	char(*names)[SHEET_UNITS * 4 + 1] = mc_xcalloc(n, sizeof *names);
	fmts f;
	int rc = make_fmts(wb, &f, e);
	for (size_t i = 0; !rc && i < n; i++) {
		sheet_name(t[i].sheet, names, i);
		lxw_worksheet *ws = workbook_add_worksheet(wb, names[i]);
		if (!ws)
			rc = lx(LXW_ERROR_PARAMETER_VALIDATION, "worksheet", e);
		else
			rc = write_sheet(ws, &t[i], &f, e);
		if (rc && n > 1)
			(void)mc_prefix(e, "bảng %zu", "table %zu", i + 1);
	}
	free(names);
	/* Closing also frees the workbook, so it is closed on failure too. */
	lxw_error err = workbook_close(wb);
	if (!rc)
		rc = lx(err, "close", e);
	return rc;
}

int doc_table_xlsx(const json_t *tables, unsigned char **out, size_t *len, mc_err *e)
{
	*out = NULL;
	*len = 0;
	size_t n = json_is_array(tables) ? json_array_size(tables) : 1;
	if (json_is_array(tables) && (n < 1 || n > MAX_SHEETS))
		return mc_fail(e, MCE_INVALID, "cần từ 1 đến %d bảng", "1 to %d tables are needed",
			       MAX_SHEETS);
	tbl *t = mc_xcalloc(n, sizeof *t);
	int rc = MC_OK;
	for (size_t i = 0; !rc && i < n; i++) {
		rc = parse(json_is_array(tables) ? json_array_get(tables, i) : tables, &t[i], e);
		if (rc && json_is_array(tables))
			(void)mc_prefix(e, "bảng %zu", "table %zu", i + 1);
	}
	/* libxlsxwriter 1.1.4 (Debian 12's) writes a workbook only to a named
	 * file: its lxw_workbook_options has no output_buffer. So a private
	 * temporary file, read back through the descriptor mkstemp gave (the
	 * library truncates the same inode) and unlinked whatever happens. */
	char dir[PATH_MAX], path[PATH_MAX];
	const char *td = getenv("TMPDIR");
	int fd = -1;
	if (!rc && (!td || !td[0] || (size_t)snprintf(dir, sizeof dir, "%s", td) >= sizeof dir))
		snprintf(dir, sizeof dir, "/tmp");
	if (!rc && (size_t)snprintf(path, sizeof path, "%s/motcua-xlsx-XXXXXX", dir) >= sizeof path)
		rc = mc_fail(e, MCE_INTERNAL, "đường dẫn thư mục tạm quá dài",
			     "the temporary directory's path is too long");
	if (!rc) {
		fd = mkstemp(path);
		if (fd < 0)
			rc = mc_fail(e, MCE_INTERNAL, "không tạo được tệp tạm trong %s: %s",
				     "cannot create a temporary file in %s: %s", dir,
				     strerror(errno));
	}
	if (!rc)
		rc = write_book(path, dir, t, n, e);
	if (!rc)
		rc = slurp(fd, out, len, e);
	if (fd >= 0) {
		(void)unlink(path);
		close(fd);
	}
	for (size_t i = 0; i < n; i++)
		tbl_release(&t[i]);
	free(t);
	return rc;
}
