#include "app/app.h"
#include "data/pg.h"
#include "warn/eval.h"
#include "warn/publish.h"
#include "util/util.h"
#include "widgets/widget.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef LW_SOURCE_DIR
#define LW_SOURCE_DIR "."
#endif

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

void app_environment(void)
{
    const char *tz = getenv("LOTUSWALL_TZ");
    setenv("TZ", tz && *tz ? tz : "Asia/Shanghai", 1);
    tzset();
    if (!getenv("LOTUSWALL_SYSTEM_FONTS")) {
        /* fontconfig resolves a relative FONTCONFIG_FILE against /etc/fonts */
        char abs[PATH_MAX];
        const char *conf = access("fonts/fonts.conf", R_OK) == 0 ? "fonts/fonts.conf"
                                                                 : LW_SOURCE_DIR "/fonts/fonts.conf";
        if (realpath(conf, abs))
            setenv("FONTCONFIG_FILE", abs, 1);
    }
}

/* The demo shows live warnings: the demo rules are replayed hour by hour
 * over the three days before `now` on the demo data, so that warnings have
 * fired, been urged and escalated, and the engine's tables (warnings,
 * warning_steps) are in the store like any other source. A missing rules
 * file only means no warnings. */
static void demo_warnings(struct app *app, int64_t now)
{
    char *path = NULL;
    const char *cands[] = {"rules/demo.json", LW_SOURCE_DIR "/rules/demo.json"};
    for (size_t i = 0; i < ARRAY_LEN(cands) && !path; i++)
        if (access(cands[i], R_OK) == 0)
            path = xstrdup(cands[i]);
    if (!path)
        return;
    struct err err;
    struct rules *rules = rules_load(path, app->catalog, &err);
    free(path);
    if (!rules) {
        LOG(WARN, "demo warnings: %s", err.msg);
        return;
    }
    struct warn_snapshot snap;
    warn_snapshot_take(&snap, app->store, rules);
    struct warn_states *st = NULL;
    for (int64_t t = now - 3 * 86400; t <= now; t += 3600) {
        struct warn_events ev = {0};
        struct warn_states *next = warn_eval(rules, &snap, st, t, &ev);
        warn_events_finish(&ev);
        warn_states_destroy(st);
        st = next;
    }
    if (!warn_publish(app->store, app->catalog, rules, st, &err))
        LOG(WARN, "demo warnings: %s", err.msg);
    warn_states_destroy(st);
    warn_snapshot_release(&snap);
    rules_destroy(rules);
}

/* The report index (lotuswall report), so the warnings scene lists it:
 * $LOTUSWALL_REPORTS/reports.csv, or out/reports/reports.csv. */
static void demo_reports(struct app *app)
{
    const char *dir = getenv("LOTUSWALL_REPORTS");
    char *path = xasprintf("%s/reports.csv", dir && *dir ? dir : "out/reports");
    const struct catalog_table *def = catalog_find(app->catalog, "reports");
    struct err err;
    struct table *t = def && access(path, R_OK) == 0 ? demo_read_csv(def, path, &err) : NULL;
    if (!t && def) { /* no report yet: an empty list, not a missing source */
        const char *names[16];
        enum col_type types[16];
        for (size_t c = 0; c < def->ncols && c < 16; c++)
            names[c] = def->cols[c].name, types[c] = def->cols[c].type;
        t = table_new("reports", def->ncols < 16 ? def->ncols : 16, names, types);
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
        app->data_dir = is_dir("db/demo") ? "db/demo" : LW_SOURCE_DIR "/db/demo";
    if (!app->catalog_path)
        app->catalog_path = is_dir("db/demo") ? "db/catalog.json" : LW_SOURCE_DIR "/db/catalog.json";
    app->scene_dirs[0] = "scenes";
    app->scene_dirs[1] = LW_SOURCE_DIR "/scenes";
    app->catalog = catalog_load(app->catalog_path, err);
    if (!app->catalog)
        return false;
    app->store = store_new();
    if (app->db)
        return true; /* never demo data when a database was named */
    if (!demo_load(app->store, app->catalog, app->data_dir, now, err))
        return false;
    demo_warnings(app, now);
    demo_reports(app);
    return true;
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
    char *cache = app->cache_dir ? xstrdup(app->cache_dir) : pg_default_cache_dir(app->db);
    struct poller_opts opts = {.conninfo = app->db, .cache_dir = cache, .wake = app->wake,
                               .wake_arg = app->wake_arg};
    app->poller = poller_start(&opts, app->catalog, app->store, src, nsrc, err);
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
    poller_stop(app->poller);
    app->poller = NULL;
    store_destroy(app->store);
    catalog_destroy(app->catalog);
    app->store = NULL;
    app->catalog = NULL;
}

struct scene_env app_scene_env(const struct app *app)
{
    struct scene_env env = {
        .catalog = app->catalog,
        .widgets = widget_specs(),
        .overrides = app->params,
        .noverrides = app->nparams,
    };
    return env;
}

struct scene *app_load_scene(struct app *app, const char *arg, struct err *err)
{
    char *path = scene_resolve(arg, app->scene_dirs, 2);
    if (!path) {
        err_set(err, "%s: no such scene file (looked for %s and scenes/%s.json)", arg, arg, arg);
        return NULL;
    }
    struct scene_env env = app_scene_env(app);
    struct scene *s = scene_load(path, &env, err);
    free(path);
    return s;
}
