/* Funnel (漏斗图): the stages of a flow from top to bottom — the appeal
 * lifecycle 收集 → 分拨 → 处置 → 评价, or 进件 → 授信 → 放款 — each a band
 * whose width follows its count, joined to the next so the narrowing reads
 * as loss; the stage and its figure inside, the step's conversion rate
 * (this stage over the one above) in a column on the right. */
#include "widgets/pivot.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_STAGES 12
#define MIN_SHARE 0.3   /* the narrowest band's width, of the widest: its text must fit */
#define GAP 4.0         /* between bands */

static const struct role_spec roles[] = {
    {"label", true, false, "the stage (e.g. 收集反馈, 授信)"},
    {"value", true, true, "how many reached it (count or amount); rows in flow order"},
    WIDGET_CODE_ROLE,
    {0},
};

static const struct prop_spec props[] = {
    {"conversion", PROP_BOOL, "true", 0, 0, NULL,
     "the column of conversion rates: each stage as a share of the one above"},
    {"conversion_label", PROP_STRING, "\"转化率\"", 0, 0, NULL, "word before each rate"},
    WIDGET_HIGHLIGHT_PROP,
    {0},
};

/* Where each band lies: band i spans [top + i·(h + GAP), … + h], its top
 * edge w[i] wide and its bottom edge w[i + 1], centred on x_mid. */
struct funnel {
    size_t n;
    double x_mid, top, h;
    double w[MAX_STAGES + 1];
    double v[MAX_STAGES];
    double col_x, col_w;      /* the conversion column; col_w 0: none */
};

static bool layout(const struct widget_ctx *ctx, struct funnel *f)
{
    struct rect b = ctx->box;
    memset(f, 0, sizeof *f);
    size_t rows = ctx->data ? ctx->data->nrows : 0;
    f->n = rows < MAX_STAGES ? rows : MAX_STAGES;
    if (f->n == 0 || b.w < 60 || b.h < 24)
        return false;
    bool col = panel_opt_bool(ctx->panel, "conversion") && f->n > 1 && b.w >= 320;
    f->col_w = col ? fmin(140, b.w * 0.28) : 0;
    f->col_x = b.x + b.w - f->col_w;
    double area_w = b.w - f->col_w - (col ? 12 : 0);
    f->x_mid = b.x + area_w / 2;
    f->h = fmin(72, (b.h - GAP * (double)(f->n - 1)) / (double)f->n);
    if (f->h < 10)
        return false;
    f->top = b.y + (b.h - (f->h * (double)f->n + GAP * (double)(f->n - 1))) / 2;
    int cv = wcol(ctx, "value");
    double vmax = 0;
    for (size_t i = 0; i < f->n; i++) {
        f->v[i] = wnum(ctx, i, cv);
        if (isfinite(f->v[i]) && f->v[i] > vmax)
            vmax = f->v[i];
    }
    double full = area_w * 0.96;
    for (size_t i = 0; i < f->n; i++) {
        double share = vmax > 0 && isfinite(f->v[i]) && f->v[i] > 0 ? f->v[i] / vmax : 0;
        f->w[i] = full * (MIN_SHARE + (1 - MIN_SHARE) * fmin(1, share));
    }
    f->w[f->n] = f->w[f->n - 1] * 0.82; /* the last band still narrows: a funnel's spout */
    return true;
}

static double band_top(const struct funnel *f, size_t i)
{
    return f->top + (double)i * (f->h + GAP);
}

static void band_path(cairo_t *cr, const struct funnel *f, size_t i, double inset)
{
    double y0 = band_top(f, i) + inset, y1 = band_top(f, i) + f->h - inset;
    double t = f->w[i] / 2 - inset, bt = f->w[i + 1] / 2 - inset;
    cairo_new_path(cr);
    cairo_move_to(cr, f->x_mid - t, y0);
    cairo_line_to(cr, f->x_mid + t, y0);
    cairo_line_to(cr, f->x_mid + fmax(0, bt), y1);
    cairo_line_to(cr, f->x_mid - fmax(0, bt), y1);
    cairo_close_path(cr);
}

/* The band's fill: its colour, lighter in the middle, like a lit tube. */
static void fill_band(const struct widget_ctx *ctx, const struct funnel *f, size_t i)
{
    rgba_t c = chart_color(ctx, i), dim = color_mix(c, ctx->theme->bg_bottom, 0.45);
    double half = f->w[i] / 2;
    cairo_pattern_t *g = cairo_pattern_create_linear(f->x_mid - half, 0, f->x_mid + half, 0);
    color_add_stop(g, 0, dim);
    color_add_stop(g, 0.5, c);
    color_add_stop(g, 1, dim);
    band_path(ctx->cr, f, i, 0);
    cairo_set_source(ctx->cr, g);
    cairo_fill(ctx->cr);
    cairo_pattern_destroy(g);
}

