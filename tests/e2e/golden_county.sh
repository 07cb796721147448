#!/usr/bin/env bash
# Golden end-to-end test: policies/county-plan-2011.wz (seed 004, 2011年某县教育局工作要点
# 四.1, 四.2, 六.1) on examples/county — schools ranked within their category, the principal's
# streak over --history (examples/county/history/2010, the 2010 run), one-vote vetoes.
# Usage: golden_county.sh WENZE SOURCE_DIR
#
# Checks:
#  1. every output file equals tests/golden/county/output/ byte for byte;
#  2. the sanctions (entity, sanction) equal what tests/ref/county_ref.py — an independent
#     Python implementation reading the 2011 AND 2010 facts, not kept.csv — computed
#     (tests/golden/county/expected/), re-running it when python3 is present;
#  3. examples/county/history/2010 is exactly what the 2010 run writes;
#  4. the streak: 东门小学 last two years under one principal → 免职; 跑马初级中学 last two
#     years under two principals → no 免职; a changed 2011 score, or a changed 2010 score,
#     breaks the streak (and the reference agrees on the changed facts);
#  5. the veto puts a school last; an absence outside the year does not count;
#  6. errors: a missing --history (exit 3), a history that did not keep a value, bad rows
#     (exit 2, FILE:ROW:COL).
set -euo pipefail
NAME=golden_county
source "$(dirname "$0")/lib.bash" "$@"
POLICY=$SRC/policies/county-plan-2011.wz
EXAMPLE=$SRC/examples/county
PREV=$SRC/examples/county-prev
REF=$SRC/tests/ref/county_ref.py
golden=$SRC/tests/golden/county
HIST=(--history "$EXAMPLE/history")
SRCLINE='county-plan-2011.wz:[0-9]*'

have_python() { command -v python3 >/dev/null 2>&1; }

# ref_agrees OUT NOW PREV — the reference on the facts NOW and PREV gives OUT's sanctions
ref_agrees() {
    have_python || return 0
    rm -rf "$TMP/ref-check"
    python3 "$REF" "$2" "$3" "$TMP/ref-check" >/dev/null || fail "the reference failed on $2 $3"
    diff -u "$TMP/ref-check/sanctions.txt" <(cut -d, -f1-2 "$1/sanctions.csv") \
        || fail "wenze's sanctions differ from the reference on $2 $3"
}

# copy_prev NAME — a fresh copy of examples/county-prev at $TMP/prev-NAME; prints its path.
copy_prev() {
    local d=$TMP/prev-$1
    rm -rf "$d"
    cp -r "$PREV" "$d"
    printf '%s\n' "$d"
}

case_ "outputs equal the golden files"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" "${HIST[@]}" --out "$TMP/out"
[ "$(cat "$OUT_FILE")" = "wenze: 12 schools, 2 teachers, 35 fact rows read (1 outside the period, ignored), 10 findings; wrote $TMP/out/" ] \
    || fail "unexpected summary line: $(cat "$OUT_FILE")"
for f in kept.csv sanctions.csv findings.jsonl summary.json; do
    diff -u "$golden/output/$f" "$TMP/out/$f" || fail "$f differs from the golden file"
done
[ ! -e "$TMP/out/scores.csv" ] || fail "a policy about schools and teachers scores no persons"
[ ! -e "$TMP/out/awards.csv" ] || fail "the policy has no awards"
pass

case_ "sanctions equal the independent reference"
diff -u "$golden/expected/sanctions.txt" <(cut -d, -f1-2 "$TMP/out/sanctions.csv") || fail "sanctions differ from the reference"
if have_python; then
    python3 "$REF" "$EXAMPLE" "$PREV" "$TMP/ref" >/dev/null
    diff -u "$golden/expected/sanctions.txt" "$TMP/ref/sanctions.txt" || fail "the reference no longer gives expected/sanctions.txt"
fi
pass

case_ "the history is exactly the 2010 run's output"
[ "$(ls -A "$PREV/history")" = "README.md" ] || fail "examples/county-prev/history must hold only README.md (2010 is the first year)"
expect_ok wenze run "$POLICY" --facts "$PREV" --history "$PREV/history" --out "$TMP/run2010"
diff -r "$EXAMPLE/history/2010" "$TMP/run2010" || fail "examples/county/history/2010 is not what the 2010 run writes"
pass

