#!/usr/bin/env python3
"""The kiosk files, health and the watchdog: `systemd-analyze verify` accepts the
units and `systemd-analyze security` rates each 4.0 or safer; under Xvfb, `lotuswall run` sends READY=1 after its first frame and
WATCHDOG=1 heartbeats from its render loop to NOTIFY_SOCKET, the heartbeats
stop while the loop is blocked (LOTUSWALL_TEST_STALL_AFTER), and SIGTERM
sends STOPPING=1 and exits 0."""
import os, re, signal, socket, subprocess, sys, tempfile, time, urllib.request
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish, free_port  # noqa: E402

lw = os.path.abspath(sys.argv[1])


with tempfile.TemporaryDirectory() as tmp:
    # ---- the units verify (executables pointed at ones that exist here)
    for unit in sorted(os.listdir("kiosk")):
        if not unit.endswith(".service"):
            continue
        text = open(os.path.join("kiosk", unit)).read()
        text = text.replace("/usr/bin/lotuswall", lw)
        text = re.sub(r"/usr/bin/(cage|xinit)", "/usr/bin/env", text)
        path = os.path.join(tmp, unit)
        open(path, "w").write(text)
        r = subprocess.run(["systemd-analyze", "verify", path], capture_output=True, text=True)
        problems = [l for l in (r.stdout + r.stderr).splitlines()
                    if unit in l and "Unknown user" not in l and "not found" not in l.lower()]
        check(r.returncode == 0 or not problems, f"systemd-analyze verify {unit}: {r.stdout}{r.stderr}")
        # the sandbox: systemd's exposure score of the unit file as shipped (0 safe … 10 unsafe)
        r = subprocess.run(["systemd-analyze", "security", "--offline=true", "--threshold=40",
                            os.path.join("kiosk", unit)], capture_output=True, text=True)
        m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", r.stdout)
        score = float(m.group(1)) if m else 10.0
        print(f"{unit}: exposure {score}")
        check(r.returncode == 0 and score <= 4.0,
              f"systemd-analyze security {unit}: {score} > 4.0 (or rc {r.returncode}: {r.stderr.strip()})")

    # ---- the watchdog, with a notify socket of our own
    xfd_r, xfd_w = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(xfd_w), "-screen", "0", "1280x720x24",
                             "-nolisten", "tcp"], pass_fds=[xfd_w], stderr=subprocess.DEVNULL)
    os.close(xfd_w)
    display = os.read(xfd_r, 16).decode().strip()
    sock_path = os.path.join(tmp, "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(sock_path)
    sock.settimeout(0.1)
    env = dict(os.environ, DISPLAY=":" + display, NOTIFY_SOCKET=sock_path,
               WATCHDOG_USEC="1000000", LOTUSWALL_TEST_STALL_AFTER="3")
    env.pop("WATCHDOG_PID", None)
    port = free_port()
    proc = subprocess.Popen([lw, "run", "--http", f"127.0.0.1:{port}", "situation"], env=env,
                            stderr=subprocess.DEVNULL, cwd=os.getcwd())
    got = []
    scraped = None
    t0 = time.monotonic()
    while time.monotonic() - t0 < 12:
        # scraped once the first frame is out (READY=1): a loaded machine starts slowly
        if scraped is None and any("READY=1" in m for _, m in got):
            try:
                healthz = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read().decode()
                scraped = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
            except OSError as e:
                scraped = ""
                print("scrape failed:", e)
        try:
            msg = sock.recv(4096).decode()
            got.append((time.monotonic() - t0, msg))
        except socket.timeout:
            pass
    proc.send_signal(signal.SIGTERM)
    rc = proc.wait(timeout=10)
    t_end = time.monotonic() - t0
    while True:
        try:
            got.append((time.monotonic() - t0, sock.recv(4096).decode()))
        except socket.timeout:
            break
    xvfb.terminate()
    xvfb.wait()
    if os.environ.get("LW_DEBUG"):
        print(got)
    ready = [t for t, m in got if "READY=1" in m]
    beats = [t for t, m in got if "WATCHDOG=1" in m]
    check(ready and ready[0] < 5, f"READY=1 after the first frame: {ready}")
    # the stall comes 3 s into the render loop, which starts just before READY
    before = [t for t in beats if ready and ready[0] <= t < ready[0] + 2.5]
    check(len(before) >= 3, f"heartbeats every half second before the stall: {before}")
    gaps = [b - a for a, b in zip(beats, beats[1:])]
    check(gaps and max(gaps) > 4, f"heartbeats stop while the loop is blocked (largest gap {max(gaps) if gaps else 0:.1f} s)")
    check(any(t > 9 for t in beats), "heartbeats resume when the loop runs again")
    check(any("STOPPING=1" in m for _, m in got), "STOPPING=1 on SIGTERM")
    check(rc == 0, f"SIGTERM: exit status {rc}")
    # /metrics in the Prometheus text format, every sample a name, labels and a number
    samples = {}
    for line in (scraped or "").splitlines():
        if line.startswith("#") or not line:
            continue
        m = re.fullmatch(r'([a-z_]+)(\{[^}]*\})? (-?[0-9.e+]+)', line)
        check(m is not None, f"metrics line parses: {line!r}")
        if m:
            samples[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    check(healthz == "ok\n", "/healthz says ok")
    check(samples.get("lotuswall_up") == 1, "lotuswall_up 1")
    check(samples.get("lotuswall_frames_total", 0) >= 1, "frames counted")
    check('lotuswall_scene_info{scene="situation"}' in samples, "the scene is named")
    check('lotuswall_view_info{params="city=411000,period=",breadcrumb="许昌市"}' in samples,
          f"its parameters and breadcrumb: {[k for k in samples if 'view_info' in k]}")
    check(any(k.startswith("lotuswall_source_age_seconds{source=") for k in samples),
          "data age per source")
    check(samples.get("lotuswall_resident_bytes", 0) > 1e6, "memory reported")
finish()
