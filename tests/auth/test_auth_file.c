/* auth/auth.h with a users file: made 0600, refused when others may read
 * it, passwords checked against argon2id (right, wrong, unknown name,
 * disabled), lookups that see a change made after opening, the file's
 * errors, and the audit's JSON lines. */
#include "common.h"
#include "auth/auth.h"
#include "util/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#define dir test_dir /* common.h: the group's folder */

static void test_roles(void **state)
{
    (void)state;
    enum auth_role r;
    const char *names[] = {"viewer", "presenter", "operator", "admin"};
    for (int i = 0; i < 4; i++) {
        assert_true(auth_role_parse(names[i], &r));
        assert_int_equal(r, i);
        assert_string_equal(auth_role_name(r), names[i]);
    }
    assert_false(auth_role_parse("root", &r));
    assert_false(auth_role_parse(NULL, &r));
    assert_true(AUTH_VIEWER < AUTH_PRESENTER && AUTH_PRESENTER < AUTH_OPERATOR &&
                AUTH_OPERATOR < AUTH_ADMIN);
}

static void test_names_and_passwords(void **state)
{
    (void)state;
    struct err err;
    assert_true(auth_name_ok("张伟", &err));
    assert_true(auth_name_ok("duty-1.ops_a", &err));
    assert_false(auth_name_ok("", &err));
    assert_string_equal(err.msg, "an account's name is 1 to 63 bytes");
    assert_false(auth_name_ok("two words", &err));
    assert_string_equal(err.msg, "an account's name has no spaces or control characters");
    assert_false(auth_name_ok("\xe5\xbc", &err));
    assert_string_equal(err.msg, "an account's name must be UTF-8");
    assert_false(auth_password_ok("short", &err));
    assert_string_equal(err.msg, "a password has at least 8 characters");
    assert_true(auth_password_ok("long enough", &err));
}

static void test_file_store(void **state)
{
    (void)state;
    struct err err;
    char *path = xasprintf("%s/users.json", dir);
    struct auth_account acc;
    /* missing: refused, naming the file and how it is made */
    assert_null(auth_open(path, NULL, &err));
    char *want = xasprintf("%s: No such file or directory (`lotuswall user add … --users FILE` "
                           "makes it)", path);
    assert_string_equal(err.msg, want);
    free(want);
    assert_true(auth_users_create(path, &err));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    struct auth *a = auth_open(path, NULL, &err);
    assert_non_null(a);
    assert_true(auth_add(a, "张伟", AUTH_OPERATOR, "correct horse", "张伟", NULL, &err));
    assert_true(auth_add(a, "viewer1", AUTH_VIEWER, "battery staple", NULL, NULL, &err));
    assert_false(auth_add(a, "张伟", AUTH_ADMIN, "another one", NULL, NULL, &err));
    assert_string_equal(err.msg, "张伟: the account exists (lotuswall user passwd changes its "
                                 "password)");
    assert_false(auth_add(a, "x", AUTH_ADMIN, "another one", NULL, "wall1", &err));
    assert_string_equal(err.msg, "--db-login: a users file has no database logins");
    /* still 0600 after a rewrite, and no password in it */
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    FILE *f = fopen(path, "r");
    char buf[4096] = "";
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    assert_null(strstr(buf, "correct horse"));
    assert_non_null(strstr(buf, "$argon2id$"));

    /* right, wrong, unknown: the same message for the last two */
    assert_true(auth_verify(a, "张伟", "correct horse", &acc, &err));
    assert_string_equal(acc.name, "张伟");
    assert_int_equal(acc.role, AUTH_OPERATOR);
    assert_string_equal(acc.operator_name, "张伟");
    assert_false(acc.disabled);
    assert_false(auth_verify(a, "张伟", "correct horsE", &acc, &err));
    assert_string_equal(err.msg, "wrong name or password");
    double t0 = now_ms();
    assert_false(auth_verify(a, "nobody", "correct horse", &acc, &err));
    double unknown_ms = now_ms() - t0;
    assert_string_equal(err.msg, "wrong name or password");
    t0 = now_ms();
    assert_false(auth_verify(a, "viewer1", "wrong password", &acc, &err));
    double known_ms = now_ms() - t0;
    /* an unknown name spends a hash's time too */
    assert_true(unknown_ms > known_ms / 3);

    /* a change made after opening is seen: disabled, then a new password */
    assert_true(auth_set_disabled(a, "张伟", true, &err));
    assert_false(auth_verify(a, "张伟", "correct horse", &acc, &err));
    assert_string_equal(err.msg, "wrong name or password");
    assert_true(auth_lookup(a, "张伟", &acc, &err));
    assert_true(acc.disabled);
    assert_true(auth_set_disabled(a, "张伟", false, &err));
    assert_true(auth_passwd(a, "张伟", "new password", &err));
    assert_false(auth_verify(a, "张伟", "correct horse", &acc, &err));
    assert_true(auth_verify(a, "张伟", "new password", &acc, &err));
    assert_false(auth_passwd(a, "nobody", "new password", &err));
    assert_string_equal(err.msg, "nobody: no such account");
    assert_false(auth_lookup(a, "nobody", &acc, &err));
    assert_string_equal(err.msg, "nobody: no such account");

    struct auth_listing *l;
    assert_true(auth_list(a, &l, &n, &err));
    assert_int_equal(n, 2);
    assert_string_equal(l[0].acc.name, "viewer1"); /* by name: bytes, ASCII first */
    assert_int_equal(l[0].acc.role, AUTH_VIEWER);
    assert_string_equal(l[1].acc.name, "张伟");
    assert_int_equal(strlen(l[1].created), 20);
    free(l);

    /* readable by the group: refused, by the open store too */
    assert_int_equal(chmod(path, 0640), 0);
    assert_false(auth_lookup(a, "张伟", &acc, &err));
    want = xasprintf("%s: mode 0640: anyone but its owner may read the accounts' hashes "
                     "(chmod 600 %s)", path, path);
    assert_string_equal(err.msg, want);
    auth_close(a);
    assert_int_equal(chmod(path, 0644), 0);
    assert_null(auth_open(path, NULL, &err));
    want[strlen(path) + 10] = '4'; /* "mode 0644" */
    assert_string_equal(err.msg, want);
    free(want);
    assert_null(auth_open(NULL, NULL, &err));
    assert_string_equal(err.msg, "accounts: expected --users FILE or --db CONNINFO");
    auth_close(NULL);
    free(path);
}

