#!/usr/bin/env python3
"""Independent reference computation for the 驼骆坳 township contract.

Seed: /work/shared/seeds/003_35156c98cdd5c3c0.txt, 责任书 4, part
"三、坚决执行教学质量奖惩", items 1-3 (lines ~195-210): 中考 key-high-school
quota, 中考 county ranking of the two middle schools (驼骆坳中学, 严家坳中学)
and the change against the previous year, and single-subject county ranks of
each teacher's class.

This script does NOT use wenze.  It recomputes the golden outputs of
tests/golden/tuoluoao/ from the facts alone, with exact arithmetic
(int and fractions.Fraction; never float).  Python 3 standard library and tests/ref/wzref.py only.

Usage:  python3 tests/ref/tuoluoao_ref.py FACTS_DIR OUT_DIR

Facts (UTF-8 CSV, header row first):
  quota.csv         school,quota,admitted
  county_rank.csv   school,year,rank,of
  subject_rank.csv  school,subject,teacher,rank,of   (year Y single-subject ranks)
  params.csv        name,value   year (required), quota_reward (default 0)

Outputs:
  awards.txt     entity,rule,amount   one line per entity and rule with a
                 nonzero amount; rewards positive, fines negative; amounts as
                 plain integers or exact minimal decimals.
  sanctions.txt  entity,sanction      TEACHER,rotation_candidate
Entity order: schools in order of first appearance in quota.csv then
county_rank.csv; then teachers in order of first appearance in
subject_rank.csv.  Rule order within an entity: RULES below.
"""

import os
import sys
from fractions import Fraction

from wzref import FactError, fmt_exact, integer, number, read_csv, read_params, unique, write_lines

RULES = [
    "quota_place_reward", "quota_fine",
    "rank_reward", "rank_fine",
    "rank_change_reward", "rank_change_fine",
    "subject_reward", "subject_fine",
]

TUOLUOAO = "驼骆坳中学"
YANJIAAO = "严家坳中学"
NAMED_SCHOOLS = (TUOLUOAO, YANJIAAO)


# ---------------------------------------------------------------------------
# Reading facts
# ---------------------------------------------------------------------------

class Facts:
    def __init__(self, d):
        params = read_params(d)
        if "year" not in params:
            raise FactError("params.csv: parameter year is required")
        self.year = integer(params["year"], "params.csv year")
        self.quota_reward = number(params.get("quota_reward", "0"), "params.csv quota_reward")

        self.quota = []                       # (school, quota, admitted)
        for r in read_csv(os.path.join(d, "quota.csv"), ["school", "quota", "admitted"]):
            self.quota.append((r["school"], integer(r["quota"], "quota.csv quota"),
                               integer(r["admitted"], "quota.csv admitted")))

        self.county = {}                      # (school, year) -> (rank, of)
        county_order = []
        for r in read_csv(os.path.join(d, "county_rank.csv"), ["school", "year", "rank", "of"]):
            key = (r["school"], integer(r["year"], "county_rank.csv year"))
            if key in self.county:
                raise FactError("county_rank.csv: two rows for %s %d" % key)
            rank = integer(r["rank"], "county_rank.csv rank")
            of = integer(r["of"], "county_rank.csv of")
            if not 1 <= rank <= of:
                raise FactError("county_rank.csv: rank %d not in 1..%d" % (rank, of))
            self.county[key] = (rank, of)
            county_order.append(r["school"])

        self.subject = []                     # (school, subject, teacher, rank, of)
        for r in read_csv(os.path.join(d, "subject_rank.csv"),
                          ["school", "subject", "teacher", "rank", "of"]):
            rank = integer(r["rank"], "subject_rank.csv rank")
            of = integer(r["of"], "subject_rank.csv of")
            if not 1 <= rank <= of:
                raise FactError("subject_rank.csv: rank %d not in 1..%d" % (rank, of))
            self.subject.append((r["school"], r["subject"], r["teacher"], rank, of))

        self.schools = unique([q[0] for q in self.quota] + county_order)
        self.teachers = unique([s[2] for s in self.subject])
        clash = set(self.schools) & set(self.teachers)
        if clash:
            raise FactError("names used both as school and teacher: %s" % ", ".join(sorted(clash)))


# ---------------------------------------------------------------------------
# The rules, with the seed clause each encodes
# ---------------------------------------------------------------------------

def shortfall_fine(short):
    # 三.1: "差1人惩500元,差2人惩1200元,差3人惩2100元,差4人惩3200元,差5人惩4500元,
    # 差6人惩6000元;依此类推计算。"  Steps 500, 700, 900, 1100, 1300, 1500: each
    # step is 200 more than the last, so f(7) = 7700, f(8) = 9600, ...
    total, step = 0, 500
    for _ in range(short):
        total += step
        step += 200
    return total


def quota_rules(facts, school):
    # 三.1: "各学校完成分配的指标数每个指标奖励元" (amount left blank in the seed:
    # parameter quota_reward, default 0), and the shortfall fine above.
    out = {}
    for name, quota, admitted in facts.quota:
        if name != school:
            continue
        add(out, "quota_place_reward", min(quota, admitted) * facts.quota_reward)
        short = quota - admitted
        if short > 0:
            add(out, "quota_fine", -shortfall_fine(short))
    return out


