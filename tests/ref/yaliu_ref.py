#!/usr/bin/env python3
"""Independent reference computation for the 牙六小 accountability policy.

Seed: /work/shared/seeds/000_07697d1733f4e460.txt, "牙六小义务教育均衡发展工作
责任追究制度" (lines 9-37, again at 718-746):
  一、责任追究的原则和对象  1. "谁主管、谁负责"; 2. 各指标主要负责同志是建档工作的
      第一责任人, 负责人是直接责任人.
  二、责任追究的内容  (一) 1-4 for the leading group and file keepers; (二) 1-7 for the
      school leaders and staff.
  三、责任追究的方式  责令改正或做出书面检查 → 通报批评 → 诫勉谈话 → 当年年度考核确定为
      不合格 → 调整工作岗位, one tier more on each repeat within the school year.
The duties cited, and the chain of posts (who is the first responsible person), are those
of stdlib/duties.wz and policies/yaliu-accountability.wz, restated below as plain tables.

This script does NOT use wenze.  It recomputes who answers for each violation, at which tier,
from the facts alone, with exact arithmetic (int and fractions.Fraction; never float).
Python 3 standard library and tests/ref/wzref.py only.

Usage:  python3 tests/ref/yaliu_ref.py FACTS_DIR OUT_DIR

Facts (UTF-8 CSV, header row first):
  staff.csv             id,post,school                (one row per person; post = a role)
  violation.csv         id,date,kind[,note]           (against a person)
  school_violation.csv  school,date,kind[,note]       (against a school)
  enrolment.csv         school,date,enrolled,dropped  (控辍保学 checks)
  params.csv            name,value: year_start, year_end (ISO dates), dropout_limit

Output:
  sanctions.txt   entity,sanction,role,responsibility — one line per responsible person of
                  each finding: the columns 1, 2, 5, 6 of wenze's sanctions.csv.  A violation
                  against a person is that person's: the tier (counted on their own repeats)
                  is theirs; the leader who answers for it as 第一责任人 is listed with an
                  empty sanction — the seed gives the leader no measure.  A violation
                  against the school gives its tier to every one who answers for it.
Order: findings against persons first (persons in staff.csv order, then the rules in the
order of RULES), then findings against schools (schools in order of first appearance in
school_violation.csv, then enrolment.csv; rules in the order of RULES); within a finding,
the 第一责任人 before the 直接责任人, each post's holders in staff.csv order.
"""

import os
import sys
from fractions import Fraction

from wzref import FactError, date, integer, number, read_csv, read_params, within

# 三、责任追究的方式: the ladder, mildest first.  The n-th repeat within the year gets the
# n-th tier; past the last, the last.
TIERS = ["责令整改", "通报批评", "诫勉谈话", "年度考核不合格", "调整岗位"]

# The reports_to chain: post -> the post it reports to (the principal reports to no one).
REPORTS_TO = {
    "校长": None,
    "党支部书记": "校长",
    "教导主任": "校长",
    "总务主任": "校长",
    "报帐员": "校长",
    "稽核小组": "校长",
    "教研组长": "教导主任",
    "班主任": "教导主任",
    "教师": "教研组长",
    "领导小组成员": "校长",
    "档案管理员": "领导小组成员",
    "教职工": "校长",
}

FIRST, DIRECT = "第一责任人", "直接责任人"

