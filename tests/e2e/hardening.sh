#!/usr/bin/env bash
# Issue 16, hardening: each case pins one defect that fuzzing or review found (its number in
# the issue in brackets) — a crash, a hang, a lost file, a wrong figure on odd input.
# Usage: hardening.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=hardening
source "$(dirname "$0")/lib.bash" "$@"

# terms N OP — "1 OP 1 OP … 1", N terms
terms() { awk -v n="$1" -v op="$2" 'BEGIN { printf "1"; for (i = 1; i < n; i++) printf "%s1", op; print "" }'; }
# policy_with EXPR_LINE… — a minimal policy (one person fact) followed by the given lines
policy_with() {
    printf 'policy "x";\nfact staff persons key id { id: text; }\n'
    printf '%s\n' "$@"
}

case_ "[1] a 50 000-term sum is an error, not a stack overflow (was: SIGSEGV)"
policy_with "let x = $(terms 50000 +);" >"$TMP/deep.wz"
expect_fail --first 1 "$TMP/deep.wz:3:9: error: this expression nests more than 1000 levels deep (operators, brackets and calls inside one another); split it into named values with 'let'" \
    -- wenze check "$TMP/deep.wz"
pass

case_ "[1] 9000 signs and 20 000 brackets are errors too"
policy_with "let x = $(printf -- '-%.0s' $(seq 9000))1;" >"$TMP/neg.wz"
expect_fail --prefix 1 "$TMP/neg.wz:3:9: error: this expression nests more than 1000 levels deep" -- wenze check "$TMP/neg.wz"
policy_with "let x = $(printf '(%.0s' $(seq 20000))1$(printf ')%.0s' $(seq 20000));" >"$TMP/paren.wz"
expect_fail --prefix 1 "$TMP/paren.wz:3:10003: error: this expression nests too deeply (brackets, signs or calls inside one another)" \
    -- wenze check "$TMP/paren.wz"
pass

case_ "[1] a sum of 990 terms still checks, runs, disassembles, explains and diffs"
mkdir -p "$TMP/f990"
printf 'id\np1\n' >"$TMP/f990/staff.csv"
policy_with "section s \"s\" = $(terms 990 +);" >"$TMP/ok990.wz"
expect_ok wenze check "$TMP/ok990.wz"
expect_ok wenze run "$TMP/ok990.wz" --facts "$TMP/f990" --out "$TMP/o990"
grep -q -x 'p1,990,990,' "$TMP/o990/scores.csv" || fail "the sum is not 990"
expect_ok wenze disasm "$TMP/ok990.wz"
expect_ok wenze explain "$TMP/ok990.wz" --facts "$TMP/f990" --person p1
expect_ok wenze diff "$TMP/ok990.wz" "$TMP/ok990.wz"
expect_ok wenze ast "$TMP/ok990.wz"
pass

case_ "[16] ast on a 100 000-deep expression answers at once (was: quadratic printing, > 10 s)"
policy_with "let x = $(terms 100000 +);" >"$TMP/deep100k.wz"
start=$SECONDS
expect_fail --prefix 1 "$TMP/deep100k.wz:3:9: error: this expression nests more than 1000 levels deep" -- wenze ast "$TMP/deep100k.wz"
[ $((SECONDS - start)) -le 5 ] || fail "took $((SECONDS - start)) s"
pass

case_ "[2] count(1 sharing f) and sum(x + 1 sharing f) are errors (was: SIGSEGV hashing a NULL name)"
policy_with 'fact f { id: person; g: text; }' 'let a = count(1 sharing g);' >"$TMP/share1.wz"
expect_fail --first 1 "$TMP/share1.wz:4:15: error: expecting count(FACT sharing FIELD)" -- wenze check "$TMP/share1.wz"
policy_with 'fact f { id: person; g: text; }' 'let a = sum(x + 1 sharing g);' >"$TMP/share2.wz"
expect_fail --first 1 "$TMP/share2.wz:4:13: error: expecting sum(FACT.FIELD sharing FIELD)" -- wenze check "$TMP/share2.wz"
pass

case_ "[17] a fact whose entity kind is unknown, named by a 'responsible', is one error (was: heap read at kinds[-1], SIGSEGV)"
cat >"$TMP/kind.wz" <<'WZ'
policy "x";
role 校长 "校长" { duty 1 "x"; }
fact staff persons key id { id: text; post: role; }
fact goals one per F { lead: role; }
award a "a" = 1 when true responsible direct goals.lead;
WZ
expect_fail --first 1 "$TMP/kind.wz:4:1: error: unknown entity kind 'F', expecting one declared with 'entity F;'" -- wenze check "$TMP/kind.wz"
[ "$(error_lines)" = 1 ] || fail "expected exactly one error line, found $(error_lines)"
pass