case_ "streak: 东门小学 last two years under one principal"
grep -qx "东门小学,校长免职,last_two_years,$SRCLINE" "$TMP/out/sanctions.csv" || fail "东门小学's principal should be removed"
grep -qx "东门小学,校长诫勉谈话,last_in_category_talk,$SRCLINE" "$TMP/out/sanctions.csv" || fail "东门小学 is last in 2011"
grep -qx 'school,东门小学,last_in_category,true' "$EXAMPLE/history/2010/kept.csv" || fail "东门小学 was last in 2010"
grep -q '"id":"东门小学","rule":"last_two_years".*{"file":"history/2010/kept.csv","row":8}' "$TMP/out/findings.jsonl" \
    || fail "the finding should cite the 2010 kept row"
pass

case_ "streak: a new principal, and a broken streak, are not removed"
grep -qx 'school,跑马初级中学,last_in_category,true' "$EXAMPLE/history/2010/kept.csv" || fail "跑马初级中学 was last in 2010"
grep -qx "跑马初级中学,校长诫勉谈话,last_in_category_talk,$SRCLINE" "$TMP/out/sanctions.csv" || fail "跑马初级中学 is last in 2011"
! grep -q '^跑马初级中学,校长免职' "$TMP/out/sanctions.csv" || fail "李明 was not the principal in 2010: no 免职"
grep -qx 'school,稻谷小学,last_in_category,true' "$EXAMPLE/history/2010/kept.csv" || fail "稻谷小学 was last in 2010"
! grep -q '^稻谷小学,' "$TMP/out/sanctions.csv" || fail "稻谷小学 is not last in 2011"
pass

case_ "a changed 2011 score breaks 东门小学's streak"
f=$(copy_facts break2011)
rm -rf "$f/history"
sed -i 's/^东门小学,78$/东门小学,85/' "$f/assessment.csv"
expect_ok wenze run "$POLICY" --facts "$f" "${HIST[@]}" --out "$TMP/outb"
! grep -q '^东门小学,' "$TMP/outb/sanctions.csv" || fail "东门小学 (85) is no longer last"
grep -qx "城关第三小学,校长诫勉谈话,last_in_category_talk,$SRCLINE" "$TMP/outb/sanctions.csv" || fail "城关第三小学 (84.5) is now last"
! grep -q '^城关第三小学,校长免职' "$TMP/outb/sanctions.csv" || fail "城关第三小学 was not last in 2010"
grep -qx 'school,东门小学,last_in_category,false' "$TMP/outb/kept.csv" || fail "kept: 东门小学 not last"
ref_agrees "$TMP/outb" "$f" "$PREV"
pass

case_ "a changed 2010 score breaks 东门小学's streak"
p=$(copy_prev break2010)
sed -i 's/^东门小学,79.5$/东门小学,84/' "$p/assessment.csv"
expect_ok wenze run "$POLICY" --facts "$p" --history "$p/history" --out "$TMP/hist2010b/2010"
grep -qx 'school,城关第三小学,last_in_category,true' "$TMP/hist2010b/2010/kept.csv" || fail "城关第三小学 (83) is last in 2010"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --history "$TMP/hist2010b" --out "$TMP/outp"
! grep -q '^东门小学,校长免职' "$TMP/outp/sanctions.csv" || fail "东门小学 was not last in 2010"
grep -qx "东门小学,校长诫勉谈话,last_in_category_talk,$SRCLINE" "$TMP/outp/sanctions.csv" || fail "东门小学 is still last in 2011"
ref_agrees "$TMP/outp" "$EXAMPLE" "$p"
pass

case_ "the same principal last two years at 跑马初级中学 is removed"
f=$(copy_facts same_head)
rm -rf "$f/history"
sed -i 's/^跑马初级中学,初级中学,李明$/跑马初级中学,初级中学,王志/' "$f/roster.csv"
expect_ok wenze run "$POLICY" --facts "$f" "${HIST[@]}" --out "$TMP/outh"
grep -qx "跑马初级中学,校长免职,last_two_years,$SRCLINE" "$TMP/outh/sanctions.csv" || fail "王志 last in 2010 and 2011"
! grep -q '"id":"跑马初级中学","rule":"absent_twice"' "$TMP/outh/findings.jsonl" || fail "王志 was absent once in 2011"
ref_agrees "$TMP/outh" "$f" "$PREV"
pass

