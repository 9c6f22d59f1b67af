#!/usr/bin/python3
"""The milestone ladder's figures, computed by hand, without nextlevel.

usage: milestones_by_hand.py [--csv | --markdown] TEMPLATE.ini MATRIX.csv...

Reads a points-based template (templates/milestones.ini) and wide skill matrices with its own
small reader, and prints for every person: total milestone points, the level they place the
person at, the outcome for the next level, the operating level and the levels above title.
--csv (the default) prints a CSV line per person, headed by nextlevel's column names, for
tests/cli/test_cli_ladder.c to compare with nextlevel's CSV; --markdown prints the table committed as
docs/milestones-by-hand.md.

This is a second, independent reading of the rules the README states, written as a person
would apply them with a pencil; it shares no code with nextlevel and does not run it:
- a rating is a number on the track's scale, or one of the track's own words (the framework's
  words for a track without words of its own);
- a track's milestone points are those of the highest listed rating at or below its rating
  (0 below the lowest); the total adds them over every track that has points;
- the level is the one with the greatest min_points at or below the total;
- a gate of kind points adds the points of its families' tracks (times the gate's weights) and
  passes at or above threshold.NEXT (or threshold); meets_expectations passes when every
  track of its families that NEXT expects is at least the expectation minus the tolerance;
  tenure passes at or above min_months.NEXT (or min_months);
- outcome: no next level: Top of ladder; a hard gate fails: Developing; a soft gate fails:
  Ready with risk; else Ready now (with several next levels the best one; a single track here);
- operating level: step 1 reaches each next level whose hard gates all pass; from a reached
  level, each of its next levels whose hard gates that read ratings all pass (tenure and
  attribute gates skipped) is reached too; the level reached in the most steps is the
  operating level, and the steps are the levels above title.
Only the gate kinds this ladder uses are implemented; any other stops the script.
"""
import csv
import sys

EPS = 1e-9
LIST_KEYS = {"expectations", "labels", "points", "families", "not_expected", "next", "weights"}
OUTCOME_RANK = {"Ready now": 0, "Ready with risk": 1, "Developing": 2, "Top of ladder": 3}


def fail(message):
    sys.stderr.write("milestones_by_hand.py: %s\n" % message)
    sys.exit(2)


def read_template(path):
    """{(type, id): {key: value}} in file order, with continuation lines joined."""
    sections = {}
    current = None
    key = None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            stripped = line.strip()
            if not stripped or stripped[0] in "#;":
                continue
            if " ;" in line:
                line = line[: line.index(" ;")]
                stripped = line.strip()
            if line[0] in " \t" and key is not None:
                sep = ", " if key in LIST_KEYS else " "
                current[key] = current[key] + sep + stripped
                continue
            if stripped.startswith("["):
                name = stripped[1:-1].split(None, 1)
                current = sections.setdefault((name[0], name[1] if len(name) > 1 else ""), {})
                key = None
                continue
            key, value = stripped.split("=", 1)
            key = key.strip()
            current[key] = value.strip()
    return sections


def pairs(text):
    """'a:1, b:2' -> [('a', '1'), ('b', '2')]"""
    out = []
    for item in text.split(","):
        item = item.strip()
        if item:
            k, v = item.rsplit(":", 1)
            out.append((k.strip(), v.strip()))
    return out


def names(text):
    return [x.strip() for x in text.split(",") if x.strip()]


def norm(text):
    return text.lower().replace(" ", "").replace("_", "")


