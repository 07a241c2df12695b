/* Ranking board (排名榜): one row per item — rank badge, name, a gradient bar
 * proportional to the value, the value with its unit and an optional growth.
 * Negative values grow leftward from a zero line in the "down" colour, so a
 * bar's length always means |value| on one common scale. */
#include "render/rows.h"
#include "widgets/widget.h"
#include <math.h>

static const struct role_spec roles[] = {
    {"label", true, false, "name of the item"},
    {"value", true, true, "the ranked number; the bar length"},
    {"extra", false, true, "growth in %, drawn with its sign, red up / green down"},
    {"unit", false, false, "unit of the value, when neither the option nor the format gives one"},
    WIDGET_CODE_ROLE,
    {0},
};

static const struct prop_spec props[] = {
    {"rows", PROP_INT, "10", 1, 100, NULL, "rows visible at once"},
    {"show_index", PROP_BOOL, "true", 0, 0, NULL, "draw rank badges (1–3 in warm colours)"},
    {"scroll", PROP_BOOL, "false", 0, 0, NULL,
     "when there are more rows than fit, advance one row every scroll_seconds, wrapping around"},
    {"scroll_seconds", PROP_INT, "3", 1, 3600, NULL, "seconds per scroll step"},
    {"unit", PROP_STRING, "\"\"", 0, 0, NULL, "unit after the value; default: the format's unit"},
    WIDGET_HIGHLIGHT_PROP,
    {0},
};

struct board {
    const struct widget_ctx *ctx;
    int cl, cv, ce;
    const char *unit;
    double size;             /* text size */
    double lo, hi;           /* value scale, always spanning 0 */
    double label_w, value_w, unit_w, extra_w; /* measured, label_w then fitted */
    rgba_t up, down;
    /* column geometry, from layout_columns() */
    bool index;
    double badge_h, label_x, bar_x, bar_w, bar_h, value_x, extra_x;
};

/* Widths of the label, value and growth columns, and the value range. */
static void measure(struct board *bd)
{
    const struct widget_ctx *ctx = bd->ctx;
    struct text_style ls = wstyle(ctx, false, bd->size, 400, 0);
    struct text_style vs = wstyle(ctx, true, bd->size, 700, 0);
    char buf[256];
    size_t n = ctx->data->nrows < ROWS_MEASURE ? ctx->data->nrows : ROWS_MEASURE;
    bd->lo = bd->hi = 0;
    for (size_t i = 0; i < ctx->data->nrows; i++) {
        double v = wnum(ctx, i, bd->cv);
        if (isfinite(v)) {
            bd->lo = fmin(bd->lo, v);
            bd->hi = fmax(bd->hi, v);
        }
    }
    struct render *r = ctx->r;
    for (size_t i = 0; i < n; i++) {
        const char *label = wtext(ctx, i, bd->cl, buf, sizeof buf);
        bd->label_w = fmax(bd->label_w, rows_text_width(r, label, &ls));
        const char *value = wfmt(ctx, "value", wnum(ctx, i, bd->cv), buf, sizeof buf);
        bd->value_w = fmax(bd->value_w, rows_text_width(r, value, &vs));
        if (bd->ce < 0)
            continue;
        const char *growth = fmt_growth(buf, sizeof buf, wnum(ctx, i, bd->ce), 1, "%");
        bd->extra_w = fmax(bd->extra_w, rows_text_width(r, growth, &vs));
    }
    struct text_style us = wstyle(ctx, false, 14, 400, 0);
    bd->unit_w = *bd->unit ? rows_text_width(ctx->r, bd->unit, &us) + 3 : 0;
}

static rgba_t growth_color(const struct board *bd, double g)
{
    if (!isfinite(g) || fabs(g) < 0.05)
        return bd->ctx->theme->flat;
    return g > 0 ? bd->up : bd->down;
}

