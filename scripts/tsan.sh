#!/usr/bin/env bash
# ThreadSanitizer over the threaded paths: builds nextlevel with -fsanitize=thread into
# build-tsan/, generates an organisation large enough for threads (2,500 people, with last
# quarter), and runs with --jobs 2 the workbook with --previous --calibrate, the team packs,
# and the CSV (JSON goes through the same pipeline). Any data race or thread error fails
# (exit 1). Run by the test command.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build-tsan
cmake -S . -B "$build" -DNEXTLEVEL_TSAN=ON -DNEXTLEVEL_WERROR=ON -DNEXTLEVEL_TESTS=OFF -DNEXTLEVEL_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" --target nextlevel >/dev/null
work=$(mktemp -d /tmp/nextlevel-tsan-XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 bench/gen.py --people 2500 --skills 12 --files 3 --previous "$work/previous" \
    "$work/data" >/dev/null
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
run() {
    local status=0
    "$build/nextlevel" "$@" >/dev/null 2>"$work/tsan.log" || status=$?
    # 1: the generator writes a few bad rows on purpose.
    if [ "$status" -ne 0 ] && [ "$status" -ne 1 ] || grep -q "ThreadSanitizer" "$work/tsan.log"; then
        echo "tsan: failed (exit $status): nextlevel $*" >&2
        cat "$work/tsan.log" >&2
        exit 1
    fi
    echo "tsan clean: nextlevel $* (exit $status)"
}
t=$work/data/template.ini
run evaluate -q --jobs 2 --template "$t" --previous "$work/previous" --calibrate \
    --out "$work/r.xlsx" "$work/data"
run evaluate -q --jobs 2 --template "$t" --previous "$work/previous" --out "$work/p.xlsx" \
    --split-by team --out-dir "$work/teams" "$work/data"
run evaluate -q --jobs 2 --template "$t" --previous "$work/previous" --calibrate \
    --out "$work/r.csv" "$work/data"
