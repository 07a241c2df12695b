/* Benchmark, not a test: what arc_gradient costs on pixels — four rings
 * and a wide faint glow arc, as a ring and a gauge draw them, on a
 * 1000×1000 design at scale 1, 2 and 4 (1080p, 4K, 8K), best of 20.
 * Run: build-rel/tests/bench_arc (a Release build measures what ships). */
#include "render/arc.h"
#include "util/util.h"
#include <math.h>
#include <stdio.h>

static double arcs_ms(double scale)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(1000 * scale),
                                                    (int)(1000 * scale));
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    double best = INFINITY;
    for (int k = 0; k < 20; k++) {
        double t0 = now_ms();
        for (int i = 0; i < 4; i++)
            arc_gradient(cr, 500, 500, 400 - i * 60, -M_PI / 2, M_PI + i * 0.3, 40, 0x2040ffff,
                         0x40ffe0ff, true);
        arc_gradient(cr, 500, 500, 300, -M_PI * 1.25, 0.5, 80, 0x2040ff00, 0x40ffe030, true);
        best = fmin(best, now_ms() - t0);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return best;
}

int main(void)
{
    for (double scale = 1; scale <= 4; scale *= 2)
        printf("scale %.0f (%d×%d): %.1f ms\n", scale, (int)(1000 * scale), (int)(1000 * scale),
               arcs_ms(scale));
    return 0;
}
