#!/usr/bin/env python3
"""The exchange push of `lotuswall deliver` (issue 14 part 4) against a real
server (tests/pg/with_pg.sh) and a platform of the test's own
(deliver_receiver.py, /platform: HMAC verified on every request), as a login
of the lotuswall_deliver role:
- whole sources (warnings, warning_steps, urges with receipts, appeals) and
  the published documents (panels) arrive, valid against
  docs/exchange.schema.json;
- the platform answers 500, answers after the timeout, drops connections,
  and is down for a while: afterwards every warning document has arrived in
  order, each key's copies are the same document, every signature held; of a
  coalescing source the newest arrived and every one missing is counted in
  /metrics;
- a worker killed with -9 mid-send loses no document;
- the receipt callback, and a receipt polled from the gateway's status URL,
  turn an urge's 一键催办 entry into 已送达 in the urges document the platform
  receives;
- a mapping file renames the fields and puts the document in an envelope;
- retention prunes finished rows of closed episodes, never an open one's."""
import json, os, signal, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lwcheck import check, finish  # noqa: E402
from deliver_receiver import Receiver  # noqa: E402
import jsonschema  # noqa: E402

lw = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SECRET = "platform-secret"
RECEIPT_SECRET = "receipts-secret"
tmp = tempfile.mkdtemp(prefix="lw-push-")
schema = json.load(open(os.path.join(ROOT, "docs/exchange.schema.json"), encoding="utf-8"))


def q(sql):
    r = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(r.stderr)
    return r.stdout.strip()


rx = Receiver(SECRET)


def write_config(name, **extra):
    cfg = {
        "kind": "deliver", "version": 1, "backoff_ms": 40, "backoff_max_ms": 150,
        "receipts": {"secret_env": "LW_TEST_RECEIPT_SECRET"},
        "channels": {"sms": {"url": rx.url("/sms"), "timeout_ms": 400,
                             "body": '{"to": "{recipient}", "text": "{text}", "key": "{key}"}',
                             "sign": {"kind": "hmac-sha256", "header": "X-Signature",
                                      "secret_env": "LW_TEST_SECRET"},
                             "status": {"url": rx.url("/status?key={key}"), "field": "status",
                                        "delivered": "DELIVRD", "failed": "UNDELIV",
                                        "interval_ms": 100, "timeout_ms": 400}}},
        "exchange": {
            "endpoints": {"city": {"url": rx.url("/platform"), "timeout_ms": 400,
                                   "headers": {"Content-Type": "application/json"},
                                   "sign": {"kind": "hmac-sha256", "header": "X-Signature",
                                            "secret_env": "LW_TEST_SECRET"},
                                   "success": {"status": 200}}},
            "sources": ["panels", "warnings", "warning_steps", "urges", "appeals"],
            "max_attempts": 100},
    }
    for k, v in extra.items():
        if k in cfg["exchange"] or k == "mapping":
            cfg["exchange"][k] = v
        else:
            cfg[k] = v
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        json.dump(cfg, f)
    return path


CFG = write_config("deliver.json")
env = dict(os.environ, LW_TEST_SECRET=SECRET, LW_TEST_RECEIPT_SECRET=RECEIPT_SECRET)
q("CREATE ROLE worker LOGIN IN ROLE lotuswall_deliver")


def deliver(*extra, cfg=CFG, wait=True):
    args = [lw, "deliver", "--db", "user=worker", "--config", cfg, *extra]
    if not wait:
        return subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True)
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)


def set_warning(state, value):
    """What the engine does: replaces the warnings table."""
    q("DELETE FROM lotuswall_data.warnings; INSERT INTO lotuswall_data.warnings "
      "(id, rule, instance, state, value) VALUES ('gdp@411000#1', 'gdp', '411000', "
      f"'{state}', {value})")


def received(source, only_answered=True):
    return [x for x in rx.requests if x["path"] == "/platform" and x["recipient"] == source
            and (x["answered"] or not only_answered)]


