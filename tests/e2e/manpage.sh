#!/usr/bin/env bash
# The manual page and the bash completion: docs/wenze.1 is what scripts/make_man.py makes from
# the binary's help (so it cannot lag behind it) and renders without warnings; the completion
# offers the commands, a command's options and the values of --format, from `wenze help`.
# Usage: manpage.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=manpage
source "$(dirname "$0")/lib.bash" "$@"

case_ "docs/wenze.1 is made from the binary's help"
python3 "$SRC/scripts/make_man.py" "$WENZE" --check || fail "docs/wenze.1 is out of date"
for c in check run explain diff test verify ledger replay fmt; do
    grep -q "^\.B wenze $c" "$SRC/docs/wenze.1" || fail "the page has no $c"
done
if command -v groff >/dev/null; then
    groff -k -man -Tutf8 -ww "$SRC/docs/wenze.1" >"$TMP/page.txt" 2>"$TMP/warnings.txt" || fail "groff failed"
    [ ! -s "$TMP/warnings.txt" ] || fail "groff warns: $(head -3 "$TMP/warnings.txt")"
fi
pass

case_ "bash completion: commands, options, values"
complete_words() {   # complete_words WORD… — what completing the last word offers
    bash -c '
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _wenze
        printf "%s\n" "${COMPREPLY[@]}"' _ "$SRC/editors/bash/wenze" "$@"
}
[ "$(complete_words "$WENZE" ex)" = explain ] || fail "command: $(complete_words "$WENZE" ex)"
# (each list captured first: grep -q stops reading early, which pipefail would count as a failure)
offered=$(complete_words "$WENZE" d)
grep -q -x diff <<<"$offered" || fail "diff not offered: $offered"
offered=$(complete_words "$WENZE" run policies/x.wz --ex)
grep -q -x -- --excel <<<"$offered" || fail "run's --excel not offered: $offered"
offered=$(complete_words "$WENZE" diff a.wz b.wz --f)
grep -q -x -- --facts <<<"$offered" || fail "diff's --facts not offered: $offered"
[ "$(complete_words "$WENZE" explain p.wz --format j)" = json ] || fail "--format's values"
pass

finish
