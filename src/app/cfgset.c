/* A wall's configuration set from the database (see cfgset.h). The thread
 * only reads the database and writes new folders; the render thread
 * decides what is shown, and commits or refuses a set. */
#include "app/cfgset.h"
#include "data/pg.h"
#include "util/file.h"
#include "util/hash.h"
#include "util/json.h"
#include "util/statedir.h"
#include "util/util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- a set's folder ------------------------------------------------------ */

static const struct {
    const char *kind, *sub;
} doc_dirs[] = {
    {"scene", "scenes"}, {"playlist", "scenes/playlists"}, {"rules", "rules"}, {"wall", "walls"},
};

char *cfgset_doc_path(const char *dir, const char *kind, const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(doc_dirs); i++)
        if (strcmp(doc_dirs[i].kind, kind) == 0)
            return xasprintf("%s/%s/%s.json", dir, doc_dirs[i].sub, name);
    return NULL;
}

/* mkdir -p of the folders of path under dir (which exists), owner only. */
static bool make_parents(const char *dir, const char *path, struct err *err)
{
    char *p = xstrdup(path);
    bool ok = true;
    for (char *s = p + strlen(dir) + 1; ok && (s = strchr(s, '/')); s++) {
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            ok = err_set(err, "%s: %s", p, strerror(errno));
        *s = '/';
    }
    free(p);
    return ok;
}

bool cfgset_write_doc(const char *dir, const char *kind, const char *name, const char *content,
                      struct err *err)
{
    if (!file_name_safe(name))
        return err_set(err, "\"%s\": not a safe document name", name);
    char *path = cfgset_doc_path(dir, kind, name);
    if (!path)
        return err_set(err, "%s: unknown kind \"%s\"", name, kind);
    bool ok = make_parents(dir, path, err) &&
              file_write(path, content, strlen(content), 0, err);
    free(path);
    return ok;
}

bool cfgset_write_docs(const char *dir, PGresult *res, struct err *err)
{
    int ck = PQfnumber(res, "kind"), cn = PQfnumber(res, "name"), cc = PQfnumber(res, "content");
    for (int r = 0; r < PQntuples(res); r++) {
        const char *kind = PQgetvalue(res, r, ck);
        if (strcmp(kind, "assignment") != 0 &&
            !cfgset_write_doc(dir, kind, PQgetvalue(res, r, cn), PQgetvalue(res, r, cc), err))
            return false;
    }
    return true;
}

char *cfgset_playlist_file(const char *dir, const char *home_scenes, const char *name)
{
    char *path = cfgset_doc_path(dir, "playlist", name);
    if (access(path, F_OK) == 0)
        return path;
    free(path);
    path = xasprintf("%s/playlists/%s.json", home_scenes, name);
    if (access(path, F_OK) == 0)
        return path;
    free(path);
    return NULL;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)ftw;
    if ((type == FTW_DP ? rmdir(path) : unlink(path)) != 0)
        LOG(WARN, "%s: cannot remove: %s", path, strerror(errno));
    return 0;
}

