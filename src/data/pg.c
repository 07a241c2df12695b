/* PostgreSQL: schema from the catalog, demo load with COPY, and the poller.
 *
 * The poller thread owns its connection. It sleeps in poll() on the
 * connection's socket and a wake pipe until the next source is due or a
 * NOTIFY arrives, runs one query at a time (so there are never two polls of
 * one source, and at most one query in flight per wall), publishes each
 * result as a new immutable table, writes it to the cache folder, and calls
 * the wake callback. A broken connection marks every source offline and is
 * retried with exponential backoff and jitter. */
#include "data/pg.h"
#include "data/csv.h"
#include "data/migrate.h"
#include "lw_accounts_sql.h" /* generated: tools/embed.cmake (lw_embed_sql) */
#include "lw_deliver_sql.h"  /* generated: tools/embed.cmake */
#include "lw_exchange_sql.h" /* generated: tools/embed.cmake */
#include "lw_fleet_sql.h"    /* generated: tools/embed.cmake */
#include "lw_heartbeats_sql.h" /* generated: tools/embed.cmake */
#include "lw_splice_sql.h"   /* generated: tools/embed.cmake */
#include "lw_delivery_health_sql.h" /* generated: tools/embed.cmake */
#include "lw_steer_expiry_sql.h" /* generated: tools/embed.cmake */
#include "util/file.h"
#include "util/hash.h"
#include "util/util.h"
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- schema ------------------------------------------------------------ */

struct sbuf {
    char *s;
    size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = (b->len + (size_t)n + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Catalog names are plain identifiers; quoting them anyway keeps SQL made
 * from data files honest. Doubles any quote. */
char *pg_quote_ident(const char *name)
{
    size_t n = strlen(name), k = 0;
    char *out = xmalloc(2 * n + 3);
    out[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (name[i] == '"')
            out[k++] = '"';
        out[k++] = name[i];
    }
    out[k++] = '"';
    out[k] = '\0';
    return out;
}

/* A SQL string literal (for comments). Caller frees. */
static char *ql(const char *s)
{
    size_t n = strlen(s), k = 0;
    char *out = xmalloc(2 * n + 3);
    out[k++] = '\'';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'')
            out[k++] = '\'';
        out[k++] = s[i];
    }
    out[k++] = '\'';
    out[k] = '\0';
    return out;
}

static const char *sql_type(enum col_type t)
{
    return t == COL_NUMBER ? "double precision" : "text";
}

/* A text for a `--` comment: control characters (a line break would end the
 * comment and make the rest SQL) become spaces. The loader refuses them
 * already; this keeps the SQL safe for a catalog built any other way. */
