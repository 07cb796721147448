#!/usr/bin/env python3
"""Independent reference computation for the township primary-school teacher assessment.

Seed: /work/shared/seeds/002_86dd21cb94d078ae.txt, 篇2 (xx乡 小学教师考核制度, 讨论稿);
digest: /work/shared/seeds/DIGEST.md section B.  Policy: policies/township-2019.wz.

This script does NOT use wenze.  It recomputes the golden outputs of
tests/golden/township/expected/ from the facts alone, with exact rational arithmetic
(int and fractions.Fraction; never float).  Python 3 standard library and tests/ref/wzref.py only.

Usage:  python3 tests/ref/township_ref.py FACTS_DIR OUT_DIR

Facts (UTF-8 CSV, header row first; every file but lab.csv is required):
  staff.csv         id,name,subject                      the persons, in order
  leave.csv         id,date,kind,half_days               事假/病假/住院病假/旷工/婚假/丧假/产假
  missed_class.csv  id,date,periods                      旷课
  discretion.csv    id,date,part,reason,amount           校委会酌情扣分 (考勤/师德/工作常规)
  ethics_case.csv   id,date,kind,note                    师德 1–4
  duty_case.csv     id,date,kind,note                    工作常规 2 (未履职), 4 (安全事故)
  lab.csv           id,class,required,opened             实验课 (optional file)
  results.csv       id,score                             教学成绩 (one row per person)
  honour.csv        id,date,level,title                  先进、荣誉称号
  contest.csv       id,date,level,prize,approved,title   本人竞赛获奖
  coaching.csv      id,date,level,prize,title            辅导学生参赛获奖
  team.csv          id,date,level,place,event            团体奖名次
  paper.csv         id,date,formal,signed,title          业务论文
  research.csv      id,date,project,member_role,others,level,prize   课题成果
  veto.csv          id,date,clause,note                  一票否决
  params.csv        name,value   year_start, year_end, results_full, lab_target (all optional)

Every dated row outside [year_start, year_end] is ignored.

Outputs:
  scores.csv     person,attendance,ethics,routine,ability,workload,total,grade
                 numbers exact when they terminate within 2 decimals, else rounded half-up
                 to 2; trailing zeros and a trailing '.' dropped; never "-0".
  sanctions.txt  person,sanction   (header line first) one line per veto clause reached,
                 persons in staff order, clauses in the order of 篇2 四.1–4.

The research shares are computed from the rows of each project (the writer and the
members found in research.csv), not from the `others` column; the script checks that
`others` agrees and stops with an error if it does not.
"""

import os
import sys
from fractions import Fraction

from wzref import FactError, boolean as wz_boolean, date, fmt_number, number, read_csv, read_params, within

DISPLAY = 2

# 四.2: 区级记3分，市级记5分，省级记7分，国家级记10分
HONOUR = {"区级": 3, "市级": 5, "省级": 7, "国家级": 10}
# Chosen scale of an individual award (the seed's table for 四.3/4 is missing):
# 一等奖 = the honour points of the level, 二等奖 75%, 三等奖 50%, 鼓励奖 25%.
PRIZE = {"一等奖": Fraction(1), "二等奖": Fraction(3, 4), "三等奖": Fraction(1, 2), "鼓励奖": Fraction(1, 4)}

VETO_CLAUSES = ["违反政纪国法受处分", "失职致学生伤亡或重大事故", "犯罪处刑罚", "处分定为不合格"]

DATED = ["leave", "missed_class", "discretion", "ethics_case", "duty_case", "honour",
         "contest", "coaching", "team", "paper", "research", "veto"]


# ---------------------------------------------------------------------------
# Numbers (wzref does the arithmetic)
# ---------------------------------------------------------------------------

def fmt(x):
    """Exact if x terminates within DISPLAY decimals, else half-up at DISPLAY; no trailing zeros."""
    return fmt_number(x, DISPLAY)


def dec(text):
    return number(text, "a number")


def boolean(text):
    return wz_boolean(text, "a bool")


# ---------------------------------------------------------------------------
# Facts
# ---------------------------------------------------------------------------

