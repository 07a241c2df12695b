/* `lotuswall rules`: every rule of a rules file with its state, from the
 * engine's published `warnings` table, exactly as printed — a rule in each
 * state the engine has (normal, pending, firing, nodata, error), several
 * instances of one rule, a rule of several departments — and as JSON.
 * The demo's own listing is checked in tests/cli/test_cli.sh. */
#include "common.h"
#include "util/util.h"
#include "warn/eval.h"
#include "warn/list.h"
#include "warn/publish.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RULE(id, name, src, cond, extra, depts)                                                 \
    "{\"id\":\"" id "\",\"name\":\"" name "\",\"indicator\":{\"source\":\"" src "\","           \
    "\"field\":\"value\"" extra "},\"condition\":" cond ",\"severity\":\"一般\","              \
    "\"departments\":" depts ",\"urge\":{\"on_firing\":false}}"
#define ABOVE10 "{\"type\":\"threshold\",\"above\":10}"

static const char rules_text[] =
    "{\"kind\":\"rules\",\"version\":1,\"rules\":["
    RULE("hot", "产值过热", "m", ABOVE10, ",\"instance\":\"inst\"", "[\"市工信局\",\"市统计局\"]") ","
    "{\"id\":\"slow\",\"name\":\"待定预警\",\"indicator\":{\"source\":\"m\",\"field\":\"value\","
    "\"filter\":{\"inst\":\"x\"}},\"condition\":" ABOVE10 ",\"severity\":\"提示\",\"pending\":60,"
    "\"departments\":[\"市发改委\"],\"urge\":{\"on_firing\":false}},"
    RULE("gone", "视图缺列", "e", ABOVE10, "", "[\"市统计局\"]") ","
    RULE("feed", "用电量", "power", ABOVE10, "", "[\"市发改委\"]") "]}";

/* "m": x = 12 (over the limit), y = 5; "e": the column "value" is gone
 * (a view changed under the engine); "power": no table at all. */
static struct table *table_m(const char *name, const char *value_col)
{
    const char *names[] = {"inst", value_col};
    enum col_type types[] = {COL_TEXT, COL_NUMBER};
    struct table *t = table_new(name, 2, names, types);
    t->version = 1;
    const char *inst[] = {"x", "y"};
    double v[] = {12, 5};
    for (size_t i = 0; i < 2; i++) {
        size_t r = table_add_row(t);
        table_set_text(t, r, 0, inst[i]);
        table_set_num(t, r, 1, v[i]);
    }
    return t;
}

static struct table *published(void)
{
    struct err err = {{0}};
    struct rules *rs = rules_parse("t.json", rules_text, strlen(rules_text), NULL, &err);
    if (!rs)
        fail_msg("%s", err.msg);
    struct table *tabs[] = {table_m("m", "value"), table_m("e", "val")};
    struct warn_snapshot snap = {tabs, 2};
    struct warn_events ev = {0};
    struct warn_states *st = warn_eval(rs, &snap, NULL, TEST_NOW, &ev);
    struct table *w, *s;
    if (!warn_tables(test_app.catalog, rs, st, &w, &s, &err))
        fail_msg("%s", err.msg);
    table_unref(s);
    warn_events_finish(&ev);
    warn_states_destroy(st);
    rules_destroy(rs);
    table_unref(tabs[0]);
    table_unref(tabs[1]);
    return w;
}

static void test_text(void **state)
{
    (void)state;
    struct table *w = published();
    json_t *rules = warn_rules_json(w);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    warn_rules_print(f, rules);
    fclose(f);
    assert_string_equal(buf,
        "rule  name      instance  state    value  reference  departments\n"
        "hot   产值过热  x         firing    12.0       10.0  市工信局、市统计局\n"
        "                y         normal     5.0       10.0\n"
        "slow  待定预警  —         pending   12.0       10.0  市发改委\n"
        "gone  视图缺列  —         error        —          —  市统计局\n"
        "feed  用电量    —         nodata       —          —  市发改委\n"
        "4 rule(s), 5 instance(s): 1 firing, 1 pending, 1 normal, 1 nodata, 1 error\n"
        "gone: source e has no column value\n");
    free(buf);
    json_decref(rules);
    table_unref(w);
}

static void test_json(void **state)
{
    (void)state;
    struct table *w = published();
    json_t *rules = warn_rules_json(w);
    char *got = json_dumps(rules, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
    assert_string_equal(got,
        "[{\"rule\":\"hot\",\"name\":\"产值过热\",\"severity\":\"一般\",\"state\":\"firing\","
        "\"departments\":[\"市工信局\",\"市统计局\"],\"instances\":["
        "{\"instance\":\"x\",\"state\":\"firing\",\"state_name\":\"告警中\",\"value\":12.0,"
        "\"reference\":10.0,\"since\":\"2024-11-15 09:30:00\",\"message\":null},"
        "{\"instance\":\"y\",\"state\":\"normal\",\"state_name\":\"正常\",\"value\":5.0,"
        "\"reference\":10.0,\"since\":\"2024-11-15 09:30:00\",\"message\":null}]},"
        "{\"rule\":\"slow\",\"name\":\"待定预警\",\"severity\":\"提示\",\"state\":\"pending\","
        "\"departments\":[\"市发改委\"],\"instances\":["
        "{\"instance\":\"\",\"state\":\"pending\",\"state_name\":\"待触发\",\"value\":12.0,"
        "\"reference\":10.0,\"since\":\"2024-11-15 09:30:00\",\"message\":null}]},"
        "{\"rule\":\"gone\",\"name\":\"视图缺列\",\"severity\":\"一般\",\"state\":\"error\","
        "\"departments\":[\"市统计局\"],\"instances\":["
        "{\"instance\":\"\",\"state\":\"error\",\"state_name\":\"错误\",\"value\":null,"
        "\"reference\":null,\"since\":\"2024-11-15 09:30:00\","
        "\"message\":\"source e has no column value\"}]},"
        "{\"rule\":\"feed\",\"name\":\"用电量\",\"severity\":\"一般\",\"state\":\"nodata\","
        "\"departments\":[\"市发改委\"],\"instances\":["
        "{\"instance\":\"\",\"state\":\"nodata\",\"state_name\":\"无数据\",\"value\":null,"
        "\"reference\":null,\"since\":\"2024-11-15 09:30:00\",\"message\":null}]}]");
    free(got);
    json_decref(rules);
    table_unref(w);
}

/* A table of no rows, another shape, or none: an empty list, no crash. */
static void test_no_table(void **state)
{
    (void)state;
    json_t *rules = warn_rules_json(NULL);
    assert_int_equal(json_array_size(rules), 0);
    json_decref(rules);
    const char *names[] = {"rule"};
    enum col_type types[] = {COL_TEXT};
    struct table *t = table_new("warnings", 1, names, types);
    table_set_text(t, table_add_row(t), 0, "x");
    rules = warn_rules_json(t);
    assert_int_equal(json_array_size(rules), 0);
    json_decref(rules);
    table_unref(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_no_table),
    };
    return cmocka_run_group_tests(tests, test_app_setup, test_app_teardown);
}
