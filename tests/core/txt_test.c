/* txt_test.c - Vietnamese text utilities: UTF-8, NFC, folding, identifiers. */
#include "core/txt.h"
#include "t.h"

#include <jansson.h>
#include <stdlib.h>

/* Every Vietnamese vowel with each tone, lower and upper case. */
static const struct {
	const char *in, *folded;
} fold_cases[] = {
	{ "a à á ả ã ạ", "a a a a a a" },
	{ "ă ằ ắ ẳ ẵ ặ", "a a a a a a" },
	{ "â ầ ấ ẩ ẫ ậ", "a a a a a a" },
	{ "e è é ẻ ẽ ẹ", "e e e e e e" },
	{ "ê ề ế ể ễ ệ", "e e e e e e" },
	{ "i ì í ỉ ĩ ị", "i i i i i i" },
	{ "o ò ó ỏ õ ọ", "o o o o o o" },
	{ "ô ồ ố ổ ỗ ộ", "o o o o o o" },
	{ "ơ ờ ớ ở ỡ ợ", "o o o o o o" },
	{ "u ù ú ủ ũ ụ", "u u u u u u" },
	{ "ư ừ ứ ử ữ ự", "u u u u u u" },
	{ "y ỳ ý ỷ ỹ ỵ", "y y y y y y" },
	{ "A À Á Ả Ã Ạ", "a a a a a a" },
	{ "Ă Ằ Ắ Ẳ Ẵ Ặ", "a a a a a a" },
	{ "Â Ầ Ấ Ẩ Ẫ Ậ", "a a a a a a" },
	{ "E È É Ẻ Ẽ Ẹ", "e e e e e e" },
	{ "Ê Ề Ế Ể Ễ Ệ", "e e e e e e" },
	{ "I Ì Í Ỉ Ĩ Ị", "i i i i i i" },
	{ "O Ò Ó Ỏ Õ Ọ", "o o o o o o" },
	{ "Ô Ồ Ố Ổ Ỗ Ộ", "o o o o o o" },
	{ "Ơ Ờ Ớ Ở Ỡ Ợ", "o o o o o o" },
	{ "U Ù Ú Ủ Ũ Ụ", "u u u u u u" },
	{ "Ư Ừ Ứ Ử Ữ Ự", "u u u u u u" },
	{ "Y Ỳ Ý Ỷ Ỹ Ỵ", "y y y y y y" },
	{ "đ Đ", "d d" },
	{ "Nguyễn Văn Đạt", "nguyen van dat" },
	{ "ĐĂNG KÝ KHAI SINH", "dang ky khai sinh" },
	{ "  Trần\t\tThị \n Bích  ", "tran thi bich" },
	{ "Ủy ban nhân dân xã Ðông Hòa", "uy ban nhan dan xa dong hoa" }, /* Ð (eth) from old encodings */
	{ "", "" },
	{ "   ", "" },
	{ "Số 12/2025/NĐ-CP", "so 12/2025/nd-cp" },
	/* decomposed: e + circumflex + tilde, a + breve + dot below, D + stroke */
	{ "Nguye\xcc\x82\xcc\x83n", "nguyen" },
	{ "Ha\xcc\x86\xcc\xa3ng", "hang" },
	{ "ho\xcc\x9b\xcc\x80ng", "hong" },
	{ "\xe2\x80\x8b" "Lê\xc2\xa0Lợi\xe2\x80\x8b", "le loi" }, /* ZWSP, NBSP */
	{ "ΣΊΣΥΦΟΣ", "σισυφος" }, /* full Unicode lower case: final sigma, tonos dropped */
};