def settled():
    return q("SELECT count(*) FROM lotuswall_deliver.exchange_outbox "
             "WHERE state IN ('pending', 'failed')") == "0"


# ---- a first run: every source arrives, valid -------------------------------------
subprocess.run([lw, "export", "--out", os.path.join(tmp, "panels.json"), "situation"],
               check=True, capture_output=True, timeout=60)
panel_doc = open(os.path.join(tmp, "panels.json"), encoding="utf-8").read()


def publish(generation):
    """What `run --publish-db` does (src/output/publish.c)."""
    q("WITH ins AS (INSERT INTO lotuswall.exchange_documents (generation, document) "
      f"VALUES ({generation}, $d${panel_doc}$d$) RETURNING id) "
      "SELECT pg_notify('lotuswall_exchange', id::text) FROM ins")


publish(1)
set_warning("firing", 1)
r = deliver("--once")
check(r.returncode == 0, f"deliver --once: {r.returncode} {r.stderr[-1500:]}")
for source in ("panels", "warnings", "warning_steps", "urges", "appeals"):
    got = received(source)
    check(len(got) == 1, f"{source}: one document arrived ({len(got)})")
    for x in got:
        try:
            jsonschema.validate(x["text"], schema)
        except jsonschema.ValidationError as e:
            check(False, f"{source}: the document is valid against the schema: {e.message}")
check(received("appeals")[0]["text"]["source"]["count"] ==
      int(q("SELECT count(*) FROM lotuswall.appeals")), "appeals: every row, not a panel's")
check(received("panels")[0]["key"] == "panels:1" and received("warnings")[0]["key"] == "warnings:1",
      "keys: panels:<document id>, <source>:<sequence>")
r = deliver("--once")
check(len([x for x in rx.requests if x["path"] == "/platform"]) == 5,
      "nothing changed: nothing sent again")

# ---- faults, and the platform down while documents pile up -------------------------
port = None
import socket  # noqa: E402
with socket.socket() as so:
    so.bind(("127.0.0.1", 0))
    port = so.getsockname()[1]
rx.slow = 0.6
rx.faults = ["500", "slow", "drop", "500"]
w = deliver("--http", f"127.0.0.1:{port}", wait=False)
time.sleep(0.3)
rx.down = True
for i in range(2, 6):   # four more warning documents, four more appeals and panels
    set_warning("firing", i)
    q(f"UPDATE lotuswall_data.appeals SET days_open = days_open + 1 WHERE _row = {i}")
    publish(i)
    time.sleep(0.25)
time.sleep(0.3)
down_requests = len(rx.requests)
rx.down = False
t0 = time.time()
while not settled() and time.time() - t0 < 20:
    time.sleep(0.1)
print(f"after recovery: settled in {time.time() - t0:.1f} s, {len(rx.requests)} requests")
check(settled(), "after recovery the outbox is empty")


def metrics():
    import urllib.request
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
        return resp.read().decode()


m = metrics()
w.terminate()
check(w.wait(timeout=10) == 0, "deliver ends on SIGTERM")
worker_log = w.stderr.read()
check(down_requests > 5, f"the platform was asked while it was down ({down_requests})")
platform = [x for x in rx.requests if x["path"] == "/platform"]
check(all(x["signed"] for x in platform), "every signature verified")
check(all(x["key"] for x in platform), "every request carries its key")
by_key = {}
for x in platform:
    by_key.setdefault(x["key"], []).append(x["text"])
check(all(all(d == docs[0] for d in docs) for docs in by_key.values()),
      "duplicates carry the same key and the same document")
check(any(len(v) > 1 for v in by_key.values()), "the faults made duplicates")
wseq = [x["text"]["source"]["sequence"] for x in received("warnings")]
check(wseq == list(range(1, len(wseq) + 1)) and len(wseq) >= 5,
      f"warnings: every document arrived, in order, none coalesced: {wseq} {worker_log[-1500:]}")
