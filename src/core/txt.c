#include "txt.h"

#include <errno.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

int txt_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		unsigned c = *p;
		size_t len;
		uint32_t cp, min;
		if (c < 0x80) {
			p++;
			continue;
		}
		/* C0 and C1 can only start overlong two-byte forms; F5-FF would
		 * encode past U+10FFFF. */
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3, cp = c & 0x0F, min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if ((size_t)(end - p) < len)
			return 0;
		for (size_t i = 1; i < len; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		p += len;
	}
	return 1;
}

int txt_has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7F)
			return 1;
	}
	return 0;
}

/* libunistring allocates with malloc and reports failure through errno; the
 * only failure left once the input is known to be valid is out-of-memory,
 * which mc_x* treats as fatal, so do the same here. */
static char *terminate(uint8_t *r, size_t len)
{
	if (!r) {
		fprintf(stderr, "motcua: libunistring failed: %s\n", strerror(errno));
		abort();
	}
	char *out = mc_xrealloc(r, len + 1);
	out[len] = 0;
	return out;
}

char *txt_nfc(const char *s)
{
	size_t n = strlen(s), len = 0;
	if (!txt_utf8_valid(s, n))
		return NULL;
	if (n == 0)
		return mc_xstrdup("");
	uint8_t *r = u8_normalize(UNINORM_NFC, (const uint8_t *)s, n, NULL, &len);
	return terminate(r, len);
}

static int is_space(ucs4_t uc)
{
	/* Zero-width spaces and the BOM are not White_Space in Unicode, but
	 * pasted text carries them and a reader sees nothing there. */
	return uc_is_property_white_space(uc) || uc == 0x200B || uc == 0xFEFF;
}

char *txt_fold(const char *s)
{
	size_t n = strlen(s), len = 0;
	if (!txt_utf8_valid(s, n))
		return NULL;
	if (n == 0)
		return mc_xstrdup("");
	/* Lower-casing to NFD leaves every diacritic as a separate mark, so one
	 * pass can drop them; Vietnamese tone and vowel marks are all Mn. */
	uint8_t *r = u8_tolower((const uint8_t *)s, n, NULL, UNINORM_NFD, NULL, &len);
	char *low = terminate(r, len);
	char *out = mc_xmalloc(len + 1);
	size_t o = 0;
	int pending_space = 0;
	const uint8_t *p = (const uint8_t *)low, *end = p + len;
	while (p < end) {
		ucs4_t uc;
		int k = u8_mbtouc(&uc, p, (size_t)(end - p));
		const uint8_t *ch = p;
		p += k;
		if (uc_is_general_category(uc, UC_CATEGORY_M))
			continue;
		if (is_space(uc)) {
			pending_space = o > 0;
			continue;
		}
		if (pending_space) {
			out[o++] = ' ';
			pending_space = 0;
		}
		/* đ has no decomposition (it is a letter of its own), yet every
		 * Vietnamese reader searches it as d. Text converted from the old
		 * TCVN3/VNI encodings often has the look-alike Ð/ð (eth) instead. */
		if (uc == 0x0111 || uc == 0x0110 || uc == 0x00F0 || uc == 0x00D0) {
			out[o++] = 'd';
			continue;
		}
		memcpy(out + o, ch, (size_t)k);
		o += (size_t)k;
	}
	out[o] = 0;
	free(low);
	return out;
}

int txt_contains_folded(const char *hay_folded, const char *needle_folded)
{
	return strstr(hay_folded, needle_folded) != NULL;
}

/* The folded form of one code point: 0 for a combining mark (dropped), the
 * code point of the base letter, lower-cased, otherwise. Canonical
 * decompositions are followed while they are a base and marks (ệ -> ẹ + ̂
 * -> e + ̣ + ̂) or a singleton (Å U+212B -> Å); Hangul and the like keep
 * their syllable, whose decomposition is letters, not marks. */
