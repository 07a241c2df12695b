#!/usr/bin/env python3
"""Writes the canonical demo data set, db/demo/*.csv, from db/catalog.json.

The CSV files are the source of truth and are committed; this script is how
they were made, kept so that the data set can be regenerated or extended
reproducibly (fixed seed). All figures are DEMO values (演示数据), anchored on
a few published figures from shared/data/xuchang-indicators.csv: 2022 GDP
3850 亿元 (preliminary), 2020 一般公共预算收入 181.8 亿元, industrial value added
3rd in Henan. Districts sum to the city, shares to 100 %, cumulative values
never fall within a year, and growth rates are computed from the values they
derive from; tests/data/test_demo_consistency.c checks all of that.

Run: python3 tools/gen_demo.py   (from the repository root)
"""
import csv, json, math, os, random

R = random.Random(20241031)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CAT = json.load(open(os.path.join(ROOT, "db", "catalog.json"), encoding="utf-8"))
OUT = os.path.join(ROOT, "db", "demo")
LATEST_YEAR, LATEST_MONTH = 2024, 10
SOURCE = "市统计局(演示数据)"

CITY = ("411000", "许昌市", "许昌", "city")
DISTRICTS = [  # code, name, short, kind, share of the economy
    ("411002", "魏都区", "魏都", "district", 0.135),
    ("411003", "建安区", "建安", "district", 0.118),
    ("411024", "鄢陵县", "鄢陵", "district", 0.088),
    ("411025", "襄城县", "襄城", "district", 0.124),
    ("411081", "禹州市", "禹州", "district", 0.218),
    ("411082", "长葛市", "长葛", "district", 0.212),
    ("411071", "许昌经济技术开发区", "经开区", "zone", 0.105),
]
# code, name, unit, freq, additive, 2022 city total, growth 2023, growth 2024, province rank
INDICATORS = [
    ("gdp", "地区生产总值", "亿元", "Q", 1, None, None, None, 4),
    ("gdp_primary", "第一产业增加值", "亿元", "Q", 1, 192.5, 0.035, 0.038, 9),
    ("gdp_secondary", "第二产业增加值", "亿元", "Q", 1, 1859.0, 0.052, 0.061, 4),
    ("gdp_tertiary", "第三产业增加值", "亿元", "Q", 1, 1798.5, 0.046, 0.055, 5),
    ("industry_va", "规上工业增加值", "亿元", "M", 1, 1268.0, 0.068, 0.079, 3),
    ("fai", "固定资产投资", "亿元", "M", 1, 2105.0, 0.061, 0.072, 6),
    ("retail", "社会消费品零售总额", "亿元", "M", 1, 1452.0, 0.058, 0.056, 6),
    ("export", "出口总值", "亿元", "M", 1, 198.0, 0.072, 0.081, 4),
    ("import", "进口总值", "亿元", "M", 1, 61.0, -0.035, 0.042, 7),
    ("trade", "进出口总值", "亿元", "M", 1, None, None, None, 5),
    ("budget_rev", "一般公共预算收入", "亿元", "M", 1, 190.6, 0.052, 0.061, 5),
    ("budget_exp", "一般公共预算支出", "亿元", "M", 1, 411.0, 0.043, 0.038, 6),
    ("income", "居民人均可支配收入", "元", "Q", 0, 31864.0, 0.061, 0.058, 5),
    ("tax", "税收收入", "亿元", "M", 1, None, None, None, 5),  # a part of budget_rev, below
]
TARGET_GROWTH = {"gdp": 6.0, "industry_va": 8.0, "fai": 8.0, "retail": 6.0, "trade": 6.0,
                 "budget_rev": 6.0, "budget_exp": 4.0, "income": 6.0, "gdp_tertiary": 6.0}
SECTORS = [  # name, leading, share of industry value added
    ("智能电力装备", 1, 0.182), ("再生金属及制品", 1, 0.151), ("发制品", 1, 0.118),
    ("食品加工", 0, 0.097), ("汽车零部件", 0, 0.088), ("建材陶瓷", 0, 0.079),
    ("纺织服装", 0, 0.064), ("化工医药", 0, 0.071), ("电子信息", 0, 0.058), ("其他", 0, 0.092),
]
SEASON = [0.062, 0.064, 0.086, 0.082, 0.085, 0.088, 0.080, 0.081, 0.088, 0.086, 0.088, 0.110]


def r2(x): return round(x + 0.0, 2)
def r1(x): return round(x + 0.0, 1)


def months_of(freq, year, last_month=12):
    ms = range(1, last_month + 1)
    return [m for m in ms if freq == "M" or m % 3 == 0]


def weights(year, salt):
    rr = random.Random(f"{year}-{salt}")
    w = [s * (1 + rr.uniform(-0.06, 0.06)) for s in SEASON]
    t = sum(w)
    return [x / t for x in w]


def cumulative(total, year, salt, month):
    w = weights(year, salt)
    return total * sum(w[:month])


def write(name, rows):
    table = next(t for t in CAT["tables"] if t["name"] == name)
    cols = [c["name"] for c in table["columns"]]
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name + ".csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            assert set(r) == set(cols), (name, set(r) ^ set(cols))
            w.writerow(["" if r[c] is None else r[c] for c in cols])


def fmt(v):
    if v is None:
        return None
    if isinstance(v, float):
        return ("%.2f" % v).rstrip("0").rstrip(".") if v != int(v) else "%d" % v
    return v


# ---- district annual totals per indicator and year ------------------------
base = {code: (t, g23, g24) for code, _, _, _, _, t, g23, g24, _ in INDICATORS}
annual = {}  # (code, region, year) -> value (districts only)
for code, name, unit, freq, additive, t22, g23, g24, _ in INDICATORS:
    if t22 is None:
        continue
    for d in DISTRICTS:
        rr = random.Random(f"{code}-{d[0]}")
        if additive:
            share = d[4] * (1 + rr.uniform(-0.25, 0.25))
            v22 = t22 * share
        else:
            v22 = t22 * (1 + rr.uniform(-0.15, 0.12))
        a23 = g23 + rr.uniform(-0.025, 0.025)
        a24 = g24 + rr.uniform(-0.03, 0.03)
        annual[(code, d[0], 2022)] = v22
        annual[(code, d[0], 2023)] = v22 * (1 + a23)
        annual[(code, d[0], 2024)] = v22 * (1 + a23) * (1 + a24)
# normalise additive indicators so that 2022 districts add up to the anchor
for code, name, unit, freq, additive, t22, *_ in INDICATORS:
    if t22 is None or not additive:
        continue
    s = sum(annual[(code, d[0], 2022)] for d in DISTRICTS)
    for d in DISTRICTS:
        for y in (2022, 2023, 2024):
            annual[(code, d[0], y)] *= t22 / s

# ---- cumulative values: district rounded, city = sum of districts ---------
cum = {}  # (code, region, year, month) -> value
for code, name, unit, freq, additive, t22, *_ in INDICATORS:
    if t22 is None:
        continue
    for y in (2022, 2023, 2024):
        last = LATEST_MONTH if y == LATEST_YEAR else 12
        for m in months_of(freq, y, last):
            for d in DISTRICTS:
                if additive:
                    v = r2(cumulative(annual[(code, d[0], y)], y, code + d[0], m))
                else:  # per-capita income: cumulative by quarter, roughly linear
                    v = round(annual[(code, d[0], y)] * (m / 12) * (1 + 0.01 * math.sin(m)))
                cum[(code, d[0], y, m)] = v
            if additive:
                cum[(code, CITY[0], y, m)] = r2(sum(cum[(code, d[0], y, m)] for d in DISTRICTS))
            else:
                cum[(code, CITY[0], y, m)] = round(
                    sum(cum[(code, d[0], y, m)] * d[4] for d in DISTRICTS))
# composites: gdp = three industries, trade = export + import
for y in (2022, 2023, 2024):
    last = LATEST_MONTH if y == LATEST_YEAR else 12
    for region in [CITY[0]] + [d[0] for d in DISTRICTS]:
        for m in months_of("Q", y, last):
            cum[("gdp", region, y, m)] = r2(sum(cum[(c, region, y, m)]
                                               for c in ("gdp_primary", "gdp_secondary", "gdp_tertiary")))
        for m in months_of("M", y, last):
            cum[("trade", region, y, m)] = r2(cum[("export", region, y, m)] + cum[("import", region, y, m)])
# 税收收入: a county's share of its 一般公共预算收入 (about two thirds in Henan's
# cities; the rest is fees, fines and state assets), a share per county and
# year; the city is the sum of its counties
for y in (2022, 2023, 2024):
    for m in months_of("M", y, LATEST_MONTH if y == LATEST_YEAR else 12):
        for d in DISTRICTS:
            share = random.Random(f"tax-{d[0]}-{y}").uniform(0.62, 0.74)
            cum[("tax", d[0], y, m)] = r2(cum[("budget_rev", d[0], y, m)] * share)
        cum[("tax", CITY[0], y, m)] = r2(sum(cum[("tax", d[0], y, m)] for d in DISTRICTS))

REGIONS = [CITY] + [d[:4] for d in DISTRICTS]
RNAME = {r[0]: r[1] for r in REGIONS}
RNAME["411071"] = "许昌经开区"  # data tables use the name screens print; regions keeps the official one
write("regions", [{"code": r[0], "name": r[1], "short_name": r[2], "kind": r[3], "sort": i}
                  for i, r in enumerate(REGIONS)])
write("indicators", [{"code": c, "name": n, "unit": u, "freq": f, "additive": a, "source": SOURCE}
                     for c, n, u, f, a, *_ in INDICATORS])

# A county's rank among Henan's 102 县(市、区) (居全省县域第N位): invented, a
# base per county (the larger economies rank higher) moved by its growth.
COUNTY_BASE = {"411002": 31, "411003": 24, "411024": 43, "411025": 27, "411081": 7,
               "411082": 5, "411071": 38}


def county_rank(region, code, growth):
    off = random.Random(f"rank-{region}-{code}").randint(-4, 4)
    return max(1, min(102, COUNTY_BASE[region] + off - int(round((growth - 6.5) * 2))))


