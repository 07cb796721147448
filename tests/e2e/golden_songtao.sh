#!/usr/bin/env bash
# Golden end-to-end test: policies/songtao-grades.wz (seed 000, system E: the 松桃 annual
# assessment on 德能勤绩 in four grades) on examples/songtao — 优秀 limited to 15% of the staff
# (classify … limit 15% by total desc, 绩 desc, 德 desc, staff.hired asc), one-vote vetoes as
# ladder tiers with grade effects, vetoed persons kept out of the 优秀 places.
# Usage: golden_songtao.sh WENZE SOURCE_DIR
#
# Checks:
#  1. the policy checks cleanly; every output file equals tests/golden/songtao/output/;
#  2. scores.csv and the sanctions equal what tests/ref/songtao_ref.py — an independent Python
#     implementation with exact fractions — computed (tests/golden/songtao/expected/),
#     re-running it when python3 is present;
#  3. the quota: floor(15% × 30) = 4 places, S05 before S21 by 参加工作时间 alone; more staff,
#     more places; a tie across the limit is an error naming both;
#  4. changed facts move persons in and out of 优秀 (a veto lifted, a veto added, a day of 事假);
#  5. bad values in the facts are reported as FILE:ROW:COL.
set -euo pipefail
NAME=golden_songtao
source "$(dirname "$0")/lib.bash" "$@"
POLICY=$SRC/policies/songtao-grades.wz
EXAMPLE=$SRC/examples/songtao
golden=$SRC/tests/golden/songtao
LIMIT_AT="$POLICY:155:5"      # the 优秀 case of the grade classify

# same_as_ref DIR FACTS — DIR's scores and sanctions equal the reference's on FACTS (python3 only)
same_as_ref() {
    command -v python3 >/dev/null 2>&1 || return 0
    python3 "$SRC/tests/ref/songtao_ref.py" "$2" "$TMP/ref_chk" >/dev/null
    diff -u "$TMP/ref_chk/scores.csv" "$1/scores.csv" || fail "scores differ from the reference on $2"
    diff -u "$TMP/ref_chk/sanctions.txt" <(cut -d, -f1-2 "$1/sanctions.csv") || fail "sanctions differ from the reference on $2"
    rm -rf "$TMP/ref_chk"
}

# excellent DIR — the persons graded 优秀, space-separated, in file order
excellent() { awk -F, '$NF == "优秀" { printf "%s%s", s, $1; s = " " }' "$1/scores.csv"; }

case_ "the policy checks cleanly"
expect_ok wenze check "$POLICY"
[ ! -s "$OUT_FILE" ] && [ ! -s "$ERR_FILE" ] || fail "check printed something"
pass

case_ "outputs equal the golden files"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out"
[ "$(cat "$OUT_FILE")" = "wenze: 30 persons, 85 fact rows read (3 outside the period, ignored), 25 findings; wrote $TMP/out/" ] \
    || fail "unexpected summary line: $(cat "$OUT_FILE")"
for f in scores.csv sanctions.csv findings.jsonl summary.json; do
    diff -u "$golden/output/$f" "$TMP/out/$f" || fail "$f differs from the golden file"
done
[ ! -e "$TMP/out/pay.csv" ] && [ ! -e "$TMP/out/awards.csv" ] || fail "this policy pays no pool and makes no awards"
pass

case_ "scores and sanctions equal the independent reference"
diff -u "$golden/expected/scores.csv" "$TMP/out/scores.csv" || fail "scores differ from the reference"
diff -u "$golden/expected/sanctions.txt" <(cut -d, -f1-2 "$TMP/out/sanctions.csv") || fail "sanctions differ from the reference"
if command -v python3 >/dev/null 2>&1; then
    python3 "$SRC/tests/ref/songtao_ref.py" "$EXAMPLE" "$TMP/ref" >/dev/null
    for f in scores.csv sanctions.txt; do
        diff -u "$golden/expected/$f" "$TMP/ref/$f" || fail "the reference no longer gives expected/$f"
    done
fi
pass

