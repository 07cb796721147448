#!/usr/bin/env bash
# The Chinese catalogue is complete and sound (issue 13, "Chinese"):
#  1. every message in the sources — extracted again now with xgettext, by the same
#     scripts/update_po.sh that makes po/wenze.pot — has a translation in po/zh_CN.po
#     that is neither empty nor fuzzy (msgcmp; a new message without one fails here,
#     naming it: run scripts/update_po.sh and translate it);
#  2. msgfmt --check --check-format accepts po/zh_CN.po: each translation has the
#     printf directives of its English (a missing %s would print garbage or crash);
#  3. the build's catalogue is the one compiled from it (build/locale beside the binary).
NAME=i18n_catalogue
source "$(dirname "$0")/lib.bash" "$@"
for tool in xgettext msgcmp msgfmt; do
    command -v "$tool" >/dev/null || fail "$tool is missing: install the gettext package (make deps)"
done

case_ "every message of the sources is translated in po/zh_CN.po"
sh "$SRC/scripts/update_po.sh" --pot "$TMP/wenze.pot" 2>"$TMP/xgettext.err" || { cat "$TMP/xgettext.err" >&2; fail "xgettext failed"; }
[ "$(grep -c '^msgid ' "$TMP/wenze.pot")" -gt 400 ] || fail "the extraction found too few messages: $(grep -c '^msgid ' "$TMP/wenze.pot")"
msgcmp "$SRC/po/zh_CN.po" "$TMP/wenze.pot" 2>"$ERR_FILE" || fail "po/zh_CN.po lacks translations (scripts/update_po.sh, then translate)"
# msgcmp counts a plural entry as translated when one form is; each form must be
awk '/^msgstr(\[[0-9]\])? ""$/ { empty = 1; next } /^"/ { if (empty) empty = 0; next }
     { if (empty && NR > 20) { print "empty translation before line " NR; bad = 1 } empty = 0 }
     END { if (empty) bad = 1; exit bad }' "$SRC/po/zh_CN.po" >"$ERR_FILE" || fail "an empty translation in po/zh_CN.po"
pass

case_ "no message is hidden from xgettext by a braced argument before it (was: six never translated)"
# xgettext counts the commas inside a compound literal's braces as argument separators, so
# wz_diag_at(d, sev, (wz_span){src, 0, 0}, "…") has no 4th argument for it and the message
# is silently left out of the catalogue — and then out of this test.  Spans are written
# wz_span_of(src, start, end).  Each call of an extraction keyword, up to its message, is
# checked for a '{'.
python3 - "$SRC" >"$ERR_FILE" <<'PY' || fail "$(cat "$ERR_FILE")"
import re, sys, glob, os
keys = {"wz_diag_at": 4, "wz_diag_fact": 6, "wz_diag_plain": 5, "wz_facts_error": 5, "ERR": 2, "warn": 3,
        "xl_error": 4, "lex_error": 3, "problem": 2, "check_expect_type": 4, "check_in_def": 5, "check_global_expr": 4}
src = sys.argv[1]
files = glob.glob(os.path.join(src, "cli/*.c")) + glob.glob(os.path.join(src, "interp/*.[ch]")) + \
        [os.path.join(src, "grammar/parser.y"), os.path.join(src, "grammar/lexer.l")]
bad = []
for f in files:
    text = open(f, encoding="utf-8").read()
    for m in re.finditer(r"\b(" + "|".join(keys) + r")\(", text):
        depth, head = 1, []
        for ch in text[m.end():m.end() + 2000]:   # inside the call's parentheses, up to its first string
            if ch == '"':
                break
            depth += (ch == "(") - (ch == ")")
            if depth == 0:
                break
            head.append(ch)
        if "{" in "".join(head):
            bad.append("%s:%d: %s(" % (os.path.relpath(f, src), text.count("\n", 0, m.start()) + 1, m.group(1)))
if bad:
    print("a braced argument before the message hides it from xgettext; use wz_span_of(): " + ", ".join(bad))
    sys.exit(1)
PY
pass

case_ "msgfmt --check --check-format accepts po/zh_CN.po"
msgfmt --check --check-format -o "$TMP/wenze.mo" "$SRC/po/zh_CN.po" 2>"$ERR_FILE" || fail "msgfmt rejects po/zh_CN.po"
pass

case_ "the binary's catalogue is compiled from po/zh_CN.po"
built=$(dirname "$WENZE")/locale/zh_CN/LC_MESSAGES/wenze.mo
[ -f "$built" ] || fail "no $built"
cmp -s "$built" "$TMP/wenze.mo" || fail "$built is not po/zh_CN.po compiled (rebuild)"
pass

finish
