#!/usr/bin/env python3
"""Checks the Calibration and Fairness sheets of a workbook as a reader sees them (issue 14).

usage: check_review14.py XLSX [--calibrated] [--json JSON] [--no-fairness-flags]

Calibration: every manager adjusted (Adjustment not 0) is flagged, and every flagged manager is
adjusted or its "Adjusted, and why" cell says why not; that cell agrees with the Adjustment;
the rows are sorted by |z|, largest first; an autofilter covers the table; a chart is drawn on
the sheet; numeric headers are right-aligned over their numbers; z and the adjustment are
shown 0.00, shares 0.0%. With --calibrated the sheet must say the adjustment was applied.

Fairness (when the sheet exists): one table per measure, under a heading naming it, both of the
same groups; the notes above are wrapped in ranges merged over the tables' width; the reference
group is a real group (never "(not given)" or "Other (small groups)"); each flag names its ratio
("Ready now ratio" / "Ready now or with risk ratio"); rates are shown 0.0%, ratios 0.00, p
0.000 (or "<0.001"); every flag has its ratio under the threshold and a p under 0.05 shown
beside it; with --no-fairness-flags no group may be flagged.

With --json, the JSON of the same run must agree: the managers adjusted are those flagged with
a non-zero adjustment, and the calibrated counts of the summary are the people's calibrated
outcomes counted.

Prints "ok" or one line per problem (exit 1).
"""
import json
import re
import sys
import zipfile
import posixpath

import openpyxl

problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


def table(ws, first_header):
    """The header cells and the rows below a header row whose first cell is first_header, up
    to the first empty row."""
    rows = list(ws.iter_rows())
    for i, row in enumerate(rows):
        if row and row[0].value == first_header:
            header = [c for c in row if c.value is not None]
            body = []
            for r in rows[i + 1:]:
                if not r or r[0].value is None:
                    break
                body.append(r)
            return i + 1, header, body
    return None, [], []


def column(header, name):
    for k, c in enumerate(header):
        if c.value == name:
            return k
    problems.append(f"no column '{name}' (columns: {[c.value for c in header]})")
    return None


def sheet_has_chart(path, sheet_name):
    """Whether the sheet's drawing holds a chart (openpyxl drops charts when it reads)."""
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        m = re.search(r'<sheet name="%s" sheetId="\d+" r:id="(rId\d+)"' % re.escape(sheet_name),
                      workbook)
        if not m:
            return False
        target = re.search(r'Id="%s"[^>]*Target="([^"]+)"' % m.group(1), rels) or \
            re.search(r'Target="([^"]+)"[^>]*Id="%s"' % m.group(1), rels)
        sheet_path = posixpath.join("xl", target.group(1))
        sheet_rels = posixpath.join(posixpath.dirname(sheet_path), "_rels",
                                    posixpath.basename(sheet_path) + ".rels")
        if sheet_rels not in z.namelist():
            return False
        for drawing in re.findall(r'Target="([^"]*drawing[^"]*)"', z.read(sheet_rels).decode()):
            drawing_path = posixpath.normpath(posixpath.join(posixpath.dirname(sheet_path),
                                                             drawing))
            drawing_rels = posixpath.join(posixpath.dirname(drawing_path), "_rels",
                                          posixpath.basename(drawing_path) + ".rels")
            if drawing_rels in z.namelist() and "chart" in z.read(drawing_rels).decode():
                return True
    return False


