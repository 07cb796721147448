#!/usr/bin/env bash
# Fault injection (issue 16): a full disk, a read-only output parent, and SIGKILL at random
# points of a large run.  Whatever happens, the previous output survives whole (wenze verify
# passes on it), a failed run says why and leaves nothing behind, and the next run sweeps
# what a killed one left.  A full disk is a small tmpfs when this machine lets the test
# mount one (root), else an LD_PRELOAD shim (tests/fault/enospc.c) failing write(2) with
# ENOSPC; a read-only parent is a tmpfs remounted read-only, else chmod 555 (not for root).
# Usage: faults.sh WENZE SOURCE_DIR      (WZ_FAULT_SHIM=1: the shim even where a tmpfs mounts)
set -euo pipefail
NAME=faults
source "$(dirname "$0")/lib.bash" "$@"
MOUNTS=()
trap 'for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null || true; done; rm -rf "$TMP"' EXIT

# small_tmpfs DIR SIZE — mounts a tmpfs of SIZE at DIR; false when this machine does not allow it
small_tmpfs() {
    mkdir -p "$1"
    [ "$(id -u)" = 0 ] && mount -t tmpfs -o "size=$2" tmpfs "$1" 2>/dev/null || return 1
    MOUNTS+=("$1")
}

case_ "a full disk: the run fails naming the file, the previous output survives whole, nothing is left"
if [ -z "${WZ_FAULT_SHIM:-}" ] && small_tmpfs "$TMP/full" 40k; then
    expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/full/out"
    # the new output cannot fit beside the old one
    expect_fail --prefix 4 "$TMP/full/out/" -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/full/out" --param pool=400000
    grep -q 'No space left on device' "$ERR_FILE" || fail "the error does not say the disk is full"
    expect_ok wenze verify "$TMP/full/out"
    how="tmpfs"
else
    command -v cc >/dev/null || fail "no tmpfs and no C compiler for the shim"
    cc -shared -fPIC -o "$TMP/enospc.so" "$SRC/tests/fault/enospc.c" -ldl
    expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/shim/out"
    # ASan wants to be first; the shim only wraps write(2)
    export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
    export LD_PRELOAD=$TMP/enospc.so WZ_FAULT_PATH=/.out.tmp-
    expect_fail 4 "$TMP/shim/out/scores.csv: error: cannot write: No space left on device" \
        -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/shim/out" --param pool=400000
    unset LD_PRELOAD WZ_FAULT_PATH
    expect_ok wenze verify "$TMP/shim/out"
    how="LD_PRELOAD shim"
fi
echo "faults: full disk by $how"
pass

case_ "a read-only output parent: the run fails clearly and writes nothing"
ro=""
if small_tmpfs "$TMP/ro" 1m; then
    expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/ro/out"
    mount -o remount,ro "$TMP/ro"
    ro="$TMP/ro"
elif [ "$(id -u)" != 0 ]; then
    mkdir -p "$TMP/ro"
    expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/ro/out"
    chmod 555 "$TMP/ro"
    ro="$TMP/ro"
fi
if [ -n "$ro" ]; then
    expect_fail --prefix 4 "$ro: error: cannot create a temporary directory: " \
        -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$ro/out" --param pool=400000
    expect_ok wenze verify "$ro/out"
    expect_fail --prefix 4 "$ro: error: cannot create a temporary directory: " \
        -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$ro/new"
    chmod 755 "$ro" 2>/dev/null || true
else
    echo "faults: read-only parent skipped (root without mount)"
fi
pass

case_ "SIGKILL at random points of a large run: the output is always the old or the new one, whole"
gen=$(dirname "$WENZE")/bench/wenze-bench-gen
[ -x "$gen" ] || fail "no $gen"
"$gen" --seed 7 --rows 300000 --out "$TMP/big" >/dev/null
bench_policy=$SRC/policies/dongliu-2019.wz
expect_ok wenze run "$bench_policy" --facts "$TMP/big" --out "$TMP/kill/out" --threads 2
cp "$TMP/kill/out/summary.json" "$TMP/first-summary.json"
start=$(date +%s%N)
expect_ok wenze run "$bench_policy" --facts "$TMP/big" --out "$TMP/kill/out" --threads 2 --param pool=400000
ms=$((($(date +%s%N) - start) / 1000000))
RANDOM=16   # the same points each run of the test
old=0 new=0
for i in 1 2 3 4 5 6; do
    delay=$((RANDOM % (ms + 50)))
    "$WENZE" run "$bench_policy" --facts "$TMP/big" --out "$TMP/kill/out" --threads 2 --param "pool=40000$i" \
        >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v d="$delay" 'BEGIN { printf "%.3f", d / 1000 }')"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    [ -d "$TMP/kill/out" ] || fail "after a kill at $delay ms the output directory is gone"
    expect_ok wenze verify "$TMP/kill/out"
    if grep -q -F "\"value\": \"40000$i\"" "$TMP/kill/out/summary.json"; then new=$((new + 1)); else old=$((old + 1)); fi
done
echo "faults: a run takes $ms ms; of 6 kills, $old left the previous output, $new completed"
# the next run sweeps whatever the killed ones left beside the output
expect_ok wenze run "$bench_policy" --facts "$TMP/big" --out "$TMP/kill/out" --threads 2
[ -z "$(find "$TMP/kill" -maxdepth 1 -name '.out.*')" ] || fail "left behind: $(find "$TMP/kill" -maxdepth 1 -name '.out.*')"
pass

finish
