#!/usr/bin/env bash
# `lotuswall bench --quick` makes its table: a row for each export format
# and one for tween frames on the wall, each with figures, none failed.
# What the figures say is not checked (no timed assertions in tests).
set -u
LW=$(realpath "${1:?usage: test_bench.sh path/to/lotuswall}")
. "$(dirname "$0")/lib.sh"

"$LW" bench --quick >"$tmp/table" 2>"$tmp/err"
rc=$?
[[ $rc -eq 0 ]] && ok || { bad "bench --quick: rc=$rc"; sed 's/^/  /' "$tmp/err" | head -5; }
grep -q "failed" "$tmp/table" && bad "a failed run: $(grep failed "$tmp/table" | head -1)" || ok
number='\*\*[0-9]+\.[0-9]\*\*'
for row in "situation → PNG \| 1920x1080 \| 1 \|" "situation → PDF" "situation → SVG" \
           "situation \| 1280x720 \|"; do
    grep -Eq "^\| $row.*$number" "$tmp/table" && ok || bad "no row with figures: $row"
done
grep -Eq '^\| situation → PNG \| 1920x1080 \| 1 \| \*\*[0-9.]+\*\* \| [0-9.]+ \| [0-9.]+ \| [0-9]+ \|$' \
    "$tmp/table" && ok || bad "the PNG row has the drawing/encoding split and the peak RSS"
"$LW" bench --quick --threads 3 >"$tmp/t3" 2>&1 && grep -q "default threads 3" "$tmp/t3" && ok ||
    bad "bench --threads 3 says so"
"$LW" bench extra >"$tmp/x" 2>&1; [[ $? -eq 2 ]] && ok || bad "bench with an argument: exit 2"
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
