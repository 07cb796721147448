#!/usr/bin/env bash
# wenze explain: one person's or entity's derivation.
# Usage: explain.sh WENZE SOURCE_DIR [--regenerate]
#
# Checks:
#  1. golden explanations (tests/golden/explain/*): for one person or entity of every shipped
#     policy — a person with a sanction and a pro-rata pay, persons who answer for others'
#     findings, a school, a goal — in English and Chinese, text and JSON;
#  2. for every person of the 东流镇 example, the JSON agrees with what `wenze run` wrote
#     (each section, the total, the grade, the pay), each rule's points are its amount × its
#     quantity (where nothing is free or capped), and its pool arithmetic gives the reward:
#     group units × unit × by ÷ Σ by, rounded half up to the fen (exact fractions, python3);
#  3. --why-not RULE: the rule's parts (condition, amount, quantity, allowance, cap), each with
#     its value for the person;
#  4. bad use: an unknown id or rule, a bad --format or --lang, --out, a missing --person.
set -euo pipefail
NAME=explain
REGENERATE=${3:-}
source "$(dirname "$0")/lib.bash" "$1" "$2"
golden=$SRC/tests/golden/explain

# explain_golden FILE -- ARGS… — `wenze explain ARGS…` prints exactly tests/golden/explain/FILE
explain_golden() {
    local file=$1
    shift 2
    expect_ok wenze explain "$@"
    [ ! -s "$ERR_FILE" ] || fail "explain wrote to stderr: $(cat "$ERR_FILE")"
    if [ "$REGENERATE" = --regenerate ]; then cp "$OUT_FILE" "$golden/$file"; fi
    diff -u "$golden/$file" "$OUT_FILE" || fail "explain differs from $file"
}

P=$SRC/policies
E=$SRC/examples
case_ "a person with a sanction and a pro-rata pay (东流镇 T030)"
explain_golden dongliu-T030.txt -- "$P/dongliu-2019.wz" --facts "$E/dongliu" --person T030
grep -q -F '  师德师风处分 discipline  记过  cut 80% of the total  discipline.csv:3  dongliu-2019.wz:123' "$OUT_FILE" ||
    fail "the sanction's effect and cited row are not shown"
grep -q -E '^  amount +2914\.11$' "$OUT_FILE" || fail "the amount is not pay.csv's 2914.11"
pass

case_ "README's explain block is what the command prints"
awk '/^## Why did T030/ {on=1} on && /^```$/ && !inblock {inblock=1; next} inblock && /^```$/ {exit} inblock {print}' \
    "$SRC/README.md" | tail -n +2 > "$TMP/readme-explain.txt"
diff -u "$golden/dongliu-T030.txt" "$TMP/readme-explain.txt" || fail "README's explain block is out of date"
pass

case_ "the same in Chinese, and as JSON"
explain_golden dongliu-T030.zh.txt -- "$P/dongliu-2019.wz" --facts "$E/dongliu" --person T030 --lang zh
explain_golden dongliu-T030.json -- "$P/dongliu-2019.wz" --facts "$E/dongliu" --person T030 --format json
pass

case_ "a policy written with Chinese keywords is explained in Chinese unless --lang en"
mkdir -p "$TMP/zh"
printf '# 中文关键字的小方案\n方案 "中文关键字" 版本 "1";\n事实 staff 名单 主键 id { id: 文本; h: 数值; }\n项目 w "工作量" = staff.h;\n' >"$TMP/zh/p.wz"
printf 'id,h\nA,3\n' >"$TMP/zh/staff.csv"
expect_ok wenze explain "$TMP/zh/p.wz" --facts "$TMP/zh" --person A
grep -q -x '分项' "$OUT_FILE" || fail "no Chinese heading for a Chinese policy"
grep -q -E '^  总分 +3$' "$OUT_FILE" || fail "the total is not 总分 3"
expect_ok wenze explain "$TMP/zh/p.wz" --facts "$TMP/zh" --person A --lang en
grep -q -x 'Sections' "$OUT_FILE" || fail "--lang en does not give English headings"
expect_ok wenze explain "$POLICY" --facts "$EXAMPLE" --person T030
grep -q -x 'Sections' "$OUT_FILE" || fail "an English-keyword policy is not explained in English"
pass

case_ "deductions with the rows they cite (东流镇 T004)"
explain_golden dongliu-T004.txt -- "$P/dongliu-2019.wz" --facts "$E/dongliu" --person T004
pass

case_ "--why-not: a rule's parts, each with its value"
explain_golden dongliu-T004-why-sick.txt -- "$P/dongliu-2019.wz" --facts "$E/dongliu" --person T004 --why-not attendance.sick
explain_golden dongliu-T004-why-personal.txt -- "$P/dongliu-2019.wz" --facts "$E/dongliu" --person T004 --why-not attendance.personal
grep -q -E '^  quantity +0  sum\(leave.days where kind == 事假\)$' "$OUT_FILE" || fail "the quantity that made it 0 is not shown"
explain_golden songtao-S18-why-veto.zh.txt -- "$P/songtao-grades.wz" --facts "$E/songtao" --person S18 --why-not veto_loss --lang zh
pass

case_ "township, songtao: sections, vetoes, grades"
explain_golden township-T09.txt -- "$P/township-2019.wz" --facts "$E/township" --person T09
explain_golden songtao-S18.zh.txt -- "$P/songtao-grades.wz" --facts "$E/songtao" --person S18 --lang zh
pass

case_ "responsibility: a principal who answers for others (牙六小 包丽华)"
explain_golden yaliu-baolihua.txt -- "$P/yaliu-accountability.wz" --facts "$E/yaliu" --person 包丽华
pass

