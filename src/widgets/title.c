/* Title bar: the scene title in the centre, the subtitle (period, 口径, demo
 * label) on the left, the clock in Asia/Shanghai on the right. */
#include "widgets/widget.h"
#include <math.h>

static const struct prop_spec props[] = {
    {"clock", PROP_BOOL, "true", 0, 0, NULL, "show the clock on the right"},
    {"clock_format", PROP_STRING, "\"%Y-%m-%d %H:%M:%S\"", 0, 0, NULL,
     "strftime format of the clock (local time, Asia/Shanghai unless configured)"},
    {"left", PROP_STRING, "\"\"", 0, 0, NULL, "text on the left; default: the scene subtitle"},
    {"size", PROP_NUMBER, "40", 20, 120, NULL, "title size in design units"},
    {0},
};

static const char *const weekdays[] = {"星期日", "星期一", "星期二", "星期三",
                                       "星期四", "星期五", "星期六"};

/* The header plate: a wide trapezoid with glowing edges, as on walls. */
static void draw_plate(const struct widget_ctx *ctx, double cx, double y, double pw, double ph)
{
    cairo_t *cr = ctx->cr;
    const struct theme *t = ctx->theme;
    cairo_pattern_t *g = cairo_pattern_create_linear(0, y, 0, y + ph);
    color_add_stop(g, 0, (t->header_bg & 0xffffff00) | 0x10);
    color_add_stop(g, 1, (t->header_bg & 0xffffff00) | 0xa0);
    cairo_move_to(cr, cx - pw / 2, y);
    cairo_line_to(cr, cx + pw / 2, y);
    cairo_line_to(cr, cx + pw / 2 - ph * 0.6, y + ph);
    cairo_line_to(cr, cx - pw / 2 + ph * 0.6, y + ph);
    cairo_close_path(cr);
    cairo_set_source(cr, g);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
}

/* A glowing line under the whole bar, brighter in the middle. */
static void draw_rule(const struct widget_ctx *ctx, struct rect b)
{
    cairo_t *cr = ctx->cr;
    const struct theme *t = ctx->theme;
    cairo_pattern_t *lg = cairo_pattern_create_linear(b.x, 0, b.x + b.w, 0);
    color_add_stop(lg, 0, t->panel_border & 0xffffff00);
    color_add_stop(lg, 0.3, t->panel_border);
    color_add_stop(lg, 0.5, t->header_accent);
    color_add_stop(lg, 0.7, t->panel_border);
    color_add_stop(lg, 1, t->panel_border & 0xffffff00);
    cairo_set_source(cr, lg);
    cairo_set_line_width(cr, 2);
    cairo_move_to(cr, b.x, b.y + b.h - 1);
    cairo_line_to(cr, b.x + b.w, b.y + b.h - 1);
    cairo_stroke(cr);
    cairo_pattern_destroy(lg);
}

/* The title at (cx, y) over a soft glow: drawn wider in the accent colour underneath. */
static void draw_title_text(const struct widget_ctx *ctx, double cx, double y, double max_w)
{
    const struct theme *t = ctx->theme;
    const char *title = ctx->title && *ctx->title ? ctx->title : ctx->scene->title;
    struct text_style ts = wstyle(ctx, false, panel_opt_num(ctx->panel, "size"), 700, t->title);
    ts.max_width = max_w;
    struct text_style glow = ts;
    glow.color = (t->header_accent & 0xffffff00) | 0x40;
    for (int i = 0; i < 4; i++) {
        double dx = (i % 2 ? 1.5 : -1.5), dy = (i / 2 ? 1.5 : -1.5);
        text_draw(ctx->r->text, ctx->cr, cx + dx, y + dy, ANCHOR_CENTER | ANCHOR_MIDDLE, title,
                  &glow);
    }
    text_draw(ctx->r->text, ctx->cr, cx, y, ANCHOR_CENTER | ANCHOR_MIDDLE, title, &ts);
}

/* The subtitle at the left edge and the clock at the right, each at most
 * side_w wide, on the line through y. */
static void draw_sides(const struct widget_ctx *ctx, struct rect b, double y, double side_w)
{
    const struct theme *t = ctx->theme;
    const char *left = panel_opt_str(ctx->panel, "left");
    if (!*left)
        left = ctx->subtitle         ? ctx->subtitle
               : ctx->scene->subtitle ? ctx->scene->subtitle
                                      : "";
    if (side_w <= 60)
        return;
    if (*left) {
        struct text_style ls = wstyle(ctx, false, 18, 400, t->text);
        ls.max_width = side_w;
        text_draw(ctx->r->text, ctx->cr, b.x + 8, y, ANCHOR_LEFT | ANCHOR_MIDDLE, left, &ls);
    }
    if (panel_opt_bool(ctx->panel, "clock")) {
        char clock[96], line[160];
        fmt_time(clock, sizeof clock, ctx->r->now, panel_opt_str(ctx->panel, "clock_format"));
        char wd[8];
        fmt_time(wd, sizeof wd, ctx->r->now, "%w");
        int d = wd[0] - '0';
        snprintf(line, sizeof line, "%s  %s", clock, weekdays[d >= 0 && d < 7 ? d : 0]);
        struct text_style cs = wstyle(ctx, true, 20, 500, t->text);
        cs.max_width = side_w;
        text_draw(ctx->r->text, ctx->cr, b.x + b.w - 8, y, ANCHOR_RIGHT | ANCHOR_MIDDLE, line,
                  &cs);
    }
}

/* Room for a line of subtitle and clock under the plate. */
#define SIDE_LINE_H 40.0

static void draw(const struct widget_ctx *ctx)
{
    struct rect b = ctx->box;
    double cx = b.x + b.w / 2, size = panel_opt_num(ctx->panel, "size");
    if (b.h >= size * 1.5 + SIDE_LINE_H + 24) {
        /* a tall bar (a portrait screen's): the plate across the top, the
         * subtitle and clock on a line of their own below, each with half
         * the width, instead of three texts squeezed into one line */
        double pw = fmin(b.w * 0.9, 1100), ph = b.h - SIDE_LINE_H;
        draw_plate(ctx, cx, b.y, pw, ph);
        draw_rule(ctx, b);
        draw_title_text(ctx, cx, b.y + ph / 2 - 2, pw - ph * 1.2);
        draw_sides(ctx, b, b.y + b.h - SIDE_LINE_H / 2 - 2, b.w / 2 - 24);
        return;
    }
    double pw = fmin(b.w * 0.46, 1100), ph = b.h;
    draw_plate(ctx, cx, b.y, pw, ph);
    draw_rule(ctx, b);
    draw_title_text(ctx, cx, b.y + b.h / 2 - 2, pw - ph * 1.2);
    draw_sides(ctx, b, b.y + b.h / 2, (b.w - pw) / 2 - 24);
}

const struct widget_class widget_title = {
    .spec = {
        .name = "title",
        .title = "Title bar with clock (标题栏)",
        .doc = "The scene title, centred on a glowing plate; the subtitle on the left and a "
               "clock on the right. Use it with \"frame\": false across the top row. In a "
               "tall box (a portrait screen's two rows) the subtitle and the clock go on a "
               "line of their own under the plate.",
        .needs_data = false,
        .roles = (const struct role_spec[]){{0}},
        .props = props,
        .animated_by = "*",
    },
    .draw = draw,
};
