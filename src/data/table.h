/* Typed, immutable-once-published tables: the one shape in which data moves
 * from a source (demo files, PostgreSQL) to the warning engine, the widgets
 * and the exports.
 *
 * A table is built by one thread (table_new, table_add_row, table_set_*),
 * then published; after that nobody writes it, and any thread may read it.
 * Lifetime is reference counted (table_ref / table_unref, atomic). */
#ifndef LW_TABLE_H
#define LW_TABLE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum col_type {
    COL_TEXT,   /* UTF-8 text */
    COL_NUMBER, /* double; NULL is separate from NaN (both draw a placeholder) */
    COL_PERIOD, /* "2024", "2024-10", "2024-Q3" or "2024-10-31": sorts as text */
};

struct column {
    char *name;
    enum col_type type;
    char **text;          /* COL_TEXT, COL_PERIOD: NULL entry = SQL NULL */
    double *num;          /* COL_NUMBER */
    unsigned char *null;  /* COL_NUMBER: 1 = SQL NULL */
};

struct table {
    int refs;             /* atomic */
    char *name;
    size_t ncols, nrows, cap;
    struct column *cols;
    uint64_t version;     /* bumps when the content changes */
    uint64_t hash;        /* of the content, the same on every host (the poller's); 0: none */
    int64_t fetched_at;   /* unix seconds when the source produced it */
    int refresh_s;        /* the source's refresh interval; 0 = static */
};

/* Caller owns the result (refs = 1); free with table_unref(). ncols may be
 * 0 (names and types NULL) to add the columns one by one. */
struct table *table_new(const char *name, size_t ncols, const char *const *names,
                        const enum col_type *types);
/* The one way a table gets its columns: appends one (name copied) and
 * returns its index. Only before the first row (aborts otherwise). */
size_t table_add_col(struct table *t, const char *name, enum col_type type);
/* An empty table with shape's name, columns, version, fetched_at and
 * refresh_s (refs = 1). */
struct table *table_new_like(const struct table *shape);
/* A deep copy (refs = 1), e.g. to publish a changed version. */
struct table *table_clone(const struct table *t);
struct table *table_ref(struct table *t);
void table_unref(struct table *t); /* NULL is a no-op */

size_t table_add_row(struct table *t); /* every cell starts NULL */
void table_set_text(struct table *t, size_t row, size_t col, const char *s); /* copies; NULL = SQL NULL */
void table_set_num(struct table *t, size_t row, size_t col, double v);

/* Column index by name, or -1. */
int table_col(const struct table *t, const char *name);
bool table_is_null(const struct table *t, size_t row, size_t col);
/* Number cell; NAN for NULL, for text that is no number, and for bad values. */
double table_num(const struct table *t, size_t row, size_t col);
/* Text cell, or NULL for SQL NULL. Numbers are not formatted here. */
const char *table_text(const struct table *t, size_t row, size_t col);
/* Any cell as text into buf (numbers with %.15g); "" for NULL. */
const char *table_cell_str(const struct table *t, size_t row, size_t col, char *buf, size_t len);

/* Row r as a JSON object of its columns (NULL → null, numbers as reals),
 * leaving out the column named `skip` (NULL: none). Caller owns it. */
json_t *table_row_json(const struct table *t, size_t r, const char *skip);

const char *col_type_name(enum col_type t);
bool col_type_parse(const char *s, enum col_type *out);

#endif
