/*
 * ocr.c - text recognition of scans (see ocr.h): leptonica decodes and
 * cleans each page, poppler renders a PDF page without a text layer,
 * tesseract's C API reads the result.
 */
#include "doc/ocr.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <leptonica/allheaders.h>
#include <poppler.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>

#include "sb.h"

/* A searchable PDF being made (doc_ocr_file_pdf): each page read adds a
 * page with its words as text under the page's image. */
typedef struct {
	cairo_surface_t *surf;
	cairo_t *cr;
	sb out;
	int err;
} spdf;

struct doc_ocr {
	TessBaseAPI *api;
	spdf *pdf; /* NULL unless doc_ocr_file_pdf is running */
};

/* What a page is read at: tesseract's LSTM models were trained on text
 * with an x-height of about 20-30 pixels, i.e. 10-12 pt at 300 dpi. */
#define OCR_DPI 300
/* Text whose letters stand under this many pixels (the median height of
 * the ink's connected pieces) is scaled up; a 12 pt line at 150 dpi
 * measures about 12. */
#define SMALL_TEXT 18
#define WANT_TEXT 28

static void quiet(void)
{
	setMsgSeverity(L_SEVERITY_NONE);
}

int doc_ocr_new(const char *lang, doc_ocr **out, mc_err *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, quiet);
	*out = NULL;
	doc_ocr *o = calloc(1, sizeof *o);
	if (!o)
		return mc_fail(e, MCE_INTERNAL, "hết bộ nhớ", "out of memory");
	o->api = TessBaseAPICreate();
	/* Tesseract prints "Estimating resolution" and the like to stderr;
	 * a server's log wants none of it. */
	if (!o->api || TessBaseAPIInit3(o->api, NULL, lang ? lang : DOC_OCR_LANG) != 0) {
		doc_ocr_free(o);
		return mc_fail(e, MCE_OCR_INIT, "tesseract không nạp được ngôn ngữ '%s'",
			       "tesseract cannot load the language '%s'", lang ? lang : DOC_OCR_LANG);
	}
	(void)TessBaseAPISetVariable(o->api, "debug_file", "/dev/null");
	TessBaseAPISetPageSegMode(o->api, PSM_AUTO);
	*out = o;
	return MC_OK;
}

void doc_ocr_free(doc_ocr *o)
{
	if (!o)
		return;
	if (o->api) {
		TessBaseAPIEnd(o->api);
		TessBaseAPIDelete(o->api);
	}
	free(o);
}

/* ---- the kind of file ---- */

enum { K_NONE, K_PDF, K_TIFF, K_IMAGE };

static int kind_of(const unsigned char *d, size_t n)
{
	if (n >= 5 && memcmp(d, "%PDF-", 5) == 0)
		return K_PDF;
	l_int32 format = IFF_UNKNOWN;
	if (n < 12 || findFileFormatBuffer(d, &format) != 0)
		return K_NONE;
	if (L_FORMAT_IS_TIFF(format))
		return K_TIFF;
	if (format == IFF_JFIF_JPEG || format == IFF_PNG)
		return K_IMAGE;
	return K_NONE;
}

static int bad_type(mc_err *e)
{
	return mc_fail(e, MCE_FILE_BAD_TYPE, "chỉ đọc được chữ của tệp PDF, JPEG, PNG hoặc TIFF",
		       "text is read from PDF, JPEG, PNG or TIFF files only");
}

static int damaged(mc_err *e, int page)
{
	return mc_fail(e, MCE_FILE_DAMAGED, "trang %d không giải mã được",
		       "page %d does not decode", page + 1);
}

static PopplerDocument *pdf_open(const void *data, size_t n, GBytes **bytes)
{
	*bytes = g_bytes_new_static(data, n);
	GError *err = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(*bytes, NULL, &err);
	if (err)
		g_error_free(err);
	return doc;
}

