#!/usr/bin/env python3
"""The delivery worker (`lotuswall deliver --db --config`) against a real
server (tests/pg/with_pg.sh) and a gateway of the test's own
(deliver_receiver.py), running as a login of the lotuswall_deliver role:
- readers cannot read the contacts; the deliveries show phones masked;
- the gateway answers 500, answers after the timeout, drops connections:
  afterwards every send has arrived, each with a verified signature (HMAC
  for SMS, MD5 over sorted parameters for the IM channel), and the keys of
  duplicates are the same;
- hostile texts (line breaks, quotes, 2,000 characters, placeholders) arrive
  as they were; an invalid phone, a contact without an IM account and a
  department with nobody reachable are dead with a reason, and the rest go on;
- quiet hours hold a non-urgent send; an escalation goes at once;
- a send that fails every time goes dead after max_attempts;
- a contact edit between two runs sends nobody a second copy;
- two workers at once never send one delivery at the same time;
- a worker killed with -9 mid-send loses nothing;
- the engine (rules dept-unreachable and urge-dead of rules/demo.json, over
  lotuswall.delivery_health, which readers cannot read) raises a warning for
  a department nobody can be reached in and for dead sends, urges 市政务服务局
  only, shows a receipt on the 一键催办 log within 2 s, and clears each
  warning when its cause is gone."""
import json, os, signal, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lwcheck import check, finish  # noqa: E402
from deliver_receiver import Receiver  # noqa: E402

lw = sys.argv[1]
SECRET = "s3cret-for-the-test"
tmp = tempfile.mkdtemp(prefix="lw-deliver-")


def psql(sql, role=None):
    args = ["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql]
    if role:
        args[1:1] = ["-U", role]
    return subprocess.run(args, capture_output=True, text=True)


def q(sql):
    r = psql(sql)
    if r.returncode:
        raise RuntimeError(r.stderr)
    return r.stdout.strip()


rx = Receiver(SECRET)
config = {
    "kind": "deliver", "version": 1,
    "max_attempts": 6, "backoff_ms": 50, "backoff_max_ms": 200,
    "urgent_severity": "critical",
    "receipts": {"secret_env": "LW_TEST_RECEIPT_SECRET"},
    "channels": {
        "sms": {"url": rx.url("/sms?ref={key}"), "timeout_ms": 700,
                "headers": {"Content-Type": "application/json", "Idempotency-Key": "{key}"},
                "body": '{"to": "{recipient}", "text": "{text}", "tpl": "{template}", '
                        '"key": "{key}"}',
                "sign": {"kind": "hmac-sha256", "header": "X-Signature",
                         "secret_env": "LW_TEST_SMS_SECRET"},
                "success": {"status": 200, "field": "code", "value": "0"}},
        "gov-im": {"url": rx.url("/im"), "timeout_ms": 700, "escape": "form",
                   "body": "to={recipient}&text={text}&key={key}&who={person}",
                   "sign": {"kind": "md5-sorted", "param": "sign",
                            "secret_file": os.path.join(tmp, "im.secret")}},
    },
}
with open(os.path.join(tmp, "im.secret"), "w") as f:
    f.write(SECRET + "\n")
cfg_path = os.path.join(tmp, "deliver.json")
with open(cfg_path, "w") as f:
    json.dump(config, f)
RECEIPT_SECRET = "receipts-secret"
env = dict(os.environ, LW_TEST_SMS_SECRET=SECRET, LW_TEST_RECEIPT_SECRET=RECEIPT_SECRET)

# the worker's own login, in the worker's role only
q("CREATE ROLE worker LOGIN IN ROLE lotuswall_deliver; CREATE ROLE wall LOGIN IN ROLE "
  "lotuswall_reader")


def deliver(*extra, wait=True):
    args = [lw, "deliver", "--db", "user=worker", "--config", cfg_path, *extra]
    if not wait:
        return subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True)
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)