# The rules, in the policy's order.  Each:
#   (name, against, how, who)
#   against: "person" — counts the person's violation.csv rows of `kind` (when their post
#            matches); "school" — counts the school's school_violation.csv rows of `kind`;
#            "dropout" — counts the school's enrolment checks over the standard.
#   who:     ("duty", ROLE[, FIRST_ROLE]): the finding is a duty of ROLE not performed — for a
#            person, the person themself is the 直接责任人; for a school, ROLE's holders; the
#            holders of FIRST_ROLE, when given, else the top of ROLE's chain (if not ROLE
#            itself), are the 第一责任人 (a person is never both: then only 直接).
#            ("named", FIRST_ROLE, DIRECT_ROLE): the holders of the two posts in the school.
RULES = [
    # 二(一)1 建档人或负责人不履行职责内的教育工作职责 — by the file keeper / the leading-group member
    ("keeper_duty", "person", ("建档不履职", {"档案管理员"}), ("duty", "档案管理员", "领导小组成员")),
    ("lead_duty", "person", ("建档不履职", {"领导小组成员"}), ("duty", "领导小组成员")),
    # 二(一)2-4: 各指标主要负责同志 第一责任人, 负责人 (the file keepers) 直接责任人
    ("filing_not_rectified", "school", "建档整改不力", ("named", "领导小组成员", "档案管理员")),
    ("filing_misreported", "school", "建档瞒报", ("named", "领导小组成员", "档案管理员")),
    ("filing_inaction", "school", "建档不作为", ("named", "领导小组成员", "档案管理员")),
    # 二(二)1 没有建立领导小组 — the principal's own duty
    ("no_leading_group", "school", "未建领导小组", ("duty", "校长")),
    # 二(二)2 实施方案 — the dean
    ("no_plan", "school", "无实施方案", ("duty", "教导主任")),
    # 二(二)3 辍学率超过规定标准 — the dean (enrolment)
    ("dropout", "dropout", None, ("duty", "教导主任")),
    # 二(二)4 安全事故 — general affairs
    ("safety_accident", "school", "安全事故", ("duty", "总务主任")),
    # 二(二)5 脏乱差 — a class teacher's own duty; anyone else's general duty
    ("dirty_campus_class", "person", ("脏乱差", {"班主任"}), ("duty", "班主任")),
    ("dirty_campus_staff", "person", ("脏乱差", None), ("duty", "教职工")),   # None: any post but 班主任
    # 二(二)6 督查问题不及时整改 — the principal first, the leading group direct
    ("not_rectified", "school", "整改不力", ("named", "校长", "领导小组成员")),
    # 二(二)7 其他不作为、弄虚作假 — anyone's general duty
    ("inaction", "person", ("不作为", "any"), ("duty", "教职工")),
]

PERSON_KINDS = {"建档不履职", "脏乱差", "不作为"}
SCHOOL_KINDS = {"建档整改不力", "建档瞒报", "建档不作为", "未建领导小组", "无实施方案", "安全事故", "整改不力"}


def iso_date(text, what):
    return date(text, what)


class Facts:
    def __init__(self, d):
        params = read_params(d)
        for p in ("year_start", "year_end", "dropout_limit"):
            if p not in params:
                raise FactError("params.csv: %s is required" % p)
        self.start = iso_date(params["year_start"], "params.csv year_start")
        self.end = iso_date(params["year_end"], "params.csv year_end")
        self.dropout_limit = number(params["dropout_limit"], "params.csv dropout_limit")

        self.staff = []                       # (id, post, school) in file order
        self.post = {}
        self.school_of = {}
        for r in read_csv(os.path.join(d, "staff.csv"), ["id", "post", "school"]):
            if r["id"] in self.post:
                raise FactError("staff.csv: %s listed twice" % r["id"])
            if r["post"] not in REPORTS_TO:
                raise FactError("staff.csv: %s: unknown post %s" % (r["id"], r["post"]))
            self.staff.append((r["id"], r["post"], r["school"]))
            self.post[r["id"]] = r["post"]
            self.school_of[r["id"]] = r["school"]

        self.person_rows = []                 # (id, kind) within the period
        for r in read_csv(os.path.join(d, "violation.csv"), ["id", "date", "kind"]):
            if r["id"] not in self.post:
                raise FactError("violation.csv: unknown person %s" % r["id"])
            if r["kind"] not in PERSON_KINDS:
                raise FactError("violation.csv: unknown kind %s" % r["kind"])
            if self.within(iso_date(r["date"], "violation.csv date")):
                self.person_rows.append((r["id"], r["kind"]))

        self.schools = []                     # order of first appearance
        self.school_rows = []                 # (school, kind) within the period
        for r in read_csv(os.path.join(d, "school_violation.csv"), ["school", "date", "kind"]):
            if r["kind"] not in SCHOOL_KINDS:
                raise FactError("school_violation.csv: unknown kind %s" % r["kind"])
            self.see(r["school"])
            if self.within(iso_date(r["date"], "school_violation.csv date")):
                self.school_rows.append((r["school"], r["kind"]))
        self.checks = []                      # (school, enrolled, dropped) within the period
        for r in read_csv(os.path.join(d, "enrolment.csv"), ["school", "date", "enrolled", "dropped"]):
            self.see(r["school"])
            if self.within(iso_date(r["date"], "enrolment.csv date")):
                self.checks.append((r["school"], integer(r["enrolled"], "enrolled"), integer(r["dropped"], "dropped")))

    def within(self, day):
        return within(day, self.start, self.end)

    def see(self, school):
        if school not in self.schools:
            self.schools.append(school)


