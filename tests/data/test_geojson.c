/* The GeoJSON loader: Polygon and MultiPolygon with holes, a configurable
 * code property, a real-world file nobody here wrote (Natural Earth via
 * world-geo-json-zh, tests/data/world.zh.README.md), and every kind of bad
 * input with its exact message: a refused file, or a feature skipped or
 * kept with a recorded problem. */
#include "common.h"
#include "data/geojson.h"
#include "util/util.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define SQUARE(x0, y0, x1, y1) \
    "[[" #x0 "," #y0 "],[" #x1 "," #y0 "],[" #x1 "," #y1 "],[" #x0 "," #y1 "],[" #x0 "," #y0 "]]"
#define FEATURE(props, geom) "{\"type\":\"Feature\",\"properties\":" props ",\"geometry\":" geom "}"
#define FC(features) "{\"type\":\"FeatureCollection\",\"features\":[" features "]}"

static struct geo_map *geo_text(const char *text, struct err *err)
{
    return geo_parse("t.geojson", text, strlen(text), "adcode", "name", err);
}

static void test_polygons_and_holes(void **state)
{
    struct err err = {{0}};
    struct geo_map *m = geo_text(
        FC(FEATURE("{\"adcode\":\"411002\",\"name\":\"魏都区\"}",
                   "{\"type\":\"Polygon\",\"coordinates\":[" SQUARE(0, 0, 10, 10) "," SQUARE(4, 4, 6, 6) "]}") ","
           FEATURE("{\"adcode\":411003}",
                   "{\"type\":\"MultiPolygon\",\"coordinates\":[[" SQUARE(20, 0, 22, 2) "],[" SQUARE(30, 0, 32, 2) "]]}")),
        &err);
    assert_non_null(m);
    assert_int_equal(m->n, 2);
    assert_int_equal(m->nproblems, 0);
    assert_string_equal(m->features[0].code, "411002");
    assert_string_equal(m->features[0].name, "魏都区");
    assert_string_equal(m->features[1].code, "411003"); /* integer codes as text */
    assert_string_equal(m->features[1].name, "411003"); /* no name: the code */
    assert_int_equal(m->features[0].polys[0].nrings, 2);
    assert_int_equal(m->features[1].npolys, 2);
    assert_true(m->bbox[0] == 0 && m->bbox[1] == 0 && m->bbox[2] == 32 && m->bbox[3] == 10);
    /* the hole is outside; the second part of the multipolygon is inside */
    assert_true(geo_feature_contains(&m->features[0], 2, 2));
    assert_false(geo_feature_contains(&m->features[0], 5, 5));
    assert_int_equal(geo_locate(m, 31, 1), 1);
    assert_int_equal(geo_locate(m, 25, 1), -1);
    assert_int_equal(geo_find(m, "411003"), 1);
    assert_int_equal(geo_find(m, "411099"), -1);
    geo_destroy(m);
}

static void test_refused_files(void **state)
{
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {"{\"type\":\"FeatureCollection\",\"features\":[", "t.geojson:1:40: ']' expected near end of file"},
        {"[1,2]", "t.geojson: expected a GeoJSON FeatureCollection or Feature"},
        {"{\"type\":\"Topology\"}", "t.geojson: expected a GeoJSON FeatureCollection or Feature"},
        {"{\"type\":\"FeatureCollection\",\"features\":{}}", "t.geojson: features: expected an array"},
        {FC(""), "t.geojson: no drawable feature"},
        {FC(FEATURE("{\"adcode\":\"1\"}", "null")),
         "t.geojson: no drawable feature (t.geojson: features[0].geometry: empty geometry (null))"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct err err = {{0}};
        struct geo_map *m = geo_text(cases[i].text, &err);
        assert_null(m);
        assert_string_equal(err.msg, cases[i].msg);
    }
    struct err err = {{0}};
    assert_null(geo_load("tests/data/no-such.geojson", "adcode", "name", &err));
    assert_string_equal(err.msg, "tests/data/no-such.geojson: No such file or directory");
}

/* One good feature keeps the file; the bad one is skipped or kept and its
 * problem recorded. */
