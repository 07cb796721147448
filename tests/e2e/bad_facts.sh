#!/usr/bin/env bash
# Bad facts directories: each case copies examples/dongliu, breaks one file the way a
# school's export typically goes wrong, and checks that `wenze run` exits 2 with the
# exact "FILE:ROW:COL: error: …" line and writes nothing.  Also: every error is listed,
# --max-errors truncates the list, JSONL facts equal CSV facts, a BOM and CRLF line
# endings are accepted.
# Usage: bad_facts.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=bad_facts
source "$(dirname "$0")/lib.bash" "$@"

# run_bad FACTS_DIR CODE LINE [extra run options…] — wenze run into a fresh --out
run_bad() {
    local f=$1 code=$2 line=$3
    shift 3
    expect_fail "$code" "$line" -- wenze run "$POLICY" --facts "$f" --out "$TMP/out" "$@"
    expect_run_failed "$TMP/out"
}

ENUM_KINDS='病假, 事假, 旷工, 婚假, 丧假, 产假, 脱产学习'

case_ "bad date in leave.csv"
f=$(copy_facts bad_date)
sed -i '3s#2019-11-08#08/11/2019#' "$f/leave.csv"      # T002's 事假, day first: 8 November or 11 August?
run_bad "$f" 2 "$f/leave.csv:3:2: error: expected a date with a 4-digit year first (YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日), found \"08/11/2019\", whose day, month and year could be read more than one way"
[ "$(error_lines)" = 1 ] || fail "expected exactly one error line"
pass

case_ "non-number in workload.csv"
f=$(copy_facts bad_number)
sed -i 's/^T002,15$/T002,15课时/' "$f/workload.csv"
run_bad "$f" 2 "$f/workload.csv:3:2: error: expected a decimal number, found \"15课时\""
[ "$(error_lines)" = 1 ] || fail "expected exactly one error line"
pass

case_ "unknown enum value"
f=$(copy_facts bad_enum)
sed -i '3s/,事假,/,年假,/' "$f/leave.csv"
run_bad "$f" 2 "$f/leave.csv:3:3: error: expected one of $ENUM_KINDS, found \"年假\""
pass

case_ "row with the wrong number of fields"
f=$(copy_facts bad_field_count)
sed -i '3s/$/,补交病历/' "$f/leave.csv"                  # a stray remark in a fifth column
run_bad "$f" 2 "$f/leave.csv:3: error: expected 4 fields, found 5"
pass

case_ "person id not in staff.csv"
f=$(copy_facts unknown_person)
sed -i '3s/^T002,/T092,/' "$f/leave.csv"
run_bad "$f" 2 "$f/leave.csv:3:1: error: expected a person id from staff.csv, found \"T092\""
[ "$(error_lines)" = 1 ] || fail "expected exactly one error line"
pass

case_ "missing required file"
f=$(copy_facts missing_file)
rm "$f/results.csv"
run_bad "$f" 2 "$f/results.csv: error: missing required fact file; the policy's fact 'results' needs results.csv, results.xlsx or results.jsonl in $f"
pass

case_ "every-person fact missing a person's row"
f=$(copy_facts missing_row)
sed -i '/^T007,/d' "$f/workload.csv"
run_bad "$f" 2 "$f/workload.csv: error: no row for person T007; every person in staff.csv needs one"
[ "$(error_lines)" = 1 ] || fail "expected exactly one error line"
pass

case_ "duplicate staff id"
f=$(copy_facts duplicate_staff)
row=$(sed -n '2p' "$f/staff.csv")
printf '%s\n' "$row" >>"$f/staff.csv"                    # T001 pasted twice
run_bad "$f" 2 "$f/staff.csv:42:1: error: duplicate person id \"T001\"; first listed at row 2"
[ "$(error_lines)" = 1 ] || fail "expected exactly one error line"
pass

case_ "value out of range"
f=$(copy_facts out_of_range)
sed -i 's/^T002,35,24$/T002,45,24/' "$f/routine.csv"      # routine is out of 40
run_bad "$f" 2 "$f/routine.csv:3:2: error: expected a number from 0 to 40, found \"45\""
pass

