#!/usr/bin/env bash
# Golden cases of policies/qingshuipu-safety.wz: tests/golden/qingshuipu/cases (format: tests/golden/README.md).
exec bash "$(dirname "$0")/golden.sh" "$@" qingshuipu
