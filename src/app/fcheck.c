/*
 * fcheck.c - checks of a scan's bytes (see fcheck.h): libmagic for the
 * type, poppler for a PDF's pages and wholeness, leptonica for an image's
 * header (size before decoding) and a decode.
 */
#include "app/fcheck.h"

#include <leptonica/allheaders.h>
#include <magic.h>
#include <poppler.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t magic_mu = PTHREAD_MUTEX_INITIALIZER;
static magic_t magic_db; /* one cookie: libmagic's are not thread-safe */
/* Decoding an image takes up to 400 MB at the pixel limit: one at a time. */
static pthread_mutex_t decode_mu = PTHREAD_MUTEX_INITIALIZER;

static const char *const accepted[] = { "application/pdf", "image/jpeg", "image/png",
					"image/tiff", NULL };

int fchk_type(const void *data, size_t n, char mime[64], mc_err *e)
{
	mime[0] = 0;
	if (n == 0)
		return mc_fail(e, MCE_FILE_EMPTY, "tệp rỗng (0 byte)", "the file is empty (0 bytes)");
	pthread_mutex_lock(&magic_mu);
	if (!magic_db) {
		magic_db = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
		if (magic_db && magic_load(magic_db, NULL) != 0) {
			magic_close(magic_db);
			magic_db = NULL;
		}
	}
	const char *m = magic_db ? magic_buffer(magic_db, data, n) : NULL;
	snprintf(mime, 64, "%s", m ? m : "");
	pthread_mutex_unlock(&magic_mu);
	if (!magic_db)
		return mc_fail(e, MCE_INTERNAL, "không nạp được cơ sở dữ liệu libmagic",
			       "cannot load the libmagic database");
	for (int i = 0; accepted[i]; i++)
		if (strcmp(mime, accepted[i]) == 0)
			return MC_OK;
	return mc_fail(e, MCE_FILE_BAD_TYPE,
		       "tệp có định dạng '%.60s': chỉ nhận PDF, JPEG, PNG hoặc TIFF",
		       "the file is '%.60s': only PDF, JPEG, PNG or TIFF are accepted", mime);
}

static int damaged(mc_err *e, const char *vi, const char *en)
{
	return mc_fail(e, MCE_FILE_DAMAGED, "tệp bị hỏng: %s%.0s", "the file is damaged: %.0s%s", vi,
		       en);
}

/* A PDF ends with "%%EOF" (and white space): one cut short does not, and
 * poppler would rebuild its cross-reference table and open what is left. */
static int pdf_ends(const unsigned char *d, size_t n)
{
	size_t from = n > 1024 ? n - 1024 : 0;
	for (size_t i = n; i >= from + 5; i--)
		if (memcmp(d + i - 5, "%%EOF", 5) == 0)
			return 1;
	return 0;
}

static int check_pdf(const unsigned char *d, size_t n, fchk_info *out, mc_err *e)
{
	if (!pdf_ends(d, n))
		return damaged(e, "PDF thiếu phần cuối (%EOF)", "the PDF is cut short (no %EOF)");
	GBytes *b = g_bytes_new_static(d, n);
	GError *err = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(b, NULL, &err);
	int pages = doc ? poppler_document_get_n_pages(doc) : 0;
	if (err)
		g_error_free(err);
	if (doc)
		g_object_unref(doc);
	g_bytes_unref(b);
	if (!doc)
		return damaged(e, "không mở được PDF (hỏng hoặc có mật khẩu)",
			       "the PDF does not open (damaged or password-protected)");
	if (pages < 1)
		return damaged(e, "PDF không có trang nào", "the PDF has no pages");
	if (pages > FCHK_MAX_PAGES)
		return mc_fail(e, MCE_FILE_TOO_LARGE, "tệp có %d trang, tối đa %d",
			       "the file has %d pages, at most %d", pages, FCHK_MAX_PAGES);
	out->pages = pages;
	return MC_OK;
}

static int check_size(int w, int h, mc_err *e)
{
	if (w <= 0 || h <= 0)
		return damaged(e, "không đọc được kích thước ảnh", "the image has no size");
	if (w > FCHK_MAX_SIDE || h > FCHK_MAX_SIDE || (long long)w * h > FCHK_MAX_PIXELS)
		return mc_fail(e, MCE_FILE_IMAGE_TOO_LARGE,
			       "ảnh %d x %d điểm ảnh: tối đa %d điểm ảnh mỗi cạnh và %lld triệu điểm ảnh",
			       "the image is %d x %d pixels: at most %d a side and %lld megapixels",
			       w, h, FCHK_MAX_SIDE, FCHK_MAX_PIXELS / 1000000);
	return MC_OK;
}

