#!/usr/bin/env python3
"""Independent reference computation for the 城关三小 quality-target contract.

Seed: /work/shared/seeds/003_35156c98cdd5c3c0.txt, 教育质量目标责任书 3 (lines 99-131):
二.2 the class targets, 三.1 a point off per percentage point below them, 三.4 the 备课组长
answering for the subject group, 三.5 the class teacher ± points against the grade average.

This script does NOT use wenze.  It recomputes scores.csv of tests/golden/chengguan3/ from the
facts alone, with exact arithmetic (fractions.Fraction; never float).  Python 3 standard
library and tests/ref/wzref.py only.  The interpretations are those written beside the rules
of policies/chengguan3-targets.wz:

  targets   basic 及格率 100 for 语文/数学/英语; 优秀率 70/75/80.  A class whose last-term
            rate reached the basic target has min(100, last + 3) as its target.
  三.1      per row, per rate: floor(max(0, target - rate)) points × points_per_percent.
  三.4      on each row marked leader: the group's (same `group` value) mean rate against the
            BASIC target, floor(max(0, basic - mean)) × points_per_percent.
  三.5      per class-teacher row: gap = rate - mean of the grade's class rates; the whole
            points of the gap, toward zero, added (above) or taken (below), 1 point each.
  三.3      团体奖: a grade (same `grade` value of results) none of whose rows is below either of
            its targets (rate < target, exactly) is awarded team_award 元 (default 600), split
            evenly over the grade's rows; a teacher's award is the sum of their rows' shares,
            rounded half-up to 0.01.

Usage:  python3 tests/ref/chengguan3_ref.py FACTS_DIR OUT_DIR [points_per_percent=V] [team_award=V]

Facts (UTF-8 CSV, header row first):
  staff.csv        id
  results.csv      teacher,grade,class,subject,group,leader,pass_rate,excellent_rate,
                   last_pass_rate,last_excellent_rate   (the last two may be empty)
  class_rates.csv  teacher,grade,class,all_pass_rate,all_excellent_rate
  params.csv       name,value   points_per_percent (optional, default 1), team_award (default
                   600); the file may be absent

Output: scores.csv  person,targets,group_lead,class_teacher,total,grade — persons in staff.csv
order, numbers as wenze shows them at display 2; grade is empty (the policy grades no one).
        awards.txt  entity,rule,amount — wenze's awards.csv without its source column: the teachers
                    with a nonzero 团体奖, in staff.csv order, the amount exact.
"""

import math
import os
import sys
from fractions import Fraction

from wzref import (FactError, boolean, fmt_exact, fmt_number, number, param_overrides, read_csv, read_params,
                   round_half_up, write_lines)

BASIC_PASS = {"语文": 100, "数学": 100, "英语": 100}
BASIC_EXCELLENT = {"语文": 70, "数学": 75, "英语": 80}
DISPLAY = 2


def whole_toward_zero(x):
    """round_down(x, 0): the integer part, toward zero."""
    return Fraction(math.trunc(x))


def rate(text, what):
    return number(text, what, 0, 100)


class Facts:
    def __init__(self, d, overrides):
        params = read_params(d, required=False, overrides=overrides)
        self.ppp = number(params.get("points_per_percent", "1"), "points_per_percent")
        self.team_award = number(params.get("team_award", "600"), "team_award")
        self.ids = [r["id"] for r in read_csv(os.path.join(d, "staff.csv"), ["id"])]
        if len(set(self.ids)) != len(self.ids):
            raise FactError("staff.csv: an id listed twice")
        self.results = []
        for r in read_csv(os.path.join(d, "results.csv"),
                          ["teacher", "grade", "class", "subject", "group", "leader", "pass_rate",
                           "excellent_rate", "last_pass_rate", "last_excellent_rate"]):
            if r["teacher"] not in self.ids:
                raise FactError("results.csv: unknown teacher %s" % r["teacher"])
            if r["subject"] not in BASIC_PASS:
                raise FactError("results.csv: unknown subject %s" % r["subject"])
            self.results.append({
                "teacher": r["teacher"], "subject": r["subject"], "group": r["group"], "grade": r["grade"],
                "leader": boolean(r["leader"], "results.csv leader"),
                "pass": rate(r["pass_rate"], "pass_rate"),
                "excellent": rate(r["excellent_rate"], "excellent_rate"),
                "last_pass": rate(r["last_pass_rate"], "last_pass_rate") if r["last_pass_rate"] else None,
                "last_excellent": (rate(r["last_excellent_rate"], "last_excellent_rate")
                                   if r["last_excellent_rate"] else None),
            })
        self.classes = []
        for r in read_csv(os.path.join(d, "class_rates.csv"),
                          ["teacher", "grade", "class", "all_pass_rate", "all_excellent_rate"]):
            if r["teacher"] not in self.ids:
                raise FactError("class_rates.csv: unknown teacher %s" % r["teacher"])
            self.classes.append({"teacher": r["teacher"], "grade": r["grade"],
                                 "pass": rate(r["all_pass_rate"], "all_pass_rate"),
                                 "excellent": rate(r["all_excellent_rate"], "all_excellent_rate")})


