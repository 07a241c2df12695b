/* What the chart widgets (line, bar, ring) share about data: series
 * colours, and a widget's rows arranged as a category × series grid (the
 * pivot) — the shape both the line chart (x × series) and the bar chart
 * (category × series) draw. Cells without a row, or whose row has no finite
 * number, are NaN: charts skip them rather than drawing 0. Render thread
 * only, like the widgets. */
#ifndef LW_PIVOT_H
#define LW_PIVOT_H
#include "widgets/widget.h"

/* Colour of series i: the theme's palette, then the same hues mixed
 * towards the text colour, so that a 10th series is not the 2nd again. */
rgba_t chart_color(const struct widget_ctx *ctx, size_t i);

struct pivot_spec {
    const char *cat, *value;   /* required roles */
    const char *series;        /* optional role: one series per distinct text */
    const char *extra;         /* optional numeric role kept once per category */
    bool sort_periods;         /* sort categories when they all look like periods */
    bool sum;                  /* duplicate cells add up (bars); else the last row wins */
    bool keep_last;            /* over max_cats keep the last categories (trends) */
    size_t max_cats, max_series;
};

struct pivot {
    const char **cats;         /* ncats borrowed strings, in drawing order */
    size_t ncats, cats_total;  /* cats_total: before the max_cats cap */
    const char **series;       /* nseries names; {NULL} when the series role is unbound */
    size_t nseries, series_total;
    double *v;                 /* nseries × ncats */
    long *row;                 /* nseries × ncats: the first data row of a cell, or -1 */
    double *extra;             /* ncats; NaN without the extra role */
    bool keep_last;
};

/* Fills p from ctx->data; never fails (an empty table gives 0 categories).
 * Free with pivot_finish(). */
void pivot_build(struct pivot *p, const struct widget_ctx *ctx, const struct pivot_spec *spec);
void pivot_finish(struct pivot *p);
/* "仅显示最近1000期", "仅显示前12个系列" when a cap cut rows; else "". */
const char *pivot_note(const struct pivot *p, char *buf, size_t len);
/* Cell of series s, category c. */
double pivot_at(const struct pivot *p, size_t s, size_t c);
/* The first data row of series s, category c (the row a touch on that
 * bar or point means), or -1. */
long pivot_row(const struct pivot *p, size_t s, size_t c);
/* Finite min and max of all cells (and of extra); lo > hi when there are none. */
void pivot_range(const struct pivot *p, double *lo, double *hi);

#endif
