#!/usr/bin/env bash
# wenze diff OLD NEW [--facts DIR]: what changed between two policy versions, and whom it changes.
# Usage: diff.sh WENZE SOURCE_DIR
#
# A copy of the 东流镇 policy with four edits (version, the 病假 rate, a tier's cut, a share's
# weight): the changes item by item with both lines; the same policy laid out anew and
# reordered: no change; the impact on the example facts: who gains and loses, sorted by the
# size of the change, and the money it moves adding up with both runs' residues (python3).
set -euo pipefail
NAME=diff
source "$(dirname "$0")/lib.bash" "$@"

mkdir -p "$TMP/v"
cp "$POLICY" "$TMP/v/old.wz"
sed -e 's/version "2019.1"/version "2020.1"/' \
    -e 's/deduct sick "病假" 0.2 per/deduct sick "病假" 0.3 per/' \
    -e 's/    警告: cut 30%;/    警告: cut 40%;/' \
    -e 's/    average80: 0.8;/    average80: 0.75;/' "$POLICY" >"$TMP/v/new.wz"
[ "$(diff "$TMP/v/old.wz" "$TMP/v/new.wz" | grep -c '^>')" -eq 4 ] || fail "the edits did not all apply"

case_ "four edits, item by item, with both files' lines"
expect_ok wenze diff "$TMP/v/old.wz" "$TMP/v/new.wz"
diff -u - "$OUT_FILE" <<'OUT' || fail "unexpected diff"
~ policy header  (old.wz:1 → new.wz:1)
    version: 2019.1 → 2020.1
~ rule attendance.sick  (old.wz:96 → new.wz:96)
    amount: 0.2 → 0.3
~ ladder 处分  (old.wz:114 → new.wz:114)
    tier 警告 cut: 30% → 40%
~ pool distribute  (old.wz:150 → new.wz:150)
    share average80: 0.8 → 0.75
changes through what they read: attendance, total
OUT
pass

case_ "laid out anew, comments dropped, items reordered: no change in meaning"
# every comment line dropped, then the 'let age' line moved to the end (values may be declared later)
grep -v '^ *#' "$POLICY" | awk '/^let age = / {moved=$0; next} {print} END {print moved}' >"$TMP/v/same.wz"
expect_ok wenze check "$TMP/v/same.wz"
expect_ok wenze diff "$POLICY" "$TMP/v/same.wz"
[ "$(cat "$OUT_FILE")" = "no change in meaning" ] || fail "a layout change reported: $(cat "$OUT_FILE")"
pass

case_ "an added and a removed rule"
sed -e 's/^    deduct absent "旷工".*$/    deduct late "迟到" 0.1 per sum(leave.days where kind == 旷工);/' "$POLICY" >"$TMP/v/swap.wz"
expect_ok wenze diff "$POLICY" "$TMP/v/swap.wz"
grep -q -x -- '- rule attendance.absent  (dongliu-2019.wz:98)' "$OUT_FILE" || fail "the removed rule is not listed: $(cat "$OUT_FILE")"
grep -q -x -- '+ rule attendance.late  (swap.wz:98)' "$OUT_FILE" || fail "the added rule is not listed"
pass

case_ "the impact on the example: who gains and loses, largest first"
expect_ok wenze diff "$TMP/v/old.wz" "$TMP/v/new.wz" --facts "$EXAMPLE"
grep -q -x '34 of 40 persons change: 30 gain, 3 lose, 0 change grade, 0 change sanctions; 2111.44 moves to those who gain' "$OUT_FILE" ||
    fail "unexpected summary: $(cat "$OUT_FILE")"
# T033 警告 (cut 30% → 40%): 100.75 × 0.7 = 70.53 → 100.75 × 0.6 = 60.45, the largest change
[ "$(grep -m1 '^  T' "$OUT_FILE")" = "  T033 袁媛  total 70.53 → 60.45 (-10.08), pay 8555.09 → 7388.17 (-1166.92)" ] ||
    fail "the largest change is not first: $(grep -m1 '^  T' "$OUT_FILE")"
pass

