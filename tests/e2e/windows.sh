#!/usr/bin/env bash
# Issue 15.4, findings per window: tests/policies/windows.wz on tests/fixtures/windows (each
# expected line worked out beside it): a monthly 全勤奖 (`for each 月份`), a monthly requirement
# whose deductions are capped, a per-half-term sanction, a per-month allowance whose findings
# are per month; explain saying which month lost the 全勤奖 and why; the errors; the other
# commands; the outputs byte-identical at --threads 1, 2 and 3 on 3 000 persons.
# Usage: windows.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=windows
source "$(dirname "$0")/lib.bash" "$@"

P=$SRC/tests/policies/windows.wz
F=$SRC/tests/fixtures/windows

# leave.csv: 2 A01 2019-10-15 病假 · 3 A02 2019-09-10 事假 · 4 A02 2019-12-02 旷工 · 5 A02 2020-01-06 病假
#            6 A03 2020-03-02 (after the period: ignored)
# late.csv:  2–5 A01 four in September · 6–8 A01 three in November · 9 A02 2019-12-10
# open_class.csv: A01 and A03 one every month; A02 only September and October
case_ "a run: one award line per month won, one sanction line per half-term, the window named"
expect_ok wenze run "$P" --facts "$F" --out "$TMP/o" --quiet
# 全勤奖 100 for each month without leave: A01 loses October (row 2); A02 September, December,
# January (rows 3, 4, 5); A03's leave is after the period, so all five months
[ "$(cat "$TMP/o/awards.csv")" = "entity,rule,amount,source,incident
A01,full_attendance,100,windows.wz:32,2019-09-01/2019-09-30
A01,full_attendance,100,windows.wz:32,2019-11-01/2019-11-30
A01,full_attendance,100,windows.wz:32,2019-12-01/2019-12-31
A01,full_attendance,100,windows.wz:32,2020-01-01/2020-01-31
A02,full_attendance,100,windows.wz:32,2019-10-01/2019-10-31
A02,full_attendance,100,windows.wz:32,2019-11-01/2019-11-30
A03,full_attendance,100,windows.wz:32,2019-09-01/2019-09-30
A03,full_attendance,100,windows.wz:32,2019-10-01/2019-10-31
A03,full_attendance,100,windows.wz:32,2019-11-01/2019-11-30
A03,full_attendance,100,windows.wz:32,2019-12-01/2019-12-31
A03,full_attendance,100,windows.wz:32,2020-01-01/2020-01-31" ] || fail "awards.csv: $(cat "$TMP/o/awards.csv")"
# half-terms split at 2019-11-16: A01's 7 lates are all in the first (≥ 3: 提醒谈话); A02's one
# late (December) is not; A02's 旷工 (December) is in the second: 通报批评
[ "$(cat "$TMP/o/sanctions.csv")" = "person,sanction,rule,source,incident
A01,提醒谈话,lateness,windows.wz:35,2019-09-01/2019-11-15
A02,通报批评,truancy,windows.wz:34,2019-11-16/2020-01-31" ] || fail "sanctions.csv: $(cat "$TMP/o/sanctions.csv")"
# attendance = 20 − late (0.5 per late over 2 a month: September 2 over, November 1 over → −1.5)
# − open_class (1 for each month without one, at most 2): A01 18.5; A02 misses November,
# December and January, capped at 2 → 18; A03 20
[ "$(cat "$TMP/o/scores.csv")" = "person,attendance,total,grade
A01,18.5,18.5,
A02,18,18,
A03,20,20," ] || fail "scores.csv: $(cat "$TMP/o/scores.csv")"
findings=$(cat "$TMP/o/findings.jsonl")
for want in \
    '{"person":"A01","rule":"attendance.late","kind":"deduct","source":"windows.wz:25:5","window":"2019-09-01/2019-09-30","points":"-1","rows":[{"file":"late.csv","row":2},{"file":"late.csv","row":3},{"file":"late.csv","row":4},{"file":"late.csv","row":5}],"message":"迟到 2019-09-01/2019-09-30: deduct 1 point"}' \
    '{"person":"A01","rule":"attendance.late","kind":"deduct","source":"windows.wz:25:5","window":"2019-11-01/2019-11-30","points":"-0.5","rows":[{"file":"late.csv","row":6},{"file":"late.csv","row":7},{"file":"late.csv","row":8}],"message":"迟到 2019-11-01/2019-11-30: deduct 0.5 points"}' \
    '{"person":"A02","rule":"truancy","kind":"sanction","source":"windows.wz:34:1","window":"2019-11-16/2020-01-31","sanction":"通报批评","rows":[{"file":"leave.csv","row":4}],"message":"旷工处理 2019-11-16/2020-01-31: 通报批评 (cut 10% of the total)"}' \
    '{"person":"A01","rule":"full_attendance","kind":"award","source":"windows.wz:32:1","window":"2020-01-01/2020-01-31","amount":"100","rows":[],"message":"全勤奖 2020-01-01/2020-01-31: reward 100 元"}'; do
    grep -q -F -x -e "$want" <<<"$findings" || fail "findings.jsonl lacks: $want"
done
# the cap: A02's three months without an open class give −1, −1 and nothing for January
[ "$(grep -c '"person":"A02","rule":"attendance.open_class"' <<<"$findings")" = 2 ] || fail "the cap does not end the windows' findings"
grep -q -F '"person":"A02","rule":"attendance.open_class","kind":"deduct","source":"windows.wz:27:5","window":"2019-12-01/2019-12-31","points":"-1"' <<<"$findings" ||
    fail "A02's December deduction"
pass

case_ "a rule whose allowance is per window gives one finding per window that went over it"
# dongliu 病假 0.2 per day over 2 a semester: T004 has 3.5 days in the first semester (−0.3)
# and 4 in the second (−0.4): two findings, each citing its semester's rows
expect_ok wenze run "$SRC/policies/dongliu-2019.wz" --facts "$SRC/examples/dongliu" --out "$TMP/d" --quiet
[ "$(grep -c '"person":"T004","rule":"attendance.sick"' "$TMP/d/findings.jsonl")" = 2 ] || fail "T004's 病假 is not per semester"
grep -q -F '"person":"T004","rule":"attendance.sick","kind":"deduct","source":"dongliu-2019.wz:96:5","window":"2020-02-17/2020-07-15","points":"-0.4","rows":[{"file":"leave.csv","row":9}]' \
    "$TMP/d/findings.jsonl" || fail "the second semester's finding"
grep -q -F -x 'T004,9.3,36.2878,33.5417,15.5,0,94.63,' "$TMP/d/scores.csv" || fail "T004's score moved"
pass

case_ "explain: each window's points, and the month that lost the 全勤奖 with the row that lost it"
expect_ok wenze explain "$P" --facts "$F" --person A01
grep -q -E '^      2019-09-01/2019-09-30 +-1  late.csv:2, late.csv:3, late.csv:4, late.csv:5$' "$OUT_FILE" || fail "no September line: $(cat "$OUT_FILE")"
grep -q -E '^  全勤奖 full_attendance +—  2019-10-01/2019-10-31  not applied  leave.csv:2  windows.wz:32$' "$OUT_FILE" ||
    fail "the lost month: $(cat "$OUT_FILE")"
grep -q -E '^  全勤奖 full_attendance +100  2019-11-01/2019-11-30 +windows.wz:32$' "$OUT_FILE" || fail "a month won: $(cat "$OUT_FILE")"
expect_ok wenze explain "$P" --facts "$F" --person A02 --lang zh
grep -q -E '^    公开课 attendance.open_class +-2  逐月份 \(至多2\) +windows.wz:27$' "$OUT_FILE" || fail "the per-month rule: $(cat "$OUT_FILE")"
grep -q -E '^  迟到处理 lateness +—  2019-11-16/2020-01-31  未计  late.csv:9 +windows.wz:35$' "$OUT_FILE" ||
    fail "a half-term whose late did not reach the count: $(cat "$OUT_FILE")"
expect_ok wenze explain "$P" --facts "$F" --person A01 --why-not full_attendance
grep -q -E '^  2019-10-01/2019-10-31 +0  not applied  leave.csv:2$' "$OUT_FILE" || fail "--why-not: $(cat "$OUT_FILE")"
grep -q -E '^  result +400  applied +windows.wz:32$' "$OUT_FILE" || fail "--why-not's result: $(cat "$OUT_FILE")"
expect_ok wenze explain "$P" --facts "$F" --person A02 --why-not attendance.open_class
grep -q -E '^  2019-09-01/2019-09-30 +0  not applied  open_class.csv:7$' "$OUT_FILE" || fail "--why-not a rule: $(cat "$OUT_FILE")"
grep -q -E '^  2019-12-01/2019-12-31 +-1  applied$' "$OUT_FILE" || fail "--why-not a rule: $(cat "$OUT_FILE")"
grep -q -E '^  2020-01-01/2020-01-31 +0  the cap was reached$' "$OUT_FILE" || fail "--why-not a capped window: $(cat "$OUT_FILE")"
expect_ok wenze explain "$P" --facts "$F" --person A02 --format json
python3 - "$OUT_FILE" <<'PY' || fail "explain JSON"
import json, sys
m = json.load(open(sys.argv[1]))
won = [a["window"] for a in m["awards"] if a.get("applied", True)]
lost = [(a["window"], a["rows"]) for a in m["awards"] if not a.get("applied", True)]
assert won == ["2019-10-01/2019-10-31", "2019-11-01/2019-11-30"], won
assert lost == [("2019-09-01/2019-09-30", ["leave.csv:3"]), ("2019-12-01/2019-12-31", ["leave.csv:4"]),
                ("2020-01-01/2020-01-31", ["leave.csv:5"])], lost
rule = [r for s in m["sections"] for r in s["rules"] if r["name"] == "attendance.open_class"][0]
assert [(w["window"], w["points"]) for w in rule["windows"]] == [("2019-11-01/2019-11-30", "-1"), ("2019-12-01/2019-12-31", "-1")], rule
PY
pass

case_ "the errors"
sed -e 's/cap 2 for each 月份/free 1 per 半学期 cap 2 for each 月份/' -e 's/deduct open_class "公开课" 1 /deduct open_class "公开课" 1 per count(late) /' "$P" > "$TMP/e1.wz"
expect_fail --first 1 "$TMP/e1.wz:27:58: error: a rule given for each '月份' takes its allowance in each of those windows, expecting 'free N per 月份'" -- wenze check "$TMP/e1.wz"
sed -e 's/for each 月份 where count(open_class) == 0/for each leave/' "$P" > "$TMP/e2.wz"
expect_fail --first 1 "$TMP/e2.wz:27:37: error: 'leave' is not a window group, expecting 'for each W' with a group declared by 'split PERIOD into W …;' (a deduction or bonus is given per window; per incident, write an award or a sanction)" -- wenze check "$TMP/e2.wz"
sed -e 's/^sanction lateness .*$/sanction lateness "迟到处理" ladder 考勤处理 at count(late) for each 半学期;/' "$P" > "$TMP/e3.wz"
expect_fail --first 1 "$TMP/e3.wz:35:53: error: 'at N' escalates one tier per person from a count, so it is not given per window; count in N, or give each window its tier with 'tier T when C for each 半学期'" -- wenze check "$TMP/e3.wz"
{ cat "$P"; echo 'let lates = count(late);'; echo 'award x = 1 when lates > 2 for each 月份;'; } > "$TMP/e4.wz"
expect_fail --first 1 "$TMP/e4.wz:37:18: error: 'lates' sums rows over the whole period, so in a rule given 'for each 月份' it would not change per window; write the aggregate itself here" -- wenze check "$TMP/e4.wz"
{ cat "$P"; echo 'fact note optional { id: person; level: enum(提醒谈话, 通报批评); }'; echo 'sanction s ladder 考勤处理 from note.level for each 月份;'; } > "$TMP/e5.wz"
expect_fail --first 1 "$TMP/e5.wz:37:40: error: fact 'note' is not dated, so its rows cannot be split into '月份' windows; declare it 'dated by FIELD'" -- wenze check "$TMP/e5.wz"
expect_fail --first 1 "$TMP/e5.wz:37:40: 错误: 事实“note”不计日，其数据行无法按“月份”时段划分；请声明 'dated by FIELD'" -- wenze check --lang zh "$TMP/e5.wz"
sed -e 's/^sanction lateness .*$/sanction lateness "迟到处理" ladder 考勤处理 tier 提醒谈话 when count(late) >= 3 for each 半学期s;/' "$P" > "$TMP/e6.wz"
expect_fail --first 1 "$TMP/e6.wz:35:70: error: '半学期s' is not a fact or a window group, expecting 'for each FACT' with a fact whose rows are incidents, or 'for each W' with a group declared by 'split PERIOD into W …;'; did you mean '半学期'?" -- wenze check "$TMP/e6.wz"
sed -e 's/when count(leave) == 0 for each 月份;/when any 半学期 (count(leave) == 0) for each 月份;/' "$P" > "$TMP/e7.wz"
expect_fail --first 1 "$TMP/e7.wz:32:50: error: this rule is already read window by window ('for each 月份'), so '半学期 (…)' cannot be used inside it; write the condition on the window's rows directly" -- wenze check "$TMP/e7.wz"
pass

case_ "a sanction from a field, per window: the most severe tier of each window's rows"
{ cat "$P"; echo 'fact warn dated by date optional { id: person; date: date; level: enum(提醒谈话, 通报批评); }'; echo 'sanction warned "警示" ladder 考勤处理 from warn.level for each 半学期;'; } > "$TMP/from.wz"
mkdir "$TMP/ff"; cp "$F"/*.csv "$TMP/ff/"
printf 'id,date,level\nA01,2019-09-05,提醒谈话\nA01,2019-10-05,通报批评\nA01,2019-10-06,提醒谈话\nA01,2019-12-01,提醒谈话\nA03,2020-01-02,提醒谈话\n' > "$TMP/ff/warn.csv"
expect_ok wenze run "$TMP/from.wz" --facts "$TMP/ff" --out "$TMP/fo" --quiet
grep -q -F -x 'A01,通报批评,warned,from.wz:37,2019-09-01/2019-11-15' "$TMP/fo/sanctions.csv" || fail "$(cat "$TMP/fo/sanctions.csv")"
grep -q -F -x 'A01,提醒谈话,warned,from.wz:37,2019-11-16/2020-01-31' "$TMP/fo/sanctions.csv" || fail "$(cat "$TMP/fo/sanctions.csv")"
grep -q -F -x 'A03,提醒谈话,warned,from.wz:37,2019-11-16/2020-01-31' "$TMP/fo/sanctions.csv" || fail "$(cat "$TMP/fo/sanctions.csv")"
grep -q -F '"person":"A01","rule":"warned","kind":"sanction","source":"from.wz:37:1","window":"2019-09-01/2019-11-15","sanction":"通报批评","rows":[{"file":"warn.csv","row":3}]' "$TMP/fo/findings.jsonl" ||
    fail "the first half-term cites only its most severe row: $(grep warned "$TMP/fo/findings.jsonl")"
pass

case_ "windows of both signs keep their own points when no cap cut them (a review found them moved)"
# 1 per late over 2 each month, negative when under: A01 has 4, 0, 3, 0, 0 lates → −2, +2, −1,
# +2, +2 (the section adds the opposite of a deduction: 20 + 3 = 23)
head -n 16 "$P" > "$TMP/neg.wz"
echo 'section attendance "考勤" points 20 { deduct late "迟到" 1 per (count(late) - 2) for each 月份; }' >> "$TMP/neg.wz"
expect_ok wenze run "$TMP/neg.wz" --facts "$F" --out "$TMP/neg" --quiet
[ "$(grep '"person":"A01"' "$TMP/neg/findings.jsonl" | sed -e 's/.*"window":"\([^"]*\)","points":"\([^"]*\)".*/\1 \2/')" = "2019-09-01/2019-09-30 -2
2019-10-01/2019-10-31 2
2019-11-01/2019-11-30 -1
2019-12-01/2019-12-31 2
2020-01-01/2020-01-31 2" ] || fail "the windows' points: $(grep '"A01"' "$TMP/neg/findings.jsonl")"
grep -q -F -x 'A01,23,23,' "$TMP/neg/scores.csv" || fail "$(cat "$TMP/neg/scores.csv")"
pass

case_ "a decide's conflict in a rule per window: one per window, naming it and citing its rows (a review found one, citing none)"
head -n 16 "$P" > "$TMP/dc.wz"
cat >> "$TMP/dc.wz" <<'WZ'
section attendance "考勤" points 20 {
    deduct late "迟到" (decide { general "一般": 1; a "a": 2 when count(late) >= 1 overrides general;
                                b "b": 3 when count(late) >= 2 overrides general; } ?? 1)
        for each 月份 where count(late) > 0;
}
WZ
expect_ok wenze run "$TMP/dc.wz" --facts "$F" --out "$TMP/dco" --quiet
# A01's Septembers (4 lates) and Novembers (3) both meet a and b; A02's December (1) only a
grep -q -F '{"person":"A01","rule":"attendance.late","kind":"conflict","source":"dc.wz:18:23","window":"2019-09-01/2019-09-30","options":["a","b"],"rows":[{"file":"late.csv","row":2},{"file":"late.csv","row":3},{"file":"late.csv","row":4},{"file":"late.csv","row":5}]' \
    "$TMP/dco/findings.jsonl" || fail "September's conflict: $(grep conflict "$TMP/dco/findings.jsonl")"
grep -q -F '"window":"2019-11-01/2019-11-30","options":["a","b"],"rows":[{"file":"late.csv","row":6},{"file":"late.csv","row":7},{"file":"late.csv","row":8}]' \
    "$TMP/dco/findings.jsonl" || fail "November's conflict: $(grep conflict "$TMP/dco/findings.jsonl")"
[ "$(grep -c '"kind":"conflict"' "$TMP/dco/findings.jsonl")" = 2 ] || fail "not one conflict per window"
pass

case_ "a school's sanction and award for each month, taken by its principal (a review found them refused)"
cat > "$TMP/unit.wz" <<'WZ'
policy "u" version "1";
period 学期 from 2019-09-01 to 2020-01-31;
split 学期 into 月份 every month;
role 校长 { duty 1 "全面负责"; }
entity school "学校";
fact staff persons key id { id: text; post: role; school: school; }
fact incident for school dated by date { school: school; date: date; }
ladder 问责 { 通报; 警告; }
sanction s1 "事故问责" ladder 问责 tier 通报 when count(incident) > 0 for each 月份 responsible first 校长;
award a1 "事故罚款" = -500 when count(incident) > 0 for each 月份 responsible first 校长;
WZ
mkdir "$TMP/uf"
printf 'id,post,school\nP1,校长,S1\nP2,校长,S2\n' > "$TMP/uf/staff.csv"
printf 'school,date\nS1,2019-09-10\nS1,2019-11-02\nS1,2019-11-20\nS2,2020-01-05\n' > "$TMP/uf/incident.csv"
expect_ok wenze run "$TMP/unit.wz" --facts "$TMP/uf" --out "$TMP/uo" --quiet
# S1: September and November (two incidents, one line); S2: January
[ "$(cat "$TMP/uo/awards.csv")" = "entity,rule,amount,source,incident,role,responsibility,unit
P1,a1,-500,unit.wz:10,2019-09-01/2019-09-30,校长,第一责任人,S1
P1,a1,-500,unit.wz:10,2019-11-01/2019-11-30,校长,第一责任人,S1
P2,a1,-500,unit.wz:10,2020-01-01/2020-01-31,校长,第一责任人,S2" ] || fail "awards.csv: $(cat "$TMP/uo/awards.csv")"
[ "$(grep -c ',s1,' "$TMP/uo/sanctions.csv")" = 3 ] || fail "sanctions.csv: $(cat "$TMP/uo/sanctions.csv")"
pass

case_ "Chinese keywords, fmt, diff, a policy test, verify and the report"
sed -e 's/ for each 月份/ 逐条 月份/g' -e 's/ for each 半学期/ 逐条 半学期/' "$P" > "$TMP/zh.wz"
expect_ok wenze run "$TMP/zh.wz" --facts "$F" --out "$TMP/zh" --quiet
diff <(cut -d, -f1-3,5- "$TMP/o/awards.csv") <(cut -d, -f1-3,5- "$TMP/zh/awards.csv") >/dev/null || fail "逐条 月份 differs from for each 月份"
expect_ok wenze fmt --check "$P"
printf 'award x = 1 for    each 月份  where  true;\n' > "$TMP/f.wz"
expect_ok wenze fmt "$TMP/f.wz"
[ "$(cat "$TMP/f.wz")" = 'award x = 1 for each 月份 where true;' ] || fail "fmt: $(cat "$TMP/f.wz")"
sed -e 's/param monthly_award: decimal = 100;/param monthly_award: decimal = 150;/' "$P" > "$TMP/new.wz"
expect_ok wenze diff "$P" "$TMP/new.wz" --facts "$F"
grep -q -F 'A03' "$OUT_FILE" || fail "diff: $(cat "$OUT_FILE")"
grep -q -F '750' "$OUT_FILE" || fail "diff does not show A03's 500 → 750: $(cat "$OUT_FILE")"
sed -e 's/cap 2 for each 月份 where/cap 2 for each 半学期 where/' "$P" > "$TMP/half.wz"
expect_ok wenze diff "$P" "$TMP/half.wz" --facts "$F"
grep -q -F -x '    for each: 月份 → 半学期' "$OUT_FILE" || fail "diff does not name the window group: $(cat "$OUT_FILE")"
grep -q -F -x '  ~ rule attendance.open_class: 1 person changes' "$OUT_FILE" || fail "diff's impact: $(cat "$OUT_FILE")"
# a sanction from half-terms to months: A02's 旷工 in September, October and December is two
# half-terms' lines, three months' — the tier is the same, the lines are not (a review found
# this reported as changing nobody)
mkdir "$TMP/tf"; cp "$F"/*.csv "$TMP/tf/"
printf 'A02,2019-10-02,旷工,1\nA02,2019-09-20,旷工,1\n' >> "$TMP/tf/leave.csv"
sed -e 's/> 0 for each 半学期;/> 0 for each 月份;/' "$P" > "$TMP/months.wz"
expect_ok wenze diff "$P" "$TMP/months.wz" --facts "$TMP/tf"
grep -q -F -x '  ~ sanction truancy: 1 person changes' "$OUT_FILE" || fail "diff's impact: $(cat "$OUT_FILE")"
grep -q -F 'sanctions truancy:通报批评×2 → truancy:通报批评×3' "$OUT_FILE" || fail "diff's lines: $(cat "$OUT_FILE")"
cp "$P" "$TMP/windows.wz"
cat > "$TMP/windows.test.wz" <<WZ
import "windows.wz";
test "a month with leave loses its 全勤奖" {
    from "$F";
    expect A01 full_attendance == 400;
    expect A02 full_attendance == 200;
    expect A02 attendance.open_class == -2;
    expect A02 truancy == 通报批评;
    expect A02 lateness == none;
}
WZ
expect_ok wenze test "$TMP/windows.test.wz"
grep -q -F -x 'ok - a month with leave loses its 全勤奖' "$OUT_FILE" || fail "wenze test: $(cat "$OUT_FILE")"
expect_ok wenze verify "$TMP/o"
expect_ok wenze run "$P" --facts "$F" --out "$TMP/r" --quiet --report "$TMP/r.html"
grep -q -F '2019-10-01/2019-10-31' "$TMP/r.html" || fail "the report does not name the windows"
pass

case_ "byte-identical at --threads 1, 2 and 3 (3 000 persons)"
mkdir "$TMP/big"
awk 'BEGIN {
    d = "'"$TMP"'/big/";
    print "id" > d "staff.csv"; print "id,date,kind,days" > d "leave.csv";
    print "id,date" > d "late.csv"; print "id,date" > d "open_class.csv";
    split("病假 事假 旷工", kinds, " ");
    s = 11;
    for (i = 1; i <= 3000; i++) {
        id = sprintf("P%05d", i);
        print id > d "staff.csv";
        for (k = 0; k < 6; k++) {
            s = (s * 1103515245 + 12345) % 2147483648;
            m = s % 5; y = m < 4 ? 2019 : 2020; mo = m < 4 ? 9 + m : 1;
            if (s % 7 == 0) printf "%s,%d-%02d-%02d,%s,%d\n", id, y, mo, 1 + s % 28, kinds[s % 3 + 1], 1 + s % 2 > d "leave.csv";
            if (s % 3 == 0) printf "%s,%d-%02d-%02d\n", id, y, mo, 1 + s % 28 > d "late.csv";
            if (s % 4 != 0) printf "%s,%d-%02d-%02d\n", id, y, mo, 1 + s % 28 > d "open_class.csv";
        }
    }
}'
for t in 1 2 3; do
    expect_ok wenze run "$P" --facts "$TMP/big" --out "$TMP/big$t" --threads "$t" --quiet
done
same_output "$TMP/big1" "$TMP/big2" >/dev/null || fail "--threads 2 differs from --threads 1"
same_output "$TMP/big1" "$TMP/big3" >/dev/null || fail "--threads 3 differs from --threads 1"
[ "$(grep -c 'full_attendance' "$TMP/big1/awards.csv")" -gt 5000 ] || fail "too few awards: the test does not test"
[ "$(grep -c '"rule":"attendance.open_class"' "$TMP/big1/findings.jsonl")" -gt 1000 ] || fail "too few deductions: the test does not test"
pass

finish
