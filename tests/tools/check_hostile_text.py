#!/usr/bin/env python3
"""Property test over a hostile alphabet (issue 16, items 1 and 8).

For each seed: builds a multi-team run whose names, teams, managers, template texts and file
names draw from bidi controls, combining marks, astral emoji, "]]>", "_x0041_", XML
specials, quotes, line breaks inside quoted cells, characters XML 1.0 forbids and invalid
UTF-8 bytes; runs evaluate to xlsx, CSV, JSON and per-team packs, and inspect; then checks:

- every XML part of every workbook parses and openpyxl loads every workbook;
- CSV and JSON outputs are valid UTF-8 and parse;
- names, teams and managers come back as typed: exactly in CSV and JSON; in the workbook as
  Excel reads them (the OOXML _xHHHH_ escapes decoded) with the documented replacements only
  (characters XML forbids as U+FFFD; line breaks and tabs as spaces in one-line cells);
- the template's texts come back as typed in the workbook's properties and the JSON;
- nothing written for a person to read (standard output of inspect, standard error of every
  run) holds a control character, a bidi control or a byte that is not UTF-8;
- a template text holding a character XML forbids, a control character or invalid UTF-8 is
  refused with its line and column.

Usage: check_hostile_text.py BINARY WORKDIR SEED...   Prints "ok" or the failures.
"""

import csv
import io
import json
import os
import random
import re
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
TEMPLATE = os.path.join(SOURCE, "templates", "engineering-ic.ini")

# What a cell may hold (all valid UTF-8 once encoded).
CELL_TOKENS = [
    "\u202e", "\u2066", "e\u0301", "\u0300", "\U0001F600", "\U0001F469\u200d\U0001F4BB",
    "]]>", "_x0041_", "_x005F_", "_X00e9_", "<&>\"'", '"', "'", "\r\n", "\n", "\t",
    "\uffff", "\u0001", "\ufffe", "\u001b[31m", "\u0085", "\u00a0", "&amp;", "a\u200bb",
    "\u05e9\u05dc\u05d5\u05dd", "<![CDATA[x]]>", "\\", ",", ";",
]
# What a template text may hold: no line break, no " ;" (a comment), nothing a template
# refuses.
TEMPLATE_TOKENS = [
    "\u202e", "\u2066", "e\u0301", "\U0001F600", "]]>", "_x0041_", "<&>\"'", '"', "'",
    "\u05e9\u05dc\u05d5\u05dd", "&amp;", "\u00a0",
]
# What a file name may hold, as bytes (no '/', no NUL, no line break).
NAME_TOKENS = [
    "\u202e".encode(), "\U0001F600".encode(), b"\xff", b"\xc3", b"_x0041_", b"]]>",
    b"<&>'", b"\x1b[1m", "e\u0301".encode(), b"\xef\xbf\xbf",
]

FORBIDDEN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
EXCEL_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")

failures = []


def fail(seed, what):
    failures.append("seed %s: %s" % (seed, what))


def hostile(rng, tokens, lead, count):
    return lead + "".join(rng.choice(tokens) for _ in range(count)) + "z"


def excel_reads(text):
    """A cell's string as Excel shows it: ECMA-376's _xHHHH_ escapes decoded."""
    return EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def in_workbook(typed):
    """What a one-line cell holding typed shows: the documented replacements."""
    text = FORBIDDEN_XML.sub("\ufffd", typed)
    return re.sub("[\t\n\r\x7f]", " ", text)


def skills_of(template_text):
    return re.findall(r"^\[skill ([^\]]+)\]", template_text, re.M)


def hostile_template(rng, path):
    """The bundled template with hostile tokens in its texts; returns (texts by key, name)."""
    lines = open(TEMPLATE, encoding="utf-8").read().split("\n")
    section = ""
    name = None
    out = []
    for line in lines:
        m = re.match(r"^\[([^\]]+)\]", line)
        if m:
            section = m.group(1)
        m = re.match(r"^(name|title|description|mitigation|confidentiality) = (.*)$", line)
        if m and section != "columns":
            count = 1 if m.group(1) == "confidentiality" else 3
            value = hostile(rng, TEMPLATE_TOKENS, "H", count) + " " + m.group(2)
            line = "%s = %s" % (m.group(1), value)
            if section == "framework" and m.group(1) == "name":
                name = value
        out.append(line)
    with open(path, "wb") as f:
        f.write("\n".join(out).encode("utf-8"))
    return name


