#!/usr/bin/env bash
# `--report FILE.html` without a browser: every bad path (exit 4, the path named, nothing
# written, a file wenze did not write never replaced), byte-identical pages for the same
# run (SOURCE_DATE_EPOCH), the page's parts and its language, and a page for every
# shipped policy (each kind of entity, awards, history).  tests/e2e/report_browser.sh
# checks the page in a real browser.
# Usage: report.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=report
source "$(dirname "$0")/lib.bash" "$@"
export SOURCE_DATE_EPOCH=1700000000
MARKER='<!-- wenze report: written by wenze; wenze replaces only a file that carries this line -->'

# ---- bad paths: exit 4, nothing written ----
case_ "a directory that does not exist"
expect_fail --first 4 "$TMP/nodir/r.html: error: cannot write the report: the directory $TMP/nodir does not exist" \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out-nodir" --report "$TMP/nodir/r.html"
[ ! -e "$TMP/nodir" ] || fail "the directory was created"
pass

case_ "the report path is a directory"
mkdir "$TMP/adir"
expect_fail --first 4 "$TMP/adir: error: cannot write the report: it is a directory" \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out-adir" --report "$TMP/adir"
pass

case_ "a file wenze did not write is never replaced"
printf '<!DOCTYPE html>\n<p>the bureau'"'"'s own page</p>\n' >"$TMP/theirs.html"
before=$(sha256sum <"$TMP/theirs.html")
expect_fail --first 4 "$TMP/theirs.html: error: the file exists and is not a wenze report; refusing to replace it" \
    -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out-theirs" --report "$TMP/theirs.html"
[ "$(sha256sum <"$TMP/theirs.html")" = "$before" ] || fail "the file was changed"
pass

case_ "--report is not an option of explain or check"
expect_fail --first 3 "wenze: explain writes no files: it takes no --report (run and diff do)" \
    -- wenze explain "$POLICY" --facts "$EXAMPLE" --person T001 --report "$TMP/x.html"
expect_fail --first 3 "wenze: check takes only a POLICY file" -- wenze check "$POLICY" --report "$TMP/x.html"
[ ! -e "$TMP/x.html" ] || fail "a report was written"
pass

case_ "a failed run writes no report"
facts=$(copy_facts bad)
sed -i '3s/2019-11-08/2019-11-31/' "$facts/leave.csv"
expect_fail --prefix 2 "$facts/leave.csv:3:2: error:" \
    -- wenze run "$POLICY" --facts "$facts" --out "$TMP/out-bad" --report "$TMP/bad.html"
[ ! -e "$TMP/bad.html" ] || fail "a failed run wrote a report"
[ -z "$(find "$TMP" -maxdepth 1 -name '.bad.html.tmp-*')" ] || fail "a temporary file was left"
pass

# ---- a good run ----
case_ "the report is written, and replaced by the next run"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out" --report "$TMP/r.html"
grep -q -F -x "wenze: wrote the report $TMP/r.html" "$OUT_FILE" || fail "no line says the report was written"
[ "$(sed -n 2p "$TMP/r.html")" = "$MARKER" ] || fail "the second line is not the marker"
cp "$TMP/r.html" "$TMP/r1.html"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out" --report "$TMP/r.html" --threads 3
cmp -s "$TMP/r.html" "$TMP/r1.html" || fail "the same run gave a different page"
[ -z "$(find "$TMP" -maxdepth 1 -name '.r.html.tmp-*')" ] || fail "a temporary file was left"
pass

case_ "self-contained: nothing fetched"
! grep -q -E '(src|href)="(https?:)?//' "$TMP/r.html" || fail "the page links to the network: $(grep -o -E '(src|href)="(https?:)?//[^"]*' "$TMP/r.html" | head -1)"
! grep -q -E '<link |<script src|@import|url\(' "$TMP/r.html" || fail "the page loads a resource"
grep -q '@media print' "$TMP/r.html" || fail "no print stylesheet"
pass

case_ "header, summary, charts, table, policy text"
grep -q -F '<h1>东流镇中心学校教师绩效工资考核分配方案</h1>' "$TMP/r.html" || fail "no title"
grep -q -F 'version <b>2019.1</b> · in force 2019-09-01 to 2020-08-31 · generated <b>2023-11-14 22:13 UTC</b>' "$TMP/r.html" ||
    fail "the header lacks the version, dates in force or SOURCE_DATE_EPOCH's date"
grep -q -F "$(sha256sum <"$EXAMPLE/leave.csv" | cut -d' ' -f1)" "$TMP/r.html" || fail "no SHA-256 of leave.csv"
grep -q -F '<dt>mean total</dt><dd>76.9788</dd>' "$TMP/r.html" || fail "no mean total"
grep -q -F '<dt>median total</dt><dd>89.05</dd>' "$TMP/r.html" || fail "no median total"
grep -q -F '<tr><th>residue (pool − Σ amount)</th><td class="num">0.02</td></tr>' "$TMP/r.html" || fail "no residue"
[ "$(grep -c '<svg ' "$TMP/r.html")" = 4 ] || fail "expected 4 charts, found $(grep -c '<svg ' "$TMP/r.html")"
[ "$(grep -c '<tr class="row"' "$TMP/r.html")" = 40 ] || fail "expected 40 rows"
grep -q -F '<span class="line" id="L96"><a class="ln" href="#L96">96</a>' "$TMP/r.html" || fail "no policy line 96"
pass

