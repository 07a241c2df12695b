#include "output/publish.h"
#include "data/pg.h"
#include "util/file.h"
#include "util/util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct publisher {
    char *dir, *conninfo;
    PGconn *conn;
    char last_error[256];
};

struct publisher *publisher_new(const char *dir, const char *conninfo, struct err *err)
{
    if (dir && mkdir(dir, 0755) != 0 && errno != EEXIST) {
        err_set(err, "%s: %s", dir, strerror(errno));
        return NULL;
    }
    struct publisher *p = xcalloc(1, sizeof *p);
    p->dir = dir ? xstrdup(dir) : NULL;
    p->conninfo = conninfo ? xstrdup(conninfo) : NULL;
    return p;
}

static bool write_file(struct publisher *p, const char *text, uint64_t generation, struct err *err)
{
    /* names sort in publishing order: unix milliseconds, then the data generation */
    char *path = xasprintf("%s/exchange-%013.0f-%llu.json", p->dir, wall_ms(),
                           (unsigned long long)generation);
    bool ok = file_write(path, text, strlen(text), FILE_SYNC, err); /* never half a file */
    free(path);
    return ok;
}

static bool insert_row(struct publisher *p, const char *text, uint64_t generation, struct err *err)
{
    if (!p->conn || PQstatus(p->conn) != CONNECTION_OK) {
        PQfinish(p->conn);
        if (!(p->conn = pg_connect(p->conninfo, "lotuswall-publisher", err)))
            return false;
    }
    char gen[32];
    snprintf(gen, sizeof gen, "%llu", (unsigned long long)generation);
    const char *params[] = {gen, text};
    PGresult *res = PQexecParams(
        p->conn,
        "WITH ins AS (INSERT INTO lotuswall.exchange_documents (generation, document) "
        "VALUES ($1::bigint, $2::jsonb) RETURNING id) "
        "SELECT pg_notify('" LW_EXCHANGE_CHANNEL "', id::text) FROM ins",
        2, NULL, params, NULL, NULL, 0);
    bool ok = pg_result_ok(res, PGRES_TUPLES_OK, "exchange_documents", err);
    PQclear(res);
    return ok;
}

bool publisher_publish(struct publisher *p, json_t *doc, uint64_t generation, struct err *err)
{
    char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    bool ok = !p->dir || write_file(p, text, generation, err);
    if (ok && p->conninfo) {
        struct err derr;
        if (!insert_row(p, text, generation, &derr)) {
            if (strcmp(derr.msg, p->last_error) != 0)
                LOG(WARN, "publish: %s; will retry with the next document", derr.msg);
            snprintf(p->last_error, sizeof p->last_error, "%s", derr.msg);
        } else {
            p->last_error[0] = '\0';
        }
    }
    free(text);
    return ok;
}

void publisher_destroy(struct publisher *p)
{
    if (!p)
        return;
    PQfinish(p->conn);
    free(p->dir);
    free(p->conninfo);
    free(p);
}
