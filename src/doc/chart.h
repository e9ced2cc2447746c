/*
 * chart.h - the supervision charts (timeliness by month, received against
 * resolved, the Decision 766 score groups) as inline SVG, drawn here with
 * no chart library. Like the rest of src/doc it knows no SQL and no HTTP:
 * the app layer gathers the figures as JSON and gets SVG text back, which
 * the web UI inserts into the page as it is.
 *
 * The SVG is made to survive a strict Content-Security-Policy and a black
 * and white printer: no script, no style attribute or element, no external
 * reference, no foreignObject; presentation attributes only (fill=,
 * stroke=, font-size=); every series has a fill colour from a fixed
 * palette AND a hatching pattern (bars) or a marker shape (lines), with
 * dark outlines, so it can be told apart without colour.
 */
#ifndef DOC_CHART_H
#define DOC_CHART_H

#include <jansson.h>
#include <stddef.h>

#include "mc.h"

/* Limits of a spec. */
#define DOC_CHART_MAX_CATEGORIES 60
#define DOC_CHART_MAX_SERIES 8

/*
 * Renders the chart spec describes as one standalone SVG document.
 *
 * spec is:
 *   {"kind": "stacked" | "bars" | "lines" | "hbars",
 *    "title": heading (required; the <title> and a visible heading),
 *    "desc": longer text for <desc> (optional; else made from the title
 *            and the series' names),
 *    "categories": [string, ...] 1..60: x labels (y labels for hbars),
 *    "series": [{"name": string, "values": [number|null, ...]}, ...]
 *              1..8 series, each with as many values as categories;
 *              null is "no data" and draws nothing; numbers are 0..10^15,
 *    "max": [number|null, ...] hbars only, optional: each category's
 *           maximum (a 766 group's points), drawn as an outline bar behind
 *           the value bar, whose label becomes "value/max",
 *    "unit": suffix of ticks and value labels ("%" or "", the default),
 *    "y_max": fixed top of the value axis (optional, > 0); else a "nice"
 *             maximum (1, 2, 2.5, 5 × 10^k) at or above the largest value,
 *    "width", "height": the viewBox (optional: 720 × 320; 240..4000 and
 *                       160..4000)}
 *
 * kinds: "stacked" stacks the series' columns per category (0 and null
 * draw no segment); "bars" groups them side by side; "lines" draws each
 * series as a polyline with markers (a null breaks the line); "hbars"
 * draws horizontal bars, one row per category (and a bar per series in
 * it).
 *
 * Values are written as Vietnamese writes them, up to 6 significant
 * digits with a decimal comma and dots between thousands ("97,5%",
 * "1.250.000"). Bars are <rect class="mc-bar" data-series="i"
 * data-category="j"> with a <title> tooltip ("series – category: value");
 * a null draws none, a 0 draws one of no length (stacked: none); line
 * markers have class "mc-mark", hbars' maximum outlines "mc-max"; the
 * groups "mc-legend", "mc-grid", "mc-categories", "mc-data", the notice
 * "mc-empty": hooks for the page's own stylesheet.
 *
 * The element ids (title, desc, patterns) start with a short id made from
 * a hash of the spec, so two charts on one page do not clash (the same
 * spec twice gives the same ids: the same picture). A chart with no data
 * (every value null or 0) still has its axes, and "Không có dữ liệu"
 * in the middle.
 *
 * OUT: *svg (NUL-terminated, caller frees) and *len, its length.
 * MC_EINVAL (invalid) naming the field for an unknown kind, a missing or
 * non-string title, categories not 1..60 strings, series not 1..8, a
 * values array of the wrong length, a value that is not a number or null
 * or is out of 0..10^15, a max array of the wrong length, a bad
 * y_max, width or height, an unknown field (a typo such as "ymax"), text
 * that is not valid UTF-8 or holds a control character, and text longer
 * than its limit (title 400 bytes, desc 4000, names and categories 200,
 * unit 16). MC_EIO (internal) only if the SVG outgrew 4 MB, which these
 * limits rule out.
 */
MC_MUST_USE int doc_chart_svg(const json_t *spec, char **svg, size_t *len, mc_err *e);

#endif
