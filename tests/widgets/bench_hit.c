/* Benchmark, not a test: the cost of compose_hit on every shipped scene at
 * 3840×2160, over a grid of points across the canvas (each hit runs the
 * panel's query and its widget's layout, as a touch on the wall would).
 * Run from the source tree: build/tests/bench_hit [STEP_PX]. */
#include "common.h"
#include "output/compose.h"
#include "render/theme.h"
#include "util/util.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 3840
#define H 2160

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void bench_scene(const char *path, int step)
{
    struct err err = {{0}};
    struct scene_env env = app_scene_env(&test_app);
    struct scene *s = scene_load(path, &env, &err);
    if (!s) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    struct render r;
    render_init(&r, theme_find(s->theme), TEST_NOW);
    double total = 0, worst = 0, dts[(W / 8 + 1) * (H / 8 + 1)];
    size_t n = 0, rows = 0, worst_panel = 0;
    /* a first pass warms the text caches, as the wall's drawing has */
    for (int y = step / 2; y < H; y += step) {
        struct compose_hit h;
        compose_hit(s, test_app.store, &r, W, H, W / 2, y, &h);
        compose_hit_release(&h);
        for (int x = step / 2; x < W; x += 4 * step) {
            compose_hit(s, test_app.store, &r, W, H, x, y, &h);
            compose_hit_release(&h);
        }
    }
    for (int y = step / 2; y < H; y += step)
        for (int x = step / 2; x < W; x += step) {
            struct compose_hit h;
            double t0 = now_ms();
            compose_hit(s, test_app.store, &r, W, H, x, y, &h);
            double dt = now_ms() - t0;
            compose_hit_release(&h);
            total += dt;
            if (dt > worst)
                worst = dt, worst_panel = h.panel;
            if (n < sizeof dts / sizeof dts[0])
                dts[n] = dt;
            n++;
            rows += h.row >= 0;
        }
    qsort(dts, n, sizeof dts[0], cmp_double);
    printf("%-24s %5zu hits (%4zu on rows): mean %.3f, median %.3f, p99 %.3f, max %.3f ms (%s)\n",
           path, n, rows, total / (double)n, dts[n / 2], dts[n * 99 / 100], worst,
           s->panels[worst_panel].id);
    render_finish(&r);
    scene_destroy(s);
}

int main(int argc, char **argv)
{
    int step = argc > 1 ? atoi(argv[1]) : 60;
    step = step >= 8 ? step : 8;
    test_app_open(&test_app);
    DIR *d = opendir("scenes");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char path[512];
        if (!strstr(e->d_name, ".json"))
            continue;
        snprintf(path, sizeof path, "scenes/%s", e->d_name);
        bench_scene(path, step);
    }
    if (d)
        closedir(d);
    app_close(&test_app);
    return 0;
}
