#include "app/app.h"
#include "data/pg.h"
#include "data/names.h"
#include "warn/eval.h"
#include "warn/publish.h"
#include "util/file.h"
#include "util/paths.h"
#include "util/statedir.h"
#include "util/util.h"
#include "widgets/widget.h"
#include <limits.h>
#include <pthread.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void app_timezone(void)
{
    const char *tz = getenv("LOTUSWALL_TZ");
    setenv("TZ", tz && *tz ? tz : "Asia/Shanghai", 1);
    tzset();
}

void app_environment(void)
{
    app_timezone();
    if (!getenv("LOTUSWALL_SYSTEM_FONTS")) {
        /* the home is absolute: fontconfig would resolve a relative
         * FONTCONFIG_FILE against /etc/fonts */
        char *conf = paths_in_home("fonts/fonts.conf");
        if (access(conf, R_OK) == 0)
            setenv("FONTCONFIG_FILE", conf, 1);
        else
            LOG(WARN, "%s: missing; the system's fonts are used", conf);
        free(conf);
    }
}

/* The demo's engine: the demo rules over the demo data, with a clock of
 * its own. At open it replays the three days before `now` hour by hour, so
 * warnings have fired, been urged and escalated; with --demo-replay the
 * wall moves it on (app_demo_step), swinging a few indicators so that
 * warnings fire, escalate and recover while the demo runs. */
struct demo_engine {
    struct rules *rules;
    struct warn_memo *memo;    /* the rules' query results, while their tables stay */
    char *rules_path;
    struct timespec rules_mtime; /* of the file the rules came from */
    struct warn_states *st;
    int64_t clock;             /* the engine's simulated time */
    struct table *base;        /* target_progress as loaded, to swing around */
    unsigned step;
    /* --demo-replay runs the engine on a thread of its own, never the
     * render thread; it only talks to the store (which has its lock) */
    pthread_t thread;
    bool running;
    pthread_mutex_t lock;      /* guards stop */
    pthread_cond_t cond;
    bool stop;
    pthread_mutex_t st_lock;   /* guards st, clock and step: the replay thread and
                                  the wall's operator keys both change them */
};

static void demo_eval(struct app *app, struct demo_engine *d)
{
    struct warn_snapshot snap;
    warn_snapshot_take(&snap, app->store, d->rules);
    struct warn_events ev = {0};
    if (!d->memo)
        d->memo = warn_memo_new(d->rules);
    struct warn_states *next = warn_eval_memo(d->rules, &snap, d->st, d->clock, &ev, d->memo);
    warn_events_finish(&ev);
    warn_snapshot_release(&snap);
    warn_states_destroy(d->st);
    d->st = next;
}

/* The tables the demo's rules read, and the one the replay swings. */
static bool demo_rule_sources(struct app *app, const struct rules *rules, struct err *err)
{
    const char **need = xcalloc(rules->nbindings + 1, sizeof *need);
    size_t n = 0;
    need[n++] = "target_progress";
    for (size_t i = 0; i < rules->nbindings; i++)
        need[n++] = rules->bindings[i]->source;
    bool ok = demo_load(app->store, app->catalog, app->data_dir, app->demo_now, need, n, err);
    free(need);
    return ok;
}

static void demo_warnings(struct app *app, int64_t now)
{
    char *path = paths_in_home("rules/demo.json");
    if (access(path, R_OK) != 0) {
        free(path);
        return;
    }
    struct err err;
    struct stat st;
    struct rules *rules = stat(path, &st) == 0 ? rules_load(path, app->catalog, &err) : NULL;
    if (!rules) {
        LOG(WARN, "demo warnings: %s", err.msg);
        free(path);
        return;
    }
    if (app->demo_lazy && !demo_rule_sources(app, rules, &err)) {
        LOG(WARN, "demo warnings: %s", err.msg);
        rules_destroy(rules);
        free(path);
        return;
    }
    struct demo_engine *d = xcalloc(1, sizeof *d);
    d->rules = rules;
    d->rules_path = path;
    d->rules_mtime = st.st_mtim;
    pthread_mutex_init(&d->st_lock, NULL);
    d->base = store_get(app->store, "target_progress");
    for (d->clock = now - 3 * 86400; d->clock <= now; d->clock += 3600)
        demo_eval(app, d);
    d->clock -= 3600;
    if (!warn_publish(app->store, app->catalog, rules, d->st, &err))
        LOG(WARN, "demo warnings: %s", err.msg);
    app->demo = d;
}

