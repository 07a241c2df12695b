/* Bindings over tables: filters, "$latest", grouping, sorting, limits, and
 * the message when a column is missing. */
#include "common.h"
#include "data/catalog.h"
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
    q.filters[0] = (struct query_filter){
        .column = xstrdup("period"), .values = xcalloc(1, sizeof(char *)), .nvalues = 1};
    q.filters[0].values[0] = xstrdup(QUERY_LATEST);
    q.filters[1] = (struct query_filter){
        .column = xstrdup("region"), .values = xcalloc(1, sizeof(char *)), .nvalues = 1};
    q.filters[1].values[0] = xstrdup("A");
    struct err err;
    struct table *out = query_run(&q, t, &err);
    assert_int_equal(out->nrows, 1);
    assert_true(table_num(out, 0, 1) == 3);
    table_unref(out);
    query_finish(&q);
    table_unref(t);
}

/* {"within": code}: a region takes itself and the regions under it. */
static void test_within_region(void **state)
{
    const char *names[] = {"region", "value"};
    enum col_type types[] = {COL_TEXT, COL_NUMBER};
    struct table *t = table_new("t", 2, names, types);
    const char *codes[] = {"411000", "411002", "411081", "411100", "410000", "4110"};
    for (size_t i = 0; i < ARRAY_LEN(codes); i++) {
        size_t r = table_add_row(t);
        table_set_text(t, r, 0, codes[i]);
        table_set_num(t, r, 1, (double)i);
    }
    static const struct {
        const char *region;
        size_t n;
    } cases[] = {{"411000", 3}, {"411081", 1}, {"410000", 5}, {"419900", 0}};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct query q = make(NULL, NULL, 0);
        q.filters = xcalloc(1, sizeof *q.filters);
        q.nfilters = 1;
        q.filters[0] = (struct query_filter){.column = xstrdup("region"),
                                             .values = xcalloc(1, sizeof(char *)), .nvalues = 1,
                                             .within = true};
        q.filters[0].values[0] = xstrdup(cases[i].region);
        struct err err;
        struct table *out = query_run(&q, t, &err);
        if (out->nrows != cases[i].n)
            fail_msg("within %s: %zu rows, want %zu", cases[i].region, out->nrows, cases[i].n);
        table_unref(out);
        query_finish(&q);
    }
    table_unref(t);
}

/* {"within": code} over a column of region names: a name is the regions
 * table's (by name, else the county whose short name it holds); a row of no
 * region belongs to the top region's view only. */
static void test_within_region_names(void **state)
{
    const char *rn[] = {"code", "name", "short_name", "kind"};
    enum col_type rt[] = {COL_TEXT, COL_TEXT, COL_TEXT, COL_TEXT};
    struct table *regions = table_new("regions", 4, rn, rt);
    const char *rows[][4] = {{"411000", "许昌市", "许昌", "city"},
                             {"411081", "禹州市", "禹州", "district"},
                             {"411071", "许昌经济技术开发区", "经开区", "zone"}};
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        size_t r = table_add_row(regions);
        for (size_t c = 0; c < 4; c++)
            table_set_text(regions, r, c, rows[i][c]);
    }
    const char *names[] = {"region", "value"};
    enum col_type types[] = {COL_TEXT, COL_NUMBER};
    struct table *t = table_new("t", 2, names, types);
    const char *cells[] = {"禹州市", "许昌经开区", "许昌市", "", "某某县"};
    for (size_t i = 0; i < ARRAY_LEN(cells); i++) {
        size_t r = table_add_row(t);
        table_set_text(t, r, 0, *cells[i] ? cells[i] : NULL);
        table_set_num(t, r, 1, (double)i);
    }
    static const struct {
        const char *region;
        size_t n;
    } cases[] = {{"411000", 5}, {"411081", 1}, {"411071", 1}};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct query q = make("region", &cases[i].region, 1);
        q.filters[0].within = true;
        struct err err;
        struct table *out = query_run_regions(&q, t, regions, &err);
        if (out->nrows != cases[i].n)
            fail_msg("within %s: %zu rows, want %zu", cases[i].region, out->nrows, cases[i].n);
        table_unref(out);
        query_finish(&q);
    }
    table_unref(t);
    table_unref(regions);
}

/* "#" without group_by counts the whole: one row, 0 over no rows. */
static void test_count_whole(void **state)
{
    struct table *t = sample();
    static const struct {
        const char *region;
        double n;
    } cases[] = {{"A", 3}, {"nowhere", 0}};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct query q = make("region", &cases[i].region, 1);
        free(q.fields[1].column);
        q.fields[1].column = xstrdup(QUERY_COUNT);
        struct err err;
        struct table *out = query_run(&q, t, &err);
        assert_int_equal(out->nrows, 1);
        if (table_num(out, 0, 1) != cases[i].n)
            fail_msg("%s: count %g, want %g", cases[i].region, table_num(out, 0, 1), cases[i].n);
        table_unref(out);
        query_finish(&q);
    }
    table_unref(t);
}

/* A quarterly and a monthly indicator in one table, as indicator_values. */
static struct table *mixed(void)
{
    const char *names[] = {"indicator", "period", "value"};
    enum col_type types[] = {COL_TEXT, COL_PERIOD, COL_NUMBER};
    struct table *t = table_new("t", 3, names, types);
    const char *rows[][3] = {
        {"gdp", "2024-06", "1"},    {"gdp", "2024-09", "2"},    {"retail", "2024-06", "3"},
        {"retail", "2024-08", "4"}, {"retail", "2024-09", "5"}, {"retail", "2024-10", "6"},
    };
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        size_t r = table_add_row(t);
        for (size_t c = 0; c < 3; c++)
            table_set_text(t, r, c, rows[i][c]);
    }
    return t;
}

