#!/usr/bin/python3
"""Checks how a workbook reads: colours, numbers, headers, widths, identities, legends.

usage: check_look.py WORKBOOK [--only CHECK[,CHECK...]] [--report-dir DIR]
                     [--score-threshold X ...] [--percent-threshold X ...]

CHECK is one of palette, noise, formats, thresholds, headers, widths, identities, legend,
rejected (default: all of them). With --report-dir, each check's verdict goes to DIR/CHECK.txt
(what is wrong, or "ok") and the exit code is 0 once all have run: the tests read the workbook
once and give each check's verdict to its own test.

Reads the workbook with openpyxl and its chart XML with zipfile, and checks:
- palette: the five outcome fills (taken from the outcome cells) and every chart's outcome series
  keep a CIEDE2000 difference of at least 20 for every pair, as seen with normal vision and
  after a deuteranopia and a protanopia simulation (Machado, Oliveira and Fernandes 2009,
  severity 1, applied in linear RGB); every filled cell's text has a WCAG contrast of at least
  4.5:1 on its fill; no cell that is not an outcome uses the Ready now fill; each chart's outcome
  series differ in pattern or marker shape (black-and-white print).
- numbers: every number is stored without float noise (its 15-significant-digit decimal reads
  back as the same double); every number on Readiness, Skill gaps, Trend and Rejected rows has a
  number format; on Readiness and Trend no readiness score or attainment displays as a
  threshold it does not reach (the displayed text, rounded as the format rounds, stays on the
  value's side of each threshold).
- headers: on those four sheets every column of numbers has a right-aligned header, and the
  header row is tall enough for its longest header wrapped at its column's width.
- widths: identity and outcome columns (ID, Name, Team, Manager, Level, Next level, Outcome,
  Band...) are at least as wide as their longest text, or wrap it.
- identities: no ID, name, team or manager cell holds a line break or a tab.
- legend: Skill gaps has a colour scale, a colour-blind-safe one, and a legend in its header row
  whose cells are filled with the scale's two ends and middle.
Prints what is wrong and exits 1, or prints "ok".
"""
import itertools
import math
import re
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal

import openpyxl

OUTCOMES = ["Ready now", "Ready with risk", "Developing", "Not evaluated", "Top of ladder"]
MY_SHEETS = ["Readiness", "Skill gaps", "Trend", "Rejected rows"]
IDENTITY_HEADERS = {"ID", "Name", "Team", "Manager", "Level", "Next level", "Outcome",
                    "Calibrated outcome", "Outcome last quarter", "Band", "Outcome now",
                    "Level now", "Level last quarter"}
FLAT_HEADERS = {"ID", "Name", "Team", "Manager"}
problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


# ---- colour science ----

# Machado, Oliveira and Fernandes (2009), severity 1.0, for linear RGB.
PROTANOPIA = [[0.152286, 1.052583, -0.204868],
              [0.114503, 0.786281, 0.099216],
              [-0.003882, -0.048116, 1.051998]]
DEUTERANOPIA = [[0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881]]


