#!/usr/bin/env bash
# Regression cases for bugs found while writing the e2e suite (each names the
# bug it pins).  Usage: regressions.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=regressions
source "$(dirname "$0")/lib.bash" "$@"

case_ "pool below the stipends is a facts error naming where the pool came from (was: policy error)"
expect_fail 2 "--param: error: the stipends paid first (5711.94) exceed the pool (1000.00); nothing is left to distribute" \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out" --param pool=1000
pass

case_ "a negative pool is rejected (was: accepted, then a misleading stipend message)"
facts=$(copy_facts negative_pool)
sed -i 's/^pool,.*/pool,-5/' "$facts/params.csv"
expect_fail 2 "params.csv:2: error: the pool must not be negative, found -5" \
    -- wenze run "$POLICY" --facts "$facts" --out "$TMP/out"
pass

case_ "a pool with fractions of a fen is shown exactly, stdout and summary.json agree (was: rounded in summary.json only)"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/frac" --param pool=100000.005
grep -q -F '"pool": "100000.005"' "$TMP/frac/summary.json" || fail "summary.json pool is not exact"
res=$(sed -n 's/.*"residue": "\([^"]*\)".*/\1/p' "$TMP/frac/summary.json")
grep -q -F "rounding residue of $res" "$OUT_FILE" || fail "stdout residue differs from summary.json ($res)"
pass

case_ "a directory with a summary.json and other files is not replaced (was: data loss)"
mkdir -p "$TMP/mine"
echo '{}' > "$TMP/mine/summary.json"
echo precious > "$TMP/mine/thesis.docx"
expect_fail 4 "$TMP/mine: error: the output directory exists and is not a wenze output; refusing to replace it" \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/mine"
[ "$(cat "$TMP/mine/thesis.docx")" = precious ] || fail "thesis.docx was touched"
pass

case_ "a summary.json that wenze did not write is not enough to replace a directory"
mkdir -p "$TMP/fake"
echo '{"engine": "other"}' > "$TMP/fake/summary.json"
expect_fail 4 "$TMP/fake: error: the output directory exists and is not a wenze output; refusing to replace it" \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/fake"
pass

case_ "--out '' is a usage error (was: an unclear I/O error)"
expect_fail --first 3 "wenze: --out needs a non-empty value" -- wenze run "$POLICY" --facts "$EXAMPLE" --out ""
pass

case_ "--facts naming a regular file says it is not a directory (was: 'does not exist')"
expect_fail 4 "$POLICY: error: the facts path is not a directory" -- wenze run "$POLICY" --facts "$POLICY" --out "$TMP/out"
pass

case_ "--out naming a regular file says it is not a directory"
touch "$TMP/plain"
expect_fail 4 "$TMP/plain: error: the output path exists and is not a directory" \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/plain"
pass

case_ "invalid UTF-8 in an every-person fact gives one error, not a false 'no row for person' too"
facts=$(copy_facts bad_utf8_workload)
sed -i '3s/^T002,/T002\xff,/' "$facts/workload.csv"
expect_fail --prefix 2 "$facts/workload.csv:3:1: error: " -- wenze run "$POLICY" --facts "$facts" --out "$TMP/out"
[ "$(error_lines)" = 1 ] || fail "expected exactly one error line, found $(error_lines)"
pass

case_ "a type error does not cascade into a second message"
sed 's/^let age = full_years(staff.birth_date, year_start);/let age = full_years(staff.birth_date + 1, year_start);/' \
    "$POLICY" > "$TMP/cascade.wz"
expect_fail --first 1 "$TMP/cascade.wz:78:22: error: cannot add a date and a number; arithmetic needs numbers" \
    -- wenze check "$TMP/cascade.wz"
[ "$(error_lines)" = 1 ] || fail "expected exactly one error line, found $(error_lines)"
pass

case_ "an unknown param in params.csv lists the params the policy declares"
facts=$(copy_facts unknown_param)
echo "bonus,5" >> "$facts/params.csv"
expect_fail 2 "$facts/params.csv:6:1: error: unknown param \"bonus\", expecting one of pool, year_start, semester2_start, year_end" \
    -- wenze run "$POLICY" --facts "$facts" --out "$TMP/out"