void app_demo_step(struct app *app, int hours)
{
    struct demo_engine *d = app->demo;
    if (!d || !d->base)
        return;
    pthread_mutex_lock(&d->st_lock);
    d->step++;
    d->clock += (int64_t)hours * 3600;
    /* industry completion swings ±4 points around its value, a district at a
     * time, so the behind-schedule warnings fire and recover */
    struct table *t = table_clone(d->base);
    int cc = table_col(t, "completion_pct"), ci = table_col(t, "indicator");
    for (size_t r = 0; cc >= 0 && ci >= 0 && r < t->nrows; r++) {
        const char *ind = table_text(t, r, (size_t)ci);
        if (!ind || strcmp(ind, "industry_va") || table_is_null(t, r, (size_t)cc))
            continue;
        double phase = (double)d->step / 8.0 + (double)r * 0.9;
        t->cols[cc].num[r] += 4 * sin(phase);
    }
    t->version = d->base->version + d->step;
    store_put(app->store, t);
    demo_eval(app, d);
    struct err err;
    if (!warn_publish(app->store, app->catalog, d->rules, d->st, &err))
        LOG(WARN, "demo replay: %s", err.msg);
    pthread_mutex_unlock(&d->st_lock);
}

const char *app_primary_db(const struct app *app)
{
    const char *n = app->db_notify;
    return n && strcmp(n, "none") != 0 ? n : app->db;
}

const char *app_demo_rules_path(const struct app *app)
{
    return app->demo ? app->demo->rules_path : NULL;
}

int app_demo_reload_rules(struct app *app, struct err *err)
{
    struct demo_engine *d = app->demo;
    struct stat st;
    if (!d || stat(d->rules_path, &st) != 0 ||
        (st.st_mtim.tv_sec == d->rules_mtime.tv_sec && st.st_mtim.tv_nsec == d->rules_mtime.tv_nsec))
        return 0;
    d->rules_mtime = st.st_mtim;
    struct rules *rules = rules_load(d->rules_path, app->catalog, err);
    if (!rules)
        return -1;
    pthread_mutex_lock(&d->st_lock);
    warn_memo_destroy(d->memo);
    d->memo = NULL;
    rules_destroy(d->rules);
    d->rules = rules; /* the states carry rule ids, not pointers: they go on */
    demo_eval(app, d);
    struct err perr;
    if (!warn_publish(app->store, app->catalog, d->rules, d->st, &perr))
        LOG(WARN, "demo warnings: %s", perr.msg);
    pthread_mutex_unlock(&d->st_lock);
    LOG(INFO, "rules %s: %zu rules", d->rules_path, rules->nrules);
    return 1;
}

bool app_demo_action(struct app *app, const char *warning, const char *action, const char *by,
                     const char *note, char *result, size_t len)
{
    struct demo_engine *d = app->demo;
    if (!d)
        return snprintf(result, len, "the demo has no warning rules"), false;
    pthread_mutex_lock(&d->st_lock);
    struct err err;
    char ok[128];
    bool good = warn_apply_action(d->st, d->rules, warning, action, by, note, d->clock, NULL, ok,
                                  sizeof ok, &err);
    if (good && !warn_publish(app->store, app->catalog, d->rules, d->st, &err))
        good = false;
    pthread_mutex_unlock(&d->st_lock);
    if (good)
        snprintf(result, len, "ok: %s（%s）", ok, by);
    else
        snprintf(result, len, "error: %s", err.msg);
    return good;
}

