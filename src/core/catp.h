/*
 * catp.h - parsers for the flattened tables of the national public service
 * portal (dichvucong.gov.vn). A crawl of a procedure page loses the table
 * cells' borders, so "Trực tiếp", "7 Ngày", "Không có thông tin" and the
 * description arrive glued together: "Trực tiếp7 NgàyKhông có thông tinNộp
 * trực tiếp…". These functions cut such text back into fields. Pure string
 * work: no I/O, no JSON.
 *
 * Nothing here fails: what cannot be read is kept as text and counted in
 * `unparsed`, so a caller can import the procedure and flag it for review.
 * Every string in the result structs is allocated (never NULL) and freed by
 * the matching catp_*_release.
 *
 * One module in five files: catp_channels.c, catp_components.c,
 * catp_results.c, catp_fee.c, and catp_range.c with the byte-range helpers they share
 * (catp_int.h).
 */
#ifndef CATP_H
#define CATP_H

#include "mc.h"

/* ---- submission channels: "cách thức thực hiện" ---- */

enum { CATP_DIRECT = 0, CATP_ONLINE, CATP_POSTAL };

/* How the time column of one channel entry read. */
enum {
	CATP_TIME_OK = 0,  /* an amount and a unit (DL_*) */
	CATP_TIME_NONE,    /* the source says there is no time limit ("Không quy định") */
	CATP_TIME_MISSING, /* the source has no information ("Không có thông tin") */
	CATP_TIME_NOUNIT,  /* a bare number and no unit for it, here or in the description */
	CATP_TIME_BAD,     /* text not understood */
};

typedef struct {
	int channel;       /* CATP_DIRECT, CATP_ONLINE, CATP_POSTAL */
	int time_status;   /* CATP_TIME_* */
	int has_time;      /* time_status == CATP_TIME_OK: amount and unit are usable */
	double amount;     /* processing time; also set for CATP_TIME_NOUNIT; 1 for same_day */
	int unit;          /* DL_WORKING_DAYS ... DL_SAME_DAY (src/core/dl.h), -1 if none */
	int inferred;      /* the unit came from the description, not the time column */
	char *time_text;   /* the time column as written ("7 Ngày", "Không quy định") */
	char *fee;         /* "Miễn phí", "25,000 Việt Nam Đồng", "Không có thông tin", "" */
	char *fee_note;    /* the parenthesised note after the fee, parentheses removed */
	char *description; /* the "Mô tả" column */
} catp_channel;

typedef struct {
	catp_channel *v;
	size_t n;
	size_t parsed;   /* entries whose time is CATP_TIME_OK or CATP_TIME_NONE */
	size_t unparsed; /* other entries, plus 1 if text outside any entry was dropped */
} catp_channels;

/* Name of a channel: "direct", "online", "postal"; "" if out of range. */
const char *catp_channel_name(int channel);
/* Channel from its name; -1 if unknown. */
int catp_channel_parse(const char *name);

/*
 * Parses a "cách thức thực hiện" text (with or without its leading column
 * titles "Hình thức nộpThời gianPhí, lệ phíMô tả") into out, which it
 * initialises. A channel may appear several times (one entry per case); all
 * are kept in source order. Returns 1 if there was at least one entry and
 * every entry parsed, else 0.
 */
int catp_channels_parse(const char *s, catp_channels *out);
void catp_channels_release(catp_channels *c);

/* ---- dossier components: "thành phần hồ sơ" ---- */

typedef struct {
	char *group;     /* heading of its sub-table ("* Giấy tờ phải nộp:"), "" if none */
	char *name;      /* the document, bullets and surrounding blanks removed */
	char *form;      /* template file attached to the row ("Mau CT01.doc"), "" if none */
	char *form_code; /* form named in the text ("mẫu NA17", "Mẫu số 02"), "" if none */
	char *quantity;  /* as written: "1 bản chính", "0 bản chính,1 bản sao" */
	int originals;   /* bản chính; -1 if no quantity was found */
	int copies;      /* bản sao; 0 when only originals are stated, -1 if no quantity */
} catp_component;

typedef struct {
	catp_component *v;
	size_t n;
	size_t parsed;   /* rows with a name and a quantity */
	size_t unparsed; /* rows without a name, plus 1 if trailing text was dropped */
	char *leftover;  /* text that belongs to no row (trimmed; "" if none) */
} catp_components;

/*
 * Parses a "thành phần hồ sơ" text: one or more tables, each headed
 * "Tên giấy tờMẫu đơn, tờ khaiSố lượng" and preceded by its case heading, rows
 * glued as <name><form file><quantity>. out is initialised. Returns 1 if at
 * least one row was found and nothing was left over, else 0.
 */
int catp_components_parse(const char *s, catp_components *out);
void catp_components_release(catp_components *c);

/* ---- results: "kết quả xử lý" ---- */

typedef struct {
	char *name; /* "Giấy chứng nhận đăng ký hộ kinh doanh" */
	char *code; /* "KQ.G01.00263"; "" if the text gives none */
} catp_result;

typedef struct {
	catp_result *v;
	size_t n;
	size_t parsed;   /* results with a name and a code */
	size_t unparsed; /* results missing either */
} catp_results;

/*
 * Parses a "kết quả xử lý" text: <name>Mã: <code>, repeated, then the page's
 * trailer ("Từ khóa…", dropped). out is initialised. Returns 1 if at least one
 * result was found and each has a name and a code, else 0.
 */
int catp_results_parse(const char *s, catp_results *out);
void catp_results_release(catp_results *r);

/* ---- fees: "phí, lệ phí" of a channel entry ---- */

/*
 * The amount in đồng that a channel entry's fee (catp_channel.fee, e.g.
 * "70,000 VNĐ", "Miễn phí") and its note (fee_note, e.g. "70.000
 * đồng/Giấy chứng nhận") state together, when they state exactly one: free
 * is 0; an amount in the fee with no other amount in the note, or the same
 * one; an amount in the note when the fee column is empty. Ranges, several
 * amounts, an amount that the note contradicts ("120 VNĐ" with "20.000
 * đ/tờ khai") or no amount at all leave it unsettled. Returns 1 and sets
 * *amount when settled, else 0 (*amount untouched).
 */
int catp_fee_amount(const char *fee, const char *note, int64_t *amount);

/* How a component (catp_component.name) applies, as bits: */
enum {
	CATP_COMP_CONDITIONAL = 1, /* needed only in a case it names ("Trường hợp …",
				    * "… trong trường hợp …", "(nếu có)") */
	CATP_COMP_ONLINE_ONLY = 2, /* only for an online filing ("Mẫu hộ tịch điện tử
				    * tương tác", "nếu … nộp hồ sơ theo hình thức trực
				    * tuyến") */
	CATP_COMP_POSTAL_ONLY = 4, /* a case of a postal filing ("Trường hợp gửi hồ sơ
				    * qua hệ thống bưu chính …") */
};
/* The bits of name (diacritics and case ignored); 0: a paper every filing
 * hands in. */
int catp_component_kind(const char *name);

#endif
