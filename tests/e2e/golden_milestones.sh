#!/usr/bin/env bash
# Golden cases of policies/kashi10-milestones-2017.wz: tests/golden/milestones/cases (format: tests/golden/README.md).
exec bash "$(dirname "$0")/golden.sh" "$@" milestones