static void *demo_replay_main(void *arg)
{
    struct app *app = arg;
    struct demo_engine *d = app->demo;
    pthread_mutex_lock(&d->lock);
    while (!d->stop) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_sec += 1;
        pthread_cond_timedwait(&d->cond, &d->lock, &t);
        if (d->stop)
            break;
        pthread_mutex_unlock(&d->lock);
        app_demo_step(app, 1); /* a simulated hour a second */
        if (app->wake)
            app->wake(app->wake_arg);
        pthread_mutex_lock(&d->lock);
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

bool app_demo_replay_start(struct app *app)
{
    struct demo_engine *d = app->demo;
    if (!d || d->running)
        return d != NULL;
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->cond, NULL);
    d->running = pthread_create(&d->thread, NULL, demo_replay_main, app) == 0;
    return d->running;
}

void app_demo_replay_stop(struct app *app)
{
    struct demo_engine *d = app->demo;
    if (!d || !d->running)
        return;
    pthread_mutex_lock(&d->lock);
    d->stop = true;
    pthread_cond_signal(&d->cond);
    pthread_mutex_unlock(&d->lock);
    pthread_join(d->thread, NULL);
    pthread_mutex_destroy(&d->lock);
    pthread_cond_destroy(&d->cond);
    d->running = false;
    d->stop = false;
}

static void demo_engine_free(struct demo_engine *d)
{
    if (!d)
        return;
    warn_states_destroy(d->st);
    warn_memo_destroy(d->memo);
    rules_destroy(d->rules);
    free(d->rules_path);
    table_unref(d->base);
    pthread_mutex_destroy(&d->st_lock);
    free(d);
}

/* The report index (lotuswall report), so the warnings scene lists it:
 * $LOTUSWALL_REPORTS/reports.csv, or out/reports/reports.csv. Until a
 * report was made there, the demo source's own index (db/demo/reports.csv,
 * written by tools/gen_demo_reports.sh with `lotuswall report` on the demo
 * data and clock; its PDFs are not shipped), so the demo's 运行报告中心
 * shows reports and not 暂无数据. */
static void demo_reports(struct app *app)
{
    const char *dir = getenv("LOTUSWALL_REPORTS");
    char *path = xasprintf("%s/reports.csv", dir && *dir ? dir : "out/reports");
    if (access(path, R_OK) != 0) {
        free(path);
        path = xasprintf("%s/reports.csv", app->data_dir);
    }
    const struct catalog_table *def = catalog_find(app->catalog, "reports");
    struct err err;
    struct table *t = def && access(path, R_OK) == 0 ? demo_read_csv(def, path, &err) : NULL;
    if (!t && def) { /* no report yet: an empty list, not a missing source */
        t = catalog_table_new(def);
        t->version = 1;
    }
    if (t)
        store_put(app->store, t);
    free(path);
}

bool app_open(struct app *app, int64_t now, struct err *err)
{
    if (!app->data_dir)
        app->data_dir = getenv("LOTUSWALL_DATA");
    if (!app->data_dir)
        app->data_dir = app->owned_paths[0] = paths_in_home("db/demo");
    if (!app->catalog_path)
        app->catalog_path = app->owned_paths[1] = paths_in_home("db/catalog.json");
    app->scene_dirs[0] = app->owned_paths[2] = xasprintf("%s/scenes", paths_etc());
    app->scene_dirs[1] = app->owned_paths[3] = paths_in_home("scenes");
    app->catalog = catalog_load(app->catalog_path, err);
    if (!app->catalog)
        return false;
    app->store = store_new();
    if (app->db)
        return true; /* never demo data when a database was named */
    app->demo_now = now;
    static const char *const regions[] = {"regions"};
    if (app->demo_lazy) /* the scenes' loader asks for the regions' levels */
        return demo_load(app->store, app->catalog, app->data_dir, now, regions, 1, err);
    double t0 = now_ms();
    if (!demo_load(app->store, app->catalog, app->data_dir, now, NULL, 0, err))
        return false;
    double t1 = now_ms();
    demo_warnings(app, now);
    demo_reports(app);
    LOG(DEBUG, "demo data read in %.1f ms, its warnings replayed in %.1f ms", t1 - t0,
        now_ms() - t1);
    return true;
}

/* Adds the table a scene needs to need[], once. */
static void need_add(const char ***need, size_t *n, size_t *cap, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*need)[i], name) == 0)
            return;
    VEC_PUSH(*need, *n, *cap, name);
}

