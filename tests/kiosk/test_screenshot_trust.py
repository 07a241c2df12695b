#!/usr/bin/env python3
"""`lotuswall screenshot` against a forged status file (issue 10, finding 2).

The command signals the pid its --status file names and copies the
screenshot the file lists. A forger who can write that file must not make
it signal another process or copy another file:
- as root it refuses to run at all;
- a status file owned by someone else is refused;
- a pid that is not a lotuswall process (a `sleep` of the same user) is
  refused, and the sleep lives;
- a listed path outside the wall's screenshot folder, or a symbolic link
  inside it, is refused and nothing is copied;
- --out is not written through a symbolic link;
and the real thing works: the copy of the wall's screenshot is owner-only.
The wall and the command run as `nobody` (the tests run as root)."""
import json, os, shutil, signal, stat, subprocess, sys, tempfile, threading
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish, start_xvfb, wait_for  # noqa: E402

lw = os.path.abspath(sys.argv[1])
NOBODY = 65534
if os.geteuid() != 0:
    print("SKIP: needs root to run the wall and the command as nobody")
    sys.exit(77)


def as_nobody():
    return dict(user=NOBODY, group=NOBODY, extra_groups=[])


def write_json(path, doc, owner=NOBODY):
    with open(path, "w") as f:
        json.dump(doc, f)
    os.chown(path, owner, owner)


def forge(path, pid, shots, owner=NOBODY):
    """A status file naming `pid`; half a second later it claims a new
    screenshot at `shots` (what the command waits for)."""
    write_json(path, {"pid": pid, "screenshot_seq": 0, "screenshots": []}, owner)
    t = threading.Timer(0.5, write_json, (path, {"pid": pid, "screenshot_seq": 1,
                                                 "screenshots": shots}, owner))
    t.start()
    return t


def gone(path):
    """True when nothing is at `path`; removes what is, for the next case."""
    if not os.path.lexists(path):
        return True
    os.unlink(path)
    return False


def screenshot(status, out, env, **kw):
    args = [lw, "screenshot", "--status", status] + (["--out", out] if out else [])
    r = subprocess.run(args, env=env, capture_output=True, text=True, timeout=20, **kw)
    return r.returncode, r.stdout.strip(), r.stderr.strip()


