/* The rules loader refuses bad files with the file, the JSON path and what
 * was expected. Table-driven: {rules text, exact message}. */
#include "common.h"
#include "util/util.h"
#include "warn/rules.h"
#include <string.h>

#define HEAD "{\"kind\":\"rules\",\"version\":1,"
#define IND "\"indicator\":{\"source\":\"target_progress\",\"field\":\"completion_pct\"}"
#define SCHED "\"condition\":{\"type\":\"behind_schedule\",\"schedule\":\"schedule_pct\"}"
#define R(body) HEAD "\"rules\":[{\"id\":\"a\",\"name\":\"A\"," body "}]}"
#define OK_BODY IND "," SCHED ",\"severity\":\"一般\",\"departments\":[\"市统计局\"]"
#define WITH_COND(cond) IND ",\"condition\":" cond ",\"severity\":\"一般\",\"departments\":[\"D\"]"
#define DEPTS "\"departments\":[\"市统计局\",\"市政府办公室\"],"

static const struct {
    const char *text, *msg;
} cases[] = {
    {"{\"kind\":\"rules\",\n\"version\":1,,}", "t.json:2:13: string or '}' expected near ','"},
    {"{\"kind\":\"scene\",\"version\":1}", "t.json: kind: expected \"rules\", found \"scene\""},
    {HEAD "\"rule\":[]}", "t.json: rule: unknown key (known: kind, version, name, departments, rules)"},
    {HEAD "\"rules\":[]}", "t.json: rules: expected a non-empty array of rules"},
    {HEAD "\"rules\":[7]}", "t.json: rules[0]: expected an object"},
    {HEAD "\"rules\":[{\"id\":\"a b\"}]}",
     "t.json: rules[0].id: expected 1 to 64 letters, digits, '-', '_' or '.'"},
    {HEAD "\"rules\":[{\"id\":\"a\"}]}", "t.json: rules[0].name: missing; expected a string"},
    {R(OK_BODY ",\"severty\":1"),
     "t.json: rules[0].severty: unknown key (known: id, name, indicator, condition, severity, "
     "pending, keep_firing, hold_down, departments, urge)"},
    {R("\"condition\":{}"), "t.json: rules[0].indicator: missing; expected {source, field, …}"},
    {R("\"indicator\":{\"source\":\"gdp_table\",\"field\":\"x\"}"),
     "t.json: rules[0].indicator.source: unknown source \"gdp_table\" (known sources: regions, "
     "indicators, indicator_values, indicator_trend, target_progress, industry_sectors, "
     "enterprises, projects, project_progress, project_monthly, economic_index, district_assessment, "
     "help_enterprises, appeals, appeal_steps, appeal_monthly, appeal_closure, help_district, help_teams, "
     "warnings, warning_steps, warning_series, appeal_ratings, appeal_flow, appeal_profile, "
     "eval_enterprises, eval_scores, eval_groups, finance_summary, finance_breakdown, top_enterprises, "
     "enterprise_anomalies, anomaly_monthly, key_enterprise_monthly, policy_summary, "
     "policy_breakdown, appeal_sectors, sms_templates, "
     "sms_channels, operators, reports, fleet, delivery_health)"},
    {R("\"indicator\":{\"source\":\"projects\",\"field\":\"budget\"}"),
     "t.json: rules[0].indicator.field: source projects has no column \"budget\" (its columns: "
     "id, name, region_code, region, category, status, total_invest, plan_year, done_year, "
     "progress_pct, start_date, finish_date)"},
    {R("\"indicator\":{\"source\":\"projects\",\"field\":\"name\"}"),
     "t.json: rules[0].indicator.field: projects.name is text; the watched field must be a "
     "number column"},
    {R("\"indicator\":{\"source\":\"projects\",\"field\":\"plan_year\",\"filter\":{\"regoin\":1}}"),
     "t.json: rules[0].indicator.filter.regoin: source projects has no column \"regoin\" (its "
     "columns: id, name, region_code, region, category, status, total_invest, plan_year, "
     "done_year, progress_pct, start_date, finish_date)"},
    {R("\"indicator\":{\"source\":\"projects\",\"field\":\"plan_year\",\"filter\":{\"region\":"
       "\"$city\"}}"),
     "t.json: rules[0].indicator.filter.region: unknown parameter $city (rules take only "
     "\"$latest\")"},
    {R(IND ",\"condition\":{\"type\":\"trend\"}"),
     "t.json: rules[0].condition.type: expected one of threshold, behind_target, behind_schedule, "
     "below_average, rank, declines, overdue"},
    {R(WITH_COND("{\"type\":\"threshold\"}")),
     "t.json: rules[0].condition: threshold needs above, below or both"},
    {R(WITH_COND("{\"type\":\"threshold\",\"above\":10,\"below\":20}")),
     "t.json: rules[0].condition: below (20) is not less than above (10): every value would fire"},
    {R(WITH_COND("{\"type\":\"threshold\",\"above\":10,\"margin\":1}")),
     "t.json: rules[0].condition.margin: unknown key (known: type, above, below)"},
    {R(WITH_COND("{\"type\":\"behind_schedule\",\"schedule\":\"schedule_pct\",\"margin\":-1}")),
     "t.json: rules[0].condition.margin: -1 is negative; expected a number >= 0"},
    {R(WITH_COND("{\"type\":\"behind_schedule\",\"schedule\":\"region\"}")),
     "t.json: rules[0].condition.schedule: target_progress.region is text; the compared field "
     "must be a number column"},
    {R(WITH_COND("{\"type\":\"behind_target\",\"target\":\"completion_pct\"}")),
     "t.json: rules[0].condition.target: compares completion_pct with itself: the condition "
     "could never hold"},
    {R(WITH_COND("{\"type\":\"rank\"}")), "t.json: rules[0].condition: rank needs worse_than, drop or both"},
    {R(WITH_COND("{\"type\":\"rank\",\"drop\":2}")),
     "t.json: rules[0].condition.drop: needs indicator.period to compare with the previous period"},
    {R(WITH_COND("{\"type\":\"rank\",\"worse_than\":0}")),
     "t.json: rules[0].condition.worse_than: expected an integer from 1 to 10000"},
    {R(WITH_COND("{\"type\":\"declines\",\"count\":0}")),
     "t.json: rules[0].condition.count: expected an integer from 1 to 60"},
    {R(WITH_COND("{\"type\":\"declines\",\"count\":3}")),
     "t.json: rules[0].condition: declines needs indicator.period to order the series"},
    {R(WITH_COND("{\"type\":\"overdue\",\"limit\":-3}")),
     "t.json: rules[0].condition.limit: expected a limit column (e.g. \"limit_days\") or a number "
     ">= 0"},
    {R(IND "," SCHED ",\"severity\":\"high\""),
     "t.json: rules[0].severity: expected one of 提示, 一般, 严重 (or info, warning, critical)"},
    {R(OK_BODY ",\"pending\":-5"),
     "t.json: rules[0].pending: -5 is negative; expected seconds >= 0 or a duration such as "
     "\"10m\", \"2h\", \"1d\""},
    {R(OK_BODY ",\"keep_firing\":\"5w\""),
     "t.json: rules[0].keep_firing: \"5w\": expected seconds >= 0 or a duration such as \"10m\", "
     "\"2h\", \"1d\""},
    {R(OK_BODY ",\"hold_down\":\"-1h\""),
     "t.json: rules[0].hold_down: \"-1h\": expected seconds >= 0 or a duration such as \"10m\", "
     "\"2h\", \"1d\""},
    {R(OK_BODY ",\"hold_down\":\"400d\""), "t.json: rules[0].hold_down: 34560000 seconds is more than a year"},
    {R(IND "," SCHED ",\"severity\":\"一般\",\"departments\":[]"),
     "t.json: rules[0].departments: expected a non-empty array of department names"},
    {HEAD DEPTS "\"rules\":[{\"id\":\"a\",\"name\":\"A\"," IND "," SCHED
     ",\"severity\":\"一般\",\"departments\":[\"市统计\"]}]}",
     "t.json: rules[0].departments[0]: unknown department \"市统计\" (known departments: 市统计局, "
     "市政府办公室)"},
    {R(OK_BODY ",\"urge\":{\"repeat\":\"1d\",\"max_repeats\":2,\"escalate_after\":3,"
               "\"escalate_to\":\"X\"}"),
     "t.json: rules[0].urge.escalate_after: 3 needs max_repeats >= 3 (the escalation goes with "
     "urge step 3)"},
    {R(OK_BODY ",\"urge\":{\"max_repeats\":2}"),
     "t.json: rules[0].urge.max_repeats: 2 repeats need a repeat interval (urge.repeat)"},
    {R(OK_BODY ",\"urge\":{\"repeat\":60,\"max_repeats\":2,\"escalate_after\":1}"),
     "t.json: rules[0].urge.escalate_to: missing; escalate_after needs the higher department"},
    {R(OK_BODY ",\"urge\":{\"on_firing\":false,\"repeat\":60,\"max_repeats\":2}"),
     "t.json: rules[0].urge: on_firing is false: no urge is sent, so nothing can repeat or "
     "escalate"},
    {HEAD DEPTS "\"rules\":[{\"id\":\"a\",\"name\":\"A\"," IND "," SCHED
     ",\"severity\":\"一般\",\"departments\":[\"市统计局\"],\"urge\":{\"repeat\":60,"
     "\"max_repeats\":1,\"escalate_after\":1,\"escalate_to\":\"市长\"}}]}",
     "t.json: rules[0].urge.escalate_to: unknown department \"市长\" (known departments: 市统计局, "
     "市政府办公室)"},
    {HEAD "\"rules\":[{\"id\":\"a\",\"name\":\"A\"," OK_BODY "},{\"id\":\"b\",\"name\":\"B\","
     OK_BODY "},{\"id\":\"a\",\"name\":\"A2\"," OK_BODY "}]}",
     "t.json: rules[2].id: \"a\" is already used by rules[0]"},
};

