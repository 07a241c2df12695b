#include "widgets/pivot.h"
#include "render/axis.h"
#include "util/util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Names sorted for bsearch, each with its position in drawing order: a
 * thousand rows against a thousand categories stay fast. */
struct name_pos {
    const char *name;
    size_t pos;
};

static int cmp_name_pos(const void *a, const void *b)
{
    return strcmp(((const struct name_pos *)a)->name, ((const struct name_pos *)b)->name);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static struct name_pos *index_names(const char **names, size_t n)
{
    struct name_pos *ix = xcalloc(n + 1, sizeof *ix);
    for (size_t i = 0; i < n; i++)
        ix[i] = (struct name_pos){names[i], i};
    qsort(ix, n, sizeof *ix, cmp_name_pos);
    return ix;
}

/* Position of name, or -1 (not drawn, e.g. beyond the cap). */
static long find_name(const struct name_pos *ix, size_t n, const char *name)
{
    if (!name)
        return -1;
    struct name_pos key = {name, 0};
    const struct name_pos *hit = bsearch(&key, ix, n, sizeof *ix, cmp_name_pos);
    return hit ? (long)hit->pos : -1;
}

/* The distinct values of a role, capped at max: the first max, or the last
 * when keep_last. */
static const char **distinct_capped(const struct widget_ctx *ctx, int col, size_t max,
                                    bool sort_periods, bool keep_last, size_t *n, size_t *total)
{
    const char **names = wdistinct(ctx, col, n);
    *total = *n;
    if (names && sort_periods && axis_labels_are_periods(names, *n))
        qsort(names, *n, sizeof *names, cmp_str);
    if (max > 0 && *n > max) {
        if (keep_last)
            memmove(names, names + (*n - max), max * sizeof *names);
        *n = max;
    }
    return names;
}

static void put_cell(double *cell, double v, bool sum)
{
    if (!isfinite(v))
        return;
    *cell = sum && isfinite(*cell) ? *cell + v : v;
}

void pivot_build(struct pivot *p, const struct widget_ctx *ctx, const struct pivot_spec *spec)
{
    memset(p, 0, sizeof *p);
    p->keep_last = spec->keep_last;
    int cc = wcol(ctx, spec->cat), cv = wcol(ctx, spec->value);
    int cs = spec->series ? wcol(ctx, spec->series) : -1;
    int ce = spec->extra ? wcol(ctx, spec->extra) : -1;
    p->cats = distinct_capped(ctx, cc, spec->max_cats, spec->sort_periods, spec->keep_last,
                              &p->ncats, &p->cats_total);
    if (cs >= 0) {
        p->series = distinct_capped(ctx, cs, spec->max_series, false, false, &p->nseries,
                                    &p->series_total);
    } else {
        p->series = xcalloc(1, sizeof *p->series);
        p->nseries = p->series_total = 1;
    }
    size_t cells = p->nseries * p->ncats;
    p->v = xmalloc((cells + 1) * sizeof *p->v);
    p->row = xmalloc((cells + 1) * sizeof *p->row);
    p->extra = xmalloc((p->ncats + 1) * sizeof *p->extra);
    for (size_t i = 0; i < cells; i++) {
        p->v[i] = NAN;
        p->row[i] = -1;
    }
    for (size_t i = 0; i < p->ncats; i++)
        p->extra[i] = NAN;
    if (!ctx->data || p->ncats == 0 || p->nseries == 0)
        return;

    struct name_pos *cix = index_names(p->cats, p->ncats);
    struct name_pos *six = cs >= 0 ? index_names(p->series, p->nseries) : NULL;
    for (size_t r = 0; r < ctx->data->nrows; r++) {
        long c = find_name(cix, p->ncats, table_text(ctx->data, r, (size_t)cc));
        long s = six ? find_name(six, p->nseries, table_text(ctx->data, r, (size_t)cs)) : 0;
        if (c < 0 || s < 0)
            continue;
        size_t cell = (size_t)s * p->ncats + (size_t)c;
        put_cell(&p->v[cell], wnum(ctx, r, cv), spec->sum);
        if (p->row[cell] < 0)
            p->row[cell] = (long)r;
        if (!isfinite(p->extra[c]))
            put_cell(&p->extra[c], wnum(ctx, r, ce), false);
    }
    free(six);
    free(cix);
}

void pivot_finish(struct pivot *p)
{
    free(p->cats);
    free(p->series);
    free(p->v);
    free(p->row);
    free(p->extra);
    memset(p, 0, sizeof *p);
}

const char *pivot_note(const struct pivot *p, char *buf, size_t len)
{
    if (p->cats_total > p->ncats)
        snprintf(buf, len, p->keep_last ? "仅显示最近%zu项" : "仅显示前%zu项", p->ncats);
    else if (p->series_total > p->nseries)
        snprintf(buf, len, "仅显示前%zu个系列", p->nseries);
    else if (len)
        buf[0] = '\0';
    return buf;
}

rgba_t chart_color(const struct widget_ctx *ctx, size_t i)
{
    size_t n = sizeof ctx->theme->series / sizeof ctx->theme->series[0];
    return color_mix(wseries(ctx, i), ctx->theme->text, i >= n ? 0.45 : 0);
}

long pivot_row(const struct pivot *p, size_t s, size_t c)
{
    return s < p->nseries && c < p->ncats ? p->row[s * p->ncats + c] : -1;
}

double pivot_at(const struct pivot *p, size_t s, size_t c)
{
    return s < p->nseries && c < p->ncats ? p->v[s * p->ncats + c] : NAN;
}

void pivot_range(const struct pivot *p, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < p->nseries * p->ncats; i++) {
        if (isfinite(p->v[i])) {
            *lo = fmin(*lo, p->v[i]);
            *hi = fmax(*hi, p->v[i]);
        }
    }
    for (size_t i = 0; i < p->ncats; i++) {
        if (isfinite(p->extra[i])) {
            *lo = fmin(*lo, p->extra[i]);
            *hi = fmax(*hi, p->extra[i]);
        }
    }
}
