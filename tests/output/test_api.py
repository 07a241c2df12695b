#!/usr/bin/env python3
"""The console's JSON API (issue 12) against a real wall under Xvfb, with
accounts in a --users file and the audit in a JSON-lines file.

- Every route of docs/openapi.json is in src/app/api.c's route table and the
  other way round.
- Every endpoint for every role (anonymous, viewer, presenter, operator,
  admin): the status each gets, and that steering changes what the wall
  shows. Warning ids with '@', '#' and CJK, percent-encoded in the path.
- The control lock: a second presenter is refused (409), an admin takes it
  over and the presenter is told; logout frees it.
- Login: a wrong password 401, five failures a minute then 429.
- CSRF: a POST without the token 403, with another session's token 403.
- Hostile input: a body over the cap 413, malformed JSON 400, '..' and
  encoded traversal under /console/ 404, 1,000 idle connections from another
  address while the wall keeps drawing and the API keeps answering.
- Exposure: --http on a network address without TLS is refused with a
  message; with --http-insecure it starts and warns; with --http-cert and
  --http-key it serves HTTPS and the cookie is Secure.
- The audit has the logins, the control and the actions."""
import http.client, json, os, re, socket, ssl, subprocess, sys, tempfile, time
import urllib.parse
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish, free_port, start_xvfb, wait_for  # noqa: E402

lw = os.path.abspath(sys.argv[1]) if __name__ == "__main__" else "lotuswall"
src = os.path.abspath(sys.argv[2]) if __name__ == "__main__" else "."
ROLES = ["viewer", "presenter", "operator", "admin"]
NAMES = {"viewer": "观众", "presenter": "张演示", "operator": "李值班", "admin": "王管理"}
PW = {r: f"{r}-口令-2024" for r in ROLES}


class Client:
    """One browser: its cookie and its CSRF token."""

    def __init__(self, port, tls=False):
        self.port, self.tls = port, tls
        self.cookie = self.csrf = None
        self.last_set_cookie = None

    def req(self, method, path, body=None, raw=None, csrf=True, headers=None):
        if self.tls:
            conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=15,
                                               context=ssl._create_unverified_context())
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        data = None
        if method == "POST":
            data = raw if raw is not None else json.dumps(body or {}).encode()
            h["Content-Type"] = "application/json"
            if csrf and self.csrf:
                h["X-CSRF-Token"] = self.csrf
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        out = r.read()
        sc = r.getheader("Set-Cookie")
        if sc:
            self.last_set_cookie = sc
            m = re.match(r"lw_session=([^;]*)", sc)
            self.cookie = f"lw_session={m.group(1)}" if m and "Max-Age=0" not in sc else None
        conn.close()
        try:
            doc = json.loads(out)
        except ValueError:
            doc = out
        return r.status, doc

    def api(self, method, route, body=None, **kw):
        return self.req(method, "/api/v1/" + route, body, **kw)

    def login(self, name, password):
        st, doc = self.api("POST", "login", {"name": name, "password": password})
        if st == 200:
            self.csrf = doc["csrf"]
        return st, doc


def user_add(users, name, role, password):
    r = subprocess.run([lw, "user", "add", name, "--role", role, "--password-stdin",
                        "--users", users], input=password + "\n", capture_output=True, text=True)
    check(r.returncode == 0, f"user add {name}: {r.stderr}")


def start_wall(display, tmp, tag, args, scenes=("situation", "gdp", "warnings")):
    status = os.path.join(tmp, f"status-{tag}.json")
    log = open(os.path.join(tmp, f"wall-{tag}.log"), "w")
    env = dict(os.environ, DISPLAY=display)
    p = subprocess.Popen([lw, "run", "--windowed", "1280x720", "--status", status, *args,
                          *scenes], env=env, stderr=log, stdout=subprocess.DEVNULL)
    ok = wait_for(lambda: json.load(open(status))["frames"] >= 1, 30)
    return p, status, ok


