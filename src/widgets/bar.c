/* Bar chart (柱状图/条形图): one bar per category, grouped or stacked by
 * series, vertical or horizontal. Negative values hang below (or left of)
 * the zero line; missing values leave a gap rather than a zero bar. */
#include "render/axis.h"
#include "widgets/pivot.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SERIES 12
#define MIN_SLOT 4.0     /* design units per category before we cap the count */
#define MAX_BAR 40.0     /* a lone bar in a wide panel stays a bar, not a wall */
#define VALUE_GAP 5.0    /* between a bar's tip and its value */

static const struct role_spec roles[] = {
    {"category", true, false, "the bar's label: region, sector, period"},
    {"value", true, true, "the bar's length; negative values go below the zero line"},
    {"series", false, false, "one bar (grouped) or segment (stacked) per distinct value"},
    WIDGET_CODE_ROLE,
    {0},
};

static const struct prop_spec props[] = {
    {"mode", PROP_ENUM, "\"grouped\"", 0, 0, "grouped|stacked",
     "series side by side, or stacked on each other (totals written at the end)"},
    {"orientation", PROP_ENUM, "\"vertical\"", 0, 0, "vertical|horizontal",
     "columns growing up, or bars growing right (long category names fit better)"},
    {"show_values", PROP_BOOL, "true", 0, 0, NULL,
     "write values at the bar ends (dropped when they do not fit)"},
    {"y_unit", PROP_STRING, "\"\"", 0, 0, NULL,
     "unit at the value axis, e.g. \"家\"; default: the value format's unit"},
    {"rounded", PROP_BOOL, "true", 0, 0, NULL, "round the outer corners of each bar"},
    {"legend", PROP_BOOL, "true", 0, 0, NULL, "legend of the series (with a series role)"},
    WIDGET_HIGHLIGHT_PROP,
    {0},
};

struct bar_opts {
    bool stacked, vertical, show_values, rounded;
};

/* Bars are drawn in (c, v) coordinates, c along the category axis and v
 * along the value axis; for horizontal charts a transform swaps x and y,
 * so both orientations share one drawing path. Text is never drawn under
 * the swap (it would be mirrored): label positions go through pt(). */
static void swap_axes(cairo_t *cr, bool vertical)
{
    static const cairo_matrix_t swap = {0, 1, 1, 0, 0, 0};
    if (!vertical)
        cairo_transform(cr, &swap);
}

static void pt(bool vertical, double c, double v, double *x, double *y)
{
    *x = vertical ? c : v;
    *y = vertical ? v : c;
}

/* A bar across [c0, c1] from its base v0 to its tip v1, the tip's corners
 * rounded (quarter circles as Béziers, whichever way the bar points). */
static void bar_path(cairo_t *cr, double c0, double c1, double v0, double v1, double radius)
{
    double dir = v1 < v0 ? -1 : 1;
    double r = fmax(0, fmin(radius, fmin((c1 - c0) / 2, fabs(v1 - v0))));
    const double k = 0.448; /* 1 − 0.552: control points of a circular quarter */
    cairo_move_to(cr, c0, v0);
    cairo_line_to(cr, c0, v1 - dir * r);
    cairo_curve_to(cr, c0, v1 - dir * r * k, c0 + r * k, v1, c0 + r, v1);
    cairo_line_to(cr, c1 - r, v1);
    cairo_curve_to(cr, c1 - r * k, v1, c1, v1 - dir * r * k, c1, v1 - dir * r);
    cairo_line_to(cr, c1, v0);
    cairo_close_path(cr);
}

/* Fills a bar that brightens from its base to its tip, as lit columns on
 * a wall do; stacked segments stay nearly flat so they do not stripe. */
static void fill_bar(cairo_t *cr, const struct bar_opts *o, double c0, double c1, double v0,
                     double v1, rgba_t color, bool tip)
{
    cairo_save(cr);
    swap_axes(cr, o->vertical);
    bar_path(cr, c0, c1, v0, v1, o->rounded && tip ? 4 : 0);
    cairo_pattern_t *g = cairo_pattern_create_linear(0, v0, 0, v1);
    color_add_stop(g, 0, color_mix(color & 0xffffff00, color, o->stacked ? 0.8 : 0.3));
    color_add_stop(g, 1, color);
    cairo_set_source(cr, g);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
    cairo_restore(cr);
}

struct bar_geom {
    struct axis_scale s;
    struct rect plot;
    double first, slot; /* centre of category 0 and the distance between categories */
    double bar;         /* thickness of one bar (a whole stack when stacked) */
};

/* A value beyond the tip at v1: above or right of positive bars, below or
 * left of negative ones. When a negative bar reaches the plot's end, its
 * value goes to the other side of the zero line, where the bar's own
 * column is empty anyway. */
