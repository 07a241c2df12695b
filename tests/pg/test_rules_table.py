#!/usr/bin/env python3
"""Rules kept in the database: `lotuswall engine --rules db` evaluates the
enabled rows of lotuswall.warning_rules like a rules file, and a bad row is
refused with the table and the JSON path. Runs under tests/pg/with_pg.sh."""
import json, os, signal, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish  # noqa: E402

lw = sys.argv[1]


def psql(sql):
    return subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


rules = json.load(open("rules/demo.json", encoding="utf-8"))["rules"]
rule = next(r for r in rules if r["id"] == "industry-behind-schedule")
rule.pop("departments", None)
rule["departments"] = ["市工信局"]
rule["urge"] = {"on_firing": True}
text = json.dumps(rule, ensure_ascii=False).replace("'", "''")
psql(f"INSERT INTO lotuswall.warning_rules (id, rule) VALUES ('{rule['id']}', '{text}')")
psql("INSERT INTO lotuswall.warning_rules (id, rule, enabled) VALUES ('off', '{\"id\": \"x\"}', false)")

engine = subprocess.Popen([lw, "engine", "--db", "", "--rules", "db", "--interval", "1"],
                          stderr=subprocess.DEVNULL)
try:
    n = 0
    for _ in range(100):
        n = int(psql("SELECT count(*) FROM lotuswall.warnings WHERE rule = 'industry-behind-schedule' "
                     "AND state = 'firing'"))
        if n:
            break
        time.sleep(0.1)
    check(n > 0, f"warnings from the rule in the table: {n}")
    check(psql("SELECT count(DISTINCT rule) FROM lotuswall.warnings") == "1",
          "only the enabled row is a rule")
finally:
    engine.send_signal(signal.SIGTERM)
    engine.wait(timeout=10)

psql("UPDATE lotuswall.warning_rules SET rule = jsonb_set(rule, '{pending}', '\"-5m\"') "
     "WHERE id = 'industry-behind-schedule'")
r = subprocess.run([lw, "engine", "--db", "", "--rules", "db"], capture_output=True, text=True, timeout=20)
check(r.returncode == 1 and "lotuswall.warning_rules: rules[0].pending:" in r.stderr,
      f"a bad row is refused with the table and the path: {r.stderr.strip()}")
finish()
