#!/usr/bin/env python3
"""Operators act on warnings through the database: `lotuswall ack|handle|
resolve|urge ID --by NAME --db` queue an action that the leading engine
applies in its next transaction and answers; a manual urge (一键催办) writes
the outbox rows of the rule's departments. Runs under tests/pg/with_pg.sh."""
import os, signal, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish  # noqa: E402

lw = sys.argv[1]


def psql(sql):
    return subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def act(*args):
    return subprocess.run([lw, *args, "--db", ""], capture_output=True, text=True)


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
    check(r.returncode == 0 and "ok: 已确认 by 张伟" in r.stdout, f"ack: {r.returncode} {r.stdout}{r.stderr}")
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
    check(r.returncode == 0 and "ok: urged" in r.stdout, f"urge: {r.stdout}{r.stderr}")
    rows = int(psql(f"SELECT count(*) FROM lotuswall.urge_outbox WHERE warning = '{other}' "
                    "AND idem_key LIKE 'manual:%'"))
    check(rows >= 1, f"manual urges in the outbox: {rows}")
    r = act("ack", "no-such-rule#1", "--by", "张伟")
    check(r.returncode == 1 and "is not open" in r.stderr, f"unknown warning: {r.stderr}")
    r = act("ack", wid, "--by", "路人")
    check(r.returncode == 1 and "not an operator (operators: 张伟" in r.stderr, f"unknown operator: {r.stderr}")
finally:
    engine.send_signal(signal.SIGTERM)
    engine.wait(timeout=10)
finish()