def routes_in_step():
    with open(os.path.join(src, "docs", "openapi.json")) as f:
        spec = json.load(f)
    documented = set()
    for path, ops in spec["paths"].items():
        for m in ops:
            documented.add((m.upper(), path.lstrip("/")))
    with open(os.path.join(src, "src", "app", "api.c")) as f:
        code = f.read()
    table = set(re.findall(r'\{"(GET|POST)", "([a-z.]+)", (?:true|false)', code))
    actions = re.search(r"actions\[\] = \{([^}]*)\}", code).group(1)
    for a in re.findall(r'"([a-z]+)"', actions):
        table.add(("POST", "warnings/{id}/" + a))
    check(documented == table, f"docs/openapi.json and api.c's routes agree: only documented "
          f"{sorted(documented - table)}, only in code {sorted(table - documented)}")
    return spec


STEER = ["back", "home", "next", "prev", "pause", "resume", "blank", "unblank"]


def role_matrix(port):
    """Every endpoint for every role; returns the clients, logged in."""
    anon = Client(port)
    for route in ["state", "scenes", "screen.png", "warnings", "session"]:
        st, doc = anon.api("GET", route)
        check(st == 401 and doc.get("error") == "unauthenticated", f"anonymous GET {route}: {st}")
    for route in STEER + ["show", "logout", "control", "warnings/x%40y%231/ack"]:
        st, doc = anon.api("POST", route, {})
        check(st == 401, f"anonymous POST {route}: 401, got {st}")
    clients = {}
    for role in ROLES:
        c = Client(port)
        st, doc = c.login(NAMES[role], PW[role])
        check(st == 200 and doc.get("role") == role, f"login as {role}: {st} {doc}")
        check(c.last_set_cookie and "HttpOnly" in c.last_set_cookie and
              "SameSite=Strict" in c.last_set_cookie and "Secure" not in c.last_set_cookie,
              f"the session cookie is HttpOnly, SameSite=Strict (not Secure without TLS): "
              f"{c.last_set_cookie}")
        clients[role] = c
        for route in ["state", "scenes", "warnings", "session"]:
            st, doc = c.api("GET", route)
            check(st == 200, f"{role} GET {route}: 200, got {st} {doc}")
        st, png = c.api("GET", "screen.png?width=320")
        check(st == 200 and isinstance(png, bytes) and png[:8] == b"\x89PNG\r\n\x1a\n",
              f"{role} GET screen.png: a PNG")
        steer = role != "viewer"
        if steer:
            st, doc = c.api("POST", "control", {"take": True})
            check(st == 200, f"{role} takes control: {st} {doc}")
        for route in STEER:
            st, doc = c.api("POST", route)
            check(st == (200 if steer else 403), f"{role} POST {route}: {st} {doc}")
        st, doc = c.api("POST", "show", {"scene": "gdp"})
        check(st == (200 if steer else 403), f"{role} POST show: {st} {doc}")
        if steer:
            check(doc.get("scene") == "gdp", f"{role}: show gdp answers with gdp shown: {doc}")
            st, doc = c.api("POST", "control", {"take": False})
            check(st == 200, f"{role} releases control: {st}")
        else:
            st, doc = c.api("POST", "control", {"take": True})
            check(st == 403 and doc["error"] == "forbidden", f"viewer takes control: 403, {st}")
    return clients


def warning_actions(clients, audit_path):
    st, doc = clients["viewer"].api("GET", "warnings")
    ids = [w["id"] for w in doc["warnings"]]
    check(len(ids) >= 4, f"the demo has open warnings: {len(ids)}")
    odd = [i for i in ids if "@" in i and "#" in i and re.search(r"[\u4e00-\u9fff]", i)]
    check(len(odd) >= 4, f"warning ids with '@', '#' and CJK: {odd[:3]}")
    for role, want in [("viewer", 403), ("presenter", 403)]:
        enc = urllib.parse.quote(odd[0], safe="")
        st, doc = clients[role].api("POST", f"warnings/{enc}/ack", {"note": "看"})
        check(st == want, f"{role} acks: {want}, got {st} {doc}")
    for role, action, wid in [("operator", "ack", odd[0]), ("admin", "ack", odd[1]),
                              ("operator", "handle", odd[0]), ("admin", "urge", odd[2])]:
        enc = urllib.parse.quote(wid, safe="")
        check("%40" in enc and "%23" in enc and "%E" in enc, f"{wid} encodes as {enc}")
        st, doc = clients[role].api("POST", f"warnings/{enc}/{action}", {"note": "控制台测试"})
        check(st == 200 and "result" in doc, f"{role} {action} {wid}: {st} {doc}")
    st, doc = clients["operator"].api("GET", "warnings")
    handled = {w["id"]: w.get("handling") for w in doc["warnings"]}
    check(handled.get(odd[0]) == "处理中" and handled.get(odd[1]) == "已确认",
          f"the actions took: {handled.get(odd[0])}, {handled.get(odd[1])}")
    st, doc = clients["operator"].api("POST", "warnings/no-such%40x%231/ack", {})
    check(st == 404 and doc["error"] == "not_found", f"an unknown warning: 404, got {st} {doc}")
    st, doc = clients["operator"].api("POST", "warnings/%zz/ack", {})
    check(st == 404, f"a bad escape in the id: 404, got {st}")
    st, doc = clients["operator"].api("POST", f"warnings/{urllib.parse.quote(odd[0], safe='')}/"
                                      "delete", {})
    check(st == 404, f"an unknown action: 404, got {st}")
    st, doc = clients["operator"].api("GET", f"warnings/{urllib.parse.quote(odd[0], safe='')}/ack")
    check(st == 405, f"GET on an action: 405, got {st}")
    st, doc = clients["operator"].api("POST", f"warnings/{urllib.parse.quote(odd[0], safe='')}/ack",
                                      {"note": 5})
    check(st == 400, f"a note that is no string: 400, got {st}")
    return odd


