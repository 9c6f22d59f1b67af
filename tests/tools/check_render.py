#!/usr/bin/python3
"""The rendering check: the sample workbook as LibreOffice prints it.

    check_render.py NEXTLEVEL SOURCE_DIR [WORK_DIR]

Runs NEXTLEVEL on the bundled samples (with last quarter and --calibrate) to a workbook and to
JSON, converts the workbook to PDF with LibreOffice headless (a private profile in a temporary
folder), and reads every page back with `pdftotext -layout`:

- each page belongs to the sheet its footer names ("<sheet>, nextlevel run ..."), and each
  sheet prints a number of pages within PAGE_RANGES below;
- the Summary page holds the Outcomes table: its header, then one row per outcome in order,
  each count equal to the JSON's and printed under the "People" header (the count's characters
  overlap the header's); and the By team table's counts under their outcome's header.

Exits 0 when all holds, 1 with the problems, and 77 (skipped) when soffice or pdftotext is not
installed (scripts/test.sh installs them: libreoffice-calc-nogui, poppler-utils and
fonts-crosextra-carlito, Calibri's metrics).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# ---------------------------------------------------------------------------------------------
# PAGES PER SHEET for the samples (55 people, 7 teams, last quarter, --calibrate), printed by
# LibreOffice 7.4 with Carlito on A4 landscape, as (fewest, most). Measured 2026-12-02:
# Summary 1, Slate 1, Pipeline 1, Readiness 21, Gates 45, Skill gaps 5, Development plans 18,
# Calibration 5, Trend 4, Fairness 1, Rejected rows 1, Criteria 4 (107 pages). Adapt here when
# a sheet's layout changes on purpose; a sheet not listed may print 1 to DEFAULT_RANGE[1] pages.
PAGE_RANGES = {
    "Summary": (1, 1),
    "Slate": (1, 1),
    "Pipeline": (1, 1),
    "Readiness": (4, 32),
    "Gates": (8, 72),
    "Skill gaps": (1, 8),
    "Development plans": (2, 24),
    "Calibration": (1, 6),
    "Trend": (1, 8),
    "Fairness": (1, 1),  # two stacked 8-column tables since 2026-12-02
    "Rejected rows": (1, 2),
    "Criteria": (1, 5),
}
DEFAULT_RANGE = (1, 10)
# ---------------------------------------------------------------------------------------------

OUTCOMES = ["Ready now", "Ready with risk", "Developing", "Not evaluated", "Top of ladder"]
SKIP = 77


def run(args, **kw):
    return subprocess.run(args, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, **kw)


def make_outputs(nextlevel, source, work):
    """The workbook and JSON of one run of the samples, with a fixed run date."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")
    csvs = sorted(os.path.join(source, "samples", f) for f in os.listdir(
        os.path.join(source, "samples")) if f.endswith(".csv"))
    paths = {}
    for ext in ("xlsx", "json"):
        paths[ext] = os.path.join(work, "report." + ext)
        done = subprocess.run(
            [nextlevel, "evaluate", "--quiet", "--template",
             os.path.join(source, "templates", "engineering-ic.ini"), "--previous",
             os.path.join(source, "samples", "previous-quarter"), "--calibrate", "--out",
             paths[ext]] + csvs, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        if done.returncode not in (0, 1):  # 1: done, some rows rejected (messy-export.csv)
            raise SystemExit(f"nextlevel exited {done.returncode}: {done.stderr}")
    return paths["xlsx"], paths["json"]


def to_pdf(xlsx, work):
    profile = os.path.join(work, "lo-profile")
    run(["soffice", "-env:UserInstallation=file://" + profile, "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", work, xlsx], timeout=300)
    pdf = os.path.splitext(xlsx)[0] + ".pdf"
    if not os.path.getsize(pdf):
        raise SystemExit("LibreOffice wrote no PDF")
    return pdf


def pages_text(pdf):
    text = run(["pdftotext", "-layout", pdf, "-"]).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def page_sheet(page, sheets):
    """The sheet a page's footer names: the line that starts with "<sheet>, nextlevel run" and
    holds "Page N of M". It is usually the page's last line, but pdftotext may put a chart's
    text after it, so the last such line is taken wherever it is."""
    footers = [line.strip() for line in page.splitlines()
               if ", nextlevel run" in line and "Page " in line]
    if not footers:
        return None
    named = [s for s in sheets if footers[-1].startswith(s + ", nextlevel run")]
    return max(named, key=len) if named else None


def spans(line, words):
    """{word: (start, end)} of each header word in line (the first match at or after the
    previous one, so that "Ready now" is not found inside another header)."""
    out, at = {}, 0
    for w in words:
        i = line.find(w, at)
        if i < 0:
            return None
        out[w] = (i, i + len(w))
        at = i + len(w)
    return out


def number_at(line, start):
    """The first number in line at or after start, as (value, start, end)."""
    m = re.compile(r"(\d[\d,]*)").search(line, start)
    if m is None:
        return None
    return int(m.group(1).replace(",", "")), m.start(), m.end()


def under(span, header):
    """Whether a printed number's characters overlap its header's (one character of slack)."""
    return span[0] <= header[1] + 1 and span[1] >= header[0] - 1


def check_outcomes(page, summary, problems):
    lines = page.splitlines()
    header_at = next((i for i, l in enumerate(lines)
                      if re.match(r"\s*Outcome\s+People\b", l)), None)
    if header_at is None:
        problems.append("Summary: no Outcomes table header ('Outcome  People ...')")
        return
    header = spans(lines[header_at], ["Outcome", "People"])
    found = []
    for i in range(header_at + 1, min(header_at + 20, len(lines))):
        m = re.match(r"\s*(" + "|".join(map(re.escape, OUTCOMES)) + r")\b", lines[i])
        if m is None or m.group(1) in found:
            continue
        name = m.group(1)
        found.append(name)
        number = number_at(lines[i], m.end())
        if number is None:
            problems.append(f"Summary: the Outcomes row {name!r} has no count")
            continue
        if number[0] != summary[name]:
            problems.append(f"Summary: {name} shows {number[0]}, the JSON {summary[name]}")
        if not under(number[1:], header["People"]):
            problems.append(f"Summary: the {name} count (characters {number[1]}-{number[2]}) is "
                            f"not under 'People' ({header['People'][0]}-{header['People'][1]}): "
                            f"{lines[header_at].rstrip()!r} / {lines[i].rstrip()!r}")
        if len(found) == len(OUTCOMES):
            break
    if found != OUTCOMES:
        problems.append(f"Summary: the Outcomes rows read {found}, expected {OUTCOMES}")


def check_teams(page, summary, problems):
    lines = page.splitlines()
    header_at = next((i for i, l in enumerate(lines)
                      if re.match(r"\s*Team\s+Ready now\b", l)), None)
    if header_at is None:
        return  # the By team table may have moved off the first page
    header = spans(lines[header_at], ["Team"] + OUTCOMES)
    if header is None:
        problems.append(f"Summary: By team header lacks an outcome: {lines[header_at]!r}")
        return
    for team in summary.get("teams", []):
        row = next((l for l in lines[header_at + 1:header_at + 60]
                    if re.match(r"\s*" + re.escape(team["team"]) + r"\s{2,}\d", l)), None)
        if row is None:
            continue  # the table may continue on the next page
        at = len(re.match(r"\s*" + re.escape(team["team"]), row).group(0))
        for name in OUTCOMES:
            number = number_at(row, at)
            if number is None:
                problems.append(f"Summary: {team['team']} lacks its {name} count")
                break
            at = number[2]
            if number[0] != team["outcomes"][name]:
                problems.append(f"Summary: {team['team']} {name} shows {number[0]}, the JSON "
                                f"{team['outcomes'][name]}")
            if not under(number[1:], header[name]):
                problems.append(f"Summary: {team['team']}'s {name} count is not under its "
                                f"header: {lines[header_at].rstrip()!r} / {row.rstrip()!r}")
                break


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    missing = [tool for tool in ("soffice", "pdftotext") if shutil.which(tool) is None]
    if missing:
        print(f"skipped: {', '.join(missing)} not installed (scripts/test.sh installs them)")
        return SKIP
    nextlevel, source = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    work = argv[3] if len(argv) > 3 else tempfile.mkdtemp(prefix="nextlevel-render-")
    os.makedirs(work, exist_ok=True)
    try:
        xlsx, result = make_outputs(nextlevel, source, work)
        with open(result, encoding="utf-8") as f:
            summary = json.load(f)["summary"]
        import openpyxl
        sheets = openpyxl.load_workbook(xlsx, read_only=True).sheetnames
        pages = pages_text(to_pdf(xlsx, work))
        problems = []
        counts = {s: 0 for s in sheets}
        for n, page in enumerate(pages, 1):
            sheet = page_sheet(page, sheets)
            if sheet is None:
                problems.append(f"page {n}: its footer names no sheet")
            else:
                counts[sheet] += 1
        for sheet in sheets:
            low, high = PAGE_RANGES.get(sheet, DEFAULT_RANGE)
            if not low <= counts[sheet] <= high:
                problems.append(f"{sheet}: {counts[sheet]} pages, expected {low} to {high}")
        first = [p for p, n in zip(pages, range(len(pages)))
                 if page_sheet(p, sheets) == "Summary"]
        if not first:
            problems.append("no Summary page")
        else:
            check_outcomes(first[0], summary, problems)
            check_teams(first[0], summary, problems)
        print("pages: " + ", ".join(f"{s} {counts[s]}" for s in sheets) + f" ({len(pages)})")
        for p in problems:
            print(p)
        if problems:
            return 1
        print("ok: every sheet's pages within range; the Summary's counts under their headers")
        return 0
    finally:
        if len(argv) <= 3:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
