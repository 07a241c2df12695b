/* Shared test helpers: cmocka plus the project's environment. */
#ifndef LW_TEST_COMMON_H
#define LW_TEST_COMMON_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "app/app.h"

/* 2024-11-15 09:30:00 Asia/Shanghai: the clock of every golden image. */
#define TEST_NOW 1731634200

/* Sets TZ and fonts like the CLI does, and opens the demo data. */
void test_app_open(struct app *app);
/* The app that group setup/teardown open over the demo data. */
extern struct app test_app;
int test_app_setup(void **state);
int test_app_teardown(void **state);
/* Where tests write actual/diff images: $LW_TEST_OUT or /tmp. */
const char *test_out_dir(void);

/* A fresh folder /tmp/lw-test-XXXXXX in test_dir, removed with all it holds:
 * a group's setup and teardown (cmocka_run_group_tests). */
extern char test_dir[64];
int test_dir_setup(void **state);
int test_dir_teardown(void **state);

#endif
