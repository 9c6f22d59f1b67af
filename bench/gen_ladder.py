#!/usr/bin/env python3
"""Generates a framework template with many levels and skills, to time template loading.

usage: bench/gen_ladder.py --levels L --skills S [--people P] OUTDIR

Writes OUTDIR/template.ini: S skills (s1..sS, alternating the technical and soft families),
L levels in one chain (L1 -> L2 -> ... -> LL, the first an entry level), each expecting 3 in
every skill, one gate per family. With --people, also OUTDIR/matrix.csv with P people at L1
scored 3 in every skill (one column per skill), so that `evaluate` runs over the whole width.
Deterministic; never writes into the repository unless told to.
"""
import argparse
import os


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--levels", type=int, default=3)
    ap.add_argument("--skills", type=int, default=4)
    ap.add_argument("--people", type=int, default=0)
    ap.add_argument("outdir")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    skills = [f"s{i + 1}" for i in range(a.skills)]
    out = ["[framework]", "name = Generated ladder", "scale = 1..5", "", "[columns]",
           "id = Employee ID", "name = Full name", "level = Level", ""]
    for i, sid in enumerate(skills):
        out += [f"[skill {sid}]", f"name = Skill {i + 1}", f"family = {'technical' if i % 2 == 0 else 'soft'}", ""]
    expectations = [f"{sid}:3" for sid in skills]
    for level in range(1, a.levels + 1):
        out += [f"[level L{level}]", f"title = Level {level}"]
        if level == 1:
            out.append("entry = yes")
        if level < a.levels:
            out.append(f"next = L{level + 1}")
        out.append("expectations = " + ", ".join(expectations[:16]))
        for k in range(16, len(expectations), 16):
            out.append("    " + ", ".join(expectations[k:k + 16]))
        out.append("")
    out += ["[priorities even]", "technical = 1", "soft = 1", "",
            "[gate tech_bar]", "kind = meets_expectations", "families = technical",
            "severity = hard", "", "[gate soft_bar]", "kind = meets_expectations",
            "families = soft", "severity = soft", "mitigation = Pair with a mentor.", ""]
    with open(os.path.join(a.outdir, "template.ini"), "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    if a.people:
        with open(os.path.join(a.outdir, "matrix.csv"), "w", encoding="utf-8") as f:
            f.write(",".join(["Employee ID", "Full name", "Level"] + skills) + "\n")
            for p in range(a.people):
                f.write(",".join([f"P{p + 1}", f"Person {p + 1}", "L1"] + ["3"] * a.skills) + "\n")


if __name__ == "__main__":
    main()