def control_lock(port, clients):
    p1, p2 = clients["presenter"], Client(port)
    st, _ = p2.login("赵演示", "另一个口令")
    check(st == 200, "a second presenter logs in")
    check(p1.api("POST", "control", {"take": True})[0] == 200, "presenter 1 takes control")
    st, doc = p2.api("POST", "next")
    check(st == 409 and doc["error"] == "control_held" and NAMES["presenter"] in doc["message"],
          f"a second presenter's steer: 409 naming the holder, got {st} {doc}")
    st, doc = p2.api("POST", "control", {"take": True})
    check(st == 409, f"a presenter cannot take over a presenter: {st}")
    st, doc = clients["admin"].api("POST", "control", {"take": True})
    check(st == 200, f"an admin takes over: {st} {doc}")
    st, doc = p1.api("GET", "state")
    check(st == 200 and "接管" in doc["you"]["notice"] and NAMES["admin"] in doc["you"]["notice"],
          f"the presenter is told: {doc.get('you')}")
    check(doc["control"]["holder"] == NAMES["admin"], f"state names the holder: {doc['control']}")
    st, doc = p1.api("POST", "next")
    check(st == 409, f"the former holder steers: 409, got {st}")
    st, _ = clients["admin"].api("POST", "logout")
    check(st == 200, "the admin logs out")
    st, doc = p2.api("POST", "next")
    check(st == 200, f"logout freed control: the second presenter steers, got {st} {doc}")
    st, doc = clients["admin"].api("GET", "state")
    check(st == 401, f"after logout the session is gone: {st}")
    p2.api("POST", "control", {"take": False})


