#!/usr/bin/env python3
"""Walls that read a hot-standby replica (issue 15, part 5), against the
server of tests/pg/with_pg.sh and a real streaming replica of it made here
with pg_basebackup. A standby refuses LISTEN, so a wall there:
- without --db-notify asks lotuswall.source_versions each second, and a row
  updated on the primary reaches its published document (≤ 3 s);
- with --db-notify PRIMARY hears the NOTIFY on the primary and asks the
  replica until it has replayed the change (≤ 1 s here, the median printed);
- with --db-notify none (a transaction-mode pooler, which loses NOTIFYs)
  asks the versions each second too, here on the primary.
No wall logs a LISTEN error, and a wall on the replica follows the replica
stopped (immediate) and started again."""
import glob, json, os, signal, statistics, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish, wait_until  # noqa: E402

lw = sys.argv[1]
bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
sock, port = os.environ["PGHOST"], os.environ["PGPORT"]


def psql(sql, p=port):
    return subprocess.run(["psql", "-XAtq", "-p", str(p), "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    n = s.getsockname()[1]
    s.close()
    return n


def gdp_value(path):
    doc = json.load(open(path, encoding="utf-8"))
    panel = next(p for p in doc["scenes"][0]["panels"] if p["id"] == "gdp")
    return panel["rows"][0]["value"]


standby = os.path.join(sock, "standby")  # the primary's folder belongs to its server's user
port2 = free_port()
ctl = as_pg + [os.path.join(bindir, "pg_ctl"), "-D", standby, "-l", standby + ".log"]
start = ctl + ["-w", "-o", f"-p {port2} -k {sock} -c listen_addresses=", "start"]
subprocess.run(as_pg + [os.path.join(bindir, "pg_basebackup"), "-h", sock, "-p", port, "-U", "lotuswall",
                        "-D", standby, "-R", "-X", "stream", "-c", "fast"], check=True)
subprocess.run(start, check=True, capture_output=True)
check(psql("SELECT pg_is_in_recovery()", port2) == "t", "the replica is a hot standby")

SET = ("UPDATE lotuswall_data.indicator_values SET value = {v} WHERE region_code = '411000' "
       "AND indicator = 'gdp' AND period = '2024-09'")
base = float(psql("SELECT value FROM lotuswall_data.indicator_values WHERE region_code = '411000' "
                  "AND indicator = 'gdp' AND period = '2024-09'"))
step = [0]


def publisher(tmp, name, db, notify=None):
    out = os.path.join(tmp, name)
    args = [lw, "run", "--db", db, "--cache", os.path.join(tmp, "cache-" + name), "--publish", out]
    if notify is not None:
        args += ["--db-notify", notify]
    log = open(os.path.join(tmp, name + ".log"), "w+")
    proc = subprocess.Popen(args + ["gdp"], stderr=log, text=True)
    docs = lambda: sorted(glob.glob(os.path.join(out, "exchange-*.json")))  # noqa: E731
    deadline = time.time() + 15
    while not docs() and time.time() < deadline:
        time.sleep(0.02)
    check(docs(), f"{name}: a first document")
    return proc, docs, log


def updates(name, docs, n, limit_s):
    """n updates on the primary; each must reach the document within limit_s."""
    took = []
    for _ in range(n):
        step[0] += 1
        want = round(base + step[0], 2)
        count, t0 = len(docs()), time.monotonic()
        psql(SET.format(v=want))
        seen = wait_until(lambda: len(docs()) > count and gdp_value(docs()[-1]) == want, limit_s)
        took.append((time.monotonic() - t0) * 1000)
        check(seen, f"{name}: the update to {want} reaches the document within {limit_s} s")
    print(f"{name}: update on the primary → document: median {statistics.median(took):.0f} ms, "
          f"max {max(took):.0f} ms ({n} updates)")


def stop(name, proc, log):
    proc.send_signal(signal.SIGTERM)
    check(proc.wait(timeout=20) == 0, f"{name}: exits cleanly")
    log.seek(0)
    text = log.read()
    check("LISTEN" not in text, f"{name}: no LISTEN error: {text[-400:]}")
    return text


replica = f"port={port2}"
primary = f"port={port}"
try:
    with tempfile.TemporaryDirectory() as tmp:
        proc, docs, log = publisher(tmp, "standby-alone", replica)
        updates("replica, versions each second", docs, 3, 3)
        # the replica stopped and started again: the wall reconnects and follows
        subprocess.run(ctl + ["-m", "immediate", "stop"], check=True, capture_output=True)
        time.sleep(1)
        subprocess.run(start, check=True, capture_output=True)
        updates("replica after its restart", docs, 1, 15)
        text = stop("standby-alone", proc, log)
        check("hot standby" in text, "the wall says it asks the versions on a hot standby")

        proc, docs, log = publisher(tmp, "standby-notify", replica, primary)
        updates("replica + --db-notify primary", docs, 5, 1)
        stop("standby-notify", proc, log)

        proc, docs, log = publisher(tmp, "pooler", "", "none")
        updates("--db-notify none", docs, 2, 3)
        stop("pooler", proc, log)
finally:
    subprocess.run(ctl + ["-m", "immediate", "stop"], capture_output=True)
finish()
