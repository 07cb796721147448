# lib.bash — helpers shared by the tests/e2e/*.sh scripts.
# Named *.bash so that CMake's tests/e2e/*.sh glob does not register it as a test.
#
# A script does:
#     NAME=bad_facts
#     source "$(dirname "$0")/lib.bash" "$@"      # sets WENZE, SRC, POLICY, EXAMPLE, TMP
#     facts=$(copy_facts leave_bad_date)          # a private copy of examples/dongliu
#     sed -i '3s/2019-11-08/2019\/11\/08/' "$facts/leave.csv"
#     expect_fail 2 "$facts/leave.csv:3:2: error: …" -- wenze run "$POLICY" --facts "$facts" --out "$TMP/out"
#     …
#     finish
#
# expect_fail [--first] [--prefix] CODE LINE -- wenze ARGS…
#   runs wenze (with a 20 s timeout) and asserts that
#   - it exits with CODE;
#   - stderr holds LINE as one whole line (--prefix: a line starting with LINE;
#     --first: the first stderr line other than "wenze: run failed …");
#   - stdout is empty and no sanitizer report is on stderr;
#   - the --out directory, if one is given, was not created (or, when it existed
#     before, is unchanged), and no .NAME.tmp-* / .NAME.old-* is left beside it.
#   The output of the last command is kept in $OUT_FILE and $ERR_FILE for extra checks.
# expect_ok wenze ARGS… — runs wenze, asserts exit 0 and no sanitizer report.
set -euo pipefail
# Messages in English whatever the caller's locale (wenze reads LC_ALL, LC_MESSAGES, LANG;
# see cli/lang.c), so that every expected message below is the English one; a test of the
# Chinese messages says --lang zh or sets the variables itself.
export LC_ALL=C.UTF-8
unset LANGUAGE LC_MESSAGES LANG

[ $# -ge 2 ] || { echo "usage: $0 WENZE_BINARY SOURCE_DIR" >&2; exit 2; }
WENZE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
POLICY=$SRC/policies/dongliu-2019.wz
EXAMPLE=$SRC/examples/dongliu
[ -x "$WENZE" ] || { echo "$NAME: $WENZE is not an executable" >&2; exit 2; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wz-e2e-$NAME.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
OUT_FILE=$TMP/.stdout
ERR_FILE=$TMP/.stderr
PASSED=0
CASE=""

fail() {
    echo "$NAME: FAIL${CASE:+ [$CASE]}: $*" >&2
    if [ -s "$ERR_FILE" ]; then
        echo "---- stderr of the last command ----" >&2
        head -n 40 "$ERR_FILE" >&2
    fi
    exit 1
}

# case_ NAME — names the case that the next assertions belong to (for failure messages).
case_() { CASE=$1; }
pass() { PASSED=$((PASSED + 1)); CASE=""; }
finish() {
    echo "$NAME: $PASSED passed, 0 failed"
}

# summary_stable FILE — FILE, but a summary.json without its "command" line: the command
# line as given names the --out directory, which differs from run to run; everything else
# in summary.json (every input's and output's SHA-256 among it) must be the same
summary_stable() {
    case $1 in */summary.json) grep -v '^"command": ' "$1" ;; *) cat "$1" ;; esac
}
# same_output A B — two output directories hold the same files, byte for byte but for
# summary.json's command line (summary_stable)
same_output() {
    diff -r -x summary.json "$1" "$2" && diff <(summary_stable "$1/summary.json") <(summary_stable "$2/summary.json")
}

# copy_facts NAME — a fresh copy of examples/dongliu at $TMP/NAME; prints its path.
copy_facts() {
    local d=$TMP/facts-$1
    rm -rf "$d"
    cp -r "$EXAMPLE" "$d"
    printf '%s\n' "$d"
}

# _run ARGS… — runs wenze ARGS with a timeout; sets RC.
_run() {
    RC=0
    timeout 20 "$WENZE" "$@" >"$OUT_FILE" 2>"$ERR_FILE" || RC=$?
    [ "$RC" -ne 124 ] || fail "timed out after 20 s: wenze $*"
    if grep -q -e 'AddressSanitizer' -e 'LeakSanitizer' -e 'runtime error:' "$ERR_FILE"; then
        fail "sanitizer report from: wenze $*"
    fi
}

# _tree DIR — a listing of DIR with the checksum of every file (to see that it is untouched).
_tree() {
    (cd "$1" && find . -print0 | LC_ALL=C sort -z | while IFS= read -r -d '' p; do
        if [ -f "$p" ]; then printf '%s %s\n' "$(sha256sum <"$p" | cut -d' ' -f1)" "$p"; else printf 'dir %s\n' "$p"; fi
    done)
}