case_ "the money moved adds up: Σ changes = old residue − new residue"
expect_ok wenze diff "$TMP/v/old.wz" "$TMP/v/new.wz" --facts "$EXAMPLE" --format json
cp "$OUT_FILE" "$TMP/impact.json"
expect_ok wenze run "$TMP/v/old.wz" --facts "$EXAMPLE" --out "$TMP/out-old"
expect_ok wenze run "$TMP/v/new.wz" --facts "$EXAMPLE" --out "$TMP/out-new"
python3 - "$TMP/impact.json" "$TMP/out-old/summary.json" "$TMP/out-new/summary.json" <<'PY' || fail "the impact does not add up"
import json, sys
from fractions import Fraction
impact = json.load(open(sys.argv[1], encoding="utf-8"))
old, new = (json.load(open(p, encoding="utf-8")) for p in sys.argv[2:4])
delta = sum(Fraction(r["pay_new"]) - Fraction(r["pay_old"]) for r in impact["rows"])
want = Fraction(old["pay"]["residue"]) - Fraction(new["pay"]["residue"])
moved = sum(max(Fraction(r["pay_new"]) - Fraction(r["pay_old"]), 0) for r in impact["rows"])
assert delta == want, (delta, want)
assert moved == Fraction(impact["moved"]), (moved, impact["moved"])
assert impact["changed"] == len(impact["rows"]) == 34 and impact["gain"] == 30 and impact["lose"] == 3
PY
pass

case_ "a policy against itself: no change; a NEW that does not check: its errors, exit 1"
expect_ok wenze diff "$POLICY" "$POLICY"
[ "$(cat "$OUT_FILE")" = "no change in meaning" ] || fail "a policy differs from itself: $(cat "$OUT_FILE")"
sed -e 's/^section workload "工作量" = workload.weekly_hours/section workload "工作量" = workload.weekly_hourz/' "$POLICY" >"$TMP/v/broken.wz"
expect_fail --first 1 "$TMP/v/broken.wz:104:26: error: fact 'workload' has no field 'weekly_hourz' (its fields: id, weekly_hours); did you mean 'weekly_hours'?" -- \
    wenze diff "$POLICY" "$TMP/v/broken.wz"
pass

case_ "on a terminal: added green, removed red, changed yellow; NO_COLOR and pipes get none"
if command -v script >/dev/null; then
    script -qec "$WENZE diff '$POLICY' '$TMP/v/swap.wz'" /dev/null >"$TMP/tty.txt" </dev/null
    grep -q $'\e\[31m- rule attendance.absent' "$TMP/tty.txt" || fail "no red on a terminal: $(cat -v "$TMP/tty.txt")"
    grep -q $'\e\[32m+ rule attendance.late' "$TMP/tty.txt" || fail "no green on a terminal"
    NO_COLOR=1 script -qec "$WENZE diff '$POLICY' '$TMP/v/swap.wz'" /dev/null >"$TMP/tty.txt" </dev/null
    ! grep -q $'\e\[' "$TMP/tty.txt" || fail "colour despite NO_COLOR"
fi
expect_ok wenze diff "$POLICY" "$TMP/v/swap.wz"
! grep -q $'\e\[' "$OUT_FILE" || fail "colour into a pipe"
pass

case_ "usage"
expect_fail --first 3 "wenze: diff needs two policies, OLD and NEW" -- wenze diff "$POLICY"
expect_fail --first 3 "wenze: --format needs text or json, found 'xml'" -- wenze diff "$POLICY" "$POLICY" --format xml
expect_fail --first 3 "wenze: unknown option '--bogus'" -- wenze diff "$POLICY" "$POLICY" --bogus
expect_fail --first 3 "wenze: --out needs --facts: it writes the impact on those facts" -- wenze diff "$POLICY" "$POLICY" --out "$TMP/x"
pass

case_ "one change alone: its part is the whole, for everyone"
sed -e 's/deduct sick "病假" 0.2 per/deduct sick "病假" 0.3 per/' "$POLICY" >"$TMP/v/sick.wz"
expect_ok wenze diff "$POLICY" "$TMP/v/sick.wz" --facts "$EXAMPLE" --format json
python3 - "$OUT_FILE" <<'PY' || fail "a single change's part is not the whole"
import json, sys
from fractions import Fraction as F
m = json.load(open(sys.argv[1], encoding="utf-8"))
assert m["interacting"] == 0, m["interacting"]
assert [c["change"] for c in m["changes"]] == ["rule attendance.sick"], m["changes"]
assert m["changes"][0]["persons"] == m["changed"] > 0
for r in m["rows"]:
    (part,) = r["alone"]
    assert F(part["pay"]) == F(r["pay_new"]) - F(r["pay_old"]), r
    assert F(part["total"]) == F(r["total_new"]) - F(r["total_old"]), r
    assert r["interacts"] is False
