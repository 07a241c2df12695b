#!/usr/bin/env python3
"""Validates every shipped scene and widget test scene against the JSON
Schema that `lotuswall doc schema` generates from the widget tables, and
checks that docs/scene.schema.json is that same schema (no drift)."""
import glob, json, subprocess, sys
import jsonschema

lw = sys.argv[1]
schema = json.loads(subprocess.run([lw, "doc", "schema"], check=True, capture_output=True).stdout)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
passed = failed = 0
for path in sorted(glob.glob("scenes/*.json") + glob.glob("tests/scenes/*.json")):
    errors = list(validator.iter_errors(json.load(open(path, encoding="utf-8"))))
    if errors:
        failed += 1
        for e in errors[:3]:
            print(f"FAIL {path}: {'/'.join(map(str, e.path))}: {e.message}")
    else:
        passed += 1
# a scene the loader refuses is refused by the schema too
bad = json.load(open("scenes/situation.json", encoding="utf-8"))
bad["panels"][1]["options"] = {"no_such_option": 1}
if validator.is_valid(bad):
    failed += 1
    print("FAIL schema accepts an unknown widget option")
else:
    passed += 1
committed = json.load(open("docs/scene.schema.json", encoding="utf-8"))
if committed != schema:
    failed += 1
    print("FAIL docs/scene.schema.json is stale: run tools/gen_docs.sh")
else:
    passed += 1
widgets = subprocess.run([lw, "doc", "widgets"], check=True, capture_output=True, text=True).stdout
doc = open("docs/scene-format.md", encoding="utf-8").read()
if "<!-- widgets:begin -->\n" + widgets + "<!-- widgets:end -->" not in doc:
    failed += 1
    print("FAIL docs/scene-format.md's widget reference is stale: run tools/gen_docs.sh")
else:
    passed += 1
sql = subprocess.run([lw, "db", "schema"], check=True, capture_output=True, text=True).stdout
if sql != open("db/schema.sql", encoding="utf-8").read():
    failed += 1
    print("FAIL db/schema.sql is stale (the catalog changed): run tools/gen_docs.sh")
else:
    passed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
