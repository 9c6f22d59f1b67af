#!/usr/bin/env bash
# Renders docs/summary.png, the README's picture of the workbook, and docs/readiness.png: the
# sample run (last quarter, --calibrate) with a fixed run date, printed to PDF by LibreOffice
# headless with Carlito (Calibri's metrics); its first page (the Summary) and the first page
# whose footer names Readiness, at 80 dpi. Run after changing either sheet, and commit the
# images:
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