class Ladder:
    def __init__(self, path):
        t = read_template(path)
        fw = t[("framework", "")]
        self.level_from = fw.get("level_from", "column")
        lo, hi = fw["scale"].split("..")
        fw_scale = (float(lo), float(hi))
        fw_labels = {w: float(v) for v, w in pairs(fw.get("labels", ""))}
        fw_points = fw.get("points")
        self.columns = t.get(("columns", ""), {})
        self.skills = {}  # id -> dict(name, family, scale, labels, points)
        for (kind, sid), s in t.items():
            if kind != "skill":
                continue
            own_scale = "scale" in s
            if own_scale:
                lo, hi = s["scale"].split("..")
                scale = (float(lo), float(hi))
            else:
                scale = fw_scale
            if "labels" in s:
                labels = {w: float(v) for v, w in pairs(s["labels"])}
            else:
                labels = {} if own_scale else dict(fw_labels)
            points_text = s.get("points", None if own_scale else fw_points)
            points = None
            if points_text:
                points = []
                for k, v in pairs(points_text):
                    value = labels[k] if k in labels else float(k)
                    points.append((value, float(v)))
                points.sort()
            self.skills[sid] = dict(name=s["name"], family=s["family"], scale=scale,
                                    labels=labels, points=points)
        self.levels = {}
        self.order = []
        for (kind, lid), s in t.items():
            if kind != "level":
                continue
            self.order.append(lid)
            expect = {}
            for k, v in pairs(s.get("expectations", "")):
                expect[k] = self.skill_value(k, v)
            self.levels[lid] = dict(title=s["title"], next=names(s.get("next", "")),
                                    min_points=float(s["min_points"]) if "min_points" in s
                                    else None, expect=expect)
        self.gates = []
        for (kind, gid), s in t.items():
            if kind == "gate":
                g = dict(s)
                g["id"] = gid
                g["title"] = s.get("title", gid)
                if g["kind"] not in ("points", "meets_expectations", "tenure"):
                    fail("gate %s: kind %s is not computed by this script" % (gid, g["kind"]))
                self.gates.append(g)

    def skill_value(self, sid, text):
        s = self.skills[sid]
        text = text.strip()
        if text in s["labels"]:
            return s["labels"][text]
        try:
            v = float(text)
        except ValueError:
            fail("%r is not a rating of %s" % (text, s["name"]))
        if not s["scale"][0] <= v <= s["scale"][1]:
            fail("%r is outside the scale of %s" % (text, s["name"]))
        return v

    def skill_points(self, sid, score):
        earned = 0.0
        for value, pts in self.skills[sid]["points"]:
            if value <= score + EPS:
                earned = pts
        return earned

    def total(self, scores):
        return sum(self.skill_points(s, x) for s, x in scores.items()
                   if self.skills[s]["points"] is not None)

    def level_of(self, total):
        best = None
        for lid in self.order:
            mp = self.levels[lid]["min_points"]
            if mp is not None and mp <= total + EPS:
                if best is None or mp > self.levels[best]["min_points"]:
                    best = lid
        return best

    def find_level(self, text):
        for lid in self.order:
            if norm(text) in (norm(lid), norm(self.levels[lid]["title"])):
                return lid
        return None

    @staticmethod
    def per_level(gate, key, level):
        for k, v in gate.items():
            if "." in k:
                base, lv = k.split(".", 1)
                if base == key and lv == level:
                    return float(v)
        return float(gate[key]) if key in gate else None

    def gate_skills(self, gate):
        fams = names(gate.get("families", ""))
        return [s for s in self.skills if not fams or self.skills[s]["family"] in fams]

    def check(self, gate, person, level):
        """(passes, value) of one gate for the next level, or None when it does not apply."""
        kind = gate["kind"]
        if kind == "points":
            need = self.per_level(gate, "threshold", level)
            if need is None:
                return None
            weights = {k: float(v) for k, v in pairs(gate.get("weights", ""))}
            got = sum(weights.get(s, 1.0) * self.skill_points(s, person["scores"][s])
                      for s in self.gate_skills(gate) if self.skills[s]["points"] is not None)
            return got >= need - EPS, got
        if kind == "meets_expectations":
            tol = float(gate.get("tolerance", "0"))
            worst = None
            for s in self.gate_skills(gate):
                if s in self.levels[level]["expect"]:
                    gap = person["scores"][s] - self.levels[level]["expect"][s]
                    worst = gap if worst is None else min(worst, gap)
            return worst is None or worst >= -tol - EPS, worst
        need = self.per_level(gate, "min_months", level)
        if need is None:
            return None
        return person["months"] >= need - EPS, person["months"]

    def outcome(self, person, level):
        hard = soft = True
        for g in self.gates:
            r = self.check(g, person, level)
            if r is None or r[0]:
                continue
            if g["severity"] == "hard":
                hard = False
            else:
                soft = False
        return "Ready now" if hard and soft else "Ready with risk" if hard else "Developing"

    def hard_pass(self, person, level, skills_only):
        for g in self.gates:
            if g["severity"] != "hard" or (skills_only and g["kind"] == "tenure"):
                continue
            r = self.check(g, person, level)
            if r is not None and not r[0]:
                return False
        return True

    def operating(self, person, level):
        """(operating level, steps): the walk up the ladder described in the module doc."""
        best, best_steps = level, 0

        def walk(at, steps):
            nonlocal best, best_steps
            for nxt in self.levels[at]["next"]:
                if self.hard_pass(person, nxt, skills_only=steps > 0):
                    if steps + 1 > best_steps:
                        best, best_steps = nxt, steps + 1
                    walk(nxt, steps + 1)

        walk(level, 0)
        return best, best_steps


