/*
 * fcheck.h - what a scan must be before it is stored (issue 12): one of
 * the accepted types as libmagic reads its bytes (never its name), whole
 * (a PDF cut short, an image that does not decode are refused), not a
 * decompression bomb (pixels read from the header, before any decoding),
 * with its page count. Pure checks of bytes in memory: no rows, no paths.
 */
#ifndef FCHECK_H
#define FCHECK_H

#include <stddef.h>

#include "mc.h"

/* Limits: a side, all pixels of one page, pages of one file. An A4 page
 * scanned at 600 dpi is 4961 x 7016 (35 megapixels). */
#define FCHK_MAX_SIDE 20000
#define FCHK_MAX_PIXELS (100LL * 1000 * 1000)
#define FCHK_MAX_PAGES 2000

typedef struct {
	char mime[64]; /* application/pdf, image/jpeg, image/png, image/tiff */
	int pages;
	int width, height; /* images: the first page; 0 for a PDF */
} fchk_info;

/* The type of a file from its first bytes (the first chunk of an upload
 * will do). OUT: mime (64 bytes). MCE_FILE_EMPTY for 0 bytes,
 * MCE_FILE_BAD_TYPE (415) for a type not accepted. */
MC_MUST_USE int fchk_type(const void *data, size_t n, char mime[64], mc_err *e);

/* Checks a whole file. OUT: *out. MCE_FILE_BAD_TYPE, MCE_FILE_DAMAGED
 * (cut short, does not decode), MCE_FILE_IMAGE_TOO_LARGE (a side over
 * FCHK_MAX_SIDE or a page over FCHK_MAX_PIXELS), MCE_FILE_EMPTY. Images
 * are decoded one at a time in the process (memory stays bounded). */
MC_MUST_USE int fchk_check(const void *data, size_t n, fchk_info *out, mc_err *e);

#endif