static void value_label(const struct widget_ctx *ctx, const struct bar_opts *o,
                        const struct bar_geom *g, double c, double v1, double value)
{
    char buf[64];
    struct text_style st = wstyle(ctx, true, 14, 500, ctx->theme->text);
    wfmt(ctx, "value", value, buf, sizeof buf);
    double w, h;
    text_measure(ctx->r->text, buf, &st, &w, &h);
    bool neg = value < 0;
    double room = o->vertical ? g->plot.y + g->plot.h - v1 : v1 - g->plot.x;
    if (neg && room < (o->vertical ? h : w) + VALUE_GAP) {
        v1 = axis_pos(&g->s, 0);
        neg = false;
    }
    double x, y;
    /* v grows downwards on vertical charts: a positive tip lies above */
    pt(o->vertical, c, v1 + (neg == o->vertical ? VALUE_GAP : -VALUE_GAP), &x, &y);
    int anchor = o->vertical ? ANCHOR_CENTER | (neg ? ANCHOR_TOP : ANCHOR_BOTTOM)
                             : ANCHOR_MIDDLE | (neg ? ANCHOR_RIGHT : ANCHOR_LEFT);
    text_draw(ctx->r->text, ctx->cr, x, y, anchor, buf, &st);
}

static double widest_value(const struct widget_ctx *ctx, const double *v, size_t n)
{
    struct text_style st = wstyle(ctx, true, 14, 500, ctx->theme->text);
    double widest = 0;
    for (size_t i = 0; i < n; i++) {
        char buf[64];
        double w, h;
        if (!isfinite(v[i]))
            continue;
        text_measure(ctx->r->text, wfmt(ctx, "value", v[i], buf, sizeof buf), &st, &w, &h);
        widest = fmax(widest, w);
    }
    return widest;
}

/* What the value axis must cover: the cells (grouped) or, per category,
 * the sums of positive and of negative segments (stacked). */
static void value_range(const struct pivot *pv, bool stacked, double *lo, double *hi)
{
    if (!stacked) {
        pivot_range(pv, lo, hi);
        return;
    }
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t c = 0; c < pv->ncats; c++) {
        double pos = 0, neg = 0;
        for (size_t s = 0; s < pv->nseries; s++) {
            double v = pivot_at(pv, s, c);
            if (isfinite(v))
                *(v < 0 ? &neg : &pos) += v;
        }
        *lo = fmin(*lo, neg);
        *hi = fmax(*hi, pos);
    }
}

/* The signed totals written at the end of each stack: the positive sum,
 * or the negative one for stacks that only go down; NaN for empty ones. */
static void stack_totals(const struct pivot *pv, double *totals)
{
    for (size_t c = 0; c < pv->ncats; c++) {
        double pos = 0, neg = 0;
        bool any = false;
        for (size_t s = 0; s < pv->nseries; s++) {
            double v = pivot_at(pv, s, c);
            if (isfinite(v)) {
                *(v < 0 ? &neg : &pos) += v;
                any = true;
            }
        }
        totals[c] = !any ? NAN : pos > 0 || neg == 0 ? pos : neg;
    }
}

/* Where one bar or segment is, in (c, v) coordinates: across [c0, c1]
 * from its base v0 to its tip v1. */
struct bar_extent {
    double c0, c1, v0, v1;
};

/* The extent of series s in category c; false for a missing value.
 * Stacked segments sit on the earlier ones of the same sign. */
static bool bar_extent(const struct pivot *pv, const struct bar_opts *o, const struct bar_geom *g,
                       size_t c, size_t s, struct bar_extent *e)
{
    double v = pivot_at(pv, s, c);
    if (!isfinite(v))
        return false;
    double zero = axis_pos(&g->s, 0), centre = g->first + g->slot * (double)c;
    size_t ns = o->stacked ? 1 : pv->nseries;
    double c0 = centre - g->bar * (double)ns / 2, gap = g->bar > 10 ? 2 : 0;
    if (!o->stacked) {
        double b0 = c0 + g->bar * (double)s;
        *e = (struct bar_extent){b0 + gap / 2, b0 + g->bar - gap / 2, zero, axis_pos(&g->s, v)};
        return true;
    }
    double acc = 0;
    for (size_t k = 0; k < s; k++) {
        double u = pivot_at(pv, k, c);
        if (isfinite(u) && (u < 0) == (v < 0))
            acc += u;
    }
    *e = (struct bar_extent){c0, c0 + g->bar, axis_pos(&g->s, acc), axis_pos(&g->s, acc + v)};
    return true;
}

