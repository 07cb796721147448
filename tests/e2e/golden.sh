#!/usr/bin/env bash
# golden.sh — runs the golden cases of the policies: tests/golden/<policy>/cases, a file of
# data (facts, edits, params, expected lines and failures) whose format is described in
# tests/golden/README.md.
#
# Usage: golden.sh WENZE SOURCE_DIR POLICY   runs tests/golden/POLICY/cases; each
#                                            golden_POLICY.sh is this line, so that each policy
#                                            stays one ctest entry
#        golden.sh WENZE SOURCE_DIR --all    runs every tests/golden/*/cases
#        golden.sh WENZE SOURCE_DIR          only reads every cases file (ctest's e2e/golden):
#                                            each directive known, each case named once, each
#                                            policy run by a golden_POLICY.sh — a cheap guard
#                                            against a cases file no test runs
#
# Every command goes through lib.bash: a run that should succeed through expect_ok (exit 0, no
# sanitizer report); a run that should fail through expect_fail (exit code, the exact stderr
# line, empty stdout, --out untouched, no temp files left, no sanitizer report).  The first
# failed expectation stops the script, naming the policy, the case and its line.
set -euo pipefail
if [ $# -ge 3 ] && [ "$3" != --all ]; then NAME=golden_$3; else NAME=golden; fi
source "$(dirname "$0")/lib.bash" "$@"
export PYTHONDONTWRITEBYTECODE=1          # the references must not write into the source tree
CHECKS=0                                  # expectations met, over all cases run

# ---------------------------------------------------------------------------
# The directives.  DIRECTIVES and EXPECTS are what lint mode accepts.
# ---------------------------------------------------------------------------
DIRECTIVES=" policy facts history param set reference view case append replace delete cell write mkdir out run check expect "
EXPECTS=" quiet stdout stderr stderr-lines run-failed golden absent entries tree line match no-match count values ids first-line output ref "
HEADER_ONLY=" reference view "

# abspath P — P if absolute, else SOURCE_DIR/P
abspath() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$SRC/$1" ;; esac; }

# check_ N — counts N expectations met
check_() { CHECKS=$((CHECKS + ${1:-1})); }

# ensure_copy — the case's facts become a private copy (made once per `facts`), so that edits
# never touch examples/; {facts} names the copy.
ensure_copy() {
    [ "$C_COPIED" = 0 ] || return 0
    N_COPY=$((N_COPY + 1))
    local d=$C_TMP/facts$N_COPY
    cp -r "$C_FACTS_SRC" "$d"
    C_FACTS=$d
    C_COPIED=1
}

# expand STR — sets EXP to STR with {src} {tmp} {golden} {policy} {out} {facts} and the
# names of `set` replaced; an unknown {name} is an error (a typo would otherwise pass as text).
expand() {
    local s=$1 k
    for k in "${!VARS[@]}"; do s=${s//"{$k}"/"${VARS[$k]}"}; done
    if [[ $s == *"{facts}"* ]]; then ensure_copy; s=${s//"{facts}"/"$C_FACTS"}; fi
    s=${s//"{src}"/"$SRC"}
    s=${s//"{tmp}"/"$C_TMP"}
    s=${s//"{golden}"/"$GOLDEN"}
    s=${s//"{policy}"/"$C_POLICY"}
    s=${s//"{out}"/"$C_OUT"}
    if [[ $s =~ \{[a-z_]+\} ]]; then fail "unknown placeholder ${BASH_REMATCH[0]}"; fi
    EXP=$s
}

# fpath F — F (expanded) if absolute, else F inside the case's facts (which are copied first)
fpath() {
    expand "$1"
    case $EXP in
    /*) FP=$EXP ;;
    *) ensure_copy; FP=$C_FACTS/$EXP ;;
    esac
}

# opath F — F (expanded) if absolute, else F inside the last run's --out
opath() {
    expand "$1"
    case $EXP in /*) OP=$EXP ;; *) OP=$C_OUT/$EXP ;; esac
}

# wenze_args — the arguments of `wenze run` for the case's state, --out OUT last
wenze_args() {
    ARGS=(run "$C_POLICY" --facts "$C_FACTS")
    [ -z "$C_HISTORY" ] || ARGS+=(--history "$C_HISTORY")
    local p
    for p in ${C_PARAMS[@]+"${C_PARAMS[@]}"}; do ARGS+=(--param "$p"); done
    ARGS+=(--out "$1")
}

# command_ KIND REST — `run` or `check`, with REST empty (it must succeed) or
# "fails [--prefix|--first] CODE LINE" (it must fail so)
command_() {
    local kind=$1 rest=$2 out
    N_RUN=$((N_RUN + 1))
    if [ "$kind" = run ]; then
        if [ -n "$rest" ]; then out=${C_NEXT_OUT:-$C_TMP/bad}; else out=${C_NEXT_OUT:-$C_TMP/out$N_RUN}; fi
        C_NEXT_OUT=""
        wenze_args "$out"
        C_OUT=$out
    else
        ARGS=(check "$C_POLICY")
    fi
    if [ -z "$rest" ]; then
        expect_ok wenze "${ARGS[@]}"
        check_
        return
    fi
    local opts=() word=${rest%% *}
    rest=${rest#* }
    [ "$word" = fails ] || fail "expected '$kind' or '$kind fails CODE LINE'"
    while [[ $rest == --* ]]; do opts+=("${rest%% *}"); rest=${rest#* }; done
    local code=${rest%% *}
    expand "${rest#* }"
    expect_fail ${opts[@]+"${opts[@]}"} "$code" "$EXP" -- wenze "${ARGS[@]}"
    check_
}

# ---------------------------------------------------------------------------
# Edits of the facts (each must change the file: an edit that no longer applies fails)
# ---------------------------------------------------------------------------
edit_append() {
    fpath "${1%% *}"
    [ -f "$FP" ] || fail "append: no file $FP"
    expand "${1#* }"
    [ -z "$(tail -c 1 "$FP")" ] || echo >>"$FP"
    printf '%s\n' "$EXP" >>"$FP"
}

edit_replace() {
    local file=${1%% *} rest=${1#* }
    [[ $rest == *" => "* ]] || fail "replace: expected 'replace FILE OLD-ROW => NEW-ROW'"
    fpath "$file"
    local f=$FP old new n
    expand "${rest%% => *}"; old=$EXP
    expand "${rest#* => }"; new=$EXP
    n=$(OLD=$old awk '$0 == ENVIRON["OLD"] { n++ } END { print n + 0 }' "$f")
    [ "$n" = 1 ] || fail "replace: $f has $n rows '$old', expected one"
    OLD=$old NEW=$new awk '$0 == ENVIRON["OLD"] { print ENVIRON["NEW"]; next } { print }' "$f" >"$f.new"
    mv "$f.new" "$f"
}

edit_delete() {
    fpath "${1%% *}"
    local f=$FP
    expand "${1#* }"
    grep -q -E -e "$EXP" "$f" || fail "delete: no row of $f matches $EXP"
    grep -v -E -e "$EXP" "$f" >"$f.new" || true
    mv "$f.new" "$f"
}

# cell FILE:ROW:COL VALUE — ROW a line number (the header is line 1, as in wenze's messages),
# COL a column number or a header name; the file must have no quoted cells.
edit_cell() {
    local where=${1%% *} value
    expand "${1#* }"; value=$EXP
    local col=${where##*:} rest=${where%:*}
    local row=${rest##*:} file=${rest%:*}
    fpath "$file"
    ! grep -q '"' "$FP" || fail "cell: $FP has quoted cells"
    [[ $row =~ ^[0-9]+$ ]] || fail "cell: expected FILE:ROW:COL, found $where"
    VALUE=$value awk -F, -v OFS=, -v row="$row" -v col="$col" '
        NR == 1 && col !~ /^[0-9]+$/ { for (i = 1; i <= NF; i++) if ($i == col) c = i }
        NR == 1 && col ~ /^[0-9]+$/ { c = col + 0 }
        NR == row { if (!c || c > NF || $c == ENVIRON["VALUE"]) exit 3; $c = ENVIRON["VALUE"]; done = 1 }
        { print }
        END { if (!done) exit 3 }' "$FP" >"$FP.new" || fail "cell: $where is not a cell of $FP, or already holds '$value'"
    mv "$FP.new" "$FP"
}

edit_write() {
    fpath "${1%% *}"
    local f=$FP
    expand "${1#* }"
    mkdir -p "$(dirname "$f")"
    printf '%b' "$EXP" >"$f"
}

# ---------------------------------------------------------------------------
# The reference and its views
# ---------------------------------------------------------------------------

# ref_run DIR — runs the reference on the case's facts and params, writing DIR; sets REF_RC
ref_run() {
    [ -n "$REF_SCRIPT" ] || fail "the cases file names no reference"
    local args=() a p
    for a in "${REF_ARGS[@]}"; do expand "$a"; args+=("$(abspath "$EXP")"); done
    args+=("$1")
    for p in ${C_PARAMS[@]+"${C_PARAMS[@]}"}; do args+=("$p"); done
    rm -rf "$1"
    REF_RC=0
    timeout 60 "$PY" "$REF_SCRIPT" "${args[@]}" >"$C_TMP/ref.stdout" 2>"$C_TMP/ref.stderr" || REF_RC=$?
}

# view_of VIEW — prints the run's output as the view VIEW (see `view` in the README) shows it
view_of() {
    local reffile outfile rest cols="" where=""
    read -r reffile _ outfile rest <<<"$1"
    if [[ $rest == columns\ * ]]; then
        rest=${rest#columns }
        cols=${rest%% *}
        if [[ $rest == *" where "* ]]; then where=${rest#* where }; fi
    fi
    local f=$C_OUT/$outfile
    [ -f "$f" ] || fail "no $outfile in $C_OUT"
    if [ -n "$where" ]; then
        W=${where#*=} awk -F, -v c="${where%%=*}" 'NR == 1 || $c == ENVIRON["W"]' "$f"
    else
        cat "$f"
    fi | if [ -n "$cols" ]; then cut -d, -f"$cols"; else cat; fi
}

# compare_view VIEW FILE WHAT — the run's output, seen through VIEW, equals FILE
compare_view() {
    local reffile outfile rest k want
    read -r reffile _ outfile rest <<<"$1"
    [ -f "$2" ] || fail "$3: no $2"
    if [[ $rest == keys\ * ]]; then
        for k in ${rest#keys }; do
            want=$(sed -n "s/^$k=//p" "$2")
            [ -n "$want" ] || fail "$3: $reffile has no $k"
            grep -q -F "\"$k\": \"$want\"" "$C_OUT/$outfile" || fail "$outfile: $k is not $want ($3)"
            check_
        done
        return
    fi
    diff -u "$2" <(view_of "$1") || fail "$outfile, as $reffile, differs from $3"
    check_
}

# ---------------------------------------------------------------------------
# Expectations
# ---------------------------------------------------------------------------

expect_() {
    local kind=${1%% *} rest=""
    [[ $1 == *" "* ]] && rest=${1#* }
    local f arg n v got want
    case $kind in
    quiet)
        [ ! -s "$OUT_FILE" ] && [ ! -s "$ERR_FILE" ] || fail "the command printed something"
        check_ ;;
    stdout)
        expand "$rest"
        [ "$(cat "$OUT_FILE")" = "$EXP" ] || fail "stdout is
  '$(cat "$OUT_FILE")', expected
  '$EXP'"
        check_ ;;
    stderr)
        expand "$rest"
        grep -q -x -F -e "$EXP" "$ERR_FILE" || fail "stderr lacks the line: $EXP"
        check_ ;;
    stderr-lines)
        n=$(grep -c . "$ERR_FILE" || true)
        [ "$n" = "$rest" ] || fail "stderr has $n lines, expected $rest"
        check_ ;;
    run-failed)
        expect_run_failed "$C_OUT"
        check_ ;;
    golden)
        for f in $rest; do
            diff -u <(summary_stable "$GOLDEN/output/$f") <(summary_stable "$C_OUT/$f") || fail "$f differs from the golden file"
            check_
        done ;;
    absent)
        for f in $rest; do
            [ ! -e "$C_OUT/$f" ] || fail "$f should not be written"
            check_
        done ;;
    entries)
        opath "${rest%% *}"
        [ -d "$OP" ] || fail "no directory $OP"
        got=$(ls -A "$OP" | LC_ALL=C sort | tr '\n' ' ')
        want=$(printf '%s\n' ${rest#* } | LC_ALL=C sort | tr '\n' ' ')
        [ "$got" = "$want" ] || fail "$OP holds: $got; expected: $want"
        check_ ;;
    tree)
        expand "$rest"
        same_output "$(abspath "$EXP")" "$C_OUT" || fail "the output is not the tree $EXP"
        check_ ;;
    line | match | no-match)
        opath "${rest%% *}"
        expand "${rest#* }"
        [ -f "$OP" ] || fail "no file $OP"
        case $kind in
        line) grep -q -x -e "$EXP" "$OP" || fail "${OP#"$C_TMP"/} has no line: $EXP" ;;
        match) grep -q -e "$EXP" "$OP" || fail "no line of ${OP#"$C_TMP"/} matches: $EXP" ;;
        no-match) ! grep -q -e "$EXP" "$OP" || fail "${OP#"$C_TMP"/} has a line matching: $EXP
  $(grep -e "$EXP" "$OP" | head -n 3)" ;;
        esac
        check_ ;;
    count)
        opath "${rest%% *}"; rest=${rest#* }
        want=${rest%% *}
        expand "${rest#* }"
        n=$(grep -c -e "$EXP" "$OP" || true)
        [ "$n" = "$want" ] || fail "${OP#"$C_TMP"/}: $n lines match $EXP, expected $want"
        check_ ;;
    values)
        # values F COL V… — the distinct values of column COL (the header's included), sorted
        opath "${rest%% *}"; rest=${rest#* }
        got=$(cut -d, -f"${rest%% *}" "$OP" | LC_ALL=C sort -u | tr '\n' ' ')
        want=$(printf '%s\n' ${rest#* } | LC_ALL=C sort -u | tr '\n' ' ')
        [ "$got" = "$want" ] || fail "${OP#"$C_TMP"/} column ${rest%% *} holds: $got; expected: $want"
        check_ ;;
    ids)
        # ids F COL=VALUE ID… — the first cells of the rows whose COL (a header name) is VALUE
        opath "${rest%% *}"; rest=${rest#* }
        arg=${rest%% *}
        expand "${rest#* }"; want=$EXP
        got=$(V=${arg#*=} awk -F, -v col="${arg%%=*}" '
            NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; if (!c) exit 3; next }
            $c == ENVIRON["V"] { printf "%s%s", s, $1; s = " " }' "$OP") || fail "${OP#"$C_TMP"/} has no column ${arg%%=*}"
        [ "$got" = "$want" ] || fail "${OP#"$C_TMP"/}: the rows with $arg are '$got', expected '$want'"
        check_ ;;
    first-line)
        opath "${rest%% *}"
        expand "${rest#* }"
        [ "$(head -n 1 "$OP")" = "$EXP" ] || fail "the first line of $OP is not $EXP"
        check_ ;;
    output)
        [ "$rest" = "= expected" ] || fail "expected 'expect output = expected'"
        for v in "${VIEWS[@]}"; do compare_view "$v" "$GOLDEN/expected/${v%% *}" "expected/${v%% *}"; done ;;
    ref)
        ref_run "$C_TMP/ref"
        case $rest in
        "= expected")
            [ "$REF_RC" = 0 ] || fail "the reference failed (exit $REF_RC): $(head -n 3 "$C_TMP/ref.stderr")"
            for f in "$GOLDEN"/expected/*; do
                diff -u "$f" "$C_TMP/ref/${f##*/}" || fail "the reference no longer gives expected/${f##*/}"
                check_
            done ;;
        "= output")
            [ "$REF_RC" = 0 ] || fail "the reference failed (exit $REF_RC): $(head -n 3 "$C_TMP/ref.stderr")"
            for v in "${VIEWS[@]}"; do compare_view "$v" "$C_TMP/ref/${v%% *}" "the reference's ${v%% *}"; done ;;
        fails*)
            want=${rest#fails}; want=${want# }
            if [ -n "$want" ]; then
                [ "$REF_RC" = "$want" ] || fail "the reference should stop with exit $want, not $REF_RC"
            else
                [ "$REF_RC" != 0 ] || fail "the reference should fail on these facts"
            fi
            check_ ;;
        *) fail "expected 'expect ref = expected', 'expect ref = output' or 'expect ref fails [CODE]'" ;;
        esac ;;
    *) fail "unknown expectation '$kind'" ;;
    esac
}

# ---------------------------------------------------------------------------
# Reading a cases file
# ---------------------------------------------------------------------------

# directive LINE — applies one line (header or case) to the current state
directive() {
    local word=${1%% *} rest=""
    [[ $1 == *" "* ]] && rest=${1#* }
    case $word in
    policy) expand "$rest"; C_POLICY=$(abspath "$EXP") ;;
    facts) expand "$rest"; C_FACTS_SRC=$(abspath "$EXP"); C_FACTS=$C_FACTS_SRC; C_COPIED=0 ;;
    history)
        if [ "$rest" = none ]; then C_HISTORY=""; else expand "$rest"; C_HISTORY=$(abspath "$EXP"); fi ;;
    param) expand "$rest"; C_PARAMS+=("$EXP") ;;
    set)
        [[ " src tmp golden policy facts out " != *" ${rest%% *} "* ]] || fail "'set ${rest%% *}' would hide the placeholder {${rest%% *}}"
        expand "${rest#* }"; VARS[${rest%% *}]=$EXP ;;
    append) edit_append "$rest" ;;
    replace) edit_replace "$rest" ;;
    delete) edit_delete "$rest" ;;
    cell) edit_cell "$rest" ;;
    write) edit_write "$rest" ;;
    mkdir) expand "$rest"; mkdir -p "$(abspath "$EXP")" ;;
    out) expand "$rest"; C_NEXT_OUT=$(abspath "$EXP") ;;
    run | check) command_ "$word" "$rest" ;;
    expect) expect_ "$rest" ;;
    *) fail "unknown directive '$word'" ;;
    esac
}

