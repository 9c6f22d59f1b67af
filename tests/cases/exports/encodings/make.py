#!/usr/bin/env python3
"""Writes the encoding fixtures of this folder (see NOTE.md). Run it from anywhere:
/usr/bin/python3 tests/cases/exports/encodings/make.py; the files it writes are committed."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

HEADER = ["Employee ID", "Full name", "Team", "Manager", "Level", "Months in level", "coding",
          "system_design", "testing_quality", "operations", "security", "communication",
          "collaboration", "mentoring", "conflict_resolution", "stakeholder_management",
          "scope_of_impact", "ownership", "influence", "Visibility", "Performance rating",
          "Notes"]
SCORES = ["3", "3", "3", "3", "3", "3", "3", "3", "3", "3", "3", "3", "3", "3", "3"]


def row(pid, name, manager, notes, level="L2"):
    return [pid, name, "Core", manager, level, "14"] + SCORES + [notes]


WESTERN = [
    row("E2001", "Anna Müller", "Zoë Laurent", "Straße 5 office"),
    row("E2002", "José Álvarez", "Anna Müller", "café team lead"),
    row("E2003", "Zoë Laurent", "José Álvarez", "naïve notes: résumé"),
]

CENTRAL = [
    row("E3001", "Łukasz Wiśniewski", "Jiří Dvořák", "Kraków"),
    row("E3002", "Zofia Dąbrowska", "Łukasz Wiśniewski", "Gdańsk"),
    row("E3003", "Jiří Dvořák", "Tomáš Černý", "Brno"),
    row("E3004", "Tomáš Černý", "Zofia Dąbrowska", "Plzeň"),
]


def text(rows, delimiter=",", line_end="\r\n"):
    return "".join(delimiter.join(cells) + line_end for cells in [HEADER] + rows)


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    # Excel on Windows, "CSV (Comma delimited)": the ANSI code page, CRLF, no BOM.
    write("excel-windows-ansi.csv", text(WESTERN).encode("cp1252"))
    # Excel, "CSV UTF-8 (Comma delimited)": UTF-8 with a BOM, CRLF.
    write("excel-csv-utf8-bom.csv", text(WESTERN).encode("utf-8-sig"))
    # Excel, "Unicode Text": UTF-16LE with a BOM, tab-delimited, CRLF, saved as .txt.
    write("excel-unicode-text.txt", b"\xff\xfe" + text(WESTERN, "\t").encode("utf-16-le"))
    # UTF-16BE with a BOM (some HR systems and Java tools), comma, LF.
    write("utf16be-bom.csv", b"\xfe\xff" + text(WESTERN, ",", "\n").encode("utf-16-be"))
    # Excel on a Polish or Czech Windows: "CSV (Comma delimited)" in Windows-1250.
    write("cp1250-central-european.csv", text(CENTRAL).encode("cp1250"))
    # Windows-1252 with characters it does not define: 0x81 in a name (a column the template
    # uses: that row is rejected), 0x8D and a NUL in the Notes column (not used: accepted).
    rows = [
        row("E4001", "José Álvarez", "Anna Müller", "ok"),
        row("E4002", "Bad\x81name", "Anna Müller", "ok"),
        row("E4003", "Anna Müller", "José Álvarez", "odd\x8dnote"),
        row("E4004", "Zoë Laurent", "Anna Müller", "nul\x00note"),
    ]
    parts = []
    for cells in [HEADER] + rows:
        line = ",".join(cells) + "\r\n"
        # 0x81 and 0x8D have no Windows-1252 character: write those bytes themselves.
        parts.append(b"".join(bytes([ord(ch)]) if ch in "\x81\x8d" else ch.encode("cp1252")
                              for ch in line))
    write("undefined-byte.csv", b"".join(parts))
    # Excel on a German (or French, Dutch...) Windows, "CSV (Comma delimited)": the ANSI code
    # page, ";" between cells since the decimal separator is a comma, decimal commas, CRLF,
    # and the rows a user emptied written as their separators only.
    german = [r[:] for r in WESTERN]
    german[0][6] = "3,5"
    german[1][7] = "2,5"
    blank = ";" * (len(HEADER) - 1)
    lines = [";".join(cells) for cells in [HEADER] + german[:2]] + [blank, blank] + \
        [";".join(german[2])]
    write("excel-windows-german.csv", ("\r\n".join(lines) + "\r\n").encode("cp1252"))


if __name__ == "__main__":
    main()
