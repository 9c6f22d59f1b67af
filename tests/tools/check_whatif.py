#!/usr/bin/python3
"""Proof by recalculation: the What-if sheet's formulas decide as nextlevel does.

    check_whatif.py BINARY SOURCE_DIR [--template INI] [--budget N] [--setting S]...
                    [--work DIR] [--no-lo-threads] [MATRIX...]

Writes the workbook of MATRIX (default: SOURCE_DIR/samples/*.csv) on INI (default: the
engineering ladder) with --budget N (default 5; "none" for no budget), SOURCE_DATE_EPOCH=0, and
checks, without LibreOffice:
- every XML part of the xlsx parses, openpyxl loads it, and What if is its second sheet;
- every formula of every sheet (cells, conditional formats, data validations, defined names)
  calls only the functions of WHITELIST, and every formula cell carries a cached value;
- the What-if sheet is protected without a password, and its input cells are unlocked and
  carry data validation.
Then, in one LibreOffice (recalc.py), with the profile set to recalculate on load and
calculateAll():
- the untouched workbook's recalculated values equal every cached formula value of the What if
  and Summary sheets (numbers to 1e-9 relative, strings equal), and no formula is an error;
- for each SETTING (recalc.py's syntax; default: SAMPLE_SETTINGS), every person's live Outcome,
  Score and Slate equal the outcome, readiness score and on_slate of the command-line twin
  (`BINARY evaluate ... --weights/--threshold/--budget`, the run's other options kept), and the
  Outcomes block equals the twin's counts. The twin writes JSON (outcome, readiness_score,
  on_slate): the CSV prints scores with 6 significant digits (printf "%g"), too coarse for
  1e-9, and the JSON exactly (the shortest text that reads back as the same double).
Each setting must move something against the run (outcomes, scores or slate marks), some
setting must move outcomes and some slate marks: a check that no dial moves proves nothing.

Exits 0 when all holds, 1 listing every disagreement, 2 on a usage error, and 77 (skipped)
when soffice or python3-uno is not installed (after the checks that need neither pass).
"""
import argparse
import concurrent.futures
import glob
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree for recalc.py
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import recalc  # noqa: E402

# Functions Excel 2010, LibreOffice 7 and Google Sheets all compute (the README's list).
WHITELIST = {"IF", "AND", "OR", "SUM", "SUMPRODUCT", "ISNUMBER", "MIN", "MAX", "CHOOSE", "INDEX",
             "LARGE", "COUNTIF", "ROUND", "ABS", "SIGN", "N"}
# For the samples (55 people, 26 of them candidates, 18 tied Ready now at 100 with a budget of
# 5), chosen by running the twins: each weight set moves about 30 scores (the first one
# outcome and three slate marks); 50 lets one Developing person through and 99.5 stops four;
# 19 slots leave two people tied at the cut, 22 four, and no budget empties the slate.
SAMPLE_SETTINGS = [
    "weights technical=1,soft=0,impact=0",
    "weights technical=0,soft=1,impact=0",
    "weights technical=0,soft=0,impact=1",
    "weights technical=0.2,soft=0.5,impact=0.3",
    "weights technical=1,impact=2",
    "threshold readiness=50",
    "threshold readiness=99.5",
    "budget 19",
    "budget 22",
    "budget none",
]
REL = 1e-9
ABS = 1e-12  # for results that are zero: a relative tolerance alone would demand exactly 0
MAX_LISTED = 40  # disagreements printed per setting; all are counted
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def local(tag):
    return tag.rsplit("}", 1)[-1]


# ---------------------------------------------------------------------------------------------
# Running nextlevel


def twin_args(setting, as_run_budget):
    """The evaluate options that say on the command line what setting says in the sheet."""
    args = []
    if setting.get("weights") is not None:
        args += ["--weights", ",".join(f"{f}={v!r}" for f, v in setting["weights"].items())]
    for key, value in setting.get("thresholds", {}).items():
        args += ["--threshold", f"{key}={value!r}"]
    budget = setting["budget"] if "budget" in setting else as_run_budget
    if budget is not None:
        args += ["--budget", str(budget)]
    return args


