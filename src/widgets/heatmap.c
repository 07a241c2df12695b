/* Heat map (热力图): a matrix of x (columns, e.g. months) by y (rows, e.g.
 * sectors), each cell coloured by the theme's heat scale with its value
 * written in it where it fits, row labels on the left, column labels below
 * and a colour legend with the scale's ends. Empty cells say "—" rather than
 * take the colour of 0. */
#include "render/axis.h"
#include "widgets/pivot.h"
#include "widgets/widget.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_COLS 240     /* bounds the pivot before the box decides what fits */
#define MAX_ROWS 120
#define MIN_CELL_W 10.0
#define MIN_CELL_H 8.0
#define MAX_CELL_W 160.0
#define MAX_CELL_H 72.0
#define COL_BAND 46.0    /* column labels under the grid: two lines */
#define LINE_H 20.0
#define LEGEND_BAND 28.0

static const struct role_spec roles[] = {
    {"x", true, false, "columns, e.g. the period; periods are sorted and written as 3月"},
    {"y", true, false, "rows, e.g. the sector or the district"},
    {"value", true, true, "the number that colours the cell"},
    WIDGET_CODE_ROLE,
    {0},
};

static const struct prop_spec props[] = {
    {"min", PROP_NUMBER, NULL, -1e15, 1e15, NULL,
     "value at the cold end of the colour scale; default: the smallest value"},
    {"max", PROP_NUMBER, NULL, -1e15, 1e15, NULL,
     "value at the hot end of the colour scale; default: the largest value"},
    {"show_values", PROP_BOOL, "true", 0, 0, NULL, "write each value in its cell where it fits"},
    {"legend", PROP_BOOL, "true", 0, 0, NULL, "a colour bar with the scale's ends below the grid"},
    {"max_columns", PROP_INT, "0", 0, 1000, NULL,
     "show only the last N distinct x values (0: all that fit, the latest kept)"},
    WIDGET_HIGHLIGHT_PROP,
    {0},
};

struct heat {
    const struct widget_ctx *ctx;
    struct pivot pv;    /* x × y */
    size_t c0, ncols;   /* visible columns: the last ones */
    size_t nrows;       /* visible rows: the first ones */
    struct rect grid;
    double cw, ch;      /* cell size */
    bool col_labels, legend; /* false when the box is too low for them */
    double lo, hi;      /* colour scale ends */
};

/* The option when the panel gives it, else the data's end. */
static double opt_or(const struct panel *p, const char *name, double fallback)
{
    return panel_opt_json(p, name) ? panel_opt_num(p, name) : fallback;
}

static rgba_t cell_color(const struct heat *h, double v)
{
    double span = h->hi - h->lo;
    double k = span != 0 ? (v - h->lo) / span : 0.5; /* min > max reverses */
    return color_scale_eval(&h->ctx->theme->heat, k);
}

static void axis_cats(const struct heat *h, struct axis_categories *c, bool columns)
{
    *c = (struct axis_categories){
        .labels = columns ? h->pv.cats + h->c0 : h->pv.series,
        .n = columns ? h->ncols : h->nrows,
        .first = columns ? h->grid.x + h->cw / 2 : h->grid.y + h->ch / 2,
        .step = columns ? h->cw : h->ch,
        .style = AXIS_LABEL_RAW,
        .from_end = columns,
    };
}

/* Splits the box into row labels, the grid, column labels and the legend,
 * and decides how many columns (the latest) and rows (the first) fit. */
