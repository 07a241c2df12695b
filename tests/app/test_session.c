/* The console's sessions, control lock and login throttle under an
 * injected clock (app/session.h): idle expiry, one presenter at a time,
 * takeover by a higher role with a notice for the one who had it, release
 * on logout and after the control idle time, 429 after five failures a
 * minute, per account and per address. */
#include "common.h"
#include "app/session.h"
#include <string.h>

#define S 1000
#define IDLE (30 * 60 * S)
#define CONTROL_IDLE (10 * 60 * S)

static struct auth_account account(const char *name, enum auth_role role)
{
    struct auth_account a = {.role = role};
    snprintf(a.name, sizeof a.name, "%s", name);
    return a;
}

static void test_sessions_expire(void **state)
{
    (void)state;
    struct sessions *s = sessions_create(IDLE, CONTROL_IDLE);
    struct auth_account zhang = account("张三", AUTH_PRESENTER);
    struct session a, got;
    sessions_open(s, &zhang, "10.0.0.5", 0, &a);
    assert_int_equal(strlen(a.token), SESSION_TOKEN_LEN);
    assert_int_equal(strlen(a.csrf), SESSION_TOKEN_LEN);
    assert_string_not_equal(a.token, a.csrf);
    assert_true(sessions_find(s, a.token, IDLE - 1, true, &got)); /* a request: idle restarts */
    assert_string_equal(got.account.name, "张三");
    assert_true(sessions_find(s, a.token, 2 * IDLE - 2, false, &got)); /* a poll: it does not */
    assert_false(sessions_find(s, a.token, 2 * IDLE - 1, true, &got)); /* idle too long */
    assert_false(sessions_find(s, "not-a-token", 0, true, &got));
    char forged[SESSION_TOKEN_LEN + 1];
    memset(forged, 'a', SESSION_TOKEN_LEN);
    forged[SESSION_TOKEN_LEN] = '\0';
    assert_false(sessions_find(s, forged, 0, true, &got));
    sessions_destroy(s);
}

static void test_control_lock(void **state)
{
    (void)state;
    struct sessions *s = sessions_create(IDLE, CONTROL_IDLE);
    struct auth_account zhang = account("张三", AUTH_PRESENTER), li = account("李四", AUTH_PRESENTER),
                        wang = account("王五", AUTH_ADMIN);
    struct session a, b, c, got;
    char holder[128], name[64];
    enum auth_role role;
    sessions_open(s, &zhang, "10.0.0.5", 0, &a);
    sessions_open(s, &li, "10.0.0.6", 0, &b);
    sessions_open(s, &wang, "10.0.0.7", 0, &c);
    sessions_holder(s, 0, name, sizeof name, &role);
    assert_string_equal(name, "");
    assert_int_equal(sessions_take(s, a.token, 1 * S, false, holder, sizeof holder), CONTROL_OK);
    /* a second presenter is refused, takeover or not: same role */
    assert_int_equal(sessions_take(s, b.token, 2 * S, false, holder, sizeof holder), CONTROL_HELD);
    assert_string_equal(holder, "张三（演示）");
    assert_int_equal(sessions_take(s, b.token, 2 * S, true, holder, sizeof holder), CONTROL_HELD);
    /* steering keeps it; an admin may take it over, and 张三 is told once */
    assert_int_equal(sessions_take(s, a.token, 3 * S, false, holder, sizeof holder), CONTROL_OK);
    assert_int_equal(sessions_take(s, c.token, 4 * S, false, holder, sizeof holder), CONTROL_HELD);
    assert_int_equal(sessions_take(s, c.token, 4 * S, true, holder, sizeof holder),
                     CONTROL_TAKEN_OVER);
    assert_string_equal(holder, "张三（演示）");
    assert_true(sessions_find(s, a.token, 5 * S, true, &got));
    assert_string_equal(got.notice, "控制权已由 王五（管理员）接管");
    assert_true(sessions_find(s, a.token, 6 * S, true, &got));
    assert_string_equal(got.notice, "");
    sessions_holder(s, 6 * S, name, sizeof name, &role);
    assert_string_equal(name, "王五");
    assert_int_equal(role, AUTH_ADMIN);
    /* logout frees it */
    sessions_close(s, c.token);
    sessions_holder(s, 7 * S, name, sizeof name, NULL);
    assert_string_equal(name, "");
    /* control idle: held without steering for CONTROL_IDLE, it frees */
    assert_int_equal(sessions_take(s, b.token, 8 * S, false, holder, sizeof holder), CONTROL_OK);
    assert_true(sessions_find(s, b.token, 8 * S + CONTROL_IDLE - 1, true, &got));
    sessions_holder(s, 8 * S + CONTROL_IDLE - 1, name, sizeof name, NULL);
    assert_string_equal(name, "李四");
    sessions_holder(s, 8 * S + CONTROL_IDLE, name, sizeof name, NULL);
    assert_string_equal(name, "");
    assert_int_equal(sessions_take(s, a.token, 8 * S + CONTROL_IDLE, false, holder, sizeof holder),
                     CONTROL_OK);
    /* a disabled account's sessions end, and its control with them */
    zhang.disabled = true;
    sessions_update_account(s, &zhang);
    assert_false(sessions_find(s, a.token, 9 * S + CONTROL_IDLE, true, &got));
    sessions_holder(s, 9 * S + CONTROL_IDLE, name, sizeof name, NULL);
    assert_string_equal(name, "");
    sessions_destroy(s);
}

static void test_throttle(void **state)
{
    (void)state;
    struct sessions *s = sessions_create(IDLE, CONTROL_IDLE);
    int retry;
    for (int i = 0; i < 4; i++)
        sessions_failed(s, "张三", "10.0.0.5", i * S);
    assert_false(sessions_throttled(s, "张三", "10.0.0.5", 4 * S, &retry));
    sessions_failed(s, "张三", "10.0.0.5", 4 * S); /* the fifth within a minute */
    assert_true(sessions_throttled(s, "张三", "10.0.0.5", 5 * S, &retry));
    assert_int_equal(retry, 59);
    /* per account: from another address too; per address: for another account too */
    assert_true(sessions_throttled(s, "张三", "10.0.0.9", 5 * S, &retry));
    assert_true(sessions_throttled(s, "李四", "10.0.0.5", 5 * S, &retry));
    assert_false(sessions_throttled(s, "李四", "10.0.0.9", 5 * S, &retry));
    assert_false(sessions_throttled(s, "张三", "10.0.0.5", 64 * S, &retry)); /* a minute on */
    /* five failures spread over more than a minute are no attack */
    for (int i = 0; i < 5; i++)
        sessions_failed(s, "王五", "10.0.0.8", 100 * S + i * 20 * S);
    assert_false(sessions_throttled(s, "王五", "10.0.0.8", 181 * S, &retry));
    sessions_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sessions_expire),
        cmocka_unit_test(test_control_lock),
        cmocka_unit_test(test_throttle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
