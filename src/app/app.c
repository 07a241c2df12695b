#include "app/app.h"
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
    return demo_load(app->store, app->catalog, app->data_dir, now, err);
}

void app_close(struct app *app)
{
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
