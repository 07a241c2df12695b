#!/usr/bin/env bash
# `lotuswall setup wall|engine` against a folder of its own ($LOTUSWALL_ETC)
# and a stand-in systemctl on PATH that keeps enabled units as files: the
# settings file is made from the shipped one, only the given keys change,
# the right units are enabled, and a second run changes nothing and says so.
# (tests/pkg/test_deb.sh runs it for real, as root in a booted Debian 12.)
#   usage: test_setup.sh LOTUSWALL
set -u
lw=$(realpath "${1:?usage: test_setup.sh LOTUSWALL}")
. "$(dirname "$0")/lib.sh"
mkdir "$tmp/bin" "$tmp/units" "$tmp/etc"
cat >"$tmp/bin/systemctl" <<'EOF'
#!/bin/sh
echo "$*" >>"$STUB/log"
while [ "${1#-}" != "$1" ]; do shift; done
verb=$1; shift
for u in "$@"; do
    case "$u" in -*) continue ;; esac
    case $verb in
    is-enabled) [ -e "$STUB/units/$u" ] || exit 1 ;;
    is-active) exit 3 ;;
    enable) touch "$STUB/units/$u" ;;
    disable) rm -f "$STUB/units/$u" ;;
    *) exit 1 ;;
    esac
done
EOF
chmod +x "$tmp/bin/systemctl"
setup() { env -u LOTUSWALL_DB STUB="$tmp" PATH="$tmp/bin:$PATH" LOTUSWALL_ETC="$tmp/etc" "$lw" setup "$@"; }
env_file="$tmp/etc/lotuswall.env"
state() { (cd "$tmp" && ls units; find etc -type f -printf '%p %m\n' -exec md5sum {} \;); }

expect "xinit missing" 1 "xinit is not installed: apt-get install xinit" -- setup wall
[[ -z $(ls "$tmp/etc") ]] && ok || bad "a refused setup wrote $(ls "$tmp/etc")"
printf '#!/bin/sh\n' >"$tmp/bin/xinit"
printf '#!/bin/sh\n' >"$tmp/bin/cage"
chmod +x "$tmp/bin/xinit" "$tmp/bin/cage"

expect "wall" 0 "enabled lotuswall.service" -- setup wall --playlist counties \
    --db "host=db password='a b' \$x" --wall-name 大厅
grep -qF "$tmp/etc/lotuswall.env: made from" "$tmp/stdout" && ok || bad "not said: made from"
grep -qx 'LOTUSWALL_DB="host=db password='"'a b'"' \\$x"' "$env_file" && ok || bad "the conninfo, quoted: $(grep ^LOTUSWALL_DB "$env_file")"
grep -qx 'LOTUSWALL_PLAYLIST=counties' "$env_file" && grep -qx 'LOTUSWALL_WALL_NAME=大厅' "$env_file" && ok ||
    bad "the playlist and the wall's name"
[[ $(stat -c %a "$env_file") == 600 && $(stat -c %a "$tmp/etc/xinitrc") == 755 ]] && ok ||
    bad "modes: $(stat -c '%n %a' "$env_file" "$tmp/etc/xinitrc")"
[[ -e "$tmp/units/lotuswall.service" && -e "$tmp/units/lotuswall-xinit.service" ]] && ok || bad "X11 units not enabled"
grep -q "systemd does not run here" "$tmp/stdout" && ok || bad "not said that systemd does not run"

# the admin's own lines stay; a second run changes nothing
sed -i 's/^LOTUSWALL_ARGS=$/LOTUSWALL_ARGS=--hours 07:00-22:30/' "$env_file"
state >"$tmp/state1"
: >"$tmp/log"
expect "again" 0 "lotuswall setup wall: nothing to change (X11" -- setup wall --playlist counties \
    --db "host=db password='a b' \$x" --wall-name 大厅
[[ $(wc -l <"$tmp/stdout") -eq 1 ]] && ok || bad "the second run said more: $(cat "$tmp/stdout")"
state >"$tmp/state2"
cmp -s "$tmp/state1" "$tmp/state2" && ok || bad "the second run changed files or units"
! grep -qE '^(enable|disable|start|restart)' "$tmp/log" && ok || bad "the second run called $(cat "$tmp/log")"
grep -qx 'LOTUSWALL_ARGS=--hours 07:00-22:30' "$env_file" && ok || bad "the admin's line was lost"

# Wayland replaces X11; later runs keep what is enabled
expect "wayland" 0 "enabled lotuswall-cage.service" -- setup wall --wayland
[[ -e "$tmp/units/lotuswall-cage.service" && ! -e "$tmp/units/lotuswall.service" &&
   ! -e "$tmp/units/lotuswall-xinit.service" ]] && ok || bad "Wayland: $(ls "$tmp/units")"
expect "wayland kept" 0 "nothing to change (Wayland (cage)" -- setup wall

expect "back to the demo" 0 "lotuswall.env: set LOTUSWALL_DB" -- setup wall --db ""
grep -qx 'LOTUSWALL_DB=' "$env_file" && ok || bad "--db \"\" did not empty LOTUSWALL_DB"
expect "bad playlist" 1 "--playlist nope: no such playlist" -- setup wall --playlist nope
grep -qx 'LOTUSWALL_PLAYLIST=counties' "$env_file" && ok || bad "a refused playlist was written"
expect "newline" 2 "a control character in a setting" -- setup wall --wall-name "$(printf 'a\nLOTUSWALL_ARGS=x')"
expect "engine without db" 2 "expected --db CONNINFO" -- setup engine
expect "engine, empty db" 2 "expected --db CONNINFO" -- setup engine --db ""
expect "engine" 0 "enabled lotuswall-engine.service" -- setup engine --db "dbname=lw user=engine1"
grep -qx 'LOTUSWALL_DB="dbname=lw user=engine1"' "$tmp/etc/engine.env" && ok || bad "engine.env"
expect "engine again" 0 "lotuswall setup engine: nothing to change" -- setup engine --db "dbname=lw user=engine1"
expect "what" 2 "usage: lotuswall setup wall" -- setup fleet

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
