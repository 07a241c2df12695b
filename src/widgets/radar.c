/* Radar chart (雷达图): a profile over several indicators — one
 * enterprise's 亩均税收, 研发经费占比, … or one county's scores — drawn as a
 * polygon on spokes, against other series such as the average (平均), with
 * a legend of the series and, at each spoke, its name and the first
 * series' value. */
#include "widgets/pivot.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_AXES 16
#define MAX_SERIES 6
#define LEGEND_H 30.0
#define NEAR 10.0  /* how far from a polygon's edge a touch still means it */

static const struct role_spec roles[] = {
    {"axis", true, false, "the indicator of a spoke (e.g. 亩均税收)"},
    {"value", true, true, "the score on that spoke"},
    {"series", false, false, "whose profile (e.g. the enterprise, 平均): one polygon each"},
    {"max", false, true, "the value at the spoke's end (default: the max option)"},
    {"ref", false, true,
     "a reference at each spoke (e.g. the average score): a dashed polygon named ref_label"},
    WIDGET_CODE_ROLE,
    {0},
};

static const struct prop_spec props[] = {
    {"max", PROP_NUMBER, "100", 1e-9, 1e15, NULL, "the value at a spoke's end, without a max role"},
    {"levels", PROP_INT, "5", 1, 10, NULL, "rings of the web"},
    {"value_label", PROP_STRING, "\"得分\"", 0, 0, NULL,
     "the legend's name of the values when there is no series role"},
    {"ref_label", PROP_STRING, "\"平均\"", 0, 0, NULL, "the legend's name of the ref polygon"},
    WIDGET_HIGHLIGHT_PROP,
    {0},
};

struct radar {
    struct pivot pv;
    double cx, cy, radius;
    double max[MAX_AXES];
    double x[MAX_SERIES][MAX_AXES], y[MAX_SERIES][MAX_AXES]; /* the vertices */
    double xr[MAX_AXES], yr[MAX_AXES]; /* the ref polygon's, when has_ref */
    bool legend, has_ref;
};

static double spoke_angle(size_t k, size_t n)
{
    return -M_PI / 2 + 2 * M_PI * (double)k / (double)n;
}

/* The spokes' ends: the max role of their first row, else the option. */
static void spoke_max(const struct widget_ctx *ctx, struct radar *rd)
{
    int cm = wcol(ctx, "max");
    double opt = panel_opt_num(ctx->panel, "max");
    for (size_t k = 0; k < rd->pv.ncats; k++) {
        double m = NAN;
        for (size_t s = 0; s < rd->pv.nseries && !isfinite(m); s++)
            if (pivot_row(&rd->pv, s, k) >= 0)
                m = wnum(ctx, (size_t)pivot_row(&rd->pv, s, k), cm);
        rd->max[k] = isfinite(m) && m > 0 ? m : opt > 0 ? opt : 100;
    }
}

/* Builds the grid and places the web: false (nothing to draw) for fewer
 * than three spokes or too small a box. Free rd->pv with pivot_finish. */
