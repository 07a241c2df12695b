/* The fleet of walls through PostgreSQL (issue 15, docs/operations.md).
 *
 * A wall started with `--db --wall-name NAME` beats: every interval it
 * writes what it shows, its data, its costs, its last error and a thumbnail
 * into its row of lotuswall.walls, and it applies the commands that
 * `lotuswall steer` queues for it in lotuswall.wall_commands, in id order,
 * answering each. All of it runs on a thread of its own with its own
 * connection; what it reads of the wall and what it changes goes through the
 * render thread as api_calls (app/api.h), the same show-state events as the
 * console's, so a slow database never holds a frame. */
#ifndef LW_FLEET_H
#define LW_FLEET_H
#include "app/api.h"

struct fleet_beat_opts {
    const char *conninfo;   /* borrowed: outlives the beat */
    const char *name;       /* --wall-name */
    int interval_s;         /* --beat: seconds between heartbeats */
    api_exec_fn exec;       /* runs a call on the render thread */
    void *exec_cls;
};

/* Starts the thread; it connects on its own and keeps trying while the
 * database is away. Free with fleet_beat_stop(). */
struct fleet_beat *fleet_beat_start(const struct fleet_beat_opts *o);
/* Stops and joins the thread (NULL is a no-op). The render thread must
 * already refuse calls (they answer 503), or this waits for them. */
void fleet_beat_stop(struct fleet_beat *b);

/* The thumbnail's width in pixels (the height follows the canvas). */
#define FLEET_THUMB_WIDTH 320

#endif