/* The values of the query's "value" role, as "1,2,3" (its label: the indicator). */
static const char *values_of(struct query *q, const struct table *t, char *buf, size_t len)
{
    free(q->fields[0].column);
    q->fields[0].column = xstrdup("indicator");
    struct err err;
    struct table *out = query_run(q, t, &err);
    assert_non_null(out);
    buf[0] = '\0';
    for (size_t r = 0; r < out->nrows; r++)
        snprintf(buf + strlen(buf), len - strlen(buf), "%s%g", r ? "," : "", table_num(out, r, 1));
    table_unref(out);
    return buf;
}

/* "$latest" per indicator, as the scene loader makes it from the catalog's keys. */
static void per_indicator(struct query *q)
{
    q->filters[0].per = xcalloc(1, sizeof(char *));
    q->filters[0].per[0] = xstrdup("indicator");
    q->filters[0].nper = 1;
}

static void test_latest_per_key(void **state)
{
    struct table *t = mixed();
    const char *latest[] = {QUERY_LATEST};
    struct query q = make("period", latest, 1);
    char buf[64];
    /* over the whole table: the quarterly indicator drops out */
    assert_string_equal(values_of(&q, t, buf, sizeof buf), "6");
    /* per indicator: each its own latest */
    per_indicator(&q);
    assert_string_equal(values_of(&q, t, buf, sizeof buf), "2,6");
    /* a key column the source lacks is a located error, not a silent split */
    free(q.filters[0].per[0]);
    q.filters[0].per[0] = xstrdup("region");
    struct err err;
    assert_null(query_run(&q, t, &err));
    assert_string_equal(err.msg, "source t has no column region");
    query_finish(&q);
    table_unref(t);
}

static void test_until_bounds_latest_and_trends(void **state)
{
    struct table *t = mixed();
    const char *latest[] = {QUERY_LATEST};
    struct query q = make("period", latest, 1);
    per_indicator(&q);
    char buf[64];
    q.until = xstrdup("2024-08");
    assert_string_equal(values_of(&q, t, buf, sizeof buf), "1,4"); /* at or before */
    free(q.until);
    q.until = xstrdup("2024-06");
    assert_string_equal(values_of(&q, t, buf, sizeof buf), "1,3"); /* the bound itself */
    free(q.until);
    q.until = xstrdup("2023-12");
    assert_string_equal(values_of(&q, t, buf, sizeof buf), "");    /* nothing that old */
    query_finish(&q);

    /* a trend (no "$latest") ends at the chosen period */
    struct query trend = make(NULL, NULL, 0);
    trend.until = xstrdup("2024-08");
    assert_string_equal(values_of(&trend, t, buf, sizeof buf), "1,3,4");
    query_finish(&trend);
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

/* Every way a new table gets its columns (from the catalog, like another
 * table, a clone, a query's roles, sorted) keeps them all, in order, with
 * their types: no fixed-size arrays of names (a 16-column limit once read
 * past the end of one). */
static void test_wide_tables(void **state)
{
    (void)state;
    enum { N = 40 };
    struct catalog_column cols[N];
    char names[N][16];
    struct query_field fields[N];
    for (size_t c = 0; c < N; c++) {
        snprintf(names[c], sizeof names[c], "c%02zu", c);
        cols[c] = (struct catalog_column){.name = names[c], .type = c % 3 ? COL_NUMBER : COL_TEXT};
        fields[c] = (struct query_field){.role = names[N - 1 - c], .column = names[c]};
    }
    struct catalog_table def = {.name = (char *)"wide", .ncols = N, .cols = cols};
    struct table *t = catalog_table_new(&def);
    for (size_t r = 0; r < 3; r++) {
        size_t row = table_add_row(t);
        for (size_t c = 0; c < N; c++)
            table_set_num(t, row, c, (double)(r * 100 + c));
    }
    t->version = 7;
    struct query q = {.source = (char *)"wide", .fields = fields, .nfields = N,
                      .sort_by = names[N - 1], .sort_desc = true};
    struct err err;
    struct table *like = table_new_like(t), *clone = table_clone(t), *res = query_run(&q, t, &err);
    assert_non_null(res);
    struct table *all[] = {t, like, clone, res};
    for (size_t k = 0; k < ARRAY_LEN(all); k++) {
        assert_int_equal(all[k]->ncols, N);
        assert_int_equal(all[k]->version, 7);
        for (size_t c = 0; c < N; c++) {
            /* the query's roles run backwards over the columns */
            assert_string_equal(all[k]->cols[c].name, names[k == 3 ? N - 1 - c : c]);
            assert_int_equal(all[k]->cols[c].type, cols[c].type);
        }
    }
    assert_int_equal(like->nrows, 0);
    assert_int_equal(clone->nrows, 3);
    assert_int_equal(res->nrows, 3);
    assert_string_equal(table_text(clone, 2, 39), "239");
    assert_string_equal(table_text(res, 0, 0), "200"); /* sorted by c00 (role c39), descending */
    for (size_t k = 0; k < ARRAY_LEN(all); k++)
        table_unref(all[k]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latest_filter),
        cmocka_unit_test(test_in_group_sort_limit),
        cmocka_unit_test(test_latest_after_other_filters),
        cmocka_unit_test(test_within_region),
        cmocka_unit_test(test_count_whole),
        cmocka_unit_test(test_within_region_names),
        cmocka_unit_test(test_latest_per_key),
        cmocka_unit_test(test_until_bounds_latest_and_trends),
        cmocka_unit_test(test_missing_column),
        cmocka_unit_test(test_text_in_number_column),
        cmocka_unit_test(test_wide_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
