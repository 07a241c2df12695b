/* Title bar: the scene title in the centre, the subtitle (period, 口径, demo
 * label) on the left, the clock in Asia/Shanghai on the right. On the wall
 * while someone drives, the left side shows touchable back and home marks
 * and the breadcrumb (许昌市 › 禹州市 › 项目详情) over the subtitle. */
#include "widgets/widget.h"
#include <math.h>
#include <string.h>

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

/* ---- the breadcrumb: one layout for drawing and for touches ------------- */

#define MAX_CRUMBS 16
#define MAX_CHOICES 24

struct marks {
    struct rect back, home, crumbs[MAX_CRUMBS];
    size_t ncrumbs;
    double line_y, sub_y;           /* the marks' line and the subtitle's below it */
    struct text_style mark, crumb, sep;
};

/* Where the marks and crumbs go in the left part (x0, width side_w) of box b. */
static bool marks_layout(const struct widget_ctx *ctx, struct rect b, double side_w,
                         struct marks *m)
{
    const struct theme *t = ctx->theme;
    if (ctx->r->ncrumbs < 2 || side_w < 200)
        return false;
    m->line_y = b.y + b.h * 0.36, m->sub_y = b.y + b.h * 0.78;
    m->mark = wstyle(ctx, false, 17, 700, t->title);
    m->crumb = wstyle(ctx, false, 17, 400, t->text);
    m->sep = wstyle(ctx, false, 17, 400, t->muted);
    double x = b.x + 8, h = b.h * 0.5, tw, th;
    const char *labels[2] = {"‹ 返回", "首页"};
    for (int i = 0; i < 2; i++) {
        text_measure(ctx->r->text, labels[i], &m->mark, &tw, &th);
        struct rect r = {x, m->line_y - h / 2, tw + 24, h};
        *(i == 0 ? &m->back : &m->home) = r;
        x += r.w + 10;
    }
    m->ncrumbs = ctx->r->ncrumbs < MAX_CRUMBS ? ctx->r->ncrumbs : MAX_CRUMBS;
    double end = b.x + side_w;
    for (size_t k = 0; k < m->ncrumbs; k++) {
        struct text_style cs = m->crumb;
        cs.weight = k + 1 == m->ncrumbs ? 700 : cs.weight; /* the last one is bold */
        text_measure(ctx->r->text, ctx->r->crumbs[k], &cs, &tw, &th);
        double w = fmin(tw, fmax(0, end - x));
        m->crumbs[k] = (struct rect){x, m->line_y - h / 2, w, h};
        x += w + 26; /* room for the › between */
    }
    return true;
}

static void draw_marks(const struct widget_ctx *ctx, const struct marks *m)
{
    cairo_t *cr = ctx->cr;
    const struct theme *t = ctx->theme;
    const char *labels[2] = {"‹ 返回", "首页"};
    for (int i = 0; i < 2; i++) {
        struct rect r = i == 0 ? m->back : m->home;
        draw_rounded_rect(cr, r.x, r.y, r.w, r.h, r.h / 2);
        color_set(cr, (t->header_accent & 0xffffff00) | 0x30);
        cairo_fill_preserve(cr);
        color_set(cr, t->header_accent);
        cairo_set_line_width(cr, 1.5);
        cairo_stroke(cr);
        text_draw(ctx->r->text, cr, r.x + r.w / 2, m->line_y, ANCHOR_CENTER | ANCHOR_MIDDLE,
                  labels[i], &m->mark);
    }
    for (size_t k = 0; k < m->ncrumbs; k++) {
        struct rect r = m->crumbs[k];
        if (r.w <= 0)
            break;
        struct text_style cs = m->crumb;
        cs.max_width = r.w;
        if (k + 1 == m->ncrumbs)
            cs.weight = 700, cs.color = t->title;
        text_draw(ctx->r->text, cr, r.x, m->line_y, ANCHOR_LEFT | ANCHOR_MIDDLE,
                  ctx->r->crumbs[k], &cs);
        if (k + 1 < m->ncrumbs)
            text_draw(ctx->r->text, cr, r.x + r.w + 13, m->line_y, ANCHOR_CENTER | ANCHOR_MIDDLE,
                      "›", &m->sep);
    }
}

/* Room for the subtitle and the clock under a tall bar's plate; more while
 * someone drives (the marks over the subtitle). */
#define SIDE_LINE_H 40.0
#define SIDE_MARKS_H 64.0

