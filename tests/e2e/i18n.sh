#!/usr/bin/env bash
# Messages in Chinese or English (issue 13, "Chinese"), chosen by --lang zh|en, else by
# LC_ALL, LC_MESSAGES, LANG (in that order; zh_* is Chinese) — on a machine with no zh_CN
# locale installed (cli/lang.c keeps C.UTF-8 and sets LANGUAGE).  Each case asserts the
# Chinese text, the file:line:col (file:row:col) prefix and the exit code, which the
# language never changes:
#  1. a bad policy (checker and syntax errors), a bad facts file, a usage error and --help,
#     under --lang zh, under LANG=zh_CN.UTF-8, and under LC_ALL=zh_CN.UTF-8 LANG=en_US.UTF-8;
#  2. --lang en beats LANG=zh_CN.UTF-8, and LC_ALL=C.UTF-8 beats LANG=zh_CN.UTF-8;
#  3. a run's summary and its residue line in Chinese, and the same run under --lang zh and
#     --lang en writes byte-identical files (summary.json's command line included);
#  4. --lang anywhere on the line, with any command; a bad --lang is a usage error.
NAME=i18n
source "$(dirname "$0")/lib.bash" "$@"

# zh_env VAR=VALUE… -- CMD…: CMD with lib.bash's LC_ALL=C.UTF-8 replaced by the given variables
zh_env() {
    local vars=()
    while [ "$1" != -- ]; do vars+=("$1"); shift; done
    shift
    (unset LC_ALL; export "${vars[@]}" 2>/dev/null; "$@")   # bash warns that it has no zh_CN locale: so has wenze
}

bad=$TMP/bad.wz
sed -e '0,/^let age = /s//let age = 1 + staff.birth_date; let age2 = /' "$POLICY" >"$bad"
line=$(grep -n '^let age = 1 + staff' "$bad" | cut -d: -f1)
bad_zh="$bad:$line:11: 错误: 不能对数字和日期做加法运算；算术运算需要数字"
syntax=$TMP/syntax.wz
printf 'policy "x" version "1";\nlet a = 1 +;\n' >"$syntax"
facts=$(copy_facts bad_date)
sed -i '3s#2019-11-08#08/11/2019#' "$facts/leave.csv"
facts_zh="$facts/leave.csv:3:2: 错误: 应为四位年份在前的日期（YYYY-MM-DD、YYYY/M/D、YYYY.M.D 或 YYYY年M月D日），实际为 \"08/11/2019\"，其日、月、年有不止一种读法"

