#!/usr/bin/python3
"""Prints what a leader reads of the operating level in a workbook, for test_cli_operating.c.

usage: check_operating.py WORKBOOK

Prints, read back with openpyxl:
- "summary: <line>" for each Summary line that speaks of the operating level;
- "person: ID|Operating level|Levels above title" for each row of the Readiness sheet (an
  empty cell as nothing, a number as an integer), and "kind: <type>" of the first number under
  "Levels above title" (a count must be a number, not text);
- "printed: operating level yes|no, levels above title yes|no": which of the two columns are
  inside the Readiness sheet's print area;
- "summary lines: N", the lines the tallest of those Summary rows is set to (15 points a line);
- "pages across: N at S%; without them: M": the sheets of paper the printed Readiness columns
  take side by side at the sheet's print scale S (as src/report_xlsx.c counts them, the frozen
  identity columns repeated on each), and the fewest they would take without the two columns
  at any readable scale (73% to 100%).
"""
import sys

import openpyxl
from openpyxl.utils import column_index_from_string

wb = openpyxl.load_workbook(sys.argv[1])
summary_lines = 0
for row in wb["Summary"].iter_rows():
    for cell in row:
        if isinstance(cell.value, str) and "operating two or more" in cell.value:
            print("summary:", cell.value)
            height = wb["Summary"].row_dimensions[cell.row].height or 15
            summary_lines = max(summary_lines, round(height / 15))
print("summary lines:", summary_lines)
ws = wb["Readiness"]
header = [c.value for c in ws[1]]
col_id, col_level, col_above = (header.index(h) for h in ("ID", "Operating level",
                                                         "Levels above title"))
kind = None
for row in ws.iter_rows(min_row=2, values_only=True):
    above = row[col_above]
    if kind is None and above is not None:
        kind = type(above).__name__
    print("person: %s|%s|%s" % (row[col_id], row[col_level] or "",
                                "" if above is None else int(above)))
print("kind:", kind)
area = ws.print_area
if isinstance(area, list):
    area = area[0] if area else None
if area:
    last = area.split("!")[-1].split(":")[-1].replace("$", "").rstrip("0123456789")
    last_printed = column_index_from_string(last)
    print("printed: operating level %s, levels above title %s" % (
        "yes" if last_printed >= col_level + 1 else "no",
        "yes" if last_printed >= col_above + 1 else "no"))


def column_points(width):
    """Excel's printed width of a column of width characters (Calibri 11), in points."""
    return (width * 12 if width < 1 else width * 7 + 5) * 0.75


def pages_across(widths, repeated, scale):
    page = (11.69 - 2 * 0.4) * 72 * 100.0 / scale * 0.98
    repeated_width = sum(widths[:repeated])
    pages, used = 1, 0.0
    for width in widths:
        if used + width > page and used > (0 if pages == 1 else repeated_width):
            pages += 1
            used = repeated_width
        used += width
    return pages


if area:
    last_col = column_index_from_string(last)
    # The widths as the sheet set them: the file stores each range's width with Excel's cell
    # padding added (libxlsxwriter: 0.7109375 characters above one character).
    chars = [8.43] * last_col
    for dim in ws.column_dimensions.values():
        if dim.width and dim.min:
            stored = dim.width - 0.7109375 if dim.width > 1.7109375 else dim.width
            for c in range(dim.min, min(dim.max, last_col) + 1):
                chars[c - 1] = 0 if dim.hidden else stored
    widths = [column_points(w) for w in chars]
    scale = ws.page_setup.scale or 100
    repeated = column_index_from_string(ws.freeze_panes.rstrip("0123456789")) - 1
    without = [w for i, w in enumerate(widths) if i not in (col_level, col_above)]
    fewest = lambda ws_: min(pages_across(ws_, repeated, sc) for sc in range(73, 101))
    print("pages across: %d at %d%%; without them: %d" % (pages_across(widths, repeated, scale),
                                                          scale, fewest(without)))
