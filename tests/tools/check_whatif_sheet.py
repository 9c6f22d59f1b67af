#!/usr/bin/python3
"""The What if sheet of a workbook, read without recalculating, against the JSON of the same
run: check_whatif.py's file checks (every part parses, What if second, only whitelisted
functions, every formula cached, protection without a password, dials unlocked and
validated) and, on the cached values, every person's outcome, readiness score and slate mark
equal to the run's; the candidates-only note and the rows it implies; the Summary's counts
reading the sheet's (unless candidates only); and the dials the template implies.

usage: check_whatif_sheet.py WORKBOOK RESULTS_JSON [--candidates-only] [--teams N]
                              [--thresholds KEY,KEY...]
Prints "ok" and counts, or the problems found; exit 1 on a problem."""

import json
import math
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import openpyxl  # noqa: E402
import openpyxl.utils  # noqa: E402

import check_whatif  # noqa: E402
import recalc  # noqa: E402


def main():
    args = sys.argv[1:]
    path, results_path = args[0], args[1]
    candidates_only = "--candidates-only" in args
    teams = int(args[args.index("--teams") + 1]) if "--teams" in args else 0
    keys = None
    if "--thresholds" in args:  # "" for none
        keys = [k for k in args[args.index("--thresholds") + 1].split(",") if k]
    problems = []
    checked = check_whatif.check_file(path, problems)
    if checked is None:
        print("\n".join(problems))
        return 1
    formula_count = checked[1]
    cached = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path)
    grid = check_whatif.grid_of(cached[recalc.WHAT_IF])
    layout = recalc.find_layout(grid)
    check_whatif.check_inputs(formulas, layout, problems)

    def check(ok, message):
        if not ok:
            problems.append(message)

    check(len(layout["budgets"]) == (teams or 1),
          f"budget rows {list(layout['budgets'])}, expected {teams or 1}")
    if keys is not None:
        check(list(layout["thresholds"]) == keys,
              f"threshold inputs {list(layout['thresholds'])}, expected {keys}")
    # What prints is the people table's reading columns (ID to "Slate as run"); the model
    # (codes, keys, the cutoffs' workings) stands right of it, never inside the print area; the
    # header row repeated on each page is at most two lines (it rendered as a tall empty bar).
    ws = formulas[recalc.WHAT_IF]
    header = layout["people_header"] + 1
    last = layout["columns"]["Slate as run"]
    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
    check(area is not None and area.split(":")[1].lstrip("$").rstrip("0123456789$")
          == openpyxl.utils.get_column_letter(last + 1),
          f"What if: print area {area}, expected to end at 'Slate as run'")
    for row in ws.iter_rows(max_col=last + 1):
        for c in row:
            fill = c.fill.fgColor.rgb if c.fill is not None and c.fill.fgColor is not None else ""
            check(not (isinstance(fill, str) and fill.upper().endswith("D9D9D9")),
                  f"What if {c.coordinate}: a model cell inside the printed columns")
    height = ws.row_dimensions[header].height
    check(height is not None and height <= 30, f"What if: people header row {height} pt tall")
    # The key a threshold dial mirrors reads apart from the number before it (indented).
    for key, (r, c) in layout["thresholds"].items():
        check(ws.cell(r + 1, 4).alignment.indent >= 1,
              f"What if D{r + 1}: the --threshold key {key} is not indented")

    # Each track's readiness gates have a cell of their own where the template has any.
    gates = [h for h in layout["columns"] if h.startswith("Track 1: readiness gates")]
    check(bool(gates) or not layout["thresholds"],
          f"readiness gates' cells {gates}, thresholds {list(layout['thresholds'])}")
    check(layout["candidates_only"] == candidates_only,
          f"the candidates-only note is {'there' if layout['candidates_only'] else 'absent'}")

    results = json.load(open(results_path, encoding="utf-8"))["people"]
    people = {p["id"]: p for p in results}
    shown = recalc.read_outputs(grid, layout)["people"]
    expected = {p["id"] for p in results
                if not candidates_only or p["outcome"] in recalc.OUTCOME_ROWS[:2]}
    check(set(shown) == expected, f"{len(shown)} people on the sheet, expected {len(expected)}")
    for pid, got in shown.items():
        p = people.get(pid, {})
        check(got["Outcome"] == p.get("outcome") == got["Outcome as run"],
              f"{pid}: cached outcome {got['Outcome']!r}, run {p.get('outcome')!r}")
        score = p.get("readiness_score")
        check(got["Score"] == "" if score is None else
              isinstance(got["Score"], (int, float)) and
              math.isclose(got["Score"], score, rel_tol=check_whatif.REL, abs_tol=check_whatif.ABS),
              f"{pid}: cached score {got['Score']!r}, run {score!r}")
        check(got["Slate"] == (p.get("on_slate") or ""),
              f"{pid}: cached slate {got['Slate']!r}, run {p.get('on_slate')!r}")

    # The Summary's five counts read the sheet's, unless it covers the candidates only.
    live = [c for row in formulas["Summary"].iter_rows() for c in row
            if c.data_type == "f" and recalc.WHAT_IF in str(c.value)]
    check(len(live) == (0 if candidates_only else 5),
          f"Summary: {len(live)} counts read the What if sheet")

    if problems:
        print("\n".join(problems[:40]))
        return 1
    print(f"ok: {len(shown)} people, {formula_count} formulas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
