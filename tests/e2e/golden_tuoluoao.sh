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
#     reward), and bad facts of an entity kind are reported as FILE:ROW:COL naming it;
#  4. the streak rules (item 8) over --history: examples/tuoluoao/history/2007 is exactly
#     what the 2007 run writes; 罗文's second time in the last two; a school last two
#     years by 15 points; a missing --history, a history that did not keep a value, and a
#     malformed kept value are errors.
set -euo pipefail
NAME=golden_tuoluoao
source "$(dirname "$0")/lib.bash" "$@"
POLICY=$SRC/policies/tuoluoao-2008.wz
EXAMPLE=$SRC/examples/tuoluoao
golden=$SRC/tests/golden/tuoluoao
HIST=(--history "$EXAMPLE/history")

case_ "outputs equal the golden files"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" "${HIST[@]}" --out "$TMP/out"
[ "$(cat "$OUT_FILE")" = "wenze: 2 schools, 12 teachers, 20 fact rows read (0 outside the period, ignored), 19 findings; wrote $TMP/out/" ] \
    || fail "unexpected summary line: $(cat "$OUT_FILE")"
for f in awards.csv kept.csv sanctions.csv findings.jsonl summary.json; do
    diff -u "$golden/output/$f" "$TMP/out/$f" || fail "$f differs from the golden file"
done
[ ! -e "$TMP/out/scores.csv" ] || fail "a policy about schools and teachers scores no persons"
pass

case_ "awards and sanctions equal the independent reference"
diff -u "$golden/expected/awards.txt" <(cut -d, -f1-3 "$TMP/out/awards.csv") || fail "awards differ from the reference"
# the reference covers items 1–3: the sanctions of rule subject_last_three
diff -u "$golden/expected/sanctions.txt" <(awk -F, 'NR == 1 || $3 == "subject_last_three"' "$TMP/out/sanctions.csv" | cut -d, -f1-2) \
    || fail "sanctions differ from the reference"
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
expect_ok wenze run "$POLICY" --facts "$f" "${HIST[@]}" --out "$TMP/out10"
grep -qx '驼骆坳中学,quota_fine,-14000,tuoluoao-2008.wz:[0-9]*' "$TMP/out10/awards.csv" || fail "10 short should fine 14000"
pass

case_ "a quota reward param writes its line"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" "${HIST[@]}" --out "$TMP/outq" --param quota_reward=150.5
grep -qx '驼骆坳中学,quota_place_reward,3461.5,tuoluoao-2008.wz:[0-9]*' "$TMP/outq/awards.csv" || fail "23 × 150.5"
grep -qx '严家坳中学,quota_place_reward,2709,tuoluoao-2008.wz:[0-9]*' "$TMP/outq/awards.csv" || fail "min(18, 20) × 150.5"
pass

case_ "a school listed twice in a one-per-school fact"
f=$(copy_facts dup_school)
echo '驼骆坳中学,31,25' >>"$f/quota.csv"
expect_fail 2 "$f/quota.csv:4:1: error: duplicate row for school 驼骆坳中学; only one row per school is allowed (first at row 2)" \
    -- wenze run "$POLICY" --facts "$f" "${HIST[@]}" --out "$TMP/bad"
pass

case_ "a bad rank in subject_rank.csv"
f=$(copy_facts bad_rank)
sed -i 's/^驼骆坳中学,语文,陈国华,1,26$/驼骆坳中学,语文,陈国华,第一,26/' "$f/subject_rank.csv"
expect_fail 2 "$f/subject_rank.csv:2:4: error: expected an integer, found \"第一\"" \
    -- wenze run "$POLICY" --facts "$f" "${HIST[@]}" --out "$TMP/bad"
pass

case_ "the assessed year is required"
f=$(copy_facts no_year)
sed -i '/^year,/d' "$f/params.csv"
expect_fail 2 "$f/params.csv: error: param year has no value: the policy gives no default, so add a row \"year,VALUE\" or pass --param year=VALUE" \
    -- wenze run "$POLICY" --facts "$f" "${HIST[@]}" --out "$TMP/bad"
pass

case_ "the history is exactly the 2007 run's output"
expect_ok wenze run "$POLICY" --facts "$SRC/examples/tuoluoao-2007" --history "$SRC/examples/tuoluoao-2007/history" --out "$TMP/run2007"
diff -r "$EXAMPLE/history/2007" "$TMP/run2007" || fail "examples/tuoluoao/history/2007 is not what the 2007 run writes"
pass

