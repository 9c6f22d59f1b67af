#!/usr/bin/env bash
# Allocation-failure sweep: makes each of nextlevel's own allocations fail in turn and checks
# that the run ends well every time.
#
#   scripts/alloc-faults.sh [--sample K] [--binary PATH] [--jobs P] [--kinds LIST]
#                           [--points "I J ..."]   (only these points, to reproduce a failure)
#
# For each run kind (below) over the bundled samples with --jobs 1, it first counts the
# allocation points N (NL_FAIL_ALLOC_COUNT=1), then runs the binary with NL_FAIL_ALLOC_AT=i
# into a fresh folder for every i in 1..N, or with --sample K for the first 5 points and K
# points spread evenly up to N. Each run must:
#   - not crash: no signal, no loop (60 s of CPU), no AddressSanitizer, LeakSanitizer or UBSan
#     report;
#   - exit 4 with "out of memory" (or strerror's "Cannot allocate memory") on stderr, leaving
#     no file at the --out path and no .tmp-* file anywhere; for the packs, a file that is left
#     (the combined workbook, packs written before the failure) must be byte for byte the one a
#     normal run writes;
#   - or, when that allocation's failure is tolerated (a thread or a helper process not
#     started, a named temporary file instead of an unnamed one), exit as a normal run does,
#     with exactly a normal run's files.
# The binary is nextlevel-faults from a build configured with -DNEXTLEVEL_ALLOC_FAULTS=ON
# (best with -DNEXTLEVEL_SANITIZE=ON: leaks are then failures too). Exits 0 when every run
# passed, 1 when one failed (each failure is listed, its folder kept), 77 when there is no
# such binary ("skipped").
set -uo pipefail
shopt -s nullglob globstar dotglob
cd "$(dirname "$0")/.."

# Sets args (the options of a run kind writing into folder $1) and target (its --out file).
# Everything per point avoids starting processes: here that costs more than a failing run.
kind_args() {
    case $2 in
    xlsx) args=(-o "$1/report.xlsx") ;;
    csv) args=(-o "$1/report.csv") ;;
    json) args=(-o "$1/report.json") ;;
    packs) args=(--split-by team --out-dir "$1/packs" -o "$1/report.xlsx") ;;
    calibrate-xlsx) args=(--previous samples/previous-quarter --calibrate -o "$1/report.xlsx") ;;
    calibrate-json) args=(--previous samples/previous-quarter --calibrate -o "$1/report.json") ;;
    *) return 1 ;;
    esac
    target=${args[-1]}
}

# Runs one kind into folder $2 (made beforehand; stderr to $2.err); sets rc.
run_kind() {
    kind_args "$2" "$1"
    "$NL_FAULTS_BINARY" evaluate -q --jobs 1 --date 2026-01-01 \
        --template templates/engineering-ic.ini samples "${args[@]}" >/dev/null 2>"$2.err"
    rc=$?
}

