#!/usr/bin/env bash
# Issue 15.2, per-incident values and sanctions: tests/policies/incidents.wz on
# tests/fixtures/incidents (each expected line worked out in the comment above it), then
# the other commands on it (explain, fmt, diff, test, verify, --report), pay.csv summing
# incidents, and the outputs byte-identical at --threads 1, 2 and 3 on 6 000 persons.
# Usage: incidents.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=incidents
source "$(dirname "$0")/lib.bash" "$@"

P=$SRC/tests/policies/incidents.wz
F=$SRC/tests/fixtures/incidents

# accident.csv (line: person, kind, minutes, affected, injured → level by the classify):
#   2: T02 迟到 5 0 0 → 警告    3: T02 迟到 15 0 0 → 记过 (minutes > 10)
#   4: T03 无案上课 0 0.6 0 → 留校察看 (affected ≥ 50%)   5: T03 离岗 20 0.2 0 → 记过
#   6: T03 安全 0 0.1 2 → 解聘 (injured)   7: T04 迟到 3 0 0 → 警告   8: T05 安全 0 0 0 → 警告
#   9: T02 2020-09-10, outside the period: no incident
case_ "a run: one sanction line and one fine line per incident, citing its row"
expect_ok wenze run "$P" --facts "$F" --out "$TMP/o" --quiet
# the most severe of each person's incidents cuts the total: T02 记过 30%, T03 解聘 100%,
# T04 and T05 警告 10%; safety names T03's class teacher (T02) for row 6; repeat: T03 has two
# serious incidents (rows 4 and 6), count − 1 = 1 → 警告, and no incident column (not per incident)
[ "$(cat "$TMP/o/sanctions.csv")" = "person,sanction,rule,source,incident,role,responsibility,unit
T02,警告,incident,incidents.wz:44,accident.csv:2,,,
T02,记过,incident,incidents.wz:44,accident.csv:3,,,
T03,留校察看,incident,incidents.wz:44,accident.csv:4,,,
T03,记过,incident,incidents.wz:44,accident.csv:5,,,
T03,解聘,incident,incidents.wz:44,accident.csv:6,,,
T02,解聘,safety,incidents.wz:46,accident.csv:6,班主任,直接责任人,T03
T03,警告,repeat,incidents.wz:51,,,,
T04,警告,incident,incidents.wz:44,accident.csv:7,,,
T05,警告,incident,incidents.wz:44,accident.csv:8,,," ] || fail "sanctions.csv: $(cat "$TMP/o/sanctions.csv")"
# late_fine = −late_rate (10) × minutes for each 迟到 row: −50, −150, −30
[ "$(cat "$TMP/o/awards.csv")" = "entity,rule,amount,source,incident,role,responsibility,unit
T02,late_fine,-50,incidents.wz:49,accident.csv:2,,,
T02,late_fine,-150,incidents.wz:49,accident.csv:3,,,
T04,late_fine,-30,incidents.wz:49,accident.csv:7,,," ] || fail "awards.csv: $(cat "$TMP/o/awards.csv")"
# teaching = 100 − 5 × incidents at 记过 or worse − 0.5 × minutes late; total = teaching × (1 − cut):
# T02 100 − 5 − 10 = 85 × 0.7 = 59.5; T03 100 − 15 = 85 × 0 = 0; T04 100 − 1.5 = 98.5 × 0.9 = 88.65; T05 90
[ "$(cat "$TMP/o/scores.csv")" = "person,teaching,total,grade
T01,100,100,
T02,85,59.5,
T03,85,0,
T04,98.5,88.65,
T05,100,90," ] || fail "scores.csv: $(cat "$TMP/o/scores.csv")"
findings=$(cat "$TMP/o/findings.jsonl")
for want in \
    '{"person":"T02","rule":"incident","kind":"sanction","source":"incidents.wz:44:1","sanction":"记过","rows":[{"file":"accident.csv","row":3}],"message":"教学事故问责: 记过 (cut 30% of the total)"}' \
    '{"person":"T02","rule":"late_fine","kind":"award","source":"incidents.wz:49:1","amount":"-150","rows":[{"file":"accident.csv","row":3}],"message":"迟到罚款: fine 150 元"}' \
    '{"person":"T03","rule":"safety","kind":"sanction","source":"incidents.wz:46:1","sanction":"解聘","responsible":[{"person":"T02","role":"班主任","as":"direct"}],"rows":[{"file":"accident.csv","row":6}],"message":"安全事故: 解聘 (cut 100% of the total)"}' \
    '{"person":"T03","rule":"repeat","kind":"sanction","source":"incidents.wz:51:1","sanction":"警告","rows":[{"file":"accident.csv","row":4},{"file":"accident.csv","row":6}],"message":"屡次严重事故: 警告 (cut 10% of the total)"}'; do
    grep -q -F -x -e "$want" <<<"$findings" || fail "findings.jsonl lacks: $want"
done
[ "$(grep -c '"rule":"incident"' <<<"$findings")" = 7 ] || fail "not one incident finding per row"
pass

case_ "a policy without 'for each' keeps sanctions.csv as it was (no incident column)"
sed -e 's/ for each accident;/;/' -e 's/ for each accident$//' -e '/^sanction safety/,/responsible direct/d' \
    -e 's/ for each accident where kind == 迟到;/ when count(accident where kind == 迟到) > 0;/' \
    -e 's/^award late_fine "迟到罚款" = -fine/award late_fine "迟到罚款" = -sum(accident.fine where kind == 迟到)/' "$P" > "$TMP/whole.wz"
expect_ok wenze run "$TMP/whole.wz" --facts "$F" --out "$TMP/w" --quiet
# from a row value, without 'for each': the most severe incident, citing its row, as from a field
[ "$(cat "$TMP/w/sanctions.csv")" = "person,sanction,rule,source
T02,记过,incident,whole.wz:44
T03,解聘,incident,whole.wz:44
T03,警告,repeat,whole.wz:49
T04,警告,incident,whole.wz:44
T05,警告,incident,whole.wz:44" ] || fail "sanctions.csv: $(cat "$TMP/w/sanctions.csv")"
[ "$(head -n 2 "$TMP/w/awards.csv")" = "entity,rule,amount,source
T02,late_fine,-200,whole.wz:47" ] || fail "awards.csv: $(cat "$TMP/w/awards.csv")"
grep -q -F '"rule":"incident","kind":"sanction","source":"whole.wz:44:1","sanction":"解聘","rows":[{"file":"accident.csv","row":6}]' \
    "$TMP/w/findings.jsonl" || fail "the whole-person sanction does not cite the most severe row"
pass

case_ "--labels zh names the incident column too"
expect_ok wenze run "$P" --facts "$F" --out "$TMP/zhl" --quiet --labels zh
[ "$(head -n 1 "$TMP/zhl/sanctions.csv")" = "工号,处理,规则,依据,事件,角色,责任,单位" ] || fail "sanctions.csv header: $(head -n 1 "$TMP/zhl/sanctions.csv")"
pass

case_ "explain: each incident with its row and its row values"
expect_ok wenze explain "$P" --facts "$F" --person T02
explain=$(cat "$OUT_FILE")
grep -q -E '^  教学事故问责 incident +记过 +cut 30% of the total +accident.csv:3 +incidents.wz:44$' <<<"$explain" ||
    fail "explain lacks the 记过 incident: $explain"
grep -q -E '^ +accident.level 记过, accident.serious false, accident.fine 150$' <<<"$explain" ||
    fail "explain lacks the row values of row 3: $explain"
[ "$(grep -c '^  迟到罚款 late_fine' <<<"$explain")" = 2 ] || fail "explain does not list both fines: $explain"
expect_ok wenze explain "$P" --facts "$F" --person T02 --format json
python3 - "$OUT_FILE" <<'PY' || fail "explain --format json lacks the incidents: $(head -c 600 "$OUT_FILE")"
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))
fines = [(a["incident"], a["amount"], [(v["name"], v["value"]) for v in a["row_values"]]) for a in m["awards"]]
assert fines == [("accident.csv:2", "-50", [("accident.level", "警告"), ("accident.serious", "false"), ("accident.fine", "50")]),
                 ("accident.csv:3", "-150", [("accident.level", "记过"), ("accident.serious", "false"), ("accident.fine", "150")])], fines
PY
expect_ok wenze explain "$P" --facts "$F" --person T02 --why-not late_fine
pass

case_ "check lints a row value's classify like a let's"
sed -e 's/留校察看 when affected >= 50%;/留校察看 when affected > 1;/' "$P" > "$TMP/lint.wz"
expect_fail --first 1 "$TMP/lint.wz:36:5: warning: case '留校察看' can never be chosen: 'affected > 1' never holds for whom the cases above leave; correct the condition, or remove the case" -- wenze check --werror "$TMP/lint.wz"
expect_ok wenze check --werror "$P"
pass

case_ "fmt keeps it, prints 'for each' in one spelling, and keeps 逐条"
expect_ok wenze fmt --check "$P"
printf 'award x = 1 for    each accident;\n奖惩 y = 2 逐条 accident 其中 kind == 迟到;\n' > "$TMP/f.wz"
expect_ok wenze fmt "$TMP/f.wz"
[ "$(cat "$TMP/f.wz")" = 'award x = 1 for each accident;
奖惩 y = 2 逐条 accident 其中 kind == 迟到;' ] || fail "fmt: $(cat "$TMP/f.wz")"
pass

case_ "the Chinese spelling runs alike"
sed -e 's/ for each accident/ 逐条 accident/' "$P" > "$TMP/zh.wz"
expect_ok wenze run "$TMP/zh.wz" --facts "$F" --out "$TMP/zh" --quiet
diff <(cut -d, -f1-3,5- "$TMP/o/sanctions.csv") <(cut -d, -f1-3,5- "$TMP/zh/sanctions.csv") >/dev/null ||
    fail "逐条 differs from for each"
pass

case_ "diff: a row value's case, measured alone"
sed -e 's/affected >= 50%/affected >= 20%/' "$P" > "$TMP/new.wz"
expect_ok wenze diff "$P" "$TMP/new.wz" --facts "$F"
grep -q -F -x '    case 留校察看: 留校察看 when affected >= 50%; → 留校察看 when affected >= 20%;' "$OUT_FILE" ||
    fail "diff lacks the case: $(cat "$OUT_FILE")"
grep -q -F -x '  ~ row value accident.level: 1 person changes' "$OUT_FILE" || fail "diff lacks the impact: $(cat "$OUT_FILE")"
pass

case_ "a policy test expects an incident's sanction and the sum of the fines"
cat > "$TMP/incidents.test.wz" <<WZ
import "incidents.wz";
test "late twice" {
    from "$F";
    expect T02 late_fine == -200;
    expect T02 incident == 记过;
    expect T03 repeat == 警告;
}
WZ
cp "$P" "$TMP/incidents.wz"
expect_ok wenze test "$TMP/incidents.test.wz"
grep -q -F -x 'ok - late twice' "$OUT_FILE" || fail "wenze test: $(cat "$OUT_FILE")"
pass

case_ "verify and the HTML report"
expect_ok wenze verify "$TMP/o"
expect_ok wenze run "$P" --facts "$F" --out "$TMP/r" --quiet --report "$TMP/r.html"
[ -s "$TMP/r.html" ] || fail "no report"
pass

case_ "pay.csv: the award column sums a person's incidents"
cat "$P" - > "$TMP/pay.wz" <<'WZ'
param pool: decimal = 1000;
let basis = classify { staffed otherwise; };
distribute pool by basis { staffed: 1; }
WZ
expect_ok wenze run "$TMP/pay.wz" --facts "$F" --out "$TMP/p" --quiet
[ "$(cat "$TMP/p/pay.csv")" = "person,basis,reward,stipend,amount,late_fine,pay
T01,staffed,200.00,0.00,200.00,0.00,200.00
T02,staffed,200.00,0.00,200.00,-200.00,0.00
T03,staffed,200.00,0.00,200.00,0.00,200.00
T04,staffed,200.00,0.00,200.00,-30.00,170.00
T05,staffed,200.00,0.00,200.00,0.00,200.00" ] || fail "pay.csv: $(cat "$TMP/p/pay.csv")"
pass

case_ "byte-identical at --threads 1, 2 and 3 (6 000 persons, ~12 000 incidents)"
mkdir "$TMP/big"
awk 'BEGIN {
    print "id,post" > "'"$TMP"'/big/staff.csv";
    print "id,date,kind,minutes,affected,injured" > "'"$TMP"'/big/accident.csv";
    split("迟到 离岗 无案上课 安全", kinds, " ");
    s = 7;
    for (i = 1; i <= 6000; i++) {
        id = sprintf("P%05d", i);
        print id "," (i % 50 == 1 ? "班主任" : "") > "'"$TMP"'/big/staff.csv";
        for (k = 0; k < i % 5; k++) {
            s = (s * 1103515245 + 12345) % 2147483648;
            kind = kinds[s % 4 + 1];
            printf "%s,2019-%02d-%02d,%s,%d,%s,%d\n", id, 9 + s % 4, 1 + s % 28, kind, s % 46, (s % 10) / 10, (kind == "安全" && s % 3 == 0) ? 1 : 0 > "'"$TMP"'/big/accident.csv";
        }
    }
}'
sed -e '/^sanction safety/,/responsible direct/d' "$P" > "$TMP/big.wz"   # no class teacher per unit here
for t in 1 2 3; do
    expect_ok wenze run "$TMP/big.wz" --facts "$TMP/big" --out "$TMP/big$t" --threads "$t" --quiet
done
same_output "$TMP/big1" "$TMP/big2" >/dev/null || fail "--threads 2 differs from --threads 1"
same_output "$TMP/big1" "$TMP/big3" >/dev/null || fail "--threads 3 differs from --threads 1"
[ "$(grep -c ',incident,' "$TMP/big1/sanctions.csv")" -gt 10000 ] || fail "too few incidents: the test does not test"
pass

finish
