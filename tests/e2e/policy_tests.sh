#!/usr/bin/env bash
# wenze test: a policy's tests in the language (*.test.wz).
# Usage: policy_tests.sh WENZE SOURCE_DIR
#
# Checks: every shipped *.test.wz passes, each temporary facts directory is removed; a
# failing expectation is reported at its line with expected and actual, counted, exit 1;
# --coverage; a test that names what the policy lacks is an error at its line; usage.
set -euo pipefail
NAME=policy_tests
source "$(dirname "$0")/lib.bash" "$@"

export TMPDIR=$TMP/tmpdir   # where the tests' facts directories are made (and must be gone after)
mkdir -p "$TMPDIR"

case_ "the shipped tests pass"
shopt -s nullglob
files=("$SRC"/policies/*.test.wz)
[ "${#files[@]}" -ge 1 ] || fail "no policies/*.test.wz"
expect_ok wenze test "${files[@]}"
oks=$(grep -c '^ok - ' "$OUT_FILE")
[ "$(tail -n 1 "$OUT_FILE")" = "$oks passed, 0 failed" ] || fail "unexpected closing line: $(tail -n 1 "$OUT_FILE")"
[ -z "$(ls -A "$TMPDIR")" ] || fail "temporary facts directories left: $(ls "$TMPDIR")"
pass

case_ "the tests of tests/policies pass: what a person is paid by an award, a leader's own amount"
expect_ok wenze test "$SRC"/tests/policies/*.test.wz
grep -q -x 'ok - the principal answers with his own pay' "$OUT_FILE" || fail "$(cat "$OUT_FILE")"
[ "$(tail -n 1 "$OUT_FILE")" = "2 passed, 0 failed" ] || fail "unexpected closing line: $(tail -n 1 "$OUT_FILE")"
# docs/LANGUAGE.md's example of it is this file's first test, word for word
python3 - "$SRC/docs/LANGUAGE.md" "$SRC/tests/policies/leader_amount.test.wz" <<'PY' || fail "LANGUAGE.md's example differs from leader_amount.test.wz"
import sys
doc, test = (open(p, encoding="utf-8").read() for p in sys.argv[1:])
start = doc.index('test "the principal answers with his own pay" {')
block = doc[start:doc.index("\n}\n", start) + 3]
assert block in test, block
PY
pass

case_ "a person expected to be paid by a school's award that names no one who answers for it"
sed 's/^award accident_fine "安全事故罚款" = -500 when count(incident) > 0$/award school_fine "学校罚款" = -200 when count(incident) > 0;\n&/' \
    "$SRC/tests/policies/leader_amount.wz" >"$TMP/lead.wz"
cat >"$TMP/lead.test.wz" <<WZ
import "lead.wz";

test "misread" {
    from "$SRC/tests/fixtures/leader_amount";
    expect S1 school_fine == -200;
    expect P1 school_fine == 0;
    expect P1 accident_fine == -500;
}
WZ
_run test "$TMP/lead.test.wz"
[ "$RC" -eq 1 ] || fail "exit $RC, expecting 1"
diff -u - "$OUT_FILE" <<'OUT' || fail "unexpected report"
FAIL - misread
    lead.test.wz:6:5: expect P1 school_fine: 'school_fine' is paid to each school and names no person who answers for it (no 'responsible' or 'duty'), so it pays no person: expect it of a school, not of 'P1'
    lead.test.wz:7:5: expect P1 accident_fine == -500, got -6000
0 passed, 1 failed
OUT
pass

case_ "coverage: every rule of the 东流镇 policy fires in some test"
expect_ok wenze test --coverage "$SRC/policies/dongliu-2019.test.wz"
grep -q -x 'coverage: every rule fired in some test' "$OUT_FILE" || fail "coverage line missing: $(cat "$OUT_FILE")"
pass

case_ "README's test block is what the command prints"
awk '/^\$ build\/wenze test --coverage policies\/dongliu-2019.test.wz$/ {on=1; next} on && /^```$/ {exit} on {print}' \
    "$SRC/README.md" >"$TMP/readme-test.txt"
[ -s "$TMP/readme-test.txt" ] || fail "no test block in README.md"
(cd "$SRC" && expect_ok wenze test --coverage policies/dongliu-2019.test.wz)
diff -u "$TMP/readme-test.txt" "$OUT_FILE" || fail "README's test block is out of date"
pass

# a test file of our own beside a copy of the shipped policy (an import stays under the
# importing file's directory: issue 16)
cp "$SRC/policies/dongliu-2019.wz" "$TMP/"
mine() {
    cat >"$TMP/$1" <<WZ
import "dongliu-2019.wz";

test "sick leave" {
    from "$SRC/examples/dongliu";
    rows leave {
        T004, 2019-10-09, 病假, 3;
    }
$2
}
WZ
}

case_ "a failing expectation: its line, expected and actual, counted, exit 1"
mine fail.test.wz '    expect T004 attendance.sick == -0.2;
    expect T004 attendance == 9.9;
    expect T004 nosuch == 1;
    expect T999 total == 1;'
_run test "$TMP/fail.test.wz"
[ "$RC" -eq 1 ] || fail "exit $RC, expecting 1"
diff -u - "$OUT_FILE" <<'OUT' || fail "unexpected report"
FAIL - sick leave
    fail.test.wz:9:5: expect T004 attendance == 9.9, got 9.8
    fail.test.wz:10:5: expect T004 nosuch: the policy has no value 'nosuch'
    fail.test.wz:11:5: expect T999 total: no person or entity 'T999' in the test's facts
0 passed, 1 failed
OUT
pass

case_ "coverage names the rules no test fired"
mine cover.test.wz '    expect T004 attendance.sick == -0.2;'
_run test --coverage "$TMP/cover.test.wz"
[ "$RC" -eq 0 ] || fail "exit $RC"
grep -q -x '    dongliu-2019.wz:97 attendance.personal 事假' "$OUT_FILE" || fail "事假 not listed as never fired: $(cat "$OUT_FILE")"
grep -q 'attendance.sick' "$OUT_FILE" && fail "a rule that fired is listed"
pass

case_ "a test that names a fact the policy lacks, or a row of the wrong length"
mine nofact.test.wz '    rows leaves { T004, 1; }'
expect_fail 1 "$TMP/nofact.test.wz:8:5: error: the policy has no fact 'leaves'" -- wenze test "$TMP/nofact.test.wz"
mine cells.test.wz '    rows discipline { T004, 2019-10-01; }'
expect_fail 1 "$TMP/cells.test.wz:8:23: error: a row of 'discipline' has 2 cells, expecting 3: id, date, level" -- \
    wenze test "$TMP/cells.test.wz"
pass

case_ "usage"
expect_fail --first 3 "wenze: test needs a FILE (a *.test.wz)" -- wenze test
expect_fail --first 3 "wenze: unknown option '--cover'" -- wenze test --cover "$TMP/fail.test.wz"
pass

finish
