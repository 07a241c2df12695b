/* The audit trail: JSON lines appended to a file of mode 0600, or rows of
 * lotuswall_auth.audit, whose time and database login the server fills
 * (the console's role may insert the other columns only). */
#include "auth/auth.h"
#include "data/pg.h"
#include "util/file.h"
#include "util/statedir.h"
#include "util/util.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct audit {
    pthread_mutex_t lock; /* guards the connection and the order of lines in the file */
    char *conninfo;       /* with --db, else NULL */
    struct pg_kept kept;  /* made at the first entry: a wall starts without its database */
    int fd;               /* the file, O_APPEND; -1 with --db */
    char *path;
};

#define ISO_UTC "%Y-%m-%dT%H:%M:%SZ"
#define SQL_ISO_UTC "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

bool audit_default_path(char *out, size_t len, struct err *err)
{
    char base[4096];
    const char *own;
    if (!userdir_base(USERDIR_STATE, base, sizeof base, &own, statedir_getenv, NULL, err))
        return false;
    /* the state folder, made owner-only where missing (as the screenshots') */
    char *dir = *own ? file_private_dir(base, own, err) : xstrdup(base);
    if (!dir)
        return false;
    bool ok = snprintf(out, len, "%s/audit.jsonl", dir) < (int)len ||
              err_set(err, "%s/audit.jsonl: path too long", dir);
    free(dir);
    return ok;
}

struct audit *audit_open(const char *file, const char *conninfo, struct err *err)
{
    char def[4096];
    if (!conninfo && !file) {
        if (!audit_default_path(def, sizeof def, err))
            return NULL;
        file = def;
    }
    struct audit *au = xcalloc(1, sizeof *au);
    au->fd = -1;
    pthread_mutex_init(&au->lock, NULL);
    if (conninfo) {
        au->conninfo = xstrdup(conninfo);
        au->kept = (struct pg_kept){au->conninfo, "lotuswall-audit", NULL};
    } else {
        au->path = xstrdup(file);
        au->fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (au->fd < 0)
            err_set(err, "%s: %s", file, strerror(errno));
    }
    if (!au->conninfo && au->fd < 0) {
        audit_close(au);
        return NULL;
    }
    return au;
}

void audit_close(struct audit *au)
{
    if (!au)
        return;
    pg_kept_close(&au->kept);
    free(au->conninfo);
    if (au->fd >= 0)
        close(au->fd);
    pthread_mutex_destroy(&au->lock);
    free(au->path);
    free(au);
}

static bool write_db(struct audit *au, const struct audit_entry *e, struct err *err)
{
    const char *p[5] = {e->who, e->addr, e->what, e->target, e->result};
    PGresult *res = pg_exec_kept(&au->kept, "INSERT INTO lotuswall_auth.audit (who, addr, what, "
                                            "target, result) VALUES ($1, $2, $3, $4, $5)",
                                 5, p, err);
    if (!res)
        return err_prefix(err, "audit");
    bool ok = pg_result_ok(res, PGRES_COMMAND_OK, "audit", err);
    PQclear(res);
    return ok;
}

static bool write_file(struct audit *au, const struct audit_entry *e, struct err *err)
{
    char at[32];
    time_t t = time(NULL);
    struct tm tm;
    strftime(at, sizeof at, ISO_UTC, gmtime_r(&t, &tm));
    json_t *line = json_pack("{s:s, s:s?, s:s?, s:s, s:s?, s:s}", "at", at, "who", e->who, "addr",
                             e->addr, "what", e->what, "target", e->target, "result", e->result);
    char *text = line ? json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(line);
    if (!text)
        return err_set(err, "%s: an entry that is not UTF-8 text", au->path);
    char *buf = xasprintf("%s\n", text);
    free(text);
    size_t len = strlen(buf);
    /* one write() of a whole line: O_APPEND keeps lines whole and in order */
    bool ok = write(au->fd, buf, len) == (ssize_t)len ||
              err_set(err, "%s: %s", au->path, strerror(errno));
    free(buf);
    return ok;
}