class Runner:
    def __init__(self, binary, template, matrices):
        self.binary, self.template, self.matrices = binary, template, matrices

    def evaluate(self, out, fmt, extra):
        """Runs evaluate; exit 1 (done, some rows rejected) is a success."""
        env = dict(os.environ, SOURCE_DATE_EPOCH="0")
        done = subprocess.run([self.binary, "evaluate", "--quiet", "--template", self.template,
                               "--format", fmt, "--out", out] + extra + self.matrices, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if done.returncode not in (0, 1) or not os.path.exists(out):
            raise SystemExit(f"nextlevel evaluate {' '.join(extra)} exited {done.returncode}: "
                             f"{done.stderr.strip()}")
        return out


def read_results(path):
    """{id: {"outcome", "score" (a number or None), "slate"}} of a JSON result; on_slate is
    absent without a budget, where the sheet's Slate is empty."""
    with open(path, encoding="utf-8") as f:
        people = json.load(f)["people"]
    return {p["id"]: {"outcome": p["outcome"], "score": p.get("readiness_score"),
                      "slate": p.get("on_slate", ""), "next": p.get("next_level", "")}
            for p in people}


def grid_of(ws):
    return [list(row) for row in ws.iter_rows(values_only=True)]


# ---------------------------------------------------------------------------------------------
# Checks of the file itself


def sheet_parts(z):
    """{sheet name: its part name in the zip}, from workbook.xml and its relationships."""
    book = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    out = {}
    for sheet in book.find("m:sheets", NS):
        t = target[sheet.get(REL_NS)]
        out[sheet.get("name")] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    return out


def functions_in(formula):
    """The function names a formula calls (string literals and quoted sheet names left out)."""
    bare = re.sub(r'"(?:[^"]|"")*"', '""', formula)
    bare = re.sub(r"'(?:[^']|'')*'", "''", bare)
    return {m.upper() for m in re.findall(r"([A-Za-z_][A-Za-z0-9_.]*)\s*\(", bare)}


def check_file(xlsx, problems):
    """The checks that need no LibreOffice; returns (sheet parts, formula count), or None when
    a part does not parse."""
    with zipfile.ZipFile(xlsx) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels", ".vml")):
                try:
                    ET.fromstring(z.read(name))
                except ET.ParseError as e:
                    problems.append(f"{name}: not well-formed XML: {e}")
        if problems:
            return None
        parts = sheet_parts(z)
        formulas = 0
        for sheet, part in parts.items():
            root = ET.fromstring(z.read(part))
            for el in root.iter():
                tag = local(el.tag)
                if tag in ("f", "formula", "formula1", "formula2") and el.text:
                    formulas += 1
                    bad = functions_in(el.text) - WHITELIST
                    if bad:
                        problems.append(f"{sheet}: a formula calls {', '.join(sorted(bad))}, "
                                        f"outside the whitelist: {el.text[:120]}")
                if tag == "c" and el.find("m:f", NS) is not None and el.find("m:v", NS) is None:
                    problems.append(f"{sheet}!{el.get('r')}: a formula without a cached value")
        for name in ET.fromstring(z.read("xl/workbook.xml")).iter(f"{{{NS['m']}}}definedName"):
            bad = functions_in(name.text or "") - WHITELIST
            if bad:
                problems.append(f"the defined name {name.get('name')} calls "
                                f"{', '.join(sorted(bad))}")
        if recalc.WHAT_IF not in parts:
            problems.append("no What if sheet")
            return parts, formulas
        protection = ET.fromstring(z.read(parts[recalc.WHAT_IF])).find("m:sheetProtection", NS)
        if protection is None or protection.get("sheet") not in ("1", "true"):
            problems.append("What if: the sheet is not protected")
        elif {"password", "hashValue", "algorithmName"} & set(protection.attrib):
            problems.append(f"What if: protected with a password ({protection.attrib})")
    return parts, formulas


def check_inputs(wb, layout, problems):
    """Input cells unlocked and under a data validation."""
    ws = wb[recalc.WHAT_IF]
    validated = [dv.sqref for dv in ws.data_validations.dataValidation]
    for r, c in recalc.input_cells(layout):
        cell = ws.cell(row=r + 1, column=c + 1)
        if cell.protection.locked:
            problems.append(f"What if!{cell.coordinate}: an input cell, locked")
        if not any(cell.coordinate in ranges for ranges in validated):
            problems.append(f"What if!{cell.coordinate}: an input cell without data validation")


# ---------------------------------------------------------------------------------------------
# Comparisons


def same_value(cached, live):
    """Whether LibreOffice's live value reproduces a cached one."""
    if cached is None:
        cached = ""
    if isinstance(cached, bool):
        cached = float(cached)
    if isinstance(cached, (int, float)):
        return isinstance(live, float) and math.isclose(cached, live, rel_tol=REL, abs_tol=ABS)
    return cached == live


def check_unchanged(formula_wb, cached_grids, out, problems):
    """Every formula cell's cached value against the untouched workbook recalculated."""
    counts = {}
    for name in (recalc.WHAT_IF, "Summary"):
        live, cached, n, listed = out["unchanged"][name], cached_grids[name], 0, []
        for row in formula_wb[name].iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                n += 1
                r, c = cell.row - 1, cell.column - 1
                want = cached[r][c] if r < len(cached) and c < len(cached[r]) else None
                got = live[r][c] if r < len(live) and c < len(live[r]) else ""
                if not same_value(want, got):
                    listed.append(f"{name}!{cell.coordinate}: cached {want!r}, recalculated "
                                  f"{got!r} ({cell.value[:100]})")
        problems += listed[:MAX_LISTED]
        if len(listed) > MAX_LISTED:
            problems.append(f"{name}: ... {len(listed)} formulas in all whose recalculated value "
                            f"is not the cached one")
        counts[name] = n
        if n == 0:
            problems.append(f"{name}: no formula to recalculate")
        if out["errors"][name]:
            problems.append(f"{name}: formulas give errors in {out['errors'][name]}")
    return counts


def compare_people(label, live, twin, candidates_only, problems):
    """Disagreements of one setting, appended to problems; returns (agree, total)."""
    listed = []
    ids = set(twin)
    shown = set(live["people"])
    if not candidates_only and shown != ids:
        for pid in sorted(ids - shown):
            listed.append(f"{pid}: in the tool's results, not on the What-if sheet")
        for pid in sorted(shown - ids):
            listed.append(f"{pid}: on the What-if sheet, not in the tool's results")
    agree = 0
    headline_differs = []
    for pid in sorted(ids & shown):
        want, got = twin[pid], live["people"][pid]
        wrong = []
        if got["Outcome"] != want["outcome"]:
            wrong.append(f"Outcome sheet {got['Outcome']!r}, tool {want['outcome']!r}")
        if want["score"] is None:
            if got["Score"] != "":
                wrong.append(f"Score sheet {got['Score']!r}, tool none")
        elif not isinstance(got["Score"], float) or \
                not math.isclose(got["Score"], want["score"], rel_tol=REL, abs_tol=ABS):
            # The headline track is the nearest to ready by plan distance, which the sheet
            # keeps as run (README, "The What if sheet"): where the tool, replanning, heads
            # with another track, that track's live score on the row must be the tool's.
            other = got["tracks"].get(want["next"])
            if got["Next level"] != want["next"] and isinstance(other, float) and \
                    math.isclose(other, want["score"], rel_tol=REL, abs_tol=ABS):
                headline_differs.append(pid)
            else:
                wrong.append(f"Score sheet {got['Score']!r} (next level {got['Next level']}), "
                             f"tool {want['score']!r} (next level {want['next']})")
        if got["Slate"] != want["slate"]:
            wrong.append(f"Slate sheet {got['Slate']!r}, tool {want['slate']!r}")
        if wrong:
            listed.append(f"{pid}: " + "; ".join(wrong))
        else:
            agree += 1
    counts = {o: sum(p["outcome"] == o for p in twin.values()) for o in recalc.OUTCOME_ROWS[:5]}
    counts["On the slate"] = sum(p["slate"] == "on the slate" for p in twin.values())
    counts["Tied at the cut"] = sum(p["slate"] == "tied at the cut" for p in twin.values())
    for name, n in counts.items():
        got = live["outcomes"].get(name)
        if not (isinstance(got, float) and got == n):
            listed.append(f"Outcomes block {name}: sheet {got!r}, tool {n}")
    if live.get("errors"):
        listed.append(f"formulas give errors in {live['errors']}")
    for line in listed[:MAX_LISTED]:
        problems.append(f"{label}: {line}")
    if len(listed) > MAX_LISTED:
        problems.append(f"{label}: ... and {len(listed) - MAX_LISTED} more disagreements")
    return (agree, len(ids & shown) if candidates_only else len(ids | shown),
            len(headline_differs))


def compare_as_run(live, base, layout, grid, problems):
    """The "as run" columns and Outcomes counts, which are values, against the run's results."""
    listed = []
    for pid, got in live["people"].items():
        want = base.get(pid)
        if want is None:
            continue  # compare_people reports it
        score = got["Score as run"]
        if got["Outcome as run"] != want["outcome"] or got["Slate as run"] != want["slate"] or \
                (want["score"] is None) != (score == "") or (want["score"] is not None and not (
                    isinstance(score, float) and math.isclose(score, want["score"], rel_tol=REL,
                                                              abs_tol=ABS))):
            listed.append(f"{pid}: as run on the sheet {got['Outcome as run']!r}, {score!r}, "
                          f"{got['Slate as run']!r}; the run {want['outcome']!r}, "
                          f"{want['score']!r}, {want['slate']!r}")
    for name, (r, c) in layout["outcomes"].items():
        if name in recalc.OUTCOME_ROWS[:5]:
            n = sum(p["outcome"] == name for p in base.values())
        else:
            n = sum(p["slate"] == name.lower() for p in base.values())
        got = grid[r][c + 1] if c + 1 < len(grid[r]) else None
        if not (isinstance(got, float) and got == n):
            listed.append(f"Outcomes block {name}, As run: sheet {got!r}, the run {n}")
    problems += [f"as run: {line}" for line in listed[:MAX_LISTED]]
    if len(listed) > MAX_LISTED:
        problems.append(f"as run: ... and {len(listed) - MAX_LISTED} more")


def changes(base, twin):
    """How many people the setting moves against the run: outcome, score, slate mark."""
    return tuple(sum(twin[p][k] != base[p][k] for p in base if p in twin)
                 for k in ("outcome", "score", "slate"))


# ---------------------------------------------------------------------------------------------


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binary")
    ap.add_argument("source_dir")
    ap.add_argument("matrices", nargs="*")
    ap.add_argument("--template")
    ap.add_argument("--budget", default="5", help='the run\'s budget ("none": no --budget)')
    ap.add_argument("--setting", action="append", dest="settings", metavar="S")
    ap.add_argument("--work", help="keep the files here (default: a temporary folder)")
    ap.add_argument("--no-lo-threads", action="store_true",
                    help="turn LibreOffice's threaded formula-group calculation off (diagnosis)")
    a = ap.parse_intermixed_args(argv[1:])
    source = os.path.abspath(a.source_dir)
    template = a.template or os.path.join(source, "templates", "engineering-ic.ini")
    matrices = a.matrices or sorted(glob.glob(os.path.join(source, "samples", "*.csv")))
    settings = [recalc.parse_setting(s) for s in (a.settings or SAMPLE_SETTINGS)]
    as_run_budget = None if a.budget == "none" else int(a.budget)
    run = Runner(os.path.abspath(a.binary), template, matrices)
    work = a.work or tempfile.mkdtemp(prefix="nextlevel-whatif-")
    os.makedirs(work, exist_ok=True)
    # A timeout's SIGTERM ends the run through the finally clauses, which stop LibreOffice.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    times = {}
    office = None
    try:
        why = recalc.missing_tools()
        if why is None:
            # It starts while the twins run; if this process is killed, it removes work too.
            office = recalc.Office(threads=not a.no_lo_threads,
                                   also_remove=[] if a.work else [work]).start()
        run_args = twin_args({}, as_run_budget)
        t = time.monotonic()
        workbook = run.evaluate(os.path.join(work, "whatif.xlsx"), "xlsx", run_args)
        times["write workbook"] = time.monotonic() - t

        t = time.monotonic()
        jobs = [("run", "json", run_args)]
        jobs += [(i, "json", twin_args(s, as_run_budget)) for i, s in enumerate(settings)]
        with concurrent.futures.ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as ex:
            futures = {(key, fmt): ex.submit(run.evaluate,
                                             os.path.join(work, f"twin-{key}.{fmt}"), fmt, args)
                       for key, fmt, args in jobs}
            twins = {k: f.result() for k, f in futures.items()}
        times[f"{len(jobs)} twin runs"] = time.monotonic() - t

        problems = []
        t = time.monotonic()
        import openpyxl
        checked = check_file(workbook, problems)
        if checked is None:
            print("\n".join(problems) + "\nFAILED")
            return 1
        formula_count = checked[1]
        formula_wb = openpyxl.load_workbook(workbook)
        if formula_wb.sheetnames[1:2] != [recalc.WHAT_IF]:
            problems.append(f"What if is not the second sheet: {formula_wb.sheetnames}")
        values = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
        cached = {name: grid_of(values[name]) if name in values else [[None]]
                  for name in (recalc.WHAT_IF, "Summary")}
        values.close()
        try:
            layout = recalc.find_layout(cached[recalc.WHAT_IF])
        except recalc.LayoutError as e:
            print(f"What if: {e}\nFAILED")
            return 1
        check_inputs(formula_wb, layout, problems)
        times["file checks"] = time.monotonic() - t
        print(f"file: {formula_count} formulas, {len(recalc.input_cells(layout))} input cells; "
              f"{len(problems)} problems")

        results = {key: read_results(path) for (key, _), path in twins.items()}
        base = results["run"]
        moved = [changes(base, results[i]) for i in range(len(settings))]
        for s, m in zip(settings, moved):
            if not any(m):
                problems.append(f"{s['label']}: the tool's results equal the run's: it moves "
                                f"nothing, so it proves nothing")
        if not any(m[0] for m in moved):
            problems.append("no setting moves anyone's outcome")
        if not any(m[2] for m in moved):
            problems.append("no setting moves a slate mark")

        if office is None:
            for p in problems:
                print(p)
            if problems:
                return 1
            print(f"skipped: {why}; the file's own checks pass")
            return recalc.SKIP

        t = time.monotonic()
        office.connect()
        times["LibreOffice start (beside the twins)"] = office.times["start"]
        book = office.load(workbook)
        times["load"] = office.times["load"]
        try:
            out = recalc.run_settings(book, settings)
            mode = office.recalc_mode()
        finally:
            book.close()
        if mode != 0:
            problems.append(f"the scratch profile's OOXMLRecalcMode is {mode}, not 0")
        times["recalculation"] = time.monotonic() - t - office.times["load"]
        counts = check_unchanged(formula_wb, cached, out, problems)
        print(f"untouched workbook, recalculated: {counts[recalc.WHAT_IF]} formulas on What if, "
              f"{counts['Summary']} on Summary against their cached values")
        note = " (candidates only)" if layout["candidates_only"] else ""
        live = recalc.read_outputs(out["unchanged"][recalc.WHAT_IF], layout)
        agree, total, other = compare_people("as run", live, base, layout["candidates_only"],
                                             problems)
        if other:  # at the run's own dials the headline is the run's
            problems.append(f"as run: {other} people headed by another track than the run's")
        compare_as_run(live, base, layout, out["unchanged"][recalc.WHAT_IF], problems)
        print(f"as run: {agree}/{total} agree{note}")
        for i, (s, result) in enumerate(zip(settings, out["settings"])):
            agree, total, other = compare_people(s["label"], result, results[i],
                                                 layout["candidates_only"], problems)
            o, sc, sl = moved[i]
            headed = (f"; {other} headed by another track than the tool's, whose score there "
                      f"agrees" if other else "")
            print(f"{s['label']}: {agree}/{total} agree{note}{headed} (against the run: {o} "
                  f"outcomes, {sc} scores, {sl} slate marks move; {result['calculate']:.2f} s "
                  f"to recalculate)")
        times["total"] = time.monotonic() - started
        print("seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in times.items()))
        for p in problems:
            print(p)
        if problems:
            print(f"FAILED: {len(problems)} problems")
            return 1
        print("ok: the What-if sheet recalculates to the tool's results in every setting")
        return 0
    finally:
        if office is not None:
            office.close()
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
