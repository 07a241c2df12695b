#!/usr/bin/env bash
# The CLI as a user meets it: exact messages and exit codes of `check` and
# `export` on good and bad input.
set -u
LW=$(realpath "${1:?usage: test_cli.sh path/to/lotuswall}")
. "$(dirname "$0")/lib.sh"

# every shipped scene is valid
expect "check shipped" 0 "scenes/economy.json: ok" -- "$LW" check scenes/*.json
expect "check by name" 0 "ok (scene gdp" -- "$LW" check gdp

# syntax error: file:line:column
printf '{\n  "kind": "scene",\n  "version": 1,\n  "title": "x",,\n}\n' > "$tmp/syntax.json"
expect "syntax" 1 "$tmp/syntax.json:4:16: string or '}' expected near ','" -- "$LW" check "$tmp/syntax.json"

# semantic error: JSON path and the list of known widgets
sed 's/"widget": "kpi"/"widget": "kpi3d"/' scenes/situation.json > "$tmp/widget.json"
expect "unknown widget" 1 "$tmp/widget.json: panels[1].widget: unknown widget type \"kpi3d\" (known: title, kpi" -- "$LW" check "$tmp/widget.json"

# one bad file among good ones: all are reported, exit 1
expect "mixed" 1 "scenes/gdp.json: ok" -- "$LW" check scenes/gdp.json "$tmp/widget.json"
expect "missing file" 1 "nope: no such scene (looked for /etc/lotuswall/scenes/nope.json and $PWD/scenes/nope.json)" -- "$LW" check nope

# playlists: every scene they name must exist and load
expect "playlist" 0 "scenes/playlists/briefing.json: ok (playlist, 14 scenes, alert takeover from 一般)" -- "$LW" check scenes/playlists/briefing.json
echo '{"kind":"playlist","version":1,"scenes":[{"scene":"gdp","dwell":0}]}' > "$tmp/p1.json"
expect "playlist dwell" 1 "$tmp/p1.json: scenes[0].dwell: expected whole seconds from 1 to 86400" -- "$LW" check "$tmp/p1.json"
echo '{"kind":"playlist","version":1,"scenes":[{"scene":"gpd","dwell":5}]}' > "$tmp/p2.json"
expect "playlist scene" 1 "$tmp/p2.json: scenes[0].scene: no such scene \"gpd\" (looked for it as a path and as scenes/gpd.json)" -- "$LW" check "$tmp/p2.json"
echo '{"kind":"playlist","version":1,"scenes":[{"scene":"gdp","dwell":5}],"alert":{"scene":"gdp","min_severity":"high"}}' > "$tmp/p3.json"
expect "playlist severity" 1 "$tmp/p3.json: alert.min_severity: expected one of 提示, 一般, 严重 (or info, warning, critical)" -- "$LW" check "$tmp/p3.json"
echo '{"kind":"playlist","version":1,"scenes":[{"scene":"gdp","dwell":5}],"idle_return":5}' > "$tmp/p5.json"
expect "playlist idle_return" 1 "$tmp/p5.json: idle_return: expected whole seconds from 10 to 86400" -- "$LW" check "$tmp/p5.json"
echo '{"kind":"playlist","version":1,"scenes":[{"scene":"gdp","dwell":5}],"idle_return":300}' > "$tmp/p6.json"
expect "playlist idle_return ok" 0 "$tmp/p6.json: ok (playlist, 1 scenes)" -- "$LW" check "$tmp/p6.json"
echo '{"kind":"playlist","version":1,"scenes":[{"scene":"'"$tmp/widget.json"'","dwell":5}]}' > "$tmp/p4.json"
expect "playlist bad scene" 1 "$tmp/p4.json: scene of the playlist: $tmp/widget.json: panels[1].widget: unknown widget type" -- "$LW" check "$tmp/p4.json"
# playlist entry params: a tour of the counties; names the scene declares, region codes that exist
expect "playlist tour" 0 "scenes/playlists/counties.json: ok (playlist, 8 scenes, alert takeover from 一般)" -- "$LW" check scenes/playlists/counties.json
echo '{"kind":"playlist","version":1,"scenes":[{"scene":"gdp","dwell":5},{"scene":"situation","params":{"town":"411081"},"dwell":5}]}' > "$tmp/p5.json"
expect "playlist param name" 1 "$tmp/p5.json: scenes[1].params.town: scene situation declares no parameter \"town\" (it declares: city, period)" -- "$LW" check "$tmp/p5.json"
echo '{"kind":"playlist","version":1,"scenes":[{"scene":"situation","params":{"city":"411099"},"dwell":5}]}' > "$tmp/p6.json"
expect "playlist param region" 1 "$tmp/p6.json: scenes[0].params.city: \"411099\" is not a region code (the regions table has: 411000, 411002, 411003, 411024, 411025, 411081, 411082, 411071)" -- "$LW" check "$tmp/p6.json"
# --param city on the command line: a code the regions table has (export, run, report)
expect "param region" 1 "--param city: \"411099\" is not a region code (the regions table has: 411000, 411002, 411003, 411024, 411025, 411081, 411082, 411071)" -- "$LW" export --param city=411099 --out "$tmp/r.json" situation
expect "param region report" 1 "--param city: \"4110\" is not a region code" -- "$LW" report --param city=4110 --out "$tmp/rr" gdp
echo '{"kind":"playlist","version":1,"scenes":[{"scene":"situation","params":{"period":"June"},"dwell":5}]}' > "$tmp/p7.json"
expect "playlist param period" 1 "$tmp/p7.json: scenes[0].params: $PWD/scenes/situation.json: params.period: \"June\" is not a month" -- "$LW" check "$tmp/p7.json"
echo '{"kind":"playlist","version":1,"scenes":[{"scene":"situation","params":{"city":411081},"dwell":5}]}' > "$tmp/p8.json"
expect "playlist param type" 1 "$tmp/p8.json: scenes[0].params.city: expected a string" -- "$LW" check "$tmp/p8.json"
# the wall refuses them too, and runs a tour with them
expect "wall playlist param" 1 "$tmp/p5.json: scenes[1].params.town: scene situation declares no parameter \"town\"" -- env SDL_VIDEODRIVER=dummy "$LW" run --windowed 320x180 --fast-forward 2 --playlist "$tmp/p5.json"
echo '{"kind":"playlist","version":1,"scenes":[{"scene":"situation","params":{"city":"411081","period":"2024-06"},"dwell":5}]}' > "$tmp/p9.json"
expect "wall playlist tour" 0 "fast-forward situation at 320x180: 2 frames" -- env SDL_VIDEODRIVER=dummy "$LW" run --windowed 320x180 --fast-forward 2 --playlist "$tmp/p9.json"
# drills lead somewhere real: a scene that exists and declares what they set
python3 /dev/stdin "$PWD/scenes/situation.json" "$tmp/d1.json" "$tmp/d2.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
rank = next(p for p in s["panels"] if p["id"] == "district_rank")
rank["drill"] = {"scene": "nosuch", "params": {"city": "code"}}
json.dump(s, open(sys.argv[2], "w"), ensure_ascii=False)
rank["drill"] = {"scene": "gdp", "params": {"county": "code"}}
json.dump(s, open(sys.argv[3], "w"), ensure_ascii=False)
PY
expect "drill target" 1 "$tmp/d1.json: panels[7].drill.scene: nosuch: no such scene (looked for /etc/lotuswall/scenes/nosuch.json and $PWD/scenes/nosuch.json)" -- "$LW" check "$tmp/d1.json"
expect "drill param" 1 "$tmp/d2.json: panels[7].drill.params.county: scene gdp declares no parameter \"county\" (it declares: city, period)" -- "$LW" check "$tmp/d2.json"
expect "wall drill target" 1 "$tmp/d1.json: panels[7].drill.scene: nosuch: no such scene" -- env SDL_VIDEODRIVER=dummy "$LW" run --windowed 320x180 --fast-forward 2 "$tmp/d1.json"
expect "hit" 0 "$(printf '900,600\tbars3d\t4\tsituation city=411081\t禹州市')" -- "$LW" hit --now 2024-11-15T09:30:00 situation 900,600
# issue 13's drills: an enterprise of the evaluation ranking → its profile;
# a county of finance's comparison → its view; a rule of any state → its detail
expect "hit evaluation" 0 "$(printf '200,410\tranking\t1\tevaluation enterprise=QY0820420\t嘉禾明辉金属有限公司')" -- "$LW" hit --now 2024-11-15T09:30:00 evaluation 200,410
expect "hit finance" 0 "$(printf '1358,930\tcounties\t0\tfinance city=411081\t禹州市')" -- "$LW" hit --now 2024-11-15T09:30:00 finance 1358,930
# the top hundred's enterprise → its evaluation profile (the radar); a county
# of the distribution → its view; an anomaly → the enterprise; policy's counties
expect "hit panorama" 0 "$(printf '200,384\ttop100\t0\tevaluation enterprise=QY0250269\t永昌开元医药有限公司\n1000,340\tby_region\t0\tpanorama city=411081\t禹州市\n1700,930\tanomaly_list\t0\tenterprise-view enterprise=QY0030029\t远航恒达建材有限公司')" -- "$LW" hit --now 2024-11-15T09:30:00 panorama 200,384 1000,340 1700,930
expect "hit policy" 0 "$(printf '1500,930\tcounties\t4\tpolicy city=411003\t建安区')" -- "$LW" hit --now 2024-11-15T09:30:00 policy 1500,930
expect "hit rules" 0 "$(printf '200,880\trules\t15\twarning warning=gdp-growth-below-target@许昌经开区#1\t地区生产总值增速低于目标增速 6%%')" -- "$LW" hit --now 2024-11-15T09:30:00 warnings 200,880
expect "hit point" 2 "lotuswall hit: 900x600: expected a point X,Y in pixels" -- "$LW" hit situation 900x600
echo '{"kind":"dashboard","version":1}' > "$tmp/k.json"
expect "unknown kind" 1 "$tmp/k.json: kind: expected one of scene, playlist, rules, wall, report-analysis, found \"dashboard\"" -- "$LW" check "$tmp/k.json"

# wall files: outputs on one canvas; a portrait panel by its rotation
expect "wall file" 0 "kiosk/walls/two-4k.json: ok (wall, 2 outputs, canvas 7728×2160)" -- "$LW" check kiosk/walls/two-4k.json
echo '{"kind":"wall","version":1,"outputs":[{"display":0,"x":0,"y":0,"width":1080,"height":1920,"rotation":45}]}' > "$tmp/w1.json"
expect "wall rotation" 1 "$tmp/w1.json: outputs[0].rotation: expected 0, 90, 180 or 270 (degrees clockwise, as the panel is mounted)" -- "$LW" check "$tmp/w1.json"
echo '{"kind":"wall","version":1,"outputs":[{"display":0,"x":0,"y":0,"width":1080,"height":1920,"rotate":90}]}' > "$tmp/w2.json"
expect "wall key" 1 "$tmp/w2.json: outputs[0].rotate: unknown key (known: name, part, display, x, y, width, height, rotation, position)" -- "$LW" check "$tmp/w2.json"
echo '{"kind":"wall","version":1,"outputs":[{"part":"pc1","display":0,"x":0,"y":0,"width":1920,"height":1080},{"part":"pc2","display":0,"x":1940,"y":0,"width":1920,"height":1080}]}' > "$tmp/w3.json"
expect "wall parts" 0 "$tmp/w3.json: ok (wall, 2 outputs, canvas 3860×1080)" -- "$LW" check "$tmp/w3.json"
expect "run --part" 2 "lotuswall: $tmp/w3.json: no output is driven by part \"pc3\" (its parts: pc1, pc2)" -- "$LW" run --wall "$tmp/w3.json" --part pc3 gdp
expect "run --part, no parts" 2 "lotuswall: kiosk/walls/two-4k.json: no output names a part: give each output the \"part\" (the PC) that drives it" -- "$LW" run --wall kiosk/walls/two-4k.json --part pc1 gdp
expect "run --part without --wall" 2 "lotuswall run: --part needs --wall FILE (the outputs of each part)" -- "$LW" run --part pc1 gdp
expect "run --db-notify without --db" 2 "lotuswall run: --db-notify goes with --db (the replica or pooler to read)" -- "$LW" run --db-notify none gdp
expect "run --rotate" 2 "lotuswall run: --rotate 45: expected 0, 90, 180 or 270 (degrees clockwise, as the screen is mounted)" -- "$LW" run --rotate 45 gdp

# warning rules: checked against the catalog like scenes
expect "rules" 0 "rules/demo.json: ok (rules, 10 rules)" -- "$LW" check rules/demo.json
echo '{"kind":"rules","version":1,"rules":[{"id":"a","name":"A","indicator":{"source":"appeals","field":"days_open"},"condition":{"type":"overdue","limit":"limit_days"},"severity":"一般","pending":-60,"departments":["市营商办"]}]}' > "$tmp/r1.json"
expect "rules period" 1 "$tmp/r1.json: rules[0].pending: -60 is negative; expected seconds >= 0 or a duration such as \"10m\", \"2h\", \"1d\"" -- "$LW" check "$tmp/r1.json"

# the demo replays its warning rules: the open warnings, as text and JSON
expect "warnings" 0 "17 open warning(s)" -- "$LW" warnings --now 2024-11-15T09:30:00
"$LW" warnings --json --now 2024-11-15T09:30:00 > "$tmp/w.json" &&
    python3 -c "import json,sys; d = json.load(open(sys.argv[1])); sys.exit(0 if len(d) == 17 and d[0]['state'] == 'firing' else 1)" "$tmp/w.json" &&
    pass=$((pass + 1)) || { echo "FAIL warnings --json"; fail=$((fail + 1)); }

# every rule of rules/demo.json with its state: 17 instances firing (the
# demo's offline 长葛 wall and its unreachable 市商务局 among them), 34 normal,
# and 全社会用电量, whose feed the demo data lacks, in nodata
expect "rules" 0 "10 rule(s), 52 instance(s): 17 firing, 34 normal, 1 nodata" -- "$LW" rules --now 2024-11-15T09:30:00
expect "rules line" 0 "power-growth-low          全社会用电量增速低于 3%             —             nodata      —          —  市发改委" -- "$LW" rules --now 2024-11-15T09:30:00
expect "rules argument" 2 'lotuswall rules: unexpected argument "x"' -- "$LW" rules x
"$LW" rules --json --now 2024-11-15T09:30:00 > "$tmp/rules.json" &&
    python3 - "$tmp/rules.json" <<'PY' && pass=$((pass + 1)) || { echo "FAIL rules --json"; fail=$((fail + 1)); }
import json, sys
got = json.load(open(sys.argv[1], encoding="utf-8"))
want = json.load(open("rules/demo.json", encoding="utf-8"))["rules"]
assert [r["rule"] for r in got] == [r["id"] for r in want], [r["rule"] for r in got]
for g, w in zip(got, want):
    assert g["departments"] == w["departments"] and g["name"] == w["name"], g
    assert g["instances"] and g["state"] in ("firing", "pending", "recovering", "normal", "nodata", "error"), g
states = {r["rule"]: r["state"] for r in got}
assert states["power-growth-low"] == "nodata" and states["appeals-overdue"] == "firing", states
closure = {i["instance"]: (i["state"], i["value"], i["reference"])
           for i in next(r for r in got if r["rule"] == "appeal-closure-low")["instances"]}
walls = {i["instance"]: i["state"] for i in next(r for r in got if r["rule"] == "wall-offline")["instances"]}
assert walls["长葛市"] == "firing" and walls["禹州市"] == "normal", walls
depts = {i["instance"]: i["state"] for i in next(r for r in got if r["rule"] == "dept-unreachable")["instances"]}
assert depts["市商务局"] == "firing" and depts["市发改委"] == "normal", depts
dead = {i["state"] for i in next(r for r in got if r["rule"] == "urge-dead")["instances"]}
assert dead == {"normal"}, dead
assert closure["鄢陵县"] == ("firing", 95.5, 96.0) and closure["建安区"] == ("normal", 96.6, 96.0), closure
PY

# rules name SMS templates that exist
expect "rules" 0 "rules/demo.json: ok (rules, 10 rules)" -- "$LW" check rules/demo.json
sed 's/"T002"/"T009"/' rules/demo.json > "$tmp/r9.json"
expect "rules template" 1 "$tmp/r9.json: rules[1].urge.template: unknown SMS template \"T009\" (known: T001, T002, T003)" -- "$LW" check "$tmp/r9.json"

# the 运行报告中心: a report made, listed, published with a link; an unknown id refused
expect "report" 0 "(许昌市经济运行态势监测、许昌市生产总值专题)" -- "$LW" report --out "$tmp/reports" situation gdp
rid=$(tail -n 1 "$tmp/reports/reports.csv" | cut -d, -f1)
[[ -s "$tmp/reports/$rid.pdf" ]] && pass=$((pass + 1)) || { echo "FAIL report pdf"; fail=$((fail + 1)); }
expect "report list" 0 "1 report(s) in $tmp/reports" -- "$LW" report list --out "$tmp/reports"
expect "report publish" 0 "$rid: 已发布" -- "$LW" report publish "$rid" --link https://example.org/r --out "$tmp/reports"
grep -q "已发布,https://example.org/r" "$tmp/reports/reports.csv" && pass=$((pass + 1)) || { echo "FAIL publish flag"; fail=$((fail + 1)); }
# report --each city: one PDF per region (the city, then its counties), each titled for it
expect "report each" 0 "(禹州市经济运行态势监测)" -- "$LW" report --each city --out "$tmp/each" situation
[[ $(ls "$tmp/each"/*.pdf | wc -l) == 8 && $(grep -c '经济运行分析报告' "$tmp/each/reports.csv") == 8 ]] &&
    grep -q ',许昌经济技术开发区经济运行分析报告,' "$tmp/each/reports.csv" && pass=$((pass + 1)) ||
    { echo "FAIL report each: 8 reports, one per region"; fail=$((fail + 1)); }
last=$(tail -n 1 "$tmp/each/reports.csv" | cut -d, -f5)
pdfinfo "$tmp/each/$last" 2>/dev/null | grep -q '^Title: *许昌经济技术开发区经济运行分析报告' && pass=$((pass + 1)) ||
    { echo "FAIL report each: the last PDF is titled for 许昌经济技术开发区"; fail=$((fail + 1)); }
pdftotext "$tmp/each/$last" - | tr -d '\n' | grep -q '许昌经济技术开发区实现地区生产总值.*居全市7个县(市、区)第' &&
    pass=$((pass + 1)) || { echo "FAIL report each: the last PDF's analysis is 许昌经济技术开发区's"; fail=$((fail + 1)); }
expect "report each unknown" 1 "--param town: no scene here declares a parameter \"town\"" -- "$LW" report --each town --out "$tmp/each2" situation
# the reports' wording (reports/analysis.json): checked, and a wrong placeholder named with its place
expect "check analysis" 0 "reports/analysis.json: ok (report-analysis)" -- "$LW" check reports/analysis.json
sed 's/{gdp_trend}/{gdp_trnd}/' reports/analysis.json >"$tmp/analysis.json"
expect "analysis placeholder" 1 "$tmp/analysis.json: sections[0].sentences[0].text: unknown placeholder {gdp_trnd} (known: region, period" -- "$LW" check "$tmp/analysis.json"
expect "report unknown" 1 "report R0 is not in $tmp/reports/reports.csv" -- "$LW" report publish R0 --out "$tmp/reports"

# export: bad options are refused before any work
expect "bad size" 2 "--size 0x5: expected WxH from 16x16 to 16384x16384" -- "$LW" export --size 0x5 --out "$tmp/a.png" gdp
expect "bad size big" 2 "--size 20000x100: expected WxH" -- "$LW" export --size 20000x100 --out "$tmp/a.png" gdp
expect "bad format" 2 "$tmp/a.bmp: unknown output format (known: .png, .pdf, .svg, .json)" -- "$LW" export --out "$tmp/a.bmp" gdp
expect "bad theme" 2 "--theme neon: unknown theme (known: dark, light)" -- "$LW" export --theme neon --out "$tmp/a.png" gdp
expect "bad now" 2 "--now yesterday: expected unix seconds or YYYY-MM-DDTHH:MM:SS" -- "$LW" export --now yesterday --out "$tmp/a.png" gdp
expect "no scene" 2 "expected --out FILE and at least one SCENE" -- "$LW" export --out "$tmp/a.png"

# a broken demo data set names the file and the line
mkdir -p "$tmp/data" && cp db/demo/*.csv "$tmp/data/"
printf 'period,month,plan_cum,done_cum,completion_pct,schedule_pct,started,completed,region_code,region\n2024-01,1,abc,1,1,1,1,0,411000,许昌市\n' > "$tmp/data/project_progress.csv"
expect "bad csv" 1 "$tmp/data/project_progress.csv:2: column plan_cum: expected a number, found \"abc\"" -- "$LW" export --data "$tmp/data" --out "$tmp/a.png" projects
# an export reads only the tables its scenes show: gdp does not read project_progress
expect "other scene's csv" 0 "" -- "$LW" export --data "$tmp/data" --out "$tmp/a.png" gdp
printf 'period,month\n' > "$tmp/data/project_progress.csv"
expect "bad header" 1 "$tmp/data/project_progress.csv:1: the header does not match the catalog's columns for table project_progress: period, month, plan_cum, done_cum, completion_pct, schedule_pct, started, completed" -- "$LW" export --data "$tmp/data" --out "$tmp/a.png" projects

# scene parameters: one file serves every county
expect "param" 0 "" -- "$LW" export --param city=411081 --out "$tmp/yuzhou.png" situation
expect "param bad" 2 "--param city: expected NAME=VALUE" -- "$LW" export --param city --out "$tmp/a.png" situation

# several scenes into single-page formats: one file each
expect "multi png" 0 "" -- "$LW" export --size 640x360 --out "$tmp/m.png" gdp industry
[[ -s "$tmp/m-gdp.png" && -s "$tmp/m-industry.png" ]] && pass=$((pass + 1)) || { echo "FAIL multi png files"; fail=$((fail + 1)); }

# without a display, run says so and exports instead
(cd "$tmp" && DISPLAY= WAYLAND_DISPLAY= "$LW" run --size 640x360 gdp) >"$tmp/stdout" 2>"$tmp/err"
if grep -qF "no display (neither DISPLAY nor WAYLAND_DISPLAY is set); exporting the scenes instead" "$tmp/err" && [[ -s "$tmp/out/gdp.png" ]]; then
    pass=$((pass + 1))
else
    echo "FAIL run without display"; cat "$tmp/err"; fail=$((fail + 1))
fi
# ... and with no scene named, the README's first command: every overview scene
mkdir -p "$tmp/all"
(cd "$tmp/all" && DISPLAY= WAYLAND_DISPLAY= "$LW" run --size 320x180) >"$tmp/stdout" 2>"$tmp/err"
got=$(cd "$tmp/all/out" 2>/dev/null && ls *.png | sed 's/\.png$//' | sort | tr '\n' ' ')
want="demand economy enterprise evaluation finance fleet gdp help-map industry panorama policy projects sectors situation warnings "
if [[ "$got" == "$want" ]] && grep -qF "wrote 15 scene(s) as out/{scene}.png at 320x180" "$tmp/err"; then
    pass=$((pass + 1))
else
    echo "FAIL run without display and scenes: got [$got]"; cat "$tmp/err"; fail=$((fail + 1))
fi

# per-command options: an option of another command, an unknown one, a
# value with junk or beyond range, a parameter no scene declares
expect "foreign option" 2 "lotuswall export: --pixel-shift is an option of \`lotuswall run\`, not of \`export\` (lotuswall export --help lists its options)" -- "$LW" export --pixel-shift 5 --operator x --out "$tmp/a.png" gdp
expect "export --playlist" 2 "lotuswall export: --playlist is an option of \`lotuswall run\`, not of \`export\`" -- "$LW" export --playlist briefing --out "$tmp/a.png" gdp
expect "unknown option" 2 "lotuswall check: unknown option --frobnicate (lotuswall check --help lists its options)" -- "$LW" check --frobnicate gdp
expect "size junk" 2 "lotuswall export: --size 1920x1080junk: expected WxH from 16x16 to 16384x16384" -- "$LW" export --size 1920x1080junk --out "$tmp/a.png" gdp
expect "size overflow" 2 "lotuswall export: --size 4294969216x1080: expected WxH from 16x16 to 16384x16384" -- "$LW" export --size 4294969216x1080 --out "$tmp/a.png" gdp
expect "size sign" 2 "lotuswall export: --size -1920x1080: expected WxH" -- "$LW" export --size=-1920x1080 --out "$tmp/a.png" gdp
expect "every overflow" 2 "lotuswall report: --every 25000d: expected a period such as 30m, 1h or 1d, up to 366d" -- "$LW" report --every 25000d --out "$tmp/r" gdp
expect "dwell junk" 2 "lotuswall run: --dwell 30x: expected seconds from 1 to 86400" -- "$LW" run --dwell 30x gdp
expect "flag value" 2 "lotuswall export: --green-up takes no value" -- "$LW" export --green-up=yes --out "$tmp/a.png" gdp
expect "missing value" 2 "lotuswall export: --out expects FILE" -- "$LW" export gdp --out
expect "param undeclared" 1 "lotuswall: --param quarter: no scene here declares a parameter \"quarter\" (they declare: city, period)" -- "$LW" export --param quarter=2024-Q2 --out "$tmp/a.png" situation
expect "param period" 1 "lotuswall: $PWD/scenes/situation.json: params.period: \"June\" is not a month: expected YYYY-MM (e.g. 2024-06), or empty for the newest" -- "$LW" export --param period=June --out "$tmp/a.png" situation
expect "param twice" 2 "lotuswall export: --param city=2: parameter city given twice" -- "$LW" export --param city=1 --param city=2 --out "$tmp/a.png" situation
expect "command help" 0 "usage: lotuswall export [OPTIONS] SCENE..." -- "$LW" export --help
expect "help lists" 0 "  screenshot  what a running wall shows, as PNG" -- "$LW" --help
expect "version" 0 "lotuswall 0." -- "$LW" --version
expect "unknown command" 2 "lotuswall: unknown command \"exprot\"" -- "$LW" exprot

# paths: the shipped files come from the home, never the working directory;
# a scene or playlist in the configuration folder overrides a shipped one
expect "from /" 0 "ok (scene gdp" -- env -C / "$LW" check gdp
mkdir -p "$tmp/cwd/scenes" && sed 's/"生产总值"/"不该用"/' scenes/gdp.json > "$tmp/cwd/scenes/gdp.json"
expect "not the cwd" 0 "$PWD/scenes/gdp.json: ok" -- env -C "$tmp/cwd" "$LW" check gdp
mkdir -p "$tmp/etc/scenes" "$tmp/etc/playlists"
cp scenes/gdp.json "$tmp/etc/scenes/gdp.json"
expect "etc override" 0 "$tmp/etc/scenes/gdp.json: ok (scene gdp" -- env LOTUSWALL_ETC="$tmp/etc" "$LW" check gdp
expect "home bad" 2 "lotuswall check: --home $tmp: not a lotuswall home (it has no db/catalog.json)" -- "$LW" check --home "$tmp" gdp
expect "home env" 1 "lotuswall: $tmp/home/db/catalog.json: No such file or directory" -- env LOTUSWALL_HOME="$tmp/home" "$LW" check gdp
expect "home flag" 0 "$PWD/scenes/gdp.json: ok" -- env LOTUSWALL_HOME="$tmp/home" "$LW" check --home "$PWD" gdp

# the warnings table lines up by display width (a Chinese character takes
# two columns): every row's "value" column ends at the same column
"$LW" warnings > "$tmp/w.txt" 2>/dev/null
python3 - "$tmp/w.txt" <<'PY' && pass=$((pass + 1)) || fail=$((fail + 1))
import sys, unicodedata
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()[:-1]
def cols(s):  # the text as terminal columns: a wide character fills two
    return "".join(c * (2 if unicodedata.east_asian_width(c) in "WF" else 1) for c in s)
rows = [cols(l) for l in lines]
end = rows[0].index("value") + len("value")
bad = [l for l, r in zip(lines, rows) if len(r) <= end or r[end - 1] == " " or r[end] != " "]
if len(lines) < 3 or bad:
    print("FAIL warnings table misaligned:", *(bad or ["too few rows"]), sep="\n  ")
    sys.exit(1)
PY

# a catalog of one's own whose reports table has more than 16 columns: the
# empty report index gets all of them (fixed names[16] arrays once read past
# their end here; the ASan run of this test reported the stack overflow)
mkdir -p "$tmp/wide/db" "$tmp/wide/out"
for d in fonts assets rules scenes; do ln -s "$PWD/$d" "$tmp/wide/$d"; done
ln -s "$PWD/db/demo" "$tmp/wide/db/demo"
python3 - "$tmp/wide/db/catalog.json" <<'PY'
import json, sys
cat = json.load(open("db/catalog.json", encoding="utf-8"))
reports = next(t for t in cat["tables"] if t["name"] == "reports")
reports["columns"] += [{"name": f"extra{i}", "type": "text", "title": f"附加{i}"} for i in range(12)]
json.dump(cat, open(sys.argv[1], "w", encoding="utf-8"), ensure_ascii=False)
PY
expect "wide reports table" 0 "0 report(s) in $tmp/wide/out" -- "$LW" report --home "$tmp/wide" --out "$tmp/wide/out" list

# the console's accounts (src/app/accounts.c): usage, a users file, the audit file
expect "user verb" 2 "lotuswall user: expected add, passwd, disable, enable, limit or list" -- "$LW" user remove x --users "$tmp/u.json"
expect "user no store" 2 "lotuswall user: expected --users FILE or --db CONNINFO" -- env -u LOTUSWALL_DB "$LW" user list
expect "user add role" 2 "lotuswall user: add: expected --role viewer|presenter|operator|admin" -- "$LW" user add x --password-stdin --users "$tmp/u.json"
expect "user bad role" 2 "lotuswall user: --role root: expected viewer, presenter, operator or admin" -- "$LW" user add x --role root --users "$tmp/u.json"
expect "user role not passwd" 2 "lotuswall user: --role, --operator and --db-login go with add" -- "$LW" user passwd x --role admin --password-stdin --users "$tmp/u.json"
expect "user name" 1 "lotuswall user add: an account's name has no spaces or control characters" -- sh -c "echo 'long enough' | '$LW' user add 'a b' --role admin --password-stdin --users '$tmp/u.json'"
expect "user empty stdin" 1 "lotuswall user add: --password-stdin: standard input is empty" -- sh -c "'$LW' user add a --role admin --password-stdin --users '$tmp/u.json' </dev/null"
expect "user duty" 1 "lotuswall user add: --operator: 路人: not an operator (operators: 张伟, 李娜, 王强, 刘洋, 陈静)" -- sh -c "echo 'long enough' | '$LW' user add a --role admin --operator 路人 --password-stdin --users '$tmp/u.json'"
expect "user add" 0 "王强: added as operator" -- sh -c "echo 'long enough' | '$LW' user add 王强 --role operator --operator 王强 --password-stdin --users '$tmp/u.json'"
expect "user db-login in a file" 1 "lotuswall user add: --db-login: a users file has no database logins" -- sh -c "echo 'long enough' | '$LW' user add b --role admin --db-login b --password-stdin --users '$tmp/u.json'"
expect "user list" 0 "王强              operator   enabled   operator 王强" -- "$LW" user list --users "$tmp/u.json"
expect "user missing file" 1 "lotuswall user list: $tmp/none.json: No such file or directory (\`lotuswall user add … --users FILE\` makes it)" -- "$LW" user list --users "$tmp/none.json"
chmod 640 "$tmp/u.json"
expect "user group-readable" 1 "lotuswall user list: $tmp/u.json: mode 0640: anyone but its owner may read the accounts' hashes (chmod 600 $tmp/u.json)" -- "$LW" user list --users "$tmp/u.json"
# four at once on one file: the folder's lock keeps every change
for i in 1 2 3 4; do (echo 'long enough' | "$LW" user add "p$i" --role viewer --password-stdin --users "$tmp/par.json" >/dev/null) & done; wait
[[ $("$LW" user list --users "$tmp/par.json" | wc -l) -eq 4 ]] && ok || bad "four parallel user add keep four accounts"
expect "audit missing" 1 "lotuswall audit: $tmp/audit.jsonl: No such file or directory" -- "$LW" audit --audit "$tmp/audit.jsonl"
echo '{"at": "yesterday", "what": "login", "result": "ok"}' > "$tmp/audit.jsonl"
expect "audit bad line" 1 "lotuswall audit: $tmp/audit.jsonl:1: expected an audit record with \"at\"" -- "$LW" audit --audit "$tmp/audit.jsonl"
expect "audit since" 2 "lotuswall audit: --since June: expected unix seconds or YYYY-MM-DDTHH:MM:SS" -- "$LW" audit --since June --audit "$tmp/audit.jsonl"
expect "engine urge-limit" 2 "lotuswall engine: --urge-limit 0: expected a period such as 30s, 10m or 1h, up to 1d" -- "$LW" engine --urge-limit 0 --db ""
expect "ack demo needs --by" 2 "usage: lotuswall ack WARNING_ID --by OPERATOR [--note TEXT]" -- env -u LOTUSWALL_DB "$LW" ack x

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
