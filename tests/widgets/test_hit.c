/* Hit tests against pixels: for each case, a widget test scene (the ones
 * the golden images use) is drawn twice at 1920×1080, once as it is and
 * once with the panel's `highlight` on one item. The pixels that change
 * are where that item is drawn, found without the widget's hit code; the
 * test then asks compose_hit at those pixels and expects the item's row,
 * and at a point in a gap (given per case) expects none. */
#include "common.h"
#include "output/compose.h"
#include "output/export.h"
#include "render/theme.h"
#include "widgets/widget.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 1920
#define H 1080
#define LEVELS 16     /* a pixel "changes" by more than this in a channel */
#define SAMPLES 400   /* changed pixels asked per case, spread evenly */
#define MIN_SHARE 0.97 /* of them must hit the item */

struct hit_case {
    const char *scene;  /* tests/scenes/NAME.json */
    const char *panel;  /* panel id */
    const char *item;   /* the highlight value: a label, category or code */
    double gap_x, gap_y; /* a gap, as fractions of the panel's rectangle */
};

static const struct hit_case cases[] = {
    {"widget_ranking", "va_growth", "禹州市", 0.5, 0.97},
    {"widget_ranking", "va_value", "魏都区", 0.5, 0.97},
    {"widget_ranking", "fai_negative", "长葛市", 0.5, 0.97},
    /* a scrolled table's visible rows; the header is no row */
    {"widget_table", "projects", "钧瓷文化产业园", 0.5, 0.14},
    {"widget_table", "lagging", "禹州中药材加工物流园", 0.5, 0.9},
    {"widget_table", "sectors", "发制品", 0.5, 0.16},
    {"widget_progress", "projects", "钧瓷文化产业园", 0.5, 0.995},
    {"widget_progress", "targets", "禹州市", 0.5, 0.995},
    /* bars: grouped, stacked, both orientations; gaps between and beyond */
    {"widget_bar", "count", "禹州市", 0.198, 0.83},
    {"widget_bar", "stacked", "禹州市", 0.707, 0.83},
    {"widget_bar", "sectors", "发制品", 0.874, 0.898},
    {"widget_bar", "gdp", "禹州市", 0.963, 0.658},
    {"widget_bar", "growth", "禹州市", 0.617, 0.369},
    /* 3D bars: every series of the county, nearer bars covering farther */
    {"widget_bar3d", "growth_matrix", "禹州市", 0.114, 0.23},
    {"widget_bar3d", "negative", "禹州市", 0.088, 0.235},
    {"widget_bar3d", "gdp_value", "禹州市", 0.31, 0.363},
    {"widget_bar3d", "sectors", "禹州市", 0.1, 0.3},
    /* heat maps: a whole row of cells; labels and legends are no cell */
    {"widget_heatmap", "region_index", "禹州", 0.346, 0.893},
    {"widget_heatmap", "fixed_scale", "禹州", 0.55, 0.92},
    {"widget_heatmap", "assessment", "禹州", 0.089, 0.523},
    /* maps by district code: flat, under clusters and heat, extruded */
    {"widget_map", "choropleth", "411081", 0.187, 0.32},
    {"widget_map", "clusters", "411081", 0.079, 0.32},
    {"widget_map", "heat", "411081", 0.164, 0.32},
    {"widget_map", "extrude", "411081", 0.1, 0.25},
    /* rings: a slice, a completion ring; the hole is none */
    {"widget_ring", "sectors", "发制品", 0.317, 0.538},
    {"widget_ring", "districts", "禹州市", 0.36, 0.548},
    /* funnels: a band between its slanted sides; the conversion column is none */
    {"widget_funnel", "lifecycle", "处置", 0.97, 0.55},
    {"widget_funnel", "districts", "411081", 0.03, 0.5},
    /* wall cards: a whole card; the gap between rows is none */
    {"widget_walls", "fleet", "411081", 0.5, 0.5},
    /* a rose's petal out of the hole; the hole is none */
    {"widget_rose", "categories", "政策兑现", 0.5, 0.55},
    {"widget_rose", "units", "市科技局", 0.05, 0.5},
    /* a radar's profile along its outline; the empty corner is none */
    {"widget_radar", "ranks", "长葛", 0.05, 0.5},
    {"widget_radar", "many", "鄢陵", 0.04, 0.9},
};

/* Widgets without a highlight: a point on an item, or (item NULL) in a
 * gap, in canvas pixels read off the rendered scene. */
struct point_case {
    const char *scene, *panel;
    double x, y;
    const char *item; /* the start of the item's text, or NULL for a gap */
};

