/*
 * text.c - fuzz target for the Vietnamese text functions: UTF-8 checks, NFC,
 * search keys and the identifiers citizens type.
 *
 * Checked against txt.h: txt_utf8_valid agrees with libunistring's u8_check;
 * NFC is idempotent; a search key is the same for precomposed, decomposed
 * and already folded text, and has no capitals, marks or stray spaces;
 * whatever the validators accept has the documented shape; their messages
 * quote input only as valid UTF-8; txt_check_field gets stricter, never
 * looser, with each stricter option.
 */
#include "core/txt.h"
#include "fuzz.h"

#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

static int valid(const char *s)
{
	return txt_utf8_valid(s, strlen(s));
}

/* NFD of valid s (caller frees). */
static char *nfd(const char *s)
{
	size_t len = 0;
	uint8_t *r = u8_normalize(UNINORM_NFD, (const uint8_t *)s, strlen(s), NULL, &len);
	FZ_CHECK(r != NULL);
	char *out = mc_xstrndup((const char *)r, len);
	free(r);
	return out;
}

static void check_key(const char *k)
{
	size_t n = strlen(k);
	FZ_CHECK(valid(k));
	FZ_CHECK(n == 0 || (k[0] != ' ' && k[n - 1] != ' '));
	FZ_CHECK(!strstr(k, "  "));
	const uint8_t *p = (const uint8_t *)k, *end = p + n;
	while (p < end) {
		ucs4_t uc;
		p += u8_mbtouc(&uc, p, (size_t)(end - p));
		FZ_CHECK(!(uc >= 'A' && uc <= 'Z'));
		FZ_CHECK(!uc_is_general_category(uc, UC_CATEGORY_M));
		FZ_CHECK(uc != 0x0111 && uc != 0x0110); /* đ Đ */
		FZ_CHECK(uc == ' ' || !uc_is_property_white_space(uc));
	}
}

static void fuzz_norm(const char *s)
{
	int ok = valid(s);
	char *n = txt_nfc(s), *f = txt_fold(s);
	FZ_CHECK(!n == !ok);
	FZ_CHECK(!f == !ok);
	if (!ok)
		return;
	FZ_CHECK(valid(n));
	char *nn = txt_nfc(n);
	FZ_CHECK(strcmp(nn, n) == 0);
	free(nn);

	check_key(f);
	FZ_CHECK(txt_contains_folded(f, f));
	FZ_CHECK(txt_contains_folded(f, ""));
	/* precomposed, decomposed and already folded text share the key */
	char *d = nfd(s), *fn = txt_fold(n), *fd = txt_fold(d), *ff = txt_fold(f);
	FZ_CHECK(strcmp(fn, f) == 0);
	FZ_CHECK(strcmp(fd, f) == 0);
	FZ_CHECK(strcmp(ff, f) == 0);
	free(d);
	free(fn);
	free(fd);
	free(ff);
	free(n);
	free(f);
}

static void fuzz_ids(const char *s)
{
	mc_err e = { 0 };
	char out[16], out2[16];

	if (txt_valid_cccd(s, &e) == MC_OK) {
		FZ_CHECK(strlen(s) == 12 && strspn(s, "0123456789") == 12);
	} else {
		FZ_CHECK(e.code == MC_EINVAL);
	}

	int rc = txt_phone_normalize(s, out);
	FZ_CHECK((txt_valid_phone(s, &e) == MC_OK) == (rc == MC_OK));
	if (rc == MC_OK) {
		size_t n = strlen(out);
		FZ_CHECK(out[0] == '0' && (n == 10 || n == 11) && strspn(out, "0123456789") == n);
		FZ_CHECK(txt_phone_normalize(out, out2) == MC_OK && strcmp(out, out2) == 0);
	} else {
		FZ_CHECK(out[0] == '\0');
		FZ_CHECK(valid(e.msg));
	}

	e.msg[0] = '\0';
	if (txt_valid_email(s, &e) == MC_OK) {
		const char *at = strchr(s, '@');
		FZ_CHECK(valid(s) && strlen(s) <= 254);
		FZ_CHECK(at && at > s && at - s <= 64 && !strchr(at + 1, '@'));
		FZ_CHECK(!strpbrk(s, " \t\r\n"));
	} else {
		FZ_CHECK(e.code == MC_EINVAL && valid(e.msg));
	}
}

static void fuzz_field(const char *s, size_t maxlen)
{
	/* index: required * 2 + multiline */
	int rc[4];
	mc_err e;
	const char *t = s ? s : ""; /* what NULL means */
	for (int k = 0; k < 4; k++) {
		e.msg[0] = '\0';
		rc[k] = txt_check_field("applicant.name", s, maxlen, k >> 1, k & 1, &e);
		FZ_CHECK(rc[k] == MC_OK || (rc[k] == MC_EINVAL && e.msg[0]));
		if (rc[k] == MC_OK) {
			FZ_CHECK(valid(t) && strlen(t) <= maxlen);
			FZ_CHECK((k & 1) || !txt_has_control(t));
		}
	}
	/* required refuses more, multiline accepts more */
	FZ_CHECK(rc[2] == MC_OK ? rc[0] == MC_OK : 1);
	FZ_CHECK(rc[3] == MC_OK ? rc[1] == MC_OK : 1);
	FZ_CHECK(rc[0] == MC_OK ? rc[1] == MC_OK : 1);
	FZ_CHECK(rc[2] == MC_OK ? rc[3] == MC_OK : 1);
	if (maxlen > 0)
		FZ_CHECK(txt_check_field("x", s, maxlen - 1, 0, 1, &e) == MC_OK ? rc[1] == MC_OK
										  : 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_cstr(data, size);
	size_t n = strlen(s);

	/* over the whole input, NUL bytes included */
	FZ_CHECK(txt_utf8_valid((const char *)data, size) ==
		 (u8_check(data, size) == NULL));
	fuzz_norm(s);
	fuzz_ids(s);
	fuzz_field(s, 2000);
	fuzz_field(s, n / 2);
	fuzz_field(s, n);
	fuzz_field(NULL, 0);
	free(s);
	return 0;
}