static bool layout(struct heat *h)
{
    const struct widget_ctx *ctx = h->ctx;
    struct rect b = ctx->box;
    h->nrows = h->pv.nseries;
    h->ncols = h->pv.ncats;
    struct axis_categories rows;
    axis_cats(h, &rows, false);
    double band = fmin(axis_categories_width(ctx->r, &rows), b.w * 0.3) + 10;
    /* a low box keeps the grid: the legend goes first, then the labels */
    h->col_labels = b.h >= COL_BAND + 3 * MIN_CELL_H;
    h->legend = panel_opt_bool(ctx->panel, "legend") &&
                b.h >= COL_BAND + LEGEND_BAND + 3 * MIN_CELL_H;
    double gw = b.w - band;
    double gh = b.h - (h->col_labels ? COL_BAND : 0) - (h->legend ? LEGEND_BAND : 0);
    if (gw < MIN_CELL_W || gh < MIN_CELL_H)
        return false;
    size_t fit_cols = (size_t)(gw / MIN_CELL_W), fit_rows = (size_t)(gh / MIN_CELL_H);
    if (h->ncols > fit_cols)
        h->ncols = fit_cols;
    if (h->nrows > fit_rows)
        h->nrows = fit_rows;
    h->c0 = h->pv.ncats - h->ncols;
    h->cw = fmin(gw / (double)h->ncols, MAX_CELL_W);
    h->ch = fmin(gh / (double)h->nrows, MAX_CELL_H);
    /* capped cells leave room: centre the grid across, keep it at the top */
    double w = h->cw * (double)h->ncols;
    h->grid = (struct rect){b.x + band + (gw - w) / 2, b.y, w, h->ch * (double)h->nrows};
    return true;
}

/* The gap around each cell. */
static double cell_gap(const struct heat *h)
{
    return h->cw > 16 && h->ch > 16 ? 2 : 0.5;
}

/* Cell (r, c) of the visible grid. */
static struct rect cell_rect(const struct heat *h, size_t r, size_t c)
{
    double gap = cell_gap(h);
    return (struct rect){h->grid.x + (double)c * h->cw + gap / 2,
                         h->grid.y + (double)r * h->ch + gap / 2, h->cw - gap, h->ch - gap};
}

static void draw_cell(const struct heat *h, size_t r, size_t c, const struct text_style *vs)
{
    const struct widget_ctx *ctx = h->ctx;
    const struct theme *t = ctx->theme;
    cairo_t *cr = ctx->cr;
    double v = pivot_at(&h->pv, r, h->c0 + c);
    struct rect cell = cell_rect(h, r, c);
    draw_rounded_rect(cr, cell.x, cell.y, cell.w, cell.h, fmin(3, cell_gap(h) * 1.5));
    rgba_t fill = isfinite(v) ? cell_color(h, v) : t->grid;
    color_set(cr, fill);
    cairo_fill(cr);

    char buf[64];
    struct text_style st = *vs;
    st.color = isfinite(v) ? theme_text_on(t, fill) : t->muted;
    const char *s = isfinite(v) ? wfmt(ctx, "value", v, buf, sizeof buf) : "—";
    double w, th;
    text_measure(ctx->r->text, s, &st, &w, &th);
    if ((isfinite(v) && !panel_opt_bool(ctx->panel, "show_values")) || w > cell.w - 4 ||
        th > cell.h + 2)
        return;
    text_draw(ctx->r->text, cr, cell.x + cell.w / 2, cell.y + cell.h / 2,
              ANCHOR_CENTER | ANCHOR_MIDDLE, s, &st);
}

/* True when every column is a month, "2024-03" (days and quarters would
 * all read alike as "3月"). */
static bool columns_are_months(const struct heat *h)
{
    for (size_t i = 0; i < h->ncols; i++) {
        const char *s = h->pv.cats[h->c0 + i];
        int y, m, n = 0;
        if (sscanf(s, "%4d-%2d%n", &y, &m, &n) != 2 || n != 7 || s[7] || m < 1 || m > 12)
            return false;
    }
    return true;
}

/* Months under their columns ("3月", every k-th when narrow, the latest
 * always), and on a second line the year where it starts ("2024年"), with
 * a tick at the boundary. */
