/* Every widget meets bad data: NULL, NaN, ±inf, huge and negative numbers,
 * empty, invalid UTF-8 and very long strings, one row, a thousand rows, an
 * empty table, and boxes too small to draw in. It must draw (a placeholder
 * at worst) and never crash or read out of bounds (CI runs this under
 * AddressSanitizer and UBSan). */
#include "common.h"
#include "output/compose.h"
#include "util/util.h"
#include "widgets/widget.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double bad_numbers[] = {NAN, INFINITY, -INFINITY, 1e300, -1e300, -42.5, 0, 1e-300, 7};
static const char *const bad_texts[] = {"", "\xff\xfe broken", "2024-13", "许昌市", NULL, "x"};

/* A table whose columns are the widget's roles, filled with bad values. */
static struct table *bad_table(const struct widget_spec *w, size_t rows, size_t seed)
{
    const char *names[32];
    enum col_type types[32];
    size_t n = 0;
    for (const struct role_spec *r = w->roles; r && r->name && n < 32; r++, n++) {
        names[n] = r->name;
        types[n] = r->numeric ? COL_NUMBER : COL_TEXT;
    }
    struct table *t = table_new("bad", n, names, types);
    char *longtext = xmalloc(20001);
    memset(longtext, 'W', 20000);
    longtext[20000] = '\0';
    for (size_t i = 0; i < rows; i++) {
        size_t r = table_add_row(t);
        for (size_t c = 0; c < n; c++) {
            size_t k = i * 7 + c * 3 + seed;
            if (types[c] == COL_NUMBER) {
                if (k % 11 != 10) /* leave some NULL */
                    table_set_num(t, r, c, bad_numbers[k % ARRAY_LEN(bad_numbers)]);
            } else if (k % 13 == 12) {
                table_set_text(t, r, c, longtext);
            } else {
                table_set_text(t, r, c, bad_texts[k % ARRAY_LEN(bad_texts)]);
            }
        }
    }
    free(longtext);
    return t;
}

/* A scene with one panel of widget w bound to the table "bad". */
static struct scene *one_panel_scene(const struct widget_spec *w)
{
    char fields[1024] = "";
    for (const struct role_spec *r = w->roles; r && r->name; r++) {
        char one[128];
        snprintf(one, sizeof one, "%s\"%s\":\"%s\"", *fields ? "," : "", r->name, r->name);
        strncat(fields, one, sizeof fields - strlen(fields) - 1);
    }
    char *text = xasprintf(
        "{\"kind\":\"scene\",\"version\":1,\"title\":\"坏数据\",\"design\":[1920,1080],"
        "\"grid\":{\"cols\":4,\"rows\":4},\"panels\":[{\"id\":\"p\",\"widget\":\"%s\","
        "\"title\":\"%s\",\"footnote\":\"数据来源：测试 · {period}\",\"area\":[0,0,2,2]%s%s%s}]}",
        w->name, w->name, *fields ? ",\"binding\":{\"source\":\"bad\",\"fields\":{" : "", fields,
        *fields ? "}}" : "");
    struct scene_env env = {.catalog = NULL, .widgets = widget_specs()};
    struct err err = {{0}};
    struct scene *s = scene_parse("bad.json", text, strlen(text), &env, &err);
    if (!s)
        fail_msg("%s: %s", w->name, err.msg);
    free(text);
    return s;
}

static bool drew_something(cairo_surface_t *img)
{
    cairo_surface_flush(img);
    const uint32_t *px = (const uint32_t *)cairo_image_surface_get_data(img);
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    int stride = cairo_image_surface_get_stride(img) / 4;
    uint32_t first = px[0];
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (px[y * stride + x] != first)
                return true;
    return false;
}

static void draw_panel_at(struct scene *s, struct store *store, struct rect box, bool expect_ink)
{
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 960, 540);
    cairo_t *cr = cairo_create(img);
    struct render r;
    render_init(&r, theme_find("dark"), TEST_NOW);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_paint(cr);
    compose_panel(cr, s, &s->panels[0], box, store, &r, TEST_NOW, NULL, COMPOSE_ALL);
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    if (expect_ink && !drew_something(img))
        fail_msg("%s drew nothing in %gx%g", s->panels[0].widget->name, box.w, box.h);
    render_finish(&r);
    cairo_destroy(cr);
    cairo_surface_destroy(img);
}

static void test_every_widget(void **state)
{
    app_environment();
    static const size_t row_counts[] = {0, 1, 3, 1000};
    static const struct rect boxes[] = {
        {10, 10, 900, 500}, {10, 10, 120, 60}, {10, 10, 3, 3}, {10, 10, 0, 0}, {10, 10, 2000, 40},
    };
    for (const struct widget_class *const *wc = widget_classes; *wc; wc++) {
        const struct widget_spec *w = &(*wc)->spec;
        struct scene *s = one_panel_scene(w);
        for (size_t rc = 0; rc < ARRAY_LEN(row_counts); rc++) {
            for (size_t seed = 0; seed < 3; seed++) {
                struct store *store = store_new();
                store_put(store, bad_table(w, row_counts[rc], seed));
                for (size_t b = 0; b < ARRAY_LEN(boxes); b++)
                    draw_panel_at(s, store, boxes[b], b == 0);
                store_destroy(store);
            }
        }
        /* no table at all: the source is missing */
        struct store *empty = store_new();
        draw_panel_at(s, empty, boxes[0], true);
        store_destroy(empty);
        scene_destroy(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_widget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
