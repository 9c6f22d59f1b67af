#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs the whole test suite:
# the Criterion tests on the normal build and again built with AddressSanitizer and
# UndefinedBehaviorSanitizer, valgrind memcheck over the command line on the samples, and a
# short fuzz run of each libFuzzer target (FUZZ_SECONDS, default 30).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh build
(cd build && ctest --output-on-failure -j "$(nproc)")
bash scripts/build.sh build-asan -DNEXTLEVEL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --output-on-failure -j "$(nproc)")
bash scripts/valgrind.sh build/nextlevel
bash scripts/fuzz.sh "${FUZZ_SECONDS:-30}"
