#!/usr/bin/python3
"""The What if sheet of a workbook, read without recalculating: its place, its dials (unlocked,
validated, under sheet protection without a password), its formulas (only functions every
spreadsheet program computes) and its cached values, which must be the run's own results as the
JSON of the same run states them (outcome, readiness score, slate mark per person).

usage: check_whatif_sheet.py WORKBOOK RESULTS_JSON [--candidates-only] [--teams N]
                              [--thresholds KEY,KEY...]
Prints "ok" and a count, or the problems found; exit 1 on a problem."""

import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

import openpyxl

# Functions Excel 2010, LibreOffice 7 and Google Sheets all compute, and no others.
WHITELIST = {"IF", "AND", "OR", "SUM", "SUMPRODUCT", "ISNUMBER", "MIN", "MAX", "CHOOSE",
             "LARGE", "COUNTIF", "ROUND", "ABS", "N"}
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
OUTCOMES = ["Ready now", "Ready with risk", "Developing", "Not evaluated", "Top of ladder"]


def main():
    args = sys.argv[1:]
    path, results_path = args[0], args[1]
    candidates_only = "--candidates-only" in args
    teams = int(args[args.index("--teams") + 1]) if "--teams" in args else 0
    keys = args[args.index("--thresholds") + 1].split(",") if "--thresholds" in args else None
    problems = []

    def check(ok, message):
        if not ok:
            problems.append(message)

    # Every formula of every sheet, straight from the XML: its functions, and where it is.
    formula_sheets = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                ET.fromstring(z.read(name))  # every part parses
        book = ET.fromstring(z.read("xl/workbook.xml"))
        names = [s.get("name") for s in book.find("m:sheets", NS)]
        for i, sheet_name in enumerate(names, 1):
            root = ET.fromstring(z.read(f"xl/worksheets/sheet{i}.xml"))
            formulas = [f.text or "" for f in root.iter(f"{{{NS['m']}}}f")]
            formula_sheets[sheet_name] = len(formulas)
            for text in formulas:
                for function in re.findall(r"([A-Z][A-Z0-9.]*)\(", re.sub(r'"[^"]*"', "", text)):
                    check(function in WHITELIST, f"{sheet_name}: {function} is not whitelisted")
            if sheet_name == "What if":
                protection = root.find("m:sheetProtection", NS)
                check(protection is not None and protection.get("sheet") == "1",
                      "What if: not protected")
                check(protection is None or protection.get("password") is None,
                      "What if: protected with a password")
    check(names[:2] == ["Summary", "What if"], f"sheets {names[:3]}: What if is not second")
    check(set(formula_sheets) >= {"What if"} and
          all(n == 0 for s, n in formula_sheets.items() if s not in ("What if", "Summary")),
          f"formulas outside What if and Summary: {formula_sheets}")

    wb = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    ws, values = wb["What if"], cached["What if"]
    column_a = [c.value for c in ws["A"]]
    row_of = {v: i + 1 for i, v in reversed(list(enumerate(column_a))) if isinstance(v, str)}

    # The dials: unlocked and validated, everything else locked.
    validated = set()
    for dv in ws.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            for row in ws.iter_rows(min_row=cell_range.min_row, max_row=cell_range.max_row,
                                    min_col=cell_range.min_col, max_col=cell_range.max_col):
                validated.update(c.coordinate for c in row)
    weight_row = row_of["Weight"]
    inputs = [c for c in ws[weight_row][1:] if c.value is not None]
    gate_header = row_of.get("Gate")
    threshold_keys = []
    if gate_header:
        r = gate_header + 1
        while ws.cell(r, 1).value:
            inputs.append(ws.cell(r, 2))
            threshold_keys.append(ws.cell(r, 4).value)
            r += 1
    scope = row_of["Scope"] + 1
    budget_rows = 0
    while ws.cell(scope + budget_rows, 1).value:
        inputs.append(ws.cell(scope + budget_rows, 2))
        budget_rows += 1
    for cell in inputs:
        check(cell.protection.locked is False, f"What if {cell.coordinate}: a dial is locked")
        check(cell.coordinate in validated, f"What if {cell.coordinate}: a dial without validation")
    check(budget_rows == (teams or 1), f"budget rows {budget_rows}, expected {teams or 1}")
    if keys is not None:
        check(threshold_keys == keys, f"threshold inputs {threshold_keys}, expected {keys}")

    # The people: every formula cell locked, cached values the run's.
    header_row = row_of["ID"]
    header = [c.value for c in ws[header_row]]
    col = {h: i for i, h in enumerate(header)}
    results = json.load(open(results_path, encoding="utf-8"))
    people = {p["id"]: p for p in results["people"]}
    seen = 0
    for row, vrow in zip(ws.iter_rows(min_row=header_row + 1), values.iter_rows(min_row=header_row + 1)):
        if row[0].value is None:
            continue
        seen += 1
        pid = row[0].value
        p = people.get(pid)
        if p is None:
            problems.append(f"What if: {pid} is not in the results")
            continue
        for name in ("Outcome", "Score", "Slate"):
            cell = row[col[name]]
            check(cell.data_type == "f" or p["outcome"] == "Top of ladder",
                  f"{pid}: {name} is not a formula")
            check(cell.protection.locked is not False, f"{pid}: {name} is unlocked")
        outcome = vrow[col["Outcome"]].value
        check(outcome == p["outcome"], f"{pid}: cached outcome {outcome!r}, run {p['outcome']!r}")
        check(outcome == vrow[col["Outcome as run"]].value, f"{pid}: outcome differs from as run")
        score, expected = vrow[col["Score"]].value, p.get("readiness_score")
        if expected is None:
            check(score in (None, ""), f"{pid}: cached score {score!r}, run none")
        else:
            check(isinstance(score, (int, float)) and
                  abs(score - expected) <= 1e-9 * max(1.0, abs(expected)),
                  f"{pid}: cached score {score!r}, run {expected!r}")
        slate = vrow[col["Slate"]].value or ""
        check(slate == (p.get("on_slate") or ""), f"{pid}: cached slate {slate!r}, run {p.get('on_slate')!r}")
    expected_rows = sum(1 for p in results["people"]
                        if not candidates_only or p["outcome"] in OUTCOMES[:2])
    check(seen == expected_rows, f"What if: {seen} people, expected {expected_rows}")
    note = any(isinstance(v, str) and "candidates only" in v for v in column_a[:6])
    check(note == candidates_only, f"What if: the candidates-only note is {'absent' if not note else 'there'}")

    # The Summary's counts read the What if sheet's, with the same cached values.
    summary = wb["Summary"]
    live = [c for row in summary.iter_rows() for c in row
            if c.data_type == "f" and "What if" in str(c.value)]
    check((len(live) == len(OUTCOMES)) != candidates_only,
          f"Summary: {len(live)} counts read the What if sheet (candidates only: {candidates_only})")

    if problems:
        print("\n".join(problems[:40]))
        return 1
    print(f"ok: {seen} people, {sum(formula_sheets.values())} formulas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
