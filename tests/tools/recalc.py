#!/usr/bin/python3
"""Recalculates a workbook's "What if" sheet in LibreOffice, once per setting of its dials.

    recalc.py WORKBOOK [--set SETTING]... [--json OUT] [--no-threads]

Starts one headless LibreOffice (soffice) with a scratch profile whose OOXML load mode is
"always recalculate", connects to it with python3-uno, loads WORKBOOK hidden and reads the
"What if" and "Summary" sheets after calculateAll() (the "no change" pass). Then, for each
SETTING, it sets the What-if sheet's input cells (found by their labels, as docs say: see the
sheet's contract in the issue), recalculates everything and reads back, per person, the live
"Outcome", "Score" and "Slate", and the Outcomes block; the inputs go back to the run's own
values before the next setting. A SETTING is one or more parts joined by ";":

    weights technical=0.2,soft=0.5,impact=0.3   the Weight cells (a family not named: 0)
    threshold readiness.L5=80                   the Threshold cell whose "Command line" is that key
    budget 12 | budget none                     the "Whole organisation" Slots cell (none: blank)

Prints what it read (or writes it to OUT as JSON) and the seconds each step took. Exits 77
(skipped) when soffice or the uno module is not installed (python3-uno; scripts/install-deps.sh
--render installs both). check_whatif.py imports this file for the same work.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

SKIP = 77
WHAT_IF = "What if"
OUTCOME_ROWS = ["Ready now", "Ready with risk", "Developing", "Not evaluated", "Top of ladder",
                "On the slate", "Tied at the cut"]
PERSON_COLUMNS = ["ID", "Outcome", "Score", "Next level", "Slate", "Outcome as run",
                  "Score as run", "Slate as run"]

# OOXMLRecalcMode 0 is "always recalculate": without it LibreOffice shows a file's cached values
# and recalculates nothing on load (its default, 1, is "never").
REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
%s</oor:items>
"""
# Only for diagnosis (recalc.py --no-threads): LibreOffice 7.4's threaded calculation of formula
# groups, on by default, has reported false circular references (Err:522) on a What-if sheet
# of 2,000 people that it computes without error single-threaded. The checks keep the default,
# which is what the people who open the workbook get.
NO_THREADS = ('<item oor:path="/org.openoffice.Office.Calc/Formula/Calculation"><prop '
              'oor:name="UseThreadedCalculationForFormulaGroups" oor:op="fuse"><value>false'
              '</value></prop></item>\n')
# Run beside soffice: when the process that started it ends without close() (SIGKILL, a
# crash), its end of the pipe closes and this kills soffice's process group and removes the
# scratch folders. close() kills it first, so it never acts after soffice has ended normally.
WATCHDOG = """import os, shutil, signal, sys
sys.stdin.read()
try:
    os.killpg(int(sys.argv[1]), signal.SIGKILL)
except ProcessLookupError:
    pass
for folder in sys.argv[2:]:
    shutil.rmtree(folder, ignore_errors=True)
"""
# getDataArray gives nothing (None) for a cell whose formula ends in an error.
ERROR = "#ERROR"


class Unavailable(Exception):
    """LibreOffice or python3-uno is not installed: the caller skips."""


class LayoutError(Exception):
    """The What-if sheet lacks a label its contract promises."""


def missing_tools():
    """Why recalculation cannot run here, or None when it can."""
    if shutil.which("soffice") is None:
        return "soffice is not installed (libreoffice-calc-nogui)"
    try:
        import uno  # noqa: F401
    except ImportError:
        return "the uno module is not installed (python3-uno)"
    return None


# ---------------------------------------------------------------------------------------------
# Settings


