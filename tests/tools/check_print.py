#!/usr/bin/python3
"""Checks how a nextlevel workbook prints, from its XML: every sheet's footer, the header row
each table sheet repeats, and the print scale of the sheets whose print set-up
xw_print_setup makes (src/report_xlsx.c).

    check_print.py WORKBOOK.xlsx [--confidentiality TEXT]

- Every sheet's footer holds the sheet's name (&A), "Page &P of &N" and the confidentiality
  line: TEXT when given (the template's [report] confidentiality), the default otherwise,
  with each '&' written '&&'; the footer is at most 255 characters (Excel's limit).
- Every sheet with a table repeats its header row (xl/workbook.xml's _xlnm.Print_Titles):
  the table's header row is the first row with two or more cells in the header fill.
- Body text prints at 8 pt or more: a sheet fit to one page wide needs its printed columns
  to fit the page at 73% or more; any other sheet prints at a scale of 73% or more. The
  Summary and Slate sheets (printed by their own set-up) are left to their own checks.

Prints "ok" and exits 0, or prints each problem and exits 1.
"""
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

import openpyxl

DEFAULT_CONFIDENTIALITY = "Confidential: promotion review, for leadership and HR only"
HEADER_FILL = "1F3864"
MIN_SCALE = 0.73
# Sheets that are documents of small tables, not one table: no header row belongs on every page
# (Fairness: one table per measure, whose headers differ).
DOCUMENT_SHEETS = {"Summary", "Criteria", "Pipeline", "Fairness"}
# Sheets whose print scale another set-up decides (the executive Summary and slate).
OWN_PRINT_SETUP = {"Summary", "Slate"}
# Paper sizes (portrait width x height, inches) by pageSetup paperSize.
PAPER = {1: (8.5, 11.0), 9: (8.27, 11.69)}

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def col_index(letters):
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n  # 1-based


def sheet_parts(z):
    """[(name, index, part path)] in workbook order."""
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.iter(REL + "Relationship")}
    out = []
    for i, s in enumerate(wb.find("m:sheets", NS)):
        rid = s.get("{%s}id" % NS["r"])
        out.append((s.get("name"), i, "xl/" + target[rid].lstrip("/").replace("xl/", "", 1)))
    return wb, out


def defined_names(wb):
    """{(name, sheet index): text}."""
    names = {}
    dn = wb.find("m:definedNames", NS)
    for d in ([] if dn is None else dn):
        names[(d.get("name"), int(d.get("localSheetId", -1)))] = d.text or ""
    return names


def column_points(width):
    """Excel's printed width of a column of width characters (Calibri 11), in points."""
    return (width * 12 if width < 1 else width * 7 + 5) * 0.75


def header_row(ws):
    """The 1-based row of the sheet's first table header (two or more header-fill cells)."""
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 60)):
        filled = [c for c in row if c.value is not None and c.fill is not None
                  and c.fill.fgColor is not None and isinstance(c.fill.fgColor.rgb, str)
                  and c.fill.fgColor.rgb.upper().endswith(HEADER_FILL)]
        if len(filled) >= 2:
            return row[0].row
    return None


def check_footer(name, sheet, confidentiality, problems):
    footer = sheet.find("m:headerFooter/m:oddFooter", NS)
    text = footer.text if footer is not None else ""
    if not text:
        problems.append(f"{name}: no footer")
        return
    if len(text) > 255:
        problems.append(f"{name}: footer of {len(text)} characters (Excel keeps 255)")
    if "&A" not in text:
        problems.append(f"{name}: footer does not name the sheet (&A): {text!r}")
    if "Page &P of &N" not in text:
        problems.append(f"{name}: footer has no 'Page &P of &N': {text!r}")
    escaped = confidentiality.replace("&", "&&")
    if escaped not in text:
        problems.append(f"{name}: footer lacks the confidentiality line {escaped!r}: {text!r}")


