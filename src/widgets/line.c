/* Trend chart (趋势图): one line per series over periods, with a soft
 * gradient under each line, optional per-period or constant targets as
 * dashed lines, and the latest value written at the end of each line. */
#include "render/axis.h"
#include "widgets/pivot.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POINTS 1000
#define MAX_SERIES 12
#define LAST_GAP 8.0 /* between a line's end and its value */

static const struct role_spec roles[] = {
    {"x", true, false, "the period (2024-10) or any category along the axis"},
    {"y", true, true, "the value"},
    {"series", false, false, "one line per distinct value (e.g. the indicator name)"},
    {"target", false, true, "a target per row, drawn as a dashed line"},
    WIDGET_CODE_ROLE,
    {0},
};

static const struct prop_spec props[] = {
    {"area", PROP_BOOL, "true", 0, 0, NULL, "gradient fill under each line"},
    {"smooth", PROP_BOOL, "true", 0, 0, NULL, "monotone curves (never overshoot the data)"},
    {"markers", PROP_BOOL, "false", 0, 0, NULL, "a dot on every point (when they have room)"},
    {"target_value", PROP_NUMBER, NULL, -1e15, 1e15, NULL,
     "a constant target or plan drawn as a dashed line (none when not set)"},
    {"target_label", PROP_STRING, "\"\"", 0, 0, NULL,
     "text on the target line, e.g. \"目标 8.0%\"; default: 目标 and the value"},
    {"y_unit", PROP_STRING, "\"\"", 0, 0, NULL,
     "unit above the value axis, e.g. \"%\"; default: the y format's unit"},
    {"min_zero", PROP_BOOL, "false", 0, 0, NULL, "include 0 in the value range"},
    {"x_format", PROP_ENUM, "\"auto\"", 0, 0, "auto|raw|month|short",
     "periods as 3月 with the year where it changes (month), as 24-03 (short), or as given "
     "(raw); auto: month when every x is a period"},
    {"last_label", PROP_BOOL, "false", 0, 0, NULL, "write the last value at the end of each line"},
    {"legend", PROP_BOOL, "true", 0, 0, NULL, "legend of the series and the target line"},
    WIDGET_HIGHLIGHT_PROP,
    {0},
};

/* One series' points in plot coordinates; NaN y = no data (a gap). */
struct trace {
    double *x, *y;
    size_t n;
};

/* Tangents by Steffen's method: a cubic through the points that is
 * monotone between them, so a smoothed line never invents a peak or dip
 * that the data does not have. */
static void steffen_slopes(const double *x, const double *y, size_t n, double *m)
{
    for (size_t i = 0; i < n; i++) {
        double hl = i > 0 ? x[i] - x[i - 1] : 0, hr = i + 1 < n ? x[i + 1] - x[i] : 0;
        double dl = hl > 0 ? (y[i] - y[i - 1]) / hl : 0, dr = hr > 0 ? (y[i + 1] - y[i]) / hr : 0;
        if (i == 0 || i + 1 == n) {
            m[i] = i == 0 ? dr : dl;
            continue;
        }
        double p = (dl * hr + dr * hl) / (hl + hr);
        double sgn = (dl > 0) - (dl < 0) + (dr > 0) - (dr < 0); /* 0 at a peak or dip */
        m[i] = sgn * fmin(fmin(fabs(dl), fabs(dr)), fabs(p) / 2);
    }
}

/* The next run of finite points at or after *a, as [*a, *b); false when
 * there is none. Gaps (NaN) break a line instead of dropping it to 0. */
static bool next_run(const struct trace *t, size_t *a, size_t *b)
{
    size_t i = *a;
    while (i < t->n && !isfinite(t->y[i]))
        i++;
    if (i >= t->n)
        return false;
    size_t j = i + 1;
    while (j < t->n && isfinite(t->y[j]))
        j++;
    *a = i;
    *b = j;
    return true;
}

/* Adds the run [a, b) to the path as straight segments or monotone curves;
 * m is scratch space for n slopes. */
