#!/usr/bin/env python3
"""The console in a real browser (issue 12): Debian's chromium, headless,
driven by chromedriver through selenium, against a wall on Xvfb.

- A wrong password is refused on the login page.
- A presenter logs in, picks 禹州市 and a scene: the wall then shows what
  `export --param city=411081 SCENE` draws below the title bar (at most
  0.5 % of pixels differ), and the console's thumbnail is that picture.
- A viewer's steer gets 403; a POST without the CSRF token is refused.
- A second presenter is refused while the first holds control, and the
  console says who holds it.
- An expired session (--session-idle 30s; the console's own refresh does not
  keep it alive) returns the browser to the login page.
Screenshots of the console go to $LW_CONSOLE_SHOTS when it is set."""
import json, os, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish, free_port, start_xvfb, wait_for  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service as ChromeService  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

lw = os.path.abspath(sys.argv[1])
NOW = "2024-11-15T09:30:00"
W, H = 1920, 1080
IDLE_S = 30
SCENE = "gdp"
shots = os.environ.get("LW_CONSOLE_SHOTS")


def browser(tmp, tag, width=1280, height=900):
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage", f"--user-data-dir={os.path.join(tmp, 'chrome-' + tag)}",
              f"--window-size={width},{height}", "--lang=zh-CN"]:
        o.add_argument(a)
    service = ChromeService(executable_path="/usr/bin/chromedriver")
    return webdriver.Chrome(options=o, service=service)


def shot(d, name):
    if shots:
        os.makedirs(shots, exist_ok=True)
        d.save_screenshot(os.path.join(shots, name + ".png"))


def login(d, port, name, password):
    d.get(f"http://127.0.0.1:{port}/console/")
    wait_for(lambda: d.find_element(By.ID, "login").is_displayed(), 15)
    d.find_element(By.ID, "name").clear()
    d.find_element(By.ID, "name").send_keys(name)
    d.find_element(By.ID, "password").send_keys(password)
    d.find_element(By.ID, "login-button").click()


def text(d, id_):
    return d.find_element(By.ID, id_).text


def fetch(d, method, route, csrf=True, body="{}"):
    """A request from the page itself (its cookie, and its token unless not)."""
    return d.execute_async_script("""
        const [method, route, csrf, body, done] = arguments;
        const h = {"Content-Type": "application/json"};
        if (csrf) h["X-CSRF-Token"] = sessionStorage.getItem("lw-csrf");
        fetch("/api/v1/" + route, {method, headers: h, body: method === "POST" ? body : undefined})
          .then(r => r.json().then(j => done([r.status, j])));""", method, route, csrf, body)


def status(path):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return {}


def title_bottom(scene):
    """The last row of the title bar (from `lotuswall hit`)."""
    pts = [f"{W // 2},{y}" for y in range(0, 240, 2)]
    r = subprocess.run([lw, "hit", "--size", f"{W}x{H}", "--now", NOW, scene, *pts],
                       capture_output=True, text=True, check=True)
    rows = [int(line.split()[0].split(",")[1]) for line in r.stdout.splitlines()
            if len(line.split()) > 1 and line.split()[1] == "title"]
    return rows[-1]


def same_as_export(tmp, display, scene, city):
    time.sleep(1.5)  # the tweens settle
    grab, want = os.path.join(tmp, "grab.png"), os.path.join(tmp, "want.png")
    subprocess.run(["import", "-display", display, "-window", "root", grab], check=True)
    subprocess.run([lw, "export", "--now", NOW, "--size", f"{W}x{H}", "--param", f"city={city}",
                    "--out", want, scene], check=True, capture_output=True)
    y = title_bottom(scene) + 1
    for f in (grab, want):
        subprocess.run(["convert", f, "-crop", f"{W}x{H - y}+0+{y}", "+repage", f], check=True)
    r = subprocess.run(["compare", "-metric", "AE", "-fuzz", "6.3%", grab, want, "null:"],
                       capture_output=True, text=True)
    n = int(float(r.stderr.split()[0]))
    check(n * 200 <= W * (H - y), f"the wall shows {scene} for {city}: {n} pixels below the "
          f"title bar differ from the export")