case_ "the quota: 7 candidates, floor(15% × 30) = 4 places"
[ "$(excellent "$TMP/out")" = "S03 S05 S07 S12" ] || fail "优秀 should be S03 S05 S07 S12, got: $(excellent "$TMP/out")"
# S03 and S12 tie on total 93: 绩 38 before 37. S05 and S21 tie on total 91.5, 绩 37 and 德 19:
# S05 (参加工作 1998-09-01) takes the 4th place, S21 (2006-09-01) goes on to 合格.
grep -qx 'S05,19,16,19.5,37,91.5,优秀' "$TMP/out/scores.csv" || fail "S05 takes the 4th place"
grep -qx 'S21,19,15.5,20,37,91.5,合格' "$TMP/out/scores.csv" || fail "S21 is 5th: 合格"
grep -qx 'S25,18,17,20,35,90,合格' "$TMP/out/scores.csv" || fail "S25 meets 优秀 at exactly 90 but is 7th"
for p in S16 S21 S25; do
    grep -q "^{\"person\":\"$p\",\"rule\":\"over_quota\"," "$TMP/out/findings.jsonl" || fail "$p: over_quota notice"
done
[ "$(grep -c '"rule":"over_quota"' "$TMP/out/findings.jsonl")" = 3 ] || fail "3 candidates over the quota"
pass

case_ "vetoes override the score and take no place"
grep -qx 'S09,19.5,19,20,37.5,96,不合格' "$TMP/out/scores.csv" || fail "S09: 责任事故 → 不合格 despite 96"
grep -qx 'S14,19,19,20,37,95,合格' "$TMP/out/scores.csv" || fail "S14: 通报批评 → at most 合格"
grep -qx 'S18,18.5,18,20,35.5,92,基本合格' "$TMP/out/scores.csv" || fail "S18: 一定损失 → at most 基本合格"
grep -qx 'S27,16,16,20,28,80,不合格' "$TMP/out/scores.csv" || fail "S27: 问责 年度考核不合格"
grep -qx 'S26,14.5,14,19.5,24,72,基本合格' "$TMP/out/scores.csv" || fail "S26: a veto caps, never raises"
grep -qx 'S12,19,17,20,37,93,优秀' "$TMP/out/scores.csv" || fail "S12: 责令整改 is no veto"
grep -qx 'S03,18.5,16.5,20,38,93,优秀' "$TMP/out/scores.csv" || fail "S03: the 通报批评 of 2017-12-20 is outside the year"
grep -qx 'S09,定为不合格,veto_accident,songtao-grades.wz:[0-9]*' "$TMP/out/sanctions.csv" || fail "S09's veto line"
pass

case_ "a veto lifted: S09 takes the first place and S05 drops out"
f=$(copy_facts no_accident)
sed -i '/^S09,/d' "$f/incident.csv"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/out_s09"
[ "$(excellent "$TMP/out_s09")" = "S03 S07 S09 S12" ] || fail "优秀 should be S03 S07 S09 S12, got: $(excellent "$TMP/out_s09")"
grep -qx 'S05,19,16,19.5,37,91.5,合格' "$TMP/out_s09/scores.csv" || fail "S05 is 5th now"
! grep -q '^S09,' "$TMP/out_s09/sanctions.csv" || fail "S09 has no sanction left"
same_as_ref "$TMP/out_s09" "$f"
pass

case_ "a veto added: S05 takes no place, S21 moves up"
f=$(copy_facts s05_veto)
echo 'S05,2018-11-20,通报批评,迎检资料漏报' >>"$f/accountability.csv"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/out_s05"
[ "$(excellent "$TMP/out_s05")" = "S03 S07 S12 S21" ] || fail "优秀 should be S03 S07 S12 S21, got: $(excellent "$TMP/out_s05")"
grep -qx 'S05,19,16,19.5,37,91.5,合格' "$TMP/out_s05/scores.csv" || fail "S05: 评先否决 → 合格"
grep -qx 'S05,评先否决,veto_commend,songtao-grades.wz:[0-9]*' "$TMP/out_s05/sanctions.csv" || fail "S05's veto line"
same_as_ref "$TMP/out_s05" "$f"
pass

case_ "one more day of 事假: S05 (91) falls behind S21 (91.5)"
f=$(copy_facts s05_leave)
echo 'S05,2018-10-09,事假,1' >>"$f/leave.csv"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/out_leave"
grep -qx 'S05,19,16,19,37,91,合格' "$TMP/out_leave/scores.csv" || fail "S05: 勤 19, total 91, 合格"
grep -qx 'S21,19,15.5,20,37,91.5,优秀' "$TMP/out_leave/scores.csv" || fail "S21 takes the 4th place"
same_as_ref "$TMP/out_leave" "$f"
pass

