#include "app/actions.h"
#include "data/pg.h"
#include "data/store.h"
#include "warn/publish.h"
#include "util/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool action_known_operator(struct app *app, PGconn *conn, const char *name, struct err *err)
{
    const struct catalog_table *def = catalog_find(app->catalog, "operators");
    struct table *t = conn && def ? pg_fetch(conn, def, err) : store_get(app->store, "operators");
    int c = t ? table_col(t, "name") : -1;
    bool found = false;
    char *list = NULL;
    for (size_t r = 0; c >= 0 && r < t->nrows && !found; r++) {
        const char *v = table_text(t, r, (size_t)c);
        found = v && strcmp(v, name) == 0;
        if (v)
            str_list_add(&list, ", ", v);
    }
    table_unref(t);
    if (!found)
        err_set(err, "%s: not an operator (operators: %s)", name, list ? list : "");
    free(list);
    return found;
}

static void first_line(char *out, size_t len, const char *msg)
{
    snprintf(out, len, "%.*s", (int)strcspn(msg, "\n"), msg);
}

bool action_submit_db(PGconn *conn, const char *warning, const char *action, const char *by,
                      const char *note, int timeout_ms, const atomic_bool *cancel,
                      char *result, size_t len)
{
    return action_submit_as(conn, by, NULL, warning, action, note, timeout_ms, cancel, result,
                            len);
}

bool action_submit_as(PGconn *conn, const char *account, const char *addr, const char *warning,
                      const char *action, const char *note, int timeout_ms,
                      const atomic_bool *cancel, char *result, size_t len)
{
    const char *as[5] = {account, addr, warning, action, note}, *own[3] = {warning, action, note};
    /* an operator's login may fill these three columns only (0006) */
    PGresult *res = account ? PQexecParams(conn, "SELECT lotuswall_auth.act_as($1, $2, $3, $4, "
                                                 "$5)", 5, NULL, as, NULL, NULL, 0)
                            : PQexecParams(conn, "INSERT INTO lotuswall.warning_actions "
                                                 "(warning, action, note) VALUES ($1, $2, $3) "
                                                 "RETURNING id", 3, NULL, own, NULL, NULL, 0);
    struct err err;
    if (!pg_result_ok(res, PGRES_TUPLES_OK, "warning_actions", &err)) {
        snprintf(result, len, "%s", err.msg);
        PQclear(res);
        return false;
    }
    char id[32];
    snprintf(id, sizeof id, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    const char *p1[1] = {id};
    /* the leading engine applies it within a moment; wait for its word */
    for (int waited = 0; waited <= timeout_ms && !(cancel && atomic_load(cancel)); waited += 100) {
        PGresult *r = PQexecParams(conn, "SELECT result FROM lotuswall.warning_actions "
                                         "WHERE id = $1 AND processed_at IS NOT NULL",
                                   1, NULL, p1, NULL, NULL, 0);
        bool answered = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
        if (answered) {
            first_line(result, len, PQgetvalue(r, 0, 0));
            PQclear(r);
            return strncmp(result, "ok", 2) == 0;
        }
        if (!pg_result_ok(r, PGRES_TUPLES_OK, "warning_actions", &err)) {
            snprintf(result, len, "%s", err.msg);
            PQclear(r);
            return false;
        }
        PQclear(r);
        usleep(100000);
    }
    snprintf(result, len, "action %s is queued, but no engine applied it within %d s (is "
                          "`lotuswall engine` running?)", id, timeout_ms / 1000);
    return false;
}


/* The warnings table as JSON rows, the open ones only. */
json_t *action_open_rows(const struct table *t)
{
    json_t *rows = json_array();
    struct warn_reader rd;
    for (size_t r = 0; warn_reader_init(&rd, t) && r < t->nrows; r++) {
        if (!warn_row_is_open(&rd, r))
            continue;
        json_array_append_new(rows, table_row_json(t, r, NULL));
    }
    return rows;
}

bool action_apply(struct app *app, const struct auth_account *who, const char *addr,
                  const char *warning, const char *action, const char *note, int timeout_ms,
                  char *result, size_t len)
{
    if (!app->db)
        return app_demo_action(app, warning, action,
                               who->operator_name[0] ? who->operator_name : who->name, note,
                               result, len);
    struct err err;
    PGconn *conn = pg_connect(app->db, "lotuswall-console", &err);
    bool good = conn && action_submit_as(conn, who->name, addr, warning, action, note,
                                         timeout_ms, NULL, result, len);
    if (!conn)
        snprintf(result, len, "error: %s", err.msg);
    PQfinish(conn);
    return good;
}