case_ "the safety veto puts a school last"
grep -qx "松林小学,考核一票否决,safety_veto,$SRCLINE" "$TMP/out/sanctions.csv" || fail "松林小学: 重大 liable incident"
grep -qx "松林小学,校长诫勉谈话,last_in_category_talk,$SRCLINE" "$TMP/out/sanctions.csv" || fail "松林小学 is last by the veto"
! grep -q '^白鹤小学,' "$TMP/out/sanctions.csv" || fail "白鹤小学 (72) stands above the vetoed school"
f=$(copy_facts no_veto)
rm -rf "$f/history"
sed -i 's/^松林小学,2011-06-14,重大,true$/松林小学,2011-06-14,重大,false/' "$f/safety.csv"
expect_ok wenze run "$POLICY" --facts "$f" "${HIST[@]}" --out "$TMP/outv"
! grep -q '^松林小学,' "$TMP/outv/sanctions.csv" || fail "not liable: no veto, and 88 is not last"
grep -qx "白鹤小学,校长诫勉谈话,last_in_category_talk,$SRCLINE" "$TMP/outv/sanctions.csv" || fail "白鹤小学 (72) is last without the veto"
ref_agrees "$TMP/outv" "$f" "$PREV"
pass

case_ "two absences in the year; one outside it does not count"
grep -qx "新村小学,校长免职,absent_twice,$SRCLINE" "$TMP/out/sanctions.csv" || fail "杨华 absent twice in 2011"
grep -q '"file": "absence.csv", .*"rows_ignored": 1}' "$TMP/out/summary.json" || fail "周丽's 2010-12-27 absence is outside 2011"
f=$(copy_facts absence_2012)
rm -rf "$f/history"
sed -i 's/^新村小学,2011-11-03,杨华$/新村小学,2012-01-05,杨华/' "$f/absence.csv"
expect_ok wenze run "$POLICY" --facts "$f" "${HIST[@]}" --out "$TMP/outa"
! grep -q '^新村小学,' "$TMP/outa/sanctions.csv" || fail "one absence in 2011 is not two"
grep -q '"id":"新村小学","rule":"absent_once"' "$TMP/outa/findings.jsonl" || fail "one absence: a notice"
ref_agrees "$TMP/outa" "$f" "$PREV"
pass

case_ "a streak without --history"
expect_fail 3 "error: the policy reads earlier periods (streak(…) at $POLICY:112:10) but no --history DIR was given; pass the directory holding earlier runs' outputs, one subdirectory per period" \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/bad"
pass

case_ "a history whose run did not keep the principal"
h=$TMP/hist_nokeep
mkdir -p "$h/2010"
grep -v principal_name "$EXAMPLE/history/2010/kept.csv" >"$h/2010/kept.csv"
expect_fail 2 "$h/2010/kept.csv: error: no school has a kept 'principal_name' in this period; the policy that ran it did not keep it" \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --history "$h" --out "$TMP/bad"
pass

case_ "bad rows: a score, a category, a liability"
f=$(copy_facts bad_rows)
rm -rf "$f/history"
sed -i 's/^东门小学,78$/东门小学,百分/' "$f/assessment.csv"
sed -i 's/^跑马初级中学,初级中学,李明$/跑马初级中学,中学,李明/' "$f/roster.csv"
sed -i 's/^松林小学,2011-06-14,重大,true$/松林小学,2011-06-14,重大,有/' "$f/safety.csv"
expect_fail 2 "$f/assessment.csv:5:2: error: expected a decimal number, found \"百分\"" \
    -- wenze run "$POLICY" --facts "$f" "${HIST[@]}" --out "$TMP/bad"
grep -qxF "$f/roster.csv:13:2: error: expected one of 城区小学, 农村小学, 初级中学, found \"中学\"" "$ERR_FILE" || fail "the bad category"
grep -qxF "$f/safety.csv:2:4: error: expected true, false, 1, 0, 是 or 否, found \"有\"" "$ERR_FILE" || fail "the bad liability"
expect_run_failed "$TMP/bad"
pass

case_ "a score out of range"
f=$(copy_facts bad_score)
rm -rf "$f/history"
sed -i 's/^城关第一小学,91.5$/城关第一小学,105/' "$f/assessment.csv"
expect_fail 2 "$f/assessment.csv:2:2: error: expected a number from 0 to 100, found \"105\"" \
    -- wenze run "$POLICY" --facts "$f" "${HIST[@]}" --out "$TMP/bad"
pass

finish
