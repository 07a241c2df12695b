/* The scene model: a validated, immutable description of one screen.
 * Loading checks everything it can (syntax, types, ranges, widget types,
 * roles, options, sources and columns against the catalog, grid areas), so
 * that drawing never meets a malformed scene. */
#ifndef LW_SCENE_H
#define LW_SCENE_H
#include "data/catalog.h"
#include "data/query.h"
#include "render/color.h"
#include "render/fmt.h"
#include "render/layout.h"
#include "scene/spec.h"
#include "util/err.h"
#include <jansson.h>

#define SCENE_MAX_STRING 4096
#define SCENE_MAX_SIZE 16384

struct role_format {
    char *role;
    struct numfmt fmt; /* fmt.unit points into unit */
    char *unit;
    char *time;        /* strftime pattern for a text time (e.g. "%m-%d %H:%M"), or NULL */
};

struct threshold {
    double value;      /* applies to values >= value (sorted ascending) */
    rgba_t color;
    char *label;
};

/* The level of a view: the city's own (许昌市) or a county's (禹州市). */
enum scene_level { LEVEL_ANY, LEVEL_CITY, LEVEL_COUNTY };

/* The scene parameter that names the region a view is for. */
#define SCENE_PARAM_REGION "city"

/* Where a touch on one of a panel's items leads: a scene, with parameters
 * taken from the touched row (param = the value of a role of the binding). */
struct panel_drill {
    char *scene;            /* the target scene's name, e.g. "situation" */
    struct drill_param {
        char *name, *role;  /* e.g. city ← code */
    } *params;
    size_t nparams;
    char *label;            /* the role that names the item in the breadcrumb, or NULL */
};

struct panel {
    char *id;
    /* Restricted to one level: in a view of the other level, the panel
     * named `alternate` (restricted to that level, without an area of its
     * own) is drawn in its place. The loader keeps only the panel of the
     * scene's level, in the principal's place. */
    enum scene_level level;
    char *alternate;   /* may be NULL */
    const struct widget_spec *widget;
    int col, row, colspan, rowspan;
    char *title;       /* may be NULL */
    char *footnote;    /* may be NULL; "{period}" is replaced by the data's latest period */
    char *note;        /* may be NULL; right of the title strip, same placeholders */
    char *empty;       /* may be NULL: the placeholder's text when the query has no rows
                          (instead of 暂无数据: "无进度滞后项目" is good news, not a gap) */
    char *provenance;  /* the source's 数据来源 from the catalog ({source}), or NULL */
    bool frame;        /* draw the panel chrome */
    bool has_query;
    struct query query;
    struct role_format *formats;
    size_t nformats;
    struct threshold *thresholds;
    size_t nthresholds;
    json_t *options;   /* validated against widget->props; owned */
    json_t *defaults;  /* the widget's defaults of the options not given; owned */
    void *asset;       /* widget->prepare's object (e.g. parsed GeoJSON), or NULL; owned */
    struct panel_drill *drill; /* NULL: a touch on an item leads nowhere */
};

/* An alternative arrangement of the same panels for outputs of another
 * aspect, e.g. a 32:9 splice wall. */
struct scene_layout {
    char *name;
    double min_aspect;        /* used when width / height >= this (0: no lower bound) */
    double max_aspect;        /* and <= this (0: no upper bound), e.g. 0.75 for portrait */
    double design_w, design_h;
    struct grid grid;
    int (*area)[4];           /* [col, row, colspan, rowspan] of panels[i] */
};

/* The parameter that chooses the period every binding is bounded by
 * (query.until): empty = the newest. */
#define SCENE_PARAM_PERIOD "period"

struct scene_param {
    char *name, *value;
};

struct scene {
    char *path, *name, *title, *subtitle;
    double design_w, design_h;
    enum fit_mode fit;
    char *theme;
    struct grid grid;
    struct scene_param *params;
    size_t nparams;
    char **param_defaults; /* params[i]'s value as the scene file declares it */
    struct panel *panels;
    size_t npanels;
    struct scene_layout *layouts; /* alternatives; the top level is the base */
    size_t nlayouts;
    /* What compose_scene_period found, and for which data (store_stamp):
     * the title bar asks every clock second, the answer only changes with
     * the data. Owned; touched by the thread that draws the scene only. */
    struct scene_memo {
        bool valid;
        uint64_t stamp;
        char period[64];
    } *memo;
};

struct scene_env {
    const struct catalog *catalog;           /* NULL: sources are not checked */
    const struct widget_spec *const *widgets; /* NULL-terminated */
    const struct scene_param *overrides;     /* --param name=value */
    size_t noverrides;
    /* The level of a region code (the regions table's kind), or LEVEL_ANY
     * when it does not know it; NULL or LEVEL_ANY: the code itself says
     * (GB/T 2260: a code ending in 00 is a city's, others a county's). */
    enum scene_level (*region_level)(const char *code, void *arg);
    void *region_arg;
};

/* The level of the view the scene's region parameter names (LEVEL_CITY
 * without one). */
enum scene_level scene_level_of(const struct scene_env *env, const char *code);

/* NULL + *err ("file:line:col: ..." or "file: json.path: ...") on failure.
 * Free with scene_destroy(). */
struct scene *scene_load(const char *path, const struct scene_env *env, struct err *err);
struct scene *scene_parse(const char *path, const char *data, size_t len,
                          const struct scene_env *env, struct err *err);
void scene_destroy(struct scene *s);

/* The layout for a w×h output: among the alternatives whose min_aspect and
 * max_aspect admit w/h, the one with the largest min_aspect, then the
 * smallest max_aspect; NULL for the base layout. */
const struct scene_layout *scene_pick_layout(const struct scene *s, int w, int h);
/* Panel i's rectangle in design units on a canvas of canvas_w×canvas_h. */
struct rect scene_panel_rect(const struct scene *s, const struct scene_layout *L, size_t i,
                             double canvas_w, double canvas_h);

/* Option accessors: the panel's value or the widget's default. */
double panel_opt_num(const struct panel *p, const char *name);
bool panel_opt_bool(const struct panel *p, const char *name);
/* Never NULL; lives as long as the panel. */
const char *panel_opt_str(const struct panel *p, const char *name);
rgba_t panel_opt_color(const struct panel *p, const char *name, rgba_t fallback);
json_t *panel_opt_json(const struct panel *p, const char *name);   /* borrowed or NULL */
/* True when the panel changes with the clock (its widget's animated_by). */
bool panel_animates(const struct panel *p);
/* Of an animated panel: the step of the clock it shows at `now` (its
 * widget's clock_phase, else `now`): drawn again when this changes. */
uint64_t panel_clock_phase(const struct panel *p, int64_t now);
/* The role's number format (defaults if the scene gives none). */
const struct numfmt *panel_format(const struct panel *p, const char *role);
/* The role's "time" pattern (strftime), or NULL: how a text timestamp is drawn. */
const char *panel_time_format(const struct panel *p, const char *role);
/* Threshold colour for v, or `fallback`. */
rgba_t panel_threshold_color(const struct panel *p, double v, rgba_t fallback);

/* Resolves a CLI scene argument: an existing path, else scenes/NAME.json
 * under each of the given directories. Caller frees. NULL if not found. */
char *scene_resolve(const char *arg, const char *const *dirs, size_t ndirs);

/* The default the scene file declares for parameter `name` (before any
 * --param or playlist value), or NULL when it declares none. */
const char *scene_param_default(const struct scene *s, const char *name);

#endif
