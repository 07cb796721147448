#!/usr/bin/env bash
# Two runs of the same policy on the same facts give byte-identical output
# directories, also when run from another working directory.
set -euo pipefail
wenze=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$wenze" run "$src/policies/dongliu-2019.wz" --facts "$src/examples/dongliu" --out "$tmp/a" >/dev/null
(cd "$tmp" && "$wenze" run "$src/policies/dongliu-2019.wz" --facts "$src/examples/dongliu" --out b >/dev/null)
diff -r "$tmp/a" "$tmp/b"
# a re-run over an existing output directory replaces it whole
"$wenze" run "$src/policies/dongliu-2019.wz" --facts "$src/examples/dongliu" --out "$tmp/a" >/dev/null
diff -r "$tmp/a" "$tmp/b"
[ -z "$(ls -A "$tmp" | grep -v '^[ab]$')" ] || { echo "stray files left beside the output: $(ls -A "$tmp")" >&2; exit 1; }
echo "determinism: 1 passed, 0 failed"
