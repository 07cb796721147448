#!/usr/bin/env bash
# Golden end-to-end test: policies/kashi10-milestones-2017.wz (seed 001, 喀什市第十小学推进义务
# 教育均衡发展目标管理制度: goals with deadlines, 责任到人, 同奖同惩) on examples/milestones —
# goals as entities, post holders answering for them: the principal first, the holders of the
# post each goal's own row names directly (responsible first 校长, direct goals.lead).
# Usage: golden_milestones.sh WENZE SOURCE_DIR
#
# Checks:
#  1. every output file equals tests/golden/milestones/output/ byte for byte;
#  2. awards and sanctions (without the source column) equal what tests/ref/milestones_ref.py —
#     an independent Python implementation — computed (tests/golden/milestones/expected/),
#     re-running it when python3 is present;
#  3. 同奖同惩: both holders of 教务处 get the whole reward and the whole fine, as does the
#     principal; a goal completed on its deadline is on time; posts without goals are in no line;
#     the principal's own goals list him once, as 直接责任人;
#  4. as_of moved past 2017-12-31 with --param: 基本均衡 becomes missed (fine and 诫勉谈话 for the
#     principal), 德育为首 (completed 2017-09-10) turns from not done into done late; the
#     reference agrees on these and on other assessment dates and amounts;
#  5. any declared role can lead a goal: one led by 支部书记 is answered for by its holder;
#  6. errors: a completion date typed wrongly (exit 2, FILE:ROW:COL), a post nobody holds
#     (exit 2), a goal whose lead is empty or names no declared role (exit 2, FILE:ROW:COL).
set -euo pipefail
NAME=golden_milestones
source "$(dirname "$0")/lib.bash" "$@"
POLICY=$SRC/policies/kashi10-milestones-2017.wz
EXAMPLE=$SRC/examples/milestones
REF=$SRC/tests/ref/milestones_ref.py
golden=$SRC/tests/golden/milestones
SRCLINE='kashi10-milestones-2017.wz:[0-9]*'

have_python() { command -v python3 >/dev/null 2>&1; }

# ref_agrees OUT FACTS [NAME=VALUE …] — the reference on FACTS (with those params) gives OUT's
# awards and sanctions, the source column (4th) left out
ref_agrees() {
    have_python || return 0
    local out=$1 facts=$2
    shift 2
    rm -rf "$TMP/ref-check"
    python3 "$REF" "$facts" "$TMP/ref-check" "$@" >/dev/null || fail "the reference failed on $facts $*"
    for f in awards sanctions; do
        diff -u "$TMP/ref-check/$f.txt" <(cut -d, -f1,2,3,5,6 "$out/$f.csv") \
            || fail "wenze's $f differ from the reference on $facts $*"
    done
}

case_ "outputs equal the golden files"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out"
[ "$(cat "$OUT_FILE")" = "wenze: 8 persons, 11 goals, 19 fact rows read (0 outside the period, ignored), 16 findings; wrote $TMP/out/" ] \
    || fail "unexpected summary line: $(cat "$OUT_FILE")"
for f in awards.csv sanctions.csv findings.jsonl summary.json; do
    [ ! -e "$TMP/out/scores.csv" ] || fail "a policy that scores no one writes no scores.csv"
    diff -u "$golden/output/$f" "$TMP/out/$f" || fail "$f differs from the golden file"
done
pass

case_ "awards and sanctions equal the independent reference"
diff -u "$golden/expected/awards.txt" <(cut -d, -f1,2,3,5,6 "$TMP/out/awards.csv") || fail "awards differ from the reference"
diff -u "$golden/expected/sanctions.txt" <(cut -d, -f1,2,3,5,6 "$TMP/out/sanctions.csv") || fail "sanctions differ from the reference"
if have_python; then
    python3 "$REF" "$EXAMPLE" "$TMP/ref" >/dev/null
    for f in awards.txt sanctions.txt; do
        diff -u "$golden/expected/$f" "$TMP/ref/$f" || fail "the reference no longer gives expected/$f"
    done
fi
pass

