/* Number, growth, period and time formatting; colour parsing and scales. */
#include "common.h"
#include "render/color.h"
#include "render/fmt.h"
#include "util/util.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void test_numbers(void **state)
{
    static const struct {
        double v;
        int dec;
        bool thousands;
        double scale;
        bool sign;
        const char *want;
    } cases[] = {
        {3059.86, 1, true, 1, false, "3,059.9"},
        {1234567.891, 2, true, 1, false, "1,234,567.89"},
        {1234567.891, 0, false, 1, false, "1234568"},
        {-1234.5, 1, true, 1, false, "-1,234.5"},
        {-0.04, 1, true, 1, false, "0.0"},
        {6.2, 1, true, 1, true, "+6.2"},
        {31864, 2, true, 10000, false, "3.19"}, /* 元 → 万元 */
        {999.95, 1, true, 1, false, "1,000.0"},
        {0, 0, true, 1, false, "0"},
        {NAN, 1, true, 1, false, "—"},
        {INFINITY, 1, true, 1, false, "—"},
        {1e300, 1, true, 1, false, "1e+300"},
        {-2.5e16, 1, true, 1, false, "-2.5e+16"},
    };
    char buf[64];
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct numfmt f = {cases[i].dec, cases[i].thousands, cases[i].scale, NULL, cases[i].sign};
        fmt_number(buf, sizeof buf, cases[i].v, &f);
        if (strcmp(buf, cases[i].want) != 0)
            fail_msg("case %zu: %g → \"%s\", want \"%s\"", i, cases[i].v, buf, cases[i].want);
    }
}

static void test_growth(void **state)
{
    char buf[64];
    assert_string_equal(fmt_growth(buf, sizeof buf, 6.24, 1, "%"), "+6.2%");
    assert_string_equal(fmt_growth(buf, sizeof buf, -1.0, 1, "%"), "-1.0%");
    assert_string_equal(fmt_growth(buf, sizeof buf, 0.0, 1, "%"), "0.0%");
    assert_string_equal(fmt_growth(buf, sizeof buf, 0.35, 1, "个百分点"), "+0.3个百分点");
    assert_string_equal(fmt_growth(buf, sizeof buf, NAN, 1, "%"), "—");
}

static void test_periods(void **state)
{
    char buf[64];
    assert_string_equal(fmt_period(buf, sizeof buf, "2024-10", PERIOD_YM), "2024年10月");
    assert_string_equal(fmt_period(buf, sizeof buf, "2024-10", PERIOD_CUMULATIVE), "2024年1–10月累计");
    assert_string_equal(fmt_period(buf, sizeof buf, "2024-01", PERIOD_CUMULATIVE), "2024年1月");
    assert_string_equal(fmt_period(buf, sizeof buf, "2024-03", PERIOD_MONTH), "3月");
    assert_string_equal(fmt_period(buf, sizeof buf, "2024-09", PERIOD_SHORT), "24-09");
    assert_string_equal(fmt_period(buf, sizeof buf, "2024-Q3", PERIOD_CUMULATIVE), "2024年1–9月累计");
    assert_string_equal(fmt_period(buf, sizeof buf, "2024-10-31", PERIOD_YM), "2024年10月");
    assert_string_equal(fmt_period(buf, sizeof buf, "2024-10", PERIOD_CUM_SHORT), "1–10月");
    assert_string_equal(fmt_period(buf, sizeof buf, "2024", PERIOD_YM), "2024年");
    assert_string_equal(fmt_period(buf, sizeof buf, "2024-13", PERIOD_YM), "2024-13");
    assert_string_equal(fmt_period(buf, sizeof buf, "上半年", PERIOD_YM), "上半年");
}

static void test_time_in_shanghai(void **state)
{
    app_environment(); /* TZ=Asia/Shanghai unless LOTUSWALL_TZ */
    char buf[64];
    fmt_time(buf, sizeof buf, TEST_NOW, "%Y-%m-%d %H:%M:%S");
    assert_string_equal(buf, "2024-11-15 09:30:00");
    fmt_time(buf, sizeof buf, 0, "%Y-%m-%d %H:%M");
    assert_string_equal(buf, "1970-01-01 08:00");
}