def write_matrices(rng, folder, skills):
    """Three team files with hostile names; returns ({id: (name, team, manager)}, paths)."""
    header = ["Employee ID", "Full name", "Team", "Manager", "Level", "Months in level"]
    header += skills + ["Visibility", "Performance rating"]
    people = {}
    paths = []
    number = 100
    for t in range(3):
        team = hostile(rng, CELL_TOKENS, "T%d" % t, 3)
        manager = hostile(rng, CELL_TOKENS, "M%d" % t, 3)
        rows = []
        for _ in range(3):
            number += 1
            pid = "E%d" % number
            name = hostile(rng, CELL_TOKENS, "N", 4)
            people[pid] = (name, team, manager)
            scores = [str(rng.choice([2, 3, 3.5, 4, 5])) for _ in skills]
            rows.append([pid, name, team, manager, rng.choice(["L2", "L3", "L4"]),
                         str(rng.randint(6, 40))] + scores + ["4", "4"])
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
        data = buf.getvalue().encode("utf-8")
        # Rejected rows: a name that is neither UTF-8 nor Windows-1252 (0x81 is undefined in both),
        # a level holding an escape sequence.
        number += 1
        data += b'"E%d","N\x81\xffz","%s","x","L2","5"' % (number, team.encode()) + \
            b',"3"' * len(skills) + b',"4","4"\n'
        number += 1
        data += b'"E%d","Nq","%s","x","\x1b[2J\xe2\x80\xaeL2","5"' % (number, team.encode()) + \
            b',"3"' * len(skills) + b',"4","4"\n'
        file_name = b"team%d " % t + b"".join(rng.choice(NAME_TOKENS) for _ in range(3)) + b".csv"
        path = os.path.join(os.fsencode(folder), file_name)
        with open(path, "wb") as f:
            f.write(data)
        paths.append(path)
    return people, paths


def run(seed, args, expect=(0, 1)):
    proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=SOURCE,
                          env=dict(os.environ, SOURCE_DATE_EPOCH="1767225600"))
    for stream, data in (("stdout", proc.stdout), ("stderr", proc.stderr)):
        if stream == "stdout" and "--out" in args and "-" in args:
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            fail(seed, "%s of %s is not UTF-8: %s" % (stream, args[1], e))
            continue
        bad = TERMINAL_UNSAFE.search(text)
        if bad:
            fail(seed, "%s of %s holds %r raw: %r" % (stream, args[1], bad.group(0),
                                                      text[max(0, bad.start() - 60):bad.end()]))
    if proc.returncode not in expect:
        fail(seed, "%s exited %d: %s" % (" ".join(map(str, args[1:3])), proc.returncode,
                                          proc.stderr.decode("utf-8", "replace")[-500:]))
    return proc


def check_xml_parts(seed, path):
    path = os.fsdecode(path)
    with zipfile.ZipFile(path) as z:
        for part in z.namelist():
            if part.endswith((".xml", ".rels", ".vml")):
                try:
                    ET.fromstring(z.read(part))
                except ET.ParseError as e:
                    fail(seed, "%s: %s is not well-formed: %s" % (os.path.basename(path), part, e))
        return z.read("docProps/core.xml")


def readiness_rows(seed, path):
    """{id: (name, team, manager)} of the Readiness sheet as Excel reads it."""
    path = os.fsdecode(path)
    try:
        wb = openpyxl.load_workbook(path)
    except Exception as e:  # any refusal is the finding
        fail(seed, "openpyxl refuses %s: %s" % (os.path.basename(path), e))
        return {}
    ws = wb["Readiness"]
    rows = ws.iter_rows(values_only=True)
    header = [excel_reads(str(c)) if c is not None else "" for c in next(rows)]
    cols = [header.index(k) for k in ("ID", "Name", "Team", "Manager")]
    found = {}
    for row in rows:
        if row[cols[0]] is None:
            continue
        found[excel_reads(str(row[cols[0]]))] = tuple(
            excel_reads(str(row[c])) if row[c] is not None else "" for c in cols[1:])
    return found


def compare(seed, where, people, found, transform):
    for pid, typed in people.items():
        if pid not in found:
            fail(seed, "%s: person %s is missing" % (where, pid))
            continue
        want = tuple(transform(t) for t in typed)
        if found[pid] != want:
            fail(seed, "%s: person %s reads %r, typed %r" % (where, pid, found[pid], want))


def read_utf8(seed, path):
    data = open(path, "rb").read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        fail(seed, "%s is not UTF-8: %s" % (os.path.basename(path), e))
        return data.decode("utf-8", "replace")


