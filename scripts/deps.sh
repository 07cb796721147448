#!/bin/sh
# Installs the Debian packages wenze needs to build and test, when any is missing.
# Called once by `make run`, `make test` and `make bench` (and alone by `make deps`), so a
# fresh Debian machine needs nothing by hand; `make build` alone never calls it.
set -eu
# The benchmark's peers (sqlite3, mawk, lua5.4, luajit) and GNU time are needed too:
# `make test` runs a small smoke of the whole benchmark harness.
# The ledger (wenze run --ledger) needs libsqlite3-dev and zlib1g-dev; libminizip-dev and
# libexpat1-dev read .xlsx fact files (interp/xlsx.c).
# chromium: the HTML report's browser test (tests/e2e/report_browser.sh) renders the page
# in headless Chromium; it is big, and skipped with a message where it cannot be installed.
# The fuzzers (make fuzz-smoke, in make test) need clang with its sanitizer and libFuzzer
# runtimes (libclang-rt-14-dev) and GMP, fuzz_decimal's reference arithmetic.
# gettext: msgfmt compiles po/zh_CN.po (the Chinese messages) at build time; xgettext and
# msgcmp check the catalogue (tests/e2e/i18n_catalogue.sh).
PKGS="gcc make cmake pkg-config flex bison gettext libglib2.0-dev libjson-glib-dev libcmocka-dev libxlsxwriter-dev
      libsqlite3-dev zlib1g-dev libminizip-dev libexpat1-dev sqlite3 mawk lua5.4 luajit time python3 chromium
      clang libclang-rt-14-dev libgmp-dev"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
echo "wenze: installing missing Debian packages:$missing" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