static bool layout(const struct widget_ctx *ctx, struct radar *rd)
{
    memset(rd, 0, sizeof *rd);
    struct pivot_spec spec = {.cat = "axis", .value = "value", .series = "series",
                              .extra = "ref", .max_cats = MAX_AXES, .max_series = MAX_SERIES};
    pivot_build(&rd->pv, ctx, &spec);
    struct rect b = ctx->box;
    rd->has_ref = wcol(ctx, "ref") >= 0;
    rd->legend = (rd->pv.nseries > 1 || rd->has_ref) && b.h > 160;
    double top = b.y + (rd->legend ? LEGEND_H : 0);
    /* room for the spoke labels: two lines above and below, a name beside */
    rd->radius = fmin(b.w / 2 - 84, (b.y + b.h - top) / 2 - 40);
    if (rd->pv.ncats < 3 || rd->radius < 24)
        return false;
    rd->cx = b.x + b.w / 2;
    rd->cy = top + (b.y + b.h - top) / 2;
    spoke_max(ctx, rd);
    for (size_t k = 0; k < rd->pv.ncats && rd->has_ref; k++) {
        double v = rd->pv.extra[k], f = isfinite(v) ? v / rd->max[k] : 0;
        double r = rd->radius * fmin(1, fmax(0, f)), a = spoke_angle(k, rd->pv.ncats);
        rd->xr[k] = rd->cx + r * cos(a);
        rd->yr[k] = rd->cy + r * sin(a);
    }
    for (size_t s = 0; s < rd->pv.nseries; s++)
        for (size_t k = 0; k < rd->pv.ncats; k++) {
            double v = pivot_at(&rd->pv, s, k), f = isfinite(v) ? v / rd->max[k] : 0;
            double r = rd->radius * fmin(1, fmax(0, f)), a = spoke_angle(k, rd->pv.ncats);
            rd->x[s][k] = rd->cx + r * cos(a);
            rd->y[s][k] = rd->cy + r * sin(a);
        }
    return true;
}

static void web(const struct widget_ctx *ctx, const struct radar *rd)
{
    cairo_t *cr = ctx->cr;
    size_t n = rd->pv.ncats;
    int levels = (int)panel_opt_num(ctx->panel, "levels");
    for (int l = levels; l >= 1; l--) {
        double r = rd->radius * l / levels;
        cairo_new_path(cr);
        for (size_t k = 0; k < n; k++)
            cairo_line_to(cr, rd->cx + r * cos(spoke_angle(k, n)), rd->cy + r * sin(spoke_angle(k, n)));
        cairo_close_path(cr);
        color_set_alpha(cr, ctx->theme->value, l % 2 ? 0.05 : 0.1);
        cairo_fill_preserve(cr);
        color_set(cr, ctx->theme->grid);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
    }
    for (size_t k = 0; k < n; k++) {
        cairo_move_to(cr, rd->cx, rd->cy);
        cairo_line_to(cr, rd->cx + rd->radius * cos(spoke_angle(k, n)),
                      rd->cy + rd->radius * sin(spoke_angle(k, n)));
    }
    color_set(cr, ctx->theme->grid);
    cairo_stroke(cr);
}

/* Spoke k's name outside its end, and the first series' value under it. */
static void spoke_label(const struct widget_ctx *ctx, const struct radar *rd, size_t k)
{
    double a = spoke_angle(k, rd->pv.ncats), ca = cos(a), sa = sin(a);
    double x = rd->cx + (rd->radius + 12) * ca, y = rd->cy + (rd->radius + 12) * sa;
    int h = ca > 0.25 ? ANCHOR_LEFT : ca < -0.25 ? ANCHOR_RIGHT : ANCHOR_CENTER;
    struct text_style ls = wstyle(ctx, false, 15, 400, ctx->theme->text);
    struct text_style vs = wstyle(ctx, true, 15, 700, chart_color(ctx, 0));
    ls.max_width = vs.max_width = h == ANCHOR_CENTER ? 150 : ctx->box.w / 2 - rd->radius - 20;
    char num[64];
    wfmt(ctx, "value", pivot_at(&rd->pv, 0, k), num, sizeof num);
    /* two lines: above the end for the upper spokes, below it for the lower */
    double y_name = sa < -0.25 ? y - 18 : sa > 0.25 ? y + 2 : y - 9;
    text_draw(ctx->r->text, ctx->cr, x, y_name, h | ANCHOR_MIDDLE, rd->pv.cats[k], &ls);
    text_draw(ctx->r->text, ctx->cr, x, y_name + 18, h | ANCHOR_MIDDLE, num, &vs);
}

