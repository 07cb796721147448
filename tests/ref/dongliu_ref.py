#!/usr/bin/env python3
"""Independent reference computation for the 东流镇 performance-pay policy.

Seed: /work/shared/seeds/002_86dd21cb94d078ae.txt, 篇1 (东流镇中心学校 2019
teacher performance pay); digest: /work/shared/seeds/DIGEST.md section A.

This script does NOT use wenze.  It recomputes the golden outputs of
tests/golden/dongliu/ from the facts alone, with exact rational arithmetic
(fractions.Fraction; never float), so the interpreter's outputs can be
checked against an independent implementation.

Usage:  python3 tests/ref/dongliu_ref.py FACTS_DIR OUT_DIR

Writes OUT_DIR/scores.csv, pay.csv, sanctions.txt, summary.txt and prints a
short human summary (per basis category, and which person takes which rule
path) to stdout.  Python 3 standard library and tests/ref/wzref.py only.

Output formats (the contract the golden files follow):
  scores.csv     person,attendance,workload,process,results,ethics,total,grade
                 numbers by fmt_score(): exact if the value terminates within
                 4 fractional digits, else rounded half-up at 4 digits; trailing
                 zeros and a trailing '.' stripped; never "-0".  grade is empty.
  pay.csv        person,basis,reward,stipend,amount   money with exactly 2 decimals
  sanctions.txt  person,sanction   persons with a discipline row in the period
  summary.txt    pool, stipends, distributed, residue, persons, then for each
                 fact file rows_read.<file> and rows_ignored.<file>
"""

import os
import sys
from fractions import Fraction

from wzref import FactError, date, fmt_fixed, fmt_number, number, read_csv, read_params, round_half_up, within

# Fact files in the order they are reported in summary.txt (params.csv is
# parameters, not a fact table, and is not counted).
FACT_FILES = [
    "staff.csv", "leave.csv", "signin.csv", "workload.csv", "routine.csv",
    "research_override.csv", "results.csv", "discipline.csv", "class_teacher.csv",
    "ethics.csv", "nonteaching.csv", "private_teaching.csv",
]
DATED_FILES = {"leave.csv", "signin.csv", "discipline.csv", "ethics.csv"}

# Discipline levels, least to most severe, with the share of the year's score
# they cut.
LEVELS = ["通报批评", "警告", "记过", "记大过", "降级", "撤职", "开除"]
CUT = {
    "通报批评": Fraction(2, 10),
    "警告": Fraction(3, 10),
    "记过": Fraction(8, 10),
    "记大过": Fraction(1),
    "降级": Fraction(1),
    "撤职": Fraction(1),
    "开除": Fraction(1),
}

AVERAGE_POSTS = {"督导员", "专职书记", "工会主席", "挂职", "抽调"}


# ---------------------------------------------------------------------------
# Number formats (wzref does the arithmetic)
# ---------------------------------------------------------------------------

def dec(text):
    """A decimal from a fact file, exactly."""
    return number(text, "a number")


def parse_date(text):
    return date(text, "a date")


def fmt_score(x):
    """Scores: exact if x terminates within 4 decimals, else half-up at 4;
    then trailing zeros and a trailing '.' stripped; never "-0"."""
    return fmt_number(x, 4)


def fmt_money(x):
    """Money: exactly 2 decimals (x must already be a multiple of 0.01)."""
    return fmt_fixed(x, 2)


# ---------------------------------------------------------------------------
# Reading facts
# ---------------------------------------------------------------------------