static void trace_path(cairo_t *cr, const struct trace *t, size_t a, size_t b, bool smooth,
                       double *m)
{
    bool curve = smooth && b - a > 2;
    if (curve)
        steffen_slopes(t->x + a, t->y + a, b - a, m + a);
    cairo_move_to(cr, t->x[a], t->y[a]);
    for (size_t i = a + 1; i < b; i++) {
        double h = (t->x[i] - t->x[i - 1]) / 3;
        if (curve)
            cairo_curve_to(cr, t->x[i - 1] + h, t->y[i - 1] + m[i - 1] * h, t->x[i] - h,
                           t->y[i] - m[i] * h, t->x[i], t->y[i]);
        else
            cairo_line_to(cr, t->x[i], t->y[i]);
    }
}

struct line_opts {
    bool area, smooth, markers, last_label, legend;
    bool has_target_value;
    double target_value;
    enum axis_label_style style;
};

static struct line_opts read_opts(const struct panel *p, const struct pivot *pv)
{
    struct line_opts o = {
        .area = panel_opt_bool(p, "area"),
        .smooth = panel_opt_bool(p, "smooth"),
        .markers = panel_opt_bool(p, "markers"),
        .last_label = panel_opt_bool(p, "last_label"),
        .legend = panel_opt_bool(p, "legend"),
        .has_target_value = json_is_number(panel_opt_json(p, "target_value")),
        .target_value = panel_opt_num(p, "target_value"),
    };
    const char *xf = panel_opt_str(p, "x_format");
    if (strcmp(xf, "month") == 0)
        o.style = AXIS_LABEL_MONTH;
    else if (strcmp(xf, "short") == 0)
        o.style = AXIS_LABEL_SHORT;
    else if (strcmp(xf, "auto") == 0 && axis_labels_are_periods(pv->cats, pv->ncats))
        o.style = AXIS_LABEL_MONTH;
    else
        o.style = AXIS_LABEL_RAW;
    return o;
}

/* Index of the last finite value of series s, or -1. */
static long last_point(const struct pivot *pv, size_t s)
{
    for (size_t c = pv->ncats; c-- > 0;)
        if (isfinite(pivot_at(pv, s, c)))
            return (long)c;
    return -1;
}

static double last_labels_width(const struct widget_ctx *ctx, const struct pivot *pv)
{
    struct text_style st = wstyle(ctx, true, 16, 700, ctx->theme->text);
    double widest = 0;
    for (size_t s = 0; s < pv->nseries; s++) {
        long c = last_point(pv, s);
        char buf[64];
        double w, h;
        if (c < 0)
            continue;
        text_measure(ctx->r->text, wfmt(ctx, "y", pivot_at(pv, s, (size_t)c), buf, sizeof buf),
                     &st, &w, &h);
        widest = fmax(widest, w);
    }
    return widest;
}

static const char *target_text(const struct widget_ctx *ctx, double v, char *buf, size_t len)
{
    const char *label = panel_opt_str(ctx->panel, "target_label");
    if (*label) {
        snprintf(buf, len, "%s", label);
    } else {
        char num[64];
        snprintf(buf, len, "目标 %s", wfmt(ctx, "y", v, num, sizeof num));
    }
    return buf;
}

/* The header above the plot: unit, cap note, legend. Returns its height. */
static double draw_header(const struct widget_ctx *ctx, const struct pivot *pv,
                          const struct line_opts *o)
{
    struct legend_item items[MAX_SERIES + 1];
    size_t n = 0;
    if (o->legend && wcol(ctx, "series") >= 0)
        for (size_t s = 0; s < pv->nseries; s++)
            items[n++] = (struct legend_item){pv->series[s], chart_color(ctx, s), LEGEND_LINE};
    if (o->legend && wcol(ctx, "target") >= 0) {
        const char *tl = panel_opt_str(ctx->panel, "target_label");
        items[n++] = (struct legend_item){*tl ? tl : "目标", ctx->theme->warn, LEGEND_DASH};
    }
    const char *unit = panel_opt_str(ctx->panel, "y_unit");
    if (!*unit)
        unit = wunit(ctx, "y");
    char note[96];
    return axis_draw_header(ctx->cr, ctx->r, ctx->box, unit, pivot_note(pv, note, sizeof note),
                            items, n);
}