/* The extent as a rectangle on the canvas. */
static struct rect extent_rect(const struct bar_opts *o, const struct bar_extent *e)
{
    double x0, y0, x1, y1;
    pt(o->vertical, e->c0, fmin(e->v0, e->v1), &x0, &y0);
    pt(o->vertical, e->c1, fmax(e->v0, e->v1), &x1, &y1);
    return (struct rect){x0, y0, x1 - x0, y1 - y0};
}

/* True when the highlight names category c (by any of its rows). */
static bool category_lit(const struct widget_ctx *ctx, const struct pivot *pv, size_t c)
{
    for (size_t s = 0; s < pv->nseries; s++) {
        long row = pivot_row(pv, s, c);
        if (row >= 0 && whighlight(ctx, (size_t)row, "category"))
            return true;
    }
    return false;
}

/* Draws one category's bars; their values come after all bars. */
static void draw_category(const struct widget_ctx *ctx, const struct pivot *pv,
                          const struct bar_opts *o, const struct bar_geom *g, size_t c)
{
    /* in a stack only the outermost segment on each side gets round corners */
    size_t last_pos = pv->nseries, last_neg = pv->nseries;
    for (size_t s = 0; s < pv->nseries; s++) {
        double v = pivot_at(pv, s, c);
        if (isfinite(v))
            *(v < 0 ? &last_neg : &last_pos) = s;
    }
    bool lit = category_lit(ctx, pv, c);
    struct bar_extent stack = {0, 0, INFINITY, -INFINITY};
    for (size_t s = 0; s < pv->nseries; s++) {
        double v = pivot_at(pv, s, c);
        struct bar_extent e;
        if (!bar_extent(pv, o, g, c, s, &e))
            continue;
        bool tip = !o->stacked || s == (v < 0 ? last_neg : last_pos);
        fill_bar(ctx->cr, o, e.c0, e.c1, e.v0, e.v1, chart_color(ctx, s), tip);
        if (lit && !o->stacked)
            wdraw_highlight(ctx, extent_rect(o, &e), o->rounded ? 3 : 0, false);
        stack = (struct bar_extent){e.c0, e.c1, fmin(stack.v0, fmin(e.v0, e.v1)),
                                    fmax(stack.v1, fmax(e.v0, e.v1))};
    }
    if (lit && o->stacked && stack.v0 < stack.v1) /* one mark around the whole stack */
        wdraw_highlight(ctx, extent_rect(o, &stack), 0, false);
}

/* Values at the bar ends, only when every label has room: a chart with
 * some labels missing would look like missing data. */
static void draw_values(const struct widget_ctx *ctx, const struct pivot *pv,
                        const struct bar_opts *o, const struct bar_geom *g, const double *totals)
{
    size_t ns = o->stacked ? 1 : pv->nseries;
    const double *vals = o->stacked ? totals : pv->v;
    double need = o->vertical ? widest_value(ctx, vals, ns * pv->ncats) + 2 : 16;
    if (need > g->bar + (ns == 1 ? g->slot - g->bar : 0))
        return;
    for (size_t c = 0; c < pv->ncats; c++) {
        double centre = g->first + g->slot * (double)c;
        for (size_t s = 0; s < ns; s++) {
            double v = vals[s * pv->ncats + c];
            if (isfinite(v))
                value_label(ctx, o, g, centre + g->bar * ((double)s - (double)ns / 2 + 0.5),
                            axis_pos(&g->s, v), v);
        }
    }
}