def contact(dept, person, phone=None, im=None, quiet=False):
    quiet_sql = ("(now() - interval '1 hour')::time, (now() + interval '2 hours')::time"
                 if quiet else "NULL, NULL")
    return q("INSERT INTO lotuswall_deliver.contacts (department, person, phone, im_account, "
             f"quiet_from, quiet_to) VALUES ('{dept}', '{person}', "
             f"{'NULL' if phone is None else repr(phone)}, {'NULL' if im is None else repr(im)}, "
             f"{quiet_sql}) RETURNING id")


def urge(key, dept, text, channel="SMS01", escalation=False):
    q("INSERT INTO lotuswall.urge_outbox (idem_key, warning, rule, instance, department, step, "
      "escalation, text, channel) VALUES ("
      f"'{key}', 'w:{key}', 'r', 'i', '{dept}', 1, {str(escalation).lower()}, "
      f"$t${text}$t$, '{channel}')")


def deliveries():
    rows = q("SELECT key, state, coalesce(last_error, ''), recipient, attempts FROM "
             "lotuswall_deliver.deliveries ORDER BY key").splitlines()
    return {r.split("|")[0]: r.split("|")[1:] for r in rows}


# ---- the contacts stay out of readers' reach -------------------------------------
r = psql("SELECT * FROM lotuswall_deliver.contacts", role="wall")
check(r.returncode != 0 and "permission denied" in r.stderr, f"a reader cannot read contacts: {r}")
r = psql("SELECT * FROM lotuswall_deliver.deliveries", role="wall")
check(r.returncode != 0, "a reader cannot read the deliveries")

# ---- first run: faults, hostile data, quiet hours, nobody reachable -----------------
a1 = contact("发改委", "王强", phone="13812345678")
a2 = contact("发改委", "赵敏", phone="12345")                      # invalid
a3 = contact("发改委", "钱进", phone="+8615900001111")
b1 = contact("工信局", "孙丽", phone="13700002222", quiet=True)   # in quiet hours
c1 = contact("政务办", "周扬", im="zhouyang@im.gov")
c2 = contact("政务办", "吴迪")                                      # no IM account
hostile = {
    "lines": "第一行\n第二行\r\n第三行",
    "quotes": 'he said "催办" and \'left\' \\ back\\slash',
    "long": "长" * 2000,
    "placeholders": "{key} {recipient} {text} {unknown} %s %n $1",
}
for name, text in hostile.items():
    urge(f"h-{name}", "发改委", text)
urge("quiet-minor", "工信局", "不急")
urge("quiet-escalation", "工信局", "升级催办", escalation=True)
urge("im-1", "政务办", "政务通 & 催办 = 1", channel="IM01")
urge("nobody", "无人部门", "没人收")
rx.faults = ["500", "500", "slow", "drop", "500"]
rx.slow = 1.0
t0 = time.time()
r = deliver("--once")
check(r.returncode == 0, f"deliver --once: {r.returncode} {r.stderr[-2000:]}")
print(f"first run: {time.time() - t0:.1f} s, {len(rx.requests)} requests")
d = deliveries()
want_sent = [f"h-{n}:{c}" for n in hostile for c in (a1, a3)] + \
    [f"quiet-escalation:{b1}", f"im-1:{c1}"]
for k in want_sent:
    check(d.get(k, [""])[0] == "sent", f"{k} sent: {d.get(k)}")
answered = {x["key"] for x in rx.requests if x["answered"]}
check(answered == set(want_sent), f"the gateway answered each send: "
      f"{sorted(answered ^ set(want_sent))}")
check(all(x["signed"] for x in rx.requests), "every signature verified: "
      f"{[x for x in rx.requests if not x['signed']][:2]}")
check(len(rx.requests) > len(want_sent), "the faults made retries (duplicates)")
check({x["key"] for x in rx.requests} <= set(want_sent), "every request carries a known key")
check(all(x["query"].get("ref") == [x["key"]] for x in rx.requests if x["path"] == "/sms"),
      "a placeholder in the URL is filled, URL-encoded")
