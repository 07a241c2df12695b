#!/usr/bin/env python3
"""Reference consumer of the urge (催办) outbox, lotuswall.urge_outbox
(docs/operations.md, "Urging (催办) outbox"). Stdlib and psql only.

In one transaction per batch it takes the unsent rows with
SELECT ... FOR UPDATE SKIP LOCKED (so several consumers share the work and
never hold the same row at once), "sends" each one — here: prints
`idem_key<TAB>department<TAB>text` —, then sets sent_at and attempts and
commits. A consumer that dies before its COMMIT leaves the rows unsent: the
next one sends them again. Delivery is therefore at least once; the gateway
drops duplicates by the idempotency key, which the engine writes exactly
once per (warning, department, urge step).

  usage: urge_consumer.py [--db CONNINFO] [--once] [--batch N] [--poll SECONDS]
         CONNINFO "" (default) uses the PG* environment.
A real gateway would LISTEN lotuswall_urge (sent with each new row's id) and
only poll as a fallback; psql cannot wait for notifications, so this
reference polls."""
import argparse, subprocess, sys, time

SEP = "\x1f"
END = "__lotuswall_end__"


class Psql:
    """One psql session driven over pipes, so a transaction spans several statements."""

    def __init__(self, conninfo):
        cmd = ["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-F", SEP]
        if conninfo:
            cmd.append(conninfo)
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                  bufsize=1)

    def query(self, sql):
        self.p.stdin.write(sql.rstrip().rstrip(";") + ";\n\\echo " + END + "\n")
        self.p.stdin.flush()
        rows = []
        for line in self.p.stdout:
            line = line.rstrip("\n")
            if line == END:
                return rows
            rows.append(line.split(SEP))
        raise RuntimeError(f"psql ended (exit {self.p.wait()})")

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def send(key, department, text):
    """The gateway call. Here: print. Must be idempotent on `key`."""
    print(f"{key}\t{department}\t{text}", flush=True)


def batch(db, n):
    db.query("BEGIN")
    rows = db.query("SELECT id, idem_key, department, text FROM lotuswall.urge_outbox "
                    f"WHERE sent_at IS NULL AND NOT refused ORDER BY id LIMIT {int(n)} FOR UPDATE SKIP LOCKED")
    for _, key, department, text in rows:
        send(key, department, text)
    if rows:
        ids = ",".join(r[0] for r in rows)
        db.query("UPDATE lotuswall.urge_outbox SET sent_at = now(), attempts = attempts + 1 "
                 f"WHERE id IN ({ids})")
    db.query("COMMIT")
    return len(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default="", help='libpq conninfo ("" = the PG* environment)')
    ap.add_argument("--once", action="store_true", help="send what is unsent, then exit")
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--poll", type=float, default=2.0)
    a = ap.parse_args()
    db = Psql(a.db)
    try:
        while True:
            n = batch(db, a.batch)
            if n == a.batch:
                continue
            if a.once:
                break
            time.sleep(a.poll)
    except KeyboardInterrupt:
        pass
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
