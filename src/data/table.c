#include "data/table.h"
#include "util/util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct table *table_new(const char *name, size_t ncols, const char *const *names,
                        const enum col_type *types)
{
    struct table *t = xcalloc(1, sizeof *t);
    t->refs = 1;
    t->name = xstrdup(name);
    for (size_t c = 0; c < ncols; c++)
        table_add_col(t, names[c], types[c]);
    return t;
}

size_t table_add_col(struct table *t, const char *name, enum col_type type)
{
    if (t->cap) {
        LOG(ERROR, "table %s: column %s added after the first row", t->name, name);
        abort(); /* a programming error: the rows have no cells for it */
    }
    t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof *t->cols);
    t->cols[t->ncols] = (struct column){.name = xstrdup(name), .type = type};
    return t->ncols++;
}

struct table *table_new_like(const struct table *shape)
{
    struct table *out = table_new(shape->name, 0, NULL, NULL);
    for (size_t c = 0; c < shape->ncols; c++)
        table_add_col(out, shape->cols[c].name, shape->cols[c].type);
    out->version = shape->version;
    out->fetched_at = shape->fetched_at;
    out->refresh_s = shape->refresh_s;
    return out;
}

struct table *table_clone(const struct table *t)
{
    struct table *out = table_new_like(t);
    for (size_t r = 0; r < t->nrows; r++) {
        size_t row = table_add_row(out);
        for (size_t c = 0; c < t->ncols; c++) {
            if (table_is_null(t, r, c))
                continue;
            if (t->cols[c].type == COL_NUMBER)
                table_set_num(out, row, c, t->cols[c].num[r]);
            else
                table_set_text(out, row, c, t->cols[c].text[r]);
        }
    }
    return out;
}

struct table *table_ref(struct table *t)
{
    if (t)
        __atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
    return t;
}

void table_unref(struct table *t)
{
    if (!t || __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    for (size_t c = 0; c < t->ncols; c++) {
        struct column *col = &t->cols[c];
        if (col->text) {
            for (size_t r = 0; r < t->nrows; r++)
                free(col->text[r]);
        }
        free(col->text);
        free(col->num);
        free(col->null);
        free(col->name);
    }
    free(t->cols);
    free(t->name);
    free(t);
}

size_t table_add_row(struct table *t)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        for (size_t c = 0; c < t->ncols; c++) {
            struct column *col = &t->cols[c];
            if (col->type == COL_NUMBER) {
                col->num = xrealloc(col->num, t->cap * sizeof *col->num);
                col->null = xrealloc(col->null, t->cap);
            } else {
                col->text = xrealloc(col->text, t->cap * sizeof *col->text);
            }
        }
    }
    size_t r = t->nrows++;
    for (size_t c = 0; c < t->ncols; c++) {
        struct column *col = &t->cols[c];
        if (col->type == COL_NUMBER) {
            col->num[r] = NAN;
            col->null[r] = 1;
        } else {
            col->text[r] = NULL;
        }
    }
    return r;
}

void table_set_text(struct table *t, size_t row, size_t col, const char *s)
{
    struct column *c = &t->cols[col];
    if (c->type == COL_NUMBER) {
        char *end;
        double v = s ? strtod(s, &end) : NAN;
        if (s && (end == s || *end))
            v = NAN; /* text in a numeric column: kept as a bad value */
        c->num[row] = v;
        c->null[row] = s == NULL;
        return;
    }
    free(c->text[row]);
    c->text[row] = s ? xstrdup(s) : NULL;
}

void table_set_num(struct table *t, size_t row, size_t col, double v)
{
    struct column *c = &t->cols[col];
    if (c->type == COL_NUMBER) {
        c->num[row] = v;
        c->null[row] = 0;
    } else {
        char buf[64];
        snprintf(buf, sizeof buf, "%.15g", v);
        table_set_text(t, row, col, buf);
    }
}

int table_col(const struct table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c].name, name) == 0)
            return (int)c;
    return -1;
}

bool table_is_null(const struct table *t, size_t row, size_t col)
{
    const struct column *c = &t->cols[col];
    return c->type == COL_NUMBER ? c->null[row] : c->text[row] == NULL;
}

double table_num(const struct table *t, size_t row, size_t col)
{
    const struct column *c = &t->cols[col];
    if (c->type == COL_NUMBER)
        return c->null[row] ? NAN : c->num[row];
    const char *s = c->text[row];
    if (!s)
        return NAN;
    char *end;
    double v = strtod(s, &end);
    return (end == s || *end) ? NAN : v;
}

const char *table_text(const struct table *t, size_t row, size_t col)
{
    const struct column *c = &t->cols[col];
    return c->type == COL_NUMBER ? NULL : c->text[row];
}

const char *table_cell_str(const struct table *t, size_t row, size_t col, char *buf, size_t len)
{
    const struct column *c = &t->cols[col];
    if (table_is_null(t, row, col))
        return "";
    if (c->type != COL_NUMBER)
        return c->text[row];
    snprintf(buf, len, "%.15g", c->num[row]);
    return buf;
}

static const char *const type_names[] = {"text", "number", "period"};

const char *col_type_name(enum col_type t)
{
    return type_names[t];
}

bool col_type_parse(const char *s, enum col_type *out)
{
    for (size_t i = 0; i < ARRAY_LEN(type_names); i++) {
        if (strcmp(s, type_names[i]) == 0) {
            *out = (enum col_type)i;
            return true;
        }
    }
    return false;
}

json_t *table_row_json(const struct table *t, size_t r, const char *skip)
{
    json_t *row = json_object();
    char buf[64];
    for (size_t c = 0; c < t->ncols; c++) {
        const char *name = t->cols[c].name;
        if (skip && strcmp(name, skip) == 0)
            continue;
        if (table_is_null(t, r, c))
            json_object_set_new(row, name, json_null());
        else if (t->cols[c].type == COL_NUMBER)
            json_object_set_new(row, name, json_real(table_num(t, r, c)));
        else
            json_object_set_new(row, name, json_string(table_cell_str(t, r, c, buf, sizeof buf)));
    }
    return row;
}
