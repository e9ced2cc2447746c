/*
 * doc.h - the doc layer: the legal forms of a dossier and the tracking
 * register as PDF (Circular 03/2025/TT-VPCP annex I; DOMAIN.md "Forms").
 * It knows no SQL and no HTTP: the app layer gathers a form's data as JSON
 * (the dossier as the API shows it, the issuing unit, officers' names) and
 * gets the PDF's bytes back.
 */
#ifndef DOC_H
#define DOC_H

#include <jansson.h>
#include <stddef.h>

#include "mc.h"

/* The forms, by their annex number; the register and the fee slip after. */
enum {
	DOC_RECEIPT = 1,    /* Mẫu 01 giấy tiếp nhận hồ sơ và hẹn trả kết quả (A5) */
	DOC_SUPPLEMENT = 2, /* Mẫu 02 phiếu yêu cầu bổ sung, hoàn thiện hồ sơ */
	DOC_REFUSAL = 3,    /* Mẫu 03 phiếu từ chối tiếp nhận, giải quyết hồ sơ */
	DOC_APOLOGY = 4,    /* Mẫu 04 văn bản xin lỗi và hẹn lại ngày trả kết quả */
	DOC_STOP = 5,       /* Mẫu 05 thông báo dừng giải quyết hồ sơ */
	DOC_CONTROL = 6,    /* Mẫu 06 phiếu kiểm soát quá trình giải quyết hồ sơ */
	DOC_REGISTER = 7,   /* Mẫu 07 sổ theo dõi hồ sơ (A4, landscape) */
	DOC_FEE = 8,        /* phiếu thu phí, lệ phí (for the cashier) */
};

/* The form's title as printed ("GIẤY TIẾP NHẬN HỒ SƠ ..."), or NULL for a
 * number that is no form. */
const char *doc_form_title(int form);

/*
 * Renders form (DOC_*) as PDF. in is:
 *   {"unit": {"agency", "name" (Xã Kim Bôi), "name_text" (as running text
 *             writes it: xã Kim Bôi), "province", "place" (the
 *             place of the date line: Kim Bôi), "centre" (the full name of
 *             the centre), "lookup_url" (the dossier's public look-up
 *             address, printed with its QR code; may be absent)},
 *    "printed_at": ISO time,
 *    "officers": {login: name, ...},
 *    "dossier": the dossier as app_dossier_get gives it, with history,
 *    "notice": for forms 2, 3, 5 the notice printed (else absent),
 *    "items": for the register: the dossiers of the period (each as
 *             app_dossier_get gives it), "from", "to": its dates}
 * OUT: *pdf, *len (caller frees). MC_EINVAL (doc.missing) naming what a
 * form needs and in lacks; MC_EIO if cairo cannot write the PDF.
 */
MC_MUST_USE int doc_form_pdf(int form, const json_t *in, unsigned char **pdf, size_t *len,
			     mc_err *e);

/* An amount of money in Vietnamese words, capitalised, with "đồng":
 * 1250000 -> "Một triệu hai trăm năm mươi nghìn đồng". 0 <= dong <
 * 10^15; else "". */
void doc_money_words(int64_t dong, char *out, size_t size);

#endif
