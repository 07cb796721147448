#!/usr/bin/env python3
"""Writes docs/wenze.1, the manual page, from the binary's own help texts.

    python3 scripts/make_man.py build/wenze            writes docs/wenze.1
    python3 scripts/make_man.py build/wenze --check    exit 1 when docs/wenze.1 is out of date

The page is made from `wenze help` and `wenze help COMMAND`, so it says what the binary
says; tests/e2e/manpage.sh runs --check.  `make install` installs it.
"""
import os
import re
import subprocess
import sys

wenze = sys.argv[1]
check = "--check" in sys.argv[2:]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
page = os.path.join(root, "docs", "wenze.1")


def run(*args):
    # --lang en: the page is the English help whatever the caller's LANG (zh_CN… gives Chinese)
    return subprocess.run([wenze, *args, "--lang", "en"], check=True, capture_output=True, text=True).stdout


def esc(s):
    """troff-escapes a line of text: backslashes, and a leading dot or quote."""
    s = s.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + s if s[:1] in (".", "'") else s


overview = run("help")
commands = re.findall(r"^  ([a-z]+) ", overview, re.M)
version = run("version").split()[-1]
exit_line = next(l for l in overview.splitlines() if l.startswith("exit codes:"))

out = [
    '.TH WENZE 1 "" "wenze %s" "User Commands"' % version,
    ".SH NAME",
    "wenze \\- accountability and performance\\-pay policies as code: check, run, explain, diff, audit",
    ".SH SYNOPSIS",
    ".B wenze",
    ".I command",
    "[\\fIoptions\\fR]",
    ".SH DESCRIPTION",
    esc("wenze evaluates the assessment and pay policies of schools (目标责任制, 问责制度, 考核细则, "
        "绩效工资分配方案), written in its rules language, on the facts a school exports (CSV, GB18030 "
        "or .xlsx), and writes who got which points, sanctions, awards and pay, and why."),
    ".SH COMMANDS",
]
for c in commands:
    text = run("help", c).splitlines()
    usage = text[0].removeprefix("usage: ")
    out += [".TP", ".B " + esc(usage)]
    in_options = False
    for line in text[1:]:
        if not line.strip():
            continue
        if line.strip() == "options:":
            in_options = True
            out.append(".RS")
            continue
        m = re.match(r"^  (\S.*?)(?:\s{2,}(.*))?$", line) if in_options else None
        if m and line.startswith("  ") and not line.startswith("   "):
            out += [".TP", ".B " + esc(m.group(1))]
            if m.group(2):
                out.append(esc(m.group(2)))
        else:
            out.append(esc(line.strip()))
    if in_options:
        out.append(".RE")
out += [
    ".SH EXIT STATUS",
    esc(exit_line.removeprefix("exit codes: ")),
    ".SH FILES",
    esc("OUT/scores.csv, pay.csv, sanctions.csv, awards.csv, kept.csv, findings.jsonl, summary.json "
        "(which hashes every input and output), results.xlsx with --xlsx."),
    ".SH SEE ALSO",
    esc("README.md and docs/LANGUAGE.md in the source tree; editors/bash/wenze for completion."),
]
text = "\n".join(out) + "\n"
if check:
    have = open(page, encoding="utf-8").read() if os.path.exists(page) else ""
    if have != text:
        print("docs/wenze.1 is out of date: run python3 scripts/make_man.py build/wenze", file=sys.stderr)
        sys.exit(1)
else:
    open(page, "w", encoding="utf-8").write(text)
