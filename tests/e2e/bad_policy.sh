#!/usr/bin/env bash
# Broken policies: each case edits one line of the shipped policy the way an author
# slips, and checks that `wenze check` exits 1 with the exact first error line (and the
# source excerpt under it); `run` with a broken policy exits 1 and writes nothing.
# Usage: bad_policy.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=bad_policy
source "$(dirname "$0")/lib.bash" "$@"

# broken NAME SED_SCRIPT — a copy of the shipped policy edited by SED_SCRIPT; prints its path
broken() {
    local p=$TMP/$1.wz
    sed "$2" "$POLICY" >"$p"
    ! cmp -s "$POLICY" "$p" || fail "the edit '$2' changed nothing"
    printf '%s\n' "$p"
}

# excerpt_follows LINE_NO — the line after the first error shows the source line LINE_NO
excerpt_follows() {
    local want
    want=$(printf '%5d | ' "$1")
    [ "$(sed -n 2p "$ERR_FILE" | cut -c1-8)" = "$want" ] || fail "no source excerpt of line $1 under the error"
}

case_ "check on the shipped policy"
# no error; one lint warning, a real point of the policy left as it is (its outputs are
# golden): a person whose total is 0 (a 100% cut) still takes a unit of the `score` group
expect_ok wenze check "$POLICY"
[ ! -s "$OUT_FILE" ] || fail "check printed on stdout"
[ "$(grep -c ': error: ' "$ERR_FILE" || true)" = 0 ] || fail "check reported an error on a fine policy"
[ "$(grep -c ': warning: ' "$ERR_FILE")" = 1 ] && grep -q "^$POLICY:157:17: warning: 'total' can be 0 " "$ERR_FILE" ||
    fail "expected only the warning about 'score: 1 by total'"
pass

case_ "syntax error"
p=$(broken syntax 's/^total = round(/total = round((/')
expect_fail --first 1 "$p:125:90: error: syntax error: unexpected ',', expecting ')' (or an operator to continue the expression)" -- \
    wenze check "$p"
excerpt_follows 125
pass

case_ "unknown name"
p=$(broken unknown_name 's/^let age = full_years(staff.birth_date, year_start);/let age = full_years(staff.birth_date, year_begin);/')
expect_fail --first 1 "$p:78:40: error: unknown name 'year_begin'" -- wenze check "$p"
excerpt_follows 78
[ "$(error_lines)" = 1 ] || fail "expected exactly one error line"
pass

case_ "type mismatch: date + number"
p=$(broken date_plus_number 's/full_years(staff.birth_date, year_start)/full_years(staff.birth_date + 1, year_start)/')
expect_fail --first 1 "$p:78:22: error: cannot add a date and a number; arithmetic needs numbers" -- wenze check "$p"
excerpt_follows 78
pass

case_ "wrong fact field"
p=$(broken wrong_field 's/full_years(staff.birth_date, year_start)/full_years(staff.birthday, year_start)/')
expect_fail --first 1 "$p:78:22: error: fact 'staff' has no field 'birthday' (its fields: id, name, gender, birth_date, post, status); did you mean 'birth_date'?" -- \
    wenze check "$p"
excerpt_follows 78
[ "$(error_lines)" = 1 ] || fail "expected exactly one error line"
pass

case_ "cycle"
# the 80% rule made to depend on the basis that it decides
p=$(broken cycle 's/^let rest_at_80 = (staff.gender == 男 and age >= 58)/let rest_at_80 = basis == average or (staff.gender == 男 and age >= 58)/')
expect_fail --first 1 "$p:129:1: error: 'rest_at_80' depends on itself; a policy's values must not go round in a circle" -- \
    wenze check "$p"
excerpt_follows 129
pass

case_ "run with a broken policy writes nothing"
expect_fail --first 1 "$TMP/unknown_name.wz:78:40: error: unknown name 'year_begin'" -- \
    wenze run "$TMP/unknown_name.wz" --facts "$EXAMPLE" --out "$TMP/out"
pass

case_ "run with a broken policy leaves a previous output alone"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/prev"
expect_fail --first 1 "$TMP/cycle.wz:129:1: error: 'rest_at_80' depends on itself; a policy's values must not go round in a circle" -- \
    wenze run "$TMP/cycle.wz" --facts "$EXAMPLE" --out "$TMP/prev"
[ -s "$TMP/prev/summary.json" ] || fail "the previous output is gone"
pass

case_ "disasm and ast of a broken policy"
expect_fail --first 1 "$TMP/unknown_name.wz:78:40: error: unknown name 'year_begin'" -- wenze disasm "$TMP/unknown_name.wz"
expect_fail --first 1 "$TMP/syntax.wz:125:90: error: syntax error: unexpected ',', expecting ')' (or an operator to continue the expression)" -- \
    wenze ast "$TMP/syntax.wz"
pass

finish
