#!/usr/bin/env python3
"""editors.py — writes the editor grammars from the lexer's keyword table.

    python3 scripts/editors.py          # rewrites editors/vim/syntax/wenze.vim and
                                        # editors/textmate/wenze.tmLanguage.json
    python3 scripts/editors.py --check  # exits 1 when either differs from grammar/lexer.l

Every keyword of grammar/lexer.l (each `"english"|"中文" { return TOKEN; }` rule, and the
three-word `and so on`) is highlighted as a keyword; tests/e2e/editors.sh runs --check.
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORD = re.compile(r"^[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff]*$")


def keywords():
    ascii_, cjk = [], []
    with open(os.path.join(ROOT, "grammar/lexer.l"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r'^((?:"[^"]+"\|?)+)\s+\{ return [A-Z_]+; \}', line)
            if not m:
                continue
            for w in re.findall(r'"([^"]+)"', m.group(1)):
                if WORD.match(w):
                    (ascii_ if w.isascii() else cjk).append(w)
    return ascii_, cjk


def vim(ascii_, cjk):
    lines = ['" Vim syntax file for wenze policies (*.wz).',
             '" Generated from grammar/lexer.l by scripts/editors.py; do not edit.',
             'if exists("b:current_syntax") | finish | endif',
             'syn match wenzeComment "\\(#\\|//\\).*$" contains=@Spell',
             'syn region wenzeString start=+"+ skip=+\\\\"+ end=+"+',
             'syn match wenzeDate "\\<\\d\\{4}-\\d\\d-\\d\\d\\>"',
             'syn match wenzeNumber "\\<\\d\\+\\(\\.\\d\\+\\)\\?%\\?"',
             'syn match wenzeKeyword "\\<and\\s\\+so\\s\\+on\\>"']
    for i in range(0, len(ascii_), 12):
        lines.append("syn keyword wenzeKeyword " + " ".join(ascii_[i:i + 12]))
    # a Chinese keyword only as a whole word: 扣分 is a name, not 扣 + 分
    for i in range(0, len(cjk), 12):
        lines.append('syn match wenzeKeyword "\\<\\(' + "\\|".join(cjk[i:i + 12]) + '\\)\\>"')
    lines += ["hi def link wenzeComment Comment", "hi def link wenzeString String", "hi def link wenzeDate Constant",
              "hi def link wenzeNumber Number", "hi def link wenzeKeyword Keyword", 'let b:current_syntax = "wenze"', ""]
    return "\n".join(lines)


def textmate(ascii_, cjk):
    boundary = "(?<![\\w\\x{4e00}-\\x{9fff}])"
    end = "(?![\\w\\x{4e00}-\\x{9fff}])"
    grammar = {
        "name": "wenze",
        "scopeName": "source.wenze",
        "fileTypes": ["wz"],
        "comment": "Generated from grammar/lexer.l by scripts/editors.py; do not edit.",
        "patterns": [
            {"name": "comment.line.wenze", "match": "(#|//).*$"},
            {"name": "string.quoted.double.wenze", "begin": "\"", "end": "\"", "patterns": [{"name": "constant.character.escape.wenze", "match": "\\\\."}]},
            {"name": "constant.other.date.wenze", "match": "\\b\\d{4}-\\d\\d-\\d\\d\\b"},
            {"name": "constant.numeric.wenze", "match": "\\b\\d+(\\.\\d+)?%?"},
            {"name": "keyword.control.wenze", "match": "\\band\\s+so\\s+on\\b"},
            {"name": "keyword.control.wenze", "match": boundary + "(" + "|".join(ascii_ + cjk) + ")" + end},
        ],
    }
    return json.dumps(grammar, ensure_ascii=False, indent=2) + "\n"


def main():
    ascii_, cjk = keywords()
    files = {"editors/vim/syntax/wenze.vim": vim(ascii_, cjk), "editors/textmate/wenze.tmLanguage.json": textmate(ascii_, cjk)}
    stale = []
    for path, text in files.items():
        full = os.path.join(ROOT, path)
        if "--check" in sys.argv:
            try:
                with open(full, encoding="utf-8") as f:
                    if f.read() != text:
                        stale.append(path)
            except FileNotFoundError:
                stale.append(path)
        else:
            with open(full, "w", encoding="utf-8") as f:
                f.write(text)
    if stale:
        print("editors.py: out of date with grammar/lexer.l (run python3 scripts/editors.py): " + ", ".join(stale), file=sys.stderr)
        sys.exit(1)
    print(f"editors.py: {len(ascii_)} English and {len(cjk)} Chinese keywords")


if __name__ == "__main__":
    main()
