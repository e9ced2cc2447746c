/*
 * table.h - report tables as Excel workbooks (.xlsx) and CSV: the
 * supervision reports (Biểu II.06a/VPCP/KSTT, the Decision 766 scorecard)
 * laid out like their official templates. The app layer gathers the
 * figures and describes the table as JSON; this module only renders it
 * (no SQL, no HTTP).
 *
 * The table, a JSON object (unknown keys are refused, to catch typos):
 *
 *   "sheet":    worksheet name (optional; default "Báo cáo"). Made valid
 *               for Excel: []:*?/\ and control characters become '-',
 *               apostrophes at either end are dropped, cut to 31 UTF-16
 *               units; a name already used in the workbook (compared
 *               without case, "History" is reserved) gets " (2)", " (3)"...
 *   "form":     optional, printed top right above the title
 *               ("Biểu số II.06a/VPCP/KSTT").
 *   "title":    optional, bold, centred over the table's width (merged).
 *   "subtitle": optional array of strings, each a centred merged line
 *               ("Kỳ báo cáo: từ ngày ... đến ngày ...").
 *   "head":     the header rows, at least one: an array of rows, each an
 *               array of cells {"text": s, "rows": r, "cols": c} (r and c
 *               default to 1). HTML table semantics: a cell takes the next
 *               column of its row not covered by a cell above spanning
 *               rows. Every head row must cover exactly the leaf columns;
 *               a cell may not overlap another nor span below the head.
 *   "numbered": optional boolean: a row under the head with (1) (2) (3)...
 *               in the leaf columns, italic (the official forms have it).
 *   "columns":  one object per leaf column, at least one:
 *               {"type": "text"|"int"|"number"|"percent" (default "text"),
 *                "width": width in characters, 1..255 (optional; default
 *                30 for text, 10 for the others)}.
 *   "rows":     the data: an array of rows, each an array of exactly as
 *               many values as columns: a string, an integer, a real or
 *               null (an empty cell). A text column writes a number as
 *               text; an int column takes integers only; number and
 *               percent columns take integers and reals (a percent is the
 *               fraction: 0.25 is shown 25.0%). A string in a numeric
 *               column is refused, naming the row and column.
 *   "total":    optional {"label": s (default "Tổng cộng"), "label_col": i
 *               (default 0), "sum": [i, ...]}: a last row, bold, with the
 *               label in column label_col and the sum of the data rows in
 *               each column of sum (int or number columns, not label_col).
 *               Column indexes count from 0, as in "columns".
 *   "notes":    optional array of strings, lines under the table.
 *
 * Limits: 1000 leaf columns, 10 head rows, 1,000,000 data rows, 32767
 * characters a cell.
 */
#ifndef DOC_TABLE_H
#define DOC_TABLE_H

#include <jansson.h>
#include <stddef.h>

#include "mc.h"

/*
 * Checks that table is a table as described above, without rendering it.
 * MC_EINVAL (MCE_INVALID) with a message naming what is wrong: a head row,
 * a data row and column counting from 1 as people do, or a JSON path
 * counting from 0 as the JSON does (columns[2], head[0][1]).
 */
MC_MUST_USE int doc_table_check(const json_t *table, mc_err *e);

/*
 * Renders tables (one table object, or a non-empty array of them, one
 * worksheet each) as an .xlsx workbook: form, title and subtitle rows,
 * the header with its merged cells (bold, centred, wrapped, grey), the
 * numbered row, the data (numbers as numbers), the total row with SUM
 * formulas whose values are stored too (for readers that do not
 * calculate; over no data rows the total is the number 0), the notes.
 * Every table cell has a border; Times New Roman 12 (Decree 30/2020);
 * panes frozen below the header; A4 landscape, fit to the page width,
 * the header repeated on each printed page.
 * OUT: *out, *len (caller frees). MC_EINVAL for an invalid table (the
 * message names the table of an array by its number); MC_EIO
 * (MCE_INTERNAL) when the file cannot be written.
 */
MC_MUST_USE int doc_table_xlsx(const json_t *tables, unsigned char **out, size_t *len,
			       mc_err *e);

/*
 * Renders table as CSV for spreadsheets: UTF-8 with a byte order mark
 * (Excel then reads the diacritics right), CRLF line ends, RFC 4180
 * quoting. One header line: each leaf column named by the head cells
 * above it joined with " - " (a repeated text once). Then the data rows
 * and the total row with its sums. Title, subtitles, the numbered row and
 * notes are left out: the CSV is the data. Numbers are written plainly
 * (integers as integers, reals with at most 4 decimals, percents as the
 * fraction); a string starting with = + - @ TAB or CR gets a leading
 * apostrophe so a spreadsheet does not run it as a formula (OWASP "CSV
 * injection"). OUT: *out (NUL-terminated), *len (without the NUL; caller
 * frees). MC_EINVAL for an invalid table or a total too large to hold.
 */
MC_MUST_USE int doc_table_csv(const json_t *table, char **out, size_t *len, mc_err *e);

#endif