static char *comment_text(const char *s)
{
    char *out = xstrdup(s);
    for (char *c = out; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = ' ';
    return out;
}

static void schema_head(struct sbuf *b)
{
    sb_add(b,
           "-- lotuswall database schema, version %d.\n"
           "-- Generated from db/catalog.json by `lotuswall db schema`; do not edit by hand.\n"
           "-- Idempotent: applying it again changes nothing (`lotuswall db init`).\n"
           "--\n"
           "-- lotuswall_data.<table>  the tables, written by the demo load or by your ETL\n"
           "-- lotuswall.<table>       the views lotuswall reads (replace them with your own\n"
           "--                         views of the same columns to serve your data)\n"
           "-- Every write to a lotuswall_data table sends NOTIFY lotuswall_refresh with the\n"
           "-- table's name, and the walls refresh that source at once. An ETL that writes\n"
           "-- elsewhere can send it itself: SELECT pg_notify('lotuswall_refresh', 'projects');\n"
           "-- (an empty payload refreshes every source).\n\n"
           "BEGIN;\n"
           "-- A database of another version is moved by `lotuswall db migrate`, not by this\n"
           "-- script, which would mark it current without its migrations.\n"
           "DO $$\n"
           "DECLARE v integer;\n"
           "BEGIN\n"
           "    IF to_regclass('lotuswall.schema_migrations') IS NOT NULL THEN\n"
           "        SELECT coalesce(max(version), 1) INTO v FROM lotuswall.schema_migrations;\n"
           "    ELSIF EXISTS (SELECT FROM pg_namespace WHERE nspname = 'lotuswall') THEN\n"
           "        v := 1;\n"
           "    END IF;\n"
           "    IF v <> %d THEN\n"
           "        RAISE EXCEPTION 'the database has lotuswall schema version %%, this script "
           "makes version %d: run lotuswall db migrate', v;\n"
           "    END IF;\n"
           "END $$;\n"
           "CREATE SCHEMA IF NOT EXISTS lotuswall_data;\n"
           "CREATE SCHEMA IF NOT EXISTS lotuswall;\n"
           LW_MIGRATIONS_TABLE
           "-- A version per source (migration 0013), for walls that cannot LISTEN: a\n"
           "-- hot-standby replica, a transaction-mode pooler.\n"
           "CREATE TABLE IF NOT EXISTS lotuswall_data.source_versions (\n"
           "    source text PRIMARY KEY,\n"
           "    version bigint NOT NULL,\n"
           "    changed_at timestamptz NOT NULL DEFAULT now()\n"
           ");\n"
           "CREATE OR REPLACE VIEW lotuswall.source_versions AS\n"
           "    SELECT source, version, changed_at FROM lotuswall_data.source_versions;\n"
           "CREATE OR REPLACE FUNCTION lotuswall_data.notify_refresh() RETURNS trigger\n"
           "LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$\n"
           "BEGIN\n"
           "    INSERT INTO lotuswall_data.source_versions AS v (source, version) VALUES "
           "(TG_TABLE_NAME, 1)\n"
           "        ON CONFLICT (source) DO UPDATE SET version = v.version + 1, changed_at = "
           "now();\n"
           "    PERFORM pg_notify('%s', TG_TABLE_NAME);\n"
           "    RETURN NULL;\n"
           "END $$;\n",
           LW_SCHEMA_VERSION, LW_SCHEMA_VERSION, LW_SCHEMA_VERSION, LW_NOTIFY_CHANNEL);
}

/* A catalog table: its table, comments, view and refresh trigger. */
static void schema_table(struct sbuf *b, const struct catalog_table *t)
{
    char *name = pg_quote_ident(t->name), *title = ql(t->title), *line = comment_text(t->title);
    /* _row keeps the order rows were written in (the demo files' order):
     * a view has no order of its own, and an UPDATE moves rows */
    sb_add(b, "\n-- %s\nCREATE TABLE IF NOT EXISTS lotuswall_data.%s (\n"
              "    _row bigserial,\n", line, name);
    free(line);
    for (size_t c = 0; c < t->ncols; c++) {
        char *col = pg_quote_ident(t->cols[c].name);
        sb_add(b, "    %s %s%s\n", col, sql_type(t->cols[c].type), c + 1 < t->ncols ? "," : "");
        free(col);
    }
    sb_add(b, ");\nCOMMENT ON TABLE lotuswall_data.%s IS %s;\n", name, title);
    for (size_t c = 0; c < t->ncols; c++) {
        char *col = pg_quote_ident(t->cols[c].name), *ct = ql(t->cols[c].title);
        sb_add(b, "COMMENT ON COLUMN lotuswall_data.%s.%s IS %s;\n", name, col, ct);
        free(col);
        free(ct);
    }
    sb_add(b, "CREATE OR REPLACE VIEW lotuswall.%s AS SELECT ", name);
    for (size_t c = 0; c < t->ncols; c++) {
        char *col = pg_quote_ident(t->cols[c].name);
        sb_add(b, "%s%s", col, c + 1 < t->ncols ? ", " : "");
        free(col);
    }
    sb_add(b,
           " FROM lotuswall_data.%s ORDER BY _row;\n"
           "DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data.%s;\n"
           "CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE\n"
           "    ON lotuswall_data.%s FOR EACH STATEMENT\n"
           "    EXECUTE FUNCTION lotuswall_data.notify_refresh();\n",
           name, name, name);
    free(name);
    free(title);
}

/* The tables lotuswall writes besides the catalog's: exchange documents and
 * the urge outbox. */
static void schema_outbox(struct sbuf *b)
{
    sb_add(b,
           "\n-- The data exchange documents that walls and the engine publish for the city\n"
           "-- big-data platform (docs/exchange.md); each insert sends NOTIFY %s\n"
           "-- with the new id.\n"
           "CREATE TABLE IF NOT EXISTS lotuswall.exchange_documents (\n"
           "    id bigserial PRIMARY KEY,\n"
           "    published_at timestamptz NOT NULL DEFAULT now(),\n"
           "    generation bigint NOT NULL,\n"
           "    document jsonb NOT NULL\n"
           ");\n",
           "lotuswall_exchange");
    sb_add(b,
           "\n-- The urge (催办) outbox of the warning engine (`lotuswall engine`): one row per\n"
           "-- (warning, department, urge step), keyed by the engine's idempotency key\n"
           "-- rule:instance:episode:department:step, so a restarted or new leader never\n"
           "-- writes an urge twice. Each insert sends NOTIFY %s with the new id when\n"
           "-- its transaction commits. `lotuswall deliver` takes the unsent rows (sets\n"
           "-- sent_at) and sends them to the department's contacts, recording each send\n"
           "-- in lotuswall_deliver.deliveries (docs/operations.md).\n"
           "CREATE TABLE IF NOT EXISTS lotuswall.urge_outbox (\n"
           "    id bigserial PRIMARY KEY,\n"
           "    idem_key text NOT NULL UNIQUE,\n"
           "    warning text NOT NULL,\n"
           "    rule text NOT NULL,\n"
           "    instance text NOT NULL,\n"
           "    department text NOT NULL,\n"
           "    step integer NOT NULL,\n"
           "    escalation boolean NOT NULL DEFAULT false,\n"
           "    text text NOT NULL,\n"
           "    created_at timestamptz NOT NULL DEFAULT now(),\n"
           "    sent_at timestamptz,\n"
           "    attempts integer NOT NULL DEFAULT 0\n"
           ");\n"
           "-- the SMS channel (sms_channels.code) and the segments the text takes; a\n"
           "-- text longer than a channel that refuses long texts is refused: kept here,\n"
           "-- never sent\n"
           "ALTER TABLE lotuswall.urge_outbox ADD COLUMN IF NOT EXISTS channel text;\n"
           "ALTER TABLE lotuswall.urge_outbox ADD COLUMN IF NOT EXISTS template text;\n"
           "ALTER TABLE lotuswall.urge_outbox ADD COLUMN IF NOT EXISTS segments integer NOT NULL "
           "DEFAULT 1;\n"
           "ALTER TABLE lotuswall.urge_outbox ADD COLUMN IF NOT EXISTS refused boolean NOT NULL "
           "DEFAULT false;\n"
           "-- why the server refused the rendered urge: such a row is recorded refused\n"
           "ALTER TABLE lotuswall.urge_outbox ADD COLUMN IF NOT EXISTS error text;\n"
           "CREATE INDEX IF NOT EXISTS urge_outbox_unsent ON lotuswall.urge_outbox (id)\n"
           "    WHERE sent_at IS NULL;\n"
           "CREATE OR REPLACE FUNCTION lotuswall_data.notify_urge() RETURNS trigger\n"
           "LANGUAGE plpgsql AS $$\n"
           "BEGIN\n"
           "    PERFORM pg_notify('%s', NEW.id::text);\n"
           "    RETURN NULL;\n"
           "END $$;\n"
           "DROP TRIGGER IF EXISTS lotuswall_urge ON lotuswall.urge_outbox;\n"
           "CREATE TRIGGER lotuswall_urge AFTER INSERT ON lotuswall.urge_outbox\n"
           "    FOR EACH ROW EXECUTE FUNCTION lotuswall_data.notify_urge();\n",
           "lotuswall_urge", "lotuswall_urge");
}

/* The warning rules and the operators' actions. */
static void schema_warning_tables(struct sbuf *b)
{
    sb_add(b,
           "\n-- Warning rules kept in the database (`lotuswall engine --rules db`): one row\n"
           "-- per rule, the same JSON object as an entry of a rules file (docs/rules.md).\n"
           "CREATE TABLE IF NOT EXISTS lotuswall.warning_rules (\n"
           "    id text PRIMARY KEY,\n"
           "    rule jsonb NOT NULL,\n"
           "    enabled boolean NOT NULL DEFAULT true,\n"
           "    updated_at timestamptz NOT NULL DEFAULT now()\n"
           ");\n"
           "\n-- Operators' actions on warnings (ack, handle, resolve, urge: 一键催办), queued\n"
           "-- by `lotuswall ack|handle|resolve|urge` and applied by the leading engine in\n"
           "-- the same transaction as its next evaluation (processed_at, result).\n"
           "CREATE TABLE IF NOT EXISTS lotuswall.warning_actions (\n"
           "    id bigserial PRIMARY KEY,\n"
           "    warning text NOT NULL,\n"
           "    action text NOT NULL CHECK (action IN ('ack', 'handle', 'resolve', 'urge')),\n"
           "    by text NOT NULL,\n"
           "    note text,\n"
           "    created_at timestamptz NOT NULL DEFAULT now(),\n"
           "    processed_at timestamptz,\n"
           "    result text\n"
           ");\n"
           "CREATE OR REPLACE FUNCTION lotuswall_data.notify_action() RETURNS trigger\n"
           "LANGUAGE plpgsql AS $$\n"
           "BEGIN\n"
           "    PERFORM pg_notify('lotuswall_action', NEW.id::text);\n"
           "    RETURN NULL;\n"
           "END $$;\n"
           "DROP TRIGGER IF EXISTS lotuswall_action ON lotuswall.warning_actions;\n"
           "CREATE TRIGGER lotuswall_action AFTER INSERT ON lotuswall.warning_actions\n"
           "    FOR EACH ROW EXECUTE FUNCTION lotuswall_data.notify_action();\n");
}

/* The roles and what each may do. */
static void schema_roles(struct sbuf *b, const struct catalog *cat)
{
    sb_add(b,
           "\n-- Roles (cluster-wide; created once). Give them to login roles:\n"
           "--   CREATE ROLE wall1 LOGIN PASSWORD '...' IN ROLE lotuswall_reader;\n"
           "-- lotuswall_reader:   SELECT on the catalog's views (and the schema version)\n"
           "--                     only, granted by name; the tables, the outbox, the\n"
           "--                     operators' notes, the rules and the exchange documents\n"
           "--                     stay out of reach.\n"
           "-- lotuswall_operator: a reader that queues actions and reads their answers.\n"
           "-- lotuswall_engine:   the warning engine and publishing walls; reads like a\n"
           "--                     wall, writes the exchange documents, the outbox and the\n"
           "--                     warning tables, reads the rules and applies the actions.\n"
           "DO $$\n"
           "BEGIN\n"
           "    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotuswall_reader') THEN\n"
           "        CREATE ROLE lotuswall_reader NOLOGIN;\n"
           "    END IF;\n"
           "    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotuswall_operator') THEN\n"
           "        CREATE ROLE lotuswall_operator NOLOGIN IN ROLE lotuswall_reader;\n"
           "    END IF;\n"
           "    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotuswall_engine') THEN\n"
           "        CREATE ROLE lotuswall_engine NOLOGIN IN ROLE lotuswall_reader;\n"
           "    END IF;\n"
           "END $$;\n"
           "REVOKE ALL ON SCHEMA lotuswall_data FROM PUBLIC;\n"
           "REVOKE ALL ON SCHEMA lotuswall FROM PUBLIC;\n"
           "GRANT USAGE ON SCHEMA lotuswall TO lotuswall_reader;\n"
           "GRANT SELECT ON lotuswall.schema_migrations TO lotuswall_reader;\n"
           "GRANT SELECT ON lotuswall.source_versions TO lotuswall_reader;\n");
    for (size_t i = 0; i < cat->ntables; i++) {
        if (catalog_is_view(&cat->tables[i]))
            continue; /* their views and grants: migrations 0012 and 0015 */
        char *name = pg_quote_ident(cat->tables[i].name);
        sb_add(b, "GRANT SELECT ON lotuswall.%s TO lotuswall_reader;\n", name);
        free(name);
    }
    sb_add(b,
           "GRANT SELECT, INSERT ON lotuswall.exchange_documents TO lotuswall_engine;\n"
           "GRANT SELECT, INSERT ON lotuswall.warning_actions TO lotuswall_operator;\n"
           "GRANT USAGE ON SEQUENCE lotuswall.warning_actions_id_seq TO lotuswall_operator;\n"
           "GRANT SELECT, UPDATE ON lotuswall.warning_actions TO lotuswall_engine;\n"
           "GRANT SELECT ON lotuswall.warning_rules TO lotuswall_engine;\n"
           "GRANT USAGE ON SEQUENCE lotuswall.exchange_documents_id_seq TO lotuswall_engine;\n"
           "GRANT SELECT, INSERT, UPDATE ON lotuswall.urge_outbox TO lotuswall_engine;\n"
           "GRANT USAGE, SELECT, UPDATE ON SEQUENCE lotuswall.urge_outbox_id_seq TO lotuswall_engine;\n"
           "GRANT USAGE ON SCHEMA lotuswall_data TO lotuswall_engine;\n");
    /* the engine replaces the content of its own tables (DELETE + COPY) */
    for (size_t i = 0; i < cat->ntables; i++) {
        const struct catalog_table *t = &cat->tables[i];
        if (!t->producer || strcmp(t->producer, "engine") != 0)
            continue;
        char *name = pg_quote_ident(t->name), *seq = xasprintf("%s__row_seq", t->name), *qseq = pg_quote_ident(seq);
        sb_add(b, "GRANT SELECT, INSERT, DELETE ON lotuswall_data.%s TO lotuswall_engine;\n"
                   "GRANT USAGE ON SEQUENCE lotuswall_data.%s TO lotuswall_engine;\n",
               name, qseq);
        free(name);
        free(seq);
        free(qseq);
    }
}

char *pg_schema_sql(const struct catalog *cat)
{
    struct sbuf b = {0};
    schema_head(&b);
    for (size_t i = 0; i < cat->ntables; i++)
        if (!catalog_is_view(&cat->tables[i]))
            schema_table(&b, &cat->tables[i]);
    schema_outbox(&b);
    schema_warning_tables(&b);
    schema_roles(&b, cat);
    /* the accounts (migration 0006) as they are: one text for both */
    sb_add(&b, "\n%s", accounts_sql);
    /* the contacts and deliveries (migration 0008) likewise */
    sb_add(&b, "\n%s", deliver_sql);
    /* the exchange outbox (migration 0009) */
    sb_add(&b, "\n%s", exchange_sql);
    /* the fleet's configuration (migration 0011) */
    sb_add(&b, "\n%s", fleet_sql);
    /* and the fleet's heartbeats, its view and steering (migration 0012) */
    sb_add(&b, "\n%s", heartbeats_sql);
    /* the splice walls' state and parts (migration 0014) */
    sb_add(&b, "\n%s", splice_sql);
    /* the delivery health, its view and NOTIFY triggers (migration 0015) */
    sb_add(&b, "\n%s", delivery_health_sql);
    /* a wall reads when a command was queued (migration 0016) */
    sb_add(&b, "\n%s", steer_expiry_sql);
    /* this is version 1 plus every migration (tests/pg/test_migrate.py) */
    sb_add(&b, "INSERT INTO lotuswall.schema_migrations (version, description) VALUES\n");
    for (int v = 1; v <= LW_SCHEMA_VERSION; v++)
        sb_add(&b, "    (%d, '%04d-%s')%s\n", v, v, migrate_name(v), v < LW_SCHEMA_VERSION ? "," : "");
    sb_add(&b, "    ON CONFLICT (version) DO NOTHING;\nCOMMIT;\n");
    return b.s;
}

bool pg_result_ok(PGresult *res, ExecStatusType want, const char *what, struct err *err)
{
    if (PQresultStatus(res) == want)
        return true;
    /* the first line: the server adds LINE/HINT lines that do not log well */
    const char *msg = PQresultErrorMessage(res);
    size_t n = strcspn(msg, "\n");
    err_set(err, "%s: %.*s", what, (int)n, *msg ? msg : PQresStatus(PQresultStatus(res)));
    return false;
}

PGresult *pg_exec_again(PGconn *conn, const char *sql, int n, const char *const *params)
{
    PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    if (PQstatus(conn) == CONNECTION_OK)
        return res;
    PQclear(res);
    PQreset(conn);
    return PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
}

PGresult *pg_exec_kept(struct pg_kept *k, const char *sql, int n, const char *const *params,
                       struct err *err)
{
    if (!k->conn && !(k->conn = pg_connect(k->conninfo, k->app_name, err)))
        return NULL;
    return pg_exec_again(k->conn, sql, n, params);
}

void pg_kept_close(struct pg_kept *k)
{
    PQfinish(k->conn);
    k->conn = NULL;
}

bool pg_command(PGconn *conn, const char *sql, const char *what, struct err *err)
{
    PGresult *res = PQexec(conn, sql);
    bool ok = pg_result_ok(res, PGRES_COMMAND_OK, what ? what : sql, err);
    PQclear(res);
    return ok;
}

bool pg_command_params(PGconn *conn, const char *sql, int n, const char *const *params,
                       const char *what, struct err *err)
{
    PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    bool ok = pg_result_ok(res, PGRES_COMMAND_OK, what, err);
    PQclear(res);
    return ok;
}

bool pg_exec_script(PGconn *conn, const char *sql, struct err *err)
{
    return pg_command(conn, sql, "schema", err);
}

bool pg_load_demo(PGconn *conn, const struct catalog *cat, const char *dir, struct err *err)
{
    PGresult *res = PQexec(conn, "BEGIN");
    bool ok = pg_result_ok(res, PGRES_COMMAND_OK, "BEGIN", err);
    PQclear(res);
    for (size_t i = 0; ok && i < cat->ntables; i++) {
        const struct catalog_table *def = &cat->tables[i];
        if (def->producer) /* the engine's tables have no demo file */
            continue;
        char *path = xasprintf("%s/%s.csv", dir, def->name);
        struct table *checked = demo_read_csv(def, path, err); /* header and types first */
        size_t len = 0;
        char *data = checked ? file_read(path, FILE_MAX_DATA, &len, err) : NULL;
        table_unref(checked);
        ok = data != NULL;
        char *name = pg_quote_ident(def->name);
        struct sbuf cols = {0};
        for (size_t c = 0; c < def->ncols; c++) {
            char *col = pg_quote_ident(def->cols[c].name);
            sb_add(&cols, "%s%s", c ? ", " : "", col);
            free(col);
        }
        char *sql = xasprintf("TRUNCATE lotuswall_data.%s RESTART IDENTITY; COPY lotuswall_data.%s "
                              "(%s) FROM STDIN WITH (FORMAT csv, HEADER true)",
                              name, name, cols.s);
        free(cols.s);
        if (ok) {
            res = PQexec(conn, sql);
            ok = pg_result_ok(res, PGRES_COPY_IN, path, err);
            PQclear(res);
        }
        if (ok) {
            ok = PQputCopyData(conn, data, (int)len) == 1 && PQputCopyEnd(conn, NULL) == 1;
            while ((res = PQgetResult(conn))) {
                ok &= pg_result_ok(res, PGRES_COMMAND_OK, path, err);
                PQclear(res);
            }
        }
        free(sql);
        free(name);
        free(data);
        free(path);
    }
    res = PQexec(conn, ok ? "COMMIT" : "ROLLBACK");
    PQclear(res);
    return ok;
}

struct table *pg_fetch(PGconn *conn, const struct catalog_table *def, struct err *err)
{
    struct sbuf sql = {0};
    sb_add(&sql, "SELECT ");
    for (size_t c = 0; c < def->ncols; c++) {
        char *col = pg_quote_ident(def->cols[c].name);
        sb_add(&sql, "%s%s", col, c + 1 < def->ncols ? ", " : "");
        free(col);
    }
    char *name = pg_quote_ident(def->name);
    sb_add(&sql, " FROM lotuswall.%s", name);
    free(name);
    PGresult *res = PQexecParams(conn, sql.s, 0, NULL, NULL, NULL, NULL, 0);
    free(sql.s);
    if (!pg_result_ok(res, PGRES_TUPLES_OK, def->name, err)) {
        PQclear(res);
        return NULL;
    }
    struct table *t = catalog_table_new(def);
    int rows = PQntuples(res);
    for (int r = 0; r < rows; r++) {
        size_t row = table_add_row(t);
        for (size_t c = 0; c < def->ncols; c++) {
            if (PQgetisnull(res, r, (int)c))
                continue;
            const char *v = PQgetvalue(res, r, (int)c);
            if (!utf8_valid(v, strlen(v)))
                continue; /* a client_encoding mismatch must not reach Pango */
            table_set_text(t, row, c, v); /* numbers: NaN/Infinity parse, text → bad value */
        }
    }
    PQclear(res);
    return t;
}

/* ---- cache ------------------------------------------------------------- */

void pg_cache_name(const char *conninfo, char out[17])
{
    snprintf(out, 17, "%016llx", (unsigned long long)hash_str(HASH_FNV_BASIS, conninfo));
}

/* The cache keeps each source as CSV (the demo format) plus its fetch time
 * and version in NAME.meta. */
static void cache_write(const char *dir, const struct table *t)
{
    if (!dir)
        return;
    struct err err;
    char *csv = xasprintf("%s/%s.csv", dir, t->name), *meta = xasprintf("%s/%s.meta", dir, t->name);
    if (!csv_write_table(t, csv, &err)) {
        LOG(WARN, "cache: %s", err.msg);
    } else {
        char line[64];
        int n = snprintf(line, sizeof line, "%lld %llu\n", (long long)t->fetched_at,
                         (unsigned long long)t->version);
        if (!file_write(meta, line, (size_t)n, FILE_SYNC | FILE_PRIVATE, &err))
            LOG(WARN, "cache: %s", err.msg);
    }
    free(csv);
    free(meta);
}

static struct table *cache_read(const char *dir, const struct catalog_table *def)
{
    char *csv = xasprintf("%s/%s.csv", dir, def->name), *meta = xasprintf("%s/%s.meta", dir, def->name);
    struct err err;
    struct table *t = NULL;
    FILE *f = fopen(meta, "r");
    long long at = 0;
    unsigned long long ver = 0;
    if (f && fscanf(f, "%lld %llu", &at, &ver) == 2 && (t = demo_read_csv(def, csv, &err))) {
        t->fetched_at = at;
        t->version = ver;
    } else if (f) {
        LOG(WARN, "cache: %s: unreadable, ignored", csv);
    }
    if (f)
        fclose(f);
    free(csv);
    free(meta);
    return t;
}

/* ---- poller ------------------------------------------------------------ */

/* A NOTIFY refreshes a source at once, but not sooner than this after its
 * last read: anyone who may log in may NOTIFY (PostgreSQL has no privilege
 * on a channel), and a flood would otherwise make every wall re-read its
 * sources non-stop. */
#define NOTIFY_MIN_MS 1000.0
/* Without LISTEN on the read connection the versions are asked this often,
 * and this often for VERSIONS_FAST_MS after the primary's NOTIFY (while the
 * replica catches up). */
#define VERSIONS_MS 1000.0
#define VERSIONS_FAST_MS 5000.0
#define VERSIONS_FAST_EVERY_MS 100.0

struct psource {
    const struct catalog_table *def;
    int interval_s;
    double due_ms;          /* monotonic time of the next poll */
    double polled_ms;       /* monotonic time the last poll ended */
    uint64_t hash;          /* of the last content, to bump versions on change only */
    uint64_t version;
    long long db_version;   /* its row in lotuswall.source_versions when last asked; -1: none */
    bool have;              /* a table is in the store (database or cache) */
    char last_error[256];   /* logged once until it changes or clears */
};

struct poller {
    struct poller_opts opts;
    char *conninfo, *notify_conninfo, *cache_dir;
    struct store *store;
    struct psource *src;
    size_t nsrc;
    pthread_t thread;
    int wake_pipe[2];
    pthread_mutex_t lock;   /* guards stop, stats and the src[].have flags */
    pthread_cond_t ready;   /* signalled when a source gets its first table */
    bool stop;
    struct poller_stats stats;
    PGconn *conn;           /* poller thread only */
    /* Hearing changes without LISTEN on conn (opts.notify_conninfo): */
    bool by_versions;       /* conn does not LISTEN: ask the versions */
    PGconn *nconn;          /* LISTENs on the primary, or NULL */
    double versions_due_ms, fast_until_ms, nconn_retry_ms;
    bool versions_missing;  /* an older schema without source_versions (logged once) */
    bool by_versions_logged;
};

static double mono_ms(void)
{
    return now_ms();
}

static uint64_t table_hash(const struct table *t)
{
    uint64_t h = HASH_FNV_BASIS;
    char buf[64];
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            h = hash_str(h, table_cell_str(t, r, c, buf, sizeof buf));
            h = hash_mix(h, table_is_null(t, r, c) ? 0x1f : 0x1e);
        }
    return h;
}

