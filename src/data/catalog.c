#include "data/catalog.h"
#include "util/json.h"
#include "util/util.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Every name and text of the catalog ends up in SQL (`db schema`), in file
 * names (db/demo/<table>.csv) and in documents, so the loader takes only what
 * is safe everywhere: names are lower-case identifiers, and texts carry no
 * control characters (a line break in a title once ended an SQL comment and
 * ran the rest of the title as SQL). */
static bool is_identifier(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63 || !((*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

enum text_kind { TEXT_OPTIONAL, TEXT_REQUIRED, TEXT_NAME };

/* obj.key, checked, into *out (a copy; NULL when absent and optional). */
static bool get_text(json_t *obj, const char *key, enum text_kind kind, char **out,
                     const char *path, const char *base, struct err *err)
{
    struct jpath jp;
    jpath_key(&jp, base, key);
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v && kind == TEXT_OPTIONAL)
        return true;
    if (!json_is_string(v))
        return json_fail(err, path, jp.s, "expected a string");
    const char *s = json_string_value(v);
    if (kind == TEXT_NAME && !is_identifier(s))
        return json_fail(err, path, jp.s,
                         "expected an identifier (a-z, 0-9 and _, not first a digit, at most 63 "
                         "characters), found \"%s\"", s);
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return json_fail(err, path, jp.s,
                             "control characters (line breaks, tabs) are not allowed");
    *out = xstrdup(s);
    return true;
}

static bool load_column(struct catalog_column *col, json_t *jc, const char *path, const char *jp,
                        struct err *err)
{
    static const char *const known[] = {"name", "type", "title", "unit", "key", NULL};
    char *type = NULL;
    if (!json_is_object(jc))
        return json_fail(err, path, jp, "expected an object with \"name\" and \"type\"");
    json_t *key = json_object_get(jc, "key");
    struct jpath kp;
    if (key && !json_is_boolean(key))
        return json_fail(err, path, jpath_key(&kp, jp, "key"), "expected true or false");
    col->key = json_is_true(key);
    bool ok = json_check_keys(err, path, jp, jc, known) &&
              get_text(jc, "name", TEXT_NAME, &col->name, path, jp, err) &&
              get_text(jc, "type", TEXT_REQUIRED, &type, path, jp, err) &&
              get_text(jc, "title", TEXT_OPTIONAL, &col->title, path, jp, err) &&
              get_text(jc, "unit", TEXT_OPTIONAL, &col->unit, path, jp, err);
    if (ok && !col_type_parse(type, &col->type)) {
        struct jpath t;
        ok = json_fail(err, path, jpath_key(&t, jp, "type"),
                       "expected text, number or period, found \"%s\"", type);
    }
    if (ok && !col->title)
        col->title = xstrdup(col->name);
    free(type);
    return ok;
}

static bool load_table(struct catalog_table *t, json_t *jt, const char *path, size_t i,
                       struct err *err)
{
    static const char *const known[] = {"name", "title", "source", "producer", "columns", NULL};
    struct jpath jp, cp, ci;
    jpath_idx(&jp, "tables", i);
    if (!json_is_object(jt))
        return json_fail(err, path, jp.s, "expected an object with \"name\" and \"columns\"");
    json_t *cols = json_object_get(jt, "columns");
    if (!json_check_keys(err, path, jp.s, jt, known) ||
        !get_text(jt, "name", TEXT_NAME, &t->name, path, jp.s, err) ||
        !get_text(jt, "title", TEXT_OPTIONAL, &t->title, path, jp.s, err) ||
        !get_text(jt, "source", TEXT_OPTIONAL, &t->source, path, jp.s, err) ||
        !get_text(jt, "producer", TEXT_OPTIONAL, &t->producer, path, jp.s, err))
        return false;
    if (!t->title)
        t->title = xstrdup("");
    if (t->producer && strcmp(t->producer, "engine") != 0 && strcmp(t->producer, "report") != 0 &&
        !catalog_is_view(t))
        return json_fail(err, path, jpath_key(&cp, jp.s, "producer"),
                         "expected \"engine\", \"report\", \"walls\" or \"deliver\", found \"%s\"",
                         t->producer);
    jpath_key(&cp, jp.s, "columns");
    if (!json_is_array(cols) || json_array_size(cols) == 0)
        return json_fail(err, path, cp.s, "expected an array of columns");
    t->ncols = json_array_size(cols);
    t->cols = xcalloc(t->ncols, sizeof *t->cols);
    for (size_t c = 0; c < t->ncols; c++) {
        if (!load_column(&t->cols[c], json_array_get(cols, c), path, jpath_idx(&ci, cp.s, c), err))
            return false;
        for (size_t k = 0; k < c; k++)
            if (strcmp(t->cols[k].name, t->cols[c].name) == 0)
                return json_fail(err, path, jpath_key(&jp, ci.s, "name"),
                                 "\"%s\" is already columns[%zu]", t->cols[c].name, k);
    }
    return true;
}

/* The first of tables[0..n) named `name`. */
static const struct catalog_table *catalog_find_n(const struct catalog *cat, size_t n,
                                                  const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cat->tables[i].name, name) == 0)
            return &cat->tables[i];
    return NULL;
}

