#!/usr/bin/env bash
# wenze verify, the decision ledger and replay, end to end (README "An auditor's walkthrough").
#   - verify: a clean output passes; an edited and a missing file are named; --rerun names
#     the facts file that changed and the persons whose rows differ
#   - a school year in a ledger: two policy versions (the amendment from 2020-02-17), two
#     semester runs and the annual pay run by --date, one appeal, publication and 公示
#   - replay: every entry identical; after a facts file is edited, that file is named
#   - a run killed with SIGKILL at random moments leaves a ledger whose chain is whole
NAME=ledger
source "$(dirname "$0")/lib.bash" "$@"
cd "$TMP"

# ---- verify ----
case_ "verify: a clean output, an edited one, a missing file"
cp -r "$EXAMPLE" facts
cp "$POLICY" dongliu-2019.wz
expect_ok wenze run dongliu-2019.wz --facts facts --out out
expect_ok wenze verify out
grep -q -x "wenze: out: 4 output files match summary.json" "$OUT_FILE" || fail "unexpected: $(cat "$OUT_FILE")"
expect_ok wenze verify out --rerun
sed -i '2s/,[0-9.]*$/,1.00/' out/pay.csv
expect_fail --prefix 1 "wenze: out/pay.csv: changed since the run (SHA-256 " -- wenze verify out
rm out/sanctions.csv
expect_fail --prefix 1 "wenze: out/sanctions.csv: missing (summary.json records it" -- wenze verify out
pass

case_ "verify --rerun names the facts file changed since the run and whom it changes"
rm -rf out && expect_ok wenze run dongliu-2019.wz --facts facts --out out
sed -i 's/^T004,2019-12-02,病假,2$/T004,2019-12-02,病假,9/' facts/leave.csv
grep -q '^T004,2019-12-02,病假,9$' facts/leave.csv || fail "the facts edit did not apply"
expect_fail --prefix 1 "wenze: input facts leave.csv: changed since the run" -- wenze verify out --rerun
grep -q -x "wenze: out/scores.csv differs: T004" "$ERR_FILE" || fail "scores.csv's changed person not named"
rm -rf facts && cp -r "$EXAMPLE" facts
pass

# ---- a year in the ledger ----
case_ "a school year: two versions, two semesters, the annual run, an appeal"
# the amendment: from 2020-02-17, 病假 costs 0.3 a day instead of 0.2
sed -e 's/version "2019.1"/version "2019.2"/' -e 's/deduct sick "病假" 0.2 per/deduct sick "病假" 0.3 per/' \
    dongliu-2019.wz >dongliu-2019.2.wz
grep -q '"病假" 0.3 per' dongliu-2019.2.wz || fail "the amendment did not apply"
expect_ok wenze ledger add-policy L dongliu-2019.wz --from 2019-09-01
expect_fail --prefix 3 "L: error: \"东流镇中心学校教师绩效工资考核分配方案\" version 2019.1 (entry 1) is in force from 2019-09-01 with no end" -- \
    wenze ledger add-policy L dongliu-2019.2.wz --from 2019-08-01
expect_ok wenze ledger add-policy L dongliu-2019.2.wz --from 2020-02-17 --to 2020-08-31
# semester 1 (facts stored in the ledger), semester 2, the year's pay, each by the version in force
expect_ok wenze run --ledger L --date 2020-01-20 --store-facts --facts facts --out s1 \
    --param year_end=2020-02-16 --param semester2_start=2020-02-16
grep -q -x "wenze: recorded as entry 3 of L" "$OUT_FILE" || fail "semester 1 not recorded as entry 3"
expect_ok wenze run --ledger L --date 2020-07-10 --facts facts --out s2 \
    --param year_start=2020-02-17 --param semester2_start=2020-02-18
expect_ok wenze run --ledger L --date 2020-07-15 --facts facts --out year
expect_ok wenze ledger log L
grep -q '^   3  .*run       东流镇中心学校教师绩效工资考核分配方案 2019.1  date 2020-01-20' "$OUT_FILE" || fail "entry 3 did not run 2019.1"
grep -q '^   5  .*run       东流镇中心学校教师绩效工资考核分配方案 2019.2  date 2020-07-15' "$OUT_FILE" || fail "entry 5 did not run 2019.2"
# the appeal: T031's 记大过 was quashed
cp -r facts facts-appeal
sed -i '/^T031,/d' facts-appeal/discipline.csv
expect_ok wenze ledger appeal L 5 --facts facts-appeal --out year-appeal --reason "T031 处分撤销"
grep -q -x "wenze: recorded as entry 6 of L, superseding entry 5" "$OUT_FILE" || fail "the appeal was not recorded"
cmp -s year/pay.csv year-appeal/pay.csv && fail "the appeal changed no pay"
expect_ok wenze ledger log L
grep -q '^   6  .*supersedes 5 (T031 处分撤销)' "$OUT_FILE" || fail "log does not show the appeal"
grep -q '^   5  .*\[superseded\]' "$OUT_FILE" || fail "log does not mark entry 5 superseded"
expect_fail 3 "L: error: entry 5 was already corrected by an appeal; expected the latest entry of the decision" -- \
    wenze ledger appeal L 5 --facts facts-appeal --out again --reason again
pass

case_ "publication: finalize only after the 3-day 公示"
expect_ok wenze ledger publish L 6 --on 2020-07-20
expect_fail 1 "L: error: entry 6 was published on 2020-07-20: its 3-day 公示 runs until 2020-07-23, so it can be finalized on 2020-07-23 at the earliest, not 2020-07-22" -- \
    wenze ledger finalize L 6 --on 2020-07-22
