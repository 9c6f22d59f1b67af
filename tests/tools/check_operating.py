#!/usr/bin/python3
"""Prints what a leader reads of the operating level in a workbook, for test_cli_operating.c.

usage: check_operating.py WORKBOOK

Prints, read back with openpyxl:
- "summary: <line>" for each Summary line that speaks of the operating level;
- "person: ID|Operating level|Levels above title" for each row of the Readiness sheet (an
  empty cell as nothing, a number as an integer), and "kind: <type>" of the first number under
  "Levels above title" (a count must be a number, not text);
- "printed: yes" when both columns are inside the Readiness sheet's print area.
"""
import sys

import openpyxl
from openpyxl.utils import column_index_from_string

wb = openpyxl.load_workbook(sys.argv[1])
for row in wb["Summary"].iter_rows(values_only=True):
    for value in row:
        if isinstance(value, str) and "operating" in value:
            print("summary:", value)
ws = wb["Readiness"]
header = [c.value for c in ws[1]]
col_id, col_level, col_above = (header.index(h) for h in ("ID", "Operating level",
                                                         "Levels above title"))
kind = None
for row in ws.iter_rows(min_row=2, values_only=True):
    above = row[col_above]
    if kind is None and above is not None:
        kind = type(above).__name__
    print("person: %s|%s|%s" % (row[col_id], row[col_level] or "",
                                "" if above is None else int(above)))
print("kind:", kind)
area = ws.print_area
if isinstance(area, list):
    area = area[0] if area else None
if area:
    last = area.split("!")[-1].split(":")[-1].replace("$", "").rstrip("0123456789")
    printed = column_index_from_string(last) >= max(col_level, col_above) + 1
    print("printed:", "yes" if printed else "no")
