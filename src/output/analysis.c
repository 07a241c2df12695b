/* The 经济运行分析: sentences of reports/analysis.json filled with facts
 * read from the store. Each placeholder is looked up when a sentence is
 * written: a global ({region}, {warnings_list}) or an indicator's field
 * ({gdp_growth}: indicator gdp of indicator_values / target_progress,
 * field growth). The words the facts are phrased with (增长/下降,
 * 加快/回落, the list items) are in the file's "words", so no wording is
 * in this file. */
#include "output/analysis.h"
#include "render/fmt.h"
#include "util/json.h"
#include "util/util.h"
#include "warn/publish.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const analysis_sources[] = {"indicator_values", "target_progress", "projects",
                                       "warnings", "regions", NULL};

enum level { ANY, CITY, COUNTY };

struct sentence {
    char *text, *about, *empty; /* about, empty: may be NULL */
    enum level level;
};

struct part {
    char *heading;
    struct sentence *s;
    size_t n;
};

struct analysis {
    char *path, *title, *missing;
    json_t *words; /* object of strings, every key of WORDS */
    struct part *parts;
    size_t nparts;
};

/* The words a file must give, and the placeholders each may use. */
static const char *const WORDS[] = {"up", "down", "faster", "slower", "steady", "ahead", "behind",
                                    "on_schedule", "above", "below", "level", "sep", "county_item",
                                    "project_item", "warning_item", "warning_sep", "handling_item",
                                    NULL};

static const char *const GLOBALS[] = {"region", "period", "period_cum", "date", "counties",
                                      "projects_count", "projects_lagging_count",
                                      "projects_lagging", "warnings_open", "warnings_unhandled",
                                      "warnings_list", "about", NULL};
static const char *const FIELDS[] = {"name", "value", "unit", "growth", "trend", "period",
                                     "prev_period", "change", "rank", "scope", "county_rank",
                                     "completion", "schedule", "gap", "vs_city", "below", "top",
                                     NULL};

static bool in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

/* Splits "industry_va_growth" into indicator "industry_va" and field
 * "growth" (the longest field the name ends with); false when none. */
static bool split_field(const char *name, char *ind, size_t len, const char **field)
{
    size_t n = strlen(name), best = 0;
    for (size_t i = 0; FIELDS[i]; i++) {
        size_t k = strlen(FIELDS[i]);
        if (k + 1 < n && k > best && name[n - k - 1] == '_' && strcmp(name + n - k, FIELDS[i]) == 0)
            best = k, *field = FIELDS[i];
    }
    if (!best || n - best - 1 >= len)
        return false;
    memcpy(ind, name, n - best - 1);
    ind[n - best - 1] = '\0';
    return true;
}

/* ---- templates: {name} filled by a lookup into a growing string ------- */

/* Writes the value of `name` to f and returns true, or false when it has
 * none (the placeholder then stays as written). */
typedef bool (*lookup_fn)(const char *name, FILE *f, void *arg);

static size_t placeholder(const char *p, char *name, size_t len)
{
    size_t n = p[0] == '{' ? strspn(p + 1, "abcdefghijklmnopqrstuvwxyz0123456789_") : 0;
    if (n == 0 || n >= len || p[n + 1] != '}')
        return 0;
    memcpy(name, p + 1, n);
    name[n] = '\0';
    return n + 2;
}

static char *expand(const char *tmpl, lookup_fn lookup, void *arg)
{
    char *out = NULL, name[64];
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f)
        abort();
    for (const char *p = tmpl; *p;) {
        size_t n = placeholder(p, name, sizeof name);
        if (n && lookup(name, f, arg)) {
            p += n;
            continue;
        }
        fputc(*p++, f);
    }
    fclose(f);
    return out;
}

/* ---- loading -------------------------------------------------------------- */

static bool check_text(const struct analysis *a, const char *jp, const char *text, bool word,
                       struct err *err)
{
    char name[64], ind[64];
    const char *field;
    for (const char *p = text; *p; p++) {
        if (*p == '{' && !placeholder(p, name, sizeof name))
            return json_fail(err, a->path, jp, "a \"{\" that starts no placeholder: write {name}");
        if (*p != '{' || word)
            continue;
        if (!in_list(GLOBALS, name) && !split_field(name, ind, sizeof ind, &field))
            return json_fail(err, a->path, jp,
                             "unknown placeholder {%s} (known: %s; and INDICATOR_FIELD with "
                             "the fields %s, e.g. {gdp_growth})",
                             name, ANALYSIS_GLOBALS ", about", ANALYSIS_FIELDS);
    }
    return true;
}