def check_titles(name, index, ws, names, problems):
    titles = names.get(("_xlnm.Print_Titles", index))
    expected = header_row(ws)
    if name == "What if":
        # Its dials come first, each with a small header; the table that runs over pages is
        # the people's, whose header starts "ID".
        expected = next((c.row for c in ws["A"] if c.value == "ID"), None)
    if name in DOCUMENT_SHEETS:
        return
    if expected is None:
        problems.append(f"{name}: no table header row found")
        return
    if titles is None:
        problems.append(f"{name}: repeats no header row (no _xlnm.Print_Titles)")
        return
    rows = re.search(r"!\$(\d+):\$(\d+)", titles)
    if rows is None:
        problems.append(f"{name}: Print_Titles {titles!r} repeats no rows")
        return
    first, last = int(rows.group(1)), int(rows.group(2))
    if not first <= expected <= last:
        problems.append(f"{name}: repeats rows {first}-{last}, but its table's header is row "
                        f"{expected}")


def check_scale(name, index, sheet, names, problems):
    if name in OWN_PRINT_SETUP:
        return
    setup = sheet.find("m:pageSetup", NS)
    setup = {} if setup is None else setup.attrib
    fit = sheet.find("m:sheetPr/m:pageSetUpPr", NS)
    fit_to_page = fit is not None and fit.get("fitToPage") in ("1", "true")
    scale = int(setup.get("scale", "100")) / 100
    if not fit_to_page:
        if scale < MIN_SCALE:
            problems.append(f"{name}: prints at {scale:.0%}: body text under 8 pt")
        return
    if setup.get("fitToHeight", "1") != "0":
        problems.append(f"{name}: fit to {setup.get('fitToHeight', '1')} page(s) tall: the "
                        "text shrinks with the rows")
    # The printed columns: the print area's, or the sheet's dimension.
    area = names.get(("_xlnm.Print_Area", index))
    ref = None
    if area:
        ref = re.search(r"!\$?([A-Z]+)\$?\d*:\$?([A-Z]+)", area)
    if ref is None:
        dim = sheet.find("m:dimension", NS).get("ref")
        ref = re.match(r"([A-Z]+)\d+(?::([A-Z]+)\d+)?", dim)
    first = col_index(ref.group(1))
    last = col_index(ref.group(2) or ref.group(1))
    widths = {}
    cols = sheet.find("m:cols", NS)
    for c in ([] if cols is None else cols):
        for i in range(int(c.get("min")), int(c.get("max")) + 1):
            widths[i] = float(c.get("width")) if c.get("hidden") not in ("1", "true") else 0
    total = sum(column_points(widths.get(i, 8.43)) for i in range(first, last + 1))
    paper = PAPER.get(int(setup.get("paperSize", "1")), PAPER[1])
    page = paper[1] if setup.get("orientation") == "landscape" else paper[0]
    margins = sheet.find("m:pageMargins", NS)
    left = float(margins.get("left")) if margins is not None else 0.7
    right = float(margins.get("right")) if margins is not None else 0.7
    printable = (page - left - right) * 72
    needed = printable / total if total else 1
    if needed < MIN_SCALE:
        problems.append(f"{name}: fit to one page wide, its columns ({total:.0f} pt) print at "
                        f"{needed:.0%}: body text under 8 pt")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = argv[1]
    confidentiality = DEFAULT_CONFIDENTIALITY
    if len(argv) == 4 and argv[2] == "--confidentiality":
        confidentiality = argv[3]
    problems = []
    book = openpyxl.load_workbook(path)
    with zipfile.ZipFile(path) as z:
        wb, parts = sheet_parts(z)
        names = defined_names(wb)
        for name, index, part in parts:
            sheet = ET.fromstring(z.read(part))
            check_footer(name, sheet, confidentiality, problems)
            check_titles(name, index, book[name], names, problems)
            check_scale(name, index, sheet, names, problems)
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"ok: {len(parts)} sheets print with their footer, header row and at 8 pt or more")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