static void dashed(cairo_t *cr, rgba_t c, double width)
{
    static const double dash[] = {6, 4};
    color_set(cr, c);
    cairo_set_line_width(cr, width);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

static void target_value_line(const struct widget_ctx *ctx, const struct axis_scale *s,
                              struct rect plot, double v)
{
    double y = axis_pos(s, v);
    cairo_move_to(ctx->cr, plot.x, y);
    cairo_line_to(ctx->cr, plot.x + plot.w, y);
    dashed(ctx->cr, ctx->theme->warn, 1.5);
}

/* Drawn after the lines, on a plate so that lines crossing it do not
 * garble the text. */
static void target_value_label(const struct widget_ctx *ctx, const struct axis_scale *s,
                               struct rect plot, double v)
{
    cairo_t *cr = ctx->cr;
    double y = axis_pos(s, v);
    char buf[160];
    struct text_style st = wstyle(ctx, false, 14, 500, ctx->theme->warn);
    st.max_width = plot.w / 2;
    target_text(ctx, v, buf, sizeof buf);
    double w, h;
    text_measure(ctx->r->text, buf, &st, &w, &h);
    /* above the line, or below it when the line runs along the top */
    bool above = y - plot.y > h + 6;
    double ty = above ? y - 3 - h : y + 3, tx = plot.x + plot.w - 4 - w;
    draw_rounded_rect(cr, tx - 4, ty, w + 8, h, 3);
    color_set_alpha(cr, ctx->theme->bg_bottom, 0.8);
    cairo_fill(cr);
    text_draw(ctx->r->text, cr, tx, ty, ANCHOR_LEFT | ANCHOR_TOP, buf, &st);
}

/* Fills the area under each run down to the plot's bottom, fading out. */
static void draw_area(cairo_t *cr, const struct trace *t, struct rect plot, rgba_t c,
                      double alpha, bool smooth, double *m)
{
    double base = plot.y + plot.h;
    cairo_pattern_t *g = cairo_pattern_create_linear(0, plot.y, 0, base);
    color_add_stop(g, 0, (c & 0xffffff00) | (rgba_t)lround(alpha * 255));
    color_add_stop(g, 1, c & 0xffffff00);
    for (size_t a = 0, b; next_run(t, &a, &b); a = b) {
        trace_path(cr, t, a, b, smooth, m);
        cairo_line_to(cr, t->x[b - 1], base);
        cairo_line_to(cr, t->x[a], base);
        cairo_close_path(cr);
    }
    cairo_set_source(cr, g);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
}

/* The line with a soft glow under it, so it reads on a dark wall; single
 * points (a run of one) get a dot or they would not show at all. */
/* The path of every run of the trace, with round joins and caps. */
static void runs_path(cairo_t *cr, const struct trace *t, bool smooth, double *m)
{
    for (size_t a = 0, b; next_run(t, &a, &b); a = b)
        trace_path(cr, t, a, b, smooth, m);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
}

static void draw_trace(const struct widget_ctx *ctx, const struct trace *t, rgba_t c, bool smooth,
                       bool markers, double *m)
{
    cairo_t *cr = ctx->cr;
    runs_path(cr, t, smooth, m);
    color_set_alpha(cr, c, 0.18);
    cairo_set_line_width(cr, 7);
    cairo_stroke_preserve(cr);
    color_set(cr, c);
    cairo_set_line_width(cr, 2.5);
    cairo_stroke(cr);
    for (size_t a = 0, b; next_run(t, &a, &b); a = b) {
        for (size_t i = a; i < b; i++) {
            if (!markers && b - a > 1)
                break;
            cairo_new_sub_path(cr);
            cairo_arc(cr, t->x[i], t->y[i], 3.5, 0, 2 * M_PI);
        }
    }
    color_set(cr, ctx->theme->bg_bottom);
    cairo_fill_preserve(cr);
    color_set(cr, c);
    cairo_set_line_width(cr, 2);
    cairo_stroke(cr);
}

struct end_label {
    double x, y;
    rgba_t color;
    char text[64];
};

static int cmp_end_label(const void *a, const void *b)
{
    double ya = ((const struct end_label *)a)->y, yb = ((const struct end_label *)b)->y;
    return (ya > yb) - (ya < yb);
}

/* The last value of each line right of its end, pushed apart vertically
 * so that lines ending close together keep readable labels. */
static void draw_end_labels(const struct widget_ctx *ctx, struct end_label *l, size_t n,
                            struct rect plot)
{
    const double line_h = 18;
    qsort(l, n, sizeof *l, cmp_end_label);
    for (size_t i = 1; i < n; i++)
        l[i].y = fmax(l[i].y, l[i - 1].y + line_h);
    double bottom = plot.y + plot.h;
    for (size_t i = n; i-- > 0;) {
        bottom = fmin(l[i].y, bottom);
        l[i].y = bottom;
        bottom -= line_h;
    }
    for (size_t i = 0; i < n; i++) {
        struct text_style st = wstyle(ctx, true, 16, 700, l[i].color);
        text_draw(ctx->r->text, ctx->cr, l[i].x + LAST_GAP, fmax(l[i].y, plot.y),
                  ANCHOR_LEFT | ANCHOR_MIDDLE, l[i].text, &st);
    }
}

/* True when the highlight names series si (by any of its rows). */
static bool series_highlighted(const struct widget_ctx *ctx, const struct pivot *pv, size_t si)
{
    for (size_t i = 0; i < pv->ncats; i++) {
        long row = pivot_row(pv, si, i);
        if (row >= 0)
            return whighlight(ctx, (size_t)row, "series");
    }
    return false;
}

/* The highlight on a series: a wide band in the highlight colour under its
 * line, so the region's own trend stands out among the others. */
static void draw_series_highlight(const struct widget_ctx *ctx, const struct trace *t,
                                  bool smooth, double *m)
{
    cairo_t *cr = ctx->cr;
    runs_path(cr, t, smooth, m);
    color_set_alpha(cr, ctx->theme->highlight, 0.6);
    cairo_set_line_width(cr, 9);
    cairo_stroke(cr);
}

/* Where the i-th of n periods sits across the plot. */
static double point_x(struct rect plot, size_t n, size_t i)
{
    return n == 1 ? plot.x + plot.w / 2 : plot.x + plot.w * (double)i / (double)(n - 1);
}

/* Everything inside the plot: targets, areas, lines, end labels. */
static void draw_plot(const struct widget_ctx *ctx, const struct pivot *pv,
                      const struct line_opts *o, const struct axis_scale *s, struct rect plot)
{
    cairo_t *cr = ctx->cr;
    size_t n = pv->ncats;
    double *buf = malloc(3 * n * sizeof *buf);
    if (!buf)
        return;
    struct trace t = {buf, buf + n, n};
    double *m = buf + 2 * n;
    for (size_t i = 0; i < n; i++)
        t.x[i] = point_x(plot, n, i);
    bool markers = o->markers && (n < 2 || plot.w / (double)(n - 1) >= 10);

    bool target_value = o->has_target_value && isfinite(o->target_value);
    if (target_value)
        target_value_line(ctx, s, plot, o->target_value);
    if (wcol(ctx, "target") >= 0) {
        for (size_t i = 0; i < n; i++)
            t.y[i] = isfinite(pv->extra[i]) ? axis_pos(s, pv->extra[i]) : NAN;
        for (size_t a = 0, b; next_run(&t, &a, &b); a = b)
            trace_path(cr, &t, a, b, false, m);
        dashed(cr, ctx->theme->warn, 2);
    }
    struct end_label labels[MAX_SERIES];
    size_t nl = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t si = 0; si < pv->nseries; si++) {
            rgba_t c = chart_color(ctx, si);
            for (size_t i = 0; i < n; i++) {
                double v = pivot_at(pv, si, i);
                t.y[i] = isfinite(v) ? axis_pos(s, v) : NAN;
            }
            /* all areas first, so that no fill covers another series' line */
            if (pass == 0 && o->area)
                draw_area(cr, &t, plot, c, pv->nseries > 1 ? 0.16 : 0.34, o->smooth, m);
            if (pass == 0)
                continue;
            if (series_highlighted(ctx, pv, si))
                draw_series_highlight(ctx, &t, o->smooth, m);
            draw_trace(ctx, &t, c, o->smooth, markers, m);
            long last = last_point(pv, si);
            if (o->last_label && last >= 0 && nl < MAX_SERIES) {
                struct end_label *l = &labels[nl++];
                *l = (struct end_label){t.x[last], t.y[last], c, ""};
                wfmt(ctx, "y", pivot_at(pv, si, (size_t)last), l->text, sizeof l->text);
            }
        }
    }
    if (target_value)
        target_value_label(ctx, s, plot, o->target_value);
    draw_end_labels(ctx, labels, nl, plot);
    free(buf);
}

