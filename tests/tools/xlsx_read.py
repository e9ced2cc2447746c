#!/usr/bin/python3
"""xlsx_read.py - an .xlsx read back with a real reader (openpyxl), for
tests/doc/table_test.c: prints one JSON object on stdout,

  {"sheets": [{"name": "II.06a",
               "merged": ["A5:A7", ...],            (sorted)
               "cells": {"A1": value, ...},         (cached values: what a
                                                    reader that does not
                                                    calculate shows)
               "formulas": {"F12": "=SUM(F8:F11)"},
               "styles": {"A5": {                   (every cell with a format)
                                 "bold": true, "italic": false, "font": "Times New Roman",
                                 "size": 12, "fill": "FFD9D9D9" or null,
                                 "border": true (thin on all four sides),
                                 "format": "0.0%", "align": "center", "wrap": true}},
               "widths": {"A": 30.0, ...},
               "heights": {"5": 31.5, ...},
               "freeze": "A9" or null, "print_rows": "$5:$8" or null,
               "orientation": "landscape", "paper": 9,
               "fit_to_page": true, "fit_width": 1, "fit_height": 0}]}

Run with /usr/bin/python3 (Debian's python3-openpyxl; scripts/deps installs
it). Exits 2 with a message when openpyxl is missing, 1 when the file does
not open: the test fails then, it does not skip.
"""
import json
import sys

try:
    import openpyxl
    from openpyxl.utils import get_column_letter
except ImportError:
    sys.stderr.write("xlsx_read.py: openpyxl is missing: run scripts/deps "
                     "(apt-get install python3-openpyxl) and use /usr/bin/python3\n")
    sys.exit(2)


def style(c):
    b = c.border
    sides = [b.left, b.right, b.top, b.bottom]
    fill = None
    if c.fill is not None and c.fill.fill_type == "solid":
        fill = c.fill.fgColor.rgb
    return {
        "bold": bool(c.font.b),
        "italic": bool(c.font.i),
        "font": c.font.name,
        "size": float(c.font.sz) if c.font.sz is not None else None,
        "fill": fill,
        "border": all(s is not None and s.style == "thin" for s in sides),
        "format": c.number_format,
        "align": c.alignment.horizontal,
        "wrap": bool(c.alignment.wrap_text),
    }


def sheet(ws, wf, ro):
    cells, formulas, styles = {}, {}, {}
    # Styles from the read-only load: the full one keeps only the first
    # cell of a merged range, and the others' formats are the file's too.
    for row in ro.iter_rows():
        for c in row:
            if getattr(c, "coordinate", None) and c.has_style:
                styles[c.coordinate] = style(c)
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None:
                cells[c.coordinate] = c.value
            f = wf[c.coordinate]
            if f.data_type == "f":
                formulas[c.coordinate] = f.value
    widths = {}
    for k, d in ws.column_dimensions.items():
        if d.width is not None and d.customWidth:
            # openpyxl keeps a run of columns under its first letter
            for i in range(d.min or 1, (d.max or d.min or 1) + 1):
                widths[get_column_letter(i)] = d.width
    heights = {str(k): d.height for k, d in ws.row_dimensions.items() if d.height is not None}
    ps = ws.page_setup
    fit = ws.sheet_properties.pageSetUpPr
    return {
        "name": ws.title,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "cells": cells,
        "formulas": formulas,
        "styles": styles,
        "widths": widths,
        "heights": heights,
        "freeze": ws.freeze_panes,
        "print_rows": ws.print_title_rows,
        "orientation": ps.orientation,
        "paper": int(ps.paperSize) if ps.paperSize is not None else None,
        "fit_to_page": bool(fit is not None and fit.fitToPage),
        "fit_width": int(ps.fitToWidth) if ps.fitToWidth is not None else 1,
        "fit_height": int(ps.fitToHeight) if ps.fitToHeight is not None else 1,
    }


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: xlsx_read.py FILE.xlsx\n")
        sys.exit(1)
    try:
        values = openpyxl.load_workbook(sys.argv[1], data_only=True)
        forms = openpyxl.load_workbook(sys.argv[1], data_only=False)
        plain = openpyxl.load_workbook(sys.argv[1], read_only=True)
    except Exception as ex:  # any failure to open is the answer
        sys.stderr.write("xlsx_read.py: cannot open %s: %s\n" % (sys.argv[1], ex))
        sys.exit(1)
    out = {"sheets": [sheet(ws, forms[ws.title], plain[ws.title]) for ws in values.worksheets]}
    plain.close()
    json.dump(out, sys.stdout, ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")


main()
