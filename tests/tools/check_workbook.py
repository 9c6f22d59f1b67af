#!/usr/bin/python3
"""Checks a nextlevel workbook with an independent reader (openpyxl).

usage: check_workbook.py WORKBOOK RESULTS.json [--team NAME] [--template TEMPLATE]

RESULTS.json is `nextlevel evaluate --format json` over the same inputs: the workbook must hold
exactly its people (once each, on Readiness) and its rejected rows. Prints what is wrong and
exits 1, or prints "ok" and exits 0.
"""
import hashlib
import json
import sys

import openpyxl

SHEETS = ["Summary", "Slate", "Pipeline", "Readiness", "Gates", "Skill gaps", "Development plans",
          "Calibration", "Rejected rows", "Criteria"]
# The colour-blind-safe outcome palette (src/report_xlsx.c; checked by check_look.py).
OUTCOME_FILLS = {"Ready now": "FF009988", "Ready with risk": "FFDDCC77",
                 "Developing": "FFCC3311", "Not evaluated": "FFE0E0E0",
                 "Top of ladder": "FF332288"}
ORDER = ["Ready now", "Ready with risk", "Developing", "Not evaluated", "Top of ladder"]

problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


def header_index(ws):
    return {cell.value: i for i, cell in enumerate(ws[1]) if cell.value is not None}


def data_rows(wb, base):
    """Rows below the header of a sheet and of its continuations "Base (2)", ..."""
    rows = []
    for name in wb.sheetnames:
        if name == base or (name.startswith(base + " (") and name.endswith(")")):
            rows.extend(list(wb[name].iter_rows(min_row=2))[: wb[name].max_row - 1])
    return rows


def main():
    args = sys.argv[1:]
    path, results_path = args[0], args[1]
    team = args[args.index("--team") + 1] if "--team" in args else None
    template = args[args.index("--template") + 1] if "--template" in args else None
    results = json.load(open(results_path, encoding="utf-8"))
    people = [p for p in results["people"] if team is None or p["team"] == team]
    # The Summary's counts are formulas over the What if sheet: their cached values are read.
    wb = openpyxl.load_workbook(path, data_only=True)

    names = [n for n in wb.sheetnames if " (" not in n]
    expected_sheets = list(SHEETS)
    if "Trend" in names:  # with last quarter, after Calibration
        expected_sheets.insert(expected_sheets.index("Calibration") + 1, "Trend")
    if "What if" in names:  # whole-organisation workbooks from the command line, after Summary
        expected_sheets.insert(1, "What if")
    if "Fairness" in names:  # with a [fairness] group column, before Rejected rows
        expected_sheets.insert(expected_sheets.index("Rejected rows"), "Fairness")
    check(names == expected_sheets, f"sheets {wb.sheetnames}, expected {expected_sheets}")

    ws = wb["Readiness"]
    col = header_index(ws)
    for needed in ["ID", "Name", "Outcome", "Readiness score", "Top reasons", "Mitigations",
                   "Priorities", "Tipping weight", "Distance to ready (score points)"]:
        check(needed in col, f"Readiness has no column {needed}")
    check(ws.freeze_panes == "C2", f"Readiness freeze panes {ws.freeze_panes}, expected C2")
    check(ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A1:"),
          f"Readiness autofilter {ws.auto_filter.ref}")
    rows = data_rows(wb, "Readiness")
    ids = [r[col["ID"]].value for r in rows if r[col["ID"]].value is not None]
    expected_ids = [p["id"] for p in people]
    check(len(ids) == len(set(ids)), "a person appears twice on Readiness")
    check(sorted(ids) == sorted(expected_ids),
          f"Readiness people differ from the results: {sorted(set(ids) ^ set(expected_ids))}")
    by_id = {p["id"]: p for p in people}
    last_rank, last_score = -1, None
    for r in rows:
        pid = r[col["ID"]].value
        if pid not in by_id:
            continue
        p = by_id[pid]
        outcome_cell = r[col["Outcome"]]
        check(outcome_cell.value == p["outcome"], f"{pid}: outcome {outcome_cell.value}")
        fill = outcome_cell.fill.fgColor.rgb
        check(fill == OUTCOME_FILLS[p["outcome"]], f"{pid}: outcome fill {fill}")
        score = r[col["Readiness score"]]
        if "readiness_score" in p and p["readiness_score"] is not None:
            check(abs(score.value - p["readiness_score"]) < 1e-3,
                  f"{pid}: readiness {score.value} vs {p['readiness_score']}")
            check(score.number_format == "0.0", f"{pid}: score format {score.number_format}")
        rank = ORDER.index(p["outcome"])
        check(rank >= last_rank, f"{pid}: Readiness is not sorted by outcome")
        if rank == last_rank and score.value is not None and last_score is not None:
            check(score.value <= last_score + 1e-9, f"{pid}: not sorted by score")
        last_rank, last_score = rank, score.value
        for family, value in p.get("family_attainment", {}).items():
            name = family[0].upper() + family[1:] + " attainment"
            cell = r[col[name]]
            if value is not None:
                check(abs(cell.value - value) < 1e-6, f"{pid}: {name}")
                check(cell.number_format == "0.0%", f"{pid}: {name} format {cell.number_format}")

    rejected = [r for r in data_rows(wb, "Rejected rows")]
    if team is None:
        expected = results["rejected"]
        if expected:
            got = [(r[0].value, r[1].value, r[2].value or 0) for r in rejected]
            want = [(x["file"], x["line"], x["column"]) for x in expected]
            check(got == want, f"Rejected rows {got} differ from {want}")
        else:
            check(len(rejected) == 1 and str(rejected[0][0].value).startswith("none"),
                  "Rejected rows should say none")

    gates = data_rows(wb, "Gates")
    gate_count = sum(len(p["tracks"][0]["gates"]) if p["tracks"] else 0 for p in people)
    check(len([g for g in gates if g[0].value]) == gate_count or gate_count == 0,
          f"Gates has {len(gates)} rows, expected {gate_count}")

    summary = wb["Summary"]
    counts = {}
    for r in summary.iter_rows(values_only=True):
        if r[0] in ORDER and isinstance(r[1], (int, float)) and r[0] not in counts:
            counts[r[0]] = r[1]
    for outcome in ORDER:
        want = sum(1 for p in people if p["outcome"] == outcome)
        check(counts.get(outcome) == want, f"Summary {outcome}: {counts.get(outcome)} vs {want}")
    check(len(summary._charts) >= 1, "Summary has no chart")

    criteria = wb["Criteria"]
    values = {r[0]: r[1] for r in criteria.iter_rows(values_only=True) if r[0]}
    check(str(values.get("Tool", "")).startswith("nextlevel"), "Criteria names no tool")
    if template:
        digest = hashlib.sha256(open(template, "rb").read()).hexdigest()
        check(values.get("Template SHA-256") == digest, "Criteria template digest is wrong")

    gaps = wb["Skill gaps"]
    check(len(gaps.conditional_formatting) >= 1, "Skill gaps has no colour scale")

    props = wb.properties
    check(props.creator and props.creator.startswith("nextlevel"), f"creator {props.creator}")
    check(props.title and props.title.startswith("Promotion readiness"), f"title {props.title}")

    for ws in wb.worksheets:
        check(ws.page_setup.orientation == "landscape", f"{ws.title} is not landscape")

    if problems:
        for p in problems[:40]:
            print(p)
        sys.exit(1)
    print("ok")


main()
