#include "data/query.h"
#include "util/util.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

void query_finish(struct query *q)
{
    free(q->source);
    for (size_t i = 0; i < q->nfilters; i++) {
        for (size_t v = 0; v < q->filters[i].nvalues; v++)
            free(q->filters[i].values[v]);
        free(q->filters[i].values);
        free(q->filters[i].column);
        for (size_t k = 0; k < q->filters[i].nper; k++)
            free(q->filters[i].per[k]);
        free(q->filters[i].per);
    }
    free(q->filters);
    for (size_t i = 0; i < q->nfields; i++) {
        free(q->fields[i].role);
        free(q->fields[i].column);
    }
    free(q->fields);
    free(q->group_by);
    free(q->sort_by);
    free(q->until);
    memset(q, 0, sizeof *q);
}

static bool cell_equals(const struct table *t, size_t r, size_t c, const char *want)
{
    if (table_is_null(t, r, c))
        return false;
    if (t->cols[c].type == COL_NUMBER) {
        char *end;
        double w = strtod(want, &end);
        return !*end && table_num(t, r, c) == w;
    }
    return strcmp(table_text(t, r, c), want) == 0;
}

/* Compares two cells of one column: NULLs first, then numbers or text. */
static int cell_cmp(const struct table *t, size_t a, size_t b, size_t c)
{
    bool na = table_is_null(t, a, c), nb = table_is_null(t, b, c);
    if (na || nb)
        return na && nb ? 0 : (na ? -1 : 1);
    if (t->cols[c].type == COL_NUMBER) {
        double x = t->cols[c].num[a], y = t->cols[c].num[b];
        if (isnan(x) || isnan(y))
            return isnan(x) ? (isnan(y) ? 0 : -1) : 1;
        return (x > y) - (x < y);
    }
    return strcmp(t->cols[c].text[a], t->cols[c].text[b]);
}

static void copy_cell(struct table *dst, size_t dr, size_t dc, const struct table *src,
                      size_t sr, size_t sc)
{
    if (table_is_null(src, sr, sc))
        return;
    if (src->cols[sc].type == COL_NUMBER)
        table_set_num(dst, dr, dc, src->cols[sc].num[sr]);
    else
        table_set_text(dst, dr, dc, src->cols[sc].text[sr]);
}

static bool filter_has_latest(const struct query_filter *f)
{
    return f->nvalues == 1 && strcmp(f->values[0], QUERY_LATEST) == 0;
}

/* Region code `code` lies within region `region`: equal, or under it (its
 * code with the trailing pairs of zeros cut is a prefix of code's). */
static bool code_within(const char *code, const char *region)
{
    size_t n = strlen(region);
    while (n > 2 && region[n - 1] == '0' && region[n - 2] == '0')
        n -= 2;
    return strcmp(code, region) == 0 ||
           (strlen(code) == strlen(region) && strncmp(code, region, n) == 0);
}

static bool is_code(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}

/* The code of the region a name stands for: the regions table's row of that
 * name, else the county whose short name it holds (许昌经开区 holds 经开区:
 * data tables write names their own way); NULL when none. */
static const char *code_of_name(const struct table *regions, const char *name)
{
    if (!regions)
        return NULL;
    int cc = table_col(regions, "code"), nc = table_col(regions, "name");
    int sc = table_col(regions, "short_name"), kc = table_col(regions, "kind");
    if (cc < 0 || nc < 0)
        return NULL;
    const char *found = NULL;
    for (size_t r = 0; r < regions->nrows && !found; r++) {
        const char *n = table_text(regions, r, (size_t)nc);
        if (n && strcmp(n, name) == 0)
            found = table_text(regions, r, (size_t)cc);
    }
    for (size_t r = 0; sc >= 0 && r < regions->nrows && !found; r++) {
        const char *sn = table_text(regions, r, (size_t)sc);
        const char *kind = kc >= 0 ? table_text(regions, r, (size_t)kc) : NULL;
        if (sn && *sn && strstr(name, sn) && !(kind && strcmp(kind, "city") == 0))
            found = table_text(regions, r, (size_t)cc);
    }
    return found;
}

