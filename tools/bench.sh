#!/usr/bin/env bash
# Runs `lotuswall bench` (a Release build: build-rel) and puts its table into
# docs/performance.md between the bench markers. Arguments go to the bench
# (e.g. --threads 4, --quick).
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release && cmake --build build-rel -j2
#   tools/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LW=${LW:-./build-rel/lotuswall}
table=$(mktemp)
trap 'rm -f "$table"' EXIT
"$LW" bench "$@" | tee "$table"
python3 - "$table" docs/performance.md <<'PY'
import sys
table, doc = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
text = open(doc, encoding="utf-8").read()
begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(doc, "w", encoding="utf-8").write(f"{head}{begin}\n{table.rstrip()}\n{end}{tail}")
PY
echo "docs/performance.md: the bench table replaced"
