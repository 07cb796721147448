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

case_ "a leader's own amount changed: the leader's money, attributed to the change"
# tests/policies/leader_amount.wz: the principal's own fine for his school's accident, two months
# of his merit pay, becomes one and a half.  P1 (3000 a month): −6000 → −4500; P3 (no merit row,
# the standard 2500): −5000 → −3750.  P1's awards also hold his −1550 for absences (his own −50,
# −1500 as T1's principal), unchanged: −7550 → −6050.  The pool is not touched: pay unchanged.
cp "$SRC/tests/policies/leader_amount.wz" "$TMP/v/lead.wz"
sed 's/first 校长 = -2 \* (merit.monthly/first 校长 = -1.5 * (merit.monthly/' "$TMP/v/lead.wz" >"$TMP/v/lead2.wz"
[ "$(diff "$TMP/v/lead.wz" "$TMP/v/lead2.wz" | grep -c '^>')" -eq 1 ] || fail "the edit did not apply"
expect_ok wenze diff "$TMP/v/lead.wz" "$TMP/v/lead2.wz" --facts "$SRC/tests/fixtures/leader_amount" --out "$TMP/lead-impact"
diff -u - <(sed -n '/^2 of 10/,$p' "$OUT_FILE") <<'OUT' || fail "the leaders' impact"
2 of 10 persons and entities change: 2 gain, 0 lose, 0 change grade, 0 change sanctions; 0.00 moves to those who gain
each change made alone to the old version:
  ~ award accident_fine: 2 persons change, 0.00 moves to those who gain
  P1 王校长  total 100 → 100 (0), pay 1000.00 → 1000.00 (0.00), awards -7550.00 → -6050.00 (+1500.00), 安全事故罚款 -6000 → -4500
      award accident_fine: awards +1500.00, sections or awards change
  P3 孙校长  total 100 → 100 (0), pay 1000.00 → 1000.00 (0.00), awards -5000.00 → -3750.00 (+1250.00), 安全事故罚款 -5000 → -3750
      award accident_fine: awards +1250.00, sections or awards change
OUT
diff -u - "$TMP/lead-impact/impact.csv" <<'OUT' || fail "impact.csv"
id,name,kind,total_old,total_new,total_change,grade_old,grade_new,sanctions_old,sanctions_new,sections_and_awards,pay_old,pay_new,pay_change,awards_old,awards_new,awards_change,total: award accident_fine,pay: award accident_fine,awards: award accident_fine,interacts
P1,王校长,person,100,100,0,,,,,安全事故罚款 -6000 → -4500,1000.00,1000.00,0.00,-7550.00,-6050.00,1500.00,0,0.00,1500.00,no
P3,孙校长,person,100,100,0,,,,,安全事故罚款 -5000 → -3750,1000.00,1000.00,0.00,-5000.00,-3750.00,1250.00,0,0.00,1250.00,no
OUT
# impact.json: the awards before and after each agree with two separate runs' awards.csv
expect_ok wenze run "$TMP/v/lead.wz" --facts "$SRC/tests/fixtures/leader_amount" --out "$TMP/lead-a"
expect_ok wenze run "$TMP/v/lead2.wz" --facts "$SRC/tests/fixtures/leader_amount" --out "$TMP/lead-b"
python3 - "$TMP/lead-impact/impact.json" "$TMP/lead-a/awards.csv" "$TMP/lead-b/awards.csv" <<'PY' || fail "impact.json disagrees with awards.csv"
import csv, json, sys
from collections import defaultdict
from fractions import Fraction as F
m = json.load(open(sys.argv[1], encoding="utf-8"))
def paid(path):
    s = defaultdict(F)
    for r in csv.DictReader(open(path, encoding="utf-8")):
        if r["amount"]:
            s[r["entity"]] += F(r["amount"])
    return s
a, b = paid(sys.argv[2]), paid(sys.argv[3])
changed = sorted(p for p in set(a) | set(b) if a[p] != b[p])
assert changed == sorted(r["id"] for r in m["rows"]), (changed, m["rows"])
for r in m["rows"]:
    assert F(r["awards_old"]) == a[r["id"]] and F(r["awards_new"]) == b[r["id"]], r
    assert [F(x["awards"]) for x in r["alone"]] == [b[r["id"]] - a[r["id"]]], r
PY
pass

case_ "同奖同惩: a goal's reward raised, every post holder who answers for it gains"
# kashi10-milestones: reward 500 → 600 on the five goals done on time; the principal answers for
# all five (+500), 教务处's two holders for two each (+200), 后勤主任 and 教研室 for one (+100)
sed 's/^param reward: decimal = 500;/param reward: decimal = 600;/' "$SRC/policies/kashi10-milestones-2017.wz" >"$TMP/v/k2.wz"
expect_ok wenze diff "$SRC/policies/kashi10-milestones-2017.wz" "$TMP/v/k2.wz" --facts "$SRC/examples/milestones"
grep -q -x '10 of 19 persons and entities change: 5 gain, 0 lose, 0 change grade, 0 change sanctions' "$OUT_FILE" || fail "the summary: $(cat "$OUT_FILE")"
grep -q -x '  艾力·买买提  total 0 → 0 (0), awards 0 → 500 (+500), 目标按期完成奖励 2500 → 3000' "$OUT_FILE" || fail "the principal: $(cat "$OUT_FILE")"
grep -q -x '  王建华  total 0 → 0 (0), awards 500 → 700 (+200), 目标按期完成奖励 1000 → 1200' "$OUT_FILE" || fail "教务处: $(cat "$OUT_FILE")"
grep -q -x '      param reward: awards +100, sections or awards change' "$OUT_FILE" || fail "the part: $(cat "$OUT_FILE")"
grep -q -x '  goal 领导小组 目标按期完成奖励 500 → 600' "$OUT_FILE" || fail "the goal: $(cat "$OUT_FILE")"
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
