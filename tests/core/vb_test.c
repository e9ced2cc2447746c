/*
 * vb_test.c - document types, marks and symbols of Decree 30/2020/NĐ-CP
 * (src/core/vb.c).
 */
#include "core/vb.h"
#include "t.h"

/* Appendix III, every row. */
static const struct {
	const char *code, *name, *abbr;
} appendix[] = {
	{ "nghi_quyet", "Nghị quyết", "NQ" },	      { "quyet_dinh", "Quyết định", "QĐ" },
	{ "chi_thi", "Chỉ thị", "CT" },		      { "quy_che", "Quy chế", "QC" },
	{ "quy_dinh", "Quy định", "QyĐ" },	      { "thong_cao", "Thông cáo", "TC" },
	{ "thong_bao", "Thông báo", "TB" },	      { "huong_dan", "Hướng dẫn", "HD" },
	{ "chuong_trinh", "Chương trình", "CTr" },    { "ke_hoach", "Kế hoạch", "KH" },
	{ "phuong_an", "Phương án", "PA" },	      { "de_an", "Đề án", "ĐA" },
	{ "du_an", "Dự án", "DA" },		      { "bao_cao", "Báo cáo", "BC" },
	{ "bien_ban", "Biên bản", "BB" },	      { "to_trinh", "Tờ trình", "TTr" },
	{ "hop_dong", "Hợp đồng", "HĐ" },	      { "cong_van", "Công văn", "" },
	{ "cong_dien", "Công điện", "CĐ" },	      { "ban_ghi_nho", "Bản ghi nhớ", "BGN" },
	{ "ban_thoa_thuan", "Bản thỏa thuận", "BTT" }, { "giay_uy_quyen", "Giấy ủy quyền", "GUQ" },
	{ "giay_moi", "Giấy mời", "GM" },	      { "giay_gioi_thieu", "Giấy giới thiệu", "GGT" },
	{ "giay_nghi_phep", "Giấy nghỉ phép", "GNP" }, { "phieu_gui", "Phiếu gửi", "PG" },
	{ "phieu_chuyen", "Phiếu chuyển", "PC" },     { "phieu_bao", "Phiếu báo", "PB" },
	{ "thu_cong", "Thư công", "" },
};

static void test_types(void)
{
	T_CASE("appendix III");
	size_t n;
	const vb_type *t = vb_types(&n);
	CHECK_INT(n, MC_ARRAY_LEN(appendix));
	for (size_t i = 0; i < n && i < MC_ARRAY_LEN(appendix); i++) {
		CHECK_STR(t[i].code, appendix[i].code);
		CHECK_STR(t[i].name, appendix[i].name);
		CHECK_STR(t[i].abbr, appendix[i].abbr);
		CHECK(vb_type_find(appendix[i].code) == &t[i]);
	}
	/* Codes are unique, and so are the abbreviations that exist. */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			CHECK(strcmp(t[i].code, t[j].code) != 0);
			CHECK(!t[i].abbr[0] || strcmp(t[i].abbr, t[j].abbr) != 0);
		}
	CHECK(vb_type_find("Quyết định") == NULL);
	CHECK(vb_type_find("") == NULL);
	CHECK(vb_type_find(NULL) == NULL);
}

static void test_marks(void)
{
	static const struct {
		const char *code, *urgency, *secrecy;
		int secret;
	} cases[] = {
		{ "thuong", "Thường", "Thường", 0 },
		{ "khan", "Khẩn", NULL, 0 },
		{ "thuong_khan", "Thượng khẩn", NULL, 0 },
		{ "hoa_toc", "Hỏa tốc", NULL, 0 },
		{ "mat", NULL, "Mật", 1 },
		{ "toi_mat", NULL, "Tối mật", 1 },
		{ "tuyet_mat", NULL, "Tuyệt mật", 1 },
		{ "Mat", NULL, NULL, 0 },
		{ "", NULL, NULL, 0 },
		{ NULL, NULL, NULL, 0 },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].code ? cases[i].code : "(null)");
		const char *u = vb_urgency_label(cases[i].code), *s = vb_secrecy_label(cases[i].code);
		if (cases[i].urgency)
			CHECK_STR(u, cases[i].urgency);
		else
			CHECK(u == NULL);
		if (cases[i].secrecy)
			CHECK_STR(s, cases[i].secrecy);
		else
			CHECK(s == NULL);
		CHECK_INT(vb_secret(cases[i].code), cases[i].secret);
	}
}

