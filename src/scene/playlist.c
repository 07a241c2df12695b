#include "scene/playlist.h"
#include "scene/scene.h"
#include "util/json.h"
#include "util/util.h"
#include <stdlib.h>
#include <string.h>

/* A scene reference: the file must exist and be a loadable scene name. */
static bool resolve(const char *path, const char *jp, json_t *v, const char *const *dirs,
                    size_t ndirs, char **out, struct err *err)
{
    if (!json_is_string(v) || json_string_length(v) == 0 ||
        json_string_length(v) > SCENE_MAX_STRING)
        return err_set(err, "%s: %s: expected a scene name or path", path, jp);
    *out = scene_resolve(json_string_value(v), dirs, ndirs);
    if (!*out)
        return err_set(err, "%s: %s: no such scene \"%s\" (looked for it as a path and as "
                            "scenes/%s.json)",
                       path, jp, json_string_value(v), json_string_value(v));
    return true;
}

/* An entry's "params": {name: string}. */
static bool load_params(struct playlist_entry *pe, const char *path, const char *jp, json_t *v,
                        struct err *err)
{
    if (!v)
        return true;
    if (!json_is_object(v) || json_object_size(v) > 64)
        return err_set(err, "%s: %s: expected an object of at most 64 name: value", path, jp);
    pe->params = xcalloc(json_object_size(v) + 1, sizeof *pe->params);
    const char *name;
    json_t *val;
    json_object_foreach(v, name, val) {
        struct jpath k;
        if (!json_is_string(val) || json_string_length(val) > SCENE_MAX_STRING ||
            strlen(json_string_value(val)) != json_string_length(val))
            return err_set(err, "%s: %s: expected a string", path, jpath_key(&k, jp, name));
        pe->params[pe->nparams++] =
            (struct scene_param){xstrdup(name), xstrdup(json_string_value(val))};
    }
    return true;
}

static bool load(struct playlist *pl, json_t *root, const char *const *dirs, size_t ndirs,
                 struct err *err)
{
    const char *path = pl->path;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        if (key[0] != '_' && strcmp(key, "kind") && strcmp(key, "version") &&
            strcmp(key, "name") && strcmp(key, "scenes") && strcmp(key, "alert") &&
            strcmp(key, "idle_return"))
            return err_set(err, "%s: %s: unknown key (known: kind, version, name, scenes, alert, "
                                "idle_return)",
                           path, key);
    }
    json_t *idle = json_object_get(root, "idle_return");
    pl->idle_return_s = 120;
    if (idle && (!json_is_integer(idle) || json_integer_value(idle) < 10 ||
                 json_integer_value(idle) > 86400))
        return err_set(err, "%s: idle_return: expected whole seconds from 10 to 86400", path);
    if (idle)
        pl->idle_return_s = (int)json_integer_value(idle);
    json_t *name = json_object_get(root, "name");
    if (name && !json_is_string(name))
        return err_set(err, "%s: name: expected a string", path);
    if (name)
        pl->name = xstrdup(json_string_value(name));
    json_t *scenes = json_object_get(root, "scenes");
    if (!json_is_array(scenes) || json_array_size(scenes) == 0)
        return err_set(err, "%s: scenes: expected a non-empty array of {\"scene\", \"dwell\"}",
                       path);
    if (json_array_size(scenes) > 1000)
        return err_set(err, "%s: scenes: %zu entries; at most 1000", path, json_array_size(scenes));
    pl->entries = xcalloc(json_array_size(scenes), sizeof *pl->entries);
    size_t i;
    json_t *e;
    json_array_foreach(scenes, i, e) {
        struct jpath p, k;
        jpath_idx(&p, "scenes", i);
        if (!json_is_object(e))
            return err_set(err, "%s: %s: expected {\"scene\": NAME, \"dwell\": SECONDS}", path, p.s);
        json_object_foreach(e, key, v) {
            if (key[0] != '_' && strcmp(key, "scene") && strcmp(key, "dwell") &&
                strcmp(key, "params"))
                return err_set(err, "%s: %s: unknown key (known: scene, dwell, params)", path,
                               jpath_key(&k, p.s, key));
        }
        struct playlist_entry *pe = &pl->entries[pl->nentries++];
        if (!load_params(pe, path, jpath_key(&k, p.s, "params"), json_object_get(e, "params"),
                         err))
            return false;
        if (!resolve(path, jpath_key(&k, p.s, "scene"), json_object_get(e, "scene"), dirs, ndirs,
                     &pe->scene, err))
            return false;
        json_t *dwell = json_object_get(e, "dwell");
        if (!json_is_integer(dwell) || json_integer_value(dwell) < 1 ||
            json_integer_value(dwell) > 86400)
            return err_set(err, "%s: %s: expected whole seconds from 1 to 86400", path,
                           jpath_key(&k, p.s, "dwell"));
        pe->dwell_s = (int)json_integer_value(dwell);
    }
    json_t *alert = json_object_get(root, "alert");
    if (!alert)
        return true;
    if (!json_is_object(alert))
        return err_set(err, "%s: alert: expected {\"scene\": NAME, \"min_severity\": LEVEL}", path);
    json_object_foreach(alert, key, v) {
        if (key[0] != '_' && strcmp(key, "scene") && strcmp(key, "min_severity"))
            return err_set(err, "%s: alert.%s: unknown key (known: scene, min_severity)", path, key);
    }
    if (!resolve(path, "alert.scene", json_object_get(alert, "scene"), dirs, ndirs,
                 &pl->alert_scene, err))
        return false;
    json_t *sev = json_object_get(alert, "min_severity");
    pl->alert_min = SEV_MINOR;
    if (sev && (!json_is_string(sev) || !severity_parse(json_string_value(sev), &pl->alert_min)))
        return err_set(err, "%s: alert.min_severity: expected one of 提示, 一般, 严重 (or info, "
                            "warning, critical)",
                       path);
    return true;
}

