#!/usr/bin/env bash
# Golden cases of policies/county-plan-2011.wz: tests/golden/county/cases (format: tests/golden/README.md).
exec bash "$(dirname "$0")/golden.sh" "$@" county