ind_rows, yoy = [], {}
for code, name, unit, freq, additive, *_rest in INDICATORS:
    rank = _rest[-1]
    for region in [r[0] for r in REGIONS]:
        for y in (2023, 2024):
            last = LATEST_MONTH if y == LATEST_YEAR else 12
            for m in months_of(freq, y, last):
                v, p = cum[(code, region, y, m)], cum[(code, region, y - 1, m)]
                g = r1((v / p - 1) * 100)
                yoy[(code, region, y, m)] = g
                ind_rows.append({"region_code": region, "region": RNAME[region], "indicator": code,
                                 "name": name, "unit": unit, "period": "%d-%02d" % (y, m), "month": m,
                                 "value": fmt(v), "prev_value": fmt(p), "yoy_pct": fmt(g),
                                 "province_rank": rank if region == CITY[0] else county_rank(region, code, g),
                                 "rank_scope": "全省" if region == CITY[0] else "全省县域"})
write("indicator_values", ind_rows)

trend_rows = []
for code, name, unit, freq, *_ in INDICATORS:
    for region in [r[0] for r in REGIONS]:
        ms = [(y, m) for y in (2023, 2024) for m in months_of(freq, y, LATEST_MONTH if y == 2024 else 12)]
        for (py, pm), (y, m) in zip(ms, ms[1:]):
            g, gp = yoy[(code, region, y, m)], yoy[(code, region, py, pm)]
            ch = r1(g - gp)
            state = "回升" if ch > 0.05 else ("回落" if ch < -0.05 else "持平")
            level = "高于" if g >= TARGET_GROWTH.get(code, 5.0) else "低于"
            judge = "%s增速较上期%s%s个百分点，%s年度目标增速" % (
                name, state, ("%.1f" % abs(ch)) if state != "持平" else "0", level) \
                if state != "持平" else "%s增速与上期持平，%s年度目标增速" % (name, level)
            trend_rows.append({"region_code": region, "indicator": code, "name": name,
                               "period": "%d-%02d" % (y, m), "yoy_pct": fmt(g), "yoy_prev_pct": fmt(gp),
                               "change_pp": fmt(ch), "state": state, "judgement": judge})
write("indicator_trend", trend_rows)

tp_rows = []
for code, name, unit, freq, additive, *_ in INDICATORS:
    if code not in TARGET_GROWTH:
        continue
    # every period of the year so far, so a chosen past period has its targets too
    for m in months_of(freq, LATEST_YEAR, LATEST_MONTH):
        for region in [r[0] for r in REGIONS]:
            tg = TARGET_GROWTH[code]
            target = r2(cum[(code, region, 2023, 12)] * (1 + tg / 100))
            v = cum[(code, region, 2024, m)]
            tp_rows.append({"region_code": region, "region": RNAME[region], "indicator": code, "name": name,
                            "period": "2024-%02d" % m, "value": fmt(v), "target_value": fmt(target),
                            "target_growth_pct": fmt(tg), "completion_pct": fmt(r1(v / target * 100)),
                            "schedule_pct": fmt(r1(m / 12 * 100))})
write("target_progress", tp_rows)

# ---- industry sectors: sum to the city's industry value added -------------
sec_rows, sec_val = [], {}
for y in (2022, 2023, 2024):
    last = LATEST_MONTH if y == LATEST_YEAR else 12
    for m in months_of("M", y, last):
        total = cum[("industry_va", CITY[0], y, m)]
        raw = []
        for i, (s, lead, share) in enumerate(SECTORS):
            rr = random.Random(f"{s}")
            drift = (1 + rr.uniform(-0.06, 0.09) * (y - 2022) + (0.03 * (y - 2022) if lead else 0))
            raw.append(share * drift * (1 + 0.015 * math.sin(m + i)))
        t = sum(raw)
        vals = [r2(total * x / t) for x in raw]
        vals[-1] = r2(total - sum(vals[:-1]))  # exact sum, remainder to 其他
        for (s, lead, _), v in zip(SECTORS, vals):
            sec_val[(s, y, m)] = v
for y in (2023, 2024):
    last = LATEST_MONTH if y == LATEST_YEAR else 12
    for m in months_of("M", y, last):
        total = cum[("industry_va", CITY[0], y, m)]
        for s, lead, _ in SECTORS:
            v, p = sec_val[(s, y, m)], sec_val[(s, y - 1, m)]
            sec_rows.append({"period": "%d-%02d" % (y, m), "sector": s, "leading": lead, "value": fmt(v),
                             "prev_value": fmt(p), "yoy_pct": fmt(r1((v / p - 1) * 100)),
                             "share_pct": fmt(r1(v / total * 100))})
for r in sec_rows:
    r["region_code"], r["region"] = CITY[0], CITY[1]


def ras(seed, rows, cols, rounds=60):
    """seed scaled so that its rows sum to rows and its columns to cols
    (iterative proportional fitting; both targets have the same total)."""
    m = [list(r) for r in seed]
    for _ in range(rounds):
        for i, t in enumerate(rows):
            f = t / sum(m[i])
            m[i] = [x * f for x in m[i]]
        for j, t in enumerate(cols):
            f = t / sum(m[i][j] for i in range(len(m)))
            for i in range(len(m)):
                m[i][j] *= f
    return m


# each district's sectors: its industry value added split like its firms
# (the enterprises' seeds), with each sector drifting a little per year; the
# districts' values of a sector sum to the city's
dist_val = {}
for y in (2022, 2023, 2024):
    for m in months_of("M", y, LATEST_MONTH if y == LATEST_YEAR else 12):
        seed = [[d[4] * share * random.Random(f"ent-{d[0]}-{sname}").uniform(0.5, 1.6)
                 * (1 + random.Random(f"secd-{d[0]}-{sname}").uniform(-0.06, 0.08) * (y - 2022))
                 for sname, _, share in SECTORS] for d in DISTRICTS]
        fit = ras(seed, [cum[("industry_va", d[0], y, m)] for d in DISTRICTS],
                  [sec_val[(sname, y, m)] for sname, _, _ in SECTORS])
        for j, (sname, _, _) in enumerate(SECTORS):
            vals = [r2(fit[i][j]) for i in range(len(DISTRICTS))]
            vals[-1] = r2(sec_val[(sname, y, m)] - sum(vals[:-1]))  # exact column sum
            for d, v in zip(DISTRICTS, vals):
                dist_val[(d[0], sname, y, m)] = v
for d in DISTRICTS:
    for y in (2023, 2024):
        for m in months_of("M", y, LATEST_MONTH if y == LATEST_YEAR else 12):
            total = sum(dist_val[(d[0], sname, y, m)] for sname, _, _ in SECTORS)
            for sname, lead, _ in SECTORS:
                v, pv = dist_val[(d[0], sname, y, m)], dist_val[(d[0], sname, y - 1, m)]
                sec_rows.append({"period": "%d-%02d" % (y, m), "sector": sname, "leading": lead,
                                 "value": fmt(v), "prev_value": fmt(pv),
                                 "yoy_pct": fmt(r1((v / pv - 1) * 100)),
                                 "share_pct": fmt(r1(v / total * 100)),
                                 "region_code": d[0], "region": RNAME[d[0]]})
write("industry_sectors", sec_rows)

# ---- enterprises: district x sector, 2023-01 to the newest month -----------
# 1–N月 cumulative figures shaped by the seasons (the year's weights); 2024's
# 1–10月 are the firm counts' seed values, 2023's the same divided by the
# district-sector's growth (its own stream, so the seeds above stay put).
ENT_MONTHS = [(y, m) for y in (LATEST_YEAR - 1, LATEST_YEAR)
              for m in range(1, (LATEST_MONTH if y == LATEST_YEAR else 12) + 1)]
ent_rows = []
for d in DISTRICTS:
    for i, (s, lead, share) in enumerate(SECTORS):
        rr = random.Random(f"ent-{d[0]}-{s}")
        n = max(3, int(1950 * d[4] * share * rr.uniform(0.5, 1.6)))
        out = r2(n * rr.uniform(2.2, 4.8))
        rev = r2(out * rr.uniform(0.92, 1.05))
        prof = r2(rev * rr.uniform(0.035, 0.085))
        gr = random.Random(f"ent-growth-{d[0]}-{s}")
        growth = gr.uniform(-0.03, 0.15) + (0.03 if lead else 0)
        n23 = int(n * gr.uniform(0.9, 0.99))
        for y, m in ENT_MONTHS:
            w = weights(y, "ent-" + s)
            k = sum(w[:m]) / sum(w[:LATEST_MONTH])  # the year's share to date, 1–10月 = 1
            f = 1 if y == LATEST_YEAR else 1 / (1 + growth)
            last = LATEST_MONTH if y == LATEST_YEAR else 12
            base_n = n if y == LATEST_YEAR else n23  # a few firms join during the year
            ent_rows.append({"period": "%d-%02d" % (y, m), "region_code": d[0],
                             "region": RNAME[d[0]], "sector": s,
                             "count": base_n - (last - m) * base_n // 200,
                             "output": r2(out * k * f), "revenue": r2(rev * k * f),
                             "profit": r2(prof * k * f)})
city_ent = {}
for r in ent_rows:
    c = city_ent.setdefault((r["period"], r["sector"]), {"period": r["period"], "region_code": CITY[0],
                                                         "region": CITY[1], "sector": r["sector"],
                                                         "count": 0, "output": 0, "revenue": 0,
                                                         "profit": 0})
    for k in ("count", "output", "revenue", "profit"):
        c[k] += r[k]
for c in city_ent.values():
    for k in ("output", "revenue", "profit"):
        c[k] = r2(c[k])
ent_rows = list(city_ent.values()) + ent_rows  # the city's rows first, as in indicator_values
ent_at = {(r["period"], r["region_code"], r["sector"]): r for r in ent_rows}
for r in ent_rows:  # the month's own output, and the same months of last year
    y, m = int(r["period"][:4]), int(r["period"][5:])
    before = ent_at.get(("%d-%02d" % (y, m - 1), r["region_code"], r["sector"]))
    r["output_month"] = fmt(r2(r["output"] - (before["output"] if before else 0)))
    prev = ent_at.get(("%d-%02d" % (y - 1, m), r["region_code"], r["sector"]))
    r["prev_output"] = fmt(prev["output"]) if prev else None
    r["output_yoy_pct"] = fmt(r1((r["output"] / prev["output"] - 1) * 100)) if prev else None
