#!/usr/bin/env bash
# The Debian package in a clean Debian 12 machine: a root made by mmdebstrap
# (minbase, the package's Depends, and for the test xvfb, xinit, cage and
# PostgreSQL),
# booted with systemd-nspawn without a network, so the package installs from
# the .deb and what Debian's packages put there, fetching nothing.
#   - installs: the user, its folders (owner-only), the units disabled;
#   - `lotuswall check` and `export` run from / and draw what the build draws;
#   - `systemd-analyze verify` passes on the installed units;
#   - `setup wall` starts the wall (the real units, Xorg replaced by Xvfb in a
#     drop-in), and a second run changes nothing: /etc the same, and it says so;
#   - an upgrade to a rebuilt package of a higher version, under a wall
#     running on a database that has just stopped, keeps the edited
#     conffiles, restarts the wall exactly once (not the X server), and the
#     wall comes back on its last good data (from /var/cache/lotuswall) and
#     shows the same scene;
#   - no `db migrate` unless migrate.env says yes, and then loudly;
#   - removal keeps the conffiles and the enabled units; purge removes them.
# The root's tarball is kept in BUILD_DIR/pkg-root/, named by what it holds,
# so later runs on one machine make it once. Not run under ASan (the package
# is the normal build's; tests/CMakeLists.txt).
#   usage: test_deb.sh BUILD_DIR
set -u
if [[ $(id -u) -ne 0 ]] || ! command -v mmdebstrap systemd-nspawn >/dev/null; then
    echo "SKIP: needs root, mmdebstrap and systemd-nspawn (tools/deps.sh installs them)"
    exit 77
fi
build=$(realpath "${1:?usage: test_deb.sh BUILD_DIR}")
src=$(cd "$(dirname "$0")/../.." && pwd)
. "$src/tests/cli/lib.sh"
t0=$SECONDS
step() { echo "== $* ($((SECONDS - t0)) s)"; }

# ---- the package as built (v1); its Depends name the root; while
# mmdebstrap makes that (the first time), the package is rebuilt with a
# higher version (v2)
step "package"
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
package() {
    (cd "$build" && cpack -B "$tmp/cpack" -D CPACK_DEBIAN_PACKAGE_VERSION="$1") >"$tmp/cpack.log" 2>&1 ||
        { cat "$tmp/cpack.log" >&2; exit 1; }
    ls "$tmp"/cpack/lotuswall_"$1"_*.deb
}
v1=$(package "$version") || exit 1
depends=$(dpkg-deb -f "$v1" Depends)
for d in fonts-noto-cjk fonts-roboto-unhinted tzdata libpq5 libsdl2-2.0-0 libcairo2 libpango-1.0-0 \
         libjansson4 zlib1g libsodium23 libmicrohttpd12 libsystemd0 libcurl4; do
    grep -qE "(^|, )$d( |,|$)" <<<"$depends" && ok || bad "Depends lacks $d: $depends"
done
[[ "$depends" != *-dev* ]] && ok || bad "Depends names a -dev package: $depends"
if nm -D "$build/lotuswall" | grep -q ' U sodium_init'; then
    [[ "$depends" == *libsodium23* ]] && ok || bad "the program links libsodium, Depends lacks libsodium23"
fi