/* A "within" filter's test of one cell against one region code. */
static bool cell_within(const struct table *t, size_t r, size_t col, const char *region,
                        const struct table *regions)
{
    const char *cell = t->cols[col].type == COL_NUMBER ? NULL : table_text(t, r, col);
    const char *code = !cell || !*cell ? NULL : is_code(cell) ? cell : code_of_name(regions, cell);
    if (!code) /* a row of no region: the top region's */
        return strlen(region) > 2 && !strcmp(region + strlen(region) - 2, "00");
    return code_within(code, region);
}

static bool row_passes(const struct table *t, size_t r, const struct query_filter *f, int col,
                       const struct table *regions)
{
    for (size_t v = 0; v < f->nvalues; v++) {
        if (f->within ? cell_within(t, r, (size_t)col, f->values[v], regions)
                      : cell_equals(t, r, (size_t)col, f->values[v]))
            return true;
    }
    return false;
}

struct key_ctx {
    const struct table *t;
    const size_t *rows;
    const int *per; /* the key columns */
    size_t nper;
    size_t col;     /* the "$latest" column */
};

/* Orders positions into rows by key, then largest value first (NULLs last). */
static int cmp_key_then_value(const void *pa, const void *pb, void *arg)
{
    const struct key_ctx *k = arg;
    size_t a = k->rows[*(const size_t *)pa], b = k->rows[*(const size_t *)pb];
    for (size_t i = 0; i < k->nper; i++) {
        int d = cell_cmp(k->t, a, b, (size_t)k->per[i]);
        if (d)
            return d;
    }
    int d = cell_cmp(k->t, b, a, k->col);
    return d ? d : (a > b) - (a < b);
}

static bool same_key(const struct key_ctx *k, size_t a, size_t b)
{
    for (size_t i = 0; i < k->nper; i++)
        if (cell_cmp(k->t, a, b, (size_t)k->per[i]) != 0)
            return false;
    return true;
}

/* "$latest" over rows[0..n): keeps, in source order, the rows whose column c
 * holds the largest value among the rows of their key (f->per); returns
 * how many. Sorting makes it n log n: a wall redraws this every second. */
static size_t keep_latest(const struct table *t, size_t *rows, size_t n, size_t c,
                          const struct query_filter *f)
{
    int *per = xcalloc(f->nper + 1, sizeof *per);
    for (size_t i = 0; i < f->nper; i++)
        per[i] = table_col(t, f->per[i]); /* checked by resolve_columns */
    struct key_ctx k = {t, rows, per, f->nper, c};
    size_t *order = xcalloc(n + 1, sizeof *order);
    bool *keep = xcalloc(n + 1, sizeof *keep);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof *order, cmp_key_then_value, &k);
    for (size_t i = 0, first = 0; i < n; i++) {
        size_t r = rows[order[i]];
        if (i > 0 && !same_key(&k, rows[order[first]], r))
            first = i; /* a new key: its first row holds the largest value */
        keep[order[i]] = !table_is_null(t, r, c) && cell_cmp(t, r, rows[order[first]], c) == 0;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (keep[i])
            rows[m++] = rows[i];
    free(keep);
    free(order);
    free(per);
    return m;
}

/* Leaves out the rows after q->until in the period column; returns how many stay. */
static size_t keep_until(const struct query *q, const struct table *t, size_t *rows, size_t n)
{
    int c = q->until ? table_col(t, QUERY_PERIOD) : -1;
    if (c < 0 || t->cols[c].type == COL_NUMBER)
        return n;
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        if (table_is_null(t, rows[k], (size_t)c) ||
            strcmp(table_text(t, rows[k], (size_t)c), q->until) <= 0)
            rows[m++] = rows[k];
    return m;
}

struct sort_ctx {
    const struct table *t;
    int col;
    bool desc;
};

static int cmp_rows(const void *pa, const void *pb, void *arg)
{
    const struct sort_ctx *s = arg;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int d = cell_cmp(s->t, a, b, (size_t)s->col);
    if (s->desc)
        d = -d;
    return d ? d : (a > b) - (a < b); /* stable */
}

/* The result's columns, the query's roles, and which source column feeds
 * each (mcols; -1 for a count), after checking the filters' columns
 * (fcols): a view whose columns changed is an error. */
