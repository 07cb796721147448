#!/usr/bin/env bash
# Golden end-to-end test: policies/yaliu-accountability.wz (seed 000, 牙六小义务教育均衡发展工作
# 责任追究制度) on examples/yaliu — roles and duties from stdlib/duties.wz, findings answered
# for by the first and direct responsible persons, the ladder 问责 escalating on repeats.
# Usage: golden_yaliu.sh WENZE SOURCE_DIR
#
# Checks:
#  1. every output file equals tests/golden/yaliu/output/ byte for byte;
#  2. the sanctions (entity, sanction, role, responsibility) equal what tests/ref/yaliu_ref.py —
#     an independent Python implementation — computed (tests/golden/yaliu/expected/),
#     re-running it when python3 is present, also on the changed facts below;
#  3. stdlib/duties.wz loads: a policy that imports it checks clean and cites its duties;
#  4. a person's own failure is answered for by that person; a principal's own duty gives one line;
#  5. repeats: one more row escalates one more tier; past the top the top; a row outside the
#     school year does not count; a stricter dropout standard finds one more check;
#  6. errors: a post no one holds (exit 2, naming the post, the school and the rule); bad dates
#     (exit 2, FILE:ROW:COL).
set -euo pipefail
NAME=golden_yaliu
source "$(dirname "$0")/lib.bash" "$@"
POLICY=$SRC/policies/yaliu-accountability.wz
EXAMPLE=$SRC/examples/yaliu
REF=$SRC/tests/ref/yaliu_ref.py
golden=$SRC/tests/golden/yaliu
SRCLINE='yaliu-accountability.wz:[0-9]*'

have_python() { command -v python3 >/dev/null 2>&1; }

# ref_agrees OUT FACTS — the reference on FACTS gives OUT's sanctions (columns 1, 2, 5, 6)
ref_agrees() {
    have_python || return 0
    rm -rf "$TMP/ref-check"
    python3 "$REF" "$2" "$TMP/ref-check" >/dev/null || fail "the reference failed on $2"
    diff -u "$TMP/ref-check/sanctions.txt" <(cut -d, -f1,2,5,6 "$1/sanctions.csv") \
        || fail "wenze's sanctions differ from the reference on $2"
}

# has_line OUT LINE — OUT/sanctions.csv has a line "LINE" with the source's line number and
# anything after the role columns (LINE = entity,sanction,rule,role,responsibility)
has_line() {
    local e s r role resp
    IFS=, read -r e s r role resp <<<"$2"
    grep -q -x -e "$e,$s,$r,$SRCLINE,$role,$resp\(,.*\)\?" "$1/sanctions.csv"
}

case_ "outputs equal the golden files"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out"
[ "$(cat "$OUT_FILE")" = "wenze: 16 persons, 1 school, 45 fact rows read (2 outside the period, ignored), 16 findings; wrote $TMP/out/" ] \
    || fail "unexpected summary line: $(cat "$OUT_FILE")"
for f in sanctions.csv findings.jsonl summary.json; do
    diff -u "$golden/output/$f" "$TMP/out/$f" || fail "$f differs from the golden file"
done
[ "$(find "$TMP/out" -type f | wc -l)" = 3 ] || fail "expected exactly sanctions.csv, findings.jsonl and summary.json"
pass

case_ "sanctions equal the independent reference"
diff -u "$golden/expected/sanctions.txt" <(cut -d, -f1,2,5,6 "$TMP/out/sanctions.csv") || fail "sanctions differ from the reference"
[ "$(head -n 1 "$golden/expected/sanctions.txt")" = "entity,sanction,role,responsibility" ] || fail "the reference's header"
if have_python; then
    python3 "$REF" "$EXAMPLE" "$TMP/ref" >/dev/null
    diff -u "$golden/expected/sanctions.txt" "$TMP/ref/sanctions.txt" || fail "the reference no longer gives expected/sanctions.txt"
fi
pass

case_ "stdlib/duties.wz loads and its duties are cited"
printf 'policy "t";\nimport "duties";\nimport "duties";\nfact staff persons key id { id: text; post: role; }\n' >"$TMP/duties_only.wz"
expect_ok wenze check "$TMP/duties_only.wz"
[ ! -s "$OUT_FILE" ] && [ ! -s "$ERR_FILE" ] || fail "check should print nothing"
printf 'policy "t";\nimport "duties";\nimport "ladders";\nfact staff persons key id { id: text; post: role; }\nsanction s ladder 问责 at 1 duty 教师.5;\n' >"$TMP/no_duty.wz"
expect_fail 1 "$TMP/no_duty.wz:5:32: error: role '教师' has no duty 5" -- wenze check "$TMP/no_duty.wz"
grep -q '"rule":"dirty_campus_class".*"message":"[^"]*班主任职责第7条：加强安全、卫生教育。' "$TMP/out/findings.jsonl" \
    || fail "the class teacher's finding should quote duty 7 of 班主任 from stdlib/duties.wz"
grep -q '"rule":"no_plan".*"message":"[^"]*教导主任职责第1条：认真学习、全面贯彻' "$TMP/out/findings.jsonl" \
    || fail "the dean's finding should quote duty 1 of 教导主任"
pass

