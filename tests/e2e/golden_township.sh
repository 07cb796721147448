#!/usr/bin/env bash
# Golden cases of policies/township-2019.wz: tests/golden/township/cases (format: tests/golden/README.md).
exec bash "$(dirname "$0")/golden.sh" "$@" township
