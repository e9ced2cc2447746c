/*
 * layout.c - the page layout of the doc layer (doc_int.h): cairo writes the
 * PDF (vector text, the fonts' subsets embedded), pango shapes and wraps
 * the Vietnamese text, libqrencode makes the QR symbol. A document is laid
 * out top to bottom with a cursor; blocks that do not fit start a page.
 */
#include "doc/doc_int.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <string.h>

#include <stdio.h>

/* A form is a few pages; a register of a year, a few hundred. */
#define PDF_MAX (64u << 20)

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
	lay *l = closure;
	sb_addn(&l->out, (const char *)data, length);
	return sb_err(&l->out) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

void lay_open(lay *l, int paper, double size, int pages)
{
	memset(l, 0, sizeof *l);
	sb_init(&l->out, PDF_MAX);
	switch (paper) {
	case LAY_A5:
		l->w = MM(148), l->h = MM(210);
		/* Decree 30's margins scaled to the half sheet. */
		l->left = MM(15), l->right = l->w - MM(10), l->top = MM(10), l->bottom = l->h - MM(12);
		break;
	case LAY_A4_LANDSCAPE:
		l->w = MM(297), l->h = MM(210);
		l->left = MM(15), l->right = l->w - MM(12), l->top = MM(15), l->bottom = l->h - MM(15);
		break;
	default:
		/* Decree 30/2020/NĐ-CP annex I: top and bottom 20-25 mm, left
		 * 30-35 mm, right 15-20 mm. */
		l->w = MM(210), l->h = MM(297);
		l->left = MM(30), l->right = l->w - MM(15), l->top = MM(20), l->bottom = l->h - MM(20);
	}
	l->size = size;
	l->page = 1;
	l->pages = pages;
	l->y = l->top;
	l->surf = cairo_pdf_surface_create_for_stream(write_out, l, l->w, l->h);
	cairo_pdf_surface_set_metadata(l->surf, CAIRO_PDF_METADATA_CREATOR, "motcua");
	l->cr = cairo_create(l->surf);
	if (cairo_status(l->cr) != CAIRO_STATUS_SUCCESS)
		l->err = 1;
}

static void footer(lay *l)
{
	/* Only a document of more than one page is numbered, once its count
	 * is known (doc_form_pdf's second pass). */
	if (l->pages <= 1)
		return;
	char buf[64];
	snprintf(buf, sizeof buf, "Trang %d/%d", l->page, l->pages);
	lay_draw(l, l->left, l->bottom + MM(4), l->right - l->left, buf, l->size - 2, LAY_CENTER);
}

void lay_new_page(lay *l)
{
	footer(l);
	cairo_show_page(l->cr);
	l->page++;
	l->y = l->top;
	l->narrow_until = 0;
	if (l->on_page)
		l->on_page(l, l->on_page_ctx);
}

void lay_release(lay *l)
{
	if (l->cr)
		cairo_destroy(l->cr);
	if (l->surf)
		cairo_surface_destroy(l->surf);
	l->cr = NULL;
	l->surf = NULL;
	sb_release(&l->out);
}

int lay_close(lay *l, unsigned char **pdf, size_t *len)
{
	*pdf = NULL;
	*len = 0;
	footer(l);
	cairo_show_page(l->cr);
	cairo_destroy(l->cr);
	l->cr = NULL;
	cairo_surface_finish(l->surf);
	if (cairo_surface_status(l->surf) != CAIRO_STATUS_SUCCESS)
		l->err = 1;
	cairo_surface_destroy(l->surf);
	l->surf = NULL;
	if (l->err || sb_err(&l->out) || l->out.len == 0) {
		sb_release(&l->out);
		return -1;
	}
	*len = l->out.len;
	*pdf = (unsigned char *)sb_take(&l->out);
	return 0;
}