static int tiff_count(const void *data, size_t n, int *pages)
{
	FILE *f = fmemopen((void *)(uintptr_t)data, n, "rb");
	l_int32 np = 0;
	int bad = !f || tiffGetCount(f, &np) != 0;
	if (f)
		fclose(f);
	*pages = np;
	return bad || np < 1;
}

int doc_ocr_pages(const void *data, size_t n, int *pages, mc_err *e)
{
	*pages = 0;
	switch (kind_of(data, n)) {
	case K_PDF: {
		GBytes *b;
		PopplerDocument *doc = pdf_open(data, n, &b);
		*pages = doc ? poppler_document_get_n_pages(doc) : 0;
		if (doc)
			g_object_unref(doc);
		g_bytes_unref(b);
		return *pages > 0 ? MC_OK : damaged(e, 0);
	}
	case K_TIFF:
		return tiff_count(data, n, pages) ? damaged(e, 0) : MC_OK;
	case K_IMAGE:
		*pages = 1;
		return MC_OK;
	default:
		return bad_type(e);
	}
}

/* ---- cleaning a page ---- */

/* The median height of the ink's connected pieces of a grey page whose
 * background is flattened (letters and the marks above them; specks and
 * rules left out), or 0 if there is too little ink to tell. */
static int letter_height(PIX *flat)
{
	PIX *bin = pixThresholdToBinary(flat, 140);
	BOXA *boxes = bin ? pixConnCompBB(bin, 8) : NULL;
	pixDestroy(&bin);
	int n = boxes ? boxaGetCount(boxes) : 0, kept = 0, h = 0;
	int *hs = n ? calloc((size_t)n, sizeof *hs) : NULL;
	for (int i = 0; hs && i < n; i++) {
		l_int32 bx, by, bw, bh;
		if (boxaGetBoxGeometry(boxes, i, &bx, &by, &bw, &bh) == 0 && bh >= 3 && bw >= 2 &&
		    bh < 200 && bw < 300)
			hs[kept++] = bh;
	}
	if (kept >= 20) {
		/* A partial selection would do; a page has a few thousand. */
		for (int i = 1; i < kept; i++)
			for (int j = i; j > 0 && hs[j - 1] > hs[j]; j--) {
				int t = hs[j];
				hs[j] = hs[j - 1];
				hs[j - 1] = t;
			}
		h = hs[kept / 2];
	}
	free(hs);
	boxaDestroy(&boxes);
	return h;
}

/*
 * The page as tesseract reads it best: grey; its background flattened
 * (a photo's uneven light would otherwise split a page's threshold); small
 * text scaled up towards WANT_TEXT and smoothed (the grain of a photo,
 * scaled, reads as ink); skew up to 7 degrees corrected. OUT: *dpi the
 * resolution of the result to tell tesseract (0: unknown). Returns a new
 * Pix or NULL.
 *
 * Measured on tests/doc/ocr_test.c's phone photo (150 dpi, 4 degrees,
 * uneven light, grain), character error rate: all steps 1.1-1.6 %; without
 * flattening 90 %; without deskewing 84 %; without scaling 1.4-2.5 %;
 * scaled but not smoothed 2.5-3.2 %. Tried and left out: a 3x3 median
 * (0.5 point worse on the clean page), leptonica's adaptive Otsu inside
 * tesseract (thresholding_method 1: worse on the clean page and the scan).
 */
