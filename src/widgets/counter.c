/* Counter tile (累计计数牌): a running total (累计) in digit plates, the way
 * big screens show 注册用户数 or 放款金额, with what it grew by beneath it:
 * 当日新增, 当月新增, 当年新增 — each shown when its role is bound. */
#include "widgets/widget.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct role_spec roles[] = {
    {"value", true, true, "the running total (累计), in digit plates"},
    {"day", false, true, "added today (当日新增)"},
    {"month", false, true, "added this month (当月新增)"},
    {"year", false, true, "added this year (当年新增)"},
    {"unit", false, false, "unit text, when the format gives none"},
    {"label", false, false, "name of the total, drawn above it when the panel has no title"},
    {0},
};

static const struct prop_spec props[] = {
    {"day_label", PROP_STRING, "\"当日新增\"", 0, 0, NULL, "caption of the day role"},
    {"month_label", PROP_STRING, "\"当月新增\"", 0, 0, NULL, "caption of the month role"},
    {"year_label", PROP_STRING, "\"当年新增\"", 0, 0, NULL, "caption of the year role"},
    {"value_size", PROP_NUMBER, "44", 16, 200, NULL, "height of the digits in design units"},
    {0},
};

/* One plate per digit; separators and the decimal point sit between the
 * plates, smaller and without one. Returns the width drawn (or, with
 * draw false, that it would draw). */
static double plates(const struct widget_ctx *ctx, double x, double y_mid, const char *num,
                     double size, bool draw)
{
    const struct theme *t = ctx->theme;
    double pw = size * 0.78, ph = size * 1.3, gap = size * 0.1, w = 0;
    struct text_style ds = wstyle(ctx, true, size, 700, t->title);
    struct text_style ss = wstyle(ctx, true, size * 0.7, 700, t->muted);
    for (const char *p = num; *p; p++) {
        char ch[2] = {*p, 0};
        bool digit = *p >= '0' && *p <= '9';
        double cw = digit ? pw : size * 0.34;
        if (draw && digit) {
            cairo_pattern_t *g = cairo_pattern_create_linear(0, y_mid - ph / 2, 0, y_mid + ph / 2);
            color_add_stop(g, 0, color_mix(t->header_bg, t->value, 0.25));
            color_add_stop(g, 1, t->panel_bg);
            draw_rounded_rect(ctx->cr, x + w, y_mid - ph / 2, pw, ph, size * 0.12);
            cairo_set_source(ctx->cr, g);
            cairo_fill_preserve(ctx->cr);
            cairo_pattern_destroy(g);
            color_set_alpha(ctx->cr, t->value, 0.55);
            cairo_set_line_width(ctx->cr, 1);
            cairo_stroke(ctx->cr);
            /* the seam of a flip plate */
            color_set_alpha(ctx->cr, t->bg_bottom, 0.6);
            cairo_rectangle(ctx->cr, x + w, y_mid - 0.5, pw, 1);
            cairo_fill(ctx->cr);
        }
        if (draw)
            text_draw(ctx->r->text, ctx->cr, x + w + cw / 2, digit ? y_mid : y_mid + ph * 0.3,
                      ANCHOR_CENTER | ANCHOR_MIDDLE, ch, digit ? &ds : &ss);
        w += cw + gap;
    }
    return w > 0 ? w - gap : 0;
}

