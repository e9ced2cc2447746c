/*
 * vb.c - document types, marks and symbols of Decree 30/2020/NĐ-CP (vb.h).
 */
#include "core/vb.h"

#include <stdio.h>
#include <string.h>


/* LAW: Decree 30/2020/NĐ-CP Appendix III "Bảng chữ viết tắt tên loại văn
 * bản hành chính": the types in its order; công văn and thư công have no
 * abbreviation. */
static const vb_type types[] = {
	{ "nghi_quyet", "Nghị quyết", "NQ" },
	{ "quyet_dinh", "Quyết định", "QĐ" },
	{ "chi_thi", "Chỉ thị", "CT" },
	{ "quy_che", "Quy chế", "QC" },
	{ "quy_dinh", "Quy định", "QyĐ" },
	{ "thong_cao", "Thông cáo", "TC" },
	{ "thong_bao", "Thông báo", "TB" },
	{ "huong_dan", "Hướng dẫn", "HD" },
	{ "chuong_trinh", "Chương trình", "CTr" },
	{ "ke_hoach", "Kế hoạch", "KH" },
	{ "phuong_an", "Phương án", "PA" },
	{ "de_an", "Đề án", "ĐA" },
	{ "du_an", "Dự án", "DA" },
	{ "bao_cao", "Báo cáo", "BC" },
	{ "bien_ban", "Biên bản", "BB" },
	{ "to_trinh", "Tờ trình", "TTr" },
	{ "hop_dong", "Hợp đồng", "HĐ" },
	{ "cong_van", "Công văn", "" },
	{ "cong_dien", "Công điện", "CĐ" },
	{ "ban_ghi_nho", "Bản ghi nhớ", "BGN" },
	{ "ban_thoa_thuan", "Bản thỏa thuận", "BTT" },
	{ "giay_uy_quyen", "Giấy ủy quyền", "GUQ" },
	{ "giay_moi", "Giấy mời", "GM" },
	{ "giay_gioi_thieu", "Giấy giới thiệu", "GGT" },
	{ "giay_nghi_phep", "Giấy nghỉ phép", "GNP" },
	{ "phieu_gui", "Phiếu gửi", "PG" },
	{ "phieu_chuyen", "Phiếu chuyển", "PC" },
	{ "phieu_bao", "Phiếu báo", "PB" },
	{ "thu_cong", "Thư công", "" },
};

const vb_type *vb_types(size_t *n)
{
	*n = MC_ARRAY_LEN(types);
	return types;
}

const vb_type *vb_type_find(const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < MC_ARRAY_LEN(types); i++)
		if (strcmp(types[i].code, code) == 0)
			return &types[i];
	return NULL;
}

/* LAW: Decree 30/2020/NĐ-CP Art. 15 and Appendix I: the urgency marks
 * "Khẩn", "Thượng khẩn", "Hỏa tốc" (none: an ordinary document); the
 * confidentiality marks follow the law on state secrets (Mật, Tối mật,
 * Tuyệt mật). */
const char *const vb_urgencies[] = { "thuong", "khan", "thuong_khan", "hoa_toc", NULL };
static const char *const urgency_labels[] = { "Thường", "Khẩn", "Thượng khẩn", "Hỏa tốc" };
const char *const vb_secrecies[] = { "thuong", "mat", "toi_mat", "tuyet_mat", NULL };
static const char *const secrecy_labels[] = { "Thường", "Mật", "Tối mật", "Tuyệt mật" };

static const char *label_of(const char *const *codes, const char *const *labels, const char *c)
{
	if (!c)
		return NULL;
	for (size_t i = 0; codes[i]; i++)
		if (strcmp(codes[i], c) == 0)
			return labels[i];
	return NULL;
}

const char *vb_urgency_label(const char *code)
{
	return label_of(vb_urgencies, urgency_labels, code);
}

const char *vb_secrecy_label(const char *code)
{
	return label_of(vb_secrecies, secrecy_labels, code);
}

int vb_secret(const char *secrecy)
{
	return vb_secrecy_label(secrecy) && strcmp(secrecy, "thuong") != 0;
}

int vb_abbr_valid(const char *s)
{
	if (!s || !*s || strlen(s) > 20)
		return 0;
	const unsigned char *p = (const unsigned char *)s;
	int first = 1;
	while (*p) {
		/* Đ U+0110 is C4 90, đ U+0111 is C4 91 in UTF-8. */
		if (p[0] == 0xC4 && (p[1] == 0x90 || p[1] == 0x91)) {
			p += 2;
		} else if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
			p++;
		} else if (!first && ((*p >= '0' && *p <= '9') || *p == '&')) {
			p++;
		} else {
			return 0;
		}
		first = 0;
	}
	return 1;
}

int vb_symbol(int64_t no, const char *type, const char *issuer, const char *unit, char *out,
	      size_t size, mc_err *e)
{
	if (size)
		out[0] = 0;
	const vb_type *t = vb_type_find(type);
	if (!t)
		return mc_fail(e, MCE_DOCUMENT_BAD_FIELD, "type: không có loại văn bản '%s'",
			       "type: no document type '%s'", type ? type : "");
	if (no < 1 || no > VB_NO_MAX)
		return mc_fail(e, MCE_DOCUMENT_BAD_FIELD, "number: số văn bản phải từ 1 đến %d",
			       "number: a document's number must be 1 to %d", VB_NO_MAX);
	if (!vb_abbr_valid(issuer))
		return mc_fail(e, MCE_DOCUMENT_BAD_FIELD,
			       "issuer_abbr: chữ viết tắt tên cơ quan ban hành không hợp lệ ('%s')",
			       "issuer_abbr: the issuer's abbreviation is not valid ('%s')",
			       issuer ? issuer : "");
	int has_unit = unit && *unit;
	if (has_unit && !vb_abbr_valid(unit))
		return mc_fail(e, MCE_DOCUMENT_BAD_FIELD,
			       "unit: chữ viết tắt tên đơn vị soạn thảo không hợp lệ ('%s')",
			       "unit: the drafting unit's abbreviation is not valid ('%s')", unit);
	int n;
	if (t->abbr[0]) {
		n = snprintf(out, size, "%02lld/%s-%s", (long long)no, t->abbr, issuer);
	} else {
		if (!has_unit)
			return mc_fail(e, MCE_DOCUMENT_BAD_FIELD,
				       "unit: %s cần đơn vị soạn thảo để ghi ký hiệu (ví dụ 15/UBND-VP)",
				       "unit: a %s needs its drafting unit for its symbol (15/UBND-VP)",
				       t->name);
		n = snprintf(out, size, "%02lld/%s-%s", (long long)no, issuer, unit);
	}
	if (n < 0 || (size_t)n >= size) {
		if (size)
			out[0] = 0;
		return mc_fail(e, MCE_DOCUMENT_BAD_FIELD, "ký hiệu văn bản quá dài",
			       "the symbol is too long");
	}
	return MC_OK;
}
