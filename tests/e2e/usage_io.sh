#!/usr/bin/env bash
# Command-line usage errors (exit 3, a message and the usage text on stderr), I/O errors
# (exit 4, nothing written), and the informational commands (version, --help, disasm, ast).
# Usage: usage_io.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=usage_io
source "$(dirname "$0")/lib.bash" "$@"

# usage_fail MESSAGE -- wenze ARGS… — exit 3, MESSAGE first on stderr, then the usage text
usage_fail() {
    local msg=$1
    shift
    expect_fail --first 3 "wenze: $msg" "$@"
    grep -q -F -x 'usage: wenze <command> [options]' "$ERR_FILE" || fail "no usage text on stderr"
    grep -q -F -x 'exit codes: 0 ok, 1 policy error, 2 facts error, 3 usage error, 4 I/O error' "$ERR_FILE" ||
        fail "the usage text lacks the exit codes"
    [ "$(sed -n 2p "$ERR_FILE")" = 'usage: wenze <command> [options]' ] || fail "the usage text does not follow the message"
}

# ---- usage errors: exit 3 ----
case_ "no command"
usage_fail "missing command" -- wenze
pass

case_ "unknown command"
usage_fail "unknown command 'evaluate'" -- wenze evaluate "$POLICY"
pass

case_ "unknown option"
usage_fail "unknown option '--output'" -- wenze run "$POLICY" --facts "$EXAMPLE" --output "$TMP/out"
pass

case_ "run without --facts and --out"
usage_fail "run needs --facts DIR and --out DIR" -- wenze run "$POLICY"
pass

case_ "run without --out"
usage_fail "run needs --facts DIR and --out DIR" -- wenze run "$POLICY" --facts "$EXAMPLE"
pass

case_ "run without --facts"
usage_fail "run needs --facts DIR and --out DIR" -- wenze run "$POLICY" --out "$TMP/out"
pass

case_ "run without a policy"
usage_fail "run needs a POLICY file" -- wenze run --facts "$EXAMPLE" --out "$TMP/out"
pass

case_ "check with --facts"
usage_fail "check takes only a POLICY file" -- wenze check "$POLICY" --facts "$EXAMPLE"
pass

case_ "check with a second file"
usage_fail "unexpected argument '$POLICY'" -- wenze check "$POLICY" "$POLICY"
pass

case_ "help on an unknown command"
usage_fail "unknown command 'nosuch'" -- wenze help nosuch
pass

case_ "help on two commands"
usage_fail "unexpected argument 'run'" -- wenze help check run
pass

case_ "--max-errors 0"
usage_fail "--max-errors needs a number from 1 to 100000, found '0'" -- \
    wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out" --max-errors 0
pass

case_ "--max-errors not a number"
usage_fail "--max-errors needs a number from 1 to 100000, found 'all'" -- wenze check "$POLICY" --max-errors all
pass

case_ "--facts without a value"
usage_fail "--facts needs a value" -- wenze run "$POLICY" --out "$TMP/out" --facts
pass

# ---- I/O errors: exit 4 ----
# the reason after "cannot read the policy:" is GLib's message (with its “ ” quotes)
case_ "policy file does not exist (check)"
p=$TMP/dongliu-2020.wz
expect_fail 4 "$p: error: cannot read the policy: Failed to open file “$p”: No such file or directory" -- wenze check "$p"
pass

case_ "policy file does not exist (run)"
expect_fail 4 "$p: error: cannot read the policy: Failed to open file “$p”: No such file or directory" -- \
    wenze run "$p" --facts "$EXAMPLE" --out "$TMP/out"
pass

case_ "facts directory does not exist"
expect_fail 4 "$TMP/dongliu-2020: error: the facts directory does not exist" -- \
    wenze run "$POLICY" --facts "$TMP/dongliu-2020" --out "$TMP/out"
expect_run_failed "$TMP/out"
pass

case_ "--out below a regular file"
echo "not a directory" >"$TMP/report"
expect_fail 4 "$TMP/report: error: cannot create the directory: Not a directory" -- \
    wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/report/out"
expect_run_failed "$TMP/report/out"
[ "$(cat "$TMP/report")" = "not a directory" ] || fail "the regular file was changed"
pass