for r in ent_rows:
    for k in ("output", "revenue", "profit"):
        r[k] = fmt(r[k])
write("enterprises", ent_rows)

# ---- key projects -----------------------------------------------------------
PROJECTS = [
    ("智能电网装备产业园二期", "411071", "产业"), ("再生金属循环经济产业园", "411082", "产业"),
    ("发制品智能制造基地", "411002", "产业"), ("钧瓷文化产业园", "411081", "文旅"),
    ("花木博览园提质工程", "411024", "文旅"), ("新能源汽车零部件产业园", "411003", "产业"),
    ("许昌东站综合交通枢纽", "411003", "基础设施"), ("城市快速路网三期", "411002", "基础设施"),
    ("襄城县硅碳新材料产业园", "411025", "产业"), ("禹州中药材加工物流园", "411081", "产业"),
    ("长葛超硬材料产业园", "411082", "产业"), ("中心医院新院区", "411002", "民生"),
    ("城乡供水一体化工程", "411025", "民生"), ("鄢陵农副产品冷链物流中心", "411024", "产业"),
    ("经开区数字经济产业园", "411071", "产业"), ("清潩河生态治理工程", "411003", "民生"),
    ("职业教育园区二期", "411002", "民生"), ("锂电池储能装备项目", "411071", "产业"),
    ("光伏组件智能工厂", "411025", "产业"), ("城市燃气管网改造", "411082", "基础设施"),
]
prj_rows = []
for i, (name, region, cat) in enumerate(PROJECTS):
    rr = random.Random(f"prj-{i}")
    total = r2(rr.uniform(8, 95))
    plan = r2(total * rr.uniform(0.18, 0.42))
    pct = rr.uniform(0.52, 1.12)
    done = r2(plan * pct)
    status = "已竣工" if pct >= 1.05 else ("进度滞后" if pct < 0.7 else "在建")
    sy = 2022 + i % 3
    prj_rows.append({"id": "XM2024%03d" % (i + 1), "name": name, "region_code": region,
                     "region": RNAME[region], "category": cat, "status": status,
                     "total_invest": fmt(total), "plan_year": fmt(plan), "done_year": fmt(done),
                     "progress_pct": fmt(r1(done / plan * 100)),
                     "start_date": "%d-%02d" % (sy, 1 + i % 12),
                     "finish_date": "%d-%02d" % (sy + 2 + i % 2, 1 + (i * 5) % 12)})
write("projects", prj_rows)

plan_total = sum(float(r["plan_year"]) for r in prj_rows)
done_total = r2(sum(float(r["done_year"]) for r in prj_rows))
pp_rows, wsum = [], weights(2024, "prj")
for m in range(1, LATEST_MONTH + 1):
    frac_plan = sum(wsum[:m])
    frac_done = sum(wsum[:m]) / sum(wsum[:LATEST_MONTH])
    done = done_total if m == LATEST_MONTH else r2(done_total * frac_done * (0.97 + 0.003 * m))
    pp_rows.append({"period": "2024-%02d" % m, "month": m, "plan_cum": fmt(r2(plan_total * frac_plan)),
                    "done_cum": fmt(done), "completion_pct": fmt(r1(done / plan_total * 100)),
                    "schedule_pct": fmt(r1(m / 12 * 100)), "started": min(len(PROJECTS), 11 + m),
                    "completed": sum(1 for r in prj_rows if r["status"] == "已竣工" and m >= 6 + int(r["id"][-1]) % 4),
                    "region_code": CITY[0], "region": CITY[1]})


def split_count(total, weights):
    """total split in proportion to weights, whole numbers that sum to it."""
    w = sum(weights) or 1
    raw = [total * x / w for x in weights]
    out = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: out[i] - raw[i])[:total - sum(out)]:
        out[i] += 1
    return out


# each district: its own projects' plan and progress, shaped like the city's
# months; counts of started projects split among the districts
dist_codes = [d[0] for d in DISTRICTS]
mine = {c: [r for r in prj_rows if r["region_code"] == c] for c in dist_codes}
for row in list(pp_rows):
    m = row["month"]
    started = split_count(row["started"], [len(mine[c]) for c in dist_codes])
    for c, n_started in zip(dist_codes, started):
        plan = sum(float(r["plan_year"]) for r in mine[c])
        done_c = sum(float(r["done_year"]) for r in mine[c])
        done = r2(done_c * float(row["done_cum"]) / done_total)
        pp_rows.append({"period": row["period"], "month": m,
                        "plan_cum": fmt(r2(plan * float(row["plan_cum"]) / plan_total)),
                        "done_cum": fmt(done), "completion_pct": fmt(r1(done / plan * 100)),
                        "schedule_pct": row["schedule_pct"], "started": n_started,
                        "completed": sum(1 for r in mine[c] if r["status"] == "已竣工"
                                         and m >= 6 + int(r["id"][-1]) % 4),
                        "region_code": c, "region": RNAME[c]})
write("project_progress", pp_rows)

# ---- economic climate index: districts and sectors x months -----------------
idx_rows = []
for y in (2023, 2024):
    for m in range(1, (LATEST_MONTH if y == 2024 else 12) + 1):
        per = "%d-%02d" % (y, m)
        for d in [CITY] + [x[:4] for x in DISTRICTS]:
            rr = random.Random(f"idx-{d[0]}-{per}")
            g = yoy.get(("industry_va", d[0], y, m), 6.0)
            idx_rows.append({"dim": "region", "key": d[0], "name": d[2], "period": per,
                             "value": fmt(r1(100 + (g - 5.5) * 2.4 + rr.uniform(-3, 3)))})
        for s, lead, _ in SECTORS:
            rr = random.Random(f"idx-{s}-{per}")
            v, p = sec_val[(s, y, m)], sec_val[(s, y - 1, m)]
            idx_rows.append({"dim": "sector", "key": s, "name": s, "period": per,
                             "value": fmt(r1(100 + ((v / p - 1) * 100 - 6) * 1.8 + rr.uniform(-4, 4)))})
write("economic_index", idx_rows)

# ---- district assessment ----------------------------------------------------
ITEMS = [("gdp", "GDP增速", 9), ("industry_va", "工业增速", 10), ("fai", "投资增速", 10),
         ("retail", "社零增速", 10), ("budget_rev", "财政增速", 10), ("income", "收入增速", 9)]
def assess(per, month):
    """One period's scores: each item at the newest month of its frequency at or before it."""
    rows = []
    for code, item, m in ITEMS:
        m = month if m == 10 else month // 3 * 3
        scored = []
        for d in DISTRICTS:
            g = yoy[(code, d[0], 2024, m)]
            scored.append((r1(min(100, max(40, 80 + (g - 6) * 4))), d))
        scored.sort(key=lambda x: (-x[0], x[1][0]))
        for rank, (sc, d) in enumerate(scored, 1):
            rows.append({"period": per, "region_code": d[0], "region": d[2], "item": item,
                         "score": fmt(sc), "rank": rank})
    totals = {}
    for r in rows:
        totals[r["region_code"]] = totals.get(r["region_code"], 0) + float(r["score"])
    ordered = sorted(DISTRICTS, key=lambda d: (-round(totals[d[0]] / len(ITEMS), 1), d[0]))
    for rank, d in enumerate(ordered, 1):
        rows.append({"period": per, "region_code": d[0], "region": d[2], "item": "综合得分",
                     "score": fmt(r1(totals[d[0]] / len(ITEMS))), "rank": rank})
    return rows

# from the first quarter on (the quarterly items have no value before it)
as_rows = []
for month in range(3, LATEST_MONTH + 1):
    as_rows += assess("%d-%02d" % (LATEST_YEAR, month), month)
write("district_assessment", as_rows)


# =============================================================================
# ---- 万人助企 (enterprise help): schematic map, enterprises, appeals ---------
# Appended section: it draws only from its own random.Random instances, so the
# tables above stay byte-identical. The map is the schematic tile map of
# assets/xuchang-districts-tiles.json turned into GeoJSON squares
# (assets/xuchang-districts.geojson, one loader for every map); enterprises
# get coordinates inside their district's square. Appeals run through
# 收集 → 分拨 → 处置 → 评价 → 督查 → 办结; every aggregate table below is
# counted from the appeal rows, so totals, rates and months agree exactly.
import datetime as _dt

TILES = json.load(open(os.path.join(ROOT, "assets", "xuchang-districts-tiles.json"), encoding="utf-8"))
MAP_LON0, MAP_LAT0, MAP_PITCH, MAP_FILL = 113.85, 34.03, 0.22, 0.92  # degrees of latitude
MAP_KX = 1 / math.cos(math.radians(MAP_LAT0))  # squares on screen after cos(lat) correction


def tile_square(t):
    """lon/lat bounds (w, s, e, n) of a tile: row 0 is north."""
    g = TILES["grid"]
    cx = MAP_LON0 + (t["col"] - (g["cols"] - 1) / 2) * MAP_PITCH * MAP_KX
    cy = MAP_LAT0 - (t["row"] - (g["rows"] - 1) / 2) * MAP_PITCH
    hx, hy = MAP_PITCH * MAP_KX * MAP_FILL / 2, MAP_PITCH * MAP_FILL / 2
    return (round(cx - hx, 6), round(cy - hy, 6), round(cx + hx, 6), round(cy + hy, 6))


SQUARE = {t["adcode"]: tile_square(t) for t in TILES["tiles"]}
geo = {"type": "FeatureCollection",
       "lotuswall": {"schematic": True,
                     "note": "示意图：每个县(市、区)一块方格，仅示意相对方位，不是地理边界"},
       "features": []}