static void set_have(struct poller *p, struct psource *s)
{
    pthread_mutex_lock(&p->lock);
    s->have = true;
    pthread_cond_broadcast(&p->ready);
    pthread_mutex_unlock(&p->lock);
}

static void publish(struct poller *p, struct psource *s, struct table *t, bool from_cache)
{
    uint64_t h = table_hash(t);
    if (!from_cache) {
        if (h != s->hash || s->version == 0)
            s->version++;
        t->version = s->version;
        t->fetched_at = (int64_t)time(NULL);
    } else {
        s->version = t->version;
    }
    s->hash = h;
    t->hash = h; /* a splice wall's parts compare it (store_content_hash) */
    t->refresh_s = s->interval_s;
    if (!from_cache)
        cache_write(p->cache_dir, t);
    store_put(p->store, t);
    store_set_offline(p->store, s->def->name, from_cache);
    set_have(p, s);
    if (p->opts.wake)
        p->opts.wake(p->opts.wake_arg);
}

static bool stopping(struct poller *p)
{
    pthread_mutex_lock(&p->lock);
    bool stop = p->stop;
    pthread_mutex_unlock(&p->lock);
    return stop;
}

/* Sleeps until timeout, a NOTIFY (when conn is set) or a stop request. */
static void wait_events(struct poller *p, int timeout_ms)
{
    struct pollfd fds[3] = {{.fd = p->wake_pipe[0], .events = POLLIN}, {.fd = -1}, {.fd = -1}};
    if (p->conn)
        fds[1] = (struct pollfd){.fd = PQsocket(p->conn), .events = POLLIN};
    if (p->nconn)
        fds[2] = (struct pollfd){.fd = PQsocket(p->nconn), .events = POLLIN};
    if (poll(fds, 3, timeout_ms < 0 ? 0 : timeout_ms) > 0 && (fds[0].revents & POLLIN)) {
        char buf[64];
        while (read(p->wake_pipe[0], buf, sizeof buf) > 0)
            ;
    }
}

