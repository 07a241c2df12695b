/* Gauge (完成率仪表盘): completion against plan on a 240° dial — ticks, the
 * value as a glowing gradient arc, a marker at the target (序时进度), the
 * percentage large in the centre and the gap to the target under it. */
#include "render/arc.h"
#include "widgets/widget.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define SWEEP (M_PI * 4 / 3)         /* 240° */
#define A0 (M_PI / 2 + (2 * M_PI - SWEEP) / 2) /* lower left, 150° */

static const struct role_spec roles[] = {
    {"value", true, true, "the completion, e.g. 完成年度目标 %"},
    {"target", false, true, "the target marker, e.g. 序时进度 %"},
    {"label", false, false, "caption under the number (e.g. the indicator name)"},
    {0},
};

static const struct prop_spec props[] = {
    {"min", PROP_NUMBER, "0", -1e15, 1e15, NULL, "value at the dial's start"},
    {"max", PROP_NUMBER, "100", -1e15, 1e15, NULL, "value at the dial's end"},
    {"unit", PROP_STRING, "\"%\"", 0, 0, NULL, "unit after the numbers"},
    {"target_label", PROP_STRING, "\"序时进度\"", 0, 0, NULL, "name of the target marker"},
    {0},
};

struct dial {
    double cx, cy, radius, width;  /* radius: of the arc's centre line */
    double lo, hi;
};

/* Angle of v on the dial, clamped to its ends. */
static double dial_angle(const struct dial *d, double v)
{
    double t = isfinite(v) ? (v - d->lo) / (d->hi - d->lo) : 0;
    return A0 + SWEEP * fmin(1, fmax(0, t));
}

static const char *with_unit(const struct widget_ctx *ctx, double v, char *buf, size_t len)
{
    char num[64];
    wfmt(ctx, "value", v, num, sizeof num);
    snprintf(buf, len, "%s%s", num, isfinite(v) ? panel_opt_str(ctx->panel, "unit") : "");
    return buf;
}

/* Ten intervals inside the arc, with values at every other tick when the
 * dial is large enough to hold them. */
static void draw_ticks(const struct widget_ctx *ctx, const struct dial *d)
{
    cairo_t *cr = ctx->cr;
    struct text_style st = wstyle(ctx, true, 14, 400, ctx->theme->muted);
    double r_out = d->radius - d->width / 2 - 4;
    bool labels = d->radius >= 110; /* as in draw() */
    for (int i = 0; i <= 50; i++) {
        double a = A0 + SWEEP * i / 50, len = i % 5 ? 4 : 9;
        cairo_move_to(cr, d->cx + r_out * cos(a), d->cy + r_out * sin(a));
        cairo_line_to(cr, d->cx + (r_out - len) * cos(a), d->cy + (r_out - len) * sin(a));
        color_set(cr, i % 5 ? ctx->theme->grid : ctx->theme->axis);
        cairo_set_line_width(cr, i % 5 ? 1 : 1.5);
        cairo_stroke(cr);
        if (labels && i % 10 == 0) {
            char buf[64];
            double v = d->lo + (d->hi - d->lo) * i / 50, rl = r_out - 24;
            struct numfmt f = {.decimals = 0, .thousands = true, .scale = 1};
            if (fabs(d->hi - d->lo) < 10)
                f.decimals = 1;
            text_draw(ctx->r->text, cr, d->cx + rl * cos(a), d->cy + rl * sin(a),
                      ANCHOR_CENTER | ANCHOR_MIDDLE, fmt_number(buf, sizeof buf, v, &f), &st);
        }
    }
}

/* A pointer just outside the arc, aimed at the centre, and a bar across
 * the track: visible over both the track and the value arc. */
static void draw_target(const struct widget_ctx *ctx, const struct dial *d, double target)
{
    cairo_t *cr = ctx->cr;
    double a = dial_angle(d, target), ca = cos(a), sa = sin(a);
    double r_in = d->radius - d->width / 2 - 2, r_out = d->radius + d->width / 2 + 2;
    color_set(cr, ctx->theme->warn);
    cairo_set_line_width(cr, 3);
    cairo_move_to(cr, d->cx + r_in * ca, d->cy + r_in * sa);
    cairo_line_to(cr, d->cx + r_out * ca, d->cy + r_out * sa);
    cairo_stroke(cr);
    double tip = r_out + 2, base = r_out + 12, half = 6;
    cairo_move_to(cr, d->cx + tip * ca, d->cy + tip * sa);
    cairo_line_to(cr, d->cx + base * ca - half * sa, d->cy + base * sa + half * ca);
    cairo_line_to(cr, d->cx + base * ca + half * sa, d->cy + base * sa - half * ca);
    cairo_close_path(cr);
    cairo_fill(cr);
}

/* Under the number: "序时进度 83.3%" and the gap to it in percentage
 * points, coloured like growth (ahead = up). */