expect_ok wenze ledger finalize L 6 --on 2020-07-23
pass

case_ "show --export writes an entry's outputs, never over a directory wenze did not write"
expect_ok wenze ledger show L 6 --export exported
expect_ok wenze verify exported
diff -r -x summary.json year-appeal exported || fail "the exported outputs differ from the appeal's"
mkdir mine && echo keep >mine/notes.txt
expect_fail 4 "mine: error: the output directory exists and is not a wenze output; refusing to replace it" -- \
    wenze ledger show L 6 --export mine
pass

case_ "ledger verify and replay: every entry identical"
expect_ok wenze ledger verify L
grep -q '^wenze: L: 8 entries, chain whole; head [0-9a-f]\{64\}$' "$OUT_FILE" || fail "unexpected: $(cat "$OUT_FILE")"
expect_ok wenze replay L
for id in 3 4 5 6; do grep -q -x "entry $id: identical" "$OUT_FILE" || fail "entry $id did not replay identically"; done
grep -q -x "wenze: 4 runs replayed, 4 identical, 0 not" "$OUT_FILE" || fail "unexpected: $(tail -1 "$OUT_FILE")"
pass

case_ "replay after a facts file was edited names it (stored facts still replay)"
echo "T001,2019-11-11,病假,1" >>facts/leave.csv
wenze_out=$("$WENZE" replay L) && fail "replay passed with an edited facts file"
grep -q -x "entry 3: identical" <<<"$wenze_out" || fail "entry 3 (stored facts) should replay: $wenze_out"
grep -q -x "entry 4: facts changed since: facts/leave.csv" <<<"$wenze_out" || fail "leave.csv not named: $wenze_out"
grep -q -x "entry 6: identical" <<<"$wenze_out" || fail "entry 6 (its own facts) should replay: $wenze_out"
# the same problem in Chinese: the status word and the file, no English left
wenze_out_zh=$("$WENZE" --lang zh replay L) && fail "replay passed with an edited facts file (zh)"
line=$(grep '^第 4 条' <<<"$wenze_out_zh") || fail "no line for entry 4 in Chinese: $wenze_out_zh"
[[ "$line" == *"事实数据已改变"*"facts/leave.csv" ]] || fail "entry 4 in Chinese: $line"
[[ "$line" != *"changed since"* ]] || fail "English left in: $line"
grep -q -x "wenze: 4 runs replayed, 2 identical, 2 not" <<<"$wenze_out" || fail "unexpected: $wenze_out"
# --facts-root: the recorded relative path under another root
mkdir root && cp -r "$EXAMPLE" root/facts && cp -r facts-appeal root/
expect_ok wenze replay L --facts-root root
pass

case_ "an edited ledger row: ledger verify and replay name the entry"
cp L L.attacked
sqlite3 L.attacked "DROP TRIGGER entries_no_update; UPDATE entries SET body = replace(body, '2020-07-20', '2020-07-10') WHERE id = 7;"
expect_fail --prefix 1 "L.attacked: error: chain broken at entry 7: entry 7 was edited" -- wenze ledger verify L.attacked
pass

case_ "streak rules read earlier periods from the ledger: the same decisions as with --history"
expect_ok wenze run "$SRC/policies/county-plan-2011.wz" --facts "$SRC/examples/county-prev" --ledger C --out c2010
expect_ok wenze run "$SRC/policies/county-plan-2011.wz" --facts "$SRC/examples/county" --ledger C --out c2011
expect_ok wenze run "$SRC/policies/county-plan-2011.wz" --facts "$SRC/examples/county" --history "$SRC/examples/county/history" --out cref
grep -q '"rule":"last_two_years"' c2011/findings.jsonl || fail "连续两年居末位 did not fire from the ledger's 2010"
diff <(sed 's|history/[^/]*/kept.csv|history/P/kept.csv|g' cref/findings.jsonl) \
     <(sed 's|history/[^/]*/kept.csv|history/P/kept.csv|g' c2011/findings.jsonl) || fail "findings differ from the --history run"
grep -q '{"period": "2010-01-01.1", ' c2011/summary.json || fail "the period read is not entry 1's"
expect_ok wenze replay C
grep -q -x "wenze: 2 runs replayed, 2 identical, 0 not" "$OUT_FILE" || fail "unexpected: $(cat "$OUT_FILE")"
pass

# ---- SIGKILL at random moments ----
case_ "a run killed with SIGKILL leaves a whole chain"
rm -rf facts && cp -r "$EXAMPLE" facts
expect_ok wenze ledger verify L
before=$(sed -n 's/^wenze: L: \([0-9]*\) entries.*/\1/p' "$OUT_FILE")
for i in 1 2 3 4 5 6; do
    "$WENZE" run dongliu-2019.wz --ledger L --store-facts --facts facts --out "k$i" >/dev/null 2>&1 &
    pid=$!
    sleep "0.0$((RANDOM % 10))"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    expect_ok wenze ledger verify L
done
after=$(sed -n 's/^wenze: L: \([0-9]*\) entries.*/\1/p' "$OUT_FILE")
[ "$after" -ge "$before" ] && [ "$after" -le $((before + 6)) ] || fail "entries went from $before to $after"
expect_ok wenze ledger log L
[ "$(wc -l <"$OUT_FILE")" = "$after" ] || fail "log lists $(wc -l <"$OUT_FILE") entries, verify counted $after"
expect_ok wenze run dongliu-2019.wz --ledger L --facts facts --out k-last
grep -q -x "wenze: recorded as entry $((after + 1)) of L" "$OUT_FILE" || fail "the next run is not entry $((after + 1))"
expect_ok wenze ledger verify L
pass

finish
