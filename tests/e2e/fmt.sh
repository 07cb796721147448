#!/usr/bin/env bash
# `wenze fmt`: the shipped policies are formatted (what CI checks), formatting never
# changes meaning, and the command's modes — in place, --check, stdin — and its errors.
#
# Meaning: every .wz file of policies/, stdlib/ and tests/policies/ is scrambled (its
# indentation replaced, trailing spaces and blank lines added) and formatted; the
# formatted text must give the same tree (`wenze ast`, which prints no positions) and,
# for a policy that checks, the same bytecode (`wenze disasm` with the source positions
# removed: the `; line:col` of each instruction and the `@line` in the names of
# population chunks, which may move), the same comments, and be a fixed point.
NAME=fmt
source "$(dirname "$0")/lib.bash" "$@"

# The files CI keeps formatted: every shipped policy, the standard library, the test policies.
formatted=("$SRC"/policies/*.wz "$SRC"/stdlib/*.wz "$SRC"/tests/policies/*.wz)

# scramble FILE — the same tokens and comments, laid out badly
scramble() {
    awk '{ sub(/^[ \t]+/, "")
           if ($0 != "") { if (NR % 3 == 0) $0 = "\t" $0; else if (NR % 3 == 1) $0 = "   " $0 }
           print $0 "  "
           if (NR % 5 == 0) print "" }' "$1"
}
# formatted FILE — the layout of FILE, from stdin (a scrambled file loses the author's
# continuation indents and comment distances, so it need not give back the original)
formatted() { "$WENZE" fmt - <"$1"; }
# comments FILE — its comments, one a line, without trailing white space (no string of
# these files holds a '#' or "//")
comments() { grep -o -E '(#|//).*$' "$1" | sed 's/[[:space:]]*$//' || true; }
# disasm FILE — the bytecode without source positions (`; 12:5`, `rank_desc@12.key1`)
disasm() { "$WENZE" disasm "$1" | sed 's/; [0-9]*:[0-9]*//; s/@[0-9]*/@/g'; }

case_ "the shipped policies, stdlib and test policies are formatted"
expect_ok wenze fmt --check "${formatted[@]}"
[ ! -s "$OUT_FILE" ] && [ ! -s "$ERR_FILE" ] || fail "fmt --check printed: $(head -c 500 "$OUT_FILE")"
pass

case_ "formatting keeps the tree, the bytecode and the comments, and is idempotent"
mkdir -p "$TMP/meaning"
for f in "$SRC"/policies/*.wz "$SRC"/stdlib/*.wz "$SRC"/tests/policies/*.wz; do
    base=$(basename "$f")
    messy=$TMP/meaning/messy-$base
    tidy=$TMP/meaning/$base
    scramble "$f" >"$messy"
    expect_ok wenze fmt - <"$messy"
    cp "$OUT_FILE" "$tidy"
    cmp -s "$messy" "$tidy" && fail "$base: scrambling changed nothing"
    [ "$("$WENZE" ast "$messy")" = "$("$WENZE" ast "$tidy")" ] || fail "$base: the tree differs after fmt"
    # a *.test.wz imports its policy by a relative path, which the copy here cannot resolve
    if [[ $base != *.test.wz ]] && "$WENZE" check "$f" 2>/dev/null; then
        [ -n "$(disasm "$tidy")" ] || fail "$base: no bytecode"
        [ "$(disasm "$messy")" = "$(disasm "$tidy")" ] || fail "$base: the bytecode differs after fmt"
        [ "$(disasm "$f")" = "$(disasm "$tidy")" ] || fail "$base: the bytecode differs from the original's"
    fi
    [ "$(comments "$messy")" = "$(comments "$tidy")" ] || fail "$base: the comments differ after fmt"
    expect_ok wenze fmt --check "$tidy"
    [ ! -s "$OUT_FILE" ] || fail "$base: fmt is not idempotent: $(head -c 500 "$OUT_FILE")"
done
pass

case_ "in place: rewritten atomically with its mode kept, silent; untouched when formatted"
f=$TMP/inplace.wz
scramble "$SRC/policies/dongliu-2019.wz" >"$f"
formatted "$f" >"$TMP/inplace.want"
chmod 640 "$f"
expect_ok wenze fmt "$f"
[ ! -s "$OUT_FILE" ] && [ ! -s "$ERR_FILE" ] || fail "fmt printed something"
cmp -s "$f" "$TMP/inplace.want" || fail "the rewritten file is not the formatted one"
[ "$(stat -c %a "$f")" = 640 ] || fail "mode $(stat -c %a "$f"), expected 640"
inode=$(stat -c %i "$f")
expect_ok wenze fmt "$f"
[ ! -s "$OUT_FILE" ] && [ ! -s "$ERR_FILE" ] || fail "fmt printed something for a formatted file"
[ "$(stat -c %i "$f")" = "$inode" ] || fail "a formatted file was written again"
[ -z "$(find "$TMP" -maxdepth 1 -name '.inplace.wz.tmp-*')" ] || fail "a temporary file was left"
pass

case_ "--check prints a diff that turns the file into the formatted one, exits 1, writes nothing"
f=$TMP/check.wz
scramble "$SRC/policies/county-plan-2011.wz" >"$f"
formatted "$f" >"$TMP/check.want"
before=$(sha256sum <"$f")
_run fmt --check "$f"
[ "$RC" -eq 1 ] || fail "exit code $RC, expected 1"
[ "$(head -n 2 "$OUT_FILE")" = "--- a/$f
+++ b/$f" ] || fail "the diff's header: $(head -n 2 "$OUT_FILE")"
grep -q '^@@ -1,[0-9]* +1,[0-9]* @@$' "$OUT_FILE" || fail "no hunk header"
[ ! -s "$ERR_FILE" ] || fail "stderr is not empty"
[ "$(sha256sum <"$f")" = "$before" ] || fail "--check changed the file"
if command -v patch >/dev/null; then
    patch -s -o "$TMP/patched.wz" "$f" <"$OUT_FILE" || fail "patch rejects the diff"
    cmp -s "$TMP/patched.wz" "$TMP/check.want" || fail "the patched file is not the formatted one"
fi
pass

case_ "stdin: no file or - reads stdin and writes the layout to stdout; --check diffs it"
cp "$SRC/policies/songtao-grades.wz" "$TMP/in.wz"
sed -i 's/^    //; s/^\(let [^ ]*\) = /\1  =   /' "$TMP/in.wz"   # indentation and spacing only: songtao's layout is the answer
cmp -s "$TMP/in.wz" "$SRC/policies/songtao-grades.wz" && fail "the input is formatted already"
expect_ok wenze fmt <"$TMP/in.wz"
cmp -s "$OUT_FILE" "$SRC/policies/songtao-grades.wz" || fail "fmt <FILE is not the formatted text"
expect_ok wenze fmt - <"$TMP/in.wz"
cmp -s "$OUT_FILE" "$SRC/policies/songtao-grades.wz" || fail "fmt - <FILE is not the formatted text"
_run fmt --check - <"$TMP/in.wz"
[ "$RC" -eq 1 ] && [ "$(head -n 1 "$OUT_FILE")" = "--- a/<stdin>" ] || fail "fmt --check - : exit $RC, $(head -n 1 "$OUT_FILE")"
expect_ok wenze fmt --check <"$SRC/policies/songtao-grades.wz"
[ ! -s "$OUT_FILE" ] || fail "a formatted stdin has a diff"
pass

case_ "Chinese keywords and every comment are kept"
cat >"$TMP/zh.wz" <<'EOF'
# 顶部注释
方案  "中文方案"   版本 "1" ;   // 行尾注释
参数 起:日期;参数 止: 日期;   # 两项
期间 年度 从 起 至 止;
  事实 名册 名单 主键 编号 {
编号: 文本;    # 主键
      分数:数值 属于 0..100;
  }
设 等=如果 名册.分数>=90 则 1 否则 2;   # 如果…则…否则
对照表 折算 {
  1: 1;
  10: 0.5;
  依此类推;
  其余: 0;
}
EOF
expect_ok wenze fmt "$TMP/zh.wz"
cat >"$TMP/zh.want" <<'EOF'
# 顶部注释
方案 "中文方案" 版本 "1";   // 行尾注释
参数 起: 日期;
参数 止: 日期;   # 两项
期间 年度 从 起 至 止;
事实 名册 名单 主键 编号 {
    编号: 文本;    # 主键
    分数: 数值 属于 0 .. 100;
}
设 等 = 如果 名册.分数 >= 90 则 1 否则 2;   # 如果…则…否则
对照表 折算 {
    1:  1;
    10: 0.5;
    依此类推;
    其余: 0;
}
EOF
diff -u "$TMP/zh.want" "$TMP/zh.wz" >&2 || fail "the layout of zh.wz"
[ "$(comments "$TMP/zh.wz" | wc -l)" = 5 ] || fail "comments lost"
! grep -q -w -E 'policy|param|let|if|then|else|fact|table|otherwise' "$TMP/zh.wz" || fail "an English keyword appeared"
pass

case_ "a syntax error: check's message, exit 1, nothing written or left"
printf 'let x = ;\n' >"$TMP/bad.wz"
before=$(sha256sum <"$TMP/bad.wz")
expect_fail 1 "$TMP/bad.wz:1:9: error: syntax error: unexpected ';', expecting an expression" -- wenze fmt "$TMP/bad.wz"
fmt_err=$(cat "$ERR_FILE")
_run check "$TMP/bad.wz"
[ "$fmt_err" = "$(cat "$ERR_FILE")" ] || fail "fmt's message differs from check's"
expect_fail 1 "$TMP/bad.wz:1:9: error: syntax error: unexpected ';', expecting an expression" -- wenze fmt --check "$TMP/bad.wz"
[ "$(sha256sum <"$TMP/bad.wz")" = "$before" ] || fail "the file was changed"
[ -z "$(find "$TMP" -maxdepth 1 -name '.bad.wz.tmp-*')" ] || fail "a temporary file was left"
expect_fail 1 "<stdin>:1:9: error: syntax error: unexpected ';', expecting an expression" -- wenze fmt - <"$TMP/bad.wz"
pass

case_ "several files: each is formatted, a bad one does not stop the others"
scramble "$SRC/stdlib/ladders.wz" >"$TMP/a.wz"
formatted "$TMP/a.wz" >"$TMP/a.want"
expect_fail 1 "$TMP/bad.wz:1:9: error: syntax error: unexpected ';', expecting an expression" -- wenze fmt "$TMP/bad.wz" "$TMP/a.wz"
cmp -s "$TMP/a.wz" "$TMP/a.want" || fail "the good file after the bad one was not formatted"
pass

case_ "usage and I/O errors"
expect_fail 3 "wenze: unknown option '--bogus'" -- wenze fmt --bogus "$TMP/a.wz"
expect_fail --prefix 4 "$TMP/none.wz: error: cannot read the policy: " -- wenze fmt "$TMP/none.wz"
pass

finish
