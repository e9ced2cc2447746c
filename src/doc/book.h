/*
 * book.h - a register book as PDF (issue 14): the incoming and outgoing
 * document registers of Decree 30/2020/NĐ-CP, printed on A4 landscape with
 * the agency's name, the book's title and period, the register's columns
 * repeated at the top of every page and "Trang i/n" under each. The app
 * layer lays the book out as JSON; this module only draws it (no SQL, no
 * HTTP).
 */
#ifndef DOC_BOOK_H
#define DOC_BOOK_H

#include <jansson.h>
#include <stddef.h>

#include "mc.h"

/*
 * in is:
 *   {"agency_top": the line above the agency ("ỦY BAN NHÂN DÂN" or ""),
 *    "agency": the agency's name as headed ("XÃ KIM BÔI"),
 *    "title": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
 *    "subtitle": ["Năm 2026", "Từ ngày 01/01/2026 đến ngày 31/03/2026"],
 *    "columns": [{"head": "Số đến", "width": w, "align": "left"|"center"|
 *                 "right"}, ...]  (1 to 16; the widths are shares of the
 *                 page's width and are scaled to add up to 1),
 *    "rows": [[text, ...], ...]  (each as many strings as columns; a cell
 *             may hold line breaks),
 *    "notes": [text, ...]  (lines under the table; optional)}
 * The heads are numbered (1), (2)... under their text, as the official
 * books print them. OUT: *pdf, *len (caller frees). MC_EINVAL (MCE_INVALID)
 * naming what is malformed; MC_EIO if cairo cannot write the PDF.
 */
MC_MUST_USE int doc_book_pdf(const json_t *in, unsigned char **pdf, size_t *len, mc_err *e);

#endif
