/* Ring chart (环形图/饼图/完成率环): shares of a total as a donut or pie
 * with a legend of label, value and percentage; or, in "rates" mode, each
 * row as a concentric progress ring of value / max (年度目标完成率). */
#include "render/arc.h"
#include "widgets/pivot.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_SLICES 12   /* more become one "其他" slice: a pie of 50 slivers says nothing */
#define MAX_RINGS 8
#define ROW_H 28.0      /* legend row */
#define START (-M_PI / 2)

static const struct role_spec roles[] = {
    {"label", true, false, "name of the slice or ring"},
    {"value", true, true, "the slice's amount, or the ring's progress"},
    {"max", false, true, "rates: the value of a full ring (e.g. the annual target)"},
    WIDGET_CODE_ROLE,
    {0},
};

static const struct prop_spec props[] = {
    {"mode", PROP_ENUM, "\"donut\"", 0, 0, "donut|pie|rates",
     "shares of the total as a donut or pie, or one progress ring per row (value / max)"},
    {"center_label", PROP_STRING, "\"\"", 0, 0, NULL,
     "caption in the donut's centre; default: 合计, or the first row's label"},
    {"center_value", PROP_ENUM, "\"total\"", 0, 0, "total|first|none",
     "number in the donut's centre: the total, the first row's value, or none"},
    {"max", PROP_NUMBER, "100", 1e-9, 1e15, NULL,
     "rates: the value of a full ring when there is no max role"},
    WIDGET_HIGHLIGHT_PROP,
    {0},
};

/* One slice or ring, with what its legend row shows. */
struct ring_item {
    const char *label;
    double value, pct;   /* pct: share of the total, or value / max; NaN: — */
    rgba_t color;
};

/* ---- legend ---------------------------------------------------------------- */

static double text_width(const struct widget_ctx *ctx, const char *s, const struct text_style *st)
{
    double w, h;
    text_measure(ctx->r->text, s, st, &w, &h);
    return w;
}

static const char *pct_text(char *buf, size_t len, double pct)
{
    static const struct numfmt f = {.decimals = 1, .thousands = true, .scale = 1};
    char num[64];
    fmt_number(num, sizeof num, pct, &f);
    snprintf(buf, len, "%s%s", num, isfinite(pct) ? "%" : "");
    return buf;
}

/* The legend's columns: widest label, value and percentage. */
struct legend_cols {
    double label, value, pct;
};

static void legend_styles(const struct widget_ctx *ctx, struct text_style *ls,
                          struct text_style *vs, struct text_style *ps)
{
    *ls = wstyle(ctx, false, 15, 400, ctx->theme->text);
    *vs = wstyle(ctx, true, 16, 500, ctx->theme->value);
    *ps = wstyle(ctx, true, 16, 700, ctx->theme->text);
}

static struct legend_cols measure_legend(const struct widget_ctx *ctx,
                                         const struct ring_item *items, size_t n)
{
    struct text_style ls, vs, ps;
    legend_styles(ctx, &ls, &vs, &ps);
    struct legend_cols c = {0};
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        c.label = fmax(c.label, text_width(ctx, items[i].label, &ls));
        c.value = fmax(c.value, text_width(ctx, wfmt(ctx, "value", items[i].value, buf, sizeof buf), &vs));
        c.pct = fmax(c.pct, text_width(ctx, pct_text(buf, sizeof buf, items[i].pct), &ps));
    }
    return c;
}

/* The width the legend would like: labels up to 220 wide. */
static double legend_width(const struct widget_ctx *ctx, const struct ring_item *items, size_t n,
                           bool with_value)
{
    struct legend_cols c = measure_legend(ctx, items, n);
    return 22 + fmin(c.label, 220) + 14 + (with_value ? c.value + 14 : 0) + c.pct;
}

/* Rows of swatch, label, value (optional) and percentage in `area`, the
 * numbers right-aligned in their columns. In a narrow area the value
 * column goes first, so that labels stay readable; rows that do not fit
 * end in a "… 另N项" row. */
