#!/usr/bin/env bash
# Issue 15.1, pay in parts: a 绩效工资 scheme whose money is split into a post part (岗位,
# by appointed level, with a 班主任 stipend paid first), a workload part (工作量, pro rata to
# hours) and an assessment part (考核, pro rata to the score). Each part is shared on its own
# (docs/LANGUAGE.md "Distributing a pool", "Pay in parts"); every figure below is worked out
# by hand in the comment above it, and each part is conserved: Σ part = its amount − residue.
# Usage: pool_parts.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=pool_parts
source "$(dirname "$0")/lib.bash" "$@"

mkdir "$TMP/f"
cat > "$TMP/f/staff.csv" <<'CSV'
id,level,status,head,hours,score
T1,一级,在岗,0,16,90
T2,二级,在岗,1,14,85
T3,二级,在岗,0,12,80
T4,三级,在岗,0,17,95
T5,三级,停发工资,0,0,0
CSV
printf 'name,value\npool,30000\n' > "$TMP/f/params.csv"
cat > "$TMP/parts.wz" <<'WZ'
policy "分部分配" version "1";
fact staff persons key id {
    id: text;  level: enum(一级, 二级, 三级);  status: enum(在岗, 停发工资);  head: int in 0 .. 1;
    hours: decimal in 0 .. 40;  score: decimal in 0 .. 100;
}
param pool: decimal;
let post_pool = pool * 40%;                   # 岗位部分占 40%
let level = classify {
    none when staff.status == 停发工资;
    一级 when staff.level == 一级;
    二级 when staff.level == 二级;
    三级 otherwise;
};
let on_duty = classify { off when staff.status == 停发工资; on otherwise; };
distribute post "岗位": post_pool by level round 2 {
    stipend = if staff.head == 1 then 300 else 0;   # 班主任津贴, paid first from this part
    none: 0;  一级: 1.5;  二级: 1.2;  三级: 1;
}
distribute workload "工作量": pool * 35% by on_duty { off: 0; on: 1 by staff.hours, zero exclude; }
distribute assessment "考核": pool * 25% by on_duty round 2 largest_remainder { off: 0; on: 1 by staff.score, zero exclude; }
WZ

case_ "the policy checks without a warning"
expect_ok wenze check --werror "$TMP/parts.wz"
pass