class Facts:
    def __init__(self, d):
        params = read_params(d, required=False)
        self.start = date(params.get("year_start", "2019-01-01"), "params.csv year_start")
        self.end = date(params.get("year_end", "2019-12-31"), "params.csv year_end")
        self.results_full = dec(params.get("results_full", "100"))
        self.lab_target = dec(params.get("lab_target", "100"))

        self.staff = read_csv(os.path.join(d, "staff.csv"))
        self.ids = [s["id"] for s in self.staff]
        self.rows = {}
        for name in DATED:
            rows = read_csv(os.path.join(d, name + ".csv"))
            for r in rows:
                if r["id"] not in self.ids:
                    raise FactError("%s.csv: unknown person %s" % (name, r["id"]))
            self.rows[name] = [r for r in rows
                               if within(date(r["date"], name + ".csv date"), self.start, self.end)]
        self.rows["lab"] = read_csv(os.path.join(d, "lab.csv"), required=False)
        results = read_csv(os.path.join(d, "results.csv"))
        self.results = {r["id"]: dec(r["score"]) for r in results}
        if sorted(self.results) != sorted(self.ids) or len(results) != len(self.ids):
            raise FactError("results.csv: need exactly one row per person")
        for r in self.rows["leave"]:
            if not r["half_days"].strip().isdigit() or int(r["half_days"]) < 1:
                raise FactError("leave.csv: half_days must be a whole number of half days ≥ 1")

    def of(self, name, pid):
        return [r for r in self.rows[name] if r["id"] == pid]


# ---------------------------------------------------------------------------
# The rules, with the clauses of 篇2 they encode
# ---------------------------------------------------------------------------

def attendance_deductions(f, pid):
    # (一) 2、事假半天扣0.25分，病假一天扣0.2分(住院期间不扣分)，以此累计。
    #     3、旷工一天扣10分，旷课一节扣5分，迟到、早退…酌情扣分。
    half = {}
    for r in f.of("leave", pid):
        half[r["kind"]] = half.get(r["kind"], 0) + int(r["half_days"])
    d = Fraction(1, 4) * half.get("事假", 0)                 # 0.25 per half day
    d += Fraction(2, 10) * Fraction(half.get("病假", 0), 2)    # 0.2 per day; 住院病假: nothing
    d += 10 * Fraction(half.get("旷工", 0), 2)                 # 10 per day
    d += 5 * sum(int(r["periods"]) for r in f.of("missed_class", pid))
    d += sum((dec(r["amount"]) for r in f.of("discretion", pid) if r["part"] == "考勤"), Fraction(0))
    return d


def attendance(f, pid):
    # 1、出全勤得10分。 4、…扣完本项… → at least 0
    return max(Fraction(0), 10 - attendance_deductions(f, pid))


def ethics(f, pid):
    # (二) 1–4 每次扣5分; 5 酌情扣分; 6、本项总分10分，扣完为止。
    d = 5 * len(f.of("ethics_case", pid))
    d += sum((dec(r["amount"]) for r in f.of("discretion", pid) if r["part"] == "师德"), Fraction(0))
    return max(Fraction(0), 10 - d)


def lab_points(f, pid):
    # (三) 3、实验课开设率每低于1个百分点，扣1分。 rate = Σopened/Σrequired×100;
    # whole percentage points below the target.
    rows = [r for r in f.rows["lab"] if r["id"] == pid]
    if not rows:
        return 0
    rate = Fraction(sum(int(r["opened"]) for r in rows) * 100, sum(int(r["required"]) for r in rows))
    below = f.lab_target - rate
    return max(0, int(below.__floor__())) if below > 0 else 0


def routine(f, pid):
    # (三) 1 酌情; 2、未及时履行职责…每次扣5分; 3 lab; 4、…造成安全事故的，每次扣5分。
    d = sum((dec(r["amount"]) for r in f.of("discretion", pid) if r["part"] == "工作常规"), Fraction(0))
    d += 5 * len(f.of("duty_case", pid))
    d += lab_points(f, pid)
    return max(Fraction(0), 10 - d)


def teaching(f, pid):
    # (四) 1、教学成绩…按总分折40分
    return f.results[pid] / f.results_full * 40


def award_points(level, prize):
    return HONOUR[level] * PRIZE[prize]


def team_share(place):
    # (四) 5、1—4为一等奖；5—8为二等奖；9—12名为三等奖；13—16名为鼓励奖
    if 1 <= place <= 4:
        return PRIZE["一等奖"]
    if 5 <= place <= 8:
        return PRIZE["二等奖"]
    if 9 <= place <= 12:
        return PRIZE["三等奖"]
    if 13 <= place <= 16:
        return PRIZE["鼓励奖"]
    return Fraction(0)


