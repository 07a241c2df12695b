#!/usr/bin/env python3
"""Schema migrations against a real server (tests/pg/with_pg.sh made the
database `lotuswall` with `db init` + `db load`: the current version).
- A version-1 database (db/migrations/0001-initial.sql, as the old `db init`
  left it) with the demo data as version 1 held it (its columns; the city's
  rows of the tables that later gained a region) and rows in the outbox, the
  actions, the rules and the exchange documents: `db migrate` brings it to the
  current version (the old rows become the city's), and then, with the
  current demo data loaded, it equals the fresh one: pg_dump --schema-only
  (normalised, grants included) and the row count of every table; its own
  rows are still there.
- A version-1 database from before lotuswall.schema_migrations: the same.
- Two migrators at once: both succeed, each version is applied once.
- Again: nothing to do. A newer database: refused. An engine does not lead
  an old database until it is migrated. `db init` on an old database
  migrates it."""
import json, os, re, subprocess, sys, tempfile, threading, time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish  # noqa: E402

lw = sys.argv[1]
src = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
migrations = os.path.join(src, "db/migrations")
# the numbers of the migration files: 1, 2, … without a gap
NUMBERS = sorted(int(f[:4]) for f in os.listdir(migrations) if re.match(r"\d{4}-.*\.sql$", f))
CURRENT = NUMBERS[-1]
assert NUMBERS == list(range(1, CURRENT + 1)), f"db/migrations has a gap: {NUMBERS}"


