/* The embedded demo source: the canonical demo files under db/demo/, one CSV
 * per catalog table. The same files are loaded into PostgreSQL, so the demo
 * and a database show the same numbers. */
#include "data/csv.h"
#include "data/store.h"
#include "util/file.h"
#include "util/util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool check_header(const struct catalog_table *def, const struct csv *c, struct err *err)
{
    bool same = c->nfields == def->ncols;
    for (size_t i = 0; same && i < def->ncols; i++)
        same = strcmp(c->fields[i], def->cols[i].name) == 0;
    if (same)
        return true;
    char *want = catalog_column_names(def);
    err_set(err, "%s:1: the header does not match the catalog's columns for table %s: %s",
            c->path, def->name, want);
    free(want);
    return false;
}

struct table *demo_read_csv(const struct catalog_table *def, const char *path, struct err *err)
{
    size_t len;
    char *data = file_read(path, FILE_MAX_DATA, &len, err);
    if (!data)
        return NULL;
    if (!utf8_valid(data, len)) {
        free(data);
        err_set(err, "%s: not valid UTF-8", path);
        return NULL;
    }
    struct table *t = catalog_table_new(def);

    struct csv c;
    csv_init(&c, path, data, len);
    int rc = csv_next(&c, err);
    if (rc == 0)
        err_set(err, "%s:1: empty file, expected a header line", path);
    if (rc <= 0 || !check_header(def, &c, err))
        goto fail;
    while ((rc = csv_next(&c, err)) > 0) {
        if (c.nfields != def->ncols) {
            err_set(err, "%s:%zu: expected %zu fields, found %zu", path, c.line, def->ncols,
                    c.nfields);
            goto fail;
        }
        size_t r = table_add_row(t);
        for (size_t i = 0; i < def->ncols; i++) {
            const char *f = c.fields[i];
            if (def->cols[i].type == COL_NUMBER && *f) {
                char *end;
                strtod(f, &end);
                if (*end) {
                    err_set(err, "%s:%zu: column %s: expected a number, found \"%s\"", path,
                            c.line, def->cols[i].name, f);
                    goto fail;
                }
            }
            table_set_text(t, r, i, *f ? f : NULL); /* empty field = NULL */
        }
    }
    if (rc < 0)
        goto fail;
    csv_finish(&c);
    free(data);
    t->version = 1;
    return t;
fail:
    csv_finish(&c);
    free(data);
    table_unref(t);
    return NULL;
}

static bool held(struct store *s, const char *name)
{
    struct table *t = store_get(s, name);
    table_unref(t);
    return t != NULL;
}

static bool needed(const char *name, const char *const *need, size_t nneed)
{
    for (size_t i = 0; need && i < nneed; i++)
        if (strcmp(need[i], name) == 0)
            return true;
    return !need;
}

bool demo_load(struct store *s, const struct catalog *cat, const char *dir, int64_t now,
               const char *const *need, size_t nneed, struct err *err)
{
    for (size_t i = 0; i < cat->ntables; i++) {
        const struct catalog_table *def = &cat->tables[i];
        /* made by its producer (the warning engine), not a file; the demo's
         * views (the fleet, the delivery health) are files of demo rows */
        if (def->producer && !catalog_is_view(def))
            continue;
        if (!needed(def->name, need, nneed) || held(s, def->name))
            continue;
        char *path = xasprintf("%s/%s.csv", dir, def->name);
        struct table *t = demo_read_csv(def, path, err);
        free(path);
        if (!t)
            return false;
        t->fetched_at = now;
        store_put(s, t);
    }
    store_set_demo(s, true);
    return true;
}