for t in TILES["tiles"]:
    w, s_, e, n = SQUARE[t["adcode"]]
    geo["features"].append({"type": "Feature",
                            "properties": {"adcode": t["adcode"], "name": RNAME.get(t["adcode"], t["name"])},
                            "geometry": {"type": "Polygon",
                                         "coordinates": [[[w, s_], [e, s_], [e, n], [w, n], [w, s_]]]}})
with open(os.path.join(ROOT, "assets", "xuchang-districts.geojson"), "w", encoding="utf-8") as f:
    json.dump(geo, f, ensure_ascii=False, indent=1)
    f.write("\n")

HR = random.Random(20241115)
HELP_CUTOFF = _dt.date(2024, 10, 31)
HELP_FIRST = _dt.date(2023, 10, 1)
WORDS = ["恒达", "瑞丰", "金诺", "宏泰", "华信", "远航", "鑫源", "天成", "佳美", "众合", "润通", "博创",
         "森茂", "永昌", "隆基", "德隆", "中原", "豫能", "嘉禾", "明辉", "新锐", "东方", "盛世", "开元"]
KINDS = {"智能电力装备": "电气", "再生金属及制品": "金属", "发制品": "发制品", "食品加工": "食品",
         "汽车零部件": "汽配", "建材陶瓷": "建材", "纺织服装": "纺织", "化工医药": "医药",
         "电子信息": "电子", "其他": "实业"}
CATEGORIES = [  # category, responsible unit, time limit in days, weight
    ("融资贷款", "市金融局", 20, 0.16), ("用工招聘", "市人社局", 15, 0.12),
    ("用地规划", "市自然资源局", 30, 0.10), ("审批手续", "市政务服务局", 10, 0.14),
    ("政策兑现", "市发改委", 15, 0.13), ("水电气暖", "市城管局", 10, 0.11),
    ("物流交通", "市交通局", 15, 0.07), ("科技创新", "市科技局", 20, 0.07),
    ("市场开拓", "市商务局", 20, 0.06), ("安全环保", "市生态环境局", 15, 0.04),
]
TEAMS = ["工业经济服务组", "项目建设保障组", "融资对接服务组", "用工保障服务组", "政策落实督导组",
         "要素保障服务组", "科技创新服务组", "开放招商服务组", "营商环境监督组", "民营经济服务组"]
STAGES = ["收集", "分拨", "处置", "评价", "督查", "办结"]

ents = []
for d in DISTRICTS:
    n = int(2300 * d[4] * HR.uniform(0.85, 1.15))
    w, s_, e, nn = SQUARE[d[0]]
    for i in range(n):
        sector = HR.choices([x[0] for x in SECTORS], weights=[x[2] for x in SECTORS])[0]
        # clustered around a few towns inside the square, never on its edge
        cx, cy = HR.choice([(0.3, 0.35), (0.65, 0.3), (0.5, 0.6), (0.35, 0.75), (0.72, 0.7)])
        fx = min(0.97, max(0.03, HR.gauss(cx, 0.12)))
        fy = min(0.97, max(0.03, HR.gauss(cy, 0.12)))
        ents.append({"id": "QY%s%04d" % (d[0][-3:], i + 1),
                     "name": "%s%s%s有限公司" % (HR.choice(WORDS), HR.choice(WORDS[::-1]), KINDS[sector]),
                     "region_code": d[0], "region": RNAME[d[0]], "sector": sector,
                     "lon": round(w + fx * (e - w), 5), "lat": round(nn - fy * (nn - s_), 5),
                     "served": 1 if HR.random() < 0.78 else 0, "appeals": 0})

appeals = []
span = (HELP_CUTOFF - HELP_FIRST).days
team_skill = {t: HR.uniform(0.7, 1.35) for t in TEAMS}  # how fast each group gets things done
for k in range(1480):
    ent = HR.choice(ents)
    ent["served"] = 1  # an enterprise with an appeal has been served
    cat, unit, limit, _w = HR.choices(CATEGORIES, weights=[c[3] for c in CATEGORIES])[0]
    team = HR.choice(TEAMS)
    # more appeals lately: the campaign grows
    received = HELP_FIRST + _dt.timedelta(days=int(span * HR.random() ** 0.8))
    age = (HELP_CUTOFF - received).days
    need = max(1, int(HR.lognormvariate(math.log(limit * 0.6 * team_skill[team]), 0.5)))
    if need <= age:
        stage, closed, days = "办结", received + _dt.timedelta(days=need), need
    else:
        stage = STAGES[min(4, int(age / need * 5))]
        closed, days = None, age
    if closed is None and days > limit:
        status = "超期"
        stage = "督查"  # overdue appeals go under supervision
    else:
        status = "已办结" if closed else "处理中"
    ent["appeals"] += 1
    appeals.append({"enterprise_id": ent["id"], "enterprise": ent["name"],
                    "region_code": ent["region_code"], "region": ent["region"],
                    "category": cat, "stage": stage, "status": status,
                    "received": received.isoformat(), "month": received.strftime("%Y-%m"),
                    "closed": closed.isoformat() if closed else None, "days_open": days,
                    "limit_days": limit, "on_time": (1 if days <= limit else 0) if closed else 0,
                    "is_key": 0, "unit": unit, "team": team, "lon": ent["lon"], "lat": ent["lat"]})
appeals.sort(key=lambda a: (a["received"], a["enterprise_id"]))
for k, a in enumerate(appeals):
    a["id"] = "SQ%s%04d" % (a["month"].replace("-", ""), k + 1)
    # 重点诉求: every overdue one, and long-running open ones
    a["is_key"] = 1 if a["status"] == "超期" or (not a["closed"] and a["days_open"] >= 8) else 0
write("help_enterprises", ents)
write("appeals", sorted(appeals, key=lambda a: a["id"]))

