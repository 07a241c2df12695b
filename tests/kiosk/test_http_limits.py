#!/usr/bin/env python3
"""The health server against slow and greedy clients (issue 10, finding 3).

The wall runs under `prlimit --nofile=256` with --http and --status. 300
connections from 127.0.0.2 send a header line every 2 s and never finish
their request (slowloris); meanwhile /healthz from 127.0.0.1 must answer and
the status file must keep being rewritten. A request announcing a body over
the cap gets 413; an idle connection is closed after the timeout. Then the
status file's folder goes away: the failed write is logged once for the
streak, and once more when writing works again."""
import json, os, resource, shutil, socket, subprocess, sys, tempfile, time
import urllib.request
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish, free_port, start_xvfb, wait_for  # noqa: E402

lw = os.path.abspath(sys.argv[1])
SLOW = 300

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft < SLOW + 200:  # our own sockets
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))


def healthz(port):
    try:
        return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3).read().decode()
    except OSError as e:
        return f"error: {e}"


def status(path):
    with open(path) as f:
        return json.load(f)


with tempfile.TemporaryDirectory() as tmp:
    xvfb, display = start_xvfb()
    port = free_port()
    folder = os.path.join(tmp, "run")
    os.mkdir(folder)
    status_path = os.path.join(folder, "status.json")
    log_path = os.path.join(tmp, "wall.log")
    log = open(log_path, "w")
    env = dict(os.environ, DISPLAY=display)
    wall = subprocess.Popen(["prlimit", "--nofile=256:256", lw, "run", "--http", f"127.0.0.1:{port}",
                             "--status", status_path, "situation"],
                            env=env, stderr=log, stdout=subprocess.DEVNULL)
    check(wait_for(lambda: status(status_path)["frames"] >= 1, 15), "the wall draws its first frame")
    check(healthz(port) == "ok\n", "/healthz answers before the attack")

    def fds():  # the wall's open descriptors (prlimit execs the wall: same pid)
        return len(os.listdir(f"/proc/{wall.pid}/fd"))

    fds_before = fds()

    # ---- slowloris from one address: a header line every 2 s, never the end
    slow = []
    for _ in range(SLOW):
        s = socket.socket()
        s.settimeout(1)
        try:
            s.bind(("127.0.0.2", 0))
            s.connect(("127.0.0.1", port))
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: wall\r\n")
            slow.append(s)
        except OSError:
            s.close()
    print(f"{len(slow)} slow connections open")
    t0 = time.monotonic()
    answers, uptimes = [], []
    while time.monotonic() - t0 < 8:
        for s in slow:
            try:
                s.sendall(b"X-Slow: 1\r\n")
            except OSError:
                pass
        answers.append(healthz(port))
        fds_during = fds()
        try:
            uptimes.append(status(status_path)["uptime_s"])
        except (OSError, ValueError):
            pass
        time.sleep(2)
    print(f"descriptors of the wall: {fds_before} before, {fds_during} during the attack")
    check(fds_during - fds_before <= 64, "the attack takes at most HTTP_MAX_CONNECTIONS descriptors")
    print("answers during the attack:", answers)
    print("uptime_s in the status file:", uptimes)
    check(all(a == "ok\n" for a in answers), f"/healthz answers during the attack: {answers}")
    check(len(uptimes) >= 3 and uptimes[-1] >= uptimes[0] + 4,
          f"the status file keeps being rewritten during the attack: {uptimes}")
    for s in slow:
        s.close()

    # ---- a body over the cap is refused before it is read
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"POST /healthz HTTP/1.1\r\nHost: wall\r\nContent-Length: 100000000\r\n\r\n")
    head = s.recv(200).decode(errors="replace")
    s.close()
    check(head.startswith("HTTP/1.1 413"), f"a body over the cap: 413 ({head.splitlines()[:1]})")

    # ---- an idle connection is closed after the timeout
    s = socket.create_connection(("127.0.0.1", port), timeout=15)
    t = time.monotonic()
    try:
        s.recv(1)
    except OSError:
        pass
    idle = time.monotonic() - t
    s.close()
    check(idle < 7, f"an idle connection is closed within 7 s (after {idle:.1f} s)")

    # ---- a failed status write is logged once per failure streak
    # renamed first: the wall may be writing its next status file into it, and
    # a folder emptied while a file appears in it cannot be removed
    os.rename(folder, folder + ".gone")
    shutil.rmtree(folder + ".gone")
    time.sleep(3.5)
    os.mkdir(folder)
    check(wait_for(lambda: os.path.exists(status_path), 5), "the status file comes back")
    time.sleep(0.5)
    wall.terminate()
    wall.wait(timeout=10)
    xvfb.terminate()
    xvfb.wait()
    log.close()
    text = open(log_path).read()
    failed = [l for l in text.splitlines() if "status" in l and "cannot write" in l]
    again = [l for l in text.splitlines() if "status" in l and "written again" in l]
    print("\n".join(failed + again))
    check(len(failed) == 1, f"the failed status write logged once for the streak: {len(failed)} lines")
    check(len(again) == 1, f"its recovery logged once: {len(again)} lines")
    check(wall.returncode == 0, f"SIGTERM: exit status {wall.returncode}")
finish()