static bool get_text(const struct analysis *a, json_t *obj, const char *jp, const char *key,
                     bool required, char **out, struct err *err)
{
    struct jpath p;
    json_t *v = json_object_get(obj, key);
    if (!v && !required)
        return true;
    if (!json_is_string(v) || !*json_string_value(v))
        return json_fail(err, a->path, jpath_key(&p, jp, key), "expected a non-empty string");
    if (!check_text(a, jpath_key(&p, jp, key), json_string_value(v), false, err))
        return false;
    *out = xstrdup(json_string_value(v));
    return true;
}

static bool load_words(struct analysis *a, json_t *w, struct err *err)
{
    if (!json_is_object(w))
        return json_fail(err, a->path, "words", "expected an object of texts");
    if (!json_check_keys(err, a->path, "words", w, WORDS))
        return false;
    struct jpath p;
    for (size_t i = 0; WORDS[i]; i++) {
        json_t *v = json_object_get(w, WORDS[i]);
        if (!json_is_string(v))
            return json_fail(err, a->path, jpath_key(&p, "words", WORDS[i]), "expected a text");
        if (!check_text(a, p.s, json_string_value(v), true, err))
            return false;
    }
    a->words = json_incref(w);
    return true;
}

static bool load_sentence(struct analysis *a, json_t *j, const char *jp, struct sentence *s,
                          struct err *err)
{
    if (json_is_string(j)) {
        json_t *o = json_pack("{sO}", "text", j);
        bool ok = load_sentence(a, o, jp, s, err);
        json_decref(o);
        return ok;
    }
    static const char *const keys[] = {"text", "about", "empty", "level", NULL};
    if (!json_is_object(j))
        return json_fail(err, a->path, jp, "expected a text or an object with \"text\"");
    if (!json_check_keys(err, a->path, jp, j, keys))
        return false;
    const char *level = json_string_value(json_object_get(j, "level"));
    if (json_object_get(j, "level") && (!level || (strcmp(level, "city") && strcmp(level, "county")))) {
        struct jpath p;
        return json_fail(err, a->path, jpath_key(&p, jp, "level"), "expected \"city\" or \"county\"");
    }
    s->level = !level ? ANY : strcmp(level, "city") == 0 ? CITY : COUNTY;
    return get_text(a, j, jp, "text", true, &s->text, err) &&
           get_text(a, j, jp, "about", false, &s->about, err) &&
           get_text(a, j, jp, "empty", false, &s->empty, err);
}

static bool load_part(struct analysis *a, json_t *j, const char *jp, struct part *pt,
                      struct err *err)
{
    static const char *const keys[] = {"heading", "sentences", NULL};
    struct jpath p, q;
    if (!json_is_object(j))
        return json_fail(err, a->path, jp, "expected an object with heading and sentences");
    if (!json_check_keys(err, a->path, jp, j, keys) ||
        !get_text(a, j, jp, "heading", true, &pt->heading, err))
        return false;
    json_t *ss = json_object_get(j, "sentences");
    jpath_key(&p, jp, "sentences");
    if (!json_is_array(ss) || json_array_size(ss) == 0)
        return json_fail(err, a->path, p.s, "expected a non-empty array");
    pt->s = xcalloc(json_array_size(ss), sizeof *pt->s);
    for (size_t i = 0; i < json_array_size(ss); i++, pt->n++)
        if (!load_sentence(a, json_array_get(ss, i), jpath_idx(&q, p.s, i), &pt->s[i], err))
            return pt->n++, false; /* the half-loaded one is freed too */
    return true;
}

static bool load_root(struct analysis *a, json_t *root, struct err *err)
{
    static const char *const keys[] = {"kind", "version", "title", "missing", "words", "sections",
                                       NULL};
    if (!json_check_keys(err, a->path, "", root, keys) ||
        !get_text(a, root, "", "title", true, &a->title, err) ||
        !get_text(a, root, "", "missing", true, &a->missing, err) ||
        !load_words(a, json_object_get(root, "words"), err))
        return false;
    json_t *parts = json_object_get(root, "sections");
    if (!json_is_array(parts) || json_array_size(parts) == 0)
        return json_fail(err, a->path, "sections", "expected a non-empty array");
    a->parts = xcalloc(json_array_size(parts), sizeof *a->parts);
    struct jpath p;
    for (size_t i = 0; i < json_array_size(parts); i++, a->nparts++)
        if (!load_part(a, json_array_get(parts, i), jpath_idx(&p, "sections", i), &a->parts[i], err))
            return a->nparts++, false;
    return true;
}

