"""What the Python tests share: check() counts, finish() prints the closing
line ("N passed, N failed") and exits non-zero on any failure."""
import sys

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL", what, flush=True)


def wait_until(cond, limit_s, every=0.002):
    """Calls cond() until it is true (True) or limit_s seconds passed (False)."""
    import time
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit_s:
        if cond():
            return True
        time.sleep(every)
    return False


def q(sql, user=None):
    """psql -c sql (as `user`, else PGUSER): (exit status, output or error)."""
    import subprocess
    r = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql] +
                       (["-U", user] if user else []), capture_output=True, text=True)
    return r.returncode, (r.stdout.strip() or r.stderr.strip())


def q1(sql, user=None):
    """q() that must succeed: its output."""
    rc, out = q(sql, user)
    assert rc == 0, out
    return out


def finish():
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def start_xvfb(size="1280x720"):
    """A private X server (Xvfb) for tests of the wall: returns (process,
    DISPLAY). The caller terminates the process."""
    import os, subprocess, time
    r, w = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", f"{size}x24",
                             "-nolisten", "tcp"], pass_fds=(w,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    with os.fdopen(r) as f:
        display = ":" + f.readline().strip()
    return xvfb, display


def press(display, key):
    """Presses a key in the wall's window on `display`."""
    import os, subprocess
    env = dict(os.environ, DISPLAY=display)
    if subprocess.run(["xdotool", "search", "--class", "lotuswall", "windowactivate", "--sync",
                       "key", key], env=env, capture_output=True).returncode != 0:
        subprocess.run(["xdotool", "key", key], env=env, check=True)


def wait_for(fn, timeout=10.0, step=0.05):
    """Polls fn() until it returns something true; returns that, or None."""
    import time
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            v = fn()
        except (OSError, ValueError, KeyError):
            v = None
        if v:
            return v
        time.sleep(step)
    return None


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
