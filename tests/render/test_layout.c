/* Design units to output pixels, for every fit mode and aspect; grid math. */
#include "common.h"
#include "render/layout.h"
#include <math.h>

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static void test_fit_modes(void **state)
{
    struct viewport v = viewport_compute(FIT_FIT, 1920, 1080, 3840, 2160);
    NEAR(v.sx, 2), NEAR(v.sy, 2), NEAR(v.ox, 0), NEAR(v.oy, 0);
    v = viewport_compute(FIT_FIT, 1920, 1080, 7680, 2160); /* pillarbox */
    NEAR(v.sx, 2), NEAR(v.ox, 1920), NEAR(v.oy, 0), NEAR(v.w, 1920);
    v = viewport_compute(FIT_FILL, 1920, 1080, 7680, 2160); /* crop top and bottom */
    NEAR(v.sx, 4), NEAR(v.ox, 0), NEAR(v.oy, -1080);
    v = viewport_compute(FIT_STRETCH, 1920, 1080, 7680, 2160);
    NEAR(v.sx, 4), NEAR(v.sy, 2);
    v = viewport_compute(FIT_EXTEND, 1920, 1080, 7680, 2160); /* canvas grows wider */
    NEAR(v.sx, 2), NEAR(v.sy, 2), NEAR(v.w, 3840), NEAR(v.h, 1080), NEAR(v.ox, 0);
    v = viewport_compute(FIT_EXTEND, 1920, 1080, 1080, 1920); /* portrait grows taller */
    NEAR(v.sx, 0.5625), NEAR(v.w, 1920), NEAR(v.h, 1920 / 0.5625);
}

static void test_grid(void **state)
{
    struct grid g = {.cols = 4, .rows = 2, .gap = 10, .pad = {20, 10, 20, 10}};
    struct rect r = grid_rect(&g, 1000, 500, 0, 0, 1, 1);
    /* inner width 980, 3 gaps: columns of 237.5 */
    NEAR(r.x, 10), NEAR(r.y, 20), NEAR(r.w, 237.5), NEAR(r.h, 225);
    r = grid_rect(&g, 1000, 500, 1, 1, 3, 1);
    NEAR(r.x, 10 + 237.5 + 10), NEAR(r.y, 20 + 225 + 10), NEAR(r.w, 3 * 237.5 + 20);
    double rw[2] = {1, 3};
    g.row_weights = rw;
    r = grid_rect(&g, 1000, 500, 0, 1, 4, 1);
    NEAR(r.h, (460 - 10) * 0.75), NEAR(r.w, 980);
}

static void test_inset_never_negative(void **state)
{
    struct rect r = rect_inset((struct rect){0, 0, 10, 10}, 20, 20);
    NEAR(r.w, 0), NEAR(r.h, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_modes),
        cmocka_unit_test(test_grid),
        cmocka_unit_test(test_inset_never_negative),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