/* The value right-aligned at `right`, its unit smaller beside it. */
static void draw_value(const struct board *bd, double right, double y, double v)
{
    const struct widget_ctx *ctx = bd->ctx;
    const struct theme *t = ctx->theme;
    char num[64];
    rgba_t c = isfinite(v) ? panel_threshold_color(ctx->panel, v, v < 0 ? bd->down : t->value)
                           : t->muted;
    if (isfinite(v) && bd->unit_w > 0) {
        struct text_style us = wstyle(ctx, false, 14, 400, t->muted);
        text_draw(ctx->r->text, ctx->cr, right, y, ANCHOR_RIGHT | ANCHOR_MIDDLE, bd->unit, &us);
    }
    struct text_style vs = wstyle(ctx, true, bd->size, 700, c);
    text_draw(ctx->r->text, ctx->cr, right - bd->unit_w, y, ANCHOR_RIGHT | ANCHOR_MIDDLE,
              wfmt(ctx, "value", v, num, sizeof num), &vs);
}

/* The bar of one value in the track [x, x + w), from the zero line. */
static void draw_value_bar(const struct board *bd, double x, double w, double y_mid, double h,
                           double v)
{
    const struct theme *t = bd->ctx->theme;
    rows_draw_track(bd->ctx->cr, t, (struct rect){x, y_mid - h / 2, w, h});
    double span = bd->hi - bd->lo;
    if (!isfinite(v) || !(span > 0))
        return;
    double zero = x + w * (-bd->lo / span);
    double len = w * fabs(v) / span;
    if (v >= 0)
        rows_draw_bar(bd->ctx->cr, (struct rect){zero, y_mid - h / 2, len, h},
                      panel_threshold_color(bd->ctx->panel, v, t->value), false);
    else
        rows_draw_bar(bd->ctx->cr, (struct rect){zero - len, y_mid - h / 2, len, h}, bd->down,
                      true);
}

/* The zero line across all rows, only when some value is negative. */
static void draw_zero_line(const struct board *bd, const struct rows *rl, double x, double w)
{
    double span = bd->hi - bd->lo;
    if (!(bd->lo < 0) || !(span > 0))
        return;
    double zx = x + w * (-bd->lo / span);
    cairo_t *cr = bd->ctx->cr;
    color_set(cr, bd->ctx->theme->axis);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, zx, rl->box.y + 2);
    cairo_line_to(cr, zx, rl->box.y + rl->box.h - 2);
    cairo_stroke(cr);
}

/* Columns, right to left: growth, value (+unit), then the badge and the
 * label from the left, and the bar takes what is left. False when not even
 * the numbers fit. */
static bool layout_columns(struct board *bd, struct rect b, double pitch, bool index)
{
    bd->badge_h = fmin(pitch * 0.64, 26);
    double index_w = index ? bd->badge_h * (bd->ctx->data->nrows >= 100 ? 1.6 : 1.2) + 10 : 0;
    bd->extra_x = b.x + b.w;
    bd->value_x = bd->ce >= 0 ? bd->extra_x - bd->extra_w - 16 : bd->extra_x;
    double value_left = bd->value_x - bd->value_w - bd->unit_w;
    if (value_left < b.x)
        return false;
    if (value_left - index_w < b.x) /* the numbers matter more than the badges */
        index_w = 0;
    bd->index = index_w > 0;
    bd->label_x = b.x + index_w;
    /* a label takes 40 % of the row, or more while the bar keeps a quarter
     * (at least 60): in a narrow panel 一般公共预算收入 stays whole */
    double row = bd->value_x - bd->label_x, room = value_left - 14 - bd->label_x;
    double cap = fmax(row * 0.4, room - 14 - fmax(60, row * 0.25));
    bd->label_w = fmin(bd->label_w, fmax(0, cap));
    bd->bar_x = bd->label_x + bd->label_w + 14;
    bd->bar_w = value_left - 14 - bd->bar_x;
    if (bd->bar_w < 30) { /* too narrow for bars: give the room back to the label */
        bd->label_w = fmax(0, value_left - 14 - bd->label_x);
        bd->bar_w = 0;
    }
    bd->bar_h = fmax(6, fmin(14, pitch * 0.3));
    return true;
}