static ucs4_t fold_cp(ucs4_t uc)
{
	if (uc_is_general_category(uc, UC_CATEGORY_M))
		return 0;
	for (int depth = 0; depth < 4; depth++) {
		ucs4_t dec[UC_DECOMPOSITION_MAX_LENGTH];
		int k = uc_canonical_decomposition(uc, dec);
		if (k < 1)
			break;
		for (int i = 1; i < k; i++) {
			if (!uc_is_general_category(dec[i], UC_CATEGORY_M))
				goto done;
		}
		uc = dec[0];
	}
done:
	uc = uc_tolower(uc);
	/* đ has no decomposition; see txt_fold */
	if (uc == 0x0111 || uc == 0x00F0)
		return 'd';
	return uc;
}

static int is_word_cp(ucs4_t uc)
{
	return uc_is_general_category(uc, UC_CATEGORY_L) ||
	       uc_is_general_category(uc, UC_CATEGORY_N) ||
	       uc_is_general_category(uc, UC_CATEGORY_M);
}

int txt_words(const char *s, size_t n, txt_word_cb cb, void *ctx)
{
	const uint8_t *base = (const uint8_t *)s, *p = base, *end = base + n;
	uint8_t word[TXT_WORD_MAX + 8];
	size_t len = 0, start = 0;
	int in_word = 0, full = 0;
	while (p <= end) {
		ucs4_t uc = 0;
		int k = 0, is_word = 0;
		if (p < end) {
			/* An invalid sequence comes back as U+FFFD, a symbol: a
			 * separator, like the replacement character itself. */
			k = u8_mbtouc(&uc, p, (size_t)(end - p));
			is_word = is_word_cp(uc);
		}
		if (is_word && !in_word) {
			in_word = 1;
			full = 0;
			len = 0;
			start = (size_t)(p - base);
		}
		if (is_word) {
			ucs4_t f = fold_cp(uc);
			uint8_t buf[6];
			int m = f ? u8_uctomb(buf, f, (int)sizeof buf) : 0;
			if (m > 0 && !full && len + (size_t)m <= TXT_WORD_MAX) {
				memcpy(word + len, buf, (size_t)m);
				len += (size_t)m;
			} else if (m > 0) {
				full = 1;
			}
		} else if (in_word) {
			in_word = 0;
			if (len) {
				int r = cb(ctx, (const char *)word, len, start, (size_t)(p - base));
				if (r)
					return r;
			}
		}
		if (p == end)
			break;
		p += k;
	}
	return 0;
}

/* A printable excerpt of user input for an error message: at most 40 bytes,
 * cut on a character boundary, control and invalid bytes shown as '?', so the
 * message is valid UTF-8 whatever was typed. */
static void excerpt(char *out, size_t size, const char *s)
{
	size_t o = 0, max = size - 4 < 40 ? size - 4 : 40;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && o < max) {
		size_t k = 1;
		while (k < 4 && (p[k] & 0xC0) == 0x80)
			k++;
		if (*p >= 0x80 && txt_utf8_valid((const char *)p, k)) {
			if (o + k > max)
				break;
			memcpy(out + o, p, k);
			o += k;
			p += k;
			continue;
		}
		out[o++] = (*p < 0x20 || *p >= 0x7F) ? '?' : (char)*p;
		p++;
	}
	if (*p) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = 0;
}

/* Province and city codes of Circular 07/2016/TT-BCA, annex 1 (the 63
 * provinces before the 2025 merger). A personal identification number is
 * issued once for life, so the numbers on existing cards keep these codes
 * after the merger of 2025 (Resolution 202/2025/QH15, 34 provinces).
 * NEEDSWORK: the codes given to births registered in a merged province
 * since then, and the country codes of births registered abroad (Decree
 * 70/2024/NĐ-CP: "mã quốc gia nơi công dân đăng ký khai sinh"), are not
 * in this list: such numbers are refused until the list is checked against
 * the Ministry of Public Security's current table. */
static const char provinces[][4] = {
	"001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017",
	"019", "020", "022", "024", "025", "026", "027", "030", "031", "033", "034",
	"035", "036", "037", "038", "040", "042", "044", "045", "046", "048", "049",
	"051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068",
	"070", "072", "074", "075", "077", "079", "080", "082", "083", "084", "086",
	"087", "089", "091", "092", "093", "094", "095", "096",
};

