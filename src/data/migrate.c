/* Schema migrations (see migrate.h).
 *
 * Adding one: write db/migrations/NNNN-name.sql (NNNN = LW_SCHEMA_VERSION + 1;
 * no BEGIN/COMMIT: it runs in a transaction with its version row), add its
 * name below, raise LW_SCHEMA_VERSION in pg.h, and make pg_schema_sql write
 * the same result for a new database; test_migrate.py compares the two. */
#include "data/migrate.h"
#include "data/pg.h"
#include "util/file.h"
#include "util/util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pg_advisory_lock key: "lotuswam" as a big-endian int64 (the engine's is
 * "lotuswal"). */
#define MIGRATE_LOCK "7813591926308299117"

static const char *const names[] = {
    "initial",           /* 0001: version 1, frozen */
    "reader-grants",     /* 0002: the reader reads the catalog's views by name */
    "urge-outbox-error", /* 0003: urge_outbox.error, an urge recorded as failed */
    "regions",           /* 0004: per-region rows of the appeal, team and project tables;
                            a county's rank scope */
    "drill-details",     /* 0005: project_monthly, appeal_steps, warning_series */
    "accounts",          /* 0006: the console's accounts and audit; who acts on a warning is
                            the database's word; lotuswall_console, lotuswall_admin */
    "evaluation-finance", /* 0007: appeal_ratings, appeal_flow, appeal_profile, eval_enterprises,
                             eval_scores, eval_groups, finance_summary, finance_breakdown */
    "contacts-deliveries", /* 0008: lotuswall_deliver: contacts, duty roster, deliveries;
                              the lotuswall_deliver role */
    "exchange-outbox",   /* 0009: lotuswall_deliver.exchange_outbox, exchange_sources: the
                            exchange push; the worker reads every source and prunes */
    "panorama-policy",     /* 0010: top_enterprises, enterprise_anomalies, anomaly_monthly,
                              key_enterprise_monthly, policy_summary, policy_breakdown,
                              appeal_sectors; enterprises' month, last year and 同比 */
    "fleet-config",      /* 0011: config_documents, wall_assignments, NOTIFY lotuswall_config;
                            the lotuswall_config role */
    "fleet-heartbeats",    /* 0012: lotuswall.walls (heartbeats, row-level security), the fleet
                              view, wall_commands (steer), account_walls; lotuswall_wall,
                              lotuswall_steer */
    "source-versions",     /* 0013: a version per source, for walls on a replica or a pooler */
    "splice",              /* 0014: splice_state (the leader's announcements, fenced by the
                              wall's advisory lock), splice_parts; NOTIFY lotuswall_splice */
    "delivery-health",     /* 0015: the delivery_health view (counts per department) for
                              the engine's urge-dead and dept-unreachable rules; NOTIFY on
                              deliveries, contacts and duty */
    "steer-expiry",        /* 0016: a wall reads when a steering command was queued */
};
_Static_assert(ARRAY_LEN(names) == LW_SCHEMA_VERSION, "one name per migration");

const char *migrate_name(int version)
{
    return version >= 1 && version <= LW_SCHEMA_VERSION ? names[version - 1] : "?";
}

char *migrate_dir(const char *catalog_path)
{
    const char *slash = strrchr(catalog_path, '/');
    if (!slash)
        return xstrdup("migrations");
    return xasprintf("%.*s/migrations", (int)(slash - catalog_path), catalog_path);
}

