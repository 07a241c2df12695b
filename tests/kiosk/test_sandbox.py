#!/usr/bin/env python3
"""The units' sandboxes fit the programs they run, traced with strace
(-ff: every thread and child).

kiosk/lotuswall.service: the wall draws, serves /healthz and /metrics,
writes its status file and takes a screenshot;
kiosk/lotuswall-xinit.service: Xorg (the dummy driver, as in
tests/output/test_displays.sh) starts, compiles its keymap, runs the
xinitrc's xset and serves the wall for a few frames.
Each
- writes only under the folders its unit gives it (docs/operations.md,
  "Paths") — the wall never in its working directory or HOME;
- makes only system calls its unit's SystemCallFilter= lines allow
  (expanded by `systemd-analyze syscall-filter`);
- opens only sockets of the families in RestrictAddressFamilies=.
Exits 77 (skipped) without strace; the Xorg part needs root and Xorg."""
import json, os, re, shutil, signal, subprocess, sys, tempfile, urllib.request
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish, free_port, start_xvfb, wait_for  # noqa: E402

lw = os.path.abspath(sys.argv[1])
if not shutil.which("strace"):
    print("SKIP: no strace")
    sys.exit(77)
STRACE = ["strace", "-ff", "-y", "-qq", "-s", "256", "-o"]  # -y: descriptors with their paths


def group(name):
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


def allowed_calls(unit):
    """SystemCallFilter= as systemd reads it: the first line an allow list,
    then each line adding calls, or taking them away with ~."""
    allowed = None
    for m in re.finditer(r"^SystemCallFilter=(~?)(.*)$", unit, re.M):
        calls = set().union(*(group(n) for n in m.group(2).split()))
        if m.group(1):
            allowed -= calls
        else:
            allowed = calls if allowed is None else allowed | calls
    return allowed or set()


