#!/usr/bin/env bash
# Peer implementation of policies/dongliu-2019.wz: the sqlite3 shell with one SQL script.
# usage: bash bench/peers/sqlite.sh FACTS_DIR OUT_PAY_CSV
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 FACTS_DIR OUT_PAY_CSV" >&2
    exit 2
fi
facts=${1%/}
out=$2
here=$(cd "$(dirname "$0")" && pwd)

sql=$(<"$here/dongliu.sql")
# optional fact files: an absent one is imported from /dev/null (an empty table)
for f in research_override.csv class_teacher.csv; do
    [ -e "$facts/$f" ] || sql=${sql//\"@FACTS@\/$f\"//dev/null}
done
# the sqlite3 shell reads "..." arguments with C-style backslash escapes
facts_q=${facts//\\/\\\\}; facts_q=${facts_q//\"/\\\"}
out_q=${out//\\/\\\\}; out_q=${out_q//\"/\\\"}
sql=${sql//@FACTS@/$facts_q}
sql=${sql//@OUT@/$out_q}

printf '%s\n' "$sql" | sqlite3 -batch :memory: >&2   # pay.csv is written by .output; stdout only has guard messages
