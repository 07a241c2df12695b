/* PostgreSQL: the schema made from the catalog, the demo load, and the
 * poller that keeps the store fresh from the database.
 *
 * The catalog (db/catalog.json) is the one definition of every table: the
 * schema is generated from it (`lotuswall db schema` → db/schema.sql), the
 * demo files are loaded into it with COPY, and the poller reads each source
 * as `SELECT "col", ... FROM lotuswall."source"` — identifiers quoted, no
 * value from a scene ever reaches SQL. Filtering happens in the renderer
 * (query.h), so a scene draws the same from PostgreSQL as from the demo. */
#ifndef LW_PG_H
#define LW_PG_H
#include "data/catalog.h"
#include "data/store.h"
#include "util/err.h"
#include <libpq-fe.h>
#include <stdbool.h>

/* The schema version this lotuswall expects: 1 plus the migrations in
 * db/migrations (data/migrate.h). */
#define LW_SCHEMA_VERSION 16
#define LW_MIGRATIONS_TABLE                                                                   \
    "CREATE TABLE IF NOT EXISTS lotuswall.schema_migrations (\n"                              \
    "    version integer PRIMARY KEY,\n"                                                      \
    "    description text NOT NULL,\n"                                                        \
    "    applied_at timestamptz NOT NULL DEFAULT now()\n"                                     \
    ");\n"
#define LW_NOTIFY_CHANNEL "lotuswall_refresh"

/* Connects with a conninfo or URI ("" = the PG* environment) and names the
 * session (application_name). NULL + *err with the server's message. */
PGconn *pg_connect(const char *conninfo, const char *app_name, struct err *err);

/* The SQL that creates (idempotently) the schemas, tables, views, refresh
 * triggers, roles and the migrations table. Caller frees. */
char *pg_schema_sql(const struct catalog *cat);
/* True when res has the status `want`; otherwise false and *err = "WHAT:
 * <the first line of the server's message>" (the LINE/HINT lines that
 * follow do not log well). res stays the caller's. */
bool pg_result_ok(PGresult *res, ExecStatusType want, const char *what, struct err *err);
/* Runs a command that returns no rows; `what` names it in *err (NULL: the
 * SQL itself). */
bool pg_command(PGconn *conn, const char *sql, const char *what, struct err *err);
/* The same with text parameters $1…$n. */
bool pg_command_params(PGconn *conn, const char *sql, int n, const char *const *params,
                       const char *what, struct err *err);
/* PQexecParams with text parameters and results, on a connection kept
 * between uses (a wall's accounts and audit): when the statement failed
 * because the connection broke (the server restarted, the backend was
 * ended), it is reset and the statement tried once more. */
PGresult *pg_exec_again(PGconn *conn, const char *sql, int n, const char *const *params);
/* A connection kept between uses and made at the first: a wall starts, and
 * shows its last good data, while its database is away. */
struct pg_kept {
    const char *conninfo, *app_name;  /* borrowed: they outlive it */
    PGconn *conn;                     /* NULL until the first use that connects */
};
/* pg_exec_again on k's connection, connecting first when there is none;
 * NULL + *err (the server's message) when it cannot. */
PGresult *pg_exec_kept(struct pg_kept *k, const char *sql, int n, const char *const *params,
                       struct err *err);
void pg_kept_close(struct pg_kept *k);
/* "name" with any quote doubled: an identifier for SQL. Caller frees. */
char *pg_quote_ident(const char *name);
/* Runs a script of several statements. */
bool pg_exec_script(PGconn *conn, const char *sql, struct err *err);
/* Replaces the content of every catalog table with DIR/<table>.csv (COPY, one
 * transaction). The files are checked against the catalog first. */
bool pg_load_demo(PGconn *conn, const struct catalog *cat, const char *dir, struct err *err);
/* Reads one source from its view. NULL + *err (the server's message). */
struct table *pg_fetch(PGconn *conn, const struct catalog_table *def, struct err *err);

/* ---- the poller: its own thread and connection ------------------------ */

struct poller_source {
    const char *name;   /* a catalog table */
    int interval_s;     /* refresh interval; NOTIFY refreshes at once */
};

struct poller_opts {
    const char *conninfo;       /* libpq conninfo or URI; "" = PG* environment */
    /* Where changes are heard (docs/operations.md, "Replicas and poolers"):
     * NULL: LISTEN on conninfo, unless it is a hot standby (which refuses
     * LISTEN): then lotuswall.source_versions is asked each second.
     * "none": the versions each second, no LISTEN (a transaction-mode pooler
     * loses notifications). Else a connection to the primary that LISTENs;
     * a NOTIFY there makes the poller ask the versions on conninfo every
     * 100 ms until the replica has replayed the change. */
    const char *notify_conninfo;
    const char *cache_dir;      /* last good tables on disk (an existing folder); NULL = none */
    int statement_timeout_ms;   /* default 5000 */
    int backoff_max_ms;         /* reconnect backoff cap; default 10000 */
    void (*wake)(void *arg);    /* called (from the poller thread) after a publish */
    void *wake_arg;
};

struct poller_stats {
    unsigned long polls, errors, notifies, connects;
    bool connected;
};

struct poller;

/* Loads the cache (tables marked offline, with their old fetch times) and
 * starts the thread. Sources must be in the catalog. */
struct poller *poller_start(const struct poller_opts *opts, const struct catalog *cat,
                            struct store *store, const struct poller_source *sources, size_t n,
                            struct err *err);
/* Waits until every source has a table (from the database or the cache), or
 * timeout_ms passes. True when all have one. */
bool poller_wait_ready(struct poller *p, int timeout_ms);
struct poller_stats poller_stats(struct poller *p);
void poller_stop(struct poller *p); /* joins the thread; NULL is a no-op */

/* The cache folder's name for a conninfo, a hash ("0123456789abcdef"), so
 * that two databases never share one. The folder itself is the caller's
 * (app.c: a private folder, created before poller_start). */
void pg_cache_name(const char *conninfo, char out[17]);

#endif
