#!/usr/bin/env python3
"""Checks the Criteria sheet of a workbook against the template and the input files it names.

usage: check_criteria.py WORKBOOK --template INI --inputs FILE... [--previous FILE...]
                         [--detail full|summary] [--json RESULTS.json]

- every gate of the template (read here with configparser) is on Criteria with its title, kind,
  severity and every other key (families, skills, tolerance, thresholds, months, attribute,
  op, mitigation) in full: each key on a row of its own under the gate, its value there whole
  (numbers equal to the template's, lists with every item, texts word for word);
- no text is cut when printed: a text that does not wrap fits its column (or runs only over
  empty cells of the table), and a wrapped one has a row tall enough for its lines;
- both quarters' input files are listed, each with a 64-hex SHA-256 equal to `sha256sum` of
  the file, its format and counts as numbers; the JSON (--json) lists the same digests;
- the detail level is stated, with the sheets it leaves out; with --detail summary the
  Summary says so in one line, and the workbook has no Gates or Skill gaps sheet;
- headers over numbers are right-aligned, and numbers carry their unit's format (family shares
  in percent, counts whole); every profile gives the template's family weights as written and
  each family's share of the readiness score (its weight over the profile's total).
Prints "ok" or the problems found, and exits 1 on problems.
"""
import argparse
import configparser
import json
import math
import re
import subprocess
import sys

import openpyxl

problems = []

# Characters of prose a column holds per unit of width, at most: a generous bound (LibreOffice
# with Carlito fits some 1.2 per unit), so that a cut found here is a cut on paper.
CHARS_PER_UNIT = 1.3
LINE_POINTS = 13.0  # the least height a line of 11 pt text takes
DEFAULT_WIDTH = 8.43


def check(ok, message):
    if not ok:
        problems.append(message)


def norm(text):
    return " ".join(str(text).split())


def sha256sum(path):
    out = subprocess.run(["sha256sum", path], check=True, capture_output=True, text=True).stdout
    return out.split()[0]


def read_template(path):
    parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(" ;",),
                                       comment_prefixes=("#",), strict=False)
    parser.optionxform = str
    with open(path, encoding="utf-8") as f:
        parser.read_file(f)
    return parser


def width_of(ws, col):
    letter = openpyxl.utils.get_column_letter(col)
    dim = ws.column_dimensions.get(letter)
    # openpyxl keeps a range of columns under its first letter
    for key, d in ws.column_dimensions.items():
        if d.min and d.max and d.min <= col <= d.max and d.width:
            return d.width
    return dim.width if dim is not None and dim.width else DEFAULT_WIDTH


def wrapped_lines(text, room):
    lines = 0
    for paragraph in str(text).split("\n"):
        used, count = 0, 1
        for word in paragraph.split(" "):
            need = used + 1 + len(word) if used else len(word)
            if need > room and used:
                count += 1
                need = len(word)
            while need > room:
                count += 1
                need -= room
            used = need
        lines += count
    return lines


def check_nothing_cut(ws):
    """A text cell either wraps in a row tall enough, or fits the room to its right."""
    last_col = ws.max_column
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value:
                continue
            text = cell.value
            wrap = bool(cell.alignment and cell.alignment.wrap_text)
            width = width_of(ws, cell.column)
            where = f"Criteria {cell.coordinate} ({text[:40]!r})"
            if wrap:
                lines = wrapped_lines(text, max(1, int(width * CHARS_PER_UNIT)))
                height = ws.row_dimensions[cell.row].height or 15
                check(lines == 1 or height >= lines * LINE_POINTS,
                      f"{where} needs {lines} lines but its row is {height} pt high: cut")
                continue
            # Not wrapped: the text runs over empty cells to its right, within the table.
            room = width
            col = cell.column + 1
            while col <= last_col and ws.cell(row=cell.row, column=col).value in (None, ""):
                room += width_of(ws, col)
                col += 1
            if cell.row == 1 or (cell.font and cell.font.sz and cell.font.sz > 11):
                continue  # the title and section names run over empty cells by design
            check(len(text) <= room * CHARS_PER_UNIT,
                  f"{where}: {len(text)} characters in a room {room:.0f} wide, not wrapped: cut")