void lay_esc(sb *b, const char *text)
{
	for (const char *p = text ? text : ""; *p; p++) {
		switch (*p) {
		case '&': sb_add(b, "&amp;"); break;
		case '<': sb_add(b, "&lt;"); break;
		case '>': sb_add(b, "&gt;"); break;
		case '\'': sb_add(b, "&apos;"); break;
		case '"': sb_add(b, "&quot;"); break;
		default: sb_addc(b, *p);
		}
	}
}

static PangoLayout *make_layout(lay *l, double width, const char *markup, double size, int align)
{
	PangoLayout *pl = pango_cairo_create_layout(l->cr);
	PangoFontDescription *fd = pango_font_description_from_string(DOC_FONT);
	pango_font_description_set_absolute_size(fd, (size > 0 ? size : l->size) * PANGO_SCALE);
	pango_layout_set_font_description(pl, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(pl, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(pl, align == LAY_CENTER ? PANGO_ALIGN_CENTER
				   : align == LAY_RIGHT ? PANGO_ALIGN_RIGHT
							: PANGO_ALIGN_LEFT);
	pango_layout_set_justify(pl, align == LAY_JUSTIFY);
	/* Markup is made here from escaped text; a failure is our bug, shown
	 * as the plain text rather than an empty box. */
	if (!pango_parse_markup(markup, -1, 0, NULL, NULL, NULL, NULL))
		pango_layout_set_text(pl, markup, -1);
	else
		pango_layout_set_markup(pl, markup, -1);
	return pl;
}

double lay_measure(lay *l, double width, const char *markup, double size, int align)
{
	PangoLayout *pl = make_layout(l, width, markup, size, align);
	int w, h;
	pango_layout_get_size(pl, &w, &h);
	g_object_unref(pl);
	return (double)h / PANGO_SCALE;
}

double lay_draw(lay *l, double x, double y, double width, const char *markup, double size,
		int align)
{
	PangoLayout *pl = make_layout(l, width, markup, size, align);
	int w, h;
	pango_layout_get_size(pl, &w, &h);
	cairo_move_to(l->cr, x, y);
	pango_cairo_show_layout(l->cr, pl);
	g_object_unref(pl);
	return (double)h / PANGO_SCALE;
}

void lay_need(lay *l, double need)
{
	if (l->y + need > l->bottom && l->y > l->top)
		lay_new_page(l);
}

void lay_para(lay *l, const char *markup, double size, int align, double after)
{
	double width = (l->y < l->narrow_until ? l->narrow_right : l->right) - l->left;
	double h = lay_measure(l, width, markup, size, align);
	lay_need(l, h);
	l->y += lay_draw(l, l->left, l->y, width, markup, size, align) + after;
}

void lay_space(lay *l, double pt)
{
	l->y += pt;
}

void lay_rule(lay *l, double x1, double x2, double y, double width)
{
	cairo_set_line_width(l->cr, width);
	cairo_move_to(l->cr, x1, y);
	cairo_line_to(l->cr, x2, y);
	cairo_stroke(l->cr);
}

/* OUT: the local date and time written in iso; 0, or -1 if it is not one. */
static int iso_parts(const char *iso, int *y, int *m, int *d, int *hh, int *mm)
{
	if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d", y, m, d, hh, mm) != 5)
		return -1;
	return *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31 && *hh >= 0 && *hh < 24 && *mm >= 0 &&
			       *mm < 60
		       ? 0
		       : -1;
}

void lay_date_words(const char *iso, char *out, size_t size)
{
	int y, m, d, hh, mm;
	if (iso_parts(iso, &y, &m, &d, &hh, &mm))
		snprintf(out, size, "%s", "");
	else
		snprintf(out, size, "ngày %02d tháng %02d năm %04d", d, m, y);
}

void lay_time_words(const char *iso, char *out, size_t size)
{
	int y, m, d, hh, mm;
	if (iso_parts(iso, &y, &m, &d, &hh, &mm))
		snprintf(out, size, "%s", "");
	else
		snprintf(out, size, "%02d giờ %02d phút, ngày %02d/%02d/%04d", hh, mm, d, m, y);
}

void lay_time_short(const char *iso, char *out, size_t size)
{
	int y, m, d, hh, mm;
	if (iso_parts(iso, &y, &m, &d, &hh, &mm))
		snprintf(out, size, "%s", "");
	else
		snprintf(out, size, "%02d/%02d/%04d %02d:%02d", d, m, y, hh, mm);
}

/* Draws lines (markup) centred in [x, x+w] from y; returns the bottom. */
static double column(lay *l, double x, double w, double y, const char *markup, double size)
{
	return y + lay_draw(l, x, y, w, markup, size, LAY_CENTER);
}

/* A rule under a heading line, as wide as that line's text (the annexes
 * draw it about a third of the line). */
static void under(lay *l, double x, double w, double y, double len)
{
	double c = x + w / 2;
	lay_rule(l, c - len / 2, c + len / 2, y + 3, 0.6);
}

void lay_heading(lay *l, const char *body_top, const char *body_name, const char *number,
		 const char *place, const char *date)
{
	double width = l->right - l->left;
	double lw = width * 0.5, rw = width - lw, rx = l->left + lw;
	/* Heading lines: on a half sheet two points under the body, so Quốc
	 * hiệu and the unit's name each keep to one line. */
	double hs = l->w < MM(160) ? l->size - 2 : l->size - 0.5;
	sb b;
	sb_init(&b, 4096);
	lay_esc(&b, body_top);
	sb_add(&b, "\n<b>");
	lay_esc(&b, body_name);
	sb_add(&b, "</b>");
	double ly = column(l, l->left, lw, l->y, sb_str(&b), hs);
	under(l, l->left, lw, ly, lw * 0.35);
	ly += 7;
	if (number) {
		sb_reset(&b);
		sb_add(&b, "Số: ");
		lay_esc(&b, number);
		ly = column(l, l->left, lw, ly, sb_str(&b), hs - 1);
	}
	double ry = column(l, rx, rw, l->y, "<b>CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", hs);
	ry = column(l, rx, rw, ry, "<b>Độc lập - Tự do - Hạnh phúc</b>", hs + 0.5);
	under(l, rx, rw, ry, rw * 0.5);
	ry += 7;
	if (place) {
		char dw[64];
		lay_date_words(date, dw, sizeof dw);
		sb_reset(&b);
		sb_add(&b, "<i>");
		lay_esc(&b, place);
		sb_addf(&b, ", %s</i>", dw);
		ry = column(l, rx, rw, ry, sb_str(&b), hs);
	}
	sb_release(&b);
	l->y = (ly > ry ? ly : ry) + MM(4);
}

/* Between a table cell's rule and its text, pt. */
#define CELL_PAD 2.5

/* The height of a row of cells (markup) in t's columns. */
static double row_height(lay_table *t, const char *const *cells, int bold)
{
	lay *l = t->l;
	double width = l->right - l->left, hmax = 0;
	sb b;
	sb_init(&b, 65536);
	for (int i = 0; i < t->n; i++) {
		double cw = width * t->cols[i] - 2 * CELL_PAD;
		sb_reset(&b);
		sb_addf(&b, bold ? "<b>%s</b>" : "%s", cells[i] ? cells[i] : "");
		double h = lay_measure(l, cw, sb_str(&b), t->size, LAY_LEFT);
		if (h > hmax)
			hmax = h;
	}
	sb_release(&b);
	return hmax + 2 * CELL_PAD;
}

static void draw_row(lay_table *t, const char *const *cells, int head, double h)
{
	lay *l = t->l;
	double width = l->right - l->left, x = l->left;
	sb b;
	sb_init(&b, 65536);
	cairo_set_line_width(l->cr, 0.5);
	for (int i = 0; i < t->n; i++) {
		double cw = width * t->cols[i];
		cairo_rectangle(l->cr, x, l->y, cw, h);
		cairo_stroke(l->cr);
		sb_reset(&b);
		sb_addf(&b, head ? "<b>%s</b>" : "%s", cells[i] ? cells[i] : "");
		int align = head ? LAY_CENTER : t->align ? t->align[i] : LAY_LEFT;
		lay_draw(l, x + CELL_PAD, l->y + CELL_PAD, cw - 2 * CELL_PAD, sb_str(&b),
			 t->size, align);
		x += cw;
	}
	sb_release(&b);
	l->y += h;
}

static void table_head(lay *l, void *ctx)
{
	lay_table *t = ctx;
	(void)l;
	draw_row(t, t->head, 1, row_height(t, t->head, 1));
}

void lay_table_begin(lay_table *t, lay *l, int n, const double *cols, const char *const *head,
		     const int *align, double size)
{
	t->l = l;
	t->n = n;
	t->cols = cols;
	t->head = head;
	t->align = align;
	t->size = size > 0 ? size : l->size - 1;
	/* The header and at least one row together. */
	lay_need(l, row_height(t, head, 1) + 3 * t->size);
	table_head(l, t);
	l->on_page = table_head;
	l->on_page_ctx = t;
}

void lay_table_row(lay_table *t, const char *const *cells)
{
	lay *l = t->l;
	double h = row_height(t, cells, 0);
	if (l->y + h > l->bottom)
		lay_new_page(l); /* redraws the header */
	draw_row(t, cells, 0, h);
}

void lay_table_end(lay_table *t)
{
	t->l->on_page = NULL;
	t->l->on_page_ctx = NULL;
	lay_space(t->l, MM(2));
}

void lay_signs(lay *l, int n, const char *const *titles, const char *const *notes,
	       const char *const *names)
{
	double width = l->right - l->left, cw = width / n;
	double room = MM(16);
	/* title, note, the room to sign, the name */
	lay_need(l, 4 * l->size * 1.3 + room);
	double bottom = l->y;
	sb b;
	sb_init(&b, 4096);
	for (int i = 0; i < n; i++) {
		if (!titles[i])
			continue;
		double x = l->left + i * cw, y = l->y;
		sb_reset(&b);
		sb_add(&b, "<b>");
		lay_esc(&b, titles[i]);
		sb_add(&b, "</b>");
		y = column(l, x, cw, y, sb_str(&b), l->size);
		if (notes && notes[i]) {
			sb_reset(&b);
			sb_add(&b, "<i>");
			lay_esc(&b, notes[i]);
			sb_add(&b, "</i>");
			y = column(l, x, cw, y, sb_str(&b), l->size - 1);
		}
		y += room;
		if (names && names[i] && names[i][0]) {
			sb_reset(&b);
			sb_add(&b, "<b>");
			lay_esc(&b, names[i]);
			sb_add(&b, "</b>");
			y = column(l, x, cw, y, sb_str(&b), l->size);
		}
		if (y > bottom)
			bottom = y;
	}
	sb_release(&b);
	l->y = bottom + MM(3);
}

int lay_qr(lay *l, double x, double y, double side, const char *text)
{
	/* Version 0: the smallest that holds text; 8-bit mode keeps the URL's
	 * bytes as they are. */
	QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!q)
		return -1;
	int quiet = 4, n = q->width + 2 * quiet;
	double m = side / n;
	cairo_save(l->cr);
	/* Modules edge to edge with no anti-aliased seams between them. */
	cairo_set_antialias(l->cr, CAIRO_ANTIALIAS_NONE);
	cairo_set_source_rgb(l->cr, 1, 1, 1);
	cairo_rectangle(l->cr, x, y, side, side);
	cairo_fill(l->cr);
	cairo_set_source_rgb(l->cr, 0, 0, 0);
	for (int r = 0; r < q->width; r++)
		for (int c = 0; c < q->width; c++)
			if (q->data[r * q->width + c] & 1)
				cairo_rectangle(l->cr, x + (c + quiet) * m, y + (r + quiet) * m, m, m);
	cairo_fill(l->cr);
	cairo_restore(l->cr);
	QRcode_free(q);
	return 0;
}
