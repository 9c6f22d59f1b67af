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
