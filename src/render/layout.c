#include "render/layout.h"
#include <string.h>

static const char *const fit_names[] = {"fit", "fill", "stretch", "extend"};

bool fit_mode_parse(const char *s, enum fit_mode *out)
{
    for (size_t i = 0; i < sizeof fit_names / sizeof fit_names[0]; i++) {
        if (strcmp(s, fit_names[i]) == 0) {
            *out = (enum fit_mode)i;
            return true;
        }
    }
    return false;
}

const char *fit_mode_name(enum fit_mode m)
{
    return fit_names[m];
}

struct viewport viewport_compute(enum fit_mode mode, double dw, double dh, int out_w, int out_h)
{
    struct viewport vp = {.w = dw, .h = dh, .out_w = out_w, .out_h = out_h};
    double kx = out_w / dw, ky = out_h / dh;
    switch (mode) {
    case FIT_STRETCH:
        vp.sx = kx, vp.sy = ky;
        break;
    case FIT_FIT:
    case FIT_FILL: {
        double k = mode == FIT_FIT ? (kx < ky ? kx : ky) : (kx > ky ? kx : ky);
        vp.sx = vp.sy = k;
        vp.ox = (out_w - dw * k) / 2;
        vp.oy = (out_h - dh * k) / 2;
        break;
    }
    case FIT_EXTEND: {
        double k = kx < ky ? kx : ky;
        vp.sx = vp.sy = k;
        vp.w = out_w / k;
        vp.h = out_h / k;
        break;
    }
    }
    return vp;
}

void viewport_apply(cairo_t *cr, const struct viewport *vp)
{
    cairo_translate(cr, vp->ox, vp->oy);
    cairo_scale(cr, vp->sx, vp->sy);
}

/* Start offset and size of track i of n, weighted, in a span with gaps. */
static void track(const double *weights, int n, double span, double gap, int i, int count,
                  double *start, double *size)
{
    double total = 0, before = 0, mine = 0;
    for (int k = 0; k < n; k++) {
        double w = weights ? weights[k] : 1;
        total += w;
        if (k < i)
            before += w;
        else if (k < i + count)
            mine += w;
    }
    double unit = (span - gap * (n - 1)) / (total > 0 ? total : 1);
    *start = before * unit + gap * i;
    *size = mine * unit + gap * (count - 1);
}

struct rect grid_rect(const struct grid *g, double w, double h, int col, int row, int colspan,
                      int rowspan)
{
    double iw = w - g->pad[1] - g->pad[3], ih = h - g->pad[0] - g->pad[2];
    struct rect r;
    track(g->col_weights, g->cols, iw, g->gap, col, colspan, &r.x, &r.w);
    track(g->row_weights, g->rows, ih, g->gap, row, rowspan, &r.y, &r.h);
    r.x += g->pad[3];
    r.y += g->pad[0];
    return r;
}

bool rect_contains(struct rect r, double x, double y)
{
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

struct rect rect_inset(struct rect r, double dx, double dy)
{
    r.x += dx;
    r.y += dy;
    r.w -= 2 * dx;
    r.h -= 2 * dy;
    if (r.w < 0)
        r.w = 0;
    if (r.h < 0)
        r.h = 0;
    return r;
}
