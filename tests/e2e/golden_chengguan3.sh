#!/usr/bin/env bash
# Golden cases of policies/chengguan3-targets.wz: tests/golden/chengguan3/cases (format: tests/golden/README.md).
exec bash "$(dirname "$0")/golden.sh" "$@" chengguan3
