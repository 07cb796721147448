#!/usr/bin/env bash
# The shipped second versions against their first: policies/dongliu-2020.wz against
# dongliu-2019.wz, songtao-grades-2021.wz against songtao-grades.wz.  Both modes of
# `wenze diff` (the changes; the impact on the example facts, with each change alone) are
# compared byte for byte with tests/golden/diff/; the impact is checked against two separate
# runs (python3, exact fractions); each new version runs and passes its own tests.
# Usage: diff_versions.sh WENZE SOURCE_DIR        (WZ_UPDATE_GOLDEN=1 rewrites the goldens)
set -euo pipefail
NAME=diff_versions
source "$(dirname "$0")/lib.bash" "$@"
GOLD=$SRC/tests/golden/diff

# golden FILE: the last command's stdout against tests/golden/diff/FILE
golden() {
    if [ "${WZ_UPDATE_GOLDEN:-}" = 1 ]; then cp "$OUT_FILE" "$GOLD/$1"; return; fi
    diff -u "$GOLD/$1" "$OUT_FILE" || fail "stdout differs from tests/golden/diff/$1"
}

versions=("dongliu-2019 dongliu-2020 dongliu" "songtao-grades songtao-grades-2021 songtao")
for v in "${versions[@]}"; do
    read -r old new facts <<<"$v"
    case_ "$old → $new: the changes"
    (cd "$SRC" && expect_ok wenze diff "policies/$old.wz" "policies/$new.wz")
    golden "$new.changes.txt"
    (cd "$SRC" && expect_ok wenze diff "policies/$old.wz" "policies/$new.wz" --format json)
    python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$OUT_FILE" || fail "not JSON"
    golden "$new.changes.json"
    pass

    case_ "$old → $new: the impact on examples/$facts, each change alone"
    (cd "$SRC" && expect_ok wenze diff "policies/$old.wz" "policies/$new.wz" --facts "examples/$facts" --out "$TMP/impact-$new")
    golden "$new.impact.txt"
    cp "$TMP/impact-$new/impact.csv" "$OUT_FILE"
    golden "$new.impact.csv"
    pass

    case_ "$old → $new: the impact is what two separate runs give"
    (cd "$SRC" && expect_ok wenze run "policies/$old.wz" --facts "examples/$facts" --out "$TMP/run-$old")
    (cd "$SRC" && expect_ok wenze run "policies/$new.wz" --facts "examples/$facts" --out "$TMP/run-$new")
    python3 - "$TMP/impact-$new/impact.json" "$TMP/run-$old" "$TMP/run-$new" <<'PY' || fail "the impact disagrees with the runs"
import csv, json, os, sys
from fractions import Fraction as F
m = json.load(open(sys.argv[1], encoding="utf-8"))
def read(d):
    rows = {r["person"]: r for r in csv.DictReader(open(os.path.join(d, "scores.csv"), encoding="utf-8"))}
    pay = {}
    if os.path.exists(os.path.join(d, "pay.csv")):
        pay = {r["person"]: F(r["amount"]) for r in csv.DictReader(open(os.path.join(d, "pay.csv"), encoding="utf-8"))}
    return rows, pay
(so, po), (sn, pn) = read(sys.argv[2]), read(sys.argv[3])
changed = {r["id"]: r for r in m["rows"]}
for pid in so:
    dt = F(sn[pid]["total"]) != F(so[pid]["total"])
    dg = sn[pid].get("grade") != so[pid].get("grade")
    dp = pn.get(pid, 0) != po.get(pid, 0)
    if dt or dg or dp:
        assert pid in changed, pid
        r = changed[pid]
        assert F(r["total_old"]) == F(so[pid]["total"]) and F(r["total_new"]) == F(sn[pid]["total"]), pid
        if po:
            assert F(r["pay_old"]) == po[pid] and F(r["pay_new"]) == pn[pid], pid
    elif pid in changed:
        r = changed[pid]   # only a sanction, a section or an award differs
        assert r["sanctions_old"] != r["sanctions_new"] or r["sections_and_awards"], pid
assert m["changed"] == len(m["rows"])
PY
    pass
done

case_ "README's diff block is what the command prints (… marks lines left out)"
block=$(sed -n '/^\$ build\/wenze diff policies\/dongliu-2019.wz policies\/dongliu-2020.wz --facts examples\/dongliu$/,/^```$/p' "$SRC/README.md")
[ -n "$block" ] || fail "no diff block in README.md"
n=0
while IFS= read -r line; do
    case $line in '$ '* | '…' | '```') continue ;; esac
    grep -q -F -x -- "$line" "$GOLD/dongliu-2020.impact.txt" || fail "README line not printed by wenze diff: $line"
    n=$((n + 1))
done <<<"$block"
[ "$n" -ge 20 ] || fail "README's diff block has only $n lines"
pass

case_ "the new versions' own tests pass"
expect_ok wenze test "$SRC/policies/dongliu-2020.test.wz" "$SRC/policies/songtao-grades-2021.test.wz"
grep -q ' 0 failed$' "$OUT_FILE" || fail "$(tail -1 "$OUT_FILE")"
pass

finish
