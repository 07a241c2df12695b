#!/usr/bin/env python3
"""`lotuswall run --db --publish DIR --publish-db` against the server of
tests/pg/with_pg.sh: a row updated in PostgreSQL reaches the published data
exchange document (file and table), the median time is printed, and SIGTERM
stops the publisher cleanly. Uses psql for the database side."""
import glob, json, os, signal, statistics, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish, wait_until  # noqa: E402

lw = sys.argv[1]


def psql(sql):
    return subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()

def gdp_value(path):
    doc = json.load(open(path, encoding="utf-8"))
    panel = next(p for p in doc["scenes"][0]["panels"] if p["id"] == "gdp")
    return panel["rows"][0]["value"]

# the publisher writes documents; the engine role may insert them
psql("GRANT lotuswall_engine TO lotuswall")
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "pub")
    proc = subprocess.Popen([lw, "run", "--db", "", "--cache", os.path.join(tmp, "cache"),
                             "--publish", out, "--publish-db", "gdp"],
                            stderr=subprocess.PIPE, text=True)
    def docs():
        return sorted(glob.glob(os.path.join(out, "exchange-*.json")))
    deadline = time.time() + 10
    while not docs() and time.time() < deadline:
        time.sleep(0.01)
    check(docs(), "a first document is published")
    base = float(psql("SELECT value FROM lotuswall_data.indicator_values WHERE region_code = '411000' "
                      "AND indicator = 'gdp' AND period = '2024-09'"))
    took = []
    for i in range(1, 10):
        want = round(base + i, 2)
        n = len(docs())
        t0 = time.monotonic()
        psql(f"UPDATE lotuswall_data.indicator_values SET value = {want} WHERE region_code = '411000' "
             "AND indicator = 'gdp' AND period = '2024-09'")
        seen = wait_until(lambda: len(docs()) > n and gdp_value(docs()[-1]) == want, 2)
        took.append((time.monotonic() - t0) * 1000)
        check(seen, f"update {i} reaches the published document")
    print(f"row updated → new exchange document on disk: median {statistics.median(took):.1f} ms, "
          f"max {max(took):.1f} ms ({len(took)} updates)")
    rows = int(psql("SELECT count(*) FROM lotuswall.exchange_documents"))
    check(rows >= 10, f"documents in lotuswall.exchange_documents: {rows}")
    last = psql("SELECT document->'scenes'->0->'panels'->1->'rows'->0->>'value' FROM "
                "lotuswall.exchange_documents ORDER BY id DESC LIMIT 1")
    check(float(last) == round(base + 9, 2), "the table holds the latest document")
    proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = -1
    check(rc == 0, f"SIGTERM stops the publisher cleanly (exit {rc})")
    psql(f"UPDATE lotuswall_data.indicator_values SET value = {base} WHERE region_code = '411000' "
         "AND indicator = 'gdp' AND period = '2024-09'")
finish()