def parse_setting(text):
    """{"label", "weights": {family: w} or None, "thresholds": {key: v}, "budget": absent, an
    int or None} from the command-line-like text the module docstring describes."""
    setting = {"label": text.strip(), "weights": None, "thresholds": {}}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        kind, _, rest = part.partition(" ")
        rest = rest.strip()
        if kind == "weights":
            setting["weights"] = {}
            for item in rest.split(","):
                family, _, value = item.partition("=")
                setting["weights"][family.strip()] = float(value)
        elif kind == "threshold":
            key, _, value = rest.partition("=")
            setting["thresholds"][key.strip()] = float(value)
        elif kind == "budget":
            setting["budget"] = None if rest == "none" else int(rest)
        else:
            raise ValueError(f"unknown setting part {part!r}: weights, threshold or budget")
    return setting


# ---------------------------------------------------------------------------------------------
# The sheet's layout, found by labels in a grid of values (rows of cells, 0-based), so that the
# same code reads LibreOffice's data arrays and openpyxl's cached values.


def _text(value):
    return value.strip() if isinstance(value, str) else ""


def _row_where(grid, start, first, *rest):
    """The first row at or after start whose cells A, B, ... read first, *rest."""
    want = (first,) + rest
    for r in range(start, len(grid)):
        cells = tuple(_text(grid[r][c]) if c < len(grid[r]) else "" for c in range(len(want)))
        if cells == want:
            return r
    raise LayoutError(f"no row reading {' | '.join(want)}")


def _rows_below(grid, header):
    """The rows after header up to the first empty A cell."""
    r = header + 1
    while r < len(grid) and _text(grid[r][0]):
        yield r
        r += 1


def find_layout(grid):
    """Where the What-if sheet's inputs and outputs are: a dict of
    weights {family: (row, col)}, weights_as_run {family: value}, thresholds {key: (row, col)},
    budgets {scope: (row, col)}, outcomes {label: (row, col)}, people_header (row),
    columns {header: col}, people (rows), candidates_only (bool)."""
    layout = {}
    section = next((r for r, row in enumerate(grid) if _text(row[0]).startswith(
        "Priority weights")), None)
    if section is None:
        raise LayoutError("no row starting with 'Priority weights'")
    family_row = _row_where(grid, section, "Family")
    weight_row = _row_where(grid, family_row, "Weight")
    as_run_row = _row_where(grid, weight_row, "As run")
    layout["weights"], layout["weights_as_run"] = {}, {}
    # The families run from column B to the first empty cell; the model's cells (the weights'
    # sum) stand further right.
    for c in range(1, len(grid[family_row])):
        family = _text(grid[family_row][c])
        if not family:
            break
        layout["weights"][family] = (weight_row, c)
        layout["weights_as_run"][family] = grid[as_run_row][c]
    if not layout["weights"]:
        raise LayoutError("the Family row names no family")
    # A template without readiness_score gates (milestone points alone) has no thresholds.
    try:
        gate = _row_where(grid, 0, "Gate", "Threshold", "As run", "Command line")
        layout["thresholds"] = {_text(grid[r][3]): (r, 1) for r in _rows_below(grid, gate)}
    except LayoutError:
        layout["thresholds"] = {}
    scope = _row_where(grid, 0, "Scope", "Slots", "As run", "Candidates", "On the slate",
                       "Tied at the cut")
    layout["budgets"] = {_text(grid[r][0]): (r, 1) for r in _rows_below(grid, scope)}
    outcome = _row_where(grid, 0, "Outcome", "People", "As run")
    layout["outcomes"] = {_text(grid[r][0]): (r, 1) for r in _rows_below(grid, outcome)}
    missing = [o for o in OUTCOME_ROWS if o not in layout["outcomes"]]
    if missing:
        raise LayoutError(f"the Outcomes block lacks {', '.join(missing)}")
    people = _row_where(grid, 0, "People")
    header = _row_where(grid, people, "ID")
    columns = {_text(v): c for c, v in enumerate(grid[header]) if _text(v)}
    missing = [h for h in PERSON_COLUMNS if h not in columns]
    if missing:
        raise LayoutError(f"the People table lacks the columns {', '.join(missing)}")
    layout["people_header"], layout["columns"] = header, columns
    layout["people"] = list(_rows_below(grid, header))
    layout["candidates_only"] = any("candidates only" in _text(v) for row in grid for v in row)
    return layout