case_ "--out is a non-empty directory that is not a wenze output"
mkdir "$TMP/mine"
echo "教师名单，勿删" >"$TMP/mine/名单.txt"
expect_fail 4 "$TMP/mine: error: the output directory exists and is not a wenze output; refusing to replace it" -- \
    wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/mine"
expect_run_failed "$TMP/mine"
[ "$(cat "$TMP/mine/名单.txt")" = "教师名单，勿删" ] || fail "the user's file was changed"
[ "$(ls -A "$TMP/mine")" = "名单.txt" ] || fail "something was added to the user's directory"
pass

case_ "--out is an existing empty directory"
mkdir "$TMP/empty"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/empty"
[ -s "$TMP/empty/summary.json" ] || fail "no output in the empty directory"
[ -z "$(find "$TMP" -maxdepth 1 -name '.empty.*')" ] || fail "temporary directories left beside the output"
pass

# ---- informational commands: exit 0 ----
case_ "version"
expect_ok wenze version
grep -q -E -x 'wenze [0-9]+\.[0-9]+\.[0-9]+' "$OUT_FILE" || fail "version printed: $(cat "$OUT_FILE")"
[ ! -s "$ERR_FILE" ] || fail "version wrote to stderr"
grep -q -F "\"engine\": {\"name\": \"wenze\", \"version\": \"$(cut -d' ' -f2 "$OUT_FILE")\"}" "$TMP/empty/summary.json" ||
    fail "summary.json records another engine version"
pass

case_ "--help"
expect_ok wenze --help
[ "$(head -n 1 "$OUT_FILE")" = 'usage: wenze <command> [options]' ] || fail "--help does not print the usage"
grep -q -F 'run POLICY --facts DIR --out DIR' "$OUT_FILE" || fail "--help lacks the run command"
[ ! -s "$ERR_FILE" ] || fail "--help wrote to stderr"
pass

# one command's help: `wenze help CMD` and `wenze CMD --help` print the same, from the command table
for cmd in check run explain disasm ast version; do
    case_ "help $cmd"
    expect_ok wenze help "$cmd"
    [ ! -s "$ERR_FILE" ] || fail "help $cmd wrote to stderr"
    first=$(head -n 1 "$OUT_FILE")
    [ "${first#"usage: wenze $cmd"}" != "$first" ] || fail "help $cmd starts with: $first"
    cp "$OUT_FILE" "$TMP/help-$cmd"
    for ask in --help -h; do
        expect_ok wenze "$cmd" "$ask"
        cmp -s "$OUT_FILE" "$TMP/help-$cmd" || fail "wenze $cmd $ask differs from wenze help $cmd"
    done
    pass
done

case_ "help check, exactly"
expect_ok wenze help check
[ "$(cat "$OUT_FILE")" = "usage: wenze check POLICY [--werror]

check a policy and warn about what cannot be
right; print nothing when it is fine;
--werror: a warning fails the check (exit 1)

options:
  [--max-errors N]                  list at most N errors (default 50)
  [--lang zh|en]                    messages in Chinese or English (default: LC_ALL,
                                    LC_MESSAGES or LANG)" ] || fail "help check printed: $(cat "$OUT_FILE")"
pass

case_ "help run lists run's options"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --help
grep -q -F '  [--threads N]' "$OUT_FILE" || fail "run --help lacks --threads"
[ ! -e "$TMP/out" ] || fail "run --help ran"
pass

case_ "help on an alias"
expect_ok wenze help --version
[ "$(head -n 1 "$OUT_FILE")" = 'usage: wenze version' ] || fail "help --version printed: $(cat "$OUT_FILE")"
pass

case_ "help help"
expect_ok wenze help help
[ "$(head -n 1 "$OUT_FILE")" = 'usage: wenze <command> [options]' ] || fail "help help does not print the usage"
pass

case_ "disasm"
expect_ok wenze disasm "$POLICY"
grep -q 'stratum' "$OUT_FILE" || fail "disasm prints no stratum"
[ ! -s "$ERR_FILE" ] || fail "disasm wrote to stderr"
pass

case_ "ast"
expect_ok wenze ast "$POLICY"
[ "$(head -n 1 "$OUT_FILE")" = '(policy' ] || fail "ast does not start with (policy"
[ ! -s "$ERR_FILE" ] || fail "ast wrote to stderr"
pass

finish