struct analysis *analysis_load(const char *path, struct err *err)
{
    json_t *root = json_load_checked(path, "report-analysis", err);
    if (!root)
        return NULL;
    struct analysis *a = xcalloc(1, sizeof *a);
    a->path = xstrdup(path);
    bool ok = load_root(a, root, err);
    json_decref(root);
    if (!ok) {
        analysis_destroy(a);
        return NULL;
    }
    return a;
}

void analysis_destroy(struct analysis *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nparts; i++) {
        for (size_t k = 0; k < a->parts[i].n; k++) {
            free(a->parts[i].s[k].text);
            free(a->parts[i].s[k].about);
            free(a->parts[i].s[k].empty);
        }
        free(a->parts[i].s);
        free(a->parts[i].heading);
    }
    free(a->parts);
    json_decref(a->words);
    free(a->path);
    free(a->title);
    free(a->missing);
    free(a);
}

/* ---- the facts ------------------------------------------------------------ */

struct facts {
    const struct analysis *a;
    struct table *iv, *tp, *projects, *warnings, *regions; /* references; any may be NULL */
    const char *region;       /* its code */
    const char *city;         /* the top region's code (kind city), or NULL */
    const char *until;        /* period bound, or NULL */
    const char *about;        /* the sentence's subject, for the missing sentence */
    int64_t now;
    bool missing, empty;      /* of the sentence being written */
    bool dash;                /* a missing value is written "—" (the title) */
};

static const char *cell(const struct table *t, size_t r, const char *col)
{
    int c = t ? table_col(t, col) : -1;
    return c >= 0 ? table_text(t, r, (size_t)c) : NULL;
}

static double num(const struct table *t, size_t r, const char *col)
{
    int c = t ? table_col(t, col) : -1;
    return c >= 0 ? table_num(t, r, (size_t)c) : NAN;
}

static bool eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The newest row of t (indicator_values, target_progress) for region and
 * indicator, at or before the bound and, with `before`, before it; -1. */
static long newest(const struct facts *f, const struct table *t, const char *region,
                   const char *ind, const char *before)
{
    long best = -1;
    for (size_t r = 0; t && r < t->nrows; r++) {
        const char *p = cell(t, r, "period");
        if (!p || !eq(cell(t, r, "region_code"), region) || !eq(cell(t, r, "indicator"), ind) ||
            (f->until && *f->until && strcmp(p, f->until) > 0) || (before && strcmp(p, before) >= 0))
            continue;
        if (best < 0 || strcmp(p, cell(t, (size_t)best, "period")) > 0)
            best = (long)r;
    }
    return best;
}

static const char *word(const struct facts *f, const char *key)
{
    return json_string_value(json_object_get(f->a->words, key));
}

/* A word's own placeholders: pairs of name and value, NULL-terminated. */
static bool word_lookup(const char *name, FILE *out, void *arg)
{
    for (const char *const *kv = arg; kv[0]; kv += 2)
        if (strcmp(kv[0], name) == 0)
            return fputs(kv[1] ? kv[1] : "", out), true;
    return false;
}

static void put_word(FILE *out, const struct facts *f, const char *key, const char *const *kv)
{
    char *s = expand(word(f, key), word_lookup, (void *)kv);
    fputs(s, out);
    free(s);
}

/* A signed difference in words: pos when above +0.05, neg below -0.05,
 * else zero; {x} is its size with one decimal. */
static void put_delta(FILE *out, const struct facts *f, double d, const char *pos,
                      const char *neg, const char *zero)
{
    char x[32];
    snprintf(x, sizeof x, "%.1f", fabs(d));
    const char *kv[] = {"x", x, NULL};
    put_word(out, f, fabs(d) < 0.05 ? zero : d > 0 ? pos : neg, kv);
}

/* "2024年1–9月" of a period, or its short "1–6月" when in `year`. */
static void put_period(FILE *out, const char *p, const char *year)
{
    char buf[64];
    fmt_period(buf, sizeof buf, p, PERIOD_CUM_SHORT);
    if (year && strncmp(p, year, 4) == 0)
        fputs(buf, out);
    else
        fprintf(out, "%.4s年%s", p, buf);
}