def show_and_state(port, clients, status_path):
    c = clients["presenter"]
    check(c.api("POST", "control", {"take": True})[0] == 200, "presenter takes control again")
    st, doc = c.api("POST", "show", {"scene": "situation", "params": {"city": "411081"}})
    check(st == 200 and doc["scene"] == "situation" and doc["params"].get("city") == "411081" and
          "禹州市" in doc["breadcrumb"][-1], f"show situation for 禹州市: {st} {doc}")
    check(wait_for(lambda: json.load(open(status_path))["params"].get("city") == "411081", 10),
          "the wall shows 禹州市 (its status file)")
    st, doc = c.api("POST", "show", {"params": {"period": "2024-06"}})
    check(st == 200 and doc["params"].get("period") == "2024-06",
          f"a period chosen on the scene shown: {doc.get('params')}")
    st, doc = c.api("POST", "back")
    check(doc["params"].get("period") != "2024-06" and doc["params"].get("city") == "411081",
          f"back undoes the period: {doc.get('params')}")
    st, doc = c.api("POST", "show", {"scene": "nowhere"})
    check(st == 422 and doc["error"] == "unknown_scene" and "situation" in doc["message"],
          f"an unknown scene: 422 listing the scenes: {st} {doc}")
    st, doc = c.api("POST", "show", {"scene": "gdp", "params": {"colour": "red"}})
    check(st == 422 and doc["error"] == "unknown_param", f"an unknown parameter: 422, {st} {doc}")
    st, doc = c.api("POST", "show", {"scene": 5})
    check(st == 400 and doc["error"] == "bad_request", f"a scene that is no string: 400, {st}")
    st, doc = c.api("POST", "blank")
    check(doc["blank"] and wait_for(lambda: json.load(open(status_path))["blank"], 5),
          "blank: the wall's status says blank")
    st, doc = c.api("POST", "unblank")
    check(not doc["blank"], "unblank")
    st, doc = c.api("POST", "pause")
    check(doc["paused"], "pause")
    st, doc = c.api("POST", "resume")
    check(not doc["paused"], "resume")
    st, doc = c.api("POST", "home")
    check(doc["breadcrumb"] == [doc["breadcrumb"][0]] and not doc["driving"], f"home: {doc}")
    st, sc = c.api("GET", "scenes")
    names = [s["name"] for s in sc["scenes"]]
    check({"situation", "gdp", "warnings"} <= set(names), f"scenes lists the wall's: {names}")
    check(any(r["value"] == "411081" and r["label"] == "禹州市" for r in sc["regions"]),
          "scenes lists the regions with their names")
    check(len(sc["periods"]) >= 6, f"scenes lists periods: {sc['periods'][:3]}")
    st, doc = c.api("GET", "screen.png?width=0")
    check(st == 400 and doc["error"] == "bad_width", f"width=0: 400, got {st}")
    st, doc = c.api("GET", "screen.png?width=320&output=nope")
    check(st == 404 and doc["error"] == "unknown_output", f"an unknown output: 404, got {st}")
    st, doc = c.api("GET", "nothing-here")
    check(st == 404 and doc["error"] == "not_found", f"an unknown route: 404 JSON, got {st}")
    st, doc = c.api("GET", "show")
    check(st == 405 and doc["error"] == "method_not_allowed", f"GET show: 405, got {st}")
    c.api("POST", "control", {"take": False})


def csrf_and_login(port, clients):
    c = clients["presenter"]
    st, doc = c.api("POST", "pause", csrf=False)
    check(st == 403 and doc["error"] == "csrf", f"a POST without X-CSRF-Token: 403 csrf, {st} {doc}")
    st, doc = c.api("POST", "pause", headers={"X-CSRF-Token": clients["operator"].csrf},
                    csrf=False)
    check(st == 403 and doc["error"] == "csrf", f"another session's token: 403, got {st}")
    bad = Client(port)
    st, doc = bad.login(NAMES["operator"], "wrong")
    check(st == 401 and doc["error"] == "login_failed" and doc["message"] == "用户名或密码错误",
          f"a wrong password: 401, got {st} {doc}")
    st, doc = bad.login("nobody", "x")
    check(st == 401 and doc["message"] == "用户名或密码错误", "an unknown name: the same answer")
    for _ in range(3):
        bad.login(NAMES["operator"], "wrong")
    st, doc = bad.login(NAMES["operator"], PW["operator"])
    check(st == 429 and doc["error"] == "throttled",
          f"after five failures a minute even the right password: 429, got {st} {doc}")
    st, doc = Client(port).api("POST", "login", raw=b"{not json")
    check(st == 400 and doc["error"] == "bad_json" and "line 1" in doc["message"],
          f"malformed JSON: 400 with the place, got {st} {doc}")
    st, doc = Client(port).api("POST", "login", raw=b"[1,2]")
    check(st == 400 and doc["error"] == "bad_json", f"a JSON array body: 400, got {st}")


