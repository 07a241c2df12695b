#!/usr/bin/env bash
# Soak of a splice wall (issue 15, part 4), run by hand, not in CI:
#   tools/soak_splice.sh [N] [path/to/lotuswall]
# Three parts (`run --db --wall-name soak --part pcN`) under one Xvfb, a
# PostgreSQL of its own (tests/pg/with_pg.sh); PostgreSQL is stopped at once
# (pg_ctl stop -m immediate) and started again N times (default 100), and
# after each start a source changes. Reported: how often a part was blank
# (a black screenshot, or its status says blank), the longest time from a
# restart to the new data on all parts, the longest disagreement between the
# parts (different data or scene in statuses read together, once a change
# was due), and each part's and the warning engine's RSS at start and at end.
set -euo pipefail
N=${1:-100}
LW=$(realpath "${2:-build/lotuswall}")
here=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z "${LW_PG_STOP:-}" ]]; then
    exec bash "$here/tests/pg/with_pg.sh" "$LW" bash "$0" "$N" "$LW"
fi
export LW N
exec python3 - <<'PY'
import json, os, subprocess, sys, tempfile, threading, time
sys.path.insert(0, os.path.join(os.getcwd(), "tests"))
from lwcheck import q, q1, start_xvfb, wait_for  # noqa: E402

lw, n = os.environ["LW"], int(os.environ["N"])
parts = ("pc1", "pc2", "pc3")
tmp = tempfile.mkdtemp()
q1("CREATE ROLE w_soak LOGIN IN ROLE lotuswall_wall")
q1("INSERT INTO lotuswall.wall_logins VALUES ('soak', 'w_soak', '411000')")
wall = os.path.join(tmp, "wall.json")
with open(wall, "w") as f:
    json.dump({"kind": "wall", "version": 1, "name": "soak", "outputs": [
        {"name": f"o{i}", "part": p, "display": 0, "position": [640 * i, 0], "x": 660 * i,
         "y": 0, "width": 640, "height": 720} for i, p in enumerate(parts)]}, f)
status = {p: os.path.join(tmp, p + ".json") for p in parts}
xvfb, display = start_xvfb("1920x720")
procs = [subprocess.Popen(
    [lw, "run", "--db", "", "--cache", os.path.join(tmp, "cache-" + p), "--wall-name", "soak",
     "--part", p, "--wall", wall, "--status", status[p], "--dwell", "20", "situation", "gdp"],
    env=dict(os.environ, DISPLAY=display, PGUSER="w_soak"),
    stderr=open(os.path.join(tmp, p + ".log"), "w"), stdout=subprocess.DEVNULL) for p in parts]
# and the warning engine on the same server, as in a command centre: it
# evaluates every second and must ride out the restarts too
engine = subprocess.Popen([lw, "engine", "--db", "", "--interval", "1"],
                          stderr=open(os.path.join(tmp, "engine.log"), "w"),
                          stdout=subprocess.DEVNULL)


def statuses():
    out = {}
    for p in parts:
        try:
            with open(status[p]) as f:
                out[p] = json.load(f)
        except (OSError, ValueError):
            return None
    return out


def agree(s):
    return s and len({(x["scene"], x["splice"]["data_version"]) for x in s.values()}) == 1


stop = threading.Event()
longest = [0.0]
blank_status = [0]


def watch():
    """Statuses read together every 50 ms: the longest run of disagreement
    that outlasts a change's announced time by more than a second (a change
    is due at its announced time; until then parts may differ in the file)."""
    since = None
    while not stop.is_set():
        s = statuses()
        if s:
            blank_status[0] += any(x["blank"] for x in s.values())
            if agree(s):
                since = None
            else:
                since = since or time.monotonic()
                longest[0] = max(longest[0], time.monotonic() - since)
        time.sleep(0.05)


def black():
    """The parts' windows, grabbed: is any third of the screen all black?"""
    png = os.path.join(tmp, "grab.png")
    subprocess.run(["import", "-display", display, "-window", "root", png], check=True)
    r = subprocess.run(["convert", png, "-crop", "3x1@", "+repage", "-format", "%[mean]\n",
                        "info:"], capture_output=True, text=True, check=True)
    return any(float(m) < 100 for m in r.stdout.split())


def rss():
    return {p: x["rss_kb"] for p, x in statuses().items()}


def proc_rss(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))


wait_for(lambda: agree(statuses()) and all(
    x["splice"]["data_version"] == x["splice"]["announced_data"] for x in statuses().values()), 60)
rss0 = rss()
rss0["engine"] = proc_rss(engine.pid)
threading.Thread(target=watch, daemon=True).start()
blanks, fresh = 0, []
for i in range(n):
    before = statuses()["pc1"]["splice"]["data_version"]
    subprocess.run(os.environ["LW_PG_STOP"], shell=True, capture_output=True)
    time.sleep(0.5)
    blanks += black()
    subprocess.run(os.environ["LW_PG_START"], shell=True, capture_output=True, check=True)
    t0 = time.monotonic()
    while q("UPDATE lotuswall_data.indicator_values SET value = value + 1 WHERE region_code = "
            "'411000' AND indicator = 'gdp' AND period = '2024-09'")[0] != 0:
        time.sleep(0.05)
    ok = wait_for(lambda: (lambda s: agree(s) and all(
        x["splice"]["data_version"] not in ("", before) for x in s.values()))(statuses()), 30,
        0.02)
    fresh.append(time.monotonic() - t0 if ok else float("inf"))
    blanks += black()
    print(f"restart {i + 1}/{n}: fresh data on all parts after {fresh[-1]:.2f} s", flush=True)
stop.set()
rss1 = rss()
rss1["engine"] = proc_rss(engine.pid)
engine_alive = engine.poll() is None
for p in procs + [engine]:
    p.terminate()
for p in procs + [engine]:
    p.wait(10)
xvfb.terminate()
print(f"restarts: {n}")
print(f"blank: {blanks} black screenshots of {2 * n}, {blank_status[0]} status reads said blank")
print(f"restart -> fresh data on all parts: longest {max(fresh):.2f} s, "
      f"median {sorted(fresh)[len(fresh) // 2]:.2f} s")
print(f"longest disagreement between parts in statuses read together: {longest[0]:.2f} s")
for p in parts + ("engine",):
    print(f"{p}: RSS {rss0[p] / 1024:.1f} MB at start, {rss1[p] / 1024:.1f} MB at end")
evals = q1("SELECT count(*) FROM lotuswall.warnings") if engine_alive else "?"
print(f"engine: {'ran through every restart' if engine_alive else 'EXITED'}; "
      f"{evals} warnings in lotuswall.warnings at the end")
PY
