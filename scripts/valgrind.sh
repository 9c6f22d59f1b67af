#!/usr/bin/env bash
# valgrind memcheck over the command line on the bundled samples: every command, and the
# workbook, packs, trend, calibration, JSON and redaction (the CSV writer and check --diff run
# under AddressSanitizer in the test command's sanitizer build, whose budget this shares). Any
# memory error or leak fails (exit 1). Run by the test command.
set -euo pipefail
cd "$(dirname "$0")/.."
NEXTLEVEL_EXTRA_PACKAGES=valgrind bash scripts/install-deps.sh
bin=${1:-build/nextlevel}
out=$(mktemp -d /tmp/nextlevel-valgrind-XXXXXX)
trap 'rm -rf "$out"' EXIT
vg() {
    local status=0
    valgrind --quiet --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
        --error-exitcode=99 --trace-children=no "$bin" "$@" >/dev/null 2>"$out/vg.log" || status=$?
    if [ "$status" -eq 99 ] || grep -q "ERROR SUMMARY: [1-9]" "$out/vg.log"; then
        echo "valgrind: errors in: nextlevel $*" >&2
        cat "$out/vg.log" >&2
        exit 1
    fi
    echo "valgrind clean: nextlevel $* (exit $status)"
}
t=templates/engineering-ic.ini
vg check templates/engineering-ic.ini templates/engineering-manager.ini
vg inspect --template "$t" samples
vg evaluate --template "$t" --previous samples/previous-quarter --calibrate --out "$out/r.json" samples
vg evaluate --template "$t" --previous samples/previous-quarter --calibrate --jobs 1 \
    --out "$out/r.xlsx" --split-by team --out-dir "$out/teams" samples
vg evaluate --template "$t" --redact --out "$out/red.xlsx" samples
vg diff "$out/r.json" "$out/r.json"
