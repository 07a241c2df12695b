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

/* A style for text in max_width: its size shrunk to fit, down to 70 % (a
 * long region name: 许昌经济技术开发区; a database's 数据来源 list), and only
 * beyond that shortened with an ellipsis. */
static struct text_style fit_style(const struct widget_ctx *ctx, const char *text, double size,
                                   int weight, rgba_t color, double max_width)
{
    struct text_style st = wstyle(ctx, false, size, weight, color);
    double w, h;
    text_measure(ctx->r->text, text, &st, &w, &h);
    if (w > max_width)
        st = wstyle(ctx, false, fmax(size * 0.7, size * max_width / w), weight, color);
    st.max_width = max_width;
    return st;
}

static void draw(const struct widget_ctx *ctx)
{
    cairo_t *cr = ctx->cr;
    const struct theme *t = ctx->theme;
    struct rect b = ctx->box;
    double cx = b.x + b.w / 2, cy = b.y + b.h / 2;
    double size = panel_opt_num(ctx->panel, "size");

    /* the header plate: a wide trapezoid with glowing edges, as on walls */
    double pw = fmin(b.w * 0.46, 1100), ph = b.h;
    cairo_pattern_t *g = cairo_pattern_create_linear(0, b.y, 0, b.y + ph);
    color_add_stop(g, 0, (t->header_bg & 0xffffff00) | 0x10);
    color_add_stop(g, 1, (t->header_bg & 0xffffff00) | 0xa0);
    cairo_move_to(cr, cx - pw / 2, b.y);
    cairo_line_to(cr, cx + pw / 2, b.y);
    cairo_line_to(cr, cx + pw / 2 - ph * 0.6, b.y + ph);
    cairo_line_to(cr, cx - pw / 2 + ph * 0.6, b.y + ph);
    cairo_close_path(cr);
    cairo_set_source(cr, g);
    cairo_fill(cr);
    cairo_pattern_destroy(g);

    /* a glowing line under the whole bar, brighter under the plate */
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

    const char *title = ctx->title && *ctx->title ? ctx->title : ctx->scene->title;
    struct text_style ts = fit_style(ctx, title, size, 700, t->title, pw - ph * 1.2);
    double title_y = cy - 2;
    /* soft glow: the title drawn wider in the accent colour underneath */
    struct text_style glow = ts;
    glow.color = (t->header_accent & 0xffffff00) | 0x40;
    for (int i = 0; i < 4; i++) {
        double dx = (i % 2 ? 1.5 : -1.5), dy = (i / 2 ? 1.5 : -1.5);
        text_draw(ctx->r->text, cr, cx + dx, title_y + dy, ANCHOR_CENTER | ANCHOR_MIDDLE,
                  title, &glow);
    }
    text_draw(ctx->r->text, cr, cx, title_y, ANCHOR_CENTER | ANCHOR_MIDDLE, title, &ts);

    const char *left = panel_opt_str(ctx->panel, "left");
    if (!*left)
        left = ctx->subtitle         ? ctx->subtitle
               : ctx->scene->subtitle ? ctx->scene->subtitle
                                      : "";
    double side_w = (b.w - pw) / 2 - 24;
    if (*left && side_w > 60) {
        struct text_style ls = fit_style(ctx, left, 18, 400, t->text, side_w);
        text_draw(ctx->r->text, cr, b.x + 8, cy, ANCHOR_LEFT | ANCHOR_MIDDLE, left, &ls);
    }
    if (panel_opt_bool(ctx->panel, "clock") && side_w > 60) {
        char clock[96], line[160];
        fmt_time(clock, sizeof clock, ctx->r->now, panel_opt_str(ctx->panel, "clock_format"));
        char wd[8];
        fmt_time(wd, sizeof wd, ctx->r->now, "%w");
        int d = wd[0] - '0';
        snprintf(line, sizeof line, "%s  %s", clock, weekdays[d >= 0 && d < 7 ? d : 0]);
        struct text_style cs = wstyle(ctx, true, 20, 500, t->text);
        cs.max_width = side_w;
        text_draw(ctx->r->text, cr, b.x + b.w - 8, cy, ANCHOR_RIGHT | ANCHOR_MIDDLE, line, &cs);
    }
}

const struct widget_class widget_title = {
    .spec = {
        .name = "title",
        .title = "Title bar with clock (标题栏)",
        .doc = "The scene title, centred on a glowing plate; the subtitle on the left and a "
               "clock on the right. Use it with \"frame\": false across the top row.",
        .needs_data = false,
        .roles = (const struct role_spec[]){{0}},
        .props = props,
        .animated_by = "*",
    },
    .draw = draw,
};
