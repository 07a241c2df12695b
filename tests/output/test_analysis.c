/* The report's 经济运行分析 (src/output/analysis.c) with the shipped wording:
 * over the demo data for the city and a county and a past period, over an
 * empty store (every sentence says its data is missing, nothing crashes),
 * and a placeholder refused with its place. */
#include "common.h"
#include "output/analysis.h"
#include "util/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct analysis *shipped(void)
{
    struct err err = {{0}};
    struct analysis *a = analysis_load("reports/analysis.json", &err);
    if (!a)
        fail_msg("%s", err.msg);
    return a;
}

/* The sections joined, for substring checks. */
static char *all_text(const struct analysis_text *t)
{
    char *s = xstrdup(t->title);
    for (size_t i = 0; i < t->nsections; i++) {
        char *n = xasprintf("%s|%s|%s", s, t->sections[i].heading, t->sections[i].text);
        free(s);
        s = n;
    }
    return s;
}

static void test_city_and_county(void **state)
{
    (void)state;
    struct analysis *a = shipped();
    struct analysis_text t;
    analysis_write(a, test_app.store, NULL, NULL, TEST_NOW, &t);
    char *s = all_text(&t);
    assert_string_equal(t.region, "许昌市");
    assert_string_equal(t.period, "2024年10月");
    assert_non_null(strstr(s, "许昌市经济运行分析|一、总体运行|"));
    assert_non_null(strstr(s, "低于全市水平的县(市、区)有魏都区（5.6%）、鄢陵县（5.4%）、长葛市（4.7%）、许昌经开区（5.2%）"));
    assert_null(strstr(s, "居全市7个县")); /* a county's sentence */
    assert_null(strstr(s, "暂无数据"));
    free(s);
    analysis_text_finish(&t);

    /* 禹州市 in 2024-06: its own figures of that period, its rank */
    analysis_write(a, test_app.store, "411081", "2024-06", TEST_NOW, &t);
    s = all_text(&t);
    assert_string_equal(t.period, "2024年6月");
    assert_non_null(strstr(s, "2024年1–6月，禹州市实现地区生产总值437.82亿元，同比增长6.9%"));
    assert_non_null(strstr(s, "居全市7个县(市、区)第"));
    assert_null(strstr(s, "低于全市水平的县(市、区)有")); /* the city's sentence */
    free(s);
    analysis_text_finish(&t);
    analysis_destroy(a);
}

static void test_no_data(void **state)
{
    (void)state;
    struct analysis *a = shipped();
    struct store *empty = store_new();
    struct analysis_text t;
    analysis_write(a, empty, "411000", "", TEST_NOW, &t);
    assert_string_equal(t.region, "—");
    assert_string_equal(t.title, "—经济运行分析");
    assert_true(t.nsections >= 5);
    for (size_t i = 0; i < t.nsections; i++) { /* every sentence says so, plainly */
        assert_non_null(strstr(t.sections[i].text, "：暂无数据。"));
        assert_null(strchr(t.sections[i].text, '{'));
    }
    analysis_text_finish(&t);
    store_destroy(empty);
    analysis_destroy(a);
}

static void test_bad_wording(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/analysis.json", test_out_dir());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"kind\": \"report-analysis\", \"version\": 1, \"title\": \"t\", \"missing\": \"{about}\","
          " \"words\": {\"up\": \"x\"}, \"sections\": []}", f);
    fclose(f);
    struct err err = {{0}};
    assert_null(analysis_load(path, &err));
    char *want = xasprintf("%s: words.down: expected a text", path);
    assert_string_equal(err.msg, want);
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_city_and_county),
        cmocka_unit_test(test_no_data),
        cmocka_unit_test(test_bad_wording),
    };
    return cmocka_run_group_tests(tests, test_app_setup, test_app_teardown);
}
