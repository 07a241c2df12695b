#!/usr/bin/env python3
"""One splice wall driven by three PCs in step through PostgreSQL (issue 15,
part 4): three `lotuswall run --db --wall-name big --part pcN --wall FILE`
processes under one Xvfb, as a wall login, one output each.
- one part leads (the advisory lock), the others follow, all on one term;
- the three windows side by side equal `export --wall` of the same scene
  and data (at most 0.5 % of pixels off);
- `lotuswall steer … show gdp` is applied by the leader alone, and the
  scene change starts on every part at the same announced time
  (scene_since_ms within 16 ms; the first frames drawn are reported);
- a data change (UPDATE, NOTIFY by the trigger) reaches all parts at one
  announced version, and once settled no two statuses differ;
- the fence: a session without the lock cannot write the state, nor may
  another wall's login;
- kill -9 of the leader: another part leads within 5 s; the leader's
  backend terminated: it follows before another part leads.
Runs under tests/pg/with_pg.sh."""
import json, os, signal, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish, q, q1, start_xvfb, wait_for  # noqa: E402

lw = sys.argv[1]
PARTS = ("pc1", "pc2", "pc3")


def differing(a, b):
    """Pixels more than 16 levels (6.3 %) off, as test_screen.sh counts them."""
    r = subprocess.run(["compare", "-metric", "AE", "-fuzz", "6.3%", a, b, "null:"],
                       capture_output=True, text=True)
    return int(float(r.stderr.split()[0]))


q1("CREATE ROLE adm LOGIN IN ROLE lotuswall_admin; "
   "CREATE ROLE w_big LOGIN IN ROLE lotuswall_wall; "
   "CREATE ROLE w_small LOGIN IN ROLE lotuswall_wall; "
   "CREATE ROLE p_op LOGIN IN ROLE lotuswall_steer")
q1("INSERT INTO lotuswall.wall_logins VALUES ('big', 'w_big', '411000'), "
   "('small', 'w_small', '411000')", "adm")
r = subprocess.run([lw, "user", "add", "值班员", "--role", "presenter", "--db-login", "p_op",
                    "--password-stdin", "--db", ""], input="pass-p_op\n", capture_output=True,
                   text=True, env=dict(os.environ, PGUSER="adm"))
check(r.returncode == 0, f"user add: {r.stderr}")

tmp = tempfile.mkdtemp()
wall = os.path.join(tmp, "wall.json")
with open(wall, "w") as f:  # three 640×720 outputs, 20-pixel bezels: a 1960×720 canvas
    json.dump({"kind": "wall", "version": 1, "name": "big", "outputs": [
        {"name": f"o{i}", "part": p, "display": 0, "position": [640 * i, 0], "x": 660 * i,
         "y": 0, "width": 640, "height": 720} for i, p in enumerate(PARTS)]}, f)
status = {p: os.path.join(tmp, p + ".json") for p in PARTS}
xvfb, display = start_xvfb("1920x720")
procs = {}


def start(p):
    procs[p] = subprocess.Popen(
        [lw, "run", "--db", "", "--cache", os.path.join(tmp, "cache-" + p), "--wall-name", "big",
         "--part", p, "--wall", wall,
         "--status", status[p], "--beat", "1", "--dwell", "3600", "situation", "gdp"],
        env=dict(os.environ, DISPLAY=display, PGUSER="w_big"),
        stderr=open(os.path.join(tmp, p + ".log"), "a"), stdout=subprocess.DEVNULL)


def st(p):
    with open(status[p]) as f:
        return json.load(f)


def all_st(parts=PARTS):
    return {p: st(p) for p in parts}


def settled(parts=PARTS, scene=None):
    """All parts on one term with one leader, the same scene and data version."""
    s = all_st(parts)
    sp = [x["splice"] for x in s.values()]
    ok = (sum(x["role"] == "leader" for x in sp) == 1 and len({x["term"] for x in sp}) == 1 and
          len({x["data_version"] for x in sp}) == 1 and sp[0]["data_version"] != "0" * 16 and
          all(x["data_version"] == x["announced_data"] for x in sp) and
          len({x["scene"] for x in s.values()}) == 1 and all(x["frames"] > 0 for x in s.values())
          and (scene is None or s[parts[0]]["scene"] == scene))
    return s if ok else None


def leader(parts=PARTS):
    for p in parts:
        if st(p)["splice"]["role"] == "leader":
            return p
    return None