pass

case_ "one error past --max-errors is counted in the singular"
facts=$(copy_facts two_errors)
sed -i -e '3s/2019-11-08/2019\/11\/31/' -e '4s/2020-04-22/2020\/04\/31/' "$facts/leave.csv"   # days that do not exist
expect_fail --prefix 2 "$facts/leave.csv:3:2: error: " -- wenze run "$POLICY" --facts "$facts" --out "$TMP/out" --max-errors 1
grep -q -F -x "wenze: 1 more error not shown (raise --max-errors to see them)" "$ERR_FILE" || fail "singular message missing"
pass

case_ "extra arguments after version and --help are usage errors (was: ignored)"
expect_fail --first 3 "wenze: unexpected argument 'extra'" -- wenze version extra
# --help (help) takes one COMMAND now: an unknown one, or a second word, is still a usage error
expect_fail --first 3 "wenze: unknown command 'extra'" -- wenze --help extra
expect_fail --first 3 "wenze: unexpected argument 'extra'" -- wenze --help check extra
pass

case_ "ast on a missing file says why"
expect_fail --prefix 4 "$TMP/nope.wz: error: cannot read the policy: " -- wenze ast "$TMP/nope.wz"
pass

case_ "a run on a broken policy ends with the run-failed line"
printf 'policy "x";\nlet a = b;\nfact staff persons key id { id: text; }\n' > "$TMP/broken.wz"
expect_fail 1 "$TMP/broken.wz:2:9: error: unknown name 'b'" -- wenze run "$TMP/broken.wz" --facts "$EXAMPLE" --out "$TMP/out"
grep -q -F -x "wenze: run failed with 1 error; no output was written to $TMP/out" "$ERR_FILE" || fail "no run-failed line"
pass

case_ "a finding over a long chain of values cites its rows quickly (was: exponential re-runs)"
mkdir -p "$TMP/chain"
{
    echo 'policy "chain";'
    echo 'fact staff persons key id { id: text; }'
    echo 'fact leave { id: person; days: decimal; }'
    echo 'let l0 = count(leave);'
    echo 'let l1 = l0 + 1;'
    for i in $(seq 2 60); do echo "let l$i = l$((i - 1)) + l$((i - 2));"; done
    echo 'notice big "big" when l60 > 0;'
} >"$TMP/chain/p.wz"
printf 'id\np1\np2\n' >"$TMP/chain/staff.csv"
printf 'id,days\np1,1\np2,2\n' >"$TMP/chain/leave.csv"
expect_ok wenze run "$TMP/chain/p.wz" --facts "$TMP/chain" --out "$TMP/chain-out"
grep -q '"person":"p1","rule":"big".*"rows":\[{"file":"leave.csv","row":2}\]' "$TMP/chain-out/findings.jsonl" || fail "the notice cites p1's row"
pass

case_ "the residue's sign in words: overspent by rounding is said so (was: only a bare -0.01)"
mkdir -p "$TMP/resid"
printf 'policy "r" version "1";\nparam pool: decimal = 2;\nfact staff persons key id { id: text; }\nsection s = 1;\nlet basis = classify { score otherwise; };\ndistribute pool by basis round 2 { score: 1; }\n' >"$TMP/resid/p.wz"
printf 'id\nA\nB\nC\n' >"$TMP/resid/staff.csv"
expect_ok wenze run "$TMP/resid/p.wz" --facts "$TMP/resid" --out "$TMP/resid-out"
# 2 / 3 = 0.666… → 0.67 each: 2.01 paid, 0.01 beyond the pool
grep -q -x 'wenze: pool distributed with a rounding residue of -0.01 (0.01 paid out beyond the pool)' "$OUT_FILE" || fail "$(cat "$OUT_FILE")"
expect_ok wenze run "$TMP/resid/p.wz" --facts "$TMP/resid" --out "$TMP/resid-out" --param pool=1
grep -q -x 'wenze: pool distributed with a rounding residue of 0.01 (0.01 left undistributed)' "$OUT_FILE" || fail "$(cat "$OUT_FILE")"
pass

finish
