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
};

/* NULL-terminated; the specs in the same order for scene_env.widgets. */
extern const struct widget_class *const widget_classes[];
const struct widget_spec *const *widget_specs(void);
const struct widget_class *widget_class_of(const struct widget_spec *spec);

/* ---- helpers for widget code ------------------------------------------- */

/* Column of a role in ctx->data, or -1 (optional role not bound). */
int wcol(const struct widget_ctx *ctx, const char *role);
/* Number of a role in a row; NAN when unbound, NULL or bad. */
double wnum(const struct widget_ctx *ctx, size_t row, int col);
/* Text of a role in a row; "" when unbound or NULL; numbers formatted %.15g
 * into buf. */
const char *wtext(const struct widget_ctx *ctx, size_t row, int col, char *buf, size_t len);
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