static void test_colors(void **state)
{
    rgba_t c;
    assert_true(color_parse("#ff8000", &c));
    assert_int_equal(c, 0xff8000ff);
    assert_true(color_parse("#11223344", &c));
    assert_int_equal(c, 0x11223344);
    assert_false(color_parse("red", &c));
    assert_false(color_parse("#ff80zz", &c));
    assert_false(color_parse(NULL, &c));
    assert_int_equal(color_mix(0x000000ff, 0xffffffff, 0.5), 0x808080ff);
    struct color_scale s = {3, {0, 0.5, 1}, {0x000000ff, 0xff0000ff, 0xffffffff}};
    assert_int_equal(color_scale_eval(&s, -1), 0x000000ff);
    assert_int_equal(color_scale_eval(&s, 0.25), 0x800000ff);
    assert_int_equal(color_scale_eval(&s, 0.75), 0xff8080ff);
    assert_int_equal(color_scale_eval(&s, 2), 0xffffffff);
    assert_int_equal(color_scale_eval(&s, NAN), 0x000000ff);
}

static void test_utf8(void **state)
{
    assert_true(utf8_valid("许昌 abc", strlen("许昌 abc")));
    assert_false(utf8_valid("\xff", 1));
    assert_false(utf8_valid("\xe8\xae", 2));         /* truncated */
    assert_false(utf8_valid("\xc0\xaf", 2));         /* overlong */
    assert_false(utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    /* utf8_clip drops a character cut at the end, and only that */
    static const struct {
        const char *in, *out;
    } clip[] = {
        {"许昌", "许昌"}, {"许\xe6\x98", "许"}, {"许\xe6", "许"}, {"ab\xf0\x9f\x98", "ab"},
        {"ab\xf0\x9f\x98\x80", "ab\xf0\x9f\x98\x80"}, {"a\xc3", "a"}, {"", ""}, {"abc", "abc"},
    };
    for (size_t i = 0; i < sizeof clip / sizeof clip[0]; i++) {
        char buf[16];
        snprintf(buf, sizeof buf, "%s", clip[i].in);
        utf8_clip(buf);
        assert_string_equal(buf, clip[i].out);
    }
    /* and err_set cuts a long message between characters */
    struct err e;
    char *long_id = xstrdup("");
    for (size_t i = 0; i < sizeof e.msg / 3 + 1; i++) { /* longer than e.msg */
        char *next = xasprintf("%s国", long_id);
        free(long_id);
        long_id = next;
    }
    err_set(&e, "xy%s", long_id); /* 2 + 3k bytes: the cut falls inside a character */
    assert_true(utf8_valid(e.msg, strlen(e.msg)));
    free(long_id);
}

static bool lookup(const char *name, char *buf, size_t len, void *arg)
{
    (void)arg;
    if (strcmp(name, "city_name") == 0)
        return snprintf(buf, len, "禹州市"), true;
    if (strcmp(name, "period") == 0)
        return snprintf(buf, len, "2024年6月"), true;
    if (strcmp(name, "long") == 0) { /* a value cut by its buffer inside a character */
        for (size_t i = 0; i + 3 < len; i += 3)
            memcpy(buf + i, "县", 3);
        buf[len - 1] = '\0'; /* 1023 bytes: 341 characters, none cut */
        buf[len - 2] = '\0'; /* 1022: the last one cut after two of its three bytes */
        return true;
    }
    return false;
}

static void test_template(void **state)
{
    char out[64];
    assert_string_equal(fmt_template(out, sizeof out, "{city_name}经济 · 截至{period}", lookup, NULL),
                        "禹州市经济 · 截至2024年6月");
    /* unknown names, braces that are not placeholders, and a lone brace stay */
    assert_string_equal(fmt_template(out, sizeof out, "{nope} {Period} {a-b} {", lookup, NULL),
                        "{nope} {Period} {a-b} {");
    /* cut short, never inside a character: "禹州市" is 9 bytes, room for 7 */
    assert_string_equal(fmt_template(out, 8, "{city_name}", lookup, NULL), "禹州");
    assert_string_equal(fmt_template(out, 6, "截至{period}", lookup, NULL), "截");
    char big[2048];
    fmt_template(big, sizeof big, "{long}", lookup, NULL);
    assert_int_equal(strlen(big), 1020 / 3 * 3); /* whole characters only */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),  cmocka_unit_test(test_growth),
        cmocka_unit_test(test_periods),  cmocka_unit_test(test_time_in_shanghai),
        cmocka_unit_test(test_colors),   cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_template),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