bool audit_write(struct audit *au, const struct audit_entry *e, struct err *err)
{
    if (!e->what || !e->result)
        return err_set(err, "audit: an entry needs what and result");
    pthread_mutex_lock(&au->lock);
    bool ok = au->conninfo ? write_db(au, e, err) : write_file(au, e, err);
    pthread_mutex_unlock(&au->lock);
    return ok;
}

/* ---- reading ------------------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static void add_record(struct audit_record **r, size_t *n, const char *at,
                       const char *const f[6])
{
    *r = xrealloc(*r, (*n + 1) * sizeof **r);
    struct audit_record *x = &(*r)[(*n)++];
    snprintf(x->at, sizeof x->at, "%s", at);
    x->who = dup_or_null(f[0]), x->addr = dup_or_null(f[1]), x->what = xstrdup(f[2] ? f[2] : "");
    x->target = dup_or_null(f[3]), x->result = xstrdup(f[4] ? f[4] : "");
    x->db_login = dup_or_null(f[5]);
}

static bool read_db(const char *conninfo, int64_t since, struct audit_record **r, size_t *n,
                    struct err *err)
{
    PGconn *conn = pg_connect(conninfo, "lotuswall-audit", err);
    if (!conn)
        return false;
    char s[32];
    snprintf(s, sizeof s, "%lld", (long long)since);
    const char *p[1] = {s};
    PGresult *res = PQexecParams(conn, "SELECT " SQL_ISO_UTC ", who, addr, what, target, result, "
                                       "db_login FROM lotuswall_auth.audit WHERE at >= "
                                       "to_timestamp($1) ORDER BY at, id",
                                 1, NULL, p, NULL, NULL, 0);
    bool ok = pg_result_ok(res, PGRES_TUPLES_OK, "audit", err);
    for (int i = 0; ok && i < PQntuples(res); i++) {
        const char *f[6];
        for (int k = 0; k < 6; k++)
            f[k] = PQgetisnull(res, i, k + 1) ? NULL : PQgetvalue(res, i, k + 1);
        add_record(r, n, PQgetvalue(res, i, 0), f);
    }
    PQclear(res);
    PQfinish(conn);
    return ok;
}

static bool read_file(const char *path, int64_t since, struct audit_record **r, size_t *n,
                      struct err *err)
{
    size_t len;
    char *data = file_read(path, FILE_MAX_DATA, &len, err), *save = NULL;
    if (!data)
        return false;
    int line = 0;
    bool ok = true;
    for (char *l = strtok_r(data, "\n", &save); ok && l; l = strtok_r(NULL, "\n", &save)) {
        line++;
        json_error_t je;
        json_t *o = json_loads(l, 0, &je);
        const char *at = json_string_value(json_object_get(o, "at"));
        struct tm tm = {0};
        const char *end = at ? strptime(at, ISO_UTC, &tm) : NULL;
        if (!end || *end) {
            ok = err_set(err, "%s:%d: expected an audit record with \"at\"", path, line);
        } else if (timegm(&tm) >= since) {
            static const char *const keys[6] = {"who", "addr", "what", "target", "result",
                                                "db_login"};
            const char *f[6];
            for (int k = 0; k < 6; k++)
                f[k] = json_string_value(json_object_get(o, keys[k]));
            add_record(r, n, at, f);
        }
        json_decref(o);
    }
    free(data);
    return ok;
}

bool audit_read(const char *file, const char *conninfo, int64_t since,
                struct audit_record **out, size_t *n, struct err *err)
{
    char def[4096];
    *out = NULL;
    *n = 0;
    if (!conninfo && !file) {
        if (!audit_default_path(def, sizeof def, err))
            return false;
        file = def;
    }
    bool ok = conninfo ? read_db(conninfo, since, out, n, err)
                       : read_file(file, since, out, n, err);
    if (!ok) {
        audit_records_free(*out, *n);
        *out = NULL, *n = 0;
    }
    return ok;
}

void audit_records_free(struct audit_record *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].who), free(r[i].addr), free(r[i].what);
        free(r[i].target), free(r[i].result), free(r[i].db_login);
    }
    free(r);
}