static void mark_all_offline(struct poller *p)
{
    for (size_t i = 0; i < p->nsrc; i++)
        store_set_offline(p->store, p->src[i].def->name, true);
    if (p->opts.wake)
        p->opts.wake(p->opts.wake_arg);
}

PGconn *pg_connect(const char *conninfo, const char *app_name, struct err *err)
{
    /* expand_dbname: the "dbname" value may be a whole conninfo or URI */
    const char *keys[] = {"dbname", "application_name", "connect_timeout", NULL};
    const char *vals[] = {conninfo, app_name, "5", NULL};
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(conn) != CONNECTION_OK) {
        const char *m = PQerrorMessage(conn);
        size_t n = strlen(m);
        while (n && m[n - 1] == '\n')
            n--;
        err_set(err, "%.*s", (int)n, m);
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

/* The read connection LISTENs, unless changes are heard elsewhere: a
 * notify connection of its own, or none (a pooler), or conn is a hot
 * standby, which refuses LISTEN. Then the versions are asked. */
static bool listen_or_ask(struct poller *p, struct err *err)
{
    bool standby = false;
    if (!p->opts.notify_conninfo) {
        PGresult *res = PQexec(p->conn, "SELECT pg_is_in_recovery()");
        bool ok = pg_result_ok(res, PGRES_TUPLES_OK, "pg_is_in_recovery", err);
        standby = ok && PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
        PQclear(res);
        if (!ok)
            return false;
    }
    p->by_versions = p->opts.notify_conninfo || standby;
    p->versions_due_ms = 0; /* asked before the first reads, so no change is missed */
    for (size_t i = 0; i < p->nsrc; i++)
        p->src[i].db_version = -1;
    if (standby && !p->by_versions_logged)
        LOG(INFO, "the database is a hot standby: changes are seen by lotuswall.source_versions "
                  "each second (--db-notify PRIMARY hears them at once)");
    p->by_versions_logged |= standby;
    if (p->by_versions)
        return true;
    char *sql = xasprintf("LISTEN %s", LW_NOTIFY_CHANNEL);
    PGresult *res = PQexec(p->conn, sql);
    free(sql);
    bool ok = pg_result_ok(res, PGRES_COMMAND_OK, "LISTEN", err);
    PQclear(res);
    return ok;
}

/* The notify connection to the primary (opts.notify_conninfo other than
 * "none"): made when missing, at most every 2 s; its NOTIFYs make the
 * versions asked at once and then often, until the replica caught up. */
static void hear_primary(struct poller *p)
{
    const char *nc = p->opts.notify_conninfo;
    double now = mono_ms();
    if (!nc || strcmp(nc, "none") == 0)
        return;
    if (!p->nconn && now >= p->nconn_retry_ms) {
        struct err err;
        p->nconn_retry_ms = now + 2000;
        p->nconn = pg_connect(nc, "lotuswall-notify", &err);
        PGresult *res = p->nconn ? PQexec(p->nconn, "LISTEN " LW_NOTIFY_CHANNEL) : NULL;
        if (p->nconn && !pg_result_ok(res, PGRES_COMMAND_OK, "LISTEN", &err)) {
            PQfinish(p->nconn);
            p->nconn = NULL;
        }
        PQclear(res);
        if (!p->nconn)
            LOG(WARN, "--db-notify: %s; changes are seen each second meanwhile", err.msg);
        else
            p->fast_until_ms = now + VERSIONS_FAST_MS, p->versions_due_ms = now;
    }
    if (p->nconn && (!PQconsumeInput(p->nconn) || PQstatus(p->nconn) != CONNECTION_OK)) {
        LOG(WARN, "--db-notify: the connection to the primary was lost");
        PQfinish(p->nconn);
        p->nconn = NULL;
        return;
    }
    for (PGnotify *n; p->nconn && (n = PQnotifies(p->nconn)); PQfreemem(n)) {
        pthread_mutex_lock(&p->lock);
        p->stats.notifies++;
        pthread_mutex_unlock(&p->lock);
        p->fast_until_ms = now + VERSIONS_FAST_MS, p->versions_due_ms = now;
    }
}

/* Asks lotuswall.source_versions when due and makes every source whose
 * version moved due at once. False when conn failed. */
static bool ask_versions(struct poller *p)
{
    double now = mono_ms();
    if (!p->by_versions || p->versions_missing || now < p->versions_due_ms)
        return true;
    PGresult *res = PQexec(p->conn, "SELECT source, version FROM lotuswall.source_versions");
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    struct err err;
    bool ok = pg_result_ok(res, PGRES_TUPLES_OK, "source versions", &err);
    if (!ok && state && strcmp(state, "42P01") == 0) {
        LOG(WARN, "the database has no lotuswall.source_versions (lotuswall db migrate): "
                  "changes are seen at each source's interval");
        p->versions_missing = true;
    }
    for (int r = 0; ok && r < PQntuples(res); r++) {
        long long v = atoll(PQgetvalue(res, r, 1));
        for (size_t i = 0; i < p->nsrc; i++) {
            struct psource *s = &p->src[i];
            if (strcmp(s->def->name, PQgetvalue(res, r, 0)) == 0 && s->db_version != v) {
                if (s->db_version >= 0)
                    s->due_ms = now;
                s->db_version = v;
            }
        }
    }
    PQclear(res);
    p->versions_due_ms = now + (now < p->fast_until_ms ? VERSIONS_FAST_EVERY_MS : VERSIONS_MS);
    return ok || p->versions_missing || PQstatus(p->conn) == CONNECTION_OK;
}

static bool connect_db(struct poller *p, struct err *err)
{
    /* application_name lets an operator (and the tests) find our backend */
    p->conn = pg_connect(p->conninfo, "lotuswall-poller", err);
    if (!p->conn)
        return false;
    char *sql = xasprintf("SET statement_timeout = %d", p->opts.statement_timeout_ms);
    PGresult *res = PQexec(p->conn, sql);
    free(sql);
    bool ok = pg_result_ok(res, PGRES_COMMAND_OK, "SET", err) && listen_or_ask(p, err);
    PQclear(res);
    if (ok) {
        int version;
        struct err why;
        if (migrate_version(p->conn, &version, &why) && version != LW_SCHEMA_VERSION)
            LOG(WARN, "database schema version %d; this lotuswall expects %d (lotuswall db migrate)",
                version, LW_SCHEMA_VERSION);
        PQsetnonblocking(p->conn, 0);
    } else {
        PQfinish(p->conn);
        p->conn = NULL;
    }
    return ok;
}

/* Reads what the server sent while we slept. False when the connection is
 * gone (the server closed it, or the backend was terminated). */
static bool drain_notifies(struct poller *p)
{
    if (!PQconsumeInput(p->conn) || PQstatus(p->conn) != CONNECTION_OK)
        return false;
    PGnotify *n;
    double now = mono_ms();
    while ((n = PQnotifies(p->conn))) {
        pthread_mutex_lock(&p->lock);
        p->stats.notifies++;
        pthread_mutex_unlock(&p->lock);
        for (size_t i = 0; i < p->nsrc; i++) {
            struct psource *s = &p->src[i];
            double at = fmax(now, s->polled_ms + NOTIFY_MIN_MS);
            if ((!*n->extra || strcmp(n->extra, s->def->name) == 0) && at < s->due_ms)
                s->due_ms = at;
        }
        PQfreemem(n);
    }
    return true;
}

static void poll_source(struct poller *p, struct psource *s)
{
    struct err err;
    struct table *t = pg_fetch(p->conn, s->def, &err);
    pthread_mutex_lock(&p->lock);
    p->stats.polls++;
    p->stats.errors += t == NULL;
    pthread_mutex_unlock(&p->lock);
    s->polled_ms = mono_ms();
    s->due_ms = s->polled_ms + s->interval_s * 1000.0;
    if (t) {
        if (s->last_error[0])
            LOG(INFO, "source %s: recovered", s->def->name);
        s->last_error[0] = '\0';
        publish(p, s, t, false);
        return;
    }
    /* keep the last good table; log each distinct failure once */
    if (strcmp(s->last_error, err.msg) != 0) {
        LOG(WARN, "source %s (keeping the last good data)", err.msg);
        snprintf(s->last_error, sizeof s->last_error, "%s", err.msg);
    }
}

static void *poller_main(void *arg)
{
    struct poller *p = arg;
    int backoff = 0;
    bool was_connected = false;
    char last_conn_error[512] = "";
    while (!stopping(p)) {
        if (p->conn && PQstatus(p->conn) != CONNECTION_OK) {
            PQfinish(p->conn);
            p->conn = NULL;
        }
        if (!p->conn) {
            if (was_connected) {
                LOG(WARN, "database connection lost; panels keep their last good data");
                mark_all_offline(p);
                was_connected = false;
                pthread_mutex_lock(&p->lock);
                p->stats.connected = false;
                pthread_mutex_unlock(&p->lock);
            }
            if (backoff > 0) {
                /* ±25 % jitter, so that a room of walls does not reconnect in step */
                int sleep_ms = backoff - backoff / 4 + rand() % (backoff / 2 + 1);
                wait_events(p, sleep_ms);
                if (stopping(p))
                    break;
            }
            struct err err;
            if (!connect_db(p, &err)) {
                if (strcmp(last_conn_error, err.msg) != 0) {
                    LOG(WARN, "database: %s; retrying", err.msg);
                    snprintf(last_conn_error, sizeof last_conn_error, "%s", err.msg);
                }
                backoff = backoff ? backoff * 2 : 250;
                if (backoff > p->opts.backoff_max_ms)
                    backoff = p->opts.backoff_max_ms;
                continue;
            }
            LOG(INFO, "database connected");
            last_conn_error[0] = '\0';
            backoff = 0;
            was_connected = true;
            pthread_mutex_lock(&p->lock);
            p->stats.connects++;
            p->stats.connected = true;
            pthread_mutex_unlock(&p->lock);
            for (size_t i = 0; i < p->nsrc; i++)
                p->src[i].due_ms = 0; /* everything fresh after a (re)connect */
        }
        hear_primary(p);
        if (!drain_notifies(p) || !ask_versions(p)) {
            PQfinish(p->conn);
            p->conn = NULL;
            continue;
        }
        double now = mono_ms(), next = now + 60000;
        if (p->by_versions && !p->versions_missing)
            next = fmin(next, p->versions_due_ms);
        if (p->nconn == NULL && p->opts.notify_conninfo && strcmp(p->opts.notify_conninfo, "none"))
            next = fmin(next, p->nconn_retry_ms);
        struct psource *due = NULL;
        for (size_t i = 0; i < p->nsrc; i++) {
            if (p->src[i].due_ms <= now && (!due || p->src[i].due_ms < due->due_ms))
                due = &p->src[i];
            if (p->src[i].due_ms < next)
                next = p->src[i].due_ms;
        }
        if (due) {
            poll_source(p, due);
            continue;
        }
        wait_events(p, (int)ceil(next - now));
    }
    PQfinish(p->conn);
    PQfinish(p->nconn);
    p->conn = p->nconn = NULL;
    return NULL;
}

struct poller *poller_start(const struct poller_opts *opts, const struct catalog *cat,
                            struct store *store, const struct poller_source *sources, size_t n,
                            struct err *err)
{
    struct poller *p = xcalloc(1, sizeof *p);
    p->opts = *opts;
    if (p->opts.statement_timeout_ms <= 0)
        p->opts.statement_timeout_ms = 5000;
    if (p->opts.backoff_max_ms <= 0)
        p->opts.backoff_max_ms = 10000;
    p->conninfo = xstrdup(opts->conninfo ? opts->conninfo : "");
    if (opts->notify_conninfo)
        p->opts.notify_conninfo = p->notify_conninfo = xstrdup(opts->notify_conninfo);
    p->cache_dir = opts->cache_dir ? xstrdup(opts->cache_dir) : NULL;
    p->store = store;
    p->src = xcalloc(n + 1, sizeof *p->src);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->ready, NULL);
    if (pipe(p->wake_pipe) != 0) {
        err_set(err, "pipe: %s", strerror(errno));
        goto fail;
    }
    fcntl(p->wake_pipe[0], F_SETFL, O_NONBLOCK);
    for (size_t i = 0; i < n; i++) {
        const struct catalog_table *def = catalog_find(cat, sources[i].name);
        if (!def) {
            err_set(err, "source %s is not in the catalog", sources[i].name);
            goto fail;
        }
        bool dup = false;
        for (size_t k = 0; k < p->nsrc; k++) {
            if (p->src[k].def == def) {
                dup = true; /* one poll per source: the shortest interval wins */
                if (sources[i].interval_s < p->src[k].interval_s)
                    p->src[k].interval_s = sources[i].interval_s;
            }
        }
        if (!dup)
            p->src[p->nsrc++] = (struct psource){.def = def, .interval_s = sources[i].interval_s > 0 ? sources[i].interval_s : 60};
    }
    if (p->cache_dir) {
        for (size_t i = 0; i < p->nsrc; i++) {
            struct table *t = cache_read(p->cache_dir, p->src[i].def);
            if (t)
                publish(p, &p->src[i], t, true);
        }
    }
    if (pthread_create(&p->thread, NULL, poller_main, p) != 0) {
        err_set(err, "cannot start the poller thread");
        goto fail;
    }
    return p;
fail:
    free(p->src);
    free(p->conninfo);
    free(p->notify_conninfo);
    free(p->cache_dir);
    free(p);
    return NULL;
}

bool poller_wait_ready(struct poller *p, int timeout_ms)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&p->lock);
    bool all = false;
    for (;;) {
        all = true;
        for (size_t i = 0; i < p->nsrc; i++)
            all &= p->src[i].have;
        if (all || pthread_cond_timedwait(&p->ready, &p->lock, &deadline) != 0)
            break;
    }
    pthread_mutex_unlock(&p->lock);
    return all;
}

struct poller_stats poller_stats(struct poller *p)
{
    pthread_mutex_lock(&p->lock);
    struct poller_stats s = p->stats;
    pthread_mutex_unlock(&p->lock);
    return s;
}

void poller_stop(struct poller *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    pthread_mutex_unlock(&p->lock);
    if (write(p->wake_pipe[1], "x", 1) < 0)
        LOG(WARN, "poller: cannot wake the thread");
    pthread_join(p->thread, NULL);
    close(p->wake_pipe[0]);
    close(p->wake_pipe[1]);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->ready);
    free(p->src);
    free(p->conninfo);
    free(p->notify_conninfo);
    free(p->cache_dir);
    free(p);
}