static void draw_legend(const struct widget_ctx *ctx, struct rect area,
                        const struct ring_item *items, size_t n, bool with_value)
{
    struct text_style ls, vs, ps;
    legend_styles(ctx, &ls, &vs, &ps);
    struct legend_cols cols = measure_legend(ctx, items, n);
    double pw = cols.pct, label_w = area.w - 22 - pw - 14;
    char buf[64];
    with_value = with_value && label_w - cols.value - 14 >= 64;
    if (with_value)
        label_w -= cols.value + 14;
    size_t rows = (size_t)fmax(0, floor(area.h / ROW_H));
    /* a lone "…" row would say nothing */
    if (label_w < 28 || rows == 0 || (rows == 1 && n > 1))
        return;
    size_t shown = n < rows ? n : rows;
    double row_h = fmin(area.h / (double)shown, ROW_H * 1.4);
    double y = area.y + (area.h - row_h * (double)shown) / 2 + row_h / 2;
    double right = area.x + area.w;
    for (size_t i = 0; i < shown; i++, y += row_h) {
        if (i + 1 == rows && i + 1 < n) {
            snprintf(buf, sizeof buf, "… 另%zu项", n - i);
            ls.max_width = area.w - 22;
            text_draw(ctx->r->text, ctx->cr, area.x + 22, y, ANCHOR_LEFT | ANCHOR_MIDDLE, buf,
                      &ls);
            break;
        }
        color_set(ctx->cr, items[i].color);
        draw_rounded_rect(ctx->cr, area.x, y - 6, 12, 12, 3);
        cairo_fill(ctx->cr);
        ls.max_width = label_w;
        text_draw(ctx->r->text, ctx->cr, area.x + 22, y, ANCHOR_LEFT | ANCHOR_MIDDLE,
                  items[i].label, &ls);
        ps.color = items[i].color;
        text_draw(ctx->r->text, ctx->cr, right, y, ANCHOR_RIGHT | ANCHOR_MIDDLE,
                  pct_text(buf, sizeof buf, items[i].pct), &ps);
        if (with_value)
            text_draw(ctx->r->text, ctx->cr, right - pw - 14, y, ANCHOR_RIGHT | ANCHOR_MIDDLE,
                      wfmt(ctx, "value", items[i].value, buf, sizeof buf), &vs);
    }
}

/* Splits the box into a square for the chart and the legend's area: the
 * legend beside the chart or below it, whichever leaves the larger chart;
 * chart and legend are centred together as one group. */
static void split(struct rect box, size_t rows, double legend_w, struct rect *chart,
                  struct rect *legend)
{
    const double gap = 24;
    double lw = fmin(legend_w, box.w * 0.55), lh = fmin((double)rows * ROW_H, box.h * 0.45);
    double d_side = fmax(0, fmin(box.h, box.w - lw - gap));
    double d_below = fmax(0, fmin(box.w, box.h - lh - 12));
    if (d_side >= d_below) {
        double x = box.x + fmax(0, (box.w - d_side - gap - lw) / 2);
        *chart = (struct rect){x, box.y + (box.h - d_side) / 2, d_side, d_side};
        *legend = (struct rect){x + d_side + gap, box.y, lw, box.h};
    } else {
        double w = fmin(box.w, legend_w + 40);
        *chart = (struct rect){box.x + (box.w - d_below) / 2, box.y, d_below, d_below};
        *legend = (struct rect){box.x + (box.w - w) / 2, box.y + d_below + 12, w,
                                fmax(0, box.h - d_below - 12)};
    }
}

/* ---- donut and pie ----------------------------------------------------------- */

struct ring_rows {
    struct ring_item items[MAX_SLICES];
    char labels[MAX_SLICES][128];
    size_t n;
    double total;    /* of the finite positive values of all rows */
};

