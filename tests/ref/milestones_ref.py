#!/usr/bin/env python3
"""Independent reference computation for the 喀什市第十小学 goal-management system.

Seed: /work/shared/seeds/001_abe7c9e22d97e14f.txt (喀什市第十小学推进义务教育均衡发展
目标管理制度, 2016年9月), lines 1-125: the goals with their deadlines (二、三), the
posts (四、责任到人) and 五、评估与奖惩:
  "（一）义务教育标准化、均衡发展评价和考核工作实行责任到人，同奖同惩。
   （二）对因工作懈怠，责任落实不到位，将根据实际情况严肃追究主要领导的相关责任。"

This script does NOT use wenze.  It recomputes the golden outputs of
tests/golden/milestones/ from the facts alone, with exact arithmetic (int and
fractions.Fraction; never float).  Python 3 standard library and tests/ref/wzref.py only.  It encodes the
same interpretation as policies/kashi10-milestones-2017.wz (the choices are listed
in examples/milestones/README.md):

  * a goal is on time when it was completed on or before its deadline and on or
    before the assessment date as_of; late when completed after the deadline but
    by as_of; overdue when not completed by as_of (no date, or a later one) and
    its deadline is before as_of; otherwise pending (nothing);
  * on time: +reward; late or overdue: -fine; late: 通报批评, overdue: 诫勉谈话;
  * each of these goes, whole, to every holder of 校长 (第一责任人) and to every
    holder of the goal's lead post (直接责任人); for the principal's own goals
    (lead 校长) the principal is listed once, as 直接责任人.

Usage:  python3 tests/ref/milestones_ref.py FACTS_DIR OUT_DIR [NAME=VALUE ...]
        (NAME=VALUE overrides params.csv, like wenze's --param)

Facts (UTF-8 CSV, header row first):
  staff.csv    id,title,post                     (post: one of ROLES)
  goals.csv    goal,clause,lead,deadline,completed   (lead: one of ROLES)
  params.csv   name,value    as_of (required), reward, fine (default 500 each)

Outputs (wenze's sanctions.csv / awards.csv without the source column):
  sanctions.txt  entity,sanction,rule,role,responsibility
  awards.txt     entity,rule,amount,role,responsibility
Rules (the policy's three): reward_goal, fine_goal, missed_goal.
Order: goals in goals.csv order; per finding the principal's holders, then the lead
post's, each in staff.csv order (a lead of 校长: its holders once).
"""

import os
import sys
from fractions import Fraction

from wzref import FactError, date, fmt_exact, number, param_overrides, read_csv, read_params, write_lines

ROLES = ("校长", "教务处", "教研室", "德育办", "后勤主任", "支部书记", "报帐员")
PRINCIPAL = "校长"
FIRST, DIRECT = "第一责任人", "直接责任人"
DEFAULTS = {"reward": "500", "fine": "500"}


def parse_date(text, what):
    return date(text, what)


class Facts:
    def __init__(self, d, overrides):
        params = dict(DEFAULTS)
        params.update(read_params(d, overrides=overrides))
        if "as_of" not in params:
            raise FactError("params: as_of is required")
        self.as_of = parse_date(params["as_of"], "param as_of")
        self.reward = number(params["reward"], "param reward")
        self.fine = number(params["fine"], "param fine")

        self.staff = []                      # (id, post) in file order
        seen = set()
        for r in read_csv(os.path.join(d, "staff.csv"), ["id", "post"]):
            if r["id"] in seen:
                raise FactError("staff.csv: %s listed twice" % r["id"])
            seen.add(r["id"])
            if r["post"] not in ROLES:
                raise FactError("staff.csv: %s: unknown post %r" % (r["id"], r["post"]))
            self.staff.append((r["id"], r["post"]))

        self.goals = []                      # (goal, lead, deadline, completed or None)
        seen = set()
        for r in read_csv(os.path.join(d, "goals.csv"), ["goal", "lead", "deadline", "completed"]):
            if r["goal"] in seen:
                raise FactError("goals.csv: goal %s listed twice" % r["goal"])
            seen.add(r["goal"])
            if r["lead"] not in ROLES:
                raise FactError("goals.csv: %s: unknown lead post %r" % (r["goal"], r["lead"]))
            deadline = parse_date(r["deadline"], "goals.csv %s deadline" % r["goal"])
            completed = (parse_date(r["completed"], "goals.csv %s completed" % r["goal"])
                         if r["completed"] else None)
            self.goals.append((r["goal"], r["lead"], deadline, completed))

    def holders(self, post, goal):
        found = [pid for pid, p in self.staff if p == post]
        if not found:
            raise FactError("no one holds the post %s, needed for goal %s" % (post, goal))
        return found


