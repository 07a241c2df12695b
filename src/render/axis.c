#include "render/axis.h"
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Values beyond this are clamped before scaling: a 1e300 cell must still
 * give a finite step and finite positions. */
#define VALUE_LIMIT 1e15
#define TICK_SIZE 14.0
#define TICK_GAP 8.0        /* between tick labels and the plot */
#define LABEL_H 20.0        /* one line of 14 px text */
#define MIN_RAW_W 44.0      /* shorter than ~3 characters says nothing */
#define HEADER_H 24.0

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The smallest step of 1, 2, 2.5 or 5 × 10^k that covers [lo, hi] in at
 * most max_ticks intervals once both ends are rounded out to it. 2.5 only
 * from 25 up: counts of enterprises should not get ticks at 2.5. */
static double nice_step(double lo, double hi, int max_ticks)
{
    static const double mult[] = {1, 2, 2.5, 5, 10, 20};
    double raw = (hi - lo) / max_ticks;
    double mag = pow(10, floor(log10(raw)));
    for (size_t i = 0; i < sizeof mult / sizeof mult[0]; i++) {
        double step = mult[i] * mag;
        if (step < raw * (1 - 1e-9) || (mult[i] == 2.5 && mag < 10))
            continue;
        if ((ceil(hi / step - 1e-9) - floor(lo / step + 1e-9)) <= max_ticks)
            return step;
    }
    return 20 * mag;
}

struct axis_scale axis_nice(double lo, double hi, int max_ticks, bool include_zero)
{
    if (!isfinite(lo) || !isfinite(hi) || lo > hi) {
        lo = isfinite(lo) ? lo : isfinite(hi) ? hi : 0;
        hi = lo;
    }
    lo = clamp(lo, -VALUE_LIMIT, VALUE_LIMIT);
    hi = clamp(hi, -VALUE_LIMIT, VALUE_LIMIT);
    if (include_zero) {
        lo = fmin(lo, 0);
        hi = fmax(hi, 0);
    }
    if (hi - lo <= 1e-9 * fmax(1, fabs(hi))) {
        /* flat data: open a band around it (0 alone reads best as 0..1) */
        double pad = hi != 0 ? fabs(hi) * 0.1 : 1;
        if (hi != 0 || !include_zero)
            lo -= pad;
        hi += pad;
    }
    max_ticks = max_ticks < 1 ? 1 : max_ticks > 20 ? 20 : max_ticks;
    struct axis_scale s = {.step = nice_step(lo, hi, max_ticks)};
    s.lo = floor(lo / s.step + 1e-9) * s.step;
    s.hi = ceil(hi / s.step - 1e-9) * s.step;
    return s;
}

double axis_pos(const struct axis_scale *s, double v)
{
    if (!isfinite(v) || !(s->hi > s->lo))
        return s->p0;
    double t = clamp((v - s->lo) / (s->hi - s->lo), -0.05, 1.05);
    return s->p0 + t * (s->p1 - s->p0);
}

const char *axis_tick_label(char *buf, size_t len, const struct axis_scale *s, double v,
                            const struct numfmt *f)
{
    struct numfmt nf = {.thousands = true, .scale = 1};
    if (f) {
        nf.thousands = f->thousands;
        nf.scale = f->scale > 0 ? f->scale : 1;
    }
    /* as many decimals as the step needs: 0.25 → 2, 5 → 0 */
    double st = s->step / nf.scale;
    while (nf.decimals < 6) {
        double x = st * pow(10, nf.decimals);
        if (fabs(x - round(x)) < 1e-6 * fmax(1, x))
            break;
        nf.decimals++;
    }
    return fmt_number(buf, len, fabs(v) < s->step * 1e-9 ? 0 : v, &nf);
}

static size_t tick_count(const struct axis_scale *s)
{
    double n = s->step > 0 ? round((s->hi - s->lo) / s->step) : 0;
    return n < 0 ? 0 : n > 40 ? 40 : (size_t)n;
}

