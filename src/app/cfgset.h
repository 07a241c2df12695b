/* A wall's configuration from the database (issue 15): the playlist its
 * assignment names, with the assignment's parameters, and the latest
 * version of every scene document, as one *set*.
 *
 * A set is a folder, written whole before anyone looks at it and never
 * changed after: SET/scenes/NAME.json, SET/scenes/playlists/NAME.json (laid
 * out like the shipped HOME/scenes, so SET/scenes is simply the first scene
 * folder) and SET/assignment.json. The follower thread (its own connection,
 * LISTEN lotuswall_config) writes a new set whenever the database's answer
 * changes and wakes the render thread, which validates the whole set (the
 * playlist and every scene it names, as `check` does) and only then shows
 * it and commits it: STATE/fleet-HASH/current then points at it, and that
 * is what the wall shows after a restart without its database. A refused
 * set is removed; the wall keeps what it shows. */
#ifndef LW_CFGSET_H
#define LW_CFGSET_H
#include "scene/scene.h"
#include "util/err.h"
#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#define CFGSET_CHANNEL "lotuswall_config"

/* The file of a document of `kind` named `name` under a set's folder dir:
 * DIR/scenes/NAME.json, DIR/scenes/playlists/NAME.json, DIR/rules/NAME.json
 * or DIR/walls/NAME.json. NULL for another kind. Caller frees. */
char *cfgset_doc_path(const char *dir, const char *kind, const char *name);
/* Writes a document there (its folders made as needed). */
bool cfgset_write_doc(const char *dir, const char *kind, const char *name, const char *content,
                      struct err *err);
/* Writes the latest version of every document of res (columns kind, name,
 * content) under dir. */
bool cfgset_write_docs(const char *dir, PGresult *res, struct err *err);
/* The file of playlist `name` for a set in dir: the set's own document,
 * else the shipped HOME_SCENES/playlists/NAME.json. NULL when neither is
 * there. Caller frees. */
char *cfgset_playlist_file(const char *dir, const char *home_scenes, const char *name);
/* Removes a folder and everything in it (no symlink is followed). */
void cfgset_remove_tree(const char *dir);

/* A set as the render thread takes it. */
struct cfgset {
    char *dir;                  /* the set's folder */
    char *scenes_dir;           /* dir/scenes: the first scene folder */
    char *playlist;             /* the assigned playlist's name */
    struct scene_param *params; /* the assignment's parameters; owned */
    size_t nparams;
    char id[17];                /* the set's hash, hex */
};
/* Reads dir/assignment.json: false + *err naming the file and the JSON path. */
bool cfgset_load(const char *dir, struct cfgset *s, struct err *err);
void cfgset_free(struct cfgset *s);

/* The follower of one wall's set. */
struct cfgset_follower;
/* Finds (makes) the wall's private state folder STATE/fleet-HASH and starts
 * the thread; wake(arg) is called from it when a new set is ready. NULL +
 * *err when there is no state folder. */
struct cfgset_follower *cfgset_follow(const char *conninfo, const char *wall,
                                      void (*wake)(void *), void *arg, struct err *err);
/* Waits until the database first answered (a set, or no assignment) or
 * could not be reached, at most timeout_ms. */
void cfgset_wait_first(struct cfgset_follower *f, int timeout_ms);
/* The newest set written and not yet taken, into *s (then cfgset_commit or
 * cfgset_refuse it, and cfgset_free): false when there is none. */
bool cfgset_take(struct cfgset_follower *f, struct cfgset *s, struct err *err);
/* The set shown last (STATE/.../current), for a start without the database. */
bool cfgset_last_good(struct cfgset_follower *f, struct cfgset *s, struct err *err);
/* s is on the wall: it becomes the last good set; the older ones go. */
void cfgset_commit(struct cfgset_follower *f, const struct cfgset *s);
/* s was refused: its folder goes (unless it is the last good one). */
void cfgset_refuse(struct cfgset_follower *f, const struct cfgset *s);
/* Whether the thread holds a connection now. */
bool cfgset_connected(struct cfgset_follower *f);
void cfgset_stop(struct cfgset_follower *f); /* joins the thread; NULL is a no-op */

#endif
