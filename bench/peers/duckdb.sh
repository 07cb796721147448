#!/usr/bin/env bash
# DuckDB peer: bash bench/peers/duckdb.sh FACTS_DIR OUT_PAY_CSV
# (Node.js + @duckdb/node-api, installed by scripts/bench-deps.sh; DUCKDB_THREADS, default 2)
set -euo pipefail
if [ $# -ne 2 ]; then echo "usage: bash $0 FACTS_DIR OUT_PAY_CSV" >&2; exit 2; fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$(dirname "$2")"
exec node "$here/duckdb/dongliu.mjs" "$1" "$2"