static void test_feature_problems(void **state)
{
    static const struct {
        const char *bad, *msg;
        size_t kept;
    } cases[] = {
        {FEATURE("{\"adcode\":\"2\"}", "{\"type\":\"Polygon\",\"coordinates\":[]}"),
         "t.geojson: features[1].geometry.coordinates: empty geometry (no coordinates)", 1},
        {FEATURE("{\"adcode\":\"2\"}", "{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}"),
         "t.geojson: features[1].geometry.type: unsupported geometry type \"LineString\" (Polygon or MultiPolygon)", 1},
        {FEATURE("{\"adcode\":\"2\"}", "{\"type\":\"Polygon\",\"coordinates\":[" SQUARE(170, 0, 200, 10) "]}"),
         "t.geojson: features[1].geometry.coordinates[0][1]: coordinate out of range: [200, 0] (lon -180..180, lat -90..90)", 1},
        {FEATURE("{\"adcode\":\"2\"}", "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1],[0,0]]]}"),
         "t.geojson: features[1].geometry.coordinates[0]: a ring needs at least 4 positions, found 3", 1},
        {FEATURE("{\"adcode\":\"2\"}", "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[\"a\",1],[1,0],[0,0]]]}"),
         "t.geojson: features[1].geometry.coordinates[0][1]: expected a position [lon, lat]", 1},
        {FEATURE("{\"name\":\"无编码\"}", "{\"type\":\"Polygon\",\"coordinates\":[" SQUARE(20, 0, 22, 2) "]}"),
         "t.geojson: features[1].properties: no district code \"adcode\": drawn without data", 2},
        {FEATURE("{\"adcode\":\"2\"}", "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}"),
         "t.geojson: features[1].geometry.coordinates[0]: ring crosses itself (drawn with the even-odd rule)", 2},
        {"{\"type\":\"Point\"}", "t.geojson: features[1]: expected a Feature object", 1},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *text = xasprintf(FC(FEATURE("{\"adcode\":\"1\"}", "{\"type\":\"Polygon\",\"coordinates\":[" SQUARE(0, 0, 1, 1) "]}") ",%s"),
                               cases[i].bad);
        struct err err = {{0}};
        struct geo_map *m = geo_text(text, &err);
        if (!m)
            fail_msg("case %zu: %s", i, err.msg);
        assert_int_equal(m->n, cases[i].kept);
        assert_int_equal(m->nproblems, 1);
        assert_string_equal(m->problems[0], cases[i].msg);
        geo_destroy(m);
        free(text);
    }
}

