#!/usr/bin/env bash
# The files lotuswall reads and writes, as an attacker and an unlucky
# operator meet them (issue 10): report rows naming other files, symlinks
# planted where temporary files used to go, a cache planted in /tmp, scene
# names that climb out of the output folder, and files without end.
set -u
LW=${1:?usage: test_files.sh path/to/lotuswall}
. "$(dirname "$0")/lib.sh"

# a symlink planted at the old fixed temporary name is not followed
R=$tmp/reports
mkdir -p "$R"
echo precious > "$tmp/target.txt"
ln -s "$tmp/target.txt" "$R/reports.csv.tmp"
expect "report tmp link" 0 "" -- "$LW" report --out "$R" gdp
[[ "$(cat "$tmp/target.txt")" == precious ]] && ok || bad "report followed reports.csv.tmp to its target"
[[ -f "$R/reports.csv" && ! -L "$R/reports.csv" ]] && ok || bad "reports.csv is no regular file"

# exports never write through the final name: a symlink there is replaced
for ext in png pdf svg json; do
    ln -s "$tmp/target.txt" "$tmp/out.$ext"
    expect "export $ext over link" 0 "" -- "$LW" export --size 320x240 --out "$tmp/out.$ext" gdp
    [[ -f "$tmp/out.$ext" && ! -L "$tmp/out.$ext" ]] && ok || bad "out.$ext is no regular file"
done
[[ "$(cat "$tmp/target.txt")" == precious ]] && ok || bad "export wrote through a symlink"

# reading has limits: no device, no endless file
expect "check /dev/zero" 1 "/dev/zero: not a regular file" -- bash -c "ulimit -v 4000000; timeout 30 '$LW' check /dev/zero"
head -c $((5 << 20)) /dev/zero | tr '\0' ' ' > "$tmp/huge.json"
expect "check huge" 1 "$tmp/huge.json: 5.0 MiB is more than the limit of 4 MiB for this kind of file" -- "$LW" check "$tmp/huge.json"


echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
