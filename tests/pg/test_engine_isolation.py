#!/usr/bin/env python3
"""One bad urge must not stop the warning engine (issue 10, finding 1).
- A region name of 301 bytes (x + 100 × 国) with rules without a `template`:
  the built-in wording once cut the name inside a character, the outbox
  insert failed as invalid UTF-8, the evaluation rolled back and the engine
  lost its leadership every second. Now the whole name is in the text.
- An urge the server refuses (here: a CHECK constraint the test adds) is
  recorded as failed (refused, with the server's message in `error`), and the
  other urges and the warnings tables are written; the engine keeps leading.
- An operator's action on a warning id of 600 bytes: its answer, cut to fit
  a message, must not be cut inside a character either.
- A flood of NOTIFY lotuswall_action (anyone may send it) does not make the
  engine rewrite its tables over and over.
Runs under tests/pg/with_pg.sh."""
import json, os, shutil, signal, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish, wait_for  # noqa: E402

lw = sys.argv[1]
src = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LONG = "x" + "国" * 100


def psql(sql, ok=True):
    r = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       capture_output=True, text=True)
    if ok and r.returncode:
        raise RuntimeError(r.stderr)
    return r.stdout.strip() if r.returncode == 0 else None


tmp = tempfile.mkdtemp(prefix="lw-isolation-")
rules = json.load(open(os.path.join(src, "rules/demo.json"), encoding="utf-8"))
for r in rules["rules"]:
    r.get("urge", {}).pop("template", None)  # the built-in wording
rules_path = os.path.join(tmp, "rules.json")
json.dump(rules, open(rules_path, "w", encoding="utf-8"), ensure_ascii=False)


def run_engine(name, seconds):
    """Runs an engine for `seconds` after its first written evaluation (at
    most 15 s for that); returns its log."""
    log = os.path.join(tmp, f"{name}.log")
    p = subprocess.Popen([lw, "engine", "--db", "user=lw_engine2", "--rules", rules_path,
                          "--interval", "1"], stderr=open(log, "w"))
    wait_for(lambda: "urges due" in open(log, encoding="utf-8", errors="replace").read(), 15)
    time.sleep(seconds)
    p.send_signal(signal.SIGTERM)
    check(p.wait(timeout=10) == 0, f"{name}: SIGTERM stops the engine cleanly")
    return open(log, encoding="utf-8", errors="replace").read()


psql("CREATE ROLE lw_engine2 LOGIN IN ROLE lotuswall_engine")
psql(f"UPDATE lotuswall_data.target_progress SET region = '{LONG}' WHERE region_code = '411002'")

# ---- a long name: written whole, no step-down ---------------------------------------
log = run_engine("long", 3)
lost = log.count("leader lost")
check(lost == 0, f"the engine keeps its leadership (leader lost {lost} times)")
rows = int(psql("SELECT count(*) FROM lotuswall.urge_outbox"))
check(rows > 0, f"urges written: {rows}")
warnings = int(psql("SELECT count(*) FROM lotuswall.warnings"))
check(warnings > 0, f"warnings written: {warnings}")
text = psql(f"SELECT text FROM lotuswall.urge_outbox WHERE instance = '{LONG}' LIMIT 1")
check(text and f"（{LONG}）" in text, f"the whole name is in the text: {text!r}")

# ---- an urge the server refuses: recorded as failed, the rest written ------------------
psql("DELETE FROM lotuswall.urge_outbox; DELETE FROM lotuswall_data.warnings; "
     "DELETE FROM lotuswall_data.warning_steps")
psql("ALTER TABLE lotuswall.urge_outbox ADD CONSTRAINT test_no_long "
     "CHECK (refused OR text NOT LIKE '%国国国%')")
log = run_engine("refused", 3)
lost = log.count("leader lost")
check(lost == 0, f"a refused urge does not cost the leadership (leader lost {lost} times)")
good = int(psql(f"SELECT count(*) FROM lotuswall.urge_outbox WHERE instance <> '{LONG}' "
                "AND NOT refused"))
check(good > 0, f"the other urges are written: {good}")
check(int(psql("SELECT count(*) FROM lotuswall.warnings")) > 0, "the warnings are written")
failed = psql(f"SELECT count(*) FROM lotuswall.urge_outbox WHERE instance = '{LONG}' "
              "AND refused AND error LIKE '%test_no_long%'", ok=False)
check(failed is not None and int(failed) > 0,
      f"the bad urge is recorded as failed, with the server's message: {failed}")
check("urge_outbox" in log and "recorded as failed" in log, "and logged")
psql("ALTER TABLE lotuswall.urge_outbox DROP CONSTRAINT test_no_long")

# ---- an operator's action on a long warning id: answered, not a step-down ----------------
psql("INSERT INTO lotuswall.warning_actions (warning, action, by) "
     "VALUES (repeat('国', 200), 'ack', '张伟')")
log = run_engine("action", 3)
lost = log.count("leader lost")
check(lost == 0, f"a long warning id in an action does not cost the leadership (leader lost "
                 f"{lost} times)")
result = psql("SELECT result FROM lotuswall.warning_actions WHERE processed_at IS NOT NULL")
check(result and result.startswith("error: "), f"the action is answered: {result!r}")

# ---- a NOTIFY flood on lotuswall_action ---------------------------------------------------
# Any login may NOTIFY any channel: a flood must not make the engine rewrite
# its tables (and so wake every wall) over and over.
def rows_written():
    return int(psql("SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'warnings'"))


def run_flooded(name, flood):
    """Rows the engine writes into lotuswall_data.warnings in 3 s after it
    settled, with or without a NOTIFY flood; the counter is read after the
    engine's session ended (a session reports its statistics at its end)."""
    before = rows_written()
    log = os.path.join(tmp, f"{name}.log")
    p = subprocess.Popen([lw, "engine", "--db", "user=lw_engine2", "--rules", rules_path,
                          "--interval", "1"], stderr=open(log, "w"))
    wait_for(lambda: "urges due" in open(log, encoding="utf-8", errors="replace").read(), 15)
    sent = 0
    if flood:
        f = subprocess.Popen(["psql", "-XAtq"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                             text=True)
        t0 = time.monotonic()
        while time.monotonic() - t0 < 3:
            f.stdin.write("NOTIFY lotuswall_action;\n" * 100)
            sent += 100
        f.stdin.close()
        f.wait()
    else:
        time.sleep(3)
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=10)
    time.sleep(0.5)
    return rows_written() - before, sent


quiet, _ = run_flooded("quiet", False)
flooded, sent = run_flooded("flood", True)
per = int(psql("SELECT count(*) FROM lotuswall_data.warnings")) or 1
print(f"warnings rows written in a run: {quiet} quiet, {flooded} under {sent} NOTIFY "
      f"lotuswall_action ({per} rows a write)", flush=True)
check(flooded <= quiet + 4 * per, "a NOTIFY flood does not multiply the engine's writes")

shutil.rmtree(tmp)
finish()
