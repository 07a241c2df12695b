/* From design units to output pixels. Scenes are designed in units (e.g.
 * 1920×1080); a viewport maps them onto any output at its native resolution
 * by scaling the cairo transform, never a bitmap. */
#ifndef LW_LAYOUT_H
#define LW_LAYOUT_H
#include <cairo.h>
#include <stdbool.h>

enum fit_mode {
    FIT_FIT,     /* uniform scale, whole design visible, letterbox bands */
    FIT_FILL,    /* uniform scale, covers the output, edges cropped */
    FIT_STRETCH, /* independent x/y scale, distorts */
    FIT_EXTEND,  /* uniform scale by the tighter axis; the design canvas grows
                    along the other axis so the grid fills the output */
};

struct rect {
    double x, y, w, h;
};

struct viewport {
    double sx, sy;       /* design unit → output pixel */
    double ox, oy;       /* output pixel offset of the design origin */
    double w, h;         /* canvas size in design units (EXTEND grows one) */
    int out_w, out_h;
};

bool fit_mode_parse(const char *s, enum fit_mode *out);
const char *fit_mode_name(enum fit_mode m);
struct viewport viewport_compute(enum fit_mode mode, double design_w, double design_h, int out_w,
                                 int out_h);
void viewport_apply(cairo_t *cr, const struct viewport *vp);

struct grid {
    int cols, rows;
    double gap;
    double pad[4]; /* top, right, bottom, left */
    double *row_weights; /* rows entries, or NULL for equal rows */
    double *col_weights; /* cols entries, or NULL for equal columns */
};

/* The rectangle of grid area (col, row, colspan, rowspan) on a canvas of
 * w×h design units. */
struct rect grid_rect(const struct grid *g, double w, double h, int col, int row, int colspan,
                      int rowspan);
struct rect rect_inset(struct rect r, double dx, double dy);
/* True when (x, y) lies in r, its left and top edges included. */
bool rect_contains(struct rect r, double x, double y);

#endif
