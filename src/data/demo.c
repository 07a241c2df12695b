/* The embedded demo source: the canonical demo files under db/demo/, one CSV
 * per catalog table. The same files are loaded into PostgreSQL, so the demo
 * and a database show the same numbers. */
#include "data/csv.h"
#include "data/store.h"
#include "util/file.h"
#include "util/pool.h"
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

/* The tables of one demo_load, read on the pool: each into its slot, put
 * into the store afterwards in catalog order (and the first error in that
 * order is the one said), so nothing depends on the threads. */
struct reads {
    const struct catalog_table **defs;
    const char *dir;
    struct table **tables;
    struct err *errs;
};

static void read_one(void *arg, size_t i, unsigned worker)
{
    struct reads *r = arg;
    char *path = xasprintf("%s/%s.csv", r->dir, r->defs[i]->name);
    r->tables[i] = demo_read_csv(r->defs[i], path, &r->errs[i]);
    free(path);
}

bool demo_load(struct store *s, const struct catalog *cat, const char *dir, int64_t now,
               const char *const *need, size_t nneed, struct err *err)
{
    struct reads r = {.defs = xcalloc(cat->ntables + 1, sizeof *r.defs), .dir = dir};
    size_t n = 0;
    for (size_t i = 0; i < cat->ntables; i++) {
        const struct catalog_table *def = &cat->tables[i];
        /* made by its producer (the warning engine), not a file; the demo's
         * views (the fleet, the delivery health) are files of demo rows */
        if (def->producer && !catalog_is_view(def))
            continue;
        if (needed(def->name, need, nneed) && !held(s, def->name))
            r.defs[n++] = def;
    }
    r.tables = xcalloc(n + 1, sizeof *r.tables);
    r.errs = xcalloc(n + 1, sizeof *r.errs);
    /* CSV parsing is most of a load: a few tables are not worth a thread */
    unsigned threads = n >= 4 ? pool_default_size() : 1;
    struct pool *pool = threads > 1 ? pool_new(threads < n ? threads : (unsigned)n) : NULL;
    pool_run(pool, n, read_one, &r);
    pool_destroy(pool);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        if (ok && !r.tables[i]) {
            *err = r.errs[i];
            ok = false;
        }
        if (ok) {
            r.tables[i]->fetched_at = now;
            store_put(s, r.tables[i]);
        } else {
            table_unref(r.tables[i]);
        }
    }
    free(r.defs);
    free(r.tables);
    free(r.errs);
    if (ok)
        store_set_demo(s, true);
    return ok;
}