def status(facts, deadline, completed):
    """'on_time', 'late', 'overdue' or 'pending' as of facts.as_of."""
    done = completed is not None and completed <= facts.as_of
    if done and completed <= deadline:
        return "on_time"
    if done:
        return "late"
    if deadline < facts.as_of:
        return "overdue"
    return "pending"


def compute(facts):
    awards, sanctions = [], []
    for goal, lead, deadline, completed in facts.goals:
        st = status(facts, deadline, completed)
        if st == "pending":
            continue
        # 同奖同惩: everyone responsible, each whole.  The principal is the first
        # responsible person of every goal; the lead post's holders the direct ones.
        # A person who would be both (the principal, for his own goals) is listed
        # once, as direct.
        direct = [(p, lead, DIRECT) for p in facts.holders(lead, goal)]
        direct_persons = {p for p, _role, _resp in direct}
        responsible = [(p, PRINCIPAL, FIRST) for p in facts.holders(PRINCIPAL, goal)
                       if p not in direct_persons] + direct
        if st == "on_time":
            for person, role, resp in responsible:
                awards.append((person, "reward_goal", facts.reward, role, resp))
        else:
            for person, role, resp in responsible:
                awards.append((person, "fine_goal", -facts.fine, role, resp))
        if st in ("late", "overdue"):
            tier = "通报批评" if st == "late" else "诫勉谈话"
            for person, role, resp in responsible:
                sanctions.append((person, tier, "missed_goal", role, resp))
    awards = [a for a in awards if a[2] != 0]
    return awards, sanctions


def fmt_amount(x):
    """An exact Fraction as a plain integer or minimal terminating decimal."""
    return fmt_exact(x)


def write_outputs(awards, sanctions, out_dir):
    write_lines(out_dir, "awards.txt", ["entity,rule,amount,role,responsibility"] +
                ["%s,%s,%s,%s,%s" % (person, rule, fmt_amount(amount), role, resp)
                 for person, rule, amount, role, resp in awards])
    write_lines(out_dir, "sanctions.txt", ["entity,sanction,rule,role,responsibility"] +
                ["%s,%s,%s,%s,%s" % line for line in sanctions])


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: milestones_ref.py FACTS_DIR OUT_DIR [NAME=VALUE ...]\n")
        return 2
    try:
        overrides = param_overrides(argv[3:])
    except FactError as e:
        sys.stderr.write("milestones_ref.py: %s\n" % e)
        return 2
    try:
        facts = Facts(argv[1], overrides)
        awards, sanctions = compute(facts)
        write_outputs(awards, sanctions, argv[2])
    except FactError as e:
        sys.stderr.write("milestones_ref.py: %s\n" % e)
        return 1
    print("喀什市第十小学 reference: as of %s, %d goals, %d post holders, %d award lines, %d sanction lines"
          % (facts.as_of.isoformat(), len(facts.goals), len(facts.staff), len(awards), len(sanctions)))
    totals = {}
    for person, _rule, amount, _role, _resp in awards:
        totals[person] = totals.get(person, Fraction(0)) + amount
    for person, _post in facts.staff:
        if person in totals:
            print("  %s %s" % (person, fmt_amount(totals[person])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