static bool made_by(const struct app *app, const char *const *need, size_t n, const char *producer)
{
    for (size_t i = 0; i < n; i++) {
        const struct catalog_table *def = catalog_find(app->catalog, need[i]);
        if (def && def->producer && strcmp(def->producer, producer) == 0)
            return true;
    }
    return false;
}

bool app_demo_need(struct app *app, struct scene *const *scenes, size_t n, struct err *err)
{
    if (!app->demo_lazy || app->db)
        return true;
    const char **need = NULL;
    size_t nneed = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        const struct scene *s = scenes[i];
        for (size_t k = 0; k < s->npanels; k++)
            if (s->panels[k].has_query)
                need_add(&need, &nneed, &cap, s->panels[k].query.source);
        for (size_t k = 0; k < s->nparams; k++) /* {project_name} and the like */
            need_add(&need, &nneed, &cap, names_source(s->params[k].name));
    }
    for (size_t i = 0; app->extra_sources && app->extra_sources[i]; i++)
        need_add(&need, &nneed, &cap, app->extra_sources[i]);
    double t0 = now_ms();
    bool ok = demo_load(app->store, app->catalog, app->data_dir, app->demo_now, need, nneed, err);
    double t1 = now_ms();
    if (ok && !app->demo && made_by(app, need, nneed, "engine"))
        demo_warnings(app, app->demo_now);
    if (ok && made_by(app, need, nneed, "report"))
        demo_reports(app);
    LOG(DEBUG, "%zu demo tables wanted, read in %.1f ms; warnings replayed in %.1f ms", nneed,
        t1 - t0, now_ms() - t1);
    free(need);
    return ok;
}

/* The poller's folder of last good tables: --cache DIR, else a folder per
 * database (a hash of the conninfo) under $CACHE_DIRECTORY (systemd's
 * CacheDirectory=), $XDG_CACHE_HOME/lotuswall or ~/.cache/lotuswall. It must
 * be private (util/file.h: file_private_dir), since whatever it holds is
 * drawn on the wall when the database is gone. Without one, no disk cache:
 * never a shared temp folder. Caller frees; NULL = none (logged). */
static char *cache_dir(const struct app *app)
{
    struct err err;
    char name[17], *dir = NULL;
    pg_cache_name(app->db, name);
    char base[4096];
    const char *own;
    if (app->cache_dir) {
        dir = file_private_dir(app->cache_dir, NULL, &err);
    } else if (userdir_base(USERDIR_CACHE, base, sizeof base, &own, statedir_getenv, NULL, &err)) {
        char *sub = xasprintf("%s%s%s", own, *own ? "/" : "", name);
        dir = file_private_dir(base, sub, &err);
        free(sub);
    }
    if (!dir)
        LOG(WARN, "no private cache folder (%s): the last good data is kept in memory only",
            err.msg);
    return dir;
}

bool app_start_db(struct app *app, struct scene *const *scenes, size_t n, struct err *err)
{
    struct poller_source *src = NULL;
    size_t nsrc = 0, cap = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < scenes[i]->npanels; k++) {
            const struct panel *p = &scenes[i]->panels[k];
            if (p->has_query) {
                struct poller_source ps = {p->query.source, p->query.refresh_s ? p->query.refresh_s : 60};
                VEC_PUSH(src, nsrc, cap, ps);
            }
        }
    for (size_t i = 0; app->extra_sources && app->extra_sources[i]; i++) {
        struct poller_source ps = {app->extra_sources[i], 60};
        VEC_PUSH(src, nsrc, cap, ps);
    }
    /* the regions table names the regions the scenes are about ({city_name},
     * "within" a region, --param checks), whether or not a panel shows it */
    if (catalog_find(app->catalog, "regions")) {
        struct poller_source ps = {"regions", 600};
        VEC_PUSH(src, nsrc, cap, ps);
    }
    char *cache = cache_dir(app);
    struct poller_opts opts = {.conninfo = app->db, .notify_conninfo = app->db_notify,
                               .cache_dir = cache, .wake = app->wake, .wake_arg = app->wake_arg};
    app->poller = poller_start(&opts, app->catalog, app->fetch_store ? app->fetch_store : app->store,
                               src, nsrc, err);
    free(src);
    free(cache);
    if (!app->poller)
        return false;
    int wait = app->wait_s > 0 ? app->wait_s : 10;
    double t0 = now_ms();
    if (!poller_wait_ready(app->poller, wait * 1000))
        LOG(WARN, "not every source answered within %d s; drawing what there is", wait);
    else
        LOG(DEBUG, "first data of every source in %.1f ms", now_ms() - t0);
    return true;
}

