"""wzref — what the independent references (tests/ref/*_ref.py) share: reading the facts'
CSV files, exact numbers (fractions.Fraction, never float), half-up rounding and the number
formats of wenze's outputs.  Each *_ref.py imports this and holds only its policy's rules.

Like the references, this does NOT use wenze: it is a second implementation of the same
contract (docs on the formats: the docstring of each function).  Python 3 standard library
only.  Every malformed input raises FactError with a message naming the file or the value;
a reference's main() prints it and chooses the exit code.
"""

import csv
import datetime
import os
import re
from fractions import Fraction


class FactError(Exception):
    """A fact file or a parameter the reference cannot read."""


# ---------------------------------------------------------------------------
# Reading facts
# ---------------------------------------------------------------------------

def read_csv(path, fields=(), required=True):
    """The data rows of a UTF-8 CSV (a BOM allowed) as dicts keyed by the header row.

    Header names and cells are stripped of surrounding blanks; blank lines are skipped; a row
    with another number of cells than the header, a missing header, or a missing column of
    `fields` is a FactError.  A missing file is a FactError when `required`, else no rows."""
    if not os.path.exists(path):
        if required:
            raise FactError("missing file %s" % path)
        return []
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            raise FactError("%s: no header" % path)
        header = [h.strip() for h in header]
        for field in fields:
            if field not in header:
                raise FactError("%s: no column %s" % (path, field))
        rows = []
        for rec in reader:
            if not rec or all(c.strip() == "" for c in rec):
                continue
            if len(rec) != len(header):
                raise FactError("%s: row %r has %d fields, header has %d"
                                % (path, rec, len(rec), len(header)))
            rows.append({k: v.strip() for k, v in zip(header, rec)})
        return rows


def read_params(d, required=True, overrides=None):
    """params.csv of the facts directory `d` (columns name,value) as a dict; a name given
    twice is a FactError.  `overrides` (NAME → VALUE, like wenze's --param) win."""
    params = {}
    for r in read_csv(os.path.join(d, "params.csv"), ["name", "value"], required):
        if r["name"] in params:
            raise FactError("params.csv: %s given twice" % r["name"])
        params[r["name"]] = r["value"]
    params.update(overrides or {})
    return params


def param_overrides(args):
    """NAME=VALUE command-line arguments as a dict (a reference's stand-in for --param)."""
    out = {}
    for a in args:
        if "=" not in a:
            raise FactError("expected NAME=VALUE, found %r" % a)
        k, v = a.split("=", 1)
        out[k] = v
    return out


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def date(text, what):
    """A date written YYYY-MM-DD that exists in the calendar."""
    m = _DATE.match(text.strip())
    if not m:
        raise FactError("%s: not a date YYYY-MM-DD: %r" % (what, text))
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise FactError("%s: no such date: %r" % (what, text))


def number(text, what, lo=None, hi=None):
    """A plain decimal ("12", "-0.125"), exactly, optionally within [lo, hi]."""
    t = text.strip()
    if not _DECIMAL.match(t):
        raise FactError("%s: not a number: %r" % (what, text))
    x = Fraction(t)
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        raise FactError("%s: %s is outside %s .. %s" % (what, t, lo, hi))
    return x


def integer(text, what):
    try:
        return int(text.strip())
    except ValueError:
        raise FactError("%s: not an integer: %r" % (what, text))


def boolean(text, what):
    """wenze's bool: true/1/是 or false/0/否."""
    t = text.strip()
    if t in ("true", "1", "是"):
        return True
    if t in ("false", "0", "否"):
        return False
    raise FactError("%s: not a bool: %r" % (what, text))


def one_of(text, values, what):
    if text not in values:
        raise FactError("%s: %r is not one of %s" % (what, text, ", ".join(values)))
    return text


def within(day, start, end):
    """The period filter of every dated fact: start ≤ day ≤ end."""
    return start <= day <= end


# ---------------------------------------------------------------------------
# Exact numbers and their formats
# ---------------------------------------------------------------------------

def round_half_up(x, places):
    """x rounded to `places` decimals, ties away from zero (wenze's `round … half up`)."""
    scale = 10 ** places
    sign = -1 if x < 0 else 1
    n = (abs(x) * scale + Fraction(1, 2)).__floor__()
    return Fraction(sign * n, scale)


def fmt_fixed(x, places):
    """x, a multiple of 10**-places, with exactly `places` decimals ("12.50"); never "-0.00"."""
    scale = 10 ** places
    n = x * scale
    assert n.denominator == 1, (x, places)
    n = int(n)
    sign = "-" if n < 0 else ""
    n = abs(n)
    if places == 0:
        return sign + str(n)
    return "%s%d.%0*d" % (sign, n // scale, places, n % scale)


def fmt_number(x, places):
    """A score as wenze prints it at `places` display decimals: exact when x terminates within
    `places` decimals, else rounded half-up there; trailing zeros and a trailing '.' dropped;
    never "-0"."""
    if (x * 10 ** places).denominator != 1:
        x = round_half_up(x, places)
    if x == 0:
        return "0"
    s = fmt_fixed(x, places)
    return s.rstrip("0").rstrip(".") if places else s


def fmt_exact(x):
    """An exact amount as a plain integer or the shortest terminating decimal ("333.35");
    a FactError when x has no terminating decimal form (a denominator with a prime other
    than 2 and 5)."""
    x = Fraction(x)
    den, places = x.denominator, 0
    for p in (2, 5):
        k = 0
        while den % p == 0:
            den //= p
            k += 1
        places = max(places, k)
    if den != 1:
        raise FactError("amount %s has no exact decimal form" % x)
    return fmt_number(x, places)


def unique(names):
    """The names in order of first appearance, each once (how wenze lists entities)."""
    seen, out = set(), []
    for n in names:
        if n not in seen:
            seen.add(n)
            out.append(n)
    return out


def write_lines(out_dir, name, lines):
    """OUT_DIR/NAME: the lines, each ended by "\\n", UTF-8 (OUT_DIR created if needed)."""
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, name), "w", encoding="utf-8", newline="") as f:
        for line in lines:
            f.write(line + "\n")
