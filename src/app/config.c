/* `lotuswall config`: the fleet's configuration in the database (issue 15,
 * docs/operations.md "A fleet of walls"). Documents are pushed validated
 * exactly as `check` validates them (cli_check_file, with the database's
 * latest documents and the pushed ones as the first scene folder), all in
 * one transaction or none; assignments say which wall shows which playlist
 * with which parameters. Walls follow both (src/app/cfgset.h). */
#include "app/cfgset.h"
#include "app/cli.h"
#include "data/pg.h"
#include "data/store.h"
#include "util/file.h"
#include "util/texttable.h"
#include "util/util.h"
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* pg_advisory_xact_lock key of a push: "lotuscfg" as a big-endian int64 */
#define PUSH_LOCK "7813591926309873255"

static const char latest_sql[] =
    "SELECT DISTINCT ON (kind, name) kind, name, version, content, hash "
    "FROM lotuswall.config_documents ORDER BY kind, name, version DESC";

/* A query's rows as a JSON array of objects, every value a string (or null). */
static json_t *rows_json(PGresult *res)
{
    json_t *rows = json_array();
    for (int r = 0; r < PQntuples(res); r++) {
        json_t *row = json_object();
        for (int c = 0; c < PQnfields(res); c++)
            json_object_set_new(row, PQfname(res, c),
                                PQgetisnull(res, r, c) ? json_null()
                                                       : json_string(PQgetvalue(res, r, c)));
        json_array_append_new(rows, row);
    }
    return rows;
}

/* A query's rows as a table whose columns line up, its field names on top. */
static void print_rows(PGresult *res)
{
    int nr = PQntuples(res), nc = PQnfields(res);
    const char **cells = xcalloc((size_t)(nr + 1) * (size_t)nc, sizeof *cells);
    for (int c = 0; c < nc; c++)
        cells[c] = PQfname(res, c);
    for (int r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++)
            cells[(r + 1) * nc + c] = PQgetvalue(res, r, c);
    text_table_print(stdout, cells, (size_t)nr + 1, (size_t)nc, NULL);
    free(cells);
}

static void print_json(json_t *v)
{
    json_dumpf(v, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(v);
}

static PGresult *query(PGconn *conn, const char *sql, int n, const char *const *params,
                       const char *what, struct err *err)
{
    PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    if (pg_result_ok(res, PGRES_TUPLES_OK, what, err))
        return res;
    PQclear(res);
    return NULL;
}

/* "scenes/gdp.json" → "gdp": the name a document takes (and a playlist or a
 * drill names it by). NULL + *err when it is no safe name. Caller frees. */
static char *doc_name(const char *path, struct err *err)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".json") == 0)
        n -= 5;
    char *name = xstrndup(base, n);
    if (!file_name_safe(name) || n == strlen(base)) {
        err_set(err, "%s: expected a FILE.json whose name is 1 to 128 letters, digits, '_', "
                "'-' and '.'", path);
        free(name);
        return NULL;
    }
    return name;
}

/* The pushed files, each with its kind, name and content. */
struct pushed {
    const char *path;
    char *kind, *name, *content;
    bool bad;               /* refused before the check (its message printed) */
};

static void pushed_free(struct pushed *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(p[i].kind), free(p[i].name), free(p[i].content);
    free(p);
}

/* Reads the files and lays them over the database's latest documents in
 * dir; a file that cannot be (unreadable, of no kind, twice) is marked bad
 * after printing why. */
static void stage_files(char **files, size_t n, struct pushed *p, const char *dir)
{
    for (size_t i = 0; i < n; i++) {
        struct err err;
        size_t len;
        p[i].path = files[i];
        bool good = (p[i].name = doc_name(files[i], &err)) &&
                    (p[i].kind = cli_file_kind(files[i], &err)) &&
                    (p[i].content = file_read(files[i], FILE_MAX_CONFIG, &len, &err)) &&
                    cfgset_write_doc(dir, p[i].kind, p[i].name, p[i].content, &err);
        for (size_t k = 0; good && k < i; k++)
            if (p[k].kind && strcmp(p[k].kind, p[i].kind) == 0 &&
                strcmp(p[k].name, p[i].name) == 0)
                good = err_set(&err, "%s: %s %s is pushed twice (also as %s)", files[i],
                               p[i].kind, p[i].name, p[k].path);
        if (!good)
            fprintf(stderr, "%s\n", err.msg);
        p[i].bad = !good;
    }
}

/* Writes the database's latest documents into a new private folder; its
 * path (remove it with cfgset_remove_tree), or NULL + *err. */
