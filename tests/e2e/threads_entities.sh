#!/usr/bin/env bash
# Outputs are byte-identical for any --threads N, for a policy with ranks, limits, decide
# conflicts, sharing, awards split among responsible persons and two entity kinds
# (tests/policies/threads_entities.wz), on facts big enough (6 000 persons, 600 schools)
# that the VM and the loader really split their work.
set -euo pipefail
# same_output A B: the same files, byte for byte, but for summary.json's "command" line (it
# names the --out directory)
same_output() {
    diff -r -x summary.json "$1" "$2" && diff <(grep -v '^"command": ' "$1/summary.json") <(grep -v '^"command": ' "$2/summary.json")
}
wenze=$1 src=$2
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
f=$tmp/facts
mkdir -p "$f"
awk -v dir="$f" 'BEGIN {
    n = 6000; schools = 600
    print "id,school,post,years" > (dir "/staff.csv")
    print "id,subject,project,score" > (dir "/scores.csv")
    print "school,kind" > (dir "/incident.csv")
    for (i = 1; i <= n; i++) {
        s = 1 + i % schools
        post = (i <= schools ? "校长" : (i <= 3 * schools ? "班主任" : ""))
        printf "P%05d,S%03d,%s,%d\n", i, s, post, (i * 7) % 35 > (dir "/staff.csv")
        for (k = 0; k < 3; k++)
            printf "P%05d,科%d,J%04d,%d.%d\n", i, k, (i * 3 + k) % 2000, (i * 13 + k * 7) % 60, i % 2 * 5 > (dir "/scores.csv")
    }
    for (s = 1; s <= schools; s++) {
        if (s % 7 == 0) printf "S%03d,安全\n", s > (dir "/incident.csv")
        for (k = 0; k < s % 4; k++) printf "S%03d,卫生\n", s > (dir "/incident.csv")
    }
}'
for t in 1 2 3; do
    "$wenze" run "$src/tests/policies/threads_entities.wz" --facts "$f" --out "$tmp/out$t" --threads "$t" >"$tmp/stdout$t" 2>"$tmp/stderr$t" \
        || { echo "threads_entities: the run with --threads $t failed:" >&2; head "$tmp/stderr$t" >&2; exit 1; }
done
for t in 2 3; do
    same_output "$tmp/out1" "$tmp/out$t" >/dev/null || { echo "threads_entities: --threads $t differs from --threads 1" >&2; same_output "$tmp/out1" "$tmp/out$t" | head >&2; exit 1; }
    for std in stdout stderr; do   # the same messages, but for the output directory's name
        cmp -s <(sed "s|/out1/|/outN/|" "$tmp/${std}1") <(sed "s|/out$t/|/outN/|" "$tmp/$std$t") \
            || { echo "threads_entities: $std differs with --threads $t" >&2; exit 1; }
    done
done
# the run exercised what it is meant to: conflicts, limits, shares and responsibility
grep -q '"kind":"conflict"' "$tmp/out1/findings.jsonl" || { echo "threads_entities: no conflict finding" >&2; exit 1; }
[ "$(grep -c ',优秀$' "$tmp/out1/scores.csv")" -le 600 ] || { echo "threads_entities: the 10% limit was not kept" >&2; exit 1; }
grep -q ',school_fine,-300,.*,校长,第一责任人,' "$tmp/out1/awards.csv" || { echo "threads_entities: no split fine" >&2; exit 1; }
echo "threads_entities: 1 passed, 0 failed"