int txt_valid_cccd(const char *s, mc_err *e)
{
	size_t n = 0;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	/* LAW: Law on Identification 26/2023/QH15 art. 12 and Decree
	 * 70/2024/NĐ-CP (which took over Decree 137/2015/NĐ-CP art. 13): the
	 * personal identification number, printed on the CCCD / căn cước card,
	 * is 12 digits, the first 3 the code of the province (or country) of
	 * birth registration. A 13th digit is a typo: refused, never cut.
	 * NEEDSWORK: check the article numbers against the official texts. */
	if (n != 12 || s[n])
		return mc_fail(e, MCE_TEXT_BAD_ID_NUMBER, "id_number phải gồm 12 chữ số",
			       "id_number must be 12 digits");
	for (size_t i = 0; i < MC_ARRAY_LEN(provinces); i++) {
		if (memcmp(s, provinces[i], 3) == 0)
			return MC_OK;
	}
	return mc_fail(e, MCE_TEXT_BAD_ID_NUMBER,
		       "id_number '%s' có mã tỉnh nơi đăng ký khai sinh '%.3s' không tồn tại",
		       "id_number '%s' has unknown province code '%.3s'", s, s);
}

static size_t digits(const char *s)
{
	size_t n = 0;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

static int valid_passport(const char *s, char out[24], mc_err *e)
{
	size_t n = 0;
	for (; s[n]; n++) {
		char c = s[n];
		int ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
		if (!ok || n >= 20)
			break;
		out[n] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	}
	out[n < 24 ? n : 23] = 0;
	/* ICAO Doc 9303: a document number of letters and digits; Vietnamese
	 * passports are one letter and 7 digits, other states' differ. */
	if (n < 5 || s[n])
		return mc_fail(e, MCE_TEXT_BAD_ID_NUMBER,
			       "id_number của hộ chiếu phải gồm 5 đến 20 chữ cái hoặc chữ số",
			       "a passport id_number must be 5 to 20 letters or digits");
	return MC_OK;
}

int txt_valid_id(const char *type, const char *number, char out[24], char type_out[16],
		 mc_err *e)
{
	const char *num = number ? number : "";
	out[0] = type_out[0] = 0;
	if (!type || !*type)
		type = "cccd";
	int rc = MC_OK;
	if (strcmp(type, "cccd") == 0) {
		rc = txt_valid_cccd(num, e);
	} else if (strcmp(type, "cmnd") == 0) {
		/* LAW: Decree 05/1999/NĐ-CP: the old identity card (CMND) has a
		 * 9-digit number; Law on Identification 26/2023/QH15 art. 46: a CMND
		 * is valid until 31/12/2024 at the latest, so the type only records
		 * the number still written on older papers. A 12-digit CMND (Decree
		 * 106/2013/NĐ-CP) carries the personal identification number: cccd. */
		if (digits(num) != 9 || num[9])
			rc = mc_fail(e, MCE_TEXT_BAD_ID_NUMBER, "id_number của CMND phải gồm 9 chữ số",
				     "a cmnd id_number must be 9 digits");
	} else if (strcmp(type, "passport") == 0) {
		rc = valid_passport(num, out, e);
		if (!rc)
			snprintf(type_out, 16, "%s", type);
		return rc;
	} else if (strcmp(type, "none") == 0) {
		if (*num)
			rc = mc_fail(e, MCE_TEXT_BAD_ID_NUMBER,
				     "id_number phải để trống khi id_type là none",
				     "id_number must be empty when id_type is none");
	} else {
		return mc_fail(e, MCE_TEXT_BAD_ID_TYPE,
			       "id_type phải là cccd, cmnd, passport hoặc none",
			       "id_type must be cccd, cmnd, passport or none");
	}
	if (rc)
		return rc;
	snprintf(out, 24, "%s", num);
	snprintf(type_out, 16, "%s", type);
	return MC_OK;
}

int txt_tax_code_normalize(const char *s, char out[16], mc_err *e)
{
	size_t n = digits(s);
	out[0] = 0;
	/* LAW: Law on Tax Administration 38/2019/QH14 art. 30(3): a tax code
	 * is 10 digits for an enterprise or organisation, 13 digits and another
	 * character for a dependent unit; Circular 105/2020/TT-BTC art. 5 (taken
	 * over from 6/2/2025 by Circular 86/2024/TT-BTC, same structure): the 13
	 * are written with "-" between the first 10 and the last 3; Law on
	 * Enterprises 59/2020/QH14 art. 29: the enterprise code is its tax code.
	 * The check digit (N10) is not verified: its formula is not in these
	 * texts. */
	if (n == 10 && !s[n]) {
		memcpy(out, s, 11);
		return MC_OK;
	}
	if (n == 13 && !s[n]) {
		snprintf(out, 16, "%.10s-%.3s", s, s + 10);
		return MC_OK;
	}
	if (n == 10 && s[n] == '-' && digits(s + 11) == 3 && !s[14]) {
		memcpy(out, s, 15);
		return MC_OK;
	}
	return mc_fail(e, MCE_TEXT_BAD_TAX_CODE,
		       "tax_code phải gồm 10 chữ số, hoặc 13 chữ số (có thể viết 10 số, '-', 3 số)",
		       "tax_code must be 10 digits, or 13 (also written as 10 digits, '-', 3 digits)");
}

int txt_phone_normalize(const char *s, char out[16])
{
	char d[24];
	size_t nd = 0;
	int plus = 0;
	const char *p = s, *rest;
	out[0] = 0;
	while (*p == ' ')
		p++;
	if (*p == '+') {
		plus = 1;
		p++;
	}
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (nd + 1 >= sizeof d)
				return MC_EINVAL;
			d[nd++] = *p;
		} else if (*p != ' ' && *p != '.' && *p != '-') {
			return MC_EINVAL;
		}
	}
	d[nd] = 0;
	if (plus || (nd >= 11 && d[0] == '8' && d[1] == '4')) {
		/* International form: the country code replaces the trunk 0. */
		if (nd < 3 || d[0] != '8' || d[1] != '4' || d[2] == '0')
			return MC_EINVAL;
		rest = d + 2;
	} else if (nd > 0 && d[0] == '0') {
		rest = d + 1;
	} else {
		return MC_EINVAL;
	}
	size_t n = strlen(rest);
	/* Mobile numbers are 0 + 9 digits (03x 05x 07x 08x 09x since the 2018
	 * renumbering); landlines 02x, 10 or 11 digits with the trunk 0. */
	if (!((n == 9 && strchr("235789", rest[0])) || (n == 10 && rest[0] == '2')))
		return MC_EINVAL;
	out[0] = '0';
	memcpy(out + 1, rest, n + 1);
	return MC_OK;
}