static void polygon(const struct widget_ctx *ctx, const struct radar *rd, size_t s, bool lit)
{
    cairo_t *cr = ctx->cr;
    rgba_t c = chart_color(ctx, s);
    cairo_new_path(cr);
    for (size_t k = 0; k < rd->pv.ncats; k++)
        cairo_line_to(cr, rd->x[s][k], rd->y[s][k]);
    cairo_close_path(cr);
    color_set_alpha(cr, c, 0.2);
    cairo_fill_preserve(cr);
    color_set(cr, lit ? ctx->theme->highlight : c);
    cairo_set_line_width(cr, lit ? 4 : 2);
    cairo_stroke(cr);
    for (size_t k = 0; k < rd->pv.ncats; k++) {
        if (!isfinite(pivot_at(&rd->pv, s, k)))
            continue;
        cairo_new_path(cr);
        cairo_arc(cr, rd->x[s][k], rd->y[s][k], lit ? 5 : 3.5, 0, 2 * M_PI);
        color_set(cr, lit ? ctx->theme->highlight : c);
        cairo_fill(cr);
    }
}

/* The reference (e.g. the average): dashed, in the muted colour, under the
 * profiles. */
static void ref_polygon(const struct widget_ctx *ctx, const struct radar *rd)
{
    cairo_t *cr = ctx->cr;
    cairo_save(cr);
    cairo_new_path(cr);
    for (size_t k = 0; k < rd->pv.ncats; k++)
        cairo_line_to(cr, rd->xr[k], rd->yr[k]);
    cairo_close_path(cr);
    color_set_alpha(cr, ctx->theme->warn, 0.08);
    cairo_fill_preserve(cr);
    cairo_set_dash(cr, (const double[]){6, 4}, 2, 0);
    color_set(cr, ctx->theme->warn);
    cairo_set_line_width(cr, 2);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* The series polygon is lit when its first row is the highlighted item. */
static bool series_lit(const struct widget_ctx *ctx, const struct radar *rd, size_t s)
{
    for (size_t k = 0; k < rd->pv.ncats; k++)
        if (pivot_row(&rd->pv, s, k) >= 0)
            return whighlight(ctx, (size_t)pivot_row(&rd->pv, s, k), "series");
    return false;
}

/* The legend's entries: the series (or value_label), then ref_label. */
static size_t legend_entries(const struct widget_ctx *ctx, const struct radar *rd,
                             const char **names, rgba_t *colors)
{
    size_t n = 0;
    for (size_t s = 0; s < rd->pv.nseries; s++, n++) {
        names[n] = rd->pv.series[s] ? rd->pv.series[s] : panel_opt_str(ctx->panel, "value_label");
        colors[n] = chart_color(ctx, s);
    }
    if (rd->has_ref) {
        names[n] = panel_opt_str(ctx->panel, "ref_label");
        colors[n++] = ctx->theme->warn;
    }
    return n;
}

static void legend(const struct widget_ctx *ctx, const struct radar *rd)
{
    struct text_style ls = wstyle(ctx, false, 15, 400, ctx->theme->text);
    const char *names[MAX_SERIES + 1];
    rgba_t colors[MAX_SERIES + 1];
    size_t n = legend_entries(ctx, rd, names, colors);
    double widths[MAX_SERIES + 1], total = 0, h;
    for (size_t s = 0; s < n; s++) {
        text_measure(ctx->r->text, names[s], &ls, &widths[s], &h);
        widths[s] = fmin(widths[s], 200);
        total += 22 + widths[s] + 24;
    }
    double x = ctx->box.x + fmax(0, (ctx->box.w - total + 24) / 2), y = ctx->box.y + LEGEND_H / 2;
    for (size_t s = 0; s < n; s++) {
        color_set(ctx->cr, colors[s]);
        draw_rounded_rect(ctx->cr, x, y - 6, 14, 12, 3);
        cairo_fill(ctx->cr);
        ls.max_width = widths[s] + 1;
        text_draw(ctx->r->text, ctx->cr, x + 22, y, ANCHOR_LEFT | ANCHOR_MIDDLE, names[s], &ls);
        x += 22 + widths[s] + 24;
    }
}

static void draw(const struct widget_ctx *ctx)
{
    struct radar rd;
    if (layout(ctx, &rd)) {
        web(ctx, &rd);
        if (rd.has_ref)
            ref_polygon(ctx, &rd);
        size_t lit = SIZE_MAX;
        for (size_t s = 0; s < rd.pv.nseries; s++) { /* the highlighted one on top */
            if (series_lit(ctx, &rd, s))
                lit = s;
            else
                polygon(ctx, &rd, s, false);
        }
        if (lit != SIZE_MAX)
            polygon(ctx, &rd, lit, true);
        for (size_t k = 0; k < rd.pv.ncats; k++)
            spoke_label(ctx, &rd, k);
        if (rd.legend)
            legend(ctx, &rd);
    } else if (rd.pv.ncats > 0 && rd.pv.ncats < 3) { /* a polygon needs three spokes */
        struct text_style st = wstyle(ctx, false, 15, 400, ctx->theme->muted);
        st.max_width = ctx->box.w;
        text_draw(ctx->r->text, ctx->cr, ctx->box.x + ctx->box.w / 2, ctx->box.y + ctx->box.h / 2,
                  ANCHOR_CENTER | ANCHOR_MIDDLE, "指标不足 3 项，不成雷达图", &st);
    }
    pivot_finish(&rd.pv);
}

/* Distance from (x, y) to the segment a–b. */
static double seg_dist(double x, double y, double ax, double ay, double bx, double by)
{
    double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? fmax(0, fmin(1, ((x - ax) * dx + (y - ay) * dy) / len2)) : 0;
    return hypot(x - (ax + t * dx), y - (ay + t * dy));
}

/* The series whose outline passes nearest the point (within NEAR), and of
 * its rows the one of the spoke nearest in angle: a touch on a profile
 * means that profile at that indicator. The highlighted series is drawn
 * on top, so within NEAR of its outline it wins, as it covers the others
 * there. Inside the web but near no outline: none (the polygons overlap;
 * their insides say no one thing). */
static int hit(const struct widget_ctx *ctx, double x, double y)
{
    struct radar rd;
    int row = -1;
    if (layout(ctx, &rd)) {
        size_t n = rd.pv.ncats, best_s = SIZE_MAX;
        double best = NEAR;
        for (size_t s = 0; s < rd.pv.nseries; s++)
            for (size_t k = 0; k < n; k++) {
                double d = seg_dist(x, y, rd.x[s][k], rd.y[s][k], rd.x[s][(k + 1) % n],
                                    rd.y[s][(k + 1) % n]);
                if (d < NEAR && series_lit(ctx, &rd, s))
                    d = 0; /* on top */
                if (d < best)
                    best = d, best_s = s;
            }
        double a = atan2(y - rd.cy, x - rd.cx) + M_PI / 2;
        size_t k = (size_t)lround(fmod(a / (2 * M_PI) * (double)n + 2.0 * (double)n, (double)n)) % n;
        if (best_s != SIZE_MAX) {
            row = (int)pivot_row(&rd.pv, best_s, k);
            for (size_t j = 0; row < 0 && j < n; j++) /* no row at that spoke: any of it */
                row = (int)pivot_row(&rd.pv, best_s, j);
        }
    }
    pivot_finish(&rd.pv);
    return row;
}

const struct widget_class widget_radar = {
    .spec = {
        .name = "radar",
        .title = "Radar chart (雷达图)",
        .doc = "A profile over 3–16 indicators as a polygon on spokes, one per series (an "
               "enterprise or a county against 平均): a web of levels rings, each spoke's name "
               "with the first series' value at its end, and a legend of the series. A spoke "
               "ends at its max role, else the max option. The highlighted series is drawn on "
               "top with a heavier outline; a ref role (e.g. the average) is a dashed polygon "
               "under the profiles.",
        .needs_data = true,
        .roles = roles,
        .props = props,
    },
    .draw = draw,
    .hit = hit,
};