with tempfile.TemporaryDirectory() as tmp:
    os.chmod(tmp, 0o755)
    home = os.path.join(tmp, "home")  # the wall's (nobody's) home
    os.mkdir(home)
    os.chown(home, NOBODY, NOBODY)
    xvfb, display = start_xvfb()
    env = {"DISPLAY": display, "HOME": home, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    for k in ("LSAN_OPTIONS", "ASAN_OPTIONS", "UBSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    secret = os.path.join(home, "secret.txt")  # nobody's own file, outside the folder
    with open(secret, "w") as f:
        f.write("not a screenshot\n")
    os.chown(secret, NOBODY, NOBODY)
    os.chmod(secret, 0o600)
    forged = os.path.join(home, "forged.json")
    out = os.path.join(home, "out.png")

    # ---- root: refused before anything is read, signalled or copied
    sleeper = subprocess.Popen(["sleep", "60"])
    t = forge(os.path.join(tmp, "root.json"), sleeper.pid, ["/etc/shadow"], owner=0)
    rc, so, se = screenshot(os.path.join(tmp, "root.json"), os.path.join(tmp, "shadow.png"),
                            dict(os.environ))
    t.join()
    print("as root:", rc, se)
    check(rc == 1 and "refusing to run as root" in se, f"root is refused: {rc} {se!r}")
    check(sleeper.poll() is None, "as root: the sleep process is alive")
    check(gone(os.path.join(tmp, "shadow.png")), "as root: /etc/shadow not copied")
    sleeper.kill()
    sleeper.wait()

    # ---- no status file: no wall
    rc, so, se = screenshot(os.path.join(home, "nothing.json"), None, env, **as_nobody())
    check(rc == 1 and se.startswith(f"lotuswall: {home}/nothing.json: no running wall there ("),
          f"no status file: {rc} {se!r}")

    # ---- a `sleep` of the same user named as the wall
    sleeper = subprocess.Popen(["sleep", "60"], **as_nobody())
    t = forge(forged, sleeper.pid, [secret])
    rc, so, se = screenshot(forged, out, env, **as_nobody())
    t.join()
    print("a sleep named as the wall:", rc, se)
    check(rc == 1 and f"pid {sleeper.pid} is not a lotuswall process" in se,
          f"a pid that is not a wall is refused: {rc} {se!r}")
    check(sleeper.poll() is None, "the sleep process is alive")
    check(gone(out), "nothing copied")

    # ---- a status file owned by someone else
    t = forge(forged, sleeper.pid, [secret], owner=0)
    rc, so, se = screenshot(forged, out, env, **as_nobody())
    t.join()
    print("someone else's status file:", rc, se)
    check(rc == 1 and "is owned by uid 0, not by you" in se,
          f"a status file of another user is refused: {rc} {se!r}")
    check(sleeper.poll() is None, "the sleep process is still alive")
    sleeper.kill()
    sleeper.wait()

    # ---- a real wall (nobody's), and a forged list of its screenshots
    status = os.path.join(home, "status.json")
    log = open(os.path.join(tmp, "wall.log"), "w")
    wall = subprocess.Popen([lw, "run", "--status", status, "situation"], env=env, cwd=os.getcwd(),
                            stderr=log, **as_nobody())
    check(wait_for(lambda: json.load(open(status))["frames"] >= 1, 15), "the wall runs as nobody")
    folder = os.path.join(home, ".local/state/lotuswall/screenshots")

    t = forge(forged, wall.pid, [secret])
    rc, so, se = screenshot(forged, out, env, **as_nobody())
    t.join()
    print("a path outside the folder:", rc, se)
    check(rc == 1 and "is not in the wall's screenshot folder" in se,
          f"a path outside the screenshot folder is refused: {rc} {se!r}")
    check(gone(out), "the secret is not copied")

    check(wait_for(lambda: os.path.isdir(folder), 5), "the wall made its screenshot folder")
    link = os.path.join(folder, "screenshot-20240101-000000.png")
    os.symlink(secret, link)
    t = forge(forged, wall.pid, [link])
    rc, so, se = screenshot(forged, out, env, **as_nobody())
    t.join()
    print("a symbolic link in the folder:", rc, se)
    check(rc == 1 and "not a regular file" in se, f"a symbolic link is refused: {rc} {se!r}")
    check(gone(out), "nothing copied through the link")
    os.unlink(link)

    # ---- the real thing: the copy is the wall's screenshot, owner-only
    rc, so, se = screenshot(status, out, env, **as_nobody())
    print("the real thing:", rc, so, se)
    check(rc == 0 and so == out, f"lotuswall screenshot --out: {rc} {so!r} {se!r}")
    shots = json.load(open(status)).get("screenshots", [])
    src = os.path.join(folder, os.path.basename(shots[0])) if shots else ""
    check(shots and os.path.dirname(shots[0]) == folder, f"the wall lists its folder: {shots}")
    same = os.path.exists(out) and src and open(out, "rb").read() == open(src, "rb").read()
    check(same, "the copy is the wall's screenshot")
    mode = stat.S_IMODE(os.stat(out).st_mode) if os.path.exists(out) else None
    check(mode == 0o600, f"the copy is owner-only: {oct(mode) if mode is not None else None}")

    # ---- --out through a symbolic link: refused, its target untouched
    os.unlink(out)
    os.symlink(secret, out)
    os.lchown(out, NOBODY, NOBODY)
    rc, so, se = screenshot(status, out, env, **as_nobody())
    print("--out a symbolic link:", rc, se)
    check(rc == 1 and "a symbolic link (not written through)" in se, f"--out a link: {rc} {se!r}")
    check(open(secret).read() == "not a screenshot\n", "the link's target is untouched")

    wall.send_signal(signal.SIGTERM)
    wall.wait(timeout=10)
    xvfb.terminate()
    xvfb.wait()
    check(wall.returncode == 0, f"the wall exits 0 on SIGTERM: {wall.returncode}")
finish()