static bool is_county(const struct facts *f, size_t r)
{
    return !eq(cell(f->regions, r, "kind"), "city") && cell(f->regions, r, "code");
}

/* The counties' rows of indicator_values for ind in period p, in the
 * regions table's order; returns how many (at most cap). */
static size_t county_rows(const struct facts *f, const char *ind, const char *p, long *rows,
                          size_t cap)
{
    size_t n = 0;
    for (size_t g = 0; f->regions && g < f->regions->nrows && n < cap; g++) {
        if (!is_county(f, g))
            continue;
        for (size_t r = 0; f->iv && r < f->iv->nrows; r++)
            if (eq(cell(f->iv, r, "region_code"), cell(f->regions, g, "code")) &&
                eq(cell(f->iv, r, "indicator"), ind) && eq(cell(f->iv, r, "period"), p) &&
                isfinite(num(f->iv, r, "yoy_pct"))) {
                rows[n++] = (long)r;
                break;
            }
    }
    return n;
}

static void put_county(FILE *out, const struct facts *f, size_t r, bool first)
{
    char x[32];
    snprintf(x, sizeof x, "%.1f", num(f->iv, r, "yoy_pct"));
    const char *kv[] = {"name", cell(f->iv, r, "region"), "x", x, NULL};
    if (!first)
        fputs(word(f, "sep"), out);
    put_word(out, f, "county_item", kv);
}

/* {X_below}: the counties growing slower than the city, in the regions'
 * order; {X_top}: the fastest; {X_county_rank}: a county's place among
 * them (none for the city). */
static bool county_field(FILE *out, struct facts *f, const char *ind, const char *field, long row)
{
    bool rank = strcmp(field, "county_rank") == 0, top = strcmp(field, "top") == 0;
    long rows[64], city = f->city ? newest(f, f->iv, f->city, ind, NULL) : -1;
    long ref = rank ? row : city; /* whose period the counties are compared in */
    size_t n = ref >= 0 ? county_rows(f, ind, cell(f->iv, (size_t)ref, "period"), rows, 64) : 0;
    if (n == 0 || (rank && eq(f->region, f->city)))
        return false;
    double mine = num(f->iv, (size_t)ref, "yoy_pct");
    size_t k = 0, best = 0;
    for (size_t i = 0; i < n; i++) {
        double v = num(f->iv, (size_t)rows[i], "yoy_pct");
        if (v > num(f->iv, (size_t)rows[best], "yoy_pct"))
            best = i;
        if (rank)
            k += v > mine;
        else if (!top && v < mine)
            put_county(out, f, (size_t)rows[i], k++ == 0);
    }
    if (rank)
        fprintf(out, "%zu", k + 1);
    else if (top)
        put_county(out, f, (size_t)rows[best], true);
    else
        f->empty |= k == 0;
    return isfinite(mine);
}

/* The fields read straight from a row of indicator_values: the column,
 * and the number's format (NULL: the text as it is). */
static const struct {
    const char *field, *column, *format;
} DIRECT[] = {
    {"name", "name", NULL},         {"unit", "unit", NULL},
    {"scope", "rank_scope", NULL},  {"value", "value", "%.2f"},
    {"growth", "yoy_pct", "%.1f"},  {"rank", "province_rank", "%.0f"},
};

/* A field from the region's newest row r of indicator_values. */
static bool value_field(FILE *out, struct facts *f, const char *ind, const char *field, long r)
{
    double g = num(f->iv, (size_t)r, "yoy_pct");
    for (size_t i = 0; i < ARRAY_LEN(DIRECT); i++) {
        if (strcmp(field, DIRECT[i].field) != 0)
            continue;
        const char *s = cell(f->iv, (size_t)r, DIRECT[i].column);
        double v = num(f->iv, (size_t)r, DIRECT[i].column);
        if (!DIRECT[i].format)
            return s && *s && fputs(s, out) >= 0;
        return isfinite(v) && fprintf(out, DIRECT[i].format, v) > 0;
    }
    if (strcmp(field, "trend") == 0 && isfinite(g)) {
        char x[32];
        snprintf(x, sizeof x, "%.1f", fabs(g));
        const char *kv[] = {"x", x, NULL};
        return put_word(out, f, g < 0 ? "down" : "up", kv), true;
    }
    if (strcmp(field, "period") == 0)
        return put_period(out, cell(f->iv, (size_t)r, "period"), NULL), true;
    const char *p = cell(f->iv, (size_t)r, "period");
    long prev = newest(f, f->iv, f->region, ind, p);
    if (prev >= 0 && strcmp(field, "prev_period") == 0)
        return put_period(out, cell(f->iv, (size_t)prev, "period"), p), true;
    double d = prev >= 0 ? g - num(f->iv, (size_t)prev, "yoy_pct") : NAN;
    if (strcmp(field, "change") == 0 && isfinite(d))
        return put_delta(out, f, d, "faster", "slower", "steady"), true;
    long city = f->city ? newest(f, f->iv, f->city, ind, NULL) : -1;
    d = city >= 0 && !eq(f->city, f->region) ? g - num(f->iv, (size_t)city, "yoy_pct") : NAN;
    if (strcmp(field, "vs_city") == 0 && isfinite(d))
        return put_delta(out, f, d, "above", "below", "level"), true;
    return false;
}