case_ "responsibility: the persons an accident's row names, with their shares (清水铺镇 周婷, accident A02)"
explain_golden qingshuipu-zhouting.txt -- "$P/qingshuipu-safety.wz" --facts "$E/qingshuipu" --person 周婷
explain_golden qingshuipu-A02.txt -- "$P/qingshuipu-safety.wz" --facts "$E/qingshuipu" --person A02
pass

case_ "entities: a school, a goal"
explain_golden tuoluoao-school.txt -- "$P/tuoluoao-2008.wz" --facts "$E/tuoluoao" --history "$E/tuoluoao/history" --person 驼骆坳中学
explain_golden county-school.txt -- "$P/county-plan-2011.wz" --facts "$E/county" --history "$E/county/history" --person 东门小学
explain_golden milestones-goal.zh.txt -- "$P/kashi10-milestones-2017.wz" --facts "$E/milestones" --person 实施方案 --lang zh
pass

case_ "every 东流镇 person: the JSON agrees with the run's outputs and its pool arithmetic holds"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out"
mkdir -p "$TMP/json"
for id in $(tail -n +2 "$TMP/out/scores.csv" | cut -d, -f1); do
    expect_ok wenze explain "$POLICY" --facts "$EXAMPLE" --person "$id" --format json
    cp "$OUT_FILE" "$TMP/json/$id.json"
done
python3 - "$TMP/out" "$TMP/json" <<'EOF' || fail "explain disagrees with the run"
import csv, json, os, sys
from fractions import Fraction
out, jdir = sys.argv[1], sys.argv[2]
scores = {r["person"]: r for r in csv.DictReader(open(os.path.join(out, "scores.csv"), encoding="utf-8"))}
pay = {r["person"]: r for r in csv.DictReader(open(os.path.join(out, "pay.csv"), encoding="utf-8"))}
def half_up(x, places):
    q = Fraction(10) ** places
    n = abs(x) * q
    r = int(n) + (1 if n - int(n) >= Fraction(1, 2) else 0)
    return (r if x >= 0 else -r) / q
bad = 0
for pid, row in scores.items():
    m = json.load(open(os.path.join(jdir, pid + ".json"), encoding="utf-8"))
    for s in m["sections"]:
        if Fraction(s["value"]) != Fraction(row[s["name"]]) and half_up(Fraction(s["value"]), 4) != Fraction(row[s["name"]]):
            print(pid, s["name"], s["value"], row[s["name"]]); bad += 1
    if Fraction(m["total"]["value"]) != Fraction(row["total"]):
        print(pid, "total", m["total"]["value"], row["total"]); bad += 1
    if (m["grade"] or {}).get("label", "") != row["grade"]:
        print(pid, "grade", m["grade"], row["grade"]); bad += 1
    for s in m["sections"]:   # a rule's arithmetic: amount × quantity, when nothing is free or capped
        for r in s["rules"]:
            if r["applied"] and r["quantity"] is not None and r["free"] is None and r["cap"] is None:
                if abs(Fraction(r["points"])) != Fraction(r["amount"]) * Fraction(r["quantity"]):
                    print(pid, r["name"], r["points"], r["amount"], r["quantity"]); bad += 1
    p = m["pay"]
    for k in ("basis", "reward", "stipend", "amount"):
        if p[k] != pay[pid][k]:
            print(pid, k, p[k], pay[pid][k]); bad += 1
    unit = Fraction(p["unit"])
    if unit != (Fraction(p["pool"]) - Fraction(p["stipends"])) / Fraction(p["units"]):
        print(pid, "unit", p["unit"]); bad += 1
    if "by" in p:
        want = Fraction(p["group_units"]) * unit * Fraction(p["by_value"]) / Fraction(p["group_by"])
    else:
        want = Fraction(p["weight"]) * unit
    if half_up(want, p["places"]) != Fraction(p["reward"]):
        print(pid, "reward", p["reward"], float(want)); bad += 1
    if Fraction(p["reward"]) + Fraction(p["stipend"]) != Fraction(p["amount"]):
        print(pid, "amount", p["amount"]); bad += 1
print(len(scores), "persons checked")
sys.exit(1 if bad else 0)
EOF
pass

case_ "bad use"
expect_fail 3 "error: --why-not nosuch: the policy has no such rule (a deduction or bonus as SECTION.RULE, a sanction, a notice or an award)" -- \
    wenze explain "$POLICY" --facts "$EXAMPLE" --person T030 --why-not nosuch
expect_fail 3 "error: --why-not attendance: the policy has no such rule (a deduction or bonus as SECTION.RULE, a sanction, a notice or an award)" -- \
    wenze explain "$POLICY" --facts "$EXAMPLE" --person T030 --why-not attendance
expect_fail 3 "error: --person T999: no person or entity with this id in the facts" -- \
    wenze explain "$POLICY" --facts "$EXAMPLE" --person T999
expect_fail --first 3 "wenze: --format needs text or json, found 'xml'" -- \
    wenze explain "$POLICY" --facts "$EXAMPLE" --person T030 --format xml
expect_fail --first 3 "wenze: --lang needs en or zh, found 'fr'" -- \
    wenze explain "$POLICY" --facts "$EXAMPLE" --person T030 --lang fr
expect_fail --first 3 "wenze: explain needs --facts DIR and --person ID" -- \
    wenze explain "$POLICY" --facts "$EXAMPLE"
expect_fail --first 3 "wenze: explain writes no files: it takes no --out, --trace or --timing" -- \
    wenze explain "$POLICY" --facts "$EXAMPLE" --person T030 --out "$TMP/never"
expect_fail --first 3 "wenze: run does not take --person, --format or --why-not (explain does)" -- \
    wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/never" --person T030
pass

finish