void cfgset_remove_tree(const char *dir)
{
    nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

void cfgset_free(struct cfgset *s)
{
    free(s->dir);
    free(s->scenes_dir);
    free(s->playlist);
    for (size_t i = 0; i < s->nparams; i++) {
        free(s->params[i].name);
        free(s->params[i].value);
    }
    free(s->params);
    *s = (struct cfgset){0};
}

bool cfgset_load(const char *dir, struct cfgset *s, struct err *err)
{
    *s = (struct cfgset){0};
    char *path = xasprintf("%s/assignment.json", dir);
    json_t *root = json_load_checked(path, NULL, err);
    json_t *pl = json_object_get(root, "playlist"), *params = json_object_get(root, "params");
    const char *id = json_string_value(json_object_get(root, "set"));
    bool ok = root != NULL;
    if (ok && (!json_is_string(pl) || !file_name_safe(json_string_value(pl))))
        ok = err_set(err, "%s: playlist: expected a playlist's name", path);
    if (ok && !json_is_object(params))
        ok = err_set(err, "%s: params: expected an object of name: value", path);
    if (ok) {
        s->dir = xstrdup(dir);
        s->scenes_dir = xasprintf("%s/scenes", dir);
        s->playlist = xstrdup(json_string_value(pl));
        snprintf(s->id, sizeof s->id, "%s", id ? id : "");
        s->params = xcalloc(json_object_size(params) + 1, sizeof *s->params);
        const char *key;
        json_t *v;
        json_object_foreach(params, key, v) {
            if (!json_is_string(v)) {
                ok = err_set(err, "%s: params.%s: expected a string", path, key);
                break;
            }
            s->params[s->nparams++] = (struct scene_param){xstrdup(key),
                                                           xstrdup(json_string_value(v))};
        }
    }
    if (!ok)
        cfgset_free(s);
    json_decref(root);
    free(path);
    return ok;
}

/* ---- the follower --------------------------------------------------------- */

struct cfgset_follower {
    char *conninfo, *wall;
    char *root;                  /* STATE/fleet-HASH: the sets, and `current` */
    void (*wake)(void *);
    void *wake_arg;
    pthread_t thread;
    int stop_pipe[2];
    pthread_mutex_t lock;        /* guards answered, staged, connected */
    pthread_cond_t cond;         /* answered */
    bool answered, connected;
    char *staged;                /* a set's folder not yet taken, or NULL */
    uint64_t offered;            /* thread only: the last set written */
    PGconn *conn;                /* thread only */
};

/* One statement, one snapshot: the assignment's row first (kind
 * "assignment", its playlist as name, its parameters as content), then the
 * latest version of every scene and of the assigned playlist. */
static const char fetch_sql[] =
    "SELECT 'assignment' AS kind, a.playlist AS name, 0 AS version, a.params::text AS content, "
    "'' AS hash FROM lotuswall.wall_assignments a WHERE a.wall = $1 "
    "UNION ALL SELECT * FROM (SELECT DISTINCT ON (d.kind, d.name) d.kind, d.name, d.version, "
    "d.content, d.hash FROM lotuswall.config_documents d WHERE d.kind = 'scene' OR "
    "(d.kind = 'playlist' AND d.name = (SELECT playlist FROM lotuswall.wall_assignments "
    "WHERE wall = $1)) ORDER BY d.kind, d.name, d.version DESC) latest";

static void answered(struct cfgset_follower *f, bool connected)
{
    pthread_mutex_lock(&f->lock);
    f->answered = true;
    f->connected = connected;
    pthread_cond_broadcast(&f->cond);
    pthread_mutex_unlock(&f->lock);
}

/* The set's hash: what the database said, in its order. */
static uint64_t set_hash(PGresult *res)
{
    uint64_t h = HASH_FNV_BASIS;
    for (int r = 0; r < PQntuples(res); r++)
        for (int c = 0; c < PQnfields(res); c++)
            h = hash_mix(hash_str(h, c == 3 && r > 0 ? "" : PQgetvalue(res, r, c)), 0x1e);
    return h; /* a document's content counts by its sha256 (column 4) */
}

/* Writes the answer as a new folder root/set-ID (through a temporary
 * folder, so no half set is ever seen). The folder's path, or NULL. */
static char *write_set(struct cfgset_follower *f, PGresult *res, uint64_t h, struct err *err)
{
    char id[17];
    snprintf(id, sizeof id, "%016llx", (unsigned long long)h);
    char *dir = xasprintf("%s/set-%s", f->root, id);
    struct stat st;
    if (lstat(dir, &st) == 0)
        return dir; /* shown before (the last good one after a restart) */
    char *tmp = xasprintf("%s/.new-XXXXXX", f->root);
    bool ok = mkdtemp(tmp) != NULL || err_set(err, "%s: %s", tmp, strerror(errno));
    ok = ok && cfgset_write_docs(tmp, res, err);
    if (ok) {
        json_t *params = json_loads(PQgetvalue(res, 0, 3), 0, NULL);
        json_t *doc = json_pack("{s:s, s:s, s:s, s:o}", "wall", f->wall, "playlist",
                                PQgetvalue(res, 0, 1), "set", id, "params",
                                params ? params : json_object());
        char *path = xasprintf("%s/assignment.json", tmp);
        ok = json_write_file(doc, path, JSON_INDENT(1), FILE_SYNC, err);
        free(path);
        json_decref(doc);
    }
    if (ok && rename(tmp, dir) != 0)
        ok = err_set(err, "%s: %s", dir, strerror(errno));
    if (!ok) {
        cfgset_remove_tree(tmp);
        free(dir);
        dir = NULL;
    }
    free(tmp);
    return dir;
}

/* Asks the database; a new set is written and offered. False when the
 * connection failed. */
static bool fetch(struct cfgset_follower *f)
{
    const char *params[] = {f->wall};
    PGresult *res = PQexecParams(f->conn, fetch_sql, 1, NULL, params, NULL, NULL, 0);
    struct err err;
    bool ok = pg_result_ok(res, PGRES_TUPLES_OK, "configuration", &err);
    bool assigned = ok && PQntuples(res) > 0 && strcmp(PQgetvalue(res, 0, 0), "assignment") == 0;
    uint64_t h = ok ? set_hash(res) : 0;
    if (!ok)
        LOG(WARN, "%s", err.msg);
    else if (!assigned && f->offered != 1)
        LOG(WARN, "wall %s: no assignment in lotuswall.wall_assignments; showing what it shows",
            f->wall);
    if (ok && assigned && h != f->offered) {
        char *dir = write_set(f, res, h, &err);
        if (!dir)
            LOG(ERROR, "configuration set: %s", err.msg);
        pthread_mutex_lock(&f->lock);
        free(f->staged);
        f->staged = dir;
        pthread_mutex_unlock(&f->lock);
        if (dir && f->wake)
            f->wake(f->wake_arg);
    }
    if (ok)
        f->offered = assigned ? h : 1;
    PQclear(res);
    return ok && PQstatus(f->conn) == CONNECTION_OK;
}

static bool connect_listen(struct cfgset_follower *f, struct err *err)
{
    if (!(f->conn = pg_connect(f->conninfo, "lotuswall-config", err)))
        return false;
    if (pg_command(f->conn, "SET statement_timeout = 5000; LISTEN " CFGSET_CHANNEL, "LISTEN",
                   err))
        return true;
    PQfinish(f->conn);
    f->conn = NULL;
    return false;
}

/* Sleeps until a NOTIFY, the timeout or the stop; false when stopping. */
static bool wait_notify(struct cfgset_follower *f, int timeout_ms)
{
    struct pollfd fds[2] = {{.fd = f->stop_pipe[0], .events = POLLIN},
                            {.fd = f->conn ? PQsocket(f->conn) : -1, .events = POLLIN}};
    poll(fds, 2, timeout_ms);
    if (fds[0].revents)
        return false;
    if (f->conn && (!PQconsumeInput(f->conn) || PQstatus(f->conn) != CONNECTION_OK)) {
        LOG(WARN, "configuration: the database connection is lost; the wall keeps its set");
        PQfinish(f->conn);
        f->conn = NULL;
    }
    PGnotify *n;
    while (f->conn && (n = PQnotifies(f->conn)))
        PQfreemem(n);
    return true;
}

static void *follow_main(void *arg)
{
    struct cfgset_follower *f = arg;
    int backoff = 0;
    char last[512] = "";
    for (;;) {
        struct err err;
        if (!f->conn && !connect_listen(f, &err)) {
            if (strcmp(last, err.msg) != 0)
                LOG(WARN, "configuration: %s; retrying", err.msg);
            snprintf(last, sizeof last, "%s", err.msg);
            answered(f, false);
            backoff = backoff ? (backoff * 2 > 2000 ? 2000 : backoff * 2) : 250;
            if (!wait_notify(f, backoff))
                break;
            continue;
        }
        backoff = 0;
        last[0] = '\0';
        if (!fetch(f)) {
            PQfinish(f->conn);
            f->conn = NULL;
        }
        answered(f, f->conn != NULL);
        /* a NOTIFY, or every minute anyway: a missed one is caught then */
        if (!wait_notify(f, 60000))
            break;
    }
    PQfinish(f->conn);
    f->conn = NULL;
    return NULL;
}

/* Every folder of root named prefix* goes but `keep` and the set the
 * thread offers now. */
static void remove_others(struct cfgset_follower *f, const char *prefix, const char *keep)
{
    char staged[64] = "";
    pthread_mutex_lock(&f->lock);
    if (f->staged)
        snprintf(staged, sizeof staged, "%s", strrchr(f->staged, '/') + 1);
    pthread_mutex_unlock(&f->lock);
    DIR *d = opendir(f->root);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) || strcmp(e->d_name, keep) == 0 ||
            strcmp(e->d_name, staged) == 0)
            continue;
        char *p = xasprintf("%s/%s", f->root, e->d_name);
        cfgset_remove_tree(p);
        free(p);
    }
    if (d)
        closedir(d);
}