static const struct {
	const char *s;
	size_t n;
	int valid;
} utf8_cases[] = {
	{ "plain ascii", 11, 1 },
	{ "Việt Nam", 10, 1 },
	{ "\xf0\x9f\x98\x80", 4, 1 },         /* U+1F600 */
	{ "\xf4\x8f\xbf\xbf", 4, 1 },         /* U+10FFFF, the last code point */
	{ "a\0b", 3, 1 },                     /* NUL is a character */
	{ "\xc3", 1, 0 },                     /* truncated */
	{ "\xe1\xba", 2, 0 },                 /* truncated 3-byte */
	{ "\x80", 1, 0 },                     /* lone continuation */
	{ "\xc0\xaf", 2, 0 },                 /* overlong '/' */
	{ "\xc1\xbf", 2, 0 },                 /* overlong */
	{ "\xe0\x80\xaf", 3, 0 },             /* overlong 3-byte */
	{ "\xf0\x80\x80\xaf", 4, 0 },         /* overlong 4-byte */
	{ "\xed\xa0\x80", 3, 0 },             /* surrogate U+D800 */
	{ "\xed\xbf\xbf", 3, 0 },             /* surrogate U+DFFF */
	{ "\xf4\x90\x80\x80", 4, 0 },         /* U+110000 */
	{ "\xf5\x80\x80\x80", 4, 0 },         /* F5 lead byte */
	{ "\xff", 1, 0 },
	{ "Vi\xe1\xbb\x87t\xe1", 8, 0 },      /* valid then truncated */
	{ "\xc3\x28", 2, 0 },                 /* bad continuation */
};

static const struct {
	const char *s;
	int ok;
	const char *msg;
} cccd_cases[] = {
	{ "001099012345", 1, NULL },  /* Hà Nội */
	{ "079203001234", 1, NULL },  /* TP Hồ Chí Minh */
	{ "096185000001", 1, NULL },  /* Cà Mau, the last code */
	{ "048300123456", 1, NULL },  /* Đà Nẵng */
	{ "099199012345", 0, "id_number '099199012345' has unknown province code '099'" },
	{ "003199012345", 0, "id_number '003199012345' has unknown province code '003'" },
	{ "000199012345", 0, "id_number '000199012345' has unknown province code '000'" },
	{ "00109901234", 0, "id_number must be 12 digits" },
	{ "0010990123456", 0, "id_number must be 12 digits" },
	{ "00109901234a", 0, "id_number must be 12 digits" },
	{ " 001099012345", 0, "id_number must be 12 digits" },
	{ "", 0, "id_number must be 12 digits" },
	{ "００１０９９０１２３４５", 0, "id_number must be 12 digits" }, /* full-width digits */
};

/* Identity documents: the same verdicts as tests/data/identity_cases.json
 * (API, CLI and UI). out NULL: refused with code. */
static const struct {
	const char *type, *num, *out;
	int code;
} id_cases[] = {
	{ NULL, "025090001234", "025090001234", 0 },       /* no type: cccd */
	{ "", "025090001234", "025090001234", 0 },
	{ "cccd", "001099012345", "001099012345", 0 },
	{ "cccd", "0250900012345", NULL, MCE_TEXT_BAD_ID_NUMBER }, /* 13 digits: refused, not cut */
	{ "cccd", "02509000123", NULL, MCE_TEXT_BAD_ID_NUMBER },
	{ "cccd", "099090001234", NULL, MCE_TEXT_BAD_ID_NUMBER },  /* no province 099 */
	{ "cccd", "", NULL, MCE_TEXT_BAD_ID_NUMBER },
	{ "cmnd", "125678901", "125678901", 0 },
	{ "cmnd", "12567890", NULL, MCE_TEXT_BAD_ID_NUMBER },
	{ "cmnd", "1256789012", NULL, MCE_TEXT_BAD_ID_NUMBER },
	{ "cmnd", "12567890a", NULL, MCE_TEXT_BAD_ID_NUMBER },
	{ "passport", "C1234567", "C1234567", 0 },         /* Vietnamese: letter + 7 digits */
	{ "passport", "x12345678", "X12345678", 0 },       /* foreign, upper-cased */
	{ "passport", "12345", "12345", 0 },
	{ "passport", "AB12345678901234567Z", "AB12345678901234567Z", 0 }, /* 20 */
	{ "passport", "AB12345678901234567ZZ", NULL, MCE_TEXT_BAD_ID_NUMBER }, /* 21 */
	{ "passport", "C12", NULL, MCE_TEXT_BAD_ID_NUMBER },
	{ "passport", "C123-4567", NULL, MCE_TEXT_BAD_ID_NUMBER },
	{ "passport", "C 1234567", NULL, MCE_TEXT_BAD_ID_NUMBER },
	{ "passport", "Đ1234567", NULL, MCE_TEXT_BAD_ID_NUMBER },
	{ "passport", "", NULL, MCE_TEXT_BAD_ID_NUMBER },
	{ "none", "", "", 0 },
	{ "none", NULL, "", 0 },
	{ "none", "025090001234", NULL, MCE_TEXT_BAD_ID_NUMBER },
	{ "CCCD", "025090001234", NULL, MCE_TEXT_BAD_ID_TYPE },
	{ "driving", "025090001234", NULL, MCE_TEXT_BAD_ID_TYPE },
};

