#include "data/catalog.h"
#include "util/json.h"
#include "util/util.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static bool load_table(struct catalog_table *t, json_t *jt, const char *path, size_t i,
                       struct err *err)
{
    const char *name, *title = "";
    json_t *cols;
    if (!json_is_object(jt) || !(name = json_string_value(json_object_get(jt, "name"))) ||
        !json_is_array(cols = json_object_get(jt, "columns")))
        return err_set(err, "%s: tables[%zu]: expected an object with \"name\" and \"columns\"",
                       path, i);
    if (json_is_string(json_object_get(jt, "title")))
        title = json_string_value(json_object_get(jt, "title"));
    t->name = xstrdup(name);
    t->title = xstrdup(title);
    json_t *producer = json_object_get(jt, "producer");
    if (producer && !json_is_string(producer))
        return err_set(err, "%s: tables[%zu].producer: expected a string", path, i);
    t->producer = producer ? xstrdup(json_string_value(producer)) : NULL;
    t->ncols = json_array_size(cols);
    t->cols = xcalloc(t->ncols, sizeof *t->cols);
    for (size_t c = 0; c < t->ncols; c++) {
        json_t *jc = json_array_get(cols, c);
        const char *cname = json_string_value(json_object_get(jc, "name"));
        const char *ctype = json_string_value(json_object_get(jc, "type"));
        const char *ctitle = json_string_value(json_object_get(jc, "title"));
        const char *cunit = json_string_value(json_object_get(jc, "unit"));
        if (!cname || !ctype || !col_type_parse(ctype, &t->cols[c].type))
            return err_set(err,
                           "%s: tables[%zu].columns[%zu]: expected \"name\" and \"type\" "
                           "(text, number or period)",
                           path, i, c);
        t->cols[c].name = xstrdup(cname);
        t->cols[c].title = xstrdup(ctitle ? ctitle : cname);
        t->cols[c].unit = cunit ? xstrdup(cunit) : NULL;
    }
    return true;
}

struct catalog *catalog_load(const char *path, struct err *err)
{
    json_t *root = json_load_checked(path, "catalog", err);
    if (!root)
        return NULL;
    struct catalog *cat = xcalloc(1, sizeof *cat);
    json_t *tables = json_object_get(root, "tables");
    if (!json_is_array(tables)) {
        err_set(err, "%s: tables: expected an array", path);
        goto fail;
    }
    cat->ntables = json_array_size(tables);
    cat->tables = xcalloc(cat->ntables, sizeof *cat->tables);
    for (size_t i = 0; i < cat->ntables; i++) {
        if (!load_table(&cat->tables[i], json_array_get(tables, i), path, i, err))
            goto fail;
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
    }
    free(cat->tables);
    free(cat);
}

const struct catalog_table *catalog_find(const struct catalog *cat, const char *name)
{
    for (size_t i = 0; i < cat->ntables; i++)
        if (strcmp(cat->tables[i].name, name) == 0)
            return &cat->tables[i];
    return NULL;
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