static void draw_target_line(const struct widget_ctx *ctx, double cx, double y, double max_w,
                             double v, double target)
{
    const struct theme *t = ctx->theme;
    char label[160], num[64], gap[64];
    snprintf(label, sizeof label, "%s ", panel_opt_str(ctx->panel, "target_label"));
    with_unit(ctx, target, num, sizeof num);
    struct text_style ls = wstyle(ctx, false, 15, 400, t->muted);
    struct text_style ns = wstyle(ctx, true, 16, 700, t->warn);
    rgba_t up, down;
    theme_growth_colors(t, ctx->r->red_up, &up, &down);
    double diff = v - target;
    struct text_style gs = wstyle(ctx, true, 16, 700, diff > 0.05 ? up : diff < -0.05 ? down : t->flat);
    const char *unit = panel_opt_str(ctx->panel, "unit");
    fmt_growth(gap, sizeof gap, diff, 1, strcmp(unit, "%") == 0 ? "个百分点" : unit);
    double lw, nw, gw, h;
    text_measure(ctx->r->text, label, &ls, &lw, &h);
    text_measure(ctx->r->text, num, &ns, &nw, &h);
    text_measure(ctx->r->text, gap, &gs, &gw, &h);
    bool show_gap = isfinite(diff) && lw + nw + 12 + gw <= max_w;
    double total = lw + nw + (show_gap ? 12 + gw : 0);
    if (total > max_w) {
        ls.max_width = fmax(1, max_w - nw);
        lw = fmax(0, fmin(lw, max_w - nw));
        total = lw + nw;
    }
    double x = cx - total / 2;
    x += text_draw(ctx->r->text, ctx->cr, x, y, ANCHOR_LEFT | ANCHOR_MIDDLE, label, &ls);
    x += text_draw(ctx->r->text, ctx->cr, x, y, ANCHOR_LEFT | ANCHOR_MIDDLE, num, &ns) + 12;
    if (show_gap)
        text_draw(ctx->r->text, ctx->cr, x, y, ANCHOR_LEFT | ANCHOR_MIDDLE, gap, &gs);
}

static void draw(const struct widget_ctx *ctx)
{
    const struct theme *t = ctx->theme;
    struct rect b = ctx->box;
    double v = wnum(ctx, 0, wcol(ctx, "value"));
    double target = wnum(ctx, 0, wcol(ctx, "target"));
    struct dial d = {.lo = panel_opt_num(ctx->panel, "min"), .hi = panel_opt_num(ctx->panel, "max")};
    if (!(d.hi > d.lo))
        d.hi = d.lo + 100;
    /* the dial is 1.5 radii tall (its ends sit at sin 30° below the
     * centre); the target line needs a row under it */
    double below = isfinite(target) ? 30 : 0;
    double outer = fmin(b.w / 2 - 16, (b.h - below - 8) / 1.5 - 8);
    if (outer < 30)
        return;
    d.width = fmax(8, outer * 0.13);
    d.radius = outer - d.width / 2;
    d.cx = b.x + b.w / 2;
    d.cy = b.y + fmax(0, (b.h - 1.5 * outer - 16 - below) / 2) + 16 + outer;

    cairo_t *cr = ctx->cr;
    cairo_new_path(cr);
    cairo_arc(cr, d.cx, d.cy, d.radius, A0, A0 + SWEEP);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_width(cr, d.width);
    color_set_alpha(cr, t->value, 0.12);
    cairo_stroke(cr);
    draw_ticks(ctx, &d);
    double a = dial_angle(&d, v);
    if (isfinite(v) && a > A0) {
        rgba_t c0 = color_mix(t->value, t->bg_bottom, 0.6);
        /* a wide faint pass under the arc gives the glow */
        arc_gradient(cr, d.cx, d.cy, d.radius, A0, a, d.width * 1.8,
                     c0 & 0xffffff00, (t->value & 0xffffff00) | 0x30, true);
        arc_gradient(cr, d.cx, d.cy, d.radius, A0, a, d.width, c0, t->value, true);
    }
    if (isfinite(target))
        draw_target(ctx, &d, target);

    char num[96], buf[128];
    rgba_t vc = panel_threshold_color(ctx->panel, v, t->value);
    const char *label = wtext(ctx, 0, wcol(ctx, "label"), buf, sizeof buf);
    /* inside the tick labels on large dials; small ones have no labels and
     * lend the number the whole inner width */
    bool ticks = d.radius >= 110;
    double inner = d.radius - d.width / 2 - (ticks ? 40 : 4);
    arc_center_text(cr, ctx->r, d.cx, d.cy, ticks ? inner * 1.6 : inner * 2,
                    with_unit(ctx, v, num, sizeof num), fmin(64, inner * 0.5), vc, label,
                    t->text);
    if (isfinite(target))
        draw_target_line(ctx, d.cx, d.cy + outer * 0.5 + below / 2 + 4, b.w - 8, v, target);
}

const struct widget_class widget_gauge = {
    .spec = {
        .name = "gauge",
        .title = "Completion gauge (完成率仪表盘)",
        .doc = "One value on a 240° dial against a target marker (e.g. 完成年度目标 vs 序时进度): "
               "ticks, a gradient value arc, the percentage in the centre, the label under it "
               "and the gap to the target in percentage points. Binds one row.",
        .needs_data = true,
        .roles = roles,
        .props = props,
    },
    .draw = draw,
    .hit = whit_first_row,
};