def rows_of(ws):
    return [list(r) for r in ws.iter_rows()]


def text(cell):
    return "" if cell.value is None else str(cell.value)


def find_row(rows, col, value, start=0):
    for i in range(start, len(rows)):
        if text(rows[i][col]) == value:
            return i
    return None


def gate_block(rows, gate_id, header_index):
    """The gate's row and the parameter rows below it (up to the next gate or a blank row)."""
    i = find_row(rows, 0, gate_id, header_index + 1)
    if i is None:
        return None, []
    params = []
    j = i + 1
    while j < len(rows) and text(rows[j][0]) and not text(rows[j][2]):
        params.append(rows[j])
        j += 1
    return rows[i], params


def leading_number(value):
    m = re.match(r"\s*(-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)", value)
    return float(m.group(1)) if m else None


def level_id(template, name):
    """The id of the level a text names (its id or its title, ignoring case), or the text."""
    for section in template.sections():
        if section.startswith("level "):
            level = section.split(None, 1)[1]
            title = template.get(section, "title", fallback="")
            if name.lower() in (level.lower(), title.lower()):
                return level
    return name


def check_gates(ws, template):
    rows = rows_of(ws)
    header = None
    for i, r in enumerate(rows):
        if text(r[0]).startswith("Gate") and r[0].fill and r[0].fill.fgColor and \
                r[0].fill.fgColor.rgb not in (None, "00000000"):
            header = i
            break
    check(header is not None, "Criteria has no gates table header")
    if header is None:
        return
    gates = [s for s in template.sections() if s.startswith("gate ")]
    check(gates, "the template has no gates")
    for section in gates:
        gate_id = section.split(None, 1)[1]
        gate_row, params = gate_block(rows, gate_id, header)
        check(gate_row is not None, f"gate {gate_id} is not on Criteria")
        if gate_row is None:
            continue
        keys = dict(template.items(section))
        by_key = {text(p[0]).strip(): text(p[1]) for p in params}
        # configparser lowers keys: KEY.LEVEL (LEVEL an id or title) is on the row KEY.ID.
        lowered = {k.lower(): v for k, v in by_key.items()}
        for key in list(keys):
            if "." in key:
                base, level = key.split(".", 1)
                row_key = f"{base}.{level_id(template, level)}".lower()
                if row_key in lowered:
                    by_key[key] = lowered[row_key]
        for key, value in keys.items():
            value = norm(value)
            where = f"gate {gate_id} {key} = {value!r}"
            if key == "title":
                check(norm(text(gate_row[1])) == value, f"{where}: title is {text(gate_row[1])!r}")
            elif key == "kind":
                check(text(gate_row[2]) == value, f"{where}: kind is {text(gate_row[2])!r}")
            elif key == "severity":
                check(text(gate_row[3]) == value, f"{where}: severity is {text(gate_row[3])!r}")
            elif key not in by_key:
                check(False, f"{where}: no '{key}' row under the gate (rows: {list(by_key)})")
            elif key == "mitigation":
                check(norm(by_key[key]) == value, f"{where}: reads {by_key[key]!r}")
            elif key in ("families", "family", "skills"):
                for item in [v.strip() for v in value.split(",") if v.strip()]:
                    check(re.search(r"(^|[ ,(])" + re.escape(item) + r"($|[ ,)])", by_key[key]),
                          f"{where}: {item} missing from {by_key[key]!r}")
            elif key == "levels":
                for item in [v.strip() for v in value.split(",") if v.strip()]:
                    check(level_id(template, item) in by_key[key],
                          f"{where}: {item} missing from {by_key[key]!r}")
            elif key in ("attribute", "op"):
                check(by_key[key].split(" ")[0] == value, f"{where}: reads {by_key[key]!r}")
            else:
                shown = leading_number(by_key[key])
                check(shown is not None and math.isclose(shown, float(value), rel_tol=0,
                                                          abs_tol=1e-12),
                      f"{where}: reads {by_key[key]!r}, not the template's number in full")


