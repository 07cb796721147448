#!/usr/bin/env bash
# The wenze benchmark: the 东流镇 2019 policy (policies/dongliu-2019.wz) on
# generated facts of growing size, run by wenze and by peer implementations of
# the same policy (bench/peers/: sqlite3, mawk, Lua 5.4, LuaJIT, DuckDB), side by side,
# with `cat` and `wc -l` over the same files as floors.
#
#   bash bench/run.sh            sizes 10k 100k 1M 1.4M 10M rows (BENCH_MAX=50M adds 50M)
#   bash bench/run.sh --smoke    1k rows, one run: every peer must agree (make test)
#
# The DuckDB peer needs Node.js and its npm packages (scripts/bench-deps.sh, which
# `make bench` runs).  The smoke includes it only where they are installed, so that
# `make test` needs neither npm nor the network.
#
# Before any timing, each peer's pay.csv is compared with wenze's byte for byte
# (to the fen); a peer that disagrees is reported and not timed.  Each system is
# timed BENCH_RUNS times (default 3), interleaved, with GNU time (wall seconds,
# peak RSS); the best run counts.  Writes bench/results/latest.csv and
# bench/results/latest.svg (time vs rows, log-log).
#
# Environment: WENZE, GEN (binaries; default build/), BENCH_MAX (50M),
# BENCH_SIZES (e.g. "10000 1000000"), BENCH_RUNS, BENCH_DATA (where generated
# facts are kept; default build/bench-data), BENCH_THREADS (wenze --threads).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
wenze=${WENZE:-$root/build/wenze}
gen=${GEN:-$root/build/bench/wenze-bench-gen}
smoke=0
[ "${1:-}" = --smoke ] && smoke=1

if [ $smoke = 1 ]; then
    sizes=1000
    runs=1
    data=$(mktemp -d)
    results=$data/results
    trap 'rm -rf "$data"' EXIT
else
    # 1.4 M rows is a county-year: ~6 000 staff with a sign-in row every weekday
    sizes=${BENCH_SIZES:-"10000 100000 1000000 1400000 10000000"}
    [ "${BENCH_MAX:-}" = 50M ] && sizes="$sizes 50000000"
    runs=${BENCH_RUNS:-3}
    data=${BENCH_DATA:-$root/build/bench-data}
    results=$root/bench/results
fi
threads=${BENCH_THREADS:-$(nproc)}
mkdir -p "$data" "$results"
for tool in "$wenze" "$gen"; do
    [ -x "$tool" ] || { echo "bench: $tool is missing; run 'make build' first" >&2; exit 2; }
done
for tool in sqlite3 mawk lua5.4 luajit /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing; run 'sh scripts/deps.sh'" >&2; exit 2; }
done

systems="wenze sqlite awk lua luajit duckdb cat wc"
peers="sqlite awk lua luajit duckdb"
duckdb_ready() {
    command -v node >/dev/null && [ -e "$root/bench/peers/duckdb/node_modules/@duckdb/node-api/package.json" ]
}
if ! duckdb_ready; then
    if [ $smoke = 1 ]; then
        echo "bench smoke: the DuckDB peer is not installed (sh scripts/bench-deps.sh); checking the others" >&2
        systems=${systems/duckdb /}
        peers=${peers/ duckdb/}
    else
        echo "bench: the DuckDB peer is not installed; run 'sh scripts/bench-deps.sh' (make bench does)" >&2
        exit 2
    fi
fi