PY
pass

case_ "four changes: each alone is what a run of the old policy with that change gives"
expect_ok wenze diff "$TMP/v/old.wz" "$TMP/v/new.wz" --facts "$EXAMPLE" --out "$TMP/impact"
grep -q -x '  ~ policy header: changes no value (the name, version and dates in force)' "$OUT_FILE" || fail "the header is measured: $(cat "$OUT_FILE")"
grep -q '^for 24 of the 34 the changes interact' "$OUT_FILE" || fail "the interaction is not said: $(cat "$OUT_FILE")"
# T033's sanction: 警告 cut 30% → 40% alone is the whole of the change of total
grep -q -x '      ladder 处分: total -10.08, pay -1188.85' <<<"$(grep -A4 '^  T033 ' "$OUT_FILE")" || fail "T033's part of the ladder change: $(grep -A4 '^  T033 ' "$OUT_FILE")"
sed -e 's/    警告: cut 30%;/    警告: cut 40%;/' "$TMP/v/old.wz" >"$TMP/v/ladder-only.wz"
expect_ok wenze run "$TMP/v/ladder-only.wz" --facts "$EXAMPLE" --out "$TMP/out-ladder"
[ -f "$TMP/out-old/pay.csv" ] || expect_ok wenze run "$TMP/v/old.wz" --facts "$EXAMPLE" --out "$TMP/out-old"
python3 - "$TMP/impact/impact.json" "$TMP/out-old/pay.csv" "$TMP/out-ladder/pay.csv" <<'PY' || fail "the ladder's part differs from a run with the ladder change alone"
import csv, json, sys
from fractions import Fraction as F
m = json.load(open(sys.argv[1], encoding="utf-8"))
pay = lambda p: {r["person"]: F(r["amount"]) for r in csv.DictReader(open(p, encoding="utf-8"))}
old, ladder = pay(sys.argv[2]), pay(sys.argv[3])
checked = 0
for r in m["rows"]:
    parts = {a["change"]: F(a["pay"]) for a in r["alone"]}
    assert parts.get("ladder 处分", 0) == ladder[r["id"]] - old[r["id"]], r
    checked += 1
assert checked == 34
PY
grep -q '^id,name,kind,total_old,total_new,total_change,grade_old,grade_new,sanctions_old,sanctions_new,sections_and_awards,pay_old,pay_new,pay_change,total: rule attendance.sick,pay: rule attendance.sick,' <<<"$(head -1 "$TMP/impact/impact.csv")" ||
    fail "impact.csv header: $(head -1 "$TMP/impact/impact.csv")"
[ "$(wc -l <"$TMP/impact/impact.csv")" -eq 35 ] || fail "impact.csv should have a header and 34 rows (T036: 考勤 only; a 100 % cut keeps the total 0)"
grep -q '^T033,袁媛,person,70.53,60.45,-10.08,' "$TMP/impact/impact.csv" || fail "T033 in impact.csv"
pass

case_ "a change that reads an added item is measured with it; --out refuses a file it did not write"
sed -e 's/^param pool: decimal;/param pool: decimal;\nparam late_rate: decimal = 0.1;/' \
    -e 's/^    deduct absent "旷工".*$/&\n    deduct late "迟到" (late_rate) per sum(signin.missed);/' "$POLICY" >"$TMP/v/late.wz"
expect_ok wenze diff "$POLICY" "$TMP/v/late.wz" --facts "$EXAMPLE"
grep -q -x '  + param late_rate: changes nobody' "$OUT_FILE" || fail "the param alone: $(cat "$OUT_FILE")"
grep -q '^  + rule attendance.late (with param late_rate): [0-9]* persons change' "$OUT_FILE" || fail "the rule with its param: $(cat "$OUT_FILE")"
mkdir -p "$TMP/mine"
echo "my notes" >"$TMP/mine/impact.csv"
expect_fail --first 4 "$TMP/mine/impact.csv: error: the file exists and was not written by wenze diff; refusing to replace it" -- \
    wenze diff "$POLICY" "$TMP/v/late.wz" --facts "$EXAMPLE" --out "$TMP/mine"
