#!/usr/bin/python3
"""Checks the leadership part of a workbook (Summary, Slate, Pipeline) against the JSON.

usage: check_summary.py RESULTS.json WORKBOOK [--team NAME]

RESULTS.json comes from the same inputs and options as WORKBOOK (with --team, WORKBOOK is that
team's pack). Read back with openpyxl and from the chart XML:
- Summary: every header over numbers is right-aligned and the cell under it holds a number
  (Outcomes, By team, the pipeline, the balance grid); the outcome counts, and with
  --calibrate the calibrated counts, equal the JSON's; the headline line states both.
- The slate on the Summary is grouped by next level, in the template's level order, each group
  headed "LEVEL Title (n)" with n the JSON's Ready now at that next level, its people Ready now
  at that level, and "and k more" making up the rest.
- The Slate sheet lists exactly the JSON's Ready-now people, with their next level and, with
  --calibrate, their calibrated outcome.
- The scatter's axes hold every person's attainments; every outcome with people has a series
  of exactly that many rows, Ready now drawn last; the legend names carry the counts.
- Print: Summary, Slate and Pipeline are fitted to one page wide only, with a print area whose
  columns print at 73% or more (8 pt text from 11 pt), selected together, Summary active.
- Pipeline: with a performance rating on Readiness, the 9-box counts equal the ratings binned
  by outcome; the band totals equal the JSON's.
- Readiness: growth per quarter is a number, never text such as "1 (measured)".
Prints what is wrong and exits 1, or prints "ok".
"""
import json
import re
import sys
import zipfile

import openpyxl

OUTCOMES = ["Ready now", "Ready with risk", "Developing", "Not evaluated", "Top of ladder"]
BANDS = ["Ready now", "Next quarter", "In 2-3 quarters", "Later"]
# A4 landscape, openpyxl's default margins when a file sets none (libxlsxwriter's 0.7 in).
PAGE_WIDTH_IN = 11.69
MIN_SCALE = 0.73
problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def find_row(ws, text, col=1):
    for row in ws.iter_rows():
        cell = row[col - 1] if len(row) >= col else None
        if cell is not None and cell.value == text:
            return cell.row
    return None


def find_prefix(ws, prefix):
    for row in ws.iter_rows():
        if row and isinstance(row[0].value, str) and row[0].value.startswith(prefix):
            return row[0].row
    return None


def check_numeric_table(ws, header_row, label, min_rows=1):
    """Each header cell whose column holds numbers below it is right-aligned; the first column
    is the row label. Returns {header: [values]} for the body (until column A is empty)."""
    headers = {}
    for cell in ws[header_row][1:]:
        if cell.value is not None:
            headers[cell.column] = cell
    body = []
    r = header_row + 1
    while ws.cell(r, 1).value is not None:
        body.append(r)
        r += 1
    check(len(body) >= min_rows, f"{label}: no rows under the header")
    table = {}
    for col, header in headers.items():
        values = [ws.cell(r, col).value for r in body]
        table[header.value] = values
        first = ws.cell(header_row + 1, col).value
        check(is_number(first),
              f"{label}: under '{header.value}' is {first!r}, not a number")
        check(header.alignment.horizontal == "right",
              f"{label}: header '{header.value}' over numbers is aligned "
              f"{header.alignment.horizontal}, not right")
    return table, body


def col_pixels(width):
    return int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)


def print_scale(ws, label):
    """The scale fit-to-width gives the print area's columns on one landscape A4 page."""
    area = ws.print_area
    check(area is not None, f"{label}: no print area")
    if area is None:
        return None
    m = re.search(r"\$([A-Z]+)\$\d+:\$([A-Z]+)\$\d+", area if isinstance(area, str) else area[0])
    first = openpyxl.utils.column_index_from_string(m.group(1))
    last = openpyxl.utils.column_index_from_string(m.group(2))
    pixels = 0
    for c in range(first, last + 1):
        letter = openpyxl.utils.get_column_letter(c)
        dim = ws.column_dimensions.get(letter)
        width = dim.width if dim is not None and dim.width else 8.43
        # openpyxl groups equal columns under the first letter of the group
        for group in ws.column_dimensions.values():
            if group.min and group.max and group.min <= c <= group.max and group.width:
                width = group.width
        pixels += col_pixels(width)
    margins = ws.page_margins
    printable = (PAGE_WIDTH_IN - margins.left - margins.right) * 96
    return min(1.0, printable / pixels)