static const struct {
	const char *s, *out; /* out NULL: refused */
} tax_cases[] = {
	{ "0101234567", "0101234567" },
	{ "0101234567001", "0101234567-001" },
	{ "0101234567-001", "0101234567-001" },
	{ "010123456", NULL },
	{ "01012345678", NULL },
	{ "010123456700", NULL },
	{ "01012345670012", NULL },
	{ "0101234567-01", NULL },
	{ "0101234567-0012", NULL },
	{ "0101234567 001", NULL },
	{ "010123456A", NULL },
	{ "", NULL },
};

static const struct {
	const char *s;
	const char *norm; /* NULL: invalid */
} phone_cases[] = {
	{ "0912345678", "0912345678" },
	{ "0912 345 678", "0912345678" },
	{ "0912.345.678", "0912345678" },
	{ "091-234-5678", "0912345678" },
	{ "+84912345678", "0912345678" },
	{ "+84 912 345 678", "0912345678" },
	{ "84912345678", "0912345678" },
	{ "0388123456", "0388123456" },
	{ "0243 8221 234", "02438221234" }, /* Hà Nội landline, 11 digits */
	{ "+84 24 3822 1234", "02438221234" },
	{ "0203123456", "0203123456" },     /* 10-digit landline */
	{ "091234567", NULL },              /* too short */
	{ "09123456789", NULL },            /* mobile too long */
	{ "1912345678", NULL },             /* no trunk 0 */
	{ "+840912345678", NULL },          /* trunk 0 after the country code */
	{ "+85512345678", NULL },           /* Cambodia */
	{ "0112345678", NULL },             /* old 01x prefix */
	{ "0912a45678", NULL },
	{ "0912/345/678", NULL },
	{ "", NULL },
	{ "+", NULL },
	{ "0912345678901234567890123", NULL },
};

static const struct {
	const char *s;
	int ok;
} email_cases[] = {
	{ "an.nguyen@example.vn", 1 },
	{ "ubnd.xa+motcua@dongthap.gov.vn", 1 },
	{ "a@b.co", 1 },
	{ "", 0 },
	{ "an.nguyen", 0 },
	{ "@example.vn", 0 },
	{ "an@", 0 },
	{ "an@localhost", 0 },
	{ "an@@example.vn", 0 },
	{ "an@ex@ample.vn", 0 },
	{ "an nguyen@example.vn", 0 },
	{ "an@example..vn", 0 },
	{ "an@.example.vn", 0 },
	{ "an@example.v", 0 },
	{ "an@example.vn.", 0 },
};

static void test_fold(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(fold_cases); i++) {
		T_CASE(fold_cases[i].in);
		char *f = txt_fold(fold_cases[i].in);
		CHECK_STR(f, fold_cases[i].folded);
		free(f);
	}
	T_CASE("fold invalid");
	CHECK(txt_fold("Vi\xe1\xbb") == NULL);
	CHECK(txt_fold("\xed\xa0\x80") == NULL);

	T_CASE("decomposed == precomposed");
	char *a = txt_fold("Nguyễn Thị Ánh Tuyết");
	char *b = txt_fold("Nguye\xcc\x82\xcc\x83n Thi\xcc\xa3 A\xcc\x81nh Tuye\xcc\x82\xcc\x81t");
	CHECK_STR(a, b);
	CHECK_STR(a, "nguyen thi anh tuyet");
	free(a);
	free(b);

	T_CASE("contains");
	char *hay = txt_fold("Thủ tục đăng ký khai sinh");
	char *needle = txt_fold("ĐĂNG KÝ");
	CHECK(txt_contains_folded(hay, needle));
	CHECK(txt_contains_folded(hay, ""));
	CHECK(!txt_contains_folded(hay, "khai tu"));
	free(hay);
	free(needle);
}

