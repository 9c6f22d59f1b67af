#!/usr/bin/env bash
# Renders docs/summary.png, the README's picture of the workbook: the sample run (last
# quarter, --calibrate) with a fixed run date, printed to PDF by LibreOffice headless with
# Carlito (Calibri's metrics), its first page (the Summary) at 80 dpi. Run after changing the
# Summary, and commit the image:
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
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/report.pdf" docs/summary
echo "wrote docs/summary.png (the Summary, page 1 of $(pdfinfo "$work/report.pdf" | awk '/^Pages:/ {print $2}'))"
