#!/usr/bin/env python3
"""Drill-down by mouse and by touch on a real X server (Xvfb, 1920×1080).

A county is clicked with xdotool in a ranking and a 3D bar chart
(situation) and on the map (help-map). Each time `--status` names the scene,
its parameters and the breadcrumb, and the window below the title bar is the
picture `export --param city=<that county>` draws (at most 0.5 % of pixels
more than 16 levels off). Back goes back (the title bar's back mark, Escape),
and the idle return brings the rotation's scene back. Then the same through
SDL finger events (tests/output/touch_driver.c): a tap drills, a drag does
not, the back mark takes a tap, and the title bar's pickers choose a county
and a month (the window then equals the export with both parameters). A running
wall given a drill that leads nowhere keeps its last good scene. On a wall of two outputs,
one of them a panel turned 90°, a click on either drills to the county under it. Pushed finger events are never turned
into mouse events by SDL, so the finger path works on its own.

Where to click comes from `lotuswall hit`, which asks the same hit tests the
wall asks: the test looks for the points whose drill leads to the county and
clicks the middle one."""
import functools, json, os, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish, start_xvfb  # noqa: E402

lw, driver = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
NOW = "2024-11-15T09:30:00"
W, H = 1920, 1080


def hit(scene, points, picker=None, crumbs=None):
    """(x, y, panel, row, drill, label) for each point, as `lotuswall hit` says
    (with that picker open, or that breadcrumb drawn, as on the wall)."""
    more = (["--picker", picker] if picker else []) + (["--breadcrumb", ",".join(crumbs)] if crumbs else [])
    out = subprocess.run([lw, "hit", "--now", NOW, "--size", f"{W}x{H}", scene] + more +
                         [f"{x},{y}" for x, y in points], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"lotuswall hit {scene}: exit {out.returncode}: {out.stderr[-600:]}")
    out = out.stdout
    rows = []
    for line in out.splitlines():
        f = line.split("\t") + ["", ""]
        x, y = (int(v) for v in f[0].split(","))
        rows.append((x, y, f[1], int(f[2]), f[3], f[4]))
    return rows


@functools.lru_cache(maxsize=None)
def coarse(scene):
    """Every 30th pixel of the scene and the panel there (the scans are the
    test's cost under ASan: each point is a hit test)."""
    return [(x, y, p) for x, y, p, *_ in hit(scene, [(x, y) for y in range(10, H, 30)
                                                     for x in range(10, W, 30)])]


def point_for(scene, panel, city):
    """The middle of the points of `panel` whose drill sets city=CITY."""
    inside = [(x, y) for x, y, p in coarse(scene) if p == panel]
    x0, x1 = min(x for x, _ in inside) - 30, max(x for x, _ in inside) + 30
    y0, y1 = min(y for _, y in inside) - 30, max(y for _, y in inside) + 30
    fine = [(x, y) for y in range(max(y0, 0), min(y1, H), 15) for x in range(max(x0, 0), min(x1, W), 15)]
    mine = [(x, y) for x, y, p, row, drill, _ in hit(scene, fine)
            if p == panel and f" city={city}" in f" {drill}"]
    assert mine, f"{scene}: no point of {panel} drills to {city}"
    cx = sum(x for x, _ in mine) / len(mine)
    cy = sum(y for _, y in mine) / len(mine)
    return min(mine, key=lambda p: (p[0] - cx) ** 2 + (p[1] - cy) ** 2)


