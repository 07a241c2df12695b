/* Cartography for the map widget: projection and fitting, colour binning,
 * label placement without overlap, and the heat layer (whose time for
 * 100,000 points on a 3840×2160 panel is printed, not asserted: targets are
 * met in benchmarks, not in timed tests). */
#include "common.h"
#include "render/carto.h"
#include "output/export.h"
#include "render/heat.h"
#include "util/file.h"
#include "util/util.h"
#include "widgets/widget.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_projection_fits_the_box(void **state)
{
    /* 1° × 1° at latitude 60: half as wide as high after cos(lat) */
    const double bbox[4] = {10, 59.5, 11, 60.5};
    struct rect box = {100, 50, 400, 300};
    struct proj p = proj_fit(bbox, box, 1);
    double x0, y0, x1, y1;
    proj_apply(&p, 10, 60.5, &x0, &y0);
    proj_apply(&p, 11, 59.5, &x1, &y1);
    assert_true(fabs(y0 - 50) < 1e-6 && fabs(y1 - 350) < 1e-6); /* height fills the box */
    assert_true(fabs((x1 - x0) - 300 * cos(60 * M_PI / 180)) < 1e-6);
    assert_true(fabs((x0 + x1) / 2 - 300) < 1e-6); /* centred across */
    /* tilt squashes y only */
    struct proj t = proj_fit(bbox, box, 0.5);
    proj_apply(&t, 10, 60.5, &x0, &y0);
    proj_apply(&t, 11, 59.5, &x1, &y1);
    assert_true(y1 > y0 && y1 - y0 <= 300 + 1e-6);
    /* degenerate and non-finite boxes still give finite positions */
    const double point[4] = {5, 5, 5, 5}, bad[4] = {NAN, 0, INFINITY, 1};
    p = proj_fit(point, box, 1);
    proj_apply(&p, 5, 5, &x0, &y0);
    assert_true(fabs(x0 - 300) < 1e-9 && fabs(y0 - 200) < 1e-9);
    p = proj_fit(bad, box, 1);
    proj_apply(&p, 0, 0, &x0, &y0);
    assert_true(isfinite(x0) && isfinite(y0));
}

static void test_bins(void **state)
{
    static const struct {
        double lo, hi;
        int want, n;
        double first, last;
    } cases[] = {
        {112, 349, 4, 3, 100, 400},   /* step 100 */
        {0, 349, 4, 4, 0, 400},
        {204, 561, 5, 4, 200, 600},
        {0.3, 0.9, 5, 4, 0.2, 1.0},   /* step 0.2 */
        {7, 7, 5, 1, 7, 8},           /* a single value */
        {-50, 50, 4, 4, -50, 50},     /* step 25 */
        {NAN, 3, 5, 1, 0, 1},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct bins b;
        bins_make(&b, cases[i].lo, cases[i].hi, cases[i].want);
        if (b.n != cases[i].n || fabs(b.edge[0] - cases[i].first) > 1e-9 ||
            fabs(b.edge[b.n] - cases[i].last) > 1e-9)
            fail_msg("case %zu: %d bins %g..%g", i, b.n, b.edge[0], b.edge[b.n]);
    }
    struct bins b;
    bins_make(&b, 112, 349, 4);
    assert_int_equal(bins_find(&b, 112), 0);
    assert_int_equal(bins_find(&b, 200), 1); /* edges belong to the upper bin */
    assert_int_equal(bins_find(&b, 349), 2);
    assert_int_equal(bins_find(&b, 1e9), 2);  /* clamped */
    assert_int_equal(bins_find(&b, -1e9), 0);
    assert_int_equal(bins_find(&b, NAN), -1);
    /* colours run along the scale: the first bin is the cold end's side */
    const struct theme *t = theme_find("dark");
    assert_true(bins_color(&b, &t->heat, 0) != bins_color(&b, &t->heat, 2));
}