static char *latest_dir(PGconn *conn, PGresult **latest, struct err *err)
{
    char tmpl[] = "/tmp/lotuswall-config-XXXXXX";
    if (!mkdtemp(tmpl)) {
        err_set(err, "%s: %s", tmpl, strerror(errno));
        return NULL;
    }
    *latest = query(conn, latest_sql, 0, NULL, "the latest documents", err);
    if (!*latest || !cfgset_write_docs(tmpl, *latest, err)) {
        PQclear(*latest);
        *latest = NULL;
        cfgset_remove_tree(tmpl);
        return NULL;
    }
    return xstrdup(tmpl);
}

/* The latest content of kind/name in res, or NULL. */
static const char *latest_of(PGresult *res, const char *kind, const char *name, int *version)
{
    for (int r = 0; r < PQntuples(res); r++)
        if (strcmp(PQgetvalue(res, r, 0), kind) == 0 && strcmp(PQgetvalue(res, r, 1), name) == 0) {
            *version = atoi(PQgetvalue(res, r, 2));
            return PQgetvalue(res, r, 3);
        }
    *version = 0;
    return NULL;
}

/* Inserts each changed document as its next version; prints what it did. */
static bool insert_all(PGconn *conn, PGresult *latest, const struct pushed *p, size_t n,
                       struct err *err)
{
    for (size_t i = 0; i < n; i++) {
        int v;
        const char *old = latest_of(latest, p[i].kind, p[i].name, &v);
        if (old && strcmp(old, p[i].content) == 0) {
            printf("%s: unchanged (%s %s, version %d)\n", p[i].path, p[i].kind, p[i].name, v);
            continue;
        }
        char version[16];
        snprintf(version, sizeof version, "%d", v + 1);
        const char *params[] = {p[i].kind, p[i].name, version, p[i].content};
        PGresult *res = query(conn, "INSERT INTO lotuswall.config_documents (kind, name, "
                              "version, content) VALUES ($1, $2, $3, $4) RETURNING hash",
                              4, params, p[i].path, err);
        if (!res)
            return false;
        printf("%s: pushed %s %s, version %s (%.12s)\n", p[i].path, p[i].kind, p[i].name,
               version, PQgetvalue(res, 0, 0));
        PQclear(res);
    }
    return true;
}

/* `config push FILE...`: all or nothing, in one transaction. */
static int push(struct opts *o, PGconn *conn, char **files, size_t n)
{
    struct err err;
    PGresult *latest = NULL;
    PGresult *lock = pg_command(conn, "BEGIN", NULL, &err)
                         ? query(conn, "SELECT pg_advisory_xact_lock(" PUSH_LOCK ")", 0, NULL,
                                 "push lock", &err)
                         : NULL;
    PQclear(lock);
    if (!lock) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        return 1;
    }
    char *dir = latest_dir(conn, &latest, &err);
    if (!dir) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        return 1;
    }
    struct pushed *p = xcalloc(n, sizeof *p);
    stage_files(files, n, p, dir);
    /* as `check` checks, with the database's scenes and the pushed ones
     * first: a playlist may name a scene pushed with it */
    const char *etc = o->app.scene_dirs[0];
    char *scenes = xasprintf("%s/scenes", dir);
    o->app.scene_dirs[0] = scenes;
    bool ok = true;
    for (size_t i = 0; i < n; i++) /* every file: check reports every one */
        ok &= !p[i].bad && cli_check_file(&o->app, files[i]);
    o->app.scene_dirs[0] = etc;
    int rc = 1;
    fflush(stdout); /* the checks' "ok" lines before the verdict */
    if (!ok)
        fprintf(stderr, "lotuswall config push: nothing pushed\n");
    else if (!insert_all(conn, latest, p, n, &err) || !pg_command(conn, "COMMIT", NULL, &err))
        fprintf(stderr, "lotuswall: %s (nothing pushed)\n", err.msg);
    else
        rc = 0;
    if (rc)
        PQclear(PQexec(conn, "ROLLBACK"));
    free(scenes);
    pushed_free(p, n);
    PQclear(latest);
    cfgset_remove_tree(dir);
    free(dir);
    return rc;
}

/* "playlist/county" → kind "playlist", name "county"; "county" → any kind. */
static void split_name(const char *arg, char *kind, size_t klen, const char **name)
{
    const char *slash = strchr(arg, '/');
    snprintf(kind, klen, "%.*s", slash ? (int)(slash - arg) : 0, arg);
    *name = slash ? slash + 1 : arg;
}