/* Where the parts of the bar go: the plate (its width, and its height from
 * the top of the box) and the band of the left side (subtitle, marks); the
 * clock mirrors it on the right. A tall bar (a portrait screen's two rows)
 * puts the band on a line of its own under the plate, each side with half
 * the width, instead of three texts squeezed into one line. */
struct bar {
    double pw, ph;
    struct rect side;
};

static struct bar bar_layout(const struct widget_ctx *ctx)
{
    struct rect b = ctx->box;
    double size = panel_opt_num(ctx->panel, "size");
    struct bar L;
    if (b.h >= size * 1.5 + SIDE_LINE_H + 24) {
        double band = ctx->r->ncrumbs >= 2 ? fmin(SIDE_MARKS_H, b.h - size * 1.5) : SIDE_LINE_H;
        L.pw = fmin(b.w * 0.9, 1100), L.ph = b.h - band;
        L.side = (struct rect){b.x, b.y + L.ph, b.w / 2 - 24, band};
    } else {
        L.pw = fmin(b.w * 0.46, 1100), L.ph = b.h;
        L.side = (struct rect){b.x, b.y, (b.w - L.pw) / 2 - 24, b.h};
    }
    return L;
}

/* ---- the picker: the bar offers the choices as a row of pills ------------ */

struct choices {
    struct rect pill[MAX_CHOICES];
    size_t n;
    double label_x;
    struct text_style label, text;
};

static void choices_layout(const struct widget_ctx *ctx, struct choices *c)
{
    struct rect b = ctx->box;
    c->n = ctx->r->nchoices < MAX_CHOICES ? ctx->r->nchoices : MAX_CHOICES;
    c->label = wstyle(ctx, false, 20, 700, ctx->theme->title);
    c->text = wstyle(ctx, false, 18, 500, ctx->theme->text);
    double tw, th;
    text_measure(ctx->r->text, ctx->r->picker, &c->label, &tw, &th);
    c->label_x = b.x + 16;
    double x0 = c->label_x + tw + 24, gap = 10;
    /* a tall bar (a portrait screen's) has room for two rows of pills */
    size_t rows = b.h >= 2 * 48 + 3 * gap && c->n > 1 ? 2 : 1;
    size_t per_row = (c->n + rows - 1) / rows;
    double w = per_row ? (b.x + b.w - 16 - x0 - gap * (double)(per_row - 1)) / (double)per_row : 0;
    double ph = rows == 2 ? 48 : fmin(b.h * 0.64, 48);
    double y0 = b.y + (b.h - ph * (double)rows - gap * (double)(rows - 1)) / 2;
    w = fmin(w, 220);
    for (size_t k = 0; k < c->n; k++)
        c->pill[k] = (struct rect){x0 + (double)(k % per_row) * (w + gap),
                                   y0 + (double)(k / per_row) * (ph + gap), w, ph};
}

static void draw_choices(const struct widget_ctx *ctx)
{
    cairo_t *cr = ctx->cr;
    const struct theme *t = ctx->theme;
    struct choices c;
    choices_layout(ctx, &c);
    double cy = ctx->box.y + ctx->box.h / 2;
    text_draw(ctx->r->text, cr, c.label_x, cy, ANCHOR_LEFT | ANCHOR_MIDDLE, ctx->r->picker,
              &c.label);
    for (size_t k = 0; k < c.n; k++) {
        struct rect r = c.pill[k];
        bool on = (long)k == ctx->r->chosen;
        draw_rounded_rect(cr, r.x, r.y, r.w, r.h, r.h / 2);
        color_set(cr, on ? t->highlight : (t->header_accent & 0xffffff00) | 0x28);
        cairo_fill_preserve(cr);
        color_set(cr, on ? t->highlight : t->header_accent);
        cairo_set_line_width(cr, 1.5);
        cairo_stroke(cr);
        struct text_style ts = c.text;
        ts.max_width = r.w - 12;
        if (on)
            ts.color = theme_text_on(t, t->highlight), ts.weight = 700;
        text_draw(ctx->r->text, cr, r.x + r.w / 2, r.y + r.h / 2,
                  ANCHOR_CENTER | ANCHOR_MIDDLE, ctx->r->choices[k], &ts);
    }
}

/* With a picker open: choice k (TITLE_CHOICE0 + k), else TITLE_NONE. Else
 * back, home, crumb k, the title (the region) or the left text (the
 * period) under (x, y), or -1. */
