#!/usr/bin/env python3
"""The peer: what an HR analyst writes instead of nextlevel, with pandas and XlsxWriter.

usage: bench/peer.py TEMPLATE.ini OUT.xlsx MATRIX.csv...

Reads the benchmark's wide matrices and template (as bench/gen.py writes them), computes per
person the gaps to the next level's expectations, attainment (capped at 1), family
attainments, the weighted readiness score, a comparable gate set (technical bar, floor,
readiness, balance, tenure, visibility) and an outcome, vectorised as a competent analyst
would, and writes a comparable workbook: Readiness, Gates (person x gate) and Skill gaps.
"""
import configparser
import sys

import numpy as np
import pandas as pd


def main():
    template, out, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    cp = configparser.ConfigParser(inline_comment_prefixes=(";",), comment_prefixes=("#", ";"),
                                   strict=False)
    cp.read(template)
    skills = [s.split()[1] for s in cp.sections() if s.startswith("skill ")]
    family = {s: cp[f"skill {s}"]["family"] for s in skills}
    levels, nxt = {}, {}
    for sec in cp.sections():
        if sec.startswith("level "):
            lid = sec.split()[1]
            items = cp[sec]["expectations"].replace("\n", ",").split(",")
            levels[lid] = {k.strip(): float(v) for k, v in (i.split(":") for i in items if ":" in i)}
            nxt[lid] = cp[sec].get("next", "").split(",")[0].strip()
    df = pd.concat([pd.read_csv(f) for f in inputs], ignore_index=True)
    df = df.drop_duplicates("Employee ID")
    scores = df[skills].apply(pd.to_numeric, errors="coerce")
    bad = (scores > 5) | (scores < 1)
    df, scores = df[~bad.any(axis=1)], scores[~bad.any(axis=1)]
    df = df.assign(next_level=df["Level"].map(nxt))
    evaluated = df["next_level"].fillna("") != ""
    expected = pd.DataFrame([levels.get(n, {}) if n else {} for n in df["next_level"].fillna("")],
                            index=df.index)[skills]
    gaps = scores - expected
    attainment = (scores / expected).clip(upper=1)
    fam = {f: [s for s in skills if family[s] == f] for f in set(family.values())}
    fam_att = pd.DataFrame({f: attainment[cols].mean(axis=1) for f, cols in fam.items()})
    readiness = 100 * fam_att.mean(axis=1)
    tech_bar = (gaps[fam["technical"]] >= 0).all(axis=1)
    floor = (scores.fillna(5) >= 2).all(axis=1)
    ready_gate = readiness >= 85
    balance = (fam_att["technical"] - fam_att["soft"]).abs() <= 0.15
    tenure = df["Months in level"] >= 12
    visibility = df["Visibility"] >= 3
    hard = tech_bar & floor & ready_gate
    soft = balance & tenure & visibility
    outcome = np.where(~evaluated, "Top of ladder",
                       np.where(hard & soft, "Ready now",
                                np.where(hard, "Ready with risk", "Developing")))
    readiness_sheet = pd.DataFrame({
        "ID": df["Employee ID"], "Name": df["Full name"], "Team": df["Team"],
        "Manager": df["Manager"], "Level": df["Level"], "Next level": df["next_level"],
        "Outcome": outcome, "Readiness score": readiness.round(1)})
    for f in fam_att:
        readiness_sheet[f"{f} attainment"] = fam_att[f]
    readiness_sheet = readiness_sheet.sort_values(["Outcome", "Readiness score"],
                                                  ascending=[True, False])
    gate_frames = []
    for name, passed, actual, required in (
            ("technical_bar", tech_bar, gaps[fam["technical"]].min(axis=1), 0),
            ("no_weakness", floor, scores.min(axis=1), 2),
            ("readiness", ready_gate, readiness, 85),
            ("balance", balance, (fam_att["technical"] - fam_att["soft"]).abs(), 0.15),
            ("tenure", tenure, df["Months in level"], 12),
            ("visibility", visibility, df["Visibility"], 3)):
        gate_frames.append(pd.DataFrame({
            "ID": df["Employee ID"], "Name": df["Full name"], "Gate": name,
            "Status": np.where(passed, "pass", "fail"), "Required": required,
            "Actual": actual, "Margin": actual - required,
            "Reason": np.where(passed, name + " passed", name + " failed")}))
    gates_sheet = pd.concat(gate_frames, ignore_index=True)
    gaps_sheet = pd.concat([df[["Employee ID", "Full name", "Team", "next_level"]], gaps], axis=1)
    with pd.ExcelWriter(out, engine="xlsxwriter") as writer:
        readiness_sheet.to_excel(writer, sheet_name="Readiness", index=False)
        gates_sheet.to_excel(writer, sheet_name="Gates", index=False)
        gaps_sheet.to_excel(writer, sheet_name="Skill gaps", index=False)
    print(f"{len(df)} people")


if __name__ == "__main__":
    main()
