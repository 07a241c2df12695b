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
            if (key[0] != '_' && strcmp(key, "scene") && strcmp(key, "dwell"))
                return err_set(err, "%s: %s: unknown key (known: scene, dwell)", path,
                               jpath_key(&k, p.s, key));
        }
        struct playlist_entry *pe = &pl->entries[pl->nentries++];
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