/* The rows as shares of their total. Past MAX_SLICES the rest is summed
 * into one "其他" (others) slice, so the percentages still cover all rows. */
static void share_rows(const struct widget_ctx *ctx, struct ring_rows *rr)
{
    int cl = wcol(ctx, "label"), cv = wcol(ctx, "value");
    size_t nrows = ctx->data ? ctx->data->nrows : 0;
    size_t keep = nrows > MAX_SLICES ? MAX_SLICES - 1 : nrows;
    rr->n = 0;
    rr->total = 0;
    for (size_t r = 0; r < nrows; r++) {
        double v = wnum(ctx, r, cv);
        if (isfinite(v) && v > 0)
            rr->total += v;
        if (r < keep) {
            struct ring_item *it = &rr->items[rr->n];
            it->label = wtext(ctx, r, cl, rr->labels[rr->n], sizeof rr->labels[0]);
            it->value = v;
            it->color = chart_color(ctx, rr->n);
            rr->n++;
        } else if (r == keep) {
            rr->items[rr->n++] = (struct ring_item){"其他", NAN, NAN, ctx->theme->muted};
        }
        if (r >= keep && isfinite(v) && v > 0)
            rr->items[rr->n - 1].value = isfinite(rr->items[rr->n - 1].value)
                                             ? rr->items[rr->n - 1].value + v
                                             : v;
    }
    for (size_t i = 0; i < rr->n; i++) {
        double v = rr->items[i].value;
        rr->items[i].pct = isfinite(v) && v > 0 && rr->total > 0 ? v / rr->total * 100 : NAN;
    }
}

static void slice_path(cairo_t *cr, double cx, double cy, double r0, double r1, double a, double b)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, cx, cy, r1, a, b);
    if (r0 > 0)
        cairo_arc_negative(cr, cx, cy, r0, b, a);
    else
        cairo_line_to(cr, cx, cy);
    cairo_close_path(cr);
}

/* The donut (or pie, r0 = 0) in the chart square. */
struct donut {
    double cx, cy, r0, r1;
};

static struct donut donut_of(struct rect chart, bool pie)
{
    double r1 = chart.w / 2 - 6;
    return (struct donut){chart.x + chart.w / 2, chart.y + chart.h / 2, pie ? 0 : r1 * 0.64, r1};
}

