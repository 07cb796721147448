#!/usr/bin/env bash
# The HTML report in a real browser: headless Chromium loads the page from a file with
# #selftest, runs its script (the page then sorts a column, filters, opens a drill-down
# and writes what it saw into #wz-selftest), and --dump-dom hands the rendered page to
# tests/browser/check_report.py, which checks every person's row and figures against the
# run's own output files and the order the exact values give.  One browser start per page.
# Exit 77 (ctest: skipped, with the reason on stdout) where chromium is not installed;
# scripts/deps.sh installs it.
# Usage: report_browser.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=report_browser
source "$(dirname "$0")/lib.bash" "$@"
export SOURCE_DATE_EPOCH=1700000000

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    echo "$NAME: SKIPPED: chromium is not installed (scripts/deps.sh installs the Debian package chromium)"
    exit 77
fi

# render PAGE DOM — the page after its script ran, as the browser holds it
render() {
    local profile
    profile=$(mktemp -d "$TMP/chromium.XXXXXX")
    # the flags this machine needs: no sandbox as root, no GPU, and no background
    # connections (the network is closed; see the README's note on the browser tests)
    timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --dump-dom "file://$1#selftest" >"$2" 2>"$TMP/chromium.err" ||
        fail "chromium failed on $1: $(tail -n 5 "$TMP/chromium.err")"
    [ -s "$2" ] || fail "chromium rendered nothing for $1"
}

case_ "a run's page: rows, totals, pay, sorting, filter, drill-down"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/out" --report "$TMP/run.html"
render "$TMP/run.html" "$TMP/run.dom"
python3 "$SRC/tests/browser/check_report.py" run "$TMP/run.dom" "$TMP/out" || fail "the run's page, as rendered"
pass

case_ "a diff's page: who gains and who loses, sorting by the change of pay, filter, drill-down"
old=$SRC/policies/dongliu-2019.wz new=$SRC/policies/dongliu-2020.wz
expect_ok wenze diff "$old" "$new" --facts "$EXAMPLE" --out "$TMP/impact" --report "$TMP/diff.html"
render "$TMP/diff.html" "$TMP/diff.dom"
python3 "$SRC/tests/browser/check_report.py" diff "$TMP/diff.dom" "$TMP/impact/impact.csv" || fail "the diff's page, as rendered"
pass

case_ "a diff's page when a leader's own amount changes: the awards before, after and their change"
# tests/policies/leader_amount.wz: the principal's own fine, two months of his merit pay, becomes
# one and a half; the pool is untouched, so the leaders' change is in the awards columns
cp "$SRC/tests/policies/leader_amount.wz" "$TMP/lead.wz"
sed 's/first 校长 = -2 \* (merit.monthly/first 校长 = -1.5 * (merit.monthly/' "$TMP/lead.wz" >"$TMP/lead2.wz"
expect_ok wenze diff "$TMP/lead.wz" "$TMP/lead2.wz" --facts "$SRC/tests/fixtures/leader_amount" --out "$TMP/lead-impact" --report "$TMP/lead.html"
render "$TMP/lead.html" "$TMP/lead.dom"
python3 "$SRC/tests/browser/check_report.py" diff "$TMP/lead.dom" "$TMP/lead-impact/impact.csv" >"$TMP/lead.check" || fail "the leader's diff page, as rendered"
grep -q -F '2 rows with their dpay, dawards, dtotal' "$TMP/lead.check" || fail "no column of the awards: $(cat "$TMP/lead.check")"
pass

case_ "a diff's page without a pool: the awards each post holder answers for, sorted by their change"
# kashi10-milestones: the reward of a goal done on time 500 → 600; goals' rows have no awards of a person
sed 's/^param reward: decimal = 500;/param reward: decimal = 600;/' "$SRC/policies/kashi10-milestones-2017.wz" >"$TMP/k2.wz"
expect_ok wenze diff "$SRC/policies/kashi10-milestones-2017.wz" "$TMP/k2.wz" --facts "$SRC/examples/milestones" --out "$TMP/k-impact" --report "$TMP/k.html"
render "$TMP/k.html" "$TMP/k.dom"
python3 "$SRC/tests/browser/check_report.py" diff "$TMP/k.dom" "$TMP/k-impact/impact.csv" >"$TMP/k.check" || fail "the milestones diff page, as rendered"
grep -q 'sort (dawards)' "$TMP/k.check" || fail "the self-test did not sort by the awards: $(cat "$TMP/k.check")"
pass

finish
