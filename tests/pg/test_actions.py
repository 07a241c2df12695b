#!/usr/bin/env python3
"""Operators act on warnings through the database: `lotuswall ack|handle|
resolve|urge ID --by ACCOUNT --db` queue an action that the leading engine
applies in its next transaction and answers; a manual urge (一键催办) writes
the outbox rows of the rule's departments. The same from the wall's keys
(under Xvfb): ↓ selects a warning, u urges it, h marks it 处理中 — through
the engine, without the render loop waiting. Runs under tests/pg/with_pg.sh."""
import json, os, signal, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish, press, start_xvfb, wait_for  # noqa: E402

lw = sys.argv[1]


def psql(sql):
    return subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def act(*args):
    return subprocess.run([lw, *args, "--db", ""], capture_output=True, text=True)


# the operators' accounts (docs/operations.md): the engine refuses anyone else
for name in ("张伟", "李娜", "陈静"):
    r = subprocess.run([lw, "user", "add", name, "--role", "operator", "--operator", name,
                        "--password-stdin", "--db", ""], input="a password\n",
                       capture_output=True, text=True)
    check(r.returncode == 0, f"user add {name}: {r.stderr}")

engine = subprocess.Popen([lw, "engine", "--db", "", "--interval", "1"], stderr=subprocess.DEVNULL)
try:
    wid = ""
    for _ in range(100):
        wid = psql("SELECT id FROM lotuswall.warnings WHERE state = 'firing' AND rule = "
                   "'industry-behind-schedule' ORDER BY id LIMIT 1")
        if wid:
            break
        time.sleep(0.1)
    check(wid, "the engine raised a warning to act on")
    t0 = time.monotonic()
    r = act("ack", wid, "--by", "张伟", "--note", "已安排核实")
    took = (time.monotonic() - t0) * 1000
    check(r.returncode == 0 and "ok: 已确认（张伟）" in r.stdout, f"ack: {r.returncode} {r.stdout}{r.stderr}")
    print(f"ack answered by the engine in {took:.0f} ms")
    check(psql(f"SELECT handling FROM lotuswall.warnings WHERE id = '{wid}'") == "已确认",
          "the warnings table shows it acknowledged")
    check(psql(f"SELECT count(*) FROM lotuswall.warning_steps WHERE warning = '{wid}' "
               "AND action = 'acknowledged' AND by = '张伟'") == "1", "the step is in the trail")
    r = act("resolve", wid, "--by", "李娜")
    check(r.returncode == 0 and "ok:" in r.stdout, f"resolve: {r.stdout}{r.stderr}")
    r = act("ack", wid, "--by", "李娜")
    check(r.returncode == 1 and "lotuswall: error:" in r.stderr, f"a step back is refused: {r.stderr}")
    other = psql("SELECT id FROM lotuswall.warnings WHERE state = 'firing' AND handling = '未处理' "
                 "ORDER BY id LIMIT 1")
    r = act("urge", other, "--by", "陈静")
    check(r.returncode == 0 and "ok: 催办 " in r.stdout, f"urge: {r.stdout}{r.stderr}")
    rows = int(psql(f"SELECT count(*) FROM lotuswall.urge_outbox WHERE warning = '{other}' "
                    "AND idem_key LIKE 'manual:%'"))
    check(rows >= 1, f"manual urges in the outbox: {rows}")
    r = act("ack", "no-such-rule#1", "--by", "张伟")
    check(r.returncode == 1 and "is not open" in r.stderr, f"unknown warning: {r.stderr}")
    r = act("ack", wid, "--by", "路人")
    check(r.returncode == 1 and "error: 路人: no such account (lotuswall user add)" in r.stderr,
          f"an unknown account is refused by the engine: {r.stderr}")

    # ---- the wall's keys, through the same engine
    xvfb, display = start_xvfb()
    tmp = tempfile.mkdtemp()
    status = os.path.join(tmp, "status.json")
    wall = subprocess.Popen([lw, "run", "--db", "", "--operator", "陈静", "--status", status,
                             "--windowed", "1280x720", "warnings"],
                            env=dict(os.environ, DISPLAY=display), stderr=subprocess.PIPE, text=True)
    try:
        st = lambda: json.load(open(status))
        check(wait_for(lambda: st()["frames"] >= 1), "the wall shows the warnings scene")
        # the wall's warnings table comes from the database: wait until it has arrived
        wait_for(lambda: st()["sources"]["warnings"]["version"] > 0)
        press(display, "Down")
        sel = wait_for(lambda: st()["selected"], timeout=5)
        check(sel, "↓ selects a warning")
        before = int(psql(f"SELECT count(*) FROM lotuswall.urge_outbox WHERE warning = '{sel}' "
                          "AND idem_key LIKE 'manual:%'"))
        press(display, "u")
        done = wait_for(lambda: st()["last_action"].startswith("urge ok: 催办"), timeout=15)
        check(done, f"u: 一键催办 answered: {st()['last_action']!r}")
        after = int(psql(f"SELECT count(*) FROM lotuswall.urge_outbox WHERE warning = '{sel}' "
                         "AND idem_key LIKE 'manual:%'"))
        check(after > before, f"the wall's urge is in the outbox ({before} → {after} rows)")
        steps = wait_for(lambda: psql(f"SELECT count(*) FROM lotuswall.warning_steps WHERE "
                                      f"warning = '{sel}' AND note LIKE '一键催办 · 陈静%'") != "0")
        check(steps, "the trail shows who urged")
        press(display, "h")
        check(wait_for(lambda: st()["last_action"].startswith("handle ok: 处理中（陈静）"), timeout=15),
              f"h: handling answered: {st()['last_action']!r}")
        check(wait_for(lambda: psql(f"SELECT handling FROM lotuswall.warnings WHERE id = '{sel}'")
                       == "处理中"), "the warnings table shows it 处理中")
    finally:
        wall.send_signal(signal.SIGTERM)
        _, err = wall.communicate(timeout=15)
        check(wall.returncode == 0, f"the wall exits cleanly: {wall.returncode} {err[-500:]}")
        xvfb.terminate()
        xvfb.wait()
finally:
    engine.send_signal(signal.SIGTERM)
    engine.wait(timeout=10)
finish()
