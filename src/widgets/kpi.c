/* KPI tile: a large number with its unit, growth with a red-up/green-down
 * arrow, the provincial rank (居全省第N位) and the period (1–10月累计). */
#include "widgets/widget.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct role_spec roles[] = {
    {"value", true, true, "the number shown large"},
    {"unit", false, false, "unit text, when the format gives none"},
    {"growth", false, true, "growth in % (同比 by default)"},
    {"rank", false, true, "rank, drawn with rank_label"},
    {"rank_scope", false, false,
     "what the rank is among, from the data (全省, 全省县域): the rank reads 居<scope>第N位 "
     "instead of rank_label"},
    {"period", false, false, "the period of the value, e.g. 2024-10"},
    {"label", false, false, "name of the indicator, used when the panel has no title"},
    {0},
};

static const struct prop_spec props[] = {
    {"growth_label", PROP_STRING, "\"同比\"", 0, 0, NULL, "word before the growth"},
    {"rank_label", PROP_STRING, "\"居全省第%d位\"", 0, 0, NULL,
     "rank text; %d is replaced by the rank"},
    {"period_style", PROP_ENUM, "\"cumulative\"", 0, 0, "cumulative|month|none",
     "how the period is written: 1–10月累计, 2024年10月, or not at all"},
    {"value_size", PROP_NUMBER, "48", 20, 200, NULL, "size of the number in design units"},
    {0},
};

static void draw(const struct widget_ctx *ctx)
{
    cairo_t *cr = ctx->cr;
    const struct theme *t = ctx->theme;
    struct rect b = ctx->box;
    char buf[128], num[64];
    int cv = wcol(ctx, "value");
    double v = wnum(ctx, 0, cv);
    double vsize = fmin(panel_opt_num(ctx->panel, "value_size"), b.h * 0.55);

    const char *label = wtext(ctx, 0, wcol(ctx, "label"), buf, sizeof buf);
    double top = b.y;
    if (!ctx->panel->title && *label) {
        struct text_style ls = wstyle(ctx, false, 18, 500, t->text);
        ls.max_width = b.w;
        text_draw(ctx->r->text, cr, b.x, top, ANCHOR_LEFT | ANCHOR_TOP, label, &ls);
        top += 26;
    }

    /* the number and its unit share a baseline */
    rgba_t vc = panel_threshold_color(ctx->panel, v, t->value);
    struct text_style vs = wstyle(ctx, true, vsize, 700, vc);
    wfmt(ctx, "value", v, num, sizeof num);
    double base = top + text_baseline(ctx->r->text, num, &vs) + 2;
    double w = text_draw(ctx->r->text, cr, b.x, base, ANCHOR_LEFT | ANCHOR_BASELINE, num, &vs);
    const char *unit = wunit(ctx, "value");
    if (*unit && isfinite(v)) {
        struct text_style us = wstyle(ctx, false, 18, 400, t->muted);
        us.max_width = fmax(0, b.w - w - 8);
        if (us.max_width > 20)
            text_draw(ctx->r->text, cr, b.x + w + 8, base, ANCHOR_LEFT | ANCHOR_BASELINE, unit,
                      &us);
    }

    /* second line: growth on the left, period on the right */
    double y2 = fmin(base + 30, b.y + b.h - 12);
    double x = b.x;
    int cg = wcol(ctx, "growth");
    if (cg >= 0) {
        double g = wnum(ctx, 0, cg);
        rgba_t up, down;
        theme_growth_colors(t, ctx->r->red_up, &up, &down);
        rgba_t gc = !isfinite(g) || fabs(g) < 0.05 ? t->flat : g > 0 ? up : down;
        struct text_style ls = wstyle(ctx, false, 16, 400, t->muted);
        x += text_draw(ctx->r->text, cr, x, y2, ANCHOR_LEFT | ANCHOR_MIDDLE,
                       panel_opt_str(ctx->panel, "growth_label"), &ls) + 8;
        if (isfinite(g) && fabs(g) >= 0.05) {
            color_set(cr, gc);
            draw_arrow(cr, x + 6, y2, 12, g > 0);
            x += 16;
        }
        struct text_style gs = wstyle(ctx, true, 20, 700, gc);
        x += text_draw(ctx->r->text, cr, x, y2, ANCHOR_LEFT | ANCHOR_MIDDLE,
                       fmt_growth(buf, sizeof buf, g, 1, "%"), &gs) + 14;
    }
    int cr_ = wcol(ctx, "rank");
    double rank = wnum(ctx, 0, cr_);
    double right = b.x + b.w;
    if (isfinite(rank) && rank >= 1 && rank < 1000) {
        char rl[96], sbuf[64];
        const char *tmpl = panel_opt_str(ctx->panel, "rank_label");
        const char *pct = strstr(tmpl, "%d");
        const char *scope = wtext(ctx, 0, wcol(ctx, "rank_scope"), sbuf, sizeof sbuf);
        if (*scope)
            snprintf(rl, sizeof rl, "居%s第%d位", scope, (int)rank);
        else if (pct)
            snprintf(rl, sizeof rl, "%.*s%d%s", (int)(pct - tmpl), tmpl, (int)rank, pct + 2);
        else
            snprintf(rl, sizeof rl, "%s", tmpl);
        struct text_style rs = wstyle(ctx, false, 15, 700, t->badge_text);
        double rw, rh;
        text_measure(ctx->r->text, rl, &rs, &rw, &rh);
        if (right - (rw + 20) > x)
            right -= draw_badge(cr, ctx->r, right, y2, rl, t->warn, t->badge_text) + 8;
    }
    const char *ps = panel_opt_str(ctx->panel, "period_style");
    const char *period = wtext(ctx, 0, wcol(ctx, "period"), num, sizeof num);
    if (*period && strcmp(ps, "none") != 0 && base - top > 0) {
        fmt_period(buf, sizeof buf, period,
                   strcmp(ps, "month") == 0 ? PERIOD_YM : PERIOD_CUMULATIVE);
        struct text_style pst = wstyle(ctx, false, 14, 400, t->muted);
        double pw, ph;
        text_measure(ctx->r->text, buf, &pst, &pw, &ph);
        if (right - pw > x)
            text_draw(ctx->r->text, cr, right, y2, ANCHOR_RIGHT | ANCHOR_MIDDLE, buf, &pst);
    }
}

const struct widget_class widget_kpi = {
    .spec = {
        .name = "kpi",
        .title = "KPI tile (指标卡)",
        .doc = "One indicator: the value large with its unit, growth with an arrow (red up, "
               "green down by default), the provincial rank and the period. Binds one row.",
        .needs_data = true,
        .roles = roles,
        .props = props,
    },
    .draw = draw,
    .hit = whit_first_row,
};