static void draw_period_columns(const struct heat *h)
{
    const struct widget_ctx *ctx = h->ctx;
    cairo_t *cr = ctx->cr;
    const char **lab = h->pv.cats + h->c0;
    struct text_style st = wstyle(ctx, false, 14, 400, ctx->theme->text);
    double mw, th, y = h->grid.y + h->grid.h + 6;
    text_measure(ctx->r->text, "12月", &st, &mw, &th);
    size_t every = (size_t)ceil((mw + 6) / h->cw);
    char buf[64];
    for (size_t i = (h->ncols - 1) % every; i < h->ncols; i += every)
        text_draw(ctx->r->text, cr, h->grid.x + ((double)i + 0.5) * h->cw, y,
                  ANCHOR_CENTER | ANCHOR_TOP, fmt_period(buf, sizeof buf, lab[i], PERIOD_MONTH),
                  &st);
    st.color = ctx->theme->muted;
    for (size_t i = 0; i < h->ncols; i++) {
        int year = atoi(lab[i]);
        if (i > 0 && atoi(lab[i - 1]) == year)
            continue;
        size_t end = i + 1;
        while (end < h->ncols && atoi(lab[end]) == year)
            end++;
        double x = h->grid.x + (double)i * h->cw;
        st.max_width = (double)(end - i) * h->cw - 6;
        snprintf(buf, sizeof buf, "%d年", year);
        if (i > 0) {
            cairo_move_to(cr, x, y + LINE_H - 2);
            cairo_line_to(cr, x, y + 2 * LINE_H - 4);
            color_set(cr, ctx->theme->axis);
            cairo_set_line_width(cr, 1);
            cairo_stroke(cr);
        }
        double w, hh;
        text_measure(ctx->r->text, buf, &st, &w, &hh);
        if (st.max_width >= w) /* a lone December of the year before stays bare */
            text_draw(ctx->r->text, cr, x + 4, y + LINE_H, ANCHOR_LEFT | ANCHOR_TOP, buf, &st);
    }
}

/* Text labels wrapped to two lines under their columns when that fits
 * them all, else the shared axis labels (shortened, thinned). */
static void draw_text_columns(const struct heat *h)
{
    const struct widget_ctx *ctx = h->ctx;
    struct text_style st = wstyle(ctx, false, 14, 400, ctx->theme->text);
    st.max_width = h->cw - 4;
    st.wrap = true;
    st.align = ANCHOR_CENTER;
    bool fits = h->cw >= 30;
    for (size_t i = 0; i < h->ncols && fits; i++) {
        double w, th;
        text_measure(ctx->r->text, h->pv.cats[h->c0 + i], &st, &w, &th);
        fits = th <= 2 * LINE_H + 4;
    }
    if (!fits) {
        struct axis_categories cats;
        axis_cats(h, &cats, true);
        axis_draw_categories(ctx->cr, ctx->r, &cats, h->grid, true, 0, ctx->box.x,
                             ctx->box.x + ctx->box.w);
        return;
    }
    for (size_t i = 0; i < h->ncols; i++)
        text_draw(ctx->r->text, ctx->cr, h->grid.x + ((double)i + 0.5) * h->cw,
                  h->grid.y + h->grid.h + 6, ANCHOR_CENTER | ANCHOR_TOP, h->pv.cats[h->c0 + i],
                  &st);
}

/* A horizontal colour bar centred under the column labels, its ends
 * labelled with the scale's min and max. */
static void draw_legend(const struct heat *h)
{
    const struct widget_ctx *ctx = h->ctx;
    cairo_t *cr = ctx->cr;
    const struct color_scale *sc = &ctx->theme->heat;
    char lo[64], hi[64];
    wfmt(ctx, "value", h->lo, lo, sizeof lo);
    wfmt(ctx, "value", h->hi, hi, sizeof hi);
    struct text_style st = wstyle(ctx, true, 14, 400, ctx->theme->muted);
    double wl, wh, th;
    text_measure(ctx->r->text, lo, &st, &wl, &th);
    text_measure(ctx->r->text, hi, &st, &wh, &th);
    double bar = fmin(220, h->grid.w - wl - wh - 24);
    if (bar < 40)
        return;
    double x = h->grid.x + (h->grid.w - bar) / 2;
    double y = h->grid.y + h->grid.h + COL_BAND + LEGEND_BAND / 2;
    cairo_pattern_t *g = cairo_pattern_create_linear(x, 0, x + bar, 0);
    for (int i = 0; i < sc->n && i < 8; i++)
        color_add_stop(g, sc->pos[i], sc->col[i]);
    draw_rounded_rect(cr, x, y - 5, bar, 10, 3);
    cairo_set_source(cr, g);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
    text_draw(ctx->r->text, cr, x - 8, y, ANCHOR_RIGHT | ANCHOR_MIDDLE, lo, &st);
    text_draw(ctx->r->text, cr, x + bar + 8, y, ANCHOR_LEFT | ANCHOR_MIDDLE, hi, &st);
}

