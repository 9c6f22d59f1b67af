#!/usr/bin/env bash
# Prints the test command's last line from its log (the file given, else standard input):
# "suite: N passed, M skipped, F failed". It counts CTest's tests of both builds (a test CTest
# reports as "(Skipped)" under "The following tests did not run" is skipped, not passed:
# environment-dependent Criterion tests and the Python-based ones exit or print so when what
# they need is missing), valgrind's and ThreadSanitizer's clean runs, and the fuzz targets
# that ended with no crash.
set -euo pipefail
log=${1:-/dev/stdin}
awk '
    /tests failed out of [0-9]+/ {
        for (i = 1; i <= NF; i++) {
            if ($i == "tests" && $(i + 1) == "failed") failed += $(i - 1)
        }
        total += $NF
    }
    /^[[:space:]]*[0-9]+ - .* \(Skipped\)$/ { skipped++ }
    /^valgrind clean/ || /^tsan clean/ || /no crash$/ { other++ }
    END {
        printf "suite: %d passed, %d skipped, %d failed\n", total - failed - skipped + other,
            skipped, failed
    }
' "$log"
