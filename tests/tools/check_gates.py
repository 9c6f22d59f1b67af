#!/usr/bin/python3
"""Checks the Gates sheet of a workbook against the JSON results of the same run.

usage: check_gates.py RESULTS.json WORKBOOK TEMPLATE.ini
       check_gates.py --dump WORKBOOK   (prints every Gates cell: ID, gate, column, value|format)

The workbook is read back with openpyxl. Checked, for every Gates row:
- the columns: Team, Manager, Outcome (coloured like Readiness), Track and Unit beside the
  gate, and the headers over Required, Actual and Margin right-aligned like their numbers;
- the row says what the JSON says of that person and gate (status, team, manager, outcome);
- Required, Actual and Margin are numbers in the unit the reason text uses, with that unit's
  number format: ratings and rating gaps 0.00, readiness points 0.0, balance distances in
  points (x100) 0.0, attainments 0.0%, months and attribute values 0 (more decimals only when
  the requirement is written with them, a month count or value has them, or a failing value
  would otherwise show as its requirement). The
  requirement the reason states ("required 85", "at most 15") is the Required cell's number;
- a failing gate never shows its actual value as the requirement, nor its margin as zero;
- a "not checked" row has no actual value or margin;
- with missing_scores = not_evaluated, a gate that reads a skill the person lacks is never
  "pass" (the template says which skills each gate reads);
- a Not evaluated person's reasons (JSON and the Readiness sheet) end with "already fails:" and
  the reasons of their failed hard gates, exactly those the Gates sheet marks "fail".
Prints what is wrong and exits 1, or prints "ok" and a count of what it checked.
"""
import configparser
import json
import math
import re
import sys

import openpyxl

problems = []
LIMIT = 60


def check(condition, message):
    if not condition:
        problems.append(message)


# Per gate kind: the factor from the JSON value to the number the reason prints, whether the
# cell is a percentage, and the number format of the unit's usual decimals.
UNITS = {
    "meets_expectations": (1, False, "0.00"),
    "critical_skills": (1, False, "0.00"),
    "floor": (1, False, "0.00"),
    "readiness_score": (1, False, "0.0"),
    "balance": (100, False, "0.0"),
    "family_average": (1, True, "0.0%"),
    "tenure": (1, False, "0"),
    "attribute": (1, False, "0"),
}

# Where each kind's reason states its requirement: a pattern and the factor from the Required
# cell to that number.
REQUIREMENT = {
    "readiness_score": (r"required (-?[0-9.]+)$", 1),
    "family_average": (r"required (-?[0-9.]+)%$", 100),
    "balance": (r"\(at most (-?[0-9.]+)\)$", 1),
    "tenure": (r"required (-?[0-9.]+)$", 1),
    "attribute": (r"required [<>=]+ (-?[0-9.]+)$", 1),
    "floor": (r"floor (?:of )?(-?[0-9.]+)", 1),
}


def decimals_of(number_format):
    m = re.fullmatch(r"0(?:\.(0+))?(%?)", number_format)
    if m is None:
        return None, None
    return len(m.group(1) or ""), m.group(2) == "%"


def number_format(decimals, percent):
    return ("0." + "0" * decimals if decimals else "0") + ("%" if percent else "")


def shown(value, number_format):
    """The text a spreadsheet shows for value under a fixed-decimals format."""
    decimals, percent = decimals_of(number_format)
    if percent:
        value *= 100
    # Excel rounds half away from zero on the decimal it stores.
    scaled = abs(value) * 10 ** decimals
    rounded = math.floor(scaled + 0.5 + 1e-9)
    text = f"{rounded / 10 ** decimals:.{decimals}f}"
    if value < 0 and rounded != 0:
        text = "-" + text
    return text + ("%" if percent else "")


def load_template(path):
    ini = configparser.ConfigParser(strict=False, interpolation=None,
                                    inline_comment_prefixes=(" ;",))
    ini.read(path)
    skills = {}
    levels = {}
    gates = {}
    missing_rule = "not_evaluated"
    for section in ini.sections():
        kind, _, name = section.partition(" ")
        body = ini[section]
        if kind == "framework":
            missing_rule = body.get("missing_scores", "not_evaluated").strip()
        elif kind == "skill":
            skills[name] = body["family"].strip()
        elif kind == "level":
            expected = {}
            for item in re.split(r"[,\n]", body.get("expectations", "")):
                if ":" in item:
                    skill, value = item.split(":")
                    expected[skill.strip()] = float(value)
            levels[name] = expected
        elif kind == "gate":
            families = [f.strip() for f in re.split(r"[,\n]", body.get("families", "")) if f.strip()]
            if body.get("family"):
                families = [body["family"].strip()]
            gate_skills = [s.strip() for s in re.split(r"[,\n]", body.get("skills", "")) if s.strip()]
            gates[name] = {"kind": body["kind"].strip(), "families": families,
                           "skills": gate_skills}
    return skills, levels, gates, missing_rule