/* "收集反馈  1,480 件" on the band, as wide as its narrower edge allows. */
static void band_text(const struct widget_ctx *ctx, const struct funnel *f, size_t i)
{
    char lbuf[256], num[64], unit_num[96];
    const char *label = wtext(ctx, i, wcol(ctx, "label"), lbuf, sizeof lbuf);
    wfmt(ctx, "value", f->v[i], num, sizeof num);
    const char *unit = wunit(ctx, "value");
    snprintf(unit_num, sizeof unit_num, "%s%s%s", num, *unit && isfinite(f->v[i]) ? " " : "",
             isfinite(f->v[i]) ? unit : "");
    double room = fmin(f->w[i], f->w[i + 1]) - 16, y = band_top(f, i) + f->h / 2;
    double size = fmin(18, f->h * 0.46);
    rgba_t ink = theme_text_on(ctx->theme, chart_color(ctx, i));
    struct text_style ls = wstyle(ctx, false, size, 500, ink);
    struct text_style vs = wstyle(ctx, true, size + 2, 700, ink);
    double lw, vw, th;
    text_measure(ctx->r->text, label, &ls, &lw, &th);
    text_measure(ctx->r->text, unit_num, &vs, &vw, &th);
    double label_room = room - vw - 12; /* the figure matters more than the whole name */
    double outside = f->x_mid - fmax(f->w[i], f->w[i + 1]) / 2 - ctx->box.x - 8;
    if (lw > label_room && lw <= outside) {
        /* a narrow band of a steep funnel (推送 458,370 → 通过 6,671): the
         * name goes left of the band, whole, and the figure stays on it */
        struct text_style os = wstyle(ctx, false, size, 500, ctx->theme->text);
        text_draw(ctx->r->text, ctx->cr, f->x_mid - fmax(f->w[i], f->w[i + 1]) / 2 - 8, y,
                  ANCHOR_RIGHT | ANCHOR_MIDDLE, label, &os);
        label_room = 0;
    }
    bool with_label = label_room >= 28;
    if (with_label && lw > label_room)
        ls.max_width = lw = label_room;
    if (vw > room)
        return;
    double x = f->x_mid - (with_label ? lw + 12 + vw : vw) / 2;
    if (with_label)
        x += text_draw(ctx->r->text, ctx->cr, x, y, ANCHOR_LEFT | ANCHOR_MIDDLE, label, &ls) + 12;
    text_draw(ctx->r->text, ctx->cr, x, y, ANCHOR_LEFT | ANCHOR_MIDDLE, unit_num, &vs);
}

/* Right of stage i (i ≥ 1): "转化率 99.8%", with a dotted leader from the band. */
static void conversion(const struct widget_ctx *ctx, const struct funnel *f, size_t i)
{
    double y = band_top(f, i) + f->h / 2, prev = f->v[i - 1], v = f->v[i];
    double edge = f->x_mid + (f->w[i] + f->w[i + 1]) / 4 + 6;
    cairo_t *cr = ctx->cr;
    cairo_save(cr);
    cairo_set_dash(cr, (const double[]){2, 3}, 2, 0);
    color_set(cr, ctx->theme->grid);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, edge, y);
    cairo_line_to(cr, f->col_x - 6, y);
    cairo_stroke(cr);
    cairo_restore(cr);
    char pct[64];
    if (isfinite(v) && isfinite(prev) && prev > 0 && v >= 0)
        snprintf(pct, sizeof pct, "%.1f%%", v / prev * 100);
    else
        snprintf(pct, sizeof pct, "—");
    struct text_style ls = wstyle(ctx, false, 14, 400, ctx->theme->muted);
    struct text_style ps = wstyle(ctx, true, 17, 700, ctx->theme->value);
    double pw, ph;
    text_measure(ctx->r->text, pct, &ps, &pw, &ph);
    ls.max_width = fmax(1, f->col_w - pw - 8);
    text_draw(ctx->r->text, cr, f->col_x, y, ANCHOR_LEFT | ANCHOR_MIDDLE,
              panel_opt_str(ctx->panel, "conversion_label"), &ls);
    text_draw(ctx->r->text, cr, f->col_x + f->col_w, y, ANCHOR_RIGHT | ANCHOR_MIDDLE, pct, &ps);
}

static void draw(const struct widget_ctx *ctx)
{
    struct funnel f;
    if (!layout(ctx, &f))
        return;
    for (size_t i = 0; i < f.n; i++) {
        fill_band(ctx, &f, i);
        if (whighlight(ctx, i, "label")) {
            band_path(ctx->cr, &f, i, 1.5);
            color_set_alpha(ctx->cr, ctx->theme->highlight, 0.95);
            cairo_set_line_width(ctx->cr, 3);
            cairo_stroke(ctx->cr);
        }
        band_text(ctx, &f, i);
        if (f.col_w > 0 && i > 0)
            conversion(ctx, &f, i);
    }
}

/* The band under the point: within its rows and between its slanted sides. */
static int hit(const struct widget_ctx *ctx, double x, double y)
{
    struct funnel f;
    if (!layout(ctx, &f))
        return -1;
    for (size_t i = 0; i < f.n; i++) {
        double t = (y - band_top(&f, i)) / f.h;
        if (t < 0 || t > 1)
            continue;
        double half = (f.w[i] + (f.w[i + 1] - f.w[i]) * t) / 2;
        return fabs(x - f.x_mid) <= half ? (int)i : -1;
    }
    return -1;
}

const struct widget_class widget_funnel = {
    .spec = {
        .name = "funnel",
        .title = "Funnel (漏斗图)",
        .doc = "The stages of a flow, top to bottom in row order (e.g. 收集 → 分拨 → 处置 → 评价, "
               "or 进件 → 授信 → 放款): each band as wide as its value (the narrowest still "
               "holds its figure), joined to the next; the stage and its figure inside (a band "
               "too narrow for its stage's name has the name left of it, as in 推送 → 通过); "
               "on the right each stage's conversion rate, its value over the stage above. Up to 12 "
               "stages.",
        .needs_data = true,
        .roles = roles,
        .props = props,
    },
    .draw = draw,
    .hit = hit,
};