# run SYSTEM FACTS OUTDIR — one run of a system, writing OUTDIR/pay.csv
run() {
    local sys=$1 facts=$2 out=$3
    case $sys in
    wenze)  "$wenze" run "$root/policies/dongliu-2019.wz" --facts "$facts" --out "$out" --threads "$threads" >/dev/null ;;
    sqlite) mkdir -p "$out" && bash "$root/bench/peers/sqlite.sh" "$facts" "$out/pay.csv" ;;
    awk)    mkdir -p "$out" && bash "$root/bench/peers/awk.sh" "$facts" "$out/pay.csv" ;;
    lua)    mkdir -p "$out" && bash "$root/bench/peers/lua.sh" "$facts" "$out/pay.csv" ;;
    luajit) mkdir -p "$out" && bash "$root/bench/peers/luajit.sh" "$facts" "$out/pay.csv" ;;
    duckdb) mkdir -p "$out" && DUCKDB_THREADS=$threads bash "$root/bench/peers/duckdb.sh" "$facts" "$out/pay.csv" ;;
    cat)    cat "$facts"/*.csv >/dev/null ;;
    wc)     wc -l "$facts"/*.csv >/dev/null ;;
    esac
}

# timed SYSTEM FACTS OUTDIR — prints "WALL_SECONDS PEAK_KIB"
timed() {
    local sys=$1 facts=$2 out=$3 tf
    tf=$(mktemp)
    rm -rf "$out"
    # GNU time gives the largest process's peak RSS; its wall clock has only
    # 10 ms steps, so the wall time is taken around it in microseconds
    local t0 t1
    t0=$EPOCHREALTIME
    /usr/bin/time -f "%M" -o "$tf" bash -c "$(declare -f run); root='$root' wenze='$wenze' threads='$threads'; run '$sys' '$facts' '$out'" \
        >/dev/null 2>"$tf.err" || { echo "bench: $sys failed on $facts:" >&2; cat "$tf.err" >&2; rm -f "$tf" "$tf.err"; return 1; }
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" -v rss="$(cat "$tf")" 'BEGIN { printf "%.4f %d\n", b - a, rss }'
    rm -f "$tf" "$tf.err"
}

csv=$results/latest.csv
echo "rows,system,wall_s,peak_kib,agrees" > "$csv.tmp"
status=0
for size in $sizes; do
    facts=$data/rows-$size
    if [ ! -s "$facts/.generated" ]; then
        rm -rf "$facts"
        "$gen" --seed 1 --rows "$size" --out "$facts" > "$facts.gen" && mv "$facts.gen" "$facts/.generated"
    fi
    rows=$(sed -n 's/.*rows=\([0-9]*\).*/\1/p' "$facts/.generated")
    work=$data/work-$size
    rm -rf "$work"
    mkdir -p "$work"
    # correctness first: every peer's pay.csv must equal wenze's
    run wenze "$facts" "$work/wenze"
    declare -A agrees=([wenze]=yes [cat]=floor [wc]=floor)
    for p in $peers; do
        if run "$p" "$facts" "$work/$p" 2>"$work/$p.err" && cmp -s "$work/wenze/pay.csv" "$work/$p/pay.csv"; then
            agrees[$p]=yes
        else
            agrees[$p]=no
            status=1
            echo "bench: $rows rows: $p's pay.csv DIFFERS from wenze's (not timed):" >&2
            diff "$work/wenze/pay.csv" "$work/$p/pay.csv" 2>&1 | head -5 >&2 || true
            head -3 "$work/$p.err" >&2 || true
        fi
    done
    echo "bench: $rows rows: pay.csv agrees to the fen for: $(for p in $peers; do [ "${agrees[$p]}" = yes ] && printf '%s ' "$p"; done)" >&2
    [ $smoke = 1 ] && continue
    declare -A best_wall=() best_rss=()
    for ((r = 1; r <= runs; r++)); do
        for sys in $systems; do
            [ "${agrees[$sys]}" = no ] && continue
            read -r wall rss < <(timed "$sys" "$facts" "$work/t-$sys")
            if [ -z "${best_wall[$sys]:-}" ] || awk -v a="$wall" -v b="${best_wall[$sys]}" 'BEGIN { exit !(a < b) }'; then
                best_wall[$sys]=$wall
                best_rss[$sys]=$rss
            fi
        done
    done
    for sys in $systems; do
        if [ "${agrees[$sys]}" = no ]; then
            echo "$rows,$sys,,,no" >> "$csv.tmp"
        else
            echo "$rows,$sys,${best_wall[$sys]},${best_rss[$sys]},${agrees[$sys]}" >> "$csv.tmp"
        fi
    done
    unset best_wall best_rss agrees
done

if [ $smoke = 1 ]; then
    [ $status = 0 ] && echo "bench smoke: $(echo $peers | wc -w) peers agree with wenze; 1 passed, 0 failed"
    exit $status
fi
mv "$csv.tmp" "$csv"

# The table: one row per size and system; speed-up = peer time / wenze time,
# floor multiple = wenze time / wc -l time.
awk -F, -v threads="$threads" '
    NR == 1 { next }
    { key = $1 SUBSEP $2; wall[key] = $3; rss[key] = $4; ok[key] = $5
      if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
      if (!($2 in sys_seen)) { sys_seen[$2] = 1; sys[++m] = $2 } }
    END {
        printf "%-10s %-8s %10s %12s   %s\n", "rows", "system", "wall s", "peak MiB", "vs wenze"
        for (i = 1; i <= n; i++) {
            r = order[i]; w = wall[r SUBSEP "wenze"]
            for (j = 1; j <= m; j++) {
                s = sys[j]; k = r SUBSEP s
                if (ok[k] == "no") { printf "%-10s %-8s %10s %12s %12s\n", r, s, "-", "-", "DISAGREES"; continue }
                note = ""
                if (s == "wenze") note = sprintf("(%d threads)", threads)
                else if (s == "cat" || s == "wc") note = (wall[k] > 0 ? sprintf("floor; wenze takes %.1fx this", w / wall[k]) : "floor")
                else note = (w > 0 ? sprintf("wenze speed-up %.2fx", wall[k] / w) : "")
                printf "%-10s %-8s %10.4f %12.1f   %s\n", r, s, wall[k], rss[k] / 1024, note
            }
        }
    }' "$csv"