case_ "the limit counts every person: 34 staff give floor(5.1) = 5 places"
f=$(copy_facts more_staff)
for i in 31 32 33 34; do
    echo "S$i,新教师$i,教师,2018-09-01" >>"$f/staff.csv"
    echo "S$i,15,14,24,true" >>"$f/appraisal.csv"
done
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/out_34"
[ "$(excellent "$TMP/out_34")" = "S03 S05 S07 S12 S21" ] || fail "优秀 should be S03 S05 S07 S12 S21, got: $(excellent "$TMP/out_34")"
same_as_ref "$TMP/out_34" "$f"
pass

case_ "a tie across the limit is an error naming both"
f=$(copy_facts tie)
sed -i 's/^S21,滕文斌,教师,2006-09-01$/S21,滕文斌,教师,1998-09-01/' "$f/staff.csv"
expect_fail 1 "$LIMIT_AT: error: '优秀' is limited to 15% of 30 persons, 4 places, but S05 and S21, at places 4 and 5, are equal on every key after 'by'; add a key that tells them apart" \
    -- wenze run "$POLICY" --facts "$f" --out "$TMP/bad"
expect_run_failed "$TMP/bad"
if command -v python3 >/dev/null 2>&1; then
    rc=0
    python3 "$SRC/tests/ref/songtao_ref.py" "$f" "$TMP/ref_tie" >/dev/null 2>&1 || rc=$?
    [ "$rc" = 1 ] || fail "the reference should stop on the tie too (exit $rc)"
fi
pass

case_ "a tie inside the places, or past them, is no error"
f=$(copy_facts tie_inside)
# S12 equal to S03 on every key (places 2 and 3); S25 equal to S16 (places 6 and 7)
sed -i 's/^S12,19,17,37,true$/S12,18.5,16.5,38,true/; s/^S25,18,17,35,true$/S25,18,17.5,35.5,true/' "$f/appraisal.csv"
sed -i 's/^S12,罗正华,教研组长,1997-09-01$/S12,罗正华,教研组长,1995-08-01/; s/^S25,胡建平,班主任,2005-09-01$/S25,胡建平,班主任,2004-09-01/' "$f/staff.csv"
echo 'S25,2018-03-01,病假,2.5' >>"$f/leave.csv"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/out_inside"
[ "$(excellent "$TMP/out_inside")" = "S03 S05 S07 S12" ] || fail "优秀 should be S03 S05 S07 S12, got: $(excellent "$TMP/out_inside")"
grep -qx 'S25,18,17.5,19.5,35.5,90.5,合格' "$TMP/out_inside/scores.csv" || fail "S25 equal to S16, both 合格"
same_as_ref "$TMP/out_inside" "$f"
pass

case_ "a mark that is not a number"
f=$(copy_facts bad_mark)
sed -i 's/^S07,19.5,19,36,true$/S07,19.5,19,三十六,true/' "$f/appraisal.csv"
expect_fail 2 "$f/appraisal.csv:8:4: error: expected a decimal number, found \"三十六\"" \
    -- wenze run "$POLICY" --facts "$f" --out "$TMP/bad"
expect_run_failed "$TMP/bad"
pass

case_ "a mark above its points and half a day below the smallest leave"
f=$(copy_facts bad_range)
sed -i 's/^S10,17.5,19,35.5,true$/S10,21,19,35.5,true/' "$f/appraisal.csv"
sed -i 's/^S16,2018-12-03,病假,1$/S16,2018-12-03,病假,0.25/' "$f/leave.csv"
expect_fail 2 "$f/appraisal.csv:11:2: error: expected a number from 0 to 20, found \"21\"" \
    -- wenze run "$POLICY" --facts "$f" --out "$TMP/bad"
grep -qxF "$f/leave.csv:8:4: error: expected a number from 0.5 to 366, found \"0.25\"" "$ERR_FILE" || fail "the leave row is reported too"
expect_run_failed "$TMP/bad"
pass

case_ "an unknown 问责 measure"
f=$(copy_facts bad_measure)
sed -i 's/^S26,2018-11-30,诫勉谈话,/S26,2018-11-30,警告,/' "$f/accountability.csv"
expect_fail 2 "$f/accountability.csv:7:3: error: expected one of 责令整改, 通报批评, 诫勉谈话, 年度考核不合格, 调整岗位, found \"警告\"" \
    -- wenze run "$POLICY" --facts "$f" --out "$TMP/bad"
pass

finish