def check_inputs(ws, title, files, digests_json):
    rows = rows_of(ws)
    start = None
    for i, r in enumerate(rows):
        if text(r[0]).startswith(title):
            start = i
            break
    check(start is not None, f"Criteria has no section '{title}'")
    if start is None:
        return
    header = rows[start + 1]
    names = [text(c) for c in header]
    check(names[:6] == ["Input file", "SHA-256", "Format", "Rows read", "People accepted",
                        "Rows rejected"], f"{title}: header is {names}")
    listed = {}
    i = start + 2
    while i < len(rows) and text(rows[i][0]):
        listed[text(rows[i][0])] = rows[i]
        i += 1
    for path in files:
        row = listed.get(path)
        check(row is not None, f"{title}: {path} is not listed (listed: {list(listed)})")
        if row is None:
            continue
        digest = text(row[1])
        check(re.fullmatch(r"[0-9a-f]{64}", digest), f"{title}: {path} digest {digest!r}")
        check(digest == sha256sum(path), f"{title}: {path} digest is not its sha256sum")
        check(re.fullmatch(r"(wide|long), (comma|semicolon|tab)-delimited", text(row[2])),
              f"{title}: {path} format {text(row[2])!r}")
        for c in (3, 4, 5):
            check(isinstance(row[c].value, int) or (isinstance(row[c].value, float) and
                                                    row[c].value.is_integer()),
                  f"{title}: {path} {names[c]} is not a number: {row[c].value!r}")
            check(row[c].number_format == "0", f"{title}: {path} {names[c]} format "
                                               f"{row[c].number_format!r}")
        if digests_json is not None:
            check(digests_json.get(path) == digest,
                  f"JSON digest of {path} is {digests_json.get(path)!r}, Criteria says {digest}")
    check(len(listed) == len(files), f"{title}: lists {len(listed)} files, {len(files)} given")


def check_number_headers(ws):
    """Every column of numbers in a table has a right-aligned header; shares are percents."""
    rows = rows_of(ws)
    for i, r in enumerate(rows):
        if not (r[0].value and r[0].fill and r[0].fill.fgColor and
                r[0].fill.fgColor.rgb not in (None, "00000000") and r[0].font and r[0].font.b):
            continue
        for c, head in enumerate(r):
            if not head.value:
                continue
            below = []
            j = i + 1
            while j < len(rows) and any(x.value not in (None, "") for x in rows[j]):
                below.append(rows[j][c])
                j += 1
            values = [x for x in below if x.value is not None]
            if values and all(isinstance(x.value, (int, float)) for x in values):
                check(head.alignment is not None and head.alignment.horizontal == "right",
                      f"Criteria {head.coordinate} {head.value!r}: header over numbers is not "
                      f"right-aligned ({head.alignment.horizontal if head.alignment else None})")
                if str(head.value).endswith(" share"):
                    for x in values:
                        check(x.number_format == "0.0%",
                              f"Criteria {x.coordinate}: share in format {x.number_format!r}")


