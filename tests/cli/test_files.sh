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

# the wall's status file: a symlink at the old status.json.tmp is not followed
mkdir -p "$tmp/st"
echo precious > "$tmp/st-target.txt"
ln -s "$tmp/st-target.txt" "$tmp/st/status.json.tmp"
SDL_VIDEODRIVER=dummy "$LW" run --size 320x240 --status "$tmp/st/status.json" gdp >/dev/null 2>&1 &
wall=$!
for _ in $(seq 100); do [[ -s "$tmp/st/status.json" ]] && break; sleep 0.1; done
sleep 1.2 # a second write replaces the first
kill "$wall"; wait "$wall"
[[ -s "$tmp/st/status.json" && ! -L "$tmp/st/status.json" ]] && ok || bad "no status file"
[[ "$(cat "$tmp/st-target.txt")" == precious ]] && ok || bad "the status file followed status.json.tmp"

# report --keep-days deletes only report files in the report folder: a row
# of reports.csv naming ../victim.txt leaves the victim alone
R=$tmp/reports-prune
expect "report" 0 "" -- "$LW" report --out "$R" gdp
echo precious > "$tmp/victim.txt"
echo old > "$R/R20000101-000000.pdf"
printf 'R1,x,2000-01-01 00:00,x,../victim.txt,手动,未发布,\n' >> "$R/reports.csv"
printf 'R2,x,2000-01-01 00:00,x,%s,手动,未发布,\n' "$tmp/victim.txt" >> "$R/reports.csv"
printf 'R20000101-000000,x,2000-01-01 00:00,x,R20000101-000000.pdf,手动,未发布,\n' >> "$R/reports.csv"
expect "report prune" 0 "" -- "$LW" report --out "$R" --keep-days 1 gdp
[[ "$(cat "$tmp/victim.txt" 2>/dev/null)" == precious ]] && ok || bad "report --keep-days deleted ../victim.txt"
[[ ! -e "$R/R20000101-000000.pdf" ]] && ok || bad "report --keep-days kept an old report's file"
grep -q '^R1,' "$R/reports.csv" && bad "the ../victim.txt row was kept" || ok

# two reports in the same second get two ids, two files and two rows
R2=$tmp/reports2
mkdir -p "$R2"
"$LW" report --out "$R2" gdp >/dev/null 2>&1 &
"$LW" report --out "$R2" gdp >/dev/null 2>&1 &
"$LW" report --out "$R2" gdp >/dev/null 2>&1 &
wait
ids=$(tail -n +2 "$R2/reports.csv" | cut -d, -f1 | sort -u | wc -l)
pdfs=$(ls "$R2"/*.pdf | wc -l)
[[ $ids -eq 3 && $pdfs -eq 3 ]] && ok || bad "three reports at once: $ids distinct ids, $pdfs files (want 3, 3)"

# a scene name that climbs out of the output folder is refused
sed 's/"kind": "scene",/"kind": "scene", "name": "..\/..\/x",/' scenes/gdp.json > "$tmp/evil.json"
mkdir -p "$tmp/a/b/out"
expect "scene name" 1 "$tmp/evil.json: name: \"../../x\" is not a safe scene name (1 to 128 letters, digits, '_', '-' and '.', not starting with '.')" -- \
    "$LW" export --size 320x240 --out "$tmp/a/b/out/{scene}.png" "$tmp/evil.json" gdp
[[ ! -e "$tmp/a/x.png" ]] && ok || bad "export wrote $tmp/a/x.png"
expect "check scene name" 1 "$tmp/evil.json: name: \"../../x\" is not a safe scene name" -- "$LW" check "$tmp/evil.json"

# reading has limits: no device, no endless file
# (a memory limit keeps a broken build from taking the machine; ASan needs more address space)
limit="ulimit -v 4000000;"
grep -q __asan_init "$LW" && limit=
expect "check /dev/zero" 1 "/dev/zero: not a regular file" -- bash -c "$limit timeout 30 '$LW' check /dev/zero"
head -c $((5 << 20)) /dev/zero | tr '\0' ' ' > "$tmp/huge.json"
expect "check huge" 1 "$tmp/huge.json: 5.0 MiB is more than the limit of 4 MiB for this kind of file" -- "$LW" check "$tmp/huge.json"

# without HOME (nor XDG_CACHE_HOME, nor CACHE_DIRECTORY) there is no disk
# cache: a cache planted in the shared temp folder is never drawn
conn="host=/nonexistent-$$ dbname=lw_test_$$ connect_timeout=1"
hash=$(python3 -c 'import sys
h = 0xcbf29ce484222325  # FNV-1a (util/hash.h)
for b in sys.argv[1].encode(): h = ((h ^ b) * 1099511628211) % (1 << 64)
print("%016x" % h)' "$conn")
plant=/tmp/.cache/lotuswall/$hash
mkdir -p "$plant"
awk -F, -v OFS=, 'NR > 1 { $8 = 987654321 } 1' db/demo/indicator_values.csv > "$plant/indicator_values.csv"
for f in db/demo/*.csv; do
    n=$(basename "$f" .csv)
    [[ -e "$plant/$n.csv" ]] || cp "$f" "$plant/$n.csv"
    echo "1700000000 7" > "$plant/$n.meta"
done
env -u HOME -u XDG_CACHE_HOME -u CACHE_DIRECTORY "$LW" export --db "$conn" --wait 2 --out "$tmp/cache.json" gdp \
    >"$tmp/stdout" 2>"$tmp/err"
grep -q 987654321 "$tmp/cache.json" 2>/dev/null && bad "a cache planted in /tmp was drawn" || ok
grep -qF "no private cache folder" "$tmp/err" && ok || { bad "no warning about the missing cache"; head -3 "$tmp/err"; }
rm -rf "$plant"; rmdir /tmp/.cache/lotuswall /tmp/.cache 2>/dev/null
# systemd's CacheDirectory= comes first: a private folder per database there
env -u XDG_CACHE_HOME CACHE_DIRECTORY="$tmp/sd" "$LW" export --db "$conn" --wait 1 --out "$tmp/c2.json" gdp \
    >/dev/null 2>&1
[[ "$(stat -c %a "$tmp/sd/$hash" 2>/dev/null)" == 700 ]] && ok || bad "no folder 0700 in \$CACHE_DIRECTORY"
# a shared folder is never a cache
env -u CACHE_DIRECTORY XDG_CACHE_HOME=/tmp "$LW" export --db "$conn" --wait 1 --out "$tmp/c3.json" gdp \
    >"$tmp/stdout" 2>"$tmp/err"
grep -qF "no private cache folder (/tmp: writable by others (mode 1777))" "$tmp/err" && ok ||
    { bad "XDG_CACHE_HOME=/tmp was used"; head -3 "$tmp/err"; }


echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