def numeric(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_numeric_headers(header, body, label):
    for k, h in enumerate(header):
        values = [r[k].value for r in body if k < len(r)]
        if values and all(v is None or numeric(v) for v in values) and \
                any(numeric(v) for v in values):
            check(h.alignment.horizontal == "right",
                  f"{label}: header '{h.value}' over numbers is not right-aligned")


def check_calibration(wb, path, calibrated):
    ws = wb["Calibration"]
    header_row, header, body = table(ws, "Manager")
    check(header_row is not None, "Calibration: no table headed 'Manager'")
    if header_row is None:
        return
    notes = " ".join(str(r[0].value) for r in ws.iter_rows(max_row=header_row - 1) if r[0].value)
    if calibrated:
        check("Applied (--calibrate)" in notes, "Calibration: does not say it was applied")
    flag, z, adjustment, why = (column(header, n) for n in
                                ("Flag", "z", "Adjustment", "Adjusted, and why"))
    share = column(header, "Ready now share")
    if None in (flag, z, adjustment):
        return
    check(len(body) > 0, "Calibration: no manager rows")
    for r in body:
        name, f, a = r[0].value, r[flag].value or "", r[adjustment].value
        y = (r[why].value or "") if why is not None else ""
        adjusted = numeric(a) and a != 0
        if adjusted:
            check(f in ("lenient", "severe"), f"Calibration: {name} adjusted by {a} but not flagged")
        if adjusted and why is not None:
            check(y.startswith("adjusted:"), f"Calibration: {name} adjusted by {a}, says '{y}'")
        elif why is not None:
            check(y.startswith("not adjusted:"), f"Calibration: {name} not adjusted, says '{y}'")
        if f:
            check(adjusted or y.startswith("not adjusted: flagged"),
                  f"Calibration: {name} flagged {f} but neither adjusted nor saying why not")
        check(r[z].value is None or r[z].number_format == "0.00",
              f"Calibration: z of {name} shown as '{r[z].number_format}'")
        check(r[adjustment].number_format == "0.00",
              f"Calibration: adjustment of {name} shown as '{r[adjustment].number_format}'")
        check(share is None or r[share].value is None or r[share].number_format == "0.0%",
              f"Calibration: Ready now share of {name} shown as '{r[share].number_format}'")
    effects = [abs(r[z].value) if numeric(r[z].value) else -1 for r in body]
    check(effects == sorted(effects, reverse=True),
          f"Calibration: rows not sorted by |z|, largest first: {effects[:12]}")
    ref = ws.auto_filter.ref
    check(bool(ref), "Calibration: no autofilter")
    if ref:
        first = openpyxl.utils.cell.range_boundaries(ref)
        check(first[1] == header_row and first[3] >= header_row + len(body),
              f"Calibration: autofilter {ref} does not cover the table from row {header_row}")
    check(sheet_has_chart(path, "Calibration"), "Calibration: no chart on the sheet")
    check_numeric_headers(header, body, "Calibration")


FAIRNESS_MEASURES = ("Ready now", "Ready now or with risk")


def measure_table(ws, measure):
    """The header row, header cells and rows of the Fairness table under the heading naming
    measure (column A, the header row headed "Group" right below it)."""
    rows = list(ws.iter_rows())
    for i, row in enumerate(rows[:-1]):
        if row and row[0].value == measure and rows[i + 1][0].value == "Group":
            header = [c for c in rows[i + 1] if c.value is not None]
            body = []
            for r in rows[i + 2:]:
                if not r or r[0].value is None:
                    break
                body.append(r)
            return i + 2, header, body
    return None, [], []


def check_fairness_notes(ws, width):
    """Every line of text above the first table is wrapped in a range merged over the table's
    width (columns A to the last header), so that none runs right of the table or off the
    page."""
    merged = {r.min_row: r for r in ws.merged_cells.ranges}
    for row in ws.iter_rows(min_row=2):
        text = row[0].value
        if text in FAIRNESS_MEASURES:
            break
        if not isinstance(text, str):
            continue
        r = merged.get(row[0].row)
        check(r is not None and r.min_col == 1 and r.max_col == width,
              f"Fairness: note '{text[:40]}...' is not merged over the table's {width} columns")
        check(row[0].alignment.wrap_text, f"Fairness: note '{text[:40]}...' does not wrap")


def check_fairness(wb, no_flags):
    if "Fairness" not in wb.sheetnames:
        return
    ws = wb["Fairness"]
    groups = []
    for m in FAIRNESS_MEASURES:
        header_row, header, body = measure_table(ws, m)
        check(header_row is not None, f"Fairness: no table headed 'Group' under '{m}'")
        if header_row is None:
            continue
        if m == FAIRNESS_MEASURES[0]:
            check_fairness_notes(ws, len(header))
        groups.append([r[0].value for r in body])
        count, rate, ratio, p, flag = (column(header, name) for name in
                                       (m, "Rate", "Ratio to reference", "p", "Flag"))
        adjusted = next((k for k, h in enumerate(header)
                         if str(h.value).startswith("p ") and h.value != "p"), None)
        if None in (count, rate, ratio, p, flag):
            continue
        decisive = adjusted if adjusted is not None else p
        check(flag == decisive + 1, f"Fairness: the p the flag reads is not beside the {m} Flag")
        # Seen on the rendered page: the flag's text ran into the right-aligned p beside it
        # ("1.000low ratio"). The Flag header and its texts are indented.
        check((header[flag].alignment.indent or 0) >= 1,
              f"Fairness: the {m} Flag header touches the p header beside it")
        for r in body:
            check(not r[flag].value or (r[flag].alignment.indent or 0) >= 1,
                  f"Fairness: {m} flag of {r[0].value} runs into the p beside it")
        for r in body:
            group, text = r[0].value, r[flag].value or ""
            check(r[rate].value is None or r[rate].number_format == "0.0%",
                  f"Fairness: {m} rate of {group} shown as '{r[rate].number_format}'")
            check(r[ratio].value is None or r[ratio].number_format == "0.00",
                  f"Fairness: {m} ratio of {group} shown as '{r[ratio].number_format}'")
            for k in (p, decisive):
                check(r[k].value is None or r[k].number_format.startswith("[<0.001]"),
                      f"Fairness: {m} p of {group} shown as '{r[k].number_format}'")
            if text.startswith("reference"):
                check(group not in ("(not given)", "Other (small groups)"),
                      f"Fairness: the {m} reference is '{group}', not a real group")
            if text.startswith("FLAG"):
                check(f"{m} ratio" in text and (m != "Ready now" or "or with risk" not in text),
                      f"Fairness: {group}'s flag '{text}' does not name the {m} ratio")
                pv = r[decisive].value
                check(numeric(pv) and pv < 0.05,
                      f"Fairness: {group} flagged on {m} with p {pv} beside it")
                check(numeric(r[ratio].value) and r[ratio].value < 0.8,
                      f"Fairness: {group} flagged on {m} with ratio {r[ratio].value}")
                check(not no_flags, f"Fairness: {group} flagged on {m} ({text}) in random data")
        check(any((r[flag].value or "").startswith("reference") for r in body) or
              all(r[0].value in ("(not given)", "Other (small groups)") for r in body),
              f"Fairness: no {m} reference group marked")
        check_numeric_headers(header, body, f"Fairness ({m})")
    check(len(groups) < 2 or groups[0] == groups[1],
          f"Fairness: the two tables list other groups: {groups}")


def check_json(path):
    with open(path, encoding="utf-8") as f:
        results = json.load(f)
    c = results["calibration"]
    managers = c["managers"]
    for m in managers:
        check((m["adjustment"] not in (0, None)) == m["adjusted"],
              f"JSON: {m['manager']} adjustment {m['adjustment']}, adjusted {m['adjusted']}")
        check(not m["adjusted"] or m["flag"], f"JSON: {m['manager']} adjusted, not flagged")
    check(c["adjusted"] == sum(m["adjusted"] for m in managers), "JSON: adjusted count")
    check(c["flagged"] == sum(1 for m in managers if m["flag"]), "JSON: flagged count")
    if c["applied"]:
        counted = {}
        for p in results["people"]:
            o = p["calibration"]["outcome"]
            counted[o] = counted.get(o, 0) + 1
        for o, n in results["summary"]["calibrated"].items():
            check(counted.get(o, 0) == n, f"JSON: calibrated {o} {n}, people say {counted.get(o, 0)}")
    f = results.get("fairness")
    if f:
        for key in ("ready_now_reference", "ready_or_risk_reference"):
            check(f[key] not in ("(not given)", "Other (small groups)"), f"JSON: {key} {f[key]}")


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        print(__doc__)
        return 2
    path = args[0]
    wb = openpyxl.load_workbook(path, data_only=True)
    check_calibration(wb, path, "--calibrated" in args)
    check_fairness(wb, "--no-fairness-flags" in args)
    if "--json" in args:
        check_json(args[args.index("--json") + 1])
    if problems:
        print("\n".join(problems[:40]))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