/* The one value of a query of one row and one column, or NULL. Caller frees. */
static char *query_value(PGconn *conn, const char *sql, struct err *err)
{
    PGresult *res = PQexec(conn, sql);
    char *v = NULL;
    if (pg_result_ok(res, PGRES_TUPLES_OK, "schema version", err))
        v = xstrdup(PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
    return v;
}

bool migrate_version(PGconn *conn, int *version, struct err *err)
{
    char *v = query_value(conn,
                          "SELECT CASE WHEN to_regclass('lotuswall.schema_migrations') IS NOT NULL "
                          "THEN -1 WHEN EXISTS (SELECT FROM pg_namespace WHERE nspname = "
                          "'lotuswall') THEN 1 ELSE 0 END",
                          err);
    if (!v)
        return false;
    *version = atoi(v);
    free(v);
    if (*version >= 0)
        return true;
    /* an empty table (a version-1 schema whose row went missing) is version 1 */
    v = query_value(conn, "SELECT coalesce(max(version), 1) FROM lotuswall.schema_migrations", err);
    if (v)
        *version = atoi(v);
    free(v);
    return v != NULL;
}

/* One migration in its own transaction, with its version row. */
static bool apply_one(PGconn *conn, const char *dir, int version, struct err *err)
{
    char *path = xasprintf("%s/%04d-%s.sql", dir, version, migrate_name(version));
    size_t len;
    char *sql = file_read(path, FILE_MAX_CONFIG, &len, err);
    if (!sql) {
        free(path);
        return false;
    }
    char *row = xasprintf("INSERT INTO lotuswall.schema_migrations (version, description) "
                          "VALUES (%d, '%04d-%s')",
                          version, version, migrate_name(version));
    bool ok = pg_command(conn, "BEGIN", NULL, err) && pg_command(conn, sql, path, err) &&
              pg_command(conn, row, path, err) && pg_command(conn, "COMMIT", NULL, err);
    if (!ok)
        PQclear(PQexec(conn, "ROLLBACK"));
    else
        LOG(INFO, "%s: applied", path);
    free(row);
    free(sql);
    free(path);
    return ok;
}

/* Takes (or gives back) the migration lock; taking it also quiets the
 * server's NOTICEs ("already exists, skipping") of idempotent DDL. */
static bool lock(PGconn *conn, bool take, struct err *err)
{
    if (take && !pg_command(conn, "SET client_min_messages = warning", NULL, err))
        return false;
    PGresult *res = PQexec(conn, take ? "SELECT pg_advisory_lock(" MIGRATE_LOCK ")"
                                      : "SELECT pg_advisory_unlock(" MIGRATE_LOCK ")");
    bool ok = pg_result_ok(res, PGRES_TUPLES_OK, "migration lock", err);
    PQclear(res);
    return ok;
}

/* migrate_run without the lock. */
static bool run_locked(PGconn *conn, const char *dir, int *from, int *to, struct err *err)
{
    if (!migrate_version(conn, from, err))
        return false;
    *to = *from;
    if (*from > LW_SCHEMA_VERSION)
        return err_set(err,
                       "the database has schema version %d, newer than this lotuswall's %d: "
                       "use a newer lotuswall (a migration is never undone)",
                       *from, LW_SCHEMA_VERSION);
    /* a version-1 database from before the table gets it first */
    if (*from == 1 && *from < LW_SCHEMA_VERSION &&
        !pg_command(conn, LW_MIGRATIONS_TABLE, "lotuswall.schema_migrations", err))
        return false;
    for (int v = *from + 1; v <= LW_SCHEMA_VERSION; v++) {
        if (!apply_one(conn, dir, v, err))
            return false;
        *to = v;
    }
    return true;
}

bool migrate_run(PGconn *conn, const char *dir, int *from, int *to, struct err *err)
{
    *from = *to = 0;
    if (!lock(conn, true, err))
        return false;
    bool ok = run_locked(conn, dir, from, to, err);
    struct err ignored; /* the session's end frees the lock anyway */
    lock(conn, false, &ignored);
    return ok;
}

bool migrate_init(PGconn *conn, const struct catalog *cat, const char *dir, int *from,
                  struct err *err)
{
    *from = 0;
    if (!lock(conn, true, err))
        return false;
    int to;
    bool ok = migrate_version(conn, from, err);
    if (ok && *from >= 1 && *from < LW_SCHEMA_VERSION) {
        ok = run_locked(conn, dir, from, &to, err);
    } else if (ok && *from > LW_SCHEMA_VERSION) {
        ok = run_locked(conn, dir, from, &to, err); /* refuses, with the message */
    } else if (ok) {
        char *sql = pg_schema_sql(cat);
        ok = pg_exec_script(conn, sql, err);
        free(sql);
    }
    struct err ignored;
    lock(conn, false, &ignored);
    return ok;
}
