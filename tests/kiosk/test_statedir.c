/* The wall's state folder (util/statedir.h): systemd's STATE_DIRECTORY
 * first, then XDG_STATE_HOME, then HOME; never the working directory. The
 * environment is a table per case, looked up through the same callback that
 * `lotuswall screenshot` uses for the wall's environment. */
#include "common.h"
#include "util/statedir.h"
#include "util/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct env {
    const char *state, *xdg, *home;
};

static const char *lookup(const char *name, void *arg)
{
    const struct env *e = arg;
    if (strcmp(name, "STATE_DIRECTORY") == 0)
        return e->state;
    if (strcmp(name, "XDG_STATE_HOME") == 0)
        return e->xdg;
    return strcmp(name, "HOME") == 0 ? e->home : NULL;
}

static void test_paths(void **state)
{
    (void)state;
    static const struct {
        struct env env;
        const char *want; /* NULL: an error, `want_err` */
        const char *want_err;
    } cases[] = {
        {{"/var/lib/lotuswall/state", "/x", "/home/a"}, "/var/lib/lotuswall/state", NULL},
        {{"/var/lib/a:/var/lib/b", NULL, NULL}, "/var/lib/a", NULL}, /* several: the first */
        {{NULL, "/home/a/.st", "/home/a"}, "/home/a/.st/lotuswall", NULL},
        {{"", "", "/home/a"}, "/home/a/.local/state/lotuswall", NULL},
        {{"rel", "rel", "/home/a"}, "/home/a/.local/state/lotuswall", NULL}, /* relative: ignored */
        {{NULL, NULL, NULL}, NULL, "no state folder: set STATE_DIRECTORY, XDG_STATE_HOME or HOME"},
        {{NULL, NULL, "out"}, NULL, "no state folder: set STATE_DIRECTORY, XDG_STATE_HOME or HOME"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char got[256];
        struct err err = {{0}};
        struct env env = cases[i].env;
        bool ok = statedir_path(got, sizeof got, lookup, &env, &err);
        if (cases[i].want && (!ok || strcmp(got, cases[i].want) != 0))
            fail_msg("case %zu: \"%s\" (%s), want \"%s\"", i, ok ? got : "", err.msg,
                     cases[i].want);
        if (!cases[i].want && (ok || strcmp(err.msg, cases[i].want_err) != 0))
            fail_msg("case %zu: \"%s\", want the error \"%s\"", i, ok ? got : err.msg,
                     cases[i].want_err);
    }
}

/* screenshots/ and its missing parents are made owner-only */
static void test_screenshots_created_private(void **state)
{
    (void)state;
    char tmp[] = "/tmp/lw-statedir-XXXXXX", got[512], want[512];
    assert_non_null(mkdtemp(tmp));
    struct env env = {NULL, NULL, tmp};
    struct err err = {{0}};
    assert_true(statedir_screenshots(got, sizeof got, lookup, &env, true, &err));
    snprintf(want, sizeof want, "%s/.local/state/lotuswall/screenshots", tmp);
    assert_string_equal(got, want);
    const char *made[] = {"/.local", "/.local/state", "/.local/state/lotuswall",
                          "/.local/state/lotuswall/screenshots"};
    for (size_t i = 0; i < ARRAY_LEN(made); i++) {
        char p[512];
        struct stat st;
        snprintf(p, sizeof p, "%s%s", tmp, made[i]);
        assert_int_equal(stat(p, &st), 0);
        if ((st.st_mode & 07777) != 0700)
            fail_msg("%s: mode %o, want 700", p, st.st_mode & 07777);
    }
    for (size_t i = ARRAY_LEN(made); i-- > 0;) {
        char p[512];
        snprintf(p, sizeof p, "%s%s", tmp, made[i]);
        rmdir(p);
    }
    rmdir(tmp);
}

/* a symlink planted where the screenshot folder goes is refused, not followed */
static void test_screenshots_symlink_refused(void **state)
{
    (void)state;
    char tmp[] = "/tmp/lw-statedir-XXXXXX", got[512], link[512];
    assert_non_null(mkdtemp(tmp));
    snprintf(link, sizeof link, "%s/screenshots", tmp);
    assert_int_equal(symlink("/etc", link), 0);
    struct env env = {tmp, NULL, NULL};
    struct err err = {{0}};
    assert_false(statedir_screenshots(got, sizeof got, lookup, &env, true, &err));
    char want[600];
    snprintf(want, sizeof want, "%s: a symlink, not a folder", link);
    assert_string_equal(err.msg, want);
    unlink(link);
    rmdir(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_screenshots_created_private),
        cmocka_unit_test(test_screenshots_symlink_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
