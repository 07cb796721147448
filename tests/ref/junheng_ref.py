#!/usr/bin/env python3
"""Independent reference computation for the three 均衡发展 问责制度 templates of seed 000.

Seed: /work/shared/seeds/000_07697d1733f4e460.txt —
  A. 学校_均衡发展_问责制度 (lines 409-455) 五: 情节较轻 警告, 较重 记过, 严重 留校察看,
     造成严重后果 解聘;
  B. 学校均衡发展问责制度 (lines 457-503) 二.3: a task not done → 责令整改并通报批评; 失职 →
     行政处分或经济处罚; 严重违纪 → 依法依规追究; unfinished this year and the year before
     (history/<year>/kept.csv) → 取消评优评先资格;
  C. 学校均衡创建问责制度 (lines 505-553) 五: 轻微已纠正 诫勉谈话, 严重已整改 通报批评,
     严重影响创建 扣发绩效工资, 严重恶劣影响 撤销职务, 严重违反规章 解聘辞退.
The interpretations are those beside the rules of policies/junheng-accountability.wz: dated rows
count only inside the school year (year_start..year_end, 2019-09-01..2020-08-31 by default); a
unit with no task row left nothing unfinished; the streak needs the unit's kept `unfinished` true
in the last earlier period.

This script does NOT use wenze.  Python 3 standard library and tests/ref/wzref.py only.

Usage:  python3 tests/ref/junheng_ref.py FACTS_DIR HISTORY_DIR OUT_DIR

Outputs:
  sanctions.txt  entity,sanction,rule — units in order of first appearance (violation_a.csv,
                 task_b.csv, lapse_b.csv, problem_c.csv; dated rows inside the year only), each
                 unit's sanctions in the order of RULES.
  kept.txt       kind,entity,name,value — unit,UNIT,unfinished,true|false for every unit.
"""

import os
import sys

from wzref import FactError, boolean, date, read_csv, read_params, within, write_lines

A = {"较轻": ("a_warning", "警告"), "较重": ("a_demerit", "记过"),
     "严重": ("a_probation", "留校察看"), "严重后果": ("a_dismissal", "解聘")}
C = {"轻微已纠正": ("c_talk", "诫勉谈话"), "严重已整改": ("c_criticism", "通报批评"),
     "严重影响创建": ("c_withhold", "扣发绩效工资"), "严重恶劣影响": ("c_removal", "撤销职务"),
     "严重违反规章": ("c_dismissal", "解聘辞退")}
B_LAPSE = {"失职": ("b_neglect", "行政处分或经济处罚"), "严重违纪": ("b_serious", "依法依规追究")}
RULES = ["a_warning", "a_demerit", "a_probation", "a_dismissal",
         "b_unfinished", "b_neglect", "b_two_years", "b_serious",
         "c_talk", "c_criticism", "c_withhold", "c_removal", "c_dismissal"]


def dated(d, name, fields, start, end):
    rows = read_csv(os.path.join(d, name), ["unit", "date"] + fields, required=False)
    return [r for r in rows if within(date(r["date"], name + " date"), start, end)]


def last_kept(history):
    """{unit: bool} of `unfinished` in the last period of HISTORY_DIR (none: {})."""
    periods = sorted(p for p in os.listdir(history) if os.path.isdir(os.path.join(history, p)))
    if not periods:
        return {}
    rows = read_csv(os.path.join(history, periods[-1], "kept.csv"), ["kind", "entity", "name", "value"])
    return {r["entity"]: boolean(r["value"], "kept.csv value")
            for r in rows if r["kind"] == "unit" and r["name"] == "unfinished"}


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: junheng_ref.py FACTS_DIR HISTORY_DIR OUT_DIR\n")
        return 2
    d = argv[1]
    try:
        params = read_params(d, required=False)
        start = date(params.get("year_start", "2019-09-01"), "year_start")
        end = date(params.get("year_end", "2020-08-31"), "year_end")
        va = dated(d, "violation_a.csv", ["circumstance"], start, end)
        lb = dated(d, "lapse_b.csv", ["kind"], start, end)
        pc = dated(d, "problem_c.csv", ["finding"], start, end)
        tasks = read_csv(os.path.join(d, "task_b.csv"), ["unit", "task", "done"], required=False)
        for r in tasks:
            r["done"] = boolean(r["done"], "task_b.csv done")
        before = last_kept(argv[2])
    except FactError as e:
        sys.stderr.write("junheng_ref: %s\n" % e)
        return 2

    units = []
    for r in va + tasks + lb + pc:
        if r["unit"] not in units:
            units.append(r["unit"])

    sanctions, kept = ["entity,sanction,rule"], ["kind,entity,name,value"]
    for u in units:
        hit = {}
        for r in va:
            if r["unit"] == u:
                rule, tier = A[r["circumstance"]]
                hit[rule] = tier
        unfinished = any(not r["done"] for r in tasks if r["unit"] == u)
        if unfinished:
            hit["b_unfinished"] = "责令整改并通报批评"
            if before.get(u):
                hit["b_two_years"] = "取消评优评先资格"
        for r in lb:
            if r["unit"] == u:
                rule, tier = B_LAPSE[r["kind"]]
                hit[rule] = tier
        for r in pc:
            if r["unit"] == u:
                rule, tier = C[r["finding"]]
                hit[rule] = tier
        sanctions += ["%s,%s,%s" % (u, hit[rule], rule) for rule in RULES if rule in hit]
        kept.append("unit,%s,unfinished,%s" % (u, "true" if unfinished else "false"))

    write_lines(argv[3], "sanctions.txt", sanctions)
    write_lines(argv[3], "kept.txt", kept)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
