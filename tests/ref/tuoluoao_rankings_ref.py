#!/usr/bin/env python3
"""Independent reference computation for 驼骆坳 责任书四 三.4–8 (rankings, contests, the
teachers barred from honours, the principal's reward).

Seed: /work/shared/seeds/003_35156c98cdd5c3c0.txt, 责任书 4, "三、坚决执行教学质量奖惩",
items 4-8 (lines 211-225).  The interpretations are those written beside the rules of
policies/tuoluoao-2008-rankings.wz:

  first six / last five   rank r <= 6 → 700 - 100 r; else place from last p <= 5 →
                          -(600 - 100 p); each exam, contest or activity its own ranking, added
  item 6                  the annual_rank row of a 初中 only
  末位交流 (item 4)        a row in the county's last three and 2 × place > teachers
  barred (item 7)         初中 exam_subject row in the last three; 小学 town_subject row with
                          3 × (place from last) <= of
  principal (item 8)      the sum of principal_reward.csv's amounts (each within 300..1000)

This script does NOT use wenze.  Exact integers and fractions.Fraction only; Python 3 standard
library and tests/ref/wzref.py.

Usage:  python3 tests/ref/tuoluoao_rankings_ref.py FACTS_DIR OUT_DIR

Outputs:
  awards.txt     entity,rule,amount — one line per entity and rule with a nonzero amount.
                 Entities: schools (first appearance in exam_rank, contest_rank, annual_rank,
                 exam_subject, town_subject, principal_reward — the facts in the policy's
                 order), then teachers (exam_subject, town_subject), then principals; rules in
                 the order of RULES.
  sanctions.txt  entity,sanction,rule — per teacher, in the order of SANCTIONS.
"""

import os
import sys
from fractions import Fraction

from wzref import FactError, fmt_exact, integer, number, read_csv, unique, write_lines

RULES = ["exam_reward", "exam_fine", "contest_reward", "contest_fine",
         "annual_reward", "annual_fine", "principal_reward"]
SANCTIONS = [("subject_last_three", "rotation_candidate"),
             ("barred_primary", "barred"), ("barred_middle", "barred")]


def ranked(path, fields):
    rows = read_csv(path, fields + ["rank", "of"], required=False)
    for r in rows:
        r["rank"] = integer(r["rank"], path + " rank")
        r["of"] = integer(r["of"], path + " of")
        if not 1 <= r["rank"] <= 1000 or not 1 <= r["of"] <= 1000:
            raise FactError("%s: rank or of out of 1..1000" % path)
    return rows


def from_last(r):
    return r["of"] - r["rank"] + 1


def six_and_five(rows):
    """(reward, fine) of a school's rows: first six 600..100, else last five -500..-100."""
    reward = fine = 0
    for r in rows:
        if r["rank"] <= 6:
            reward += 700 - 100 * r["rank"]
        elif from_last(r) <= 5:
            fine -= 600 - 100 * from_last(r)
    return reward, fine


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: tuoluoao_rankings_ref.py FACTS_DIR OUT_DIR\n")
        return 2
    d = argv[1]
    try:
        exams = ranked(os.path.join(d, "exam_rank.csv"), ["school", "exam"])
        contests = ranked(os.path.join(d, "contest_rank.csv"), ["school", "contest"])
        annual = ranked(os.path.join(d, "annual_rank.csv"), ["school", "stage"])
        subjects = ranked(os.path.join(d, "exam_subject.csv"),
                          ["school", "stage", "exam", "subject", "teacher", "teachers", "place"])
        town = ranked(os.path.join(d, "town_subject.csv"), ["school", "grade", "subject", "teacher"])
        rewards = read_csv(os.path.join(d, "principal_reward.csv"),
                           ["school", "principal", "activity", "amount"], required=False)
        for r in subjects:
            r["teachers"] = integer(r["teachers"], "exam_subject.csv teachers")
            r["place"] = integer(r["place"], "exam_subject.csv place")
        for r in rewards:
            r["amount"] = number(r["amount"], "principal_reward.csv amount", 300, 1000)
        if len({r["school"] for r in annual}) != len(annual):
            raise FactError("annual_rank.csv: a school listed twice")
    except FactError as e:
        sys.stderr.write("tuoluoao_rankings_ref: %s\n" % e)
        return 2

    schools = unique([r["school"] for r in exams + contests + annual + subjects + town + rewards])
    teachers = unique([r["teacher"] for r in subjects + town])
    principals = unique([r["principal"] for r in rewards])

    awards = ["entity,rule,amount"]
    for s in schools:
        got = {}
        got["exam_reward"], got["exam_fine"] = six_and_five([r for r in exams if r["school"] == s])
        got["contest_reward"], got["contest_fine"] = six_and_five(
            [r for r in contests if r["school"] == s])
        got["annual_reward"], got["annual_fine"] = six_and_five(
            [r for r in annual if r["school"] == s and r["stage"] == "初中"])
        awards += ["%s,%s,%s" % (s, k, fmt_exact(got[k])) for k in RULES if got.get(k)]
    for p in principals:
        total = sum((r["amount"] for r in rewards if r["principal"] == p), Fraction(0))
        if total:
            awards.append("%s,principal_reward,%s" % (p, fmt_exact(total)))

    sanctions = ["entity,sanction,rule"]
    for t in teachers:
        mine = [r for r in subjects if r["teacher"] == t]
        hit = {
            "subject_last_three": any(from_last(r) <= 3 and 2 * r["place"] > r["teachers"]
                                      for r in mine),
            "barred_primary": any(3 * from_last(r) <= r["of"]
                                  for r in town if r["teacher"] == t),
            "barred_middle": any(r["stage"] == "初中" and from_last(r) <= 3 for r in mine),
        }
        sanctions += ["%s,%s,%s" % (t, tier, rule) for rule, tier in SANCTIONS if hit[rule]]

    write_lines(argv[2], "awards.txt", awards)
    write_lines(argv[2], "sanctions.txt", sanctions)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