check(received("warnings")[-1]["text"]["rows"][0]["value"] == 5, "… the last is the newest")
for source, last in (("appeals", None), ("panels", None)):
    keys = {x["key"] for x in received(source)}
    made = int(q(f"SELECT seq FROM lotuswall_deliver.exchange_sources WHERE name = '{source}'"))
    total = made if source == "appeals" else int(q("SELECT count(*) FROM lotuswall.exchange_documents"))
    dropped = int(q(f"SELECT dropped FROM lotuswall_deliver.exchange_sources WHERE name = '{source}'"))
    newest = f"appeals:{made}" if source == "appeals" else f"panels:{made}"
    check(newest in keys, f"{source}: the newest document arrived ({newest})")
    check(len(keys) + dropped == total and dropped > 0,
          f"{source}: {len(keys)} received + {dropped} coalesced = {total} made")
    check(f'lotuswall_exchange_dropped_total{{source="{source}"}} {dropped}' in m,
          f"{source}: /metrics counts the dropped ones: {m}")
    seqs = [int(x["key"].split(":")[1]) for x in received(source)]
    check(seqs == sorted(seqs), f"{source}: in order: {seqs}")

# ---- kill -9 mid-send -------------------------------------------------------------
rx.delay = 0.25
before = len(rx.requests)
made_before = int(q("SELECT seq FROM lotuswall_deliver.exchange_sources WHERE name = 'warnings'"))
# the documents are made by a running worker as the data changes; kill it mid-send
for round_ in range(3):
    w = deliver(wait=False)
    set_warning("firing", 6 + round_)
    n0 = len(rx.requests)
    deadline = time.time() + 10
    while len(rx.requests) == n0 and time.time() < deadline:
        time.sleep(0.01)
    time.sleep(0.05 * round_)
    w.send_signal(signal.SIGKILL)
    w.wait()
rx.delay = 0.0
r = deliver("--once")
made = int(q("SELECT seq FROM lotuswall_deliver.exchange_sources WHERE name = 'warnings'"))
got = {x["key"] for x in received("warnings")}
want = {f"warnings:{s}" for s in range(1, made + 1)}
check(made > made_before and got == want,
      f"after kill -9 every warning document arrived: missing {sorted(want - got)}")

# ---- the receipt callback turns the 一键催办 entry into 已送达 ---------------------------
q("INSERT INTO lotuswall_deliver.contacts (department, person, phone) "
  "VALUES ('发改委', '王强', '13812345678')")
q("INSERT INTO lotuswall.urge_outbox (idem_key, warning, rule, instance, department, step, "
  "text, channel) VALUES ('gdp:411000:1:发改委:0', 'gdp@411000#1', 'gdp', '411000', '发改委', 0, "
  "'请尽快处理', 'SMS01'), ('gdp:411000:1:发改委:1', 'gdp@411000#1', 'gdp', '411000', '发改委', 1, "
  "'第二次催办', 'SMS01')")
