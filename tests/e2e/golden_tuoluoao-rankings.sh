#!/usr/bin/env bash
# Golden cases of policies/tuoluoao-2008-rankings.wz: tests/golden/tuoluoao-rankings/cases (format: tests/golden/README.md).
exec bash "$(dirname "$0")/golden.sh" "$@" tuoluoao-rankings