static bool overlap(struct rect a, struct rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static void test_labels_do_not_overlap(void **state)
{
    /* five labels wanting the same spot, one far away, one outside */
    struct label_place l[] = {
        {.x = 100, .y = 100, .w = 60, .h = 20}, {.x = 102, .y = 101, .w = 60, .h = 20},
        {.x = 98, .y = 99, .w = 60, .h = 20},   {.x = 100, .y = 100, .w = 60, .h = 20},
        {.x = 100, .y = 100, .w = 60, .h = 20}, {.x = 300, .y = 150, .w = 60, .h = 20},
        {.x = 1000, .y = 1000, .w = 60, .h = 20}, {.x = NAN, .y = 0, .w = 10, .h = 10},
    };
    struct rect bounds = {0, 0, 400, 200};
    size_t n = labels_place(l, ARRAY_LEN(l), bounds, 2);
    assert_true(l[0].placed);
    assert_true(fabs(l[0].at.x - 70) < 1e-9 && fabs(l[0].at.y - 90) < 1e-9); /* first: at its anchor */
    assert_true(l[5].placed);
    assert_false(l[6].placed);
    assert_false(l[7].placed);
    assert_true(n >= 5);
    for (size_t i = 0; i < ARRAY_LEN(l); i++)
        for (size_t j = i + 1; j < ARRAY_LEN(l); j++)
            if (l[i].placed && l[j].placed && overlap(l[i].at, l[j].at))
                fail_msg("labels %zu and %zu overlap", i, j);
    for (size_t i = 0; i < ARRAY_LEN(l); i++)
        if (l[i].placed)
            assert_true(l[i].at.x >= 0 && l[i].at.y >= 0 && l[i].at.x + l[i].at.w <= 400 &&
                        l[i].at.y + l[i].at.h <= 200);
}

/* 100,000 points on a 3840×2160 panel (design 1920×1080 at 2×): draws, and
 * prints the time. */
static void test_heat_layer(void **state)
{
    app_environment();
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 3840, 2160);
    cairo_t *cr = cairo_create(img);
    cairo_scale(cr, 2, 2);
    struct render r;
    render_init(&r, theme_find("dark"), TEST_NOW);
    r.unit_px = 2;
    size_t n = 100000;
    double *xy = xmalloc(2 * n * sizeof *xy);
    srand(7);
    for (size_t i = 0; i < n; i++) { /* a few hot spots and a spread */
        double cx = 300 + 400 * (double)(i % 4), cy = 300 + 200 * (double)(i % 3);
        double a = 2 * M_PI * rand() / (double)RAND_MAX, d = 260 * pow(rand() / (double)RAND_MAX, 2);
        xy[2 * i] = cx + d * cos(a);
        xy[2 * i + 1] = cy + d * sin(a);
    }
    xy[0] = NAN; /* bad points are skipped */
    struct rect box = {0, 0, 1920, 1080};
    double best = 1e9;
    for (int k = 0; k < 5; k++) {
        double t0 = now_ms();
        assert_true(heat_draw(cr, &r, box, xy, NULL, n, 26, &r.theme->heat, 0.85));
        best = fmin(best, now_ms() - t0);
    }
    print_message("heat layer: %zu points on a 3840x2160 panel: %.1f ms (best of 5)\n", n, best);
    cairo_surface_flush(img);
    const uint32_t *px = (const uint32_t *)cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img) / 4;
    assert_true((px[600 * stride + 600] & 0xffffff) != 0);   /* a hot spot has colour */
    assert_true((px[2100 * stride + 3800] & 0xffffff) == 0); /* far away: none */
    /* nothing to draw */
    assert_false(heat_draw(cr, &r, box, xy, NULL, 1, 26, &r.theme->heat, 0.85));
    assert_false(heat_draw(cr, &r, (struct rect){0, 0, 1, 1}, xy, NULL, n, 26, &r.theme->heat, 1));
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    free(xy);
    render_finish(&r);
    cairo_destroy(cr);
    cairo_surface_destroy(img);
}

/* The GeoJSON is read and parsed when the scene loads, not in a frame's
 * draw (where a large file held the render thread past the watchdog): a
 * scene drawn after its file is gone looks the same as before. */
static void test_geojson_loads_with_the_scene(void **state)
{
    test_app_open(&test_app);
    char geo[] = "/tmp/lw-map-XXXXXX.geojson", *text = NULL;
    struct err err = {{0}};
    int fd = mkstemps(geo, 8);
    assert_true(fd >= 0);
    size_t len;
    char *data = file_read("assets/xuchang-districts.geojson", FILE_MAX_DATA, &len, &err);
    assert_non_null(data);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    text = xasprintf("{\"kind\":\"scene\",\"version\":1,\"title\":\"T\",\"design\":[1920,1080],"
                     "\"grid\":{\"cols\":1,\"rows\":1},\"panels\":[{\"id\":\"m\",\"widget\":"
                     "\"map\",\"area\":[0,0,1,1],\"options\":{\"geojson\":\"%s\"}}]}", geo);
    struct scene_env env = app_scene_env(&test_app);
    struct scene *s = scene_parse("map.json", text, strlen(text), &env, &err);
    if (!s)
        fail_msg("%s", err.msg);
    struct export_job job = {.scenes = &s, .nscenes = 1, .width = 640, .height = 360,
                             .store = test_app.store, .now = TEST_NOW};
    cairo_surface_t *before = export_render_image(&job, s);
    unlink(geo);
    cairo_surface_t *after = export_render_image(&job, s);
    size_t diff = image_count_diff(before, after, 0, NULL);
    if (diff)
        fail_msg("%zu pixels differ once the GeoJSON is gone: it was read in the draw", diff);
    cairo_surface_destroy(before);
    cairo_surface_destroy(after);
    scene_destroy(s);
    free(data);
    free(text);
    app_close(&test_app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_projection_fits_the_box),
        cmocka_unit_test(test_bins),
        cmocka_unit_test(test_labels_do_not_overlap),
        cmocka_unit_test(test_heat_layer),
        cmocka_unit_test(test_geojson_loads_with_the_scene),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