/* STATE/fleet-HASH, HASH of the database and the wall's name: another
 * database's set is never shown. */
static char *state_root(const char *conninfo, const char *wall, struct err *err)
{
    char base[4096];
    const char *own;
    if (!userdir_base(USERDIR_STATE, base, sizeof base, &own, statedir_getenv, NULL, err))
        return NULL;
    uint64_t h = hash_str(hash_mix(hash_str(HASH_FNV_BASIS, conninfo), 0x1f), wall);
    char *sub = xasprintf("%s%sfleet-%016llx", own, *own ? "/" : "", (unsigned long long)h);
    char *dir = file_private_dir(base, sub, err);
    free(sub);
    return dir;
}

struct cfgset_follower *cfgset_follow(const char *conninfo, const char *wall,
                                      void (*wake)(void *), void *arg, struct err *err)
{
    char *root = state_root(conninfo, wall, err);
    if (!root)
        return NULL;
    struct cfgset_follower *f = xcalloc(1, sizeof *f);
    f->conninfo = xstrdup(conninfo);
    f->wall = xstrdup(wall);
    f->root = root;
    f->wake = wake, f->wake_arg = arg;
    pthread_mutex_init(&f->lock, NULL);
    pthread_cond_init(&f->cond, NULL);
    remove_others(f, ".new-", ""); /* half-written sets of a process that died */
    if (pipe(f->stop_pipe) != 0) {
        err_set(err, "cannot start the configuration thread: %s", strerror(errno));
        f->stop_pipe[0] = f->stop_pipe[1] = -1;
    } else if (pthread_create(&f->thread, NULL, follow_main, f) == 0) {
        return f;
    } else {
        err_set(err, "cannot start the configuration thread");
        close(f->stop_pipe[0]);
        close(f->stop_pipe[1]);
    }
    pthread_mutex_destroy(&f->lock);
    pthread_cond_destroy(&f->cond);
    free(f->conninfo);
    free(f->wall);
    free(f->root);
    free(f);
    return NULL;
}

