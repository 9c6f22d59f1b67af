#!/usr/bin/env bash
# Renders docs/summary.png, the README's picture of the workbook, and docs/readiness.png: the
# sample run (last quarter, --calibrate) with a fixed run date, printed to PDF by LibreOffice
# headless with Carlito (Calibri's metrics); its first page (the Summary) and the first page
# whose footer names Readiness, at 80 dpi. Then docs/whatif-before.png and
# docs/whatif-after.png: the What if sheet's first page of a run with --budget 8, as written
# and after typing 0 into the impact weight, recalculated by LibreOffice (a profile set to
# recalculate on load). Run after changing these sheets, and commit the images:
#   bash scripts/render-docs.sh [BUILD_DIR]   (default build/; it is built first)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
bash scripts/install-deps.sh --render
[ -f "$build_dir/CMakeCache.txt" ] || bash scripts/build.sh "$build_dir"
cmake --build "$build_dir" --target nextlevel >/dev/null
work=$(mktemp -d /tmp/nextlevel-render-XXXXXX)
trap 'rm -rf "$work"' EXIT

# 2026-01-01 00:00 UTC: the date the Summary and footers print.
status=0
SOURCE_DATE_EPOCH=1767225600 "$build_dir/nextlevel" evaluate --quiet \
    --template templates/engineering-ic.ini --previous samples/previous-quarter --calibrate \
    --out "$work/report.xlsx" samples/*.csv || status=$?
[ "$status" -le 1 ] || exit "$status" # 1: done, some rows rejected (messy-export.csv)
# A profile of its own, so that a LibreOffice already open (or its settings) plays no part.
soffice "-env:UserInstallation=file://$work/profile" --headless --norestore \
    --convert-to pdf --outdir "$work" "$work/report.xlsx" >/dev/null 2>&1
[ -s "$work/report.pdf" ] || { echo "LibreOffice wrote no PDF" >&2; exit 1; }
pages=$(pdfinfo "$work/report.pdf" | awk '/^Pages:/ {print $2}')
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/report.pdf" docs/summary
for ((page = 2; page <= pages; page++)); do
    if pdftotext -layout -f "$page" -l "$page" "$work/report.pdf" - |
        grep -q '^ *Readiness, nextlevel run'; then
        pdftoppm -png -r 80 -f "$page" -l "$page" -singlefile "$work/report.pdf" docs/readiness
        break
    fi
done
echo "wrote docs/summary.png (page 1 of $pages) and docs/readiness.png (page $page)"

status=0
SOURCE_DATE_EPOCH=1767225600 "$build_dir/nextlevel" evaluate --quiet \
    --template templates/engineering-ic.ini --budget 8 --out "$work/before.xlsx" samples/*.csv ||
    status=$?
[ "$status" -le 1 ] || exit "$status"
# The dial typed as a reader would: the impact weight's cell, 1 -> 0, in the sheet's XML.
/usr/bin/python3 - "$work/before.xlsx" "$work/after.xlsx" <<'PY'
import re, sys, zipfile
import openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["What if"]
family = next(r for r in ws.iter_rows() if r[0].value == "Family")
cell = next(c for c in family if c.value == "impact").offset(row=1).coordinate
part = "xl/worksheets/sheet%d.xml" % (openpyxl.load_workbook(sys.argv[1]).sheetnames.index("What if") + 1)
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as out:
    for item in src.infolist():
        data = src.read(item.filename)
        if item.filename == part:
            data, n = re.subn(rb'(<c r="%s"[^>]*><v>)1(</v>)' % cell.encode(), rb"\g<1>0\g<2>", data)
            assert n == 1, "the impact weight's cell was not found"
        out.writestr(item, data)
PY
mkdir -p "$work/recalc/user"
cat >"$work/recalc/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
XCU
for name in before after; do
    soffice "-env:UserInstallation=file://$work/recalc" --headless --norestore \
        --convert-to pdf --outdir "$work" "$work/$name.xlsx" >/dev/null 2>&1
    pages=$(pdfinfo "$work/$name.pdf" | awk '/^Pages:/ {print $2}')
    for ((page = 2; page <= pages; page++)); do
        if pdftotext -layout -f "$page" -l "$page" "$work/$name.pdf" - |
            grep -q '^ *What if, nextlevel run'; then
            pdftoppm -png -r 80 -f "$page" -l "$page" -singlefile "$work/$name.pdf" \
                "docs/whatif-$name"
            break
        fi
    done
done
echo "wrote docs/whatif-before.png and docs/whatif-after.png"
