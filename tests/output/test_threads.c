/* Drawing on several threads changes nothing: every shipped scene drawn at
 * 1920×1080 with pools of 1, 2 and 4 workers is the same to the last bit
 * (panels go to the workers in groups, each over its own piece of the
 * page), and the PNG written in parallel stripes reads back (through
 * libpng, via cairo) as exactly the pixels drawn. */
#include "common.h"
#include "output/export.h"
#include "render/render.h"
#include "util/pool.h"
#include "util/util.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 1920
#define H 1080

static cairo_surface_t *draw_with(struct scene *s, struct pool *pool)
{
    struct export_job job = {.scenes = &s, .nscenes = 1, .width = W, .height = H,
                             .store = test_app.store, .now = TEST_NOW, .red_up = true,
                             .pool = pool};
    return export_render_image(&job, s);
}

static void check_scene(const char *path, struct pool *const *pools, size_t npools)
{
    struct err err;
    struct scene_env env = app_scene_env(&test_app);
    struct scene *s = scene_load(path, &env, &err);
    if (!s)
        fail_msg("%s", err.msg);
    cairo_surface_t *one = draw_with(s, pools[0]);
    for (size_t i = 1; i < npools; i++) {
        cairo_surface_t *img = draw_with(s, pools[i]);
        size_t differ = image_count_diff(one, img, 0, NULL);
        if (differ)
            fail_msg("%s: %zu pixels differ between 1 and %u threads", path, differ,
                     pool_size(pools[i]));
        cairo_surface_destroy(img);
    }
    /* the PNG of the last pool, decoded by libpng */
    char *png = xasprintf("%s/threads-%s.png", test_out_dir(), s->name);
    if (!export_png_write(one, png, 1, pools[npools - 1], &err))
        fail_msg("%s", err.msg);
    cairo_surface_t *back = cairo_image_surface_create_from_png(png);
    assert_int_equal(cairo_surface_status(back), CAIRO_STATUS_SUCCESS);
    cairo_surface_t *rgb = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(rgb);
    cairo_set_source_surface(cr, back, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    size_t differ = image_count_diff(one, rgb, 0, NULL);
    if (differ)
        fail_msg("%s: %zu pixels differ after the PNG round trip", png, differ);
    remove(png);
    free(png);
    cairo_surface_destroy(rgb);
    cairo_surface_destroy(back);
    cairo_surface_destroy(one);
    scene_destroy(s);
}

static void test_same_for_every_n(void **state)
{
    struct pool *pools[] = {pool_new(1), pool_new(2), pool_new(4)};
    DIR *d = opendir("scenes");
    assert_non_null(d);
    struct dirent *e;
    size_t n = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        char *path = xasprintf("scenes/%s", e->d_name);
        check_scene(path, pools, ARRAY_LEN(pools));
        free(path);
        n++;
    }
    closedir(d);
    assert_true(n >= 10);
    for (size_t i = 0; i < ARRAY_LEN(pools); i++)
        pool_destroy(pools[i]);
}

/* The pool runs every task once, and from as many workers as it has. */
static void count_task(void *arg, size_t i, unsigned worker)
{
    unsigned *hits = arg;
    __atomic_add_fetch(&hits[i], 1, __ATOMIC_RELAXED);
    __atomic_or_fetch(&hits[1000], 1u << worker, __ATOMIC_RELAXED);
}

static void test_pool_runs_each_task_once(void **state)
{
    struct pool *p = pool_new(3);
    assert_int_equal(pool_size(p), 3);
    for (int round = 0; round < 50; round++) {
        unsigned hits[1001] = {0};
        pool_run(p, 1000, count_task, hits);
        for (size_t i = 0; i < 1000; i++)
            assert_int_equal(hits[i], 1);
        assert_true(hits[1000] != 0 && hits[1000] < 8u);
    }
    pool_destroy(p);
    assert_true(pool_default_size() >= 1);
    assert_int_equal(pool_size(NULL), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_runs_each_task_once),
        cmocka_unit_test(test_same_for_every_n),
    };
    return cmocka_run_group_tests(tests, test_app_setup, test_app_teardown);
}
