#!/usr/bin/env bash
# LuaJIT peer: bash bench/peers/luajit.sh FACTS_DIR OUT_PAY_CSV
set -euo pipefail
if [ $# -ne 2 ]; then echo "usage: bash $0 FACTS_DIR OUT_PAY_CSV" >&2; exit 2; fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$(dirname "$2")"
exec luajit "$here/dongliu_jit.lua" "$1" "$2"