for name, text in hostile.items():
    got = [x["text"] for x in rx.requests if x["key"] == f"h-{name}:{a1}" and x["answered"]]
    check(got == [text], f"the {name} text arrived as it was")
check([x["recipient"] for x in rx.requests if x["key"] == f"im-1:{c1}"][-1:] ==
      ["zhouyang@im.gov"], "the IM channel sends to the IM account")
for n in hostile:
    check(d[f"h-{n}:{a2}"][:2] == ["dead", "invalid phone number"],
          f"an invalid phone is dead with its reason: {d[f'h-{n}:{a2}']}")
check(d[f"im-1:{c2}"][:2] == ["dead", "the contact has no IM account"],
      f"no IM account: dead with its reason: {d[f'im-1:{c2}']}")
check(d["nobody:0"][:2] == ["dead", "no reachable contact in 无人部门"],
      f"a department nobody can be reached in: {d.get('nobody:0')}")
check("nobody to send it to" in r.stderr, "… and the log warns of it")
check(d[f"quiet-minor:{b1}"][0] == "pending" and
      q(f"SELECT next_at > now() + interval '1 hour' FROM lotuswall_deliver.deliveries "
        f"WHERE key = 'quiet-minor:{b1}'") == "t", "quiet hours hold a non-urgent send")
check(d[f"h-lines:{a1}"][2] == "138****5678", f"the recipient is kept masked: {d[f'h-lines:{a1}']}")
check("13812345678" not in r.stderr and SECRET not in r.stderr,
      "neither a phone number nor the secret reaches the log")
check(q("SELECT count(*) FROM lotuswall.urge_outbox WHERE sent_at IS NULL") == "0",
      "every outbox row was taken")

# ---- a gateway that never succeeds: dead after max_attempts ---------------------------
rx.faults = ["500"] * 6
urge("always-500", "工信局", "x", escalation=True)
r = deliver("--once")
dead = deliveries()[f"always-500:{b1}"]
check(dead[0] == "dead" and dead[3] == "6" and dead[1] == "HTTP 500",
      f"dead after 6 tries with the last error: {dead}")
check("dead after 6 tries" in r.stderr, "… and the log warns of it")

# ---- a contact edit between two runs: nobody gets a second copy ----------------------
before = len(rx.requests)
q(f"UPDATE lotuswall_deliver.contacts SET phone = '13899990000' WHERE id = {a1}")
q(f"UPDATE lotuswall_deliver.contacts SET department = '发改委' WHERE id = {b1}")
contact("发改委", "新人", phone="13600003333")
r = deliver("--once")
check(r.returncode == 0 and len(rx.requests) == before,
      f"a contact edit sends nothing again: {rx.requests[before:]}")

# ---- two workers at once ----------------------------------------------------------
e = [contact("住建局", f"人{i}", phone=f"1390000{i:04d}") for i in range(3)]
for i in range(20):
    urge(f"pair-{i}", "住建局", f"并发 {i}")
before = len(rx.requests)
rx.delay = 0.02
ws = [deliver("--once", wait=False) for _ in range(2)]
for w in ws:
    w.wait(timeout=60)
pair = rx.requests[before:]
check(sorted({x["key"] for x in pair if x["answered"]}) ==
      sorted(f"pair-{i}:{c}" for i in range(20) for c in e), "two workers sent all 60")
check(len(pair) == 60 and not any(x["overlap"] for x in pair),
      f"… each once, never two at a time ({len(pair)} requests)")

# ---- kill -9 mid-send ------------------------------------------------------------
for i in range(10):
    urge(f"kill-{i}", "住建局", f"中断 {i}")
want = {f"kill-{i}:{c}" for i in range(10) for c in e}
before = len(rx.requests)
rx.delay = 0.3
for round_ in range(3):  # killed three times, at different points
    w = deliver(wait=False)
    n0 = len(rx.requests)
    deadline = time.time() + 10
    while len(rx.requests) < n0 + 2 + round_ and time.time() < deadline:
        time.sleep(0.01)
    time.sleep(0.05 * round_)
    w.send_signal(signal.SIGKILL)
    w.wait()