class Facts:
    """All fact files of one facts directory, with the period filter applied.

    rows_read[file]    = data rows in the file
    rows_ignored[file] = rows dated outside [year_start, year_end] (dropped)
    """

    def __init__(self, d):
        params = read_params(d, required=False)
        self.pool = dec(params["pool"])
        self.year_start = parse_date(params["year_start"])
        self.sem2_start = parse_date(params["semester2_start"])
        self.year_end = parse_date(params["year_end"])

        self.rows_read = {}
        self.rows_ignored = {}
        self.ignored = []                                  # (file, row) dropped by the period
        raw = {}
        for name in FACT_FILES:
            rows = read_csv(os.path.join(d, name), required=False)
            self.rows_read[name] = len(rows)
            kept = rows
            if name in DATED_FILES:
                kept = [r for r in rows if self.in_period(parse_date(r["date"]))]
            self.rows_ignored[name] = len(rows) - len(kept)
            self.ignored += [(name, r) for r in rows if r not in kept]
            raw[name] = kept

        self.staff = raw["staff.csv"]                      # population, file order
        self.ids = [s["id"] for s in self.staff]
        self.leave = raw["leave.csv"]
        self.signin = raw["signin.csv"]
        self.discipline = raw["discipline.csv"]
        self.weekly_hours = {r["id"]: dec(r["weekly_hours"]) for r in raw["workload.csv"]}
        self.routine = {r["id"]: (dec(r["routine"]), dec(r["research"])) for r in raw["routine.csv"]}
        self.override = {r["id"]: dec(r["research"]) for r in raw["research_override.csv"]}
        self.results = {r["id"]: dec(r["score"]) for r in raw["results.csv"]}
        self.class_teacher = {r["id"]: (int(r["students"]), dec(r["score"]))
                              for r in raw["class_teacher.csv"]}
        self.ethics = raw["ethics.csv"]                    # 四.5 酌情: id,date,what,deducted
        self.nonteaching = {r["id"]: (dec(r["target"]), dec(r["appraisal"]))
                            for r in raw["nonteaching.csv"]}
        self.private_teaching = {r["id"] for r in raw["private_teaching.csv"]}
        for name in FACT_FILES[1:]:
            for r in raw[name]:
                assert r["id"] in self.ids, "%s: unknown person %s" % (name, r["id"])
        for table, rows in (("workload.csv", self.weekly_hours), ("routine.csv", self.routine),
                            ("results.csv", self.results)):
            assert set(rows) == set(self.ids), "%s: need exactly one row per staff member" % table

    def in_period(self, day):
        return within(day, self.year_start, self.year_end)

    def semester(self, day):
        """1 = [year_start, semester2_start), 2 = [semester2_start, year_end]."""
        return 1 if day < self.sem2_start else 2


# ---------------------------------------------------------------------------
# Helpers over one person's rows
# ---------------------------------------------------------------------------

def leave_days(facts, pid, kinds, semester=None):
    """Σ days of the person's leave rows of the given kinds (in the period;
    optionally only rows starting in one semester)."""
    total = Fraction(0)
    for r in facts.leave:
        if r["id"] != pid or r["kind"] not in kinds:
            continue
        if semester is not None and facts.semester(parse_date(r["date"])) != semester:
            continue
        total += dec(r["days"])
    return total


def missed_signs(facts, pid, semester):
    return sum(int(r["missed"]) for r in facts.signin
               if r["id"] == pid and facts.semester(parse_date(r["date"])) == semester)


