/* Nightingale rose (南丁格尔玫瑰图): categories as petals of equal angle
 * whose area follows the value (the radius goes with its square root, as
 * Nightingale drew it, so a petal twice the value looks twice as large),
 * the largest first from twelve o'clock clockwise; each petal's name and
 * figure at its tip. A pie is the ring widget's mode "pie". */
#include "widgets/pivot.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_PETALS 16
#define HOLE 0.16    /* the inner radius, of the outer: petals grow out of a ring */
#define START (-M_PI / 2)

static const struct role_spec roles[] = {
    {"label", true, false, "the petal's category (e.g. 融资贷款)"},
    {"value", true, true, "its amount: the petal's area"},
    WIDGET_CODE_ROLE,
    {0},
};

static const struct prop_spec props[] = {
    {"labels", PROP_BOOL, "true", 0, 0, NULL, "name and figure at each petal's tip"},
    WIDGET_HIGHLIGHT_PROP,
    {0},
};

struct rose {
    size_t n;
    double cx, cy, r0, r1;       /* hole and full radius */
    double v[MAX_PETALS], r[MAX_PETALS];
};

static bool layout(const struct widget_ctx *ctx, struct rose *ro)
{
    struct rect b = ctx->box;
    memset(ro, 0, sizeof *ro);
    size_t rows = ctx->data ? ctx->data->nrows : 0;
    ro->n = rows < MAX_PETALS ? rows : MAX_PETALS;
    bool labels = panel_opt_bool(ctx->panel, "labels");
    /* room at the tips for "融资贷款 228": wide beside, a line above and below */
    ro->r1 = fmin(b.w / 2 - (labels ? 110 : 8), b.h / 2 - (labels ? 30 : 8));
    if (ro->n == 0 || ro->r1 < 24)
        return false;
    ro->r0 = ro->r1 * HOLE;
    ro->cx = b.x + b.w / 2;
    ro->cy = b.y + b.h / 2;
    int cv = wcol(ctx, "value");
    double vmax = 0;
    for (size_t i = 0; i < ro->n; i++) {
        ro->v[i] = wnum(ctx, i, cv);
        if (isfinite(ro->v[i]) && ro->v[i] > vmax)
            vmax = ro->v[i];
    }
    for (size_t i = 0; i < ro->n; i++) {
        double f = vmax > 0 && isfinite(ro->v[i]) && ro->v[i] > 0 ? sqrt(ro->v[i] / vmax) : 0;
        ro->r[i] = ro->r0 + (ro->r1 - ro->r0) * fmin(1, f);
    }
    return true;
}

static double petal_a0(const struct rose *ro, size_t i)
{
    return START + 2 * M_PI * (double)i / (double)ro->n;
}

static void petal_path(cairo_t *cr, const struct rose *ro, size_t i, double r)
{
    double a0 = petal_a0(ro, i), a1 = a0 + 2 * M_PI / (double)ro->n;
    cairo_new_path(cr);
    cairo_arc(cr, ro->cx, ro->cy, r, a0, a1);
    cairo_arc_negative(cr, ro->cx, ro->cy, ro->r0, a1, a0);
    cairo_close_path(cr);
}

static void petal(const struct widget_ctx *ctx, const struct rose *ro, size_t i)
{
    cairo_t *cr = ctx->cr;
    rgba_t c = chart_color(ctx, i);
    petal_path(cr, ro, i, ro->r[i]);
    cairo_pattern_t *g = cairo_pattern_create_radial(ro->cx, ro->cy, ro->r0, ro->cx, ro->cy,
                                                     fmax(ro->r[i], ro->r0 + 1));
    color_add_stop(g, 0, color_mix(c, ctx->theme->bg_bottom, 0.5));
    color_add_stop(g, 1, c);
    cairo_set_source(cr, g);
    cairo_fill_preserve(cr);
    cairo_pattern_destroy(g);
    color_set(cr, ctx->theme->bg_bottom); /* a cut between petals */
    cairo_set_line_width(cr, 1.5);
    cairo_stroke(cr);
    if (whighlight(ctx, i, "label")) {
        cairo_save(cr);
        petal_path(cr, ro, i, ro->r[i]);
        cairo_clip_preserve(cr); /* a rim inside the petal */
        color_set(cr, ctx->theme->highlight);
        cairo_set_line_width(cr, 5);
        cairo_stroke(cr);
        cairo_restore(cr);
    }
}