/* `config pull NAME[@VERSION] [--out FILE]`: the document as pushed. */
static int pull(struct opts *o, PGconn *conn, const char *arg)
{
    char kind[32], *copy = xstrdup(arg), *at = strrchr(copy, '@');
    const char *name;
    if (at)
        *at++ = '\0';
    split_name(copy, kind, sizeof kind, &name);
    const char *params[] = {name, kind, at ? at : ""};
    struct err err;
    PGresult *res = query(conn,
                          "SELECT DISTINCT ON (kind) kind, version, content FROM "
                          "lotuswall.config_documents WHERE name = $1 AND ($2 = '' OR kind = $2) "
                          "AND ($3 = '' OR version::text = $3) ORDER BY kind, version DESC",
                          3, params, "pull", &err);
    int rc = 1;
    if (!res) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
    } else if (PQntuples(res) == 0) {
        fprintf(stderr, "lotuswall config pull: %s: no such document (lotuswall config list)\n",
                arg);
    } else if (PQntuples(res) > 1) {
        fprintf(stderr, "lotuswall config pull: %s: a %s and a %s have that name: say which, "
                "e.g. %s/%s\n", arg, PQgetvalue(res, 0, 0), PQgetvalue(res, 1, 0),
                PQgetvalue(res, 0, 0), name);
    } else {
        const char *content = PQgetvalue(res, 0, 2);
        if (!o->out) {
            fputs(content, stdout);
            rc = 0;
        } else if (file_write(o->out, content, strlen(content), 0, &err)) {
            fprintf(stderr, "lotuswall: %s: %s %s, version %s\n", o->out, PQgetvalue(res, 0, 0),
                    name, PQgetvalue(res, 0, 1));
            rc = 0;
        } else {
            fprintf(stderr, "lotuswall: %s\n", err.msg);
        }
    }
    PQclear(res);
    free(copy);
    return rc;
}

/* `config list` and `config history NAME`: rows as a table or JSON. */
static int listing(struct opts *o, PGconn *conn, const char *what, const char *arg)
{
    static const char list_sql[] =
        "SELECT DISTINCT ON (kind, name) kind, name, version, left(hash, 12) AS hash, author, "
        "to_char(created_at, 'YYYY-MM-DD HH24:MI:SS') AS pushed FROM lotuswall.config_documents "
        "ORDER BY kind, name, version DESC";
    static const char assignments_sql[] =
        "SELECT wall, playlist, params::text AS params, author, to_char(changed_at, "
        "'YYYY-MM-DD HH24:MI:SS') AS changed FROM lotuswall.wall_assignments ORDER BY wall";
    static const char history_sql[] =
        "SELECT kind, name, version, left(hash, 12) AS hash, octet_length(content) AS bytes, "
        "author, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS') AS pushed FROM "
        "lotuswall.config_documents WHERE name = $1 AND ($2 = '' OR kind = $2) "
        "ORDER BY kind, version DESC";
    struct err err;
    char kind[32];
    const char *name = NULL;
    if (arg)
        split_name(arg, kind, sizeof kind, &name);
    const char *params[] = {name, kind};
    bool history = strcmp(what, "history") == 0;
    PGresult *res = query(conn, history ? history_sql : list_sql, history ? 2 : 0, params,
                          what, &err);
    PGresult *as = res && !history ? query(conn, assignments_sql, 0, NULL, what, &err) : NULL;
    int rc = 1;
    if (!res || (!history && !as))
        fprintf(stderr, "lotuswall: %s\n", err.msg);
    else if (history && PQntuples(res) == 0)
        fprintf(stderr, "lotuswall config history: %s: no such document\n", arg);
    else
        rc = 0;
    if (rc == 0 && o->json && history) {
        print_json(rows_json(res));
    } else if (rc == 0 && o->json) {
        print_json(json_pack("{s:o, s:o}", "documents", rows_json(res), "assignments",
                             rows_json(as)));
    } else if (rc == 0) {
        print_rows(res);
        if (as) {
            printf("\n");
            print_rows(as);
        }
    }
    PQclear(res);
    PQclear(as);
    return rc;
}

/* The playlist and its scenes load (from the database's documents, then
 * the shipped files) and every parameter is one they declare, a region
 * parameter a region: as the wall checks a set before it shows it. */
static bool check_assignment(struct app *app, const char *playlist, const struct scene_param *ps,
                             size_t np, struct err *err)
{
    struct playlist *pl = playlist_load(playlist, app->scene_dirs, 2, err);
    if (!pl)
        return false;
    size_t n = pl->nentries + (pl->alert_scene != NULL);
    struct scene **scenes = xcalloc(n + 1, sizeof *scenes);
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++)
        ok = (scenes[i] = app_load_scene(app, i < pl->nentries ? pl->entries[i].scene
                                                               : pl->alert_scene, err)) != NULL;
    ok = ok && app_check_param_list(app, ps, np, "--param", scenes, n, err);
    for (size_t i = 0; i < n; i++)
        scene_destroy(scenes[i]);
    free(scenes);
    playlist_destroy(pl);
    return ok;
}

