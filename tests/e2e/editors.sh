#!/usr/bin/env bash
# The editor grammars (editors/vim, editors/textmate) hold every keyword of the lexer's
# table (grammar/lexer.l) and nothing generated from an older one; the TextMate grammar
# is valid JSON whose keyword pattern matches each keyword of a shipped policy.
# Usage: editors.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=editors
source "$(dirname "$0")/lib.bash" "$@"

case_ "the grammars are what scripts/editors.py makes from grammar/lexer.l"
python3 "$SRC/scripts/editors.py" --check >/dev/null || fail "the editor grammars are out of date with grammar/lexer.l"
pass

case_ "the TextMate keyword pattern matches the keywords of a policy, and not inside a name"
python3 - "$SRC" <<'PY' || fail "the TextMate grammar"
import json, re, sys
g = json.load(open(sys.argv[1] + "/editors/textmate/wenze.tmLanguage.json", encoding="utf-8"))
pat = g["patterns"][-1]["match"].replace("\\x{4e00}", "\u4e00").replace("\\x{9fff}", "\u9fff")
kw = re.compile(pat)
for word in ("policy", "方案", "deduct", "扣", "distribute"):
    assert kw.fullmatch(word), word
for name in ("扣分", "policyholder", "deducted"):
    assert not kw.search(name), name
PY
pass

finish
