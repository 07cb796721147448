#!/usr/bin/env bash
# Issue 15, money: what a policy says about a `by X` share's persons at 0 (`, zero counts` /
# `, zero exclude`), pool parts, money outside the pool, band tables. Each expected figure is
# worked out by hand in the comment above it (docs/LANGUAGE.md "Distributing a pool").
# Usage: money.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=money
source "$(dirname "$0")/lib.bash" "$@"

# ---- 15.7: a person whose `by` value is 0 ----
mkdir "$TMP/z"
printf 'id,hours\nA,0\nB,10\nC,30\nD,5\n' > "$TMP/z/staff.csv"
printf 'name,value\npool,1000\n' > "$TMP/z/params.csv"
zero_policy() {
    cat <<WZ
policy "zero" version "1";
fact staff persons key id { id: text; hours: decimal in 0 .. 60; }
param pool: decimal;
let basis = classify { average when staff.id == "D"; score otherwise; };
distribute pool by basis { average: 1; score: 1 by staff.hours$1; }
WZ
}

case_ "nothing said: the linter asks, at 'by X'"
zero_policy "" > "$TMP/z0.wz"
expect_fail --first 1 "$TMP/z0.wz:5:52: warning: 'staff.hours' can be 0 for a person with share 'score' (it is from 0 to 60): that person still takes a unit of the share's group, which goes to the others in proportion to 'staff.hours'; say which is meant: 'by staff.hours, zero counts' (the unit stays) or 'by staff.hours, zero exclude' (such a person takes no unit)" -- wenze check --werror "$TMP/z0.wz"
pass