case_ "同奖同惩: every responsible person whole"
a=$TMP/out/awards.csv
s=$TMP/out/sanctions.csv
# 教师交流 and 课程方案 on time, 大班额 missed: each holder of 教务处 and the principal, whole
[ "$(grep -c "^王建华,reward_goal,500,$SRCLINE,教务处,直接责任人,\(教师交流\|课程方案\)$" "$a")" = 2 ] || fail "王建华: two rewards of 500"
[ "$(grep -c "^古丽娜尔·吐尔逊,reward_goal,500,$SRCLINE,教务处,直接责任人,\(教师交流\|课程方案\)$" "$a")" = 2 ] || fail "古丽娜尔·吐尔逊: two rewards of 500"
[ "$(grep -c "^艾力·买买提,reward_goal,500,$SRCLINE,校长,第一责任人,\(教师交流\|课程方案\)$" "$a")" = 2 ] || fail "the principal: two rewards of 500"
grep -qx "古丽娜尔·吐尔逊,fine_goal,-500,$SRCLINE,教务处,直接责任人,大班额" "$a" || fail "古丽娜尔·吐尔逊 fined for 大班额"
grep -qx "古丽娜尔·吐尔逊,诫勉谈话,missed_goal,$SRCLINE,教务处,直接责任人,大班额" "$s" || fail "古丽娜尔·吐尔逊: 诫勉谈话 for 大班额"
# 校本研修 completed on 2017-07-31, its deadline: on time
grep -qx "李静,reward_goal,500,$SRCLINE,教研室,直接责任人,校本研修" "$a" || fail "completed on the deadline is on time"
# the principal's own goals (领导小组 on time, 实施方案 late): he alone, once, as 直接责任人
[ "$(grep -c ",实施方案$" "$a")" = 1 ] || fail "one award line for 实施方案"
grep -qx "艾力·买买提,fine_goal,-500,$SRCLINE,校长,直接责任人,实施方案" "$a" || fail "the principal is fined once for 实施方案, as 直接责任人"
grep -qx "艾力·买买提,reward_goal,500,$SRCLINE,校长,直接责任人,领导小组" "$a" || fail "the principal is rewarded once for 领导小组, as 直接责任人"
[ "$(grep -c ",实施方案$" "$s")" = 1 ] || fail "one sanction line for 实施方案"
grep -qx "艾力·买买提,通报批评,missed_goal,$SRCLINE,校长,直接责任人,实施方案" "$s" || fail "实施方案 done late: 通报批评"
# three rules, one per finding kind, whatever the lead post
[ "$(cut -d, -f2 "$a" | sort -u | tr '\n' ' ')" = "fine_goal reward_goal rule " ] || fail "awards come from reward_goal and fine_goal only"
[ "$(cut -d, -f3 "$s" | sort -u | tr '\n' ' ')" = "missed_goal rule " ] || fail "sanctions come from missed_goal only"
# 支部书记 and 报帐员 carry no goal
! grep -q -e '^马国强,' -e '^热娜古丽·艾海提,' "$a" "$s" || fail "posts without goals answer for nothing"
# the finding names the goal; the pending goal is a notice
grep -q '"entity":"goal","id":"装备达标","rule":"fine_goal".*"person":"张伟","role":"后勤主任","as":"direct","amount":"-500".*{"file":"goals.csv","row":5}' \
    "$TMP/out/findings.jsonl" || fail "the 装备达标 finding should name 张伟 and cite goals.csv row 5"
grep -q '"id":"基本均衡","rule":"pending","kind":"notice"' "$TMP/out/findings.jsonl" || fail "基本均衡 is pending"
pass

case_ "as_of after 2017-12-31: 基本均衡 is missed"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out2018" --param as_of=2018-01-15
grep -q '"as_of": {"value": "2018-01-15", "source": "--param"}' "$TMP/out2018/summary.json" || fail "as_of should come from --param"
[ "$(grep -c "^艾力·买买提,fine_goal,-500,$SRCLINE,校长,直接责任人,\(实施方案\|基本均衡\)$" "$TMP/out2018/awards.csv")" = 2 ] \
    || fail "the principal: fined for 实施方案 and now 基本均衡"
grep -qx "艾力·买买提,诫勉谈话,missed_goal,$SRCLINE,校长,直接责任人,基本均衡" "$TMP/out2018/sanctions.csv" || fail "基本均衡 not done: 诫勉谈话"
grep -qx "阿依古丽·阿不都,通报批评,missed_goal,$SRCLINE,德育办,直接责任人,德育为首" "$TMP/out2018/sanctions.csv" || fail "德育为首 now done late: 通报批评"
! grep -q '^阿依古丽·阿不都,诫勉谈话' "$TMP/out2018/sanctions.csv" || fail "德育为首 is done by 2018-01-15"
! grep -q '"rule":"pending"' "$TMP/out2018/findings.jsonl" || fail "no goal is pending after 2017-12-31"
ref_agrees "$TMP/out2018" "$EXAMPLE" as_of=2018-01-15
pass