void app_close(struct app *app)
{
    app_demo_replay_stop(app);
    demo_engine_free(app->demo);
    app->demo = NULL;
    poller_stop(app->poller);
    app->poller = NULL;
    store_destroy(app->fetch_store);
    app->fetch_store = NULL;
    store_destroy(app->store);
    catalog_destroy(app->catalog);
    app->store = NULL;
    app->catalog = NULL;
    if (app->data_dir == app->owned_paths[0])
        app->data_dir = NULL;
    if (app->catalog_path == app->owned_paths[1])
        app->catalog_path = NULL;
    for (size_t i = 0; i < ARRAY_LEN(app->owned_paths); i++)
        free(app->owned_paths[i]), app->owned_paths[i] = NULL;
    free(app->playlist_path);
    app->playlist_path = NULL;
}

/* A region's level from the regions table's kind: the city, or a county
 * (district, zone); LEVEL_ANY when the table does not list it (yet). */
static enum scene_level region_level(const char *code, void *arg)
{
    struct app *app = arg;
    char kind[32];
    if (!app->store || !names_find(app->store, "regions", "code", code, "kind", kind, sizeof kind))
        return LEVEL_ANY;
    return strcmp(kind, "city") == 0 ? LEVEL_CITY : LEVEL_COUNTY;
}

struct scene_env app_scene_env(const struct app *app)
{
    struct scene_env env = {
        .catalog = app->catalog,
        .widgets = widget_specs(),
        .overrides = app->params,
        .noverrides = app->nparams,
        .region_level = region_level,
        .region_arg = (void *)app,
    };
    return env;
}

struct scene *app_load_scene(struct app *app, const char *arg, struct err *err)
{
    char *path = scene_resolve(arg, app->scene_dirs, 2);
    if (!path) {
        if (strchr(arg, '/') || strstr(arg, ".json"))
            err_set(err, "%s: no such scene file", arg);
        else
            err_set(err, "%s: no such scene (looked for %s/%s.json and %s/%s.json)", arg,
                    app->scene_dirs[0], arg, app->scene_dirs[1], arg);
        return NULL;
    }
    struct scene_env env = app_scene_env(app);
    struct scene *s = scene_load(path, &env, err);
    free(path);
    return s;
}

static bool declares(const struct scene *s, const char *name);

struct scene *app_drill_target(struct app *app, const struct scene *s, size_t i, struct err *err)
{
    const struct panel_drill *d = s->panels[i].drill;
    struct err why;
    struct scene *t = app_load_scene(app, d->scene, &why);
    if (!t) {
        err_set(err, "%s: panels[%zu].drill.scene: %s", s->path, i, why.msg);
        return NULL;
    }
    for (size_t k = 0; k < d->nparams; k++) {
        if (declares(t, d->params[k].name))
            continue;
        char *known = NULL;
        for (size_t j = 0; j < t->nparams; j++)
            str_list_add(&known, ", ", t->params[j].name);
        err_set(err, "%s: panels[%zu].drill.params.%s: scene %s declares no parameter \"%s\" "
                "(it declares: %s)", s->path, i, d->params[k].name, t->name, d->params[k].name,
                known ? known : "none");
        free(known);
        scene_destroy(t);
        return NULL;
    }
    return t;
}

bool app_check_drills(struct app *app, const struct scene *s, struct err *err)
{
    for (size_t i = 0; i < s->npanels; i++) {
        struct scene *t = s->panels[i].drill ? app_drill_target(app, s, i, err) : NULL;
        if (s->panels[i].drill && !t)
            return false;
        scene_destroy(t);
    }
    return true;
}

