/* Names of the items scene parameters hold (see names.h). */
#include "data/names.h"
#include "util/util.h"
#include <stdio.h>
#include <string.h>

/* The parameters of the drill-down scenes and the tables that list their
 * items; any other parameter (city, county, …) holds a region code. */
static const struct {
    const char *param, *source, *key, *name;
} named[] = {
    {"project", "projects", "id", "name"},
    {"warning", "warnings", "id", "name"},
    {"enterprise", "help_enterprises", "id", "name"},
    {NULL, "regions", "code", "name"},
};

bool names_find(struct store *store, const char *source, const char *key_col, const char *key,
                const char *col, char *buf, size_t len)
{
    struct table *t = store_get(store, source);
    int kc = t ? table_col(t, key_col) : -1, nc = t ? table_col(t, col) : -1;
    bool found = false;
    for (size_t r = 0; kc >= 0 && nc >= 0 && r < t->nrows && !found; r++) {
        const char *k = table_text(t, r, (size_t)kc), *v = table_text(t, r, (size_t)nc);
        if ((found = k && v && strcmp(k, key) == 0))
            snprintf(buf, len, "%s", v);
    }
    table_unref(t);
    return found;
}

static size_t named_index(const char *param)
{
    size_t i = 0;
    while (named[i].param && strcmp(named[i].param, param) != 0)
        i++;
    return i;
}

const char *names_source(const char *param)
{
    return named[named_index(param)].source;
}

bool names_lookup(struct store *store, const char *param, const char *value, char *buf,
                  size_t len)
{
    size_t i = named_index(param);
    return names_find(store, named[i].source, named[i].key, value, named[i].name, buf, len);
}
