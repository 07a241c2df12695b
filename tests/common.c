#include "common.h"
#include "util/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void test_app_open(struct app *app)
{
    app_environment();
    memset(app, 0, sizeof *app);
    struct err err = {{0}};
    if (!app_open(app, TEST_NOW, &err))
        fail_msg("app_open: %s", err.msg);
}

struct app test_app;

int test_app_setup(void **state)
{
    test_app_open(&test_app);
    return 0;
}

int test_app_teardown(void **state)
{
    app_close(&test_app);
    return 0;
}

const char *test_out_dir(void)
{
    const char *d = getenv("LW_TEST_OUT");
    d = d && *d ? d : "/tmp/lotuswall-test-out";
    mkdir(d, 0755);
    return d;
}

char test_dir[64];

int test_dir_setup(void **state)
{
    (void)state;
    snprintf(test_dir, sizeof test_dir, "/tmp/lw-test-XXXXXX");
    return mkdtemp(test_dir) ? 0 : -1;
}

int test_dir_teardown(void **state)
{
    (void)state;
    char *cmd = xasprintf("rm -rf '%s'", test_dir);
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}