def check_print(wb, name):
    ws = wb[name]
    check(ws.page_setup.orientation == "landscape", f"{name}: not landscape")
    check(ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage,
          f"{name}: not fitted to the page")
    check(ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0,
          f"{name}: fit to {ws.page_setup.fitToWidth} wide by {ws.page_setup.fitToHeight} tall, "
          "not one page wide only")
    scale = print_scale(ws, name)
    if scale is not None:
        check(scale >= MIN_SCALE,
              f"{name}: the print area prints at {scale:.0%}, under {MIN_SCALE:.0%} (8 pt)")
    check(ws.sheet_view.tabSelected, f"{name}: not selected in the print set")


def chart_xml(path):
    with zipfile.ZipFile(path) as z:
        return [z.read(n).decode("utf-8") for n in sorted(z.namelist())
                if n.startswith("xl/charts/chart")]


def check_scatter(path, people, families):
    charts = [c for c in chart_xml(path) if "<c:scatterChart>" in c]
    drawn = [p for p in people if p["outcome"] != "Top of ladder" and p.get("family_attainment")
             and all(p["family_attainment"].get(f) is not None for f in families)]
    if not drawn:
        return
    check(len(charts) == 1, f"{len(charts)} scatter charts")
    if not charts:
        return
    xml = charts[0]
    mins = [float(v) for v in re.findall(r'<c:min val="([^"]+)"', xml)]
    maxs = [float(v) for v in re.findall(r'<c:max val="([^"]+)"', xml)]
    low = min(min(p["family_attainment"][f] for f in families) for p in drawn)
    high = max(max(p["family_attainment"][f] for f in families) for p in drawn)
    check(len(mins) == 2 and all(m <= low for m in mins),
          f"scatter axis minimum {mins} leaves out attainments down to {low}")
    check(len(maxs) == 2 and all(m >= high for m in maxs),
          f"scatter axis maximum {maxs} leaves out attainments up to {high}")
    series = re.findall(r"<c:ser>(.*?)</c:ser>", xml, re.S)
    names = []
    for s in series:
        name = re.search(r"<c:v>([^<]*)</c:v>", s) or re.search(r"<a:t>([^<]*)</a:t>", s)
        names.append(name.group(1) if name else "")
        ref = re.search(r"<c:yVal>.*?<c:f>[^!]*!\$[A-Z]+\$(\d+):\$[A-Z]+\$(\d+)</c:f>", s, re.S)
        rows = int(ref.group(2)) - int(ref.group(1)) + 1 if ref else 0
        outcome = next((o for o in OUTCOMES if names[-1].startswith(o)), None)
        want = sum(1 for p in people if p["outcome"] == outcome)
        check(rows == want, f"scatter series {names[-1]!r} spans {rows} rows, {want} people")
        check(names[-1] == f"{outcome} ({want})",
              f"scatter legend {names[-1]!r}, expected '{outcome} ({want})'")
    for o in OUTCOMES[:4]:
        count = sum(1 for p in people if p["outcome"] == o)
        check(count == 0 or any(n.startswith(o) for n in names),
              f"scatter: no series for {o} ({count} people)")
    if any(p["outcome"] == "Ready now" for p in people):
        check(names and names[-1].startswith("Ready now"),
              f"scatter: Ready now is not drawn last (series {names})")


def check_outcomes(ws, summary, calibrated):
    row = find_row(ws, "Outcomes")
    check(row is not None, "Summary: no Outcomes section")
    if row is None:
        return
    table, body = check_numeric_table(ws, row + 1, "Summary Outcomes")
    labels = [ws.cell(r, 1).value for r in body]
    counts = dict(zip(labels, table.get("People", [])))
    for o in OUTCOMES:
        check(counts.get(o) == summary[o], f"Summary {o}: {counts.get(o)} != {summary[o]}")
    for o, share in zip(labels, table.get("Share", [])):
        if o in OUTCOMES:
            cell = ws.cell(body[labels.index(o)], 3)
            check(cell.number_format == "0.0%", f"Summary share of {o}: {cell.number_format}")
    if calibrated is None:
        check("Calibrated" not in table, "Summary shows calibrated counts without --calibrate")
        return
    cal = dict(zip(labels, table.get("Calibrated", [])))
    for o in OUTCOMES:
        check(cal.get(o) == calibrated[o],
              f"Summary calibrated {o}: {cal.get(o)} != the JSON's {calibrated[o]}")
    headline = f"{summary['Ready now']} Ready now; {calibrated['Ready now']} once calibrated"
    lines = [ws.cell(r, 1).value for r in body]
    check(any(isinstance(v, str) and v.startswith(headline) for v in lines),
          f"Summary: no headline line starting '{headline}'")


def check_teams(ws):
    row = find_row(ws, "By team")
    check(row is not None, "Summary: no By team section")
    if row is not None:
        check_numeric_table(ws, row + 1, "Summary By team")


