/* Playlists: the rotation of scenes on a wall or in a briefing room, with
 * dwell times, and the scene that a firing warning brings forward from a
 * given severity on. Loaded and checked like scenes. */
#ifndef LW_PLAYLIST_H
#define LW_PLAYLIST_H
#include "util/err.h"
#include "util/severity.h"
#include <stdbool.h>
#include <stddef.h>

struct playlist_entry {
    char *scene;      /* resolved path of the scene file */
    int dwell_s;      /* seconds on screen, 1..86400 */
};

struct playlist {
    char *path, *name;
    struct playlist_entry *entries;
    size_t nentries;
    char *alert_scene;          /* resolved path, or NULL: no takeover */
    enum severity alert_min;    /* lowest severity that brings it forward */
};

/* Scene names resolve like the CLI's SCENE arguments: a path, or a bare
 * name under each of scene_dirs. NULL + *err naming the JSON path. */
struct playlist *playlist_load(const char *path, const char *const *scene_dirs, size_t ndirs,
                               struct err *err);
void playlist_destroy(struct playlist *p);

#endif