const char *app_find_playlist(struct app *app, const char *arg, struct err *err)
{
    if (strchr(arg, '/') || strstr(arg, ".json"))
        return arg;
    free(app->playlist_path);
    app->playlist_path = xasprintf("%s/playlists/%s.json", paths_etc(), arg);
    if (access(app->playlist_path, F_OK) == 0)
        return app->playlist_path;
    char *shipped = xasprintf("%s/playlists/%s.json", app->scene_dirs[1], arg);
    if (access(shipped, F_OK) == 0) {
        free(app->playlist_path);
        return app->playlist_path = shipped;
    }
    err_set(err, "%s: no such playlist (looked for %s and %s)", arg, app->playlist_path, shipped);
    free(shipped);
    return NULL;
}

static bool declares(const struct scene *s, const char *name)
{
    for (size_t i = 0; i < s->nparams; i++)
        if (strcmp(s->params[i].name, name) == 0)
            return true;
    return false;
}

/* A parameter (of --param, or of an assignment) of a region parameter names a
 * region the regions table has (checked when the table is there: the
 * demo's at once, a database's once its first data came). */
static bool check_region_param(const struct app *app, const struct scene_param *p,
                               const char *what, struct scene *const *scenes, size_t n,
                               struct err *err)
{
    struct table *regions = app->store ? store_get(app->store, "regions") : NULL;
    char where[160];
    snprintf(where, sizeof where, "%s %s", what, p->name);
    bool ok = true;
    for (size_t k = 0; k < n && ok; k++)
        for (size_t i = 0; i < scenes[k]->nparams && ok; i++)
            if (strcmp(scenes[k]->params[i].name, p->name) == 0)
                ok = playlist_check_region(regions, scene_param_default(scenes[k], p->name),
                                           p->value, where, err);
    table_unref(regions);
    return ok;
}

bool app_check_param_list(const struct app *app, const struct scene_param *params, size_t np,
                          const char *what, struct scene *const *scenes, size_t n,
                          struct err *err)
{
    for (size_t i = 0; i < np; i++) {
        const char *name = params[i].name;
        bool found = false;
        for (size_t k = 0; k < n && !found; k++)
            found = declares(scenes[k], name);
        if (found) {
            if (!check_region_param(app, &params[i], what, scenes, n, err))
                return false;
            continue;
        }
        char *known = NULL;
        for (size_t k = 0; k < n; k++)
            for (size_t p = 0; p < scenes[k]->nparams; p++) {
                bool seen = false;
                for (size_t j = 0; j < k && !seen; j++)
                    seen = declares(scenes[j], scenes[k]->params[p].name);
                if (!seen)
                    str_list_add(&known, ", ", scenes[k]->params[p].name);
            }
        err_set(err, "%s %s: no scene here declares a parameter \"%s\" (%s%s)", what, name, name,
                known ? "they declare: " : "they declare none", known ? known : "");
        free(known);
        return false;
    }
    return true;
}

bool app_check_params(const struct app *app, struct scene *const *scenes, size_t n,
                      struct err *err)
{
    return app_check_param_list(app, app->params, app->nparams, "--param", scenes, n, err);
}

bool app_check_entry_params(struct app *app, const struct playlist *pl, size_t i,
                            struct err *err)
{
    const struct playlist_entry *e = &pl->entries[i];
    if (e->nparams == 0)
        return true;
    struct scene_env env = app_scene_env(app);
    struct scene *s = scene_load(e->scene, &env, err);
    struct table *regions = app->store ? store_get(app->store, "regions") : NULL;
    bool ok = s && playlist_check_params(pl, i, s, regions, err);
    table_unref(regions);
    scene_destroy(s);
    if (!ok)
        return false;
    size_t n;
    struct scene_param *all = playlist_entry_params(e, env.overrides, env.noverrides, &n);
    env.overrides = all, env.noverrides = n;
    struct scene *with = scene_load(e->scene, &env, err);
    free(all);
    if (!with)
        err_prefix(err, "%s: scenes[%zu].params", pl->path, i);
    scene_destroy(with);
    return with != NULL;
}
