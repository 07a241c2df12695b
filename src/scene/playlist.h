/* Playlists: the rotation of scenes on a wall or in a briefing room, with
 * dwell times, and the scene that a firing warning brings forward from a
 * given severity on. Loaded and checked like scenes. */
#ifndef LW_PLAYLIST_H
#define LW_PLAYLIST_H
#include "data/table.h"
#include "scene/scene.h"
#include "util/err.h"
#include "util/severity.h"
#include <stdbool.h>
#include <stddef.h>

struct playlist_entry {
    char *scene;      /* resolved path of the scene file */
    int dwell_s;      /* seconds on screen, 1..86400 */
    struct scene_param *params; /* "params": over the scene's defaults, under a person's choice */
    size_t nparams;
};

struct playlist {
    char *path, *name;
    struct playlist_entry *entries;
    size_t nentries;
    char *alert_scene;          /* resolved path, or NULL: no takeover */
    enum severity alert_min;    /* lowest severity that brings it forward */
    int idle_return_s;          /* a person's view goes back to the rotation after this
                                   long without input: 10..86400, default 120 */
};

/* Scene names resolve like the CLI's SCENE arguments: a path, or a bare
 * name under each of scene_dirs. NULL + *err naming the JSON path. */
struct playlist *playlist_load(const char *path, const char *const *scene_dirs, size_t ndirs,
                               struct err *err);
void playlist_destroy(struct playlist *p);
/* A parameter whose default is a region code (one the regions table has)
 * takes only region codes: false + *err "WHERE: "411099" is not a region code
 * (the regions table has: …)" otherwise. regions NULL: nothing to check. */
bool playlist_check_region(const struct table *regions, const char *def, const char *value,
                           const char *where, struct err *err);

/* Checks entry i's parameters against its scene s (loaded without them):
 * each must be one the scene declares, and one whose default is a region
 * code (a "code" of `regions`; NULL: not checked) must name a region too.
 * false + *err naming the file and the JSON path. */
bool playlist_check_params(const struct playlist *pl, size_t i, const struct scene *s,
                           const struct table *regions, struct err *err);
/* The parameters to load entry e's scene with, lowest first: the entry's,
 * then `over` (a person's choice, e.g. --param), as scene_env.overrides
 * takes them (a later one wins). Caller frees the array, not the strings. */
struct scene_param *playlist_entry_params(const struct playlist_entry *e,
                                          const struct scene_param *over, size_t nover,
                                          size_t *n);

#endif
