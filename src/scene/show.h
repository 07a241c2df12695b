/* The show-state: what the wall shows, as a pure state machine. The
 * rotation of a playlist, the alert takeover, a person's drill stack and
 * choices, the parameter pickers and the idle return live here; events go
 * in (a tick, a key, a point, a drill, the number of alerts, a reload) with
 * the time, and what to show comes out. No I/O and no clock of its own: the
 * caller passes `now_ms` (any epoch, only differences count), so tests run
 * it from a table without a display. One thread; the caller serialises.
 *
 * Layers: the base (the rotation's entry, with a person's drill stack on
 * top) and, while alerts hold the wall, the alert scene (with a drill stack
 * of its own). The base keeps its place under a takeover, so after the
 * acknowledgement the person is back where they were. */
#ifndef LW_SHOW_H
#define LW_SHOW_H
#include "scene/scene.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHOW_MAX_DEPTH 16       /* drills deeper than this are refused */
#define SHOW_IDLE_RETURN_MS 120000
#define SHOW_PICKER_MS 30000

/* A scene the show may name: the rotation's, the alert scene, drill targets. */
struct show_scene {
    const char *name;                    /* the key events use, e.g. "situation" */
    const char *title;                   /* the breadcrumb's name for it; NULL: name */
    const struct scene_param *params;    /* what it declares, with their defaults */
    size_t nparams;
};

/* One step of the rotation. */
struct show_entry {
    size_t scene;                        /* index into show_config.scenes */
    int64_t dwell_ms;                    /* > 0 */
    const struct scene_param *params;    /* the entry's own (over the scene's defaults) */
    size_t nparams;
    const char *label;                   /* its breadcrumb, e.g. 许昌市; NULL: the title */
};

/* Everything the show is told by the files; copied, so the caller may free
 * it after show_create or a reload event. */
struct show_config {
    const struct show_scene *scenes;
    size_t nscenes;
    const struct show_entry *entries;    /* at least one */
    size_t nentries;
    bool has_alert;
    size_t alert_scene;                  /* index into scenes when has_alert */
    int64_t idle_return_ms;              /* after the last input a person's view goes home */
    int64_t picker_ms;                   /* an open picker closes after this long */
};

enum show_key {
    SHOW_KEY_NEXT,    /* the next entry of the rotation (ignored under an alert) */
    SHOW_KEY_PREV,
    SHOW_KEY_JUMP,    /* to entry `entry` */
    SHOW_KEY_PAUSE,   /* pause or resume the rotation */
    SHOW_KEY_BLANK,   /* darken the screen or light it again; what is shown stays beneath */
    SHOW_KEY_BACK,    /* close the picker, else up one drill; nothing at the root */
    SHOW_KEY_HOME,    /* the root: the rotation's entry (or the alert scene) */
    SHOW_KEY_OTHER,   /* any other key: someone is there (the idle clock restarts) */
};

enum show_event_type {
    SHOW_TICK,        /* time passed: dwell ends, idle return, picker timeouts */
    SHOW_KEY,
    SHOW_POINT,       /* a touch or the mouse moved, hitting nothing: input only */
    SHOW_DRILL,       /* a touch on an item that leads to a scene */
    SHOW_PICK_OPEN,   /* a touch on the title bar's region or period */
    SHOW_PICK,        /* a value chosen in the open picker */
    SHOW_ALERTS,      /* the number of open, unacknowledged alerts now */
    SHOW_RELOAD,      /* the files changed: a new configuration */
};

struct show_event {
    enum show_event_type type;
    union {
        struct {
            enum show_key key;
            size_t entry;                        /* SHOW_KEY_JUMP */
        } key;
        struct {
            const char *scene;                   /* a name of the configuration's scenes */
            const struct scene_param *params;    /* from the touched item's row */
            size_t nparams;
            const char *label;                   /* its breadcrumb, e.g. 禹州市; NULL: the title */
        } drill;
        struct {
            const char *param;                   /* the parameter to choose, e.g. "city" */
        } pick_open;
        struct {
            const char *param, *value;
            const char *label;                   /* e.g. 禹州市; NULL: the value */
        } pick;
        size_t alerts;
        const struct show_config *reload;
    };
};

/* What show_event changed (0: nothing). */
enum {
    SHOW_CHANGED_VIEW = 1,    /* another scene, other parameters or breadcrumb */
    SHOW_CHANGED_PICKER = 2,  /* a picker opened or closed */
    SHOW_CHANGED_STATE = 4,   /* paused, alert, driving: the status changes */
};

/* What to show now. Valid until the next show_event or show_destroy. */
struct show_view {
    size_t scene;                        /* index into the configuration's scenes */
    const struct scene_param *params;    /* effective: defaults < entry < drill or choice */
    size_t nparams;
    const char *const *crumbs;           /* the breadcrumb, root first */
    size_t ncrumbs;
    size_t entry;                        /* the rotation's entry (under any alert or drill) */
    bool alert;                          /* the alert scene holds the wall */
    bool paused;                         /* by the pause key */
    bool blank;                          /* the screen is dark (SHOW_KEY_BLANK) */
    bool driving;                        /* a person's drill or choice is shown */
    const char *picker;                  /* the parameter whose picker is open, or NULL */
};

/* The show at the first entry, its dwell starting at now_ms. The config
 * must have at least one entry and valid indices (callers build it from a
 * checked playlist). Free with show_destroy(). */
struct show *show_create(const struct show_config *config, int64_t now_ms);
void show_destroy(struct show *s);   /* NULL is a no-op */

/* Feeds one event at now_ms (never earlier than the last); returns what
 * changed (SHOW_CHANGED_*). Events naming an unknown scene or an entry out
 * of range change nothing. */
unsigned show_event(struct show *s, const struct show_event *ev, int64_t now_ms);
const struct show_view *show_current(const struct show *s);
/* When the next tick would change something (a dwell ends, the idle
 * return, a picker times out); INT64_MAX when nothing is due. */
int64_t show_next_deadline(const struct show *s);
/* The same names with the same values in the same order. */
bool show_same_params(const struct scene_param *a, size_t na, const struct scene_param *b,
                      size_t nb);

#endif
