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

bool names_lookup(struct store *store, const char *param, const char *value, char *buf,
                  size_t len)
{
    size_t i = 0;
    while (named[i].param && strcmp(named[i].param, param) != 0)
        i++;
    struct table *t = store_get(store, named[i].source);
    int kc = t ? table_col(t, named[i].key) : -1, nc = t ? table_col(t, named[i].name) : -1;
    bool found = false;
    for (size_t r = 0; kc >= 0 && nc >= 0 && r < t->nrows && !found; r++) {
        const char *k = table_text(t, r, (size_t)kc), *name = table_text(t, r, (size_t)nc);
        if ((found = k && name && strcmp(k, value) == 0))
            snprintf(buf, len, "%s", name);
    }
    table_unref(t);
    return found;
}
