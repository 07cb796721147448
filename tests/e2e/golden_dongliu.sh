#!/usr/bin/env bash
# Golden end-to-end test: policies/dongliu-2019.wz on examples/dongliu.
# Usage: golden_dongliu.sh WENZE SOURCE_DIR
#
# Two independent checks:
#  1. every output file equals tests/golden/dongliu/output/ byte for byte;
#  2. scores.csv, pay.csv, the sanctions and the pool figures equal what
#     tests/ref/dongliu_ref.py computed — an independent implementation of the
#     same rules in Python with exact fractions — kept in
#     tests/golden/dongliu/expected/.  When python3 is present, the reference
#     is re-run so the expected files cannot drift from it.
set -euo pipefail
wenze=$1 src=$2
golden=$src/tests/golden/dongliu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$wenze" run "$src/policies/dongliu-2019.wz" --facts "$src/examples/dongliu" --out "$tmp/out" >/dev/null

for f in scores.csv pay.csv sanctions.csv findings.jsonl summary.json; do
    diff -u "$golden/output/$f" "$tmp/out/$f"
done

diff -u "$golden/expected/scores.csv" "$tmp/out/scores.csv"
diff -u "$golden/expected/pay.csv" "$tmp/out/pay.csv"
diff -u "$golden/expected/sanctions.txt" <(cut -d, -f1,2 "$tmp/out/sanctions.csv")
for key in pool stipends distributed residue; do
    want=$(sed -n "s/^$key=//p" "$golden/expected/summary.txt")
    grep -q "\"$key\": \"$want\"" "$tmp/out/summary.json" || { echo "summary.json: $key is not $want" >&2; exit 1; }
done

if command -v python3 >/dev/null 2>&1; then
    python3 "$src/tests/ref/dongliu_ref.py" "$src/examples/dongliu" "$tmp/ref" >/dev/null
    for f in scores.csv pay.csv sanctions.txt summary.txt; do
        diff -u "$golden/expected/$f" "$tmp/ref/$f"
    done
fi
echo "golden_dongliu: 1 passed, 0 failed"
