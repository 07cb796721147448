#!/usr/bin/env python3
"""check_report.py — checks a report page as a browser rendered it (chromium --dump-dom
of FILE.html#selftest), against the run's own output files.

    check_report.py run DOM OUT_DIR     a run's page and its --out directory
    check_report.py diff DOM IMPACT     a diff's page and its impact.csv

It asserts that every person's row is in the rendered table with the figures of the
output files (total and pay for a run; the change of pay, of the awards that pay persons and
of the total for a diff), and
reads what the page's self-test did in the browser (#wz-selftest): that sorting the
tested column put the rows in the order the exact values give (ascending, then
descending), that the filter box left only the row it was given, and that a drill-down
opened with links into the embedded policy text.  Exits 1 with the first difference.
"""
import csv
import sys
from fractions import Fraction
from html.parser import HTMLParser


class Page(HTMLParser):
    """The rendered table's rows (data-id → cell texts), its column names, and #wz-selftest."""

    def __init__(self):
        super().__init__()
        self.columns, self.rows, self.selftest = [], {}, None
        self._table = self._row = self._cell = None
        self._in_selftest = False
        self._tables = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "wz-sortable" in (a.get("class") or ""):
            self._tables += 1
            self._table = self._tables == 1
        elif self._table and tag == "th" and "data-name" in a:
            self.columns.append(a["data-name"])
        elif self._table and tag == "tr" and "row" in (a.get("class") or "").split():
            self._row = a["data-id"]
            self.rows[self._row] = []
        elif self._row is not None and tag == "td":
            self._cell = []
        elif tag == "pre" and a.get("id") == "wz-selftest":
            self._in_selftest = True
            self.selftest = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = False
        elif tag == "tr":
            self._row = None
        elif tag == "td" and self._cell is not None and self._row is not None:
            self.rows[self._row].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "pre":
            self._in_selftest = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._in_selftest:
            self.selftest += data


def fail(msg):
    print("check_report: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def shown(value, places):
    """A decimal string rounded half up to places, as the page shows it (trailing zeros dropped)."""
    x = Fraction(value)
    q = Fraction(1, 10 ** places)
    n = (abs(x) / q + Fraction(1, 2)).__floor__()
    s = f"{n // 10 ** places}.{n % 10 ** places:0{places}d}".rstrip("0").rstrip(".") if places else str(n)
    return "-" + s if x < 0 and n else s


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def check_selftest(page, expected_ids, values, column):
    lines = dict(l.split(": ", 1) if ": " in l else (l, "") for l in (page.selftest or "").splitlines())
    if not page.selftest:
        fail("the page's self-test wrote nothing (did its script run?)")
    if f"rows {len(expected_ids)}" not in lines:
        fail(f"self-test saw other rows than {len(expected_ids)}: {page.selftest.splitlines()[0]}")
    asc = sorted(expected_ids, key=lambda i: values[i])
    desc = sorted(asc, key=lambda i: values[i], reverse=True)
    got_asc = lines.get(f"sort {column} asc", "").split()
    got_desc = lines.get(f"sort {column} desc", "").split()
    if got_asc != asc:
        fail(f"sorting {column} ascending gave\n  {' '.join(got_asc)}\nexpected\n  {' '.join(asc)}")
    if got_desc != desc:
        fail(f"sorting {column} descending gave\n  {' '.join(got_desc)}\nexpected\n  {' '.join(desc)}")
    first = desc[0]
    if lines.get(f"filter {first}") != "1 shown":
        fail(f"filtering by {first} left {lines.get(f'filter {first}')!r}, expected '1 shown'")
    drill = lines.get(f"drill {first}", "")
    if not drill.startswith("open, "):
        fail(f"the drill-down of {first} did not open: {drill!r}")
    nlinks = int(drill.split(", ")[1].split()[0])
    if nlinks < 1:
        fail(f"the drill-down of {first} has no link to the policy text: {drill!r}")
    link = [v for k, v in lines.items() if k.startswith("link ")]
    if not link or link[0] in ("", "missing"):
        fail(f"a drill-down's link leads nowhere: {link!r}")
    return drill


def check_run(page, out_dir):
    scores = read_csv(f"{out_dir}/scores.csv")
    pay = {r["person"]: r for r in read_csv(f"{out_dir}/pay.csv")}
    ids = [r["person"] for r in scores]
    if sorted(page.rows) != sorted(ids):
        missing = sorted(set(ids) - set(page.rows))
        extra = sorted(set(page.rows) - set(ids))
        fail(f"the table's rows differ from scores.csv: missing {missing}, extra {extra}")
    ti, pi = page.columns.index("total"), page.columns.index("pay")
    for r in scores:
        cells = page.rows[r["person"]]
        if cells[0] != r["person"]:
            fail(f"row {r['person']}'s first cell is {cells[0]!r}")
        if cells[ti] != shown(r["total"], 4):
            fail(f"{r['person']}: total {cells[ti]!r} on the page, {r['total']} in scores.csv")
        if cells[pi] != pay[r["person"]]["amount"]:
            fail(f"{r['person']}: pay {cells[pi]!r} on the page, {pay[r['person']]['amount']} in pay.csv")
    values = {r["person"]: Fraction(r["total"]) for r in scores}
    drill = check_selftest(page, ids, values, "total")
    print(f"check_report: run page: {len(ids)} rows with their totals and pay; sort, filter and drill-down ({drill.split(', first line')[0]}) work")


def check_diff(page, impact_csv):
    rows = read_csv(impact_csv)
    ids = [r["id"] for r in rows]
    if sorted(page.rows) != sorted(ids):
        fail(f"the table's rows differ from impact.csv: {sorted(page.rows)} vs {sorted(ids)}")
    # each change the page shows (pay; the awards that pay persons, a leader's own amount among
    # them; the total) against impact.csv's before and after; a row without them shows none
    changes = [(c, f) for c, f in (("dpay", "pay"), ("dawards", "awards"), ("dtotal", "total")) if c in page.columns]
    keys = {}
    for column, field in changes:
        ci = page.columns.index(column)
        keys[column] = {}
        for r in rows:
            got = page.rows[r["id"]][ci].replace("+", "")
            if r.get(f"{field}_old") and r.get(f"{field}_new"):
                d = Fraction(r[f"{field}_new"]) - Fraction(r[f"{field}_old"])
                if got == "" or Fraction(got) != d:
                    fail(f"{r['id']}: {column} {got!r} on the page, {d} from impact.csv")
                keys[column][r["id"]] = (1, d)
            elif got != "":
                fail(f"{r['id']}: {column} {got!r} on the page, none in impact.csv")
            else:
                keys[column][r["id"]] = (0, 0)   # the page sorts a missing value first
    tested = changes[0][0]   # the page's self-test sorts the first of them: pay, else awards, else total
    check_selftest(page, ids, keys[tested], tested)
    print(f"check_report: diff page: {len(ids)} rows with their {', '.join(c for c, _ in changes)}; sort ({tested}), filter and drill-down work")


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("run", "diff"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    page = Page()
    with open(sys.argv[2], encoding="utf-8") as f:
        page.feed(f.read())
    (check_run if sys.argv[1] == "run" else check_diff)(page, sys.argv[3])


if __name__ == "__main__":
    main()
