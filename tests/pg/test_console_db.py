#!/usr/bin/env python3
"""The console with a database (issue 12), end to end: a wall on Xvfb
connected as a login in lotuswall_reader and lotuswall_console, accounts made
with `lotuswall user add --db`, the leading engine running.
- A console login checks the password in the database (the wall's login
  cannot read the accounts table), a wrong one is refused, and both are in
  lotuswall_auth.audit with the client's address.
- An operator's acknowledgement through the API is applied by the engine as
  that account: the answer is the engine's, warning_steps names the account,
  and the audit has it.
- A disabled account's session ends at its next request.
- The database goes away (killed) and comes back: the console answers 503
  or an error for a login meanwhile, never crashes the wall, and logs in
  again once it is back.
Runs under tests/pg/with_pg.sh."""
import json, os, subprocess, sys, tempfile, time, urllib.parse
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "output"))
from lwcheck import check, finish, free_port, start_xvfb, wait_for  # noqa: E402
from test_api import Client  # noqa: E402

lw = sys.argv[1]


def q(sql, user=None):
    r = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql] +
                       (["-U", user] if user else []), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def user_add(name, role, pw, duty=None):
    r = subprocess.run([lw, "user", "add", name, "--role", role, "--password-stdin", "--db", "",
                        *(["--operator", duty] if duty else [])], input=pw + "\n",
                       capture_output=True, text=True, env=dict(os.environ, PGUSER="adm"))
    check(r.returncode == 0, f"user add {name} --db: {r.stderr}")


q("CREATE ROLE adm LOGIN IN ROLE lotuswall_admin; "
  "CREATE ROLE wall1 LOGIN IN ROLE lotuswall_reader, lotuswall_console")
duty = q("SELECT name FROM lotuswall.operators LIMIT 1")
user_add("李值班", "operator", "operator-pass-1", duty)
user_add("观众", "viewer", "viewer-pass-1")

with tempfile.TemporaryDirectory() as tmp:
    engine = subprocess.Popen([lw, "engine", "--db", "", "--interval", "1"],
                              stderr=open(os.path.join(tmp, "engine.log"), "w"))
    check(wait_for(lambda: q("SELECT count(*) FROM lotuswall.warnings WHERE state = 'firing'")
                   not in ("", "0"), 60), "the engine raised warnings")
    xvfb, display = start_xvfb()
    port = free_port()
    status = os.path.join(tmp, "status.json")
    wall = subprocess.Popen([lw, "run", "--windowed", "1280x720", "--status", status,
                             "--db", "", "--http", f"127.0.0.1:{port}", "warnings"],
                            env=dict(os.environ, DISPLAY=display, PGUSER="wall1"),
                            stderr=open(os.path.join(tmp, "wall.log"), "w"),
                            stdout=subprocess.DEVNULL)
    try:
        check(wait_for(lambda: json.load(open(status))["frames"] >= 1, 60), "the wall draws")
        op = Client(port)
        st, doc = op.login("李值班", "wrong-password")
        check(st == 401, f"a wrong password against the database: 401, got {st} {doc}")
        st, doc = op.login("李值班", "operator-pass-1")
        check(st == 200 and doc["role"] == "operator", f"login against the database: {st} {doc}")
        rows = q("SELECT who || '|' || what || '|' || addr || '|' || left(result, 6) "
                 "FROM lotuswall_auth.audit WHERE what = 'login' ORDER BY 1")
        check("李值班|login|127.0.0.1|failed" in rows and "李值班|login|127.0.0.1|ok" in rows,
              f"the audit table has both logins with the address: {rows!r}")
        wid = wait_for(lambda: next((w["id"] for w in op.api("GET", "warnings")[1]["warnings"]
                                     if w.get("handling") in (None, "", "未处理")), None), 30)
        check(wid, f"the console lists an open warning: {wid}")
        st, doc = op.api("POST", f"warnings/{urllib.parse.quote(wid, safe='')}/ack",
                         {"note": "控制台确认"})
        check(st == 200 and doc["result"], f"ack through the console: {st} {doc}")
        by = q(f"SELECT by FROM lotuswall.warning_actions WHERE warning = $${wid}$$ "
               "ORDER BY id DESC LIMIT 1")
        check(by == "李值班", f"the action is the account's, by the database's word: {by!r}")
        steps = q(f"SELECT string_agg(\"by\", ',') FROM lotuswall.warning_steps "
                  f"WHERE warning = $${wid}$$")
        check("李值班" in steps, f"the warning's trail names the account: {steps!r}")
        audit = q("SELECT count(*) FROM lotuswall_auth.audit WHERE who = '李值班' "
                  "AND what = 'warning.ack'")
        check(audit == "1", f"the audit has the action, once: {audit}")
        viewer = Client(port)
        check(viewer.login("观众", "viewer-pass-1")[0] == 200, "a viewer logs in")
        r = subprocess.run([lw, "user", "disable", "观众", "--db", ""], capture_output=True,
                           text=True, env=dict(os.environ, PGUSER="adm"))
        check(r.returncode == 0, f"user disable: {r.stderr}")
        st, doc = viewer.api("POST", "logout")
        check(st == 401, f"a disabled account's session ends at its next request: {st} {doc}")
        subprocess.run(os.environ["LW_PG_STOP"], shell=True, check=True, capture_output=True)
        st, doc = Client(port).login("李值班", "operator-pass-1")
        check(st in (401, 503), f"no database: the login is refused, not crashed: {st} {doc}")
        check(wall.poll() is None, "the wall lives on without its database")
        subprocess.run(os.environ["LW_PG_START"], shell=True, check=True, capture_output=True)
        check(wait_for(lambda: Client(port).login("李值班", "operator-pass-1")[0] == 200, 30, 1),
              "the database is back: the login works again")
    finally:
        wall.terminate()
        engine.terminate()
        for p in (wall, engine):
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        xvfb.terminate()
finish()