/* A field from target_progress: completion, schedule, gap. */
static bool target_field(FILE *out, struct facts *f, const char *ind, const char *field)
{
    long r = newest(f, f->tp, f->region, ind, NULL);
    double c = r >= 0 ? num(f->tp, (size_t)r, "completion_pct") : NAN;
    double s = r >= 0 ? num(f->tp, (size_t)r, "schedule_pct") : NAN;
    double v = strcmp(field, "completion") == 0 ? c : s;
    if (strcmp(field, "gap") == 0 && isfinite(c) && isfinite(s))
        return put_delta(out, f, c - s, "ahead", "behind", "on_schedule"), true;
    return strcmp(field, "gap") != 0 && isfinite(v) && fprintf(out, "%.1f", v) > 0;
}

static bool indicator_fact(FILE *out, struct facts *f, const char *ind, const char *field)
{
    if (strcmp(field, "completion") == 0 || strcmp(field, "schedule") == 0 ||
        strcmp(field, "gap") == 0)
        return target_field(out, f, ind, field);
    long r = newest(f, f->iv, f->region, ind, NULL);
    if (strcmp(field, "below") == 0 || strcmp(field, "top") == 0 ||
        strcmp(field, "county_rank") == 0)
        return county_field(out, f, ind, field, r);
    return r >= 0 && value_field(out, f, ind, field, r);
}

/* ---- global facts: the region, the period, projects, warnings ----------- */

static long region_row(const struct facts *f, const char *code)
{
    for (size_t r = 0; f->regions && r < f->regions->nrows; r++)
        if (eq(cell(f->regions, r, "code"), code))
            return (long)r;
    return -1;
}

static bool in_region(const struct facts *f, const char *code)
{
    return eq(f->region, f->city) || eq(code, f->region);
}

static bool projects_fact(FILE *out, struct facts *f, const char *name)
{
    size_t all = 0, lagging = 0;
    bool list = strcmp(name, "projects_lagging") == 0;
    for (size_t r = 0; f->projects && r < f->projects->nrows; r++) {
        if (!in_region(f, cell(f->projects, r, "region_code")))
            continue;
        all++;
        if (!eq(cell(f->projects, r, "status"), "进度滞后"))
            continue;
        char x[32];
        snprintf(x, sizeof x, "%.1f", num(f->projects, r, "progress_pct"));
        const char *kv[] = {"name", cell(f->projects, r, "name"), "region",
                            cell(f->projects, r, "region"), "x", x, NULL};
        if (list && lagging)
            fputs(word(f, "sep"), out);
        if (list)
            put_word(out, f, "project_item", kv);
        lagging++;
    }
    if (!f->projects)
        return false;
    if (!list)
        fprintf(out, "%zu", strcmp(name, "projects_count") == 0 ? all : lagging);
    f->empty |= list && lagging == 0;
    return true;
}

/* Whether warning row r concerns the region: every warning for the city;
 * for a county, those whose instance names it (许昌经开区 for 经开区). */
static bool warning_here(const struct facts *f, size_t r)
{
    if (eq(f->region, f->city))
        return true;
    long g = region_row(f, f->region);
    const char *inst = cell(f->warnings, r, "instance");
    const char *sn = g >= 0 ? cell(f->regions, (size_t)g, "short_name") : NULL;
    return inst && sn && *sn && strstr(inst, sn);
}

