#!/usr/bin/env bash
# Golden cases of policies/dongliu-2019.wz: tests/golden/dongliu/cases (format: tests/golden/README.md).
exec bash "$(dirname "$0")/golden.sh" "$@" dongliu
