#!/usr/bin/env bash
# Displays that change under a running wall, on a real X server whose outputs
# can be switched like a GPU's (Xorg with the dummy driver, driven by xrandr):
# the wall shows full screen on display 1; that output gets a new mode, is
# switched off (the wall waits and says so) and comes back at another mode.
# Each time the window covers the display as it is now and equals the export
# at that size. Needs root (Xorg); CI runs as root.
set -u
LW=${1:?usage: test_displays.sh lotuswall}
HERE=$(cd "$(dirname "$0")" && pwd)
if [[ $(id -u) -ne 0 ]]; then echo "skipped: Xorg with the dummy driver needs root"; exit 77; fi
tmp=$(mktemp -d)
pass=0 fail=0 xpid= pid=
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
cleanup() {
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null
    [[ -n "$xpid" ]] && kill "$xpid" 2>/dev/null && wait "$xpid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
now=2024-11-15T09:30:00

exec 3>"$tmp/display"
Xorg -displayfd 3 -config "$HERE/xorg-dummy.conf" -noreset -nolisten tcp -novtswitch -sharevts \
    -logfile "$tmp/xorg.log" >"$tmp/xorg.out" 2>&1 &
xpid=$!
for _ in $(seq 100); do [[ -s "$tmp/display" ]] && break; sleep 0.05; done
[[ -s "$tmp/display" ]] || { echo "FAIL Xorg did not start"; tail -5 "$tmp/xorg.out"; exit 1; }
export DISPLAY=":$(head -n1 "$tmp/display")"
for m in 1280x720 1024x768; do xrandr --addmode DUMMY1 $m; done
xrandr --output DUMMY0 --mode 1280x720 --output DUMMY1 --mode 1280x720 --right-of DUMMY0
for _ in $(seq 100); do xrandr --listmonitors | grep -q "^Monitors: 2" && break; sleep 0.05; done
xrandr --listmonitors | grep -q "^Monitors: 2" || { echo "FAIL DUMMY1 did not come up"; xrandr --listmonitors; exit 1; }

frames() { python3 -c "import json; print(json.load(open('$tmp/status.json'))['frames'])" 2>/dev/null || echo 0; }
wait_log() { # a line in the wall's log
    for _ in $(seq 100); do grep -qF -- "$1" "$tmp/run.log" && return 0; sleep 0.05; done
    return 1
}
shows_export() { # WxH: display 1 (right of the 1280-wide display 0) equals the export
    local f
    f=$(frames)
    for _ in $(seq 100); do (( $(frames) > f )) && break; sleep 0.05; done
    sleep 0.3
    import -window root "$tmp/root.png"
    convert "$tmp/root.png" -crop "$1+1280+0" +repage "$tmp/got.png"
    "$LW" export --now $now --size "$1" --out "$tmp/want.png" gdp
    local n w=${1%x*} h=${1#*x}
    n=$(compare -metric AE -fuzz 6.3% "$tmp/got.png" "$tmp/want.png" null: 2>&1 | awk '{print int($1)}')
    (( n * 200 <= w * h )) && ok || bad "$2: $n of $((w * h)) pixels differ from the export at $1"
}

"$LW" run --now $now --display 1 --status "$tmp/status.json" gdp 2>"$tmp/run.log" &
pid=$!
for _ in $(seq 200); do (( $(frames) > 0 )) && break; sleep 0.05; done
(( $(frames) > 0 )) && ok || { bad "the wall did not start"; cat "$tmp/run.log"; }
shows_export 1280x720 "full screen on display 1"

xrandr --output DUMMY1 --mode 1024x768
wait_log "display 1: 1024×768 at 1280,0" && ok || { bad "no reaction to a new mode"; tail -3 "$tmp/run.log"; }
shows_export 1024x768 "after a mode change"

xrandr --output DUMMY1 --off
wait_log "display 1 is off or gone; its output waits for it" && ok || { bad "no word of the display going"; tail -3 "$tmp/run.log"; }
kill -0 $pid 2>/dev/null && ok || bad "the wall died with its display"

xrandr --output DUMMY1 --mode 1280x720 --right-of DUMMY0
wait_log "display 1: 1280×720 at 1280,0" && ok || { bad "no reaction to the display coming back"; tail -3 "$tmp/run.log"; }
shows_export 1280x720 "back on"

kill -TERM $pid
wait $pid && ok || bad "exit status after SIGTERM"
pid=
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