[ "$(cat "$TMP/mine/impact.csv")" = "my notes" ] || fail "a user's file was overwritten"
expect_ok wenze diff "$POLICY" "$TMP/v/late.wz" --facts "$EXAMPLE" --out "$TMP/impact"   # its own files: replaced
grep -q 'rule attendance.late (with param late_rate)' "$TMP/impact/impact.json" || fail "impact.json was not replaced"
pass

case_ "an award of a school: its amount, and the school's award before → after"
sed 's/award rank_change_reward "排名上升奖励" = 500 \*/award rank_change_reward "排名上升奖励" = 600 */' "$SRC/policies/tuoluoao-2008.wz" >"$TMP/v/tuoluoao-2008.wz"
expect_ok wenze diff "$SRC/policies/tuoluoao-2008.wz" "$TMP/v/tuoluoao-2008.wz" --facts "$SRC/examples/tuoluoao" --history "$SRC/examples/tuoluoao/history"
grep -q -x '    amount: 500 \* (rank_before - rank_now) → 600 \* (rank_before - rank_now)' "$OUT_FILE" || fail "the award's amount: $(cat "$OUT_FILE")"
grep -q -x '  school 驼骆坳中学 排名上升奖励 2000 → 2400' "$OUT_FILE" || fail "the school's award: $(cat "$OUT_FILE")"
grep -q '^1 of 14 persons and entities change' "$OUT_FILE" || fail "the summary: $(cat "$OUT_FILE")"
pass

case_ "Chinese keywords against English ones: no change in meaning"
cat >"$TMP/v/en.wz" <<'WZ'
policy "t" version "1";
param rate: decimal = 0.2;
fact staff persons key id { id: text; age: int; post: enum(教师, 职员); }
fact leave { id: person; days: decimal; kind: enum(病假, 事假); }
let old = staff.age >= 50 and not (staff.age > 60);
section a "考勤" points 10 floor 0 cap 10 {
    deduct sick "病假" (rate) per sum(leave.days where kind == 病假) cap 5 when old;
    bonus extra "加分" 1 when count(leave) == 0 or staff.post in (教师);
}
section b "其他" = if old then max(1, 2) else (avg(all: staff.age) ?? 0) / 10;
let basis = classify { average when staff.post == 职员; score otherwise; };
total = round(a + b, 2);
WZ
cat >"$TMP/v/zh.wz" <<'WZ'
方案 "t" 版本 "1";
参数 rate: 数值 = 0.2;
事实 staff 名单 主键 id { id: 文本; age: 整数; post: 枚举(教师, 职员); }
事实 leave { id: 人员; days: 数值; kind: 枚举(病假, 事假); }
设 old = staff.age >= 50 且 非 (staff.age > 60);
项目 a "考勤" 分值 10 保底 0 封顶 10 {
    扣 sick "病假" (rate) 每 合计(leave.days 其中 kind == 病假) 封顶 5 当 old;
    加 extra "加分" 1 当 计数(leave) == 0 或 staff.post 属于 (教师);
}
项目 b "其他" = 如果 old 则 最大(1, 2) 否则 (平均(全体: staff.age) ?? 0) / 10;
设 basis = 分类 { average 当 staff.post == 职员; score 其余; };
总分 = 四舍五入(a + b, 2);
WZ
expect_ok wenze diff "$TMP/v/en.wz" "$TMP/v/zh.wz"
[ "$(cat "$OUT_FILE")" = "no change in meaning" ] || fail "the keyword language made a difference: $(cat "$OUT_FILE")"
sed -i 's/则 最大(1, 2)/则 最小(1, 2)/' "$TMP/v/zh.wz"
expect_ok wenze diff "$TMP/v/en.wz" "$TMP/v/zh.wz"
grep -q -x '~ section b  (en.wz:10 → zh.wz:10)' "$OUT_FILE" && grep -q '^    formula: if old then max(1, 2) .* → 如果 old 则 最小(1, 2) ' "$OUT_FILE" ||
    fail "a real change hidden: $(cat "$OUT_FILE")"
pass

finish