case_ "the deadline day itself is not yet missed"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out0731" --param as_of=2017-07-31
! grep -q -e ',装备达标$' -e ',功能室$' -e ',大班额$' -e ',德育为首$' "$TMP/out0731/sanctions.csv" "$TMP/out0731/awards.csv" \
    || fail "as of 2017-07-31, the goals due that day are not missed"
grep -q '"id":"装备达标","rule":"pending"' "$TMP/out0731/findings.jsonl" || fail "装备达标 is pending on its deadline day"
ref_agrees "$TMP/out0731" "$EXAMPLE" as_of=2017-07-31
pass

case_ "the reference agrees on other dates and amounts"
i=0
for args in "as_of=2016-09-30" "as_of=2016-10-12" "as_of=2017-01-01 reward=333.35" "as_of=2017-08-20 fine=0.125" \
            "as_of=2017-09-10 reward=0" "as_of=2017-09-11"; do
    i=$((i + 1))
    params=()
    for p in $args; do params+=(--param "$p"); done
    expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/sweep$i" "${params[@]}"
    # shellcheck disable=SC2086
    ref_agrees "$TMP/sweep$i" "$EXAMPLE" $args
done
! grep -q '^李静,' "$TMP/sweep3/awards.csv" || fail "校本研修 is not done by 2017-01-01"
grep -qx "王建华,reward_goal,333.35,$SRCLINE,教务处,直接责任人,教师交流" "$TMP/sweep3/awards.csv" || fail "a reward of 333.35"
! grep -q ',reward_goal,' "$TMP/sweep5/awards.csv" || fail "a reward of 0 writes no line"
pass

case_ "a completion date typed wrongly"
f=$(copy_facts bad_date)
sed -i 's#^专用教室,三（二）6,后勤主任,2017-07-31,2017-07-15$#专用教室,三（二）6,后勤主任,2017-07-31,2017/07/15#' "$f/goals.csv"
grep -q '2017/07/15' "$f/goals.csv" || fail "the test's sed did not apply"
expect_fail 2 "$f/goals.csv:7:5: error: expected a date (YYYY-MM-DD), found \"2017/07/15\"" \
    -- wenze run "$POLICY" --facts "$f" --out "$TMP/bad"
expect_run_failed "$TMP/bad"
pass

case_ "a post nobody holds"
f=$(copy_facts no_research)
sed -i '/^李静,/d' "$f/staff.csv"
expect_fail 2 "$f/staff.csv: error: no one holds the role 教研室, so the finding of rule 'reward_goal' for 校本研修 has no direct responsible person" \
    -- wenze run "$POLICY" --facts "$f" --out "$TMP/bad"
pass

case_ "a goal led by any declared post"
f=$(copy_facts party_goal)
echo '思想政治,四（六）3,支部书记,2017-07-31,2017-07-20' >>"$f/goals.csv"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/party"
[ "$(grep -c ',思想政治$' "$TMP/party/awards.csv")" = 2 ] || fail "思想政治: two award lines"
grep -qx "艾力·买买提,reward_goal,500,$SRCLINE,校长,第一责任人,思想政治" "$TMP/party/awards.csv" || fail "the principal answers first for 思想政治"
grep -qx "马国强,reward_goal,500,$SRCLINE,支部书记,直接责任人,思想政治" "$TMP/party/awards.csv" || fail "马国强 (支部书记) answers directly for 思想政治"
ref_agrees "$TMP/party" "$f"
pass

case_ "a goal whose lead is empty or names no declared post"
ROLES='校长, 教务处, 教研室, 德育办, 后勤主任, 支部书记, 报帐员'
f=$(copy_facts empty_lead)
echo '思想政治,四（六）3,,2017-07-31,2017-07-20' >>"$f/goals.csv"
expect_fail 2 "$f/goals.csv:13:3: error: expected one of $ROLES, found an empty cell" \
    -- wenze run "$POLICY" --facts "$f" --out "$TMP/bad"
expect_run_failed "$TMP/bad"
[ "$(grep -c . "$ERR_FILE")" = 2 ] || fail "one error, then the run-failed line"
if have_python; then
    ! python3 "$REF" "$f" "$TMP/ref-bad" >/dev/null 2>&1 || fail "the reference accepts an empty lead"
fi
f=$(copy_facts unknown_lead)
echo '思想政治,四（六）3,团委,2017-07-31,2017-07-20' >>"$f/goals.csv"
expect_fail 2 "$f/goals.csv:13:3: error: expected one of $ROLES, found \"团委\"" \
    -- wenze run "$POLICY" --facts "$f" --out "$TMP/bad"
expect_run_failed "$TMP/bad"
pass

finish
