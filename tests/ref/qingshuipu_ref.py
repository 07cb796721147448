#!/usr/bin/env python3
"""Independent reference computation for the 清水铺镇 safety-responsibility policy.

Seed: /work/shared/seeds/003_35156c98cdd5c3c0.txt, 教育质量目标责任书 7 (教师安全责任书,
line 331) and 10 (清水铺镇中心校 "教师一岗双责目标管理责任书", lines 423-451):
  7.8   "如出现安全事故,首先发现的教师就是第一责任人 … 对推诿、隐瞒、拖延不报的,将根据
        情节轻重严肃处理"  — the teacher who found it, when they did not report at once;
  10.四 "因班主任不到位发生的责任事故,由班主任教师承担全部责任"  — the class teacher, 100%;
  10.五 "如果任课教师向班主任及时反映情况,而班主任没有积极配合调查处理,产生的后果由班主任
        和任课教师各承担50%责任"  — the class teacher 50%, the subject teacher 50%;
  10.六 "上课期间由于任课教师原因发生的安全事故,则全部责任由该教师承担"  — the teacher, 100%;
  10.七 "因教师不到位学生出现安全事故,补课教师必须承担全部责任"  — the tutoring teacher, 100%;
  10.八 any other cause: for the 中心校 (no sanction here).
The sanction is the 情节 (一般, 较重, 严重) the school recorded for the accident.

This script does NOT use wenze.  It recomputes who answers for each accident, as what, with
which share, from the facts alone, with exact fractions (never float).  Python 3 standard
library and tests/ref/wzref.py only.

Usage:  python3 tests/ref/qingshuipu_ref.py FACTS_DIR OUT_DIR

Facts (UTF-8 CSV, header row first):
  staff.csv     id,post                                  (the persons)
  accident.csv  accident,date,cause,情节,发现教师,及时报告,班主任,任课教师[,note]
  params.csv    name,value: year_start, year_end (ISO dates)

Output:
  sanctions.txt  entity,sanction,role,responsibility,unit,share — one line per person who
                 answers for an accident: columns 1, 2, 5, 6, 7, 8 of wenze's sanctions.csv.
Order: accidents in the order of accident.csv (those inside the school year), then the rules
in the order below; within a rule, its persons in the order written, the 第一责任人 first.
"""

import os
import sys
from fractions import Fraction

from wzref import FactError, boolean, date, fmt_exact, one_of, read_csv, read_params, within

FIRST, DIRECT = "第一责任人", "直接责任人"
CAUSES = ["班主任不到位", "班主任未配合", "任课教师原因", "辅导教师不到位", "其他"]
SEVERITY = ["一般", "较重", "严重"]

# (rule, applies(accident), [(field naming the person, responsibility, share or None)])
RULES = [
    ("not_reported", lambda a: not a["及时报告"], [("发现教师", FIRST, None)]),
    ("class_teacher_absent", lambda a: a["cause"] == "班主任不到位", [("班主任", DIRECT, Fraction(1))]),
    ("not_followed_up", lambda a: a["cause"] == "班主任未配合",
     [("班主任", DIRECT, Fraction(1, 2)), ("任课教师", DIRECT, Fraction(1, 2))]),
    ("in_lesson", lambda a: a["cause"] == "任课教师原因", [("任课教师", DIRECT, Fraction(1))]),
    ("tutoring_absent", lambda a: a["cause"] == "辅导教师不到位", [("任课教师", DIRECT, Fraction(1))]),
]


def compute(d):
    params = read_params(d)
    start, end = date(params["year_start"], "year_start"), date(params["year_end"], "year_end")
    persons = [r["id"] for r in read_csv(os.path.join(d, "staff.csv"), ["id", "post"])]
    fields = ["accident", "date", "cause", "情节", "发现教师", "及时报告", "班主任", "任课教师"]
    out = []
    for r in read_csv(os.path.join(d, "accident.csv"), fields):
        if not within(date(r["date"], "accident.date"), start, end):
            continue
        a = dict(r)
        one_of(a["cause"], CAUSES, "accident.cause")
        one_of(a["情节"], SEVERITY, "accident.情节")
        a["及时报告"] = boolean(a["及时报告"], "accident.及时报告")
        for rule, applies, who in RULES:
            if not applies(a):
                continue
            for field, resp, share in who:
                person = a[field]
                if person == "":
                    raise FactError("%s has no %s, so no one answers for %s" % (a["accident"], field, rule))
                if person not in persons:
                    raise FactError("%s's %s %s is not one of the persons" % (a["accident"], field, person))
                out.append(",".join([person, a["情节"], field, resp, a["accident"],
                                     "" if share is None else fmt_exact(share)]))
    return out


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: qingshuipu_ref.py FACTS_DIR OUT_DIR\n")
        return 2
    try:
        lines = compute(argv[1])
    except FactError as e:
        sys.stderr.write("qingshuipu_ref.py: %s\n" % e)
        return 1
    os.makedirs(argv[2], exist_ok=True)
    with open(os.path.join(argv[2], "sanctions.txt"), "w", encoding="utf-8", newline="") as f:
        f.write("entity,sanction,role,responsibility,unit,share\n")
        for line in lines:
            f.write(line + "\n")
    print("清水铺镇 reference: %d sanction lines" % len(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
