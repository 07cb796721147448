#!/usr/bin/env bash
# wenze diff OLD NEW [--facts DIR]: what changed between two policy versions, and whom it changes.
# Usage: diff.sh WENZE SOURCE_DIR
#
# A copy of the 东流镇 policy with four edits (version, the 病假 rate, a tier's cut, a share's
# weight): the changes item by item with both lines; the same policy laid out anew and
# reordered: no change; the impact on the example facts: who gains and loses, sorted by the
# size of the change, and the money it moves adding up with both runs' residues (python3).
set -euo pipefail
NAME=diff
source "$(dirname "$0")/lib.bash" "$@"

mkdir -p "$TMP/v"
cp "$POLICY" "$TMP/v/old.wz"
sed -e 's/version "2019.1"/version "2020.1"/' \
    -e 's/deduct sick "病假" 0.2 per/deduct sick "病假" 0.3 per/' \
    -e 's/    警告: cut 30%;/    警告: cut 40%;/' \
    -e 's/    average80: 0.8;/    average80: 0.75;/' "$POLICY" >"$TMP/v/new.wz"
[ "$(diff "$TMP/v/old.wz" "$TMP/v/new.wz" | grep -c '^>')" -eq 4 ] || fail "the edits did not all apply"

case_ "four edits, item by item, with both files' lines"
expect_ok wenze diff "$TMP/v/old.wz" "$TMP/v/new.wz"
diff -u - "$OUT_FILE" <<'OUT' || fail "unexpected diff"
~ policy header  (old.wz:1 → new.wz:1)
    version: 2019.1 → 2020.1
~ rule attendance.sick  (old.wz:96 → new.wz:96)
    amount: 0.2 → 0.3
~ ladder 处分  (old.wz:114 → new.wz:114)
    tier 警告 cut: 30% → 40%
~ pool distribute  (old.wz:150 → new.wz:150)
    share average80: 0.8 → 0.75
changes through what they read: attendance, total
OUT
pass

case_ "laid out anew, comments dropped, items reordered: no change in meaning"
# every comment line dropped, then the 'let age' line moved to the end (values may be declared later)
grep -v '^ *#' "$POLICY" | awk '/^let age = / {moved=$0; next} {print} END {print moved}' >"$TMP/v/same.wz"
expect_ok wenze check "$TMP/v/same.wz"
expect_ok wenze diff "$POLICY" "$TMP/v/same.wz"
[ "$(cat "$OUT_FILE")" = "no change in meaning" ] || fail "a layout change reported: $(cat "$OUT_FILE")"
pass

case_ "an added and a removed rule"
sed -e 's/^    deduct absent "旷工".*$/    deduct late "迟到" 0.1 per sum(leave.days where kind == 旷工);/' "$POLICY" >"$TMP/v/swap.wz"
expect_ok wenze diff "$POLICY" "$TMP/v/swap.wz"
grep -q -x -- '- rule attendance.absent  (dongliu-2019.wz:98)' "$OUT_FILE" || fail "the removed rule is not listed: $(cat "$OUT_FILE")"
grep -q -x -- '+ rule attendance.late  (swap.wz:98)' "$OUT_FILE" || fail "the added rule is not listed"
pass

case_ "the impact on the example: who gains and loses, largest first"
expect_ok wenze diff "$TMP/v/old.wz" "$TMP/v/new.wz" --facts "$EXAMPLE"
grep -q -x '33 of 40 persons change: 30 gain, 3 lose, 0 change grade, 0 change sanctions; 2111.44 moves to those who gain' "$OUT_FILE" ||
    fail "unexpected summary: $(cat "$OUT_FILE")"
# T033 警告 (cut 30% → 40%): 100.75 × 0.7 = 70.53 → 100.75 × 0.6 = 60.45, the largest change
[ "$(grep -m1 '^  T' "$OUT_FILE")" = "  T033 袁媛  total 70.53 → 60.45 (-10.08), pay 8555.09 → 7388.17 (-1166.92)" ] ||
    fail "the largest change is not first: $(grep -m1 '^  T' "$OUT_FILE")"
pass

case_ "the money moved adds up: Σ changes = old residue − new residue"
expect_ok wenze diff "$TMP/v/old.wz" "$TMP/v/new.wz" --facts "$EXAMPLE" --format json
cp "$OUT_FILE" "$TMP/impact.json"
expect_ok wenze run "$TMP/v/old.wz" --facts "$EXAMPLE" --out "$TMP/out-old"
expect_ok wenze run "$TMP/v/new.wz" --facts "$EXAMPLE" --out "$TMP/out-new"
python3 - "$TMP/impact.json" "$TMP/out-old/summary.json" "$TMP/out-new/summary.json" <<'PY' || fail "the impact does not add up"
import json, sys
from fractions import Fraction
impact = json.load(open(sys.argv[1], encoding="utf-8"))
old, new = (json.load(open(p, encoding="utf-8")) for p in sys.argv[2:4])
delta = sum(Fraction(r["pay_new"]) - Fraction(r["pay_old"]) for r in impact["rows"])
want = Fraction(old["pay"]["residue"]) - Fraction(new["pay"]["residue"])
moved = sum(max(Fraction(r["pay_new"]) - Fraction(r["pay_old"]), 0) for r in impact["rows"])
assert delta == want, (delta, want)
assert moved == Fraction(impact["moved"]), (moved, impact["moved"])
assert impact["changed"] == len(impact["rows"]) == 33 and impact["gain"] == 30 and impact["lose"] == 3
PY
pass

case_ "a policy against itself: no change; a NEW that does not check: its errors, exit 1"
expect_ok wenze diff "$POLICY" "$POLICY"
[ "$(cat "$OUT_FILE")" = "no change in meaning" ] || fail "a policy differs from itself: $(cat "$OUT_FILE")"
sed -e 's/^section workload "工作量" = workload.weekly_hours/section workload "工作量" = workload.weekly_hourz/' "$POLICY" >"$TMP/v/broken.wz"
expect_fail --first 1 "$TMP/v/broken.wz:104:26: error: fact 'workload' has no field 'weekly_hourz' (its fields: id, weekly_hours); did you mean 'weekly_hours'?" -- \
    wenze diff "$POLICY" "$TMP/v/broken.wz"
pass

case_ "usage"
expect_fail --first 3 "wenze: diff needs two policies, OLD and NEW" -- wenze diff "$POLICY"
expect_fail --first 3 "wenze: --format needs text or json, found 'xml'" -- wenze diff "$POLICY" "$POLICY" --format xml
expect_fail --first 3 "wenze: unknown option '--out'" -- wenze diff "$POLICY" "$POLICY" --out "$TMP/x"
pass

finish