with tempfile.TemporaryDirectory() as tmp:
    users = os.path.join(tmp, "users.json")
    for name, role, pw in [("张演示", "presenter", "演示口令1"), ("赵演示", "presenter", "演示口令2"),
                           ("观众", "viewer", "观看口令")]:
        subprocess.run([lw, "user", "add", name, "--role", role, "--password-stdin", "--users",
                        users], input=pw + "\n", text=True, check=True, capture_output=True)
    playlist = os.path.join(tmp, "pl.json")
    json.dump({"kind": "playlist", "version": 1,
               "scenes": [{"scene": "situation", "dwell": 3600}, {"scene": SCENE, "dwell": 3600}]},
              open(playlist, "w"))
    xvfb, display = start_xvfb(f"{W}x{H}")
    port = free_port()
    st = os.path.join(tmp, "status.json")
    wall = subprocess.Popen([lw, "run", "--now", NOW, "--status", st, "--playlist", playlist,
                             "--http", f"127.0.0.1:{port}", "--users", users,
                             "--session-idle", f"{IDLE_S}s"],
                            env=dict(os.environ, DISPLAY=display),
                            stderr=open(os.path.join(tmp, "run.log"), "w"))
    d1 = d2 = None
    try:
        check(wait_for(lambda: status(st).get("frames", 0) >= 1, 30), "the wall draws")
        d1 = browser(tmp, "one")
        login(d1, port, "张演示", "wrong")
        check(wait_for(lambda: text(d1, "login-error") == "用户名或密码错误", 10),
              f"a wrong password is refused: {text(d1, 'login-error')!r}")
        shot(d1, "login-refused")
        login(d1, port, "张演示", "演示口令1")
        check(wait_for(lambda: d1.find_element(By.ID, "console").is_displayed(), 10),
              "the presenter is in the console")
        check(wait_for(lambda: len(d1.find_elements(By.CSS_SELECTOR, "#scenes button")) >= 2, 10),
              "the console lists the scenes")
        check(wait_for(lambda: len(Select(d1.find_element(By.ID, "region")).options) >= 8, 10),
              "the region picker lists the regions")
        Select(d1.find_element(By.ID, "region")).select_by_value("411081")
        check(wait_for(lambda: status(st).get("params", {}).get("city") == "411081", 10),
              "picking 禹州市 steers the wall")
        d1.find_element(By.CSS_SELECTOR, f'#scenes button[data-scene="{SCENE}"]').click()
        check(wait_for(lambda: status(st).get("scene") == SCENE and
                       status(st).get("params", {}).get("city") == "411081", 10),
              f"then {SCENE}, still for 禹州市: {status(st).get('scene')} {status(st).get('params')}")
        same_as_export(tmp, display, SCENE, "411081")
        check(wait_for(lambda: d1.execute_script(
            "const i = document.getElementById('thumb'); return i.complete && i.naturalWidth > 0"),
            10), "the console shows the live thumbnail")
        face = d1.execute_async_script("""
            const done = arguments[0];
            new FontFace("probe", "url(/console/NotoSansSC-gb2312.woff2)").load()
              .then(f => { document.fonts.add(f); return document.fonts.load("16px probe", "禹州市"); })
              .then(l => done(l.length), e => done(String(e)));""")
        check(face == 1, f"the console's own font loads in the browser and has 禹州市: {face}")
        time.sleep(1.2)
        shot(d1, "console-presenter")

        # a viewer: looks, never steers; and no POST without the token
        d2 = browser(tmp, "two")
        login(d2, port, "观众", "观看口令")
        check(wait_for(lambda: d2.find_element(By.ID, "console").is_displayed(), 10),
              "the viewer is in the console")
        check(not d2.find_element(By.CSS_SELECTOR, '[data-post="next"]').is_enabled(),
              "the viewer's steering buttons are disabled")
        code, doc = fetch(d2, "POST", "next")
        check(code == 403 and doc["error"] == "forbidden", f"a viewer's steer: 403, got {code}")
        code, doc = fetch(d2, "POST", "logout", csrf=False)
        check(code == 403 and doc["error"] == "csrf", f"a POST without the CSRF token: {code}")
        d2.find_element(By.ID, "logout").click()
        check(wait_for(lambda: d2.find_element(By.ID, "login").is_displayed(), 10),
              "logout returns to the login page")

        # a second presenter while the first holds control
        code, doc = fetch(d1, "POST", "control", body='{"take": true}')  # a person's request
        check(code == 200, f"the first presenter holds control: {code} {doc}")
        login(d2, port, "赵演示", "演示口令2")
        check(wait_for(lambda: d2.find_element(By.ID, "console").is_displayed(), 10),
              "the second presenter is in the console")
        d2.find_element(By.CSS_SELECTOR, '[data-post="next"]').click()
        check(wait_for(lambda: "控制权由 张演示" in text(d2, "notice"), 10),
              f"the second presenter is refused, told who holds control: {text(d2, 'notice')!r}")
        check(status(st).get("scene") == SCENE, "the wall did not move")
        shot(d2, "console-refused")

        # the first presenter walks away: the console's refresh keeps going,
        # but the session ends after the idle time and the page says so
        check(wait_for(lambda: d1.find_element(By.ID, "login").is_displayed(), IDLE_S + 10),
              "an expired session returns the browser to the login page")
        check("会话已过期" in text(d1, "login-error"), f"and says why: {text(d1, 'login-error')!r}")
        shot(d1, "expired")
    finally:
        for d in (d1, d2):
            if d:
                d.quit()
        wall.terminate()
        try:
            wall.wait(timeout=30)
        except subprocess.TimeoutExpired:
            wall.kill()
        xvfb.terminate()
        log = open(os.path.join(tmp, "run.log")).read()
        check(not any(m in log for m in ("Sanitizer", "runtime error:")),
              "the wall's log has no sanitizer report (under ASan/UBSan)")
finish()
