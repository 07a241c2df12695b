/* The shared helpers of src/util that replaced copies: the FNV-1a hash
 * (published test vectors), the "a, b, c" lists of messages, the RSS, the
 * file watch. */
#include "common.h"
#include "util/filewatch.h"
#include "util/hash.h"
#include "util/util.h"
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void test_fnv1a_vectors(void **state)
{
    (void)state;
    /* from the FNV reference test suite (64-bit FNV-1a) */
    assert_true(hash_str(HASH_FNV_BASIS, "") == 0xcbf29ce484222325ull);
    assert_true(hash_str(HASH_FNV_BASIS, "a") == 0xaf63dc4c8601ec8cull);
    assert_true(hash_str(HASH_FNV_BASIS, "foobar") == 0x85944171f73967e8ull);
    /* chaining is hashing the concatenation; a mixed-in value is one byte more */
    assert_true(hash_str(hash_str(HASH_FNV_BASIS, "foo"), "bar") ==
                hash_str(HASH_FNV_BASIS, "foobar"));
    assert_true(hash_mix(hash_str(HASH_FNV_BASIS, "fooba"), 'r') ==
                hash_str(HASH_FNV_BASIS, "foobar"));
}

static void test_str_list(void **state)
{
    (void)state;
    char *list = NULL;
    str_list_add(&list, ", ", "甲");
    assert_string_equal(list, "甲");
    str_list_add(&list, ", ", "");
    str_list_add(&list, "、", "丙");
    assert_string_equal(list, "甲, 、丙");
    for (int i = 0; i < 1000; i++) /* no fixed buffer: long lists stay whole */
        str_list_add(&list, ", ", "name");
    assert_int_equal(strlen(list), strlen("甲, 、丙") + 1000 * strlen(", name"));
    free(list);
}

static void test_rss(void **state)
{
    (void)state;
    long kb = rss_kb();
    assert_true(kb > 100 && kb < 10L * 1024 * 1024);
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Only the watched file's events count: a status file written beside a
 * playlist every second reloaded the playlist every second. */
static void test_filewatch_names(void **state)
{
    (void)state;
    char dir[] = "/tmp/lw-watch-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *pl = xasprintf("%s/pl.json", dir), *status = xasprintf("%s/status.json", dir);
    char *tmp = xasprintf("%s/pl.json.new", dir);
    struct filewatch fw;
    assert_true(filewatch_init(&fw));
    filewatch_add(&fw, pl);
    filewatch_add(&fw, pl); /* twice: still one entry */
    assert_int_equal(fw.nfiles, 1);
    assert_false(filewatch_changed(&fw));
    put(status, "{}");
    assert_false(filewatch_changed(&fw));
    put(pl, "{}"); /* written in place */
    assert_true(filewatch_changed(&fw));
    assert_false(filewatch_changed(&fw)); /* drained */
    put(tmp, "{}"); /* an editor's replacement: the temporary name does not count, */
    assert_false(filewatch_changed(&fw));
    assert_int_equal(rename(tmp, pl), 0); /* the move does */
    assert_true(filewatch_changed(&fw));
    filewatch_close(&fw);
    unlink(pl), unlink(status);
    rmdir(dir);
    free(pl), free(status), free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fnv1a_vectors),
        cmocka_unit_test(test_str_list),
        cmocka_unit_test(test_rss),
        cmocka_unit_test(test_filewatch_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
