#!/usr/bin/env python3
"""The console's accounts and who acts on a warning, against a real server
(issue 12; db/migrations/0006-accounts.sql). Runs under tests/pg/with_pg.sh.
- `lotuswall user add|passwd|disable|enable|list --db` by a login in
  lotuswall_admin, with exact messages, never printing a hash; the same with
  --users FILE (0600, refused when others may read it).
- No reader, wall, console or engine login reads lotuswall_auth.accounts or
  lotuswall_auth.audit.
- An operator login cannot forge who acted, the status or the time: the
  columns are not its to fill, and the trigger stamps them.
- The engine refuses actions of an unknown, a disabled and a viewer account
  and records the refusal; the wall's console acts for an account through
  act_as(), which an operator login may not call.
- Fifty manual urges of one warning make one SMS per department, and the
  refused ones say why; the limit is the engine's --urge-limit.
- `lotuswall audit --db` lists the actions with their results; `audit
  --audit FILE` a file's records, --since and --json."""
import json, os, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish, wait_for  # noqa: E402

lw = sys.argv[1]
PW = "a password\n"


def psql(sql, user=None):
    args = ["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql] + (["-U", user] if user else [])
    return subprocess.run(args, capture_output=True, text=True)


def q(sql):
    r = psql(sql)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def run(*args, stdin=None):
    return subprocess.run([lw, *args], input=stdin, capture_output=True, text=True)


def denied(sql, user, what):
    r = psql(sql, user)
    check(r.returncode != 0 and "permission denied" in r.stderr, f"{what}: {r.stdout}{r.stderr}")


q("CREATE ROLE adm LOGIN IN ROLE lotuswall_admin; "
  "CREATE ROLE op1 LOGIN IN ROLE lotuswall_operator; "
  "CREATE ROLE op2 LOGIN IN ROLE lotuswall_operator; "
  "CREATE ROLE wall1 LOGIN IN ROLE lotuswall_reader, lotuswall_console; "
  "CREATE ROLE reader1 LOGIN IN ROLE lotuswall_reader; "
  "CREATE ROLE eng1 LOGIN IN ROLE lotuswall_engine")
ADM = "user=adm"

# ---- user … --db
r = run("user", "add", "张伟", "--role", "operator", "--operator", "张伟", "--db-login", "op1",
        "--password-stdin", "--db", ADM, stdin=PW)
check(r.returncode == 0 and r.stdout == "张伟: added as operator\n", f"user add: {r.stdout}{r.stderr}")
for name, role in (("陈静", "operator"), ("看客", "viewer"), ("李娜", "presenter")):
    r = run("user", "add", name, "--role", role, "--password-stdin", "--db", ADM, stdin=PW)
    check(r.returncode == 0, f"user add {name}: {r.stderr}")
r = run("user", "add", "张伟", "--role", "admin", "--password-stdin", "--db", ADM, stdin=PW)
check(r.returncode == 1 and r.stderr == "lotuswall user add: 张伟: the account exists (lotuswall "
      "user passwd changes its password)\n", f"a taken name: {r.stderr!r}")
r = run("user", "add", "路人", "--role", "operator", "--operator", "路人", "--password-stdin",
        "--db", ADM, stdin=PW)
check(r.returncode == 1 and r.stderr.startswith("lotuswall user add: --operator: 路人: not an "
                                                "operator (operators: 张伟"), f"unknown duty: {r.stderr!r}")
r = run("user", "add", "x", "--role", "admin", "--password-stdin", "--db", ADM, stdin="short\n")
check(r.returncode == 1 and r.stderr == "lotuswall user add: a password has at least 8 "
      "characters\n", f"a short password: {r.stderr!r}")
r = run("user", "add", "x", "--role", "root", "--password-stdin", "--db", ADM, stdin=PW)
check(r.returncode == 2 and "--role root: expected viewer, presenter, operator or admin" in r.stderr,
      f"an unknown role: {r.stderr!r}")
r = run("user", "add", "x", "--role", "admin", "--db", ADM)
check(r.returncode == 2 and r.stderr == "lotuswall user: expected --password-stdin (the password "
      "on standard input, one line)\n", f"no password: {r.stderr!r}")
r = run("user", "passwd", "陈静", "--password-stdin", "--db", ADM, stdin="another password\n")
check(r.returncode == 0 and r.stdout == "陈静: password changed\n", f"passwd: {r.stdout}{r.stderr}")
r = run("user", "passwd", "nobody", "--password-stdin", "--db", ADM, stdin=PW)
check(r.returncode == 1 and r.stderr == "lotuswall user passwd: nobody: no such account\n",
      f"passwd of nobody: {r.stderr!r}")
r = run("user", "list", "--json", "--db", ADM)
rows = json.loads(r.stdout) if r.returncode == 0 else []
check([a["name"] for a in rows] == sorted(["张伟", "陈静", "看客", "李娜"]) and
      rows[[a["name"] for a in rows].index("张伟")]["db_login"] == "op1",
      f"list --json: {r.stdout}{r.stderr}")
check("argon2" not in r.stdout and "hash" not in r.stdout, "the list shows no hash")
check(q("SELECT hash LIKE '$argon2id$%' FROM lotuswall_auth.accounts WHERE name = '陈静'") == "t",
      "the database keeps an argon2id hash")
r = run("user", "list", "--db", "user=wall1")
check(r.returncode == 1 and "permission denied for table accounts" in r.stderr,
      f"the console's login cannot list: {r.stderr}")

# ---- nobody but the admin reads the accounts or the audit
for user in ("reader1", "wall1", "eng1", "op1"):
    for table in ("lotuswall_auth.accounts", "lotuswall_auth.audit"):
        r = psql(f"SELECT count(*) FROM {table}", user)
        check(r.returncode != 0 and "permission denied" in r.stderr, f"{user} reads {table}")
r = psql("SELECT role, hash FROM lotuswall_auth.credential('陈静')", "reader1")
check(r.returncode != 0, "a reader cannot ask for a hash")
r = psql("SELECT hash LIKE '$argon2id$%' FROM lotuswall_auth.credential('陈静')", "wall1")
check(r.returncode == 0 and r.stdout.strip() == "t", f"the console checks a password: {r.stderr}")
denied("INSERT INTO lotuswall_auth.audit (who, what, result, at) VALUES ('x', 'login', 'ok', "
       "'2000-01-01')", "wall1", "the console cannot date an audit record")

# ---- an operator cannot forge who, status or time
denied("INSERT INTO lotuswall.warning_actions (warning, action, by) VALUES ('x#1', 'ack', '市长')",
       "op1", "an operator names who acted")
denied("INSERT INTO lotuswall.warning_actions (warning, action, processed_at, result) VALUES "
       "('x#1', 'ack', now(), 'ok: 已确认')", "op1", "an operator marks its action processed")
denied("INSERT INTO lotuswall.warning_actions (warning, action, created_at) VALUES "
       "('x#1', 'ack', '2000-01-01')", "op1", "an operator dates its action")
denied("UPDATE lotuswall.warning_actions SET by = '市长'", "op1", "an operator rewrites an action")
denied("UPDATE lotuswall.warning_actions SET by = '市长'", "eng1", "the engine rewrites who acted")
denied("SELECT lotuswall_auth.act_as('市长', NULL, 'x#1', 'ack', NULL)", "op1",
       "an operator acts for another account")

# ---- the engine applies and refuses
engine = subprocess.Popen([lw, "engine", "--db", "", "--interval", "1"], stderr=subprocess.DEVNULL)
try:
    wid = wait_for(lambda: q("SELECT id FROM lotuswall.warnings WHERE state = 'firing' "
                             "ORDER BY id LIMIT 1"))
    check(wid, "the engine raised a warning")
    r = run("ack", wid, "--note", "核实中", "--db", "user=op1")
    check(r.returncode == 0 and "ok: 已确认（张伟）" in r.stdout, f"op1 acks as 张伟: {r.stdout}{r.stderr}")
    row = q("SELECT by, db_login, processed_at IS NOT NULL, created_at > now() - interval '1 min' "
            f"FROM lotuswall.warning_actions WHERE warning = '{wid}' ORDER BY id DESC LIMIT 1")
    check(row == "张伟|op1|t|t", f"the row says who, which login, when: {row}")
    check(q(f"SELECT count(*) FROM lotuswall.warning_steps WHERE warning = '{wid}' "
            "AND by = '张伟'") == "1", "the trail shows the account's name")
    r = run("handle", wid, "--db", "user=op2")
    check(r.returncode == 1 and "error: op2: no such account (lotuswall user add)" in r.stderr,
          f"a login without an account is refused: {r.stderr}")
    run("user", "disable", "张伟", "--db", ADM)
    r = run("handle", wid, "--db", "user=op1")
    check(r.returncode == 1 and "error: 张伟: the account is disabled" in r.stderr,
          f"a disabled account is refused: {r.stderr}")
    r = run("user", "enable", "张伟", "--db", ADM)
    check(r.stdout == "张伟: enabled\n", f"enable: {r.stdout}{r.stderr}")
    r = run("handle", wid, "--by", "看客", "--db", "user=wall1")
    check(r.returncode == 1 and "error: 看客: a viewer may not act on warnings" in r.stderr,
          f"a viewer is refused: {r.stderr}")
    r = run("handle", wid, "--by", "陈静", "--db", "user=wall1")
    check(r.returncode == 0 and "处理中（陈静）" in r.stdout, f"the console acts as 陈静: {r.stdout}{r.stderr}")
    check(q("SELECT db_login || ' ' || addr FROM lotuswall.warning_actions ORDER BY id DESC LIMIT 1")
          == "wall1 console", "the console's actions keep the wall's login")
    refused = q("SELECT count(*) FROM lotuswall.warning_actions WHERE result LIKE 'error: %'")
    check(refused == "3", f"the refusals are recorded: {refused}")

    # ---- fifty urges of one warning: one SMS per department
    other = q("SELECT id FROM lotuswall.warnings WHERE state = 'firing' AND id <> "
              f"'{wid}' ORDER BY length(departments) DESC, id LIMIT 1")
    before = int(q("SELECT count(*) FROM lotuswall.urge_outbox"))
    r = psql("INSERT INTO lotuswall.warning_actions (warning, action) SELECT "
             f"'{other}', 'urge' FROM generate_series(1, 50)", "op1")
    check(r.returncode == 0, f"fifty urges queued: {r.stderr}")
    done = wait_for(lambda: q("SELECT count(*) FROM lotuswall.warning_actions WHERE "
                              f"warning = '{other}' AND processed_at IS NULL") == "0", timeout=20)
    check(done, "the engine answered all fifty")
    depts = int(q(f"SELECT count(DISTINCT department) FROM lotuswall.urge_outbox WHERE "
                  f"warning = '{other}' AND idem_key LIKE 'manual:%'"))
    sms = int(q("SELECT count(*) FROM lotuswall.urge_outbox")) - before
    print(f"50 urges → {sms} SMS rows for {depts} department(s)")
    check(depts >= 2 and sms == depts, f"one SMS per department: {sms} rows, {depts} departments")
    oks = q(f"SELECT count(*) FROM lotuswall.warning_actions WHERE warning = '{other}' "
            "AND result LIKE 'ok:%'")
    check(oks == "1", f"one urge went: {oks}")
    why = q(f"SELECT result FROM lotuswall.warning_actions WHERE warning = '{other}' "
            "AND result NOT LIKE 'ok:%' LIMIT 1")
    check(why.startswith("error: urge refused: its departments were urged by hand within 10 min (")
          and why.endswith("one manual urge per warning and department every 10 min"),
          f"a refused urge says why: {why}")
    # the limit is the engine's --urge-limit
    engine.terminate()
    engine.wait(timeout=10)
    engine = subprocess.Popen([lw, "engine", "--db", "", "--interval", "1", "--urge-limit", "3s"],
                              stderr=subprocess.DEVNULL)
    time.sleep(3.2)  # the fifty's urge is older than the limit now
    last = q("SELECT max(id) FROM lotuswall.warning_actions")
    r = psql("INSERT INTO lotuswall.warning_actions (warning, action) SELECT "
             f"'{other}', 'urge' FROM generate_series(1, 2)", "op1")
    wait_for(lambda: q("SELECT count(*) FROM lotuswall.warning_actions WHERE "
                       f"id > {last} AND processed_at IS NULL") == "0", timeout=20)
    results = q(f"SELECT string_agg(left(result, 6), ',' ORDER BY id) FROM "
                f"lotuswall.warning_actions WHERE id > {last}")
    check(results == "ok: 催办,error:", f"--urge-limit 3s: one goes, one waits: {results}")
    check(q(f"SELECT result LIKE '%every 3 s' FROM lotuswall.warning_actions WHERE id > {last} "
            "ORDER BY id DESC LIMIT 1") == "t", "the refusal names the limit")
    time.sleep(3.2)
    r = run("urge", other, "--db", "user=op1")
    check(r.returncode == 0 and "ok: 催办 " in r.stdout, f"after the limit: {r.stdout}{r.stderr}")
finally:
    engine.terminate()
    engine.wait(timeout=10)

# ---- the audit of the database
r = run("audit", "--json", "--db", ADM)
recs = json.loads(r.stdout) if r.returncode == 0 else []
acks = [x for x in recs if x["what"] == "warning.ack" and x["who"] == "张伟"]
check(acks and acks[0]["result"].startswith("ok: 已确认") and acks[0]["db_login"] == "op1" and
      acks[0]["target"] == wid, f"audit: the ack: {acks}")
check(any(x["who"] == "op2" and x["result"].startswith("error: op2: no such account") for x in recs),
      "audit: the refusal of an unknown account")
check(sum(x["what"] == "warning.urge" for x in recs) == 53, "audit: the fifty urges and three more")
r = run("audit", "--since", str(int(time.time()) + 3600), "--db", ADM)
check(r.returncode == 0 and r.stdout == "", f"audit --since the future: {r.stdout}{r.stderr}")
r = run("audit", "--db", "user=wall1")
check(r.returncode == 1 and "permission denied for table audit" in r.stderr,
      f"the console's login cannot read the audit: {r.stderr}")

# ---- a users file and an audit file
tmp = tempfile.mkdtemp()
users = os.path.join(tmp, "users.json")
r = run("user", "add", "王强", "--role", "presenter", "--password-stdin", "--users", users, stdin=PW)
check(r.returncode == 0 and os.stat(users).st_mode & 0o777 == 0o600, f"users file: {r.stderr}")
r = run("user", "add", "刘洋", "--role", "admin", "--operator", "刘洋", "--password-stdin",
        "--users", users, stdin=PW)
r = run("user", "disable", "王强", "--users", users)
check(r.stdout == "王强: disabled\n", f"disable in a file: {r.stdout}{r.stderr}")
r = run("user", "passwd", "刘洋", "--password-stdin", "--users", users, stdin="new password\n")
check(r.returncode == 0, f"passwd in a file: {r.stderr}")
r = run("user", "list", "--users", users)
check(r.stdout == "刘洋              admin      enabled   operator 刘洋\n"
                  "王强              presenter  disabled\n", f"list of a file: {r.stdout!r}")
check("argon2" not in open(users).read() or "argon2id" in open(users).read(), "hashes, not passwords")
check("new password" not in open(users).read(), "no password in the file")
os.chmod(users, 0o644)
r = run("user", "list", "--users", users)
check(r.returncode == 1 and r.stderr == f"lotuswall user list: {users}: mode 0644: anyone but its "
      f"owner may read the accounts' hashes (chmod 600 {users})\n", f"0644 refused: {r.stderr!r}")
audit = os.path.join(tmp, "audit.jsonl")
with open(audit, "w") as f:
    f.write('{"at": "2026-01-01T08:00:00Z", "who": "王强", "addr": "192.0.2.9", "what": "login", '
            '"result": "wrong name or password"}\n')
    f.write('{"at": "2026-01-02T08:00:00Z", "who": "刘洋", "addr": "192.0.2.9", "what": '
            '"control.take", "target": "王强", "result": "ok"}\n')
r = run("audit", "--audit", audit)
check(r.stdout == "2026-01-01T08:00:00Z  王强  192.0.2.9  login  wrong name or password\n"
                  "2026-01-02T08:00:00Z  刘洋  192.0.2.9  control.take 王强  ok\n",
      f"audit of a file: {r.stdout!r}{r.stderr}")
r = run("audit", "--json", "--since", "1767312000", "--audit", audit)  # 2026-01-02T00:00Z
check(r.returncode == 0 and [x["who"] for x in json.loads(r.stdout)] == ["刘洋"],
      f"audit --since --json of a file: {r.stdout}{r.stderr}")
finish()
