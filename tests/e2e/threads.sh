#!/usr/bin/env bash
# Outputs are byte-identical for any --threads N.  The facts are made big
# enough here (2 600 persons, > 1 MiB of sign-ins) that both the facts loader
# and the VM really split their work.
set -euo pipefail
# same_output A B: the same files, byte for byte, but for summary.json's "command" line (it
# names the --out directory)
same_output() {
    diff -r -x summary.json "$1" "$2" && diff <(grep -v '^"command": ' "$1/summary.json") <(grep -v '^"command": ' "$2/summary.json")
}
wenze=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
f=$tmp/facts
mkdir -p "$f"
awk -v dir="$f" 'BEGIN {
    n = 2600
    print "id,name,gender,birth_date,post,status" > (dir "/staff.csv")
    print "id,date,kind,days" > (dir "/leave.csv")
    print "id,date,missed" > (dir "/signin.csv")
    print "id,weekly_hours" > (dir "/workload.csv")
    print "id,routine,research" > (dir "/routine.csv")
    print "id,score" > (dir "/results.csv")
    print "id,date,level" > (dir "/discipline.csv")
    print "name,value\npool,20800000.55" > (dir "/params.csv")
    split("专任教师 专任教师 专任教师 非教学人员 督导员 安排休息", posts, " ")
    split("病假 事假 旷工 病假 婚假", kinds, " ")
    for (i = 1; i <= n; i++) {
        id = sprintf("P%05d", i)
        printf "%s,教师%d,%s,%d-%02d-%02d,%s,%s\n", id, i, (i % 2 ? "男" : "女"), 1960 + i % 38, 1 + i % 12, 1 + i % 28,
               posts[1 + i % 6], (i % 97 ? "在岗" : "停发工资") > (dir "/staff.csv")
        printf "%s,%d.%d\n", id, 8 + i % 12, i % 10 > (dir "/workload.csv")
        printf "%s,%d.5,%d\n", id, 20 + i % 20, 10 + i % 20 > (dir "/routine.csv")
        printf "%s,%d\n", id, 8 + i % 12 > (dir "/results.csv")
        for (k = 0; k < 3; k++)
            printf "%s,2020-0%d-1%d,%s,%d.5\n", id, 3 + k, k, kinds[1 + (i + k) % 5], (i * 7 + k) % 4 > (dir "/leave.csv")
        if (i % 50 == 0) printf "%s,2019-12-0%d,警告\n", id, 1 + i % 9 > (dir "/discipline.csv")
    }
    for (d = 1; d <= 20; d++)            # sign-ins by date, as a school exports them
        for (i = 1; i <= n; i++)
            printf "P%05d,2019-10-%02d,%d\n", i, d, (i * d) % 13 == 0 ? 2 : 0 > (dir "/signin.csv")
}'
for t in 1 2 3; do
    "$wenze" run "$src/policies/dongliu-2019.wz" --facts "$f" --out "$tmp/out$t" --threads "$t" >/dev/null
done
same_output "$tmp/out1" "$tmp/out2"
same_output "$tmp/out1" "$tmp/out3"
grep -q '"persons": 2600' "$tmp/out1/summary.json"
# --timing reports the phases on stderr and changes no output
"$wenze" run "$src/policies/dongliu-2019.wz" --facts "$f" --out "$tmp/timed" --threads 1 --timing >/dev/null 2>"$tmp/timing.err"
grep -E -q '^wenze: timing \(ms\): facts [0-9.]+, evaluation [0-9.]+, pay [0-9.]+, outputs [0-9.]+; 1 thread$' "$tmp/timing.err"
same_output "$tmp/out1" "$tmp/timed"
echo "threads: 1 passed, 0 failed"
