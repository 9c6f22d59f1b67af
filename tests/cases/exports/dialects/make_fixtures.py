#!/usr/bin/env python3
"""Writes the three spreadsheet-export fixtures of this folder (see NOTE.md).

Excel, LibreOffice and Google Sheets are not available here: each file is synthesised to the
documented conventions of its program, byte by byte, so that the bytes are known exactly.
Run from anywhere: /usr/bin/python3 tests/cases/exports/dialects/make_fixtures.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

HEADER = ["Employee ID", "Full name", "Team", "Manager", "Level", "Months in level", "Coding",
          "System design", "Testing and quality", "Operations and reliability", "Security",
          "Communication", "Collaboration", "Mentoring", "Conflict resolution",
          "Stakeholder management", "Scope of impact", "Ownership", "Influence", "Visibility",
          "Performance rating", "Location"]

# Four people; scores with halves so that the decimal mark matters. Location is a column the
# template does not use, holding the separator of each file's dialect.
PEOPLE = [
    ["E3001", "Jürgen Müller", "Platform", "Priya Raman", "L3", "26",
     "4", "4", "4", "3.5", "3", "4", "4", "3", "3", "3.5", "4", "4", "3", "4", "5",
     "Zürich; remote"],
    ["E3002", "Lindqvist, Sofia", "Platform", "Priya Raman", "L2", "18",
     "4", "3.5", "3", "3", "3", "2", "2", "2", "3", "3", "3", "3", "2.5", "2", "3",
     "Lisbon, PT"],
    ["E3003", 'Ana "Nita" Costa', "Payments", "Tomás Herrera", "L1", "9",
     "3", "2.5", "3", "2", "2", "3", "3", "2", "2", "2", "2", "3", "2", "2", "4", "Porto"],
    ["E3004", "Zoë Ødegård", "Payments", "Tomás Herrera", "L4", "30",
     "5", "5", "4.5", "4", "4", "4", "4.5", "4", "4", "4", "4", "5", "4", "4", "4", "Oslo"],
]


def cell(text, separator, decimal_comma):
    """A cell as the program writes it: quoted only where needed (the separator, a quote, a
    line break), quotes doubled; numbers with the locale's decimal mark."""
    if decimal_comma and text.replace(".", "", 1).isdigit():
        text = text.replace(".", ",")
    if any(c in text for c in (separator, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


def render(separator, decimal_comma, line_end, bom, final_line_end):
    rows = [HEADER] + PEOPLE
    lines = [separator.join(cell(c, separator, decimal_comma and r > 0) for c in row)
             for r, row in enumerate(rows)]
    text = line_end.join(lines) + (line_end if final_line_end else "")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


FIXTURES = {
    # Excel (Windows/Mac) "CSV UTF-8 (Comma delimited) (*.csv)" under a German, French, ...
    # locale: the list separator ';' separates cells, numbers use the decimal comma, a byte
    # order mark, CRLF after every row including the last.
    "excel-eu.csv": render(";", True, "\r\n", True, True),
    # LibreOffice Calc, File > Save As > Text CSV, default filter options on Linux: UTF-8
    # without a byte order mark, ',' field delimiter, '"' string delimiter, "Quote all text
    # cells" off (quotes only where needed), "Format quoted field as text" off, LF line ends,
    # en-US number format (decimal point).
    "libreoffice.csv": render(",", False, "\n", False, True),
    # Google Sheets, File > Download > Comma-separated values: UTF-8 without a byte order
    # mark, ',', quotes only where needed, CRLF between rows and no line end after the last.
    "google-sheets.csv": render(",", False, "\r\n", False, False),
}

if __name__ == "__main__":
    for name, data in FIXTURES.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
