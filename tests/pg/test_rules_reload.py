#!/usr/bin/env python3
"""The engine watches its rules file: an edit takes effect at the next
evaluation (a removed rule's warnings leave the warnings table), and a bad
edit is logged with file and line:column while the last good rules go on.
Runs under tests/pg/with_pg.sh."""
import json, os, signal, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish, wait_for  # noqa: E402

lw = sys.argv[1]


def psql(sql):
    return subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def rules_in_table():
    return set(psql("SELECT DISTINCT rule FROM lotuswall.warnings").split())


tmp = tempfile.mkdtemp()
path = os.path.join(tmp, "rules.json")
doc = json.load(open("rules/demo.json"))
json.dump(doc, open(path, "w"), ensure_ascii=False)
log_path = os.path.join(tmp, "engine.log")
log = open(log_path, "w")
engine = subprocess.Popen([lw, "engine", "--db", "", "--rules", path, "--interval", "1"],
                          stderr=log)
try:
    many = wait_for(lambda: len(rules_in_table()) >= 2 and rules_in_table())
    check(many, f"the demo rules raise warnings of several rules: {many}")
    keep = doc["rules"][0]["id"]
    one = dict(doc, rules=[doc["rules"][0]])
    tmp_path = path + ".new"
    json.dump(one, open(tmp_path, "w"), ensure_ascii=False)
    os.rename(tmp_path, path)  # as editors save
    check(wait_for(lambda: f"rules {path}: 1 rules" in open(log_path).read()),
          "the edit is picked up")
    left = wait_for(lambda: rules_in_table() == {keep} and rules_in_table())
    check(left == {keep}, f"only the kept rule's warnings remain: {rules_in_table()}")
    with open(path, "w") as f:
        f.write('{"kind": "rules", "version": 1,\n  "rules": [,]}\n')
    want = f"{path}:2:13: "
    check(wait_for(lambda: any(want in line and "(the engine keeps the last good rules)" in line
                               for line in open(log_path))),
          "a bad edit is logged with line:column")
    check(engine.poll() is None, "the engine goes on after a bad edit")
    check(rules_in_table() == {keep}, "the last good rules still hold")
finally:
    engine.send_signal(signal.SIGTERM)
    engine.wait(timeout=10)
    log.close()
check(engine.returncode == 0, f"SIGTERM: exit {engine.returncode}")
finish()
