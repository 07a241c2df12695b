#!/usr/bin/env python3
"""An example consumer of the urge (催办) outbox, lotuswall.urge_outbox, for a
gateway outside lotuswall (docs/operations.md, "The delivery worker").
Stdlib and psql only. The product's own worker is `lotuswall deliver`, which
fans each urge out to the department's contacts, signs, retries and records
every send; run this INSTEAD of it, never beside it on one database (both
take the unsent rows).

In one transaction per batch it takes the unsent rows with
SELECT ... FOR UPDATE SKIP LOCKED (so several consumers share the work and
never hold the same row at once), "sends" each one — here: prints
`idem_key<TAB>department<TAB>text` with the text's line breaks and tabs
escaped as \n, \r, \t and \\ —, then sets sent_at and attempts and commits.
A consumer that dies before its COMMIT leaves the rows unsent: the next one
sends them again. Delivery is therefore at least once; the gateway drops
duplicates by the idempotency key, which the engine writes exactly once per
(warning, department, urge step).

The rows are read safely: the batch is counted, then read with
COPY ... (FORMAT csv) and parsed by Python's csv module record by record,
so a text with line breaks, quotes or separators is one field as written
(an older version split psql's output on newlines and failed on every run
at the first text with a line break, re-sending the rows before it).

  usage: urge_consumer.py [--db CONNINFO] [--once] [--batch N] [--poll SECONDS]
         CONNINFO "" (default) uses the PG* environment.
A real gateway would use a driver (psycopg), LISTEN lotuswall_urge (sent with
each new row's id) and only poll as a fallback; psql cannot wait for
notifications, so this example polls."""
import argparse, csv, io, subprocess, sys, time

SEP = "\x1f"
END = "__lotuswall_end__"


class Psql:
    """One psql session driven over pipes, so a transaction spans several statements."""

    def __init__(self, conninfo):
        cmd = ["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-F", SEP]
        if conninfo:
            cmd.append(conninfo)
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        # UTF-8 both ways, and no newline translation: a text's "\r\n" stays as written
        self.inp = io.TextIOWrapper(self.p.stdin, encoding="utf-8", line_buffering=True)
        self.out = io.TextIOWrapper(self.p.stdout, encoding="utf-8", newline="")

    def _send(self, sql):
        self.inp.write(sql.rstrip().rstrip(";") + ";\n\\echo " + END + "\n")
        self.inp.flush()

    def _end(self):
        line = self.out.readline()
        if line.rstrip("\n") != END:
            raise RuntimeError(f"psql: expected the end marker, got {line!r} "
                               f"(exit {self.p.poll()})")

    def query(self, sql):
        """Rows of a query whose values hold no separator or line break (ids, counts)."""
        self._send(sql)
        rows = []
        for line in self.out:
            line = line.rstrip("\n")
            if line == END:
                return rows
            rows.append(line.split(SEP))
        raise RuntimeError(f"psql ended (exit {self.p.wait()})")

    def copy_rows(self, table, n):
        """The n rows of `table` (COPY ... CSV): any text, line breaks included."""
        self._send(f"COPY {table} TO STDOUT WITH (FORMAT csv)")
        reader = csv.reader(self.out)
        rows = [next(reader) for _ in range(n)]
        self._end()
        return rows

    def close(self):
        self.inp.close()
        self.p.wait()


def send(key, department, text):
    """The gateway call. Here: print, one line per urge. Must be idempotent on `key`."""
    shown = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    print(f"{key}\t{department}\t{shown.replace(chr(9), chr(92) + 't')}", flush=True)


def batch(db, n):
    db.query("BEGIN")
    db.query("CREATE TEMP TABLE batch ON COMMIT DROP AS SELECT id, idem_key, department, text "
             "FROM lotuswall.urge_outbox WHERE sent_at IS NULL AND NOT refused ORDER BY id "
             f"LIMIT {int(n)} FOR UPDATE SKIP LOCKED")
    count = int(db.query("SELECT count(*) FROM batch")[0][0])
    rows = db.copy_rows("batch", count)
    for _, key, department, text in rows:
        send(key, department, text)
    db.query("UPDATE lotuswall.urge_outbox o SET sent_at = now(), attempts = o.attempts + 1 "
             "FROM batch b WHERE o.id = b.id")
    db.query("COMMIT")
    return count


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