/* Name over figure just beyond the petal's tip, on the side it points to. */
static void tip_label(const struct widget_ctx *ctx, const struct rose *ro, size_t i)
{
    double a = petal_a0(ro, i) + M_PI / (double)ro->n, ca = cos(a), sa = sin(a);
    double x = ro->cx + (ro->r[i] + 10) * ca, y = ro->cy + (ro->r[i] + 10) * sa;
    int h = ca > 0.2 ? ANCHOR_LEFT : ca < -0.2 ? ANCHOR_RIGHT : ANCHOR_CENTER;
    char lbuf[256], num[64];
    const char *label = wtext(ctx, i, wcol(ctx, "label"), lbuf, sizeof lbuf);
    wfmt(ctx, "value", ro->v[i], num, sizeof num);
    struct text_style ls = wstyle(ctx, false, 14, 400, ctx->theme->text);
    struct text_style vs = wstyle(ctx, true, 15, 700, chart_color(ctx, i));
    ls.max_width = vs.max_width = 100;
    double y_name = sa < -0.3 ? y - 16 : sa > 0.3 ? y + 2 : y - 8;
    text_draw(ctx->r->text, ctx->cr, x, y_name, h | ANCHOR_MIDDLE, label, &ls);
    text_draw(ctx->r->text, ctx->cr, x, y_name + 16, h | ANCHOR_MIDDLE, num, &vs);
}

static void draw(const struct widget_ctx *ctx)
{
    struct rose ro;
    if (!layout(ctx, &ro))
        return;
    cairo_t *cr = ctx->cr;
    for (int k = 1; k <= 3; k++) { /* faint guide circles */
        cairo_new_path(cr);
        cairo_arc(cr, ro.cx, ro.cy, ro.r0 + (ro.r1 - ro.r0) * k / 3, 0, 2 * M_PI);
        color_set(cr, ctx->theme->grid);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
    }
    for (size_t i = 0; i < ro.n; i++)
        petal(ctx, &ro, i);
    if (panel_opt_bool(ctx->panel, "labels"))
        for (size_t i = 0; i < ro.n; i++)
            tip_label(ctx, &ro, i);
}

/* The petal whose angle holds the point, between the hole and its tip. */
static int hit(const struct widget_ctx *ctx, double x, double y)
{
    struct rose ro;
    if (!layout(ctx, &ro))
        return -1;
    double d = hypot(x - ro.cx, y - ro.cy);
    double at = fmod(atan2(y - ro.cy, x - ro.cx) - START + 4 * M_PI, 2 * M_PI);
    size_t i = (size_t)(at / (2 * M_PI) * (double)ro.n);
    if (i >= ro.n)
        i = ro.n - 1;
    return d >= ro.r0 && d <= ro.r[i] ? (int)i : -1;
}

const struct widget_class widget_rose = {
    .spec = {
        .name = "rose",
        .title = "Nightingale rose (南丁格尔玫瑰图)",
        .doc = "Categories as petals of equal angle, clockwise from twelve o'clock in row order "
               "(sort the binding by -value for the largest first), each petal's area following "
               "its value (the radius goes with the square root), out of a small ring; name and "
               "figure at each tip. Up to 16 petals. A pie or donut is the ring widget.",
        .needs_data = true,
        .roles = roles,
        .props = props,
    },
    .draw = draw,
    .hit = hit,
};