def age_at(birth, day):
    """Full years of age on `day` (a birthday on `day` counts)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


# ---------------------------------------------------------------------------
# The rules, one function each, with the seed clause they encode
# ---------------------------------------------------------------------------

def attendance(facts, pid):
    # 四.1 考勤: "病假一天扣0.2分,事假一天扣0.5分,曠工1天扣5分,簽到、簽退缺一次扣0.1分,
    # 婚喪嫁娶產等假期按有關規定執行。原則上每學期病假2天以內,簽到、簽退缺5次以內可不扣分。"
    # Worth 10 points (考勤(10%)); floored at 0.  婚假/丧假/产假/脱产学习 deduct nothing.
    deduction = Fraction(0)
    for s in (1, 2):
        sick = leave_days(facts, pid, {"病假"}, s)
        missed = missed_signs(facts, pid, s)
        deduction += Fraction(2, 10) * max(Fraction(0), sick - 2)
        deduction += Fraction(1, 10) * max(0, missed - 5)
    deduction += Fraction(1, 2) * leave_days(facts, pid, {"事假"})
    deduction += 5 * leave_days(facts, pid, {"旷工"})
    return max(Fraction(0), 10 - deduction)


def workload(facts, pid):
    # 四.2 工作量: "教職工周人均工作量=學校各個崗位周工作量總和÷教職工總數;
    # 教職工工作量得分=教職工周實際工作量÷教職工周人均工作量×30分"
    # All staff count in the average (excluded ones too); no cap.
    total = sum(facts.weekly_hours.values(), Fraction(0))
    average = total / len(facts.ids)
    return facts.weekly_hours[pid] / average * 30


def research_score(facts, pid):
    # 四.3: "對於男年滿55周歲、女年滿50周歲教師的教研考核分,中心學校將依據其對學校
    # 教研活動的參與情況酌情賦分。"  The discretionary score is an override row; it is
    # used only for men ≥ 55 / women ≥ 50 (age in full years at year_start).
    person = staff_row(facts, pid)
    age = age_at(parse_date(person["birth_date"]), facts.year_start)
    old_enough = age >= (55 if person["gender"] == "男" else 50)
    if pid in facts.override and old_enough:
        return facts.override[pid]
    return facts.routine[pid][1]


def process(facts, pid):
    # 四.3 教育教學過程: "教學常規得分=學期教學常規考核分/40×30;
    # 教研活動得分=學期教研活動考核分/30×10"
    routine = facts.routine[pid][0]
    return routine / 40 * 30 + research_score(facts, pid) / 30 * 10


def results(facts, pid):
    # 四.4 教育教學業績: "專任教師的教學業績考核分依據中心學校教學質量考核結果按比例賦分。"
    # Assigned by the central school: taken as given (0–20).
    # "非教學人員的教學業績考核為:中心學校…賦10分;校長辦公會議組成人員…測評,滿分10分。"
    # A 非教学人员 with a nonteaching.csv row: the two marks added; otherwise results.csv.
    if pid in facts.nonteaching and staff_row(facts, pid)["post"] == "非教学人员":
        target, appraisal = facts.nonteaching[pid]
        return target + appraisal
    return facts.results[pid]


def ethics(facts, pid):
    # 四.5: "…構不上組織處理的,酌情扣除績效考核得分。"  The points each row of ethics.csv
    # records (rows dated in the year), as a negative score.
    return -sum((dec(r["deducted"]) for r in facts.ethics if r["id"] == pid), Fraction(0))


def sanction(facts, pid):
    """The most severe discipline level in the period, or None."""
    levels = [r["level"] for r in facts.discipline if r["id"] == pid]
    if not levels:
        return None
    return max(levels, key=LEVELS.index)


def cut(facts, pid):
    # 四.5 師德師風: "凡受到通報批評、警告、記過、記大過及記大過等次以上處分的,分別扣除
    # 當年績效考核得分的20%、30%、80%、100%。"  Only the most severe level applies.
    level = sanction(facts, pid)
    return CUT[level] if level else Fraction(0)


def total(facts, pid):
    # 四: "考核共計100分,內容及權重為考勤(10%)、工作量(30%)、教育教學過程(40%)、
    # 教育教學業績(20%)。"  Minus the discipline cut; rounded half-up to 2 decimals.
    # The 酌情 deductions (四.5) come off before the cut; the score stays at least 0.
    raw = (attendance(facts, pid) + workload(facts, pid) + process(facts, pid) + results(facts, pid)
           + ethics(facts, pid))
    return round_half_up(max(Fraction(0), raw) * (1 - cut(facts, pid)), 2)


def exclusion_reason(facts, pid):
    # 四.8: "有下列情形之一的,不參與本校獎勵性績效工資分配:(1)一學期累計曠工達5個工作日
    # 及以上的、病事假累計超過2個月的;(2)一學期非組織安排脫產學習兩個月以上的;(3)停發工資的。"
    # "2 months" = 60 days, tested per semester.  Returns a reason or None.
    if staff_row(facts, pid)["status"] == "停发工资":
        return "停发工资"
    # 四.7: "由組織安排休息的教師不允許到私立學校任教,否則按規定扣除本人的所有工資及津補貼。"
    if staff_row(facts, pid)["post"] == "安排休息" and pid in facts.private_teaching:
        return "安排休息 到私立学校任教"
    for s in (1, 2):
        if leave_days(facts, pid, {"旷工"}, s) >= 5:
            return "旷工≥5 (semester %d)" % s
        if leave_days(facts, pid, {"病假", "事假"}, s) > 60:
            return "病假+事假>60 (semester %d)" % s
        if leave_days(facts, pid, {"脱产学习"}, s) > 60:
            return "脱产学习>60 (semester %d)" % s
    return None


def basis(facts, pid):
    # 四.6: "有下列情形之一的,可享受本學校績效工資的平均值(扣除班主任津貼後的平均值):
    # (1)在中心學校擔任督導員以及專職總支書記、副書記、專職工會主席;離退休不遠由組織安排
    # 休息的。(2)掛職、抽調中心工作的。"
    # 四.7: "男教師年滿58周歲、女教師年滿53周歲,由組織安排休息的,享受績效工資人均值的80%。"
    # Exclusion (四.8) comes first.
    if exclusion_reason(facts, pid):
        return "excluded"
    person = staff_row(facts, pid)
    post = person["post"]
    if post in AVERAGE_POSTS:
        return "average"
    if post == "安排休息":
        age = age_at(parse_date(person["birth_date"]), facts.year_start)
        limit = 58 if person["gender"] == "男" else 53
        return "average80" if age >= limit else "average"
    return "score"


def stipend(facts, pid):
    # 五.2 班主任津貼: "全年按10個月計 … 小學每月基數為30元,累加每生每月0.5元,小學班主任
    # 月津貼不得超過60元 … 按班額月發放標準×考核得分÷100=班主任個人月津貼"
    # Excluded staff get no stipend.  Rounded half-up to the fen.
    if pid not in facts.class_teacher or basis(facts, pid) == "excluded":
        return Fraction(0)
    students, score = facts.class_teacher[pid]
    monthly = min(30 + Fraction(1, 2) * students, Fraction(60))
    return round_half_up(monthly * score / 100 * 10, 2)


def distribute(facts):
    # 五.1: "全校績效補貼總額 ÷ 全校績效考核得分總和 × 教職工個人績效考核得分
    # = 教職工個人績效工資額";  五.2: "班主任津貼在全校績效工資總額中扣除。"
    # A = pool − Σ stipends; avg = A ÷ (n_score + n_average + 0.8·n_average80).
    # average staff get avg, average80 staff 0.8·avg; the score staff share
    # n_score·avg pro rata by total.  Each reward rounded half-up to the fen.
    ids = facts.ids
    bases = {p: basis(facts, p) for p in ids}
    stipends = {p: stipend(facts, p) for p in ids}
    totals = {p: total(facts, p) for p in ids}
    n = {b: sum(1 for p in ids if bases[p] == b) for b in ("score", "average", "average80")}
    a = facts.pool - sum(stipends.values(), Fraction(0))
    avg = a / (n["score"] + n["average"] + Fraction(8, 10) * n["average80"])
    score_sum = sum((totals[p] for p in ids if bases[p] == "score"), Fraction(0))
    rewards = {}
    for p in ids:
        b = bases[p]
        if b == "average":
            rewards[p] = round_half_up(avg, 2)
        elif b == "average80":
            rewards[p] = round_half_up(Fraction(8, 10) * avg, 2)
        elif b == "score":
            assert score_sum != 0
            rewards[p] = round_half_up(n["score"] * avg * totals[p] / score_sum, 2)
        else:
            rewards[p] = Fraction(0)
    return bases, stipends, totals, rewards, avg


def staff_row(facts, pid):
    for s in facts.staff:
        if s["id"] == pid:
            return s
    raise KeyError(pid)


# ---------------------------------------------------------------------------
# Outputs
# ---------------------------------------------------------------------------

def write_outputs(facts, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    bases, stipends, totals, rewards, avg = distribute(facts)
    amounts = {p: rewards[p] + stipends[p] for p in facts.ids}

    with open(os.path.join(out_dir, "scores.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("person,attendance,workload,process,results,ethics,total,grade\n")
        for p in facts.ids:
            f.write(",".join([p, fmt_score(attendance(facts, p)), fmt_score(workload(facts, p)),
                              fmt_score(process(facts, p)), fmt_score(results(facts, p)),
                              fmt_score(ethics(facts, p)), fmt_score(totals[p]), ""]) + "\n")

    with open(os.path.join(out_dir, "pay.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("person,basis,reward,stipend,amount\n")
        for p in facts.ids:
            f.write("%s,%s,%s,%s,%s\n" % (p, bases[p], fmt_money(rewards[p]),
                                          fmt_money(stipends[p]), fmt_money(amounts[p])))

    with open(os.path.join(out_dir, "sanctions.txt"), "w", encoding="utf-8", newline="") as f:
        f.write("person,sanction\n")
        for p in facts.ids:
            level = sanction(facts, p)
            if level:
                f.write("%s,%s\n" % (p, level))

    stipend_sum = sum(stipends.values(), Fraction(0))
    distributed = sum(amounts.values(), Fraction(0))
    residue = facts.pool - distributed
    assert (residue * 100).denominator == 1
    with open(os.path.join(out_dir, "summary.txt"), "w", encoding="utf-8", newline="") as f:
        f.write("pool=%s\n" % fmt_money(facts.pool))
        f.write("stipends=%s\n" % fmt_money(stipend_sum))
        f.write("distributed=%s\n" % fmt_money(distributed))
        f.write("residue=%s\n" % fmt_money(residue))
        f.write("persons=%d\n" % len(facts.ids))
        for name in FACT_FILES:
            f.write("rows_read.%s=%d\n" % (name, facts.rows_read[name]))
            f.write("rows_ignored.%s=%d\n" % (name, facts.rows_ignored[name]))

    return bases, stipends, totals, rewards, amounts, avg, residue


def rule_paths(facts, pid, bases, stipends):
    """Human-readable list of the non-default rule paths a person takes."""
    paths = []
    person = staff_row(facts, pid)
    age = age_at(parse_date(person["birth_date"]), facts.year_start)
    reason = exclusion_reason(facts, pid)
    if reason:
        paths.append("excluded: " + reason)
    if person["post"] != "专任教师":
        paths.append("post %s (age %d) -> %s" % (person["post"], age, bases[pid]))
    if pid in facts.override:
        used = research_score(facts, pid) == facts.override[pid]
        paths.append("override %s (%s age %d)" % ("USED" if used else "ignored", person["gender"], age))
    for s in (1, 2):
        sick = leave_days(facts, pid, {"病假"}, s)
        if sick:
            paths.append("S%d sick %s (%s)" % (s, fmt_score(sick), "free" if sick <= 2 else "deducted"))
        missed = missed_signs(facts, pid, s)
        if missed:
            paths.append("S%d signin %d (%s)" % (s, missed, "free" if missed <= 5 else "deducted"))
        for kinds, label in (({"旷工"}, "旷工"), ({"病假", "事假"}, "病+事"), ({"脱产学习"}, "脱产学习")):
            days = leave_days(facts, pid, kinds, s)
            if days and (label != "病+事" or days > 2):
                paths.append("S%d %s %s" % (s, label, fmt_score(days)))
    personal = leave_days(facts, pid, {"事假"})
    if personal:
        paths.append("事假 %s" % fmt_score(personal))
    for kind in ("婚假", "丧假", "产假"):
        days = leave_days(facts, pid, {kind})
        if days:
            paths.append("%s %s (no deduction)" % (kind, fmt_score(days)))
    if attendance(facts, pid) == 0:
        paths.append("attendance floored at 0")
    dis = [r["level"] for r in facts.discipline if r["id"] == pid]
    if dis:
        paths.append("discipline %s -> %s" % ("+".join(dis), sanction(facts, pid)))
    for name, r in facts.ignored:
        if r["id"] == pid:
            paths.append("%s row dated %s ignored (outside period)" % (name, r["date"]))
    if pid in facts.class_teacher:
        students, _ = facts.class_teacher[pid]
        cap = " capped" if 30 + Fraction(students, 2) > 60 else ""
        paths.append("class teacher %d students%s, stipend %s" % (students, cap, fmt_money(stipends[pid])))
    return paths


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: dongliu_ref.py FACTS_DIR OUT_DIR\n")
        return 2
    try:
        facts = Facts(argv[1])
    except FactError as e:
        sys.stderr.write("dongliu_ref.py: %s\n" % e)
        return 1
    bases, stipends, totals, rewards, amounts, avg, residue = write_outputs(facts, argv[2])

    print("东流镇 reference: %d staff, pool %s, avg %s" % (len(facts.ids), fmt_money(facts.pool),
                                                           fmt_score(avg)))
    for b in ("score", "average", "average80", "excluded"):
        members = [p for p in facts.ids if bases[p] == b]
        money = sum((amounts[p] for p in members), Fraction(0))
        print("  %-9s n=%2d  amount %12s  %s" % (b, len(members), fmt_money(money), " ".join(members)))
    print("  stipends %s, residue %s" % (fmt_money(sum(stipends.values(), Fraction(0))),
                                         fmt_money(residue)))
    ignored = ", ".join("%s=%d" % (n, facts.rows_ignored[n]) for n in sorted(DATED_FILES))
    print("  rows ignored (outside period): " + ignored)
    print("paths:")
    for p in facts.ids:
        paths = rule_paths(facts, p, bases, stipends)
        print("  %s %-4s total %-7s %-9s %9s  %s" % (p, staff_row(facts, p)["name"], fmt_score(totals[p]),
                                                    bases[p], fmt_money(amounts[p]), "; ".join(paths)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
