/* The shipped demo rules against the demo data: which warnings fire, what
 * they urge, and the tables the engine publishes for the warnings scene. */
#include "common.h"
#include "util/util.h"
#include "warn/eval.h"
#include "warn/publish.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *state_of(const struct warn_states *st, const char *rule, const char *inst)
{
    const struct warn_instance *w = warn_states_find(st, rule, inst);
    return w ? warn_state_code(w->state) : "(none)";
}

static size_t count_urges(const struct warn_events *ev, const char *rule, bool escalation)
{
    size_t n = 0;
    for (size_t i = 0; i < ev->n; i++)
        n += ev->v[i].kind == WE_URGE && strcmp(ev->v[i].rule->id, rule) == 0 &&
             ev->v[i].escalation == escalation;
    return n;
}

/* warning_series: each warning's indicator over the periods of its data,
 * ending at the value and reference the warning shows; a rule of one
 * observation (a count of overdue appeals) has none. */
static void check_series(const struct warn_states *st)
{
    struct table *t = store_get(test_app.store, "warning_series");
    assert_non_null(t);
    int cw = table_col(t, "warning"), cp = table_col(t, "period"), cv = table_col(t, "value"),
        cr = table_col(t, "reference");
    const struct warn_instance *yuzhou = warn_states_find(st, "industry-behind-schedule", "禹州市");
    size_t n = 0, gdp = 0, overdue = 0;
    const char *last = NULL;
    double value = NAN, ref = NAN;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *id = table_text(t, r, (size_t)cw);
        overdue += strncmp(id, "appeals-overdue", 15) == 0;
        if (strcmp(id, "gdp-growth-below-target@长葛市#1") == 0) {
            gdp++;
            assert_true(table_num(t, r, (size_t)cr) == 6); /* the threshold, every quarter */
        }
        if (strcmp(id, "industry-behind-schedule@禹州市#1") != 0)
            continue;
        const char *period = table_text(t, r, (size_t)cp);
        assert_true(!last || strcmp(last, period) < 0); /* in period order */
        last = period;
        value = table_num(t, r, (size_t)cv);
        ref = table_num(t, r, (size_t)cr);
        n++;
    }
    assert_int_equal(n, 10); /* 2024-01 … 2024-10 */
    assert_string_equal(last, "2024-10");
    assert_true(fabs(value - yuzhou->value) < 1e-9 && fabs(ref - yuzhou->ref) < 1e-9);
    assert_true(gdp >= 4);
    assert_int_equal(overdue, 0);
    table_unref(t);
}

