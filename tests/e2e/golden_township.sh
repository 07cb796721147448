#!/usr/bin/env bash
# Golden end-to-end test: policies/township-2019.wz (seed 002 篇2, the township primary-school
# teacher assessment) on examples/township — five sections with floors, per-incident
# deductions, leave in half days, a rule that takes back the points of items 2–7 over 20,
# a place table, and four one-vote-veto sanctions that set the grade to 不合格.
# Usage: golden_township.sh WENZE SOURCE_DIR
#
# Checks:
#  1. every output file equals tests/golden/township/output/ byte for byte;
#  2. scores.csv and the sanctions equal what tests/ref/township_ref.py — an independent
#     Python implementation of the scheme with exact fractions — computed
#     (tests/golden/township/expected/), re-running it when python3 is present;
#  3. changed facts and params change what they should (sick leave that is not hospital
#     leave deducts; a veto removed restores the grade; another lab target), and a leave
#     row that is not a whole number of half days is reported as FILE:ROW:COL.
set -euo pipefail
NAME=golden_township
source "$(dirname "$0")/lib.bash" "$@"
POLICY=$SRC/policies/township-2019.wz
EXAMPLE=$SRC/examples/township
golden=$SRC/tests/golden/township

case_ "the policy checks cleanly"
expect_ok wenze check "$POLICY"
[ ! -s "$OUT_FILE" ] && [ ! -s "$ERR_FILE" ] || fail "check printed something"
pass

case_ "outputs equal the golden files"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out"
[ "$(cat "$OUT_FILE")" = "wenze: 20 persons, 110 fact rows read (3 outside the period, ignored), 73 findings; wrote $TMP/out/" ] \
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
    python3 "$SRC/tests/ref/township_ref.py" "$EXAMPLE" "$TMP/ref" >/dev/null
    for f in scores.csv sanctions.txt; do
        diff -u "$golden/expected/$f" "$TMP/ref/$f" || fail "the reference no longer gives expected/$f"
    done
fi
pass

case_ "hospital leave deducts nothing; the same days as ordinary sick leave do"
grep -qx 'T03,9.8,10,10,34.4,10,74.2,基本合格' "$TMP/out/scores.csv" || fail "T03: only 1 day of 病假 deducts"
f=$(copy_facts not_hospital)
sed -i 's/^T03,2019-04-08,住院病假,40$/T03,2019-04-08,病假,40/' "$f/leave.csv"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/out_sick"
# 20 + 1 days of 病假 × 0.2 = 4.2
grep -qx 'T03,5.8,10,10,34.4,10,70.2,基本合格' "$TMP/out_sick/scores.csv" || fail "T03: 21 sick days deduct 4.2"
pass

case_ "a veto sets the grade; without it the score decides"
f=$(copy_facts no_veto)
sed -i '/^T19,/d' "$f/veto.csv"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/out_noveto"
grep -qx 'T19,10,10,10,50,10,90,优秀' "$TMP/out_noveto/scores.csv" || fail "T19 without the veto: 90 is 优秀"
! grep -q '^T19,' "$TMP/out_noveto/sanctions.csv" || fail "T19 has no sanction left"
grep -qx 'T20,0,5,5,36.5,10,56.5,不合格' "$TMP/out_noveto/scores.csv" || fail "T20 is still vetoed"
pass

case_ "another lab target: whole percentage points below it"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out_lab" --param lab_target=95
# T05: 29/32 = 90.625%, 4.375 below 95 → −4; T06: 47/50 = 94%, 1 below → −1; T07: 100%.
grep -qx 'T05,9.9,10,6,33.6,10,69.5,基本合格' "$TMP/out_lab/scores.csv" || fail "T05 with a 95% target"
grep -qx 'T06,9.5,10,9,31.6,10,70.1,基本合格' "$TMP/out_lab/scores.csv" || fail "T06 with a 95% target"
grep -qx 'T07,10,10,3.5,36,10,69.5,基本合格' "$TMP/out_lab/scores.csv" || fail "T07 opened every lab class"
grep -q '"lab_target": {"value": "95", "source": "--param"}' "$TMP/out_lab/summary.json" || fail "summary.json: lab_target from --param"
pass

case_ "leave is counted in whole half days"
f=$(copy_facts half_day)
sed -i 's/^T02,2019-03-14,事假,1$/T02,2019-03-14,事假,0.5/' "$f/leave.csv"
expect_fail 2 "$f/leave.csv:2:4: error: expected an integer, found \"0.5\"" \
    -- wenze run "$POLICY" --facts "$f" --out "$TMP/bad"
expect_run_failed "$TMP/bad"
pass

case_ "an unknown veto clause"
f=$(copy_facts bad_clause)
sed -i 's/^T16,2019-08-20,犯罪处刑罚,/T16,2019-08-20,判刑,/' "$f/veto.csv"
expect_fail 2 "$f/veto.csv:3:3: error: expected one of 违反政纪国法受处分, 失职致学生伤亡或重大事故, 犯罪处刑罚, 处分定为不合格, found \"判刑\"" \
    -- wenze run "$POLICY" --facts "$f" --out "$TMP/bad"
pass

case_ "a research row whose 'others' disagrees with its project's rows"
f=$(copy_facts research_mismatch)
sed -i '2s/,执笔人,2,/,执笔人,3,/' "$f/research.csv"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/mismatch"
grep -q '"person":"T10","rule":"research_group_mismatch","kind":"notice",.*"rows":\[{"file":"research.csv","row":2}\]' \
    "$TMP/mismatch/findings.jsonl" || fail "the mismatch should be a notice citing research.csv row 2"
diff -u "$golden/output/scores.csv" "$TMP/mismatch/scores.csv" || fail "the shares come from the project's rows, not from 'others'"
pass

finish