/* Lays out the plot: header, value axis, category labels; fills g. */
static void layout(const struct widget_ctx *ctx, const struct pivot *pv, const struct bar_opts *o,
                   const double *totals, struct bar_geom *g)
{
    struct rect box = ctx->box;
    struct legend_item items[MAX_SERIES];
    size_t n = 0;
    if (panel_opt_bool(ctx->panel, "legend") && wcol(ctx, "series") >= 0)
        for (size_t s = 0; s < pv->nseries; s++)
            items[n++] = (struct legend_item){pv->series[s], chart_color(ctx, s), LEGEND_BOX};
    const char *unit = panel_opt_str(ctx->panel, "y_unit");
    char note[96];
    double head = axis_draw_header(ctx->cr, ctx->r, box, *unit ? unit : wunit(ctx, "value"),
                                   pivot_note(pv, note, sizeof note), items, n);
    box.y += head;
    box.h -= head;

    double lo, hi;
    value_range(pv, o->stacked, &lo, &hi);
    struct axis_margins extra = {.right = 8};
    /* periods read as 3月 with the year where it changes, as on the trends */
    bool periods = axis_labels_are_periods(pv->cats, pv->ncats);
    struct axis_categories cats = {pv->cats, pv->ncats, 0, 0,
                                   periods ? AXIS_LABEL_MONTH : AXIS_LABEL_RAW, periods};
    double band = 30;
    if (o->vertical) {
        extra.top = o->show_values ? 14 : 0;
    } else {
        band = fmin(axis_categories_width(ctx->r, &cats), box.w * 0.3) + 8;
        if (o->show_values)
            extra.right = widest_value(ctx, o->stacked ? totals : pv->v,
                                       (o->stacked ? 1 : pv->nseries) * pv->ncats) + VALUE_GAP + 4;
    }
    const struct numfmt *f = panel_format(ctx->panel, "value");
    g->plot = axis_fit(ctx->r, box, o->vertical, band, &extra, lo, hi, true, f, &g->s);
    axis_draw_values(ctx->cr, ctx->r, &g->s, g->plot, o->vertical, f);

    double len = o->vertical ? g->plot.w : g->plot.h;
    g->slot = len / (double)(pv->ncats ? pv->ncats : 1);
    g->first = (o->vertical ? g->plot.x : g->plot.y) + g->slot / 2;
    size_t ns = o->stacked ? 1 : pv->nseries;
    double group = g->slot * (ns > 1 ? 0.74 : 0.56);
    g->bar = fmin(group / (double)ns, MAX_BAR);
    cats.first = g->first;
    cats.step = g->slot;
    if (o->vertical)
        axis_draw_categories(ctx->cr, ctx->r, &cats, g->plot, true, 0, box.x, box.x + box.w);
    else
        axis_draw_categories(ctx->cr, ctx->r, &cats, g->plot, false, band, box.y, box.y + box.h);
}

/* Everything draw and hit share: options, the pivot, the stack totals and
 * the plot (whose axes layout() draws on its way). False when there is no
 * plot; pv and *totals are to be freed either way. */
static bool bar_layout(const struct widget_ctx *ctx, struct bar_opts *o, struct pivot *pv,
                       double **totals, struct bar_geom *g)
{
    *o = (struct bar_opts){
        .stacked = strcmp(panel_opt_str(ctx->panel, "mode"), "stacked") == 0,
        .vertical = strcmp(panel_opt_str(ctx->panel, "orientation"), "horizontal") != 0,
        .show_values = panel_opt_bool(ctx->panel, "show_values"),
        .rounded = panel_opt_bool(ctx->panel, "rounded"),
    };
    memset(pv, 0, sizeof *pv);
    *totals = NULL;
    if (ctx->box.w < 60 || ctx->box.h < 50)
        return false;
    double len = o->vertical ? ctx->box.w : ctx->box.h;
    const struct pivot_spec spec = {
        .cat = "category", .value = "value", .series = "series", .sum = true,
        .max_cats = (size_t)fmax(1, len / MIN_SLOT), .max_series = MAX_SERIES,
    };
    pivot_build(pv, ctx, &spec);
    *totals = calloc(pv->ncats + 1, sizeof **totals);
    if (pv->ncats == 0 || !*totals)
        return false;
    stack_totals(pv, *totals);
    layout(ctx, pv, o, *totals, g);
    return g->plot.w > 0 && g->plot.h > 0;
}

static void draw(const struct widget_ctx *ctx)
{
    struct bar_opts o;
    struct pivot pv;
    double *totals;
    struct bar_geom g;
    if (bar_layout(ctx, &o, &pv, &totals, &g)) {
        for (size_t c = 0; c < pv.ncats; c++)
            draw_category(ctx, &pv, &o, &g, c);
        if (o.show_values)
            draw_values(ctx, &pv, &o, &g, totals);
    }
    free(totals);
    pivot_finish(&pv);
}

/* The row of the bar or segment under the point. */
static int hit(const struct widget_ctx *ctx, double x, double y)
{
    struct bar_opts o;
    struct pivot pv;
    double *totals;
    struct bar_geom g;
    long row = -1;
    if (bar_layout(ctx, &o, &pv, &totals, &g)) {
        for (size_t c = 0; c < pv.ncats && row < 0; c++)
            for (size_t s = 0; s < pv.nseries && row < 0; s++) {
                struct bar_extent e;
                if (bar_extent(&pv, &o, &g, c, s, &e) &&
                    rect_contains(extent_rect(&o, &e), x, y))
                    row = pivot_row(&pv, s, c);
            }
    }
    free(totals);
    pivot_finish(&pv);
    return (int)row;
}

const struct widget_class widget_bar = {
    .spec = {
        .name = "bar",
        .title = "Bar chart (柱状图)",
        .doc = "Values per category as columns or horizontal bars, grouped or stacked by "
               "series, with a value axis, values at the bar ends and negative values below "
               "the zero line.",
        .needs_data = true,
        .roles = roles,
        .props = props,
    },
    .draw = draw,
    .hit = hit,
};