void cfgset_wait_first(struct cfgset_follower *f, int timeout_ms)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += timeout_ms / 1000;
    t.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
    if (t.tv_nsec >= 1000000000)
        t.tv_sec++, t.tv_nsec -= 1000000000;
    pthread_mutex_lock(&f->lock);
    while (!f->answered)
        if (pthread_cond_timedwait(&f->cond, &f->lock, &t) != 0)
            break;
    pthread_mutex_unlock(&f->lock);
}

bool cfgset_connected(struct cfgset_follower *f)
{
    pthread_mutex_lock(&f->lock);
    bool c = f->connected;
    pthread_mutex_unlock(&f->lock);
    return c;
}

bool cfgset_take(struct cfgset_follower *f, struct cfgset *s, struct err *err)
{
    pthread_mutex_lock(&f->lock);
    char *dir = f->staged;
    f->staged = NULL;
    pthread_mutex_unlock(&f->lock);
    if (!dir)
        return err_set(err, "no new set");
    bool ok = cfgset_load(dir, s, err);
    if (!ok)
        cfgset_remove_tree(dir);
    free(dir);
    return ok;
}

bool cfgset_last_good(struct cfgset_follower *f, struct cfgset *s, struct err *err)
{
    char *cur = xasprintf("%s/current", f->root), target[PATH_MAX];
    ssize_t n = readlink(cur, target, sizeof target - 1);
    free(cur);
    if (n <= 0 || memchr(target, '/', (size_t)n))
        return err_set(err, "%s: no set shown before", f->root);
    target[n] = '\0';
    char *dir = xasprintf("%s/%s", f->root, target);
    bool ok = cfgset_load(dir, s, err);
    free(dir);
    return ok;
}

void cfgset_commit(struct cfgset_follower *f, const struct cfgset *s)
{
    const char *name = strrchr(s->dir, '/') + 1;
    char *tmp = xasprintf("%s/.current-new", f->root), *cur = xasprintf("%s/current", f->root);
    unlink(tmp);
    if (symlink(name, tmp) != 0 || rename(tmp, cur) != 0)
        LOG(ERROR, "%s: cannot keep the set shown: %s", cur, strerror(errno));
    else
        remove_others(f, "set-", name);
    int fd = open(f->root, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) { /* the new link survives a power cut */
        fsync(fd);
        close(fd);
    }
    free(tmp);
    free(cur);
}

void cfgset_refuse(struct cfgset_follower *f, const struct cfgset *s)
{
    char *cur = xasprintf("%s/current", f->root), target[PATH_MAX];
    ssize_t n = readlink(cur, target, sizeof target - 1);
    target[n > 0 ? n : 0] = '\0';
    if (strcmp(target, strrchr(s->dir, '/') + 1) != 0)
        cfgset_remove_tree(s->dir);
    free(cur);
}

void cfgset_stop(struct cfgset_follower *f)
{
    if (!f)
        return;
    close(f->stop_pipe[1]); /* wakes the poll() */
    pthread_join(f->thread, NULL);
    close(f->stop_pipe[0]);
    pthread_mutex_destroy(&f->lock);
    pthread_cond_destroy(&f->cond);
    free(f->staged);
    free(f->conninfo);
    free(f->wall);
    free(f->root);
    free(f);
}