static void test_nfc(void)
{
	T_CASE("nfc");
	char *n = txt_nfc("Nguye\xcc\x82\xcc\x83n");
	CHECK_STR(n, "Nguyễn");
	free(n);
	n = txt_nfc("Đã chuẩn");
	CHECK_STR(n, "Đã chuẩn");
	free(n);
	n = txt_nfc("");
	CHECK_STR(n, "");
	free(n);
	/* Vietnamese Windows "tổ hợp" input: base + tone mark after a modified
	 * vowel */
	n = txt_nfc("ho\xcc\x9b\xcc\x80ng");
	CHECK_STR(n, "hờng");
	free(n);
	CHECK(txt_nfc("\xc0\xaf") == NULL);
}

static void test_utf8(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(utf8_cases); i++) {
		T_CASE(utf8_cases[i].valid ? "utf8 valid" : "utf8 invalid");
		if (txt_utf8_valid(utf8_cases[i].s, utf8_cases[i].n) != utf8_cases[i].valid)
			fprintf(stderr, "  utf8 case %zu\n", i);
		CHECK_INT(txt_utf8_valid(utf8_cases[i].s, utf8_cases[i].n), utf8_cases[i].valid);
	}
	T_CASE("control");
	CHECK_INT(txt_has_control("tab\tnewline\ncr\r ok"), 0);
	CHECK_INT(txt_has_control("bell\a"), 1);
	CHECK_INT(txt_has_control("esc\x1b[0m"), 1);
	CHECK_INT(txt_has_control("del\x7f"), 1);
	CHECK_INT(txt_has_control("Việt"), 0);
}

static void test_cccd(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(cccd_cases); i++) {
		mc_err e = { 0 };
		T_CASE(cccd_cases[i].s);
		int rc = txt_valid_cccd(cccd_cases[i].s, &e);
		CHECK_INT(rc, cccd_cases[i].ok ? MC_OK : MC_EINVAL);
		if (!cccd_cases[i].ok)
			CHECK_STR(e.msg, cccd_cases[i].msg);
	}
}

static void test_identity(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(id_cases); i++) {
		mc_err e = { 0 };
		char out[24], type[16];
		T_CASE(id_cases[i].num ? id_cases[i].num : "(null)");
		int rc = txt_valid_id(id_cases[i].type, id_cases[i].num, out, type, &e);
		CHECK_INT(rc, id_cases[i].out ? MC_OK : MC_EINVAL);
		if (id_cases[i].out)
			CHECK_STR(out, id_cases[i].out);
		else
			CHECK_INT(e.id, id_cases[i].code);
	}
	for (size_t i = 0; i < MC_ARRAY_LEN(tax_cases); i++) {
		mc_err e = { 0 };
		char out[16];
		T_CASE(tax_cases[i].s);
		int rc = txt_tax_code_normalize(tax_cases[i].s, out, &e);
		CHECK_INT(rc, tax_cases[i].out ? MC_OK : MC_EINVAL);
		if (tax_cases[i].out)
			CHECK_STR(out, tax_cases[i].out);
		else
			CHECK_INT(e.id, MCE_TEXT_BAD_TAX_CODE);
	}
}

