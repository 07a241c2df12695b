#include "render/heat.h"
#include "util/util.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GRID 1024 /* cells along the longer side */

/* One box blur of half-width k along rows (stride 1) or columns, with a
 * running sum; tmp holds one line. */
static void box_pass(float *g, int gw, int gh, int k, bool rows, float *tmp)
{
    int len = rows ? gw : gh, lines = rows ? gh : gw;
    size_t step = rows ? 1 : (size_t)gw;
    float norm = 1.0f / (float)(2 * k + 1);
    for (int l = 0; l < lines; l++) {
        float *p = rows ? g + (size_t)l * (size_t)gw : g + l;
        for (int i = 0; i < len; i++)
            tmp[i] = p[(size_t)i * step];
        float sum = 0;
        for (int i = 0; i <= k && i < len; i++)
            sum += tmp[i];
        for (int i = 0; i < len; i++) {
            p[(size_t)i * step] = sum * norm;
            int add = i + k + 1, sub = i - k;
            if (add < len)
                sum += tmp[add];
            if (sub >= 0)
                sum -= tmp[sub];
        }
    }
}

bool heat_draw(cairo_t *cr, const struct render *r, struct rect box, const double *xy,
               const double *w, size_t n, double radius, const struct color_scale *scale,
               double alpha)
{
    double px = r->unit_px > 0 && isfinite(r->unit_px) ? r->unit_px : 1;
    if (!(box.w >= 4 && box.h >= 4) || n == 0 || !(radius > 0))
        return false;
    /* about 4 device pixels a cell, never more than MAX_GRID cells across */
    double cell = fmax(4 / px, fmax(box.w, box.h) / MAX_GRID);
    cell = fmax(cell, radius / 24); /* a big kernel needs no fine grid */
    int gw = (int)ceil(box.w / cell), gh = (int)ceil(box.h / cell);
    if (gw < 2 || gh < 2 || gw > 4 * MAX_GRID || gh > 4 * MAX_GRID)
        return false;
    float *g = xcalloc((size_t)gw * (size_t)gh, sizeof *g);
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        double wt = w ? w[i] : 1;
        double gx = (xy[2 * i] - box.x) / cell - 0.5, gy = (xy[2 * i + 1] - box.y) / cell - 0.5;
        if (!(isfinite(wt) && wt > 0 && gx >= 0 && gy >= 0 && gx < gw - 1 && gy < gh - 1))
            continue;
        /* bilinear splat: no pixel snapping at any scale */
        int ix = (int)gx, iy = (int)gy;
        float fx = (float)(gx - ix), fy = (float)(gy - iy), fw = (float)fmin(wt, 1e6);
        float *c = g + (size_t)iy * (size_t)gw + ix;
        c[0] += fw * (1 - fx) * (1 - fy);
        c[1] += fw * fx * (1 - fy);
        c[gw] += fw * (1 - fx) * fy;
        c[gw + 1] += fw * fx * fy;
        used++;
    }
    if (used == 0) {
        free(g);
        return false;
    }
    /* three box passes of half-width k approximate a Gaussian of sigma
     * radius / 2 */
    double sigma = radius / 2 / cell;
    int k = (int)lround((sqrt(4 * sigma * sigma + 1) - 1) / 2);
    k = k < 1 ? 1 : k > 200 ? 200 : k;
    float *tmp = xmalloc((size_t)(gw > gh ? gw : gh) * sizeof *tmp);
    for (int pass = 0; pass < 3; pass++) {
        box_pass(g, gw, gh, k, true, tmp);
        box_pass(g, gw, gh, k, false, tmp);
    }
    free(tmp);
    float top = 0;
    for (size_t i = 0; i < (size_t)gw * (size_t)gh; i++)
        top = g[i] > top ? g[i] : top;

    /* ramp: 256 premultiplied ARGB entries, transparent at the cold end */
    uint32_t lut[256];
    for (int i = 0; i < 256; i++) {
        double t = i / 255.0;
        rgba_t c = color_scale_eval(scale, 0.15 + 0.85 * t);
        double a = alpha * fmin(1, t * 2.2) * (t < 0.02 ? 0 : 1);
        uint32_t A = (uint32_t)lround(a * 255);
        uint32_t R = (uint32_t)lround((c >> 24 & 0xff) * a), G = (uint32_t)lround((c >> 16 & 0xff) * a),
                 B = (uint32_t)lround((c >> 8 & 0xff) * a);
        lut[i] = A << 24 | R << 16 | G << 8 | B;
    }
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, gw, gh);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        free(g);
        return false;
    }
    cairo_surface_flush(img);
    unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    /* square root: sparse areas still show, the densest spot is the top */
    float inv = top > 0 ? 1.0f / top : 0;
    for (int y = 0; y < gh; y++) {
        uint32_t *row = (uint32_t *)(data + (size_t)y * (size_t)stride);
        const float *src = g + (size_t)y * (size_t)gw;
        for (int x = 0; x < gw; x++)
            row[x] = lut[(int)(sqrtf(src[x] * inv) * 255.0f + 0.5f) & 0xff];
    }
    cairo_surface_mark_dirty(img);
    free(g);

    cairo_save(cr);
    cairo_rectangle(cr, box.x, box.y, box.w, box.h);
    cairo_clip(cr);
    cairo_translate(cr, box.x, box.y);
    cairo_scale(cr, cell, cell);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
    return true;
}
