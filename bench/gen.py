#!/usr/bin/env python3
"""Generates a synthetic organisation for benchmarks: deterministic for a given seed.

usage: bench/gen.py --people N [--skills S] [--files F] [--seed K] [--bad-every B]
                    [--previous PREVDIR] OUTDIR

Writes OUTDIR/template.ini (the engineering ladder of templates/engineering-ic.ini widened to
S skills over the technical, soft and impact families, with the same gates) and
OUTDIR/matrix-NNN.csv (the people spread over F files, wide format). Teams hold 5 to 15
people with one manager each; levels follow a pyramid; about 2% of skill cells are empty
(not assessed) and one row in B is broken on purpose (a score out of the scale) so that the
rejection path is exercised. With --previous, PREVDIR/matrix-NNN.csv holds last quarter
of the same organisation: 97% of this quarter's people (the others are new), with scores a
little lower (growth of about a quarter point a skill), 5% of them one level lower (promoted
since) and 2% more people who have left since. With --groups G, each person gets a Location
drawn at random from G offices (about 3% left empty) by a generator of its own, independent of
everything else, and the template a [fairness] section on it: every difference between the
offices is chance, so the Fairness sheet should flag none. Without it the output is byte for
byte what it was. Never writes into the repository unless told to.
"""
import argparse
import os
import random

LEVELS = [("L1", "Associate Engineer", "L2"), ("L2", "Engineer", "L3"),
          ("L3", "Senior Engineer", "L4, M1"), ("L4", "Staff Engineer", "L5"),
          ("L5", "Senior Staff Engineer", "L6"), ("L6", "Principal Engineer", None),
          ("M1", "Engineering Manager", "M2"), ("M2", "Senior Engineering Manager", None)]
PYRAMID = [0.22, 0.28, 0.24, 0.1, 0.04, 0.01, 0.08, 0.03]
FAMILIES = ["technical", "soft", "impact"]
OFFICES = ["Berlin", "Lisbon", "Nairobi", "Osaka", "Toronto", "Austin", "Sydney", "Dublin",
           "Lagos", "Seoul", "Lima", "Oslo"]


def skill_family(index, count):
    # 45% technical, 40% soft, 15% impact, in blocks.
    if index < int(count * 0.45):
        return "technical"
    if index < int(count * 0.85):
        return "soft"
    return "impact"


def expectation(level_index, family, skill_index):
    base = {"L1": 2, "L2": 2, "L3": 3, "L4": 4, "L5": 4, "L6": 5, "M1": 3, "M2": 4}
    level = LEVELS[level_index][0]
    value = base[level] + (1 if (skill_index % 3 == 0 and level in ("L3", "L5", "M1")) else 0)
    if level.startswith("M") and family == "soft":
        value += 1
    return max(1, min(5, value))


