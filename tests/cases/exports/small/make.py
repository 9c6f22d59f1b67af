#!/usr/bin/env python3
"""Writes the fixtures of this folder (see NOTE.md). Run from anywhere: /usr/bin/python3 make.py"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = "id,name,team,level,months,coding,design,mentoring,communication,visibility"


def write(name, text, newline="\r\n"):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(text.replace("\n", newline).encode("utf-8"))


def rows(*lines):
    return "\n".join(lines) + "\n"


# Excel writes an emptied row as its delimiters only; a line of spaces and an empty line too.
write("blank-rows.csv", rows(
    HEADER,
    "B1,Ana Blank,core,A,12,3,2,2,3,3",
    ",,,,,,,,,",
    "",
    "B2,Ben Blank,core,A,12,3,2,2,3,3",
    " , , ,,,,,,,",
    ",,,,,,,,,",
))

# Two exports pasted one under the other: the second one's header is line 4.
write("joined.csv", rows(
    HEADER,
    "J1,Ana Joined,core,A,12,3,2,2,3,3",
    "J2,Ben Joined,core,A,12,3,2,2,3,3",
    HEADER,
    "J3,Cy Joined,core,A,12,3,2,2,3,3",
    "J4,Di Joined,core,A,12,7,2,2,3,3",
))

# The same five lines with every kind of line end; the bad score (7) is on line 5.
FIVE = [HEADER,
        "L1,Ana Ends,core,A,12,3,2,2,3,3",
        "L2,Ben Ends,core,A,12,3,2,2,3,3",
        "L3,Cy Ends,core,A,12,3,2,2,3,3",
        "L4,Di Ends,core,A,12,7,2,2,3,3"]
write("line-ends/lf.csv", rows(*FIVE), "\n")
write("line-ends/crlf.csv", rows(*FIVE), "\r\n")
write("line-ends/cr.csv", rows(*FIVE), "\r")
# An LF file with one lone CR (a line end pasted in from an old Mac file), and one CRLF.
with open(os.path.join(HERE, "line-ends/mixed.csv"), "wb") as f:
    f.write((FIVE[0] + "\n" + FIVE[1] + "\r" + FIVE[2] + "\n" + FIVE[3] + "\r\n" + FIVE[4] +
             "\n").encode())
# A quoted name holding line breaks (LF, then CRLF, then a lone CR): the record starts on
# line 2 and the bad score is on line 7 (the row after it starts there).
with open(os.path.join(HERE, "line-ends/quoted.csv"), "wb") as f:
    f.write((HEADER + "\n" +
             'Q1,"Ana\nBreaks\r\nIn\rName",core,A,12,3,2,2,3,3\n' +
             "Q2,Ben Breaks,core,A,12,3,2,2,3,3\r\n" +
             "Q3,Cy Breaks,core,A,12,7,2,2,3,3\n").encode())

# Cells with characters one cannot see: a no-break space after the level, a zero-width space
# after a score, a tab inside a number.
write("invisible.csv", rows(
    HEADER,
    "V1,Ana Visible,core,A\u00a0,12,3,2,2,3,3",
    "V2,Ben Visible,core,A,12,3\u200b,2,2,3,3",
    'V3,Cy Visible,core,A,12,3,2,2,3,"3\t5"',
))

# A folder as a person's downloads look: numbers in names, mixed case, a hidden copy. N1 is in
# file2.csv and in file10.csv: natural order reads file2 first, so its row wins.
FOLDER = "folder/"
write(FOLDER + "file2.csv", rows(HEADER, "N1,Ana From2,core,A,12,3,2,2,3,3"))
write(FOLDER + "file10.csv", rows(HEADER, "N1,Ana From10,core,A,12,3,2,2,3,3",
                                  "N2,Ben Natural,core,A,12,3,2,2,3,3"))
write(FOLDER + "a_file.csv", rows(HEADER, "N3,Cy Lower,core,A,12,3,2,2,3,3"))
write(FOLDER + "B_file.csv", rows(HEADER, "N4,Di Upper,core,A,12,3,2,2,3,3"))
write(FOLDER + ".hidden.csv", rows(HEADER, "N5,Ed Hidden,core,A,12,3,2,2,3,3"))

# Headers typed or pasted with a no-break space after the name: the column is not found, and the
# messages show why.
write("invisible-header.csv", rows("id,name,team,level\u00a0,coding", "X1,Ana Header,core,A,3"))
write("invisible-column.csv", rows(HEADER.replace("visibility", "visibility\u00a0"),
                                   "X2,Ben Column,core,A,12,3,2,2,3,3"))

# The long format quotes its cells the same way: a skill name and a score pasted with them.
write("invisible-long.csv", rows("id,level,skill,score", "L1,A,coding\u00a0,3",
                                 "L1,A,design,\u200b4", "L1,A,mentoring,4"))
