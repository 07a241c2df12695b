#!/bin/bash
# Writes db/demo/reports.csv: the 运行报告中心 index the demo shows, made by
# `lotuswall report` itself on the demo data with the demo's clock — three
# monthly city reports (published) and the set of `--each city` reports of
# the demo's day. Only the index is kept: the PDFs are made again by running
# the same commands (tests/cli/test_report.sh makes the last one and checks
# that its row is the one shipped). Run after the demo data, the scenes or
# the report code change:   tools/gen_demo_reports.sh build/lotuswall
set -euo pipefail
LW=${1:-build/lotuswall}
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# the demo's clock: the data ends with 2024-10, the demo day is 2024-11-15
for month in 08 09 10; do
    made=$(date -d "2024-$month-01 +1 month" +%Y-%m-06T09:00:00)
    "$LW" report --home "$here" --now "$made" --param period=2024-$month --out "$out" \
        --name "$((10#$month))月经济运行月报" \
        situation economy >/dev/null
    "$LW" report --home "$here" publish "R$(date -d "$made" +%Y%m%d-%H%M%S)" --out "$out" >/dev/null
done
"$LW" report --home "$here" --now 2024-11-15T08:00:00 --each city --out "$out" situation economy \
    >/dev/null
cp "$out/reports.csv" "$here/db/demo/reports.csv"
echo "db/demo/reports.csv: $(($(wc -l <"$here/db/demo/reports.csv") - 1)) reports"
