#!/usr/bin/env python3
"""kiosk/lotuswall.service's sandbox fits the program: the wall, traced with
strace while it draws, serves /healthz and /metrics, writes its status file
and takes a screenshot,
- writes only under the folders the unit gives it (RuntimeDirectory= for the
  status file, StateDirectory= for screenshots, CacheDirectory= through
  XDG_CACHE_HOME for fontconfig's cache; docs/operations.md, "Paths") —
  never its working directory or HOME;
- makes only system calls the unit's SystemCallFilter= lines allow
  (expanded by `systemd-analyze syscall-filter`);
- opens only sockets of the families in RestrictAddressFamilies=.
Exits 77 (skipped) without strace."""
import json, os, re, shutil, signal, subprocess, sys, tempfile, urllib.request
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish, free_port, start_xvfb, wait_for  # noqa: E402

lw = os.path.abspath(sys.argv[1])
if not shutil.which("strace"):
    print("SKIP: no strace")
    sys.exit(77)
unit = open(os.path.join("kiosk", "lotuswall.service")).read()


def group(name, seen=None):
    """The system calls of a name or @group, groups expanded."""
    if not name.startswith("@"):
        return {name}
    out = subprocess.run(["systemd-analyze", "syscall-filter", name], capture_output=True,
                         text=True, check=True).stdout
    calls = set()
    for line in out.splitlines()[1:]:
        item = line.strip()
        if item and not item.startswith("#") and re.fullmatch(r"@?[a-z0-9_-]+", item):
            calls |= group(item)
    return calls


def allowed_calls():
    """SystemCallFilter= as systemd reads it: the first allow list, then
    each ~ line taking calls away."""
    allowed = None
    for m in re.finditer(r"^SystemCallFilter=(~?)(.*)$", unit, re.M):
        calls = set().union(*(group(n) for n in m.group(2).split()))
        if m.group(1):
            allowed -= calls
        else:
            allowed = calls if allowed is None else allowed | calls
    return allowed


WRITE = re.compile(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC")
CALL = re.compile(r"^([a-z0-9_]+)\(")


def written(line):
    """The path a traced call writes, or None (also when the call failed)."""
    if re.search(r"\) += -1 E", line):
        return None
    m = re.match(r'^(openat|open|creat|mkdir|mkdirat|rename|renameat2?|unlink|unlinkat|'
                 r'link|linkat|symlink|symlinkat|truncate|chmod|fchmodat)\((.*)', line)
    if not m:
        return None
    call, args = m.groups()
    paths = re.findall(r'"((?:[^"\\]|\\.)*)"', args)
    if not paths:
        return None
    if call in ("openat", "open") and not WRITE.search(args):
        return None
    path = paths[-1] if call.startswith(("rename", "link", "symlink")) else paths[0]
    at = re.match(r"\d+<([^>]*)>, ", args)  # -y: a folder's descriptor shows its path
    return os.path.join(at.group(1), path) if at and not path.startswith("/") else path


with tempfile.TemporaryDirectory() as tmp:
    KEEP = os.environ.get("LW_KEEP_TRACE")
    for d in ("run", "state", "cache", "home", "work"):
        os.mkdir(os.path.join(tmp, d))
    xvfb, display = start_xvfb()
    env = {k: v for k, v in os.environ.items() if k.startswith(("LSAN", "ASAN", "UBSAN", "PATH"))}
    env.update(DISPLAY=display, HOME=os.path.join(tmp, "home"), LANG="C.UTF-8",
               STATE_DIRECTORY=os.path.join(tmp, "state"),
               XDG_CACHE_HOME=os.path.join(tmp, "cache"))
    status = os.path.join(tmp, "run", "status.json")
    trace = os.path.join(tmp, "trace")
    http = free_port()
    # -ff: a file per thread, so no call is split into "unfinished" and "resumed"
    wall = subprocess.Popen(["strace", "-ff", "-y", "-qq", "-s", "256", "-o", trace, lw, "run",
                             "--status", status, "--http", f"127.0.0.1:{http}", "situation", "gdp"],
                            env=env, cwd=os.path.join(tmp, "work"), stderr=subprocess.DEVNULL)
    check(wait_for(lambda: json.load(open(status))["frames"] >= 1, 30), "the wall draws under strace")
    pid = json.load(open(status))["pid"]
    for path in ("/healthz", "/metrics"):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{http}{path}", timeout=5).read()
        except OSError as e:
            check(False, f"{path}: {e}")
    os.kill(pid, signal.SIGUSR1)
    shots = os.path.join(tmp, "state", "screenshots")
    check(wait_for(lambda: os.listdir(shots), 10), "a screenshot in $STATE_DIRECTORY/screenshots")
    os.kill(pid, signal.SIGTERM)
    wall.wait(timeout=20)
    xvfb.terminate()
    xvfb.wait()

    lines = []
    for name in os.listdir(tmp):
        if name.startswith("trace."):
            lines += open(os.path.join(tmp, name), errors="replace").read().splitlines()
    calls = {m.group(1) for m in map(CALL.match, lines) if m}
    allowed = allowed_calls()
    print(f"{len(calls)} system calls made, {len(allowed or ())} allowed by the unit")
    check(allowed and calls <= allowed,
          f"system calls outside the unit's SystemCallFilter=: {sorted(calls - (allowed or set()))}")

    families = set(re.findall(r"^socket\((AF_[A-Z0-9]+)", "\n".join(lines), re.M))
    restrict = set(re.search(r"^RestrictAddressFamilies=(.*)$", unit, re.M).group(1).split())
    print("socket families:", sorted(families), "allowed:", sorted(restrict))
    check(families <= restrict, f"sockets outside RestrictAddressFamilies=: {families - restrict}")

    ok_dirs = [os.path.join(tmp, d) + "/" for d in ("run", "state", "cache")] + ["/dev/"]
    writes = sorted({w for w in map(written, lines) if w})
    print("written:", *writes, sep="\n  ")
    outside = [w for w in writes if not os.path.isabs(w) or not w.startswith(tuple(ok_dirs))]
    check(not outside, f"writes outside the unit's folders: {outside}")
    check(os.listdir(os.path.join(tmp, "work")) == [] and os.listdir(os.path.join(tmp, "home")) == [],
          "nothing in the working directory or HOME")
    if KEEP:  # LW_KEEP_TRACE=FILE: the trace, to read
        open(KEEP, "w").write("\n".join(lines))
finish()