def input_cells(layout):
    """Every input cell of the layout as (row, col)."""
    return (list(layout["weights"].values()) + list(layout["thresholds"].values()) +
            list(layout["budgets"].values()))


def assignments(layout, setting):
    """[((row, col), value or None for blank)] that put setting on the sheet."""
    out = []
    if setting.get("weights") is not None:
        unknown = set(setting["weights"]) - set(layout["weights"])
        if unknown:
            raise LayoutError(f"no Weight cell for {', '.join(sorted(unknown))}")
        for family, cell in layout["weights"].items():
            out.append((cell, setting["weights"].get(family, 0.0)))
    for key, value in setting.get("thresholds", {}).items():
        if key not in layout["thresholds"]:
            raise LayoutError(f"no Threshold row with command line {key!r}")
        out.append((layout["thresholds"][key], value))
    if "budget" in setting:
        if "Whole organisation" not in layout["budgets"]:
            raise LayoutError("no 'Whole organisation' budget row (per-team budgets)")
        out.append((layout["budgets"]["Whole organisation"], setting["budget"]))
    return out


def read_outputs(grid, layout):
    """{"people": {id: {column: value}}, "outcomes": {label: value}} from a grid; "" for empty."""
    def cell(r, c):
        v = grid[r][c] if c < len(grid[r]) else None
        return "" if v is None else v
    columns = layout["columns"]
    people = {}
    # Each track's live score by its next level: where the headline track differs from the
    # tool's (the sheet's plan distances are as run), the tool's track is still on the row.
    tracks = sorted((int(h.split()[1].rstrip(":")), c) for h, c in columns.items()
                    if h.startswith("Track ") and h.endswith(": next level"))
    for r in layout["people"]:
        pid = _text(cell(r, columns["ID"]))
        people[pid] = {h: cell(r, columns[h]) for h in PERSON_COLUMNS if h != "ID"}
        people[pid]["tracks"] = {
            _text(cell(r, c)): cell(r, columns[f"Track {t}: score"])
            for t, c in tracks if _text(cell(r, c))}
    outcomes = {label: cell(r, c) for label, (r, c) in layout["outcomes"].items()}
    return {"people": people, "outcomes": outcomes}


# ---------------------------------------------------------------------------------------------
# LibreOffice


