#!/usr/bin/env python3
"""The data exchange document of every shipped scene validates against
docs/exchange.schema.json, and says what the screen shows: the GDP tile's
value and unit, a missing source as no_source."""
import glob, json, os, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish  # noqa: E402
import jsonschema

lw = sys.argv[1]
schema = json.load(open("docs/exchange.schema.json", encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "x.json")
    scenes = sorted(glob.glob("scenes/*.json"))
    subprocess.run([lw, "export", "--now", "2024-11-15T09:30:00", "--out", out] + scenes, check=True)
    doc = json.load(open(out, encoding="utf-8"))
    errors = list(validator.iter_errors(doc))
    for e in errors[:5]:
        print("FAIL", "/".join(map(str, e.path)), e.message)
    check(not errors, "document validates")
    check(len(doc["scenes"]) == len(scenes), "one entry per scene")
    situation = next(s for s in doc["scenes"] if s["name"] == "situation")
    gdp = next(p for p in situation["panels"] if p["id"] == "gdp")
    check(gdp["status"] == "ok" and gdp["rows"][0]["value"] == 3059.86 and gdp["rows"][0]["unit"] == "亿元",
          "GDP tile value and unit")
    check(gdp["period"] == "2024-09" and gdp["source"]["stale"] is False, "GDP period and freshness")
    check(doc["generated_at"] == "2024-11-15T09:30:00+08:00", "time in Asia/Shanghai")

    # a scene bound to a source the data set does not have
    bad = json.load(open("scenes/gdp.json", encoding="utf-8"))
    data = os.path.join(tmp, "data")
    os.makedirs(data)
    for f in glob.glob("db/demo/*.csv"):
        text = open(f, encoding="utf-8").read()
        if os.path.basename(f) == "target_progress.csv":   # drop every row
            text = text.splitlines()[0] + "\n"
        open(os.path.join(data, os.path.basename(f)), "w", encoding="utf-8").write(text)
    out2 = os.path.join(tmp, "y.json")
    subprocess.run([lw, "export", "--data", data, "--out", out2, "gdp"], check=True)
    doc2 = json.load(open(out2, encoding="utf-8"))
    check(not list(validator.iter_errors(doc2)), "document with an empty source validates")
    target = next(p for p in doc2["scenes"][0]["panels"] if p["id"] == "target")
    check(target["status"] == "empty" and target["rows"] == [], "empty source says empty")

finish()
