#!/bin/sh
# Runs the libFuzzer harnesses of tests/fuzz: first every committed regression input
# (tests/fuzz/regressions/NAME/*, each a crash that was fixed), then SECONDS of fuzzing per
# harness from the committed seeds (tests/fuzz/corpus/NAME, plus the shipped policies for
# fuzz_policy) into a working corpus under BUILD/fuzz-work (never into the repository).
# Prints one line per harness: executions and seconds.  Exits 1 on the first crash, leak,
# timeout or sanitizer report, leaving the input in BUILD/fuzz-work/NAME/crash-*.
# Usage: run.sh BUILD SECONDS        (make fuzz-smoke: 15 s; make fuzz FUZZ_SECONDS=…)
set -eu
BUILD=$1
SECONDS_EACH=$2
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$BUILD/tests/fuzz
WORK=$BUILD/fuzz-work
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
status=0
for name in policy facts vm decimal; do
    exe=$BIN/fuzz_$name
    [ -x "$exe" ] || { echo "fuzz: $exe is not built" >&2; exit 2; }
    mkdir -p "$WORK/$name/corpus"
    reg=$SRC/tests/fuzz/regressions/$name
    if [ -d "$reg" ] && [ -n "$(ls -A "$reg")" ]; then
        "$exe" -runs=1 "$reg"/* >"$WORK/$name/regressions.log" 2>&1 ||
            { echo "fuzz_$name: a regression input fails again:" >&2; tail -n 30 "$WORK/$name/regressions.log" >&2; exit 1; }
    fi
    seeds="$SRC/tests/fuzz/corpus/$name"
    [ "$name" = policy ] && seeds="$seeds $SRC/policies $SRC/stdlib $SRC/tests/policies"
    start=$(date +%s)
    # -fork is not used: one process, so the execution count is one figure
    if "$exe" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -print_final_stats=1 -artifact_prefix="$WORK/$name/" "$WORK/$name/corpus" $seeds \
        >"$WORK/$name/fuzz.log" 2>&1 </dev/null; then
        :
    else
        status=1
        echo "fuzz_$name: FAILED (input and log in $WORK/$name/)" >&2
        grep -E 'ERROR|SUMMARY|#[0-9]+ .* in ' "$WORK/$name/fuzz.log" | head -n 25 >&2
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$name/fuzz.log")
    echo "fuzz_$name: ${execs:-?} executions in $(($(date +%s) - start)) s"
    [ "$status" = 0 ] || exit 1
done