def read_people(ladder, paths):
    people = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        header = [norm(h) for h in rows[0]]

        def col(key, default):
            name = norm(ladder.columns.get(key, default))
            return header.index(name) if name in header else None

        skill_cols = {}
        for sid, s in ladder.skills.items():
            for i, h in enumerate(header):
                if h in (norm(sid), norm(s["name"])):
                    skill_cols[sid] = i
        if len(skill_cols) != len(ladder.skills):
            fail("%s: a track has no column" % path)
        c_id, c_name, c_team = col("id", "id"), col("name", "name"), col("team", "team")
        c_level, c_months = col("level", "level"), col("months_in_level", "months_in_level")
        for row in rows[1:]:
            if not row:
                continue
            scores = {sid: ladder.skill_value(sid, row[i]) for sid, i in skill_cols.items()}
            people.append(dict(id=row[c_id], name=row[c_name], team=row[c_team],
                               file_level=row[c_level].strip() if c_level is not None else "",
                               months=float(row[c_months]), scores=scores))
    return people


def compute(ladder, person):
    total = ladder.total(person["scores"])
    level = ladder.level_of(total)
    in_file = ladder.find_level(person["file_level"]) if person["file_level"] else None
    if person["file_level"] and in_file is None:
        fail("person %s: level %s is not a level" % (person["id"], person["file_level"]))
    nexts = ladder.levels[level]["next"]
    if not nexts:
        outcome, next_level = "Top of ladder", ""
    else:
        ranked = sorted(nexts, key=lambda n: OUTCOME_RANK[ladder.outcome(person, n)])
        next_level = ranked[0]
        outcome = ladder.outcome(person, next_level)
    gates = {}
    for g in ladder.gates:
        r = ladder.check(g, person, next_level) if next_level else None
        gates[g["id"]] = "" if r is None or r[1] is None else fmt(r[1])
    op, steps = ladder.operating(person, level)
    return dict(total=total, level=level,
                level_in_file=in_file if in_file is not None and in_file != level else "",
                next=next_level, outcome=outcome, operating=op, above=steps, gates=gates)


def fmt(x):
    return "%d" % x if x == int(x) else "%g" % x


def main(argv):
    mode = "--csv"
    if argv and argv[0] in ("--csv", "--markdown"):
        mode = argv.pop(0)
    if len(argv) < 2:
        fail("usage: milestones_by_hand.py [--csv | --markdown] TEMPLATE.ini MATRIX.csv...")
    ladder = Ladder(argv[0])
    if ladder.level_from != "points":
        fail("%s does not set level_from = points" % argv[0])
    people = read_people(ladder, argv[1:])
    out = sys.stdout
    if mode == "--csv":
        gate_ids = [g["id"] for g in ladder.gates]
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["id", "milestone_points", "level", "level_in_file", "next_level", "outcome",
                    "operating_level", "levels_above_title"] + [g + "_actual" for g in gate_ids])
        for p in people:
            r = compute(ladder, p)
            w.writerow([p["id"], fmt(r["total"]), r["level"], r["level_in_file"], r["next"],
                        r["outcome"], r["operating"], str(r["above"])] +
                       [r["gates"][g] for g in gate_ids])
        return
    out.write("# The milestone ladder's samples, computed by hand\n\n")
    out.write("Generated by `tests/tools/milestones_by_hand.py --markdown "
              "templates/milestones.ini samples/milestones/*.csv`, which reads the template and "
              "the samples with its own small reader and applies the README's rules without "
              "running nextlevel. `tests/cli/test_cli_ladder.c` checks that nextlevel's CSV "
              "agrees with it person by person, and that this file is what the script prints.\n\n")
    out.write("Total: milestone points over all 16 tracks. Level: the level those points place "
              "the person at (the Level column, when it says something else, is in brackets). "
              "Core and breadth: the two points gates' sums for the next level. Operating: "
              "the highest level whose hard gates pass on the walk up the ladder, with the "
              "levels above title.\n\n")
    out.write("| ID | Name | Team | Total | Level | Next | Core | Breadth | Outcome | Operating | "
              "Above title |\n")
    out.write("| --- | --- | --- | ---: | --- | --- | ---: | ---: | --- | --- | ---: |\n")
    for p in people:
        r = compute(ladder, p)
        level = r["level"] + (" (file: %s)" % r["level_in_file"] if r["level_in_file"] else "")
        out.write("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |\n" % (
            p["id"], p["name"], p["team"], fmt(r["total"]), level, r["next"] or "-",
            r["gates"].get("core_points") or "-", r["gates"].get("breadth") or "-",
            r["outcome"], r["operating"], r["above"]))


if __name__ == "__main__":
    main(sys.argv[1:])
