#!/usr/bin/env bash
# Renders the command line's documents from the option table (src/cli_options.c) into the
# tree: docs/nextlevel.1 and the synopsis block under "## Command line" in README.md.
# tests/cli/test_cli_options.c fails when they are stale. Run after changing an option:
#   bash scripts/gen-docs.sh [BUILD_DIR]   (default build/; it is built first)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
[ -f "$build_dir/CMakeCache.txt" ] || bash scripts/build.sh "$build_dir"
cmake --build "$build_dir" --target nextlevel >/dev/null
nextlevel="$build_dir/nextlevel"

"$nextlevel" --generate man >docs/nextlevel.1.new
mv docs/nextlevel.1.new docs/nextlevel.1

# The README's first fenced block after "## Command line" is the synopsis: replace its lines.
synopsis=$("$nextlevel" --generate synopsis)
awk -v synopsis="$synopsis" '
    /^## Command line$/ { section = 1 }
    section == 1 && /^```/ { print; print synopsis; section = 2; skipping = 1; next }
    skipping && /^```/ { skipping = 0 }
    !skipping { print }
' README.md >README.md.new
mv README.md.new README.md
echo "updated docs/nextlevel.1 and README.md (## Command line)"
