#!/usr/bin/env python3
"""Every scene serves any region (issue 11), through the exchange export (what
the wall shows): every shipped scene for every region of the regions table
(the city and its seven counties) and for two periods (the newest data and
June 2024). No panel is empty or in error, every scene title names its
region, every period shown (a KPI's above all) is at or before the chosen
one, a county's KPI ranks are among Henan's counties and the city's among its
cities, the 演示数据 mark comes from the data (no scene file writes it), and
the counties' figures compose to the city's. One export per region and
period, a few at a time."""
import concurrent.futures, csv, glob, json, os, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish  # noqa: E402

lw = sys.argv[1]
# the scenes that serve a region (the detail scenes show one item, whatever the region:
# test_golden's test_drill_targets covers them)
scenes = sorted(p for p in glob.glob("scenes/*.json")
                if "city" in json.load(open(p, encoding="utf-8")).get("params", {}))
catalog = json.load(open("db/catalog.json", encoding="utf-8"))
# tables `lotuswall report` fills as it runs: the demo has no rows for them
made_later = {t["name"] for t in catalog["tables"] if t.get("producer") == "report"}
# events the warning engine publishes: a county may have none
events = {t["name"] for t in catalog["tables"] if t.get("producer") == "engine"}
regions = list(csv.DictReader(open("db/demo/regions.csv", encoding="utf-8")))
CITY = next(r["code"] for r in regions if r["kind"] == "city")
PERIODS = {"": "2024-10", "2024-06": "2024-06"}
may_be_empty = {os.path.basename(p)[:-5]: {q["id"] for q in json.load(open(p, encoding="utf-8"))["panels"]
                                             if "empty" in q} for p in scenes}  # the chosen period: the newest it may show


def export(tmp, code, period):
    out = os.path.join(tmp, f"{code}-{period or 'newest'}.json")
    args = ["--param", f"city={code}"] + (["--param", f"period={period}"] if period else [])
    subprocess.run([lw, "export", "--now", "2024-11-15T09:30:00", "--out", out] + args + scenes,
                   check=True)
    return {s["name"]: s for s in json.load(open(out, encoding="utf-8"))["scenes"]}


def check_scene(name, s, region, until, label):
    where = f"{label}: {name}"
    check(region["name"] in s["title"], f"{where}: the title names {region['name']}: {s['title']}")
    check(s["subtitle"].endswith("演示数据"), f"{where}: the demo data's mark: {s['subtitle']}")
    for p in s["panels"]:
        at = f"{where}#{p['id']}"
        src = p.get("source", {}).get("name")
        if p["status"] == "no_binding" or src in made_later:
            continue
        # an engine's events, or a list where none is news (a panel's "empty": 无进度滞后项目)
        quiet = p["status"] == "empty" and (src in events or p["id"] in may_be_empty[name])
        check(p["status"] == "ok" or quiet, f"{at}: status {p['status']} {p.get('error', '')}")
        if "period" in p:
            check(p["period"] <= until, f"{at}: period {p['period']} after {until}")
        for row in p.get("rows", []) if p["widget"] == "kpi" else []:
            if row.get("rank") is not None and "rank_scope" in row:
                want = "全省" if region["code"] == CITY else "全省县域"
                check(row["rank_scope"] == want and 1 <= row["rank"] <= 102,
                      f"{at}: rank {row['rank']} among {row['rank_scope']}, want {want}")


def panel(doc, scene, pid):
    return next(p for p in doc[scene]["panels"] if p["id"] == pid)


def counties_compose(docs, period, label):
    """the counties' monthly appeals, enterprise counts, appeals by sector, 大型骨干
    enterprises, open anomalies and coded enterprises sum to the city's"""
    city = docs[(CITY, period)]
    counties = [docs[(r["code"], period)] for r in regions if r["code"] != CITY]
    for scene, pid, key in (("help-map", "monthly", ("x", "series")), ("enterprise", "count", ()),
                            ("enterprise", "appeals", ("category",)), ("panorama", "backbone", ()),
                            ("panorama", "anomalies_open", ()), ("policy", "coded", ())):
        def total(doc):
            sums = {}
            for row in panel(doc, scene, pid)["rows"]:
                k = tuple(row[c] for c in key)
                sums[k] = sums.get(k, 0) + (row["y"] if "y" in row else row["value"])
            return sums
        want, got = total(city), {}
        for doc in counties:
            for k, v in total(doc).items():
                got[k] = got.get(k, 0) + v
        check(got == want, f"{label}: {scene}#{pid}: the counties sum to the city's")


for path in scenes:  # the mark is the data's, never a scene's text
    text = open(path, encoding="utf-8").read()
    check("演示数据" not in text, f"{path}: writes 演示数据 itself")

with tempfile.TemporaryDirectory() as tmp:
    jobs = [(r["code"], period) for r in regions for period in PERIODS]
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 2)) as pool:
        docs = dict(zip(jobs, pool.map(lambda j: export(tmp, *j), jobs)))
    for r in regions:
        for period, until in PERIODS.items():
            label = f"{r['name']} {period or 'newest'}"
            for name, s in docs[(r["code"], period)].items():
                check_scene(name, s, r, until, label)
    for period in PERIODS:
        counties_compose(docs, period, period or "newest")
    yz = docs[("411081", "2024-06")]
    check(panel(yz, "situation", "gdp")["rows"][0]["rank_scope"] == "全省县域",
          "禹州: its GDP ranks among Henan's counties")
    check(all(r["col2"] == "禹州市" for r in panel(yz, "help-map", "key_appeals")["rows"]),
          "禹州: the key appeals are its own")
    print(f"{len(jobs)} exports of {len(scenes)} scenes: {len(regions)} regions x {len(PERIODS)} "
          "periods", flush=True)

finish()