class Office:
    """One headless LibreOffice in a scratch profile, started by start() and always ended by
    close() (a context manager): its process group is killed and the profile removed."""

    def __init__(self, threads=True, also_remove=()):
        self.threads = threads
        self.also_remove = list(also_remove)
        self.proc = None
        self.watchdog = None
        self.scratch = None
        self.desktop = None
        self.times = {}

    def start(self):
        """Starts soffice and returns at once: connect() waits for it, so the caller can work
        meanwhile."""
        why = missing_tools()
        if why:
            raise Unavailable(why)
        self.scratch = tempfile.mkdtemp(prefix="nextlevel-recalc-")
        user = os.path.join(self.scratch, "profile", "user")
        os.makedirs(user)
        with open(os.path.join(user, "registrymodifications.xcu"), "w", encoding="utf-8") as f:
            f.write(REGISTRY % ("" if self.threads else NO_THREADS))
        self.pipe = f"nextlevel_recalc_{os.getpid()}"
        self.started = time.monotonic()
        # Its own session, so that close() ends soffice.bin with the shell script and
        # oosplash that start it, and nothing else.
        self.proc = subprocess.Popen(
            ["soffice", "-env:UserInstallation=file://" + os.path.join(self.scratch, "profile"),
             "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
             "--nolockcheck", f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        self.watchdog = subprocess.Popen(
            [sys.executable, "-c", WATCHDOG, str(self.proc.pid), self.scratch] + self.also_remove,
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, start_new_session=True)
        # Connecting in a thread times the start itself while the caller does other work.
        self.waiter = threading.Thread(target=self._wait_for_office, daemon=True)
        self.waiter.start()
        return self

    def _wait_for_office(self, timeout=90):
        import uno
        from com.sun.star.connection import NoConnectException
        self.ctx, self.failure = None, None
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", local)
            deadline = time.monotonic() + timeout
            while self.ctx is None:
                try:
                    self.ctx = resolver.resolve(
                        f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext")
                except NoConnectException:
                    if self.proc.poll() is not None:
                        raise RuntimeError(f"soffice exited {self.proc.returncode} before "
                                           f"answering")
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"soffice did not answer within {timeout} s")
                    time.sleep(0.1)
            self.times["start"] = time.monotonic() - self.started
        except Exception as e:  # handed to connect(), in the caller's thread
            self.failure = e

    def connect(self):
        """Waits until soffice answers (or fails) and opens its desktop."""
        self.waiter.join()
        if self.failure is not None:
            raise self.failure
        ctx = self.ctx
        self.desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                                    ctx)
        return self

    def recalc_mode(self):
        """The profile's OOXMLRecalcMode as LibreOffice reads it (0: always recalculate)."""
        import uno  # noqa: F401 (its import hook makes com.sun.star importable)
        from com.sun.star.beans import PropertyValue
        provider = self.ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", self.ctx)
        node = PropertyValue(Name="nodepath", Value="/org.openoffice.Office.Calc/Formula/Load")
        access = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationAccess", (node,))
        return access.getByName("OOXMLRecalcMode")

    def load(self, path):
        import uno
        from com.sun.star.beans import PropertyValue
        t = time.monotonic()
        props = (PropertyValue(Name="Hidden", Value=True),)
        doc = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(path)),
                                                "_blank", 0, props)
        if doc is None:
            raise RuntimeError(f"LibreOffice could not load {path}")
        self.times["load"] = time.monotonic() - t
        return Workbook(doc)

    def close(self):
        if self.watchdog is not None:
            self.watchdog.kill()
            self.watchdog.wait()
            self.watchdog.stdin.close()
            self.watchdog = None
        if self.desktop is not None:
            try:
                self.desktop.terminate()
            except Exception:  # the bridge drops as soffice goes; that is the point
                pass
            self.desktop = None
        if self.proc is not None:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    continue
                time.sleep(0.1)  # oosplash may outlive the script briefly
            self.proc = None
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Workbook:
    """A loaded document: grids of its sheets' values, input cells set and restored."""

    def __init__(self, doc):
        self.doc = doc

    def sheet_names(self):
        return list(self.doc.Sheets.ElementNames)

    def grid(self, name):
        """The sheet's used area from A1 as rows of values (float, str; "" for empty)."""
        sheet = self.doc.Sheets.getByName(name)
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        end = cursor.RangeAddress
        return [[ERROR if v is None else v for v in row] for row in
                sheet.getCellRangeByPosition(0, 0, end.EndColumn, end.EndRow).getDataArray()]

    def errors(self, name):
        """The addresses of formula cells whose result is an error (#VALUE!, #REF!, ...)."""
        import uno
        sheet = self.doc.Sheets.getByName(name)
        error = uno.getConstantByName("com.sun.star.sheet.FormulaResult.ERROR")
        found = sheet.queryFormulaCells(error)
        return found.getRangeAddressesAsString() if found.getCount() else ""

    def calculate(self):
        t = time.monotonic()
        self.doc.calculateAll()
        return time.monotonic() - t

    def assign(self, cells):
        """Sets cells [((row, col), value or None)] on the What-if sheet; returns what they held,
        as formulas, for restore()."""
        sheet = self.doc.Sheets.getByName(WHAT_IF)
        before = []
        for (r, c), value in cells:
            cell = sheet.getCellByPosition(c, r)
            before.append(((r, c), cell.getFormula()))
            if value is None:
                cell.setFormula("")
            else:
                cell.setValue(float(value))
            if (value is None and cell.getFormula() != "") or \
                    (value is not None and cell.getValue() != float(value)):
                raise RuntimeError(f"the What-if cell at row {r + 1}, column {c + 1} did not "
                                   f"take {value!r} (locked?)")
        return before

    def restore(self, before):
        sheet = self.doc.Sheets.getByName(WHAT_IF)
        for (r, c), formula in reversed(before):
            sheet.getCellByPosition(c, r).setFormula(formula)

    def close(self):
        try:
            self.doc.close(True)
        except Exception:
            self.doc.dispose()