static double tick_label_width(struct render *r, const struct axis_scale *s,
                               const struct numfmt *f)
{
    struct text_style st = text_style_make(r, true, TICK_SIZE, 400, r->theme->muted);
    double widest = 0;
    for (size_t k = 0; k <= tick_count(s); k++) {
        char buf[64];
        double w, h;
        text_measure(r->text, axis_tick_label(buf, sizeof buf, s, s->lo + k * s->step, f), &st,
                     &w, &h);
        widest = fmax(widest, w);
    }
    return widest;
}

/* A rectangle from its edges, never with negative sizes. */
static struct rect rect_edges(double left, double top, double right, double bottom)
{
    return (struct rect){left, top, fmax(0, right - left), fmax(0, bottom - top)};
}

struct rect axis_fit(struct render *r, struct rect box, bool vertical, double cat,
                     const struct axis_margins *extra, double lo, double hi, bool include_zero,
                     const struct numfmt *f, struct axis_scale *s)
{
    static const struct axis_margins none = {0};
    const struct axis_margins *m = extra ? extra : &none;
    double top = box.y + m->top, right = box.x + box.w - m->right;
    double bottom = box.y + box.h - m->bottom, left = box.x + m->left;
    if (vertical) {
        /* the top tick label is centred on the plot's top edge */
        top += LABEL_H / 2;
        bottom -= cat;
        int ticks = (int)clamp((bottom - top) / 48, 2, 8);
        *s = axis_nice(lo, hi, ticks, include_zero);
        left += tick_label_width(r, s, f) + TICK_GAP;
        s->p0 = fmax(top, bottom);
        s->p1 = top;
        return rect_edges(left, top, right, bottom);
    }
    left += cat;
    bottom -= LABEL_H + 6;
    /* fewer ticks until their labels have room between them */
    double lw = 0;
    for (int ticks = (int)clamp((right - left) / 90, 2, 10); ticks >= 1; ticks--) {
        *s = axis_nice(lo, hi, ticks, include_zero);
        lw = tick_label_width(r, s, f);
        size_t n = tick_count(s);
        if (n == 0 || (right - left - lw / 2) / (double)n >= lw + 16)
            break;
    }
    right -= lw / 2; /* the last tick label is centred on the plot's end */
    s->p0 = left;
    s->p1 = fmax(left, right);
    return rect_edges(left, top, right, bottom);
}

static void hline(cairo_t *cr, double x0, double x1, double y)
{
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
}

static void vline(cairo_t *cr, double x, double y0, double y1)
{
    cairo_move_to(cr, x, y0);
    cairo_line_to(cr, x, y1);
}

void axis_draw_values(cairo_t *cr, struct render *r, const struct axis_scale *s, struct rect plot,
                      bool vertical, const struct numfmt *f)
{
    const struct theme *t = r->theme;
    if (plot.w <= 0 || plot.h <= 0)
        return;
    struct text_style st = text_style_make(r, true, TICK_SIZE, 400, t->muted);
    cairo_save(cr);
    cairo_set_line_width(cr, 1);
    color_set(cr, t->grid);
    for (size_t k = 0; k <= tick_count(s); k++) {
        double p = axis_pos(s, s->lo + k * s->step);
        if (vertical)
            hline(cr, plot.x, plot.x + plot.w, p);
        else
            vline(cr, p, plot.y, plot.y + plot.h);
    }
    cairo_stroke(cr);
    /* the axis itself, and the zero line when values cross it */
    color_set(cr, t->axis);
    if (vertical)
        hline(cr, plot.x, plot.x + plot.w, plot.y + plot.h);
    else
        vline(cr, plot.x, plot.y, plot.y + plot.h);
    if (s->lo < 0 && s->hi > 0) {
        double z = axis_pos(s, 0);
        if (vertical)
            hline(cr, plot.x, plot.x + plot.w, z);
        else
            vline(cr, z, plot.y, plot.y + plot.h);
    }
    cairo_stroke(cr);
    for (size_t k = 0; k <= tick_count(s); k++) {
        char buf[64];
        double v = s->lo + k * s->step, p = axis_pos(s, v);
        axis_tick_label(buf, sizeof buf, s, v, f);
        if (vertical)
            text_draw(r->text, cr, plot.x - TICK_GAP, p, ANCHOR_RIGHT | ANCHOR_MIDDLE, buf, &st);
        else
            text_draw(r->text, cr, p, plot.y + plot.h + 6, ANCHOR_CENTER | ANCHOR_TOP, buf, &st);
    }
    cairo_restore(cr);
}