static void test_abbr(void)
{
	static const struct {
		const char *s;
		int ok;
	} cases[] = {
		{ "UBND", 1 },	  { "VP", 1 },	   { "TTPVHCC", 1 }, { "HĐND", 1 },
		{ "QyĐ", 1 },	  { "ĐA", 1 },	   { "VHXH", 1 },    { "KT2", 1 },
		{ "BCĐ&TKT", 1 }, { "", 0 },	   { "2VP", 0 },     { "V P", 0 },
		{ "VP-KT", 0 },	  { "VP/KT", 0 },  { "Văn", 0 },     { "ABCDEFGHIJKLMNOPQRSTU", 0 },
		{ "&A", 0 },	  { "UB\nND", 0 },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].s);
		CHECK_INT(vb_abbr_valid(cases[i].s), cases[i].ok);
	}
	CHECK_INT(vb_abbr_valid(NULL), 0);
}

static void test_symbol(void)
{
	static const struct {
		long long no;
		const char *type, *issuer, *unit, *want, *field;
	} cases[] = {
		/* Art. 8: a typed document: its type and the issuer. */
		{ 15, "quyet_dinh", "UBND", NULL, "15/QĐ-UBND", NULL },
		{ 15, "quyet_dinh", "UBND", "VP", "15/QĐ-UBND", NULL },
		{ 3, "ke_hoach", "UBND", "", "03/KH-UBND", NULL },
		{ 120, "bao_cao", "UBND", "KT", "120/BC-UBND", NULL },
		{ 7, "quy_dinh", "UBND", NULL, "07/QyĐ-UBND", NULL },
		{ 10, "to_trinh", "UBND", NULL, "10/TTr-UBND", NULL },
		{ 1, "hop_dong", "TTPVHCC", NULL, "01/HĐ-TTPVHCC", NULL },
		{ 999999, "giay_moi", "UBND", NULL, "999999/GM-UBND", NULL },
		/* A công văn: the issuer and the drafting unit. */
		{ 15, "cong_van", "UBND", "VP", "15/UBND-VP", NULL },
		{ 9, "cong_van", "UBND", "VHXH", "09/UBND-VHXH", NULL },
		{ 44, "thu_cong", "UBND", "VP", "44/UBND-VP", NULL },
		/* Refusals, each naming its argument. */
		{ 15, "cong_van", "UBND", NULL, NULL, "unit" },
		{ 15, "cong_van", "UBND", "", NULL, "unit" },
		{ 15, "cong_van", "UBND", "V P", NULL, "unit" },
		{ 15, "quyet_dinh", "", NULL, NULL, "issuer_abbr" },
		{ 15, "quyet_dinh", NULL, NULL, NULL, "issuer_abbr" },
		{ 15, "quyet_dinh", "UB-ND", NULL, NULL, "issuer_abbr" },
		{ 0, "quyet_dinh", "UBND", NULL, NULL, "number" },
		{ -3, "quyet_dinh", "UBND", NULL, NULL, "number" },
		{ 1000000, "quyet_dinh", "UBND", NULL, NULL, "number" },
		{ 15, "QĐ", "UBND", NULL, NULL, "type" },
		{ 15, NULL, "UBND", NULL, NULL, "type" },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		char out[64] = "x";
		mc_err e = { 0 };
		T_CASE(cases[i].want ? cases[i].want : cases[i].field);
		int rc = vb_symbol(cases[i].no, cases[i].type, cases[i].issuer, cases[i].unit, out,
				   sizeof out, &e);
		if (cases[i].want) {
			CHECK_INT(rc, MC_OK);
			CHECK_STR(out, cases[i].want);
		} else {
			CHECK_INT(rc, MC_EINVAL);
			CHECK_INT(e.id, MCE_DOCUMENT_BAD_FIELD);
			CHECK(strncmp(e.msg, cases[i].field, strlen(cases[i].field)) == 0);
			CHECK_STR(out, "");
		}
	}
	T_CASE("too small a buffer");
	char small[6];
	mc_err e = { 0 };
	CHECK_INT(vb_symbol(15, "quyet_dinh", "UBND", NULL, small, sizeof small, &e), MC_EINVAL);
	CHECK_STR(small, "");
}

int main(void)
{
	test_types();
	test_marks();
	test_abbr();
	test_symbol();
	return t_done();
}