# Checks one point; prints nothing when it passed, else one line "FAIL kind i: why".
check_point() {
    local kind=$1 i=$2 out="$NL_FAULTS_WORK/$1-$2" ref="$NL_FAULTS_WORK/ref-$1"
    local why="" text="" f files
    NL_FAIL_ALLOC_AT=$i run_kind "$kind" "$out"
    IFS= read -r -d '' text <"$out.err"
    files=("$out"/**)
    if [ "$rc" -ge 124 ] || [ "$rc" = 86 ] || [ "$rc" = 87 ] ||
        [[ $text == *Sanitizer* || $text == *"runtime error:"* ]]; then
        why="crash or sanitizer report (exit $rc)"
    elif [[ " ${files[*]} " == *.tmp-* ]]; then
        why="a temporary file was left"
    elif [ "$rc" = 4 ]; then
        shopt -s nocasematch
        if [[ $text != *"out of memory"* && $text != *"cannot allocate memory"* ]]; then
            why="exit 4 without an out-of-memory message"
        elif [ "$kind" != packs ] && [ -e "$target" ]; then
            why="exit 4 but $target was written"
        else
            # Whatever is left must be whole: byte for byte what a normal run writes.
            for f in "${files[@]}"; do
                [ -f "$f" ] && ! cmp -s "$f" "$ref/${f#"$out"/}" &&
                    why="exit 4 and ${f#"$out"/} is not a normal run's"
            done
        fi
        shopt -u nocasematch
    elif [ "$rc" = "$NL_FAULTS_REF_RC" ]; then
        diff -r "$out" "$ref" >/dev/null 2>&1 || why="exit $rc (tolerated) but the outputs differ"
    else
        why="exit $rc"
    fi
    if [ -n "$why" ]; then
        text=${text:0:300}
        echo "FAIL $kind $i: $why; stderr: ${text//$'\n'/|}"
    fi
}

# A batch of points of one kind: one shell for many runs.
if [ "${1:-}" = --batch ]; then
    # A run that loops is stopped after 60 s of CPU (SIGXCPU, a failure); with --jobs 1 there
    # is no thread to deadlock, and timeout(1) per run would double the cost of a run.
    ulimit -t 60
    kind=$2
    shift 2
    for i in "$@"; do
        check_point "$kind" "$i"
    done
    exit 0
fi

sample=0
binary=""
jobs=$(nproc)
kinds="xlsx csv json packs calibrate-xlsx calibrate-json"
only_points=""
while [ $# -gt 0 ]; do
    case $1 in
    --sample) sample=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --kinds) kinds=${2//,/ }; shift 2 ;;
    --points) only_points=$2; shift 2 ;;
    *) echo "usage: $0 [--sample K] [--binary PATH] [--jobs P] [--kinds xlsx,csv,...] [--points "I J"]" >&2; exit 2 ;;
    esac
done
if [ -z "$binary" ]; then
    for candidate in build-asan/nextlevel-faults build-faults/nextlevel-faults \
        build/nextlevel-faults; do
        [ -x "$candidate" ] && binary=$candidate && break
    done
fi
if [ -z "$binary" ] || [ ! -x "$binary" ]; then
    echo "alloc-faults: skipped: no nextlevel-faults binary (configure with -DNEXTLEVEL_ALLOC_FAULTS=ON)"
    exit 77
fi

export NL_FAULTS_BINARY NL_FAULTS_WORK
NL_FAULTS_BINARY=$(realpath "$binary")
NL_FAULTS_WORK=$(mktemp -d /tmp/nextlevel-alloc-faults-XXXXXX)
export ASAN_OPTIONS=detect_leaks=1:exitcode=86 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=87
failures=0
runs=0
for kind in $kinds; do
    kind_args /tmp "$kind" || { echo "unknown kind $kind" >&2; exit 2; }
    mkdir -p "$NL_FAULTS_WORK/ref-$kind"
    NL_FAIL_ALLOC_COUNT=1 run_kind "$kind" "$NL_FAULTS_WORK/ref-$kind"
    export NL_FAULTS_REF_RC=$rc
    n=$(sed -n 's/^alloc-faults: \([0-9]*\) allocations$/\1/p' "$NL_FAULTS_WORK/ref-$kind.err")
    if { [ "$rc" != 0 ] && [ "$rc" != 1 ]; } || [ -z "$n" ]; then
        echo "FAIL $kind: the run without a fault exits $rc: $(head -c 300 "$NL_FAULTS_WORK/ref-$kind.err")"
        failures=$((failures + 1))
        continue
    fi
    if [ -n "$only_points" ]; then
        points=$(echo "$only_points" | tr ' ,' '\n\n' | sed '/^$/d')
    elif [ "$sample" -gt 0 ] && [ "$sample" -lt "$n" ]; then
        points=$( (seq 1 $((n < 5 ? n : 5))
            for ((j = 0; j < sample; j++)); do echo $((1 + j * (n - 1) / (sample > 1 ? sample - 1 : 1))); done) |
            sort -nu)
    else
        points=$(seq 1 "$n")
    fi
    count=$(echo "$points" | wc -l)
    # Each run's folder, made in bulk (a mkdir per run would cost as much as the run).
    echo "$points" | sed "s|^|$NL_FAULTS_WORK/$kind-|" | xargs mkdir -p
    log="$NL_FAULTS_WORK/$kind.log"
    batch=$(((count + jobs * 4 - 1) / (jobs * 4)))
    echo "$points" | xargs -P "$jobs" -n "$batch" bash "$0" --batch "$kind" >"$log"
    failed=$(grep -c '^FAIL' "$log")
    runs=$((runs + count))
    failures=$((failures + failed))
    echo "$kind: $n allocation points, $count runs, $failed failed"
    grep '^FAIL' "$log" | head -20
    # Passing runs' folders are empty or hold a normal run's files: drop them as we go.
    [ "$failed" = 0 ] && find "$NL_FAULTS_WORK" -maxdepth 1 -name "$kind-*" -exec rm -rf {} +
done
echo "alloc-faults: $runs runs, $failures failed"
if [ "$failures" -gt 0 ]; then
    echo "alloc-faults: the runs' folders are kept in $NL_FAULTS_WORK"
    exit 1
fi
rm -rf "$NL_FAULTS_WORK"
exit 0
