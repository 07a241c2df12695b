#include "auth/authdb.h"
#include "data/pg.h"
#include "util/util.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct authdb {
    pthread_mutex_t lock; /* guards the connection: the HTTP server's threads share it */
    char *conninfo;
    struct pg_kept kept;  /* made at the first check: a wall starts without its database */
};

struct authdb *authdb_open(const char *conninfo, struct err *err)
{
    (void)err;
    struct authdb *db = xcalloc(1, sizeof *db);
    pthread_mutex_init(&db->lock, NULL);
    db->conninfo = xstrdup(conninfo);
    db->kept = (struct pg_kept){db->conninfo, "lotuswall-auth", NULL};
    return db;
}

void authdb_close(struct authdb *db)
{
    if (!db)
        return;
    pg_kept_close(&db->kept);
    pthread_mutex_destroy(&db->lock);
    free(db->conninfo);
    free(db);
}

/* One statement with text parameters; NULL + *err ("WHAT: the server's
 * message"). A connection that broke is reset (pg_exec_again). */
static PGresult *query(struct authdb *db, const char *sql, int n, const char *const *params,
                       ExecStatusType want, const char *what, struct err *err)
{
    pthread_mutex_lock(&db->lock);
    PGresult *res = pg_exec_kept(&db->kept, sql, n, params, err);
    pthread_mutex_unlock(&db->lock);
    if (!res)
        return err_prefix(err, "%s", what), NULL;
    if (pg_result_ok(res, want, what, err))
        return res;
    PQclear(res);
    return NULL;
}

static void account_of(PGresult *res, int row, int col, struct auth_account *out)
{
    memset(out, 0, sizeof *out);
    auth_role_parse(PQgetvalue(res, row, col), &out->role);
    out->disabled = strcmp(PQgetvalue(res, row, col + 1), "t") == 0;
    snprintf(out->operator_name, sizeof out->operator_name, "%s", PQgetvalue(res, row, col + 2));
}

int authdb_fetch(struct authdb *db, const char *name, struct auth_account *out, char *hash,
                 size_t hash_len, struct err *err)
{
    const char *p[1] = {name};
    PGresult *res = query(db, hash ? "SELECT role, disabled, operator, hash FROM "
                                     "lotuswall_auth.credential($1)"
                                   : "SELECT role, disabled, operator FROM "
                                     "lotuswall_auth.account($1)",
                          1, p, PGRES_TUPLES_OK, "accounts", err);
    if (!res)
        return -1;
    int found = PQntuples(res) == 1;
    if (found) {
        account_of(res, 0, 0, out);
        snprintf(out->name, sizeof out->name, "%s", name);
        if (hash)
            snprintf(hash, hash_len, "%s", PQgetvalue(res, 0, 3));
    }
    PQclear(res);
    return found;
}

bool authdb_add(struct authdb *db, const char *name, enum auth_role role, const char *hash,
                const char *operator_name, const char *db_login, struct err *err)
{
    const char *p[5] = {name, auth_role_name(role), hash, operator_name, db_login};
    PGresult *res = query(db, "INSERT INTO lotuswall_auth.accounts (name, role, hash, operator, "
                              "db_login) VALUES ($1, $2, $3, coalesce($4, ''), $5) "
                              "ON CONFLICT (name) DO NOTHING",
                          5, p, PGRES_COMMAND_OK, "accounts", err);
    bool added = res && strcmp(PQcmdTuples(res), "1") == 0;
    if (res && !added)
        err_set(err, "%s: the account exists (lotuswall user passwd changes its password)", name);
    PQclear(res);
    return added;
}

bool authdb_set(struct authdb *db, const char *name, const char *column, const char *value,
                struct err *err)
{
    const char *p[2] = {name, value};
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE lotuswall_auth.accounts SET %s = $2, changed_at = now() "
                              "WHERE name = $1", strcmp(column, "hash") ? "disabled" : "hash");
    PGresult *res = query(db, sql, 2, p, PGRES_COMMAND_OK, "accounts", err);
    bool done = res && strcmp(PQcmdTuples(res), "1") == 0;
    if (res && !done)
        err_set(err, "%s: no such account", name);
    PQclear(res);
    return done;
}

bool authdb_limit(struct authdb *db, const char *name, const char *items, struct err *err)
{
    const char *p[2] = {name, items};
    PGresult *res = query(db,
        "WITH acc AS (SELECT name FROM lotuswall_auth.accounts WHERE name = $1),\n"
        "want AS (SELECT acc.name AS account,\n"
        "                CASE WHEN x ~ '^[0-9]{6}$' THEN '' ELSE x END AS wall,\n"
        "                CASE WHEN x ~ '^[0-9]{6}$' THEN x ELSE '' END AS region_code\n"
        "         FROM acc, unnest(coalesce(string_to_array(nullif($2, ''), E'\\n'),\n"
        "                                   '{}'::text[])) x),\n"
        "ins AS (INSERT INTO lotuswall_auth.account_walls (account, wall, region_code)\n"
        "        SELECT * FROM want ON CONFLICT DO NOTHING),\n"
        "del AS (DELETE FROM lotuswall_auth.account_walls l USING acc\n"
        "        WHERE l.account = acc.name\n"
        "          AND (l.wall, l.region_code) NOT IN (SELECT wall, region_code FROM want))\n"
        "SELECT count(*) FROM acc",
        2, p, PGRES_TUPLES_OK, "account_walls", err);
    bool found = res && strcmp(PQgetvalue(res, 0, 0), "1") == 0;
    if (res && !found)
        err_set(err, "%s: no such account", name);
    PQclear(res);
    return found;
}

bool authdb_list(struct authdb *db, struct auth_listing **out, size_t *n, struct err *err)
{
    PGresult *res = query(db, "SELECT name, role, disabled, operator, coalesce(db_login, ''), "
                              "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                              "to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                              "(SELECT coalesce(string_agg(l.wall || l.region_code, ', ' "
                              "ORDER BY l.wall, l.region_code), '') FROM lotuswall_auth.account_walls l "
                              "WHERE l.account = a.name) "
                              "FROM lotuswall_auth.accounts a ORDER BY name",
                          0, NULL, PGRES_TUPLES_OK, "accounts", err);
    if (!res)
        return false;
    *n = (size_t)PQntuples(res);
    struct auth_listing *l = xcalloc(*n + 1, sizeof *l);
    for (int i = 0; i < PQntuples(res); i++) {
        account_of(res, i, 1, &l[i].acc);
        snprintf(l[i].acc.name, sizeof l[i].acc.name, "%s", PQgetvalue(res, i, 0));
        snprintf(l[i].db_login, sizeof l[i].db_login, "%s", PQgetvalue(res, i, 4));
        snprintf(l[i].created, sizeof l[i].created, "%s", PQgetvalue(res, i, 5));
        snprintf(l[i].changed, sizeof l[i].changed, "%s", PQgetvalue(res, i, 6));
        snprintf(l[i].limits, sizeof l[i].limits, "%s", PQgetvalue(res, i, 7));
    }
    PQclear(res);
    *out = l;
    return true;
}
