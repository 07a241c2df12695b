/* Widgets: one file each, a row in the registry (registry.c). A widget
 * draws a query result (columns named by its roles) into a content box on
 * any cairo_t, in design units. It never queries, never draws panel chrome,
 * stale badges or footnotes (the compositor does), and never fails: bad
 * cells become "—" or are skipped, and an empty table gets a placeholder. */
#ifndef LW_WIDGET_H
#define LW_WIDGET_H
#include "data/table.h"
#include "render/render.h"
#include "scene/scene.h"

struct widget_ctx {
    cairo_t *cr;
    struct render *r;
    const struct theme *theme;
    const struct scene *scene;
    const struct panel *panel;
    const struct table *data;  /* roles as columns; NULL without a binding */
    struct rect box;           /* content area in design units */
    int64_t data_time;         /* newest fetch time of the scene's sources */
    const char *title;         /* the scene's title and subtitle, placeholders filled */
    const char *subtitle;      /* (compose fills them for the title bar; else "" or NULL) */
};

struct widget_class {
    struct widget_spec spec;   /* first: the loader sees only this */
    void (*draw)(const struct widget_ctx *ctx);
    /* The row of ctx->data drawn under (x, y), in the design units draw
     * used, or -1 for none (a gap, an axis, a "more" line). Computed from
     * the layout draw uses, never a copy of it. Layouts may draw as they go
     * (axes, legends), so give hit a scratch ctx->cr (widget_hit_begin).
     * NULL for widgets without rows to touch (title). */
    int (*hit)(const struct widget_ctx *ctx, double x, double y);
};

/* What the title bar's hit answers (its "rows"): back, home, the title (the
 * region: opens its picker), the left text (the period: opens its picker),
 * crumb k at TITLE_CRUMB0 + k; with a picker open, choice k at
 * TITLE_CHOICE0 + k and anywhere else on the bar TITLE_NONE. */
enum { TITLE_BACK, TITLE_HOME, TITLE_REGION, TITLE_PERIOD, TITLE_CRUMB0 = 4, TITLE_NONE = 63,
       TITLE_CHOICE0 = 64 };

/* NULL-terminated; the specs in the same order for scene_env.widgets. */
extern const struct widget_class *const widget_classes[];
const struct widget_spec *const *widget_specs(void);
const struct widget_class *widget_class_of(const struct widget_spec *spec);

/* The hit of a widget that draws only row 0 across its whole box (a KPI
 * tile, a gauge): 0 inside the box when there is a row, else -1. */
int whit_first_row(const struct widget_ctx *ctx, double x, double y);
/* A cairo context on a 1×1 surface for hit tests: what layouts draw on
 * their way is thrown away. Free with cairo_destroy(). */
cairo_t *widget_scratch_cr(void);

/* ---- highlight: the region a county view is about --------------------- */

/* Spec rows every widget with a category, label or code role carries: the
 * `highlight` option and the optional `code` role it is matched against. */
#define WIDGET_HIGHLIGHT_PROP                                                              \
    {"highlight", PROP_STRING, "\"\"", 0, 0, NULL,                                           \
     "draw this item distinctly (an outline in the theme's highlight colour): a literal or "  \
     "{name}, a scene parameter, e.g. \"{city}\"; compared with the item's code role (a "     \
     "table's key), else its label (a table's col1)"}
#define WIDGET_CODE_ROLE                                                                   \
    {"code", false, false, "the item's code (e.g. region_code), matched by highlight"}

/* True when row is the item the panel's highlight names: its `code` role
 * (or, unbound, the `label_role` text) equals the option's value, with
 * {name} replaced by the scene parameter. False without a highlight. */
bool whighlight(const struct widget_ctx *ctx, size_t row, const char *label_role);
/* The highlight mark: an accent outline just inside an item's rectangle,
 * on whole design units so it stays crisp, over a faint accent wash when
 * `wash` (rows; bars keep their own colour). */
void wdraw_highlight(const struct widget_ctx *ctx, struct rect b, double radius, bool wash);

/* clock_phase of the lists that scroll (table, ranking): their scroll step. */
uint64_t wscroll_phase(const struct panel *p, int64_t now);

/* ---- helpers for widget code ------------------------------------------- */

/* Column of a role in ctx->data, or -1 (optional role not bound). */
int wcol(const struct widget_ctx *ctx, const char *role);
/* Number of a role in a row; NAN when unbound, NULL or bad. */
double wnum(const struct widget_ctx *ctx, size_t row, int col);
/* Text of a role in a row; "" when unbound or NULL; numbers formatted %.15g
 * into buf. */
const char *wtext(const struct widget_ctx *ctx, size_t row, int col, char *buf, size_t len);
/* text as the role's "time" format draws it ("2024-11-06 09:30:00" with
 * "%m-%d %H:%M" is "11-06 09:30"); text itself when there is no format or
 * it is not a timestamp. */
const char *wtime(const struct widget_ctx *ctx, const char *role, const char *text, char *buf,
                  size_t len);
/* Formats v with the panel's format for role: "3,059.9". */
const char *wfmt(const struct widget_ctx *ctx, const char *role, double v, char *buf, size_t len);
/* The unit for a role: the format's unit, else the data's "unit" role in row 0. */
const char *wunit(const struct widget_ctx *ctx, const char *role);
/* Text style shortcut. */
struct text_style wstyle(const struct widget_ctx *ctx, bool numeric, double size, int weight,
                         rgba_t color);
/* Series colour i (wraps around the palette). */
rgba_t wseries(const struct widget_ctx *ctx, size_t i);
/* Distinct values of a text role in first-appearance order (borrowed
 * strings, caller frees the array). */
const char **wdistinct(const struct widget_ctx *ctx, int col, size_t *n);
/* "Nice" axis: rounds [lo, hi] out to a step of 1, 2 or 5 × 10^k with about
 * `ticks` intervals. */
void wnice_axis(double lo, double hi, int ticks, double *nlo, double *nhi, double *step);

#endif