def write_template(path, skills, groups=0):
    lines = ["[framework]", "name = Benchmark ladder", "scale = 1..5",
             "labels = 1:Novice, 2:Advanced beginner, 3:Proficient, 4:Advanced, 5:Expert",
             "default_priorities = balanced", "missing_scores = skip", "",
             "[columns]", "id = Employee ID", "name = Full name", "team = Team",
             "manager = Manager", "level = Level", "months_in_level = Months in level", "",
             "[attribute visibility]", "column = Visibility", ""]
    if groups:
        lines += ["[fairness]", "group_column = Location", ""]
    for i, (sid, family) in enumerate(skills):
        lines += [f"[skill {sid}]", f"name = Skill {i + 1}", f"family = {family}", ""]
    for li, (lid, title, nxt) in enumerate(LEVELS):
        lines += [f"[level {lid}]", f"title = {title}"]
        if nxt:
            lines.append(f"next = {nxt}")
        if lid in ("L1", "L2", "L3"):
            lines.append("entry = yes")
        items = [f"{sid}:{expectation(li, fam, i)}" for i, (sid, fam) in enumerate(skills)]
        lines.append("expectations = " + ", ".join(items[:8]))
        for k in range(8, len(items), 8):
            lines.append("    " + ", ".join(items[k:k + 8]))
        lines.append("")
    lines += ["[priorities balanced]", "technical = 1", "soft = 1", "impact = 1", "",
              "[priorities delivery_first]", "technical = 0.6", "soft = 0.25", "impact = 0.15", "",
              "[priorities people_first]", "technical = 0.25", "soft = 0.6", "impact = 0.15", "",
              "[gate technical_bar]", "kind = meets_expectations", "families = technical",
              "severity = hard", "",
              "[gate soft_bar]", "kind = meets_expectations", "families = soft",
              "tolerance = 0.5", "severity = soft", "mitigation = Pair with a mentor.", "",
              "[gate no_weakness]", "kind = floor", "min_score = 2", "severity = hard", "",
              "[gate readiness]", "kind = readiness_score", "threshold = 85", "severity = hard", "",
              "[gate balance]", "kind = balance", "families = technical, soft",
              "max_distance = 0.15", "severity = soft", "mitigation = Stretch project.", "",
              "[gate tenure]", "kind = tenure", "min_months = 12", "severity = soft",
              "mitigation = Wait a quarter.", "",
              "[gate visibility]", "kind = attribute", "attribute = visibility", "op = >=",
              "threshold = 3", "severity = soft", "mitigation = Present at an all-hands.", ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def last_quarter(row, level_index, rng):
    """The row a person had a quarter ago: lower scores, 5% one level lower."""
    then = list(row)
    lower = [i for i, lv in enumerate(LEVELS) if lv[2] and LEVELS[level_index][0] in
             [n.strip() for n in lv[2].split(",")]]
    months = int(row[5])
    if lower and rng.random() < 0.05:
        then[4] = LEVELS[lower[0]][0]
        then[5] = str(rng.randint(6, 40))
    else:
        then[5] = str(max(0, months - 3))
    for c in range(6, len(row) - 1):
        if row[c] not in ("", "9"):
            score = float(row[c]) - round(max(0.0, rng.gauss(0.25, 0.3)) * 2) / 2
            then[c] = f"{min(5, max(1, score)):g}"
    return then


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, required=True)
    ap.add_argument("--skills", type=int, default=40)
    ap.add_argument("--files", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bad-every", type=int, default=2000)
    ap.add_argument("--previous", metavar="PREVDIR")
    ap.add_argument("--groups", type=int, default=0,
                    help="add a Location column drawn at random from this many offices")
    ap.add_argument("outdir")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.outdir, exist_ok=True)
    skills = [(f"s{i + 1:02d}", skill_family(i, a.skills)) for i in range(a.skills)]
    if not 0 <= a.groups <= len(OFFICES):
        ap.error(f"--groups: 0 to {len(OFFICES)}")
    write_template(os.path.join(a.outdir, "template.ini"), skills, a.groups)
    header = ["Employee ID", "Full name", "Team", "Manager", "Level", "Months in level"] + \
        [sid for sid, _ in skills] + ["Visibility"] + (["Location"] if a.groups else [])
    # The offices come from their own generator, so that nothing else depends on them.
    group_rng = random.Random(a.seed + 2_000_003)
    per_file = (a.people + a.files - 1) // a.files
    # Last quarter comes from its own generator, so this quarter is the same with or without it.
    then_rng = random.Random(a.seed + 1_000_003)
    if a.previous:
        os.makedirs(a.previous, exist_ok=True)
    person = 0
    team_left, team, manager = 0, "", ""
    level_ids = [lv[0] for lv in LEVELS]
    for f in range(a.files):
        path = os.path.join(a.outdir, f"matrix-{f + 1:03d}.csv")
        then = open(os.path.join(a.previous, f"matrix-{f + 1:03d}.csv"), "w", encoding="utf-8",
                    newline="") if a.previous else None
        if then:
            then.write(",".join(header) + "\n")
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(",".join(header) + "\n")
            for _ in range(min(per_file, a.people - person)):
                if team_left == 0:
                    team_left = rng.randint(5, 15)
                    team = f"Team {person // 10 + 1:05d}"
                    manager = f"Manager {person + 1:07d}"
                team_left -= 1
                li = rng.choices(range(len(LEVELS)), PYRAMID)[0]
                ability = rng.gauss(0, 0.6)
                row = [f"P{person + 1:07d}", f"Person {person + 1:07d}", team, manager,
                       level_ids[li], str(rng.randint(0, 60))]
                nxt = (LEVELS[li][2] or LEVELS[li][0]).split(",")[0].strip()
                ni = level_ids.index(nxt)
                for si, (sid, fam) in enumerate(skills):
                    if rng.random() < 0.02:
                        row.append("")
                        continue
                    e = expectation(ni, fam, si)
                    score = round((e - 0.6 + ability + rng.gauss(0, 0.5)) * 2) / 2
                    row.append(f"{min(5, max(1, score)):g}")
                row.append(str(rng.randint(1, 5)))
                if a.bad_every and (person + 1) % a.bad_every == 0:
                    row[6] = "9"  # out of the scale: this row is rejected
                office = []
                if a.groups:
                    name = group_rng.choice(OFFICES[:a.groups])
                    office = ["" if group_rng.random() < 0.03 else name]
                out.write(",".join(row + office) + "\n")
                if then and then_rng.random() >= 0.03:
                    then.write(",".join(last_quarter(row, li, then_rng) + office) + "\n")
                person += 1
            if then and f == a.files - 1:
                for k in range(a.people // 50):  # people who have left since
                    row = [f"L{k + 1:07d}", f"Leaver {k + 1:07d}", team, manager, "L2",
                           str(then_rng.randint(0, 60))]
                    row += [f"{then_rng.choice([2, 2.5, 3]):g}" for _ in skills]
                    row.append(str(then_rng.randint(1, 5)))
                    if a.groups:
                        row.append(OFFICES[0])
                    then.write(",".join(row) + "\n")
        if then:
            then.close()


if __name__ == "__main__":
    main()
