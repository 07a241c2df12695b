/* Chart furniture shared by the cartesian widgets (line, bar): a nice linear
 * value scale with its gridlines and tick labels, a category axis whose
 * labels thin out when crowded, and a header row with the unit on the left
 * and a legend on the right. Everything is in design units on any cairo_t;
 * render thread only. Nothing here reads tables: widgets pass plain values. */
#ifndef LW_AXIS_H
#define LW_AXIS_H
#include "render/fmt.h"
#include "render/render.h"
#include <stdbool.h>
#include <stddef.h>

/* A linear scale: values lo..hi (rounded out to multiples of step) onto
 * positions p0..p1. p0 > p1 for a vertical axis, whose values grow upwards. */
struct axis_scale {
    double lo, hi, step;
    double p0, p1;
};

/* A scale over [lo, hi] with a step of 1, 2, 2.5 or 5 × 10^k and at most
 * max_ticks intervals. NaN, infinite, absurdly large or empty ranges still
 * give a usable scale. p0 and p1 are 0 until axis_fit() places the plot. */
struct axis_scale axis_nice(double lo, double hi, int max_ticks, bool include_zero);
/* Position of v. Values far outside the scale are clamped a little beyond
 * the plot so that cairo never sees huge coordinates; NaN maps to p0. */
double axis_pos(const struct axis_scale *s, double v);
/* The tick label of v: the format's scale and thousands separators (f may
 * be NULL), with just enough decimals for the step. */
const char *axis_tick_label(char *buf, size_t len, const struct axis_scale *s, double v,
                            const struct numfmt *f);

/* Room around a plot: the value axis and category labels are added by
 * axis_fit(); these are what the widget draws itself (value labels above
 * bars, the last value right of a line). */
struct axis_margins {
    double top, right, bottom, left;
};

/* Splits box into the plot and room for tick labels and category labels,
 * and fits a nice scale over [lo, hi] to it.
 * vertical: values grow upwards, tick labels on the left, categories in a
 * band cat tall below; otherwise values grow rightwards, tick labels below,
 * categories in a band cat wide on the left. The plot may be empty (w or
 * h 0) when the box is too small; it never has negative sizes. */
struct rect axis_fit(struct render *r, struct rect box, bool vertical, double cat,
                     const struct axis_margins *extra, double lo, double hi, bool include_zero,
                     const struct numfmt *f, struct axis_scale *s);
/* Gridlines across the plot at every tick with their labels outside it,
 * and a stronger line at 0 when 0 lies inside (the baseline of bars). */
void axis_draw_values(cairo_t *cr, struct render *r, const struct axis_scale *s, struct rect plot,
                      bool vertical, const struct numfmt *f);

/* How category labels are written. PERIOD_* shapes "2024-03" as "3月"
 * (with the year where it changes: "2024年1月") or "24-03"; RAW copies. */
enum axis_label_style { AXIS_LABEL_RAW, AXIS_LABEL_MONTH, AXIS_LABEL_SHORT };

/* True when every non-empty label looks like a period (2024-03, 2024-Q1,
 * 2024-03-31), so that "auto" can pick AXIS_LABEL_MONTH. */
bool axis_labels_are_periods(const char *const *labels, size_t n);

struct axis_categories {
    const char *const *labels;   /* n labels; NULL entries are skipped */
    size_t n;
    double first, step;          /* position of label 0 and the distance between labels */
    enum axis_label_style style;
    bool from_end;               /* when thinning, always keep the last label (trends) */
};

/* Category labels outside the plot: below it (vertical charts) or right-
 * aligned left of it in a band `band` wide (horizontal charts). Crowded
 * labels are first shortened (raw text only, never below ~3 characters),
 * then every k-th is drawn. Labels stay inside [lo_limit, hi_limit] along
 * the axis. */
void axis_draw_categories(cairo_t *cr, struct render *r, const struct axis_categories *c,
                          struct rect plot, bool below, double band, double lo_limit,
                          double hi_limit);
/* Widest natural label (for sizing a left band), in design units. */
double axis_categories_width(struct render *r, const struct axis_categories *c);

enum legend_mark { LEGEND_BOX, LEGEND_LINE, LEGEND_DASH };

struct legend_item {
    const char *label;
    rgba_t color;
    enum legend_mark mark;
};

/* Above a chart: the unit (e.g. "%", "亿元") and a muted note (e.g. "显示前
 * 50项") on the left, the legend right-aligned. Items that do not fit are
 * dropped behind a "…". Returns the height used: 0 when there is nothing to
 * draw. */
double axis_draw_header(cairo_t *cr, struct render *r, struct rect box, const char *unit,
                        const char *note, const struct legend_item *items, size_t nitems);

#endif