/* ---- category labels ----------------------------------------------------- */

static bool period_year(const char *s, int *year)
{
    int y, m;
    char dash;
    if (!s || sscanf(s, "%4d%c", &y, &dash) != 2 || dash != '-' || y < 1000)
        return false;
    /* "2024-03", "2024-03-31" or "2024-Q1" */
    if (sscanf(s + 5, "%2d", &m) != 1 && s[5] != 'Q')
        return false;
    *year = y;
    return true;
}

bool axis_labels_are_periods(const char *const *labels, size_t n)
{
    size_t seen = 0;
    for (size_t i = 0; i < n; i++) {
        int y;
        if (!labels[i] || !*labels[i])
            continue;
        if (!period_year(labels[i], &y))
            return false;
        seen++;
    }
    return seen > 0;
}

/* The text of a label; long_form adds the year ("2024年1月"). */
static const char *cat_text(char *buf, size_t len, const struct axis_categories *c, size_t i,
                            bool long_form)
{
    const char *s = c->labels[i];
    switch (c->style) {
    case AXIS_LABEL_MONTH:
        return fmt_period(buf, len, s, long_form ? PERIOD_YM : PERIOD_MONTH);
    case AXIS_LABEL_SHORT:
        return fmt_period(buf, len, s, PERIOD_SHORT);
    case AXIS_LABEL_RAW:
        break;
    }
    return s;
}

struct cat_walk {
    const struct axis_categories *c;
    const double *w_short, *w_long; /* natural widths of both forms */
    struct rect plot;
    bool below;
    double band, lo_limit, hi_limit;
    long year_start;                /* first label of a new year, or -1 */
};

/* Index of the first label that starts a new year, or -1: thinned month
 * labels are aligned to it, so that they read 1月 4月 7月 10月 and each
 * year's first month is labelled, rather than 2月 5月 8月. */
static long first_year_start(const struct axis_categories *c)
{
    int prev = 0;
    for (size_t i = 0; i < c->n && c->style == AXIS_LABEL_MONTH; i++) {
        int y = 0;
        period_year(c->labels[i], &y);
        if (i > 0 && y != prev)
            return (long)i;
        prev = y;
    }
    return -1;
}

/* Walks the labels at every k-th position, placing each inside the limits,
 * and returns false at the first one that would overlap its neighbour or be
 * shortened too much. With cr it also draws them: checking and drawing
 * share one walk so that what was checked is what gets drawn. */
static bool cat_walk(cairo_t *cr, struct render *r, const struct cat_walk *p, size_t k)
{
    const struct axis_categories *c = p->c;
    const double gap = p->below ? 8 : 2;
    double room = c->n > k ? c->step * (double)k - gap : p->hi_limit - p->lo_limit;
    double prev_end = -INFINITY;
    int prev_year = INT_MIN;
    struct text_style st = text_style_make(r, false, TICK_SIZE, 400, r->theme->text);
    size_t start = p->year_start >= 0 ? (size_t)p->year_start % k
                   : c->from_end              ? (c->n - 1) % k
                                              : 0;
    for (size_t i = start; i < c->n; i += k) {
        if (!c->labels[i] || !*c->labels[i])
            continue;
        int year = 0;
        period_year(c->labels[i], &year);
        bool long_form = c->style == AXIS_LABEL_MONTH && year != prev_year;
        prev_year = year;
        double w = long_form ? p->w_long[i] : p->w_short[i];
        double extent = LABEL_H;
        if (p->below) {
            if (c->style == AXIS_LABEL_RAW && fmin(w, room) < fmin(w, MIN_RAW_W))
                return false;
            extent = c->style == AXIS_LABEL_RAW ? fmin(w, room) : w;
        }
        double pos = c->first + c->step * (double)i;
        if (p->hi_limit - p->lo_limit >= extent)
            pos = clamp(pos, p->lo_limit + extent / 2, p->hi_limit - extent / 2);
        if (pos - extent / 2 < prev_end + gap)
            return false;
        prev_end = pos + extent / 2;
        if (!cr)
            continue;
        char buf[128];
        const char *s = cat_text(buf, sizeof buf, c, i, long_form);
        if (p->below) {
            st.max_width = extent + 0.5;
            text_draw(r->text, cr, pos, p->plot.y + p->plot.h + 8, ANCHOR_CENTER | ANCHOR_TOP, s,
                      &st);
        } else {
            st.max_width = fmax(1, p->band - TICK_GAP);
            text_draw(r->text, cr, p->plot.x - TICK_GAP, pos, ANCHOR_RIGHT | ANCHOR_MIDDLE, s,
                      &st);
        }
    }
    return true;
}