def linear(rgb):
    out = []
    for c in ((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255):
        c /= 255
        out.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return out


def simulate(lin, matrix):
    if matrix is None:
        return lin
    return [min(1.0, max(0.0, sum(matrix[i][j] * lin[j] for j in range(3)))) for i in range(3)]


def lab(lin):
    """CIE L*a*b* (D65) of a linear sRGB colour."""
    x = 0.4124564 * lin[0] + 0.3575761 * lin[1] + 0.1804375 * lin[2]
    y = 0.2126729 * lin[0] + 0.7151522 * lin[1] + 0.0721750 * lin[2]
    z = 0.0193339 * lin[0] + 0.1191920 * lin[1] + 0.9503041 * lin[2]

    def f(t):
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29
    fx, fy, fz = f(x / 0.95047), f(y / 1.0), f(z / 1.08883)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def ciede2000(c1, c2):
    """Sharma, Wu and Dalal's formulation."""
    l1, a1, b1 = c1
    l2, a2, b2 = c2
    cbar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(cbar ** 7 / (cbar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    else:
        dh = h2p - h1p
        if dh > 180:
            dh -= 360
        elif dh < -180:
            dh += 360
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lbar, cbarp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbar = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hbar = (h1p + h2p + 360) / 2
    else:
        hbar = (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hbar - 30)) + 0.24 * math.cos(math.radians(2 * hbar))
         + 0.32 * math.cos(math.radians(3 * hbar + 6)) - 0.20 * math.cos(math.radians(4 * hbar - 63)))
    dtheta = 30 * math.exp(-(((hbar - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cbarp ** 7 / (cbarp ** 7 + 25 ** 7))
    sl = 1 + 0.015 * (lbar - 50) ** 2 / math.sqrt(20 + (lbar - 50) ** 2)
    sc = 1 + 0.045 * cbarp
    sh = 1 + 0.015 * cbarp * t
    rt = -math.sin(math.radians(2 * dtheta)) * rc
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh))


def luminance(rgb):
    r, g, b = linear(rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    x, y = sorted((luminance(a), luminance(b)), reverse=True)
    return (x + 0.05) / (y + 0.05)


def check_distinct(what, colours, minimum=20.0):
    """colours: name -> RGB. Every pair at least minimum apart under each vision."""
    for vision, matrix in (("normal vision", None), ("deuteranopia", DEUTERANOPIA),
                           ("protanopia", PROTANOPIA)):
        seen = {name: lab(simulate(linear(rgb), matrix)) for name, rgb in colours.items()}
        for (n1, c1), (n2, c2) in itertools.combinations(seen.items(), 2):
            d = ciede2000(c1, c2)
            check(d >= minimum, f"{what}: {n1} #{colours[n1]:06X} and {n2} #{colours[n2]:06X} "
                                f"are {d:.1f} apart (CIEDE2000) under {vision}, need {minimum:g}")


def rgb_of(color, default):
    """An openpyxl colour as an RGB integer (theme and indexed colours: the default)."""
    if color is None or color.type != "rgb" or not isinstance(color.rgb, str):
        return default
    return int(color.rgb[-6:], 16)


def fill_of(cell):
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return None
    return rgb_of(fill.fgColor, None)


def font_of(cell):
    return rgb_of(cell.font.color if cell.font else None, 0x000000)


# ---- the checks ----

def header_map(ws):
    return {cell.value: cell.column for cell in ws[1] if isinstance(cell.value, str)}


def check_palette(wb, zf):
    fills = {}
    ready_fill = None
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                fill = fill_of(cell)
                if fill is None or cell.value is None:
                    continue
                font = font_of(cell)
                ratio = contrast(fill, font)
                check(ratio >= 4.5, f"{ws.title}!{cell.coordinate} ({cell.value!r}): text "
                                    f"#{font:06X} on #{fill:06X} has contrast {ratio:.2f}:1, "
                                    f"need 4.5")
                if cell.value in OUTCOMES:
                    fills.setdefault(cell.value, fill)
    check(sorted(fills) == sorted(OUTCOMES), f"outcome cells found for {sorted(fills)} only")
    if len(fills) >= 2:
        check_distinct("outcome cell fills", fills)
    ready_fill = fills.get("Ready now")
    # A gate's "pass" or a rise is not Ready now.
    for name in ("Gates", "Trend"):
        if name not in wb.sheetnames or ready_fill is None:
            continue
        for row in wb[name].iter_rows(min_row=2):
            for cell in row:
                if cell.value not in OUTCOMES and fill_of(cell) == ready_fill:
                    problems.append(f"{name}!{cell.coordinate} ({cell.value!r}) uses the Ready "
                                    f"now fill without being Ready now")
                    break
    for part in sorted(n for n in zf.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)):
        xml = zf.read(part).decode("utf-8")
        colours, looks = {}, {}
        for ser in re.findall(r"<c:ser>(.*?)</c:ser>", xml, re.S):
            name = re.search(r"<c:v>(.*?)</c:v>", ser)
            if name is None or name.group(1) not in OUTCOMES:
                continue
            name = name.group(1)
            patt = re.search(r'<a:pattFill prst="([^"]+)">.*?<a:bgClr><a:srgbClr val="([0-9A-F]{6})"',
                             ser, re.S)
            marker = re.search(r'<c:marker>.*?<c:symbol val="([a-z]+)"/>(.*?)</c:marker>', ser, re.S)
            solid = re.search(r'<a:solidFill><a:srgbClr val="([0-9A-F]{6})"', ser)
            if patt:
                colours[name], looks[name] = int(patt.group(2), 16), "pattern " + patt.group(1)
            elif solid:
                colours[name] = int(solid.group(1), 16)
                looks[name] = ("marker " + marker.group(1)) if marker else "solid"
            check(solid or patt, f"{part}: series {name} has no colour of its own")
            if name in fills and name in colours:
                check(colours[name] == fills[name], f"{part}: series {name} is "
                      f"#{colours[name]:06X}, its cells #{fills[name]:06X}")
        if len(colours) >= 2:
            check_distinct(f"{part} series", colours)
            check(len(set(looks.values())) == len(looks),
                  f"{part}: outcome series share a pattern or marker ({looks}): they read alike "
                  f"in black and white")


def shown(value, number_format):
    """The number Excel shows for value in a format of the kinds the workbook uses (0, 0.0,
    0.00%, +0.0;-0.0;0.0): rounded half away from zero on its 15-digit decimal."""
    sections = number_format.split(";")
    section = sections[0] if value >= 0 or len(sections) == 1 else sections[1]
    percent = "%" in section
    body = re.sub(r"[^0#.]", "", section)
    decimals = len(body.split(".")[1]) if "." in body else 0
    scaled = abs(value) * (100 if percent else 1)
    rounded = Decimal(f"{scaled:.15g}").quantize(Decimal(1).scaleb(-decimals),
                                                 rounding=ROUND_HALF_UP)
    out = float(rounded) / (100 if percent else 1)
    return -out if value < 0 else out


def check_noise(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, float):
                    check(float(f"{v:.15g}") == v,
                          f"{ws.title}!{cell.coordinate}: {v!r} holds float noise")


def check_formats(wb):
    for ws in wb.worksheets:
        if ws.title not in MY_SHEETS:
            continue
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                v = cell.value
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    check(cell.number_format != "General",
                          f"{ws.title}!{cell.coordinate}: {v!r} has no number format")


def check_thresholds(wb, score_thresholds, percent_thresholds):
    for name in ("Readiness", "Trend"):
        if name not in wb.sheetnames:
            continue
        ws = wb[name]
        for title, col in header_map(ws).items():
            if title in ("Readiness score", "Readiness last quarter", "Readiness now"):
                thresholds = score_thresholds
            elif title.endswith(" attainment"):
                thresholds = percent_thresholds
            else:
                continue
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                v = cell.value
                if not isinstance(v, (int, float)) or cell.number_format == "General":
                    continue
                s = shown(v, cell.number_format)
                for t in thresholds:
                    if v < t and not math.isclose(v, t, abs_tol=1e-9):
                        check(s < t, f"{name}!{cell.coordinate} ({title}): {v!r} shows as "
                                     f"{s:g} in {cell.number_format!r}, reaching {t:g} which "
                                     f"it does not")
                    if v > t and not math.isclose(v, t, abs_tol=1e-9):
                        check(s > t, f"{name}!{cell.coordinate} ({title}): {v!r} shows as "
                                     f"{s:g} in {cell.number_format!r}, the threshold {t:g}")


def wrapped_lines(text, width):
    """Lines of text wrapped at words in width characters (a bold header is a little wider than
    the digits a width counts: a line holds width - 1 characters)."""
    room = max(1, int(width) - 1)
    lines, used = 1, 0
    for part in str(text).split("\n"):
        if used or lines > 1:
            lines, used = lines + 1, 0
        for word in part.split():
            need = len(word) if used == 0 else used + 1 + len(word)
            if need <= room:
                used = need
            else:
                if used:
                    lines += 1
                lines += (len(word) - 1) // room
                used = (len(word) - 1) % room + 1
    return lines


def column_width(ws, letter):
    """The width of a column (a <col> element may cover a range of columns)."""
    index = openpyxl.utils.column_index_from_string(letter)
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.min <= index <= (dim.max or dim.min) and dim.width:
            return dim.width
    return 8.43


def room_of(ws, cell):
    """The width a cell's text may use: its column and the empty cells after it in its row,
    which a text that does not wrap runs into."""
    width = column_width(ws, cell.column_letter)
    col = cell.column + 1
    while col <= ws.max_column and ws.cell(row=cell.row, column=col).value in (None, ""):
        width += column_width(ws, openpyxl.utils.get_column_letter(col))
        col += 1
    return width


def check_headers(wb):
    for name in MY_SHEETS:
        if name not in wb.sheetnames:
            continue
        ws = wb[name]
        lines = 1
        for head in ws[1]:
            if head.value is None:
                continue
            letter = head.column_letter
            n = wrapped_lines(head.value, column_width(ws, letter))
            lines = max(lines, n)
            numbers = texts = 0
            for (cell,) in ws.iter_rows(min_row=2, min_col=head.column, max_col=head.column):
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    numbers += 1
                elif isinstance(cell.value, str) and cell.value:
                    texts += 1
            if numbers > texts:
                check(head.alignment.horizontal == "right",
                      f"{name}!{head.coordinate} ({head.value!r}): header over numbers is "
                      f"aligned {head.alignment.horizontal or 'left'}, not right")
        height = ws.row_dimensions[1].height or 15
        check(height >= 12.75 * lines,
              f"{name}: header row is {height:g} pt for headers of {lines} lines "
              f"(need {12.75 * lines:g})")


def check_widths_and_identities(wb, widths=True, identities=True):
    for ws in wb.worksheets:
        heads = header_map(ws)
        for title, col in heads.items():
            if title not in IDENTITY_HEADERS:
                continue
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                text = cell.value
                if not isinstance(text, str):
                    continue
                if identities and title in FLAT_HEADERS:
                    check(not re.search(r"[\x00-\x1f\x7f]", text),
                          f"{ws.title}!{cell.coordinate} ({title}): {text!r} holds a line "
                          f"break or tab")
                if widths and ws.title in MY_SHEETS and not cell.alignment.wrap_text:
                    width = room_of(ws, cell)
                    check(width >= len(text) + 1,
                          f"{ws.title}!{cell.coordinate} ({title}): {text!r} "
                          f"({len(text)} characters) is cut in a column {width:g} wide")


def check_rejected(wb):
    """Rejected rows as printed: the reason (with what to do) wraps inside its column in a row
    tall enough for its lines, never running past the table; the id after the right-aligned
    column number is indented, so "10 E1405" does not read as one value."""
    if "Rejected rows" not in wb.sheetnames:
        problems.append("no Rejected rows sheet")
        return
    ws = wb["Rejected rows"]
    head = header_map(ws)
    reason_col, id_col = head.get("Reason"), head.get("ID")
    check(reason_col is not None and id_col is not None, "Rejected rows: no Reason or ID header")
    if reason_col is None or id_col is None:
        return
    rows = 0
    for row in range(2, ws.max_row + 1):
        reason = ws.cell(row=row, column=reason_col)
        if not reason.value:
            continue
        rows += 1
        width = column_width(ws, reason.column_letter)
        lines = wrapped_lines(reason.value, width)
        if lines > 1:
            check(bool(reason.alignment.wrap_text),
                  f"Rejected rows row {row}: a {len(reason.value)}-character reason does not wrap "
                  f"in its {width:.0f}-character column")
            height = ws.row_dimensions[row].height or 15
            check(height >= 12.75 * lines - 0.01,
                  f"Rejected rows row {row}: {lines} lines of reason in a row {height} high")
        ident = ws.cell(row=row, column=id_col)
        if ident.value:
            check((ident.alignment.indent or 0) >= 1,
                  f"Rejected rows row {row}: the id {ident.value} is not indented from the column "
                  "number before it")
    check(rows > 0, "Rejected rows: no rows to check")


def check_legend(wb, zf):
    if "Skill gaps" not in wb.sheetnames:
        return
    ws = wb["Skill gaps"]
    # The sheet's part: the worksheet whose conditional formats hold a colour scale.
    sheet_xml = ""
    for part in sorted(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")):
        xml = zf.read(part).decode("utf-8")
        if "<colorScale>" in xml:
            sheet_xml = xml
    scale = re.search(r"<colorScale>(.*?)</colorScale>", sheet_xml or "", re.S)
    check(scale is not None, "Skill gaps: no colour scale")
    if scale is None:
        return
    colours = [int(c[-6:], 16) for c in re.findall(r'<color rgb="([0-9A-F]{8})"', scale.group(1))]
    check(len(colours) == 3, f"Skill gaps: the scale has {len(colours)} colours, not 3")
    if len(colours) != 3:
        return
    check_distinct("Skill gaps scale", dict(zip(("low end", "middle", "high end"), colours)))
    for c in colours:
        check(contrast(c, 0) >= 4.5, f"Skill gaps scale: numbers on #{c:06X} have contrast "
                                     f"{contrast(c, 0):.2f}:1")
    legend = {fill_of(cell): cell.value for cell in ws[1] if fill_of(cell) in colours}
    for c, what in zip(colours, ("low end", "middle", "high end")):
        check(c in legend and isinstance(legend[c], str) and re.search(r"[-+]?\d", legend[c]),
              f"Skill gaps: no legend cell for the scale's {what} (#{c:06X}) stating its value")


# Checks that read cell values only: for them alone the workbook is opened read-only, which
# streams the cells without their styles (a 2,000-person workbook: 3 s of Python, not 6.5).
VALUE_CHECKS = {"noise"}


def main():
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 2
    path = args[0]
    only = None
    report_dir = None
    score_thresholds, percent_thresholds = [], []
    i = 1
    while i + 1 < len(args):
        if args[i] == "--score-threshold":
            score_thresholds.append(float(args[i + 1]))
        elif args[i] == "--percent-threshold":
            percent_thresholds.append(float(args[i + 1]))
        elif args[i] == "--only":
            only = args[i + 1].split(",")
        elif args[i] == "--report-dir":
            report_dir = args[i + 1]
        else:
            break
        i += 2
    if i != len(args):
        print(f"unexpected argument {args[i]}")
        return 2
    read_only = only is not None and set(only) <= VALUE_CHECKS
    wb = openpyxl.load_workbook(path, read_only=read_only)
    with zipfile.ZipFile(path) as zf:
        checks = {
            "palette": lambda: check_palette(wb, zf),
            "legend": lambda: check_legend(wb, zf),
            "rejected": lambda: check_rejected(wb),
            "noise": lambda: check_noise(wb),
            "formats": lambda: check_formats(wb),
            "thresholds": lambda: check_thresholds(wb, score_thresholds, percent_thresholds),
            "headers": lambda: check_headers(wb),
            "widths": lambda: check_widths_and_identities(wb, identities=False),
            "identities": lambda: check_widths_and_identities(wb, widths=False),
        }
        for name in only or []:
            if name not in checks:
                print(f"no check {name}")
                return 2
        for name, run in checks.items():
            if only is None or name in only:
                before = len(problems)
                run()
                if report_dir is not None:
                    write_report(f"{report_dir}/{name}.txt", problems[before:])
    if read_only:
        wb.close()
    if report_dir is not None:
        return 0
    write_report(None, problems)
    return 1 if problems else 0


def write_report(path, found):
    """Prints what is wrong (at most 40 lines), or "ok", to path or standard output."""
    lines = found[:40] or ["ok"]
    if len(found) > 40:
        lines.append(f"... and {len(found) - 40} more")
    if path is None:
        print("\n".join(lines))
        return
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
