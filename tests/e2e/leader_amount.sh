#!/usr/bin/env bash
# Issue 15, item 3 — the leader's own amount (docs/LANGUAGE.md "The leader's own measure"): the
# person who answers as leader for a finding gets the amount the policy gives the leader, read
# from the leader's own facts (`responsible first 校长 = -2 * (merit.monthly ?? standard_monthly)`:
# two months of the principal's own merit pay), never, silently, the offender's.  Each expected
# line is worked out in the comment above it.
# Usage: leader_amount.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=leader_amount
source "$(dirname "$0")/lib.bash" "$@"

# tests/policies/leader_amount.wz on tests/fixtures/leader_amount: three schools.  S1: principal
# P1, who also teaches (two posts), class teacher C1, teacher T1.  S2: P2 is both principal and
# class teacher (two posts), T2 teaches.  S3: principal P3, who has no row in merit.csv (an
# optional fact), and class teacher C3.  P1's merit pay is 3000; T1 was absent 2 days, P1 1.
cp -r "$SRC/tests/fixtures/leader_amount" "$TMP/f"
cp "$SRC/tests/policies/leader_amount.wz" "$TMP/lead.wz"

case_ "each leader gets their own amount, from their own facts; the offender keeps the rule's"
expect_ok wenze check --werror "$TMP/lead.wz"
expect_ok wenze run "$TMP/lead.wz" --facts "$TMP/f" --out "$TMP/o1" --threads 1
# absent, persons in staff.csv order.  P1 (1 day) is the offender: −50, his own, as the direct
# (the person who failed 教师.1); he is also S1's 校长, the first, but one person is listed once,
# as direct, with the direct's measure — his own −1500 is not added.  T1 (2 days): −100 his;
# P1 answers as first with his own amount, −0.5 × his 3000 = −1500 (not T1's −100).
# accident_fine, schools in order.  S1: C1 the class teacher pays the school's −500 whole; P1
# −2 × 3000 = −6000.  S2: P2 is principal and class teacher: once, as direct, −500.  S3: C3
# −500; P3 has no merit row: −2 × standard_monthly 2500 = −5000.
[ "$(cat "$TMP/o1/awards.csv")" = "entity,rule,amount,source,role,responsibility,unit
P1,absent,-50,lead.wz:25,教师,直接责任人,P1
P1,absent,-1500,lead.wz:25,校长,第一责任人,T1
T1,absent,-100,lead.wz:25,教师,直接责任人,T1
P1,accident_fine,-6000,lead.wz:22,校长,第一责任人,S1
C1,accident_fine,-500,lead.wz:22,班主任,直接责任人,S1
P2,accident_fine,-500,lead.wz:22,班主任,直接责任人,S2
P3,accident_fine,-5000,lead.wz:22,校长,第一责任人,S3
C3,accident_fine,-500,lead.wz:22,班主任,直接责任人,S3" ] || fail "awards.csv: $(cat "$TMP/o1/awards.csv")"
# the leader's entry carries their amount and the rows of their own facts that made it: P1's
# merit.csv line 2; P3's none (the default was read, no row); the offender's entry none of its own
f=$(cat "$TMP/o1/findings.jsonl")
grep -q -F '{"person":"T1","rule":"absent","kind":"award","source":"lead.wz:25:1","amount":"-100","responsible":[{"person":"P1","role":"校长","as":"first","amount":"-1500","rows":[{"file":"merit.csv","row":2}]},{"person":"T1","role":"教师","as":"direct","amount":"-100"}],"rows":[{"file":"absence.csv","row":2}],"message":"旷工罚款: fine 100 元; 教师职责第1条：按时上课"}' <<<"$f" ||
    fail "findings.jsonl, T1: $(grep '"T1"' <<<"$f")"
grep -q -F '{"entity":"school","id":"S1","rule":"accident_fine","kind":"award","source":"lead.wz:22:1","amount":"-500","responsible":[{"person":"P1","role":"校长","as":"first","amount":"-6000","rows":[{"file":"merit.csv","row":2}]},{"person":"C1","role":"班主任","as":"direct","amount":"-500"}],"rows":[{"file":"incident.csv","row":2}],"message":"安全事故罚款: fine 500 元"}' <<<"$f" ||
    fail "findings.jsonl, S1: $(grep '"S1"' <<<"$f")"
grep -q -F '"responsible":[{"person":"P2","role":"班主任","as":"direct","amount":"-500"}]' <<<"$f" || fail "findings.jsonl, S2: $(grep '"S2"' <<<"$f")"
grep -q -F '"responsible":[{"person":"P3","role":"校长","as":"first","amount":"-5000","rows":[]},{"person":"C3","role":"班主任","as":"direct","amount":"-500"}]' <<<"$f" ||
    fail "findings.jsonl, S3: $(grep '"S3"' <<<"$f")"
pass

case_ "pay.csv: an award's column is what awards.csv gives each person, the leader's own amount too"
# the pool: 7 persons × 100 points, 1000.00 each.  absent: P1 −50 (his own) − 1500 (T1's
# leader) = −1550; T1 −100.  accident_fine is a school's award, and it pays the persons who
# answer for it, so it is a column too (it was not, and the −6000 taken from P1 was in no pay):
# P1 −6000, C1 −500, P2 −500, P3 −5000, C3 −500.  pay = 1000 + the two.
[ "$(cat "$TMP/o1/pay.csv")" = "person,basis,reward,stipend,amount,accident_fine,absent,pay
P1,score,1000.00,0.00,1000.00,-6000.00,-1550.00,-6550.00
C1,score,1000.00,0.00,1000.00,-500.00,0.00,500.00
T1,score,1000.00,0.00,1000.00,0.00,-100.00,900.00
P2,score,1000.00,0.00,1000.00,-500.00,0.00,500.00
T2,score,1000.00,0.00,1000.00,0.00,0.00,1000.00
P3,score,1000.00,0.00,1000.00,-5000.00,0.00,-4000.00
C3,score,1000.00,0.00,1000.00,-500.00,0.00,500.00" ] || fail "pay.csv: $(cat "$TMP/o1/pay.csv")"
# outside the pool: −1650 (absent) − 12500 (accident_fine) = −14150
grep -q -F '"outside_pool": "-14150.00"' "$TMP/o1/summary.json" || fail "summary.json: $(cat "$TMP/o1/summary.json")"
pass

case_ "the same outputs with two threads"
expect_ok wenze run "$TMP/lead.wz" --facts "$TMP/f" --out "$TMP/o2" --threads 2
same_output "$TMP/o1" "$TMP/o2" || fail "--threads 2 differs from --threads 1"
pass

case_ "explain: the leader's amount, as written, with the rows of the leader's facts that made it"
expect_ok wenze explain "$TMP/lead.wz" --facts "$TMP/f" --person P1
out=$(cat "$OUT_FILE")
grep -q -E '^  T1 absent +-1500 +校长, first, = -0\.5 \* \(merit\.monthly \?\? standard_monthly\)  merit\.csv:2 +lead\.wz:25$' <<<"$out" ||
    fail "explain P1: $out"
grep -q -E '^  S1 accident_fine +-6000 +校长, first, = -2 \* \(merit\.monthly \?\? standard_monthly\)  merit\.csv:2 +lead\.wz:22$' <<<"$out" ||
    fail "explain P1: $out"
expect_ok wenze explain "$TMP/lead.wz" --facts "$TMP/f" --person P3 --format json
grep -q -F '"own" : "-2 * (merit.monthly ?? standard_monthly)"' "$OUT_FILE" || fail "explain P3: $(cat "$OUT_FILE")"
expect_ok wenze explain "$TMP/lead.wz" --facts "$TMP/f" --person S1
grep -q -F 'responsible: P1 (校长, first, -6000), C1 (班主任, direct, -500)' "$OUT_FILE" || fail "explain S1: $(cat "$OUT_FILE")"
pass

case_ "an own amount that could be missing is a check error: a holder may have no row"
sed 's/-2 \* (merit.monthly ?? standard_monthly)/-2 * merit.monthly/' "$TMP/lead.wz" >"$TMP/missing.wz"
expect_fail --first 1 "$TMP/missing.wz:23:45: error: this value may be missing (an optional fact, or min/max/avg of nothing); write 'X ?? default' or guard it with exists()" -- wenze check "$TMP/missing.wz"
pass

case_ "money on a sanction's leader is an award's; a share and an own amount on one role is an error"
sed 's/^award accident_fine "安全事故罚款" = -500 when count(incident) > 0$/ladder 问责 { 通报批评; }\nsanction accident_fine ladder 问责 tier 通报批评 when count(incident) > 0/' "$TMP/lead.wz" >"$TMP/sanction.wz"
expect_fail --first 1 "$TMP/sanction.wz:24:40: error: an amount of its own is an award's measure, money: on a sanction give '校长' a tier of the ladder, as in '校长 tier T', and write the money as an award of its own" -- wenze check "$TMP/sanction.wz"
sed 's/responsible direct 班主任, first 校长 = /responsible direct 班主任 50%, first 校长 50% = /' "$TMP/lead.wz" >"$TMP/share.wz"
expect_fail --first 1 "$TMP/share.wz:23:48: error: '校长' has a share and an amount of its own; give one: a share is a part of the award's amount, an amount of its own is instead of it" -- wenze check "$TMP/share.wz"
pass

case_ "the Chinese spelling; fmt prints it back as written"
sed -e 's/^    responsible direct 班主任, first 校长 = /    责任人 直接 班主任, 第一 校长 = /' "$TMP/lead.wz" >"$TMP/zh.wz"
grep -q '责任人 直接 班主任, 第一 校长 = ' "$TMP/zh.wz" || fail "the sed did not apply"
expect_ok wenze run "$TMP/zh.wz" --facts "$TMP/f" --out "$TMP/o3"
diff <(sed 's/zh\.wz/lead.wz/' "$TMP/o3/awards.csv") "$TMP/o1/awards.csv" || fail "the Chinese spelling gives other awards"
expect_ok wenze fmt --check "$TMP/lead.wz"
expect_ok wenze fmt --check "$TMP/zh.wz"
pass
finish