w = deliver("--http", f"127.0.0.1:{port}", wait=False)
try:
    def urge_receipt(step=0):
        docs = received("urges")
        rows = docs[-1]["text"]["rows"] if docs else []
        return [u["receipt"] for u in rows if u["key"] == f"gdp:411000:1:发改委:{step}"]
    t0 = time.time()
    while urge_receipt() != ["已发送"] and time.time() - t0 < 10:
        time.sleep(0.05)
    check(urge_receipt() == ["已发送"], f"the urge sent: 已发送 in the urges document: "
                                        f"{urge_receipt()}")
    # receipts by polling the gateway's status URL
    sms_keys = {x["key"] for x in rx.requests if x["path"] == "/sms"}
    key2 = [k for k in sms_keys if k.startswith("gdp:411000:1:发改委:1:")][0]
    t0 = time.time()
    while key2 not in rx.polls and time.time() - t0 < 10:
        time.sleep(0.05)
    check(urge_receipt(1) == ["已发送"] and key2 in rx.polls,
          f"the status URL is polled; PENDING leaves the urge 已发送: {urge_receipt(1)}")
    rx.statuses[key2] = "DELIVRD"
    t0 = time.time()
    while urge_receipt(1) != ["已送达"] and time.time() - t0 < 10:
        time.sleep(0.05)
    check(urge_receipt(1) == ["已送达"], f"a polled receipt: 已送达 in the urges document: "
                                        f"{urge_receipt(1)}")
    import hashlib, hmac, urllib.request  # noqa: E401,E402
    key = [k for k in sms_keys if k.startswith("gdp:411000:1:发改委:0:")][0]
    body = json.dumps({"key": key, "status": "delivered"}).encode()
    rq = urllib.request.Request(
        f"http://127.0.0.1:{port}/receipts", data=body, method="POST",
        headers={"X-Signature": hmac.new(RECEIPT_SECRET.encode(), body, hashlib.sha256).hexdigest()})
    with urllib.request.urlopen(rq, timeout=5) as resp:
        check(resp.status == 200, "the gateway's signed receipt is taken")
    t0 = time.time()
    while urge_receipt() != ["已送达"] and time.time() - t0 < 10:
        time.sleep(0.05)
    print(f"receipt → 已送达 at the platform in {time.time() - t0:.2f} s")
    check(urge_receipt() == ["已送达"], f"the receipt: 已送达 in the urges document: "
                                        f"{urge_receipt()}")
    sends = [u for u in received("urges")[-1]["text"]["rows"] if u["key"].startswith("gdp:")][0]
    check(sends["sends"][0]["recipient"] == "138****5678" and "13812345678" not in
          json.dumps(received("urges")[-1]["text"], ensure_ascii=False),
          f"the urges document shows the phone masked: {sends['sends']}")
finally:
    w.terminate()
    w.wait(timeout=10)

# ---- a mapping file: renamed fields, the platform's envelope --------------------------
mapped = write_config("mapped.json", mapping=os.path.join(ROOT, "docs/exchange-mapping.example.json"))
set_warning("recovering", 0)
r = deliver("--once", cfg=mapped)
last = received("warnings")[-1]
check(last["text"]["head"]["xxid"] == last["key"] and last["text"]["head"]["sjlx"] == "warnings" and
      last["text"]["body"]["sjy"]["mc"] == "warnings" and
      last["text"]["body"]["sjjl"][0]["state"] == "recovering",
      f"the mapping renames and envelops: {json.dumps(last['text'], ensure_ascii=False)[:300]}")

# ---- retention: finished rows of closed episodes go, an open episode's stay ------------
q("INSERT INTO lotuswall.urge_outbox (idem_key, warning, rule, instance, department, step, text, "
  "sent_at) VALUES ('old:closed', 'old@x#1', 'old', 'x', '发改委', 0, 't', now()), "
  "('old:open', 'gdp@411000#1', 'gdp', '411000', '发改委', 1, 't', now())")
q("INSERT INTO lotuswall_deliver.deliveries (key, outbox, contact, channel, state, sent_at) "
  "SELECT idem_key || ':1', id, 1, 'sms', 'sent', now() FROM lotuswall.urge_outbox "
  "WHERE idem_key LIKE 'old:%'")
q("UPDATE lotuswall.urge_outbox SET created_at = now() - interval '2 hours' WHERE idem_key LIKE 'old:%'")
q("UPDATE lotuswall_deliver.deliveries SET created_at = now() - interval '2 hours', "
  "sent_at = now() - interval '2 hours' WHERE key LIKE 'old:%'")
q("UPDATE lotuswall_deliver.exchange_outbox SET done_at = now() - interval '2 hours' "
  "WHERE key IN ('warnings:1', 'appeals:1')")
q("UPDATE lotuswall.exchange_documents SET published_at = now() - interval '2 hours' WHERE id <= 2")
r = deliver("--once", cfg=write_config("retain.json", retention_s=3600))
check(q("SELECT string_agg(idem_key, ',' ORDER BY idem_key) FROM lotuswall.urge_outbox "
        "WHERE idem_key LIKE 'old:%'") == "old:open",
      "retention: the closed episode's urge is gone, the open one's stays")
check(q("SELECT count(*) FROM lotuswall_deliver.deliveries WHERE key LIKE 'old:closed%'") == "0",
      "… with its deliveries")
