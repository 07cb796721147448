#!/usr/bin/env bash
# Every "run it" command of README.md's "Shipped policies" table works as written: each
# policy runs on its example facts (from the source directory, into a fresh --out) and
# exits 0, and the table lists every policy under policies/.
# Usage: readme_policies.sh WENZE SOURCE_DIR
set -euo pipefail
NAME=readme_policies
source "$(dirname "$0")/lib.bash" "$@"

table=$(sed -n '/^## Shipped policies/,/^## /p' "$SRC/README.md")
mapfile -t cmds < <(grep -o '`build/wenze run [^`]*`' <<<"$table" | tr -d '`')
[ "${#cmds[@]}" -ge 7 ] || fail "expected the shipped policies' commands in README.md, found ${#cmds[@]}"
for p in "$SRC"/policies/*.wz; do
    [[ $p != *.test.wz ]] || continue   # a policy's tests, not a policy
    grep -q "policies/$(basename "$p") " <<<"$table" || fail "README.md's table does not list policies/$(basename "$p")"
done
i=0
for c in "${cmds[@]}"; do
    case_ "$c"
    read -r -a words <<<"$c"
    args=("${words[@]:2}")
    for k in "${!args[@]}"; do
        [ "${args[$k]}" = --out ] && args[$((k + 1))]=$TMP/out$i
    done
    (cd "$SRC" && expect_ok wenze run "${args[@]}")
    [ -s "$TMP/out$i/summary.json" ] || fail "no summary.json after: $c"
    i=$((i + 1))
    pass
done
finish
