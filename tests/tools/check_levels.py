"""Reads a workbook of tests/cases/levels back (tests/cli/test_cli_levels.c) and prints "ok", or
what is wrong. Usage: check_levels.py per-level|attribute-only WORKBOOK.xlsx"""
import sys

import openpyxl


def cells(ws):
    return [[c for c in row] for row in ws.iter_rows(values_only=True)]


def column(ws, title):
    rows = cells(ws)
    for r, row in enumerate(rows):
        if title in row:
            c = row.index(title)
            return [x[c] for x in rows[r + 1:]]
    return None


def texts(ws):
    return [str(c) for row in cells(ws) for c in row if c is not None]


def criteria_rows(wb):
    return {row[0]: row[1] for row in cells(wb["Criteria"]) if row and row[0] is not None}


def per_level(wb, problems):
    rows = criteria_rows(wb)
    want = {
        "min_months": "12 months in the current level at least",
        "min_months.L5": "24 months in the current level at least, for people whose next level "
                         "is L5 (Principal)",
        "threshold.L5": "95: the readiness score (0 to 100) must reach it, for people whose next "
                        "level is L5 (Principal)",
        "tolerance.L5": "0.5 score points",
        "levels": "L5, M1: the gate applies only when the next level is one of these",
    }
    for key, part in want.items():
        if key not in rows or part not in str(rows[key]):
            problems.append(f"Criteria row {key!r} is {rows.get(key)!r}, wanted {part!r}")
    gates = cells(wb["Gates"])
    head = gates[0]
    status = head.index("Status")
    found = [r for r in gates[1:] if r[0] == "P1" and r[head.index("Gate")] == "Staff impact"]
    if not found or found[0][status] != "not applicable":
        problems.append(f"Gates: P1's Staff impact row is {found!r}, wanted 'not applicable'")


def attribute_only(wb, problems):
    readiness = column(wb["Readiness"], "Readiness score")
    ids = column(wb["Readiness"], "ID")
    for pid, value in zip(ids, readiness):
        want = None if pid == "A5" else "not applicable"
        if pid and value != want:
            problems.append(f"Readiness score of {pid} is {value!r}, wanted {want!r}")
    note = "Readiness score: not applicable. The template has no skills"
    if sum(note in t for t in texts(wb["Summary"])) != 1:
        problems.append("the Summary does not say once that the readiness score is not applicable")
    if note not in str(criteria_rows(wb).get("Readiness score")):
        problems.append("Criteria does not say that the readiness score is not applicable")
    plans = cells(wb["Development plans"])
    if len([r for r in plans[1:] if any(c is not None for c in r)]) != 1 or \
            plans[1][0] != "none: the template has no skills, so there are no raises to plan":
        problems.append(f"Development plans has rows: {plans[1:3]!r}")
    slate = texts(wb["Slate"])
    if "not applicable" not in slate:
        problems.append("the Slate does not show the readiness score as not applicable")


def main():
    mode, path = sys.argv[1], sys.argv[2]
    wb = openpyxl.load_workbook(path)
    problems = []
    (per_level if mode == "per-level" else attribute_only)(wb, problems)
    print("ok" if not problems else "\n".join(problems))


main()
