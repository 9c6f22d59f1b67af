#!/usr/bin/env bash
# Builds the Debian package with cpack, unpacks it with dpkg -x into a scratch folder, and runs
# the nextlevel inside on an installed template: the package holds a working binary, the man
# page, the templates and the bash completion. Run by CTest as package_installs:
#   package_installs.sh BUILD_DIR
# Exits 77 (CTest reports "skipped") when dpkg is not there to build or unpack a .deb.
set -euo pipefail
build_dir=$(cd "$1" && pwd)
for tool in dpkg dpkg-deb cpack; do
    if ! command -v "$tool" >/dev/null; then
        echo "skipped: $tool is not installed"
        exit 77
    fi
done
scratch=$(mktemp -d "$build_dir/package_installs.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
fail() {
    echo "package_installs: $*" >&2
    exit 1
}

cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$scratch/out" >"$scratch/cpack.log" 2>&1 ||
    { cat "$scratch/cpack.log" >&2; fail "cpack -G DEB failed"; }
debs=("$scratch"/out/*.deb)
[ -f "${debs[0]}" ] || fail "cpack made no .deb"
deb=${debs[0]}
echo "built $(basename "$deb")"

depends=$(dpkg-deb -f "$deb" Depends)
for lib in libcsv3 libinih1 libjansson4 libssl3 libxlsxwriter; do
    [[ $depends == *"$lib"* ]] || fail "Depends ($depends) lacks $lib"
done
[ -n "$(dpkg-deb -f "$deb" Maintainer)" ] || fail "no Maintainer"

root="$scratch/root"
dpkg -x "$deb" "$root"
nextlevel="$root/usr/bin/nextlevel"
[ -x "$nextlevel" ] || fail "no /usr/bin/nextlevel"
version=$("$nextlevel" --version) || fail "nextlevel --version failed"
[[ $version == "nextlevel "[0-9]* ]] || fail "unexpected version: $version"
template="$root/usr/share/nextlevel/templates/engineering-ic.ini"
[ -f "$template" ] || fail "no templates in /usr/share/nextlevel/templates"
"$nextlevel" check "$template" >"$scratch/check.out" || fail "nextlevel check $template failed"
grep -q "result: usable" "$scratch/check.out" || fail "check did not say usable"

man_page=$(find "$root/usr/share/man/man1" -name 'nextlevel.1*' | head -n 1)
[ -n "$man_page" ] || fail "no man page in /usr/share/man/man1"
completion="$root/usr/share/bash-completion/completions/nextlevel"
[ -f "$completion" ] || fail "no bash completion in /usr/share/bash-completion/completions"
bash -n "$completion" || fail "the bash completion has a syntax error"
grep -q -- "--template" "$completion" || fail "the bash completion lacks --template"
echo "package_installs: $version, man page, templates and completion installed"