def check_profiles(ws, template):
    """Each profile's row gives the template's family weights as written and each family's share
    of the readiness score (its weight over the profile's total)."""
    rows = rows_of(ws)
    start = find_row(rows, 0, "Profile")
    check(start is not None, "Criteria has no profiles table")
    if start is None:
        return
    heads = {text(c)[:-len(" share")]: c.column - 1 for c in rows[start] if
             text(c).endswith(" share")}
    families = sorted({k for s in template.sections() if s.startswith("skill ")
                       for k in [template[s].get("family")]})
    check(sorted(heads) == families, f"share columns {sorted(heads)}, families {families}")
    for section in [s for s in template.sections() if s.startswith("priorities ")]:
        name = section.split(None, 1)[1]
        weights = {f: float(template[section].get(f, "0")) for f in families}
        total = sum(weights.values())
        i = find_row(rows, 0, name, start + 1)
        if i is None:
            i = find_row(rows, 0, name + " (deciding)", start + 1)
        check(i is not None, f"profile {name} is not on Criteria")
        if i is None:
            continue
        given = text(rows[i][1]).split("\n")[0]
        for f in families:
            value = template[section].get(f)
            if value is not None:
                check(re.search(r"(^|, )" + re.escape(f) + " " + re.escape(value) + r"($|[,;])",
                                given), f"profile {name}: {f} {value} not in {given!r}")
            share = rows[i][heads[f]].value if f in heads else None
            check(isinstance(share, (int, float)) and
                  math.isclose(share, weights[f] / total, abs_tol=1e-12),
                  f"profile {name}: {f} share {share!r}, expected {weights[f] / total}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("workbook")
    ap.add_argument("--template", required=True)
    ap.add_argument("--inputs", nargs="+", required=True)
    ap.add_argument("--previous", nargs="*", default=[])
    ap.add_argument("--detail", default="full")
    ap.add_argument("--json")
    args = ap.parse_args()

    wb = openpyxl.load_workbook(args.workbook)
    check("Criteria" in wb.sheetnames, "no Criteria sheet")
    if problems:
        return finish()
    ws = wb["Criteria"]
    template = read_template(args.template)
    values = {text(r[0]): text(r[1]) for r in ws.iter_rows() if r[0].value}

    check_gates(ws, template)
    check_nothing_cut(ws)
    check_number_headers(ws)
    check_profiles(ws, template)

    digests = digests_then = None
    if args.json:
        doc = json.load(open(args.json, encoding="utf-8"))
        digests = {f["path"]: f["sha256"] for f in doc.get("inputs", [])}
        digests_then = {f["path"]: f["sha256"] for f in doc.get("inputs_last_quarter", [])}
        check(digests, "the JSON lists no inputs")
        check(not args.previous or digests_then, "the JSON lists no inputs_last_quarter")
    check_inputs(ws, "Inputs, this quarter", args.inputs, digests)
    if args.previous:
        check_inputs(ws, "Inputs, last quarter", args.previous, digests_then)
    else:
        check(not any(k.startswith("Inputs, last quarter") for k in values),
              "last quarter's inputs listed without --previous")

    detail = values.get("Detail level", "")
    left_out = values.get("Sheets left out", "")
    summary_texts = [str(c.value) for r in wb["Summary"].iter_rows() for c in r
                     if isinstance(c.value, str)]
    said = [t for t in summary_texts if "left out" in t and "--detail summary" in t]
    if args.detail == "summary":
        check(detail.startswith("summary"), f"Detail level reads {detail!r}")
        check("Gates" in left_out and "Skill gaps" in left_out and "--detail summary" in left_out,
              f"Sheets left out reads {left_out!r}")
        check("Gates" not in wb.sheetnames and "Skill gaps" not in wb.sheetnames,
              "--detail summary wrote Gates or Skill gaps")
        check(len(said) == 1 and "Gates" in said[0] and "Skill gaps" in said[0],
              f"the Summary does not say in one line what was left out: {said}")
    else:
        check(detail.startswith("full"), f"Detail level reads {detail!r}")
        check("Gates" not in left_out and "Skill gaps" not in left_out,
              f"Sheets left out reads {left_out!r} at full detail")
        check("Gates" in wb.sheetnames and "Skill gaps" in wb.sheetnames,
              "full detail without Gates or Skill gaps")
        check(not said, f"the Summary says sheets were left out at full detail: {said}")
    check(args.previous or "Trend" in left_out, f"Sheets left out omits Trend: {left_out!r}")
    return finish()


def finish():
    if problems:
        for p in problems[:60]:
            print(p)
        sys.exit(1)
    print("ok")


main()
