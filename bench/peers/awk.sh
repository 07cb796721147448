#!/bin/bash
# Benchmark peer: the dongliu-2019 pay computation in awk (mawk).
# usage: bash bench/peers/awk.sh FACTS_DIR OUT_PAY_CSV
set -euo pipefail
if [ $# -ne 2 ]; then echo "usage: $0 FACTS_DIR OUT_PAY_CSV" >&2; exit 2; fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
d=$1
args=(F=P "$d/params.csv" F=S "$d/staff.csv" F=W "$d/workload.csv" F=R "$d/routine.csv")
[ -f "$d/research_override.csv" ] && args+=(F=O "$d/research_override.csv")
args+=(F=E "$d/results.csv")
[ -f "$d/class_teacher.csv" ] && args+=(F=C "$d/class_teacher.csv")
args+=(F=L "$d/leave.csv" F=G "$d/signin.csv" F=D "$d/discipline.csv")
exec mawk -f "$here/dongliu.awk" "${args[@]}" > "$2"