static void draw_row(const struct board *bd, struct rect sl, size_t row)
{
    const struct widget_ctx *ctx = bd->ctx;
    const struct theme *t = ctx->theme;
    char buf[256];
    double y = sl.y + sl.h / 2;
    if (bd->index)
        rows_draw_rank(ctx->cr, ctx->r, sl.x, y, bd->badge_h, row + 1);
    struct text_style ls = wstyle(ctx, false, bd->size, 400, row < 3 ? t->title : t->text);
    ls.max_width = bd->label_w;
    if (bd->label_w > bd->size)
        text_draw(ctx->r->text, ctx->cr, bd->label_x, y, ANCHOR_LEFT | ANCHOR_MIDDLE,
                  wtext(ctx, row, bd->cl, buf, sizeof buf), &ls);
    double v = wnum(ctx, row, bd->cv);
    if (bd->bar_w > 0)
        draw_value_bar(bd, bd->bar_x, bd->bar_w, y, bd->bar_h, v);
    draw_value(bd, bd->value_x, y, v);
    if (bd->ce >= 0) {
        double g = wnum(ctx, row, bd->ce);
        struct text_style gs = wstyle(ctx, true, bd->size, 700, growth_color(bd, g));
        text_draw(ctx->r->text, ctx->cr, bd->extra_x, y, ANCHOR_RIGHT | ANCHOR_MIDDLE,
                  fmt_growth(buf, sizeof buf, g, 1, "%"), &gs);
    }
}

/* The rows and their columns, for draw and hit alike. False when nothing
 * fits. */
static bool board_layout(const struct widget_ctx *ctx, struct board *bd, struct rows *rl)
{
    const struct panel *p = ctx->panel;
    *bd = (struct board){.ctx = ctx, .cl = wcol(ctx, "label"), .cv = wcol(ctx, "value"),
                         .ce = wcol(ctx, "extra")};
    bd->unit = *panel_opt_str(p, "unit") ? panel_opt_str(p, "unit") : wunit(ctx, "value");
    theme_growth_colors(ctx->theme, ctx->r->red_up, &bd->up, &bd->down);

    int scroll_s = panel_opt_bool(p, "scroll") ? (int)panel_opt_num(p, "scroll_seconds") : 0;
    rows_layout(rl, ctx->box, ctx->data->nrows, (size_t)panel_opt_num(p, "rows"), 24, 56,
                ctx->r->now, scroll_s);
    if (!rl->slots)
        return false;
    bd->size = rows_text_size(rl->pitch);
    measure(bd);
    return layout_columns(bd, rl->box, rl->pitch, panel_opt_bool(p, "show_index"));
}

static void draw(const struct widget_ctx *ctx)
{
    struct board bd;
    struct rows rl;
    if (!board_layout(ctx, &bd, &rl))
        return;
    if (bd.bar_w > 0)
        draw_zero_line(&bd, &rl, bd.bar_x, bd.bar_w);
    for (size_t s = 0; s < rl.slots && rows_row(&rl, s) != ROWS_MORE; s++) {
        rows_draw_wrap(ctx->cr, ctx->r, &rl, s);
        if (whighlight(ctx, rows_row(&rl, s), "label"))
            wdraw_highlight(ctx, rows_slot(&rl, s), 4, true);
        draw_row(&bd, rows_slot(&rl, s), rows_row(&rl, s));
    }
    rows_draw_more(ctx->cr, ctx->r, &rl);
    rows_draw_scrollbar(ctx->cr, ctx->r, &rl);
}

static int hit(const struct widget_ctx *ctx, double x, double y)
{
    struct board bd;
    struct rows rl;
    return board_layout(ctx, &bd, &rl) ? (int)rows_hit(&rl, x, y) : -1;
}

const struct widget_class widget_ranking = {
    .spec = {
        .name = "ranking",
        .title = "Ranking board (排名榜)",
        .doc = "One row per item in the binding's order (sort it): rank badge, name, a gradient "
               "bar proportional to the value (negative values grow leftward from a zero line "
               "in the down colour), the value with its unit and an optional growth in %. "
               "With scroll, a long board advances one row every scroll_seconds.",
        .needs_data = true,
        .roles = roles,
        .props = props,
        .animated_by = "scroll",
        .clock_phase = wscroll_phase,
    },
    .draw = draw,
    .hit = hit,
};