def hostile(port, status_path, viewer):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 70000\r\n\r\n")
    head = s.recv(400).decode(errors="replace")
    s.close()
    check(" 413 " in head.split("\r\n")[0] and '"error":"too_large"' in head,
          f"a body over the cap: 413 in JSON, got {head[:40]!r}")
    c = Client(port)
    for path in ["/console/../../etc/passwd", "/console/%2e%2e/%2e%2e/etc/passwd",
                 "/console/..%2f..%2fetc%2fpasswd", "/console/%2E%2E%2Fapi.c",
                 "/console/index.html/..", "/console/./index.html"]:
        st, doc = c.req("GET", path)
        check(st == 404, f"{path}: 404, got {st}")
    st, page = c.req("GET", "/console/")
    check(st == 200 and b"<html" in page and "大屏控制台".encode() in page, "the console page")
    for f in ["console.js", "console.css"]:
        st, body = c.req("GET", "/console/" + f)
        check(st == 200 and len(body) > 500, f"/console/{f}")
    st, font = c.req("GET", "/console/NotoSansSC-gb2312.woff2")
    check(st == 200 and font[:4] == b"wOF2", f"the console's own font: {st}")
    page = page.decode()
    check(not re.search(r'(src|href)="(https?:)?//', page), "the page fetches nothing outside")
    # 1,000 idle connections from another address while the wall draws
    before = json.load(open(status_path))["frames"]
    idle = []
    for _ in range(1000):
        try:
            k = socket.socket()
            k.bind(("127.0.0.2", 0))
            k.settimeout(2)
            k.connect(("127.0.0.1", port))
            idle.append(k)
        except OSError:
            pass
    t0 = time.monotonic()
    st, state = viewer.api("GET", "state")
    took = time.monotonic() - t0
    check(st == 200, f"the API answers during 1,000 idle connections: {st}")
    time.sleep(2)
    s1 = json.load(open(status_path))
    check(s1["frames"] > before, f"the wall keeps drawing: frames {before} → {s1['frames']}")
    print(f"during 1,000 idle connections: GET state {took * 1000:.0f} ms, "
          f"last draw {s1['last_draw_ms']:.1f} ms", flush=True)
    for k in idle:
        k.close()


def audit_has(audit_path):
    lines = [json.loads(l) for l in open(audit_path) if l.strip()]
    whats = {(e.get("who"), e.get("what"), e.get("result", "")[:6]) for e in lines}
    for who, what, res in [(NAMES["operator"], "login", "ok"), (NAMES["operator"], "login", "failed"),
                           (NAMES["presenter"], "control.take", "ok"),
                           (NAMES["admin"], "control.takeover", "ok"),
                           (NAMES["operator"], "warning.ack", "ok: "),
                           (NAMES["admin"], "warning.urge", "ok: "),
                           (NAMES["admin"], "logout", "ok")]:
        check(any(w == who and x == what and r.startswith(res) for w, x, r in whats),
              f"the audit has {who} {what} {res}")
    check(all(e.get("addr") == "127.0.0.1" for e in lines if e.get("what") == "login"),
          "the audit names the address")


def png_size(png):
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def outputs(tmp, users):
    """A wall of two outputs, the second a panel turned 90°: the thumbnail of
    the whole canvas and of each output, at the canvas's and the output's
    proportions."""
    walls = os.path.join(tmp, "wall.json")
    json.dump({"kind": "wall", "version": 1, "name": "api test", "outputs": [
        {"name": "landscape", "display": 0, "position": [0, 0], "x": 0, "y": 0, "width": 1280,
         "height": 720},
        {"name": "portrait", "display": 0, "position": [0, 720], "x": 1280, "y": 0,
         "width": 720, "height": 1280, "rotation": 90}]}, open(walls, "w"))
    xvfb, display = start_xvfb("1280x1440")
    port = free_port()
    status = os.path.join(tmp, "status-outputs.json")
    log = open(os.path.join(tmp, "wall-outputs.log"), "w")
    p = subprocess.Popen([lw, "run", "--status", status, "--wall", walls, "--http",
                          f"127.0.0.1:{port}", "--users", users, "situation"],
                         env=dict(os.environ, DISPLAY=display), stderr=log,
                         stdout=subprocess.DEVNULL)
    try:
        check(wait_for(lambda: json.load(open(status))["frames"] >= 1, 30), "a wall of two outputs")
        c = Client(port)
        c.login(NAMES["viewer"], PW["viewer"])
        st, doc = c.api("GET", "state")
        check(doc.get("outputs") == ["landscape", "portrait"], f"state names the outputs: {doc}")
        for query, want in [("width=400", (400, 256)), ("width=400&output=landscape", (400, 225)),
                            ("width=360&output=portrait", (360, 640))]:
            st, png = c.api("GET", "screen.png?" + query)
            got = png_size(png) if st == 200 else st
            check(got == want, f"screen.png?{query}: {want}, got {got}")
        st, png = c.api("GET", "screen.png?width=360&output=portrait")
        left = subprocess.run(["convert", "png:-", "-crop", "360x40+0+300", "-format",
                               "%[fx:mean]", "info:"], input=png, capture_output=True)
        check(left.returncode == 0 and float(left.stdout) > 0.02,
              f"the portrait output's thumbnail is a picture, not black: {left.stdout!r}")
    finally:
        p.terminate()
        p.wait(timeout=30)
        xvfb.terminate()


