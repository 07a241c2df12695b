/* Shared drawing for list-like widgets (ranking, table, progress, ticker):
 * stacking rows in a box, scrolling them by the clock, status pills, rank
 * badges and bar tracks. Render thread only; everything in design units. */
#ifndef LW_ROWS_H
#define LW_ROWS_H
#include "render/render.h"
#include <stddef.h>
#include <stdint.h>

#define ROWS_MORE ((size_t)-1) /* rows_row() of the "… N more" slot */

/* Where the rows of a list go; filled by rows_layout(). Slot i occupies
 * rows_slot(rl, i) and shows data row rows_row(rl, i). */
struct rows {
    struct rect box;  /* top-aligned in the box given to rows_layout() */
    double pitch;     /* height of one slot */
    size_t total;     /* data rows */
    size_t slots;     /* slots to draw, the "more" slot included */
    size_t first;     /* data row in slot 0 */
    bool scrolling;   /* rows are left out and the list scrolls through them */
    size_t hidden;    /* > 0: the last slot says that many rows are left out */
};

/* Lays out `total` rows in box: `want` slots (0 = one per row) of height
 * box.h / slots, at most max_h, and never smaller than min_h (fewer slots
 * then). When rows are left out: with scroll_s > 0 the list scrolls — slot 0
 * shows row (now / scroll_s) % total and the rows wrap around, a pure
 * function of `now` so exports are deterministic; without scrolling the last
 * slot says how many rows are hidden. A box too small gives no slots. */
void rows_layout(struct rows *rl, struct rect box, size_t total, size_t want, double min_h,
                 double max_h, int64_t now, int scroll_s);
/* The scroll step of a list at `now` (scroll_s > 0): the row it starts
 * at, before wrapping. */
int64_t rows_scroll_step(int64_t now, int scroll_s);
struct rect rows_slot(const struct rows *rl, size_t slot);
/* The data row of a slot, or ROWS_MORE for the "more" slot. */
size_t rows_row(const struct rows *rl, size_t slot);
/* The data row whose slot holds (x, y), or -1: outside the rows, or on
 * the "more" slot. */
long rows_hit(const struct rows *rl, double x, double y);
/* "… 另有 N 项" in the more slot, if there is one. */
void rows_draw_more(cairo_t *cr, struct render *r, const struct rows *rl);
/* A faint dashed line above the slot where a scrolled list starts again at
 * its first row, so the wrap does not read as a continuation. */
void rows_draw_wrap(cairo_t *cr, struct render *r, const struct rows *rl, size_t slot);
/* A thin scroll position bar just right of the rows, when they scroll. */
void rows_draw_scrollbar(cairo_t *cr, struct render *r, const struct rows *rl);
/* A readable text size for rows of this pitch (14..22). */
double rows_text_size(double pitch);

/* Rows measured for column widths: enough that the widths hold still while a
 * list scrolls, few enough that a 1000-row table costs little. */
#define ROWS_MEASURE 200
/* Drawn width of s; the building block of column widths. */
double rows_text_width(struct render *r, const char *s, const struct text_style *st);

/* ---- status pills ------------------------------------------------------- */

enum rows_status { STATUS_NEUTRAL, STATUS_OK, STATUS_WARN, STATUS_DANGER };

/* Classifies a status or level by its words: 滞后/超期/预警/严重/异常 →
 * danger, 在建/处理中/一般/关注 → warn, 已竣工/已办结/正常/完成/提示 → ok,
 * anything else → neutral. */
enum rows_status rows_status_of(const char *text);
rgba_t rows_status_color(const struct theme *t, enum rows_status s);
/* Width of the pill rows_draw_pill() would draw. */
double rows_pill_width(struct render *r, const char *text, double size);
/* A tinted, outlined pill with text in colour c, centred vertically on y_mid,
 * its left edge, centre or right edge at x (anchor ANCHOR_LEFT, _CENTER or
 * _RIGHT). Ellipsized
 * to max_w (> 0); nothing when not even "…" fits. Returns the width drawn. */
double rows_draw_pill(cairo_t *cr, struct render *r, double x, double y_mid, int anchor,
                      const char *text, rgba_t c, double size, double max_w);

/* ---- rank badges and bars ---------------------------------------------- */

/* A rounded-square rank badge, left edge at x, centred on y_mid, height h;
 * ranks 1–3 in warm colours. Returns its width (wider for long numbers). */
double rows_draw_rank(cairo_t *cr, struct render *r, double x, double y_mid, double h,
                      size_t rank);
/* The faint full-length track behind a bar. */
void rows_draw_track(cairo_t *cr, const struct theme *t, struct rect b);
/* A bar with a horizontal gradient, dim at its base and brightest (c) at its
 * value end: the right end, or the left end for bars growing leftward. */
void rows_draw_bar(cairo_t *cr, struct rect b, rgba_t c, bool leftward);

#endif