case_ "empty cell in a required field"
f=$(copy_facts empty_cell)
sed -i 's/^T002,35,24$/T002,,24/' "$f/routine.csv"
run_bad "$f" 2 "$f/routine.csv:3:2: error: expected a decimal number, found an empty cell"
pass

case_ "empty enum cell"
f=$(copy_facts empty_enum)
sed -i '3s/,事假,/,,/' "$f/leave.csv"
run_bad "$f" 2 "$f/leave.csv:3:3: error: expected one of $ENUM_KINDS, found an empty cell"
pass

case_ "header with an unknown column, under --strict"
f=$(copy_facts unknown_column)
sed -i -e '1s/$/,备注/' -e '2,$s/$/,/' "$f/leave.csv"   # an extra remarks column, left empty
run_bad "$f" 2 "$f/leave.csv:1:5: error: unknown column \"备注\"; expected the fields id, date, kind, days (--strict: no other column)" --strict
[ "$(error_lines)" = 1 ] || fail "expected exactly one error line"
pass

case_ "header with a missing column"
f=$(copy_facts missing_column)
cut -d, -f1-3 "$EXAMPLE/leave.csv" >"$f/leave.csv"        # the days column was not exported
run_bad "$f" 2 "$f/leave.csv:1: error: missing column \"days\""
[ "$(error_lines)" = 1 ] || fail "expected exactly one error line"
pass

case_ "invalid UTF-8"
f=$(copy_facts bad_utf8)
printf 'T002,2019-12-02,\xb2\xa1\xbc\xd9,1\n' >>"$f/leave.csv"   # 病假 pasted in GBK
run_bad "$f" 2 "$f/leave.csv:34:3: error: invalid UTF-8 (byte 0xb2); save the file as UTF-8"
[ "$(error_lines)" = 1 ] || fail "expected exactly one error line"
pass

case_ "several errors are all listed"
f=$(copy_facts three_errors)
sed -i -e '3s/2019-11-08/2019-13-08/' -e '5s/,2$/,两天/' -e '7s/^T004,/X004,/' "$f/leave.csv"
run_bad "$f" 2 "$f/leave.csv:3:2: error: expected a real calendar date, found \"2019-13-08\", which does not exist"
grep -q -F -x "$f/leave.csv:5:4: error: expected a decimal number, found \"两天\"" "$ERR_FILE" || fail "second error not listed"
grep -q -F -x "$f/leave.csv:7:1: error: expected a person id from staff.csv, found \"X004\"" "$ERR_FILE" || fail "third error not listed"
[ "$(error_lines)" = 3 ] || fail "expected exactly three error lines, found $(error_lines)"
! grep -q 'more errors not shown' "$ERR_FILE" || fail "nothing should be dropped under the default limit"
pass

case_ "errors across several files are all listed"
f=$(copy_facts errors_in_two_files)
sed -i '3s/,事假,/,年假,/' "$f/leave.csv"
sed -i 's/^T002,35,24$/T002,45,24/' "$f/routine.csv"
run_bad "$f" 2 "$f/leave.csv:3:3: error: expected one of $ENUM_KINDS, found \"年假\""
grep -q -F -x "$f/routine.csv:3:2: error: expected a number from 0 to 40, found \"45\"" "$ERR_FILE" || fail "routine.csv error not listed"
[ "$(error_lines)" = 2 ] || fail "expected exactly two error lines, found $(error_lines)"
pass

case_ "--max-errors limits the list"
run_bad "$TMP/facts-three_errors" 2 "wenze: 2 more errors not shown (raise --max-errors to see them)" --max-errors 1
grep -q -F -x "$TMP/facts-three_errors/leave.csv:3:2: error: expected a real calendar date, found \"2019-13-08\", which does not exist" "$ERR_FILE" ||
    fail "the first error must still be shown"
[ "$(error_lines)" = 1 ] || fail "expected exactly one error line with --max-errors 1, found $(error_lines)"
pass

# ---- accepted encodings of the same facts ----
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/ref"

