#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (AddressSanitizer, UndefinedBehaviorSanitizer) and
# runs each for SECONDS (default 30; one target per core at a time) from its seed corpus in tests/fuzz/corpus (committed,
# minimised); new inputs go to a scratch folder, never into the tree. Prints executions and
# coverage per target; a finding (crash, leak, timeout, undefined behaviour, a failed output
# check) stops that target with the input saved in the scratch folder, and the script exits 1.
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]     (targets: matrix template evaluate outputs
#                                                  cli diff; default all)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(matrix template evaluate outputs cli diff)
# clang for the build; minizip and libxml2 for the output checks of fuzz_outputs and fuzz_cli.
NEXTLEVEL_EXTRA_PACKAGES="clang libclang-rt-14-dev libminizip-dev libxml2-dev" \
    bash scripts/install-deps.sh
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DNEXTLEVEL_FUZZ=ON -DNEXTLEVEL_TESTS=OFF \
    -DNEXTLEVEL_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target "${targets[@]/#/fuzz_}" >/dev/null
scratch=$(mktemp -d /tmp/nextlevel-fuzz-XXXXXX)
# Undefined behaviour is a finding too; tests/fuzz/ubsan.supp lists the known ones (each with
# its input under tests/fuzz/findings/) until they are fixed.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$PWD/tests/fuzz/ubsan.supp"
# Runs one target; its line of figures (or of failure) goes to $scratch/$target.result.
run_target() {
    local target=$1 seeds max_len dict log
    seeds=tests/fuzz/corpus/$target
    [ -d "$seeds" ] || seeds=tests/fuzz/corpus/matrix # fuzz_evaluate reads matrices
    # Inputs no larger than the seeds need: the workbook targets run a few times a second.
    case $target in
    outputs) max_len=8192 ;;
    cli) max_len=1024 ;;
    diff) max_len=16384 ;;
    *) max_len=65536 ;;
    esac
    dict=()
    [ ! -f "tests/fuzz/$target.dict" ] || dict=(-dict="$PWD/tests/fuzz/$target.dict")
    mkdir -p "$scratch/$target"
    log=$scratch/$target.log
    if ! (cd "$scratch" && "$OLDPWD/build-fuzz/tests/fuzz/fuzz_$target" \
            -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 -max_len="$max_len" \
            -artifact_prefix="$scratch/$target-" -print_final_stats=1 "${dict[@]}" \
            "$target" "$OLDPWD/$seeds") </dev/null >"$log" 2>&1; then
        {
            echo "fuzz_$target: FAILED (input and log kept in $scratch)"
            grep -m1 -A3 'FUZZ CHECK FAILED\|ERROR: \|runtime error' "$log" || tail -30 "$log"
        } >"$scratch/$target.result"
        return 1
    fi
    local runs cov
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')
    echo "fuzz_$target: ${seconds}s, $runs executions, coverage $cov edges, no crash" \
        >"$scratch/$target.result"
}

# One target per core at a time (each is one process); the lines follow in the targets' order.
status=0
running=0
for target in "${targets[@]}"; do
    if [ "$running" -ge "$(nproc)" ]; then
        wait -n || status=1
        running=$((running - 1))
    fi
    run_target "$target" &
    running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
    wait -n || status=1
    running=$((running - 1))
done
for target in "${targets[@]}"; do
    cat "$scratch/$target.result"
done
[ "$status" -ne 0 ] || rm -rf "$scratch"
exit "$status"