static void test_messages(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct err err = {{0}};
        struct rules *r = rules_parse("t.json", cases[i].text, strlen(cases[i].text),
                                      test_app.catalog, &err);
        if (r)
            fail_msg("case %zu loaded but should fail with: %s", i, cases[i].msg);
        if (strcmp(err.msg, cases[i].msg) != 0)
            fail_msg("case %zu:\n  expected: %s\n  got:      %s", i, cases[i].msg, err.msg);
    }
}

static void test_good_rule(void **state)
{
    const char *text = HEAD DEPTS "\"rules\":[{\"id\":\"a\",\"name\":\"A\",\"indicator\":{"
                       "\"source\":\"target_progress\",\"filter\":{\"indicator\":\"gdp\","
                       "\"period\":\"$latest\"},\"field\":\"completion_pct\",\"instance\":"
                       "\"region_code\"}," SCHED ",\"severity\":\"critical\",\"pending\":\"10m\","
                       "\"keep_firing\":3600,\"hold_down\":\"1d\",\"departments\":[\"市统计局\"],"
                       "\"urge\":{\"repeat\":\"2h\",\"max_repeats\":3,\"escalate_after\":2,"
                       "\"escalate_to\":\"市政府办公室\"}},{\"id\":\"b\",\"name\":\"B\","
                       "\"indicator\":{\"source\":\"target_progress\",\"filter\":{\"indicator\":"
                       "\"gdp\",\"period\":\"$latest\"},\"field\":\"completion_pct\",\"instance\":"
                       "\"region_code\"}," SCHED ",\"severity\":\"提示\",\"departments\":[\"市统计局\"]}]}";
    struct err err;
    struct rules *r = rules_parse("t.json", text, strlen(text), test_app.catalog, &err);
    if (!r)
        fail_msg("%s", err.msg);
    assert_int_equal(r->nrules, 2);
    assert_int_equal(r->nbindings, 1); /* the same query, run once */
    const struct rule *a = rules_find(r, "a");
    assert_non_null(a);
    assert_null(rules_find(r, "c"));
    assert_int_equal(a->severity, SEV_CRITICAL);
    assert_int_equal(a->pending_s, 600);
    assert_int_equal(a->keep_firing_s, 3600);
    assert_int_equal(a->hold_down_s, 86400);
    assert_int_equal(a->urge.repeat_s, 7200);
    assert_true(a->urge.on_firing);
    assert_string_equal(a->urge.escalate_to, "市政府办公室");
    assert_int_equal(a->cond.type, COND_BEHIND_SCHEDULE);
    assert_string_equal(a->cond.ref, "schedule_pct");
    rules_destroy(r);
}

static void test_demo_rules_load(void **state)
{
    struct err err;
    struct rules *r = rules_load("rules/demo.json", test_app.catalog, &err);
    if (!r)
        fail_msg("%s", err.msg);
    assert_true(r->nrules >= 5);
    rules_destroy(r);
    assert_null(rules_load("rules/nope.json", test_app.catalog, &err));
    assert_string_equal(err.msg, "rules/nope.json: No such file or directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_good_rule),
        cmocka_unit_test(test_demo_rules_load),
    };
    return cmocka_run_group_tests(tests, test_app_setup, test_app_teardown);
}
