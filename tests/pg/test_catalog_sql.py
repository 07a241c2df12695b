#!/usr/bin/env python3
"""SQL made from the catalog (issue 10, finding 6): a table title with a line
break was written raw into a `--` comment by `db schema` / `db init`, so a
crafted title ran SQL as the administrator (here: created a superuser). The
loader now refuses such a catalog with a message naming the file and the
JSON path, and checks names, types and keys the same way. Runs under
tests/pg/with_pg.sh."""
import json, os, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lwcheck import check, finish  # noqa: E402

lw = sys.argv[1]
src = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def psql(sql):
    return subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def with_catalog(edit, *args):
    """Runs lotuswall with a home whose db/catalog.json is the real one after
    edit(catalog); returns the CompletedProcess."""
    tmp = tempfile.mkdtemp(prefix="lw-catalog-")
    os.mkdir(os.path.join(tmp, "db"))
    os.symlink(os.path.join(src, "db/demo"), os.path.join(tmp, "db/demo"))
    cat = json.load(open(os.path.join(src, "db/catalog.json"), encoding="utf-8"))
    edit(cat)
    json.dump(cat, open(os.path.join(tmp, "db/catalog.json"), "w", encoding="utf-8"),
              ensure_ascii=False)
    env = dict(os.environ, LOTUSWALL_HOME=tmp)
    return subprocess.run([lw, *args], env=env, capture_output=True, text=True)


def set_title(cat):
    cat["tables"][2]["title"] = "项目\nCREATE ROLE lw_evil SUPERUSER LOGIN;\n--"


r = with_catalog(set_title, "db", "schema")
check("\nCREATE ROLE lw_evil" not in r.stdout, "db schema writes no statement from a title")
r = with_catalog(set_title, "db", "init", "--db", "")
evil = psql("SELECT count(*) FROM pg_roles WHERE rolname = 'lw_evil'")
check(evil == "0", f"db init creates no role from a title ({evil})")
check(r.returncode == 1 and "catalog.json: tables[2].title: " in r.stderr,
      f"the loader refuses it, naming file and JSON path: {r.returncode} {r.stderr.strip()}")

real = json.load(open(os.path.join(src, "db/catalog.json"), encoding="utf-8"))
NTABLES, FIRST = len(real["tables"]), real["tables"][0]["name"]
# the other checks of the loader, each with file and JSON path
cases = [
    (lambda c: c["tables"][0].__setitem__("name", 'x"; DROP TABLE y; --'),
     "tables[0].name: expected an identifier"),
    (lambda c: c["tables"][1]["columns"][0].__setitem__("name", "a b"),
     "tables[1].columns[0].name: expected an identifier"),
    (lambda c: c["tables"][1]["columns"][0].__setitem__("type", "bytea"),
     "tables[1].columns[0].type: expected text, number or period, found \"bytea\""),
    (lambda c: c["tables"][1].__setitem__("colour", "red"),
     "tables[1].colour: unknown key (known: name, title, source, producer, columns)"),
    (lambda c: c["tables"][1]["columns"][1].__setitem__("unit", "万\r元"),
     "tables[1].columns[1].unit: control characters (line breaks, tabs) are not allowed"),
    (lambda c: c["tables"][1].__setitem__("producer", "etl"),
     "tables[1].producer: expected \"engine\", \"report\", \"walls\" or \"deliver\""),
    (lambda c: c["tables"].append(dict(c["tables"][0])),
     f"tables[{NTABLES}].name: \"{FIRST}\" is already tables[0]"),
]
for edit, want in cases:
    r = with_catalog(edit, "db", "schema")
    check(r.returncode == 1 and "catalog.json: " + want in r.stderr,
          f"refused with {want!r}: {r.returncode} {r.stderr.strip()}")
r = with_catalog(lambda c: None, "db", "schema")
check(r.returncode == 0 and "CREATE TABLE" in r.stdout, "the real catalog loads")
finish()
