#!/usr/bin/env bash
# Golden cases of policies/yaliu-accountability.wz: tests/golden/yaliu/cases (format: tests/golden/README.md).
exec bash "$(dirname "$0")/golden.sh" "$@" yaliu
