#!/bin/sh
# Installs what only the benchmark (`make bench`) needs beyond scripts/deps.sh: Node.js and
# npm (Debian packages) and the DuckDB peer's npm packages (bench/peers/duckdb, pinned by
# its package-lock.json, installed with `npm ci` into bench/peers/duckdb/node_modules).
# `make test` never calls it: its benchmark smoke includes the DuckDB peer only when this
# has been run, so the tests need neither npm nor the network.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
# by command, not by package: a node built elsewhere (e.g. a nodejs package that bundles
# npm) is used as it is, and Debian's nodejs + npm are installed only where none is
missing=""
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
    echo "wenze bench: installing missing Debian packages:$missing" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
peer=$root/bench/peers/duckdb
# reinstall when the lock file is newer than what npm ci last installed
if [ ! -e "$peer/node_modules/.package-lock.json" ] || [ "$peer/package-lock.json" -nt "$peer/node_modules/.package-lock.json" ]; then
    echo "wenze bench: installing the DuckDB peer's npm packages (npm ci)" >&2
    (cd "$peer" && npm ci --no-audit --no-fund --loglevel=error)
fi