def check_pipeline_row(ws, summary):
    row = find_row(ws, "Readiness pipeline")
    check(row is not None, "Summary: no Readiness pipeline section")
    if row is None:
        return
    table, body = check_numeric_table(ws, row + 1, "Summary pipeline")
    for band in BANDS:
        got = table.get(band, [None])[0]
        check(got == summary["bands"][band],
              f"Summary pipeline {band}: {got} != the JSON's {summary['bands'][band]}")


def outcome_rows(ws):
    """The rows of the Outcomes table (column A names an outcome), whose fills are the
    outcome colours."""
    names = {"Ready now", "Ready with risk", "Developing", "Not evaluated", "Top of ladder"}
    return [r for r in range(1, 40) if ws.cell(r, 1).value in names]


def check_grid(ws):
    row = find_prefix(ws, "Balance:")
    if row is None:
        return
    header = row + 1
    bands = 0
    for r in range(header + 1, header + 8):
        label = ws.cell(r, 1).value
        if not isinstance(label, str) or not label.startswith(("low", "mid", "high")):
            continue
        bands += 1
        for c in range(2, 5):
            value = ws.cell(r, c).value
            check(is_number(value), f"balance grid {label} col {c}: {value!r} is not a number")
            fill = ws.cell(r, c).fill.fgColor.rgb
            outcome_fills = {ws.cell(o, 1).fill.fgColor.rgb for o in outcome_rows(ws)}
            check(fill not in outcome_fills, f"balance grid {label}: an outcome's fill {fill}")
        check(ws.cell(header, 2).alignment.horizontal == "right",
              "balance grid: count headers are not right-aligned")
    check(bands == 3, f"balance grid: {bands} band rows")


def level_order(results):
    """Level ids in the template's order, from the JSON's level table."""
    return [lv["level"] for lv in results["summary"]["levels"]]


def check_summary_slate(ws, ready, order):
    row = find_row(ws, "Promotion slate")
    check(row is not None, "Summary: no Promotion slate section")
    if row is None:
        return
    by_level = {}
    for p in ready:
        by_level.setdefault(p["next_level"], []).append(p)
    header = row + 2 if ready else None
    if header is None:
        return
    check(ws.cell(header, 1).value == "Next level" and ws.cell(header, 2).value == "Name",
          "Summary slate: no 'Next level, Name' header")
    groups, current = [], None
    r = header + 1
    while ws.cell(r, 1).value is not None or ws.cell(r, 2).value is not None:
        a, b = ws.cell(r, 1).value, ws.cell(r, 2).value
        if isinstance(a, str) and a.startswith("and ") and "more" in a:
            current["more"] = int(a.split()[1])
            a = None
        if a is not None:
            m = re.match(r"(\S+) .*\((\d+)\)$", a)
            check(m is not None, f"Summary slate: group label {a!r}")
            current = {"level": m.group(1) if m else a, "count": int(m.group(2)) if m else -1,
                       "names": [], "more": 0}
            groups.append(current)
        if isinstance(b, str) and b.startswith("and ") and "more" in b:
            current["more"] = int(b.split()[1])
        elif current is not None:
            current["names"].append(b)
        r += 1
    levels = [g["level"] for g in groups]
    check(sorted(levels, key=order.index) == levels and len(set(levels)) == len(levels),
          f"Summary slate: groups {levels} not once each in level order")
    check(set(levels) == set(by_level), f"Summary slate: groups {levels}, JSON {sorted(by_level)}")
    for g in groups:
        people = by_level.get(g["level"], [])
        check(g["count"] == len(people),
              f"Summary slate {g['level']}: says {g['count']}, JSON {len(people)} Ready now")
        # The workbook writes a name's line breaks and tabs as spaces (one line per name).
        names = {re.sub(r"[\r\n\t]", " ", p["name"]) for p in people}
        check(all(n in names for n in g["names"]),
              f"Summary slate {g['level']}: {g['names']} not all Ready now for {g['level']}")
        check(len(g["names"]) + g["more"] == len(people),
              f"Summary slate {g['level']}: {len(g['names'])} shown + {g['more']} more "
              f"!= {len(people)}")