rx.delay = 0.0
r = deliver("--once")
killed = rx.requests[before:]
check({x["key"] for x in killed if x["answered"]} == want,
      f"after kill -9 every send arrived: missing {sorted(want - {x['key'] for x in killed})}")
check({x["key"] for x in killed} <= want, "… with the keys it had")
check(q("SELECT count(*) FROM lotuswall_deliver.deliveries WHERE key LIKE 'kill-%' "
        "AND state <> 'sent'") == "0", "… and every delivery is recorded as sent")

# ---- receipts on `deliver --http`, signed; /healthz and /metrics ---------------------
def free_port():
    import socket
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        return so.getsockname()[1]


def post(port, body, secret):
    import hashlib, hmac, urllib.request, urllib.error
    sig = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    rq = urllib.request.Request(f"http://127.0.0.1:{port}/receipts", data=body,
                                headers={"X-Signature": sig}, method="POST")
    try:
        with urllib.request.urlopen(rq, timeout=5) as resp:
            return resp.status
    except urllib.error.HTTPError as e:
        return e.code


def get(port, path):
    import urllib.request
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as resp:
        return resp.read().decode()


def serving(port):
    """Waits until a worker started with --http answers."""
    for _ in range(100):
        try:
            return get(port, "/healthz")
        except OSError:
            time.sleep(0.05)


port = free_port()
w = deliver("--http", f"127.0.0.1:{port}", wait=False)
try:
    serving(port)
    k_ok, k_fail = f"h-lines:{a1}", f"h-quotes:{a1}"
    status = post(port, json.dumps({"key": k_ok, "status": "delivered"}).encode(), "wrong")
    check(status == 401 and deliveries()[k_ok][0] == "sent",
          f"a receipt with a wrong signature is refused: {status}")
    status = post(port, json.dumps({"key": k_ok, "status": "delivered"}).encode(),
                  RECEIPT_SECRET)
    check(status == 200 and deliveries()[k_ok][0] == "delivered",
          f"a signed receipt marks the delivery delivered: {status} {deliveries()[k_ok]}")
    status = post(port, json.dumps({"key": k_fail, "status": "failed",
                                    "error": "用户关机"}).encode(), RECEIPT_SECRET)
    check(status == 200 and deliveries()[k_fail][:2] == ["dead", "receipt: 用户关机"],
          f"a failed receipt: dead with the gateway's reason: {deliveries()[k_fail]}")
    status = post(port, b'{"key": 1}', RECEIPT_SECRET)
    check(status == 400, f"a receipt without key and status is refused: {status}")
    m = get(port, "/metrics")
    check('lotuswall_deliveries{state="delivered"} 1' in m and
          'lotuswall_receipts_total{result="accepted"} 2' in m and
          'lotuswall_receipts_total{result="refused"} 2' in m and
          "lotuswall_urges_untaken 0" in m, f"/metrics counts deliveries and receipts: {m}")
    check(get(port, "/healthz").startswith("ok"), "/healthz: ok while the loop runs")
finally:
    w.terminate()
    check(w.wait(timeout=10) == 0, "deliver ends on SIGTERM")

# ---- the database restarts under a running worker ------------------------------------
w = deliver(wait=False)
try:
    time.sleep(0.5)
    subprocess.run(os.environ["LW_PG_STOP"], shell=True, check=True, capture_output=True)
    time.sleep(1)
    subprocess.run(os.environ["LW_PG_START"], shell=True, check=True, capture_output=True)
    urge("after-restart", "住建局", "重启之后")
    t0 = time.time()
    while time.time() - t0 < 15 and not all(
            deliveries().get(f"after-restart:{c}", [""])[0] == "sent" for c in e):
        time.sleep(0.1)
    print(f"database restart: the next urge sent after {time.time() - t0:.1f} s")
    check(all(deliveries().get(f"after-restart:{c}", [""])[0] == "sent" for c in e),
          "after the database restarts, the worker sends the next urge")
finally:
    w.terminate()
    w.wait(timeout=10)

