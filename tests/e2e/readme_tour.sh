#!/usr/bin/env bash
# The README's language tour is a valid policy: `wenze check` accepts it.
set -euo pipefail
wenze=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk '/^## A 5-minute tour/ {tour=1} tour && /^```$/ && !inblock {inblock=1; next} inblock && /^```$/ {exit} inblock {print}' \
    "$src/README.md" > "$tmp/tour.wz"
[ -s "$tmp/tour.wz" ] || { echo "no tour block found in README.md" >&2; exit 1; }
"$wenze" check "$tmp/tour.wz"
echo "readme_tour: 1 passed, 0 failed"