case_ "who answers: the person themself, the chain's top, the posts named"
has_line "$TMP/out" "陈静,责令整改,keeper_duty,档案管理员,直接责任人" || fail "陈静 answers for her own duty"
has_line "$TMP/out" "王志刚,责令整改,keeper_duty,领导小组成员,第一责任人" || fail "the leading-group member is named first for the file keeper's duty"
has_line "$TMP/out" "王志刚,通报批评,filing_not_rectified,领导小组成员,第一责任人" || fail "the indicators' lead is first for the files"
has_line "$TMP/out" "陈静,通报批评,filing_not_rectified,档案管理员,直接责任人" || fail "the file keeper is direct for the files"
[ "$(grep -c ',no_leading_group,' "$TMP/out/sanctions.csv")" = 1 ] || fail "the principal's own duty: one line"
has_line "$TMP/out" "包丽华,责令整改,no_leading_group,校长,直接责任人" || fail "the principal answers for 校长.1"
! grep -q '^周敏,' "$TMP/out/sanctions.csv" || fail "周敏 is not a file keeper: no sanction"
grep -q '"person":"周敏","rule":"not_filing_staff","kind":"notice"' "$TMP/out/findings.jsonl" || fail "周敏's row should be a notice"
! grep -q '^杨帆,[^,]*,inaction,' "$TMP/out/sanctions.csv" || fail "杨帆's 不作为 is after the school year"
pass

case_ "a repeat escalates one more tier"
f=$(copy_facts repeat)
echo '牙六小,2021-07-05,整改不力,第四次督查仍未整改' >>"$f/school_violation.csv"
echo '张丽,2021-06-21,脏乱差,班级卫生区第四次脏乱' >>"$f/violation.csv"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/out_repeat"
has_line "$TMP/out_repeat" "包丽华,年度考核不合格,not_rectified,校长,第一责任人" || fail "4th 整改不力: 年度考核不合格 for the principal"
has_line "$TMP/out_repeat" "王志刚,年度考核不合格,not_rectified,领导小组成员,直接责任人" || fail "4th 整改不力: 年度考核不合格 for 王志刚"
has_line "$TMP/out_repeat" "张丽,年度考核不合格,dirty_campus_class,班主任,直接责任人" || fail "张丽's 4th 脏乱差"
! grep -q ',诫勉谈话,not_rectified,' "$TMP/out_repeat/sanctions.csv" || fail "one line per finding: the tier reached"
ref_agrees "$TMP/out_repeat" "$f"
pass

case_ "past the top tier, the top; outside the year, no repeat"
f=$(copy_facts top)
echo '吴磊,2021-06-30,不作为,第六次' >>"$f/violation.csv"
echo '牙六小,2021-09-01,整改不力,下一学年' >>"$f/school_violation.csv"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/out_top"
has_line "$TMP/out_top" "吴磊,调整岗位,inaction,教职工,直接责任人" || fail "a 6th time stays 调整岗位"
has_line "$TMP/out_top" "王志刚,诫勉谈话,not_rectified,领导小组成员,直接责任人" || fail "a row after year_end is not a repeat"
grep -q '"file": "school_violation.csv".*"rows_ignored": 2' "$TMP/out_top/summary.json" || fail "two school rows ignored"
ref_agrees "$TMP/out_top" "$f"
pass

case_ "a stricter dropout standard"
f=$(copy_facts dropout)
sed -i 's/^dropout_limit,0.006$/dropout_limit,0.002/' "$f/params.csv"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/out_dropout"
has_line "$TMP/out_dropout" "李春梅,通报批评,dropout,教导主任,直接责任人" || fail "1 of 418 is over 0.2 %: twice over"
ref_agrees "$TMP/out_dropout" "$f"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out_param" --param dropout_limit=0.0075
! grep -q ',dropout,' "$TMP/out_param/sanctions.csv" || fail "3 of 415 is under 0.75 %"
pass

case_ "a post no one holds"
f=$(copy_facts no_general_affairs)
sed -i '/^赵国强,总务主任,/d' "$f/staff.csv"
expect_fail 2 "$f/staff.csv: error: no one holds the role 总务主任 at 牙六小, so the finding of rule 'safety_accident' for 牙六小 has no direct responsible person" \
    -- wenze run "$POLICY" --facts "$f" --out "$TMP/bad"
expect_run_failed "$TMP/bad"
ref_fails() { ! have_python || ! python3 "$REF" "$1" "$TMP/ref-bad" >/dev/null 2>&1 || fail "the reference should fail on $1"; }
ref_fails "$f"
pass

case_ "a bad date"
f=$(copy_facts bad_date)
sed -i 's/^陈静,2020-10-20,/陈静,2020\/10\/20,/' "$f/violation.csv"
expect_fail 2 "$f/violation.csv:4:2: error: expected a date (YYYY-MM-DD), found \"2020/10/20\"" \
    -- wenze run "$POLICY" --facts "$f" --out "$TMP/bad"
f=$(copy_facts bad_day)
sed -i 's/^牙六小,2021-04-08,安全事故,/牙六小,2021-02-30,安全事故,/' "$f/school_violation.csv"
expect_fail 2 "$f/school_violation.csv:8:2: error: expected a real calendar date, found \"2021-02-30\", which does not exist" \
    -- wenze run "$POLICY" --facts "$f" --out "$TMP/bad"
pass

finish