/* `config assign WALL PLAYLIST [--param NAME=VALUE...]`, checked first. */
static int assign(struct opts *o, PGconn *conn, const char *wall, const char *playlist)
{
    struct err err;
    PGresult *latest = NULL;
    char *dir = file_name_safe(playlist) ? latest_dir(conn, &latest, &err) : NULL;
    if (!dir) {
        fprintf(stderr, "lotuswall: %s\n", file_name_safe(playlist) ? err.msg
                                                                     : "expected a playlist's name");
        return 1;
    }
    /* the parameters are the assignment's, not overrides of the check */
    struct scene_param ps[ARRAY_LEN(o->app.params)];
    size_t np = o->app.nparams;
    memcpy(ps, o->app.params, sizeof ps);
    o->app.nparams = 0;
    const char *etc = o->app.scene_dirs[0];
    char *scenes = xasprintf("%s/scenes", dir), *file = cfgset_playlist_file(dir, o->app.scene_dirs[1], playlist);
    o->app.scene_dirs[0] = scenes;
    bool ok = file ? check_assignment(&o->app, file, ps, np, &err)
                   : err_set(&err, "%s: no such playlist (neither pushed nor shipped)", playlist);
    o->app.scene_dirs[0] = etc;
    json_t *obj = json_object();
    for (size_t i = 0; i < np; i++)
        json_object_set_new(obj, ps[i].name, json_string(ps[i].value));
    char *params = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
    const char *args[] = {wall, playlist, params};
    PGresult *res = ok ? query(conn, "INSERT INTO lotuswall.wall_assignments (wall, playlist, "
                               "params) VALUES ($1, $2, $3::jsonb) ON CONFLICT (wall) DO UPDATE "
                               "SET playlist = EXCLUDED.playlist, params = EXCLUDED.params "
                               "RETURNING wall", 3, args, "assign", &err)
                       : NULL;
    if (res)
        printf("wall %s: playlist %s, params %s\n", wall, playlist, params);
    else
        fprintf(stderr, "lotuswall config assign: %s\n", err.msg);
    PQclear(res);
    free(params);
    json_decref(obj);
    free(file);
    free(scenes);
    PQclear(latest);
    cfgset_remove_tree(dir);
    free(dir);
    return res ? 0 : 1;
}

static int unassign(PGconn *conn, const char *wall)
{
    struct err err;
    const char *args[] = {wall};
    PGresult *res = query(conn, "DELETE FROM lotuswall.wall_assignments WHERE wall = $1 "
                          "RETURNING playlist", 1, args, "unassign", &err);
    int rc = res && PQntuples(res) == 1 ? 0 : 1;
    if (!res)
        fprintf(stderr, "lotuswall: %s\n", err.msg);
    else if (rc)
        fprintf(stderr, "lotuswall config unassign: %s: no such wall assigned\n", wall);
    else
        printf("wall %s: no assignment (it showed %s)\n", wall, PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

static int usage(void)
{
    fprintf(stderr, "usage: lotuswall config push FILE... --db CONNINFO\n"
                    "       lotuswall config list|history NAME [--json] --db CONNINFO\n"
                    "       lotuswall config pull NAME[@VERSION] [--out FILE] --db CONNINFO\n"
                    "       lotuswall config assign WALL PLAYLIST [--param NAME=VALUE...] "
                    "--db CONNINFO\n"
                    "       lotuswall config unassign WALL --db CONNINFO\n");
    return 2;
}

int cmd_config(struct opts *o, int argc, char **argv)
{
    const char *verb = argc > 0 ? argv[0] : "";
    int nargs = argc - 1;
    bool fits = (!strcmp(verb, "push") && nargs >= 1) || (!strcmp(verb, "list") && nargs == 0) ||
                ((!strcmp(verb, "pull") || !strcmp(verb, "history") ||
                  !strcmp(verb, "unassign")) && nargs == 1) ||
                (!strcmp(verb, "assign") && nargs == 2);
    if (!fits || !o->app.db)
        return usage();
    if ((o->app.nparams && strcmp(verb, "assign")) || (o->out && strcmp(verb, "pull"))) {
        fprintf(stderr, "lotuswall config %s: --param goes with assign, --out with pull\n", verb);
        return 2;
    }
    const char *db = o->app.db;
    if (!cli_open_app_checks(o))
        return 1;
    struct err err;
    PGconn *conn = pg_connect(db, "lotuswall-config", &err);
    int rc = 1;
    if (!conn)
        fprintf(stderr, "lotuswall: %s\n", err.msg);
    else if (!strcmp(verb, "push"))
        rc = push(o, conn, argv + 1, (size_t)nargs);
    else if (!strcmp(verb, "pull"))
        rc = pull(o, conn, argv[1]);
    else if (!strcmp(verb, "assign"))
        rc = assign(o, conn, argv[1], argv[2]);
    else if (!strcmp(verb, "unassign"))
        rc = unassign(conn, argv[1]);
    else
        rc = listing(o, conn, verb, nargs ? argv[1] : NULL);
    PQfinish(conn);
    app_close(&o->app);
    return rc;
}