static struct table *resolve_columns(const struct query *q, const struct table *src, int *fcols,
                                     int *mcols, struct err *err)
{
    for (size_t i = 0; i < q->nfilters; i++) {
        if ((fcols[i] = table_col(src, q->filters[i].column)) < 0) {
            err_set(err, "source %s has no column %s", src->name, q->filters[i].column);
            return NULL;
        }
        for (size_t k = 0; k < q->filters[i].nper; k++) {
            if (table_col(src, q->filters[i].per[k]) < 0) {
                err_set(err, "source %s has no column %s", src->name, q->filters[i].per[k]);
                return NULL;
            }
        }
    }
    struct table *out = table_new(src->name, 0, NULL, NULL);
    for (size_t i = 0; i < q->nfields; i++) {
        if (strcmp(q->fields[i].column, QUERY_COUNT) == 0) {
            mcols[i] = -1; /* 1 per row: group_by sums it into a count */
            table_add_col(out, q->fields[i].role, COL_NUMBER);
            continue;
        }
        if ((mcols[i] = table_col(src, q->fields[i].column)) < 0) {
            err_set(err, "source %s has no column %s", src->name, q->fields[i].column);
            table_unref(out);
            return NULL;
        }
        table_add_col(out, q->fields[i].role, src->cols[mcols[i]].type);
    }
    out->version = src->version;
    out->fetched_at = src->fetched_at;
    out->refresh_s = src->refresh_s;
    return out;
}

/* The source rows that pass every filter, in source order (*n of them):
 * rows after the chosen period out, then ordinary filters, then "$latest"
 * over what is left. */
static size_t *filter_rows(const struct query *q, const struct table *src, const int *fcols,
                           const struct table *regions, size_t *n_out)
{
    size_t *rows = xcalloc(src->nrows + 1, sizeof *rows);
    size_t n = 0;
    for (size_t r = 0; r < src->nrows; r++)
        rows[n++] = r;
    n = keep_until(q, src, rows, n);
    for (size_t pass = 0; pass < 2 * q->nfilters; pass++) {
        size_t i = pass % q->nfilters;
        const struct query_filter *f = &q->filters[i];
        if (filter_has_latest(f) != (pass >= q->nfilters))
            continue;
        if (filter_has_latest(f)) {
            n = keep_latest(src, rows, n, (size_t)fcols[i], f);
            continue;
        }
        size_t m = 0;
        for (size_t k = 0; k < n; k++)
            if (row_passes(src, rows[k], f, fcols[i], regions))
                rows[m++] = rows[k];
        n = m;
    }
    *n_out = n;
    return rows;
}

/* The row of out whose group_by cell equals source row r's, or -1. */
static size_t find_group(const struct table *out, int group_role, const struct table *src,
                         size_t r, const int *mcols)
{
    size_t sc = (size_t)mcols[group_role], oc = (size_t)group_role;
    bool null_src = table_is_null(src, r, sc);
    char buf[64], buf2[64];
    for (size_t o = 0; o < out->nrows; o++) {
        if (null_src == table_is_null(out, o, oc) &&
            (null_src || strcmp(table_cell_str(src, r, sc, buf, sizeof buf),
                                table_cell_str(out, o, oc, buf2, sizeof buf2)) == 0))
            return o;
    }
    return (size_t)-1;
}

/* Source row r into out: a new row, or summed into its group's row
 * (numbers add up, counts count, text keeps the first row's). */
static void add_source_row(const struct query *q, struct table *out, const struct table *src,
                           size_t r, const int *mcols, int group_role)
{
    size_t target = group_role >= 0 ? find_group(out, group_role, src, r, mcols) : (size_t)-1;
    if (target == (size_t)-1) {
        target = table_add_row(out);
        for (size_t i = 0; i < q->nfields; i++) {
            if (mcols[i] < 0)
                table_set_num(out, target, i, 1);
            else
                copy_cell(out, target, i, src, r, (size_t)mcols[i]);
        }
        return;
    }
    for (size_t i = 0; i < q->nfields; i++) {
        if ((int)i == group_role)
            continue;
        if (mcols[i] < 0) {
            table_set_num(out, target, i, out->cols[i].num[target] + 1);
            continue;
        }
        size_t c = (size_t)mcols[i];
        if (src->cols[c].type != COL_NUMBER || table_is_null(src, r, c))
            continue;
        double prev = table_is_null(out, target, i) ? 0 : out->cols[i].num[target];
        table_set_num(out, target, i, prev + src->cols[c].num[r]);
    }
}

