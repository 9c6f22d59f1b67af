#!/usr/bin/python3
"""Checks that the workbook, every pack and the JSON render the same review.

usage: check_review.py RESULTS.json WORKBOOK [--packs DIR]

RESULTS.json and WORKBOOK come from the same inputs and options. The workbook is read back with
an independent reader (openpyxl): its Summary counts (outcomes, per team), Calibration rows,
Fairness rows (one table per measure) and Trend statuses must equal the JSON's. Each pack in DIR (from --split-by team)
must show its team's counts as the JSON states them, the organisation's calibration and fairness
figures, and its team's leavers. Prints what is wrong and exits 1, or prints "ok".
"""
import glob
import json
import math
import os
import sys

import openpyxl

OUTCOMES = ["Ready now", "Ready with risk", "Developing", "Not evaluated", "Top of ladder"]
problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-6)  # JSON has 6 digits


def section_rows(ws, title):
    """The rows of the table under a section title in column A (header row skipped), up to the
    first row whose column A is empty."""
    rows = list(ws.iter_rows(values_only=True))
    for i, row in enumerate(rows):
        if row and row[0] == title:
            table = []
            for body in rows[i + 2:]:
                if not body or body[0] is None:
                    break
                table.append(body)
            return table
    return None


def summary_counts(wb):
    ws = wb["Summary"]
    outcomes = {row[0]: row[1] for row in section_rows(ws, "Outcomes") or [] if row[0] in OUTCOMES}
    teams = {}
    for row in section_rows(ws, "By team") or []:
        teams[row[0]] = {OUTCOMES[o]: row[1 + o] for o in range(len(OUTCOMES))}
    return outcomes, teams