/* One rule's open warnings as a list item: how many, where, how handled. */
static void put_rule(FILE *out, struct facts *f, const struct warn_reader *rd, size_t first)
{
    char *inst = NULL, *hand = NULL;
    size_t ilen = 0, hlen = 0, count = 0, nh[8] = {0};
    const char *hname[8] = {0};
    FILE *fi = open_memstream(&inst, &ilen), *fh = open_memstream(&hand, &hlen);
    for (size_t r = first; fi && fh && r < f->warnings->nrows; r++) {
        if (!eq(cell(f->warnings, r, "rule"), cell(f->warnings, first, "rule")) ||
            !warn_row_is_open(rd, r) || !warning_here(f, r))
            continue;
        const char *i = cell(f->warnings, r, "instance"), *h = cell(f->warnings, r, "handling");
        if (i && *i)
            fprintf(fi, "%s%s", count ? word(f, "sep") : "", i);
        count++;
        for (size_t k = 0; h && k < 8; k++)
            if (!hname[k] || eq(hname[k], h)) {
                hname[k] = h, nh[k]++;
                break;
            }
    }
    for (size_t k = 0; fh && k < 8 && hname[k]; k++) {
        char n[32];
        snprintf(n, sizeof n, "%zu", nh[k]);
        const char *kv[] = {"handling", hname[k], "count", n, NULL};
        fputs(k ? word(f, "sep") : "", fh);
        put_word(fh, f, "handling_item", kv);
    }
    if (!fi || !fh)
        abort();
    fclose(fi);
    fclose(fh);
    char n[32];
    snprintf(n, sizeof n, "%zu", count);
    long g = region_row(f, f->region);
    const char *kv[] = {"name", cell(f->warnings, first, "name"), "count", n, "instances",
                        *inst ? inst : g >= 0 ? cell(f->regions, (size_t)g, "name") : "",
                        "handling", hand, "departments", cell(f->warnings, first, "departments"),
                        NULL};
    put_word(out, f, "warning_item", kv);
    free(inst);
    free(hand);
}

static bool warnings_fact(FILE *out, struct facts *f, const char *name)
{
    struct warn_reader rd;
    if (!f->warnings || !warn_reader_init(&rd, f->warnings))
        return false;
    size_t open = 0, unhandled = 0, rules = 0;
    for (size_t r = 0; r < f->warnings->nrows; r++) {
        if (!warn_row_is_open(&rd, r) || !warning_here(f, r))
            continue;
        open++;
        enum warn_state st;
        enum warn_handling h;
        unhandled += warn_row_status(&rd, r, &st, &h) && h == WH_NONE;
        bool seen = false; /* the rule's first open row here lists the rule */
        for (size_t q = 0; q < r && !seen; q++)
            seen = eq(cell(f->warnings, q, "rule"), cell(f->warnings, r, "rule")) &&
                   warn_row_is_open(&rd, q) && warning_here(f, q);
        if (!seen && strcmp(name, "warnings_list") == 0) {
            fputs(rules++ ? word(f, "warning_sep") : "", out);
            put_rule(out, f, &rd, r);
        }
    }
    if (strcmp(name, "warnings_list") != 0)
        fprintf(out, "%zu", strcmp(name, "warnings_open") == 0 ? open : unhandled);
    f->empty |= strcmp(name, "warnings_list") == 0 && open == 0;
    return true;
}

static bool global_fact(FILE *out, struct facts *f, const char *name)
{
    if (strcmp(name, "about") == 0)
        return f->about && fputs(f->about, out) >= 0;
    if (strcmp(name, "region") == 0) {
        long g = region_row(f, f->region);
        return g >= 0 && fputs(cell(f->regions, (size_t)g, "name"), out) >= 0;
    }
    if (strcmp(name, "date") == 0) {
        char d[64];
        return fputs(fmt_time(d, sizeof d, f->now, "%Y年%-m月%-d日"), out) >= 0;
    }
    if (strcmp(name, "counties") == 0) {
        size_t n = 0;
        for (size_t r = 0; f->regions && r < f->regions->nrows; r++)
            n += is_county(f, r);
        return n > 0 && fprintf(out, "%zu", n) > 0;
    }
    if (strcmp(name, "period") == 0 || strcmp(name, "period_cum") == 0) {
        const char *p = NULL; /* the newest month of the targets' data */
        for (size_t r = 0; f->tp && r < f->tp->nrows; r++) {
            const char *q = cell(f->tp, r, "period");
            if (q && (!f->until || !*f->until || strcmp(q, f->until) <= 0) && (!p || strcmp(q, p) > 0))
                p = q;
        }
        char buf[64];
        if (p && strcmp(name, "period") == 0)
            fputs(fmt_period(buf, sizeof buf, p, PERIOD_YM), out);
        else if (p)
            put_period(out, p, NULL);
        return p != NULL;
    }
    if (strncmp(name, "projects_", 9) == 0)
        return projects_fact(out, f, name);
    return warnings_fact(out, f, name);
}

