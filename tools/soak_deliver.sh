#!/usr/bin/env bash
# The delivery worker's RSS over a long run (default one hour): a PostgreSQL of
# its own, the tests' gateway on localhost, a feeder (tools/soak_deliver.py).
# It runs a copy of build/lotuswall, so rebuilding meanwhile does not disturb it.
#   usage: bash tools/soak_deliver.sh [SECONDS] [OUT]   (default 3600, /tmp/lw-soak)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-3600}
out=${2:-/tmp/lw-soak}
mkdir -p "$out"
cp "$root/build/lotuswall" "$out/lotuswall"
export LOTUSWALL_HOME=$root   # the copy finds the catalog and the fonts there
exec bash "$root/tests/pg/with_pg.sh" "$out/lotuswall" \
    python3 "$root/tools/soak_deliver.py" "$out/lotuswall" "$seconds" "$out"