static PIX *prepare(PIX *in, int *dpi)
{
	int res = pixGetXRes(in);
	PIX *grey = pixConvertTo8(in, 0);
	if (!grey)
		return NULL;
	PIX *flat = pixBackgroundNormSimple(grey, NULL, NULL);
	if (!flat)
		flat = pixClone(grey);
	pixDestroy(&grey);
	int h = letter_height(flat);
	float scale = 1;
	if (h > 0 && h < SMALL_TEXT)
		scale = (float)WANT_TEXT / (float)h;
	if (scale > 4)
		scale = 4;
	PIX *big = scale > 1 ? pixScaleGrayLI(flat, scale, scale) : pixClone(flat);
	pixDestroy(&flat);
	if (big && scale > 1) {
		PIX *soft = pixBlockconvGray(big, NULL, 1, 1);
		pixDestroy(&big);
		big = soft;
	}
	if (!big)
		return NULL;
	*dpi = res > 0 ? (int)((float)res * scale + 0.5f) : 0;
	l_float32 angle = 0, conf = 0;
	PIX *straight = pixFindSkewAndDeskew(big, 2, &angle, &conf);
	pixDestroy(&big);
	return straight;
}

/* ---- the searchable PDF ---- */

/* A searchable PDF of a few pages of scans; 64 MB is far more. */
#define SPDF_MAX (64u << 20)
/* The page image's JPEG quality: a grey page of text stays legible and
 * weighs a few hundred KB. */
#define SPDF_JPEG_QUALITY 75