# chinese_cases ENV…: case 1 under the environment given (nothing: --lang zh is passed)
chinese_cases() {
    local lang=() how="$*"
    [ $# -gt 0 ] || { lang=(--lang zh); how="--lang zh"; set -- LC_ALL=C.UTF-8; }
    case_ "$how: a checker error"
    zh_env "$@" -- expect_fail 1 "$bad_zh" -- wenze check "$bad" "${lang[@]}"
    pass
    case_ "$how: a syntax error"
    zh_env "$@" -- expect_fail 1 "$syntax:2:12: 错误: 语法错误：此处不应出现 ';'，应为一个表达式" -- wenze check "$syntax" "${lang[@]}"
    pass
    case_ "$how: a bad facts file, and the run's closing line"
    zh_env "$@" -- expect_fail 2 "$facts_zh" -- wenze run "$POLICY" --facts "$facts" --out "$TMP/never" "${lang[@]}"
    grep -q -F -x "wenze: 运行失败，共 1 个错误；没有向 $TMP/never 写入任何输出" "$ERR_FILE" || fail "no Chinese closing line"
    pass
    case_ "$how: a usage error, with the usage text"
    zh_env "$@" -- expect_fail --first 3 "wenze: run 需要 --facts DIR 和 --out DIR" -- wenze run "$POLICY" "${lang[@]}"
    grep -q -F -x '用法：wenze <命令> [选项]' "$ERR_FILE" || fail "no Chinese usage text"
    pass
    case_ "$how: --help"
    zh_env "$@" -- expect_ok wenze --help "${lang[@]}"
    grep -q -F -x '用法：wenze <命令> [选项]' "$OUT_FILE" || fail "no Chinese usage line"
    grep -q -F '  run POLICY --facts DIR --out DIR  在事实数据目录上执行政策文件' "$OUT_FILE" || fail "no Chinese help for run"
    zh_env "$@" -- expect_ok wenze help run "${lang[@]}"
    grep -q -F -x '用法：wenze run POLICY --facts DIR --out DIR' "$OUT_FILE" || fail "no Chinese help of run"
    pass
}
chinese_cases
chinese_cases LANG=zh_CN.UTF-8
chinese_cases LC_ALL=zh_CN.UTF-8 LANG=en_US.UTF-8
chinese_cases LC_MESSAGES=zh_TW.UTF-8 LANG=C

case_ "--lang en beats LANG=zh_CN.UTF-8; LC_ALL=C.UTF-8 beats LANG=zh_CN.UTF-8"
zh_env LANG=zh_CN.UTF-8 -- expect_fail 1 "$syntax:2:12: error: syntax error: unexpected ';', expecting an expression" -- wenze check "$syntax" --lang en
zh_env LC_ALL=C.UTF-8 LANG=zh_CN.UTF-8 -- expect_fail 2 "$facts/leave.csv:3:2: error: expected a date with a 4-digit year first (YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日), found \"08/11/2019\", whose day, month and year could be read more than one way" \
    -- wenze run "$POLICY" --facts "$facts" --out "$TMP/never"
zh_env LANG=zh_CN.UTF-8 LANGUAGE=zh_CN -- expect_ok wenze help --lang en
grep -q -F -x 'usage: wenze <command> [options]' "$OUT_FILE" || fail "--lang en gave no English usage"
pass

case_ "a run in Chinese: its summary and residue lines; the same files as in English"
(cd "$TMP" && expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out out --lang zh)
grep -q -F -x "wenze: 40 人，读取事实数据 235 行（其中 5 行不在期间内，已忽略），认定事项 38 条；已写入 out/" "$OUT_FILE" ||
    fail "no Chinese summary line: $(head -c 300 "$OUT_FILE")"
grep -q -F -x "wenze: 分配总额已分配完毕，舍入尾差 0.02（结余 0.02 未分配）" "$OUT_FILE" || fail "no Chinese residue line"
# other kinds by their labels, not their English names (was: "person 40 个")
(cd "$TMP" && expect_ok wenze run "$SRC/policies/tuoluoao-2008.wz" --facts "$SRC/examples/tuoluoao" \
    --history "$SRC/examples/tuoluoao/history" --out out-kinds --lang zh)
grep -q -F "wenze: 学校 2 个，教师 12 个，读取事实数据 20 行" "$OUT_FILE" || fail "kinds not by their labels: $(head -c 300 "$OUT_FILE")"
mv "$TMP/out" "$TMP/out-zh"
(cd "$TMP" && expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out out --lang en)
grep -q -F -x "wenze: pool distributed with a rounding residue of 0.02 (0.02 left undistributed)" "$OUT_FILE" || fail "no English residue line"
diff -r "$TMP/out-zh" "$TMP/out" >"$ERR_FILE" || fail "--lang zh and --lang en wrote different files"
(cd "$TMP" && zh_env LANG=zh_CN.UTF-8 -- expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out out-env)
diff -r "$TMP/out" "$TMP/out-env" | grep -v '^[<>] "command": \|^---$\|^[0-9,c]*$\|^diff ' >"$ERR_FILE" && fail "LANG=zh_CN.UTF-8 changed an output file"
pass

case_ "--lang anywhere, with every kind of command; a bad one is a usage error"
expect_ok wenze --lang zh version
expect_ok wenze fmt --lang zh --check "$POLICY"
expect_ok wenze verify "$TMP/out" --lang zh
grep -q -F -x "wenze: $TMP/out：4 个输出文件与 summary.json 相符" "$OUT_FILE" || fail "no Chinese verify line"
expect_fail --first 3 "wenze: --lang needs en or zh, found 'fr'" -- wenze check "$POLICY" --lang fr
expect_fail --first 3 "wenze: --lang needs a value" -- wenze check "$POLICY" --lang
pass

finish
