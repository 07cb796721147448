#!/usr/bin/env python3
"""Independent reference computation for the 2011 county work plan's accountability rules.

Seed: /work/shared/seeds/004_f12301bb2d1ed3a8.txt (2011年某县教育局工作要点; digest section G):
  四.1 (line 14) "继续实行对一年内两次不在岗的校长作免职处理，考核居同类学校末位的校长将诫勉谈话，
                 连续两年居末位的校长作免职处理的规定。"
  四.2 (line 15) "继续坚持在教师考核、评优晋级中师德师风'一票否决制'"
  六.1 (line 24) "继续实行安全工作'一票否决制'… 学校重大安全责任事故"

This script does NOT use wenze, nor any output of it (no kept.csv): it recomputes the
sanctions of policies/county-plan-2011.wz from the facts of the assessed year AND of the year
before, deciding "two years running" from both years' facts directly.  Exact arithmetic only
(int and fractions.Fraction; never float).  Python 3 standard library and tests/ref/wzref.py only.

Usage:  python3 tests/ref/county_ref.py FACTS_DIR PREV_FACTS_DIR OUT_DIR

Facts (UTF-8 CSV, header row first), in each directory:
  params.csv      name,value        year_start, year_end (ISO dates, both required)
  roster.csv      school,category,principal   one row per school
  assessment.csv  school,score      one row per school, score 0 .. 100
  absence.csv     school,date,principal       the principal found not at the post
  safety.csv      school,date,level,liable    level 一般/较大/重大/特别重大, liable true/false
  ethics.csv      school,teacher,date,kind    kind 体罚学生/有偿家教/其他违反师德
Rows dated outside [year_start, year_end] are ignored.

Output:  OUT_DIR/sanctions.txt — header "entity,sanction", then one line per sanction reached:
  schools in roster order, then teachers in order of first appearance in ethics.csv; within an
  entity, the rules in the policy's order (RULES below).

The interpretations (the same as the policy's, where the text is ambiguous):
  - 一年内 = the assessment year (params year_start .. year_end);
  - 安全一票否决: a 重大 or 特别重大 incident the school was liable for, in the year;
  - the safety veto does not move a school in the ranking: 末位 is by score alone;
  - 末位 = the lowest standing in the category (ties all last), provided some school of the
    category stands higher;
  - 连续两年居末位: last this year and last year, with the same principal both years;
  - 两次不在岗: at least two absences in the year naming the school's current principal;
  - 师德一票否决: any violation of the teacher in the year.
"""

import os
import sys

from wzref import FactError, boolean, date, number, one_of, read_csv, read_params, within, write_lines

RULES = [  # (rule, sanction), in the policy's order
    ("safety_veto", "考核一票否决"),
    ("last_in_category_talk", "校长诫勉谈话"),
    ("last_two_years", "校长免职"),
    ("absent_twice", "校长免职"),
    ("ethics_veto", "考核一票否决"),
]

CATEGORIES = ("城区小学", "农村小学", "初级中学")
LEVELS = ("一般", "较大", "重大", "特别重大")          # mildest first
KINDS = ("体罚学生", "有偿家教", "其他违反师德")
VETO_LEVEL = LEVELS.index("重大")


# ---------------------------------------------------------------------------
# Reading facts
# ---------------------------------------------------------------------------

def parse_date(text, what):
    return date(text, what)


def parse_score(text, what):
    return number(text, what, 0, 100)          # exact: "78.5" is 157/2


def parse_bool(text, what):
    return boolean(text, what)