def table_rows(ws, first_header):
    """The rows of the table whose header row starts with first_header, by their first cell,
    each as a dict from header name to value."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row and row[0] == first_header)
    names = rows[start]
    result = {}
    for row in rows[start + 1:]:
        if not row or row[0] is None:
            break
        result[row[0]] = {name: value for name, value in zip(names, row) if name is not None}
    return result


def calibration_rows(wb):
    return table_rows(wb["Calibration"], "Manager")


FAIRNESS_MEASURES = (("Ready now", "ready_now"), ("Ready now or with risk", "ready_or_risk"))


def fairness_tables(wb):
    """{measure: (header names, rows)} of the Fairness sheet's two tables, each under a heading
    naming its measure (column A) with its header row below it; rows as table_rows gives
    them."""
    if "Fairness" not in wb.sheetnames:
        return None
    rows = list(wb["Fairness"].iter_rows(values_only=True))
    tables = {}
    for i, row in enumerate(rows[:-1]):
        if row and row[0] in dict(FAIRNESS_MEASURES) and rows[i + 1][0] == "Group":
            names = rows[i + 1]
            body = {}
            for r in rows[i + 2:]:
                if not r or r[0] is None:
                    break
                body[r[0]] = {n: v for n, v in zip(names, r) if n is not None}
            tables[row[0]] = (names, body)
    return tables


def trend_statuses(wb):
    counts = {}
    for name in wb.sheetnames:
        if name == "Trend" or name.startswith("Trend ("):
            for row in list(wb[name].iter_rows(min_row=2, values_only=True)):
                if row[3] is not None:
                    counts[row[3]] = counts.get(row[3], 0) + 1
    return counts


def check_since_line(wb, new, left, label):
    """The Summary's "Since last quarter" line states the review's counts."""
    lines = [row[0] for row in wb["Summary"].iter_rows(values_only=True)
             if row and isinstance(row[0], str) and "new this quarter" in row[0]]
    check(len(lines) == 1, f"{label}: {len(lines)} 'new this quarter' lines on the Summary")
    if lines:
        check(lines[0].startswith(f"{new} new this quarter") and
              f"; {left} left since last quarter" in lines[0],
              f"{label}: Summary says '{lines[0]}', the JSON {new} new and {left} left")


def check_calibration(wb, results, label, managers_here=None):
    rows = calibration_rows(wb)
    for m in results["calibration"]["managers"]:
        if managers_here is not None and m["manager"] not in managers_here:
            check(m["manager"] not in rows, f"{label}: manager {m['manager']} of another team")
            continue
        row = rows.get(m["manager"])
        check(row is not None, f"{label}: no Calibration row for {m['manager']}")
        if row is None:
            continue
        name = m["manager"]
        check(row["People"] == m["people"], f"{label}: {name} people {row['People']} != {m['people']}")
        check(row["Rated"] == m["rated"], f"{label}: {name} rated {row['Rated']} != {m['rated']}")
        check((row["Flag"] or "") == m["flag"], f"{label}: {name} flag {row['Flag']} != {m['flag']}")
        check(close(row["z"], m["z"]), f"{label}: {name} z {row['z']} != {m['z']}")
        check(close(row["Adjustment"], m["adjustment"]),
              f"{label}: {name} adjustment {row['Adjustment']} != {m['adjustment']}")
        check((row["Adjusted, and why"] or "").startswith("adjusted:") == m["adjusted"],
              f"{label}: {name} '{row['Adjusted, and why']}', adjusted {m['adjusted']}")
        share = m["ready_now"] / m["evaluated"] if m["evaluated"] else None
        check(close(row["Ready now share"], share),
              f"{label}: {name} ready share {row['Ready now share']} != {share}")
        org = results["calibration"]["family_attainment"]
        for family, mean in m["family_attainment"].items():
            shown = row[f"{family} attainment"]
            check(close(shown, mean), f"{label}: {name} {family} attainment {shown} != {mean}")
            versus = None if mean is None or org[family] is None else mean - org[family]
            shown = row[f"{family} vs organisation"]
            check(close(shown, versus),
                  f"{label}: {name} {family} vs organisation {shown} != {versus}")
    # The same order as the JSON's (by the size of the effect).
    order = [m["manager"] for m in results["calibration"]["managers"] if m["manager"] in rows]
    check(list(rows) == order, f"{label}: Calibration rows in another order than the JSON's")


def check_fairness(wb, results, label):
    tables = fairness_tables(wb)
    fairness = results.get("fairness")
    check((tables is None) == (fairness is None), f"{label}: Fairness sheet and JSON disagree")
    if tables is None or fairness is None:
        return
    adjusted = "p adjusted (Holm)" if fairness["p_adjust"] == "holm" else "p (not adjusted)"
    groups = [g["group"] for g in fairness["groups"]]
    for measure, prefix in FAIRNESS_MEASURES:
        check(measure in tables, f"{label}: no Fairness table under a '{measure}' heading")
        if measure not in tables:
            continue
        names, rows = tables[measure]
        expected = ["Group", "People evaluated", measure, "Rate", "Ratio to reference", "p",
                    adjusted, "Flag"]
        check([n for n in names if n is not None] == expected,
              f"{label}: Fairness {measure} columns {names}, expected {expected}")
        if not set(expected) <= set(names):
            continue
        # The JSON's groups, in its order, in each table.
        check(list(rows) == groups,
              f"{label}: Fairness {measure} groups {list(rows)} against the JSON's {groups}")
        for g in fairness["groups"]:
            row = rows.get(g["group"])
            check(row is not None, f"{label}: no fairness row {g['group']} ({measure})")
            if row is None:
                continue
            shown = [row["People evaluated"], row[measure]]
            check(shown == [g["evaluated"], g[prefix]],
                  f"{label}: fairness {g['group']} {measure}: counts {shown} against {g}")
            for name, what in (("Rate", "rate"), ("Ratio to reference", "ratio"), ("p", "p"),
                               (adjusted, "p_adjusted")):
                check(close(row[name], g[f"{prefix}_{what}"]),
                      f"{label}: fairness {g['group']} {measure} {name} "
                      f"{row[name]} != {g[f'{prefix}_{what}']}")
            flag = row["Flag"] or ""
            check(flag.startswith("FLAG") == g[f"{prefix}_flagged"],
                  f"{label}: fairness {g['group']} {measure} flag '{flag}' against the JSON")
            check(flag.startswith("reference") == g[f"{prefix}_reference"],
                  f"{label}: fairness {g['group']} {measure} flag '{flag}': reference "
                  f"{g[f'{prefix}_reference']} in the JSON")


def main():
    if len(sys.argv) not in (3, 5):
        print(__doc__)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        results = json.load(f)
    wb = openpyxl.load_workbook(sys.argv[2], data_only=True)
    summary = results["summary"]
    outcomes, teams = summary_counts(wb)
    for o in OUTCOMES:
        check(outcomes.get(o) == summary[o], f"Summary {o}: {outcomes.get(o)} != {summary[o]}")
    json_teams = {t["team"]: t for t in summary["teams"]}
    check(set(teams) == set(json_teams), f"teams {sorted(teams)} != {sorted(json_teams)}")
    for name, counts in teams.items():
        if name in json_teams:
            check(counts == json_teams[name]["outcomes"],
                  f"team {name}: {counts} != {json_teams[name]['outcomes']}")
    check_calibration(wb, results, "workbook")
    check_fairness(wb, results, "workbook")
    trend = summary.get("trend")
    if trend is not None:
        statuses = trend_statuses(wb)
        for status in ["continuing", "promoted", "new", "new team", "left"]:
            check(statuses.get(status, 0) == trend[status],
                  f"Trend {status}: {statuses.get(status, 0)} != {trend[status]}")
        check(statuses.get("row rejected this quarter", 0) == trend["row rejected this quarter"],
              "Trend: rows rejected this quarter")
        check_since_line(wb, trend["new"] + trend["new team"], trend["left"], "workbook")
    if len(sys.argv) == 5:
        packs = sorted(glob.glob(os.path.join(sys.argv[4], "*.xlsx")))
        check(len(packs) == len(json_teams), f"{len(packs)} packs for {len(json_teams)} teams")
        for path in packs:
            pack = openpyxl.load_workbook(path, data_only=True)
            label = os.path.basename(path)
            people = [p for p in results["people"]
                      if (p["team"] or "(no team)") == (pack_team(pack) or "")]
            team = pack_team(pack)
            pack_outcomes, pack_teams = summary_counts(pack)
            check(team in json_teams, f"{label}: team {team} not in the JSON")
            if team not in json_teams:
                continue
            check(pack_outcomes == json_teams[team]["outcomes"],
                  f"{label}: counts {pack_outcomes} != {json_teams[team]['outcomes']}")
            check(list(pack_teams) == [team], f"{label}: By team lists {list(pack_teams)}")
            managers = {p["manager"] or "(no manager)" for p in people}
            check_calibration(pack, results, label, managers)
            check_fairness(pack, results, label)
            if trend is not None:
                left = [p for p in results["left"] if (p["team"] or "(no team)") == team]
                statuses = trend_statuses(pack)
                check(statuses.get("left", 0) == len(left),
                      f"{label}: {statuses.get('left', 0)} left, the JSON {len(left)}")
                new = sum(1 for p in people if p.get("trend", {}).get("status") in ("new", "new team"))
                check_since_line(pack, new, len(left), label)
    if problems:
        for p in problems:
            print(p)
        return 1
    print("ok")
    return 0


def pack_team(wb):
    """The team of a pack, from its Summary's "Team: NAME" line."""
    for row in wb["Summary"].iter_rows(max_row=6, values_only=True):
        if row and isinstance(row[0], str) and row[0].startswith("Team: "):
            return row[0][len("Team: "):]
    return None


if __name__ == "__main__":
    sys.exit(main())