months = []
m = HELP_FIRST
while m <= HELP_CUTOFF:
    months.append(m.strftime("%Y-%m"))
    m = (m.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
mon_rows = []
for code in [CITY[0]] + [d[0] for d in DISTRICTS]:
    mine = [a for a in appeals if code == CITY[0] or a["region_code"] == code]
    for per in months:
        mon_rows.append({"period": per, "kind": "受理诉求", "count": sum(a["month"] == per for a in mine),
                         "region_code": code, "region": RNAME[code]})
        mon_rows.append({"period": per, "kind": "办结诉求",
                         "count": sum(bool(a["closed"]) and a["closed"][:7] == per for a in mine),
                         "region_code": code, "region": RNAME[code]})
write("appeal_monthly", mon_rows)


def pct(a, b):
    return fmt(r1(a / b * 100)) if b else None


hd_rows, cl_rows = [], []
for code in [CITY[0]] + [d[0] for d in DISTRICTS]:
    mine = [a for a in appeals if code == CITY[0] or a["region_code"] == code]
    es = [e for e in ents if code == CITY[0] or e["region_code"] == code]
    closed = sum(1 for a in mine if a["closed"])
    ontime = sum(a["on_time"] for a in mine)
    hd_rows.append({"region_code": code, "region": RNAME[code], "enterprises": len(es),
                    "served": sum(e["served"] for e in es), "appeals": len(mine), "closed": closed,
                    "open": len(mine) - closed, "closure_pct": pct(closed, len(mine)),
                    "on_time_pct": pct(ontime, len(mine))})
    for item, n in (("诉求办结率", closed), ("按期办结率", ontime)):
        cl_rows.append({"region_code": code, "region": RNAME[code], "item": item, "count": n,
                        "total": len(mine), "pct": pct(n, len(mine))})
write("help_district", hd_rows)
write("appeal_closure", cl_rows)

team_rows = []
for code in [CITY[0]] + [d[0] for d in DISTRICTS]:
    rows = []
    for t in TEAMS:  # the teams' work in this region (the city: all of it)
        mine = [a for a in appeals if a["team"] == t and (code == CITY[0] or a["region_code"] == code)]
        done = [a for a in mine if a["closed"]]
        if not done:
            continue
        rows.append({"team": t, "appeals": len(mine), "closed": len(done),
                     "closure_pct": pct(len(done), len(mine)),
                     "on_time_pct": pct(sum(a["on_time"] for a in mine), len(mine)),
                     "avg_days": fmt(r1(sum(a["days_open"] for a in done) / len(done))), "rank": 0,
                     "region_code": code, "region": RNAME[code]})
    rows.sort(key=lambda r: (-float(r["closure_pct"]), float(r["avg_days"]), r["team"]))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    team_rows += rows
write("help_teams", team_rows)
print("wrote", OUT)

# ---- urging (催办) SMS templates and channels -------------------------------
write("sms_channels", [
    {"code": "SMS01", "name": "政务短信平台", "kind": "sms", "segment_chars": 70, "over_length": "split"},
    {"code": "IM01", "name": "政务即时通讯", "kind": "gov-im", "segment_chars": 500, "over_length": "split"},
    {"code": "SMS02", "name": "应急短信通道 (单条)", "kind": "sms", "segment_chars": 70,
     "over_length": "refuse"},
])
write("sms_templates", [
    {"code": "T001", "type": "指标预警", "name": "指标预警催办",
     "content": "【许昌市经济运行监测】{indicator}（{instance}）当前{value}，参考{threshold}，"
                "请{department}于{deadline}前核实处理。",
     "channel": "SMS01"},
    {"code": "T002", "type": "诉求超期", "name": "诉求超期催办",
     "content": "【万人助企】{department}：{indicator}，{value}件已超期，请于{deadline}前办结并反馈。",
     "channel": "SMS01"},
    {"code": "T003", "type": "升级催办", "name": "升级催办",
     "content": "【许昌市经济运行监测·{severity}】{indicator}（{instance}）多次催办未处理，"
                "请{department}督办，{deadline}前反馈。",
     "channel": "IM01"},
])

# ---- operators: who may acknowledge, handle, resolve and urge warnings ---------
write("operators", [
    {"name": "张伟", "department": "市发改委", "role": "值班员"},
    {"name": "李娜", "department": "市统计局", "role": "处长"},
    {"name": "王强", "department": "市工信局", "role": "处长"},
    {"name": "刘洋", "department": "市营商办", "role": "值班员"},
    {"name": "陈静", "department": "市政府办公室", "role": "领导"},
])

# ---- drill-down details: per-project months, appeal stage trails -------------
# Made last, each from its own random stream, so the tables above stay as they were.
PR = random.Random("project-monthly")
OWNER_WORDS = {"产业": "实业发展有限公司", "文旅": "文化旅游投资有限公司",
               "基础设施": "城市建设投资集团有限公司", "民生": "城乡建设投资有限公司"}
UNITS = {"产业": "市工信局", "文旅": "市文化广电和旅游局", "基础设施": "市住房城乡建设局",
         "民生": "市发改委"}
pm_rows, done_city = [], {r["period"]: float(r["done_cum"]) for r in pp_rows
                           if r["region_code"] == CITY[0]}  # the city's rows, not a county's
profiles = {}
for r in prj_rows:  # each project's own pace: the share of its year's work done by month m
    pace = [w * PR.uniform(0.6, 1.4) for w in wsum[:LATEST_MONTH]]
    profiles[r["id"]] = [sum(pace[:m]) / sum(pace) for m in range(1, LATEST_MONTH + 1)]
done_by = {}
for m in range(1, LATEST_MONTH + 1):  # scaled so that the projects sum to project_progress
    raw = {r["id"]: float(r["done_year"]) * profiles[r["id"]][m - 1] for r in prj_rows}
    k = done_city["2024-%02d" % m] / sum(raw.values())
    for r in prj_rows:
        done_by[(r["id"], m)] = r2(float(r["done_year"]) if m == LATEST_MONTH else raw[r["id"]] * k)
for i, r in enumerate(prj_rows):
    plan, done_year = float(r["plan_year"]), float(r["done_year"])
    short = next(d[2] for d in DISTRICTS if d[0] == r["region_code"])
    owner = "许昌%s%s" % (short, OWNER_WORDS[r["category"]])
    finish_month = 6 + int(r["id"][-1]) % 4  # as project_progress counts it completed
    prev = 0.0
    for m in range(1, LATEST_MONTH + 1):
        done = max(prev, done_by[(r["id"], m)])
        if r["status"] == "已竣工":
            stage = "竣工验收" if m >= finish_month else ("主体施工" if m <= 3 else "设备安装")
        elif r["status"] == "进度滞后":
            stage = "土建施工" if m <= 6 else "主体施工"
        else:
            stage = "土建施工" if m <= 3 else ("主体施工" if m <= 7 else "设备安装")
        if stage == "设备安装" and r["category"] != "产业":
            stage = "附属工程"
        plan_cum = r2(plan * sum(wsum[:m]))
        pm_rows.append({"project": r["id"], "period": "2024-%02d" % m, "month": m,
                        "stage": stage, "owner": owner, "unit": UNITS[r["category"]],
                        "plan_cum": fmt(plan_cum), "done_cum": fmt(done),
                        "month_done": fmt(r2(done - prev)),
                        "completion_pct": fmt(r1(done / plan * 100)),
                        "schedule_pct": fmt(r1(plan_cum / plan * 100))})
        prev = done
write("project_monthly", pm_rows)

SR = random.Random("appeal-steps")
step_rows = []
for a in sorted(appeals, key=lambda a: a["id"]):
    received = _dt.date.fromisoformat(a["received"])
    end = _dt.date.fromisoformat(a["closed"]) if a["closed"] else HELP_CUTOFF
    path = ["收集", "分拨", "处置", "评价", "办结"] if a["closed"] else \
        STAGES[:STAGES.index(a["stage"]) + 1] if a["stage"] != "督查" else ["收集", "分拨", "处置", "督查"]
    who = {"收集": a["team"], "分拨": "市营商办", "处置": a["unit"], "评价": "企业",
           "督查": "营商环境监督组", "办结": a["unit"]}
    note = {"收集": "企业服务专员登记诉求", "分拨": "分拨至" + a["unit"], "处置": "责任单位办理",
            "评价": ("企业评价：满意" if SR.random() < 0.92 else "企业评价：基本满意") if a["closed"]
            else "待企业评价",
            "督查": "超时限 %d 天转督查" % a["limit_days"] if a["status"] == "超期"
            else "督查跟踪办理", "办结": "办结归档"}
    if a["status"] == "超期":  # the steps before 督查 fall within the time limit
        end = received + _dt.timedelta(days=a["limit_days"])
    span_days = max(0, (end - received).days)
    for s, stage in enumerate(path):
        if a["closed"] and stage == "办结":
            at = end
        elif stage == "督查" and a["status"] == "超期":  # the day it went past its limit
            at = received + _dt.timedelta(days=a["limit_days"] + 1)
        else:
            at = received + _dt.timedelta(days=round(span_days * s / max(1, len(path))))
        step_rows.append({"appeal": a["id"], "enterprise_id": a["enterprise_id"], "seq": s + 1,
                          "stage": stage, "at": at.isoformat(), "by": who[stage], "note": note[stage]})
write("appeal_steps", step_rows)

# =============================================================================
# ---- issue 13: appeal ratings, enterprise evaluation, the finance platform ----
# Appended, each from its own random stream: every table above stays as it was.

# 诉求评价: every closed appeal's rating, as its 评价 step recorded it
rating_of = {s["appeal"]: s["note"] for s in step_rows if s["stage"] == "评价"}
SCORE = {"满意": 100, "基本满意": 80, "不满意": 0}
ar_rows = []
for a in sorted(appeals, key=lambda a: a["id"]):
    if not a["closed"]:
        continue
    rating = rating_of[a["id"]].split("：")[1]
    ar_rows.append({"appeal": a["id"], "enterprise_id": a["enterprise_id"],
                    "region_code": a["region_code"], "region": a["region"], "month": a["closed"][:7],
                    "category": a["category"], "unit": a["unit"], "rating": rating,
                    "score": SCORE[rating], "satisfied": 1 if SCORE[rating] >= 80 else 0})
write("appeal_ratings", ar_rows)

# 企业高质量发展评价 (亩均效益评价): 360 industrial enterprises of the help
# platform, evaluated each quarter on the year's figures so far (annualised).
# Each indicator is scored on a log scale between the values of the lowest
# and the best 5 % of the enterprises (0 and 100), the total is the weighted
# sum, and the grade follows the total:
# A ≥ 75, B ≥ 55, C ≥ 25, else D (test_demo_consistency checks it).
ER = random.Random("evaluation")
EVAL_INDICATORS = [  # code, name, unit, weight %, median, spread (lognormal sigma)
    ("tax_per_mu", "亩均税收", "万元/亩", 35, 10.0, 0.55),
    ("revenue_per_mu", "亩均营业收入", "万元/亩", 15, 320.0, 0.5),
    ("labor_productivity", "全员劳动生产率", "万元/人", 15, 32.0, 0.45),
    ("energy_va", "单位能耗增加值", "万元/吨标准煤", 15, 1.8, 0.5),
    ("rd_pct", "研发经费占比", "%", 10, 1.9, 0.6),
    ("emission_va", "单位排放增加值", "万元/吨", 10, 48.0, 0.55),
]
EVAL_PERIODS = ["2024-03", "2024-06", "2024-09"]
GRADES = [(75, "A"), (55, "B"), (25, "C"), (-1, "D")]
SECTOR_SKILL = {s[0]: ER.uniform(-0.25, 0.25) for s in SECTORS}
REGION_SKILL = {d[0]: ER.uniform(-0.2, 0.2) for d in DISTRICTS}
evaluated = sorted(ER.sample([e for e in ents if e["sector"] != "其他"], 360), key=lambda e: e["id"])
latent = {e["id"]: ER.gauss(0, 0.6) + SECTOR_SKILL[e["sector"]] + REGION_SKILL[e["region_code"]]
          for e in evaluated}
land = {e["id"]: round(ER.uniform(15, 160)) for e in evaluated}
ee_rows, es_rows, eg_rows = [], [], []
for q, per in enumerate(EVAL_PERIODS):
    vals = {}
    for e in evaluated:  # the enterprise's level drifts a little from quarter to quarter
        drift = ER.gauss(0, 0.08)
        vals[e["id"]] = {c: med * math.exp(latent[e["id"]] * 0.6 + drift + ER.gauss(0, sig * 0.6))
                         for c, _n, _u, _w, med, sig in EVAL_INDICATORS}
    score = {e["id"]: {} for e in evaluated}
    for c, *_ in EVAL_INDICATORS:  # on a log scale from the lowest 5 % (0) to the best 5 % (100)
        order = sorted(vals[e["id"]][c] for e in evaluated)
        lo, hi = math.log(order[int(len(order) * 0.05)]), math.log(order[int(len(order) * 0.95)])
        for e in evaluated:
            x = (math.log(vals[e["id"]][c]) - lo) / (hi - lo) * 100
            score[e["id"]][c] = r1(min(100, max(0, x)))
    total = {e["id"]: r1(sum(w * score[e["id"]][c] for c, _n, _u, w, _m, _s in EVAL_INDICATORS) / 100)
             for e in evaluated}
    avg = {c: r1(sum(score[e["id"]][c] for e in evaluated) / len(evaluated)) for c, *_ in EVAL_INDICATORS}
    ranked = sorted(evaluated, key=lambda e: (-total[e["id"]], e["id"]))
    rank = {e["id"]: i + 1 for i, e in enumerate(ranked)}
    for e in evaluated:
        v, t = vals[e["id"]], total[e["id"]]
        tax = r1(v["tax_per_mu"] * land[e["id"]])
        revenue = r1(v["revenue_per_mu"] * land[e["id"]])
        ee_rows.append({"period": per, "enterprise_id": e["id"], "enterprise": e["name"],
                        "region_code": e["region_code"], "region": e["region"], "sector": e["sector"],
                        "total_score": fmt(t), "grade": next(g for lim, g in GRADES if t >= lim),
                        "rank": rank[e["id"]], "land_mu": land[e["id"]], "tax": fmt(tax),
                        "revenue": fmt(revenue), "output": fmt(r1(revenue * ER.uniform(0.9, 1.05)))})
        for c, n, u, w, _m, _s in EVAL_INDICATORS:
            es_rows.append({"period": per, "enterprise_id": e["id"], "region_code": e["region_code"],
                            "indicator": c, "name": n, "unit": u, "value": fmt(r2(v[c])), "weight": w,
                            "score": fmt(score[e["id"]][c]), "avg_score": fmt(avg[c])})
    mine = [r for r in ee_rows if r["period"] == per]
    for code in [CITY[0]] + [d[0] for d in DISTRICTS]:
        rows = [r for r in mine if code == CITY[0] or r["region_code"] == code]
        groups = []
        dims = [("行业", "sector"), ("等级", "grade")] + ([("区域", "region")] if code == CITY[0] else [])
        for dim, col in dims:
            keys = [k for k in dict.fromkeys(sorted(r[col] for r in rows))]
            for k in keys:
                g = [r for r in rows if r[col] == k]
                groups.append({"period": per, "region_code": code, "region": RNAME[code], "dim": dim,
                               "key": k, "code": g[0]["region_code"] if dim == "区域" else None,
                               "enterprises": len(g),
                               "avg_score": fmt(r1(sum(float(r["total_score"]) for r in g) / len(g))),
                               "tax": fmt(r1(sum(float(r["tax"]) for r in g))),
                               "output": fmt(r1(sum(float(r["output"]) for r in g))), "rank": 0})
        ids = {r["enterprise_id"] for r in rows}
        for c, n, *_ in EVAL_INDICATORS:  # the indicators: the region's average score on each
            sc = [float(s["score"]) for s in es_rows
                  if s["period"] == per and s["indicator"] == c and s["enterprise_id"] in ids]
            groups.append({"period": per, "region_code": code, "region": RNAME[code], "dim": "指标",
                           "key": n, "code": c, "enterprises": len(sc), "avg_score": fmt(r1(sum(sc) / len(sc))),
                           "tax": None, "output": None, "rank": 0})
        for dim in ("行业", "等级", "区域", "指标"):
            g = sorted([x for x in groups if x["dim"] == dim], key=lambda x: (-float(x["avg_score"]), x["key"]))
            for i, x in enumerate(g, 1):
                x["rank"] = i
        eg_rows += groups
write("eval_enterprises", ee_rows)
write("eval_scores", es_rows)
write("eval_groups", eg_rows)

# 金融服务平台: daily figures from 2024-01-01 to the demo clock's day
# (2024-11-15), per county, on top of what the platform had at the end of
# 2023 (it opened in 2021); the city is the sum of the counties. A row per
# month and region: the total as of the month's last day (or the demo day),
# that day's addition, the month's and the year's.
FR = random.Random("finance")
FIN_DAY = _dt.date(2024, 11, 15)
FIN_ITEMS = [  # code, name, unit, base at the end of 2023 (city), 2024 per working day (city)
    ("registrations", "系统注册用户数", "户", 21800, 34.0),
    ("certified", "通过认证企业数", "家", 13900, 21.0),
    ("applications", "进件笔数", "笔", 16400, 26.0),
    ("app_amount", "进件金额", "亿元", 452.0, 0.62),
    ("credits", "授信笔数", "笔", 11900, 19.0),
    ("credit_amount", "授信金额", "亿元", 318.0, 0.45),
    ("loans", "放款笔数", "笔", 10100, 16.0),
    ("loan_amount", "放款金额", "亿元", 262.0, 0.37),
]
FIN_COUNTS = {"registrations", "certified", "applications", "credits", "loans"}
days = [_dt.date(2024, 1, 1) + _dt.timedelta(days=i) for i in range((FIN_DAY - _dt.date(2024, 1, 1)).days + 1)]
daily = {}  # (county, item) → list of additions per day
for d in DISTRICTS:
    for code, _n, _u, _b, per_day, in [(i[0], i[1], i[2], i[3], i[4]) for i in FIN_ITEMS]:
        out = []
        for day in days:
            work = 1.0 if day.weekday() < 5 else 0.18
            x = per_day * d[4] * work * FR.uniform(0.55, 1.45) * (1 + 0.25 * (day.month - 6) / 6)
            out.append(int(round(x)) if code in FIN_COUNTS else r2(x))
        daily[(d[0], code)] = out
# the stages keep their order every day: a loan was granted credit, credit was applied for
for d in DISTRICTS:
    for day_i in range(len(days)):
        for lo, hi in (("credits", "applications"), ("loans", "credits"),  # down the flow
                       ("credit_amount", "app_amount"), ("loan_amount", "credit_amount"),
                       ("certified", "registrations")):
            daily[(d[0], lo)][day_i] = min(daily[(d[0], lo)][day_i], daily[(d[0], hi)][day_i])
base = {}
for code, _n, _u, b, _p in FIN_ITEMS:
    parts = split_count(int(b), [d[4] for d in DISTRICTS]) if code in FIN_COUNTS else \
        [r2(b * d[4]) for d in DISTRICTS]
    for d, x in zip(DISTRICTS, parts):
        base[(d[0], code)] = x
fs_rows = []
for month in range(1, FIN_DAY.month + 1):
    idx = [i for i, day in enumerate(days) if day.month == month]
    last = idx[-1]
    for code in [CITY[0]] + [d[0] for d in DISTRICTS]:
        counties = [d[0] for d in DISTRICTS] if code == CITY[0] else [code]
        for item, name, unit, _b, _p in FIN_ITEMS:
            def s(values):
                v = sum(values)
                return v if item in FIN_COUNTS else r2(v)
            year = s(s(daily[(c, item)][:last + 1]) for c in counties)
            fs_rows.append({"period": "2024-%02d" % month, "date": days[last].isoformat(),
                            "region_code": code, "region": RNAME[code], "item": item, "name": name,
                            "unit": unit,
                            "total": fmt(s([s(base[(c, item)] for c in counties), year])),
                            "day": fmt(s(daily[(c, item)][last] for c in counties)),
                            "month": fmt(s(s(daily[(c, item)][i] for i in idx) for c in counties)),
                            "year": fmt(year)})
write("finance_summary", fs_rows)

FIN_DIMS = [
    ("产品", [("信易贷", 0.24), ("税易贷", 0.18), ("科技贷", 0.12), ("普惠小微贷", 0.26),
              ("应急转贷", 0.08), ("创业担保贷", 0.12)]),
    ("行业", [("智能电力装备", 0.14), ("再生金属及制品", 0.13), ("发制品", 0.12), ("食品加工", 0.09),
              ("汽车零部件", 0.08), ("其他制造业", 0.16), ("批发零售", 0.14), ("建筑业", 0.06),
              ("其他行业", 0.08)]),
    ("金融机构", [("工商银行许昌分行", 0.14), ("农业银行许昌分行", 0.13), ("中国银行许昌分行", 0.09),
                  ("建设银行许昌分行", 0.13), ("邮储银行许昌分行", 0.08), ("许昌农商银行", 0.19),
                  ("中原银行许昌分行", 0.14), ("郑州银行许昌分行", 0.10)]),
]
fb_rows = []
year_sum = {}
for month in range(1, FIN_DAY.month + 1):
    per = "2024-%02d" % month
    by_county = {}
    for d in DISTRICTS:
        fig = {x["item"]: x for x in fs_rows if x["period"] == per and x["region_code"] == d[0]}
        for dim, keys in FIN_DIMS:
            w = [k[1] * FR.uniform(0.8, 1.2) for k in keys]
            credits = split_count(int(fig["credits"]["month"]), w)
            loans = split_count(int(fig["loans"]["month"]), w)
            for j, (key, _kw) in enumerate(keys):  # amounts by the same shares; the last takes the rest
                def share(item):
                    total_ = float(fig[item]["month"])
                    if j + 1 < len(keys):
                        return r2(total_ * w[j] / sum(w))
                    return r2(total_ - sum(r2(total_ * w[i] / sum(w)) for i in range(len(keys) - 1)))
                by_county[(d[0], dim, key)] = (credits[j], share("credit_amount"), loans[j],
                                               share("loan_amount"))
    for code in [CITY[0]] + [d[0] for d in DISTRICTS]:
        counties = [d[0] for d in DISTRICTS] if code == CITY[0] else [code]
        for dim, keys in FIN_DIMS:
            for key, _kw in keys:
                v = [by_county[(c, dim, key)] for c in counties]
                cr_n, cr_a = sum(x[0] for x in v), r2(sum(x[1] for x in v))
                lo_n, lo_a = sum(x[2] for x in v), r2(sum(x[3] for x in v))
                yn, ya = year_sum.get((code, dim, key), (0, 0.0))
                year_sum[(code, dim, key)] = (yn + lo_n, r2(ya + lo_a))
                fb_rows.append({"period": per, "region_code": code, "region": RNAME[code], "dim": dim,
                                "key": key, "credits": cr_n, "credit_amount": fmt(cr_a), "loans": lo_n,
                                "loan_amount": fmt(lo_a), "loans_year": yn + lo_n,
                                "loan_amount_year": fmt(r2(ya + lo_a))})
write("finance_breakdown", fb_rows)

# 诉求画像: per region (the city: all) and category (全部: every category),
# counted from the appeals and their ratings
ap_rows = []
for code in [CITY[0]] + [d[0] for d in DISTRICTS]:
    mine = [a for a in appeals if code == CITY[0] or a["region_code"] == code]
    for cat, unit in [("全部", "")] + [(c[0], c[1]) for c in CATEGORIES]:
        sel = [a for a in mine if cat == "全部" or a["category"] == cat]
        done = [a for a in sel if a["closed"]]
        rated = [r for r in ar_rows if (code == CITY[0] or r["region_code"] == code)
                 and (cat == "全部" or r["category"] == cat)]
        ok = sum(r["satisfied"] for r in rated)
        ap_rows.append({"region_code": code, "region": RNAME[code], "category": cat, "unit": unit or None,
                        "appeals": len(sel), "closed": len(done), "rated": len(rated), "satisfied": ok,
                        "satisfaction_pct": pct(ok, len(rated)),
                        "score": fmt(r1(sum(r["score"] for r in rated) / len(rated))) if rated else None,
                        "avg_days": fmt(r1(sum(a["days_open"] for a in done) / len(done))) if done else None})
write("appeal_profile", ap_rows)

# 诉求全流程: how many appeals of each region reached each stage (their trail
# in appeal_steps); 督查 is a side path (overdue ones), listed last
region_of = {a["id"]: a["region_code"] for a in appeals}
af_rows = []
for code in [CITY[0]] + [d[0] for d in DISTRICTS]:
    for seq, (stage, label) in enumerate([("收集", "收集反馈"), ("分拨", "分拨"), ("处置", "处置"),
                                          ("评价", "评价"), ("办结", "办结"), ("督查", "督查")], 1):
        n = len({s["appeal"] for s in step_rows if s["stage"] == stage
                 and (code == CITY[0] or region_of[s["appeal"]] == code)})
        af_rows.append({"region_code": code, "region": RNAME[code], "seq": seq, "stage": label, "count": n})
write("appeal_flow", af_rows)

# ======================================================================

# ---- issue 13, second part: 企业全景, 企业监测中心, 惠企政策与企业码 ----------
# Appended, each from its own random stream: every table above stays as it was.

# 工业百强企业: the hundred largest industrial enterprises by 工业总产值, each
# month 1–N月 cumulative. They are enterprises of the evaluation (so a drill
# from the ranking finds their indicator profile): the best ones by the
# evaluation's latent level, sized like a city's top firms (a power law: the
# largest about 300 亿元 a year, the hundredth about 9 亿元), together about
# a third of the city's 规上工业总产值; their taxes (all taxes paid, at 1–3 % of
# revenue) under half of the city's 税收收入. 大型骨干 is the national size standard
# for industry (国统字〔2017〕213号): 从业人员 1000 人及以上 and 营业收入
# 4 亿元 (a year) 及以上; the others of the hundred are 中型 here.
TR = random.Random("top-enterprises")
top = sorted(evaluated, key=lambda e: (-latent[e["id"]], e["id"]))[:100]
TR.shuffle(top)  # the size order is not the evaluation's order
size = {e["id"]: 310 * (i + 1) ** -0.74 * TR.uniform(0.85, 1.15) for i, e in enumerate(top)}
ent_growth = {e["id"]: TR.uniform(-0.12, 0.24) for e in top}
ent_margin = {e["id"]: (TR.uniform(0.93, 1.06), TR.uniform(0.01, 0.032)) for e in top}
staff = {e["id"]: int(size[e["id"]] * TR.uniform(15, 35) + TR.uniform(150, 400)) for e in top}
ent_season = {e["id"]: [w * TR.uniform(0.85, 1.15) for w in SEASON] for e in top}


def ent_month(eid, y, m):
    """The enterprise's output in month m of year y (亿元): its year's size
    spread over the months by its own seasons; last year smaller by its growth."""
    w = ent_season[eid]
    annual = size[eid] / ((1 + ent_growth[eid]) if y < LATEST_YEAR else 1)
    return annual * w[m - 1] / sum(w)


top_rows = []
for m in range(1, LATEST_MONTH + 1):
    figs = []
    for e in top:
        out = r2(sum(ent_month(e["id"], LATEST_YEAR, k) for k in range(1, m + 1)))
        prev = r2(sum(ent_month(e["id"], LATEST_YEAR - 1, k) for k in range(1, m + 1)))
        rev_f, tax_f = ent_margin[e["id"]]
        rev = r2(out * rev_f)
        figs.append({"period": "%d-%02d" % (LATEST_YEAR, m), "rank": 0, "enterprise_id": e["id"],
                     "enterprise": e["name"], "region_code": e["region_code"], "region": e["region"],
                     "sector": e["sector"], "output": out, "revenue": fmt(rev),
                     "tax": fmt(r2(rev * tax_f)), "output_yoy_pct": fmt(r1((out / prev - 1) * 100)),
                     "employees": staff[e["id"]], "scale": None})
    figs.sort(key=lambda x: (-x["output"], x["enterprise_id"]))  # ranked by output
    for i, x in enumerate(figs, 1):
        x["rank"], x["output"] = i, fmt(x["output"])
    top_rows += figs
# the size class by the newest period's revenue, annualised, in every month
newest = {x["enterprise_id"]: x for x in top_rows if x["period"] == "%d-%02d" % (LATEST_YEAR, LATEST_MONTH)}
for x in top_rows:
    n = newest[x["enterprise_id"]]
    big = n["employees"] >= 1000 and float(n["revenue"]) * 12 / LATEST_MONTH >= 4
    x["scale"] = "大型骨干" if big else "中型"
write("top_enterprises", top_rows)

# 企业监测中心: the thirty largest of the hundred, month by month since
# 2023-01: output (its own seasons) and power use, an intensity per sector
# (万千瓦时 per 亿元 of output: metals and building materials use the most,
# hair products and electronics the least) moved a little each month
POWER = {"智能电力装备": 420, "再生金属及制品": 1650, "发制品": 160, "食品加工": 380,
         "汽车零部件": 520, "建材陶瓷": 1900, "纺织服装": 610, "化工医药": 980, "电子信息": 300}
keys = sorted(top, key=lambda e: (-size[e["id"]], e["id"]))[:30]
km_rows, km_at = [], {}
for e in keys:
    for y, m in ENT_MONTHS:
        out = r2(ent_month(e["id"], y, m))  # its months add up to its 1–N月 in top_enterprises
        power = r1(out * POWER[e["sector"]] * TR.uniform(0.9, 1.1))
        km_at[(e["id"], y, m)] = (out, power)
        prev = km_at.get((e["id"], y - 1, m))
        km_rows.append({"period": "%d-%02d" % (y, m), "enterprise_id": e["id"], "enterprise": e["name"],
                        "region_code": e["region_code"], "region": e["region"], "sector": e["sector"],
                        "output": fmt(out), "power": fmt(power),
                        "output_yoy_pct": fmt(r1((out / prev[0] - 1) * 100)) if prev else None,
                        "power_yoy_pct": fmt(r1((power / prev[1] - 1) * 100)) if prev else None})
write("key_enterprise_monthly", km_rows)

# 经营异常企业: records found by the monitoring (output or power falling,
# taxes owed, production stopped, the market regulator's list) since 2023-01,
# a few a month per county; most are cleared within two to five months
AR_ = random.Random("anomalies")
ANOMALY_TYPES = [  # type, weight, what the record says
    ("产值下滑", 0.30, "当月工业总产值同比下降%d%%"), ("用电骤降", 0.24, "当月用电量环比下降%d%%"),
    ("欠缴税款", 0.14, "欠缴税款逾期%d天"), ("停产半停产", 0.16, "停产半停产已%d天"),
    ("列入经营异常名录", 0.16, "市场监管部门列入经营异常名录（年报未公示%d天）")]
an_rows = []
for y, m in ENT_MONTHS:
    for d in DISTRICTS:
        for _ in range(AR_.choices([0, 1, 2, 3, 4], weights=[0.2, 0.3, 0.25, 0.15, 0.1])[0]):
            e = AR_.choice([x for x in ents if x["region_code"] == d[0]])
            t, _w, text = AR_.choices(ANOMALY_TYPES, weights=[x[1] for x in ANOMALY_TYPES])[0]
            day = _dt.date(y, m, AR_.randint(1, 28))
            cleared = day + _dt.timedelta(days=AR_.randint(40, 160))
            done = cleared <= _dt.date(LATEST_YEAR, LATEST_MONTH, 31 if LATEST_MONTH in (10, 12) else 30)
            an_rows.append({"period": "%d-%02d" % (y, m), "date": day.isoformat(), "enterprise_id": e["id"],
                            "enterprise": e["name"], "region_code": e["region_code"], "region": e["region"],
                            "sector": e["sector"], "type": t, "detail": text % AR_.randint(20, 60),
                            "status": "已解除" if done else "跟踪处置",
                            "cleared": cleared.isoformat() if done else None})
an_rows.sort(key=lambda a: (a["date"], a["enterprise_id"]))
for i, a in enumerate(an_rows, 1):
    a["id"] = "YC%s%04d" % (a["period"].replace("-", ""), i)
write("enterprise_anomalies", an_rows)

am_rows = []
for code in [CITY[0]] + [d[0] for d in DISTRICTS]:
    mine = [a for a in an_rows if code == CITY[0] or a["region_code"] == code]
    for y, m in ENT_MONTHS:
        per = "%d-%02d" % (y, m)
        end = "%s-31" % per  # a month's records and clearances to its end
        for t, *_ in ANOMALY_TYPES:
            of = [a for a in mine if a["type"] == t]
            am_rows.append({"period": per, "region_code": code, "region": RNAME[code], "type": t,
                            "new": sum(a["period"] == per for a in of),
                            "year_new": sum(a["period"][:4] == per[:4] and a["period"] <= per for a in of),
                            "open": sum(a["date"] <= end and not (a["cleared"] and a["cleared"] <= end)
                                        for a in of)})
write("anomaly_monthly", am_rows)

# 惠企政策与企业码: month by month in 2024, per county (the city is their
# sum), on top of what the platform had at the end of 2023. 码上诉求 are the
# appeals of 万人助企 that came in through the enterprise code (about four in
# ten), counted from the appeals; every other figure is drawn per county and
# month: pushes ≥ matches ≥ applications ≥ approvals, and the funds follow the
# approvals (about 9 万元 an approved application).
PL = random.Random("policy")
POLICY_ITEMS = [  # code, name, unit, base at the end of 2023 (city), per month (city)
    ("pushes", "政策推送", "次", 386000, 41000), ("matches", "政策匹配", "家次", 92000, 9800),
    ("applications", "一键申报", "件", 6900, 760), ("approved", "申报通过", "件", 5300, 590),
    ("funds", "专项资金拨付", "万元", 61500, 5400), ("coded", "赋码企业", "家", 58600, 820),
    ("services", "码上办事", "件", 104000, 9600), ("code_appeals", "码上诉求", "件", 0, 0),
]
via_code = {a["id"] for a in appeals if PL.random() < 0.4}
pol = {}  # (county, item, month) → the month's addition
for d in DISTRICTS:
    for m in range(1, LATEST_MONTH + 1):
        grow = 1 + 0.03 * (m - 1)
        x = {c: per * d[4] * grow * PL.uniform(0.75, 1.25) for c, _n, _u, _b, per in POLICY_ITEMS}
        x["matches"] = min(x["matches"], x["pushes"])
        x["applications"] = min(x["applications"], x["matches"])
        x["approved"] = x["applications"] * PL.uniform(0.7, 0.85)
        x["funds"] = x["approved"] * PL.uniform(7, 11)
        for c, *_ in POLICY_ITEMS:
            pol[(d[0], c, m)] = r1(x[c]) if c == "funds" else int(round(x[c]))
        pol[(d[0], "code_appeals", m)] = sum(1 for a in appeals if a["id"] in via_code
                                             and a["region_code"] == d[0]
                                             and a["month"] == "%d-%02d" % (LATEST_YEAR, m))
pol_base = {}
for c, _n, _u, b, _p in POLICY_ITEMS:
    before = [a for a in appeals if a["id"] in via_code and a["month"] < "%d-01" % LATEST_YEAR]
    parts = [sum(1 for a in before if a["region_code"] == d[0]) for d in DISTRICTS] \
        if c == "code_appeals" else split_count(b, [d[4] for d in DISTRICTS])
    for d, x in zip(DISTRICTS, parts):
        pol_base[(d[0], c)] = x
ps_rows = []
for m in range(1, LATEST_MONTH + 1):
    for code in [CITY[0]] + [d[0] for d in DISTRICTS]:
        counties = [d[0] for d in DISTRICTS] if code == CITY[0] else [code]
        for c, name, unit, _b, _p in POLICY_ITEMS:
            rnd = r1 if c == "funds" else (lambda v: v)
            month = rnd(sum(pol[(k, c, m)] for k in counties))
            year = rnd(sum(pol[(k, c, j)] for k in counties for j in range(1, m + 1)))
            ps_rows.append({"period": "%d-%02d" % (LATEST_YEAR, m), "region_code": code,
                            "region": RNAME[code], "item": c, "name": name, "unit": unit,
                            "total": fmt(rnd(sum(pol_base[(k, c)] for k in counties) + year)),
                            "month": fmt(month), "year": fmt(year)})
write("policy_summary", ps_rows)

POLICY_DIMS = [
    ("政策类别", [("技术改造", 0.24), ("科技创新", 0.18), ("专精特新", 0.14), ("稳岗就业", 0.16),
                  ("绿色低碳", 0.10), ("外贸外经", 0.08), ("金融支持", 0.10)]),
    ("主管部门", [("市工信局", 0.34), ("市科技局", 0.18), ("市人社局", 0.16), ("市商务局", 0.09),
                  ("市发改委", 0.11), ("市金融局", 0.07), ("市财政局", 0.05)]),
]
pb_part, pb_rows = {}, []
for d in DISTRICTS:
    for m in range(1, LATEST_MONTH + 1):
        for dim, keys_ in POLICY_DIMS:
            w = [k[1] * PL.uniform(0.75, 1.25) for k in keys_]
            apps = split_count(pol[(d[0], "applications", m)], w)
            okd = split_count(pol[(d[0], "approved", m)], w)
            funds = [r1(pol[(d[0], "funds", m)] * x / sum(w)) for x in w]
            funds[-1] = r1(pol[(d[0], "funds", m)] - sum(funds[:-1]))  # the last takes the rest
            for j, (key, _kw) in enumerate(keys_):
                pb_part[(d[0], dim, key, m)] = (apps[j], okd[j], funds[j])
for m in range(1, LATEST_MONTH + 1):
    for code in [CITY[0]] + [d[0] for d in DISTRICTS]:
        counties = [d[0] for d in DISTRICTS] if code == CITY[0] else [code]
        for dim, keys_ in POLICY_DIMS:
            for key, _kw in keys_:
                def total(i, months):
                    v = sum(pb_part[(k, dim, key, j)][i] for k in counties for j in months)
                    return r1(v) if i == 2 else v
                pb_rows.append({"period": "%d-%02d" % (LATEST_YEAR, m), "region_code": code,
                                "region": RNAME[code], "dim": dim, "key": key,
                                "applications": total(0, [m]), "funds": fmt(total(2, [m])),
                                "applications_year": total(0, range(1, m + 1)),
                                "approved_year": total(1, range(1, m + 1)),
                                "funds_year": fmt(total(2, range(1, m + 1)))})
write("policy_breakdown", pb_rows)

# 企业诉求分行业: the appeals since the platform opened, by the sector of the
# enterprise that raised them, received and closed up to each month's end
sector_of = {e["id"]: e["sector"] for e in ents}
as_rows_ = []
for per in months:
    end = per + "-31"
    for code in [CITY[0]] + [d[0] for d in DISTRICTS]:
        mine = [a for a in appeals if (code == CITY[0] or a["region_code"] == code) and a["month"] <= per]
        for s_, *_ in SECTORS:
            of = [a for a in mine if sector_of[a["enterprise_id"]] == s_]
            as_rows_.append({"period": per, "region_code": code, "region": RNAME[code], "sector": s_,
                             "appeals": len(of),
                             "closed": sum(1 for a in of if a["closed"] and a["closed"] <= end)})
write("appeal_sectors", as_rows_)
# 大屏运行监控: the demo's fleet, the city's command centre and a wall in each
# county, as their heartbeats would show them (a live fleet is the view
# lotuswall.fleet over lotuswall.walls). One is offline, one shows stale data,
# one has a recent error: the fleet scene shows every state. The thumbnails are
# the scenes themselves at 320x180, made by lotuswall when it is built
# (LW=path/to/lotuswall, default build/lotuswall), else kept from the file.
def fleet_thumbnails(walls):
    import base64, subprocess, tempfile
    lw = os.environ.get("LW", os.path.join(ROOT, "build", "lotuswall"))
    old = {}
    path = os.path.join(OUT, "fleet.csv")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            old = {r["name"]: r["thumbnail"] for r in csv.DictReader(f)}
    out = {}
    for w in walls:
        name, scene, params = w[0], w[4], w[5]
        if not os.access(lw, os.X_OK):
            out[name] = old.get(name, "")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            png = os.path.join(tmp, "t.png")
            args = [lw, "export", scene, "--size", "320x180", "--out", png]
            for k, v in params.items():
                args += ["--param", "%s=%s" % (k, v)]
            subprocess.run(args, check=True, stderr=subprocess.DEVNULL)
            out[name] = base64.b64encode(open(png, "rb").read()).decode()
    return out


FLEET = [  # name, region, host, version, scene, params, title, beat age, data age, error
    ("city", CITY[0], "zhcx-wall-01", "1.4.0", "situation", {}, "许昌市 · 默认态势", 2.1, 41, ""),
    ("weidu", "411002", "wd-wall-01", "1.4.0", "gdp", {"city": "411002"}, "魏都区 · 生产总值", 3.4, 55, ""),
    ("jianan", "411003", "ja-wall-01", "1.4.0", "industry", {"city": "411003"}, "建安区 · 规上工业", 1.2, 38, ""),
    ("yanling", "411024", "yl-wall-01", "1.4.0", "projects", {"city": "411024"}, "鄢陵县 · 重大项目", 4.0, 7320, ""),
    ("xiangcheng", "411025", "xc-wall-01", "1.3.2", "help-map", {"city": "411025"}, "襄城县 · 万人助企", 2.7, 47,
     "scenes/help-map.json: panels[3].binding.source: unknown source \"appeal_map\""),
    ("yuzhou", "411081", "yz-wall-01", "1.4.0", "situation", {"city": "411081"}, "禹州市 · 默认态势", 0.8, 52, ""),
    ("changge", "411082", "cg-wall-01", "1.4.0", "economy", {"city": "411082"}, "长葛市 · 经济运行", 412.0, 455, ""),
    ("jingkai", "411071", "jk-wall-01", "1.4.0", "enterprise", {"city": "411071"}, "经开区 · 企业发展", 2.2, 61, ""),
]
thumbs = fleet_thumbnails(FLEET)
fleet_rows = []
for i, (name, code, host, version, scene, params, title, beat, data, error) in enumerate(FLEET):
    interval = 5
    state = ("离线" if beat > 2 * interval else "报错" if error
             else "数据陈旧" if data > 3600 else "正常")
    fleet_rows.append({"name": name, "region_code": code, "region": RNAME[code], "host": host,
                       "version": version, "scene": scene, "scene_title": title,
                       "params": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
                       "state": state, "alive": 0 if state == "离线" else 1, "beat_age_s": fmt(beat),
                       "data_age_s": data, "frame_ms": fmt(r1(6.5 + 1.7 * i)),
                       "rss_mb": fmt(r1(61.0 + 3.3 * i)), "outputs": "HDMI-1" if i else "DP-1,DP-2,DP-3,DP-4",
                       "last_error": error or None, "thumbnail": thumbs[name] or None,
                       "interval_s": interval, "scene_since_ms": 1730339400000 + 60000 * i})
write("fleet", fleet_rows)

# 催办送达情况: the delivery health per department, counts only, as the view
# lotuswall.delivery_health over the contacts and deliveries shows it. The
# demo's 市商务局 has one contact, off duty, and the urge of 社会消费品零售总额
# 连续回落 found nobody to send it to: the rule dept-unreachable fires for it.
# No send went dead (urge-dead stays quiet).
HEALTH = [  # department, contacts, reachable, sends in 24 h, nobody in 24 h
    ("市发改委", 3, 3, 4, 0), ("市统计局", 2, 2, 6, 0), ("市工信局", 3, 2, 6, 0),
    ("市商务局", 1, 0, 0, 1), ("市财政局", 2, 2, 0, 0), ("市营商办", 4, 4, 16, 0),
    ("市政务服务局", 3, 3, 8, 0), ("市政府办公室", 2, 2, 2, 0),
]
write("delivery_health", [{"department": d, "contacts": c, "reachable": r, "sends_24h": s,
                           "dead_24h": 0, "nobody_24h": n} for d, c, r, s, n in HEALTH])
