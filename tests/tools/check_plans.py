#!/usr/bin/env python3
"""Checks a workbook's Development plans and readiness bands against the documented rules
(README, "Development plan" and "Readiness bands"), and against the JSON of the same run.

usage: check_plans.py RUN.json RUN.xlsx [--step 0.5] [--skill-step NAME=STEP ...]
                      [--max-raises 5] [--scale-max 5] [--expect-counted]
                      [--expect-skill NAME ...]

--expect-counted fails when no row counts left-out raises, --expect-skill when no row shows a
raise of that skill: so that a run cannot pass by having nothing to check.

Development plans: the Manager, Band and Quarters to ready columns are there; headers over
numbers are right-aligned; distances are in points (0.0) and quarters whole (0); rows are
sorted by distance to ready, closest first; every raise is a whole number of its skill's
rating step (or stops at the top of the scale); at most max_raises raises are listed, the rest
counted ("and N more raises") so that shown + N is the plan's length in the JSON; the raises
shown are the JSON plan's first ones, hard-gate raises before soft ones and, within each, by
gain per point; the row repeats the person's mitigations (as on Readiness).

Readiness bands, for every person on Readiness: quarters = max(ceil(distance / growth), the
quarters a failing hard tenure gate still needs (Gates sheet), 1), none without growth (when
the distance is not 0); Ready now is 0 points and 0 quarters; and the band follows from the
quarters: 1 Next quarter, 2 or 3 In 2-3 quarters, more or none Later. The plan rows state the
same band, distance and quarters as Readiness.

Prints "ok ..." or the first problems found, one a line, and exits 1.
"""
import argparse
import json
import math
import re
import sys

import openpyxl

RAISE = re.compile(r"^(?P<skill>.+) \+(?P<inc>[0-9.]+) \((?P<frm>[0-9.]+) -> (?P<to>[0-9.]+)\)"
                   r"(?P<soft> \[soft\])?$")
MORE = re.compile(r"^and (?P<n>[0-9]+) more raises?$")
EPS = 1e-6


def header_index(ws, names):
    """Column index (0-based) of each header name on row 1; missing names map to None."""
    headers = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]
    return {n: (headers.index(n) if n in headers else None) for n in names}, headers


def band_of(quarters):
    if quarters is None:
        return "Later"
    if quarters <= 0:
        return "Ready now"
    if quarters <= 1:
        return "Next quarter"
    if quarters <= 3:
        return "In 2-3 quarters"
    return "Later"


def is_multiple(value, step):
    k = value / step
    return abs(k - round(k)) < 1e-6 and round(k) >= 1


def rows_of(wb, name):
    """Data rows of a sheet and its continuations ("Name (2)" ...)."""
    rows, header = [], None
    for ws in wb.worksheets:
        if ws.title == name or re.fullmatch(re.escape(name) + r" \(\d+\)", ws.title):
            it = ws.iter_rows(values_only=True)
            header = next(it)
            rows.extend(r for r in it if any(v is not None for v in r))
    return header, rows


def hard_tenure_quarters(wb):
    """Per person id, the quarters a failing hard tenure gate still needs (Gates sheet)."""
    header, rows = rows_of(wb, "Gates")
    if header is None:
        return {}
    col = {h: i for i, h in enumerate(header)}
    need = {"ID", "Kind", "Severity", "Status", "Required", "Actual"}
    if not need <= set(col):
        return {}
    out = {}
    for r in rows:
        if r[col["Kind"]] == "tenure" and r[col["Severity"]] == "hard" and \
                r[col["Status"]] == "fail":
            q = math.ceil((float(r[col["Required"]]) - float(r[col["Actual"]])) / 3 - 1e-9)
            out[r[col["ID"]]] = max(out.get(r[col["ID"]], 0), q)
    return out


