#!/usr/bin/env python3
"""What `lotuswall deliver` sustains against a gateway on localhost (the test's
receiver, tests/pg/deliver_receiver.py: HMAC verified on every request):
sends per second with one and two workers (2,000 urges to one contact each),
and the time from a committed urge to the gateway having it (30 urges, one
at a time, with a worker waiting on NOTIFY). Figures: docs/performance.md.
  usage: bash tests/pg/with_pg.sh build/lotuswall python3 tools/bench_deliver.py build/lotuswall"""
import json, os, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests/pg"))
from deliver_receiver import Receiver
lw = sys.argv[1]
rx = Receiver("s")
cfg = {"kind": "deliver", "version": 1, "channels": {"sms": {"url": rx.url("/sms"),
       "body": '{"to": "{recipient}", "text": "{text}", "key": "{key}"}',
       "sign": {"kind": "hmac-sha256", "header": "X-Signature", "secret_env": "S"}}}}
CFG = os.path.join(tempfile.mkdtemp(prefix="lw-bench-deliver-"), "deliver.json")
json.dump(cfg, open(CFG, "w"))
env = dict(os.environ, S="s")
def q(sql): return subprocess.run(["psql", "-XAtq", "-c", sql], check=True, capture_output=True, text=True).stdout
q("INSERT INTO lotuswall_deliver.contacts (department, person, phone) VALUES ('d', 'p', '13812345678')")
for workers in (1, 2):
    n = 2000
    q(f"INSERT INTO lotuswall.urge_outbox (idem_key, warning, rule, instance, department, step, text) "
      f"SELECT 'b{workers}-' || g, 'w', 'r', 'i', 'd', 1, '催办 ' || g FROM generate_series(1, {n}) g")
    before = len(rx.requests)
    t = time.time()
    ps = [subprocess.Popen([lw, "deliver", "--db", "", "--config", CFG, "--once"], env=env, stderr=subprocess.DEVNULL) for _ in range(workers)]
    for p in ps: p.wait()
    dt = time.time() - t
    got = len(rx.requests) - before
    print(f"{workers} worker(s): {got} sends in {dt:.2f} s = {got/dt:.0f}/s, all signed: {all(r['signed'] for r in rx.requests)}")
# latency: a committed urge -> the gateway has it, with a worker waiting on NOTIFY
w = subprocess.Popen([lw, "deliver", "--db", "", "--config", CFG], env=env, stderr=subprocess.DEVNULL)
time.sleep(1)
lat = []
psql_ms = []
for i in range(30):
    before = len(rx.requests)
    t = time.time()
    q(f"INSERT INTO lotuswall.urge_outbox (idem_key, warning, rule, instance, department, step, text) VALUES ('lat-{i}', 'w', 'r', 'i', 'd', 1, 'x')")
    t_done = time.time()
    while len(rx.requests) == before and time.time() - t < 10:
        time.sleep(0.001)
    lat.append((time.time() - t) * 1000)
    psql_ms.append((t_done - t) * 1000)
    time.sleep(0.1)
w.terminate(); w.wait()
lat.sort()
psql_ms.sort()
print(f"psql itself (start, insert, commit, exit): median {psql_ms[len(psql_ms)//2]:.1f} ms")
print(f"urge committed -> gateway has it: median {lat[len(lat)//2]:.1f} ms, max {lat[-1]:.1f} ms over {len(lat)} (includes psql start-up)")