# lint FILE — every line a known directive, every case named once (no command is run)
lint() {
    local file=$1 lineno=0 line word sub seen=" " in_case=0
    while IFS= read -r line || [ -n "$line" ]; do
        lineno=$((lineno + 1))
        [[ -z $line || $line == \#* ]] && continue
        word=${line%% *}
        CASE="$file:$lineno"
        [[ $DIRECTIVES == *" $word "* ]] || fail "unknown directive '$word'"
        if [ "$word" = case ]; then
            [[ $seen != *" ${line#case } "* ]] || fail "two cases named '${line#case }'"
            seen="$seen${line#case } "
            in_case=1
        elif [[ $HEADER_ONLY == *" $word "* ]] && [ "$in_case" = 1 ]; then
            fail "'$word' belongs before the first case"
        elif [ "$word" = expect ]; then
            sub=${line#expect }; sub=${sub%% *}
            [[ $EXPECTS == *" $sub "* ]] || fail "unknown expectation '$sub'"
        fi
    done <"$file"
    CASE=""
}

# run_cases POLICY — runs tests/golden/POLICY/cases, one case after another
run_cases() {
    local policy=$1 file=$SRC/tests/golden/$1/cases
    [ -f "$file" ] || fail "no cases file $file"
    lint "$file"
    GOLDEN=$SRC/tests/golden/$policy
    local lines=() i n header=1 name="" start=0 ncases=0
    mapfile -t lines <"$file"
    n=${#lines[@]}
    # the header: everything before the first case
    H_POLICY="" H_FACTS="" H_HISTORY="" H_PARAMS=() REF_SCRIPT="" REF_ARGS=() VIEWS=()
    declare -gA H_VARS=()
    for ((i = 0; i < n; i++)); do
        local line=${lines[i]}
        [[ -z $line || $line == \#* ]] && continue
        [[ $line == case\ * ]] && break
        CASE="$policy: header (cases:$((i + 1)))"
        case ${line%% *} in
        policy) H_POLICY=$(abspath "${line#* }") ;;
        facts) H_FACTS=$(abspath "${line#* }") ;;
        history) H_HISTORY=$(abspath "${line#* }") ;;
        param) H_PARAMS+=("${line#* }") ;;
        set)
            local kv=${line#set }
            [[ " src tmp golden policy facts out " != *" ${kv%% *} "* ]] || fail "'set ${kv%% *}' would hide the placeholder {${kv%% *}}"
            H_VARS[${kv%% *}]=${kv#* } ;;
        reference)
            local ra
            read -r -a ra <<<"${line#reference }"
            REF_SCRIPT=$(abspath "${ra[0]}")
            REF_ARGS=("${ra[@]:1}")
            [ ${#REF_ARGS[@]} -gt 0 ] || REF_ARGS=("{facts}") ;;
        view) VIEWS+=("${line#view }") ;;
        *) fail "'${line%% *}' does not belong in the header" ;;
        esac
    done
    [ -n "$H_POLICY" ] && [ -n "$H_FACTS" ] || fail "$file: the header needs a policy and facts"
    # the cases
    for (( ; i <= n; i++)); do
        local line=""
        [ "$i" -lt "$n" ] && line=${lines[i]}
        if [ "$i" = "$n" ] || [[ $line == case\ * ]]; then
            if [ -n "$name" ]; then
                echo "ok - $policy: $name"
                pass
                ncases=$((ncases + 1))
            fi
            [ "$i" -lt "$n" ] || break
            name=${line#case }
            start_case "$policy" "$((i + 1))"
            continue
        fi
        [[ -z $line || $line == \#* ]] && continue
        CASE="$policy: $name (cases:$((i + 1)))"
        directive "$line"
    done
    echo "$policy: $ncases cases, $CHECKS checks"
}

# start_case POLICY LINENO — a fresh state from the header, and a fresh scratch directory
start_case() {
    N_CASE=$((N_CASE + 1))
    C_TMP=$TMP/$1-$N_CASE
    mkdir -p "$C_TMP"
    C_POLICY=$H_POLICY C_FACTS_SRC=$H_FACTS C_FACTS=$H_FACTS C_COPIED=0 C_HISTORY=$H_HISTORY
    C_PARAMS=(${H_PARAMS[@]+"${H_PARAMS[@]}"}) C_OUT=$C_TMP/out C_NEXT_OUT="" N_RUN=0 N_COPY=0
    unset VARS
    declare -gA VARS=()
    local k
    for k in "${!H_VARS[@]}"; do VARS[$k]=${H_VARS[$k]}; done
}

# ---------------------------------------------------------------------------
N_CASE=0
declare -A VARS=()
if [ $# -lt 3 ]; then
    # lint mode: every cases file reads, and each has its wrapper
    for f in "$SRC"/tests/golden/*/cases; do
        p=$(basename "$(dirname "$f")")
        lint "$f"
        [ -f "$SRC/tests/e2e/golden_$p.sh" ] || fail "no tests/e2e/golden_$p.sh runs $f"
        pass
    done
    for w in "$SRC"/tests/e2e/golden_*.sh; do
        p=${w##*/golden_}; p=${p%.sh}
        [ -f "$SRC/tests/golden/$p/cases" ] || fail "$w: no tests/golden/$p/cases"
    done
    finish
    exit 0
fi
# Debian's python3 (scripts/deps.sh installs it) when there: a version manager's shim on PATH can
# take seconds to start, for each of the many runs of the references.
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=$(command -v python3) ||
    fail "python3 is needed to run the references (scripts/deps.sh installs it)"; fi
if [ "$3" = --all ]; then
    for f in "$SRC"/tests/golden/*/cases; do run_cases "$(basename "$(dirname "$f")")"; done
else
    run_cases "$3"
fi
finish