def check_slate_sheet(wb, ready, calibrated):
    check("Slate" in wb.sheetnames, "no Slate sheet")
    if "Slate" not in wb.sheetnames:
        return
    ws = wb["Slate"]
    row = find_prefix(ws, "Everyone on the slate")
    check(row is not None, "Slate: no 'Everyone on the slate' table")
    if row is None:
        return
    header = {c.value: c.column for c in ws[row + 1] if c.value is not None}
    rows = []
    r = row + 2
    while ws.cell(r, header["ID"]).value is not None:
        rows.append(r)
        r += 1
    ids = [ws.cell(r, header["ID"]).value for r in rows]
    want = {p["id"]: p for p in ready}
    check(sorted(ids) == sorted(want),
          f"Slate lists {len(ids)} people, the JSON {len(want)} Ready now: "
          f"{sorted(set(ids) ^ set(want))}")
    for r in rows:
        p = want.get(ws.cell(r, header["ID"]).value)
        if p is None:
            continue
        level = ws.cell(r, header["Next level"]).value or ""
        check(level.split(" ")[0] == p["next_level"], f"Slate {p['id']}: next level {level}")
        if calibrated:
            got = ws.cell(r, header["Calibrated outcome"]).value
            check(got == p["calibration"]["outcome"],
                  f"Slate {p['id']}: calibrated {got}, JSON {p['calibration']['outcome']}")
        rank = ws.cell(r, header["Rank"]).value
        check(is_number(rank), f"Slate {p['id']}: rank {rank!r}")


def check_nine_box(wb, people):
    ws = wb["Readiness"]
    header = {c.value: c.column for c in ws[1] if c.value is not None}
    if "Performance rating" not in header:
        return
    expected = {o: [0, 0, 0] for o in OUTCOMES[:3]}
    for row in ws.iter_rows(min_row=2):
        outcome = row[header["Outcome"] - 1].value
        rating = row[header["Performance rating"] - 1].value
        if outcome in expected and rating is not None:
            expected[outcome][0 if rating < 2.5 else 1 if rating < 3.5 else 2] += 1
    pipe = wb["Pipeline"]
    row = find_prefix(pipe, "Readiness against performance")
    check(row is not None, "Pipeline: no 9-box though Readiness has performance ratings")
    if row is None:
        return
    table, body = check_numeric_table(pipe, row + 1, "Pipeline 9-box")
    got = {pipe.cell(r, 1).value: [pipe.cell(r, c).value for c in (2, 3, 4)] for r in body}
    total = 0
    for o in OUTCOMES[:3]:
        check(got.get(o) == expected[o], f"9-box {o}: {got.get(o)} != ratings {expected[o]}")
        total += sum(got.get(o) or [])
    rated = sum(sum(v) for v in expected.values())
    check(total == rated, f"9-box holds {total}, {rated} people evaluated have a rating")


def check_growth(wb):
    ws = wb["Readiness"]
    header = {c.value: c.column for c in ws[1] if c.value is not None}
    col = header.get("Growth per quarter (score points)")
    check(col is not None, "Readiness: no growth column")
    if col is None:
        return
    for row in ws.iter_rows(min_row=2, min_col=col, max_col=col, values_only=True):
        check(row[0] is None or is_number(row[0]), f"Readiness growth {row[0]!r} is text")


def main():
    args = sys.argv[1:]
    if len(args) not in (2, 4):
        print(__doc__)
        return 2
    team = args[args.index("--team") + 1] if "--team" in args else None
    with open(args[0], encoding="utf-8") as f:
        results = json.load(f)
    wb = openpyxl.load_workbook(args[1], data_only=True)
    people = [p for p in results["people"] if team is None or (p["team"] or "(no team)") == team]
    summary = dict(results["summary"])
    if team is not None:
        t = next(t for t in summary["teams"] if t["team"] == team)
        summary.update(t["outcomes"])
        summary["bands"] = {b: sum(1 for p in people if p["band"]["name"] == b) for b in BANDS}
    calibrated = results["summary"].get("calibrated")
    if calibrated is not None and team is not None:
        calibrated = {o: sum(1 for p in people if p["calibration"]["outcome"] == o)
                      for o in OUTCOMES}
    ready = [p for p in people if p["outcome"] == "Ready now"]
    ws = wb["Summary"]
    check_outcomes(ws, summary, calibrated)
    check_teams(ws)
    check_pipeline_row(ws, summary)
    check_grid(ws)
    check_summary_slate(ws, ready, level_order(results))
    check_slate_sheet(wb, ready, calibrated is not None)
    families = re.findall(r"Attainment: (\S+) against (\S+)",
                          " ".join(chart_xml(args[1])))
    if families:
        check_scatter(args[1], people, list(families[0]))
    for name in ("Summary", "Slate", "Pipeline"):
        if name in wb.sheetnames:
            check_print(wb, name)
        else:
            check(False, f"no {name} sheet in the print set")
    check(wb.active.title == "Summary", f"the active sheet is {wb.active.title}")
    others = [ws.title for ws in wb.worksheets
              if ws.sheet_view.tabSelected and ws.title not in ("Summary", "Slate", "Pipeline")]
    check(not others, f"sheets selected beyond the print set: {others}")
    if "Pipeline" in wb.sheetnames:
        check_nine_box(wb, people)
    check_growth(wb)
    if problems:
        for p in problems[:60]:
            print(p)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