static const char *jstr(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The core's share of the verdict on one case of identity_cases.json: the
 * document (txt_valid_id), then an organisation's name, tax code and
 * representative, in the order src/app/dossier.c:check_identity checks
 * them. OUT: *code the error code name, or NULL when accepted. */
static void core_verdict(const json_t *ap, const char **code, char num[24], char tax[16])
{
	size_t n;
	const mc_errdef *defs = mc_errdefs(&n);
	mc_err e = { 0 };
	char type[16];
	const char *kind = jstr(ap, "kind");
	int rc = txt_valid_id(jstr(ap, "id_type"), jstr(ap, "id_number"), num, type, &e);
	tax[0] = 0;
	if (!rc && kind && strcmp(kind, "organisation") == 0) {
		rc = txt_check_field("org_name", jstr(ap, "org_name"), 300, 1, 0, &e);
		if (!rc)
			rc = txt_check_field("tax_code", jstr(ap, "tax_code"), 32, 1, 0, &e);
		if (!rc)
			rc = txt_tax_code_normalize(jstr(ap, "tax_code"), tax, &e);
		if (!rc)
			rc = txt_check_field("representative", jstr(ap, "representative"), 200, 1,
					     0, &e);
	}
	*code = rc ? ((size_t)e.id < n ? defs[e.id].name : "?") : NULL;
}

/* tests/data/identity_cases.json, the table the API, CLI and browser tests
 * read too, agrees with the core: every case the core can judge (not the
 * app's checks of kind and of organisation fields on a person) gets the
 * same verdict, code and stored number. */
static void test_identity_table(void)
{
	const char *root = getenv("MOTCUA_ROOT");
	char path[512];
	snprintf(path, sizeof path, "%s/tests/data/identity_cases.json", root ? root : ".");
	json_error_t je;
	json_t *doc = json_load_file(path, 0, &je);
	T_CASE(path);
	CHECK(doc != NULL);
	if (!doc)
		return;
	const json_t *cases = json_object_get(doc, "cases");
	CHECK(json_array_size(cases) >= 30);
	size_t i;
	const json_t *c;
	json_array_foreach(cases, i, c)
	{
		const json_t *ap = json_object_get(c, "applicant");
		const char *want = jstr(c, "code");
		T_CASE(jstr(c, "name"));
		if (want && strcmp(want, "dossier.bad_field") == 0)
			continue; /* the app's check, not the core's (api and cli test it) */
		const char *got;
		char num[24], tax[16];
		core_verdict(ap, &got, num, tax);
		CHECK_INT(json_is_true(json_object_get(c, "ok")), got == NULL);
		if (want) {
			CHECK_STR(got ? got : "(accepted)", want);
			continue;
		}
		const json_t *st = json_object_get(c, "stored");
		if (jstr(st, "id_number"))
			CHECK_STR(num, jstr(st, "id_number"));
		if (jstr(st, "tax_code"))
			CHECK_STR(tax, jstr(st, "tax_code"));
	}
	json_decref(doc);
}

static void test_phone(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(phone_cases); i++) {
		char out[16];
		mc_err e = { 0 };
		T_CASE(phone_cases[i].s);
		int rc = txt_phone_normalize(phone_cases[i].s, out);
		if (phone_cases[i].norm) {
			CHECK_INT(rc, MC_OK);
			CHECK_STR(out, phone_cases[i].norm);
			CHECK_INT(txt_valid_phone(phone_cases[i].s, &e), MC_OK);
		} else {
			CHECK_INT(rc, MC_EINVAL);
			CHECK_STR(out, "");
			CHECK_INT(txt_valid_phone(phone_cases[i].s, &e), MC_EINVAL);
		}
	}
	mc_err e = { 0 };
	T_CASE("phone message");
	CHECK_INT(txt_valid_phone("12\x01\xff", &e), MC_EINVAL);
	CHECK_STR(e.msg, "phone '12?\?' is not a Vietnamese phone number");
}

static void test_email(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(email_cases); i++) {
		mc_err e = { 0 };
		T_CASE(email_cases[i].s);
		CHECK_INT(txt_valid_email(email_cases[i].s, &e), email_cases[i].ok ? MC_OK : MC_EINVAL);
	}
	char longlocal[80];
	memset(longlocal, 'a', 65);
	memcpy(longlocal + 65, "@example.vn", 12);
	mc_err e = { 0 };
	T_CASE("email long local");
	CHECK_INT(txt_valid_email(longlocal, &e), MC_EINVAL);
	CHECK_STR(e.msg, "email 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' needs a local part of 1-64 bytes");
}

