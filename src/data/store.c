#include "data/store.h"
#include "util/hash.h"
#include "util/util.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct store {
    pthread_mutex_t lock;
    struct table **tables; /* guarded by lock */
    bool *offline;         /* guarded by lock; one per table */
    size_t ntables, cap;   /* guarded by lock */
    uint64_t stamp;        /* guarded by lock; see store_stamp */
    bool demo;             /* guarded by lock; see store_set_demo */
};

/* Stamps are unique in the process: no two stores, and no two states of
 * one store, ever share one. */
static atomic_uint_fast64_t next_stamp = 1;

struct store *store_new(void)
{
    struct store *s = xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    s->stamp = atomic_fetch_add(&next_stamp, 1);
    return s;
}

uint64_t store_stamp(struct store *s)
{
    pthread_mutex_lock(&s->lock);
    uint64_t v = s->stamp;
    pthread_mutex_unlock(&s->lock);
    return v;
}

void store_destroy(struct store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ntables; i++)
        table_unref(s->tables[i]);
    free(s->tables);
    free(s->offline);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

void store_put(struct store *s, struct table *t)
{
    pthread_mutex_lock(&s->lock);
    s->stamp = atomic_fetch_add(&next_stamp, 1);
    for (size_t i = 0; i < s->ntables; i++) {
        if (strcmp(s->tables[i]->name, t->name) == 0) {
            struct table *old = s->tables[i];
            s->tables[i] = t;
            pthread_mutex_unlock(&s->lock);
            table_unref(old);
            return;
        }
    }
    size_t cap = s->cap;
    VEC_PUSH(s->tables, s->ntables, s->cap, t);
    if (s->cap != cap)
        s->offline = xrealloc(s->offline, s->cap * sizeof *s->offline);
    s->offline[s->ntables - 1] = false;
    pthread_mutex_unlock(&s->lock);
}

void store_set_demo(struct store *s, bool demo)
{
    pthread_mutex_lock(&s->lock);
    s->demo = demo;
    pthread_mutex_unlock(&s->lock);
}

bool store_is_demo(struct store *s)
{
    pthread_mutex_lock(&s->lock);
    bool demo = s->demo;
    pthread_mutex_unlock(&s->lock);
    return demo;
}

void store_set_offline(struct store *s, const char *name, bool offline)
{
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->ntables; i++)
        if (strcmp(s->tables[i]->name, name) == 0)
            s->offline[i] = offline;
    pthread_mutex_unlock(&s->lock);
}

bool store_is_offline(struct store *s, const char *name)
{
    bool off = false;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->ntables; i++)
        if (strcmp(s->tables[i]->name, name) == 0)
            off = s->offline[i];
    pthread_mutex_unlock(&s->lock);
    return off;
}

struct table *store_get(struct store *s, const char *name)
{
    struct table *t = NULL;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->ntables; i++) {
        if (strcmp(s->tables[i]->name, name) == 0) {
            t = table_ref(s->tables[i]);
            break;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return t;
}

char *store_names(struct store *s)
{
    char *out = NULL;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->ntables; i++)
        str_list_add(&out, ", ", s->tables[i]->name);
    pthread_mutex_unlock(&s->lock);
    return out ? out : xstrdup("");
}

uint64_t store_generation(struct store *s)
{
    uint64_t g = 0;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->ntables; i++)
        g += s->tables[i]->version;
    pthread_mutex_unlock(&s->lock);
    return g;
}

static uint64_t content_hash(const struct store *s) /* under s->lock */
{
    uint64_t h = 0;
    for (size_t i = 0; i < s->ntables; i++) /* a sum: the order does not matter */
        h += hash_mix(hash_str(HASH_FNV_BASIS, s->tables[i]->name), s->tables[i]->hash);
    return h;
}

uint64_t store_content_hash(struct store *s)
{
    pthread_mutex_lock(&s->lock);
    uint64_t h = content_hash(s);
    pthread_mutex_unlock(&s->lock);
    return h;
}

/* src's tables (new references) and offline marks when its content hash is
 * `want` (0: any); caller frees the arrays. The hash, or 0 and no tables. */
static uint64_t store_take_all(struct store *src, uint64_t want, struct table ***tables,
                               bool **offline, size_t *n)
{
    pthread_mutex_lock(&src->lock);
    uint64_t h = content_hash(src);
    *n = want == 0 || h == want ? src->ntables : 0;
    *tables = xcalloc(*n + 1, sizeof **tables);
    *offline = xcalloc(*n + 1, sizeof **offline);
    for (size_t i = 0; i < *n; i++)
        (*tables)[i] = table_ref(src->tables[i]), (*offline)[i] = src->offline[i];
    pthread_mutex_unlock(&src->lock);
    return *n ? h : 0;
}

uint64_t store_copy(struct store *dst, struct store *src, uint64_t want)
{
    struct table **t;
    bool *off;
    size_t n;
    uint64_t h = store_take_all(src, want, &t, &off, &n);
    for (size_t i = 0; i < n; i++) {
        struct table *keep = table_ref(t[i]); /* store_put takes the reference over */
        store_put(dst, t[i]);
        store_set_offline(dst, keep->name, off[i]);
        table_unref(keep);
    }
    free(t);
    free(off);
    return h;
}

void store_copy_offline(struct store *dst, struct store *src)
{
    struct table **t;
    bool *off;
    size_t n;
    store_take_all(src, 0, &t, &off, &n);
    for (size_t i = 0; i < n; i++) {
        store_set_offline(dst, t[i]->name, off[i]);
        table_unref(t[i]);
    }
    free(t);
    free(off);
}