/* The additions beneath: one cell per bound role, caption over "+1,234". */
static void additions(const struct widget_ctx *ctx, struct rect b)
{
    static const char *const role[3] = {"day", "month", "year"};
    static const char *const caption[3] = {"day_label", "month_label", "year_label"};
    int col[3], n = 0;
    for (int k = 0; k < 3; k++)
        if ((col[k] = wcol(ctx, role[k])) >= 0)
            n++;
    if (n == 0 || b.h < 30 || b.w < 60)
        return;
    double cw = b.w / n, x = b.x;
    rgba_t up, down;
    theme_growth_colors(ctx->theme, ctx->r->red_up, &up, &down);
    for (int k = 0; k < 3; k++) {
        if (col[k] < 0)
            continue;
        double v = wnum(ctx, 0, col[k]);
        char num[64], text[80];
        wfmt(ctx, "value", v, num, sizeof num);
        snprintf(text, sizeof text, "%s%s", isfinite(v) && v > 0 ? "+" : "", num);
        struct text_style ls = wstyle(ctx, false, 14, 400, ctx->theme->muted);
        struct text_style vs = wstyle(ctx, true, fmin(22, b.h * 0.4), 700,
                                      isfinite(v) && v > 0 ? up : ctx->theme->text);
        ls.max_width = vs.max_width = cw - 8;
        text_draw(ctx->r->text, ctx->cr, x + cw / 2, b.y + b.h * 0.28, ANCHOR_CENTER | ANCHOR_MIDDLE,
                  panel_opt_str(ctx->panel, caption[k]), &ls);
        text_draw(ctx->r->text, ctx->cr, x + cw / 2, b.y + b.h * 0.72, ANCHOR_CENTER | ANCHOR_MIDDLE,
                  text, &vs);
        if (x > b.x) { /* a hairline between the cells */
            color_set(ctx->cr, ctx->theme->grid);
            cairo_rectangle(ctx->cr, round(x), b.y + b.h * 0.15, 1, b.h * 0.7);
            cairo_fill(ctx->cr);
        }
        x += cw;
    }
}

static void draw(const struct widget_ctx *ctx)
{
    struct rect b = ctx->box;
    if (b.w < 40 || b.h < 30)
        return;
    char buf[128], num[64];
    double top = b.y;
    const char *label = wtext(ctx, 0, wcol(ctx, "label"), buf, sizeof buf);
    if (!ctx->panel->title && *label) {
        struct text_style ls = wstyle(ctx, false, 18, 500, ctx->theme->text);
        ls.max_width = b.w;
        text_draw(ctx->r->text, ctx->cr, b.x, top, ANCHOR_LEFT | ANCHOR_TOP, label, &ls);
        top += 26;
    }
    bool below = wcol(ctx, "day") >= 0 || wcol(ctx, "month") >= 0 || wcol(ctx, "year") >= 0;
    double low_h = below ? fmin(64, (b.y + b.h - top) * 0.42) : 0;
    double up_h = b.y + b.h - top - low_h;
    wfmt(ctx, "value", wnum(ctx, 0, wcol(ctx, "value")), num, sizeof num);
    const char *unit = wunit(ctx, "value");
    struct text_style us = wstyle(ctx, false, 18, 400, ctx->theme->muted);
    double uw = 0, uh;
    if (*unit)
        text_measure(ctx->r->text, unit, &us, &uw, &uh);
    /* as large as asked, as small as the room needs */
    double size = fmin(panel_opt_num(ctx->panel, "value_size"), up_h / 1.5);
    double w = plates(ctx, 0, 0, num, size, false);
    double room = b.w - (uw > 0 ? uw + 10 : 0);
    if (w > room && w > 0)
        size *= room / w, w = room;
    if (size < 8)
        return;
    /* the plates and the additions as one group, centred in the room */
    double group = size * 1.3 + (below ? 12 + low_h : 0);
    double y0 = top + fmax(0, (b.y + b.h - top - group) / 2);
    double x = b.x + (b.w - w - (uw > 0 ? uw + 10 : 0)) / 2, y = y0 + size * 0.65;
    plates(ctx, x, y, num, size, true);
    if (uw > 0)
        text_draw(ctx->r->text, ctx->cr, x + w + 10, y + size * 0.4, ANCHOR_LEFT | ANCHOR_BASELINE,
                  unit, &us);
    double ay = fmin(y0 + size * 1.3 + 12, b.y + b.h - low_h);
    double aw = fmin(b.w, fmax(w + uw, 560)); /* the cells stay near the total */
    additions(ctx, (struct rect){b.x + (b.w - aw) / 2, ay, aw, low_h});
}

const struct widget_class widget_counter = {
    .spec = {
        .name = "counter",
        .title = "Counter tile (累计计数牌)",
        .doc = "A running total (累计) in digit plates, with its unit, and beneath it what it grew "
               "by: 当日新增, 当月新增 and 当年新增, each drawn when its role is bound (signed, in "
               "the growth colour). The additions take the value's format. Binds one row.",
        .needs_data = true,
        .roles = roles,
        .props = props,
    },
    .draw = draw,
    .hit = whit_first_row,
};
