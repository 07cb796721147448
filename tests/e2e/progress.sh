#!/usr/bin/env bash
# The progress line of a run: on a terminal only (script(1) gives the run one), erased before
# the summary, gone with --quiet, never in a pipe; the outputs are the same with or without it.
# Usage: progress.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=progress
source "$(dirname "$0")/lib.bash" "$@"

command -v script >/dev/null || { echo "progress: skipped: no script(1)"; exit 0; }

case_ "on a terminal: reading, evaluating, distributing, then erased; outputs unchanged"
script -qec "'$WENZE' run '$POLICY' --facts '$EXAMPLE' --out '$TMP/tty'" /dev/null >"$TMP/tty.txt" </dev/null
grep -q 'wenze: reading facts: .*staff.csv, 40 rows so far' "$TMP/tty.txt" || fail "no reading line: $(cat -v "$TMP/tty.txt")"
grep -q 'evaluating 40 entities' "$TMP/tty.txt" || fail "no evaluating line"
grep -q $'\r\e\\[Kwenze: 40 persons, 235 fact rows read' "$TMP/tty.txt" || fail "the progress line is not erased before the summary"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/pipe"
! grep -q 'reading facts' "$ERR_FILE" "$OUT_FILE" || fail "progress into a pipe"
for f in scores.csv pay.csv sanctions.csv findings.jsonl; do cmp "$TMP/tty/$f" "$TMP/pipe/$f" || fail "$f differs with a progress line"; done
pass

case_ "--quiet: no progress line on a terminal"
script -qec "'$WENZE' run '$POLICY' --facts '$EXAMPLE' --out '$TMP/quiet' --quiet" /dev/null >"$TMP/quiet.txt" </dev/null
! grep -q 'reading facts' "$TMP/quiet.txt" || fail "progress despite --quiet"
grep -q 'wenze: 40 persons' "$TMP/quiet.txt" || fail "no summary with --quiet"
pass

finish
