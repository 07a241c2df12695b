/* --demo-replay: the demo's warnings are alive — as the simulated hours go
 * by, industry completion swings and behind-schedule warnings recover and
 * fire again, and urges keep coming. */
#include "common.h"
#include "util/util.h"
#include <string.h>

/* Firing instances of the behind-schedule rule, and urges so far. */
static void count(struct app *app, size_t *firing, double *urges)
{
    struct table *t = store_get(app->store, "warnings");
    assert_non_null(t);
    int cr = table_col(t, "rule"), cs = table_col(t, "state"), cu = table_col(t, "urges");
    *firing = 0, *urges = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *rule = table_text(t, r, (size_t)cr), *st = table_text(t, r, (size_t)cs);
        if (rule && st && !strcmp(rule, "industry-behind-schedule") && !strcmp(st, "firing"))
            (*firing)++;
        *urges += table_is_null(t, r, (size_t)cu) ? 0 : table_num(t, r, (size_t)cu);
    }
    table_unref(t);
}

static void test_warnings_move(void **state)
{
    size_t firing0, firing;
    double urges0, urges;
    count(&test_app, &firing0, &urges0);
    size_t lo = firing0, hi = firing0;
    for (int h = 0; h < 72; h++) {
        app_demo_step(&test_app, 1);
        count(&test_app, &firing, &urges);
        lo = firing < lo ? firing : lo;
        hi = firing > hi ? firing : hi;
    }
    print_message("behind-schedule warnings firing: %zu at start, between %zu and %zu over 72 "
                  "simulated hours; urges %.0f → %.0f\n", firing0, lo, hi, urges0, urges);
    assert_true(lo < hi);          /* some recovered, some fired again */
    assert_true(urges > urges0);   /* urging went on */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_warnings_move),
    };
    return cmocka_run_group_tests(tests, test_app_setup, test_app_teardown);
}