WRITE = re.compile(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC")
CALL = re.compile(r"^([a-z0-9_]+)\(")


def written(line):
    """The path a traced call writes, or None (also when the call failed)."""
    if re.search(r"\) += -1 E", line):
        return None
    m = re.match(r'^(openat|open|creat|mkdir|mkdirat|rename|renameat2?|unlink|unlinkat|'
                 r'link|linkat|symlink|symlinkat|truncate|chmod|fchmodat|bind)\((.*)', line)
    if not m:
        return None
    call, args = m.groups()
    if call == "bind" and "AF_UNIX" not in args:
        return None  # an address, not a file
    paths = re.findall(r'"((?:[^"\\]|\\.)*)"', args)
    if not paths or (call in ("openat", "open") and not WRITE.search(args)):
        return None
    path = paths[-1] if call.startswith(("rename", "link", "symlink")) else paths[0]
    if call == "bind" and path.startswith("@"):
        return None  # an abstract socket: no file
    at = re.match(r"\d+<([^>]*)>, ", args)  # a path relative to a folder's descriptor
    return os.path.join(at.group(1), path) if at and not path.startswith("/") else path


def traced(folder, prefix):
    lines = []
    for name in os.listdir(folder):
        if name.startswith(prefix + "."):
            lines += open(os.path.join(folder, name), errors="replace").read().splitlines()
    return lines


def check_unit(name, lines, ok_dirs):
    unit = open(os.path.join("kiosk", name)).read()
    calls = {m.group(1) for m in map(CALL.match, lines) if m}
    allowed = allowed_calls(unit)
    print(f"{name}: {len(calls)} system calls made, {len(allowed)} allowed")
    check(allowed and calls <= allowed,
          f"{name}: system calls outside SystemCallFilter=: {sorted(calls - allowed)}")
    families = set(re.findall(r"^socket\((AF_[A-Z0-9]+)", "\n".join(lines), re.M))
    restrict = set(re.search(r"^RestrictAddressFamilies=(.*)$", unit, re.M).group(1).split())
    print(f"{name}: socket families {sorted(families)}, allowed {sorted(restrict)}")
    check(families <= restrict, f"{name}: sockets outside RestrictAddressFamilies=: {families - restrict}")
    writes = sorted({w for w in map(written, lines) if w})
    print(f"{name}: written:", *[w for w in writes if "fontconfig-lotuswall/" not in w], sep="\n  ")
    outside = [w for w in writes if not os.path.isabs(w) or not w.startswith(tuple(ok_dirs))]
    check(not outside, f"{name}: writes outside the unit's folders: {outside}")


def run_wall(tmp, display, prefix=None):
    """The wall on `display` (traced to tmp/PREFIX.* when prefix is given)
    until it has drawn, served HTTP and taken a screenshot; then SIGTERM."""
    env = {k: v for k, v in os.environ.items() if k.startswith(("LSAN", "ASAN", "UBSAN", "PATH"))}
    env.update(DISPLAY=display, HOME=os.path.join(tmp, "home"), LANG="C.UTF-8",
               STATE_DIRECTORY=os.path.join(tmp, "state"),
               XDG_CACHE_HOME=os.path.join(tmp, "cache"))
    status = os.path.join(tmp, "run", "status.json")
    if os.path.exists(status):
        os.unlink(status)
    http = free_port()
    args = [lw, "run", "--status", status, "--http", f"127.0.0.1:{http}", "situation", "gdp"]
    wall = subprocess.Popen((STRACE + [os.path.join(tmp, prefix)] if prefix else []) + args,
                            env=env, cwd=os.path.join(tmp, "work"), stderr=subprocess.DEVNULL)
    check(wait_for(lambda: json.load(open(status))["frames"] >= 1, 30), f"the wall draws on {display}")
    pid = json.load(open(status))["pid"]
    for path in ("/healthz", "/metrics"):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{http}{path}", timeout=5).read()
        except OSError as e:
            check(False, f"{path}: {e}")
    shots = os.path.join(tmp, "state", "screenshots")
    before = len(os.listdir(shots)) if os.path.isdir(shots) else 0
    os.kill(pid, signal.SIGUSR1)
    check(wait_for(lambda: len(os.listdir(shots)) > before, 10), "a screenshot in $STATE_DIRECTORY")
    os.kill(pid, signal.SIGTERM)
    wall.wait(timeout=20)


def xorg_part(tmp):
    if os.geteuid() != 0 or not shutil.which("Xorg"):
        print("Xorg part skipped: needs root and Xorg")
        return
    logs = os.path.join(tmp, "log")  # LogsDirectory=
    os.mkdir(logs)
    r, w = os.pipe()
    xorg = subprocess.Popen(STRACE + [os.path.join(tmp, "xorg"), "Xorg", "-displayfd", str(w),
                                      "-config", os.path.abspath("tests/output/xorg-dummy.conf"),
                                      "-noreset", "-nolisten", "tcp", "-novtswitch", "-sharevts",
                                      "-logfile", os.path.join(logs, "Xorg.0.log")],
                            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    with os.fdopen(r) as f:
        display = ":" + f.readline().strip()
    check(display != ":", "Xorg starts under strace")
    xset = [l for l in open("kiosk/xinitrc").read().splitlines() if l.startswith("xset ")]
    subprocess.run(["sh", "-c", "; ".join(xset)], env=dict(os.environ, DISPLAY=display),
                   capture_output=True)
    run_wall(tmp, display)
    # strace -ff keeps going when signalled: end the X server itself
    with open(f"/proc/{xorg.pid}/task/{xorg.pid}/children") as f:
        for pid in f.read().split():
            os.kill(int(pid), signal.SIGTERM)
    xorg.wait(timeout=20)
    # PrivateTmp=: /tmp is the unit's own (the socket folder bound in, the
    # lock file, keymaps compiled when /var/lib/xkb is read-only, as it is
    # under ProtectSystem=); as root here Xorg also writes /var/lib/xkb and
    # /proc/mtrr, which the rootless server of the unit cannot.
    check_unit("lotuswall-xinit.service", traced(tmp, "xorg"),
               ["/tmp/", logs + "/", "/dev/", "/var/lib/xkb/", "/proc/mtrr"])


with tempfile.TemporaryDirectory() as tmp:
    for d in ("run", "state", "cache", "home", "work"):
        os.mkdir(os.path.join(tmp, d))
    xvfb, display = start_xvfb()
    run_wall(tmp, display, "wall")
    xvfb.terminate()
    xvfb.wait()
    check_unit("lotuswall.service", traced(tmp, "wall"),
               [os.path.join(tmp, d) + "/" for d in ("run", "state", "cache")] + ["/dev/"])
    check(os.listdir(os.path.join(tmp, "work")) == [] and os.listdir(os.path.join(tmp, "home")) == [],
          "nothing in the working directory or HOME")
    xorg_part(tmp)
finish()