def reads(gate, skill, skills):
    """Whether the gate's verdict depends on the skill (all weights taken as above 0)."""
    kind = gate["kind"]
    if kind == "critical_skills":
        return skill in gate["skills"]
    if kind in ("meets_expectations", "floor", "family_average", "balance"):
        return not gate["families"] or skills[skill] in gate["families"]
    return kind == "readiness_score"


def header_index(ws):
    header = next(ws.iter_rows(min_row=1, max_row=1))
    return {cell.value: i for i, cell in enumerate(header)}, header


def dump_cells(workbook):
    """Prints every Gates cell as "ID<tab>GATE<tab>COLUMN<tab>value|number format", one a line
    (for the C tests' exact assertions)."""
    ws = openpyxl.load_workbook(workbook)["Gates"]
    col, _ = header_index(ws)
    for row in ws.iter_rows(min_row=2):
        for name, i in col.items():
            cell = row[i]
            print(f"{row[col['ID']].value}\t{row[col['Gate']].value}\t{name}\t"
                  f"{cell.value}|{cell.number_format}")
    return 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--dump":
        return dump_cells(sys.argv[2])
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    results = json.load(open(sys.argv[1], encoding="utf-8"))
    wb = openpyxl.load_workbook(sys.argv[2])
    skills, levels, template_gates, missing_rule = load_template(sys.argv[3])
    people = {p["id"]: p for p in results["people"]}

    ws = wb["Gates"]
    col, header = header_index(ws)
    for name in ("ID", "Name", "Team", "Manager", "Outcome", "Next level", "Track", "Gate",
                 "Kind", "Severity", "Status", "Unit", "Required", "Actual", "Margin", "Reason"):
        check(name in col, f"Gates has no {name} column: {list(col)}")
    core = ("ID", "Gate", "Kind", "Severity", "Status", "Required", "Actual", "Margin", "Reason")
    if any(name not in col for name in core):
        return report()
    for name in ("Required", "Actual", "Margin"):
        check(header[col[name]].alignment.horizontal == "right",
              f"Gates header {name} is not right-aligned over its numbers")

    # The outcome fills of Readiness, which the Gates Outcome cells must repeat.
    rws = wb["Readiness"]
    rcol, _ = header_index(rws)
    reasons_col = next((i for name, i in rcol.items() if name and "reasons" in name.lower()), None)
    outcome_fill = {}
    readiness_reasons = {}
    for row in rws.iter_rows(min_row=2):
        cell = row[rcol["Outcome"]]
        if cell.value:
            outcome_fill[cell.value] = cell.fill.fgColor.rgb
        if reasons_col is not None:
            readiness_reasons[row[rcol["ID"]].value] = row[reasons_col].value or ""

    counts = {"rows": 0, "not checked": 0, "lacking": 0, "already fails": 0}
    failed_hard = {}
    seen_people = set()
    for row in ws.iter_rows(min_row=2):
        pid = row[col["ID"]].value
        if pid is None or pid not in people:
            continue
        counts["rows"] += 1
        seen_people.add(pid)
        person = people[pid]
        track = next(t for t in person["tracks"] if t["next_level"] == person["next_level"])
        title = row[col["Gate"]].value
        gate = next((g for g in track["gates"] if g["title"] == title), None)
        where = f"{pid} {title}"
        if gate is None:
            check(False, f"{where}: no such gate in the JSON")
            continue
        status = row[col["Status"]].value
        check(status == gate["status"], f"{where}: status {status}, JSON {gate['status']}")
        if "Team" in col and "Manager" in col:
            check(row[col["Team"]].value == (person["team"] or None), f"{where}: team")
            check(row[col["Manager"]].value == (person["manager"] or None), f"{where}: manager")
        if "Outcome" in col:
            outcome = row[col["Outcome"]]
            check(outcome.value == person["outcome"], f"{where}: outcome {outcome.value}")
            check(outcome.fill.fgColor.rgb == outcome_fill.get(person["outcome"]),
                  f"{where}: Outcome not coloured as on Readiness")
        track_text = row[col["Track"]].value or "" if "Track" in col else ""
        check(track_text.startswith(track["next_level_title"]),
              f"{where}: Track '{track_text}' does not name {track['next_level_title']}")
        if len(person["tracks"]) > 1 and "Track" in col:
            for other in person["tracks"]:
                if other is not track:
                    check(f"{other['next_level']}: {other['outcome']}" in track_text,
                          f"{where}: Track '{track_text}' does not give the other track")

        kind = row[col["Kind"]].value
        scale, percent, usual = UNITS[kind]
        reason = row[col["Reason"]].value or ""
        cells = {name: row[col[name]] for name in ("Required", "Actual", "Margin")}
        for name, cell in cells.items():
            value = gate[name.lower()]
            if value is None:
                check(cell.value is None, f"{where}: {name} {cell.value}, JSON has none")
                continue
            check(isinstance(cell.value, (int, float)), f"{where}: {name} is not a number")
            if not isinstance(cell.value, (int, float)):
                continue
            check(math.isclose(cell.value, value * scale, rel_tol=1e-5, abs_tol=1e-6),
                  f"{where}: {name} {cell.value}, expected {value} x {scale} (the reason's unit)")
            decimals, is_percent = decimals_of(cell.number_format)
            usual_decimals, _ = decimals_of(usual)
            check(decimals is not None and is_percent == percent and decimals >= usual_decimals,
                  f"{where}: {name} format {cell.number_format}, unit's format {usual}")
        if status == "not checked":
            counts["not checked"] += 1
            check(cells["Actual"].value is None and cells["Margin"].value is None,
                  f"{where}: not checked, yet an actual value or margin is shown")
        # More decimals than the unit's only where needed: fractions of a whole unit, or a
        # failing value that would show as its requirement.
        values = [c.value for c in cells.values() if isinstance(c.value, (int, float))]
        decimals, _ = decimals_of(cells["Required"].number_format)
        usual_decimals, _ = decimals_of(usual)
        if decimals is not None and decimals > usual_decimals:
            fmt, fewer = number_format(decimals, percent), number_format(decimals - 1, percent)
            # The requirement as the template writes it; fractions of months or values.
            exact = values if usual_decimals == 0 else [cells["Required"].value]
            fraction = any(shown(v, fewer) != shown(v, fmt) for v in exact
                           if isinstance(v, (int, float)))
            clash = status == "fail" and (
                shown(cells["Actual"].value, fewer) == shown(cells["Required"].value, fewer)
                or float(shown(cells["Margin"].value, fewer).rstrip("%")) == 0)
            check(fraction or clash, f"{where}: {fmt} where {fewer} would do")
        if status == "fail":
            a = shown(cells["Actual"].value, cells["Actual"].number_format)
            r = shown(cells["Required"].value, cells["Required"].number_format)
            m = shown(cells["Margin"].value, cells["Margin"].number_format)
            check(a != r, f"{where}: fails, yet shows actual {a} as the requirement {r}")
            check(float(m.rstrip("%")) != 0, f"{where}: fails, yet shows a margin of {m}")
        if kind in REQUIREMENT and "nothing" not in reason:
            pattern, factor = REQUIREMENT[kind]
            m = re.search(pattern, reason)
            check(m is not None, f"{where}: the reason states no requirement: {reason}")
            if m is not None and isinstance(cells["Required"].value, (int, float)):
                stated = float(m.group(1))
                check(math.isclose(stated, cells["Required"].value * factor, abs_tol=1e-6),
                      f"{where}: the reason states {stated}, Required shows "
                      f"{cells['Required'].value} ({reason})")

        # A gate reading a skill the person lacks is never passed.
        missing = set(track["missing_skills"])
        if missing and missing_rule == "not_evaluated":
            template_gate = template_gates.get(gate["id"])
            read = [s for s in missing if template_gate and reads(template_gate, s, skills)]
            if read:
                counts["lacking"] += 1
                check(status != "pass",
                      f"{where}: passes although {', '.join(read)} is not assessed")
        if person["outcome"] == "Not evaluated" and row[col["Severity"]].value == "hard" \
                and status == "fail":
            failed_hard.setdefault(pid, []).append(gate["reason"])

    check(counts["rows"] > 0, "Gates has no rows")
    for pid, person in people.items():
        if person["outcome"] != "Not evaluated" or pid not in seen_people:
            continue
        fails = failed_hard.get(pid, [])
        reasons = person["reasons"]
        if fails:
            counts["already fails"] += 1
            want = "; already fails: " + "; ".join(fails)
            check(reasons.endswith(want), f"{pid}: reasons '{reasons}' do not end with '{want}'")
        else:
            check("already fails" not in reasons, f"{pid}: 'already fails' with no failed gate")
        if reasons_col is not None:
            check(readiness_reasons.get(pid) == reasons,
                  f"{pid}: Readiness reasons '{readiness_reasons.get(pid)}' differ from the JSON")
    return report(counts)


def report(counts=None):
    if problems:
        for p in problems[:LIMIT]:
            print(p)
        if len(problems) > LIMIT:
            print(f"... and {len(problems) - LIMIT} more")
        return 1
    print("ok", json.dumps(counts, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