static cairo_status_t spdf_write(void *closure, const unsigned char *data, unsigned int length)
{
	spdf *p = closure;
	sb_addn(&p->out, (const char *)data, length);
	return sb_err(&p->out) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* The words tesseract found on the page it just read, each drawn at its
 * box (k: points per pixel), stretched to the box's width. */
static void spdf_words(doc_ocr *o, cairo_t *cr, double k)
{
	TessResultIterator *ri = TessBaseAPIGetIterator(o->api);
	if (!ri)
		return;
	TessPageIterator *pi = TessResultIteratorGetPageIterator(ri);
	cairo_select_font_face(cr, "Liberation Serif", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_source_rgb(cr, 0, 0, 0);
	do {
		char *w = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
		int l, t, r, b;
		if (w && *w && TessPageIteratorBoundingBox(pi, RIL_WORD, &l, &t, &r, &b) && r > l &&
		    b > t) {
			double size = (b - t) * k;
			cairo_set_font_size(cr, size);
			cairo_text_extents_t ext;
			cairo_text_extents(cr, w, &ext);
			cairo_save(cr);
			cairo_translate(cr, l * k, b * k - size * 0.2);
			if (ext.x_advance > 0)
				cairo_scale(cr, (r - l) * k / ext.x_advance, 1);
			cairo_move_to(cr, 0, 0);
			cairo_show_text(cr, w);
			cairo_restore(cr);
		}
		TessDeleteText(w);
	} while (TessPageIteratorNext(pi, RIL_WORD));
	TessResultIteratorDelete(ri);
}

/* Adds the page read from pix (its cleaned grey image at dpi): the words
 * first, then the image painted over them, so the page looks like the
 * scan and its text can be found, selected and copied. The image goes in
 * as JPEG (cairo embeds the JPEG's bytes as they are). */
static void spdf_page(doc_ocr *o, PIX *pix, int dpi)
{
	spdf *p = o->pdf;
	if (p->err)
		return;
	int w = pixGetWidth(pix), h = pixGetHeight(pix);
	double k = 72.0 / (dpi >= 70 ? dpi : OCR_DPI);
	cairo_pdf_surface_set_size(p->surf, w * k, h * k);
	spdf_words(o, p->cr, k);
	l_uint8 *jpg = NULL;
	size_t jlen = 0;
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	/* The cleaned page's background stands at 200 (leptonica's
	 * normalisation): lifted to white for the reader's eye. */
	PIX *g8 = pixConvertTo8(pix, 0);
	PIX *grey = g8 ? pixGammaTRC(NULL, g8, 1.0f, 40, 200) : NULL;
	pixDestroy(&g8);
	if (!grey || cairo_surface_status(img) != CAIRO_STATUS_SUCCESS ||
	    pixWriteMemJpeg(&jpg, &jlen, grey, SPDF_JPEG_QUALITY, 0) != 0) {
		p->err = 1;
	} else {
		/* The pixels too, for any reader of the surface that is not
		 * the PDF writer. */
		cairo_surface_flush(img);
		unsigned char *px = cairo_image_surface_get_data(img);
		int stride = cairo_image_surface_get_stride(img), wpl = pixGetWpl(grey);
		l_uint32 *line = pixGetData(grey);
		for (int y = 0; y < h; y++, line += wpl) {
			uint32_t *row = (uint32_t *)(void *)(px + (size_t)y * (size_t)stride);
			for (int x = 0; x < w; x++) {
				uint32_t g = GET_DATA_BYTE(line, x);
				row[x] = g << 16 | g << 8 | g;
			}
		}
		cairo_surface_mark_dirty(img);
		if (cairo_surface_set_mime_data(img, CAIRO_MIME_TYPE_JPEG, jpg, jlen, free, jpg) !=
		    CAIRO_STATUS_SUCCESS) {
			free(jpg);
			p->err = 1;
		}
		cairo_save(p->cr);
		cairo_scale(p->cr, k, k);
		cairo_set_source_surface(p->cr, img, 0, 0);
		cairo_paint(p->cr);
		cairo_restore(p->cr);
		cairo_show_page(p->cr);
	}
	pixDestroy(&grey);
	cairo_surface_destroy(img);
}

/* ---- reading ---- */

static int read_pix(doc_ocr *o, PIX *pix, int page, char **text, double *conf, mc_err *e)
{
	*text = NULL;
	int dpi = 0;
	PIX *ready = prepare(pix, &dpi);
	if (!ready)
		return damaged(e, page);
	TessBaseAPISetImage2(o->api, ready);
	if (dpi >= 70)
		TessBaseAPISetSourceResolution(o->api, dpi);
	int rc = MC_OK;
	char *t = TessBaseAPIRecognize(o->api, NULL) == 0 ? TessBaseAPIGetUTF8Text(o->api) : NULL;
	if (t && o->pdf)
		spdf_page(o, ready, dpi);
	if (!t) {
		rc = mc_fail(e, MCE_OCR_FAILED, "tesseract không đọc được trang %d",
			     "tesseract failed on page %d", page + 1);
	} else {
		*text = strdup(t);
		*conf = TessBaseAPIMeanTextConf(o->api);
		TessDeleteText(t);
		if (!*text)
			rc = mc_fail(e, MCE_INTERNAL, "hết bộ nhớ", "out of memory");
	}
	TessBaseAPIClear(o->api);
	pixDestroy(&ready);
	return rc;
}

/* A cairo RGB24 surface as an 8-bit grey Pix. */
static PIX *surface_pix(cairo_surface_t *s, int dpi)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	const unsigned char *data = cairo_image_surface_get_data(s);
	PIX *pix = pixCreate(w, h, 8);
	if (!pix || !data) {
		pixDestroy(&pix);
		return NULL;
	}
	pixSetResolution(pix, dpi, dpi);
	l_uint32 *lines = pixGetData(pix);
	int wpl = pixGetWpl(pix);
	for (int y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * stride);
		l_uint32 *line = lines + (size_t)y * wpl;
		for (int x = 0; x < w; x++) {
			uint32_t px = row[x];
			unsigned r = (px >> 16) & 255, g = (px >> 8) & 255, b = px & 255;
			SET_DATA_BYTE(line, x, (r * 299 + g * 587 + b * 114) / 1000);
		}
	}
	return pix;
}

/* 1 if a PDF page's own text has enough letters to be its text layer (a
 * scan saved as PDF has none, or a stray line). */
static int has_text(const char *t)
{
	int letters = 0;
	for (; t && *t; t++)
		if ((unsigned char)*t > ' ')
			letters++;
	return letters >= 16;
}

