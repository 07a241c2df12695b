#!/usr/bin/env bash
# Export benchmarks: whole-process time of a 4K PNG export (median of
# hyperfine runs), an 8-page vector PDF of all scenes, peak RSS at 4K and on
# a 7680×2160 wall, and the per-stage split logged by -v. Figures go into
# docs/performance.md. Needs hyperfine (Debian package) and a Release build:
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release && cmake --build build-rel
set -euo pipefail
cd "$(dirname "$0")/.."
LW=${LW:-./build-rel/lotuswall}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
now=2024-11-15T09:30:00
all=(situation gdp industry demand sectors enterprise projects economy)

echo "== whole process, 10 runs after 2 warm-ups"
hyperfine -N -w 2 -r 10 --export-json "$out/h.json" \
  "$LW export --now $now --size 3840x2160 --out $out/s.png situation" \
  "$LW export --now $now --size 1920x1080 --out $out/s1.png situation" \
  "$LW export --now $now --out $out/all.pdf ${all[*]}" \
  "$LW export --now $now --size 7680x2160 --out $out/w.png situation" >/dev/null
python3 - "$out/h.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    cmd = r["command"].split(" export ")[1]
    print(f'median {r["median"]*1000:7.1f} ms  mean {r["mean"]*1000:7.1f} ± {r["stddev"]*1000:4.1f} ms  {cmd}')
PY

echo "== peak RSS (/usr/bin/time -v)"
for size in 3840x2160 7680x2160; do
  /usr/bin/time -v "$LW" export --now $now --size $size --out "$out/r.png" situation 2>"$out/t"
  echo "$size: $(awk -F': ' '/Maximum resident/ {print $2}' "$out/t") KB"
done

echo "== stages of one 4K export (-v)"
"$LW" export -v --now $now --size 3840x2160 --out "$out/s.png" situation 2>&1 |
  grep -E "loaded|drawn" | sed 's/ (\/.*)$//; s/^lotuswall: debug: //'