static const struct {
	const char *field, *s;
	size_t maxlen;
	int required, multiline;
	const char *msg; /* NULL: ok */
} field_cases[] = {
	{ "applicant.name", "Nguyễn Văn A", 200, 1, 0, NULL },
	{ "applicant.name", "", 200, 1, 0, "applicant.name is required" },
	{ "applicant.name", " \t ", 200, 1, 1, "applicant.name is required" },
	{ "applicant.name", "\xc2\xa0", 200, 1, 0, "applicant.name is required" },
	{ "applicant.name", NULL, 200, 1, 0, "applicant.name is required" },
	{ "applicant.name", NULL, 200, 0, 0, NULL },
	{ "applicant.name", "", 200, 0, 0, NULL },
	{ "applicant.name", "Nguy\xe1\xbb", 200, 1, 0, "applicant.name is not valid UTF-8" },
	{ "applicant.name", "An\nBình", 200, 1, 0, "applicant.name contains a control character" },
	{ "applicant.name", "An\tBình", 200, 1, 0, "applicant.name contains a control character" },
	{ "summary", "Dòng 1\r\nDòng 2\tcột", 2000, 0, 1, NULL },
	{ "summary", "bell\a", 2000, 0, 1, "summary contains a control character" },
	{ "summary", "del\x7f", 2000, 0, 1, "summary contains a control character" },
	{ "summary", "ăăă", 6, 0, 1, NULL },  /* 6 bytes exactly */
	{ "summary", "ăăăa", 6, 0, 1, "summary is longer than 6 bytes" },
	{ "applicant.name", "Nguy\xe2\x80\xaen", 200, 1, 0,
	  "applicant.name contains an invisible or direction-changing character (U+202E)" },
	{ "comment", "ok\xe2\x80\x8b", 2000, 0, 1,
	  "comment contains an invisible or direction-changing character (U+200B)" },
	{ "summary", "\xef\xbb\xbfLời đầu", 2000, 0, 1, NULL }, /* a leading BOM */
};

/* Characters that change how the text around them shows, found or not. */
static const struct {
	const char *s;
	uint32_t cp; /* 0: none */
} format_cases[] = {
	{ "Nguyễn Văn An", 0 },
	{ "", 0 },
	{ "\xe2\x80\x8a", 0 },                    /* U+200A hair space: visible spacing */
	{ "a\xe2\x80\x8b" "b", 0x200B },             /* zero-width space */
	{ "a\xe2\x80\x8c", 0x200C },              /* zero-width non-joiner */
	{ "a\xe2\x80\x8d", 0x200D },              /* zero-width joiner */
	{ "a\xe2\x80\x8e", 0x200E },              /* left-to-right mark */
	{ "a\xe2\x80\x8f", 0x200F },              /* right-to-left mark */
	{ "\xe2\x80\x90", 0 },                    /* U+2010 hyphen */
	{ "a\xe2\x80\xa8" "b", 0x2028 },             /* line separator */
	{ "a\xe2\x80\xa9" "b", 0x2029 },             /* paragraph separator */
	{ "\xe2\x80\xaa", 0x202A },               /* LRE */
	{ "\xe2\x80\xab", 0x202B },               /* RLE */
	{ "\xe2\x80\xac", 0x202C },               /* PDF */
	{ "\xe2\x80\xad", 0x202D },               /* LRO */
	{ "Nguy\xe2\x80\xaen", 0x202E },          /* RLO: "Nguy" then "n" reversed */
	{ "\xe2\x80\xaf", 0 },                    /* U+202F narrow no-break space */
	{ "\xe2\x81\xa5", 0 },                    /* U+2065 unassigned, not a format char */
	{ "\xe2\x81\xa6", 0x2066 },               /* LRI */
	{ "\xe2\x81\xa7", 0x2067 },               /* RLI */
	{ "\xe2\x81\xa8", 0x2068 },               /* FSI */
	{ "\xe2\x81\xa9", 0x2069 },               /* PDI */
	{ "\xe2\x81\xaa", 0 },                    /* U+206A */
	{ "\xef\xbb\xbfTên", 0 },                 /* BOM at the start */
	{ "Tên\xef\xbb\xbf", 0xFEFF },            /* ... but not inside */
	{ "x\xe2\x80\x8b\xe2\x80\xae", 0x200B }, /* the first is named */
	{ "\xe2\x80", 0 },                         /* cut short: not read past the end */
	{ "\xef\xbb", 0 },
};

