#!/usr/bin/env bash
# Fact files as schools send them (issue 13): GB18030 CSV, Excel's date forms,
# added columns and blank rows, misspelt columns, .xlsx workbooks.  Each form
# of examples/dongliu must give the very outputs of the UTF-8 CSV run
# (summary.json aside: its checksums are of the files read, and its "facts_read"
# says how they were read); each bad form fails with its exact message.
NAME=sheets
source "$(dirname "$0")/lib.bash" "$@"
FIX=$SRC/tests/fixtures

expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/base"

# same_outputs DIR — DIR's outputs equal the UTF-8 run's, but summary.json (and
# findings.jsonl's file names, when the facts were workbooks).
same_outputs() {
    local f
    for f in scores.csv pay.csv sanctions.csv; do
        cmp -s "$TMP/base/$f" "$1/$f" || fail "$f differs from the UTF-8 CSV run's"
    done
    sed 's/\.xlsx"/.csv"/g' "$1/findings.jsonl" | cmp -s "$TMP/base/findings.jsonl" - ||
        fail "findings.jsonl differs from the UTF-8 CSV run's"
}

case_ "GB18030 CSV files, detected"
f=$(copy_facts gb)
for c in "$f"/*.csv; do iconv -f UTF-8 -t GB18030 "$c" >"$c.gb" && mv "$c.gb" "$c"; done
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/gb"
same_outputs "$TMP/gb"
grep -q -F '  {"file": "staff.csv", "encoding": "gb18030"}' "$TMP/gb/summary.json" || fail "summary.json does not note staff.csv's encoding"
grep -q -F "$(sha256sum <"$f/staff.csv" | cut -d' ' -f1)" "$TMP/gb/summary.json" || fail "staff.csv's SHA-256 is not of its own bytes"
pass

case_ "GB18030 CSV files, --encoding gb18030 (run and explain)"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/gb2" --encoding gb18030
same_outputs "$TMP/gb2"
expect_ok wenze explain "$POLICY" --facts "$EXAMPLE" --person T030
cp "$OUT_FILE" "$TMP/explain-utf8"
expect_ok wenze explain "$POLICY" --facts "$f" --person T030 --encoding gb18030
cmp -s "$TMP/explain-utf8" "$OUT_FILE" || fail "explain on GB18030 facts differs"
pass

case_ "verify --rerun reads the facts as the recorded run did (--encoding gb18030)"
expect_ok wenze verify "$TMP/gb2" --rerun
pass

case_ "GB18030 read as UTF-8 because --encoding utf-8 says so"
expect_fail 2 "$f/staff.csv:2:2: error: invalid UTF-8 (byte 0xcd); save the file as UTF-8" -- \
    wenze run "$POLICY" --facts "$f" --out "$TMP/out" --encoding utf-8
pass

case_ "an unknown --encoding"
expect_fail --first 3 "wenze: --encoding needs utf-8 or gb18030, found 'latin1'" -- \
    wenze run "$POLICY" --facts "$f" --out "$TMP/out" --encoding latin1
pass

case_ "Excel's date forms"
f=$(copy_facts dates)
sed -i -e 's/,2020-05-11,/,2020\/5\/11,/' -e 's/,2019-11-08,/,2019.11.8,/' -e 's/,\(20[12][0-9]\)-0\?\([0-9]*\)-0\?\([0-9]*\),/,\1年\2月\3日,/' "$f/leave.csv"
sed -i 's/,\(19[0-9][0-9]\)-0\?\([0-9]*\)-0\?\([0-9]*\),/,\1\/\2\/\3,/' "$f/staff.csv"
grep -q '2020/5/11' "$f/leave.csv" && grep -q '年' "$f/leave.csv" && grep -q '1968/3/12' "$f/staff.csv" || fail "the dates were not rewritten"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/dates"
same_outputs "$TMP/dates"
# but the checksums, and the command line (it names the --out directory)
cmp -s <(grep -v -e sha256 -e "^\"command\"" "$TMP/base/summary.json") <(grep -v -e sha256 -e "^\"command\"" "$TMP/dates/summary.json") || fail "summary.json differs"
pass

case_ "a date that does not exist"
f=$(copy_facts bad_date)
sed -i '2s/,2020-05-11,/,2019\/2\/30,/' "$f/leave.csv"
expect_fail 2 "$f/leave.csv:2:2: error: expected a real calendar date, found \"2019/2/30\", which does not exist" -- \
    wenze run "$POLICY" --facts "$f" --out "$TMP/out"
pass

case_ "a column the school added, and Excel's blank rows"
f=$(copy_facts extra)
sed -i -e '1s/$/,备注/' -e '2,$s/$/,/' -e '3s/,$/,补假条/' "$f/leave.csv"
printf ',,,,\n,,,,\n' >>"$f/leave.csv"
printf ',,,,,\n' >>"$f/staff.csv"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/extra"
same_outputs "$TMP/extra"
grep -q -F '  {"file": "leave.csv", "blank_rows": 2, "ignored_columns": ["备注"]}' "$TMP/extra/summary.json" ||
    fail "summary.json does not list leave.csv's blank rows and ignored column"
grep -q -F '  {"file": "staff.csv", "blank_rows": 1}' "$TMP/extra/summary.json" || fail "summary.json does not count staff.csv's blank row"
pass

case_ "--strict refuses an added column"
expect_fail 2 "$f/leave.csv:1:5: error: unknown column \"备注\"; expected the fields id, date, kind, days (--strict: no other column)" -- \
    wenze run "$POLICY" --facts "$f" --out "$TMP/out" --strict
pass

case_ "a misspelt column, and the data errors behind it"
f=$(copy_facts misspelt)
sed -i -e '1s/,days$/,dyas/' -e '3s/,2019-11-08,/,2019-11-31,/' "$f/leave.csv"
expect_fail 2 "$f/leave.csv:1:4: error: unknown column \"dyas\" and no column \"days\"; did you mean 'days'?" -- \
    wenze run "$POLICY" --facts "$f" --out "$TMP/out"
grep -q -F -x "$f/leave.csv:3:2: error: expected a real calendar date, found \"2019-11-31\", which does not exist" "$ERR_FILE" ||
    fail "the data error behind the header's is not reported"
pass

case_ "workbooks in place of every CSV"
f=$(copy_facts xlsx)
for x in "$FIX"/dongliu-xlsx/*.xlsx; do
    b=$(basename "$x" .xlsx)
    rm "$f/$b.csv"
    cp "$x" "$f/"
done
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/xlsx"
same_outputs "$TMP/xlsx"
grep -q -F '  {"file": "leave.xlsx", "sheet": "leave"}' "$TMP/xlsx/summary.json" || fail "summary.json does not name the sheet read"
pass

case_ "a bad cell of a workbook is named as Excel names it"
g=$(copy_facts xlsx_bad)
cp "$FIX"/dongliu-xlsx/leave.xlsx "$g/" && rm "$g/leave.csv"
sed -i '/^T004,/d' "$g/staff.csv"   # leave.xlsx's rows 7–9 are T004's
expect_fail 2 "$g/leave.xlsx!A7: error: expected a person id from staff.csv, found \"T004\"" -- \
    wenze run "$POLICY" --facts "$g" --out "$TMP/out"
pass

case_ "a merged header"
cp "$FIX/leave-merged.xlsx" "$g/leave.xlsx"
expect_fail 2 "$g/leave.xlsx!A1: error: merged cells A1:B1 in the header row; unmerge them so that each column has its own name in its own cell" -- \
    wenze run "$POLICY" --facts "$g" --out "$TMP/out"
pass

case_ "a damaged workbook"
cp "$FIX/leave-truncated.xlsx" "$g/leave.xlsx"
expect_fail 2 "$g/leave.xlsx: error: not a readable workbook (not a zip archive, or a damaged one); save it again from Excel or WPS as .xlsx" -- \
    wenze run "$POLICY" --facts "$g" --out "$TMP/out"
pass

case_ "--sheet names a sheet the workbook lacks"
cp "$FIX/dongliu-xlsx/leave.xlsx" "$g/leave.xlsx"
expect_fail 2 "$g/leave.xlsx: error: no sheet \"请假\" in the workbook (--sheet); its sheets are leave" -- \
    wenze run "$POLICY" --facts "$g" --out "$TMP/out" --sheet 请假
pass

case_ "leave.csv and leave.xlsx both"
cp "$EXAMPLE/leave.csv" "$g/"
expect_fail 2 "error: both $g/leave.csv and $g/leave.xlsx exist; keep only one of them" -- \
    wenze run "$POLICY" --facts "$g" --out "$TMP/out"
pass

case_ "neither: every form looked for is named"
rm "$g/leave.csv" "$g/leave.xlsx"
expect_fail 2 "$g/leave.csv: error: missing required fact file; the policy's fact 'leave' needs leave.csv, leave.xlsx or leave.jsonl in $g" -- \
    wenze run "$POLICY" --facts "$g" --out "$TMP/out"
pass

finish
