#include "render/assets.h"
#include "util/util.h"
#include <stdlib.h>
#include <string.h>

#define MAX_ASSETS 32 /* a scene names a few files; beyond this the oldest goes */

struct asset {
    char *key;
    void *obj;
    void (*destroy)(void *);
};

struct assets {
    struct asset items[MAX_ASSETS];
    size_t n;
};

static void asset_free(struct asset *a)
{
    if (a->obj && a->destroy)
        a->destroy(a->obj);
    free(a->key);
}

void *assets_get(struct render *r, const char *key, bool *found)
{
    *found = false;
    for (size_t i = 0; r->assets && i < r->assets->n; i++)
        if (strcmp(r->assets->items[i].key, key) == 0) {
            *found = true;
            return r->assets->items[i].obj;
        }
    return NULL;
}

void assets_put(struct render *r, const char *key, void *obj, void (*destroy)(void *))
{
    if (!r->assets)
        r->assets = xcalloc(1, sizeof *r->assets);
    struct assets *a = r->assets;
    if (a->n == MAX_ASSETS) {
        asset_free(&a->items[0]);
        memmove(a->items, a->items + 1, (MAX_ASSETS - 1) * sizeof a->items[0]);
        a->n--;
    }
    a->items[a->n++] = (struct asset){xstrdup(key), obj, destroy};
}

void assets_destroy(struct assets *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++)
        asset_free(&a->items[i]);
    free(a);
}