static void test_file_errors(void **state)
{
    (void)state;
    struct err err;
    char *path = xasprintf("%s/bad.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"kind\": \"users\", \"version\": 1, \"accounts\": [{\"name\": \"a\", \"role\": "
          "\"root\"}]}",
          f);
    fclose(f);
    assert_int_equal(chmod(path, 0600), 0);
    struct auth *a = auth_open(path, NULL, &err);
    assert_non_null(a);
    struct auth_account acc;
    assert_false(auth_lookup(a, "a", &acc, &err));
    char *want = xasprintf("%s: accounts[0].role: expected viewer, presenter, operator or admin",
                           path);
    assert_string_equal(err.msg, want);
    free(want);
    auth_close(a);
    free(path);
}

static void test_audit_file(void **state)
{
    (void)state;
    struct err err;
    char *path = xasprintf("%s/audit.jsonl", dir);
    struct audit *au = audit_open(path, NULL, &err);
    assert_non_null(au);
    struct audit_entry e1 = {"张伟", "192.0.2.7", "login", NULL, "ok"};
    struct audit_entry e2 = {"张伟", "192.0.2.7", "warning.ack", "rule@禹州市#1", "ok: 已确认"};
    struct audit_entry bad = {"x", NULL, NULL, NULL, "ok"};
    assert_true(audit_write(au, &e1, &err));
    assert_true(audit_write(au, &e2, &err));
    assert_false(audit_write(au, &bad, &err));
    assert_string_equal(err.msg, "audit: an entry needs what and result");
    audit_close(au);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    struct audit_record *r;
    size_t n;
    assert_true(audit_read(path, NULL, 0, &r, &n, &err));
    assert_int_equal(n, 2);
    assert_string_equal(r[0].what, "login");
    assert_null(r[0].target);
    assert_string_equal(r[1].target, "rule@禹州市#1");
    assert_string_equal(r[1].result, "ok: 已确认");
    assert_string_equal(r[1].addr, "192.0.2.7");
    audit_records_free(r, n);
    assert_true(audit_read(path, NULL, (int64_t)time(NULL) + 3600, &r, &n, &err));
    assert_int_equal(n, 0);
    audit_records_free(r, n);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_names_and_passwords),
        cmocka_unit_test(test_file_store),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_audit_file),
    };
    return cmocka_run_group_tests(tests, test_dir_setup, test_dir_teardown);
}
