#!/bin/sh
# Makes docs/report.png, the README's picture of the HTML report: the 东流镇 2019 run's
# page in headless Chromium.  Needs build/wenze, chromium and a CJK font (Debian's
# fonts-wqy-microhei).  Usage: sh scripts/report_screenshot.sh (from the repository root)
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SOURCE_DATE_EPOCH=1700000000 build/wenze run policies/dongliu-2019.wz --facts examples/dongliu \
    --out "$tmp/out" --report "$tmp/report.html" >/dev/null
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$tmp/profile" --hide-scrollbars \
    --screenshot="$PWD/docs/report.png" --window-size=1280,1600 "file://$tmp/report.html" 2>/dev/null
echo "wrote docs/report.png"