def check_bands(wb, problems):
    header, rows = rows_of(wb, "Readiness")
    col = {h: i for i, h in enumerate(header)}
    for name in ("ID", "Outcome", "Band", "Distance to ready (score points)", "Quarters to ready",
                 "Growth per quarter (score points)"):
        if name not in col:
            problems.append(f"Readiness has no column {name!r}")
            return {}
    tenure = hard_tenure_quarters(wb)
    seen = {}
    for r in rows:
        pid, outcome, band = r[col["ID"]], r[col["Outcome"]], r[col["Band"]] or ""
        distance, quarters = r[col["Distance to ready (score points)"]], r[col["Quarters to ready"]]
        growth_text = r[col["Growth per quarter (score points)"]]
        seen[pid] = (band, distance, quarters, r[col.get("Mitigations")] if "Mitigations" in col
                     else None)
        if outcome in ("Not evaluated", "Top of ladder"):
            if band:
                problems.append(f"{pid}: {outcome} has band {band!r}")
            continue
        if outcome == "Ready now":
            if band != "Ready now" or distance != 0 or quarters != 0:
                problems.append(f"{pid}: Ready now with band {band!r}, distance {distance}, "
                                f"quarters {quarters}")
            continue
        # The growth is a number, its source ("measured" or "template") in the next column.
        source = r[col["Growth from"]] if "Growth from" in col else None
        if distance is None or not isinstance(growth_text, (int, float)) or \
                source not in ("measured", "template"):
            problems.append(f"{pid}: {outcome} without distance or growth ({distance!r}, "
                            f"{growth_text!r}, {source!r})")
            continue
        growth = float(growth_text)
        if distance <= EPS:
            skill_q = 0
        elif growth > EPS:
            skill_q = math.ceil(distance / growth - 1e-9)
        else:
            skill_q = None
        want = None if skill_q is None else max(skill_q, tenure.get(pid, 0), 1)
        if want != quarters:
            problems.append(f"{pid}: {distance} points at {growth} a quarter should be "
                            f"{want} quarters, the sheet says {quarters}")
        if band != band_of(quarters):
            problems.append(f"{pid}: {quarters} quarters ({distance} points) is "
                            f"{band_of(quarters)!r}, the sheet says {band!r}")
    return seen


