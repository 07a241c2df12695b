/* util/file.h: reading with limits, writing by replacement (nothing planted
 * at a temporary name is followed) and private cache folders. */
#include "common.h"
#include "data/csv.h"
#include "util/file.h"
#include "util/util.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define dir test_dir /* common.h: the group's folder */

static char *in_dir(const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void assert_text(const char *path, const char *want)
{
    struct err err;
    char *s = file_read(path, FILE_MAX_DATA, NULL, &err);
    if (!s)
        fail_msg("%s", err.msg);
    assert_string_equal(s, want);
    free(s);
}

/* Files in dir whose name starts with prefix. */
static int count_files(const char *prefix)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

static void test_read_limits(void **state)
{
    (void)state;
    struct err err;
    size_t len = 0;
    assert_null(file_read("/dev/zero", FILE_MAX_DATA, &len, &err));
    assert_string_equal(err.msg, "/dev/zero: not a regular file");
    assert_null(file_read("/tmp", FILE_MAX_DATA, &len, &err));
    assert_string_equal(err.msg, "/tmp: not a regular file");
    char *big = in_dir("big.json");
    FILE *f = fopen(big, "w");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), (5 << 20) + (1 << 19)), 0);
    fclose(f);
    assert_null(file_read(big, FILE_MAX_CONFIG, &len, &err));
    char want[512];
    snprintf(want, sizeof want, "%s: 5.5 MiB is more than the limit of 4 MiB for this kind of file",
             big);
    assert_string_equal(err.msg, want);
    char *data = file_read(big, FILE_MAX_DATA, &len, &err); /* within the other limit */
    assert_non_null(data);
    assert_int_equal(len, (5 << 20) + (1 << 19));
    free(data);
    free(big);
    assert_null(file_read("/nonexistent/x.json", FILE_MAX_DATA, &len, &err));
    assert_string_equal(err.msg, "/nonexistent/x.json: No such file or directory");
}

/* The old writers used PATH.tmp: a symlink planted there (or at the path
 * itself) must never lead a write to its target. */
static void test_write_planted_links(void **state)
{
    (void)state;
    struct err err;
    char *target = in_dir("target.txt"), *path = in_dir("out.txt"), *old_tmp = in_dir("out.txt.tmp");
    put(target, "precious");
    assert_int_equal(symlink(target, old_tmp), 0);
    assert_true(file_write(path, "new", 3, FILE_SYNC, &err));
    assert_text(target, "precious");
    assert_text(path, "new");
    /* a symlink at the path itself is replaced, not written through */
    unlink(path);
    assert_int_equal(symlink(target, path), 0);
    assert_true(file_write(path, "newer", 5, 0, &err));
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_text(target, "precious");
    assert_int_equal(count_files(".out.txt."), 0); /* no temporary left behind */
    free(target);
    free(path);
    free(old_tmp);
}

/* The CSV cache and the report index: csv_write_table. */
static void test_csv_write_planted_link(void **state)
{
    (void)state;
    struct err err;
    char *target = in_dir("victim.csv"), *path = in_dir("cache.csv"), *old_tmp = in_dir("cache.csv.tmp");
    put(target, "precious");
    assert_int_equal(symlink(target, old_tmp), 0);
    const char *names[] = {"a"};
    enum col_type types[] = {COL_TEXT};
    struct table *t = table_new("t", 1, names, types);
    table_set_text(t, table_add_row(t), 0, "x");
    assert_true(csv_write_table(t, path, &err));
    table_unref(t);
    assert_text(target, "precious");
    assert_text(path, "a\nx\n");
    free(target);
    free(path);
    free(old_tmp);
}

static void test_write_errors(void **state)
{
    (void)state;
    struct err err;
    assert_false(file_write("/nonexistent/dir/x.png", "x", 1, 0, &err));
    assert_string_equal(err.msg, "/nonexistent/dir/x.png: No such file or directory");
    /* a commit that cannot rename (the path is a folder) leaves nothing behind */
    char *sub = in_dir("afolder");
    assert_int_equal(mkdir(sub, 0755), 0);
    assert_false(file_write(sub, "x", 1, 0, &err));
    assert_int_equal(count_files(".afolder."), 0);
    struct file_out o;
    assert_true(file_out_open(&o, sub, 0, &err));
    fputs("x", o.f);
    file_out_abort(&o);
    assert_int_equal(count_files(".afolder."), 0);
    free(sub);
}

static void test_private_dir(void **state)
{
    (void)state;
    struct err err;
    char *base = in_dir("cache");
    char *p = file_private_dir(base, "lotuswall/0123", &err);
    if (!p)
        fail_msg("%s", err.msg);
    struct stat st;
    assert_int_equal(lstat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    free(p);
    /* a folder others may write to is refused; one only readable is narrowed */
    char *lw = in_dir("cache/lotuswall"), *want = NULL;
    chmod(lw, 0777);
    assert_null(file_private_dir(base, "lotuswall/0123", &err));
    want = xasprintf("%s: writable by others (mode 0777)", lw);
    assert_string_equal(err.msg, want);
    free(want);
    chmod(lw, 0755);
    p = file_private_dir(base, "lotuswall/0123", &err);
    assert_non_null(p);
    assert_int_equal(stat(lw, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    free(p);
    /* a folder of another user, or a symlink, is refused */
    if (geteuid() == 0) {
        assert_int_equal(chown(lw, 65534, 65534), 0);
        assert_null(file_private_dir(base, "lotuswall/0123", &err));
        want = xasprintf("%s: owned by uid 65534, not by this user (uid 0)", lw);
        assert_string_equal(err.msg, want);
        free(want);
        assert_int_equal(chown(lw, 0, 0), 0);
    }
    char *elsewhere = in_dir("elsewhere"), *link = in_dir("cache/lotuswall/link");
    assert_int_equal(mkdir(elsewhere, 0700), 0);
    assert_int_equal(symlink(elsewhere, link), 0);
    assert_null(file_private_dir(base, "lotuswall/link", &err));
    want = xasprintf("%s: a symlink, not a folder", link);
    assert_string_equal(err.msg, want);
    free(want);
    free(elsewhere);
    free(link);
    free(lw);
    /* the shared temp folder is never private */
    assert_null(file_private_dir("/tmp", "lotuswall", &err));
    assert_string_equal(err.msg, "/tmp: writable by others (mode 1777)");
    free(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_limits),
        cmocka_unit_test(test_write_planted_links),
        cmocka_unit_test(test_csv_write_planted_link),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_private_dir),
    };
    return cmocka_run_group_tests(tests, test_dir_setup, test_dir_teardown);
}
