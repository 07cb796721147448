#!/usr/bin/env bash
# Golden end-to-end test: policies/tuoluoao-2008.wz (seed 003, 责任书四 三.1–3) on
# examples/tuoluoao — schools and teachers as entities, awards.csv, a text-keyed
# table per school, the "and so on" quota fines.
# Usage: golden_tuoluoao.sh WENZE SOURCE_DIR
#
# Checks:
#  1. every output file equals tests/golden/tuoluoao/output/ byte for byte;
#  2. awards (entity, rule, amount) and sanctions equal what tests/ref/tuoluoao_ref.py —
#     an independent Python implementation of the contract — computed
#     (tests/golden/tuoluoao/expected/), re-running it when python3 is present;
#  3. changed facts and params change what they should (10 short → 14000; a quota
#     reward), and bad facts of an entity kind are reported as FILE:ROW:COL naming it.
set -euo pipefail
NAME=golden_tuoluoao
source "$(dirname "$0")/lib.bash" "$@"
POLICY=$SRC/policies/tuoluoao-2008.wz
EXAMPLE=$SRC/examples/tuoluoao
golden=$SRC/tests/golden/tuoluoao

case_ "outputs equal the golden files"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out"
[ "$(cat "$OUT_FILE")" = "wenze: 2 schools, 12 teachers, 20 fact rows read (0 outside the period, ignored), 17 findings; wrote $TMP/out/" ] \
    || fail "unexpected summary line: $(cat "$OUT_FILE")"
for f in awards.csv sanctions.csv findings.jsonl summary.json; do
    diff -u "$golden/output/$f" "$TMP/out/$f" || fail "$f differs from the golden file"
done
[ ! -e "$TMP/out/scores.csv" ] || fail "a policy about schools and teachers scores no persons"
pass

case_ "awards and sanctions equal the independent reference"
diff -u "$golden/expected/awards.txt" <(cut -d, -f1-3 "$TMP/out/awards.csv") || fail "awards differ from the reference"
diff -u "$golden/expected/sanctions.txt" <(cut -d, -f1-2 "$TMP/out/sanctions.csv") || fail "sanctions differ from the reference"
if command -v python3 >/dev/null 2>&1; then
    python3 "$SRC/tests/ref/tuoluoao_ref.py" "$EXAMPLE" "$TMP/ref" >/dev/null
    for f in awards.txt sanctions.txt; do
        diff -u "$golden/expected/$f" "$TMP/ref/$f" || fail "the reference no longer gives expected/$f"
    done
fi
pass

case_ "the quota fines continue by their pattern: 10 short"
f=$(copy_facts ten_short)
sed -i 's/^驼骆坳中学,30,23$/驼骆坳中学,30,20/' "$f/quota.csv"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/out10"
grep -qx '驼骆坳中学,quota_fine,-14000,tuoluoao-2008.wz:[0-9]*' "$TMP/out10/awards.csv" || fail "10 short should fine 14000"
pass

case_ "a quota reward param writes its line"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/outq" --param quota_reward=150.5
grep -qx '驼骆坳中学,quota_place_reward,3461.5,tuoluoao-2008.wz:[0-9]*' "$TMP/outq/awards.csv" || fail "23 × 150.5"
grep -qx '严家坳中学,quota_place_reward,2709,tuoluoao-2008.wz:[0-9]*' "$TMP/outq/awards.csv" || fail "min(18, 20) × 150.5"
pass

case_ "a school listed twice in a one-per-school fact"
f=$(copy_facts dup_school)
echo '驼骆坳中学,31,25' >>"$f/quota.csv"
expect_fail 2 "$f/quota.csv:4:1: error: duplicate row for school 驼骆坳中学; only one row per school is allowed (first at row 2)" \
    -- wenze run "$POLICY" --facts "$f" --out "$TMP/bad"
pass

case_ "a bad rank in subject_rank.csv"
f=$(copy_facts bad_rank)
sed -i 's/^驼骆坳中学,语文,陈国华,1,26$/驼骆坳中学,语文,陈国华,第一,26/' "$f/subject_rank.csv"
expect_fail 2 "$f/subject_rank.csv:2:4: error: expected an integer, found \"第一\"" \
    -- wenze run "$POLICY" --facts "$f" --out "$TMP/bad"
pass

case_ "the assessed year is required"
f=$(copy_facts no_year)
sed -i '/^year,/d' "$f/params.csv"
expect_fail 2 "$f/params.csv: error: param year has no value: the policy gives no default, so add a row \"year,VALUE\" or pass --param year=VALUE" \
    -- wenze run "$POLICY" --facts "$f" --out "$TMP/bad"
pass

finish
