#include "render/carto.h"
#include <math.h>

struct proj proj_fit(const double bbox[4], struct rect box, double tilt)
{
    struct proj p = {.kx = 1, .scale = 1, .tilt = tilt > 0 && tilt <= 1 ? tilt : 1};
    bool ok = isfinite(bbox[0]) && isfinite(bbox[1]) && isfinite(bbox[2]) && isfinite(bbox[3]) &&
              bbox[2] >= bbox[0] && bbox[3] >= bbox[1];
    p.lon0 = ok ? (bbox[0] + bbox[2]) / 2 : 0;
    p.lat0 = ok ? (bbox[1] + bbox[3]) / 2 : 0;
    p.kx = fmax(0.05, cos(p.lat0 * M_PI / 180));
    double w = ok ? (bbox[2] - bbox[0]) * p.kx : 0, h = ok ? (bbox[3] - bbox[1]) * p.tilt : 0;
    double sx = w > 1e-12 ? box.w / w : INFINITY, sy = h > 1e-12 ? box.h / h : INFINITY;
    p.scale = fmin(sx, sy);
    if (!isfinite(p.scale) || p.scale <= 0)
        p.scale = 1;
    p.cx = box.x + box.w / 2;
    p.cy = box.y + box.h / 2;
    return p;
}

void proj_apply(const struct proj *p, double lon, double lat, double *x, double *y)
{
    *x = p->cx + (lon - p->lon0) * p->kx * p->scale;
    *y = p->cy - (lat - p->lat0) * p->tilt * p->scale;
}

void bins_make(struct bins *b, double lo, double hi, int want)
{
    want = want < 2 ? 2 : want > BINS_MAX ? BINS_MAX : want;
    if (!isfinite(lo) || !isfinite(hi) || fabs(lo) > 1e15 || fabs(hi) > 1e15) {
        *b = (struct bins){1, {0, 1}};
        return;
    }
    if (hi < lo) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (hi - lo < 1e-9 * fmax(1, fabs(hi))) { /* one value: one class */
        *b = (struct bins){1, {lo, lo + fmax(1, fabs(lo) * 0.1)}};
        return;
    }
    double raw = (hi - lo) / want, mag = pow(10, floor(log10(raw))), step = 10 * mag;
    static const double nice[] = {1, 2, 2.5, 5, 10};
    for (size_t i = 0; i < sizeof nice / sizeof nice[0]; i++)
        if (nice[i] * mag >= raw) {
            step = nice[i] * mag;
            break;
        }
    double start = floor(lo / step) * step;
    int n = (int)ceil((hi - start) / step - 1e-9);
    while (n > BINS_MAX) { /* rounding out gave too many: widen the step */
        step *= 2;
        start = floor(lo / step) * step;
        n = (int)ceil((hi - start) / step - 1e-9);
    }
    b->n = n < 1 ? 1 : n;
    for (int i = 0; i <= b->n; i++)
        b->edge[i] = start + step * i;
}

int bins_find(const struct bins *b, double v)
{
    if (isnan(v))
        return -1;
    for (int i = 1; i < b->n; i++)
        if (v < b->edge[i])
            return i - 1;
    return b->n - 1;
}

rgba_t bins_color(const struct bins *b, const struct color_scale *s, int i)
{
    double t = b->n > 1 ? (i + 0.5) / b->n : 0.5;
    return color_scale_eval(s, t);
}

static bool overlaps(struct rect a, struct rect b, double gap)
{
    return a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap &&
           b.y < a.y + a.h + gap;
}

static bool inside(struct rect a, struct rect b)
{
    return a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
}

size_t labels_place(struct label_place *labels, size_t n, struct rect bounds, double gap)
{
    /* candidate offsets in units of the label's own size */
    static const double off[][2] = {
        {0, 0},    {0, -0.8}, {0, 0.8},   {0.7, 0},  {-0.7, 0}, {0.6, -0.8}, {-0.6, -0.8},
        {0.6, 0.8}, {-0.6, 0.8}, {0, -1.6}, {0, 1.6}, {1.3, 0},  {-1.3, 0},
    };
    size_t placed = 0;
    for (size_t i = 0; i < n; i++) {
        struct label_place *l = &labels[i];
        l->placed = false;
        if (!(isfinite(l->x) && isfinite(l->y) && l->w > 0 && l->h > 0))
            continue;
        for (size_t k = 0; k < sizeof off / sizeof off[0] && !l->placed; k++) {
            struct rect r = {l->x - l->w / 2 + off[k][0] * l->w, l->y - l->h / 2 + off[k][1] * l->h,
                             l->w, l->h};
            if (!inside(r, bounds))
                continue;
            bool free_ = true;
            for (size_t j = 0; j < i && free_; j++)
                free_ = !(labels[j].placed && overlaps(r, labels[j].at, gap));
            if (free_) {
                l->placed = true;
                l->at = r;
                placed++;
            }
        }
    }
    return placed;
}
