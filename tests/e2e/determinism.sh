#!/usr/bin/env bash
# Two runs of the same policy on the same facts give byte-identical output
# directories, also when run from another working directory.
set -euo pipefail
# same_output A B: the same files, byte for byte, but for summary.json's "command" line (it
# names the --out directory)
same_output() {
    diff -r -x summary.json "$1" "$2" && diff <(grep -v '^"command": ' "$1/summary.json") <(grep -v '^"command": ' "$2/summary.json")
}
wenze=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$wenze" run "$src/policies/dongliu-2019.wz" --facts "$src/examples/dongliu" --out "$tmp/a" >/dev/null
(cd "$tmp" && "$wenze" run "$src/policies/dongliu-2019.wz" --facts "$src/examples/dongliu" --out b >/dev/null)
same_output "$tmp/a" "$tmp/b"
# a re-run over an existing output directory replaces it whole
"$wenze" run "$src/policies/dongliu-2019.wz" --facts "$src/examples/dongliu" --out "$tmp/a" >/dev/null
same_output "$tmp/a" "$tmp/b"
[ -z "$(ls -A "$tmp" | grep -v '^[ab]$')" ] || { echo "stray files left beside the output: $(ls -A "$tmp")" >&2; exit 1; }
echo "determinism: 1 passed, 0 failed"
