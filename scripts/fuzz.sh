#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (AddressSanitizer, UndefinedBehaviorSanitizer) and
# runs each for SECONDS (default 30) from its seed corpus in tests/fuzz/corpus (committed,
# minimised); new inputs go to a scratch folder, never into the tree. Prints executions per
# target; a crash stops with the crashing input saved in the scratch folder and exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
NEXTLEVEL_EXTRA_PACKAGES="clang libclang-rt-14-dev" bash scripts/install-deps.sh
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DNEXTLEVEL_FUZZ=ON -DNEXTLEVEL_TESTS=OFF \
    -DNEXTLEVEL_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzz_matrix fuzz_template fuzz_evaluate >/dev/null
scratch=$(mktemp -d /tmp/nextlevel-fuzz-XXXXXX)
status=0
for target in matrix template evaluate; do
    seeds=tests/fuzz/corpus/$target
    [ -d "$seeds" ] || seeds=tests/fuzz/corpus/matrix
    mkdir -p "$scratch/$target"
    log=$scratch/$target.log
    if ! (cd "$scratch" && "$OLDPWD/build-fuzz/tests/fuzz/fuzz_$target" \
            -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
            -print_final_stats=1 "$target" "$OLDPWD/$seeds") >"$log" 2>&1; then
        echo "fuzz_$target: FAILED (input and log kept in $scratch)"
        tail -30 "$log"
        status=1
        continue
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')
    echo "fuzz_$target: ${seconds}s, $runs executions, coverage $cov edges, no crash"
done
[ "$status" -ne 0 ] || rm -rf "$scratch"
exit "$status"