case_ "[11] a filter on member 35 of a 36-member enum does not count member 3 (was: 32-bit shift by 35)"
mkdir -p "$TMP/enum"
members=$(seq -s, -f 'a%g' 0 35)
policy_with "fact f { id: person; k: enum($members); v: decimal; }" \
    'section s "s" points 0 { deduct d3 "d3" 1 per sum(f.v where k == a3); }' >"$TMP/enum.wz"
printf 'id\np1\n' >"$TMP/enum/staff.csv"
printf 'id,k,v\np1,a35,7\np1,a3,1\n' >"$TMP/enum/f.csv"
expect_ok wenze run "$TMP/enum.wz" --facts "$TMP/enum" --out "$TMP/enum-out"
grep -q -x 'p1,-1,-1,' "$TMP/enum-out/scores.csv" || fail "a3 alone should deduct 1: $(cat "$TMP/enum-out/scores.csv")"
grep -q '"rows":\[{"file":"f.csv","row":3}\]' "$TMP/enum-out/findings.jsonl" || fail "the finding should cite row 3 only"
pass

case_ "[12] an empty cell of an optional enum field is no tier of a sanction (was: the first tier)"
mkdir -p "$TMP/tier"
policy_with 'fact discipline { id: person; level: enum(警告, 记过) optional; }' \
    'section s "s" points 10 { deduct d "d" 1 per count(discipline); }' \
    'ladder 处分 { 警告: cut 30%; 记过: cut 80%; }' \
    'sanction disc "处分" ladder 处分 from discipline.level;' \
    'total = s * (1 - cut(处分));' >"$TMP/tier.wz"
printf 'id\np1\np2\n' >"$TMP/tier/staff.csv"
printf 'id,level\np1,\np2,记过\n' >"$TMP/tier/discipline.csv"
expect_ok wenze run "$TMP/tier.wz" --facts "$TMP/tier" --out "$TMP/tier-out"
[ "$(cat "$TMP/tier-out/sanctions.csv")" = "$(printf 'person,sanction,rule,source\np2,记过,disc,tier.wz:6')" ] ||
    fail "only p2 is sanctioned: $(cat "$TMP/tier-out/sanctions.csv")"
grep -q -x 'p1,9,9,' "$TMP/tier-out/scores.csv" || fail "p1's total is not cut"
pass

case_ "[13] avg(all: …) whose division overflows is an error (was: the sum returned as the average)"
policy_with 'let tiny = if staff.id == "p1" then 1 / (10000000000000000000 * 10000000000000000000) else 0;' \
    'notice n "n" when (avg(all: tiny) ?? 0) > 0;' >"$TMP/avg.wz"
mkdir -p "$TMP/avg"
printf 'id\np1\np2\np3\n' >"$TMP/avg/staff.csv"
expect_fail --first 1 "$TMP/avg.wz:4:20: error: while computing 'avg(all)@4': number too large for exact arithmetic" \
    -- wenze run "$TMP/avg.wz" --facts "$TMP/avg" --out "$TMP/avg-out"
pass

case_ "[3] a directory of the user's own pay.csv and scores.csv (no summary.json) is not replaced (was: deleted)"
mkdir -p "$TMP/results"
echo 'my own pay' >"$TMP/results/pay.csv"
echo 'my own scores' >"$TMP/results/scores.csv"
expect_fail 4 "$TMP/results: error: the output directory exists and is not a wenze output; refusing to replace it" \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/results"
[ "$(cat "$TMP/results/pay.csv")" = 'my own pay' ] || fail "pay.csv was touched"
pass

case_ "[4] --out naming a symbolic link to an output is refused; the link's target is kept whole (was: emptied)"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/run1"
ln -s run1 "$TMP/current"
expect_fail 4 "$TMP/current: error: the output path is a symbolic link; give the directory it points to, or another path" \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/current"
expect_ok wenze verify "$TMP/run1"
[ -L "$TMP/current" ] || fail "the link is gone"
pass

case_ "[5] a replaced output is swapped in one step; leftovers of killed runs are swept"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/swap"
mkdir "$TMP/.swap.tmp-AbC123" "$TMP/.swap.old-XyZ789"
echo half >"$TMP/.swap.tmp-AbC123/scores.csv"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/swap" --param pool=400000
grep -q -F '"pool": {"value": "400000"' "$TMP/swap/summary.json" || fail "the new output is not in place"
[ -z "$(find "$TMP" -maxdepth 1 -name '.swap.*')" ] || fail "leftovers not swept: $(find "$TMP" -maxdepth 1 -name '.swap.*')"
pass

case_ "[5] four runs at once on one --out: each wins whole or fails clearly, nothing is left behind"
pids=()
for i in 1 2 3 4; do
    "$WENZE" run "$POLICY" --facts "$EXAMPLE" --out "$TMP/race" --threads 1 --param "pool=40000$i" \
        >"$TMP/race$i.out" 2>"$TMP/race$i.err" &
    pids+=($!)