struct playlist *playlist_load(const char *path, const char *const *scene_dirs, size_t ndirs,
                               struct err *err)
{
    json_t *root = json_load_checked(path, "playlist", err);
    if (!root)
        return NULL;
    struct playlist *pl = xcalloc(1, sizeof *pl);
    pl->path = xstrdup(path);
    bool ok = load(pl, root, scene_dirs, ndirs, err);
    json_decref(root);
    if (!ok) {
        playlist_destroy(pl);
        return NULL;
    }
    return pl;
}

void playlist_destroy(struct playlist *pl)
{
    if (!pl)
        return;
    for (size_t i = 0; i < pl->nentries; i++) {
        free(pl->entries[i].scene);
        for (size_t k = 0; k < pl->entries[i].nparams; k++) {
            free(pl->entries[i].params[k].name);
            free(pl->entries[i].params[k].value);
        }
        free(pl->entries[i].params);
    }
    free(pl->entries);
    free(pl->alert_scene);
    free(pl->path);
    free(pl->name);
    free(pl);
}

static const char *declared(const struct scene *s, const char *name)
{
    for (size_t i = 0; i < s->nparams; i++)
        if (strcmp(s->params[i].name, name) == 0)
            return s->params[i].value;
    return NULL;
}

static bool is_region(const struct table *regions, const char *code)
{
    int c = table_col(regions, "code");
    for (size_t r = 0; c >= 0 && r < regions->nrows; r++)
        if (table_text(regions, r, (size_t)c) && strcmp(table_text(regions, r, (size_t)c), code) == 0)
            return true;
    return false;
}

bool playlist_check_params(const struct playlist *pl, size_t i, const struct scene *s,
                           const struct table *regions, struct err *err)
{
    const struct playlist_entry *e = &pl->entries[i];
    for (size_t k = 0; k < e->nparams; k++) {
        struct jpath p, jp;
        jpath_key(&jp, jpath_idx(&p, "scenes", i), "params");
        jpath_key(&p, jp.s, e->params[k].name);
        const char *def = declared(s, e->params[k].name);
        if (!def) {
            char *known = NULL;
            for (size_t d = 0; d < s->nparams; d++)
                str_list_add(&known, ", ", s->params[d].name);
            err_set(err, "%s: %s: scene %s declares no parameter \"%s\" (it declares: %s)",
                    pl->path, p.s, s->name, e->params[k].name, known ? known : "none");
            free(known);
            return false;
        }
        char where[600];
        snprintf(where, sizeof where, "%s: %s", pl->path, p.s);
        if (!playlist_check_region(regions, def, e->params[k].value, where, err))
            return false;
    }
    return true;
}

bool playlist_check_region(const struct table *regions, const char *def, const char *value,
                           const char *where, struct err *err)
{
    if (!regions || !is_region(regions, def) || is_region(regions, value))
        return true;
    char *known = NULL;
    int c = table_col(regions, "code");
    for (size_t r = 0; r < regions->nrows; r++)
        if (table_text(regions, r, (size_t)c))
            str_list_add(&known, ", ", table_text(regions, r, (size_t)c));
    err_set(err, "%s: \"%s\" is not a region code (the regions table has: %s)", where, value,
            known ? known : "none");
    free(known);
    return false;
}

struct scene_param *playlist_entry_params(const struct playlist_entry *e,
                                          const struct scene_param *over, size_t nover,
                                          size_t *n)
{
    struct scene_param *all = xcalloc(e->nparams + nover + 1, sizeof *all);
    if (e->nparams)
        memcpy(all, e->params, e->nparams * sizeof *all);
    if (nover)
        memcpy(all + e->nparams, over, nover * sizeof *all);
    *n = e->nparams + nover;
    return all;
}