static void measure_categories(struct render *r, const struct axis_categories *c, double *w_short,
                               double *w_long)
{
    struct text_style st = text_style_make(r, false, TICK_SIZE, 400, r->theme->text);
    for (size_t i = 0; i < c->n; i++) {
        char buf[128];
        double h;
        w_short[i] = w_long[i] = 0;
        if (!c->labels[i])
            continue;
        text_measure(r->text, cat_text(buf, sizeof buf, c, i, false), &st, &w_short[i], &h);
        w_long[i] = w_short[i];
        if (c->style == AXIS_LABEL_MONTH)
            text_measure(r->text, cat_text(buf, sizeof buf, c, i, true), &st, &w_long[i], &h);
    }
}

void axis_draw_categories(cairo_t *cr, struct render *r, const struct axis_categories *c,
                          struct rect plot, bool below, double band, double lo_limit,
                          double hi_limit)
{
    if (c->n == 0 || !(c->step >= 0) || plot.w <= 0 || plot.h <= 0)
        return;
    double *w = malloc(2 * c->n * sizeof *w);
    if (!w)
        return;
    struct cat_walk p = {c, w, w + c->n, plot, below, band, lo_limit, hi_limit,
                         first_year_start(c)};
    measure_categories(r, c, w, w + c->n);
    /* no k below what even the narrowest labels need */
    double narrowest = below ? (c->style == AXIS_LABEL_RAW ? MIN_RAW_W : 16) : LABEL_H;
    size_t k = c->step > 0 ? (size_t)fmin(c->n, fmax(1, floor(narrowest / c->step))) : 1;
    for (; k <= c->n; k++) {
        if (cat_walk(NULL, r, &p, k)) {
            cat_walk(cr, r, &p, k);
            break;
        }
    }
    free(w);
}

double axis_categories_width(struct render *r, const struct axis_categories *c)
{
    struct text_style st = text_style_make(r, false, TICK_SIZE, 400, r->theme->text);
    double widest = 0;
    for (size_t i = 0; i < c->n; i++) {
        char buf[128];
        double w, h;
        if (!c->labels[i])
            continue;
        text_measure(r->text, cat_text(buf, sizeof buf, c, i, false), &st, &w, &h);
        widest = fmax(widest, w);
    }
    return widest;
}

/* ---- header: unit, note, legend ------------------------------------------ */

static void legend_mark(cairo_t *cr, const struct legend_item *it, double x, double y)
{
    cairo_save(cr);
    color_set(cr, it->color);
    switch (it->mark) {
    case LEGEND_BOX:
        draw_rounded_rect(cr, x, y - 6, 12, 12, 2);
        cairo_fill(cr);
        break;
    case LEGEND_LINE:
        cairo_set_line_width(cr, 2.5);
        hline(cr, x, x + 18, y);
        cairo_stroke(cr);
        cairo_arc(cr, x + 9, y, 3.5, 0, 2 * M_PI);
        cairo_fill(cr);
        break;
    case LEGEND_DASH: {
        static const double dash[] = {4, 3};
        cairo_set_line_width(cr, 2);
        cairo_set_dash(cr, dash, 2, 0);
        hline(cr, x, x + 18, y);
        cairo_stroke(cr);
        break;
    }
    }
    cairo_restore(cr);
}