static const struct point_case points[] = {
    /* marquees at TEST_NOW: a notice, then the separator after one */
    {"widget_ticker", "marquee", 800, 136, "一般公共预算支出增速较上期回升0.2"},
    {"widget_ticker", "marquee", 930, 136, NULL},
    {"widget_ticker", "framed", 500, 289, "居民人均可支配收入增速与上期持平"},
    {"widget_ticker", "framed", 680, 289, NULL},
    {"widget_ticker", "list", 396, 611, "第三产业增加值增速较上期回升0.6"},
    {"widget_ticker", "list", 396, 949, NULL},
    {"widget_ticker", "projects", 1187, 667, "清潩河生态治理工程"},
    {"widget_ticker", "projects", 1437, 947, NULL}, /* "… 另有 11 项" */
    /* trends: a touch near a point (markers drawn or not), none far off */
    {"widget_line", "industry", 745, 230, "2024-06"},
    {"widget_line", "industry", 396, 264, NULL},
    {"widget_line", "gdp", 1680, 760, "2023-12"},
    {"widget_line", "gdp", 1530, 738, NULL},
    /* rings: a slice, a completion ring; the hole and the corners are none */
    {"widget_ring", "sectors", 330, 224, "智能电力装备"},
    {"widget_ring", "sectors", 237, 369, NULL},
    {"widget_ring", "gdp_pie", 264, 857, "第二产业增加值"},
    {"widget_ring", "gdp_pie", 40, 719, NULL},
    {"widget_ring", "rates_center", 1859, 382, "gdp"},
    {"widget_ring", "rates_center", 1556, 461, NULL},
    /* a gauge (like a KPI tile) is one item, its row 0 ("" matches any row) */
    {"widget_gauge", "gdp", 320, 400, ""},
    {"widget_gauge", "gdp", 320, 115, NULL}, /* the title strip */
    /* a counter tile is one item too: on its plates and its additions */
    {"widget_counter", "appeals", 320, 205, ""},
    {"widget_counter", "appeals", 130, 290, ""},
    {"widget_counter", "appeals", 320, 118, NULL},
};

static struct scene *load(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "tests/scenes/%s.json", name);
    struct err err = {{0}};
    struct scene_env env = app_scene_env(&test_app);
    struct scene *s = scene_load(path, &env, &err);
    if (!s)
        fail_msg("%s", err.msg);
    return s;
}

static size_t panel_index(const struct scene *s, const char *id)
{
    for (size_t i = 0; i < s->npanels; i++)
        if (strcmp(s->panels[i].id, id) == 0)
            return i;
    fail_msg("no panel %s", id);
    return 0;
}

static cairo_surface_t *draw(const struct scene *s)
{
    struct export_job job = {.scenes = (struct scene *const *)&s, .nscenes = 1, .width = W,
                             .height = H, .store = test_app.store, .now = TEST_NOW,
                             .red_up = true};
    return export_render_image(&job, s);
}

/* True when row `row` of the panel's data has a text cell that starts with
 * item (all of it, unless prefix). */
static bool row_is(const struct panel *p, long row, const char *item, bool prefix)
{
    if (row < 0)
        return false;
    struct err err = {{0}};
    struct table *src = store_get(test_app.store, p->query.source);
    struct table *t = src ? query_run(&p->query, src, &err) : NULL;
    bool is = false;
    for (size_t c = 0; t && (size_t)row < t->nrows && c < t->ncols && !is; c++) {
        char buf[256];
        const char *cell = table_cell_str(t, (size_t)row, c, buf, sizeof buf);
        is = prefix ? strncmp(cell, item, strlen(item)) == 0 : strcmp(cell, item) == 0;
    }
    table_unref(t);
    table_unref(src);
    return is;
}

static bool changed(cairo_surface_t *a, cairo_surface_t *b, int x, int y)
{
    int stride = cairo_image_surface_get_stride(a);
    uint32_t pa = *(uint32_t *)(cairo_image_surface_get_data(a) + y * stride + x * 4);
    uint32_t pb = *(uint32_t *)(cairo_image_surface_get_data(b) + y * stride + x * 4);
    for (int sh = 0; sh < 24; sh += 8) {
        int d = (int)((pa >> sh) & 0xff) - (int)((pb >> sh) & 0xff);
        if (d > LEVELS || d < -LEVELS)
            return true;
    }
    return false;
}

/* The row compose_hit finds at (x, y) of a 1920×1080 canvas, asked on a
 * canvas `scale` times as large at the same place. */