# ---- a contact deleted while its send waits (quiet hours) ----------------------------
q(f"DELETE FROM lotuswall_deliver.contacts WHERE id = {b1}")
q(f"UPDATE lotuswall_deliver.deliveries SET next_at = now() WHERE key = 'quiet-minor:{b1}'")
r = deliver("--once")
check(deliveries()[f"quiet-minor:{b1}"][:2] == ["dead", "the contact was deleted"],
      f"a deleted contact's send is dead with its reason: {deliveries()[f'quiet-minor:{b1}']}")

# ---- nothing left to send: --once ends, and a running worker sleeps -------------------
q("UPDATE lotuswall_deliver.deliveries SET state = 'dead' WHERE state IN ('pending', 'failed')")
t0 = time.time()
r = deliver("--once")
check(r.returncode == 0 and time.time() - t0 < 5, f"--once ends when nothing waits: {r.stderr}")
w = deliver(wait=False)
time.sleep(2)
with open(f"/proc/{w.pid}/stat") as f:
    ticks = sum(int(x) for x in f.read().rsplit(")", 1)[1].split()[11:13])
w.terminate()
w.wait(timeout=10)
check(ticks < 0.5 * os.sysconf("SC_CLK_TCK"), f"an idle worker sleeps (CPU {ticks} ticks in 2 s)")

# ---- the configuration refuses secrets in itself, and names the place -----------------
bad = dict(config, channels={"sms": dict(config["channels"]["sms"],
                                         sign={"kind": "hmac-sha256", "header": "X",
                                               "secret": "inline"})})
with open(os.path.join(tmp, "bad.json"), "w") as f:
    json.dump(bad, f)
r = subprocess.run([lw, "deliver", "--db", "", "--config", os.path.join(tmp, "bad.json")],
                   capture_output=True, text=True, timeout=10, env=env)
check(r.returncode == 1 and "channels.sms.sign: a secret is never written" in r.stderr and
      "inline" not in r.stderr, f"a secret in the configuration is refused: {r.stderr}")
bad["channels"]["sms"] = dict(config["channels"]["sms"], body="{recipent}")
with open(os.path.join(tmp, "bad.json"), "w") as f:
    json.dump(bad, f)
r = subprocess.run([lw, "deliver", "--db", "", "--config", os.path.join(tmp, "bad.json")],
                   capture_output=True, text=True, timeout=10, env=env)
check(r.returncode == 1 and "unknown placeholder {recipent}" in r.stderr,
      f"an unknown placeholder is refused: {r.stderr}")

# ---- the engine raises the delivery's own warnings (rules/demo.json) ------------------
# What is dead by now: the urge for 无人部门 (nobody to send it to), and sends to
# 发改委 (an invalid phone), 政务办 (no IM account) and 工信局 (always 500, a
# deleted contact); 工信局 has no contact left either.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
rules = json.load(open(os.path.join(ROOT, "rules/demo.json"), encoding="utf-8"))
rules["rules"] = [x for x in rules["rules"] if x["id"] in ("dept-unreachable", "urge-dead")]
rules_path = os.path.join(tmp, "rules.json")
with open(rules_path, "w", encoding="utf-8") as f:
    json.dump(rules, f, ensure_ascii=False)
r = psql("SELECT * FROM lotuswall.delivery_health", role="wall")
check(r.returncode != 0 and "permission denied" in r.stderr,
      f"a reader cannot read the delivery health: {r}")
r = psql("SELECT department, contacts, reachable, dead_24h, nobody_24h "
         "FROM lotuswall.delivery_health", role="worker")
health = {x.split("|")[0]: x.split("|")[1:] for x in r.stdout.split()}
check(health.get("无人部门") == ["0", "0", "0", "1"] and health.get("工信局") == ["0", "0", "2", "0"]
      and health.get("住建局", [""])[:3] == ["3", "3", "0"],
      f"the delivery health counts per department: {health}")