try:
    for p in PARTS:
        start(p)
    s = wait_for(settled, 30)
    check(s, f"three parts on one term, one leader, the same data: {all_st() if not s else ''}")
    # the announced data's numbers have rolled in (600 ms from their time)
    wait_for(lambda: time.time() * 1000 > st("pc1")["splice"]["data_at_ms"] + 700, 5)

    # ---- the parts side by side are export --wall
    grab = os.path.join(tmp, "grab.png")
    subprocess.run(["import", "-display", display, "-window", "root", grab], check=True)
    want = os.path.join(tmp, "want.png")
    r = subprocess.run([lw, "export", "--db", "", "--cache", os.path.join(tmp, "cache-x"),
                        "--wall", wall, "--out", want, "situation"], capture_output=True, text=True)
    check(r.returncode == 0, f"export --wall: {r.stderr}")
    n = differing(grab, want)
    if os.environ.get("LW_KEEP_LOGS"):
        subprocess.run(["cp", grab, want, "/tmp/"])
    check(n * 200 <= 1920 * 720, f"the three parts differ from export --wall in {n} pixels")
    print(f"stitched parts vs export --wall: {n} of {1920 * 720} pixels differ", flush=True)

    # ---- the fence and row-level security
    rc, out = q("UPDATE lotuswall.splice_state SET state = '{}' WHERE wall = 'big'")
    check(rc != 0 and "does not hold the wall's lock" in out,
          f"a session without the lock cannot write the state: {out}")
    rc, out = q("UPDATE lotuswall.splice_state SET state = '{}' WHERE wall = 'big' RETURNING wall",
                "w_small")
    check(rc == 0 and out == "", f"another wall's login updates no row of big: {out}")
    rc, out = q("INSERT INTO lotuswall.splice_parts (wall, part) VALUES ('big', 'pc9')", "w_small")
    check(rc != 0 and "row-level security" in out, f"nor writes big's parts: {out}")
    rows = q1("SELECT string_agg(part || ':' || role, ',' ORDER BY part) FROM "
              "lotuswall.splice_parts WHERE wall = 'big'")
    check(rows.count("leader") == 1 and rows.count("pc") == 3,
          f"each part beats its role into lotuswall.splice_parts: {rows}")

    # ---- a scene change starts on every part at one time
    r = subprocess.run([lw, "steer", "--to", "big", "show", "gdp", "--db", ""],
                       capture_output=True, text=True, env=dict(os.environ, PGUSER="p_op"))
    check(r.returncode == 0 and "showing gdp" in r.stdout, f"steer: {r.stdout}{r.stderr}")
    s = wait_for(lambda: settled(scene="gdp") if all(
        x["splice"]["scene_drawn_ms"] >= x["scene_since_ms"] for x in all_st().values()) else None,
        10)
    check(s, f"all parts show gdp: {all_st()}")
    if s:
        since = [x["scene_since_ms"] for x in s.values()]
        drawn = [x["splice"]["scene_drawn_ms"] for x in s.values()]
        skew, drawn_skew = max(since) - min(since), max(drawn) - min(drawn)
        print(f"scene change: scene_since_ms skew {skew} ms, first frames drawn "
              f"{drawn_skew} ms apart ({min(drawn) - min(since)} ms after the announced time)",
              flush=True)
        check(skew <= 16, f"the scene change starts within 16 ms on every part: {since}")
        check(drawn_skew <= 100, f"and is drawn at about that time on each: {drawn}")
    answered = q1("SELECT count(*) FROM lotuswall.wall_commands WHERE answered_at IS NOT NULL")
    check(answered == "1", f"the leader alone applied the command: {answered}")

    # ---- new data, shown at one announced version
    old = st("pc1")["splice"]["data_version"]
    q1("UPDATE lotuswall_data.indicator_values SET value = value * 1.1 WHERE region_code = "
       "'411000' AND indicator = 'gdp' AND period = '2024-09'")
    s = wait_for(lambda: (lambda s: s if s and s["pc1"]["splice"]["data_version"] != old else None)(
        settled(scene="gdp")), 10)
    check(s, f"all parts show the new data version: {all_st()}")
    if s:
        at = {x["splice"]["data_at_ms"] for x in s.values()}
        check(len(at) == 1, f"announced for one time: {at}")
    mixed = 0
    for _ in range(10):
        mixed += len({x["splice"]["data_version"] for x in all_st().values()}) != 1
        time.sleep(0.1)
    check(mixed == 0, f"once settled, no two statuses differ in their data: {mixed} of 10 reads")

    # ---- kill -9 of the leader: another leads within 5 s
    was, term = leader(), st(leader())["splice"]["term"]
    t0 = time.monotonic()
    procs[was].kill()
    procs[was].wait()
    rest = tuple(p for p in PARTS if p != was)
    new = wait_for(lambda: leader(rest) if st(leader(rest))["splice"]["term"] > term else None,
                   6, 0.01)
    took = time.monotonic() - t0
    print(f"kill -9 of the leader {was}: {new} leads after {took:.2f} s", flush=True)
    check(new and took < 5, f"another part leads within 5 s: {new} after {took:.2f} s")

    # ---- the leader's backend terminated: it follows before another leads
    term = st(new)["splice"]["term"]
    q1("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND "
       "classid = 1504 AND granted")
    dropped = wait_for(lambda: st(new) if st(new)["splice"]["role"] == "follower" else None, 5,
                       0.01)
    check(dropped, f"the cut-off leader {new} stops leading")
    nxt = wait_for(lambda: leader(rest) if st(leader(rest))["splice"]["term"] > term else None, 6,
                   0.01)
    check(nxt, f"another term leads: {all_st(rest)}")
    if dropped and nxt:
        t_drop = dropped["splice"]["role_since_ms"]
        t_lead = st(nxt)["splice"]["role_since_ms"]
        print(f"backend terminated: {new} follows at {t_drop}, {nxt} leads {t_lead - t_drop} ms "
              "later", flush=True)
        check(t_drop <= t_lead, f"{new} stopped leading ({t_drop}) before {nxt} led ({t_lead})")
    check(wait_for(lambda: settled(rest, "gdp"), 10), f"the two parts agree again: {all_st(rest)}")
finally:
    for p in procs.values():
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs.values():
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
    xvfb.terminate()
    if os.environ.get("LW_KEEP_LOGS"):  # by hand: the parts' logs
        print(subprocess.run(["sh", "-c", f"tail -n 20 {tmp}/*.log"], capture_output=True,
                             text=True).stdout)
finish()