# strip_sha FILE — summary.json without the sha256 of the fact files
strip_sha() { summary_stable "$1" | sed 's/"sha256": "[0-9a-f]*"/"sha256": ""/'; }
# sha_of SUMMARY FILE_NAME — the sha256 recorded for one fact file
sha_of() { sed -n "s/.*{\"file\": \"$2\", \"sha256\": \"\\([0-9a-f]*\\)\".*/\\1/p" "$1"; }

case_ "leave.jsonl instead of leave.csv"
f=$(copy_facts jsonl)
# strings for text, dates and enums; a JSON number for days
awk -F, 'NR > 1 { printf "{\"id\": \"%s\", \"date\": \"%s\", \"kind\": \"%s\", \"days\": %s}\n", $1, $2, $3, $4 }' \
    "$EXAMPLE/leave.csv" >"$f/leave.jsonl"
rm "$f/leave.csv"
[ "$(wc -l <"$f/leave.jsonl")" = 32 ] || fail "conversion lost rows"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/jsonl"
for x in scores.csv pay.csv sanctions.csv; do
    cmp "$TMP/ref/$x" "$TMP/jsonl/$x" || fail "$x differs between the CSV and the JSONL run"
done
# findings cite their source rows: leave.jsonl line N is leave.csv row N+1 (the CSV has a header)
awk '{ out = ""
       while (match($0, /\{"file":"leave\.csv","row":[0-9]+\}/)) {
           r = substr($0, RSTART, RLENGTH); sub(/.*"row":/, "", r); sub(/\}/, "", r)
           out = out substr($0, 1, RSTART - 1) "{\"file\":\"leave.jsonl\",\"row\":" (r - 1) "}"
           $0 = substr($0, RSTART + RLENGTH) }
       print out $0 }' "$TMP/ref/findings.jsonl" >"$TMP/findings.expected"
grep -q 'leave.jsonl' "$TMP/findings.expected" || fail "the reference findings cite no leave rows"
cmp "$TMP/findings.expected" "$TMP/jsonl/findings.jsonl" || fail "findings.jsonl differs beyond the cited file and row"
# (and findings.jsonl's SHA-256, as its cited file differs, and the command line naming --out)
diff <(grep -v '"file": "leave\.\|"file": "findings\.jsonl"\|^"command": ' "$TMP/ref/summary.json") \
    <(grep -v '"file": "leave\.\|"file": "findings\.jsonl"\|^"command": ' "$TMP/jsonl/summary.json") ||
    fail "summary.json differs beyond the leave file entry"
want=$(sha256sum <"$f/leave.jsonl" | cut -d' ' -f1)
grep -q -F "{\"file\": \"leave.jsonl\", \"sha256\": \"$want\", \"rows_read\": 32, \"rows_ignored\": 2}" "$TMP/jsonl/summary.json" ||
    fail "summary.json does not describe leave.jsonl"
pass

case_ "both leave.csv and leave.jsonl"
f=$(copy_facts both_formats)
cp "$TMP/facts-jsonl/leave.jsonl" "$f/"
run_bad "$f" 2 "error: both $f/leave.csv and $f/leave.jsonl exist; keep only one of them"
pass

case_ "BOM and CRLF line endings"
f=$(copy_facts bom_crlf)
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$EXAMPLE/staff.csv"; } >"$f/staff.csv"   # as Excel saves "CSV UTF-8"
sed -i 's/$/\r/' "$f/leave.csv" "$f/workload.csv"
[ "$(head -c 3 "$f/staff.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "fixture has no BOM"
expect_ok wenze run "$POLICY" --facts "$f" --out "$TMP/bom"
for x in scores.csv pay.csv sanctions.csv findings.jsonl; do
    cmp "$TMP/ref/$x" "$TMP/bom/$x" || fail "$x differs with a BOM and CRLF"
done
diff <(strip_sha "$TMP/ref/summary.json") <(strip_sha "$TMP/bom/summary.json") ||
    fail "summary.json differs beyond the sha256 of the files"
for x in staff.csv leave.csv workload.csv; do
    [ "$(sha_of "$TMP/bom/summary.json" "$x")" = "$(sha256sum <"$f/$x" | cut -d' ' -f1)" ] ||
        fail "summary.json records a wrong sha256 for $x"
done
pass

finish