check(q("SELECT string_agg(key, ',' ORDER BY key) FROM lotuswall_deliver.exchange_outbox "
        "WHERE key IN ('warnings:1', 'warnings:2', 'appeals:1')") == "warnings:2",
      "retention: finished exchange rows older than the retention go, the others stay")
check(q("SELECT min(id) FROM lotuswall.exchange_documents") == "3",
      "retention: exchange documents older than the retention go")
check("retention: pruned 1 urge(s)" in r.stderr, f"… and the log says so: {r.stderr[-500:]}")
check(q("SELECT count(*) FROM lotuswall_deliver.exchange_outbox WHERE state = 'sent' "
        "AND document IS NOT NULL") == "0", "a sent document is not kept in the outbox")

# ---- another worker's endpoint is its own; a worker without channels only pushes ------
q("INSERT INTO lotuswall_deliver.exchange_outbox (endpoint, source, key, document) "
  "VALUES ('elsewhere', 'panels', 'panels:999', '{}')")
q("INSERT INTO lotuswall.urge_outbox (idem_key, warning, rule, instance, department, step, text) "
  "VALUES ('not-mine', 'w', 'r', 'i', '发改委', 0, 't')")
push_only = dict(json.load(open(CFG)))
del push_only["channels"]
with open(os.path.join(tmp, "push-only.json"), "w") as f:
    json.dump(push_only, f)
t0 = time.time()
r = deliver("--once", cfg=os.path.join(tmp, "push-only.json"))
check(r.returncode == 0 and time.time() - t0 < 10, f"a push-only worker ends: {r.stderr[-300:]}")
check(q("SELECT state FROM lotuswall_deliver.exchange_outbox WHERE key = 'panels:999'") == "pending",
      "another endpoint's document is left to its worker")
check(q("SELECT sent_at IS NULL FROM lotuswall.urge_outbox WHERE idem_key = 'not-mine'") == "t",
      "a worker without channels leaves the urges alone")
q("DELETE FROM lotuswall_deliver.exchange_outbox WHERE key = 'panels:999'")

# ---- the engine merges the receipts into the wall's 一键催办 log (warning_steps) ---------
q("DELETE FROM lotuswall.urge_outbox; DELETE FROM lotuswall_data.warnings; "
  "CREATE ROLE lw_engine LOGIN IN ROLE lotuswall_engine; CREATE ROLE wall LOGIN IN ROLE lotuswall_reader")
eng = subprocess.Popen([lw, "engine", "--db", "user=lw_engine", "--rules",
                        os.path.join(ROOT, "rules/demo.json"), "--interval", "1"],
                       stderr=subprocess.DEVNULL)
try:
    t0 = time.time()
    while q("SELECT count(*) FROM lotuswall.urge_outbox") == "0" and time.time() - t0 < 15:
        time.sleep(0.1)
    dept = q("SELECT department FROM lotuswall.urge_outbox ORDER BY id LIMIT 1")
    q(f"INSERT INTO lotuswall_deliver.contacts (department, person, phone) "
      f"VALUES ('{dept}', '值班员', '13900001111')")
    r = deliver("--once")

    def trail():
        r = subprocess.run(["psql", "-XAtq", "-U", "wall", "-c",
                            "SELECT DISTINCT by || '=' || coalesce(receipt, '') FROM "
                            "lotuswall.warning_steps WHERE action IN ('urge', 'escalate')"],
                           capture_output=True, text=True)
        return set(r.stdout.split()) if r.returncode == 0 else {r.stderr}
    t0 = time.time()
    while f"{dept}=已发送" not in trail() and time.time() - t0 < 10:
        time.sleep(0.1)
    got = trail()
    check(f"{dept}=已发送" in got, f"the wall reads 已发送 in the 一键催办 log: {got}")
    check(all(x.endswith(("=已发送", "=失败", "=待发送")) for x in got),
          f"… and 失败 for departments nobody can be reached in: {got}")
finally:
    eng.terminate()
    eng.wait(timeout=10)

rx.close()
finish()
