#!/bin/sh
# Remakes po/wenze.pot from the sources and merges it into po/zh_CN.po: run it after adding
# or changing a message, then translate what it marks new or fuzzy in po/zh_CN.po
# (`msgattrib --untranslated --only-fuzzy`-style lists: see docs/ARCHITECTURE.md); the
# test e2e/i18n_catalogue fails until every message has its translation.
#
#   scripts/update_po.sh            po/wenze.pot and po/zh_CN.po
#   scripts/update_po.sh --pot F    only the extraction, into F (what the test does)
#
# What is a message: the strings given to _(), N_(), ngettext() and to the functions that
# translate their format themselves (the diagnostics: wz_diag_at, wz_diag_fact,
# wz_diag_plain, wz_facts_error, the checker's ERR, lint's warn, xlsx's xl_error,
# the lexer's lex_error, verify's problem, the CLI's usage_error), and what
# check_expect_type names (the thing whose type is wrong).  The locations are file
# names only, so that moving a line does not change the catalogue.
set -eu
cd "$(dirname "$0")/.."
pot=po/wenze.pot
only_pot=false
if [ "${1:-}" = "--pot" ]; then pot=$2; only_pot=true; fi
# shellcheck disable=SC2046  # the file list is words on purpose
xgettext --from-code=UTF-8 --language=C --package-name=wenze --msgid-bugs-address=- \
    --add-location=file --no-wrap --sort-by-file --add-comments=TRANSLATORS: \
    --keyword=_ --keyword=N_ --keyword=ngettext:1,2 --keyword=wz_i18n_plural:1,2 \
    --keyword=wz_diag_at:4 --keyword=wz_diag_fact:6 --keyword=wz_diag_plain:5 \
    --keyword=wz_facts_error:5 --keyword=ERR:2 --keyword=warn:3 --keyword=xl_error:4 \
    --keyword=lex_error:3 --keyword=problem:2 --keyword=usage_error:1 --keyword=check_expect_type:4 --keyword=check_in_def:5 --keyword=check_global_expr:4 \
    --flag=wz_diag_at:4:c-format --flag=wz_diag_fact:6:c-format --flag=wz_diag_plain:5:c-format \
    --flag=wz_facts_error:5:c-format --flag=ERR:2:c-format --flag=warn:3:c-format \
    --flag=xl_error:4:c-format --flag=lex_error:3:c-format --flag=problem:2:c-format \
    --flag=usage_error:1:c-format \
    -o "$pot.tmp" $(ls cli/*.c interp/*.c interp/*.h) grammar/parser.y grammar/lexer.l
# no date in the header: the same sources give the same catalogue
grep -v '^"POT-Creation-Date: ' "$pot.tmp" | sed 's/^"Content-Type: text\/plain; charset=CHARSET/"Content-Type: text\/plain; charset=UTF-8/' >"$pot"
rm -f "$pot.tmp"
$only_pot && exit 0
msgmerge --quiet --update --backup=none --no-wrap --add-location=file --sort-by-file po/zh_CN.po "$pot"
msgattrib --no-obsolete --no-wrap --add-location=file --sort-by-file -o po/zh_CN.po po/zh_CN.po   # git keeps the old ones
echo "po/wenze.pot: $(grep -c '^msgid ' "$pot") messages (the header among them); po/zh_CN.po merged" >&2
