#!/usr/bin/env python3
"""The console's figures for docs/performance.md (issue 12), on a wall at
3840x2160 under Xvfb: a console command until its scene is fully on screen
(the wall's own touch_to_screen_ms: from the command's arrival on the render
thread to the frame presented), the wall's CPU at idle and with a thumbnail a
second, and the same command under 1,000 idle connections plus a stream of
malformed requests. Usage: tools/bench_console.py build-rel/lotuswall"""
import json, os, socket, statistics, subprocess, sys, tempfile, threading, time
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "output"))
from lwcheck import free_port, start_xvfb, wait_for  # noqa: E402
from test_api import Client  # noqa: E402

lw = os.path.abspath(sys.argv[1])
W, H = 3840, 2160
SCENES = ["gdp", "industry", "economy", "situation"]


def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().split(")")[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def status(path):
    return json.load(open(path))


def commands(c, st, n):
    times = []
    for i in range(n):
        scene = SCENES[(i + 1) % 4]  # never the one shown: every command changes the view
        before = status(st).get("touch_to_screen_ms")
        body = {"scene": scene, **({"params": {"city": "411081"}} if i % 2 else {})}
        c.api("POST", "show", body)
        wait_for(lambda: status(st)["scene"] == scene and
                 status(st).get("touch_to_screen_ms") not in (None, before), 10, 0.02)
        time.sleep(1.2)  # the tweens settle before the next
        times.append(status(st)["touch_to_screen_ms"])
    return times


def cpu_share(pid, seconds, work=None):
    a, t0 = cpu(pid), time.monotonic()
    while time.monotonic() - t0 < seconds:
        t1 = time.monotonic()
        if work:
            work()
        time.sleep(max(0, 1 - (time.monotonic() - t1)))
    return (cpu(pid) - a) / (time.monotonic() - t0) * 100


def hostile(port, stop):
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
    bad = Client(port)
    while not stop.is_set():
        try:
            bad.req("POST", "/api/v1/login", raw=b"{not json")
            bad.req("GET", "/console/..%2f..%2fetc%2fpasswd")
        except OSError:
            pass
        time.sleep(0.02)
    for k in idle:
        k.close()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        users = os.path.join(tmp, "users.json")
        subprocess.run([lw, "user", "add", "p", "--role", "presenter", "--password-stdin",
                        "--users", users], input="password1\n", text=True, check=True,
                       capture_output=True)
        xvfb, display = start_xvfb(f"{W}x{H}")
        port = free_port()
        st = os.path.join(tmp, "status.json")
        wall = subprocess.Popen([lw, "run", "--status", st, "--http", f"127.0.0.1:{port}",
                                 "--users", users, "--dwell", "3600", *SCENES],
                                env=dict(os.environ, DISPLAY=display), stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: status(st)["frames"] > 2, 60)
            c = Client(port)
            c.login("p", "password1")
            c.api("POST", "control", {"take": True})
            quiet = commands(c, st, 14)
            print(f"console command → on screen, {W}x{H}: median {statistics.median(quiet):.0f} ms, "
                  f"max {max(quiet):.0f} ms ({len(quiet)} commands)")
            time.sleep(3)
            idle = cpu_share(wall.pid, 30)
            thumb = cpu_share(wall.pid, 30, lambda: c.api("GET", "screen.png?width=640",
                                                          headers={"X-Poll": "1"}))
            print(f"wall CPU: idle {idle:.2f} % of a core; a 640 px thumbnail a second "
                  f"{thumb:.2f} %")
            stop = threading.Event()
            t = threading.Thread(target=hostile, args=(port, stop))
            t.start()
            time.sleep(3)
            loaded = commands(c, st, 8)
            draws = [status(st)["last_draw_ms"]]
            stop.set()
            t.join()
            print(f"under 1,000 idle connections and 100 bad requests a second: console command "
                  f"→ on screen median {statistics.median(loaded):.0f} ms, max {max(loaded):.0f} ms")
        finally:
            wall.terminate()
            wall.wait(timeout=30)
            xvfb.terminate()


if __name__ == "__main__":
    main()