def check_seed(binary, workdir, seed):
    rng = random.Random(seed)
    base = os.path.join(workdir, "s%d" % seed)
    inputs = os.path.join(base, "in")
    os.makedirs(inputs)
    template_text = open(TEMPLATE, encoding="utf-8").read()
    template = os.path.join(os.fsencode(base), b"tpl \xe2\x80\xae\xf0\x9f\x98\x80 _x0041_.ini")
    framework_name = hostile_template(rng, template)
    people, _ = write_matrices(rng, inputs, skills_of(template_text))
    common = [binary, "evaluate", "-q", "--template", template, "--date", "2026-01-01"]

    xlsx = os.path.join(base, "r.xlsx")
    run(seed, common + ["--out", xlsx, inputs])
    core = check_xml_parts(seed, xlsx).decode("utf-8")
    if ("<dc:title>Promotion readiness: %s</dc:title>" % framework_name.replace("&", "&amp;")
            .replace("<", "&lt;").replace(">", "&gt;")) not in core:
        fail(seed, "docProps title does not hold the template's name as typed: %r" % core[:400])
    compare(seed, "r.xlsx", people, readiness_rows(seed, xlsx), in_workbook)

    packs = os.path.join(base, "packs")
    run(seed, common + ["--split-by", "team", "--out-dir", packs, "--out",
                        os.path.join(packs, "all.xlsx"), inputs])
    pack_files = sorted(f for f in os.listdir(os.fsencode(packs)) if f.endswith(b".xlsx"))
    if len(pack_files) < 4:
        fail(seed, "expected 3 team packs and the whole workbook, found %r" % pack_files)
    seen = {}
    for f in pack_files:
        path = os.path.join(os.fsencode(packs), f)
        check_xml_parts(seed, path)
        if f != b"all.xlsx":
            seen.update(readiness_rows(seed, path))
    compare(seed, "packs", people, seen, in_workbook)

    out_json = os.path.join(base, "r.json")
    run(seed, common + ["--format", "json", "--out", out_json, inputs])
    try:
        doc = json.loads(read_utf8(seed, out_json))
        found = {p["id"]: (p["name"], p["team"], p["manager"]) for p in doc["people"]}
        compare(seed, "r.json", people, found, lambda t: t)
        if doc["template"]["name"] != framework_name:
            fail(seed, "r.json: template name %r, typed %r" % (doc["template"]["name"],
                                                               framework_name))
    except (ValueError, KeyError) as e:
        fail(seed, "r.json does not parse: %s" % e)

    out_csv = os.path.join(base, "r.csv")
    run(seed, common + ["--format", "csv", "--out", out_csv, inputs])
    csv_files = [f for f in os.listdir(base) if f.endswith(".csv")]
    if "r.rejected.csv" not in csv_files:
        fail(seed, "no r.rejected.csv among %r" % csv_files)
    for f in csv_files:
        text = read_utf8(seed, os.path.join(base, f))
        try:
            table = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        except csv.Error as e:
            fail(seed, "%s does not parse: %s" % (f, e))
            continue
        if f == "r.csv":
            head = table[0]
            cols = [head.index(k) for k in ("id", "name", "team", "manager")]
            found = {r[cols[0]]: tuple(r[c] for c in cols[1:]) for r in table[1:]}
            compare(seed, f, people, found, lambda t: t)
        if f == "r.rejected.csv" and len(table) != 1 + 6:
            fail(seed, "r.rejected.csv holds %d rows, 6 expected" % (len(table) - 1))

    run(seed, [binary, "inspect", "--template", template, inputs])
    run(seed, [binary, "check", template])


def check_refused_templates(binary, workdir):
    """Template texts XML forbids or that are not UTF-8: refused with line and column."""
    lines = open(TEMPLATE, "rb").read().split(b"\n")
    line_no = next(i for i, l in enumerate(lines) if l.startswith(b"name = ")) + 1
    for bad in (b"\xef\xbf\xbf", b"\x01", b"\xff", b"\xef\xbf\xbe", b"\x1b[31m", b"\xc2\x85"):
        edited = list(lines)
        edited[line_no - 1] = b"name = Eng" + bad + b"ineering"
        path = os.path.join(workdir, "refused.ini")
        with open(path, "wb") as f:
            f.write(b"\n".join(edited))
        proc = run("template", [binary, "check", path], expect=(3,))
        where = "%s:%d:11: error:" % (path, line_no)
        if where not in proc.stdout.decode("utf-8", "replace") + \
                proc.stderr.decode("utf-8", "replace"):
            fail("template", "%r in a name: no '%s' finding" % (bad, where))


def main():
    binary, workdir = sys.argv[1], sys.argv[2]
    for seed in sys.argv[3:]:
        check_seed(binary, workdir, int(seed))
    check_refused_templates(binary, workdir)
    if failures:
        print("\n".join(failures[:40]))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