/* A count ("#") without group_by counts the whole: one row, as SQL's
 * count(*) — 0 over no rows (a tile says 0 warnings, not "no data") —
 * numbers summed, text from the first row. */
static void add_whole(const struct query *q, struct table *out, const struct table *src,
                      const size_t *rows, size_t n, const int *mcols)
{
    size_t target = table_add_row(out);
    for (size_t i = 0; i < q->nfields; i++)
        if (mcols[i] < 0)
            table_set_num(out, target, i, 0);
    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; i < q->nfields; i++) {
            size_t c = (size_t)mcols[i];
            if (mcols[i] < 0)
                table_set_num(out, target, i, out->cols[i].num[target] + 1);
            else if (table_is_null(src, rows[k], c))
                continue;
            else if (src->cols[c].type == COL_NUMBER)
                table_set_num(out, target, i,
                              (table_is_null(out, target, i) ? 0 : out->cols[i].num[target]) +
                                  src->cols[c].num[rows[k]]);
            else if (table_is_null(out, target, i))
                copy_cell(out, target, i, src, rows[k], c);
        }
    }
}

static bool counts(const struct query *q)
{
    for (size_t i = 0; i < q->nfields; i++)
        if (strcmp(q->fields[i].column, QUERY_COUNT) == 0)
            return true;
    return false;
}

/* out sorted by the query's sort role (stable), or out itself. */
static struct table *sort_table(const struct query *q, struct table *out)
{
    int sc = q->sort_by ? table_col(out, q->sort_by) : -1;
    if (sc < 0 || out->nrows <= 1)
        return out;
    size_t *order = xcalloc(out->nrows, sizeof *order);
    for (size_t i = 0; i < out->nrows; i++)
        order[i] = i;
    struct sort_ctx ctx = {out, sc, q->sort_desc};
    qsort_r(order, out->nrows, sizeof *order, cmp_rows, &ctx);
    struct table *sorted = table_new_like(out);
    for (size_t k = 0; k < out->nrows; k++) {
        size_t r = table_add_row(sorted);
        for (size_t i = 0; i < out->ncols; i++)
            copy_cell(sorted, r, i, out, order[k], i);
    }
    free(order);
    table_unref(out);
    return sorted;
}

bool query_wants_regions(const struct query *q)
{
    for (size_t i = 0; i < q->nfilters; i++)
        if (q->filters[i].within)
            return true;
    return false;
}

struct table *query_run(const struct query *q, const struct table *src, struct err *err)
{
    return query_run_regions(q, src, NULL, err);
}

struct table *query_run_regions(const struct query *q, const struct table *src,
                                const struct table *regions, struct err *err)
{
    int *fcols = xcalloc(q->nfilters + 1, sizeof *fcols);
    int *mcols = xcalloc(q->nfields + 1, sizeof *mcols);
    struct table *out = resolve_columns(q, src, fcols, mcols, err);
    if (out) {
        size_t n;
        size_t *rows = filter_rows(q, src, fcols, regions, &n);
        int group_role = -1;
        for (size_t i = 0; q->group_by && i < q->nfields; i++)
            if (strcmp(q->fields[i].role, q->group_by) == 0)
                group_role = (int)i;
        if (group_role < 0 && counts(q))
            add_whole(q, out, src, rows, n, mcols);
        else
            for (size_t k = 0; k < n; k++)
                add_source_row(q, out, src, rows[k], mcols, group_role);
        free(rows);
        out = sort_table(q, out);
    }
    if (out && q->limit && out->nrows > q->limit) {
        /* drop the tail: free text cells beyond the limit */
        for (size_t i = 0; i < out->ncols; i++) {
            if (out->cols[i].text)
                for (size_t r = q->limit; r < out->nrows; r++)
                    free(out->cols[i].text[r]);
        }
        out->nrows = q->limit;
    }
    free(fcols);
    free(mcols);
    return out;
}