def check_plans(wb, doc, args, readiness, problems):
    ws = wb["Development plans"]
    names = ["ID", "Manager", "Band", "Distance to ready (score points)",
             "Distance to ready with risk (score points)", "Quarters to ready",
             "Raises that matter most (hard gates first)", "Mitigations"]
    col, headers = header_index(ws, names)
    for n in names:
        if col[n] is None:
            problems.append(f"Development plans has no column {n!r} (headers: {headers})")
    if problems:
        return 0
    for n in ("Distance to ready (score points)", "Distance to ready with risk (score points)",
              "Quarters to ready"):
        cell = ws.cell(row=1, column=col[n] + 1)
        if cell.alignment.horizontal != "right":
            problems.append(f"header {n!r} is not right-aligned over its numbers")
    people = {p["id"]: p for p in doc["people"]}
    skill_names = {}
    steps = {k: float(v) for k, v in (s.split("=") for s in args.skill_step)}
    last = -1.0
    count = 0
    counted = 0
    shown_skills = set()
    for row in ws.iter_rows(min_row=2):
        values = [c.value for c in row]
        pid = values[col["ID"]]
        if pid is None or str(pid).startswith("none"):
            continue
        count += 1
        distance = values[col["Distance to ready (score points)"]]
        dcell = row[col["Distance to ready (score points)"]]
        qcell = row[col["Quarters to ready"]]
        if dcell.number_format != "0.0":
            problems.append(f"{pid}: distance format {dcell.number_format!r}, not 0.0")
        if qcell.value is not None and qcell.number_format != "0":
            problems.append(f"{pid}: quarters format {qcell.number_format!r}, not 0")
        if distance < last - EPS:
            problems.append(f"{pid}: distance {distance} after {last}: not sorted closest first")
        last = distance
        if values[col["Manager"]] != (people[pid]["manager"] or None):
            problems.append(f"{pid}: manager {values[col['Manager']]!r}, the JSON says "
                            f"{people[pid]['manager']!r}")
        band, r_distance, r_quarters, r_mitigations = readiness.get(pid, (None,) * 4)
        if (values[col["Band"]], distance, qcell.value) != (band, r_distance, r_quarters):
            problems.append(f"{pid}: plan row says {values[col['Band']]!r}, {distance}, "
                            f"{qcell.value}; Readiness {band!r}, {r_distance}, {r_quarters}")
        if (values[col["Mitigations"]] or None) != (r_mitigations or None):
            problems.append(f"{pid}: mitigations {values[col['Mitigations']]!r} differ from "
                            f"Readiness {r_mitigations!r}")
        track = next(t for t in people[pid]["tracks"]
                     if t["next_level"] == people[pid]["next_level"])
        plan = track["development_plan"]["steps"]
        text = values[col["Raises that matter most (hard gates first)"]] or ""
        if not plan and text != "none: every score is at its bar":
            problems.append(f"{pid}: no raise needed, the cell says {text!r}")
        items = [i for i in text.split("; ") if i] if plan else []
        more = 0
        if items and MORE.match(items[-1]):
            more = int(MORE.match(items[-1]).group("n"))
            items = items[:-1]
            counted += 1
        if len(items) > args.max_raises:
            problems.append(f"{pid}: {len(items)} raises listed, more than {args.max_raises}")
        if len(items) + more != len(plan):
            problems.append(f"{pid}: {len(items)} raises shown and {more} counted, the plan "
                            f"has {len(plan)}")
        if more and len(items) != args.max_raises:
            problems.append(f"{pid}: {len(items)} raises shown while {more} are left out")
        soft_seen = False
        for k, item in enumerate(items):
            m = RAISE.match(item)
            if not m:
                problems.append(f"{pid}: raise {item!r} unreadable")
                continue
            inc, frm, to = float(m.group("inc")), float(m.group("frm")), float(m.group("to"))
            soft = m.group("soft") is not None
            shown_skills.add(m.group("skill"))
            step = steps.get(m.group("skill"), args.step)
            if not is_multiple(inc, step) and abs(to - args.scale_max) > EPS:
                problems.append(f"{pid}: raise {item!r} is not a whole number of {step} steps")
            if soft_seen and not soft:
                problems.append(f"{pid}: hard-gate raise {item!r} after a soft one")
            soft_seen = soft_seen or soft
            want = plan[k]
            if abs(want["from"] - frm) > 1e-4 or abs(want["to"] - to) > 1e-4 or \
                    (want["clears"] == "soft gates") != soft:
                problems.append(f"{pid}: raise {k + 1} {item!r} is not the plan's {want}")
            skill_names.setdefault(want["skill"], m.group("skill"))
        for a, b in zip(plan, plan[1:]):
            if a["clears"] == b["clears"] and a["gain_per_point"] < b["gain_per_point"] - 1e-4:
                problems.append(f"{pid}: {b['skill']} gains more per point than {a['skill']} "
                                f"but comes after it")
            if a["clears"] == "soft gates" and b["clears"] == "hard gates":
                problems.append(f"{pid}: a hard-gate raise after a soft one in the JSON plan")
    planned = sum(1 for p in doc["people"] if p["outcome"] in ("Developing", "Ready with risk"))
    if count != planned:
        problems.append(f"{count} plan rows for {planned} people Developing or Ready with risk")
    if args.expect_counted and counted == 0:
        problems.append("no row counts raises left out: nothing checks max_raises")
    for skill in args.expect_skill:
        if skill not in shown_skills:
            problems.append(f"no raise of {skill} is shown")
    return count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("json")
    ap.add_argument("xlsx")
    ap.add_argument("--step", type=float, default=0.5)
    ap.add_argument("--skill-step", action="append", default=[],
                    help="NAME=STEP for a skill (by its display name) with its own step")
    ap.add_argument("--max-raises", type=int, default=5)
    ap.add_argument("--scale-max", type=float, default=5)
    ap.add_argument("--expect-counted", action="store_true")
    ap.add_argument("--expect-skill", action="append", default=[])
    args = ap.parse_args()
    with open(args.json, encoding="utf-8") as f:
        doc = json.load(f)
    wb = openpyxl.load_workbook(args.xlsx)
    problems = []
    readiness = check_bands(wb, problems)
    rows = check_plans(wb, doc, args, readiness, problems) if not problems else 0
    if problems:
        print("\n".join(problems[:20]))
        sys.exit(1)
    print(f"ok: {rows} plan rows, {len(readiness)} people banded")


if __name__ == "__main__":
    main()
