#!/usr/bin/env bash
# Calendar months and weeks: split … every month|week (每 月), free N per month, full_months.
# Usage: calendar.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=calendar
source "$(dirname "$0")/lib.bash" "$@"

mkdir -p "$TMP/f"
cat >"$TMP/m.wz" <<'WZ'
policy "m" version "1";
param year_start: date = 2019-09-01;
param year_end: date = 2020-07-15;
period 学年 from year_start to year_end;
split 学年 into 月份 every month;
split 学年 into 周 every week;
fact staff persons key id { id: text; joined: date; }
fact late dated by date { id: person; date: date; }
let months = full_months(max(staff.joined, year_start), year_end);
section att "考勤" points 10 floor 0 {
    deduct late "迟到" 0.5 per count(late) free 2 per 月份;
    deduct weekly "一周多次迟到" 1 per count(late) free 1 per 周;
}
total = att + months;
WZ
printf 'id,joined\nA,2019-01-15\nB,2019-11-20\nC,2020-01-31\n' >"$TMP/f/staff.csv"
printf 'id,date\nA,2019-09-02\nA,2019-09-03\nA,2019-09-04\nA,2019-10-07\nB,2019-12-02\nB,2019-12-03\nB,2019-12-09\n' >"$TMP/f/late.csv"

case_ "two lates a month and one a week are free; working months from joining"
expect_ok wenze run "$TMP/m.wz" --facts "$TMP/f" --out "$TMP/out"
# A: September 3 lates (1 over) × 0.5, October 1; the week of Mon 2 Sep 3 (2 over) × 1: 10 − 0.5 − 2;
#    months 2019-09-01 → 2020-07-15: 10
# B: December 3 lates (1 over) × 0.5; the week of Mon 2 Dec 2 (1 over), then 1: 10 − 0.5 − 1; joined
#    2019-11-20 → 2020-07-15: 7 whole months (the 20th of July not reached)
# C: no lates; joined 2020-01-31 → 2020-07-15: 5
diff -u - "$TMP/out/scores.csv" <<'CSV' || fail "unexpected scores"
person,att,total,grade
A,7.5,17.5,
B,8.5,15.5,
C,10,15,
CSV
pass

case_ "the same in Chinese keywords: 划分 学年 为 月份 每 月"
sed -e 's/^split 学年 into 月份 every month;/划分 学年 为 月份 每 月;/' -e 's/^split 学年 into 周 every week;/划分 学年 为 周 每 周;/' "$TMP/m.wz" >"$TMP/m-zh.wz"
expect_ok wenze diff "$TMP/m.wz" "$TMP/m-zh.wz"
expect_ok wenze run "$TMP/m-zh.wz" --facts "$TMP/f" --out "$TMP/out-zh"
cmp "$TMP/out/scores.csv" "$TMP/out-zh/scores.csv" || fail "the Chinese spelling gives other scores"
pass

case_ "the explanation names the month's allowance"
expect_ok wenze explain "$TMP/m.wz" --facts "$TMP/f" --person A
grep -q '迟到 att.late .*-0.5  0.5 × 1 (4 in all, 2 free per 月份)' "$OUT_FILE" || fail "$(cat "$OUT_FILE")"
pass

case_ "an unknown unit is an error at the split"
sed 's/every week;/every fortnight;/' "$TMP/m.wz" >"$TMP/bad.wz"
expect_fail --first 1 "$TMP/bad.wz:6:1: error: split … every 'fortnight': expecting month (月) or week (周)" -- wenze check "$TMP/bad.wz"
pass

finish
