/* CSV reading: quoting, CRLF, BOM, and exact messages for broken input. */
#include "common.h"
#include "data/csv.h"
#include <string.h>

static void read_all(const char *text, size_t *nrec, size_t *nfields_last, char *last, size_t len)
{
    struct csv c;
    struct err err;
    csv_init(&c, "t.csv", text, strlen(text));
    int rc;
    *nrec = 0;
    while ((rc = csv_next(&c, &err)) > 0) {
        (*nrec)++;
        *nfields_last = c.nfields;
        snprintf(last, len, "%s", c.fields[c.nfields - 1]);
    }
    assert_int_equal(rc, 0);
    csv_finish(&c);
}

static void test_quoting(void **state)
{
    size_t n, nf;
    char last[64];
    read_all("\xef\xbb\xbf" "a,b,c\r\n1,\"x, \"\"y\"\"\",\"multi\nline\"\r\n\n2,,\n", &n, &nf, last,
             sizeof last);
    assert_int_equal(n, 3);
    assert_int_equal(nf, 3);
    assert_string_equal(last, "");
}

static void test_fields(void **state)
{
    struct csv c;
    struct err err;
    const char *text = "name,value\n\"许昌, 市\",\"3\"\"5\"\n";
    csv_init(&c, "t.csv", text, strlen(text));
    assert_int_equal(csv_next(&c, &err), 1);
    assert_int_equal(csv_next(&c, &err), 1);
    assert_string_equal(c.fields[0], "许昌, 市");
    assert_string_equal(c.fields[1], "3\"5");
    assert_int_equal(c.line, 2);
    assert_int_equal(csv_next(&c, &err), 0);
    csv_finish(&c);
}

static void expect_error(const char *text, const char *msg)
{
    struct csv c;
    struct err err = {{0}};
    csv_init(&c, "bad.csv", text, strlen(text));
    int rc;
    while ((rc = csv_next(&c, &err)) > 0)
        ;
    assert_int_equal(rc, -1);
    assert_string_equal(err.msg, msg);
    csv_finish(&c);
}

static void test_errors(void **state)
{
    expect_error("a,b\n1,\"open\n", "bad.csv:2:3: unterminated quoted field");
    expect_error("a,b\nx,\"q\"z\n", "bad.csv:2:6: unexpected character after closing quote");
    expect_error("a,b\n\n\nab\"c,d\n", "bad.csv:4:3: quote inside an unquoted field");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
