#!/usr/bin/env python3
"""A demo report as a leader gets it (issue 13 part 5): A4 landscape pages,
and the 经济运行分析 saying what the demo data says — the city's GDP growth,
the counties growing slower than the city, a county's rank, the lagging
projects, the open warnings — read here from db/demo/*.csv, not copied.
Missing data is said in the text ("…：暂无数据。"), not a failure. The
shipped demo index (db/demo/reports.csv) is what the report code makes.

usage: test_report.py LOTUSWALL"""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

LW = sys.argv[1]
DEMO = "db/demo"
NOW = "2024-11-15T08:00:00"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL", what)


def rows(name):
    with open(os.path.join(DEMO, name + ".csv"), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def report(out, *args, data=None):
    cmd = [LW, "report", "--now", NOW, "--out", out, *args]
    if data:
        cmd += ["--data", data]
    p = subprocess.run(cmd, capture_output=True, text=True)
    check(p.returncode == 0, f"{' '.join(cmd)}: rc {p.returncode}: {p.stderr.strip()}")
    index = list(csv.DictReader(open(os.path.join(out, "reports.csv"), encoding="utf-8")))
    return os.path.join(out, index[-1]["file"]), index[-1]


def text_of(pdf):
    """The PDF's text with line breaks removed: CJK wraps anywhere."""
    t = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s*\n\s*", "", t.replace("\f", "\n"))


def newest(region, indicator):
    rs = [r for r in rows("indicator_values") if r["region_code"] == region and r["indicator"] == indicator]
    return max(rs, key=lambda r: r["period"])


regions = rows("regions")
city = next(r for r in regions if r["kind"] == "city")
counties = [r for r in regions if r["kind"] != "city"]

with tempfile.TemporaryDirectory() as tmp:
    # the city's report, as the demo index lists it
    pdf, row = report(os.path.join(tmp, "city"), "situation", "economy")
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", pdf], capture_output=True, text=True).stdout
    sizes = re.findall(r"^Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info, re.M)
    npages = int(re.search(r"^Pages: +(\d+)", info, re.M).group(1))
    check(npages >= 4 and len(sizes) == npages, f"cover, analysis and two scenes: {npages} pages")
    check(all(abs(float(w) - 841.89) < 0.5 and abs(float(h) - 595.28) < 0.5 for w, h in sizes),
          f"every page A4 landscape (841.89 x 595.28 pt): {sizes}")
    text = text_of(pdf)
    gdp = newest(city["code"], "gdp")
    check(f"{city['name']}实现地区生产总值{float(gdp['value']):.2f}亿元" in text and
          f"同比增长{float(gdp['yoy_pct']):.1f}%" in text,
          f"the city's GDP {gdp['value']} and its growth {gdp['yoy_pct']}% in the analysis")
    below = [newest(c["code"], "gdp") for c in counties]
    below = [r for r in below if r["period"] == gdp["period"] and float(r["yoy_pct"]) < float(gdp["yoy_pct"])]
    want = "、".join(f"{r['region']}（{float(r['yoy_pct']):.1f}%）" for r in below)
    check(below and f"低于全市水平的县(市、区)有{want}" in text,
          f"the counties growing slower than the city: {want}")
    lagging = [p["name"] for p in rows("projects") if p["status"] == "进度滞后"]
    check(f"年度投资进度滞后{len(lagging)}个" in text and all(n in text for n in lagging),
          f"the {len(lagging)} lagging projects")
    w = subprocess.run([LW, "warnings", "--json", "--now", NOW], capture_output=True, text=True)
    check(f"当前在办预警{len(json.loads(w.stdout))}条" in text, "the open warnings' count")
    check("内部资料" in text and "演示数据" in text, "the 内部资料 and 演示数据 marks")
    shipped = {r["id"]: r for r in rows("reports")}
    same = ["id", "name", "created_at", "scenes", "file"]
    check(row["id"] in shipped and all(shipped[row["id"]][k] == row[k] for k in same),
          f"db/demo/reports.csv has this report's row as made now ({row}): tools/gen_demo_reports.sh")

    # a county's report ranks it among the counties
    pdf, _ = report(os.path.join(tmp, "county"), "--param", "city=411081", "situation")
    mine = newest("411081", "gdp")
    rank = 1 + sum(float(newest(c["code"], "gdp")["yoy_pct"]) > float(mine["yoy_pct"]) for c in counties)
    check(f"居全市{len(counties)}个县(市、区)第{rank}位" in text_of(pdf), f"禹州市 ranks {rank} of {len(counties)}")

    # target_progress without rows: the sentences about targets say so
    data = os.path.join(tmp, "data")
    os.mkdir(data)
    for f in os.listdir(DEMO):
        if f != "target_progress.csv":
            os.symlink(os.path.abspath(os.path.join(DEMO, f)), os.path.join(data, f))
    with open(os.path.join(DEMO, "target_progress.csv"), encoding="utf-8") as src, \
            open(os.path.join(data, "target_progress.csv"), "w", encoding="utf-8") as dst:
        dst.write(src.readline())
    pdf, _ = report(os.path.join(tmp, "missing"), "gdp", data=data)
    check("地区生产总值目标完成：暂无数据。" in text_of(pdf), "a missing table is said plainly")

print(f"{'FAIL' if failures else 'ok'}: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