def research_shares(f):
    """(四) 7、按个人获奖4倍计分(执笔人占50%，其余教师共占50%，由课题组长平均分配).
    Grouped by project; returns {person: Σ points}.  A result with no other teachers is
    all the writer's."""
    projects = {}
    for r in f.rows["research"]:
        projects.setdefault(r["project"], []).append(r)
    points = {}
    for name, rows in projects.items():
        writers = [r for r in rows if r["member_role"] == "执笔人"]
        members = [r for r in rows if r["member_role"] == "成员"]
        if len(writers) != 1:
            raise FactError("research.csv: project %s needs exactly one 执笔人" % name)
        for r in rows:
            if int(r["others"]) != len(members):
                raise FactError("research.csv: project %s: %s says others=%s, the project has %d"
                                % (name, r["id"], r["others"], len(members)))
            if (r["level"], r["prize"]) != (rows[0]["level"], rows[0]["prize"]):
                raise FactError("research.csv: project %s: rows disagree on the award" % name)
        whole = 4 * award_points(rows[0]["level"], rows[0]["prize"])
        w = writers[0]["id"]
        if members:
            points[w] = points.get(w, 0) + whole / 2
            for m in members:
                points[m["id"]] = points.get(m["id"], 0) + whole / 2 / len(members)
        else:
            points[w] = points.get(w, 0) + whole
    return points


def achievements_raw(f, pid, research):
    # (四) 2–7
    p = Fraction(0)
    p += sum(HONOUR[r["level"]] for r in f.of("honour", pid))                       # 2
    p += sum((award_points(r["level"], r["prize"]) for r in f.of("contest", pid)
              if boolean(r["approved"])), Fraction(0))                              # 3
    p += sum((award_points(r["level"], r["prize"]) for r in f.of("coaching", pid)), Fraction(0))  # 4
    p += sum((HONOUR[r["level"]] * team_share(int(r["place"])) for r in f.of("team", pid)),
             Fraction(0))                                                           # 5
    p += 2 * sum(1 for r in f.of("paper", pid) if boolean(r["formal"]) and boolean(r["signed"]))  # 6
    p += research.get(pid, Fraction(0))                                             # 7
    return p


def ability(f, pid, research):
    # (四) 教育教学能力 = 1 (教学成绩, of 40) + 2–7, where
    # 8、一个年度内一名教师教育教学能力(2—7项)加分封顶20分。
    return teaching(f, pid) + min(Fraction(20), achievements_raw(f, pid, research))


def vetoes(f, pid):
    # 四、一票否决 1–4, in clause order
    found = {r["clause"] for r in f.of("veto", pid)}
    return [c for c in VETO_CLAUSES if c in found]


def grade(total, vetoed):
    # Chosen thresholds: 优秀 ≥ 90, 合格 ≥ 75, 基本合格 ≥ 60; a veto → 不合格.
    if vetoed:
        return "不合格"
    if total >= 90:
        return "优秀"
    if total >= 75:
        return "合格"
    if total >= 60:
        return "基本合格"
    return "不合格"


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: township_ref.py FACTS_DIR OUT_DIR\n")
        return 2
    try:
        f = Facts(argv[1])
        research = research_shares(f)
    except FactError as e:
        sys.stderr.write("township_ref: %s\n" % e)
        return 2
    out = argv[2]
    os.makedirs(out, exist_ok=True)
    lines = ["person,attendance,ethics,routine,ability,workload,total,grade"]
    sanctions = ["person,sanction"]
    print("township reference: %d teachers, %s … %s" % (len(f.ids), f.start, f.end))
    for s in f.staff:
        pid = s["id"]
        parts = [attendance(f, pid), ethics(f, pid), routine(f, pid), ability(f, pid, research),
                 Fraction(10)]                                      # (五) 工作量: 10 for everyone
        total = sum(parts, Fraction(0))
        v = vetoes(f, pid)
        g = grade(total, v)
        lines.append(",".join([pid] + [fmt(x) for x in parts] + [fmt(total), g]))
        sanctions += ["%s,%s" % (pid, c) for c in v]
        notes = []
        if attendance_deductions(f, pid) > 10:
            notes.append("attendance deductions %s > 10" % fmt(attendance_deductions(f, pid)))
        raw = achievements_raw(f, pid, research)
        if raw > 20:
            notes.append("achievements %s capped at 20" % fmt(raw))
        if lab_points(f, pid):
            notes.append("lab −%d" % lab_points(f, pid))
        if v:
            notes.append("veto: " + "+".join(v))
        print("  %s %-4s total %-6s %-4s %s" % (pid, s["name"], fmt(total), g, "; ".join(notes)))
    with open(os.path.join(out, "scores.csv"), "w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "sanctions.txt"), "w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(sanctions) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
