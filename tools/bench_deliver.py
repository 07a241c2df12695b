#!/usr/bin/env python3
"""What `lotuswall deliver` sustains against a gateway on localhost (the test's
receiver, tests/pg/deliver_receiver.py: HMAC verified on every request):
sends per second with one and two workers (2,000 urges to one contact each),
and the time from a committed urge to the gateway having it (30 urges, one
at a time, with a worker waiting on NOTIFY); the exchange push: documents per
second, and a committed indicator change -> the document at the platform
(through the publisher, and as a whole source). Figures: docs/performance.md.
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

# ---- the exchange push (issue 14 part 4) ------------------------------------------------
# documents per second: 300 published documents (the `situation` scene from the demo data,
# as `run --publish-db` writes them) pushed to the platform on localhost, HMAC verified
import glob, statistics  # noqa: E402
pcfg = dict(cfg, exchange={"endpoints": {"city": {"url": rx.url("/platform"),
            "headers": {"Content-Type": "application/json"},
            "sign": {"kind": "hmac-sha256", "header": "X-Signature", "secret_env": "S"}}},
            "sources": ["panels"]})
PCFG = os.path.join(os.path.dirname(CFG), "push.json")
json.dump(pcfg, open(PCFG, "w"))
doc_path = os.path.join(os.path.dirname(CFG), "situation.json")
subprocess.run([lw, "export", "--out", doc_path, "situation"], check=True, capture_output=True)
doc = open(doc_path, encoding="utf-8").read()
n = 300
q(f"INSERT INTO lotuswall.exchange_documents (generation, document) SELECT g, $d${doc}$d$::jsonb "
  f"FROM generate_series(1, {n}) g")
before = len(rx.requests)
t = time.time()
subprocess.run([lw, "deliver", "--db", "", "--config", PCFG, "--once"], env=env, stderr=subprocess.DEVNULL)
dt = time.time() - t
got = [r for r in rx.requests[before:] if r["path"] == "/platform"]
print(f"exchange push: {len(got)} documents of {len(doc) // 1024} KiB in {dt:.2f} s = "
      f"{len(got) / dt:.0f}/s, all signed: {all(r['signed'] for r in got)}")


def median_max(xs):
    return f"median {statistics.median(xs):.0f} ms, max {max(xs):.0f} ms over {len(xs)}"


# committed indicator change -> the document at the platform, two ways:
# (a) through the publisher: `run --publish-db situation` makes a panels document, the worker
#     pushes it; (b) a whole source (indicator_values) the worker collects itself on NOTIFY
q("GRANT lotuswall_engine TO lotuswall")
pub_dir = os.path.join(os.path.dirname(CFG), "pub")
pub = subprocess.Popen([lw, "run", "--db", "", "--cache", pub_dir + ".cache", "--publish", pub_dir,
                        "--publish-db", "situation"], stderr=subprocess.DEVNULL)
scfg = dict(pcfg, exchange=dict(pcfg["exchange"], sources=["panels", "indicator_values"]))
json.dump(scfg, open(PCFG, "w"))
w = subprocess.Popen([lw, "deliver", "--db", "", "--config", PCFG], env=env, stderr=subprocess.DEVNULL)
time.sleep(3)
base = float(q("SELECT value FROM lotuswall_data.indicator_values WHERE region_code = '411000' "
               "AND indicator = 'gdp' AND period = '2024-09'"))


def gdp_in(r):
    d = r["text"]
    if "scenes" in d:
        return [p["rows"][0]["value"] for s in d["scenes"] for p in s["panels"]
                if p["id"] == "gdp" and p.get("rows")]
    return [x["value"] for x in d["rows"] if x.get("region_code") == "411000"
            and x.get("indicator") == "gdp" and x.get("period") == "2024-09"]


lat = {"panels": [], "indicator_values": []}
for i in range(1, 21):
    want = round(base + i, 2)
    before = len(rx.requests)
    t = time.monotonic()
    q(f"UPDATE lotuswall_data.indicator_values SET value = {want} WHERE region_code = '411000' "
      "AND indicator = 'gdp' AND period = '2024-09'")
    seen = {}
    while len(seen) < 2 and time.monotonic() - t < 10:
        for r in rx.requests[before:]:
            if r["path"] == "/platform" and r["recipient"] not in seen and want in gdp_in(r):
                seen[r["recipient"]] = (time.monotonic() - t) * 1000
        time.sleep(0.002)
    for k, v in seen.items():
        lat[k].append(v)
    time.sleep(0.3)
w.terminate(); w.wait()
pub.terminate(); pub.wait()
print("psql's own start-up is included (about 20-40 ms)")
print(f"indicator committed -> panels document at the platform (publisher + worker): {median_max(lat['panels'])}")
print(f"indicator committed -> whole-source document at the platform (worker): {median_max(lat['indicator_values'])}")