# The same side by side, one line per size (the layout of bench/README.md's table):
# wall seconds per system, then wenze's speed-up over each database/JIT peer and its
# multiple of the wc -l floor.
echo
awk -F, '
    NR == 1 { next }
    { key = $1 SUBSEP $2; wall[key] = $3; rss[key] = $4; ok[key] = $5
      if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
      if (!($2 in sys_seen)) { sys_seen[$2] = 1; sys[++m] = $2 } }
    function ratio(a, b) { return (ok[a] == "no" || ok[b] == "no" || wall[b] == "" || wall[b] + 0 == 0) ? "-" : sprintf("%.1fx", wall[a] / wall[b]) }
    END {
        printf "| rows |"; for (j = 1; j <= m; j++) printf " %s s |", sys[j]
        printf " speed-up over sqlite / duckdb / luajit | wenze / wc -l | wenze peak MiB |\n"
        printf "|---|"; for (j = 1; j <= m; j++) printf "---|"; printf "---|---|---|\n"
        for (i = 1; i <= n; i++) {
            r = order[i]; printf "| %s |", r
            for (j = 1; j <= m; j++) { k = r SUBSEP sys[j]; printf " %s |", (ok[k] == "no" ? "differs" : sprintf("%.3f", wall[k])) }
            printf " %s / %s / %s | %s | %.0f |\n", ratio(r SUBSEP "sqlite", r SUBSEP "wenze"), ratio(r SUBSEP "duckdb", r SUBSEP "wenze"),
                ratio(r SUBSEP "luajit", r SUBSEP "wenze"), ratio(r SUBSEP "wenze", r SUBSEP "wc"), rss[r SUBSEP "wenze"] / 1024
        }
    }' "$csv"

# The plot: time vs rows, log-log, one line per system.
awk -F, '
    function lx(v) { return 70 + (log(v) / log(10) - x0) / (x1 - x0) * 560 }
    function ly(v) { return 390 - (log(v) / log(10) - y0) / (y1 - y0) * 340 }
    NR == 1 { next }
    $5 != "no" && $3 > 0 {
        rows[++n] = $1; sys[n] = $2; t[n] = ($3 < 0.001 ? 0.001 : $3)
        if (!($2 in order)) { order[$2] = ++m; names[m] = $2 }
    }
    END {
        x0 = 100; x1 = 0; y0 = 100; y1 = -100
        for (i = 1; i <= n; i++) {
            lr = log(rows[i]) / log(10); lt = log(t[i]) / log(10)
            if (lr < x0) x0 = lr; if (lr > x1) x1 = lr; if (lt < y0) y0 = lt; if (lt > y1) y1 = lt
        }
        x0 = int(x0); x1 = int(x1) + 1; y0 = (y0 < 0 ? int(y0) - 1 : int(y0)); y1 = int(y1) + 1
        split("#d62728 #1f77b4 #2ca02c #9467bd #ff7f0e #7f7f7f #bcbd22", color, " ")
        print "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"440\" font-family=\"sans-serif\" font-size=\"12\">"
        print "<rect width=\"760\" height=\"440\" fill=\"white\"/>"
        print "<text x=\"350\" y=\"20\" text-anchor=\"middle\">wenze benchmark: wall time vs fact rows (log-log)</text>"
        for (e = x0; e <= x1; e++) printf "<line x1=\"%.1f\" y1=\"50\" x2=\"%.1f\" y2=\"390\" stroke=\"#ddd\"/><text x=\"%.1f\" y=\"408\" text-anchor=\"middle\">1e%d</text>\n", lx(10^e), lx(10^e), lx(10^e), e
        for (e = y0; e <= y1; e++) printf "<line x1=\"70\" y1=\"%.1f\" x2=\"630\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"64\" y=\"%.1f\" text-anchor=\"end\">%gs</text>\n", ly(10^e), ly(10^e), ly(10^e) + 4, 10^e
        print "<text x=\"350\" y=\"430\" text-anchor=\"middle\">fact rows</text>"
        for (j = 1; j <= m; j++) {
            pts = ""
            for (i = 1; i <= n; i++) if (sys[i] == names[j]) pts = pts sprintf("%.1f,%.1f ", lx(rows[i]), ly(t[i]))
            printf "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n", color[j], pts
            printf "<text x=\"645\" y=\"%d\" fill=\"%s\">%s</text>\n", 60 + 18 * j, color[j], names[j]
        }
        print "</svg>"
    }' "$csv" > "$results/latest.svg"
echo "bench: wrote $csv and $results/latest.svg" >&2
exit $status
