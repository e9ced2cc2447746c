/*
 * vb.h - official documents (văn bản) under Decree 30/2020/NĐ-CP on
 * clerical work: the document types of its Appendix III with their
 * abbreviations, the urgency and confidentiality marks, and the outgoing
 * document's number and symbol ("số, ký hiệu", Art. 8 and Appendix I).
 * Pure rules: no I/O, no clock.
 */
#ifndef VB_H
#define VB_H

#include "mc.h"

/* One type of administrative document. code is the stable ASCII name the
 * API and the database use ("quyet_dinh"); name is how the document
 * names itself ("Quyết định"); abbr its abbreviation in a symbol ("QĐ"),
 * "" for the types that have none (công văn, thư công). */
typedef struct {
	const char *code;
	const char *name;
	const char *abbr;
} vb_type;

/* LAW: Decree 30/2020/NĐ-CP Appendix III: the 29 types of administrative
 * documents and their abbreviations, in the appendix's order. OUT: *n. */
const vb_type *vb_types(size_t *n);
/* The type named code, or NULL. */
const vb_type *vb_type_find(const char *code);

/* Urgency (độ khẩn): thuong, khan, thuong_khan, hoa_toc. Label of code
 * ("Thượng khẩn"), or NULL if code is none of them. */
const char *vb_urgency_label(const char *code);
/* Confidentiality (độ mật): thuong, mat, toi_mat, tuyet_mat. Label of code
 * ("Tối mật"), or NULL. */
const char *vb_secrecy_label(const char *code);
/* 1 if secrecy is mat, toi_mat or tuyet_mat (a confidential document:
 * only some officers read its excerpt and scans), else 0. */
int vb_secret(const char *secrecy);
/* The codes in order, NULL-ended (for validation messages and lists). */
extern const char *const vb_urgencies[];
extern const char *const vb_secrecies[];

/* 1 if s is an abbreviation fit for a symbol: 1 to 20 bytes of ASCII
 * letters and digits, Đ/đ and '&' (UBND, TTPVHCC, QĐ, HĐND), starting
 * with a letter; else 0. NULL is not. */
int vb_abbr_valid(const char *s);

/* The largest number a register gives in a year. */
#define VB_NO_MAX 999999

/*
 * The symbol (số, ký hiệu) of an outgoing document numbered no in its
 * year (1..VB_NO_MAX), of type type (a vb_types code), issued by the
 * agency abbreviated issuer ("UBND"), drafted by the unit abbreviated unit
 * ("VP"; may be NULL or "" for a typed document).
 *   LAW: Decree 30/2020/NĐ-CP Art. 8 and Appendix I part I: a typed
 *   document's symbol is its type's abbreviation and the issuer's
 *   ("15/QĐ-UBND"); a công văn's is the issuer's and the drafting
 *   unit's ("15/UBND-VP"); numbers below 10 are written with a leading 0
 *   ("05/QĐ-UBND").
 * A type without an abbreviation (công văn, thư công) needs unit.
 * OUT: out (size bytes). MC_EINVAL (MCE_DOCUMENT_BAD_FIELD) naming the
 * argument: "type", "number", "issuer_abbr", "unit".
 */
MC_MUST_USE int vb_symbol(int64_t no, const char *type, const char *issuer, const char *unit,
			  char *out, size_t size, mc_err *e);

#endif
