#!/usr/bin/env python3
"""The delivery worker's memory over a long run (issue 14: "the worker's RSS
over a one-hour run"), against a PostgreSQL of its own (tests/pg/with_pg.sh)
and the tests' gateway and platform on localhost (tests/pg/deliver_receiver.py,
every signature verified, every receipt polled answers DELIVRD).
A feeder commits, every second, one urge (fanned out to two contacts) and a
change of an indicator (the whole source indicator_values is pushed), and
every 5 s a published panels document; `lotuswall deliver --http` runs all the
while. Every 30 s the worker's VmRSS (/proc/PID/status) goes to OUT/rss.tsv;
at the end OUT/summary.txt has start, max and end RSS and what was received.
  usage: bash tools/soak_deliver.sh [SECONDS] [OUT]   (default 3600, /tmp/lw-soak)"""
import json, os, signal, subprocess, sys, time, urllib.request
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests/pg"))
from deliver_receiver import Receiver  # noqa: E402

lw, seconds, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(out, exist_ok=True)


class Delivered(dict):
    """Every polled receipt says the message arrived."""
    def get(self, key, default=None):
        return "DELIVRD"


rx = Receiver("soak")
rx.statuses = Delivered()
sign = {"kind": "hmac-sha256", "header": "X-Signature", "secret_env": "LW_SOAK_SECRET"}
cfg = {"kind": "deliver", "version": 1, "retention_s": 600,
       "channels": {"sms": {"url": rx.url("/sms"), "sign": sign,
                            "body": '{"to": "{recipient}", "text": "{text}", "key": "{key}"}',
                            "status": {"url": rx.url("/status?key={key}"), "field": "status",
                                       "delivered": "DELIVRD", "failed": "UNDELIV",
                                       "interval_ms": 1000}}},
       "exchange": {"endpoints": {"city": {"url": rx.url("/platform"), "sign": sign,
                                           "headers": {"Content-Type": "application/json"}}},
                    "sources": ["panels", "warnings", "warning_steps", "urges", "appeals",
                                "indicator_values"]}}
cfg_path = os.path.join(out, "deliver.json")
json.dump(cfg, open(cfg_path, "w"))


def q(sql):
    return subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


q("INSERT INTO lotuswall_deliver.contacts (department, person, phone) VALUES "
  "('发改委', '王强', '13812345678'), ('发改委', '赵敏', '13900001111')")
doc_path = os.path.join(out, "situation.json")
subprocess.run([lw, "export", "--out", doc_path, "situation"], check=True, capture_output=True)
panel_doc = open(doc_path, encoding="utf-8").read()
http_port = rx.port + 1 if rx.port < 65000 else rx.port - 1
worker = subprocess.Popen([lw, "deliver", "--db", "", "--config", cfg_path,
                           "--http", f"127.0.0.1:{http_port}"],
                          env=dict(os.environ, LW_SOAK_SECRET="soak"),
                          stderr=open(os.path.join(out, "worker.log"), "w"))
counts = {"sends": 0, "documents": 0, "unsigned": 0}


def drain():
    """Counts what the receiver got and forgets it, so the receiver stays small."""
    with rx.lock:
        got, rx.requests[:] = list(rx.requests), []
        rx.polls.clear()
    counts["sends"] += sum(1 for r in got if r["path"] == "/sms" and r["answered"])
    counts["documents"] += sum(1 for r in got if r["path"] == "/platform" and r["answered"])
    counts["unsigned"] += sum(1 for r in got if not r["signed"])


def rss_kib():
    for line in open(f"/proc/{worker.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


rss_log = open(os.path.join(out, "rss.tsv"), "w")
rss_log.write("seconds\tvmrss_kib\tsends\tdocuments\n")
samples = []
t0 = time.monotonic()
next_sample = t0 + 5
i = 0
while time.monotonic() - t0 < seconds and worker.poll() is None:
    i += 1
    q("INSERT INTO lotuswall.urge_outbox (idem_key, warning, rule, instance, department, step, "
      f"text) VALUES ('soak-{i}', 'w:soak', 'r', 'i', '发改委', 1, '催办 {i}'); "
      f"UPDATE lotuswall_data.indicator_values SET value = value + 0.01 "
      "WHERE region_code = '411000' AND indicator = 'gdp' AND period = '2024-09'")
    if i % 5 == 0:
        q("WITH ins AS (INSERT INTO lotuswall.exchange_documents (generation, document) "
          f"VALUES ({i}, $d${panel_doc}$d$) RETURNING id) "
          "SELECT pg_notify('lotuswall_exchange', id::text) FROM ins")
    if time.monotonic() >= next_sample:
        drain()
        samples.append(rss_kib())
        rss_log.write(f"{time.monotonic() - t0:.0f}\t{samples[-1]}\t{counts['sends']}\t"
                      f"{counts['documents']}\n")
        rss_log.flush()
        next_sample += 30
    time.sleep(1)
time.sleep(5)
drain()
samples.append(rss_kib() if worker.poll() is None else 0)
metrics = urllib.request.urlopen(f"http://127.0.0.1:{http_port}/metrics", timeout=5).read()
open(os.path.join(out, "metrics.txt"), "wb").write(metrics)
worker.send_signal(signal.SIGTERM)
worker.wait(timeout=30)
summary = (f"{time.monotonic() - t0:.0f} s, {i} urges and indicator changes committed\n"
           f"worker VmRSS: start {samples[0]} KiB, max {max(samples)} KiB, "
           f"end {samples[-1]} KiB over {len(samples)} samples\n"
           f"received: {counts['sends']} sends, {counts['documents']} documents, "
           f"{counts['unsigned']} unsigned\n"
           f"deliveries: {q('SELECT state, count(*) FROM lotuswall_deliver.deliveries GROUP BY 1 ORDER BY 1')}\n")
open(os.path.join(out, "summary.txt"), "w").write(summary)
print(summary, end="")
