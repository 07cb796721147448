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

case_ "msgfmt --check --check-format accepts po/zh_CN.po"
msgfmt --check --check-format -o "$TMP/wenze.mo" "$SRC/po/zh_CN.po" 2>"$ERR_FILE" || fail "msgfmt rejects po/zh_CN.po"
pass

case_ "the binary's catalogue is compiled from po/zh_CN.po"
built=$(dirname "$WENZE")/locale/zh_CN/LC_MESSAGES/wenze.mo
[ -f "$built" ] || fail "no $built"
cmp -s "$built" "$TMP/wenze.mo" || fail "$built is not po/zh_CN.po compiled (rebuild)"
pass

finish
