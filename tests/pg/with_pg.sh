#!/usr/bin/env bash
# Runs a command against a PostgreSQL server of its own: initdb in a new
# temporary folder, a free port, connections over a Unix socket in that
# folder only (no TCP), the lotuswall schema and the demo data loaded with
# `lotuswall db init` and `lotuswall db load`. The command gets PGHOST,
# PGPORT, PGUSER and PGDATABASE, plus LW_PG_STOP and LW_PG_START: commands
# that stop the server (pg_ctl stop -m immediate) and start it again.
# As root (CI), the server runs as the postgres user, since initdb refuses root.
#   usage: with_pg.sh path/to/lotuswall command [args...]
set -euo pipefail
LW=$1
shift
bindir=$(pg_config --bindir)
tmp=$(mktemp -d /tmp/lw-pg.XXXXXX)
as=()
if [[ $(id -u) -eq 0 ]]; then
    chown postgres "$tmp"
    as=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as[@]}" "$bindir/initdb" -D "$tmp/data" -U lotuswall --auth=trust -E UTF8 --locale=C.UTF-8 >"$tmp/initdb.log"
ctl="${as[*]} $bindir/pg_ctl -D $tmp/data -l $tmp/server.log"
export LW_PG_START="$ctl -w -o '-p $port -k $tmp -c listen_addresses=' start"
export LW_PG_STOP="$ctl -m immediate stop"
cleanup() {
    eval "$ctl -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
eval "$LW_PG_START" >/dev/null
export PGHOST=$tmp PGPORT=$port PGUSER=lotuswall PGDATABASE=lotuswall
"$bindir/createdb" lotuswall
"$LW" db init --db "" 2>/dev/null
"$LW" db load --db "" 2>/dev/null
"$@"
