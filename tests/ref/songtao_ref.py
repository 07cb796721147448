#!/usr/bin/env python3
"""Independent reference computation for the 松桃 annual assessment (德能勤绩, four grades).

Seed: /work/shared/seeds/000_07697d1733f4e460.txt, 《松桃县第一完小推进义务教育均衡发展工作
目标责任制考核机制和问责制度》 二、考核和问责 (lines 896–918); digest: DIGEST.md section E.
Policy: policies/songtao-grades.wz (its "Choice:" comments are the interpretations used here).

This script does NOT use wenze.  It recomputes tests/golden/songtao/expected/ from the facts
alone, with exact rational arithmetic (int and fractions.Fraction; never float).
Python 3 standard library and tests/ref/wzref.py only.

Usage:  python3 tests/ref/songtao_ref.py FACTS_DIR OUT_DIR

Facts (UTF-8 CSV, header row first):
  staff.csv           id,name,post,hired                 the persons, in order
  appraisal.csv       id,de,neng,ji,tasks_done           one row per person: 德/20, 能/20, 绩/40
  leave.csv           id,date,kind,days                  事假/病假/旷工/婚假/丧假/产假
  incident.csv        id,date,kind,note                  一定损失/严重失误/责任事故
  accountability.csv  id,date,measure,reason             问责: 责令整改/通报批评/诫勉谈话/
                                                         年度考核不合格/调整岗位
  params.csv          name,value   year_start, year_end (optional; default the year 2018)

Every dated row outside [year_start, year_end] is ignored.

Outputs:
  scores.csv     person,德,能,勤,绩,total,grade   numbers exact when they terminate within 2
                 decimals, else rounded half-up to 2; no trailing zeros; never "-0".
  sanctions.txt  person,sanction   (header first) persons in staff order; for each, the
                 sanctions reached in the policy's order: 评先否决, 失误损失, 定为不合格 (accident),
                 定为不合格 (问责 decision), then the most severe 问责 measure of the year.

On stdout: the 优秀 quota — the candidates in the order of the keys and who got a place.
Exit 1 (like wenze) when the quota's limit falls between two candidates equal on every key.
"""

import os
import sys
from fractions import Fraction

from wzref import (FactError, boolean, date, fmt_number, number as wz_number, one_of, read_csv,
                   read_params, within)

DISPLAY = 2
QUOTA = Fraction(15, 100)                      # 优秀 at most 15% of all persons

LEAVE_KINDS = ["事假", "病假", "旷工", "婚假", "丧假", "产假"]
INCIDENT_KINDS = ["一定损失", "严重失误", "责任事故"]
MEASURES = ["责令整改", "通报批评", "诫勉谈话", "年度考核不合格", "调整岗位"]  # mildest first
GRADES = ["优秀", "合格", "基本合格", "不合格"]                                # best first


# ---------------------------------------------------------------------------
# Numbers (wzref does the arithmetic)
# ---------------------------------------------------------------------------

def fmt(x):
    """Exact if x terminates within DISPLAY decimals, else half-up at DISPLAY; no trailing zeros."""
    return fmt_number(x, DISPLAY)


def number(text, lo, hi, what):
    return wz_number(text, what, lo, hi)


def choice(text, values, what):
    return one_of(text, values, what)


# ---------------------------------------------------------------------------
# Facts
# ---------------------------------------------------------------------------

class Facts:
    def __init__(self, d):
        params = read_params(d, required=False)
        self.start = date(params.get("year_start", "2018-01-01"), "params.csv year_start")
        self.end = date(params.get("year_end", "2018-12-31"), "params.csv year_end")

        self.staff = read_csv(os.path.join(d, "staff.csv"))
        self.ids = [s["id"] for s in self.staff]
        if len(set(self.ids)) != len(self.ids):
            raise FactError("staff.csv: duplicate id")
        self.hired = {s["id"]: date(s["hired"], "staff.csv hired") for s in self.staff}

        self.appraisal = {}
        for r in read_csv(os.path.join(d, "appraisal.csv")):
            pid = r["id"]
            if pid not in self.hired or pid in self.appraisal:
                raise FactError("appraisal.csv: unknown or repeated person %s" % pid)
            self.appraisal[pid] = {
                "de": number(r["de"], 0, 20, "appraisal.de"),
                "neng": number(r["neng"], 0, 20, "appraisal.neng"),
                "ji": number(r["ji"], 0, 40, "appraisal.ji"),
                "tasks_done": boolean(r["tasks_done"], "appraisal.tasks_done"),
            }
        if len(self.appraisal) != len(self.ids):
            raise FactError("appraisal.csv: need exactly one row per person")

        self.leave = self.dated("leave", d)
        for r in self.leave:
            choice(r["kind"], LEAVE_KINDS, "leave.kind")
            r["days"] = number(r["days"], Fraction(1, 2), 366, "leave.days")
        self.incident = self.dated("incident", d)
        for r in self.incident:
            choice(r["kind"], INCIDENT_KINDS, "incident.kind")
        self.accountability = self.dated("accountability", d)
        for r in self.accountability:
            choice(r["measure"], MEASURES, "accountability.measure")

    def dated(self, name, d):
        rows = read_csv(os.path.join(d, name + ".csv"))
        kept = []
        for r in rows:
            if r["id"] not in self.hired:
                raise FactError("%s.csv: unknown person %s" % (name, r["id"]))
            if within(date(r["date"], name + ".csv date"), self.start, self.end):
                kept.append(r)
        return kept