case_ "zero counts: 4 units of 250; the score group's 750 split 0 : 10 : 30"
zero_policy ", zero counts" > "$TMP/z1.wz"
expect_ok wenze check --werror "$TMP/z1.wz"
expect_ok wenze run "$TMP/z1.wz" --facts "$TMP/z" --out "$TMP/o1"
[ "$(cat "$TMP/o1/pay.csv")" = "person,basis,reward,stipend,amount
A,score,0.00,0.00,0.00
B,score,187.50,0.00,187.50
C,score,562.50,0.00,562.50
D,average,250.00,0.00,250.00" ] || fail "pay.csv: $(cat "$TMP/o1/pay.csv")"
pass

case_ "zero exclude (为零 不参与分配): A takes no unit, 3 units of 333.33…; 666.67 split 10 : 30"
zero_policy ", 为零 不参与分配" > "$TMP/z2.wz"
expect_ok wenze check --werror "$TMP/z2.wz"
expect_ok wenze run "$TMP/z2.wz" --facts "$TMP/z" --out "$TMP/o2"
[ "$(cat "$TMP/o2/pay.csv")" = "person,basis,reward,stipend,amount
A,score,0.00,0.00,0.00
B,score,166.67,0.00,166.67
C,score,500.00,0.00,500.00
D,average,333.33,0.00,333.33" ] || fail "pay.csv: $(cat "$TMP/o2/pay.csv")"
# explain says A took no unit (was: "1 unit each, shared pro rata to …" beside a × 0 = 0.00)
expect_ok wenze explain "$TMP/z2.wz" --facts "$TMP/z" --person A
grep -q 'no unit: staff.hours is 0, and the share says zero exclude' "$OUT_FILE" || fail "explain: $(cat "$OUT_FILE")"
expect_ok wenze explain "$TMP/z2.wz" --facts "$TMP/z" --person B
! grep -q 'no unit' "$OUT_FILE" || fail "B takes a unit: $(cat "$OUT_FILE")"
pass

# ---- 15.5: a schedule in bands, values of params ----
mkdir "$TMP/b"
printf 'id,days\nA,0\nB,0.5\nC,0.75\nD,3\nE,3.01\n' > "$TMP/b/staff.csv"
cat > "$TMP/b.wz" <<'WZ'
policy "bands" version "1";
fact staff persons key id { id: text; days: decimal in 0 .. 31; }
param full_day_fine: decimal = 50;
let three_days = full_day_fine * 60%;
# 0.5 天以内 5 元, 1 天以内 15 元, 3 天以内 30 元, 3 天以上 50 元
table leave_fine "事假扣款（元）" {
    within 0:  0;
    0.5 以内:  5;
    within 1:  15;
    within 3:  three_days;
    otherwise: full_day_fine;
}
section fine = leave_fine(staff.days);
WZ

case_ "bands: each key in the first band it does not pass; above the last, otherwise"
expect_ok wenze check --werror "$TMP/b.wz"
expect_ok wenze run "$TMP/b.wz" --facts "$TMP/b" --out "$TMP/ob"
# A 0 → within 0; B 0.5 → 0.5 以内 (inclusive); C 0.75 → within 1; D 3 → 50 × 60%; E 3.01 → otherwise
[ "$(cat "$TMP/ob/scores.csv")" = "person,fine,total,grade
A,0,0,
B,5,5,
C,15,15,
D,30,30,
E,50,50," ] || fail "scores.csv: $(cat "$TMP/ob/scores.csv")"
pass

case_ "a value of a param follows params.csv"
printf 'name,value\nfull_day_fine,100\n' > "$TMP/b/params.csv"
expect_ok wenze run "$TMP/b.wz" --facts "$TMP/b" --out "$TMP/ob2"
[ "$(cut -d, -f1,2 "$TMP/ob2/scores.csv" | tail -2 | tr '\n' ' ')" = "D,60 E,100 " ] || fail "scores.csv: $(cat "$TMP/ob2/scores.csv")"
pass

case_ "no otherwise: a key above the last band names the person"
sed '/otherwise:/d' "$TMP/b.wz" > "$TMP/b2.wz"
expect_fail --first 1 "$TMP/b2.wz:12:16: error: while computing 'fine' for person E: the key is above the table's last band and the table has no 'otherwise' row" -- wenze run "$TMP/b2.wz" --facts "$TMP/b" --out "$TMP/ob3"
pass

# ---- 15.6: money outside the pool, beside it ----
mkdir "$TMP/a"
printf 'id,x,absent\nA,0,0\nB,10,2\nC,30,0\n' > "$TMP/a/staff.csv"
printf 'name,value\npool,1000\n' > "$TMP/a/params.csv"
cat > "$TMP/a.wz" <<'WZ'
policy "awards beside the pool" version "1";
fact staff persons key id { id: text; x: decimal in 0 .. 100; absent: int in 0 .. 30; }
param pool: decimal;
let basis = classify { score otherwise; };
distribute pool by basis { score: 1 by staff.x, zero exclude; }
award full_attendance "全勤奖" = 200 when staff.absent == 0;
award absence_fine "旷工罚款" = -50 * staff.absent when staff.absent > 0;
WZ

case_ "pay.csv: a column per person award and the whole pay; the pool untouched"
expect_ok wenze run "$TMP/a.wz" --facts "$TMP/a" --out "$TMP/oa"
# pool 1000 in 2 units (A at 0 takes none): B 1000 × 10/40 = 250, C 750; A 全勤奖 200,
# B 2 days 旷工 −100, C 全勤奖 200; outside the pool 200 − 100 + 200 = 300
[ "$(cat "$TMP/oa/pay.csv")" = "person,basis,reward,stipend,amount,full_attendance,absence_fine,pay
A,score,0.00,0.00,0.00,200.00,0.00,200.00
B,score,250.00,0.00,250.00,0.00,-100.00,150.00
C,score,750.00,0.00,750.00,200.00,0.00,950.00" ] || fail "pay.csv: $(cat "$TMP/oa/pay.csv")"
grep -q '"pay": {"pool": "1000.00", "stipends": "0.00", "distributed": "1000.00", "residue": "0.00", "outside_pool": "300.00"}' "$TMP/oa/summary.json" || fail "summary.json: $(grep '"pay"' "$TMP/oa/summary.json")"
grep -q '"message":"旷工罚款: fine 100 元"' "$TMP/oa/findings.jsonl" || fail "findings.jsonl: $(cat "$TMP/oa/findings.jsonl")"
pass

case_ "--labels zh: the awards by their words"
expect_ok wenze run "$TMP/a.wz" --facts "$TMP/a" --out "$TMP/oa2" --labels zh
[ "$(head -1 "$TMP/oa2/pay.csv")" = "工号,分配类别,奖励性绩效,津贴,应发金额,全勤奖,旷工罚款,合计应发" ] || fail "pay.csv: $(head -1 "$TMP/oa2/pay.csv")"
pass

finish