static void test_format_chars(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(format_cases); i++) {
		uint32_t cp = 0;
		char name[16];
		snprintf(name, sizeof name, "format #%zu", i);
		T_CASE(name);
		CHECK_INT(txt_has_format_char(format_cases[i].s, &cp), format_cases[i].cp != 0);
		CHECK_INT(cp, format_cases[i].cp);
	}
	CHECK_INT(txt_has_format_char("a\xe2\x80\xae", NULL), 1);
	static const struct {
		const char *in, *out;
		size_t n;
	} strip_cases[] = {
		{ "đăng k\xe2\x80\x8eý", "đăng ký", 1 }, /* as the national catalog has it */
		{ "\xef\xbb\xbf" "a\xe2\x80\xae" "b\xe2\x81\xa9", "ab", 3 },
		{ "Nguyễn", "Nguyễn", 0 },
		{ "", "", 0 },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(strip_cases); i++) {
		char buf[64];
		T_CASE(strip_cases[i].out);
		snprintf(buf, sizeof buf, "%s", strip_cases[i].in);
		CHECK_INT(txt_strip_format_chars(buf), strip_cases[i].n);
		CHECK_STR(buf, strip_cases[i].out);
	}
}

static void test_field(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(field_cases); i++) {
		mc_err e = { 0 };
		T_CASE(field_cases[i].s ? field_cases[i].s : "(null)");
		int rc = txt_check_field(field_cases[i].field, field_cases[i].s, field_cases[i].maxlen,
					 field_cases[i].required, field_cases[i].multiline, &e);
		CHECK_INT(rc, field_cases[i].msg ? MC_EINVAL : MC_OK);
		if (field_cases[i].msg)
			CHECK_STR(e.msg, field_cases[i].msg);
	}
	char big[2100];
	memset(big, 'x', 2001);
	big[2001] = 0;
	mc_err e = { 0 };
	T_CASE("summary 2001");
	CHECK_INT(txt_check_field("summary", big, 2000, 1, 1, &e), MC_EINVAL);
	CHECK_STR(e.msg, "summary is longer than 2000 bytes");
}

/* txt_words: the folded words of a text, each with the bytes it came from.
 * "want" lists word@start-end, separated by spaces. */
static const struct {
	const char *in, *want;
} words_cases[] = {
	{ "Nguyễn Văn An", "nguyen@0-8 van@9-13 an@14-16" },
	/* decomposed: the marks belong to their letter's word */
	{ "Nguye\xcc\x82\xcc\x83n Va\xcc\x86n", "nguyen@0-10 van@11-16" },
	{ "ĐẶNG đức", "dang@0-7 duc@8-14" },
	{ "Ðông ðào", "dong@0-6 dao@7-12" }, /* eth, from old encodings */
	{ "NGUYỄN văn ĐẠT", "nguyen@0-8 van@9-13 dat@14-20" },
	{ "000.00.25.H45-250101-0001", "000@0-3 00@4-6 25@7-9 h45@10-13 250101@14-20 0001@21-25" },
	{ "an@gmail.com", "an@0-2 gmail@3-8 com@9-12" },
	{ "\"NEAR(a b)\" OR title:x*", "near@1-5 a@6-7 b@8-9 or@12-14 title@15-20 x@21-22" },
	{ "  ", "" },
	{ "", "" },
	{ "-*^\"'();", "" },
	{ "\xcc\x81\xcc\x82", "" },              /* marks alone fold to nothing */
	{ "a\xff" "b\xc3", "a@0-1 b@2-3" },      /* invalid bytes separate */
	{ "Số 12/2025/NĐ-CP", "so@0-4 12@5-7 2025@8-12 nd@13-16 cp@17-19" },
	{ "ΣΊΣΥΦΟΣ", "σισυφοσ@0-14" },            /* simple lower case: no final sigma */
	{ "Lê\xc2\xa0Lợi\xe2\x80\x8bX", "le@0-3 loi@5-10 x@13-14" }, /* NBSP, ZWSP */
	{ "1.000.000đ", "1@0-1 000@2-5 000d@6-11" },
};