case_ "streaks: 罗文 in the last two twice running"
grep -qx '罗文,黄牌警告,repeated_last_two,tuoluoao-2008.wz:[0-9]*' "$TMP/out/sanctions.csv" || fail "罗文 should get 黄牌警告"
grep -qx '罗文,rotation_candidate,repeated_last_two_rotation,tuoluoao-2008.wz:[0-9]*' "$TMP/out/sanctions.csv" || fail "罗文 should be a rotation candidate by the streak"
! grep -q '^何志刚,黄牌警告' "$TMP/out/sanctions.csv" || fail "何志刚's streak is broken in 2008"
grep -q '"rule":"repeated_last_two".*{"file":"history/2007/kept.csv","row":16}' "$TMP/out/findings.jsonl" || fail "the finding should cite the 2007 kept row"
pass

case_ "streaks: a school last two years, 15 points behind the second-to-last"
f=$(copy_facts last_by_15)
sed -i 's/^严家坳中学,2008,22,26$/严家坳中学,2008,26,26/' "$f/county_rank.csv"
printf 'school,year,score\n驼骆坳中学,2008,512.5\n严家坳中学,2008,301\n大坪中学,2008,316\n' >"$f/county_score.csv"
h=$TMP/hist15
mkdir -p "$h/2007"
printf 'kind,entity,name,value\nschool,严家坳中学,county_last,true\nschool,严家坳中学,county_last_by_15,true\nteacher,罗文,subject_last_two,false\n' >"$h/2007/kept.csv"
expect_ok wenze run "$POLICY" --facts "$f" --history "$h" --out "$TMP/out15"
grep -qx '严家坳中学,诫勉谈话,repeated_last,tuoluoao-2008.wz:[0-9]*' "$TMP/out15/sanctions.csv" || fail "last twice: 诫勉谈话"
grep -qx '严家坳中学,免职,repeated_last_by_15,tuoluoao-2008.wz:[0-9]*' "$TMP/out15/sanctions.csv" || fail "last twice by 15 points: 免职"
grep -qx 'school,严家坳中学,county_last_by_15,true' "$TMP/out15/kept.csv" || fail "316 − 301 = 15 behind"
sed -i 's/^大坪中学,2008,316$/大坪中学,2008,315.5/' "$f/county_score.csv"
expect_ok wenze run "$POLICY" --facts "$f" --history "$h" --out "$TMP/out145"
! grep -q '免职' "$TMP/out145/sanctions.csv" || fail "14.5 points behind is not 15"
grep -qx '严家坳中学,诫勉谈话,repeated_last,tuoluoao-2008.wz:[0-9]*' "$TMP/out145/sanctions.csv" || fail "still last twice"
pass

case_ "a streak without --history"
expect_fail 3 "error: the policy reads earlier periods (streak(…) at $POLICY:141:10) but no --history DIR was given; pass the directory holding earlier runs' outputs, one subdirectory per period" \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/bad"
pass

case_ "a history directory that does not exist"
expect_fail --prefix 4 "$TMP/nohist: error: cannot read the history directory: " \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --history "$TMP/nohist" --out "$TMP/bad"
pass

case_ "a history whose run did not keep a value"
h=$TMP/hist_nokeep
mkdir -p "$h/2007"
grep -v county_last_by_15 "$EXAMPLE/history/2007/kept.csv" >"$h/2007/kept.csv"
expect_fail 2 "$h/2007/kept.csv: error: no school has a kept 'county_last_by_15' in this period; the policy that ran it did not keep it" \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --history "$h" --out "$TMP/bad"
pass

case_ "a malformed kept value"
h=$TMP/hist_bad
mkdir -p "$h/2007"
sed 's/^teacher,罗文,subject_last_two,true$/teacher,罗文,subject_last_two,yes/' "$EXAMPLE/history/2007/kept.csv" >"$h/2007/kept.csv"
expect_fail 2 "$h/2007/kept.csv:16:4: error: expected true or false for the kept 'subject_last_two', found \"yes\"" \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --history "$h" --out "$TMP/bad"
pass

case_ "a history period without kept.csv"
h=$TMP/hist_empty
mkdir -p "$h/2007"
expect_fail --prefix 2 "$h/2007/kept.csv: error: missing required fact file" \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --history "$h" --out "$TMP/bad"
pass

finish