static int pdf_page(doc_ocr *o, PopplerDocument *doc, int i, char **text, double *conf,
		    mc_err *e)
{
	PopplerPage *page = poppler_document_get_page(doc, i);
	if (!page)
		return damaged(e, i);
	char *own = poppler_page_get_text(page);
	if (has_text(own)) {
		*text = strdup(own);
		*conf = 100;
		g_free(own);
		g_object_unref(page);
		return *text ? MC_OK : mc_fail(e, MCE_INTERNAL, "hết bộ nhớ", "out of memory");
	}
	g_free(own);
	double pw = 0, ph = 0;
	poppler_page_get_size(page, &pw, &ph);
	double k = OCR_DPI / 72.0;
	int w = (int)(pw * k + 0.5), h = (int)(ph * k + 0.5);
	if (w < 1 || h < 1 || (long long)w * h > 100LL * 1000 * 1000) {
		g_object_unref(page);
		return damaged(e, i);
	}
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, k, k);
	poppler_page_render_for_printing(page, cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	g_object_unref(page);
	PIX *pix = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS ? surface_pix(s, OCR_DPI) : NULL;
	cairo_surface_destroy(s);
	if (!pix)
		return damaged(e, i);
	int rc = read_pix(o, pix, i, text, conf, e);
	pixDestroy(&pix);
	return rc;
}

/* NEEDSWORK: a phone's JPEG may be stored sideways with an EXIF
 * orientation; leptonica ignores it (tesseract's osd model is not
 * installed either), so such a page reads as nothing. */
static PIX *image_page(const void *data, size_t n, int kind, int page)
{
	if (kind == K_TIFF)
		return pixReadMemTiff(data, n, page);
	return pixReadMem(data, n);
}

int doc_ocr_file(doc_ocr *o, const void *data, size_t n, doc_ocr_page_cb cb, void *ctx,
		 mc_err *e)
{
	int pages = 0;
	int rc = doc_ocr_pages(data, n, &pages, e);
	if (rc)
		return rc;
	int kind = kind_of(data, n);
	GBytes *b = NULL;
	PopplerDocument *doc = kind == K_PDF ? pdf_open(data, n, &b) : NULL;
	for (int i = 0; i < pages && rc == MC_OK; i++) {
		char *text = NULL;
		double conf = 0;
		if (doc) {
			rc = pdf_page(o, doc, i, &text, &conf, e);
		} else {
			PIX *pix = image_page(data, n, kind, i);
			rc = pix ? read_pix(o, pix, i, &text, &conf, e) : damaged(e, i);
			pixDestroy(&pix);
		}
		if (rc == MC_OK && cb && cb(ctx, i, pages, text, conf) != 0)
			rc = mc_fail(e, MCE_OCR_STOPPED, "dừng nhận dạng chữ ở trang %d",
				     "text recognition stopped at page %d", i + 1);
		free(text);
	}
	if (doc)
		g_object_unref(doc);
	if (b)
		g_bytes_unref(b);
	return rc;
}

int doc_ocr_file_pdf(doc_ocr *o, const void *data, size_t n, doc_ocr_page_cb cb, void *ctx,
		     unsigned char **pdf, size_t *len, mc_err *e)
{
	*pdf = NULL;
	*len = 0;
	if (kind_of(data, n) == K_PDF)
		return doc_ocr_file(o, data, n, cb, ctx, e);
	spdf p = { .err = 0 };
	sb_init(&p.out, SPDF_MAX);
	/* The first page's size is set when it is read. */
	p.surf = cairo_pdf_surface_create_for_stream(spdf_write, &p, 595, 842);
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_CREATOR, "motcua");
	p.cr = cairo_create(p.surf);
	o->pdf = &p;
	int rc = doc_ocr_file(o, data, n, cb, ctx, e);
	o->pdf = NULL;
	cairo_destroy(p.cr);
	cairo_surface_finish(p.surf);
	if (cairo_surface_status(p.surf) != CAIRO_STATUS_SUCCESS || sb_err(&p.out))
		p.err = 1;
	cairo_surface_destroy(p.surf);
	if (!rc && p.err)
		rc = mc_fail(e, MCE_INTERNAL, "không tạo được tệp PDF tìm kiếm được",
			     "cannot make the searchable PDF");
	if (rc) {
		sb_release(&p.out);
		return rc;
	}
	*len = p.out.len;
	*pdf = (unsigned char *)sb_take(&p.out);
	return MC_OK;
}