static bool fact(const char *name, FILE *out, void *arg)
{
    struct facts *f = arg;
    char ind[64];
    const char *field = NULL;
    bool ok = in_list(GLOBALS, name) ? global_fact(out, f, name)
              : split_field(name, ind, sizeof ind, &field) && indicator_fact(out, f, ind, field);
    f->missing |= !ok;
    if (!ok && f->dash)
        return fputs("—", out), true;
    return ok;
}

/* ---- writing ---------------------------------------------------------------- */

/* One sentence: its text, else (a list was empty) its "empty" text, else
 * (a fact was missing) the file's missing sentence about its subject. */
static char *write_sentence(struct facts *f, const struct sentence *s, const char *heading)
{
    f->missing = f->empty = false;
    char *out = expand(s->text, fact, f);
    if (!f->missing && f->empty && s->empty) {
        free(out);
        out = expand(s->empty, fact, f);
    }
    if (f->missing) {
        free(out);
        f->about = s->about ? s->about : heading;
        out = expand(f->a->missing, fact, f);
        f->about = NULL;
    }
    return out;
}

/* A global fact alone, "—" when missing. */
static char *name_of(struct facts *f, const char *fact_name)
{
    char *s = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&s, &len);
    if (!o)
        abort();
    bool ok = global_fact(o, f, fact_name);
    fclose(o);
    if (!ok) {
        free(s);
        s = xstrdup("—");
    }
    return s;
}

static struct table *get(struct store *store, const char *name)
{
    return store ? store_get(store, name) : NULL;
}

void analysis_write(const struct analysis *a, struct store *store, const char *region,
                    const char *period, int64_t now, struct analysis_text *out)
{
    struct facts f = {.a = a, .iv = get(store, "indicator_values"),
                      .tp = get(store, "target_progress"), .projects = get(store, "projects"),
                      .warnings = get(store, "warnings"), .regions = get(store, "regions"),
                      .region = region, .until = period, .now = now};
    for (size_t r = 0; f.regions && r < f.regions->nrows && !f.city; r++)
        if (eq(cell(f.regions, r, "kind"), "city"))
            f.city = cell(f.regions, r, "code");
    f.region = region ? region : f.city;
    bool county = !eq(f.region, f.city);
    memset(out, 0, sizeof *out);
    f.dash = true;
    out->title = expand(a->title, fact, &f);
    f.dash = false;
    out->region = name_of(&f, "region");
    out->period = name_of(&f, "period");
    out->sections = xcalloc(a->nparts, sizeof *out->sections);
    for (size_t i = 0; i < a->nparts; i++) {
        char *text = NULL;
        size_t len = 0;
        FILE *tf = open_memstream(&text, &len);
        if (!tf)
            abort();
        for (size_t k = 0; k < a->parts[i].n; k++) {
            const struct sentence *s = &a->parts[i].s[k];
            if ((s->level == CITY && county) || (s->level == COUNTY && !county))
                continue;
            char *one = write_sentence(&f, s, a->parts[i].heading);
            fputs(one, tf);
            free(one);
        }
        fclose(tf);
        if (!*text) { /* every sentence was for the other level */
            free(text);
            continue;
        }
        struct analysis_section *sec = &out->sections[out->nsections++];
        sec->heading = expand(a->parts[i].heading, fact, &f);
        sec->text = text;
    }
    table_unref(f.iv);
    table_unref(f.tp);
    table_unref(f.projects);
    table_unref(f.warnings);
    table_unref(f.regions);
}

void analysis_text_finish(struct analysis_text *t)
{
    for (size_t i = 0; t && i < t->nsections; i++) {
        free(t->sections[i].heading);
        free(t->sections[i].text);
    }
    if (t) {
        free(t->sections);
        free(t->title);
        free(t->region);
        free(t->period);
        memset(t, 0, sizeof *t);
    }
}
