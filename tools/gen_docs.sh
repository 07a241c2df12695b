#!/usr/bin/env bash
# Regenerates what is generated from the code and the catalog: the widget
# reference inside docs/scene-format.md, docs/scene.schema.json, and the
# PostgreSQL schema db/schema.sql (from db/catalog.json). Run after changing a widget's
# roles or options; tests/scene/validate_schema.py fails when they are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
LW=${1:-./build/lotuswall}
"$LW" doc schema > docs/scene.schema.json
"$LW" db schema > db/schema.sql
"$LW" doc widgets > /tmp/lw-widgets.md
python3 - <<'PY'
import re
doc = open("docs/scene-format.md", encoding="utf-8").read()
widgets = open("/tmp/lw-widgets.md", encoding="utf-8").read()
doc = re.sub(r"<!-- widgets:begin -->.*<!-- widgets:end -->",
             lambda m: "<!-- widgets:begin -->\n" + widgets + "<!-- widgets:end -->", doc, flags=re.S)
open("docs/scene-format.md", "w", encoding="utf-8").write(doc)
PY
