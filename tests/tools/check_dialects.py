#!/usr/bin/env python3
"""Checks a run's CSV outputs in a dialect against the same run's plain CSV outputs.

usage: check_dialects.py PLAIN.csv OTHER.csv excel|excel-eu|plain

For the results file and every sibling table beside PLAIN.csv (.rejected, .summary,
.managers, .fairness, .trend), the OTHER file must exist, be valid UTF-8, start with the byte
order mark (excel, excel-eu) and end its rows in CRLF (a line break inside a quoted cell
stays LF, as Excel writes it), and Python's csv module, told the
dialect's delimiter, must read it to the same records as the plain file, cell by cell. A
number of the plain file (-0.15, 3, 1.5e+06) must appear in excel-eu with a decimal comma
and in the other dialects unchanged. Prints what differs and exits 1, or exits 0.
"""
import csv
import io
import os
import re
import sys

SUFFIXES = ["", ".rejected", ".summary", ".managers", ".fairness", ".trend"]
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?(e[+-][0-9]+)?$")
BOM = b"\xef\xbb\xbf"


def sibling(path, suffix):
    return path[: -len(".csv")] + suffix + ".csv"


def row_ends_without_cr(data):
    """Offsets of the LFs that end a row without a CR before them. A line break inside a
    quoted cell stays a lone LF, as Excel writes one (Alt+Enter in a cell)."""
    bare, quoted = [], False
    for i, byte in enumerate(data):
        if byte == 0x22:
            quoted = not quoted  # a doubled quote toggles twice
        elif byte == 0x0A and not quoted and (i == 0 or data[i - 1] != 0x0D):
            bare.append(i)
    return bare


def records(data, delimiter):
    text = data.decode("utf-8")  # strict: raises on invalid UTF-8
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))


def check_file(plain_path, other_path, dialect, problems):
    with open(plain_path, "rb") as f:
        plain = f.read()
    if not os.path.exists(other_path):
        problems.append(f"{other_path}: missing (the plain run wrote {plain_path})")
        return 0
    with open(other_path, "rb") as f:
        other = f.read()
    if plain.startswith(BOM):
        problems.append(f"{plain_path}: the plain file starts with a byte order mark")
    if dialect != "plain":
        if not other.startswith(BOM):
            problems.append(f"{other_path}: no byte order mark")
        other = other[len(BOM):]
        bare = row_ends_without_cr(other)
        if bare:
            problems.append(f"{other_path}: {len(bare)} line ends without CR (first at byte {bare[0]})")
        if not other.endswith(b"\r\n"):
            problems.append(f"{other_path}: the last row does not end in CRLF")
    delimiter = ";" if dialect == "excel-eu" else ","
    try:
        want, got = records(plain, ","), records(other, delimiter)
    except (UnicodeDecodeError, csv.Error) as e:
        problems.append(f"{other_path}: {e}")
        return 0
    if len(want) != len(got):
        problems.append(f"{other_path}: {len(got)} records, the plain file has {len(want)}")
        return 0
    swapped = 0
    for r, (a_row, b_row) in enumerate(zip(want, got)):
        if len(a_row) != len(b_row):
            problems.append(f"{other_path}: record {r + 1} has {len(b_row)} cells, plain {len(a_row)}")
            continue
        for c, (a, b) in enumerate(zip(a_row, b_row)):
            expected = a
            if dialect == "excel-eu" and NUMBER.match(a):
                expected = a.replace(".", ",")
                swapped += expected != a
            if b != expected:
                problems.append(f"{other_path}: record {r + 1} cell {c + 1}: {b!r}, expected {expected!r}")
    return swapped


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ("plain", "excel", "excel-eu"):
        sys.exit(__doc__)
    plain_path, other_path, dialect = sys.argv[1:]
    problems = []
    files = swapped = 0
    for suffix in SUFFIXES:
        p = sibling(plain_path, suffix)
        if not os.path.exists(p):
            if os.path.exists(sibling(other_path, suffix)):
                problems.append(f"{sibling(other_path, suffix)}: written, but not in the plain run")
            continue
        files += 1
        swapped += check_file(p, sibling(other_path, suffix), dialect, problems)
    if dialect == "excel-eu" and swapped == 0:
        problems.append("no number with a decimal comma in any file")
    for p in problems[:20]:
        print(p)
    print(f"{files} files, {swapped} numbers with a decimal comma, {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
