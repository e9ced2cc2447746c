/*
 * book.c - a register book as PDF (book.h), laid out with the doc layer's
 * page cursor (layout.c): the agency top left, the title and period
 * centred, then the table whose head repeats on every page.
 */
#include "doc/book.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc_int.h"

#define BOOK_COLS_MAX 16
#define BOOK_SIZE 10.5 /* body text; the table one point smaller */

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int check(const json_t *in, mc_err *e)
{
	if (!json_is_object(in))
		return mc_fail(e, MCE_INVALID, "sổ: dữ liệu phải là một đối tượng JSON",
			       "book: the input must be a JSON object");
	const json_t *cols = json_object_get(in, "columns");
	size_t n = json_array_size(cols);
	if (!json_is_array(cols) || n < 1 || n > BOOK_COLS_MAX)
		return mc_fail(e, MCE_INVALID, "sổ: columns phải có từ 1 đến %d cột",
			       "book: columns must hold 1 to %d columns", BOOK_COLS_MAX);
	size_t i;
	const json_t *c;
	json_array_foreach(cols, i, c) {
		if (!json_is_string(json_object_get(c, "head")) ||
		    json_number_value(json_object_get(c, "width")) <= 0)
			return mc_fail(e, MCE_INVALID, "sổ: columns[%zu] cần head và width dương",
				       "book: columns[%zu] needs a head and a positive width", i);
	}
	const json_t *rows = json_object_get(in, "rows"), *r;
	if (!json_is_array(rows))
		return mc_fail(e, MCE_INVALID, "sổ: rows phải là một mảng",
			       "book: rows must be an array");
	json_array_foreach(rows, i, r) {
		if (!json_is_array(r) || json_array_size(r) != n)
			return mc_fail(e, MCE_INVALID, "sổ: rows[%zu] phải có %zu ô",
				       "book: rows[%zu] must hold %zu cells", i, n);
		size_t j;
		const json_t *v;
		json_array_foreach(r, j, v) {
			if (!json_is_string(v))
				return mc_fail(e, MCE_INVALID, "sổ: rows[%zu][%zu] phải là chữ",
					       "book: rows[%zu][%zu] must be a string", i, j);
		}
	}
	return MC_OK;
}

static int align_of(const char *s)
{
	return strcmp(s, "center") == 0 ? LAY_CENTER : strcmp(s, "right") == 0 ? LAY_RIGHT : LAY_LEFT;
}

/* One pass; pages: the count from an earlier pass (0: unknown). */
static int render(const json_t *in, int pages, unsigned char **pdf, size_t *len, int *pages_out)
{
	lay l;
	lay_open(&l, LAY_A4_LANDSCAPE, BOOK_SIZE, pages);
	sb m;
	sb_init(&m, 1u << 20);
	/* The agency, top left, over a short rule (Decree 30 appendix I's
	 * issuing body). */
	double lw = (l.right - l.left) * 0.4;
	if (js(in, "agency_top")[0]) {
		lay_esc(&m, js(in, "agency_top"));
		sb_add(&m, "\n");
	}
	char *agency = g_utf8_strup(js(in, "agency"), -1);
	sb_add(&m, "<b>");
	lay_esc(&m, agency);
	sb_add(&m, "</b>");
	g_free(agency);
	double h = lay_draw(&l, l.left, l.y, lw, sb_str(&m), l.size, LAY_CENTER);
	lay_rule(&l, l.left + lw * 0.35, l.left + lw * 0.65, l.y + h + 2, 0.6);
	l.y += h + MM(6);
	sb_reset(&m);
	sb_add(&m, "<b>");
	lay_esc(&m, js(in, "title"));
	sb_add(&m, "</b>");
	lay_para(&l, sb_str(&m), l.size + 3, LAY_CENTER, 2);
	size_t i;
	const json_t *s;
	json_array_foreach(json_object_get(in, "subtitle"), i, s) {
		sb_reset(&m);
		sb_add(&m, "<i>");
		lay_esc(&m, json_string_value(s));
		sb_add(&m, "</i>");
		lay_para(&l, sb_str(&m), 0, LAY_CENTER, 1);
	}
	lay_space(&l, MM(3));

	const json_t *cols = json_object_get(in, "columns"), *c;
	int n = (int)json_array_size(cols);
	double widths[BOOK_COLS_MAX], total = 0;
	int align[BOOK_COLS_MAX];
	char *heads[BOOK_COLS_MAX];
	json_array_foreach(cols, i, c)
		total += json_number_value(json_object_get(c, "width"));
	json_array_foreach(cols, i, c) {
		widths[i] = json_number_value(json_object_get(c, "width")) / total;
		align[i] = align_of(js(c, "align"));
		sb_reset(&m);
		lay_esc(&m, js(c, "head"));
		sb_addf(&m, "\n(%zu)", i + 1);
		heads[i] = mc_xstrdup(sb_str(&m));
	}
	lay_table t;
	lay_table_begin(&t, &l, n, widths, (const char *const *)heads, align, l.size - 1);
	const json_t *r;
	char *cells[BOOK_COLS_MAX];
	json_array_foreach(json_object_get(in, "rows"), i, r) {
		for (int j = 0; j < n; j++) {
			sb_reset(&m);
			lay_esc(&m, json_string_value(json_array_get(r, (size_t)j)));
			cells[j] = mc_xstrdup(sb_str(&m));
		}
		lay_table_row(&t, (const char *const *)cells);
		for (int j = 0; j < n; j++)
			free(cells[j]);
	}
	lay_table_end(&t);
	json_array_foreach(json_object_get(in, "notes"), i, s) {
		sb_reset(&m);
		lay_esc(&m, json_string_value(s));
		lay_para(&l, sb_str(&m), 0, LAY_LEFT, 1);
	}
	for (int j = 0; j < n; j++)
		free(heads[j]);
	int err = sb_err(&m);
	sb_release(&m);
	*pages_out = l.page;
	if (err) {
		lay_release(&l);
		return -1;
	}
	return lay_close(&l, pdf, len);
}

int doc_book_pdf(const json_t *in, unsigned char **pdf, size_t *len, mc_err *e)
{
	*pdf = NULL;
	*len = 0;
	int rc = check(in, e);
	if (rc)
		return rc;
	int pages = 0;
	if (render(in, 0, pdf, len, &pages))
		return mc_fail(e, MCE_INTERNAL, "không tạo được tệp PDF", "cannot write the PDF");
	if (pages == 1)
		return MC_OK;
	/* More than a page: again, now that "Trang i/n" can say n. */
	free(*pdf);
	*pdf = NULL;
	int again = 0;
	if (render(in, pages, pdf, len, &again))
		return mc_fail(e, MCE_INTERNAL, "không tạo được tệp PDF", "cannot write the PDF");
	return MC_OK;
}