step "root (minbase + the Depends + what the test needs), and v2"
extra="systemd-sysv dbus xvfb xinit cage postgresql"
pkgs=$(echo "$depends" | tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/ //g' | grep . | sort -u | tr '\n' ,)$(echo $extra | tr ' ' ,)
cache="$build/pkg-root"
tarball="$cache/bookworm-$(echo "$pkgs" | sha256sum | cut -c1-12).tar"
mm=
if [[ ! -s "$tarball" ]]; then
    mkdir -p "$cache" && rm -f "$cache"/bookworm-*.tar
    # this machine's Debian sources (bookworm with its security updates), and
    # the packages it already downloaded (hard links; apt checks each against
    # the index and downloads the rest)
    sources=$(ls /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list 2>/dev/null | head -1)
    mmdebstrap --variant=minbase --format=tar --include="$pkgs" --skip=download/empty \
        --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
        --setup-hook='mkdir -p "$1/var/cache/apt/archives"; cp -l /var/cache/apt/archives/*.deb "$1/var/cache/apt/archives/" 2>/dev/null || true' \
        bookworm "$tarball.part" $sources >"$tmp/mmdebstrap.log" 2>&1 &
    mm=$!
fi
v2=$(package "$version+rebuild1") || { [[ -n $mm ]] && kill "$mm"; exit 1; }
dpkg --compare-versions "$(dpkg-deb -f "$v2" Version)" gt "$(dpkg-deb -f "$v1" Version)" && ok ||
    bad "the rebuilt package's version is not higher"
if [[ -n $mm ]]; then
    wait "$mm" || { tail -20 "$tmp/mmdebstrap.log"; exit 1; }
    mv "$tarball.part" "$tarball"
fi
root="$tmp/root"
mkdir "$root" && tar -C "$root" -xf "$tarball" || exit 1
cp "$v1" "$root/root/v1.deb" && cp "$v2" "$root/root/v2.deb"

# ---- boot it: systemd as the root's PID 1, no network
step "boot"
machine="lwdeb$$"
systemd-nspawn -q -b -D "$root" -M "$machine" --register=no --keep-unit --private-network \
    --console=passive >"$tmp/boot.log" 2>&1 &
nspawn=$!
cleanup() { # the container powers off on SIGTERM; killed if it takes over 20 s
    kill "$nspawn" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$nspawn" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$nspawn" 2>/dev/null
    wait "$nspawn" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
for _ in $(seq 100); do
    init=$(pgrep -P "$nspawn" | head -1)
    [[ -n "$init" ]] && break
    sleep 0.1
done
in_root() { nsenter -t "$init" -a -- "$@"; }
show() { in_root systemctl show -p "$1" --value "$2"; }
for _ in $(seq 100); do # until its bus is up
    state=$(in_root systemctl is-system-running --wait 2>&1) && break
    [[ "$state" == degraded ]] && break
    sleep 0.2
done
[[ "$state" == running || "$state" == degraded ]] && ok || { bad "the root did not boot: $state"; cat "$tmp/boot.log"; }
[[ $(in_root ls /sys/class/net) == lo ]] && ok || bad "the root has a network besides lo: $(in_root ls /sys/class/net)"

# ---- install, offline
step "install"
in_root dpkg -i /root/v1.deb >"$tmp/install.log" 2>&1 && ok || { bad "dpkg -i v1"; cat "$tmp/install.log"; }
in_root id lotuswall >/dev/null && ok || bad "no user lotuswall"
for d in /var/lib/lotuswall /var/lib/lotuswall/state /var/cache/lotuswall /var/log/lotuswall /run/lotuswall; do
    [[ $(in_root stat -c '%U %a' "$d") == "lotuswall 700" ]] && ok || bad "$d: $(in_root stat -c '%U %a' "$d")"
done
units="lotuswall.service lotuswall-xinit.service lotuswall-cage.service lotuswall-engine.service lotuswall-report.service lotuswall-publisher.service lotuswall-deliver.service"
for u in $units; do
    [[ $(in_root systemctl is-enabled "$u") == disabled ]] && ok || bad "$u is not installed disabled"
done
[[ $(in_root stat -c '%a' /etc/lotuswall/lotuswall.env) == 600 ]] && ok || bad "lotuswall.env is not root's alone"

# ---- the program from /, with no source tree
step "check, export, verify"
in_root sh -c 'cd / && lotuswall check situation' 2>&1 |
    grep -qF "/usr/share/lotuswall/scenes/situation.json: ok (scene situation" && ok || bad "check from /"
in_root sh -c 'cd / && lotuswall export --now 2024-11-15T09:30:00 --out /root/situation.png situation' &&
    ok || bad "export from /"
"$build/lotuswall" export --now 2024-11-15T09:30:00 --out "$tmp/built.png" situation 2>/dev/null
cmp -s "$root/root/situation.png" "$tmp/built.png" && ok ||
    bad "the installed program draws another picture than the built one"
in_root systemd-analyze verify $(for u in $units; do echo /lib/systemd/system/$u; done) >"$tmp/verify.log" 2>&1 &&
    ! grep -q lotuswall "$tmp/verify.log" && ok || { bad "systemd-analyze verify"; cat "$tmp/verify.log"; }

# ---- a database for the wall (PostgreSQL in the root, as its docs say)
step "database"
pg() { in_root runuser -u postgres -- "$@"; }
for _ in $(seq 100); do pg pg_isready -q && break; sleep 0.2; done
{ pg createdb lotuswall && pg lotuswall db init --db dbname=lotuswall && pg lotuswall db load --db dbname=lotuswall &&
  pg psql -q -d lotuswall -c "CREATE ROLE wall1 LOGIN PASSWORD 'wall1' IN ROLE lotuswall_reader"; } >"$tmp/db.log" 2>&1 &&
    ok || { bad "the database"; cat "$tmp/db.log"; }
conninfo="host=127.0.0.1 dbname=lotuswall user=wall1 password=wall1"

# ---- setup wall, twice; X11 is Xvfb here (no Xorg in a container): the
# xinit unit's ExecStart alone is replaced, the wall's unit is the real one
step "setup wall"
mkdir -p "$root/etc/systemd/system/lotuswall-xinit.service.d" "$root/etc/lotuswall/playlists"
cat >"$root/etc/systemd/system/lotuswall-xinit.service.d/xvfb.conf" <<'EOF'
[Service]
ExecStart=
ExecStart=/usr/bin/Xvfb :0 -screen 0 1280x720x24 -nolisten tcp
StandardInput=null
EOF
echo '{"kind": "playlist", "version": 1, "name": "one", "scenes": [{"scene": "situation", "dwell": 3600}]}' \
    >"$root/etc/lotuswall/playlists/one.json"
snapshot() { in_root sh -c 'find /etc -xdev \( -type f -o -type l \) -printf "%p %l %m %U\n" | sort; find /etc -xdev -type f -exec md5sum {} + | sort'; }
in_root lotuswall setup wall --x11 --playlist one --db "$conninfo" --wall-name 大厅 >"$tmp/setup1.log" 2>&1 && ok ||
    { bad "setup wall"; cat "$tmp/setup1.log"; }
grep -q "enabled lotuswall.service" "$tmp/setup1.log" && grep -q "started lotuswall.service" "$tmp/setup1.log" &&
    ok || { bad "setup wall did not enable and start the wall"; cat "$tmp/setup1.log"; }
grep -qx 'LOTUSWALL_PLAYLIST=one' "$root/etc/lotuswall/lotuswall.env" &&
    grep -qx 'LOTUSWALL_WALL_NAME=大厅' "$root/etc/lotuswall/lotuswall.env" && ok || bad "setup wall's settings"
snapshot >"$tmp/etc1"
in_root lotuswall setup wall --x11 --playlist one --db "$conninfo" --wall-name 大厅 >"$tmp/setup2.log" 2>&1 && ok || bad "setup wall, again"
grep -q "nothing to change" "$tmp/setup2.log" && [[ $(wc -l <"$tmp/setup2.log") -eq 1 ]] && ok ||
    { bad "the second setup wall did something"; cat "$tmp/setup2.log"; }
snapshot >"$tmp/etc2"
diff "$tmp/etc1" "$tmp/etc2" >/dev/null && ok || { bad "the second setup wall changed /etc"; diff "$tmp/etc1" "$tmp/etc2"; }
# a changed setting restarts the wall, not its X server
x0=$(show InvocationID lotuswall-xinit.service)
in_root lotuswall setup wall --wall-name 一楼大厅 >"$tmp/setup3.log" 2>&1 && grep -qx "restarted lotuswall.service" "$tmp/setup3.log" &&
    [[ $(show InvocationID lotuswall-xinit.service) == "$x0" ]] && ok || { bad "a new wall name"; cat "$tmp/setup3.log"; }

# ---- the other units run in their sandboxes: the report schedule and the
# publisher on the demo data, the engine on a database that is not there
step "report, publisher, engine"
in_root lotuswall setup engine --db "host=127.0.0.1 port=1 dbname=lotuswall" >"$tmp/engine.log" 2>&1 &&
    grep -q "started lotuswall-engine.service" "$tmp/engine.log" && ok || { bad "setup engine"; cat "$tmp/engine.log"; }
in_root systemctl start lotuswall-report.service lotuswall-publisher.service && ok || bad "start report, publisher"
for _ in $(seq 150); do
    [[ -s "$root/var/lib/lotuswall/reports/reports.csv" && -n $(ls "$root/var/lib/lotuswall/exchange" 2>/dev/null) ]] && break
    sleep 0.2
done
[[ $(ls "$root"/var/lib/lotuswall/reports/*.pdf 2>/dev/null | wc -l) -ge 1 ]] && ok ||
    { bad "no report from lotuswall-report.service"; in_root journalctl -q -u lotuswall-report -o cat | tail -5; }
[[ -n $(ls "$root/var/lib/lotuswall/exchange" 2>/dev/null) ]] && ok ||
    { bad "no exchange document from lotuswall-publisher.service"; in_root journalctl -q -u lotuswall-publisher -o cat | tail -5; }
sleep 3 # (a unit that fails at once is started again after RestartSec=2)
[[ -n ${LW_DEBUG:-} ]] && in_root journalctl -q -u lotuswall-engine -u lotuswall-report -u lotuswall-publisher -o cat
for u in lotuswall-engine lotuswall-report lotuswall-publisher; do
    [[ $(show ActiveState $u.service) == active && $(show NRestarts $u.service) == 0 ]] && ok ||
        { bad "$u is not running"; in_root journalctl -q -u $u -o cat | tail -5; }
done

# ---- the running wall, and an upgrade under it
step "upgrade under the wall"
shots="$root/var/lib/lotuswall/state/screenshots"
shot() { # the wall's screenshot (SIGUSR1, as an operator would) to $tmp/NAME.png; the scene its status names
    local n0 n
    n0=$(ls "$shots" 2>/dev/null | wc -l)
    in_root systemctl kill -s USR1 --kill-who=main lotuswall.service
    for _ in $(seq 50); do n=$(ls "$shots" 2>/dev/null | wc -l); [[ $n -gt $n0 ]] && break; sleep 0.2; done
    sleep 0.5 # written by replacement: whole once there
    cp "$shots/$(ls -t "$shots" | head -1)" "$tmp/$1.png" &&
        in_root cat /run/lotuswall/status.json | python3 -c 'import json,sys; print(json.load(sys.stdin)["scene"])'
}
starts() { in_root journalctl -q -u lotuswall.service -o cat | grep -c '^Started lotuswall.service'; }
for _ in $(seq 100); do [[ $(show ActiveState lotuswall.service) == active ]] && break; sleep 0.2; done
sources() { # the status file's sources: "live" (all fetched, none offline), "kept" (all offline, with data), else counts
    in_root cat /run/lotuswall/status.json | python3 -c 'import json,sys
s = list(json.load(sys.stdin)["sources"].values())
have, off = sum(v["version"] > 0 for v in s), sum(v["offline"] for v in s)
print("live" if s and have == len(s) and not off else "kept" if s and have == off == len(s)
      else f"{have} of {len(s)} with data, {off} offline")'
}
for _ in $(seq 100); do [[ $(sources) == live ]] && break; sleep 0.2; done
[[ $(sources) == live ]] && ok || bad "the wall's data from the database: $(sources)"
[[ -n $(find "$root/var/cache/lotuswall" -name '*.csv') ]] && ok || bad "no last good data in /var/cache/lotuswall"
# the database stops: the wall keeps its data and says so (the 数据延迟 badges)
in_root systemctl stop postgresql
for _ in $(seq 100); do [[ $(sources) == kept ]] && break; sleep 0.2; done
[[ $(sources) == kept ]] && ok || bad "the database stopped: $(sources)"
sleep 1.5 # the badges on screen
scene1=$(shot before) && [[ $scene1 == situation ]] && ok || bad "the wall shows \"$scene1\", not situation"
echo "# edited by the test" >>"$root/etc/lotuswall/report.env"
cp "$root/etc/lotuswall/lotuswall.env" "$tmp/env.before" && cp "$root/etc/lotuswall/report.env" "$tmp/report.before"
starts0=$(starts) wall0=$(show InvocationID lotuswall.service)
in_root dpkg -i /root/v2.deb >"$tmp/upgrade.log" 2>&1 && ok || { bad "dpkg -i v2 (upgrade)"; cat "$tmp/upgrade.log"; }
[[ $(in_root dpkg-query -W -f '${Version}' lotuswall) == "$version+rebuild1" ]] && ok || bad "not upgraded"
grep -qi migrat "$tmp/upgrade.log" && bad "the upgrade spoke of a migration unasked: $(grep -i migrat "$tmp/upgrade.log")" || ok
cmp -s "$tmp/env.before" "$root/etc/lotuswall/lotuswall.env" && cmp -s "$tmp/report.before" "$root/etc/lotuswall/report.env" &&
    ok || bad "the upgrade changed an edited conffile"

for _ in $(seq 100); do [[ $(show ActiveState lotuswall.service) == active ]] && break; sleep 0.2; done
sleep 5 # a wall that fails after its start would be started again meanwhile
[[ $(( $(starts) - starts0 )) -eq 1 ]] && ok || bad "the wall started $(( $(starts) - starts0 )) times in the upgrade, not once"
[[ $(show InvocationID lotuswall.service) != "$wall0" && $(show NRestarts lotuswall.service) == 0 ]] && ok ||
    bad "the wall was not restarted cleanly: NRestarts $(show NRestarts lotuswall.service)"
[[ $(show InvocationID lotuswall-xinit.service) == "$x0" ]] && ok || bad "the upgrade restarted the X server"
# the new program, the database still down: every source from the disk cache
for _ in $(seq 50); do [[ $(sources) == kept ]] && break; sleep 0.2; done
[[ $(sources) == kept ]] && ok || bad "after the upgrade, without the database: $(sources)"
[[ $(in_root cat /run/lotuswall/status.json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])') == \
   $(show MainPID lotuswall.service) ]] && ok || bad "the status file is not the new wall's"
sleep 1.5
scene2=$(shot after) && [[ $scene2 == "$scene1" ]] && ok || bad "after the upgrade the wall shows \"$scene2\", not $scene1"
# the same picture but for the clock: at most 1 % of the pixels differ
diffpx=$(compare -metric AE -fuzz 10% "$tmp/before.png" "$tmp/after.png" null: 2>&1)
[[ "$diffpx" =~ ^[0-9]+$ ]] && (( diffpx < 1280 * 720 / 100 )) && ok ||
    bad "the wall shows another picture after the upgrade ($diffpx pixels differ)"
cp "$tmp/before.png" "$build/test_deb-before.png" 2>/dev/null
cp "$tmp/after.png" "$build/test_deb-after.png" 2>/dev/null

# ---- db migrate: only where migrate.env says yes, and a failure is loud
step "migrate.env"
sed -i 's/^LOTUSWALL_MIGRATE=no/LOTUSWALL_MIGRATE=yes/; s/^LOTUSWALL_DB=.*/LOTUSWALL_DB="host=127.0.0.1 port=1 dbname=x"/' \
    "$root/etc/lotuswall/migrate.env"
in_root dpkg -i /root/v2.deb >"$tmp/migrate.log" 2>&1 && bad "a failed migration passed unnoticed" || ok
grep -q "LOTUSWALL_MIGRATE=yes in /etc/lotuswall/migrate.env: lotuswall db migrate" "$tmp/migrate.log" &&
    grep -q "127.0.0.1" "$tmp/migrate.log" && ok || { bad "the migration's messages"; cat "$tmp/migrate.log"; }
sed -i 's/^LOTUSWALL_MIGRATE=yes/LOTUSWALL_MIGRATE=no/' "$root/etc/lotuswall/migrate.env"
in_root dpkg --configure -a >"$tmp/configure.log" 2>&1 && ok || { bad "dpkg --configure -a"; cat "$tmp/configure.log"; }

# ---- removal keeps the settings, purge removes them
step "remove, purge"
in_root dpkg -r lotuswall >"$tmp/remove.log" 2>&1 && ok || { bad "dpkg -r"; cat "$tmp/remove.log"; }
[[ ! -e "$root/usr/bin/lotuswall" && $(show ActiveState lotuswall.service) != active ]] && ok ||
    bad "removed, the program is there or the wall runs"
cmp -s "$tmp/report.before" "$root/etc/lotuswall/report.env" && [[ -e "$root/etc/lotuswall/migrate.env" ]] && ok ||
    bad "removal did not keep the conffiles"
[[ -L "$root/etc/systemd/system/graphical.target.wants/lotuswall.service" ]] && ok || bad "removal forgot the enabled wall"
in_root dpkg -P lotuswall >"$tmp/purge.log" 2>&1 && ok || { bad "dpkg -P"; cat "$tmp/purge.log"; }
[[ ! -e "$root/etc/lotuswall" && ! -e "$root/var/lib/lotuswall" && ! -e "$root/var/cache/lotuswall" ]] && ok ||
    bad "purge left /etc/lotuswall, /var/lib/lotuswall or /var/cache/lotuswall"
[[ -z $(find "$root/etc/systemd/system" -name 'lotuswall*') ]] && ok ||
    bad "purge left $(find "$root/etc/systemd/system" -name 'lotuswall*')"
[[ $(in_root dpkg-query -W -f '${db:Status-Status}' lotuswall 2>&1) != installed ]] && ok || bad "still installed"

step "done"
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