def from_last(rank, of):
    """Place counted from the bottom: the last is 1."""
    return of - rank + 1


def rank_rules(facts, school):
    # 三.2: "驼骆坳中学进入全县乡镇中学前八名的奖励1600元,在此基础上每上升一个名次加奖500元;
    # 驼骆坳中学在全县乡镇中学排名后八名的,倒数第一名惩3000元,倒数第二名惩2800元;
    # 依此类推至倒数第八名惩1600元。"
    # "严家坳中学进入全县乡镇中学前十二名的奖励1000元,在此基础上每上升一个名次加奖500元;
    # 严家坳中学在全县乡镇中学排名后十名的,倒数第一名惩3000元 … 依此类推至倒数第十名的惩1200元。"
    out = {}
    if school == TUOLUOAO:
        top, base, bottom = 8, 1600, 8
    elif school == YANJIAAO:
        top, base, bottom = 12, 1000, 10
    else:
        return out
    row = facts.county.get((school, facts.year))
    if row is None:
        return out
    rank, of = row
    if rank <= top:
        add(out, "rank_reward", base + 500 * (top - rank))
    p = from_last(rank, of)
    if p <= bottom:
        add(out, "rank_fine", -(3000 - 200 * (p - 1)))
    return out


def rank_change_rules(facts, school):
    # 三.2: "两所中学2008年的中考综合积分排名在2007年的基础上,每上升一个名次奖500元,
    # 每下降一个名次惩800元,如果各学校排名上升但仍处于以上规定靠后排名的,实行奖惩分开计算。"
    # (Computed separately from rank_reward / rank_fine, which is what 分开计算 asks.)
    out = {}
    if school not in NAMED_SCHOOLS:
        return out
    now = facts.county.get((school, facts.year))
    before = facts.county.get((school, facts.year - 1))
    if now is None or before is None:
        return out
    d = before[0] - now[0]
    if d > 0:
        add(out, "rank_change_reward", 500 * d)
    elif d < 0:
        add(out, "rank_change_fine", -800 * (-d))
    return out


def subject_rules(facts, teacher):
    # 三.3: "在进入全县前六名的,按照所排名次的前后分别奖励600至100元;单科名次在全县后六名的,
    # 按照所排名次的前后分别惩100至600元。"  Rank 1 → 600 … rank 6 → 100;
    # 6th from last → −100 … last → −600.  Summed over the teacher's rows.
    out = {}
    for _school, _subject, name, rank, of in facts.subject:
        if name != teacher:
            continue
        if rank <= 6:
            add(out, "subject_reward", 700 - 100 * rank)
        p = from_last(rank, of)
        if p <= 6:
            add(out, "subject_fine", -(700 - 100 * p))
    return out


def rotation_candidate(facts, teacher):
    # 三.3: "单科成绩在全县后三名的 … 直接进入末位交流候选对象。"
    return any(name == teacher and from_last(rank, of) <= 3
               for _s, _sub, name, rank, of in facts.subject)


def add(out, rule, amount):
    out[rule] = out.get(rule, Fraction(0)) + Fraction(amount)


# ---------------------------------------------------------------------------
# Outputs
# ---------------------------------------------------------------------------

def fmt_amount(x):
    """An exact Fraction as a plain integer or minimal terminating decimal."""
    return fmt_exact(x)


def compute(facts):
    lines = []
    for school in facts.schools:
        amounts = {}
        for part in (quota_rules(facts, school), rank_rules(facts, school),
                     rank_change_rules(facts, school)):
            for rule, amount in part.items():
                add(amounts, rule, amount)
        lines += [(school, r, amounts[r]) for r in RULES if amounts.get(r, 0) != 0]
    for teacher in facts.teachers:
        amounts = subject_rules(facts, teacher)
        lines += [(teacher, r, amounts[r]) for r in RULES if amounts.get(r, 0) != 0]
    sanctions = [t for t in facts.teachers if rotation_candidate(facts, t)]
    return lines, sanctions


def write_outputs(lines, sanctions, out_dir):
    write_lines(out_dir, "awards.txt", ["entity,rule,amount"] +
                ["%s,%s,%s" % (entity, rule, fmt_amount(amount)) for entity, rule, amount in lines])
    write_lines(out_dir, "sanctions.txt", ["entity,sanction"] +
                ["%s,rotation_candidate" % teacher for teacher in sanctions])


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: tuoluoao_ref.py FACTS_DIR OUT_DIR\n")
        return 2
    try:
        facts = Facts(argv[1])
        lines, sanctions = compute(facts)
        write_outputs(lines, sanctions, argv[2])
    except FactError as e:
        sys.stderr.write("tuoluoao_ref.py: %s\n" % e)
        return 1
    print("驼骆坳 reference: year %d, %d schools, %d teachers, %d award lines, %d sanctions"
          % (facts.year, len(facts.schools), len(facts.teachers), len(lines), len(sanctions)))
    for entity, rule, amount in lines:
        print("  %s %-18s %s" % (entity, rule, fmt_amount(amount)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
