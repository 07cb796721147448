#!/usr/bin/env bash
# `wenze check` lints a policy that checked: warnings on stderr (file:line:col, the source
# line and a caret), exit 0; with --werror the same warnings and exit 1. `run` never prints
# them. Usage: lint.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=lint
source "$(dirname "$0")/lib.bash" "$@"

# a section of 10 points whose deductions have no limit and no floor
p=$TMP/nofloor.wz
sed 's/^section attendance "考勤" points 10 floor 0 {/section attendance "考勤" points 10 {/' "$POLICY" >"$p"
! cmp -s "$POLICY" "$p" || fail "the edit changed nothing"
WANT="$p:95:9: warning: section 'attendance' has no floor, and its deductions have no limit: it can fall below 0; add 'floor 0' to the section, or cap the rules"

case_ "check warns and exits 0"
expect_ok wenze check "$p"
[ ! -s "$OUT_FILE" ] || fail "check printed on stdout"
[ "$(head -n 1 "$ERR_FILE")" = "$WANT" ] || fail "first stderr line is '$(head -n 1 "$ERR_FILE")'"
[ "$(sed -n 2p "$ERR_FILE")" = '   95 | section attendance "考勤" points 10 {' ] || fail "no source line under the warning"
[ "$(sed -n 3p "$ERR_FILE")" = '      |         ^~~~~~~~~~' ] || fail "no caret under the section's name"
pass

case_ "check --werror exits 1 with the same warnings"
expect_fail 1 "$WANT" -- wenze check --werror "$p"
[ "$(tail -n 1 "$ERR_FILE")" = "wenze: 2 warnings treated as errors (--werror)" ] ||
    fail "last stderr line is '$(tail -n 1 "$ERR_FILE")'"
pass

case_ "--werror is an option of check only"
expect_fail --first 3 "wenze: --werror is an option of check only" -- wenze disasm --werror "$p"
pass

case_ "run does not print warnings"
expect_ok wenze run "$p" --facts "$EXAMPLE" --out "$TMP/out"
! grep -q 'warning:' "$ERR_FILE" || fail "run printed a lint warning"
pass

case_ "a policy without warnings passes --werror"
expect_ok wenze check --werror "$SRC/policies/songtao-grades.wz"
[ ! -s "$OUT_FILE" ] && [ ! -s "$ERR_FILE" ] || fail "check printed something on a clean policy"
pass

finish
