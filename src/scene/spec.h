/* What a widget declares about itself, so that the scene loader can check
 * panels without knowing any widget: its data roles and its options.
 * Widgets fill these tables (src/widgets/); the loader, the docs generator
 * and the JSON Schema generator read them. */
#ifndef LW_SPEC_H
#define LW_SPEC_H
#include <stdbool.h>
#include <stdint.h>

struct panel;

enum prop_type {
    PROP_NUMBER, PROP_INT, PROP_BOOL, PROP_STRING, PROP_ENUM, PROP_COLOR, PROP_STRINGS,
    PROP_NUMBERS, /* array of numbers, each within min..max */
};

struct prop_spec {
    const char *name;
    enum prop_type type;
    const char *def;          /* default, as JSON text ("12", "true", "\"bar\"") */
    double min, max;          /* PROP_NUMBER / PROP_INT */
    const char *values;       /* PROP_ENUM: "a|b|c" */
    const char *doc;
};

struct role_spec {
    const char *name;
    bool required;
    bool numeric;             /* must map to a number column */
    const char *doc;
};

struct widget_spec {
    const char *name;         /* "kpi" */
    const char *title;        /* "KPI tile (指标卡)" */
    const char *doc;
    bool needs_data;          /* a binding is required */
    const struct role_spec *roles; /* {0}-terminated */
    const struct prop_spec *props; /* {0}-terminated */
    /* What makes the panel change with the clock on a live wall: NULL (only
     * data changes), "*" (always, e.g. the clock), or the name of a boolean
     * option that turns it on (e.g. "scroll"). */
    const char *animated_by;
    /* With an option in animated_by: the role the animation draws (the
     * map's ripples are on its "key" rows), or NULL. A panel that binds no
     * column to it never changes with the clock, whatever the option says:
     * an 8K map redrawn every second for ripples it has no rows for cost
     * 50 ms a frame. */
    const char *animated_role;
    /* With animated_by: which step of the clock the panel shows at `now`
     * (unix seconds); the wall draws it again when this changes. NULL:
     * every second. A list that scrolls a row every 3 s, a clock without
     * seconds: why a wall redraw what it shows unchanged? */
    uint64_t (*clock_phase)(const struct panel *p, int64_t now);
    /* Files the panel needs besides its data (the map's GeoJSON), read and
     * parsed when the scene loads, never in a frame's draw: prepare returns
     * the widget's object for the panel (panel->asset; it never fails, a
     * bad file becomes a message the widget draws), release frees it. Both
     * NULL for widgets without files. */
    void *(*prepare)(const struct panel *p);
    void (*release)(void *asset);
};

#endif
