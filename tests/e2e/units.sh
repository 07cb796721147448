#!/usr/bin/env bash
# Issue 15, item 3 — responsibility as schools organise it (docs/LANGUAGE.md "Who answers for a
# finding"): units inside units (`entity group in school`: the 教研组长 at the group, the 校长 at
# the school), the leader's own measure (a person's own finding gives its tier to that person
# only; `responsible first 校长 tier T` gives the leader one of their own), and the persons one
# fact row names, with exact shares ("各承担50%", "全部责任").  Each expected line is worked out
# in the comment above it.
# Usage: units.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=units
source "$(dirname "$0")/lib.bash" "$@"

# A school S1 with two 教研组 (G1, G2) and a school S2 with its own principal.
mkdir "$TMP/f"
printf 'id,post,school,group\nP1,校长,S1,\nP2,教研组长,S1,G1\nP3,教研组长,S1,G2\nT1,教师,S1,G1\nQ1,校长,S2,\n' >"$TMP/f/staff.csv"
printf 'group,school\nG1,S1\nG2,S1\n' >"$TMP/f/groups.csv"
printf 'group,kind\nG1,听课\nG2,听课\nG2,集体备课\n' >"$TMP/f/lapse.csv"
printf 'id,n\nT1,2\n' >"$TMP/f/absent.csv"
cat >"$TMP/nest.wz" <<'WZ'
policy "nest";
role 校长 { duty 1 "全面负责"; }
role 教研组长 reports_to 校长 { duty 1 "组织教研活动"; }
role 教师 reports_to 教研组长 { duty 1 "按时上课"; }
entity school "学校";
entity group "教研组" in school;
fact staff persons key id { id: text; post: role; school: school; group: group optional; }
fact groups one per group { group: group; school: school; }
fact lapse for group { group: group; kind: text; }
fact absent for person { id: person; n: int; }
ladder 问责 { 责令整改; 通报批评; 诫勉谈话; }
sanction no_activity "教研活动未开展" ladder 问责 at count(lapse) duty 教研组长.1;
sanction late "上课迟到" ladder 问责 at sum(absent.n) duty 教师.1;
sanction late_group "上课迟到（教研组）" ladder 问责 at sum(absent.n) duty 教师.1 responsible first 教研组长 tier 责令整改;
WZ