/* The pivot, options, value scale and plot, for draw and hit alike (the
 * axes are drawn on the way); false when there is no plot. Free pv either
 * way. */
static bool line_layout(const struct widget_ctx *ctx, struct pivot *pv, struct line_opts *o,
                        struct axis_scale *s, struct rect *plot)
{
    const struct pivot_spec spec = {
        .cat = "x", .value = "y", .series = "series", .extra = "target",
        .sort_periods = true, .keep_last = true, .max_cats = MAX_POINTS, .max_series = MAX_SERIES,
    };
    pivot_build(pv, ctx, &spec);
    *o = read_opts(ctx->panel, pv);
    struct rect box = ctx->box;
    /* too small for axes: a bare sparkline still says which way it goes */
    bool bare = box.w < 160 || box.h < 110;
    if (pv->ncats == 0 || box.w < 20 || box.h < 16)
        return false;
    double lo, hi;
    pivot_range(pv, &lo, &hi);
    if (o->has_target_value && isfinite(o->target_value)) {
        lo = fmin(lo, o->target_value);
        hi = fmax(hi, o->target_value);
    }
    if (bare) {
        *plot = rect_inset(box, 4, 4);
        *s = axis_nice(lo, hi, 2, panel_opt_bool(ctx->panel, "min_zero"));
        s->p0 = plot->y + plot->h;
        s->p1 = plot->y;
        return plot->w > 0 && plot->h > 0;
    }
    double head = draw_header(ctx, pv, o);
    box.y += head;
    box.h -= head;
    struct axis_margins extra = {.right = 10};
    if (o->last_label)
        extra.right = last_labels_width(ctx, pv) + LAST_GAP + 4;
    *plot = axis_fit(ctx->r, box, true, 30, &extra, lo, hi,
                     panel_opt_bool(ctx->panel, "min_zero"), panel_format(ctx->panel, "y"), s);
    axis_draw_values(ctx->cr, ctx->r, s, *plot, true, panel_format(ctx->panel, "y"));
    struct axis_categories cats = {
        pv->cats, pv->ncats, point_x(*plot, pv->ncats, 0),
        pv->ncats > 1 ? plot->w / (double)(pv->ncats - 1) : 0, o->style, true,
    };
    axis_draw_categories(ctx->cr, ctx->r, &cats, *plot, true, 0, box.x, box.x + box.w);
    return plot->w > 0 && plot->h > 0;
}

