#!/usr/bin/env bash
# Golden cases of policies/junheng-accountability.wz: tests/golden/junheng/cases (format: tests/golden/README.md).
exec bash "$(dirname "$0")/golden.sh" "$@" junheng
