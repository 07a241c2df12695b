/* The store's content hash and its gated copy, which a splice wall's parts
 * use to show new data only at the version their leader announced
 * (app/splice.h): the hash is the same for the same content whatever the
 * order of the tables or their local versions, and a copy at a version the
 * source does not have copies nothing. */
#include "common.h"
#include "data/store.h"
#include "util/util.h"
#include <stdlib.h>
#include <string.h>

static struct table *named(const char *name, uint64_t hash, uint64_t version)
{
    const char *cols[] = {"v"};
    enum col_type types[] = {COL_NUMBER};
    struct table *t = table_new(name, 1, cols, types);
    t->hash = hash, t->version = version;
    return t;
}

static void test_hash_ignores_order_and_versions(void **state)
{
    (void)state;
    struct store *a = store_new(), *b = store_new();
    assert_int_equal(store_content_hash(a), 0);
    store_put(a, named("x", 1, 1));
    store_put(a, named("y", 2, 7));
    store_put(b, named("y", 2, 1));
    store_put(b, named("x", 1, 3));
    assert_true(store_content_hash(a) != 0);
    assert_true(store_content_hash(a) == store_content_hash(b));
    store_put(b, named("x", 5, 4)); /* new content of one source */
    assert_true(store_content_hash(a) != store_content_hash(b));
    store_put(a, named("z", 0, 1)); /* one more source */
    store_put(b, named("x", 1, 5));
    assert_true(store_content_hash(a) != store_content_hash(b));
    store_destroy(a);
    store_destroy(b);
}

static void test_copy_only_at_the_version(void **state)
{
    (void)state;
    struct store *in = store_new(), *out = store_new();
    store_put(in, named("x", 1, 1));
    store_put(in, named("y", 2, 1));
    store_set_offline(in, "y", true);
    uint64_t v1 = store_content_hash(in);
    struct {
        uint64_t want;          /* 0: any */
        uint64_t copied;        /* what store_copy returns */
    } cases[] = {{v1 + 1, 0}, {0, v1}, {v1, v1}};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        assert_true(store_copy(out, in, cases[i].want) == cases[i].copied);
    assert_true(store_content_hash(out) == v1);
    assert_true(store_is_offline(out, "y") && !store_is_offline(out, "x"));
    store_put(in, named("x", 9, 2)); /* newer than announced: nothing moves */
    assert_int_equal(store_copy(out, in, v1), 0);
    assert_true(store_content_hash(out) == v1);
    store_set_offline(in, "y", false);
    store_copy_offline(out, in); /* the marks follow at once */
    assert_false(store_is_offline(out, "y"));
    store_destroy(in);
    store_destroy(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_ignores_order_and_versions),
        cmocka_unit_test(test_copy_only_at_the_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