def top_of(role):
    while REPORTS_TO[role] is not None:
        role = REPORTS_TO[role]
    return role


def holders(facts, role, school):
    out = [pid for pid, post, sch in facts.staff if post == role and sch == school]
    if not out:
        raise FactError("no one holds the role %s at %s" % (role, school))
    return out


def count(facts, rule, against):
    """How many times the violation of `rule` was found for this person / school."""
    _name, kind_of, match, _who = rule
    if kind_of == "person":
        kind, posts = match
        post = facts.post[against]
        if posts == "any":
            pass
        elif posts is None:
            if post == "班主任":
                return 0
        elif post not in posts:
            return 0
        return sum(1 for pid, k in facts.person_rows if pid == against and k == kind)
    if kind_of == "school":
        return sum(1 for sch, k in facts.school_rows if sch == against and k == match)
    # 二(二)3: a check whose rate dropped / enrolled is over the standard (exactly)
    return sum(1 for sch, enrolled, dropped in facts.checks
               if sch == against and Fraction(dropped, enrolled) > facts.dropout_limit)


def answer(facts, rule, against, is_person):
    """The (person, role, responsibility) lines of a finding."""
    who = rule[3]
    school = facts.school_of[against] if is_person else against
    lines = []
    if who[0] == "duty":
        role = who[1]
        top = who[2] if len(who) > 2 else top_of(role)
        direct = [against] if is_person else holders(facts, role, school)
        if top != role:
            lines += [(p, top, FIRST) for p in holders(facts, top, school) if p not in direct]
        lines += [(p, role, DIRECT) for p in direct]
    else:
        _, first, direct = who
        lines += [(p, first, FIRST) for p in holders(facts, first, school)]
        lines += [(p, direct, DIRECT) for p in holders(facts, direct, school)]
    return lines


def compute(facts):
    out = []
    for pid, _post, _school in facts.staff:
        for rule in RULES:
            if rule[1] != "person":
                continue
            n = count(facts, rule, pid)
            if n > 0:
                tier = TIERS[min(n, len(TIERS)) - 1]
                # The tier counts this person's own repeats: it is their measure, not their
                # leader's.  The seed (三、责任追究的方式) gives the 第一责任人 of a person's own
                # violation no measure, so the leader's line has an empty sanction.
                out += [(p, tier if p == pid else "", role, resp) for p, role, resp in answer(facts, rule, pid, True)]
    for school in facts.schools:
        for rule in RULES:
            if rule[1] == "person":
                continue
            n = count(facts, rule, school)
            if n > 0:
                tier = TIERS[min(n, len(TIERS)) - 1]
                out += [(p, tier, role, resp) for p, role, resp in answer(facts, rule, school, False)]
    return out


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: yaliu_ref.py FACTS_DIR OUT_DIR\n")
        return 2
    try:
        facts = Facts(argv[1])
        lines = compute(facts)
    except FactError as e:
        sys.stderr.write("yaliu_ref.py: %s\n" % e)
        return 1
    os.makedirs(argv[2], exist_ok=True)
    with open(os.path.join(argv[2], "sanctions.txt"), "w", encoding="utf-8", newline="") as f:
        f.write("entity,sanction,role,responsibility\n")
        for line in lines:
            f.write(",".join(line) + "\n")
    print("牙六小 reference: %d persons, %d school(s), %d sanction lines"
          % (len(facts.staff), len(facts.schools), len(lines)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
