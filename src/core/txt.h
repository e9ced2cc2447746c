/*
 * txt.h - Vietnamese text: UTF-8 checks, NFC, diacritic-free search keys and
 * validation of the identifiers citizens type (CCCD, phone, email).
 * Pure functions: no I/O. Strings returned by txt_nfc and txt_fold are
 * malloc'd and freed by the caller with free().
 */
#ifndef TXT_H
#define TXT_H

#include "mc.h"

/* 1 if the n bytes at s are well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF), else 0. NUL bytes count as valid. */
int txt_utf8_valid(const char *s, size_t n);

/* 1 if s holds a C0 control character other than tab, newline and carriage
 * return, or DEL; else 0. */
int txt_has_control(const char *s);

/* NFC-normalized copy of s (caller frees); NULL if s is not valid UTF-8. */
char *txt_nfc(const char *s);

/*
 * Search key of s (caller frees): diacritics dropped, đ/Đ as d, full Unicode
 * lower case, runs of white space collapsed to one space, trimmed.
 * "Nguyễn Văn Đạt" -> "nguyen van dat". Precomposed and decomposed input give
 * the same key. NULL if s is not valid UTF-8.
 */
char *txt_fold(const char *s);

/* 1 if needle_folded occurs in hay_folded (both already txt_fold'ed), else 0.
 * An empty needle occurs everywhere. */
int txt_contains_folded(const char *hay_folded, const char *needle_folded);

/*
 * Words of the n bytes at s for a full-text index, folded as txt_fold folds
 * (lower case, diacritics dropped, đ/Đ/ð/Ð as d, precomposed and decomposed
 * alike). A word is a run of letters, digits and combining marks; anything
 * else separates words, and so does a byte that is not valid UTF-8. Calls
 * cb(ctx, word, len, start, end) for each word, in order: word (len bytes,
 * not NUL-terminated, valid only during the call) is the folded form, at
 * most TXT_WORD_MAX bytes (a longer word is cut on a character boundary);
 * [start, end) are its bytes in s, its diacritics included, so that a
 * highlight shows the text as written. A run that folds to nothing (marks
 * alone) is no word. Stops at the first non-zero return of cb and returns
 * it; else 0.
 */
#define TXT_WORD_MAX 64
typedef int (*txt_word_cb)(void *ctx, const char *word, size_t len, size_t start, size_t end);
int txt_words(const char *s, size_t n, txt_word_cb cb, void *ctx);

/*
 * Citizen identity number (CCCD / số định danh cá nhân, Decree 137/2015/NĐ-CP
 * art. 13): 12 ASCII digits; digits 1-3 the province of birth registration,
 * digit 4 century and sex, digits 5-6 the year of birth. Returns MC_OK or
 * MC_EINVAL with a message naming the field "id_number".
 */
MC_MUST_USE int txt_valid_cccd(const char *s, mc_err *e);

/*
 * An applicant's identity document: type is "cccd" (also when NULL or ""),
 * "cmnd", "passport" or "none"; number as typed. cccd: txt_valid_cccd;
 * cmnd: 9 ASCII digits; passport (and other foreign documents): 5 to 20
 * ASCII letters and digits; none: number NULL or "". Nothing is cut or
 * padded: a wrong length is an error. OUT: out (24 bytes) the number as
 * stored (a passport's letters upper-cased), type_out (16 bytes) the type
 * name. MC_EINVAL with MCE_TEXT_BAD_ID_TYPE or MCE_TEXT_BAD_ID_NUMBER.
 */
MC_MUST_USE int txt_valid_id(const char *type, const char *number, char out[24],
			     char type_out[16], mc_err *e);

/*
 * Tax / enterprise code (mã số thuế, mã số doanh nghiệp): 10 ASCII digits,
 * or a branch's 13, written either as 13 digits or as 10 digits, "-" and 3
 * digits. OUT: out (16 bytes) "NNNNNNNNNN" or "NNNNNNNNNN-NNN".
 * MC_EINVAL with MCE_TEXT_BAD_TAX_CODE naming the field "tax_code".
 */
MC_MUST_USE int txt_tax_code_normalize(const char *s, char out[16], mc_err *e);

/*
 * Vietnamese phone number: "0" and 9 digits (mobile or landline), or a
 * landline "02" and 9 digits; "+84" or "84" may replace the leading 0.
 * Spaces, dots and dashes may separate digits. Returns MC_OK or MC_EINVAL.
 */
MC_MUST_USE int txt_valid_phone(const char *s, mc_err *e);

/* The digits of phone number s in national form ("0912345678") into out.
 * Returns MC_OK, or MC_EINVAL (out set to "") if s is not a phone number. */
MC_MUST_USE int txt_phone_normalize(const char *s, char out[16]);

/* Pragmatic email check: one '@', a local part of 1-64 bytes, a dotted
 * domain, no white space or control characters, at most 254 bytes. */
MC_MUST_USE int txt_valid_email(const char *s, mc_err *e);

/*
 * 1 if s (valid UTF-8) holds a character that changes how text around it is
 * shown without showing itself: the bidirectional embeddings, overrides and
 * isolates U+202A-202E and U+2066-2069, the zero-width and direction marks
 * U+200B-200F, the line and paragraph separators U+2028 and U+2029, and
 * U+FEFF anywhere but at the start. OUT: *cp (may be NULL), the first one.
 */
int txt_has_format_char(const char *s, uint32_t *cp);
/* Removes those characters from s in place, a leading U+FEFF too (for text
 * taken from elsewhere, such as the national catalog). Returns how many. */
size_t txt_strip_format_chars(char *s);

/*
 * Checks a free-text form field named field (for the message): valid UTF-8,
 * no control characters (multiline allows tab, newline and carriage return;
 * otherwise every C0 control is refused), at most maxlen bytes, and not blank
 * if required, and none of the characters txt_has_format_char finds. s may
 * be NULL (treated as ""). Returns MC_OK or MC_EINVAL: "applicant.name is
 * required", "summary is longer than 2000 bytes", "applicant.name contains
 * an invisible or direction-changing character (U+202E)".
 */
MC_MUST_USE int txt_check_field(const char *field, const char *s, size_t maxlen, int required,
				int multiline, mc_err *e);

#endif
