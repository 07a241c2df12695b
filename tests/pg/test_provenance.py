#!/usr/bin/env python3
"""The 演示数据 mark comes from the data (issue 11): on a database the
subtitles name the provenance of the scene's sources (the catalog's 数据来源)
and never say 演示数据; on the demo data they end with 演示数据. A county's
figures and its region code checks work the same on a database. Runs under
tests/pg/with_pg.sh (the demo data loaded into PostgreSQL)."""
import json, os, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish  # noqa: E402

lw = sys.argv[1]


def export(*args):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "x.json")
        r = subprocess.run([lw, "export", "--now", "2024-11-15T09:30:00", "--out", out, *args,
                            "situation", "help-map", "projects"], capture_output=True, text=True)
        doc = json.load(open(out, encoding="utf-8")) if r.returncode == 0 else None
        return r, {s["name"]: s for s in doc["scenes"]} if doc else {}


r, db = export("--db", "", "--param", "city=411081")
check(r.returncode == 0, f"export --db: {r.stderr.strip()}")
for name, s in db.items():
    check("演示数据" not in s["subtitle"], f"{name}: no 演示数据 on a database: {s['subtitle']}")
check(db["situation"]["subtitle"].endswith("数据来源：市统计局、市发展改革委"),
      f"situation: the catalog's provenance of its sources: {db['situation']['subtitle']}")
check(db["help-map"]["subtitle"].endswith("数据来源：市营商办"),
      f"help-map: {db['help-map']['subtitle']}")
check(db["situation"]["title"] == "禹州市经济运行态势监测", "the county's title from the database")
gdp = next(p for p in db["situation"]["panels"] if p["id"] == "gdp")
check(gdp["source"].get("provenance") == "市统计局",
      f"the exchange document names each panel's 数据来源: {gdp['source']}")
r, demo = export("--param", "city=411081")
check(all(s["subtitle"].endswith(" · 演示数据") for s in demo.values()),
      "on the demo data every subtitle ends with 演示数据")
check(db["projects"]["panels"][1]["rows"] == demo["projects"]["panels"][1]["rows"],
      "the county's project figures are the same from the database")
r, _ = export("--db", "", "--param", "city=411099")
check(r.returncode == 1 and '--param city: "411099" is not a region code' in r.stderr,
      f"an unknown region is refused on a database too: {r.stderr.strip()}")
finish()
