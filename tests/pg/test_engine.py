#!/usr/bin/env python3
"""`lotuswall engine` against the server of tests/pg/with_pg.sh, with the demo
rules (rules/demo.json) on the demo data:
- a clean run fires warnings, writes urge_outbox rows and the warnings tables;
- kill -9 at several points (right after start, before and after the COMMIT,
  mid-run) and a database restart: afterwards every idem_key is there once
  and the keys are exactly the clean run's;
- two engines on one database: exactly one leads; kill -9 the leader and the
  other takes over within 5 s (printed);
- a crossing → its urge row (latency printed);
- the reference consumer sends every row once.
The engine logs in as a role that is only IN ROLE lotuswall_engine, so the
grants are tested too."""
import os, signal, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish  # noqa: E402

lw = sys.argv[1]
src = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENGINE_DB = "user=lw_engine1"




def psql(sql):
    return subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


tmp = tempfile.mkdtemp(prefix="lw-engine-")
procs = []


def start(name, env=None):
    log = os.path.join(tmp, f"{name}.log")
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.Popen([lw, "engine", "--db", ENGINE_DB, "--rules",
                          os.path.join(src, "rules/demo.json"), "--interval", "1"],
                         stderr=open(log, "w"), env=e)
    p.log = log
    procs.append(p)
    return p


def log_of(p):
    return open(p.log, encoding="utf-8").read()


def wait_for(pred, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.02)
    return pred()


def kill9(p):
    p.send_signal(signal.SIGKILL)
    p.wait()


def stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        return p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        kill9(p)
        return -1


def keys():
    return psql("SELECT idem_key FROM lotuswall.urge_outbox ORDER BY idem_key").splitlines()


def firing():
    return psql("SELECT id FROM lotuswall.warnings WHERE state = 'firing' ORDER BY id").splitlines()


def settled(p):
    """The engine has written an evaluation with its urges since it started."""
    return "urges due" in log_of(p)


def reset():
    psql("DELETE FROM lotuswall.urge_outbox; DELETE FROM lotuswall_data.warnings; "
         "DELETE FROM lotuswall_data.warning_steps")


psql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lw_engine1') THEN "
     "CREATE ROLE lw_engine1 LOGIN IN ROLE lotuswall_engine; END IF; END $$")
