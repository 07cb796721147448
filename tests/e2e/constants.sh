#!/usr/bin/env bash
# A let of params and literals is a constant, usable where no person is in scope: a section's
# points, floor and cap, a split date, the pool and a share's weight are compiled with the
# let's expression in place (interp/compile.c, WZ_REF_CONST). Checks the run's numbers.
# Usage: constants.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=constants
source "$(dirname "$0")/lib.bash" "$@"

cat > "$TMP/p.wz" <<'WZ'
policy "constants" version "1";
param base: decimal = 10;
param budget: decimal = 300;
let full = base * 2;                                # 20
let low = full / 4;                                 # 5
let second_term = if base > 5 then 2020-02-17 else 2020-03-01;
let whole = budget - 100;                           # 200
let lead_share = low / 5 + 1;                       # 2
period year from 2019-09-01 to 2020-07-15;
split year into term at second_term;
fact staff persons key id { id: text; lead: bool; }
fact leave dated by date { id: person; date: date; days: decimal; }
section s points full floor low { deduct r 1 per sum(leave.days) free 2 per term; }
let basis = classify { lead when staff.lead; plain otherwise; };
distribute whole by basis round 2 { lead: lead_share; plain: 1; }
WZ
mkdir "$TMP/f"
printf 'id,lead\nA,true\nB,false\nC,false\n' > "$TMP/f/staff.csv"
# A: 3 days in the first term, 3 in the second (1 over each): 20 - 2 = 18
# B: 30 days in the first term: 20 - 28 → floor 5
# C: 2 days on 2020-02-16 and 2 on 2020-02-17 (the split): none over: 20
printf 'id,date,days\nA,2019-10-01,3\nA,2020-03-01,3\nB,2019-11-01,30\nC,2020-02-16,2\nC,2020-02-17,2\n' > "$TMP/f/leave.csv"

case_ "check"
expect_ok wenze check "$TMP/p.wz"
pass

case_ "run"
expect_ok wenze run "$TMP/p.wz" --facts "$TMP/f" --out "$TMP/out"
[ "$(cat "$TMP/out/scores.csv")" = "person,s,total,grade
A,18,18,
B,5,5,
C,20,20," ] || fail "scores.csv: $(cat "$TMP/out/scores.csv")"
# 200 in 4 units (A 2, B 1, C 1): 50 each
[ "$(cat "$TMP/out/pay.csv")" = "person,basis,reward,stipend,amount
A,lead,100.00,0.00,100.00
B,plain,50.00,0.00,50.00
C,plain,50.00,0.00,50.00" ] || fail "pay.csv: $(cat "$TMP/out/pay.csv")"
pass

case_ "a per-person let is still refused there"
sed 's/^let low = full \/ 4;/let low = if staff.lead then 1 else 0;/' "$TMP/p.wz" > "$TMP/q.wz"
expect_fail --first 1 "$TMP/q.wz:13:29: error: 'low' is a per-person value and cannot be used here" -- wenze check "$TMP/q.wz"
pass

finish
