#!/usr/bin/env bash
# `cmake --install` into a temporary prefix gives a tree that runs from
# anywhere: with / as the working directory, the installed program finds its
# catalog, demo data, fonts, assets and scenes under PREFIX/share/lotuswall
# and draws the same picture as the program in the build folder.
#   usage: test_install.sh BUILD_DIR
set -u
build=$(realpath "${1:?usage: test_install.sh BUILD_DIR}")
. "$(dirname "$0")/lib.sh"

cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; exit 1; }
lw="$tmp/prefix/bin/lotuswall"
for f in bin/lotuswall share/lotuswall/db/catalog.json share/lotuswall/db/demo/regions.csv \
         share/lotuswall/fonts/fonts.conf share/lotuswall/assets/xuchang-districts.geojson \
         share/lotuswall/db/migrations/0001-initial.sql share/lotuswall/rules/demo.json \
         share/lotuswall/reports/analysis.json \
         share/lotuswall/scenes/situation.json \
         share/lotuswall/scenes/playlists/briefing.json lib/systemd/system/lotuswall.service; do
    [[ -e "$tmp/prefix/$f" ]] && ok || bad "not installed: $f"
done

# the units name the prefix's program; only the package writes to /etc (pkg/deb.cmake)
for u in lotuswall lotuswall-engine lotuswall-report lotuswall-publisher lotuswall-deliver; do
    grep -q "^ExecStart=$tmp/prefix/bin/lotuswall " "$tmp/prefix/lib/systemd/system/$u.service" && ok ||
        bad "$u.service does not run $tmp/prefix/bin/lotuswall"
done
grep -E "Installing: /(etc|usr)/" "$tmp/install.log" && bad "cmake --install wrote outside its prefix" || ok

(cd / && "$lw" check gdp 2>&1) | grep -qF "$tmp/prefix/share/lotuswall/scenes/gdp.json: ok (scene gdp" && ok ||
    bad "check from / with the installed tree"
(cd / && "$lw" export --now 2024-11-15T09:30:00 --out "$tmp/installed.png" situation help-map) && ok ||
    bad "export from / with the installed tree"
(cd / && "$lw" report --now 2024-11-15T09:30:00 --out "$tmp/reports" gdp >/dev/null) && ok ||
    bad "report from / with the installed tree (its wording, share/lotuswall/reports/analysis.json)"
"$build/lotuswall" export --now 2024-11-15T09:30:00 --out "$tmp/built.png" situation help-map
for s in situation help-map; do
    cmp -s "$tmp/installed-$s.png" "$tmp/built-$s.png" && ok ||
        bad "$s: the installed program draws another picture than the built one"
done
# the tree may be moved: the home is found from the executable
mv "$tmp/prefix" "$tmp/moved"
(cd / && "$tmp/moved/bin/lotuswall" check situation 2>&1) | grep -qF "$tmp/moved/share/lotuswall/scenes/situation.json: ok" && ok ||
    bad "a moved install tree"

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
