#!/usr/bin/env bash
# The constructs docs/LANGUAGE.md shows are accepted by the checker, and the
# shipped policies check cleanly.
set -euo pipefail
wenze=$1 src=$2
"$wenze" check "$src/tests/policies/language_reference.wz"
"$wenze" check --werror "$src/tests/policies/language_reference_parts.wz"   # pay in parts: named, beside one pool
"$wenze" check --werror "$src/tests/policies/language_reference_units.wz"   # who answers: nested units, own measures, shares
for p in "$src"/policies/*.wz; do "$wenze" check "$p"; done
echo "language_examples: 3 passed, 0 failed"