@functools.lru_cache(maxsize=None)
def title_bar(scene):
    """The first and the last row of pixels of the title bar."""
    rows = [y for x, y, p, *_ in hit(scene, [(W // 2, y) for y in range(0, 300)]) if p == "title"]
    return rows[0], rows[-1]


def title_point(scene, want, picker=None, crumbs=None):
    """The middle of the title bar's points whose row is `want` (an int: widget.h
    TITLE_*) or whose choice is `want` (a string: "city=411081")."""
    top, bottom = title_bar(scene)
    grid = [(x, y) for y in range(top + 2, bottom, 8) for x in range(0, W, 12)]
    pts = [(x, y) for x, y, p, row, drill, _ in hit(scene, grid, picker, crumbs)
           if p == "title" and (row == want if isinstance(want, int) else drill == "pick " + want)]
    assert pts, f"{scene}: nothing on the title bar answers {want}"
    cx, cy = sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts)
    return min(pts, key=lambda p: (p[0] - cx) ** 2 + (p[1] - cy) ** 2)


BACK, HOME, REGION, PERIOD = 0, 1, 2, 3  # widget.h: TITLE_*


def status(path):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return {}


def wait_for(path, what, cond, timeout=15):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        s = status(path)
        if cond(s):
            return s
        time.sleep(0.1)
    check(False, f"{what}: status {json.dumps(status(path), ensure_ascii=False)[:400]}")
    return status(path)


def differing(a, b):
    r = subprocess.run(["compare", "-metric", "AE", "-fuzz", "6.3%", a, b, "null:"],
                       capture_output=True, text=True)
    return int(float(r.stderr.split()[0]))


# Panels that page with the clock (tables turn a page every few seconds):
# the wall's clock runs on from --now, the export's stands still
PAGING = {"help-map": ["teams", "key_appeals"]}


@functools.lru_cache(maxsize=None)
def panel_box(scene, panel):
    inside = [(x, y) for x, y, p in coarse(scene) if p == panel]
    return (min(x for x, _ in inside) - 30, min(y for _, y in inside) - 30,
            max(x for x, _ in inside) + 30, max(y for _, y in inside) + 30)


def same_as_export(tmp, display, scene, city, what, more=()):
    """The window below the title bar against the export for that county
    (panels that page with the clock blanked in both)."""
    time.sleep(1.5)  # the fade and the tweens settle
    slug = f"{scene}-{city}"
    grab, want = os.path.join(tmp, f"grab-{slug}.png"), os.path.join(tmp, f"want-{slug}.png")
    subprocess.run(["import", "-display", display, "-window", "root", grab], check=True)
    params = [a for p in [f"city={city}", *more] for a in ("--param", p)]
    subprocess.run([lw, "export", "--now", NOW, "--size", f"{W}x{H}", *params, "--out", want, scene],
                   check=True, capture_output=True)
    y = title_bar(scene)[1] + 1
    blank = []
    for panel in PAGING.get(scene, []):
        blank += ["-draw", "rectangle %d,%d %d,%d" % panel_box(scene, panel)]
    for f in (grab, want):
        subprocess.run(["convert", f, "-fill", "black", *blank, "-crop", f"{W}x{H - y}+0+{y}",
                        "+repage", f], check=True)
    n = differing(grab, want)
    check(n * 200 <= W * (H - y), f"{what}: {n} pixels below the title bar differ from the export")


def xdo(display, *args):
    subprocess.run(["xdotool", *args], env=dict(os.environ, DISPLAY=display), check=True)


def at_root(scene):
    return lambda s: s.get("scene") == scene and s.get("breadcrumb") == ["许昌市"] and \
        s.get("params", {}).get("city") == "411000"


def drilled(scene, city, name):
    return lambda s: s.get("scene") == scene and s.get("breadcrumb") == ["许昌市", name] and \
        s.get("params") == {"city": city, "period": ""}


with tempfile.TemporaryDirectory() as tmp:
    playlist = os.path.join(tmp, "pl.json")
    json.dump({"kind": "playlist", "version": 1, "idle_return": 10,
               "scenes": [{"scene": "situation", "dwell": 3600}, {"scene": "help-map", "dwell": 3600}]},
              open(playlist, "w"))
    rank = point_for("situation", "district_rank", "411081")
    bars = point_for("situation", "bars3d", "411082")
    district = point_for("help-map", "map", "411081")
    district2 = point_for("help-map", "map", "411082")
    for scene in ("situation", "help-map"):  # worked out before the walls run (slow under ASan)
        title_bar(scene)
        for panel in PAGING.get(scene, []):
            panel_box(scene, panel)
    back = title_point("situation", BACK, crumbs=["许昌市", "禹州市"])

    # ---- the mouse (xdotool)
    xvfb, display = start_xvfb(f"{W}x{H}")
    st = os.path.join(tmp, "status.json")
    wall = subprocess.Popen([lw, "run", "--now", NOW, "--status", st, "--playlist", playlist],
                            env=dict(os.environ, DISPLAY=display), stderr=open(os.path.join(tmp, "run.log"), "w"))
    wait_for(st, "the first frame", lambda s: s.get("frames", 0) >= 1)
    xdo(display, "mousemove", *map(str, rank), "click", "1")
    wait_for(st, "a click on 禹州市 in the ranking", drilled("situation", "411081", "禹州市"))
    same_as_export(tmp, display, "situation", "411081", "ranking → 禹州市")
    xdo(display, "mousemove", *map(str, back), "click", "1")
    wait_for(st, "the back mark", at_root("situation"))

    xdo(display, "mousemove", *map(str, bars), "click", "1")
    wait_for(st, "a click on 长葛市 in the 3D bars", drilled("situation", "411082", "长葛市"))
    same_as_export(tmp, display, "situation", "411082", "3D bars → 长葛市")
    xdo(display, "key", "Escape")
    wait_for(st, "Escape", at_root("situation"))

    xdo(display, "key", "Right")
    wait_for(st, "→ to help-map", at_root("help-map"))
    xdo(display, "mousemove", *map(str, district), "click", "1")
    wait_for(st, "a click on 禹州市 on the map", drilled("help-map", "411081", "禹州市"))
    same_as_export(tmp, display, "help-map", "411081", "map → 禹州市")
    xdo(display, "key", "Home")
    wait_for(st, "Home", at_root("help-map"))
    xdo(display, "mousemove", *map(str, district2), "click", "1")
    t0 = time.monotonic()  # the last input: the idle return counts from here
    wait_for(st, "a click on 长葛市 on the map", drilled("help-map", "411082", "长葛市"))
    wait_for(st, "the idle return", at_root("help-map"), timeout=20)
    idle = time.monotonic() - t0
    check(9.5 <= idle <= 16, f"the idle return came after {idle:.1f} s (idle_return 10)")
    wall.terminate()
    check(wall.wait(10) == 0, "the wall exits cleanly")
    log = open(os.path.join(tmp, "run.log")).read()
    check("touch on district_rank row" in log, "the log names the touch: " + log[-300:])

    # ---- touch: SDL finger events, no mouse
    st = os.path.join(tmp, "status-touch.json")
    wall = subprocess.Popen([driver, "run", "--now", NOW, "--status", st, "--playlist", playlist],
                            env=dict(os.environ, DISPLAY=display), stdin=subprocess.PIPE, text=True,
                            stderr=open(os.path.join(tmp, "touch.log"), "w"))
    wait_for(st, "touch: the first frame", lambda s: s.get("frames", 0) >= 1)

    def send(line):
        wall.stdin.write(line + "\n")
        wall.stdin.flush()

    frac = lambda p: f"{p[0] / W:.5f} {p[1] / H:.5f}"  # noqa: E731
    send("drag " + frac(rank) + " " + frac((rank[0] + 200, rank[1])))
    time.sleep(1)
    check(at_root("situation")(status(st)), "a drag is not a tap: " + str(status(st).get("breadcrumb")))
    send("finger " + frac(rank))
    wait_for(st, "touch: a tap on 禹州市 in the ranking", drilled("situation", "411081", "禹州市"))
    same_as_export(tmp, display, "situation", "411081", "touch: ranking → 禹州市")
    send("finger " + frac(bars))
    wait_for(st, "touch: a tap on 长葛市 from 禹州市's view",
             lambda s: s.get("breadcrumb") == ["许昌市", "禹州市", "长葛市"] and
             s.get("params", {}).get("city") == "411082")
    send("finger " + frac(back))
    wait_for(st, "touch: the back mark", drilled("situation", "411081", "禹州市"))
    send("finger " + frac(back))
    wait_for(st, "touch: back at the root", at_root("situation"))

    # the title bar's pickers: the title opens the regions, the left text the periods
    send("finger " + frac(title_point("situation", REGION)))
    wait_for(st, "touch: the title opens the region picker", lambda s: s.get("picker") == "city")
    send("finger " + frac(title_point("situation", "city=411081", "city")))
    wait_for(st, "touch: 禹州市 chosen", drilled("situation", "411081", "禹州市"))
    send("finger " + frac(title_point("situation", PERIOD, crumbs=["许昌市", "禹州市"])))
    wait_for(st, "touch: the period opens the period picker", lambda s: s.get("picker") == "period")
    send("finger " + frac(title_point("situation", "period=2024-06", "period")))
    wait_for(st, "touch: June chosen", lambda s: s.get("picker") is None and
             s.get("breadcrumb") == ["许昌市", "禹州市", "2024年6月"] and
             s.get("params") == {"city": "411081", "period": "2024-06"})
    same_as_export(tmp, display, "situation", "411081", "touch: 禹州市 in June", ["period=2024-06"])
    send("finger " + frac(title_point("situation", HOME, crumbs=["许昌市", "禹州市", "2024年6月"])))
    wait_for(st, "touch: the home mark", at_root("situation"))
    wall.stdin.close()
    wall.terminate()
    check(wall.wait(10) == 0, "touch: the wall exits cleanly")
    if os.environ.get("LW_TOUCH_KEEP"):
        subprocess.run(f"cp {tmp}/*.log {tmp}/*.png /tmp/touchdbg/", shell=True)
    xvfb.terminate()
    xvfb.wait()

    # ---- a wall of two outputs, the second a panel mounted turned 90°: a click
    # is mapped through the output it lands on to the canvas (2000×1280)
    walls = os.path.join(tmp, "wall.json")
    json.dump({"kind": "wall", "version": 1, "name": "touch test", "outputs": [
        {"name": "landscape", "display": 0, "position": [0, 0], "x": 0, "y": 0, "width": 1280, "height": 720},
        {"name": "portrait", "display": 0, "position": [0, 720], "x": 1280, "y": 0, "width": 720,
         "height": 1280, "rotation": 90}]}, open(walls, "w"))
    CW, CH = 2000, 1280

    def canvas_point(panel, want, inside):
        """A point of `panel` on the canvas, inside an output, whose drill sets `want`
        ("city=411082", or "project=" for any project): the point and the drill."""
        pts = [(x, y) for y in range(0, CH, 16) for x in range(0, CW, 16) if inside(x, y)]
        out = subprocess.run([lw, "hit", "--now", NOW, "--size", f"{CW}x{CH}", "situation"] +
                             [f"{x},{y}" for x, y in pts], capture_output=True, text=True).stdout
        mine = [(tuple(map(int, f[0].split(","))), f[3]) for f in
                ((l.split("\t") + [""] * 4) for l in out.splitlines())
                if f[1] == panel and " " + want in " " + f[3]]
        assert mine, f"no point of {panel} → {want} on that output"
        return mine[len(mine) // 2]

    # the portrait output shows the canvas right of x = 1280: the projects are there
    on_portrait, drill = canvas_point("projects", "project=", lambda x, y: x >= 1280 + 20)
    project = drill.split("project=")[1].split()[0]
    on_landscape, _ = canvas_point("bars3d", "city=411082", lambda x, y: x < 1280 - 20 and y < 720 - 20)
    xvfb, display = start_xvfb("1280x1440")
    st = os.path.join(tmp, "status-wall.json")
    wall = subprocess.Popen([lw, "run", "--now", NOW, "--status", st, "--wall", walls, "situation"],
                            env=dict(os.environ, DISPLAY=display), stderr=open(os.path.join(tmp, "wall.log"), "w"))
    wait_for(st, "wall: the first frame", lambda s: s.get("frames", 0) >= 1)
    # the portrait window (screen y 720…1440) shows canvas (1280 + px, py) at (py, 720 + 720 - px)
    px, py = on_portrait[0] - 1280, on_portrait[1]
    xdo(display, "mousemove", str(py), str(720 + 720 - px), "click", "1")
    wait_for(st, "wall: a click on the turned output",
             lambda s: s.get("scene") == "project" and s.get("params", {}).get("project") == project
             and len(s.get("breadcrumb", [])) == 2)
    xdo(display, "key", "Escape")
    wait_for(st, "wall: Escape", at_root("situation"))
    xdo(display, "mousemove", *map(str, on_landscape), "click", "1")
    wait_for(st, "wall: a click on the landscape output", drilled("situation", "411082", "长葛市"))
    wall.terminate()
    check(wall.wait(10) == 0, "wall: exits cleanly")
    xvfb.terminate()
    xvfb.wait()

    # ---- a running wall given a drill that leads nowhere keeps its last good scene
    scene = os.path.join(tmp, "s.json")
    good = json.load(open("scenes/situation.json", encoding="utf-8"))
    json.dump(good, open(scene, "w"), ensure_ascii=False)
    st = os.path.join(tmp, "status-edit.json")
    log = os.path.join(tmp, "edit.log")
    wall = subprocess.Popen([lw, "run", "--now", NOW, "--windowed", "320x180", "--status", st, scene],
                            env=dict(os.environ, SDL_VIDEODRIVER="dummy"), stderr=open(log, "w"))
    wait_for(st, "edit: the first frame", lambda s: s.get("frames", 0) >= 1)
    bad = json.loads(json.dumps(good))
    rank = next(i for i, p in enumerate(bad["panels"]) if p["id"] == "district_rank")
    bad["panels"][rank]["drill"]["scene"] = "nosuch"
    json.dump(bad, open(scene + ".new", "w"), ensure_ascii=False)
    os.rename(scene + ".new", scene)
    want = f"s.json: panels[{rank}].drill.scene: nosuch: no such scene"
    t0 = time.monotonic()
    while time.monotonic() - t0 < 10 and want not in open(log).read():
        time.sleep(0.1)
    text = open(log).read()
    check(want in text and "(the wall keeps the last good version)" in text,
          "a drill that leads nowhere is refused by the running wall: " + text[-300:])
    time.sleep(1.2)
    check(status(st).get("scene") == "s" and wall.poll() is None, "the wall shows its last good scene")
    wall.terminate()
    check(wall.wait(10) == 0, "edit: the wall exits cleanly")
finish()
