#!/usr/bin/env bash
# `import`: the standard library's ladders, files relative to the importer,
# a file imported twice spliced once, and the errors: an unknown module, an
# import cycle, a header in an imported file, a mistake inside an imported file
# (reported in that file).
set -euo pipefail
wenze=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "imports: FAIL: $*" >&2; exit 1; }
n=0

# the stdlib ladder is usable, twice-imported is fine, and findings cite the policy's own line
cat > "$tmp/p.wz" <<'WZ'
policy "t" version "1";
import "ladders";
import "ladders";
fact staff persons key id { id: text; }
fact d { id: person; level: enum(通报批评, 警告, 记过, 记大过, 降级, 撤职, 开除); }
sanction s "处分" ladder 处分扣分 from d.level;
total = 100 * (1 - cut(处分扣分));
WZ
mkdir "$tmp/f"
printf 'id\nA\nB\n' > "$tmp/f/staff.csv"
printf 'id,level\nA,记过\nA,警告\n' > "$tmp/f/d.csv"
"$wenze" run "$tmp/p.wz" --facts "$tmp/f" --out "$tmp/o" >/dev/null
diff <(printf 'person,sanction,rule,source\nA,记过,s,p.wz:6\n') "$tmp/o/sanctions.csv" || fail "sanctions.csv"
grep -q '^A,20,$' "$tmp/o/scores.csv" || fail "cut(处分扣分) did not give 20 for A: $(cat "$tmp/o/scores.csv")"
n=$((n + 1))

# a file relative to the importer
mkdir "$tmp/lib"
printf 'let bonus_rate = 2;\n' > "$tmp/lib/rates.wz"
printf 'policy "t";\nimport "lib/rates.wz";\nfact staff persons key id { id: text; }\ntotal = bonus_rate * 3;\n' > "$tmp/q.wz"
"$wenze" check "$tmp/q.wz" || fail "relative import"
n=$((n + 1))

expect_error() {   # FILE EXPECTED-FIRST-LINE
    local out
    if out=$("$wenze" check "$1" 2>&1); then fail "$1 was accepted"; fi
    [ "$(printf '%s\n' "$out" | head -n 1)" = "$2" ] || fail "expected: $2
got: $(printf '%s\n' "$out" | head -n 1)"
    n=$((n + 1))
}

printf 'policy "t";\nimport "nosuch";\n' > "$tmp/u.wz"
expect_error "$tmp/u.wz" "$tmp/u.wz:2:1: error: cannot import \"nosuch\": no standard module of that name (they are: duties, ladders); a file is imported by its .wz name"

printf 'import "c.wz";\nlet x = 1;\n' > "$tmp/b.wz"
printf 'import "b.wz";\n' > "$tmp/c.wz"
printf 'policy "t";\nimport "b.wz";\nfact staff persons key id { id: text; }\n' > "$tmp/a.wz"
expect_error "$tmp/a.wz" "$tmp/c.wz:1:1: error: import cycle: $tmp/b.wz → $tmp/c.wz → $tmp/b.wz"

printf 'policy "lib";\nlet y = 1;\n' > "$tmp/h.wz"
printf 'policy "t";\nimport "h.wz";\nfact staff persons key id { id: text; }\n' > "$tmp/hh.wz"
expect_error "$tmp/hh.wz" "$tmp/h.wz:1:1: error: an imported file is a library: it cannot have its own 'policy' header"

printf 'let z = nope + 1;\n' > "$tmp/m.wz"
printf 'policy "t";\nimport "m.wz";\nfact staff persons key id { id: text; }\n' > "$tmp/mm.wz"
expect_error "$tmp/mm.wz" "$tmp/m.wz:1:9: error: unknown name 'nope'"

# a module (no header, nothing to run) checks on its own: the stdlib files, a relative library,
# one that imports another; its own mistakes are still reported, in the module
for m in "$src"/stdlib/*.wz "$tmp/lib/rates.wz"; do
    "$wenze" check "$m" || fail "module $m does not check on its own"
    n=$((n + 1))
done
printf 'import "ladders";\nlet rate = 2;\ntable t { 1: 10; 2: 20; }\nrole 校长 { duty 1 "全面负责"; }\n' > "$tmp/lib/more.wz"
"$wenze" check "$tmp/lib/more.wz" || fail "a module that imports one"
n=$((n + 1))
expect_error "$tmp/m.wz" "$tmp/m.wz:1:9: error: unknown name 'nope'"
# …but it is not a policy: running it says so (exit 1), and a file with facts still needs its header
mkdir "$tmp/nofacts"
if out=$("$wenze" run "$src/stdlib/ladders.wz" --facts "$tmp/nofacts" --out "$tmp/mo" 2>&1); then fail "a module ran"; fi
[ "$(printf '%s\n' "$out" | head -n 1)" = "$src/stdlib/ladders.wz:1:1: error: this file is a module (no 'policy' header): it can be checked and imported, not run; expecting 'policy \"NAME\" version \"V\";' to run it" ] ||
    fail "running a module: $out"
[ ! -e "$tmp/mo" ] || fail "running a module wrote $tmp/mo"
n=$((n + 1))
printf 'fact staff persons key id { id: text; }\n' > "$tmp/nohead.wz"
expect_error "$tmp/nohead.wz" "$tmp/nohead.wz:1:1: error: a policy must start with a header, expecting 'policy \"NAME\" version \"V\";'"

echo "imports: $n passed, 0 failed"