def of(rows, pid):
    return [r for r in rows if r["id"] == pid]


# ---------------------------------------------------------------------------
# 德能勤绩 (3、考核问责内容)
# ---------------------------------------------------------------------------

def qin(f, pid):
    """勤: 20 less 事假 0.5/day, 病假 0.2/day, 旷工 5/day (婚丧产假 nothing); at least 0."""
    rate = {"事假": Fraction(1, 2), "病假": Fraction(1, 5), "旷工": Fraction(5)}
    d = sum((rate.get(r["kind"], 0) * r["days"] for r in of(f.leave, pid)), Fraction(0))
    return max(Fraction(0), 20 - d)


def person_record(f, pid):
    a = f.appraisal[pid]
    rec = {"德": a["de"], "能": a["neng"], "勤": qin(f, pid), "绩": a["ji"],
           "tasks_done": a["tasks_done"]}
    rec["total"] = rec["德"] + rec["能"] + rec["勤"] + rec["绩"]

    measures = [r["measure"] for r in of(f.accountability, pid)]
    kinds = [r["kind"] for r in of(f.incident, pid)]
    # 一票否决 (the policy's Choice): which veto tiers the person reached, in the policy's order
    vetoes = []
    if any(m in ("通报批评", "诫勉谈话", "调整岗位") for m in measures):
        vetoes.append(("评先否决", "合格"))            # 评先一票否决: at most 合格
    if "一定损失" in kinds:
        vetoes.append(("失误损失", "基本合格"))         # 因失误给工作造成一定损失
    if any(k in ("严重失误", "责任事故") for k in kinds):
        vetoes.append(("定为不合格", "不合格"))         # 严重失误或责任事故
    if "年度考核不合格" in measures:
        vetoes.append(("定为不合格", "不合格"))         # 问责 4、当年年度考核确定为不合格
    rec["vetoes"] = vetoes
    rec["worst_measure"] = max(measures, key=MEASURES.index) if measures else None
    # 优秀 criteria (Choice): total ≥ 90, 德 ≥ 18, the year's tasks done
    rec["meets_excellent"] = rec["total"] >= 90 and rec["德"] >= 18 and rec["tasks_done"]
    return rec


# ---------------------------------------------------------------------------
# 4、考核问责等次
# ---------------------------------------------------------------------------

def excellent_places(f, recs):
    """The 优秀 places: floor(15% × all persons), candidates = meets_excellent and not vetoed,
    ordered by total desc, 绩 desc, 德 desc, 参加工作时间 asc. Raises on a tie across the limit."""
    n = len(f.ids)
    places = (QUOTA * n).__floor__()
    cands = [pid for pid in f.ids if recs[pid]["meets_excellent"] and not recs[pid]["vetoes"]]

    def key(pid):
        r = recs[pid]
        return (-r["total"], -r["绩"], -r["德"], f.hired[pid])

    cands.sort(key=key)
    print("优秀: floor(15%% × %d) = %d places; %d candidates (meet the criteria, not vetoed):"
          % (n, places, len(cands)))
    for i, pid in enumerate(cands, 1):
        r = recs[pid]
        print("  %2d. %s total %s, 绩 %s, 德 %s, hired %s%s" % (
            i, pid, fmt(r["total"]), fmt(r["绩"]), fmt(r["德"]), f.hired[pid],
            "  ← 优秀" if i <= places else ""))
    if 0 < places < len(cands) and key(cands[places - 1]) == key(cands[places]):
        raise SystemExit("songtao_ref: the limit falls between %s and %s, equal on every key"
                         % (cands[places - 1], cands[places]))
    return set(cands[:places])


def grade_of(rec, excellent, pid):
    if pid in excellent:
        g = "优秀"
    elif rec["total"] >= 75 and rec["tasks_done"]:
        g = "合格"
    elif rec["total"] >= 60:
        g = "基本合格"
    else:
        g = "不合格"
    # a veto caps the grade (never raises it)
    for _tier, cap in rec["vetoes"]:
        if GRADES.index(cap) > GRADES.index(g):
            g = cap
    return g


def main():
    if len(sys.argv) != 3:
        print("usage: songtao_ref.py FACTS_DIR OUT_DIR", file=sys.stderr)
        return 2
    try:
        f = Facts(sys.argv[1])
    except FactError as e:
        print("songtao_ref: " + str(e), file=sys.stderr)
        return 2
    recs = {pid: person_record(f, pid) for pid in f.ids}
    excellent = excellent_places(f, recs)

    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "scores.csv"), "w", encoding="utf-8", newline="") as o:
        o.write("person,德,能,勤,绩,total,grade\n")
        for pid in f.ids:
            r = recs[pid]
            o.write(",".join([pid] + [fmt(r[k]) for k in ("德", "能", "勤", "绩", "total")]
                             + [grade_of(r, excellent, pid)]) + "\n")
    with open(os.path.join(out, "sanctions.txt"), "w", encoding="utf-8", newline="") as o:
        o.write("person,sanction\n")
        for pid in f.ids:
            r = recs[pid]
            for tier, _cap in r["vetoes"]:
                o.write("%s,%s\n" % (pid, tier))
            if r["worst_measure"]:
                o.write("%s,%s\n" % (pid, r["worst_measure"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