/* Decodes page (TIFF) or the image; 1 if it decodes whole. */
static int decodes(const unsigned char *d, size_t n, int format, int page)
{
	PIX *pix = NULL;
	int nwarn = 0;
	pthread_mutex_lock(&decode_mu);
	if (format == IFF_JFIF_JPEG)
		/* At 1/8 scale: every byte is still entropy-decoded (a cut
		 * file warns), in 1/64 of the memory. */
		pix = pixReadMemJpeg(d, n, 0, 8, &nwarn, 0);
	else if (format == IFF_PNG)
		pix = pixReadMemPng(d, n);
	else
		pix = pixReadMemTiff(d, n, page);
	pthread_mutex_unlock(&decode_mu);
	int ok = pix != NULL && nwarn == 0;
	pixDestroy(&pix);
	return ok;
}

static uint32_t rd(const unsigned char *p, int len, int be)
{
	uint32_t v = 0;
	for (int i = 0; i < len; i++)
		v |= (uint32_t)p[be ? i : len - 1 - i] << (8 * (len - 1 - i));
	return v;
}

/* Walks the chain of image directories (IFDs): each must lie inside the
 * file and the last must end it (next offset 0). A TIFF cut after one of
 * its pages still reads as a shorter TIFF to libtiff; its chain does not
 * end. 1 if the chain is whole; OUT: *pages. */
static int tiff_chain_whole(const unsigned char *d, size_t n, int *pages)
{
	*pages = 0;
	if (n < 8 || !((d[0] == 'I' && d[1] == 'I') || (d[0] == 'M' && d[1] == 'M')))
		return 0;
	int be = d[0] == 'M';
	if (rd(d + 2, 2, be) != 42)
		return 0; /* BigTIFF is not accepted */
	uint64_t off = rd(d + 4, 4, be);
	while (off != 0) {
		if (off + 2 > n || ++*pages > FCHK_MAX_PAGES + 1)
			return 0;
		uint64_t end = off + 2 + 12ull * rd(d + off, 2, be);
		if (end + 4 > n)
			return 0;
		uint64_t next = rd(d + end, 4, be);
		if (next != 0 && next <= off)
			return 0; /* a loop, or a chain that goes back */
		off = next;
	}
	return *pages > 0;
}

static int tiff_pages(const unsigned char *d, size_t n, int *pages)
{
	int chained;
	if (!tiff_chain_whole(d, n, &chained))
		return 1;
	FILE *f = fmemopen((void *)(uintptr_t)d, n, "rb");
	*pages = 0;
	if (!f)
		return 1;
	l_int32 np = 0;
	int bad = tiffGetCount(f, &np) != 0;
	fclose(f);
	*pages = np;
	return bad || np < 1 || np != chained;
}

static int check_image(const unsigned char *d, size_t n, fchk_info *out, mc_err *e)
{
	l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0, res = 0;
	if (pixReadHeaderMem(d, n, &format, &w, &h, &bps, &spp, &cmap) != 0)
		return damaged(e, "không đọc được phần đầu của ảnh", "the image header is unreadable");
	int rc = check_size(w, h, e);
	if (rc)
		return rc;
	out->width = w;
	out->height = h;
	out->pages = 1;
	if (L_FORMAT_IS_TIFF(format)) {
		if (tiff_pages(d, n, &out->pages))
			return damaged(e, "không đếm được trang của tệp TIFF",
				       "the TIFF's pages cannot be counted");
		if (out->pages > FCHK_MAX_PAGES)
			return mc_fail(e, MCE_FILE_TOO_LARGE, "tệp có %d trang, tối đa %d",
				       "the file has %d pages, at most %d", out->pages,
				       FCHK_MAX_PAGES);
		for (int p = 0; p < out->pages; p++) {
			if (readHeaderMemTiff(d, n, p, &w, &h, &bps, &spp, &res, &cmap, &format) != 0)
				return damaged(e, "không đọc được một trang TIFF",
					       "a TIFF page is unreadable");
			rc = check_size(w, h, e);
			if (rc)
				return rc;
			if (!decodes(d, n, IFF_TIFF, p))
				return damaged(e, "một trang TIFF không giải mã được",
					       "a TIFF page does not decode");
		}
		return MC_OK;
	}
	if (format != IFF_JFIF_JPEG && format != IFF_PNG)
		return mc_fail(e, MCE_FILE_BAD_TYPE, "định dạng ảnh không được nhận",
			       "the image format is not accepted");
	if (!decodes(d, n, format, 0))
		return damaged(e, "ảnh không giải mã được (thiếu dữ liệu)",
			       "the image does not decode (cut short)");
	return MC_OK;
}

static void quiet_leptonica(void)
{
	setMsgSeverity(L_SEVERITY_NONE);
}

int fchk_check(const void *data, size_t n, fchk_info *out, mc_err *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, quiet_leptonica);
	memset(out, 0, sizeof *out);
	int rc = fchk_type(data, n, out->mime, e);
	if (rc)
		return rc;
	if (strcmp(out->mime, "application/pdf") == 0)
		return check_pdf(data, n, out, e);
	return check_image(data, n, out, e);
}