static long hit_scaled(const struct scene *s, struct render *r, size_t panel, double x, double y,
                       int scale)
{
    struct compose_hit h;
    bool on = compose_hit(s, test_app.store, r, W * scale, H * scale, x * scale, y * scale, &h);
    assert_true(on);
    assert_int_equal(h.panel, panel);
    assert_true((h.row >= 0) == (h.data != NULL)); /* the rows it found them in, for a drill */
    compose_hit_release(&h);
    return h.row;
}

static long hit_at(const struct scene *s, struct render *r, size_t panel, double x, double y)
{
    return hit_scaled(s, r, panel, x, y, 1);
}

/* True when the pixel's centre hits the item, or, for a pixel on the
 * antialiased rim of the item's drawing, the centre of a neighbour does. */
static bool pixel_hits(const struct scene *s, struct render *r, size_t pi, int x, int y,
                       const char *item)
{
    static const int near[5][2] = {{0, 0}, {1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    for (int k = 0; k < 5; k++)
        if (row_is(&s->panels[pi], hit_at(s, r, pi, x + near[k][0] + 0.5, y + near[k][1] + 0.5),
                   item, false))
            return true;
    return false;
}

/* The item's pixels all hit its row (but for a few on its edges). */
static void check_item(const struct scene *s, struct render *r, size_t pi, cairo_surface_t *plain,
                       cairo_surface_t *lit, const char *item)
{
    struct rect b = scene_panel_rect(s, NULL, pi, W, H);
    size_t n = 0, good = 0;
    for (int y = (int)b.y; y < (int)(b.y + b.h); y++)
        for (int x = (int)b.x; x < (int)(b.x + b.w); x++)
            n += changed(plain, lit, x, y);
    if (n == 0)
        fail_msg("%s: highlighting %s changed no pixel", s->panels[pi].id, item);
    size_t step = n / SAMPLES + 1, k = 0, asked = 0;
    for (int y = (int)b.y; y < (int)(b.y + b.h); y++)
        for (int x = (int)b.x; x < (int)(b.x + b.w); x++) {
            if (!changed(plain, lit, x, y) || k++ % step)
                continue;
            asked++;
            if (pixel_hits(s, r, pi, x, y, item))
                good++;
            else if (asked - good < 4)
                print_message("%s %s: (%d, %d) hits row %ld\n", s->panels[pi].id, item, x, y,
                              hit_at(s, r, pi, x + 0.5, y + 0.5));
        }
    print_message("%s %s: %zu of %zu item pixels hit it\n", s->panels[pi].id, item, good, asked);
    assert_true((double)good >= MIN_SHARE * (double)asked);
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct hit_case *c = &cases[i];
        struct scene *s = load(c->scene);
        size_t pi = panel_index(s, c->panel);
        struct panel *p = &s->panels[pi];
        cairo_surface_t *plain = draw(s);
        if (!p->options)
            p->options = json_object();
        json_object_set_new(p->options, "highlight", json_string(c->item));
        cairo_surface_t *lit = draw(s);
        struct render r;
        render_init(&r, theme_find(s->theme), TEST_NOW);
        r.red_up = true;
        check_item(s, &r, pi, plain, lit, c->item);
        struct rect b = scene_panel_rect(s, NULL, pi, W, H);
        double gx = b.x + b.w * c->gap_x, gy = b.y + b.h * c->gap_y;
        assert_false(changed(plain, lit, (int)gx, (int)gy));
        long row = hit_at(s, &r, pi, gx, gy);
        render_finish(&r);
        if (row != -1)
            fail_msg("%s: the gap (%.0f, %.0f) hits row %ld", c->panel, gx, gy, row);
        cairo_surface_destroy(plain);
        cairo_surface_destroy(lit);
        scene_destroy(s);
    }
}

static void test_points(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof points / sizeof points[0]; i++) {
        const struct point_case *c = &points[i];
        struct scene *s = load(c->scene);
        size_t pi = panel_index(s, c->panel);
        struct render r;
        render_init(&r, theme_find(s->theme), TEST_NOW);
        long row = hit_at(s, &r, pi, c->x, c->y);
        /* at 3840×2160 the same place holds the same item */
        assert_int_equal(hit_scaled(s, &r, pi, c->x, c->y, 2), row);
        render_finish(&r);
        if (c->item ? !row_is(&s->panels[pi], row, c->item, true) : row != -1)
            fail_msg("%s (%.0f, %.0f): row %ld, want %s", c->panel, c->x, c->y, row,
                     c->item ? c->item : "none");
        scene_destroy(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_points),
    };
    return cmocka_run_group_tests(tests, test_app_setup, test_app_teardown);
}
