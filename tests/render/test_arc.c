/* arc_gradient on pixels (wedges under the stroke's outline as a clip):
 * it covers what cairo_stroke covers, without a seam between wedges, and
 * its colour runs smoothly with the angle. */
#include "common.h"
#include "render/arc.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define SIZE 400

struct arc_case {
    double radius, a0, a1, width;
    bool round;
};

static cairo_surface_t *surface(void)
{
    return cairo_image_surface_create(CAIRO_FORMAT_ARGB32, SIZE, SIZE);
}

static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
    cairo_surface_flush(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    return *(const uint32_t *)(d + (size_t)y * (size_t)cairo_image_surface_get_stride(s) +
                               (size_t)x * 4);
}

/* The arc in one colour both ways: the alpha of every pixel within 24
 * levels, hardly any off by more than 8. Both flatten their arcs to a
 * hundredth of a pixel: at cairo's default tenth the stroker's inner edge
 * and the outline's are up to 0.2 px (50 levels) apart. */
static void check_coverage(const struct arc_case *c)
{
    cairo_surface_t *a = surface(), *b = surface();
    cairo_t *cr = cairo_create(a);
    cairo_set_tolerance(cr, 0.01);
    arc_gradient(cr, SIZE / 2.0, SIZE / 2.0, c->radius, c->a0, c->a1, c->width, 0xffffffff,
                 0xffffffff, c->round);
    cairo_destroy(cr);
    cr = cairo_create(b);
    cairo_set_tolerance(cr, 0.01);
    bool full = c->a1 - c->a0 >= 2 * M_PI - 1e-6;
    cairo_arc(cr, SIZE / 2.0, SIZE / 2.0, c->radius, c->a0, full ? c->a0 + 2 * M_PI : c->a1);
    cairo_set_line_width(cr, c->width);
    cairo_set_line_cap(cr, c->round && !full ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
    cairo_set_source_rgba(cr, 1, 1, 1, 1);
    cairo_stroke(cr);
    cairo_destroy(cr);
    int worst = 0, off = 0, covered = 0;
    for (int y = 0; y < SIZE; y++)
        for (int x = 0; x < SIZE; x++) {
            int pa = (int)(pixel(a, x, y) >> 24), pb = (int)(pixel(b, x, y) >> 24);
            int d = abs(pa - pb);
            worst = d > worst ? d : worst;
            off += d > 8;
            covered += pb > 0;
        }
    print_message("r %.0f %.2f..%.2f w %.0f: worst %d, %d of %d pixels off by more than 8\n",
                  c->radius, c->a0, c->a1, c->width, worst, off, covered);
    assert_true(covered > 0);
    assert_true(worst <= 24);
    assert_true(off * 100 <= covered); /* a seam or a missing cap would be a line of them */
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
}

static void test_covers_the_stroke(void **state)
{
    static const struct arc_case cases[] = {
        {120, -M_PI / 2, M_PI, 30, true},           /* three quarters, round caps */
        {120, -M_PI / 2, M_PI, 30, false},          /* butt caps */
        {150, 0, 2 * M_PI, 24, true},               /* a full ring: no caps */
        {60, -M_PI / 2, -M_PI / 2 + 0.1, 40, true}, /* a sliver: nearly all cap */
        {20, 0, 4, 60, true},                       /* wider than the radius */
        {170, -M_PI / 2, -M_PI / 2 + 6.2, 20, true}, /* the caps nearly meet */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_coverage(&cases[i]);
}

/* Black to red around a ring: along its middle the red rises with the
 * angle, never back, in steps of a level or two, as the angle says. */
static void test_colour_follows_the_angle(void **state)
{
    cairo_surface_t *s = surface();
    cairo_t *cr = cairo_create(s);
    double r = 150, a0 = -M_PI / 2, a1 = a0 + 1.5 * M_PI;
    arc_gradient(cr, SIZE / 2.0, SIZE / 2.0, r, a0, a1, 30, 0x000000ff, 0xff0000ff, false);
    cairo_destroy(cr);
    int last = -1, steps = 0;
    for (int i = 0; i <= 1000; i++) {
        double t = 0.02 + 0.96 * i / 1000.0, a = a0 + (a1 - a0) * t;
        for (int k = -1; k <= 1; k++) { /* across the stroke: the same colour */
            double rr = r + k * 10;
            uint32_t p = pixel(s, (int)(SIZE / 2.0 + rr * cos(a)), (int)(SIZE / 2.0 + rr * sin(a)));
            int red = (int)((p >> 16) & 0xff);
            assert_int_equal(p >> 24, 255);
            assert_true(abs(red - (int)lround(255 * t)) <= 4);
            if (k == 0) {
                assert_true(red >= last - 1);
                assert_true(last < 0 || red - last <= 3);
                steps += red != last;
                last = red;
            }
        }
    }
    assert_true(steps > 200); /* a smooth run, not a few flat bands */
    cairo_surface_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_covers_the_stroke),
        cmocka_unit_test(test_colour_follows_the_angle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