typedef struct {
	sb out;
	double conf;
	int pages;
} joined;

static int join_page(void *ctx, int page, int pages, const char *text, double conf)
{
	joined *j = ctx;
	if (page > 0)
		sb_add(&j->out, "\f");
	sb_add(&j->out, text);
	j->conf += conf;
	j->pages++;
	return 0;
}

int doc_ocr_image(doc_ocr *o, const void *data, size_t n, char **text, double *mean_conf,
		  mc_err *e)
{
	*text = NULL;
	joined j = { .conf = 0 };
	sb_init(&j.out, 64u << 20);
	int rc = doc_ocr_file(o, data, n, join_page, &j, e);
	if (rc == MC_OK && sb_err(&j.out))
		rc = mc_fail(e, MCE_INTERNAL, "văn bản nhận dạng quá dài",
			     "the recognised text is too long");
	if (rc) {
		sb_release(&j.out);
		return rc;
	}
	if (mean_conf)
		*mean_conf = j.pages ? j.conf / j.pages : 0;
	*text = sb_take(&j.out);
	return MC_OK;
}

int doc_ocr_thumbnail(const void *data, size_t n, int max_side, unsigned char **png,
		      size_t *len, mc_err *e)
{
	*png = NULL;
	*len = 0;
	int kind = kind_of(data, n);
	if (kind == K_NONE)
		return bad_type(e);
	PIX *pix = NULL;
	if (kind == K_PDF) {
		GBytes *b;
		PopplerDocument *doc = pdf_open(data, n, &b);
		PopplerPage *page = doc ? poppler_document_get_page(doc, 0) : NULL;
		if (page) {
			double pw = 0, ph = 0;
			poppler_page_get_size(page, &pw, &ph);
			double k = (double)max_side / (pw > ph ? pw : ph);
			int w = (int)(pw * k + 0.5), h = (int)(ph * k + 0.5);
			if (w >= 1 && h >= 1) {
				cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
				cairo_t *cr = cairo_create(s);
				cairo_set_source_rgb(cr, 1, 1, 1);
				cairo_paint(cr);
				cairo_scale(cr, k, k);
				poppler_page_render(page, cr);
				cairo_destroy(cr);
				cairo_surface_flush(s);
				pix = surface_pix(s, 72);
				cairo_surface_destroy(s);
			}
			g_object_unref(page);
		}
		if (doc)
			g_object_unref(doc);
		g_bytes_unref(b);
	} else {
		PIX *full = image_page(data, n, kind, 0);
		PIX *grey = full ? pixConvertTo8(full, 0) : NULL;
		int w = grey ? pixGetWidth(grey) : 0, h = grey ? pixGetHeight(grey) : 0;
		float k = w > 0 ? (float)max_side / (float)(w > h ? w : h) : 1;
		pix = grey ? (k < 1 ? pixScaleAreaMap(grey, k, k) : pixClone(grey)) : NULL;
		pixDestroy(&grey);
		pixDestroy(&full);
	}
	if (!pix)
		return damaged(e, 0);
	l_uint8 *bytes = NULL;
	size_t size = 0;
	int bad = pixWriteMemPng(&bytes, &size, pix, 0) != 0;
	pixDestroy(&pix);
	if (bad)
		return mc_fail(e, MCE_INTERNAL, "không tạo được ảnh thu nhỏ",
			       "cannot make the thumbnail");
	*png = bytes;
	*len = size;
	return MC_OK;
}
