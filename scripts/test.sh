#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs the whole test suite:
# the Criterion tests on the normal build and again built with AddressSanitizer and
# UndefinedBehaviorSanitizer (with nextlevel-faults: there CTest's alloc_faults runs a sampled
# allocation-failure sweep, skipped in the normal build), ThreadSanitizer over the threaded workbook, packs, CSV and JSON (2,500
# people), and a short fuzz run of each libFuzzer target (FUZZ_SECONDS, default 3, one per
# core at a time); the normal build's CTest also prints the sample workbook with LibreOffice
# (render_samples). valgrind memcheck (scripts/valgrind.sh) is a script of its own, outside
# the 8-minute budget, as the long sweeps are. Both builds treat compiler warnings as errors
# (NEXTLEVEL_WERROR). Any failure stops it with a non-zero exit; the last line counts what passed and what was skipped (scripts/suite-count.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp /tmp/nextlevel-test-log-XXXXXX)
renderlog=$(mktemp /tmp/nextlevel-render-install-XXXXXX)
trap 'rm -f "$log" "$renderlog"' EXIT
# What the builds need first; then, in the background while they compile and test, what only
# later parts need: LibreOffice for the normal build's CTest (over a minute to download and
# unpack on a fresh machine), then clang and the libraries the fuzzers check outputs with
# (minizip, libxml2) for fuzz.sh, which then finds nothing missing. One
# apt-get at a time: the second waits for the first.
bash scripts/install-deps.sh
render_ready=$(mktemp -u /tmp/nextlevel-render-ready-XXXXXX)
(
    bash scripts/install-deps.sh --render-only && touch "$render_ready" &&
        NEXTLEVEL_EXTRA_PACKAGES="clang libclang-rt-14-dev libminizip-dev libxml2-dev" \
            bash scripts/install-deps.sh --extra-only
) >"$renderlog" 2>&1 &
installs_pid=$!
bash scripts/build.sh build -DNEXTLEVEL_WERROR=ON
until [ -e "$render_ready" ]; do
    if ! kill -0 "$installs_pid" 2>/dev/null; then
        cat "$renderlog" >&2
        exit 1
    fi
    sleep 1
done
rm -f "$render_ready"
(cd build && ctest --output-on-failure -j "$(( $(nproc) + 1 ))") | tee -a "$log"
if ! wait "$installs_pid"; then
    cat "$renderlog" >&2
    exit 1
fi
# -O1, as AddressSanitizer's authors advise: a tenth faster than -O0 on the tests, all checks kept.
bash scripts/build.sh build-asan -DNEXTLEVEL_WERROR=ON -DNEXTLEVEL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_FLAGS_DEBUG="-g -O1" -DNEXTLEVEL_ALLOC_FAULTS=ON
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --output-on-failure -j "$(( $(nproc) + 1 ))") | tee -a "$log"
bash scripts/tsan.sh | tee -a "$log"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-3}" | tee -a "$log"
# Test programs (both builds; skipped ones counted apart), ThreadSanitizer runs and fuzz
# targets.
bash scripts/suite-count.sh "$log"