static void test_demo_rules_fire(void **state)
{
    struct err err;
    struct rules *rs = rules_load("rules/demo.json", test_app.catalog, &err);
    if (!rs)
        fail_msg("%s", err.msg);
    /* the demo data comes with the engine's tables: app_open replays the demo
     * rules over the three days before the demo clock */
    struct table *published = store_get(test_app.store, "warnings");
    struct table *trail = store_get(test_app.store, "warning_steps");
    assert_non_null(published);
    assert_non_null(trail);
    assert_true(published->nrows > 0 && trail->nrows > 0);
    table_unref(published);
    table_unref(trail);

    struct warn_snapshot snap;
    warn_snapshot_take(&snap, test_app.store, rs);
    struct warn_events ev = {0};
    struct warn_states *s0 = warn_eval(rs, &snap, NULL, TEST_NOW, &ev);
    /* industry: 1–10月 completion vs 序时进度 83.3 %, margin 2 */
    assert_string_equal(state_of(s0, "industry-behind-schedule", "许昌市"), "firing"); /* 79.9 */
    assert_string_equal(state_of(s0, "industry-behind-schedule", "许昌经开区"), "normal"); /* 81.5 */
    size_t behind = 0;
    for (size_t i = 0; i < s0->n; i++)
        behind += strcmp(s0->v[i].rule, "industry-behind-schedule") == 0 &&
                  s0->v[i].state == WS_FIRING;
    assert_int_equal(behind, 6);
    assert_int_equal(count_urges(&ev, "industry-behind-schedule", false), 2 * behind);
    /* 8 appeals are over their limit; pending 1h */
    assert_string_equal(state_of(s0, "appeals-overdue", ""), "pending");
    assert_true(warn_states_find(s0, "appeals-overdue", "")->value == 8);
    assert_string_equal(state_of(s0, "retail-declining", ""), "firing");   /* 5.2 → 4.7 → 4.4 */
    assert_string_equal(state_of(s0, "fai-rank", ""), "firing");           /* 6th in the province */
    assert_int_equal(count_urges(&ev, "fai-rank", false), 0);             /* on_firing false */
    assert_string_equal(state_of(s0, "appeal-closure-low", "鄢陵县"), "firing"); /* 95.5 % */
    assert_string_equal(state_of(s0, "appeal-closure-low", "建安区"), "normal"); /* 96.6 % */
    warn_events_finish(&ev);

    /* an hour later the overdue appeals fire; two days later, unanswered
     * urges escalate to 市政府办公室 */
    struct warn_states *s1 = warn_eval(rs, &snap, s0, TEST_NOW + 3600, &ev);
    assert_string_equal(state_of(s1, "appeals-overdue", ""), "firing");
    assert_int_equal(count_urges(&ev, "appeals-overdue", false), 2);
    warn_events_finish(&ev);
    struct warn_states *s2 = warn_eval(rs, &snap, s1, TEST_NOW + 2 * 86400 + 60, &ev);
    assert_int_equal(count_urges(&ev, "industry-behind-schedule", true), behind);
    assert_int_equal(count_urges(&ev, "appeals-overdue", true), 1);
    for (size_t i = 0; i < ev.n; i++)
        if (ev.v[i].kind == WE_URGE && ev.v[i].escalation)
            assert_string_equal(ev.v[i].department, "市政府办公室");
    warn_events_finish(&ev);
    assert_true(warn_handle(s2, "appeals-overdue", "", WA_ACK, "张伟", "已转办", TEST_NOW + 2 * 86400 + 120, &err));

    /* published: the warnings scene binds these like any other source */
    assert_true(warn_publish(test_app.store, test_app.catalog, rs, s2, &err));
    struct table *w = store_get(test_app.store, "warnings");
    struct table *steps = store_get(test_app.store, "warning_steps");
    assert_non_null(w);
    assert_non_null(steps);
    assert_int_equal(w->nrows, s2->n);
    struct query q = {.source = "warnings"};
    struct query_filter f = {.column = "state", .values = (char *[]){"firing"}, .nvalues = 1};
    struct query_field fields[] = {{"label", "name"}, {"value", "value"}, {"level", "severity"},
                                   {"id", "id"}, {"handling", "handling"}, {"by", "handled_by"}};
    q.filters = &f, q.nfilters = 1, q.fields = fields, q.nfields = ARRAY_LEN(fields);
    struct table *firing = query_run(&q, w, &err);
    assert_non_null(firing);
    bool found = false;
    for (size_t r = 0; r < firing->nrows; r++) {
        if (strcmp(table_text(firing, r, 3), "appeals-overdue#1") == 0) {
            found = true;
            assert_string_equal(table_text(firing, r, 0), "企业诉求超期未办结");
            assert_string_equal(table_text(firing, r, 2), "严重");
            assert_string_equal(table_text(firing, r, 4), "已确认");
            assert_string_equal(table_text(firing, r, 5), "张伟");
            assert_true(table_num(firing, r, 1) == 8);
        }
    }
    assert_true(found);
    /* the trail: urges (step 0 at +1h; step 3 two days later, with the escalation), then the
     * acknowledgement */
    size_t n = 0;
    const char *last = NULL;
    for (size_t r = 0; r < steps->nrows; r++) {
        if (strcmp(table_text(steps, r, 0), "appeals-overdue#1") != 0)
            continue;
        n++;
        last = table_text(steps, r, 5);
    }
    assert_int_equal(n, 2 + 3 + 1); /* 2 departments × step 0, 2 × step 3 + 市政府办公室, ack */
    assert_string_equal(last, "已确认");
    table_unref(firing);
    table_unref(w);
    table_unref(steps);
    check_series(s2);

    warn_states_destroy(s0);
    warn_states_destroy(s1);
    warn_states_destroy(s2);
    warn_snapshot_release(&snap);
    rules_destroy(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_rules_fire),
    };
    return cmocka_run_group_tests(tests, test_app_setup, test_app_teardown);
}
