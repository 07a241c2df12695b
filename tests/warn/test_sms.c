/* Urge messages: template placeholders, rendering, segment counting, and
 * the templates and channels of the demo data. */
#include "common.h"
#include "util/util.h"
#include "warn/sms.h"
#include <stdlib.h>
#include <string.h>

static void test_check(void **state)
{
    struct err err = {{0}};
    assert_true(sms_check_template("【监测】{indicator}（{instance}）{value}/{threshold}，"
                                   "{department} {deadline} {severity}",
                                   &err));
    assert_false(sms_check_template("请{dept}处理", &err));
    assert_string_equal(err.msg, "unknown placeholder {dept} (known: " SMS_PLACEHOLDERS ")");
    assert_false(sms_check_template("请{department处理", &err));
    assert_string_equal(err.msg, "unknown placeholder {department处理 (known: " SMS_PLACEHOLDERS ")");
    assert_false(sms_check_template("当前值}", &err));
    assert_string_equal(err.msg, "a \"}\" without its \"{\" at character 4");
}

static void test_render(void **state)
{
    struct sms_vars v = {.indicator = "规上工业增加值", .instance = "禹州市", .value = "79.2",
                         .department = "市工信局"};
    char *s = sms_render("{indicator}（{instance}）{value}，{department}；{threshold}|{value}", &v);
    assert_string_equal(s, "规上工业增加值（禹州市）79.2，市工信局；|79.2");
    free(s);
}

static void test_segments(void **state)
{
    assert_int_equal(sms_chars("许昌abc"), 5);
    assert_int_equal(sms_segments(0, 70), 1);
    assert_int_equal(sms_segments(70, 70), 1);
    assert_int_equal(sms_segments(71, 70), 2);  /* concatenated: 67 a segment */
    assert_int_equal(sms_segments(134, 70), 2);
    assert_int_equal(sms_segments(135, 70), 3);
    assert_int_equal(sms_segments(400, 500), 1);
}

static void test_demo_templates(void **state)
{
    struct table *tt = store_get(test_app.store, "sms_templates");
    struct table *ct = store_get(test_app.store, "sms_channels");
    struct sms_template t;
    struct err err = {{0}};
    assert_true(sms_find_template(tt, ct, "T001", &t, &err));
    assert_int_equal(t.segment_chars, 70);
    assert_false(t.refuse_long);
    struct sms_vars v = {"规上工业增加值完成进度落后序时进度", "禹州市", "79.2", "83.3", "市工信局",
                         "11月16日09:30", "一般"};
    char *s = sms_render(t.content, &v);
    assert_true(sms_chars(s) > 0);
    print_message("T001 rendered: %s (%zu characters, %d segment(s))\n", s, sms_chars(s),
                  sms_segments(sms_chars(s), t.segment_chars));
    free(s);
    assert_false(sms_find_template(tt, ct, "T404", &t, &err));
    assert_string_equal(err.msg, "unknown SMS template \"T404\" (known: T001, T002, T003)");
    table_unref(tt);
    table_unref(ct);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_segments),
        cmocka_unit_test(test_demo_templates),
    };
    return cmocka_run_group_tests(tests, test_app_setup, test_app_teardown);
}