static void draw(const struct widget_ctx *ctx)
{
    struct pivot pv;
    struct line_opts o;
    struct axis_scale s;
    struct rect plot;
    if (line_layout(ctx, &pv, &o, &s, &plot))
        draw_plot(ctx, &pv, &o, &s, plot);
    pivot_finish(&pv);
}

/* The row of the data point nearest the touch, within a finger's reach. */
static int hit(const struct widget_ctx *ctx, double x, double y)
{
    const double reach = 16;
    struct pivot pv;
    struct line_opts o;
    struct axis_scale s;
    struct rect plot;
    long row = -1;
    double best = reach;
    bool laid_out = line_layout(ctx, &pv, &o, &s, &plot);
    for (size_t si = 0; laid_out && si < pv.nseries; si++)
        for (size_t i = 0; i < pv.ncats; i++) {
            double v = pivot_at(&pv, si, i);
            double d = hypot(point_x(plot, pv.ncats, i) - x, axis_pos(&s, v) - y);
            if (isfinite(d) && d <= best) {
                best = d;
                row = pivot_row(&pv, si, i);
            }
        }
    pivot_finish(&pv);
    return (int)row;
}

const struct widget_class widget_line = {
    .spec = {
        .name = "line",
        .title = "Trend chart (趋势图)",
        .doc = "Values over periods: one line per series (smooth or straight, with a gradient "
               "area), an optional target per period or a constant target line, the last value "
               "at the end of each line. Periods are written 3月 with the year where it changes.",
        .needs_data = true,
        .roles = roles,
        .props = props,
    },
    .draw = draw,
    .hit = hit,
};