#define LEGEND_MARK_W 18.0
#define LEGEND_LABEL_MAX 180.0
#define LEGEND_GAP 16.0
#define LEGEND_ROW_H 22.0

static double legend_item_width(struct render *r, const struct legend_item *it)
{
    struct text_style st = text_style_make(r, false, TICK_SIZE, 400, r->theme->text);
    st.max_width = LEGEND_LABEL_MAX;
    double w, h;
    text_measure(r->text, it->label ? it->label : "", &st, &w, &h);
    return LEGEND_MARK_W + 6 + w;
}

/* Lays out one legend row from items[0]: how many fit between left and
 * right, leaving room for a "…" when more must stay hidden. */
static size_t legend_row_fit(struct render *r, double span, const struct legend_item *items,
                             size_t n, bool last_row, double more_w, double *total)
{
    size_t fit = 0;
    *total = 0;
    for (; fit < n; fit++) {
        double w = legend_item_width(r, &items[fit]) + (fit ? LEGEND_GAP : 0);
        double reserve = last_row && fit + 1 < n ? LEGEND_GAP + more_w : 0;
        if (*total + w + reserve > span)
            break;
        *total += w;
    }
    if (last_row && fit < n)
        *total += LEGEND_GAP + more_w;
    return fit;
}

/* Right-aligned rows of items between left and right from y on, at most
 * max_rows; what does not fit becomes a "…". Returns the rows used. */
static size_t draw_legend(cairo_t *cr, struct render *r, double left, double right, double y,
                          const struct legend_item *items, size_t n, size_t max_rows)
{
    struct text_style st = text_style_make(r, false, TICK_SIZE, 400, r->theme->text);
    st.max_width = LEGEND_LABEL_MAX;
    double more_w, h;
    text_measure(r->text, "…", &st, &more_w, &h);
    size_t i = 0, rows = 0;
    while (i < n && rows < max_rows) {
        bool last_row = rows + 1 == max_rows;
        double total;
        size_t fit = legend_row_fit(r, right - left, items + i, n - i, last_row, more_w, &total);
        if (fit == 0)
            break;
        double x = right - total;
        for (size_t k = i; k < i + fit; k++) {
            legend_mark(cr, &items[k], x, y);
            x += LEGEND_MARK_W + 6;
            x += text_draw(r->text, cr, x, y, ANCHOR_LEFT | ANCHOR_MIDDLE,
                           items[k].label ? items[k].label : "", &st) + LEGEND_GAP;
        }
        i += fit;
        if (last_row && i < n)
            text_draw(r->text, cr, x, y, ANCHOR_LEFT | ANCHOR_MIDDLE, "…", &st);
        rows++;
        y += LEGEND_ROW_H;
    }
    return rows;
}

double axis_draw_header(cairo_t *cr, struct render *r, struct rect box, const char *unit,
                        const char *note, const struct legend_item *items, size_t nitems)
{
    bool has_unit = unit && *unit, has_note = note && *note;
    if ((!has_unit && !has_note && nitems == 0) || box.h < 3 * HEADER_H || box.w < 60)
        return 0;
    double y = box.y + HEADER_H / 2 - 2, x = box.x;
    struct text_style st = text_style_make(r, false, TICK_SIZE, 400, r->theme->muted);
    st.max_width = box.w / 3;
    if (has_unit)
        x += text_draw(r->text, cr, x, y, ANCHOR_LEFT | ANCHOR_MIDDLE, unit, &st) + 12;
    if (has_note)
        x += text_draw(r->text, cr, x, y, ANCHOR_LEFT | ANCHOR_MIDDLE, note, &st) + 12;
    /* a long legend may wrap, as far as the chart keeps most of the box */
    size_t rows = 1;
    if (nitems) {
        size_t max_rows = box.h > 360 ? 3 : box.h > 220 ? 2 : 1;
        rows = draw_legend(cr, r, x + 8, box.x + box.w, y, items, nitems, max_rows);
    }
    return HEADER_H + 4 + (rows > 1 ? (double)(rows - 1) * LEGEND_ROW_H : 0);
}
