/* Bindings: how a panel asks a table for its data. A query filters rows
 * (column = value, column in [values], column = "$latest"), maps columns to
 * the widget's roles, optionally groups (summing numbers), sorts and limits.
 * The result is a new table whose columns are the roles, so widgets never
 * see source column names. The PostgreSQL source builds the same query in
 * SQL from quoted identifiers and bound parameters. */
#ifndef LW_QUERY_H
#define LW_QUERY_H
#include "data/table.h"
#include "util/err.h"
#include <stdbool.h>

#define QUERY_LATEST "$latest"
#define QUERY_COUNT "#"   /* as a field's column: 1 per row, so group_by counts rows;
                             without group_by the whole is counted: one row (0 over none) */

#define QUERY_PERIOD "period" /* the column that query.until bounds */

struct query_filter {
    char *column;
    char **values; /* match any; QUERY_LATEST = the largest value of the column */
    size_t nvalues;
    /* The values are region codes (GB/T 2260) and a cell matches a region
     * or any region under it: 411000 takes 411000, 411002, …, 411082 (the
     * pairs of zeros at its end stand for "every"); 411081 takes itself. So
     * a list of projects shows all of them for the city and a county's own. */
    bool within; /* a cell naming a region (禹州市, 许昌经开区) is matched by the
                    regions table's code for it (query_run_regions); a cell with no
                    region (empty, or a name the table lacks) belongs to the top
                    region's view (a code ending in 00) only */
    /* For QUERY_LATEST: the table's other key columns. The largest value is
     * taken per distinct combination of them, so monthly and quarterly
     * indicators in one table each keep their own latest period. */
    char **per;
    size_t nper;
};

struct query_field {
    char *role;
    char *column;
};

struct query {
    char *source;
    struct query_filter *filters;
    size_t nfilters;
    struct query_field *fields;
    size_t nfields;
    char *group_by; /* a role, or NULL */
    char *sort_by;  /* a role, or NULL = source order */
    bool sort_desc;
    size_t limit;   /* 0 = all rows */
    int refresh_s;  /* poll interval for live sources; 0 = source default */
    /* The chosen period, or NULL: rows whose QUERY_PERIOD column is after it
     * are left out before any filter, so "$latest" means the newest period
     * at or before it and a trend ends there. Sources without that column
     * are not bounded. */
    char *until;
};

void query_finish(struct query *q);
/* Runs q over src. NULL + *err when a column is missing (e.g. a view
 * changed); the caller draws a placeholder. */
struct table *query_run(const struct query *q, const struct table *src, struct err *err);
/* query_run with the regions table (code, name, short_name; may be NULL),
 * for "within" filters over columns that hold region names. */
struct table *query_run_regions(const struct query *q, const struct table *src,
                                const struct table *regions, struct err *err);
/* Whether q has a "within" filter (and so wants the regions table). */
bool query_wants_regions(const struct query *q);

#endif