int txt_valid_phone(const char *s, mc_err *e)
{
	char out[16], q[48];
	if (txt_phone_normalize(s, out) == MC_OK)
		return MC_OK;
	excerpt(q, sizeof q, s);
	return mc_fail(e, MCE_TEXT_BAD_PHONE, "phone '%s' không phải số điện thoại Việt Nam",
		       "phone '%s' is not a Vietnamese phone number", q);
}

int txt_valid_email(const char *s, mc_err *e)
{
	char q[48];
	size_t n = strlen(s);
	const char *at = strchr(s, '@');
	excerpt(q, sizeof q, s);
	if (n == 0)
		return mc_fail(e, MCE_TEXT_BAD_EMAIL, "email đang trống", "email is empty");
	if (n > 254)
		return mc_fail(e, MCE_TEXT_BAD_EMAIL, "email dài quá 254 byte", "email is longer than 254 bytes");
	if (!txt_utf8_valid(s, n))
		return mc_fail(e, MCE_TEXT_BAD_EMAIL, "email không phải văn bản UTF-8 hợp lệ",
			       "email is not valid UTF-8");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p == 0x7F)
			return mc_fail(e, MCE_TEXT_BAD_EMAIL, "email '%s' có dấu cách", "email '%s' contains a space",
				       q);
	}
	if (!at || strchr(at + 1, '@'))
		return mc_fail(e, MCE_TEXT_BAD_EMAIL, "email '%s' phải có đúng một dấu '@'",
			       "email '%s' must contain one '@'", q);
	if (at == s || at - s > 64)
		return mc_fail(e, MCE_TEXT_BAD_EMAIL, "email '%s' cần phần trước '@' dài 1-64 byte",
			       "email '%s' needs a local part of 1-64 bytes", q);
	const char *dom = at + 1, *last_dot = strrchr(dom, '.');
	if (!last_dot || dom[0] == '.' || strstr(dom, "..") || strlen(last_dot + 1) < 2)
		return mc_fail(e, MCE_TEXT_BAD_EMAIL, "email '%s' không có tên miền hợp lệ",
			       "email '%s' has no valid domain", q);
	return MC_OK;
}