class Year:
    """One year's facts."""

    def __init__(self, d):
        params = read_params(d)
        for p in ("year_start", "year_end"):
            if p not in params:
                raise FactError("%s/params.csv: parameter %s is required" % (d, p))
        self.start = parse_date(params["year_start"], "params.csv year_start")
        self.end = parse_date(params["year_end"], "params.csv year_end")

        def in_year(r, f):
            return within(parse_date(r["date"], f + " date"), self.start, self.end)

        self.schools = []                       # roster order
        self.category, self.principal = {}, {}
        for r in read_csv(os.path.join(d, "roster.csv"), ["school", "category", "principal"]):
            s = r["school"]
            if s in self.category:
                raise FactError("roster.csv: %s listed twice" % s)
            self.schools.append(s)
            self.category[s] = one_of(r["category"], CATEGORIES, "roster.csv category")
            self.principal[s] = r["principal"]

        self.score = {}
        for r in read_csv(os.path.join(d, "assessment.csv"), ["school", "score"]):
            s = self.known(r["school"], "assessment.csv")
            if s in self.score:
                raise FactError("assessment.csv: %s assessed twice" % s)
            self.score[s] = parse_score(r["score"], "assessment.csv score")
        for s in self.schools:
            if s not in self.score:
                raise FactError("assessment.csv: no score for %s" % s)

        self.absences = []                      # (school, principal) in the year
        for r in read_csv(os.path.join(d, "absence.csv"), ["school", "date", "principal"]):
            s = self.known(r["school"], "absence.csv")
            if in_year(r, "absence.csv"):
                self.absences.append((s, r["principal"]))

        self.incidents = []                     # (school, level index, liable) in the year
        for r in read_csv(os.path.join(d, "safety.csv"), ["school", "date", "level", "liable"]):
            s = self.known(r["school"], "safety.csv")
            level = LEVELS.index(one_of(r["level"], LEVELS, "safety.csv level"))
            liable = parse_bool(r["liable"], "safety.csv liable")
            if in_year(r, "safety.csv"):
                self.incidents.append((s, level, liable))

        self.teachers = []                      # first appearance in ethics.csv (any date)
        self.violations = []                    # teachers, one per violation in the year
        for r in read_csv(os.path.join(d, "ethics.csv"), ["school", "teacher", "date", "kind"]):
            self.known(r["school"], "ethics.csv")
            one_of(r["kind"], KINDS, "ethics.csv kind")
            t = r["teacher"]
            if t not in self.teachers:
                self.teachers.append(t)
            if in_year(r, "ethics.csv"):
                self.violations.append(t)

    def known(self, school, f):
        if school not in self.category:
            raise FactError("%s: %s is not in roster.csv" % (f, school))
        return school

    # -- 六.1 安全工作一票否决 ------------------------------------------------
    def vetoed(self, s):
        return any(school == s and liable and level >= VETO_LEVEL
                   for school, level, liable in self.incidents)

    # -- 四.1 考核居同类学校末位 ----------------------------------------------
    def standing(self, s):
        """The score: a veto is a measure of its own, not a place in the ranking."""
        return self.score[s]

    def last(self, s):
        mates = [t for t in self.schools if self.category[t] == self.category[s]]
        mine = self.standing(s)
        lowest = all(mine <= self.standing(t) for t in mates)
        someone_higher = any(self.standing(t) > mine for t in mates)
        return lowest and someone_higher

    # -- 四.1 一年内两次不在岗 ------------------------------------------------
    def absences_of_principal(self, s):
        return sum(1 for school, who in self.absences
                   if school == s and who == self.principal[s])


# ---------------------------------------------------------------------------
# The sanctions
# ---------------------------------------------------------------------------

def compute(now, before):
    lines = []
    for s in now.schools:
        reached = set()
        if now.vetoed(s):
            reached.add("safety_veto")
        if now.last(s):
            reached.add("last_in_category_talk")
            # 连续两年居末位的校长: last in both years' facts, the same principal
            if (s in before.category and before.last(s)
                    and before.principal[s] == now.principal[s]):
                reached.add("last_two_years")
        if now.absences_of_principal(s) >= 2:
            reached.add("absent_twice")
        lines += [(s, sanction) for rule, sanction in RULES if rule in reached]
    # 四.2 师德师风一票否决
    for t in now.teachers:
        if t in now.violations:
            lines.append((t, "考核一票否决"))
    clash = set(now.schools) & set(now.teachers)
    if clash:
        raise FactError("names used both as school and teacher: %s" % ", ".join(sorted(clash)))
    return lines


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: county_ref.py FACTS_DIR PREV_FACTS_DIR OUT_DIR\n")
        return 2
    try:
        now, before = Year(argv[1]), Year(argv[2])
        if before.end >= now.start:
            raise FactError("the previous year must end before the assessed year starts")
        lines = compute(now, before)
    except FactError as e:
        sys.stderr.write("county_ref.py: %s\n" % e)
        return 1
    write_lines(argv[3], "sanctions.txt", ["entity,sanction"] + ["%s,%s" % line for line in lines])
    print("county reference: %s .. %s, %d schools, %d sanctions"
          % (now.start, now.end, len(now.schools), len(lines)))
    for entity, sanction in lines:
        print("  %s %s" % (entity, sanction))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
