"""A gateway of the test's own for `lotuswall deliver` (tests/pg/test_deliver.py):
an HTTP server on 127.0.0.1 that plays an SMS gateway (/sms: a JSON body
signed with HMAC-SHA256 in X-Signature) and an IM gateway (/im: a form body
signed md5(sorted k=v&… + secret) in the `sign` parameter), and misbehaves
on demand: each request takes the next fault of `faults` ("500", "slow":
answers after the client's timeout, "drop": closes the connection without
an answer), then answers {"code": "0"} after `delay` seconds; while `down`
is true every request gets a 500. It also plays the city big-data platform
(/platform: an exchange document as the body, HMAC-SHA256 in X-Signature,
the idempotency key in Idempotency-Key): `text` is then the parsed document.
GET /status?key=K answers {"status": statuses.get(K, "PENDING")}: a gateway's
status URL for receipts by polling.

It verifies every signature and records every request: what arrived, with
which key, whether the signature held, and whether another request of the
same key was in progress at that moment."""
import hashlib, hmac, json, threading, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, secret):
        self.secret = secret
        self.lock = threading.Lock()
        self.faults = []
        self.delay = 0.0
        self.down = False
        self.statuses = {}      # key -> what GET /status?key=K answers (default PENDING)
        self.polls = []         # keys asked for
        self.slow = 2.0
        self.requests = []      # dicts: path, key, recipient, text, signed, answered, overlap
        self.in_flight = {}     # key -> count
        rx = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                path, _, query = self.path.partition("?")
                key = urllib.parse.parse_qs(query).get("key", [""])[0]
                with rx.lock:
                    rx.polls.append(key)
                    status = rx.statuses.get(key, "PENDING")
                answer = json.dumps({"status": status}).encode()
                self.send_response(200 if path == "/status" else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                rx.handle(self, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def parse(self, path, body, headers):
        """(key, recipient, text, signature verified) of one request."""
        if path == "/platform":
            want = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
            signed = hmac.compare_digest(want, headers.get("X-Signature", ""))
            return (headers.get("Idempotency-Key"), headers.get("X-Lotuswall-Source"),
                    json.loads(body.decode("utf-8")), signed)
        if path == "/sms":
            want = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
            signed = hmac.compare_digest(want, headers.get("X-Signature", ""))
            doc = json.loads(body.decode("utf-8"))
            return doc["key"], doc["to"], doc["text"], signed
        params = dict(urllib.parse.parse_qsl(body.decode("ascii"), keep_blank_values=True,
                                             strict_parsing=True))
        sign = params.pop("sign", "")
        plain = "&".join(f"{k}={params[k]}" for k in sorted(params)) + self.secret
        signed = hashlib.md5(plain.encode("utf-8")).hexdigest() == sign
        return params["key"], params["to"], params["text"], signed

    def handle(self, h, body):
        path, _, query = h.path.partition("?")
        rec = {"path": path, "query": urllib.parse.parse_qs(query), "answered": False,
               "overlap": False}
        try:
            rec["key"], rec["recipient"], rec["text"], rec["signed"] = self.parse(
                path, body, h.headers)
        except Exception as e:  # a body that does not parse is a failed check
            rec.update(key=None, recipient=None, text=None, signed=False, error=repr(e))
        with self.lock:
            fault = self.faults.pop(0) if self.faults else "500" if self.down else None
            rec["overlap"] = self.in_flight.get(rec["key"], 0) > 0
            self.in_flight[rec["key"]] = self.in_flight.get(rec["key"], 0) + 1
            self.requests.append(rec)
            delay = self.delay
        try:
            if fault == "drop":
                h.close_connection = True
                h.connection.close()
                return
            if fault == "slow":
                time.sleep(self.slow)
            time.sleep(delay)
            code, answer = (500, b'{"code": "9"}') if fault == "500" else (200, b'{"code": "0"}')
            h.send_response(code)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(answer)))
            h.end_headers()
            h.wfile.write(answer)
            rec["answered"] = code == 200 and fault is None
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout) or was killed: as a real gateway sees it
        finally:
            with self.lock:
                self.in_flight[rec["key"]] -= 1

    def close(self):
        self.server.shutdown()
        self.server.server_close()
