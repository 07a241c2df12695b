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
#include "app/app.h"
#include "data/table.h"
#include <stdio.h>

struct fleet_beat_opts {
    const char *conninfo;   /* borrowed: outlives the beat */
    const char *name;       /* --wall-name */
    int interval_s;         /* --beat: seconds between heartbeats */
    api_exec_fn exec;       /* runs a call on the render thread */
    void *exec_cls;
    struct splice *splice;  /* a splice wall's part (app/splice.h): it beats into the wall's
                               row and steers only while it leads; or NULL */
};

/* Starts the thread; it connects on its own and keeps trying while the
 * database is away. Free with fleet_beat_stop(). */
struct fleet_beat *fleet_beat_start(const struct fleet_beat_opts *o);
/* Stops and joins the thread (NULL is a no-op). The render thread must
 * already refuse calls (they answer 503), or this waits for them. */
void fleet_beat_stop(struct fleet_beat *b);

/* `lotuswall fleet`: the fleet table's rows as JSON (without the
 * thumbnails), and as a text table with a count of walls by state. */
json_t *fleet_rows(const struct table *t);
void fleet_print(FILE *f, const json_t *rows);

/* `lotuswall steer --to WALL CMD [SCENE]` (show SCENE with app's --param
 * values, back, home, reload, restart): queued in lotuswall.wall_commands
 * as this login's account (the database refuses an account that may not);
 * waits for the wall's answer and prints it. The exit status: 0 applied, 1
 * refused, failed or unanswered. */
int fleet_steer(const struct app *app, const char *wall, const char *cmd, const char *scene);

/* The thumbnail's width in pixels (the height follows the canvas). */
#define FLEET_THUMB_WIDTH 320

#endif