/* The format character starting at p (see txt_has_format_char), or 0. UTF-8
 * lets a byte scan find one: no other character's bytes contain E2 80 xx,
 * E2 81 xx or EF BB BF. Each is 3 bytes long. */
static uint32_t format_char_at(const unsigned char *p)
{
	uint32_t c = 0;
	if (p[0] == 0xE2 && (p[1] == 0x80 || p[1] == 0x81) && p[2])
		c = 0x2000 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
	else if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		c = 0xFEFF;
	int bad = c == 0xFEFF || (c >= 0x200B && c <= 0x200F) || c == 0x2028 || c == 0x2029 ||
		  (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
	return bad ? c : 0;
}

int txt_has_format_char(const char *s, uint32_t *cp)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		uint32_t c = format_char_at(p);
		/* a byte-order mark is tolerated at the start only */
		if (c && !(c == 0xFEFF && p == (const unsigned char *)s)) {
			if (cp)
				*cp = c;
			return 1;
		}
	}
	return 0;
}

size_t txt_strip_format_chars(char *s)
{
	unsigned char *r = (unsigned char *)s, *w = r;
	size_t n = 0;
	while (*r) {
		if (format_char_at(r)) {
			r += 3;
			n++;
		} else {
			*w++ = *r++;
		}
	}
	*w = 0;
	return n;
}

static int is_blank(const char *s)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + strlen(s);
	while (p < end) {
		ucs4_t uc;
		p += u8_mbtouc(&uc, p, (size_t)(end - p));
		if (!is_space(uc))
			return 0;
	}
	return 1;
}

int txt_check_field(const char *field, const char *s, size_t maxlen, int required, int multiline,
		    mc_err *e)
{
	if (!s)
		s = "";
	size_t n = strlen(s);
	if (!txt_utf8_valid(s, n))
		return mc_fail(e, MCE_TEXT_BAD_UTF8, "%s không phải văn bản UTF-8 hợp lệ",
			       "%s is not valid UTF-8", field);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int ws = *p == '\t' || *p == '\n' || *p == '\r';
		if ((*p < 0x20 && !(multiline && ws)) || *p == 0x7F)
			return mc_fail(e, MCE_TEXT_CONTROL_CHAR, "%s có ký tự điều khiển",
				       "%s contains a control character", field);
	}
	uint32_t cp;
	/* Bidirectional overrides and invisible characters make a name show
	 * as something else than what is stored ("Trojan Source"). */
	if (txt_has_format_char(s, &cp))
		return mc_fail(e, MCE_TEXT_FORMAT_CHAR,
			       "%s có ký tự ẩn hoặc ký tự đổi chiều viết (U+%04X)",
			       "%s contains an invisible or direction-changing character (U+%04X)",
			       field, (unsigned)cp);
	if (n > maxlen)
		return mc_fail(e, MCE_TEXT_TOO_LONG, "%s dài quá %zu byte",
			       "%s is longer than %zu bytes", field, maxlen);
	if (required && is_blank(s))
		return mc_fail(e, MCE_TEXT_REQUIRED, "chưa nhập %s", "%s is required", field);
	return MC_OK;
}