def psql(db, sql):
    return subprocess.run(["psql", "-XAtq", "-d", db, "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def lotuswall(*args):
    return subprocess.run([lw, *args], capture_output=True, text=True)


def version_1(db, with_table=True):
    """A database as version 1's `db init` and `db load` left it."""
    subprocess.run(["createdb", db], check=True)
    subprocess.run(["psql", "-XAtq", "-d", db, "-v", "ON_ERROR_STOP=1", "-1", "-f",
                    os.path.join(migrations, "0001-initial.sql")], check=True, capture_output=True)
    if with_table:
        psql(db, "INSERT INTO lotuswall.schema_migrations VALUES "
                 "(1, 'catalog tables, views, refresh triggers, roles')")
    else:
        psql(db, "DROP TABLE lotuswall.schema_migrations")
    return load_v1(db)


def load_v1(db):
    """The demo data as a version-1 database held it: the columns its tables
    have; a table that later gained its region held the city's rows only; a
    table added later it did not have. Returns its tables."""
    import csv, io, json
    cat = json.load(open(os.path.join(src, "db/catalog.json"), encoding="utf-8"))
    present = set(psql(db, "SELECT table_name FROM information_schema.tables "
                           "WHERE table_schema = 'lotuswall_data'").splitlines())
    for t in cat["tables"]:
        path = os.path.join(src, "db/demo", t["name"] + ".csv")
        if t.get("producer") or t["name"] not in present or not os.path.exists(path):
            continue
        have = psql(db, "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM "
                        "information_schema.columns WHERE table_schema = 'lotuswall_data' "
                        f"AND table_name = '{t['name']}' AND column_name <> '_row'").split(",")
        rows = list(csv.DictReader(open(path, encoding="utf-8")))
        if "region_code" in rows[0] and "region_code" not in have:
            rows = [r for r in rows if r["region_code"] == "411000"]
        cols = ",".join('"%s"' % c for c in have)  # quoted: "leading" is a keyword
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(have)
        w.writerows([r[c] for c in have] for r in rows)
        subprocess.run(["psql", "-XAtq", "-d", db, "-v", "ON_ERROR_STOP=1", "-c",
                        f"COPY lotuswall_data.\"{t['name']}\" ({cols}) FROM STDIN "
                        "WITH (FORMAT csv, HEADER true)"],
                       input=out.getvalue(), check=True, capture_output=True, text=True)
    return {"lotuswall_data." + t for t in present}


def own_rows(db):
    psql(db, "INSERT INTO lotuswall.urge_outbox (idem_key, warning, rule, instance, department, "
             "step, text) VALUES ('k1', 'w#1', 'r', '', '市统计局', 0, '【测试】')")
    psql(db, "INSERT INTO lotuswall.warning_actions (warning, action, by, note) "
             "VALUES ('w#1', 'ack', '张伟', '已核实')")
    psql(db, "INSERT INTO lotuswall.warning_rules (id, rule) VALUES ('r', '{\"id\": \"r\"}')")
    psql(db, "INSERT INTO lotuswall.exchange_documents (generation, document) VALUES (1, '{}')")


def schema(db):
    """pg_dump --schema-only, as a sorted list of statements without comments
    and settings: the objects, their definitions and their grants."""
    out = subprocess.run(["pg_dump", "--schema-only", "-d", db], check=True,
                         capture_output=True, text=True).stdout
    lines = [l for l in out.splitlines()
             if l and not l.startswith("--") and not l.startswith("\\") and
             not l.startswith("SET ") and not l.startswith("SELECT pg_catalog.set_config")]
    return sorted(s.strip() for s in "\n".join(lines).split(";\n") if s.strip())


def counts(db):
    tables = psql(db, "SELECT schemaname || '.' || relname FROM pg_stat_user_tables "
                      "WHERE schemaname LIKE 'lotuswall%' ORDER BY 1").splitlines()
    return {t: int(psql(db, f"SELECT count(*) FROM {t}")) for t in tables}


def versions(db):
    return psql(db, "SELECT string_agg(version::text, ',' ORDER BY version) "
                    "FROM lotuswall.schema_migrations")


want = NUMBERS
fresh = schema("lotuswall")
fresh_counts = counts("lotuswall")
check(versions("lotuswall") == ",".join(map(str, want)), f"db init records every version: "
      f"{versions('lotuswall')}")

# ---- version 1 with rows → current ------------------------------------------------------
v1_tables = version_1("lw_v1")
own_rows("lw_v1")
r = lotuswall("db", "migrate", "--db", "dbname=lw_v1")
check(r.returncode == 0 and f"schema version 1 → {CURRENT}" in r.stderr,
      f"db migrate: {r.returncode} {r.stderr.strip()}")
check(versions("lw_v1") == ",".join(map(str, want)), f"versions recorded: {versions('lw_v1')}")
migrated = schema("lw_v1")
only_fresh = [s for s in fresh if s not in migrated]
only_migrated = [s for s in migrated if s not in fresh]
check(not only_fresh and not only_migrated,
      "version 1 + migrations = db init (pg_dump --schema-only): "
      f"only in db init: {only_fresh[:3]}, only migrated: {only_migrated[:3]}")
check(psql("lw_v1", "SELECT string_agg(DISTINCT region_code || ' ' || region, ',') FROM "
                   "lotuswall_data.appeal_monthly") == "411000 许昌市",
      "the monthly appeal counts a version-1 database held are the city's")
# tables added since version 1 are made empty: their rows come with the next load
added = {t for t in fresh_counts if t.startswith("lotuswall_data.") and t not in v1_tables}
before = counts("lw_v1")
check(added and all(before[t] == 0 for t in added),
      f"the tables added since version 1 are there, empty: {sorted(added)}")
r = lotuswall("db", "load", "--db", "dbname=lw_v1")
check(r.returncode == 0, f"the current demo data loads into the migrated database: {r.stderr.strip()}")
c = counts("lw_v1")
mine = {"lotuswall.urge_outbox": 1, "lotuswall.warning_actions": 1, "lotuswall.warning_rules": 1,
        "lotuswall.exchange_documents": 1}
check(c == {t: n + mine.get(t, 0) for t, n in fresh_counts.items()},
      f"the demo rows and the database's own rows are kept ({len(c)} tables, "
      f"{len(added)} added since version 1)")
check(psql("lw_v1", "SELECT note FROM lotuswall.warning_actions") == "已核实", "an operator's note")
print(f"version 1 → {CURRENT}: {len(migrated)} statements of schema equal to db init's, "
      f"{sum(c.values())} rows kept", flush=True)

# ---- again: nothing to do; a newer database is refused ------------------------------------
r = lotuswall("db", "migrate", "--db", "dbname=lw_v1")
check(r.returncode == 0 and f"schema version {CURRENT} → {CURRENT}" in r.stderr,
      f"migrating again does nothing: {r.stderr.strip()}")
psql("lw_v1", f"INSERT INTO lotuswall.schema_migrations VALUES ({CURRENT + 1}, 'from the future')")
for verb in ("migrate", "init"):
    r = lotuswall("db", verb, "--db", "dbname=lw_v1")
    check(r.returncode == 1 and f"schema version {CURRENT + 1}, newer than this lotuswall" in r.stderr,
          f"db {verb} refuses a newer database: {r.stderr.strip()}")

# ---- version 1 from before schema_migrations ---------------------------------------------
version_1("lw_old", with_table=False)
r = lotuswall("db", "migrate", "--db", "dbname=lw_old")
check(r.returncode == 0 and f"schema version 1 → {CURRENT}" in r.stderr,
      f"no schema_migrations counts as version 1: {r.stderr.strip()}")
check(schema("lw_old") == fresh, "and then equals db init")
check(versions("lw_old") == ",".join(map(str, want[1:])), f"versions: {versions('lw_old')}")

# ---- two migrators at once; db init on an old database -----------------------------------
version_1("lw_race")
results = [None, None]


def migrate(i):
    results[i] = lotuswall("db", "migrate", "--db", "dbname=lw_race")


threads = [threading.Thread(target=migrate, args=(i,)) for i in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
check(all(r.returncode == 0 for r in results), "two migrators at once both succeed: " +
      " | ".join(r.stderr.strip() for r in results))
check(sorted(r.stderr.count("applied") for r in results) == [0, len(NUMBERS) - 1],
      "one applies the migrations, the other waits and finds nothing to do")
check(schema("lw_race") == fresh, "and the result equals db init")
# ---- an engine against an old database stands by until it is migrated ---------------------
version_1("lw_engine")
log = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"lw-migrate-engine-{os.getpid()}.log")
engine = subprocess.Popen([lw, "engine", "--db", "dbname=lw_engine", "--interval", "1"],
                          stderr=open(log, "w"))
try:
    # the old views lack columns the rules' sources have now (rank_scope):
    # the engine waits up to 10 s for its first data before it stands by
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and "this engine writes version" not in \
            open(log, encoding="utf-8").read():
        time.sleep(0.2)
    time.sleep(1)
    text = open(log, encoding="utf-8").read()
    check("schema version 1, this engine writes version" in text and "db migrate" in text and
          "leader: this engine" not in text, f"the engine does not lead an old database: {text[-600:]}")
    lotuswall("db", "migrate", "--db", "dbname=lw_engine")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "urges due" not in open(log, encoding="utf-8").read():
        time.sleep(0.1)
    check("urges due" in open(log, encoding="utf-8").read(), "and leads once it is migrated")
finally:
    engine.terminate()
    engine.wait(timeout=10)
    os.unlink(log)
# ---- db/schema.sql by hand on an old database: refused, nothing changed ------------------
version_1("lw_psql")
r = subprocess.run(["psql", "-XAtq", "-d", "lw_psql", "-v", "ON_ERROR_STOP=1", "-f",
                    os.path.join(src, "db/schema.sql")], capture_output=True, text=True)
check(r.returncode != 0 and f"has lotuswall schema version 1, this script makes version {CURRENT}: "
      "run lotuswall db migrate" in r.stderr, f"psql -f db/schema.sql refuses version 1: {r.stderr}")
check(versions("lw_psql") == "1", f"and leaves it at version 1: {versions('lw_psql')}")
version_1("lw_init")
r = lotuswall("db", "init", "--db", "dbname=lw_init")
check(r.returncode == 0 and schema("lw_init") == fresh, f"db init on version 1 migrates it: "
      f"{r.stderr.strip()}")
finish()