static void test_self_intersection(void **state)
{
    static const double square[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
    static const double bowtie[] = {0, 0, 1, 1, 1, 0, 0, 1, 0, 0};
    static const double spike[] = {0, 0, 4, 0, 4, 4, 2, 0, 0, 4, 0, 0}; /* touches the bottom edge */
    assert_false(geo_ring_self_intersects(square, 5));
    assert_true(geo_ring_self_intersects(bowtie, 5));
    assert_true(geo_ring_self_intersects(spike, 6));
    double cx, cy;
    assert_true(fabs(geo_ring_centroid(square, 5, &cx, &cy) - 1) < 1e-12);
    assert_true(fabs(cx - 0.5) < 1e-12 && fabs(cy - 0.5) < 1e-12);
}

/* A circle of n positions (closed: the last repeats the first). */
static double *circle(size_t n)
{
    double *xy = xmalloc(2 * n * sizeof *xy);
    for (size_t i = 0; i + 1 < n; i++) {
        xy[2 * i] = 113.8 + 0.5 * cos(2 * M_PI * (double)i / (double)(n - 1));
        xy[2 * i + 1] = 34.0 + 0.5 * sin(2 * M_PI * (double)i / (double)(n - 1));
    }
    xy[2 * (n - 1)] = xy[0], xy[2 * (n - 1) + 1] = xy[1];
    return xy;
}

/* A district border of 50,000 positions is checked, and a crossing in it
 * found (rings of more than 4096 positions used to go unchecked). */
static void test_self_intersection_large_ring(void **state)
{
    size_t n = 50000;
    double *xy = circle(n);
    assert_false(geo_ring_self_intersects(xy, n));
    /* two neighbours swapped: the ring crosses itself there */
    double t[2] = {xy[2 * 1000], xy[2 * 1000 + 1]};
    xy[2 * 1000] = xy[2 * 1001], xy[2 * 1000 + 1] = xy[2 * 1001 + 1];
    xy[2 * 1001] = t[0], xy[2 * 1001 + 1] = t[1];
    assert_true(geo_ring_self_intersects(xy, n));
    free(xy);
}

/* The sweep compares each edge of a map's ring with a few others, not with
 * all of them; a hostile ring (every edge over the same longitudes) stops
 * at the budget. */
static void test_self_intersection_bounded(void **state)
{
    size_t n = 50000, budget = GEO_SELF_CHECK_BUDGET;
    double *xy = circle(n);
    assert_int_equal(geo_ring_check(xy, n, &budget), GEO_RING_SIMPLE);
    size_t used = GEO_SELF_CHECK_BUDGET - budget;
    if (used > 8 * n)
        fail_msg("%zu edge comparisons for a circle of %zu positions (want at most %zu)", used, n,
                 8 * n);
    /* a comb: every edge spans the same longitudes, n²/2 pairs to compare */
    for (size_t i = 0; i + 1 < n; i++) {
        xy[2 * i] = i % 2 ? 113.9 : 113.8;
        xy[2 * i + 1] = 34.0 + 1e-5 * (double)i;
    }
    xy[2 * (n - 1)] = xy[0], xy[2 * (n - 1) + 1] = xy[1];
    budget = 1000000;
    assert_int_equal(geo_ring_check(xy, n, &budget), GEO_RING_UNCHECKED);
    assert_int_equal(budget, 0);
    assert_int_equal(geo_ring_check(xy, n, &budget), GEO_RING_UNCHECKED); /* spent: at once */
    free(xy);
}

/* The review's file: many districts of 4096 positions each took 54 s to
 * load (the check was quadratic per ring). 200 of them now load at once;
 * ctest's TIMEOUT is the bound. */
static void test_many_large_rings(void **state)
{
    size_t rings = 200, n = 4096, len = 0, cap = rings * n * 40 + 4096;
    double *xy = circle(n);
    char *text = xmalloc(cap);
    len += (size_t)snprintf(text, cap, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (size_t r = 0; r < rings; r++) {
        len += (size_t)snprintf(text + len, cap - len,
                                "%s{\"type\":\"Feature\",\"properties\":{\"adcode\":\"%zu\"},"
                                "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[",
                                r ? "," : "", r);
        for (size_t i = 0; i < n; i++)
            len += (size_t)snprintf(text + len, cap - len, "%s[%.7f,%.7f]", i ? "," : "",
                                    xy[2 * i] + 0.01 * (double)r, xy[2 * i + 1]);
        len += (size_t)snprintf(text + len, cap - len, "]]}}");
    }
    snprintf(text + len, cap - len, "]}");
    struct err err = {{0}};
    double t0 = now_ms();
    struct geo_map *m = geo_text(text, &err);
    if (!m)
        fail_msg("%s", err.msg);
    assert_int_equal(m->n, rings);
    assert_int_equal(m->nproblems, 0);
    print_message("%zu rings of %zu positions: %.0f ms\n", rings, n, now_ms() - t0);
    geo_destroy(m);
    free(text);
    free(xy);
}

/* The shipped schematic map: seven districts, each a square, declared
 * schematic; the demo enterprises lie inside their own district. */
static void test_shipped_schematic(void **state)
{
    struct err err = {{0}};
    struct geo_map *m = geo_load("assets/xuchang-districts.geojson", "adcode", "name", &err);
    if (!m)
        fail_msg("%s", err.msg);
    assert_int_equal(m->n, 7);
    assert_int_equal(m->nproblems, 0);
    assert_true(m->schematic);
    assert_non_null(m->note);
    assert_true(geo_find(m, "411071") >= 0);
    geo_destroy(m);
}

/* Real-world GeoJSON (Natural Earth 1:50m admin 0, simplified, public
 * domain): 239 countries, MultiPolygons, a hole (Lesotho in South Africa). */
static void test_real_world_file(void **state)
{
    struct err err = {{0}};
    struct geo_map *m = geo_load("tests/data/world.zh.json", "iso_a3", "name", &err);
    if (!m)
        fail_msg("%s", err.msg);
    assert_int_equal(m->n, 239);
    long chn = geo_find(m, "CHN"), zaf = geo_find(m, "ZAF"), usa = geo_find(m, "USA");
    assert_true(chn >= 0 && zaf >= 0 && usa >= 0);
    assert_string_equal(m->features[chn].name, "中国");
    assert_true(m->features[usa].npolys > 1);
    assert_true(m->features[zaf].polys[0].nrings > 1);
    /* Xuchang is in China; Maseru (Lesotho) is in the hole of South Africa */
    assert_int_equal(geo_locate(m, 113.85, 34.03), chn);
    assert_false(geo_feature_contains(&m->features[zaf], 27.48, -29.31));
    assert_true(geo_feature_contains(&m->features[zaf], 28.05, -26.2)); /* Johannesburg */
    assert_true(m->bbox[0] >= -180 && m->bbox[2] <= 180);
    geo_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_polygons_and_holes),
        cmocka_unit_test(test_refused_files),
        cmocka_unit_test(test_feature_problems),
        cmocka_unit_test(test_self_intersection),
        cmocka_unit_test(test_self_intersection_large_ring),
        cmocka_unit_test(test_self_intersection_bounded),
        cmocka_unit_test(test_many_large_rings),
        cmocka_unit_test(test_shipped_schematic),
        cmocka_unit_test(test_real_world_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