/* "另有N行未显示" under the row labels when rows did not fit. */
static void draw_rows_note(const struct heat *h)
{
    size_t more = h->pv.series_total - h->nrows;
    if (more == 0)
        return;
    const struct widget_ctx *ctx = h->ctx;
    char buf[64];
    snprintf(buf, sizeof buf, "… 另有%zu行未显示", more);
    struct text_style st = wstyle(ctx, false, 14, 400, ctx->theme->muted);
    st.max_width = h->grid.x - ctx->box.x - 8;
    if (st.max_width > 14)
        text_draw(ctx->r->text, ctx->cr, ctx->box.x, h->grid.y + h->grid.h + 6,
                  ANCHOR_LEFT | ANCHOR_TOP, buf, &st);
}

/* The pivot, the grid and the colour scale, for draw and hit alike; false
 * when there is no grid. Free h->pv either way. */
static bool heat_layout(const struct widget_ctx *ctx, struct heat *h)
{
    size_t max_cols = (size_t)panel_opt_num(ctx->panel, "max_columns");
    const struct pivot_spec spec = {
        .cat = "x", .value = "value", .series = "y", .sort_periods = true, .keep_last = true,
        .max_cats = max_cols > 0 && max_cols < MAX_COLS ? max_cols : MAX_COLS,
        .max_series = MAX_ROWS,
    };
    *h = (struct heat){.ctx = ctx};
    pivot_build(&h->pv, ctx, &spec);
    if (h->pv.ncats == 0 || h->pv.nseries == 0 || !layout(h))
        return false;
    double lo, hi;
    pivot_range(&h->pv, &lo, &hi);
    h->lo = opt_or(ctx->panel, "min", lo);
    h->hi = opt_or(ctx->panel, "max", hi);
    return true;
}

/* The highlight around a whole row of cells, when it names that row. */
static void draw_row_highlight(const struct heat *h, size_t r)
{
    for (size_t c = 0; c < h->pv.ncats; c++) {
        long row = pivot_row(&h->pv, r, c);
        if (row >= 0 && whighlight(h->ctx, (size_t)row, "y")) {
            struct rect a = cell_rect(h, r, 0), b = cell_rect(h, r, h->ncols - 1);
            wdraw_highlight(h->ctx, (struct rect){a.x, a.y, b.x + b.w - a.x, a.h}, 3, false);
            return;
        }
    }
}

static void draw(const struct widget_ctx *ctx)
{
    struct heat h;
    if (heat_layout(ctx, &h)) {
        struct text_style vs = wstyle(ctx, true, fmax(14, fmin(18, h.ch * 0.42)), 500, 0);
        for (size_t r = 0; r < h.nrows; r++) {
            for (size_t c = 0; c < h.ncols; c++)
                draw_cell(&h, r, c, &vs);
            draw_row_highlight(&h, r);
        }
        if (h.col_labels && columns_are_months(&h))
            draw_period_columns(&h);
        else if (h.col_labels)
            draw_text_columns(&h);
        struct axis_categories cats;
        axis_cats(&h, &cats, false);
        axis_draw_categories(ctx->cr, ctx->r, &cats, h.grid, false, h.grid.x - ctx->box.x,
                             h.grid.y, h.grid.y + h.grid.h);
        if (h.legend && isfinite(h.lo) && isfinite(h.hi))
            draw_legend(&h);
        draw_rows_note(&h);
    }
    pivot_finish(&h.pv);
}

/* The row of the cell under the point; the gaps between cells are none. */
static int hit(const struct widget_ctx *ctx, double x, double y)
{
    struct heat h;
    long row = -1;
    if (heat_layout(ctx, &h) && rect_contains(h.grid, x, y)) {
        size_t r = (size_t)((y - h.grid.y) / h.ch), c = (size_t)((x - h.grid.x) / h.cw);
        if (r < h.nrows && c < h.ncols && rect_contains(cell_rect(&h, r, c), x, y))
            row = pivot_row(&h.pv, r, h.c0 + c);
    }
    pivot_finish(&h.pv);
    return (int)row;
}

const struct widget_class widget_heatmap = {
    .spec = {
        .name = "heatmap",
        .title = "Heat map (热力图)",
        .doc = "A matrix of x (e.g. months) by y (e.g. sectors): cells coloured by the theme's "
               "heat scale with their values, row labels left, column labels below (periods "
               "as 3月, the year where it changes) and a colour legend. Missing cells show "
               "\"—\".",
        .needs_data = true,
        .roles = roles,
        .props = props,
    },
    .draw = draw,
    .hit = hit,
};
