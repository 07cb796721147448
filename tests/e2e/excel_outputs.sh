#!/usr/bin/env bash
# Outputs a clerk opens in Excel: run --labels zh|en, --excel, --xlsx.
# Usage: excel_outputs.sh WENZE SOURCE_DIR
#
# Checks: --excel gives each CSV a UTF-8 BOM and CRLF and nothing else (kept.csv, read back by
# later runs, and the JSON files stay as they are); --labels zh puts the headers into words and
# the sections by their labels, with a name column, the numbers unchanged; --xlsx writes
# results.xlsx (read with python3's zipfile: a sheet per file, each number cell the CSV's exact
# digits, money with two decimals, the header frozen), the same bytes on every run; summary.json
# hashes what was written and `wenze verify` accepts it; usage errors.
# A workbook number is the double Excel itself keeps for the CSV's digits (as if typed), written
# only for values of at most 15 significant digits, which Excel shows back unchanged.
set -euo pipefail
NAME=excel_outputs
source "$(dirname "$0")/lib.bash" "$@"

expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/plain"

case_ "--excel: a BOM and CRLF, the same cells"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/excel" --excel
for f in scores.csv pay.csv sanctions.csv; do
    [ "$(head -c 3 "$TMP/excel/$f" | od -An -tx1 | tr -d ' ')" = "efbbbf" ] || fail "$f has no BOM"
    [ "$(grep -c $'\r$' "$TMP/excel/$f")" -eq "$(wc -l <"$TMP/excel/$f")" ] || fail "$f: not every line ends in CRLF"
    diff <(tail -c +4 "$TMP/excel/$f" | tr -d '\r') "$TMP/plain/$f" >/dev/null || fail "$f: cells differ from the plain run"
done
cmp "$TMP/excel/findings.jsonl" "$TMP/plain/findings.jsonl" || fail "findings.jsonl changed"
pass

case_ "--excel keeps kept.csv as later runs read it"
TU=$SRC/policies/tuoluoao-2008.wz
expect_ok wenze run "$TU" --facts "$SRC/examples/tuoluoao" --history "$SRC/examples/tuoluoao/history" --out "$TMP/tu-plain"
expect_ok wenze run "$TU" --facts "$SRC/examples/tuoluoao" --history "$SRC/examples/tuoluoao/history" --out "$TMP/tu-excel" --excel
cmp "$TMP/tu-plain/kept.csv" "$TMP/tu-excel/kept.csv" || fail "kept.csv changed"
[ "$(head -c 3 "$TMP/tu-excel/awards.csv" | od -An -tx1 | tr -d ' ')" = "efbbbf" ] || fail "awards.csv has no BOM"
pass

case_ "--labels zh: headers in words, sections by their labels, a name column"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/zh" --labels zh
[ "$(head -1 "$TMP/zh/scores.csv")" = "工号,姓名,考勤,工作量,教育教学过程,教育教学业绩,师德师风（酌情扣分）,总分,等次" ] || fail "scores.csv header: $(head -1 "$TMP/zh/scores.csv")"
[ "$(head -1 "$TMP/zh/pay.csv")" = "工号,姓名,分配类别,奖励性绩效,津贴,应发金额" ] || fail "pay.csv header: $(head -1 "$TMP/zh/pay.csv")"
[ "$(head -1 "$TMP/zh/sanctions.csv")" = "工号,姓名,处理,规则,依据" ] || fail "sanctions.csv header: $(head -1 "$TMP/zh/sanctions.csv")"
grep -q '^T030,萧勇,' "$TMP/zh/pay.csv" || fail "no name beside T030"
# the same numbers: drop the name column and compare the bodies
diff <(tail -n +2 "$TMP/zh/pay.csv" | cut -d, -f1,3-) <(tail -n +2 "$TMP/plain/pay.csv") >/dev/null || fail "pay.csv numbers differ"
diff <(tail -n +2 "$TMP/zh/scores.csv" | cut -d, -f1,3-) <(tail -n +2 "$TMP/plain/scores.csv") >/dev/null || fail "scores.csv numbers differ"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/en" --labels en
[ "$(head -1 "$TMP/en/pay.csv")" = "ID,Name,Basis,Reward,Stipend,Amount" ] || fail "English pay.csv header: $(head -1 "$TMP/en/pay.csv")"
pass

case_ "--xlsx: results.xlsx, numbers exact, money with two decimals, the same bytes each run"
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/x1" --xlsx --labels zh
expect_ok wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/x2" --xlsx --labels zh
cmp "$TMP/x1/results.xlsx" "$TMP/x2/results.xlsx" || fail "two runs wrote different workbooks"
python3 - "$TMP/x1" <<'PY' || fail "the workbook does not hold the CSV files' values"
import csv, re, sys, zipfile, xml.etree.ElementTree as ET
d = sys.argv[1]
z = zipfile.ZipFile(d + "/results.xlsx")
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
names = [s.get("name") for s in ET.fromstring(z.read("xl/workbook.xml")).iter("{%s}sheet" % ns["m"])]
assert names == ["得分", "绩效工资", "处理"], names
shared = [si.findtext(".//m:t", namespaces=ns) or "" for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns)]
styles = ET.fromstring(z.read("xl/styles.xml"))
numfmts = {n.get("numFmtId"): n.get("formatCode") for n in styles.iter("{%s}numFmt" % ns["m"])}
xfs = [x.get("numFmtId") for x in styles.find("m:cellXfs", ns)]
for i, f in enumerate(["scores.csv", "pay.csv", "sanctions.csv"]):
    rows = list(csv.reader(open(d + "/" + f, encoding="utf-8")))
    sheet = ET.fromstring(z.read("xl/worksheets/sheet%d.xml" % (i + 1)))
    assert sheet.find(".//m:pane", ns).get("state") == "frozen"
    for r in sheet.iter("{%s}row" % ns["m"]):
        for c in r.findall("m:c", ns):
            col, row = re.match(r"([A-Z]+)(\d+)", c.get("r")).groups()
            want = rows[int(row) - 1][ord(col) - 65]
            v = c.findtext("m:v", namespaces=ns)
            got = shared[int(v)] if c.get("t") == "s" else v
            if c.get("t") != "s":   # a number: the double Excel holds for the CSV's digits, shown as those digits
                assert float(got) == float(want), (f, c.get("r"), got, want)
                assert float("%.15g" % float(got)) == float(want) and len(want.replace("-", "").replace(".", "").lstrip("0")) <= 15, (got, want)
                if f == "pay.csv" and ord(col) - 65 >= 3:
                    assert numfmts.get(xfs[int(c.get("s"))]) == "0.00" or xfs[int(c.get("s"))] == "2", (c.get("r"), c.get("s"))
            else:
                assert got == want, (f, c.get("r"), got, want)
            if f != "sanctions.csv" and int(row) > 1 and ord(col) - 65 >= 3 and want:
                assert c.get("t") != "s", ("a number written as text", f, c.get("r"))
PY
grep -q '"file": "results.xlsx", "sha256": "' "$TMP/x1/summary.json" || fail "summary.json does not hash results.xlsx"
expect_ok wenze verify "$TMP/x1"
pass

case_ "usage: --labels takes zh or en; the layout options are run's"
expect_fail --first 3 "wenze: --labels needs zh or en, found 'fr'" -- wenze run "$POLICY" --facts "$EXAMPLE" --out "$TMP/u" --labels fr
expect_fail --first 3 "wenze: --labels, --excel and --xlsx are options of run" -- wenze check "$POLICY" --excel
pass

finish