static int hit(const struct widget_ctx *ctx, double x, double y)
{
    struct rect b = ctx->box;
    if (ctx->r->picker) {
        struct choices c;
        choices_layout(ctx, &c);
        for (size_t k = 0; k < c.n; k++)
            if (rect_contains(c.pill[k], x, y))
                return TITLE_CHOICE0 + (int)k;
        return TITLE_NONE;
    }
    struct marks m;
    struct bar L = bar_layout(ctx);
    if (marks_layout(ctx, L.side, L.side.w, &m)) {
        if (rect_contains(m.back, x, y))
            return TITLE_BACK;
        if (rect_contains(m.home, x, y))
            return TITLE_HOME;
        for (size_t k = 0; k < m.ncrumbs; k++)
            if (rect_contains(m.crumbs[k], x, y))
                return TITLE_CRUMB0 + (int)k;
    }
    double cx = b.x + b.w / 2;
    if (fabs(x - cx) <= L.pw / 2 && y < b.y + L.ph)
        return TITLE_REGION;
    if (x < L.side.x + L.side.w + 24 && y >= L.side.y) /* the left side, where the period is */
        return TITLE_PERIOD;
    return -1;
}

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
    struct text_style ts = fit_style(ctx, title, panel_opt_num(ctx->panel, "size"), 700, t->title,
                                     max_w);
    struct text_style glow = ts;
    glow.color = (t->header_accent & 0xffffff00) | 0x40;
    for (int i = 0; i < 4; i++) {
        double dx = (i % 2 ? 1.5 : -1.5), dy = (i / 2 ? 1.5 : -1.5);
        text_draw(ctx->r->text, ctx->cr, cx + dx, y + dy, ANCHOR_CENTER | ANCHOR_MIDDLE, title,
                  &glow);
    }
    text_draw(ctx->r->text, ctx->cr, cx, y, ANCHOR_CENTER | ANCHOR_MIDDLE, title, &ts);
}

/* The left side band (the marks and crumbs while someone drives, over the
 * subtitle) and the clock at the right end of the same band. */
static void draw_sides(const struct widget_ctx *ctx, struct rect band)
{
    const struct theme *t = ctx->theme;
    struct rect b = ctx->box;
    double cy = band.y + band.h / 2, side_w = band.w;
    const char *left = panel_opt_str(ctx->panel, "left");
    if (!*left)
        left = ctx->subtitle         ? ctx->subtitle
               : ctx->scene->subtitle ? ctx->scene->subtitle
                                      : "";
    struct marks m;
    bool driving = marks_layout(ctx, band, side_w, &m);
    if (driving)
        draw_marks(ctx, &m);
    if (*left && side_w > 60) {
        struct text_style ls = fit_style(ctx, left, driving ? 14 : 18, 400,
                                         driving ? t->muted : t->text, side_w);
        text_draw(ctx->r->text, ctx->cr, b.x + 8, driving ? m.sub_y : cy,
                  ANCHOR_LEFT | ANCHOR_MIDDLE, left, &ls);
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
        text_draw(ctx->r->text, ctx->cr, b.x + b.w - 8, cy, ANCHOR_RIGHT | ANCHOR_MIDDLE, line,
                  &cs);
    }
}

/* The clock's step: its second, or its minute when the format shows no
 * seconds; none without a clock (the picker, the marks and the subtitle
 * change by the wall's state, which redraws the page). */
static uint64_t clock_phase(const struct panel *p, int64_t now)
{
    if (!panel_opt_bool(p, "clock"))
        return 0;
    const char *f = panel_opt_str(p, "clock_format");
    static const char *const seconds[] = {"%S", "%T", "%r", "%s", "%c", "%X", "%+"};
    for (size_t i = 0; i < sizeof seconds / sizeof *seconds; i++)
        if (strstr(f, seconds[i]))
            return (uint64_t)now;
    int64_t m = now / 60 - (now % 60 < 0); /* floor: a clock before 1970 too */
    return (uint64_t)m;
}

static void draw(const struct widget_ctx *ctx)
{
    if (ctx->r->picker) {
        draw_choices(ctx);
        return;
    }
    struct rect b = ctx->box;
    struct bar L = bar_layout(ctx);
    double cx = b.x + b.w / 2;
    draw_plate(ctx, cx, b.y, L.pw, L.ph);
    draw_rule(ctx, b);
    draw_title_text(ctx, cx, b.y + L.ph / 2 - 2, L.pw - L.ph * 1.2);
    draw_sides(ctx, L.side);
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
        .clock_phase = clock_phase,
    },
    .draw = draw,
    .hit = hit,
};
