/* Bindings over tables: filters, "$latest", grouping, sorting, limits, and
 * the message when a column is missing. */
#include "common.h"
#include "data/query.h"
#include "util/util.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static struct table *sample(void)
{
    const char *names[] = {"region", "period", "value"};
    enum col_type types[] = {COL_TEXT, COL_PERIOD, COL_NUMBER};
    struct table *t = table_new("t", 3, names, types);
    const char *rows[][3] = {
        {"A", "2024-09", "1"}, {"B", "2024-09", "2"}, {"A", "2024-10", "3"},
        {"B", "2024-10", "4"}, {"C", "2024-10", NULL}, {"A", "2024-08", "5"},
    };
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        size_t r = table_add_row(t);
        for (size_t c = 0; c < 3; c++)
            table_set_text(t, r, c, rows[i][c]);
    }
    return t;
}

static struct query make(const char *filter_col, const char *const *values, size_t nv)
{
    struct query q = {0};
    q.source = xstrdup("t");
    if (filter_col) {
        q.filters = xcalloc(1, sizeof *q.filters);
        q.nfilters = 1;
        q.filters[0].column = xstrdup(filter_col);
        q.filters[0].values = xcalloc(nv, sizeof(char *));
        for (size_t i = 0; i < nv; i++)
            q.filters[0].values[i] = xstrdup(values[i]);
        q.filters[0].nvalues = nv;
    }
    q.fields = xcalloc(2, sizeof *q.fields);
    q.fields[0] = (struct query_field){xstrdup("label"), xstrdup("region")};
    q.fields[1] = (struct query_field){xstrdup("value"), xstrdup("value")};
    q.nfields = 2;
    return q;
}

static void test_latest_filter(void **state)
{
    struct table *t = sample();
    const char *latest[] = {QUERY_LATEST};
    struct query q = make("period", latest, 1);
    struct err err;
    struct table *out = query_run(&q, t, &err);
    assert_non_null(out);
    assert_int_equal(out->nrows, 3);
    assert_string_equal(table_text(out, 0, 0), "A");
    assert_true(table_num(out, 1, 1) == 4);
    assert_true(table_is_null(out, 2, 1)); /* NULL stays NULL, not 0 */
    table_unref(out);
    query_finish(&q);
    table_unref(t);
}

static void test_in_group_sort_limit(void **state)
{
    struct table *t = sample();
    const char *in[] = {"A", "B"};
    struct query q = make("region", in, 2);
    q.group_by = xstrdup("label");
    q.sort_by = xstrdup("value");
    q.sort_desc = true;
    q.limit = 1;
    struct err err;
    struct table *out = query_run(&q, t, &err);
    assert_non_null(out);
    assert_int_equal(out->nrows, 1);
    assert_string_equal(table_text(out, 0, 0), "A"); /* A: 1 + 3 + 5 = 9 > B: 6 */
    assert_true(table_num(out, 0, 1) == 9);
    table_unref(out);
    query_finish(&q);
    table_unref(t);
}

static void test_latest_after_other_filters(void **state)
{
    /* "$latest" is resolved over the rows the other filters keep, whatever
     * the order of the filters */
    struct table *t = sample();
    struct query q = make(NULL, NULL, 0);
    q.filters = xcalloc(2, sizeof *q.filters);
    q.nfilters = 2;
    q.filters[0] = (struct query_filter){xstrdup("period"), xcalloc(1, sizeof(char *)), 1};
    q.filters[0].values[0] = xstrdup(QUERY_LATEST);
    q.filters[1] = (struct query_filter){xstrdup("region"), xcalloc(1, sizeof(char *)), 1};
    q.filters[1].values[0] = xstrdup("A");
    struct err err;
    struct table *out = query_run(&q, t, &err);
    assert_int_equal(out->nrows, 1);
    assert_true(table_num(out, 0, 1) == 3);
    table_unref(out);
    query_finish(&q);
    table_unref(t);
}

static void test_missing_column(void **state)
{
    struct table *t = sample();
    struct query q = make(NULL, NULL, 0);
    free(q.fields[1].column);
    q.fields[1].column = xstrdup("amount");
    struct err err;
    assert_null(query_run(&q, t, &err));
    assert_string_equal(err.msg, "source t has no column amount");
    query_finish(&q);
    table_unref(t);
}

static void test_text_in_number_column(void **state)
{
    const char *names[] = {"v"};
    enum col_type types[] = {COL_NUMBER};
    struct table *t = table_new("n", 1, names, types);
    size_t r = table_add_row(t);
    table_set_text(t, r, 0, "abc");
    assert_false(table_is_null(t, r, 0));
    assert_true(isnan(table_num(t, r, 0)));
    table_unref(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latest_filter),
        cmocka_unit_test(test_in_group_sort_limit),
        cmocka_unit_test(test_latest_after_other_filters),
        cmocka_unit_test(test_missing_column),
        cmocka_unit_test(test_text_in_number_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