def run_settings(book, settings, progress=None):
    """The "no change" pass and one pass per setting on a loaded Workbook. Returns
    {"layout", "unchanged": {sheet: grid}, "errors": {sheet: addresses}, "settings":
    [{"label", "people", "outcomes", "errors", "seconds"}]}."""
    out = {"settings": [], "unchanged": {}, "errors": {}}
    out["calculate_unchanged"] = book.calculate()
    for name in (WHAT_IF, "Summary"):
        out["unchanged"][name] = book.grid(name)
        out["errors"][name] = book.errors(name)
    layout = find_layout(out["unchanged"][WHAT_IF])
    out["layout"] = layout
    for setting in settings:
        t = time.monotonic()
        before = book.assign(assignments(layout, setting))
        try:
            seconds_calc = book.calculate()
            grid = book.grid(WHAT_IF)
            result = read_outputs(grid, layout)
            result["errors"] = book.errors(WHAT_IF)
        finally:
            book.restore(before)
        result["label"] = setting["label"]
        result["calculate"] = seconds_calc
        result["seconds"] = time.monotonic() - t
        out["settings"].append(result)
        if progress:
            progress(result)
    return out


def recalculate(path, settings, office=None, threads=True):
    """run_settings() on the workbook at path in office (started and connected here when None,
    and then closed); the office's step times are under "times"."""
    own = office is None
    if own:
        office = Office(threads).start()
    try:
        if office.desktop is None:
            office.connect()
        book = office.load(path)
        try:
            out = run_settings(book, settings)
            out["recalc_mode"] = office.recalc_mode()
        finally:
            book.close()
        out["times"] = dict(office.times)
        return out
    finally:
        if own:
            office.close()


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workbook")
    ap.add_argument("--set", action="append", default=[], metavar="SETTING")
    ap.add_argument("--json", metavar="OUT")
    ap.add_argument("--no-threads", action="store_true",
                    help="turn LibreOffice's threaded formula-group calculation off")
    a = ap.parse_args(argv[1:])
    why = missing_tools()
    if why:
        print(f"skipped: {why}")
        return SKIP
    started = time.monotonic()
    out = recalculate(a.workbook, [parse_setting(s) for s in a.set], threads=not a.no_threads)
    out["times"]["total"] = time.monotonic() - started
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=1, default=str)
    layout = out["layout"]
    print(f"OOXMLRecalcMode {out['recalc_mode']}; {len(layout['people'])} people; inputs: "
          f"weights {sorted(layout['weights'])}, thresholds {sorted(layout['thresholds'])}, "
          f"budgets {sorted(layout['budgets'])}")
    for name, where in out["errors"].items():
        if where:
            print(f"{name}: error values in {where}")
    for s in [{"label": "no change", "outcomes": read_outputs(out["unchanged"][WHAT_IF],
                                                              layout)["outcomes"]}] + \
            out["settings"]:
        counts = ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v!r}"
                           for k, v in s["outcomes"].items())
        print(f"{s['label']}: {counts}" + (f" (errors in {s['errors']})" if s.get("errors")
                                           else ""))
    print("seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in out["times"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
