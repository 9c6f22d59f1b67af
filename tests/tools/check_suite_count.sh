#!/usr/bin/env bash
# The suite's honesty about skips (CTest test suite_count): scripts/suite-count.sh counts
# CTest's skipped tests as skipped on a saved log, and the build registered every NL_ENV_TEST
# of the test sources as its own CTest test with the skip mark as SKIP_REGULAR_EXPRESSION.
# Usage: check_suite_count.sh SOURCE_DIR BINARY_DIR
set -euo pipefail
source_dir=$1
binary_dir=$2
got=$(bash "$source_dir/scripts/suite-count.sh" \
    "$source_dir/tests/cases/hostile/guard/ctest-both-builds.log")
want="suite: 94 passed, 3 skipped, 0 failed"
if [ "$got" != "$want" ]; then
    echo "suite-count.sh printed '$got', expected '$want'" >&2
    exit 1
fi
# Each NL_ENV_TEST of a test file this build registers (the sanitizer build leaves some files
# out) must be an entry of its own that reads the skip mark.
testfile="$binary_dir/tests/CTestTestfile.cmake"
checked=0
for source in "$source_dir"/tests/cli/*.c "$source_dir"/tests/unit/*.c; do
    name=$(basename "$source" .c)
    grep -q "add_test($name[ /]" "$testfile" || continue
    while IFS= read -r pattern; do
        entry="$name/$pattern"
        if ! grep -q "set_tests_properties($entry PROPERTIES .*SKIP_REGULAR_EXPRESSION \"nextlevel-test skipped: \"" "$testfile"; then
            echo "$entry: declared NL_ENV_TEST but not a CTest entry reading the skip mark" >&2
            exit 1
        fi
        checked=$((checked + 1))
    done < <(sed -n 's/^NL_ENV_TEST(\([A-Za-z0-9_]*\), *\([A-Za-z0-9_]*\).*/\1\/\2/p' "$source")
done
if [ "$checked" -eq 0 ]; then
    echo "no NL_ENV_TEST found in a registered test file" >&2
    exit 1
fi
registered=$checked
echo "suite-count: '$got'; $registered environment-dependent tests in CTest entries of their own"