/* The highlight on a slice or a ring's band: a rim just inside it. */
static void draw_band_highlight(const struct widget_ctx *ctx, double cx, double cy, double r0,
                                double r1, double a, double b)
{
    cairo_t *cr = ctx->cr;
    cairo_save(cr);
    cairo_new_path(cr);
    if (b - a >= 2 * M_PI) { /* a whole ring: two circles, no seam between them */
        cairo_arc(cr, cx, cy, r1, 0, 2 * M_PI);
        cairo_new_sub_path(cr);
        cairo_arc(cr, cx, cy, r0, 0, 2 * M_PI);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    } else {
        slice_path(cr, cx, cy, r0, r1, a, b);
    }
    cairo_clip_preserve(cr); /* a 5-unit line, half of it inside */
    cairo_set_line_width(cr, 5);
    color_set(cr, ctx->theme->highlight);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void draw_shares(const struct widget_ctx *ctx, const struct ring_rows *rr, struct rect chart,
                        bool pie)
{
    cairo_t *cr = ctx->cr;
    const struct theme *t = ctx->theme;
    struct donut dn = donut_of(chart, pie);
    double cx = dn.cx, cy = dn.cy, r0 = dn.r0, r1 = dn.r1;
    if (r1 < 8)
        return;
    /* a faint halo ring, as the reference's rings glow on the wall */
    cairo_arc(cr, cx, cy, r1 + 4, 0, 2 * M_PI);
    color_set(cr, t->grid);
    cairo_set_line_width(cr, 1.5);
    cairo_stroke(cr);
    double a = START;
    for (size_t i = 0; i < rr->n && rr->total > 0; i++) {
        double v = rr->items[i].value;
        if (!isfinite(v) || v <= 0)
            continue;
        double b = a + v / rr->total * 2 * M_PI;
        slice_path(cr, cx, cy, r0, r1, a, b);
        cairo_pattern_t *g = cairo_pattern_create_radial(cx, cy, r0, cx, cy, r1);
        color_add_stop(g, 0, color_mix(rr->items[i].color, t->bg_bottom, pie ? 0.2 : 0.35));
        color_add_stop(g, 1, rr->items[i].color);
        cairo_set_source(cr, g);
        cairo_fill_preserve(cr);
        cairo_pattern_destroy(g);
        /* a thin cut in the page colour keeps neighbouring slices apart */
        color_set(cr, t->bg_bottom);
        cairo_set_line_width(cr, 1.5);
        cairo_stroke(cr);
        bool others = ctx->data->nrows > MAX_SLICES && i + 1 == MAX_SLICES;
        if (!others && whighlight(ctx, i, "label"))
            draw_band_highlight(ctx, cx, cy, r0, r1, a, b);
        a = b;
    }
    if (pie)
        return;
    const char *which = panel_opt_str(ctx->panel, "center_value");
    if (strcmp(which, "none") == 0)
        return;
    bool first = strcmp(which, "first") == 0 && rr->n > 0;
    char num[64];
    const char *caption = panel_opt_str(ctx->panel, "center_label");
    if (!*caption)
        caption = first ? rr->items[0].label : "合计";
    wfmt(ctx, "value", first ? rr->items[0].value : rr->total, num, sizeof num);
    arc_center_text(cr, ctx->r, cx, cy, r0 * 1.5, num, fmin(36, r0 * 0.5), t->value, caption,
                    t->muted);
}

/* ---- rates ------------------------------------------------------------------- */

struct rate_rows {
    struct ring_item items[MAX_RINGS];
    char labels[MAX_RINGS][128];
    size_t n;
};

static void rate_rows(const struct widget_ctx *ctx, struct rate_rows *rr)
{
    int cl = wcol(ctx, "label"), cv = wcol(ctx, "value"), cm = wcol(ctx, "max");
    double max_opt = panel_opt_num(ctx->panel, "max");
    size_t nrows = ctx->data ? ctx->data->nrows : 0;
    rr->n = 0;
    for (size_t r = 0; r < nrows && rr->n < MAX_RINGS; r++) {
        double v = wnum(ctx, r, cv), m = wnum(ctx, r, cm);
        if (!(isfinite(m) && m > 0))
            m = max_opt > 0 ? max_opt : 100;
        struct ring_item *it = &rr->items[rr->n];
        it->label = wtext(ctx, r, cl, rr->labels[rr->n], sizeof rr->labels[0]);
        it->value = v;
        it->pct = v / m * 100;
        it->color = chart_color(ctx, rr->n);
        rr->n++;
    }
}

struct ring_geom {
    double cx, cy, outer, thick, gap;
};

static struct ring_geom ring_geom(struct rect chart, size_t n)
{
    struct ring_geom g = {chart.x + chart.w / 2, chart.y + chart.h / 2, chart.w / 2 - 2, 0, 0};
    /* the rings take the outer half of the radius, more when there are
     * many, so that eight rings are still more than hairlines */
    double share = fmin(0.7, 0.35 + 0.05 * (double)n);
    double band = g.outer * share / (double)(n ? n : 1);
    g.thick = fmin(22, band * 0.72);
    g.gap = band - g.thick;
    return g;
}

static double inner_radius(const struct ring_geom *g, size_t n)
{
    return g->outer - (double)n * (g->thick + g->gap);
}

/* The label–percentage pairs inside the innermost ring, as in the
 * reference's 年度目标完成率. False (nothing drawn) when a line would
 * cross the ring. */
static bool center_labels(const struct widget_ctx *ctx, const struct rate_rows *rr,
                          const struct ring_geom *g, bool draw)
{
    struct text_style ls = wstyle(ctx, false, 15, 400, ctx->theme->text);
    struct text_style ps = wstyle(ctx, true, 18, 700, ctx->theme->text);
    const double line_h = 26, gap = 10;
    double lw = 0, pw = 0, inner = inner_radius(g, rr->n) - 6;
    char buf[32];
    for (size_t i = 0; i < rr->n; i++) {
        lw = fmax(lw, text_width(ctx, rr->items[i].label, &ls));
        pw = fmax(pw, text_width(ctx, pct_text(buf, sizeof buf, rr->items[i].pct), &ps));
    }
    double top = g->cy - line_h * (double)rr->n / 2, col = g->cx - (lw + gap + pw) / 2 + lw;
    for (size_t i = 0; i < rr->n; i++) {
        double y = top + line_h * ((double)i + 0.5);
        double dy = fabs(y - g->cy) + line_h / 2;
        if (dy >= inner || 2 * sqrt(inner * inner - dy * dy) < lw + gap + pw)
            return false;
    }
    for (size_t i = 0; i < rr->n && draw; i++) {
        double y = top + line_h * ((double)i + 0.5);
        text_draw(ctx->r->text, ctx->cr, col, y, ANCHOR_RIGHT | ANCHOR_MIDDLE,
                  rr->items[i].label, &ls);
        ps.color = rr->items[i].color;
        text_draw(ctx->r->text, ctx->cr, col + gap, y, ANCHOR_LEFT | ANCHOR_MIDDLE,
                  pct_text(buf, sizeof buf, rr->items[i].pct), &ps);
    }
    return true;
}

static void draw_rings(const struct widget_ctx *ctx, const struct rate_rows *rr,
                       const struct ring_geom *g)
{
    for (size_t i = 0; i < rr->n; i++) {
        const struct ring_item *it = &rr->items[i];
        double radius = g->outer - g->thick / 2 - (double)i * (g->thick + g->gap);
        cairo_new_path(ctx->cr);
        cairo_arc(ctx->cr, g->cx, g->cy, radius, 0, 2 * M_PI);
        color_set_alpha(ctx->cr, it->color, 0.16);
        cairo_set_line_width(ctx->cr, g->thick);
        cairo_stroke(ctx->cr);
        /* more than 100% fills the ring; the label keeps the real figure */
        double frac = isfinite(it->pct) ? fmin(1, fmax(0, it->pct / 100)) : 0;
        if (frac > 0)
            arc_gradient(ctx->cr, g->cx, g->cy, radius, START, START + frac * 2 * M_PI, g->thick,
                         color_mix(it->color, ctx->theme->bg_bottom, 0.3), it->color, true);
        if (whighlight(ctx, i, "label")) /* rate_rows keeps the rows in order */
            draw_band_highlight(ctx, g->cx, g->cy, radius - g->thick / 2, radius + g->thick / 2, 0,
                                2 * M_PI);
    }
}

/* The rings, and the legend unless the labels fit inside them. */
static bool rates_layout(const struct widget_ctx *ctx, struct rect box, struct rate_rows *rr,
                         struct ring_geom *g, struct rect *legend)
{
    rate_rows(ctx, rr);
    double d = fmin(box.w, box.h);
    struct rect chart = {box.x + (box.w - d) / 2, box.y + (box.h - d) / 2, d, d};
    *g = ring_geom(chart, rr->n);
    if (center_labels(ctx, rr, g, false))
        return true;
    split(box, rr->n, legend_width(ctx, rr->items, rr->n, false), &chart, legend);
    *g = ring_geom(chart, rr->n);
    return false;
}

static void draw_rates(const struct widget_ctx *ctx, struct rect box)
{
    struct rate_rows rr;
    struct ring_geom g;
    struct rect legend;
    if (rates_layout(ctx, box, &rr, &g, &legend)) {
        draw_rings(ctx, &rr, &g);
        center_labels(ctx, &rr, &g, true);
        return;
    }
    if (g.thick >= 3)
        draw_rings(ctx, &rr, &g);
    draw_legend(ctx, legend, rr.items, rr.n, false);
}

static void shares_layout(const struct widget_ctx *ctx, struct ring_rows *rr, struct rect *chart,
                          struct rect *legend)
{
    share_rows(ctx, rr);
    split(ctx->box, rr->n, legend_width(ctx, rr->items, rr->n, true), chart, legend);
}

static void draw(const struct widget_ctx *ctx)
{
    struct rect box = ctx->box;
    if (box.w < 40 || box.h < 40)
        return;
    const char *mode = panel_opt_str(ctx->panel, "mode");
    if (strcmp(mode, "rates") == 0) {
        draw_rates(ctx, box);
        return;
    }
    struct ring_rows rr;
    struct rect chart, legend;
    shares_layout(ctx, &rr, &chart, &legend);
    draw_shares(ctx, &rr, chart, strcmp(mode, "pie") == 0);
    draw_legend(ctx, legend, rr.items, rr.n, true);
}

/* Rates: the ring whose band holds the point is its row. */
static int hit_rates(const struct widget_ctx *ctx, double x, double y)
{
    struct rate_rows rr;
    struct ring_geom g;
    struct rect legend;
    if (!rates_layout(ctx, ctx->box, &rr, &g, &legend) && g.thick < 3)
        return -1;
    double d = hypot(x - g.cx, y - g.cy);
    for (size_t i = 0; i < rr.n; i++) {
        double radius = g.outer - g.thick / 2 - (double)i * (g.thick + g.gap);
        if (fabs(d - radius) <= g.thick / 2)
            return (int)i; /* rate_rows keeps the rows in order */
    }
    return -1;
}

/* Shares: the slice whose angle and radii hold the point; 其他 stands for
 * many rows and is none. */
static int hit_shares(const struct widget_ctx *ctx, double x, double y, bool pie)
{
    struct ring_rows rr;
    struct rect chart, legend;
    shares_layout(ctx, &rr, &chart, &legend);
    struct donut dn = donut_of(chart, pie);
    double d = hypot(x - dn.cx, y - dn.cy);
    if (dn.r1 < 8 || d < dn.r0 || d > dn.r1 || !(rr.total > 0))
        return -1;
    /* the angle from the first slice's start, clockwise on screen */
    double at = fmod(atan2(y - dn.cy, x - dn.cx) - START + 4 * M_PI, 2 * M_PI), a = 0;
    for (size_t i = 0; i < rr.n; i++) {
        double v = rr.items[i].value;
        if (!isfinite(v) || v <= 0)
            continue;
        a += v / rr.total * 2 * M_PI;
        if (at < a) /* past MAX_SLICES rows, the last slice is 其他 */
            return ctx->data->nrows > MAX_SLICES && i + 1 == MAX_SLICES ? -1 : (int)i;
    }
    return -1;
}

static int hit(const struct widget_ctx *ctx, double x, double y)
{
    if (ctx->box.w < 40 || ctx->box.h < 40)
        return -1;
    const char *mode = panel_opt_str(ctx->panel, "mode");
    if (strcmp(mode, "rates") == 0)
        return hit_rates(ctx, x, y);
    return hit_shares(ctx, x, y, strcmp(mode, "pie") == 0);
}

const struct widget_class widget_ring = {
    .spec = {
        .name = "ring",
        .title = "Ring, pie or completion rings (环形图)",
        .doc = "Shares of a total as a donut or pie with a legend of label, value and "
               "percentage (rows past 12 are summed as 其他); or, in rates mode, one concentric "
               "progress ring per row of value / max, labelled in the centre when they fit.",
        .needs_data = true,
        .roles = roles,
        .props = props,
    },
    .draw = draw,
    .hit = hit,
};