static int words_collect(void *ctx, const char *w, size_t len, size_t start, size_t end)
{
	char *out = ctx;
	size_t o = strlen(out);
	snprintf(out + o, 512 - o, "%s%.*s@%zu-%zu", o ? " " : "", (int)len, w, start, end);
	return 0;
}

static int words_stop(void *ctx, const char *w, size_t len, size_t start, size_t end)
{
	(*(int *)ctx)++;
	return 7;
}

static int words_len(void *ctx, const char *w, size_t len, size_t start, size_t end)
{
	size_t *max = ctx;
	if (len > *max)
		*max = len;
	return 0;
}

static void test_words(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(words_cases); i++) {
		char got[512] = "";
		T_CASE(words_cases[i].in);
		CHECK_INT(txt_words(words_cases[i].in, strlen(words_cases[i].in), words_collect, got), 0);
		CHECK_STR(got, words_cases[i].want);
	}
	/* The words of a text of letters and spaces, joined, are its txt_fold. */
	for (size_t i = 0; i < MC_ARRAY_LEN(fold_cases); i++) {
		const char *in = fold_cases[i].in;
		if (strchr(in, '/') || strstr(in, "Σ"))
			continue; /* punctuation splits words; final sigma is txt_fold's */
		char got[512] = "", joined[512] = "";
		T_CASE(in);
		CHECK_INT(txt_words(in, strlen(in), words_collect, got), 0);
		for (char *p = got, *o = joined; *p;) {
			char *at = strchr(p, '@');
			memcpy(o, p, (size_t)(at - p));
			o += at - p;
			*o = 0;
			p = strchr(at, ' ');
			if (!p)
				break;
			*o++ = ' ';
			*o = 0;
			p++;
		}
		CHECK_STR(joined, fold_cases[i].folded);
	}
	/* Offsets point into the original bytes: the NFC and NFD of a name give
	 * the same words, each spelt as written. */
	const char *nfc = "Trần Thị Bích", *nfd = "Tra\xcc\x82\xcc\x80n Thi\xcc\xa3 Bi\xcc\x81" "ch";
	char a[512] = "", b[512] = "";
	T_CASE("nfc/nfd");
	CHECK_INT(txt_words(nfc, strlen(nfc), words_collect, a), 0);
	CHECK_INT(txt_words(nfd, strlen(nfd), words_collect, b), 0);
	CHECK_STR(a, "tran@0-6 thi@7-12 bich@13-18");
	CHECK_STR(b, "tran@0-8 thi@9-14 bich@15-21");
	CHECK(memcmp(nfd + 9, "Thi\xcc\xa3", 5) == 0);
	/* a callback's non-zero answer stops the walk and comes back */
	int calls = 0;
	T_CASE("stop");
	CHECK_INT(txt_words("một hai ba", 12, words_stop, &calls), 7);
	CHECK_INT(calls, 1);
	/* the length given counts, not a NUL */
	char part[512] = "";
	CHECK_INT(txt_words("hai ba", 3, words_collect, part), 0);
	CHECK_STR(part, "hai@0-3");
	/* a long word is cut to TXT_WORD_MAX bytes, its span kept whole */
	char longw[300];
	memset(longw, 'x', sizeof longw - 1);
	longw[sizeof longw - 1] = 0;
	size_t max = 0;
	T_CASE("long word");
	CHECK_INT(txt_words(longw, strlen(longw), words_len, &max), 0);
	CHECK_INT(max, TXT_WORD_MAX);
	char lw[512] = "", tones[256] = "";
	for (int i = 0; i < 70; i++)
		memcpy(tones + 3 * i, "ệ", 3); /* folds to 70 bytes */
	CHECK_INT(txt_words(tones, 210, words_collect, lw), 0);
	CHECK(strstr(lw, "@0-210") != NULL);
}

int main(void)
{
	test_words();
	test_fold();
	test_nfc();
	test_utf8();
	test_cccd();
	test_identity();
	test_identity_table();
	test_phone();
	test_format_chars();
	test_email();
	test_field();
	return t_done();
}
