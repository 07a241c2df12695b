/* The data catalog: every table's name and columns, defined once in
 * db/catalog.json. The demo source checks its files against it, the scene
 * loader checks bindings against it, and the PostgreSQL schema is built
 * from it. */
#ifndef LW_CATALOG_H
#define LW_CATALOG_H
#include "data/table.h"
#include "util/err.h"

struct catalog_column {
    char *name;
    enum col_type type;
    char *title; /* Chinese label, for docs and the data exchange */
    char *unit;  /* may be NULL */
    bool key;    /* part of the row's identity: "$latest" is taken per other key column */
};

struct catalog_table {
    char *name;
    char *title;
    char *source;   /* provenance (数据来源), e.g. 市统计局; NULL when not given */
    char *producer; /* NULL for data tables; "engine": made by the warning engine,
                       so no demo file and no demo load; "report": by `lotuswall
                       report`; "walls": the fleet's heartbeats, a view over
                       lotuswall.walls (migration 0012); "deliver": the
                       delivery health, a view over lotuswall_deliver
                       (migration 0015). These two have a demo file but no
                       demo load: catalog_is_view */
    size_t ncols;
    struct catalog_column *cols;
};

struct catalog {
    size_t ntables;
    struct catalog_table *tables;
};

/* NULL + *err on failure; free with catalog_destroy(). */
struct catalog *catalog_load(const char *path, struct err *err);
void catalog_destroy(struct catalog *cat);
const struct catalog_table *catalog_find(const struct catalog *cat, const char *name);
/* A view that a migration writes over tables of lotuswall's own (producer
 * "walls" or "deliver"): not a table of data, so no table, no demo load and
 * no reader grant from the catalog; a demo file for the demo only. */
bool catalog_is_view(const struct catalog_table *t);
int catalog_col(const struct catalog_table *t, const char *name);
/* "a, b, c": the known table names, for error messages. Caller frees. */
char *catalog_names(const struct catalog *cat);
char *catalog_column_names(const struct catalog_table *t);
/* An empty table with t's name and columns (refs = 1). */
struct table *catalog_table_new(const struct catalog_table *t);

#endif