const struct catalog_table *catalog_find(const struct catalog *cat, const char *name)
{
    return catalog_find_n(cat, cat->ntables, name);
}

bool catalog_is_view(const struct catalog_table *t)
{
    return t->producer && (strcmp(t->producer, "walls") == 0 || strcmp(t->producer, "deliver") == 0);
}

struct catalog *catalog_load(const char *path, struct err *err)
{
    json_t *root = json_load_checked(path, "catalog", err);
    if (!root)
        return NULL;
    struct catalog *cat = xcalloc(1, sizeof *cat);
    static const char *const known[] = {"kind", "version", "tables", NULL};
    json_t *tables = json_object_get(root, "tables");
    if (!json_check_keys(err, path, "", root, known))
        goto fail;
    if (!json_is_array(tables)) {
        err_set(err, "%s: tables: expected an array", path);
        goto fail;
    }
    cat->ntables = json_array_size(tables);
    cat->tables = xcalloc(cat->ntables, sizeof *cat->tables);
    for (size_t i = 0; i < cat->ntables; i++) {
        if (!load_table(&cat->tables[i], json_array_get(tables, i), path, i, err))
            goto fail;
        const struct catalog_table *dup = catalog_find_n(cat, i, cat->tables[i].name);
        if (dup) {
            struct jpath jp, np;
            json_fail(err, path, jpath_key(&np, jpath_idx(&jp, "tables", i), "name"),
                      "\"%s\" is already tables[%zu]", dup->name, (size_t)(dup - cat->tables));
            goto fail;
        }
    }
    json_decref(root);
    return cat;
fail:
    json_decref(root);
    catalog_destroy(cat);
    return NULL;
}

void catalog_destroy(struct catalog *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; i < cat->ntables; i++) {
        struct catalog_table *t = &cat->tables[i];
        for (size_t c = 0; c < t->ncols; c++) {
            free(t->cols[c].name);
            free(t->cols[c].title);
            free(t->cols[c].unit);
        }
        free(t->cols);
        free(t->name);
        free(t->title);
        free(t->producer);
        free(t->source);
    }
    free(cat->tables);
    free(cat);
}



int catalog_col(const struct catalog_table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c].name, name) == 0)
            return (int)c;
    return -1;
}

char *catalog_names(const struct catalog *cat)
{
    char *list = NULL;
    for (size_t i = 0; i < cat->ntables; i++)
        str_list_add(&list, ", ", cat->tables[i].name);
    return list ? list : xstrdup("");
}

char *catalog_column_names(const struct catalog_table *t)
{
    char *list = NULL;
    for (size_t i = 0; i < t->ncols; i++)
        str_list_add(&list, ", ", t->cols[i].name);
    return list ? list : xstrdup("");
}

struct table *catalog_table_new(const struct catalog_table *def)
{
    struct table *t = table_new(def->name, 0, NULL, NULL);
    for (size_t i = 0; i < def->ncols; i++)
        table_add_col(t, def->cols[i].name, def->cols[i].type);
    return t;
}
