#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs nextlevel on the
# bundled templates and samples.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh build
nextlevel=build/nextlevel

echo "== nextlevel check templates/*.ini"
$nextlevel check templates/*.ini

echo
echo "== nextlevel inspect --template templates/engineering-ic.ini samples/*.csv"
# Exit code 1 means "done, some rows rejected": messy-export.csv has bad rows on purpose.
status=0
$nextlevel inspect --template templates/engineering-ic.ini samples/*.csv || status=$?
[ "$status" -le 1 ] || exit "$status"

echo
echo "== nextlevel evaluate --template templates/engineering-ic.ini --previous samples/previous-quarter --calibrate --out out/report.xlsx --split-by team --out-dir out/teams samples/*.csv"
mkdir -p out
status=0
$nextlevel evaluate --template templates/engineering-ic.ini --previous samples/previous-quarter \
    --calibrate --out out/report.xlsx --split-by team --out-dir out/teams samples/*.csv || status=$?
[ "$status" -le 1 ] || exit "$status"
for format in csv json; do
    status=0
    $nextlevel evaluate --quiet --template templates/engineering-ic.ini \
        --previous samples/previous-quarter --out "out/readiness.$format" samples/*.csv ||
        status=$?
    [ "$status" -le 1 ] || exit "$status"
done
echo "wrote out/report.xlsx, out/teams/*.xlsx, out/readiness.csv (with its rejected rows, summary, managers, fairness and trend tables beside it), out/readiness.json"

# The points-based milestone ladder on its own samples: levels come from milestone points, and
# one person's Level column disagrees with their points (a warning, exit 0).
echo
echo "== nextlevel evaluate --template templates/milestones.ini --out out/milestones.xlsx samples/milestones"
$nextlevel evaluate --template templates/milestones.ini --out out/milestones.xlsx \
    samples/milestones
for format in csv json; do
    $nextlevel evaluate --quiet --template templates/milestones.ini \
        --out "out/milestones.$format" samples/milestones
done
echo "wrote out/milestones.xlsx, out/milestones.csv (with its tables beside it), out/milestones.json"