expect_fail() {
    local first=0 prefix=0
    while :; do
        case $1 in
        --first) first=1; shift ;;
        --prefix) prefix=1; shift ;;
        *) break ;;
        esac
    done
    local code=$1 line=$2
    shift 2
    [ "$1" = -- ] || fail "expect_fail: expected -- before the command"
    shift
    [ "$1" = wenze ] || fail "expect_fail: the command must start with 'wenze'"
    shift
    # find --out (the last one given)
    local out="" i args=("$@")
    for ((i = 0; i < ${#args[@]} - 1; i++)); do
        [ "${args[i]}" != --out ] || out=${args[i + 1]}
    done
    local existed=0 before=""
    if [ -n "$out" ] && [ -e "$out" ]; then
        existed=1
        if [ -d "$out" ]; then before=$(_tree "$out"); else before=$(sha256sum <"$out"); fi
    fi

    _run "$@"
    [ "$RC" -eq "$code" ] || fail "exit code $RC, expected $code: wenze $*"
    local found
    if [ "$first" = 1 ]; then
        found=$(grep -v '^wenze: run failed' "$ERR_FILE" | head -n 1 || true)
        if [ "$prefix" = 1 ]; then
            [ "${found#"$line"}" != "$found" ] || fail "first stderr line is not '$line…': $found"
        else
            [ "$found" = "$line" ] || fail "first stderr line is
  '$found', expected
  '$line'"
        fi
    elif [ "$prefix" = 1 ]; then
        awk -v p="$line" 'index($0, p) == 1 { f = 1 } END { exit !f }' "$ERR_FILE" ||
            fail "no stderr line starts with: $line"
    else
        grep -q -F -x -e "$line" "$ERR_FILE" || fail "stderr lacks the line: $line"
    fi
    [ ! -s "$OUT_FILE" ] || fail "stdout is not empty: $(head -c 300 "$OUT_FILE")"

    if [ -n "$out" ]; then
        if [ "$existed" = 1 ]; then
            local after
            if [ -d "$out" ]; then after=$(_tree "$out"); else after=$(sha256sum <"$out"); fi
            [ "$before" = "$after" ] || fail "$out was changed by a failed run"
        else
            [ ! -e "$out" ] && [ ! -L "$out" ] || fail "$out was created by a failed run"
        fi
        local parent base stray
        parent=$(dirname "$out")
        base=$(basename "$out")
        if [ -d "$parent" ]; then
            stray=$(find "$parent" -maxdepth 1 \( -name ".$base.tmp-*" -o -name ".$base.old-*" \) -print)
            [ -z "$stray" ] || fail "left behind: $stray"
        fi
    fi
}

expect_ok() {
    [ "$1" = wenze ] || fail "expect_ok: the command must start with 'wenze'"
    shift
    _run "$@"
    [ "$RC" -eq 0 ] || fail "exit code $RC, expected 0: wenze $*"
}

# expect_run_failed OUT — the last stderr line is the run's summary "wenze: run failed with
# N error(s); no output was written to OUT", N counting the listed and the unlisted errors.
expect_run_failed() {
    local n dropped want
    n=$(error_lines)
    dropped=$(sed -n 's/^wenze: \([0-9]*\) more errors* not shown.*/\1/p' "$ERR_FILE")
    n=$((n + ${dropped:-0}))
    if [ "$n" = 1 ]; then want="wenze: run failed with 1 error; no output was written to $1"
    else want="wenze: run failed with $n errors; no output was written to $1"; fi
    [ "$(tail -n 1 "$ERR_FILE")" = "$want" ] || fail "the last stderr line is
  '$(tail -n 1 "$ERR_FILE")', expected
  '$want'"
}

# error_lines — how many "…error: …" diagnostics the last command printed.
error_lines() { grep -c -E '^([^ ]+: )?error: ' "$ERR_FILE" || true; }

# cents_sum FILE COLUMN — prints the sum of a money column of a CSV (header skipped) as
# integer cents; fails on a value with more than 2 decimals.  Integer arithmetic only.
cents_sum() {
    awk -F, -v col="$2" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; if (!c) { print "no column " col > "/dev/stderr"; exit 2 }; next }
        { v = $c; neg = 0
          if (substr(v, 1, 1) == "-") { neg = 1; v = substr(v, 2) }
          if (v !~ /^[0-9]+(\.[0-9][0-9]?)?$/) { print "not money: " $c > "/dev/stderr"; exit 2 }
          n = split(v, p, "."); f = (n > 1) ? p[2] : ""; f = substr(f "00", 1, 2)
          x = p[1] * 100 + f; s += neg ? -x : x }
        END { printf "%.0f\n", s }' "$1"
}

# to_cents MONEY — "356789.5" → 35678950 (integer arithmetic, at most 2 decimals)
to_cents() {
    local v=$1 neg="" int frac
    [ "${v#-}" = "$v" ] || { neg=-; v=${v#-}; }
    [[ $v =~ ^[0-9]+(\.[0-9]{1,2})?$ ]] || fail "not a money amount: $1"
    int=${v%%.*}
    frac=""
    [ "$int" = "$v" ] || frac=${v#*.}
    frac=${frac}00
    echo "$neg$((10#$int * 100 + 10#${frac:0:2}))"
}

# pay_value DIR KEY — the "KEY": "VALUE" string on the "pay" line of DIR/summary.json
pay_value() {
    sed -n "s/.*\"pay\":.*\"$2\": \"\\([^\"]*\\)\".*/\\1/p" "$1/summary.json"
}
