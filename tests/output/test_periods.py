#!/usr/bin/env python3
"""A chosen period, through the exchange export (what the wall shows): every
shipped scene for the newest data and for June 2024, city-wide and for one
county. No panel is empty or in error, every period shown is at or before the
chosen one, subtitles and titles are filled from the data and the regions
table, and economy's changes and judgement keep the quarterly indicators
beside the monthly ones."""
import glob, json, os, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish  # noqa: E402

lw = sys.argv[1]
scenes = sorted(glob.glob("scenes/*.json"))
catalog = json.load(open("db/catalog.json", encoding="utf-8"))
# tables that `lotuswall report` fills as it runs: the demo has no rows for them
made_later = {t["name"] for t in catalog["tables"] if t.get("producer") == "report"}
# events the warning engine publishes: a county may have none (no panel error, though)
events = {t["name"] for t in catalog["tables"] if t.get("producer") == "engine"}
QUARTERLY = ["地区生产总值", "第一产业增加值", "第二产业增加值", "第三产业增加值", "居民人均可支配收入"]


def export(tmp, *params):
    out = os.path.join(tmp, "x.json")
    args = [a for p in params for a in ("--param", p)]
    subprocess.run([lw, "export", "--now", "2024-11-15T09:30:00", "--out", out] + args + scenes,
                   check=True)
    return {s["name"]: s for s in json.load(open(out, encoding="utf-8"))["scenes"]}


def check_panels(doc, until, label):
    for name, s in doc.items():
        for p in s["panels"]:
            where = f"{label}: {name}#{p['id']}"
            if p["status"] == "no_binding" or p.get("source", {}).get("name") in made_later:
                continue
            quiet = p["status"] == "empty" and p.get("source", {}).get("name") in events
            check(p["status"] == "ok" or quiet, f"{where}: status {p['status']}, not ok")
            if "period" in p:
                check(p["period"] <= until, f"{where}: period {p['period']} after {until}")


def economy_keeps_quarterly(doc, label):
    panels = {p["id"]: p for p in doc["economy"]["panels"]}
    names = [r["col1"] for r in panels["changes"]["rows"]]
    texts = [r["text"] for r in panels["judgement"]["rows"]]
    for q in QUARTERLY:
        check(q in names, f"{label}: economy#changes shows {q}")
        check(any(t.startswith(q) for t in texts), f"{label}: economy#judgement speaks of {q}")


with tempfile.TemporaryDirectory() as tmp:
    newest = export(tmp)
    check_panels(newest, "2024-10", "newest")
    economy_keeps_quarterly(newest, "newest")
    kpis = {p["id"]: p["period"] for p in newest["situation"]["panels"] if p["widget"] == "kpi"}
    check(kpis["gdp"] == "2024-09" and kpis["industry_va"] == "2024-10",
          f"newest: each KPI its own latest (quarterly GDP 2024-09, monthly 2024-10): {kpis}")
    check(newest["situation"]["title"] == "许昌市经济运行态势监测", "newest: title from the regions table")
    check(newest["situation"]["subtitle"] == "数据截至2024年10月 · 月度监测 · 演示数据",
          f"newest: subtitle from the data: {newest['situation']['subtitle']}")
    check(newest["gdp"]["subtitle"].startswith("2024年1–9月累计"), "newest: gdp subtitle quarterly")

    june = export(tmp, "period=2024-06")
    check_panels(june, "2024-06", "2024-06")
    economy_keeps_quarterly(june, "2024-06")
    kpis = [p["period"] for s in june.values() for p in s["panels"] if p["widget"] == "kpi" and "period" in p]
    check(len(kpis) > 30 and all(k == "2024-06" for k in kpis),
          f"2024-06: every KPI with a period shows June (both quarterly and monthly): {set(kpis)}")
    check(june["situation"]["subtitle"] == "数据截至2024年6月 · 月度监测 · 演示数据",
          f"2024-06: subtitle follows the period: {june['situation']['subtitle']}")
    check(june["demand"]["subtitle"] == "投资 · 消费 · 进出口 · 2024年1–6月累计 · 演示数据",
          f"2024-06: cumulative subtitle: {june['demand']['subtitle']}")
    trend = next(p for p in june["situation"]["panels"] if p["id"] == "industry_trend")
    check(max(r["x"] for r in trend["rows"]) == "2024-06", "2024-06: the trend line ends at June")

    county = export(tmp, "period=2024-06", "city=411081")
    check_panels(county, "2024-06", "禹州 2024-06")
    check(county["situation"]["title"] == "禹州市经济运行态势监测",
          f"county: title names the county: {county['situation']['title']}")
    gdp = next(p for p in county["situation"]["panels"] if p["id"] == "gdp")
    check(gdp["rows"][0]["value"] != next(p for p in june["situation"]["panels"]
                                         if p["id"] == "gdp")["rows"][0]["value"],
          "county: the GDP tile is the county's, not the city's")

finish()