q("CREATE ROLE eng LOGIN IN ROLE lotuswall_engine")
office = contact("市政务服务局", "郑洁", phone="13955556666")
# a long --interval: whatever happens within seconds comes from a NOTIFY
eng = subprocess.Popen([lw, "engine", "--db", "user=eng", "--rules", rules_path, "--interval",
                        "300"], stderr=open(os.path.join(tmp, "engine.log"), "w"))


def warning(rule, instance):
    return q(f"SELECT state FROM lotuswall.warnings WHERE rule = '{rule}' "
             f"AND instance = '{instance}'")


def wait_for(what, timeout=15.0):
    t = time.time()
    while time.time() - t < timeout:
        if what():
            return time.time() - t
        time.sleep(0.02)
    return None


def receipts(rule):
    return q("SELECT string_agg(receipt, ',' ORDER BY warning) FROM lotuswall.warning_steps "
             f"WHERE rule = '{rule}' AND action = 'urge'")


try:
    firing = wait_for(lambda: warning("dept-unreachable", "无人部门") == "firing" and
                      warning("urge-dead", "工信局") == "firing")
    check(firing is not None, "the engine raises dept-unreachable for 无人部门 and urge-dead for "
          f"工信局: {q('SELECT rule, instance, state FROM lotuswall.warnings')}")
    check(warning("dept-unreachable", "住建局") == "normal" and
          warning("urge-dead", "住建局") == "normal", "… and neither for 住建局, which is fine")
    urged = q("SELECT string_agg(DISTINCT department, ',') FROM lotuswall.urge_outbox "
              "WHERE rule IN ('dept-unreachable', 'urge-dead')")
    check(urged == "市政务服务局", f"their urges go to 市政务服务局, never to the department: {urged}")
    # the urges reach 郑洁, and her receipts are on the 一键催办 log within about a second
    rx.faults, rx.delay = [], 0.0
    r = deliver("--once")
    sent = q("SELECT string_agg(d.key, ' ') FROM lotuswall_deliver.deliveries d JOIN "
             "lotuswall.urge_outbox o ON o.id = d.outbox WHERE o.rule = 'urge-dead' "
             "AND d.state = 'sent'").split()
    check(len(sent) >= 3 and wait_for(lambda: set(receipts("urge-dead").split(",")) == {"已发送"},
                                      5) is not None,
          f"urge-dead's urges sent, 已发送 on the log: {sent} {receipts('urge-dead')}")
    port = free_port()
    w = deliver("--http", f"127.0.0.1:{port}", wait=False)
    lat = []
    try:
        serving(port)
        for i, key in enumerate(sent):
            t0 = time.time()
            post(port, json.dumps({"key": key, "status": "delivered"}).encode(), RECEIPT_SECRET)
            got = wait_for(lambda: receipts("urge-dead").count("已送达") == i + 1, 5)
            lat.append(None if got is None else time.time() - t0)
    finally:
        w.terminate()
        w.wait(timeout=10)
    print(f"receipt posted -> 已送达 in warning_steps: {[round(x, 3) for x in lat if x]} s")
    check(all(x is not None and x < 2.0 for x in lat),
          f"each receipt is on the log within 2 s (engine --interval 300): {lat}")
    # the causes go: someone for 无人部门; 工信局's dead sends older than 24 h
    contact("无人部门", "新来的", phone="13977778888")
    t = wait_for(lambda: warning("dept-unreachable", "无人部门") == "normal")
    check(t is not None, f"dept-unreachable clears once someone is reachable: "
          f"{warning('dept-unreachable', '无人部门')}")
    q("UPDATE lotuswall_deliver.deliveries d SET dead_at = d.dead_at - interval '25 hours' "
      "FROM lotuswall.urge_outbox o WHERE o.id = d.outbox AND o.department = '工信局'")
    t = wait_for(lambda: warning("urge-dead", "工信局") == "normal")
    check(t is not None, f"urge-dead clears 24 h after the last dead send: "
          f"{warning('urge-dead', '工信局')}")
finally:
    eng.terminate()
    eng.wait(timeout=10)

rx.close()
finish()
