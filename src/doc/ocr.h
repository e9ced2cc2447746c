/*
 * ocr.h - text recognition of scans (issue 12): JPEG, PNG, TIFF (each
 * page) and PDF (each page: its own text layer if it has one, else the
 * page rendered at 300 dpi) read with tesseract (LSTM, vie+eng by
 * default), after leptonica has cleaned the page where that measurably
 * helps (tests/doc/ocr_test.c): to grey, uneven lighting flattened, small
 * text scaled up to about 300 dpi, skew corrected.
 *
 * Bytes in, text out: no SQL, no HTTP. An engine costs about 0.3 s to
 * make (tesseract loads its models) and is used by one thread at a time:
 * each worker keeps its own.
 */
#ifndef DOC_OCR_H
#define DOC_OCR_H

#include <stddef.h>

#include "mc.h"

typedef struct doc_ocr doc_ocr;

#define DOC_OCR_LANG "vie+eng"

/* Makes an engine for lang ("vie+eng", "vie"; NULL: DOC_OCR_LANG) with
 * the system's tessdata. OUT: *out (doc_ocr_free it). MCE_OCR_INIT if
 * tesseract cannot load a language. */
MC_MUST_USE int doc_ocr_new(const char *lang, doc_ocr **out, mc_err *e);
/* Frees o and its tesseract; NULL is fine. */
void doc_ocr_free(doc_ocr *o);

/* The pages of a file: PDF, TIFF (its directories), else 1. OUT: *pages.
 * MCE_FILE_BAD_TYPE for bytes that are none of the four types,
 * MCE_FILE_DAMAGED if they do not open. */
MC_MUST_USE int doc_ocr_pages(const void *data, size_t n, int *pages, mc_err *e);

/* Called after each page is read: page counts from 0, text is the page's
 * (UTF-8, owned by the caller of the callback), conf its mean word
 * confidence 0..100 (100 for a PDF's own text layer). Returns 0 to go on,
 * non-zero to stop (doc_ocr_file then fails with MCE_OCR_STOPPED). */
typedef int (*doc_ocr_page_cb)(void *ctx, int page, int pages, const char *text, double conf);

/* Reads every page of a file, calling cb after each. MCE_FILE_BAD_TYPE,
 * MCE_FILE_DAMAGED (a page that does not decode), MCE_OCR_FAILED
 * (tesseract refused the page), MCE_OCR_STOPPED. */
MC_MUST_USE int doc_ocr_file(doc_ocr *o, const void *data, size_t n, doc_ocr_page_cb cb,
			     void *ctx, mc_err *e);

/* doc_ocr_file, and for an image scan (JPEG, PNG, TIFF) a searchable PDF
 * of it: each page the cleaned image (JPEG) over its words as text, so the
 * PDF looks like the scan and its text can be found, selected and copied.
 * A PDF given in has its own pages: *pdf NULL. OUT: *pdf, *len (caller
 * frees). */
MC_MUST_USE int doc_ocr_file_pdf(doc_ocr *o, const void *data, size_t n, doc_ocr_page_cb cb,
				 void *ctx, unsigned char **pdf, size_t *len, mc_err *e);

/* Reads a file whole: its pages' texts joined by form feeds. OUT: *text
 * (caller frees), *mean_conf (the pages' mean; may be NULL). */
MC_MUST_USE int doc_ocr_image(doc_ocr *o, const void *data, size_t n, char **text,
			      double *mean_conf, mc_err *e);

/* A PNG of page 1 at most max_side pixels a side (grey, for the UI's
 * list of files). OUT: *png, *len (caller frees). */
MC_MUST_USE int doc_ocr_thumbnail(const void *data, size_t n, int max_side, unsigned char **png,
				  size_t *len, mc_err *e);

#endif
