#!/usr/bin/env bash
# Installs, from Debian's packages, whatever the build and the tests need and this machine lacks.
# Safe to run again: it only calls apt-get when a package is missing.
#   bash scripts/install-deps.sh [--render | --render-only | --extra-only]
# --render also installs what the rendering check (CTest render_samples), the What-if
# recalculation (CTest whatif_recalc) and scripts/render-docs.sh need: LibreOffice's spreadsheet
# without a GUI with its Python bridge (python3-uno), poppler's pdftotext and pdftoppm, and
# Carlito, the font with Calibri's metrics (without it LibreOffice lays the
# workbook out in a wider font and the page counts change). --render-only installs just those,
# without a new package-list update when one ran in the last hour: scripts/test.sh runs it
# beside the first build, which it does not need; --extra-only likewise installs just
# NEXTLEVEL_EXTRA_PACKAGES (valgrind, clang and the fuzz build's minizip and libxml2, needed only
# after the sanitizer build).
set -euo pipefail

packages=(${NEXTLEVEL_EXTRA_PACKAGES:-} build-essential cmake pkg-config libcsv-dev libxlsxwriter-dev libinih-dev
          libcriterion-dev libjansson-dev libssl-dev python3 python3-openpyxl python3-jsonschema)
render_packages=(libreoffice-calc-nogui python3-uno poppler-utils fonts-crosextra-carlito)
update=yes
case ${1:-} in
--render) packages+=("${render_packages[@]}") ;;
--render-only) packages=("${render_packages[@]}") ;;&
--extra-only) packages=(${NEXTLEVEL_EXTRA_PACKAGES:-}) ;;&
--render-only | --extra-only)
    [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -60 2>/dev/null)" ] ||
        update=no
    ;;
esac
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    [ "$update" = no ] || $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi
