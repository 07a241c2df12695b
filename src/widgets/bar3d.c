/* 3D bar chart (三维柱状图): categories across the front, series in depth,
 * values up, in an oblique parallel projection seen from the front right,
 * above. Boxes stand on a grid and never intersect, so painting the back
 * row first and, within a row, left to right is exact occlusion. Bars below
 * zero hang under the floor and are painted before it: the floor plane
 * separates them from the bars above, which the viewer sees first. */
#include "render/axis.h"
#include "util/util.h"
#include "widgets/pivot.h"
#include "widgets/widget.h"
#include <math.h>
#include <string.h>

#define MAX_CATS 30
#define MAX_SERIES 12
#define BAR_W 0.5                     /* bar width in its category slot */
#define BAR_D 0.6                     /* bar depth in its series slot */
#define DEPTH_ANGLE (38 * M_PI / 180) /* of the series axis above the horizontal */
#define SERIES_PITCH 18               /* vertical room a series label needs */
#define CAT_BAND 30                   /* category labels under the front edge */
#define MAX_SLOT_W 160                /* widest category slot, design units */
#define MAX_SLOT_D 70                 /* tallest series step on screen */

static const struct role_spec roles[] = {
    {"category", true, false, "across the front, e.g. the district"},
    {"series", true, false, "in depth, one coloured row of bars each, e.g. the indicator"},
    {"value", true, true, "bar height; negative values hang below the floor"},
    {"unit", false, false, "unit of the values, when the format gives none"},
    WIDGET_CODE_ROLE,
    {0},
};

static const struct prop_spec props[] = {
    {"depth", PROP_NUMBER, "0.5", 0, 1, NULL,
     "how deep the series axis is drawn: 0 shallow, 1 deep (it still grows until every "
     "series label has room)"},
    {"show_values", PROP_BOOL, "true", 0, 0, NULL,
     "value labels above the bars where they fit without overlapping; front rows win"},
    {"axis_unit", PROP_STRING, "\"\"", 0, 0, NULL,
     "unit written above the value axis, e.g. \"%\"; default: the value format's unit or the "
     "unit role"},
    WIDGET_HIGHLIGHT_PROP,
    {0},
};

/* World (x, z, v): x 0..1 across the floor, z 0..1 into the depth, v a value. */
struct proj {
    double ox;            /* screen x of the front-left corner */
    double wf;            /* floor width */
    double dx, dy;        /* screen offset of the far end of the depth axis */
    struct axis_scale s;  /* values onto screen y along the front-left edge */
};

struct chart {
    const struct widget_ctx *ctx;
    struct pivot pv;      /* categories × series */
    struct proj p;
    double axis_w;        /* widest tick label */
    struct rect placed[MAX_CATS * MAX_SERIES + MAX_SERIES + 1]; /* labels drawn so far */
    size_t nplaced;
};

static void project(const struct proj *p, double x, double z, double v, double *sx, double *sy)
{
    *sx = p->ox + x * p->wf + z * p->dx;
    *sy = axis_pos(&p->s, v) - z * p->dy;
}

/* A closed path through four world points. */
static void quad(cairo_t *cr, const struct proj *p, const double c[4][3])
{
    for (int i = 0; i < 4; i++) {
        double sx, sy;
        project(p, c[i][0], c[i][1], c[i][2], &sx, &sy);
        if (i == 0)
            cairo_move_to(cr, sx, sy);
        else
            cairo_line_to(cr, sx, sy);
    }
    cairo_close_path(cr);
}

static void line3(cairo_t *cr, const struct proj *p, double x0, double z0, double v0, double x1,
                  double z1, double v1)
{
    double sx, sy;
    project(p, x0, z0, v0, &sx, &sy);
    cairo_move_to(cr, sx, sy);
    project(p, x1, z1, v1, &sx, &sy);
    cairo_line_to(cr, sx, sy);
}

static size_t tick_count(const struct axis_scale *s)
{
    double n = round((s->hi - s->lo) / s->step);
    return n > 0 && n <= 40 ? (size_t)n : 0;
}

static double text_w(const struct widget_ctx *ctx, const char *s, const struct text_style *st)
{
    double w, h;
    text_measure(ctx->r->text, s, st, &w, &h);
    return w;
}

/* ---- labels ------------------------------------------------------------- */

static bool overlaps(struct rect a, struct rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Claims r for a label unless it leaves the box or meets one already drawn. */
static bool claim(struct chart *ch, struct rect r)
{
    struct rect b = ch->ctx->box;
    if (r.x < b.x || r.y < b.y || r.x + r.w > b.x + b.w || r.y + r.h > b.y + b.h)
        return false;
    for (size_t i = 0; i < ch->nplaced; i++)
        if (overlaps(r, ch->placed[i]))
            return false;
    if (ch->nplaced < ARRAY_LEN(ch->placed))
        ch->placed[ch->nplaced++] = r;
    return true;
}

/* ---- layout ------------------------------------------------------------- */

/* Fits the floor, the depth axis and the value height into the box around
 * the label bands; false when the box is too small for a chart. */
static bool layout(struct chart *ch, double series_w)
{
    const struct widget_ctx *ctx = ch->ctx;
    struct rect b = ctx->box;
    double nser = (double)ch->pv.nseries;
    double top = panel_opt_bool(ctx->panel, "show_values") ? 26 : 12;
    double left = ch->axis_w + 12;
    double aw = b.w - left, ah = b.h - top - CAT_BAND;
    if (aw < 80 || ah < 60)
        return false;
    double cs = cos(DEPTH_ANGLE), sn = sin(DEPTH_ANGLE);
    double len_max = fmin(aw * 0.45 / cs, ah * 0.55 / sn);
    double len = (0.3 + 0.7 * panel_opt_num(ctx->panel, "depth")) * len_max;
    /* deeper until the series labels along the depth edge stop touching */
    len = fmin(fmax(len, nser * SERIES_PITCH / sn), len_max);
    len = fmin(len, nser * MAX_SLOT_D / sn); /* one or two series: no slabs */
    struct proj *p = &ch->p;
    p->dx = len * cs;
    p->dy = len * sn;
    double reach = series_w > 0 ? p->dx * (1 - 0.5 / nser) + 28 + series_w : 0;
    double right = fmax(p->dx, reach);
    /* on wide walls bars would turn into boards: a bar is at most a few
     * times as wide as it is deep, and the chart is centred instead */
    double bar_depth = len * BAR_D / nser;
    double wf_max = fmin(fmax(bar_depth * 2.5, 40) / BAR_W, MAX_SLOT_W) * (double)ch->pv.ncats;
    p->wf = fmin(aw - right, wf_max);
    double hv = ah - p->dy;
    if (p->wf < 40 || hv < 30)
        return false;
    p->ox = b.x + left + (aw - right - p->wf) / 2;
    p->s.p0 = b.y + b.h - CAT_BAND;
    p->s.p1 = p->s.p0 - hv;
    return true;
}

/* ---- drawing ------------------------------------------------------------ */

/* The back and left walls with the value grid, tick labels and unit. */
static void draw_walls(struct chart *ch)
{
    const struct widget_ctx *ctx = ch->ctx;
    const struct theme *t = ctx->theme;
    cairo_t *cr = ctx->cr;
    const struct proj *p = &ch->p;
    double lo = p->s.lo, hi = p->s.hi, sx, sy;
    quad(cr, p, (const double[4][3]){{0, 1, lo}, {1, 1, lo}, {1, 1, hi}, {0, 1, hi}});
    quad(cr, p, (const double[4][3]){{0, 0, lo}, {0, 1, lo}, {0, 1, hi}, {0, 0, hi}});
    color_set_alpha(cr, t->grid, 0.5);
    cairo_fill(cr);

    const struct numfmt *f = panel_format(ctx->panel, "value");
    struct text_style ts = wstyle(ctx, true, 14, 400, t->muted);
    cairo_set_line_width(cr, 1);
    for (size_t k = 0; k <= tick_count(&p->s); k++) {
        double v = lo + (double)k * p->s.step;
        line3(cr, p, 0, 0, v, 0, 1, v);
        project(p, 1, 1, v, &sx, &sy);
        cairo_line_to(cr, sx, sy);
        color_set(cr, t->grid);
        cairo_stroke(cr);
        char buf[64];
        project(p, 0, 0, v, &sx, &sy);
        text_draw(ctx->r->text, cr, sx - 8, sy, ANCHOR_RIGHT | ANCHOR_MIDDLE,
                  axis_tick_label(buf, sizeof buf, &p->s, v, f), &ts);
    }
    line3(cr, p, 0, 0, lo, 0, 0, hi);
    line3(cr, p, 0, 1, lo, 0, 1, hi);
    color_set(cr, t->axis);
    cairo_stroke(cr);

    const char *unit = panel_opt_str(ctx->panel, "axis_unit");
    if (!*unit)
        unit = wunit(ctx, "value");
    project(p, 0, 0, hi, &sx, &sy);
    /* above the tick labels, free to run up to the top of the left wall */
    double x = p->ox - 8 - ch->axis_w;
    ts.max_width = p->ox + p->dx - x;
    if (*unit)
        text_draw(ctx->r->text, cr, x, sy - 12, ANCHOR_LEFT | ANCHOR_BOTTOM, unit, &ts);
}

/* The floor at zero: a faint plate with the category and series lanes and
 * a glowing front edge. */
static void draw_floor(struct chart *ch)
{
    const struct theme *t = ch->ctx->theme;
    cairo_t *cr = ch->ctx->cr;
    const struct proj *p = &ch->p;
    quad(cr, p, (const double[4][3]){{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}});
    color_set_alpha(cr, t->header_accent, 0.10);
    cairo_fill_preserve(cr);
    color_set(cr, t->axis);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    for (size_t i = 1; i < ch->pv.ncats; i++) {
        double x = (double)i / (double)ch->pv.ncats;
        line3(cr, p, x, 0, 0, x, 1, 0);
    }
    for (size_t j = 1; j < ch->pv.nseries; j++) {
        double z = (double)j / (double)ch->pv.nseries;
        line3(cr, p, 0, z, 0, 1, z, 0);
    }
    color_set(cr, t->grid);
    cairo_stroke(cr);
    line3(cr, p, 0, 0, 0, 1, 0, 0);
    color_set_alpha(cr, t->header_accent, 0.35);
    cairo_set_line_width(cr, 4);
    cairo_stroke_preserve(cr);
    color_set(cr, t->header_accent);
    cairo_set_line_width(cr, 1.5);
    cairo_stroke(cr);
}

/* Footprint of the bar of category i, series j on the floor. */
static void footprint(const struct chart *ch, size_t i, size_t j, double *x0, double *x1,
                      double *z0, double *z1)
{
    double nc = (double)ch->pv.ncats, ns = (double)ch->pv.nseries;
    *x0 = ((double)i + (1 - BAR_W) / 2) / nc;
    *x1 = *x0 + BAR_W / nc;
    *z0 = ((double)j + (1 - BAR_D) / 2) / ns;
    *z1 = *z0 + BAR_D / ns;
}

/* The screen outline of bar (i, j): a convex hexagon, counter-clockwise
 * on screen (y down), from the front-bottom-left corner. */
static void silhouette(const struct chart *ch, size_t i, size_t j, double out[6][2])
{
    double x0, x1, z0, z1;
    footprint(ch, i, j, &x0, &x1, &z0, &z1);
    double v = pivot_at(&ch->pv, j, i);
    v = fmax(ch->p.s.lo, fmin(v, ch->p.s.hi));
    double vb = fmin(v, 0), vt = fmax(v, 0);
    const double c[6][3] = {{x0, z0, vb}, {x1, z0, vb}, {x1, z1, vb},
                            {x1, z1, vt}, {x0, z1, vt}, {x0, z0, vt}};
    for (int k = 0; k < 6; k++)
        project(&ch->p, c[k][0], c[k][1], c[k][2], &out[k][0], &out[k][1]);
}

/* The highlight on bar (i, j): an accent rim just inside its silhouette,
 * drawn in painting order so nearer bars cover it like the bar itself. */
static void draw_bar_highlight(struct chart *ch, size_t i, size_t j)
{
    cairo_t *cr = ch->ctx->cr;
    double poly[6][2];
    silhouette(ch, i, j, poly);
    cairo_save(cr);
    for (int k = 0; k < 6; k++)
        (k ? cairo_line_to : cairo_move_to)(cr, poly[k][0], poly[k][1]);
    cairo_close_path(cr);
    cairo_clip_preserve(cr); /* a 4-unit line, half of it inside */
    color_set(cr, ch->ctx->theme->highlight);
    cairo_set_line_width(cr, 4);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* One box from the floor to v, lit from above: the front face with a
 * vertical gradient of the series colour, the right side darker, the top
 * lighter with a bright rim. */
static void draw_bar(struct chart *ch, size_t i, size_t j, double v, rgba_t c)
{
    cairo_t *cr = ch->ctx->cr;
    const struct proj *p = &ch->p;
    double x0, x1, z0, z1, sx, ya, yb;
    footprint(ch, i, j, &x0, &x1, &z0, &z1);
    /* huge values stop at the axis end; their labels still say the truth */
    v = fmax(p->s.lo, fmin(v, p->s.hi));
    double vb = fmin(v, 0), vt = fmax(v, 0);

    quad(cr, p, (const double[4][3]){{x0, z0, vb}, {x1, z0, vb}, {x1, z0, vt}, {x0, z0, vt}});
    project(p, x0, z0, vt, &sx, &ya);
    project(p, x0, z0, vb, &sx, &yb);
    cairo_pattern_t *g = cairo_pattern_create_linear(0, ya, 0, fmax(yb, ya + 1));
    color_add_stop(g, 0, color_shade(c, 1.08));
    color_add_stop(g, 1, color_shade(c, 0.42));
    cairo_set_source(cr, g);
    cairo_fill(cr);
    cairo_pattern_destroy(g);

    quad(cr, p, (const double[4][3]){{x1, z0, vb}, {x1, z1, vb}, {x1, z1, vt}, {x1, z0, vt}});
    color_set(cr, color_shade(c, 0.58));
    cairo_fill(cr);

    quad(cr, p, (const double[4][3]){{x0, z0, vt}, {x1, z0, vt}, {x1, z1, vt}, {x0, z1, vt}});
    color_set(cr, color_mix(c, color_shade(c, 1.6), 0.55));
    cairo_fill_preserve(cr);
    color_set_alpha(cr, color_shade(c, 1.7), 0.9);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    line3(cr, p, x1, z0, vt, x1, z0, vb); /* the lit front edge */
    color_set_alpha(cr, color_shade(c, 1.5), 0.45);
    cairo_stroke(cr);
}

/* Back row first, left to right within a row: nearer and righter boxes
 * cover the others. `below` picks the bars under the floor or above it. */
static void draw_bars(struct chart *ch, bool below)
{
    for (size_t j = ch->pv.nseries; j-- > 0;) {
        rgba_t c = wseries(ch->ctx, j);
        for (size_t i = 0; i < ch->pv.ncats; i++) {
            double v = pivot_at(&ch->pv, j, i);
            if (!isfinite(v) || (v < 0) != below)
                continue;
            draw_bar(ch, i, j, v, c);
            long row = pivot_row(&ch->pv, j, i);
            if (row >= 0 && whighlight(ch->ctx, (size_t)row, "category"))
                draw_bar_highlight(ch, i, j);
        }
    }
}

/* Under the front edge, thinned out like every chart's category axis. */
static void draw_category_labels(struct chart *ch)
{
    const struct widget_ctx *ctx = ch->ctx;
    const struct proj *p = &ch->p;
    double slot = p->wf / (double)ch->pv.ncats;
    struct axis_categories c = {
        .labels = ch->pv.cats, .n = ch->pv.ncats,
        .first = p->ox + slot / 2, .step = slot, .style = AXIS_LABEL_RAW,
    };
    struct rect front = {p->ox, p->s.p1, p->wf, p->s.p0 - p->s.p1};
    axis_draw_categories(ctx->cr, ctx->r, &c, front, true, 0, ctx->box.x,
                         ctx->box.x + ctx->box.w);
    claim(ch, (struct rect){ctx->box.x, p->s.p0 + 2, ctx->box.w, CAT_BAND - 2});
}

/* Series names along the right depth edge, each beside its row of bars. */
static void draw_series_labels(struct chart *ch, double series_w)
{
    const struct widget_ctx *ctx = ch->ctx;
    double ns = (double)ch->pv.nseries;
    size_t every = (size_t)ceil(SERIES_PITCH * 0.85 / (ch->p.dy / ns));
    struct text_style st = wstyle(ctx, false, 14, 400, ctx->theme->text);
    st.max_width = series_w;
    for (size_t j = 0; j < ch->pv.nseries && series_w > 0; j += every) {
        double sx, sy;
        project(&ch->p, 1, ((double)j + 0.5) / ns, ch->p.s.lo, &sx, &sy);
        sx += 12;
        draw_rounded_rect(ctx->cr, sx, sy - 5, 10, 10, 2);
        color_set(ctx->cr, wseries(ctx, j));
        cairo_fill(ctx->cr);
        double w = text_draw(ctx->r->text, ctx->cr, sx + 16, sy, ANCHOR_LEFT | ANCHOR_MIDDLE,
                             ch->pv.series[j], &st);
        claim(ch, (struct rect){sx, sy - 9, w + 16, 18});
    }
}

static bool inside(const double poly[6][2], double x, double y)
{
    for (int k = 0; k < 6; k++) {
        const double *a = poly[k], *b = poly[(k + 1) % 6];
        if ((b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) > 0)
            return false;
    }
    return true;
}

/* Whether bar (ii, jj) is painted after bar (i, j): bars below the floor
 * go first, then back rows before front rows, left before right. */
static bool painted_after(const struct chart *ch, size_t ii, size_t jj, size_t i, size_t j)
{
    bool below = pivot_at(&ch->pv, j, i) < 0, other_below = pivot_at(&ch->pv, jj, ii) < 0;
    if (below != other_below)
        return below;
    return jj < j || (jj == j && ii > i);
}

/* True when a bar painted after (i, j) covers the point: a label there
 * would name a hidden bar. */
static bool hidden(const struct chart *ch, size_t i, size_t j, double x, double y)
{
    for (size_t jj = 0; jj < ch->pv.nseries; jj++) {
        for (size_t ii = 0; ii < ch->pv.ncats; ii++) {
            double poly[6][2];
            if (!isfinite(pivot_at(&ch->pv, jj, ii)) || !painted_after(ch, ii, jj, i, j))
                continue;
            silhouette(ch, ii, jj, poly);
            if (inside(poly, x, y))
                return true;
        }
    }
    return false;
}

/* Where the label of bar (i, j) goes: above its top face; for a negative
 * bar below its front face, or inside it at the bottom when there is no
 * room below. False when the bar's labelled end cannot be seen. */
static bool label_rect(struct chart *ch, size_t i, size_t j, double v, double w, double h,
                       struct rect *r)
{
    double x0, x1, z0, z1, sx, sy, top;
    footprint(ch, i, j, &x0, &x1, &z0, &z1);
    double vc = fmax(ch->p.s.lo, fmin(v, ch->p.s.hi));
    project(&ch->p, (x0 + x1) / 2, v >= 0 ? (z0 + z1) / 2 : z0, vc, &sx, &sy);
    if (hidden(ch, i, j, sx, v >= 0 ? sy : sy - 2) || w + 6 > ch->p.wf / (double)ch->pv.ncats)
        return false;
    *r = (struct rect){sx - w / 2 - 3, v >= 0 ? sy - h - 5 : sy + 3, w + 6, h + 2};
    if (claim(ch, *r))
        return true;
    if (v >= 0)
        return false;
    double fx;
    project(&ch->p, x0, z0, 0, &fx, &top);
    r->y = sy - h - 5;
    return r->y > top + 2 && claim(ch, *r);
}

/* A label over each bar whose end can be seen, front row first so that
 * where labels collide the nearest bars keep theirs. */
static void draw_value_labels(struct chart *ch)
{
    const struct widget_ctx *ctx = ch->ctx;
    const struct theme *t = ctx->theme;
    struct text_style st = wstyle(ctx, true, 14, 500, t->title);
    for (size_t j = 0; j < ch->pv.nseries; j++) {
        for (size_t i = 0; i < ch->pv.ncats; i++) {
            double v = pivot_at(&ch->pv, j, i), w, h;
            char buf[64];
            struct rect r;
            if (!isfinite(v))
                continue;
            wfmt(ctx, "value", v, buf, sizeof buf);
            text_measure(ctx->r->text, buf, &st, &w, &h);
            if (!label_rect(ch, i, j, v, w, h, &r))
                continue;
            draw_rounded_rect(ctx->cr, r.x, r.y, r.w, r.h, 3);
            color_set_alpha(ctx->cr, t->bg_bottom, 0.55);
            cairo_fill(ctx->cr);
            text_draw(ctx->r->text, ctx->cr, r.x + r.w / 2, r.y + 1, ANCHOR_CENTER | ANCHOR_TOP,
                      buf, &st);
        }
    }
}

/* "仅显示前30项" in the top-right corner when the caps left data out. */
static void draw_cap_note(const struct chart *ch)
{
    const struct widget_ctx *ctx = ch->ctx;
    char buf[96];
    if (!*pivot_note(&ch->pv, buf, sizeof buf))
        return;
    struct text_style st = wstyle(ctx, false, 14, 400, ctx->theme->muted);
    st.max_width = ctx->box.w / 2;
    text_draw(ctx->r->text, ctx->cr, ctx->box.x + ctx->box.w, ctx->box.y,
              ANCHOR_RIGHT | ANCHOR_TOP, buf, &st);
}

/* The value scale, with the floor (zero) always on it, and the widths of
 * the tick labels and series names that the layout must leave room for. */
static void measure(struct chart *ch, double *series_w)
{
    const struct widget_ctx *ctx = ch->ctx;
    double lo, hi;
    pivot_range(&ch->pv, &lo, &hi);
    int ticks = (int)fmax(2, fmin(6, (ctx->box.h - 80) / 60));
    ch->p.s = axis_nice(lo, hi, ticks, true);
    const struct numfmt *f = panel_format(ctx->panel, "value");
    struct text_style ts = wstyle(ctx, true, 14, 400, ctx->theme->muted);
    ch->axis_w = 0;
    for (size_t k = 0; k <= tick_count(&ch->p.s); k++) {
        char buf[64];
        double v = ch->p.s.lo + (double)k * ch->p.s.step;
        axis_tick_label(buf, sizeof buf, &ch->p.s, v, f);
        ch->axis_w = fmax(ch->axis_w, text_w(ctx, buf, &ts));
    }
    struct text_style ss = wstyle(ctx, false, 14, 400, ctx->theme->text);
    *series_w = 0;
    for (size_t j = 0; j < ch->pv.nseries; j++)
        *series_w = fmax(*series_w, text_w(ctx, ch->pv.series[j], &ss));
    *series_w = fmin(*series_w, fmin(150, ctx->box.w * 0.2));
}

/* The pivot, the scale and the projection, for draw and hit alike; false
 * when there is no chart. Free ch->pv either way. */
static bool chart_layout(const struct widget_ctx *ctx, struct chart *ch, double *series_w)
{
    static const struct pivot_spec spec = {
        .cat = "category", .value = "value", .series = "series",
        .sum = true, .max_cats = MAX_CATS, .max_series = MAX_SERIES,
    };
    *ch = (struct chart){.ctx = ctx};
    pivot_build(&ch->pv, ctx, &spec);
    if (ch->pv.ncats == 0 || ch->pv.nseries == 0)
        return false;
    measure(ch, series_w);
    return layout(ch, *series_w);
}

static void draw(const struct widget_ctx *ctx)
{
    struct chart ch;
    double series_w;
    if (chart_layout(ctx, &ch, &series_w)) {
        draw_walls(&ch);
        draw_bars(&ch, true);
        draw_floor(&ch);
        draw_bars(&ch, false);
        draw_category_labels(&ch);
        draw_series_labels(&ch, series_w);
        if (panel_opt_bool(ctx->panel, "show_values"))
            draw_value_labels(&ch);
        draw_cap_note(&ch);
    }
    pivot_finish(&ch.pv);
}

/* The row of the bar seen at the point: of the bars whose silhouettes hold
 * it, the one painted last. */
static int hit(const struct widget_ctx *ctx, double x, double y)
{
    struct chart ch;
    double series_w;
    long row = -1;
    size_t bi = 0, bj = 0;
    bool laid_out = chart_layout(ctx, &ch, &series_w);
    for (size_t j = 0; laid_out && j < ch.pv.nseries; j++) {
        for (size_t i = 0; i < ch.pv.ncats; i++) {
            double poly[6][2];
            if (!isfinite(pivot_at(&ch.pv, j, i)))
                continue;
            silhouette(&ch, i, j, poly);
            if (inside(poly, x, y) && (row < 0 || painted_after(&ch, i, j, bi, bj))) {
                row = pivot_row(&ch.pv, j, i);
                bi = i, bj = j;
            }
        }
    }
    pivot_finish(&ch.pv);
    return (int)row;
}

const struct widget_class widget_bar3d = {
    .spec = {
        .name = "bar3d",
        .title = "3D bar chart (三维柱状图)",
        .doc = "Categories across the front (e.g. districts), series in depth (e.g. "
               "indicators): lit bars on a floor at zero, a value grid on the walls, series "
               "names along the depth edge. Up to 30 categories × 12 series; negative values "
               "hang below the floor.",
        .needs_data = true,
        .roles = roles,
        .props = props,
    },
    .draw = draw,
    .hit = hit,
};