def target(basic, last):
    """二.2: reached last term → last + 3, at most 100; else (or no last rate) the basic."""
    if last is not None and last >= basic:
        return min(Fraction(100), last + 3)
    return Fraction(basic)


def shortfall(tgt, actual):
    return whole_toward_zero(max(Fraction(0), tgt - actual))


def targets_points(f, pid):
    pts = Fraction(0)
    for r in f.results:
        if r["teacher"] != pid:
            continue
        pts -= f.ppp * shortfall(target(BASIC_PASS[r["subject"]], r["last_pass"]), r["pass"])
        pts -= f.ppp * shortfall(target(BASIC_EXCELLENT[r["subject"]], r["last_excellent"]),
                                 r["excellent"])
    return pts


def group_points(f, pid):
    pts = Fraction(0)
    for r in f.results:
        if r["teacher"] != pid or not r["leader"]:
            continue
        members = [m for m in f.results if m["group"] == r["group"]]
        mean_pass = sum((m["pass"] for m in members), Fraction(0)) / len(members)
        mean_exc = sum((m["excellent"] for m in members), Fraction(0)) / len(members)
        pts -= f.ppp * shortfall(Fraction(BASIC_PASS[r["subject"]]), mean_pass)
        pts -= f.ppp * shortfall(Fraction(BASIC_EXCELLENT[r["subject"]]), mean_exc)
    return pts


def class_teacher_points(f, pid):
    gap_pass = gap_exc = Fraction(0)
    for c in f.classes:
        if c["teacher"] != pid:
            continue
        grade = [g for g in f.classes if g["grade"] == c["grade"]]
        gap_pass += c["pass"] - sum((g["pass"] for g in grade), Fraction(0)) / len(grade)
        gap_exc += c["excellent"] - sum((g["excellent"] for g in grade), Fraction(0)) / len(grade)
    # the policy sums the gaps of the teacher's classes, then counts the whole points
    return whole_toward_zero(gap_pass) + whole_toward_zero(gap_exc)


def reached(r):
    """Both of the row's rates at or above their targets (二.2), exactly."""
    return (r["pass"] >= target(BASIC_PASS[r["subject"]], r["last_pass"]) and
            r["excellent"] >= target(BASIC_EXCELLENT[r["subject"]], r["last_excellent"]))


def team_award(f, pid):
    """三.3 团体奖: the shares of the teacher's rows in grades whose every row reached its targets."""
    share = Fraction(0)
    for r in f.results:
        if r["teacher"] != pid:
            continue
        grade = [g for g in f.results if g["grade"] == r["grade"]]
        if all(reached(g) for g in grade):
            share += f.team_award / len(grade)
    return round_half_up(share, 2)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: chengguan3_ref.py FACTS_DIR OUT_DIR [NAME=VALUE…]\n")
        return 2
    try:
        f = Facts(argv[1], param_overrides(argv[3:]))
    except FactError as e:
        sys.stderr.write("chengguan3_ref: %s\n" % e)
        return 2
    lines = ["person,targets,group_lead,class_teacher,total,grade"]
    for pid in f.ids:
        parts = [targets_points(f, pid), group_points(f, pid), class_teacher_points(f, pid)]
        total = sum(parts, Fraction(0))
        lines.append(",".join([pid] + [fmt_number(x, DISPLAY) for x in parts + [total]] + [""]))
    awards = ["entity,rule,amount"]
    for pid in f.ids:
        amount = team_award(f, pid)
        if amount != 0:
            awards.append("%s,team,%s" % (pid, fmt_exact(amount)))
    write_lines(argv[2], "awards.txt", awards)
    os.makedirs(argv[2], exist_ok=True)
    with open(os.path.join(argv[2], "scores.csv"), "w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