case_ "the policy's language: Chinese keywords give Chinese headings; --lang overrides"
zh=$TMP/zh.wz
sed -e '0,/^policy /s//方案 /' "$POLICY" >"$zh"
expect_ok wenze run "$zh" --facts "$EXAMPLE" --out "$TMP/out-zh" --report "$TMP/zh.html"
grep -q -F '<html lang="zh-CN">' "$TMP/zh.html" || fail "a Chinese policy gave no Chinese page"
grep -q -F '<h2>概况</h2>' "$TMP/zh.html" || fail "no Chinese heading"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out" --report "$TMP/r-zh.html" --lang zh
grep -q -F '<h2>概况</h2>' "$TMP/r-zh.html" || fail "--lang zh gave no Chinese heading"
# --lang is every command's (the language of its messages): without --report it is no error
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out-lang" --lang zh
pass

case_ "a diff's page: changes, impact, both policy texts; bad paths as for run"
old=$SRC/policies/dongliu-2019.wz new=$SRC/policies/dongliu-2020.wz
expect_ok wenze diff "$old" "$new" --facts "$EXAMPLE" --report "$TMP/d.html"
[ "$(sed -n 2p "$TMP/d.html")" = "$MARKER" ] || fail "the second line is not the marker"
grep -q -F '<code class="lose">0.2</code> → <code class="gain">0.3</code>' "$TMP/d.html" || fail "no rule change before → after"
grep -q -F '26 of 40 change: 22 gain, 2 lose, 0 change grade, 0 change sanctions; 1757.63 moves to those who gain' "$TMP/d.html" ||
    fail "no impact summary"
[ "$(grep -c '<tr class="row"' "$TMP/d.html")" = 26 ] || fail "expected 26 rows (T036: only 考勤 changes)"
grep -q -F 'id="a-L96"' "$TMP/d.html" && grep -q -F 'id="b-L101"' "$TMP/d.html" || fail "both policies' texts are not embedded"
cp "$TMP/d.html" "$TMP/d1.html"
expect_ok wenze diff "$old" "$new" --facts "$EXAMPLE" --report "$TMP/d.html"
cmp -s "$TMP/d.html" "$TMP/d1.html" || fail "the same diff gave a different page"
expect_ok wenze diff "$old" "$new" --report "$TMP/d-nofacts.html"
grep -q -F 'rule attendance.sick' "$TMP/d-nofacts.html" || fail "no changes without --facts"
expect_fail --first 4 "$TMP/theirs.html: error: the file exists and is not a wenze report; refusing to replace it" \
    -- wenze diff "$old" "$new" --facts "$EXAMPLE" --report "$TMP/theirs.html"
expect_fail --first 4 "$TMP/nodir/d.html: error: cannot write the report: the directory $TMP/nodir does not exist" \
    -- wenze diff "$old" "$new" --facts "$EXAMPLE" --report "$TMP/nodir/d.html"
pass

case_ "a page for every shipped policy"
while read -r policy facts extra; do
    extra=${extra//'$SRC'/$SRC}
    expect_ok wenze run "$SRC/policies/$policy" --facts "$SRC/examples/$facts" $extra --out "$TMP/out-$facts" --report "$TMP/$facts.html"
    rows=$(grep -c '<tr class="row"' "$TMP/$facts.html" || true)
    [ "$rows" -gt 0 ] || fail "$policy: no rows in its report"
done <<'LIST'
dongliu-2020.wz dongliu
township-2019.wz township
yaliu-accountability.wz yaliu
songtao-grades.wz songtao
tuoluoao-2008.wz tuoluoao --history $SRC/examples/tuoluoao/history
county-plan-2011.wz county --history $SRC/examples/county/history
kashi10-milestones-2017.wz milestones
LIST
pass

case_ "persons' sanctions are those they answer for (was: empty for a finding about an accident)"
expect_ok wenze run "$SRC/policies/qingshuipu-safety.wz" --facts "$SRC/examples/qingshuipu" --out "$TMP/qs" \
    --report "$TMP/qs.html"
page=$(cat "$TMP/qs.html")
[[ "$page" == *'<button class="drill" aria-expanded="false">陈红</button></td><td data-k="4">情节较重</td>'* ]] ||
    fail "陈红 (班主任 of A01, 全部责任) has no sanction in the persons' table"
[[ "$page" == *'<button class="drill" aria-expanded="false">李强</button></td><td data-k="0"></td>'* ]] ||
    fail "李强 answers for nothing, yet has a sanction"
pass

finish