def exposure(display, tmp, users):
    port = free_port()
    r = subprocess.run([lw, "run", "--http", f"0.0.0.0:{port}", "--users", users, "situation"],
                       env=dict(os.environ, DISPLAY=display), capture_output=True, text=True,
                       timeout=60)
    check(r.returncode != 0 and "without TLS they serve only on loopback" in r.stderr,
          f"--http on 0.0.0.0 without TLS is refused: {r.returncode} {r.stderr[-300:]}")
    key, cert = os.path.join(tmp, "key.pem"), os.path.join(tmp, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", "/CN=lotuswall-test"],
                   check=True, capture_output=True)
    p, status, ok = start_wall(display, tmp, "tls", ["--http", f"0.0.0.0:{port}", "--http-cert",
                                                    cert, "--http-key", key, "--users", users],
                               scenes=("situation",))
    check(ok, "a wall with TLS on 0.0.0.0 starts")
    c = Client(port, tls=True)
    st, doc = c.login(NAMES["viewer"], PW["viewer"])
    check(st == 200 and "Secure" in (c.last_set_cookie or ""),
          f"HTTPS: login and a Secure cookie: {st} {c.last_set_cookie}")
    check(c.api("GET", "state")[0] == 200, "HTTPS: GET state")
    plain = Client(port)
    try:
        plain.api("GET", "state")
        check(False, "plain HTTP to the TLS port fails")
    except (OSError, http.client.HTTPException):
        check(True, "plain HTTP to the TLS port fails")
    p.terminate()
    p.wait(timeout=30)
    port = free_port()
    log = os.path.join(tmp, "wall-insecure.log")
    mport = free_port()
    p, status, ok = start_wall(display, tmp, "insecure", ["--http", f"0.0.0.0:{port}",
                                                         "--http-insecure", "--users", users,
                                                         "--metrics", f"127.0.0.1:{mport}"],
                               scenes=("situation",))
    check(ok and "--http-insecure" in open(log).read(), "--http-insecure starts and warns")
    m = Client(mport)
    st, body = m.req("GET", "/metrics")
    check(st == 200 and b"lotuswall_up 1" in body and
          re.search(rb"lotuswall_frames_total [1-9]", body), f"--metrics serves /metrics: {st}")
    st, body = m.req("GET", "/api/v1/state")
    check(st == 404, f"--metrics serves no API: {st}")
    p.terminate()
    p.wait(timeout=30)



def main():
    with tempfile.TemporaryDirectory() as tmp:
        routes_in_step()
        users = os.path.join(tmp, "users.json")
        for role in ROLES:
            user_add(users, NAMES[role], role, PW[role])
        user_add(users, "赵演示", "presenter", "另一个口令")
        audit_path = os.path.join(tmp, "audit.jsonl")
        xvfb, display = start_xvfb()
        port = free_port()
        wall, status_path, ok = start_wall(display, tmp, "main", [
            "--http", f"127.0.0.1:{port}", "--users", users, "--audit", audit_path])
        check(ok, "the wall draws its first frame")
        try:
            clients = role_matrix(port)
            warning_actions(clients, audit_path)
            show_and_state(port, clients, status_path)
            control_lock(port, clients)
            csrf_and_login(port, clients)
            hostile(port, status_path, clients["viewer"])
            audit_has(audit_path)
            exposure(display, tmp, users)
            outputs(tmp, users)
        finally:
            wall.terminate()
            try:
                wall.wait(timeout=30)
            except subprocess.TimeoutExpired:
                wall.kill()
            xvfb.terminate()
            log = open(os.path.join(tmp, "wall-main.log")).read()
            check(not any(m in log for m in ("Sanitizer", "runtime error:")),
                  "the wall's log has no sanitizer report (under ASan/UBSan)")
            if os.environ.get("LW_TEST_VERBOSE"):
                print(open(os.path.join(tmp, "wall-main.log")).read()[-3000:])
    finish()


if __name__ == "__main__":
    main()
