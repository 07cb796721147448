#!/usr/bin/env bash
# Golden cases of policies/songtao-grades.wz: tests/golden/songtao/cases (format: tests/golden/README.md).
exec bash "$(dirname "$0")/golden.sh" "$@" songtao