done
wins=0
for i in 1 2 3 4; do
    rc=0
    wait "${pids[i - 1]}" || rc=$?
    if [ "$rc" = 0 ]; then
        wins=$((wins + 1))
    else
        [ "$rc" = 4 ] || fail "run $i exited $rc: $(cat "$TMP/race$i.err")"
        grep -q -x "$TMP/race: error: another run wrote this output directory meanwhile; it is left as that run wrote it" \
            "$TMP/race$i.err" || fail "run $i failed unclearly: $(cat "$TMP/race$i.err")"
    fi
done
[ "$wins" -ge 1 ] || fail "no run won"
expect_ok wenze verify "$TMP/race"
[ -z "$(find "$TMP" -maxdepth 1 -name '.race.*')" ] || fail "left behind: $(find "$TMP" -maxdepth 1 -name '.race.*')"
pass

case_ "[14] the output follows the umask (was: 0700 from mkdtemp)"
(umask 022 && "$WENZE" run "$POLICY" --facts "$EXAMPLE" --out "$TMP/perm" >/dev/null) || fail "run failed"
[ "$(stat -c %a "$TMP/perm")" = 755 ] || fail "directory mode $(stat -c %a "$TMP/perm"), expected 755"
[ "$(stat -c %a "$TMP/perm/scores.csv")" = 644 ] || fail "file mode $(stat -c %a "$TMP/perm/scores.csv"), expected 644"
(umask 027 && "$WENZE" run "$POLICY" --facts "$EXAMPLE" --out "$TMP/perm" >/dev/null) || fail "run failed"
[ "$(stat -c %a "$TMP/perm")" = 750 ] || fail "directory mode $(stat -c %a "$TMP/perm"), expected 750"
pass

case_ "[6] a FIFO, a directory or /dev/zero as a fact file is refused at once (was: a hang; GLib's mmap message)"
facts=$(copy_facts irregular)
rm "$facts/leave.csv" && mkfifo "$facts/leave.csv"
expect_fail 4 "$facts/leave.csv: error: cannot read the file: is not a regular file (a FIFO)" \
    -- wenze run "$POLICY" --facts "$facts" --out "$TMP/out"
rm "$facts/leave.csv" && mkdir "$facts/leave.csv"
expect_fail 4 "$facts/leave.csv: error: cannot read the file: is not a regular file (a directory)" \
    -- wenze run "$POLICY" --facts "$facts" --out "$TMP/out"
rmdir "$facts/leave.csv" && ln -s /dev/zero "$facts/leave.csv"
expect_fail 4 "$facts/leave.csv: error: cannot read the file: is not a regular file (a device)" \
    -- wenze run "$POLICY" --facts "$facts" --out "$TMP/out"
rm "$facts/leave.csv" && cp "$EXAMPLE/leave.csv" "$facts/" && rm "$facts/params.csv" && mkfifo "$facts/params.csv"
expect_fail 4 "$facts/params.csv: error: cannot read the file: is not a regular file (a FIFO)" \
    -- wenze run "$POLICY" --facts "$facts" --out "$TMP/out"
mkfifo "$TMP/fifo.wz"
expect_fail 4 "$TMP/fifo.wz: error: cannot read the policy: is not a regular file (a FIFO)" -- wenze check "$TMP/fifo.wz"
pass

case_ "[15] an import outside the policy's directory is refused, and nothing of the file is echoed (was: /etc/passwd's first line)"
mkdir -p "$TMP/imp/a/b"
printf 'policy "t";\nimport "../../../../../../../../../../etc/passwd";\nfact staff persons key id { id: text; }\n' >"$TMP/imp/a/b/p.wz"
expect_fail --first 1 "$TMP/imp/a/b/p.wz:2:1: error: cannot import \"../../../../../../../../../../etc/passwd\": an import names a .wz file under the policy's own directory ($(cd "$TMP/imp/a/b" && pwd -P)) or a standard module (they are: duties, ladders)" \
    -- wenze check "$TMP/imp/a/b/p.wz"
! grep -q 'root:' "$ERR_FILE" || fail "the file's content was echoed"
printf 'let y = 1;\n' >"$TMP/imp/lib.wz"
printf 'policy "t";\nimport "../lib.wz";\nfact staff persons key id { id: text; }\n' >"$TMP/imp/a/q.wz"
expect_fail --prefix 1 "$TMP/imp/a/q.wz:2:1: error: cannot import \"../lib.wz\": an import names a .wz file under the policy's own directory" \
    -- wenze check "$TMP/imp/a/q.wz"