try:
    # ---- a clean run -------------------------------------------------------------------
    p = start("clean")
    check(wait_for(lambda: settled(p), 15), "the engine evaluates and writes")
    clean = keys()
    clean_firing = firing()
    check(len(clean) > 0, f"urge rows in the outbox: {len(clean)}")
    check(len(clean) == len(set(clean)), "every key once")
    check(len(clean_firing) > 0, f"firing warnings in lotuswall.warnings: {len(clean_firing)}")
    steps = int(psql("SELECT count(*) FROM lotuswall.warning_steps WHERE action = 'urge'"))
    check(steps == len(clean), f"one urge step per outbox row ({steps})")
    series = psql("SELECT count(*), max(period) FROM lotuswall.warning_series "
                  "WHERE warning = 'industry-behind-schedule@禹州市#1'")
    check(series == "10|2024-10", f"the warning's indicator over its periods ({series})")
    text = psql("SELECT text FROM lotuswall.urge_outbox ORDER BY id LIMIT 1")
    check(text.startswith("【许昌市经济运行监测】") and "请" in text, f"rendered text: {text}")
    time.sleep(2.5)  # evaluations every second: nothing new
    check(keys() == clean, "later evaluations add nothing")
    check(stop(p) == 0, "SIGTERM stops the engine cleanly")

    # ---- kill -9 at several points, and a database restart ------------------------------
    reset()
    for delay in (0.05, 0.3, 0.8):
        p = start(f"early{delay}")
        time.sleep(delay)
        kill9(p)
    p = start("before-commit", {"LW_ENGINE_FAULT": "before-commit"})
    p.wait(timeout=15)
    check(p.returncode == -signal.SIGKILL, "the fault hook kills the engine before COMMIT")
    check(keys() == [] or set(keys()) <= set(clean), "nothing but clean keys after a kill before COMMIT")
    p = start("after-commit", {"LW_ENGINE_FAULT": "after-commit"})
    p.wait(timeout=15)
    check(sorted(keys()) == clean, "the committed evaluation is complete after a kill after COMMIT")
    p = start("mid-run")
    check(wait_for(lambda: settled(p), 15), "restarted engine writes again")
    time.sleep(1.2)
    kill9(p)
    p = start("restart-db")
    check(wait_for(lambda: settled(p), 15), "engine before the database restart")
    subprocess.run(os.environ["LW_PG_STOP"], shell=True, check=True, capture_output=True)
    time.sleep(1)
    subprocess.run(os.environ["LW_PG_START"], shell=True, check=True, capture_output=True)
    check(wait_for(lambda: log_of(p).count("leader: this engine") >= 2, 30),
          "the engine leads again after the database restart")
    check(wait_for(lambda: log_of(p).count("urges due") >= 2, 15),
          "and evaluates again")
    after = keys()
    check(after == clean, f"after the kills and the restart the keys are the clean run's "
                          f"({len(after)} vs {len(clean)})")
    check(len(after) == len(set(after)), "every key exactly once")
    check(firing() == clean_firing, "the warnings table is the clean run's")
    check(stop(p) == 0, "SIGTERM after the database restart")

    # ---- two engines: one leads, the other takes over -----------------------------------
    a = start("a")
    check(wait_for(lambda: "leader: this engine" in log_of(a), 15), "engine a leads")
    b = start("b")
    check(wait_for(lambda: "standby: another engine leads" in log_of(b), 15), "engine b stands by")
    time.sleep(1.5)
    check("leader: this engine" not in log_of(b), "exactly one leads")
    holders = int(psql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"))
    check(holders == 1, f"one advisory lock held ({holders})")
    t0 = time.monotonic()
    kill9(a)
    took_over = wait_for(lambda: "leader: this engine" in log_of(b), 10)
    failover = time.monotonic() - t0
    check(took_over and failover < 5, f"b takes over within 5 s ({failover:.2f} s)")
    print(f"leader killed (kill -9) → standby leads: {failover * 1000:.0f} ms", flush=True)
    check(wait_for(lambda: "urges due" in log_of(b), 10), "the new leader evaluates")
    check(keys() == clean, "the new leader adds no duplicate")

    # ---- crossing → urge row ------------------------------------------------------------
    lat = []
    for region in psql("SELECT DISTINCT region FROM lotuswall.target_progress "
                       "WHERE indicator = 'industry_va' ORDER BY 1").splitlines():
        prefix = f"industry-behind-schedule:{region}:"
        if any(k.startswith(prefix) for k in keys()):
            continue
        t = psql("UPDATE lotuswall_data.target_progress SET completion_pct = 1 "
                 f"WHERE indicator = 'industry_va' AND region = '{region}' AND period = "
                 "(SELECT max(period) FROM lotuswall_data.target_progress WHERE indicator = "
                 f"'industry_va') RETURNING extract(epoch FROM clock_timestamp())").splitlines()[0]
        ok = wait_for(lambda: any(k.startswith(prefix) for k in keys()), 5)
        check(ok, f"{region}: crossing → urge row")
        if ok:
            ms = float(psql("SELECT extract(epoch FROM min(created_at)) FROM lotuswall.urge_outbox "
                            f"WHERE idem_key LIKE '{prefix}%'")) - float(t)
            lat.append(ms * 1000)
    check(len(lat) > 0, "some instance crossed")
    if lat:
        print(f"crossing committed → urge row (created_at): max {max(lat):.1f} ms over "
              f"{len(lat)} crossings", flush=True)
    total = keys()
    check(stop(b) == 0, "SIGTERM stops the new leader")

    # ---- the reference consumer ---------------------------------------------------------
    cons = [sys.executable, os.path.join(src, "tools/urge_consumer.py"), "--once"]
    out = subprocess.run(cons, check=True, capture_output=True, text=True).stdout.splitlines()
    check(sorted(l.split("\t")[0] for l in out) == total, f"the consumer sends every row ({len(out)})")
    check(psql("SELECT count(*) FROM lotuswall.urge_outbox WHERE sent_at IS NULL OR attempts <> 1")
          == "0", "sent_at and attempts set")
    out = subprocess.run(cons, check=True, capture_output=True, text=True).stdout
    check(out == "", "a second pass sends nothing")
finally:
    for p in procs:
        if p.poll() is None:
            kill9(p)
finish()