case_ "nested units: the 教研组长 at the group, the 校长 at the enclosing school, never another school's"
expect_ok wenze check --werror "$TMP/nest.wz"
expect_ok wenze run "$TMP/nest.wz" --facts "$TMP/f" --out "$TMP/o1"
# G1 once: 责令整改 for its 教研组长 P2 (direct, the duty's role, held at G1) and for P1, the
# 校长 at S1 (first, the top of the chain: no 校长 at G1, so the school G1 is in); G2 twice:
# 通报批评 for P3 and P1.  Q1 is the 校长 of S2: never.  T1 late twice: 通报批评, his own.
# late: the first is the top of 教师's chain, 校长, found at S1 from T1's group G1; a person's
# own finding gives the leader no measure (empty).  late_group names 教研组长 first with its
# own tier 责令整改: P2, G1's, whatever T1's count.
[ "$(cat "$TMP/o1/sanctions.csv")" = "entity,sanction,rule,source,role,responsibility,unit
P1,,late,nest.wz:13,校长,第一责任人,T1
T1,通报批评,late,nest.wz:13,教师,直接责任人,T1
P2,责令整改,late_group,nest.wz:14,教研组长,第一责任人,T1
T1,通报批评,late_group,nest.wz:14,教师,直接责任人,T1
P1,责令整改,no_activity,nest.wz:12,校长,第一责任人,G1
P2,责令整改,no_activity,nest.wz:12,教研组长,直接责任人,G1
P1,通报批评,no_activity,nest.wz:12,校长,第一责任人,G2
P3,通报批评,no_activity,nest.wz:12,教研组长,直接责任人,G2" ] || fail "sanctions.csv: $(cat "$TMP/o1/sanctions.csv")"
# findings.jsonl says which measure each one gets when it is not the finding's
f=$(cat "$TMP/o1/findings.jsonl")
grep -q -F '"rule":"late","kind":"sanction","source":"nest.wz:13:1","sanction":"通报批评","responsible":[{"person":"P1","role":"校长","as":"first","sanction":null},{"person":"T1","role":"教师","as":"direct"}]' <<<"$f" ||
    fail "findings.jsonl, late: $(grep '"late"' <<<"$f")"
grep -q -F '"responsible":[{"person":"P2","role":"教研组长","as":"first","sanction":"责令整改"},{"person":"T1","role":"教师","as":"direct"}]' <<<"$f" ||
    fail "findings.jsonl, late_group: $(grep '"late_group"' <<<"$f")"
pass

case_ "explain: the principal answers for the group's findings, with the measure each gives her"
expect_ok wenze explain "$TMP/nest.wz" --facts "$TMP/f" --person P1
out=$(cat "$OUT_FILE")
grep -q -E '^  T1 late +校长, first' <<<"$out" || fail "explain P1: $out"
grep -q -E '^  G2 no_activity +通报批评 +校长, first' <<<"$out" || fail "explain P1: $out"
pass

case_ "a group whose school no row names: the 校长 is looked for at the group only"
cp -r "$TMP/f" "$TMP/f2"
printf 'group,school\nG1,S1\n' >"$TMP/f2/groups.csv"
expect_fail 2 "$TMP/f2/staff.csv: error: no one holds the role 校长 at G2, so the finding of rule 'no_activity' for G2 has no first responsible person" -- wenze run "$TMP/nest.wz" --facts "$TMP/f2" --out "$TMP/o2"
expect_run_failed "$TMP/o2"
pass

case_ "no 校长 at the group nor at its school: every unit looked in is named"
cp -r "$TMP/f" "$TMP/f3"
printf 'id,post,school,group\nP2,教研组长,S1,G1\nP3,教研组长,S1,G2\nT1,教师,S1,G1\nQ1,校长,S2,\n' >"$TMP/f3/staff.csv"
expect_fail --first 2 "$TMP/f3/staff.csv: error: no one holds the role 校长 at G1 or at S1, so the finding of rule 'late' for T1 has no first responsible person" -- wenze run "$TMP/nest.wz" --facts "$TMP/f3" --out "$TMP/o3"
pass

case_ "the persons one row names, each with an exact share; one person named twice answers once, with both shares"
mkdir "$TMP/g"
printf 'id\nA\nB\nC\n' >"$TMP/g/staff.csv"
printf 'accident,teacher,class_teacher,fine\nX1,A,B,300\nX2,C,C,100\n' >"$TMP/g/accident.csv"
cat >"$TMP/share.wz" <<'WZ'
policy "share";
entity accident;
fact staff persons key id { id: text; }
fact accident one per accident { accident: accident; teacher: person; class_teacher: person; fine: int; }
ladder 情节 { 一般; }
sanction half "各承担50%" ladder 情节 tier 一般 when exists(accident) and accident.fine > 0
    responsible direct accident.class_teacher 50%, direct accident.teacher 50%;
award fine "赔偿" = -accident.fine when exists(accident)
    responsible direct accident.class_teacher 60%, direct accident.teacher 40%;
WZ
expect_ok wenze run "$TMP/share.wz" --facts "$TMP/g" --out "$TMP/o4"
# X1: the class teacher B and the teacher A bear 50% each of the sanction; of the 300 fine,
# B 60% = −180, A 40% = −120 (exact, adding up to −300).  X2: C teaches her own class, so she
# is both: one line, 50% + 50% = 1 of the sanction, all −100 of the fine.
[ "$(cat "$TMP/o4/sanctions.csv")" = "entity,sanction,rule,source,role,responsibility,unit,share
B,一般,half,share.wz:6,class_teacher,直接责任人,X1,0.5
A,一般,half,share.wz:6,teacher,直接责任人,X1,0.5
C,一般,half,share.wz:6,class_teacher,直接责任人,X2,1" ] || fail "sanctions.csv: $(cat "$TMP/o4/sanctions.csv")"
[ "$(cat "$TMP/o4/awards.csv")" = "entity,rule,amount,source,role,responsibility,unit
B,fine,-180,share.wz:8,class_teacher,直接责任人,X1
A,fine,-120,share.wz:8,teacher,直接责任人,X1
C,fine,-100,share.wz:8,class_teacher,直接责任人,X2" ] || fail "awards.csv: $(cat "$TMP/o4/awards.csv")"
pass

case_ "a person's own fine is theirs: the leader who answers for it has no amount of their own"
mkdir "$TMP/h"
printf 'id,post\nP,校长\nT,教师\n' >"$TMP/h/staff.csv"
printf 'id,days\nT,2\n' >"$TMP/h/absence.csv"
cat >"$TMP/fine.wz" <<'WZ'
policy "fine";
role 校长 { duty 1 "全面负责"; }
role 教师 reports_to 校长 { duty 1 "按时上课"; }
fact staff persons key id { id: text; post: role; }
fact absence one per person optional { id: person; days: int; }
award absent "旷工罚款" = -50 * absence.days when exists(absence) duty 教师.1;
WZ
expect_ok wenze run "$TMP/fine.wz" --facts "$TMP/h" --out "$TMP/o5"
# T's −100 is T's; P answers as 第一责任人 with an empty amount (no measure of her own)
[ "$(cat "$TMP/o5/awards.csv")" = "entity,rule,amount,source,role,responsibility,unit
P,absent,,fine.wz:6,校长,第一责任人,T
T,absent,-100,fine.wz:6,教师,直接责任人,T" ] || fail "awards.csv: $(cat "$TMP/o5/awards.csv")"
grep -q -F '"responsible":[{"person":"P","role":"校长","as":"first","amount":null},{"person":"T","role":"教师","as":"direct","amount":"-100"}]' "$TMP/o5/findings.jsonl" ||
    fail "findings.jsonl: $(cat "$TMP/o5/findings.jsonl")"
pass

case_ "fmt prints the new syntax back as written"
for f in nest share fine; do
    expect_ok wenze fmt --check "$TMP/$f.wz"
done
pass
finish
