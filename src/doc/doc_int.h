/*
 * doc_int.h - the doc layer's page layout, shared by its files: a cursor
 * down a cairo PDF page with pango text, tables whose header repeats on
 * every page, the national heading, signature blocks and QR codes. Units
 * are PostScript points (1/72 inch); 1 mm = 2.8346 pt.
 */
#ifndef DOC_INT_H
#define DOC_INT_H

#include <cairo.h>
#include <jansson.h>

#include "sb.h"

#define MM(x) ((x) * 72.0 / 25.4)

/* The font of the state's documents is Times New Roman (Decree
 * 30/2020/NĐ-CP annex I); Liberation Serif (Debian fonts-liberation2) has
 * its metrics and every Vietnamese letter. */
#define DOC_FONT "Liberation Serif"

enum { LAY_LEFT, LAY_CENTER, LAY_RIGHT, LAY_JUSTIFY };
enum { LAY_A5, LAY_A4, LAY_A4_LANDSCAPE };

struct lay;
/* Called after a page break (the new page is blank): a table repeats its
 * header here. */
typedef void (*lay_page_fn)(struct lay *l, void *ctx);

typedef struct lay {
	cairo_surface_t *surf;
	cairo_t *cr;
	double w, h;                 /* page */
	double left, right, top, bottom; /* the text area's edges */
	double y;                    /* where the next block starts */
	/* A float on the right (a QR code): paragraphs that start above
	 * narrow_until end at narrow_right instead of right. */
	double narrow_until, narrow_right;
	double size;                 /* body text size */
	int page, pages;             /* this page (1-based); the total, 0 if unknown */
	lay_page_fn on_page;
	void *on_page_ctx;
	sb out;                      /* the PDF bytes */
	int err;                     /* sticky: cairo failed or out grew too large */
} lay;

/* Starts a document of paper size paper with body text size pt. pages:
 * the page count if known (for "Trang i/n" in the footer), else 0. */
void lay_open(lay *l, int paper, double size, int pages);
/* Ends it. OUT: *pdf, *len (caller frees); 0, or -1 if anything failed
 * (nothing is returned then). */
MC_MUST_USE int lay_close(lay *l, unsigned char **pdf, size_t *len);
/* Frees a document not closed (after a failure). */
void lay_release(lay *l);

/* Pango markup for plain text: & < > ' " escaped, appended to b. */
void lay_esc(sb *b, const char *text);

/* Height of markup set at x..x+width in size pt (0: body size). */
double lay_measure(lay *l, double width, const char *markup, double size, int align);
/* Draws markup at (x, y) in a box width wide; returns its height. */
double lay_draw(lay *l, double x, double y, double width, const char *markup, double size,
		int align);
/* A paragraph across the text area at the cursor, starting a page first
 * if it does not fit; the cursor moves below it (plus after pt). */
void lay_para(lay *l, const char *markup, double size, int align, double after);
/* Moves the cursor down by pt. */
void lay_space(lay *l, double pt);
/* Starts a new page if less than need pt are left on this one. */
void lay_need(lay *l, double need);
void lay_new_page(lay *l);
/* A horizontal line from x1 to x2 at y. */
void lay_rule(lay *l, double x1, double x2, double y, double width);

/* The national heading: on the left the issuing body (up to two lines, the
 * second bold) over a short rule, a document number under it if number is
 * not NULL; on the right Quốc hiệu and Tiêu ngữ over a rule, and the place
 * and date line "place, ngày dd tháng mm năm yyyy" (italic) under them. */
void lay_heading(lay *l, const char *body_top, const char *body_name, const char *number,
		 const char *place, const char *date);

/* A table. cols: widths as fractions of the text area (they add up to
 * 1); head: header cells (bold, centred), repeated at the top of every
 * page the table flows to. Rows are added one at a time; a row never
 * splits across pages. */
typedef struct {
	lay *l;
	int n;
	const double *cols;
	const char *const *head;
	const int *align; /* per column, LAY_*; NULL: left */
	double size;
} lay_table;
void lay_table_begin(lay_table *t, lay *l, int n, const double *cols, const char *const *head,
		     const int *align, double size);
/* cells: n markup strings. */
void lay_table_row(lay_table *t, const char *const *cells);
void lay_table_end(lay_table *t);

/* Signature blocks side by side across the text area: for each, a bold
 * title, an italic note ("(Ký, ghi rõ họ tên)"), room to sign, the name
 * in bold. n at most 3; a title may be NULL for an empty column. */
void lay_signs(lay *l, int n, const char *const *titles, const char *const *notes,
	       const char *const *names);

/* A QR code of text (UTF-8, error correction M) side pt wide at (x, y),
 * with its quiet zone inside that square, drawn as vector squares.
 * Returns 0, or -1 if text cannot be encoded. */
MC_MUST_USE int lay_qr(lay *l, double x, double y, double side, const char *text);

/* Times come as the API writes them, "YYYY-MM-DDTHH:MM:SS+07:00" (local
 * time). Each writes "" for NULL or a string it cannot read. */
/* "ngày dd tháng mm năm yyyy", into out (size bytes). */
void lay_date_words(const char *iso, char *out, size_t size);
/* "HH giờ MM phút, ngày dd/mm/yyyy" */
void lay_time_words(const char *iso, char *out, size_t size);
/* "dd/mm/yyyy HH:MM" */
void lay_time_short(const char *iso, char *out, size_t size);

#endif