case_ "pay.csv: a column per part, amount = their sum"
expect_ok wenze run "$TMP/parts.wz" --facts "$TMP/f" --out "$TMP/o"
# post 岗位 = 30000 × 40% = 12000; T2's stipend 300 first: 11700 shared in units
#   1.5 + 1.2 + 1.2 + 1 + 0 = 4.9 units; unit = 11700 ÷ 4.9 = 2387.755102…
#   T1 1.5 × unit = 3581.632…  → 3581.63
#   T2 1.2 × unit = 2865.306…  → 2865.31, + stipend 300 = 3165.31
#   T3 1.2 × unit             → 2865.31
#   T4 1   × unit = 2387.755…  → 2387.76
#   T5 none: 0
#   Σ = 3581.63 + 3165.31 + 2865.31 + 2387.76 = 12000.01: residue −0.01 (three rounded up)
# workload 工作量 = 30000 × 35% = 10500, T5 (停发) off; 4 units of 2625; the group's 10500
#   pro rata to hours 16 + 14 + 12 + 17 = 59:
#   T1 10500 × 16 ÷ 59 = 2847.457… → 2847.46;  T2 × 14 = 2491.525… → 2491.53
#   T3 × 12 = 2135.593… → 2135.59;              T4 × 17 = 3025.423… → 3025.42
#   Σ = 10500.00: residue 0
# assessment 考核 = 30000 × 25% = 7500, pro rata to 90 + 85 + 80 + 95 = 350 (largest remainder):
#   T1 7500 × 90 ÷ 350 = 1928.571… → 1928.57;   T2 × 85 = 1821.428… → 1821.42 (+0.01 → 1821.43)
#   T3 × 80 = 1714.285… → 1714.28 (+0.01 → 1714.29); T4 × 95 = 2035.714… → 2035.71
#   cut down: 7499.98, the 2 fen left go to the largest cut-off parts, T2 (.0086) and T3 (.0057)
#   Σ = 7500.00: residue 0
# amount: T1 3581.63 + 2847.46 + 1928.57 = 8357.66;  T2 3165.31 + 2491.53 + 1821.43 = 7478.27
#         T3 2865.31 + 2135.59 + 1714.29 = 6715.19;  T4 2387.76 + 3025.42 + 2035.71 = 7448.89
#         reward = amount − stipend (T2 7178.27); basis is the first part's
[ "$(cat "$TMP/o/pay.csv")" = "person,basis,reward,stipend,post,workload,assessment,amount
T1,一级,8357.66,0.00,3581.63,2847.46,1928.57,8357.66
T2,二级,7178.27,300.00,3165.31,2491.53,1821.43,7478.27
T3,二级,6715.19,0.00,2865.31,2135.59,1714.29,6715.19
T4,三级,7448.89,0.00,2387.76,3025.42,2035.71,7448.89
T5,none,0.00,0.00,0.00,0.00,0.00,0.00" ] || fail "pay.csv: $(cat "$TMP/o/pay.csv")"
pass

case_ "summary.json: the whole pool and each part's arithmetic"
# pool 30000 = 12000 + 10500 + 7500; distributed 30000.01; residue −0.01, all of it the post part's
grep -qF '"pay": {"pool": "30000.00", "stipends": "300.00", "distributed": "30000.01", "residue": "-0.01", "parts": [{"name": "post", "label": "岗位", "pool": "12000.00", "stipends": "300.00", "distributed": "12000.01", "residue": "-0.01"}, {"name": "workload", "label": "工作量", "pool": "10500.00", "stipends": "0.00", "distributed": "10500.00", "residue": "0.00"}, {"name": "assessment", "label": "考核", "pool": "7500.00", "stipends": "0.00", "distributed": "7500.00", "residue": "0.00"}]},' "$TMP/o/summary.json" \
    || fail "summary.json: $(grep '"pay"' "$TMP/o/summary.json")"
pass

case_ "conservation per part: Σ column = the part's amount − its residue; Σ parts = amount per person"
# from the files alone: pay.csv's columns 5–7 against summary.json's parts, exactly (to the fen)
sums=$(awk -F, 'NR > 1 { for (c = 5; c <= 8; c++) s[c] += $c * 100;
                         if ($5 * 100 + $6 * 100 + $7 * 100 != $8 * 100) print "row " $1 " does not add up" }
                END { printf "%d %d %d %d", s[5], s[6], s[7], s[8] }' "$TMP/o/pay.csv")
[ "$sums" = "1200001 1050000 750000 3000001" ] || fail "column sums in fen: $sums"
pass

case_ "--labels zh: each part's column is its label"
expect_ok wenze run "$TMP/parts.wz" --facts "$TMP/f" --out "$TMP/oz" --labels zh
[ "$(head -1 "$TMP/oz/pay.csv")" = "工号,分配类别,奖励性绩效,津贴,岗位,工作量,考核,应发金额" ] || fail "header: $(head -1 "$TMP/oz/pay.csv")"
pass

case_ "the pay finding of a person on fixed shares names each part"
grep -qF '{"person":"T5","rule":"distribute","kind":"pay","source":"parts.wz:17:5","basis":"none","amount":"0.00","rows":[],"message":"岗位: basis none (parts.wz:9): no share of the pool; 工作量: basis off (parts.wz:14): no share of the pool; 考核: basis off (parts.wz:14): no share of the pool"}' "$TMP/o/findings.jsonl" \
    || fail "findings: $(grep '"T5"' "$TMP/o/findings.jsonl")"
pass

case_ "explain: a line per part with its arithmetic, then the sum"
expect_ok wenze explain "$TMP/parts.wz" --facts "$TMP/f" --person T2
out=$(cat "$OUT_FILE")
for want in "岗位 post +3165.31" "工作量 workload +2491.53" "考核 assessment +1821.43" "reward +1.2 × 2387.7551 = 2865.31" \
            "stipend +300.00" "reward +4 × 2625 × 14 ÷ 59 = 2491.53" "^  amount +7478.27"; do
    grep -qE "$want" <<< "$out" || fail "explain has no line /$want/: $out"
done
expect_ok wenze explain "$TMP/parts.wz" --facts "$TMP/f" --person T2 --format json
grep -qF '"amount" : "7478.27"' "$OUT_FILE" || fail "explain json: $(cat "$OUT_FILE")"
pass

case_ "wenze test: 'pay' is the sum of the parts"
cat > "$TMP/parts.test.wz" <<'WZ'
import "parts.wz";
test "three parts" {
    from "f";
    expect T2 pay == 7478.27;
    expect T2 stipend == 300;
    expect T4 pay == 7448.89;
    expect T5 pay == 0;
}
WZ
expect_ok wenze test "$TMP/parts.test.wz"
grep -qF "ok - three parts" "$OUT_FILE" || fail "wenze test: $(cat "$OUT_FILE")"
pass

case_ "a part's amount below 0 is refused, naming the part"
expect_fail 2 "$TMP/parts.wz: error: part 'post' of the pay must not be negative, found -12000" -- \
    wenze run "$TMP/parts.wz" --facts "$TMP/f" --param pool=-30000 --out "$TMP/neg"
pass

case_ "one unnamed pool: pay.csv and summary.json as before (no part columns, no parts list)"
sed -e '/^distribute workload/d' -e '/^distribute assessment/d' -e 's/^distribute post "岗位": post_pool by/distribute post_pool by/' \
    "$TMP/parts.wz" > "$TMP/one.wz"
expect_ok wenze run "$TMP/one.wz" --facts "$TMP/f" --out "$TMP/o1"
[ "$(head -1 "$TMP/o1/pay.csv")" = "person,basis,reward,stipend,amount" ] || fail "header: $(head -1 "$TMP/o1/pay.csv")"
grep -q '"parts"' "$TMP/o1/summary.json" && fail "summary.json has parts: $(grep '"pay"' "$TMP/o1/summary.json")"
grep -qF '"T1,一级,3581.63,0.00,3581.63' <<< "\"$(grep ^T1 "$TMP/o1/pay.csv")" || fail "T1: $(grep ^T1 "$TMP/o1/pay.csv")"
pass

finish
