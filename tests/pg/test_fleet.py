#!/usr/bin/env python3
"""The fleet through PostgreSQL (issue 15, part 3), end to end: two walls on
Xvfb, each logged in as its own login in lotuswall_wall and registered in
lotuswall.wall_logins, beating every second (--beat 1).
- Their heartbeat rows appear, with a thumbnail (a PNG), the scene and the
  database's beat time.
- Row-level security: one wall's login cannot update, upsert or insert
  another wall's row, nor a row of an unregistered wall; it can its own.
- `lotuswall steer` as a presenter's login: show gdp, then back, are applied
  in order and each is answered; the wall shows gdp, then situation again.
  An account limited to another region is refused by the database.
- `lotuswall fleet --json` agrees with the fleet scene's data (its export).
- A wall killed with -9 is 离线 within two intervals (+ the reading's slack).
- The engine raises wall-offline for it (rules/demo.json).
Runs under tests/pg/with_pg.sh."""
import json, os, signal, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish, q, q1, start_xvfb, wait_for  # noqa: E402

lw = sys.argv[1]


def fleet():
    r = subprocess.run([lw, "fleet", "--json", "--db", ""], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return {w["name"]: w for w in json.loads(r.stdout)}


def states():
    """name → state straight from the view (cheaper to poll than the CLI)."""
    out = q1("SELECT string_agg(name || '=' || state, ',') FROM lotuswall.fleet")
    return dict(kv.split("=") for kv in out.split(",")) if out else {}


def steer(login, *args):
    return subprocess.run([lw, "steer", *args, "--db", ""], capture_output=True, text=True,
                          env=dict(os.environ, PGUSER=login))


q1("CREATE ROLE adm LOGIN IN ROLE lotuswall_admin; "
   "CREATE ROLE w_yuzhou LOGIN IN ROLE lotuswall_wall; "
   "CREATE ROLE w_changge LOGIN IN ROLE lotuswall_wall; "
   "CREATE ROLE p_zhang LOGIN IN ROLE lotuswall_steer; "
   "CREATE ROLE p_li LOGIN IN ROLE lotuswall_steer")
q1("INSERT INTO lotuswall.wall_logins VALUES ('yuzhou', 'w_yuzhou', '411081'), "
   "('changge', 'w_changge', '411082')", "adm")
for name, login in (("张主任", "p_zhang"), ("李干事", "p_li")):
    r = subprocess.run([lw, "user", "add", name, "--role", "presenter", "--db-login", login,
                        "--password-stdin", "--db", ""], input="pass-" + login + "\n",
                       capture_output=True, text=True, env=dict(os.environ, PGUSER="adm"))
    check(r.returncode == 0, f"user add {name}: {r.stderr}")
def user(*args):
    return subprocess.run([lw, "user", *args, "--db", ""], capture_output=True, text=True,
                          env=dict(os.environ, PGUSER="adm"))


# 李干事 may steer the walls of 长葛 (411082) only: a limit set twice, then
# replaced, then lifted and set again, as an admin would at the console
r = user("limit", "李干事", "yuzhou", "411082")
check(r.returncode == 0 and r.stdout == "李干事: steers only yuzhou, 411082\n",
      f"user limit: {r.returncode} {r.stdout!r} {r.stderr!r}")
r = user("limit", "李干事", "411082")
check(r.stdout == "李干事: steers only 411082\n", f"user limit replaces: {r.stdout!r}")
r = user("list", "--json")
limits = {a["name"]: a["limited_to"] for a in json.loads(r.stdout)} if r.returncode == 0 else {}
check(limits == {"张主任": [], "李干事": ["411082"]}, f"user list --json limited_to: {limits} {r.stderr}")
check(user("limit", "李干事").stdout == "李干事: steers every wall\n", "user limit lifts")
check(user("limit", "李干事", "411082").returncode == 0, "user limit 411082 again")
r = user("limit", "王五", "yuzhou")
check(r.returncode == 1 and r.stderr == "lotuswall user limit: 王五: no such account\n",
      f"user limit of an unknown account: {r.returncode} {r.stderr!r}")
r = subprocess.run([lw, "user", "limit", "李干事", "yuzhou", "--users", "/nonexistent.json"],
                   capture_output=True, text=True)
check(r.returncode == 2 and "limits are kept in the database" in r.stderr,
      f"user limit without a database: {r.stderr!r}")

with tempfile.TemporaryDirectory() as tmp:
    xvfb, display = start_xvfb()
    walls, status = {}, {}
    for name in ("yuzhou", "changge"):
        status[name] = os.path.join(tmp, name + ".json")
        walls[name] = subprocess.Popen(
            [lw, "run", "--windowed", "640x360", "--status", status[name], "--db", "",
             "--wall-name", name, "--beat", "1", "situation", "gdp"],
            env=dict(os.environ, DISPLAY=display, PGUSER="w_" + name),
            stderr=open(os.path.join(tmp, name + ".log"), "w"), stdout=subprocess.DEVNULL)
    try:
        up = wait_for(lambda: states() == {"yuzhou": "正常", "changge": "正常"}, 30)
        check(up, f"both walls beat and are 正常: {states()}")
        rows = fleet()
        png = q1("SELECT encode(substr(thumbnail, 1, 8), 'hex') FROM lotuswall.walls "
                 "WHERE name = 'yuzhou'")
        check(png == "89504e470d0a1a0a", f"the heartbeat carries a PNG thumbnail: {png}")
        check(rows["yuzhou"]["region"] == "禹州市" and rows["yuzhou"]["scene"] == "situation",
              f"the row says where it is and what it shows: {rows['yuzhou']}")

        # row-level security: changge's login and yuzhou's row
        rc, out = q("UPDATE lotuswall.walls SET scene = 'forged' WHERE name = 'yuzhou'",
                    "w_changge")
        check(rc == 0 and q1("SELECT scene FROM lotuswall.walls WHERE name = 'yuzhou'") != "forged",
              f"another wall's login updates no row of yuzhou: {out}")
        rc, out = q("INSERT INTO lotuswall.walls (name, scene) VALUES ('yuzhou', 'forged') "
                    "ON CONFLICT (name) DO UPDATE SET scene = EXCLUDED.scene", "w_changge")
        check(rc != 0 and "row-level security" in out, f"nor upserts it: {out}")
        rc, out = q("INSERT INTO lotuswall.walls (name) VALUES ('xuchang-2')", "w_changge")
        check(rc != 0 and "row-level security" in out, f"nor claims an unregistered wall: {out}")
        rc, out = q("UPDATE lotuswall.walls SET last_error = NULL WHERE name = 'changge' "
                    "RETURNING name", "w_changge")
        check(rc == 0 and out == "changge", f"its own row it may write: {out}")

        # steering, in order, each answered
        r1 = steer("p_zhang", "--to", "yuzhou", "show", "gdp")
        check(r1.returncode == 0 and "showing gdp" in r1.stdout, f"steer show gdp: {r1.stdout}{r1.stderr}")
        check(wait_for(lambda: json.load(open(status["yuzhou"]))["scene"] == "gdp", 5),
              "the wall shows gdp")
        r2 = steer("p_zhang", "--to", "yuzhou", "show", "situation", "--param", "city=411081")
        check(r2.returncode == 0 and "showing situation" in r2.stdout and
              wait_for(lambda: json.load(open(status["yuzhou"]))["params"]["city"] == "411081", 5),
              f"steer show with a parameter (a drill): {r2.stdout}{r2.stderr}")
        r3 = steer("p_zhang", "--to", "yuzhou", "back")
        check(r3.returncode == 0 and "showing gdp" in r3.stdout and  # the rotation's entry
              wait_for(lambda: json.load(open(status["yuzhou"]))["scene"] == "gdp", 5),
              f"steer back: {r3.stdout}{r3.stderr}")
        order = q1("SELECT string_agg(command || ':' || ok::text || ':' || \"by\", ',' ORDER BY "
                   "answered_at) FROM lotuswall.wall_commands WHERE wall = 'yuzhou'")
        check(order == "show:true:张主任,show:true:张主任,back:true:张主任",
              f"answered in order, as the account: {order}")
        r3 = steer("p_li", "--to", "yuzhou", "home")
        check(r3.returncode == 1 and "may not steer the wall yuzhou" in r3.stderr,
              f"an account limited to 411082 may not steer yuzhou: {r3.stderr}")
        audit = q1("SELECT count(*) FROM lotuswall_auth.audit WHERE what LIKE 'wall.%'", "adm")
        check(audit == "3", f"each answered command is in the audit: {audit}")
        r4 = steer("p_li", "--to", "changge", "show", "gdp")
        check(r4.returncode == 0, f"but may steer changge: {r4.stdout}{r4.stderr}")
        r5 = steer("p_zhang", "--to", "yuzhou", "show", "nowhere")
        check(r5.returncode == 1 and "not a scene of this wall" in r5.stderr,
              f"an unknown scene is answered as refused: {r5.stderr}")
        # a command that waited too long (the wall was away) is answered, not applied
        q1("BEGIN; SET SESSION AUTHORIZATION p_zhang; "
           "INSERT INTO lotuswall.wall_commands (wall, command, scene) VALUES ('yuzhou', 'show', "
           "'situation'); RESET SESSION AUTHORIZATION; "
           "UPDATE lotuswall.wall_commands SET created_at = now() - interval '10 minutes' "
           "WHERE id = (SELECT max(id) FROM lotuswall.wall_commands); COMMIT")
        late = wait_for(lambda: q1("SELECT ok::text || ' ' || result FROM lotuswall.wall_commands "
                                   "WHERE id = (SELECT max(id) FROM lotuswall.wall_commands) "
                                   "AND answered_at IS NOT NULL"), 5)
        check(late and late.startswith("false expired: queued at ") and
              late.endswith("more than 120 s before the wall could apply it; not applied") and
              json.load(open(status["yuzhou"]))["scene"] == "gdp",
              f"a stale command expires and the wall stays on gdp: {late}")

        # the CLI and the scene read the same thing
        out = os.path.join(tmp, "fleet.json")
        r = subprocess.run([lw, "export", "fleet", "--db", "", "--out", out],
                           capture_output=True, text=True)
        check(r.returncode == 0, f"export fleet --db: {r.stderr}")
        cards = next(p for p in json.load(open(out))["scenes"][0]["panels"] if p["id"] == "walls")
        scene = {c["name"]: c["state"] for c in cards["rows"]}
        cli = {n: w["state"] for n, w in fleet().items()}
        check(scene == cli, f"fleet --json agrees with the fleet scene: {scene} vs {cli}")

        # a killed wall is offline within two intervals, and the engine (started
        # meanwhile: it takes a while under ASan) warns of it
        engine = subprocess.Popen([lw, "engine", "--db", "", "--interval", "1"],
                                  stderr=open(os.path.join(tmp, "engine.log"), "w"))
        try:
            walls["changge"].send_signal(signal.SIGKILL)
            killed = time.monotonic()
            dead = wait_for(lambda: states()["changge"] == "离线", 10)
            took = time.monotonic() - killed
            check(dead and took <= 2 * 1 + 1, f"changge 离线 {took:.1f} s after kill -9 (beat 1 s)")
            check(states()["yuzhou"] == "正常", "yuzhou beats on")
            fired = wait_for(lambda: q1("SELECT string_agg(instance, ',') FROM lotuswall.warnings "
                                        "WHERE rule = 'wall-offline' AND state = 'firing'"), 20)
            check(fired == "长葛市", f"the engine raises wall-offline for 长葛市: {fired!r}")
        finally:
            engine.terminate()
            engine.wait(10)
    finally:
        for w in walls.values():
            if w.poll() is None:
                w.terminate()
                w.wait(10)
        xvfb.terminate()
        for name in walls:
            if os.environ.get("LW_TEST_VERBOSE"):
                print(open(os.path.join(tmp, name + ".log")).read())
finish()