ln -s ../lib.wz "$TMP/imp/a/link.wz"
printf 'policy "t";\nimport "link.wz";\nfact staff persons key id { id: text; }\n' >"$TMP/imp/a/r.wz"
expect_fail --prefix 1 "$TMP/imp/a/r.wz:2:1: error: cannot import \"link.wz\": an import names a .wz file under the policy's own directory" \
    -- wenze check "$TMP/imp/a/r.wz"
printf 'policy "t";\nimport "a/b/../../lib.wz";\nfact staff persons key id { id: text; }\n' >"$TMP/imp/s.wz"
expect_ok wenze check "$TMP/imp/s.wz"
pass

case_ "[7] a policy saved as UTF-8 with a BOM (Notepad) checks, runs and stays formatted (was: a syntax error)"
{ printf '\xef\xbb\xbf'; cat "$POLICY"; } >"$TMP/bom.wz"
expect_ok wenze check "$TMP/bom.wz"
expect_ok wenze run "$TMP/bom.wz" --facts "$EXAMPLE" --out "$TMP/bom-out"
expect_ok wenze fmt --check "$TMP/bom.wz"
printf '\xef\xbb\xbfpolicy "x";\nfact staff persons key id { id: text; }\n' >"$TMP/bom2.wz"
expect_ok wenze check "$TMP/bom2.wz"
printf 'policy "x";\n\xef\xbb\xbflet a = 1;\n' >"$TMP/bom3.wz"
expect_fail --first 1 "$TMP/bom3.wz:2:1: error: a byte-order mark (U+FEFF) inside the text; delete it" -- wenze check "$TMP/bom3.wz"
pass

case_ "[8] a cell, a params.csv value or a --param with 37 decimal places is refused where it is read, as precision (was: 'number too large' at the policy line)"
tiny=0.0000000000000000000000000000000000001
facts=$(copy_facts precision)
sed -i "3s/,0.5\$/,$tiny/" "$facts/leave.csv"
expect_fail 2 "$facts/leave.csv:3:4: error: expected at most 18 decimal places (more precision than exact arithmetic can carry), found \"$tiny\"" \
    -- wenze run "$POLICY" --facts "$facts" --out "$TMP/out"
facts=$(copy_facts precision_param)
sed -i 's/^pool,.*/pool,1.0000000000000000001/' "$facts/params.csv"
expect_fail 2 "$facts/params.csv:2:2: error: param pool expects at most 18 decimal places (more precision than exact arithmetic can carry), found \"1.0000000000000000001\"" \
    -- wenze run "$POLICY" --facts "$facts" --out "$TMP/out"
expect_fail --first 3 "error: --param pool=$tiny: pool expects at most 18 decimal places (more precision than exact arithmetic can carry), found \"$tiny\"" \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out" --param "pool=$tiny"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out18" --param pool=356789.500000000000000001
pass

case_ "[9] an error on a 10 MB line shows a window of it (was: the whole line and a 10 MB caret line)"
{ printf 'policy "x";\nfact staff persons key id { id: text; }\nlet x = 1 + y; # '; head -c 10000000 /dev/zero | tr '\0' 'a'; printf '\n'; } >"$TMP/long.wz"
expect_fail --first 1 "$TMP/long.wz:3:13: error: unknown name 'y'" -- wenze check "$TMP/long.wz"
[ "$(wc -c <"$ERR_FILE")" -lt 1000 ] || fail "stderr is $(wc -c <"$ERR_FILE") bytes"
[ "$(sed -n 3p "$ERR_FILE")" = "      |             ^" ] || fail "the caret is not under y: $(sed -n 3p "$ERR_FILE")"
{ printf 'policy "x";\nfact staff persons key id { id: text; }\nlet x = '; printf '1 + %.0s' $(seq 300); printf 'y + 1;\n'; } >"$TMP/mid.wz"
expect_fail --first 1 "$TMP/mid.wz:3:1209: error: unknown name 'y'" -- wenze check "$TMP/mid.wz"
excerpt=$(sed -n 2p "$ERR_FILE")
caret=$(sed -n 3p "$ERR_FILE")
[ "${excerpt:0:9}" = "    3 | …" ] || fail "no … where the line is cut: $excerpt"
# the caret sits under the y of the window (both lines counted in characters)
line=${excerpt%%y +*}
[ "${#line}" = "$((${#caret} - 1))" ] || fail "the caret is not under y"
pass

case_ "[fuzz] fmt on a comment with invalid UTF-8 names the byte (was: 'internal error … please report it')"
printf '# \xe4\xb8\x9c\xff comment\npolicy "x";\nfact staff persons key id { id: text; }\n' >"$TMP/badutf8.wz"
expect_fail 1 "$TMP/badutf8.wz:1:4: error: the policy is not valid UTF-8 here; save it as UTF-8" -- wenze fmt --check "$TMP/badutf8.wz"
pass

finish
