/* Loading warning rules. Like scenes, every check names the file, the JSON
 * path and what was expected; sources and columns are checked against the
 * catalog, departments against the file's department list. */
#include "warn/rules.h"
#include "util/file.h"
#include "util/json.h"
#include "util/util.h"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STRING 4096

struct ctx {
    const char *path;
    const struct catalog *cat;
    struct rules *rules;
    struct err *err;
};

/* "file: json.path: message"; returns false */
#define fail(c, jp, ...) json_fail((c)->err, (c)->path, (jp), __VA_ARGS__)

static const char *const cond_names[] = {
    [COND_THRESHOLD] = "threshold",           [COND_BEHIND_TARGET] = "behind_target",
    [COND_BEHIND_SCHEDULE] = "behind_schedule", [COND_BELOW_AVERAGE] = "below_average",
    [COND_RANK] = "rank",                     [COND_DECLINES] = "declines",
    [COND_OVERDUE] = "overdue",
};

const char *cond_type_name(enum cond_type t)
{
    return cond_names[t];
}

/* A non-empty string without NUL, at most MAX_STRING bytes; copied to *out. */
static bool get_string(struct ctx *c, json_t *obj, const char *jp, const char *key, bool required,
                       char **out)
{
    struct jpath p;
    jpath_key(&p, jp, key);
    json_t *v = json_object_get(obj, key);
    if (!v)
        return !required || fail(c, p.s, "missing; expected a string");
    if (!json_is_string(v) || json_string_length(v) == 0)
        return fail(c, p.s, "expected a non-empty string");
    if (json_string_length(v) > MAX_STRING)
        return fail(c, p.s, "string of %zu bytes is too long (at most %d)", json_string_length(v),
                    MAX_STRING);
    if (strlen(json_string_value(v)) != json_string_length(v))
        return fail(c, p.s, "string contains a NUL character");
    *out = xstrdup(json_string_value(v));
    return true;
}

static bool get_int(struct ctx *c, json_t *obj, const char *jp, const char *key, int min, int max,
                    int *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return true;
    struct jpath p;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return fail(c, jpath_key(&p, jp, key), "expected an integer from %d to %d", min, max);
    *out = (int)json_integer_value(v);
    return true;
}

static bool get_number(struct ctx *c, json_t *obj, const char *jp, const char *key, bool nonneg,
                       bool *has, double *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return true;
    struct jpath p;
    jpath_key(&p, jp, key);
    if (!json_is_number(v) || !isfinite(json_number_value(v)))
        return fail(c, p.s, "expected a number");
    if (nonneg && json_number_value(v) < 0)
        return fail(c, p.s, "%g is negative; expected a number >= 0", json_number_value(v));
    *out = json_number_value(v);
    if (has)
        *has = true;
    return true;
}

/* A period: whole seconds, or a string "90s", "10m", "2h", "1d". */
static bool get_duration(struct ctx *c, json_t *obj, const char *jp, const char *key, int *out)
{
    static const char expect[] = "expected seconds >= 0 or a duration such as \"10m\", \"2h\", "
                                 "\"1d\"";
    json_t *v = json_object_get(obj, key);
    if (!v)
        return true;
    struct jpath p;
    jpath_key(&p, jp, key);
    double secs;
    if (json_is_integer(v)) {
        secs = (double)json_integer_value(v);
        if (secs < 0)
            return fail(c, p.s, "%.0f is negative; %s", secs, expect);
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end;
        double n = strtod(s, &end);
        static const struct {
            char unit;
            int secs;
        } units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
        int mult = 0;
        for (size_t i = 0; i < ARRAY_LEN(units); i++)
            if (end != s && end[0] == units[i].unit && end[1] == '\0')
                mult = units[i].secs;
        if (!mult || !isfinite(n) || !isdigit((unsigned char)s[0]) || strchr(s, '.'))
            return fail(c, p.s, "\"%s\": %s", s, expect);
        secs = n * mult;
    } else {
        return fail(c, p.s, "%s", expect);
    }
    if (secs > RULES_MAX_PERIOD_S)
        return fail(c, p.s, "%.0f seconds is more than a year", secs);
    *out = (int)secs;
    return true;
}

/* ---- the indicator: a binding like a panel's ----------------------------- */

/* A catalog column of the bound source; `numeric` demands a number column. */
static bool check_column(struct ctx *c, const struct catalog_table *def, const char *jp,
                         const char *col, bool numeric, const char *what)
{
    if (!def)
        return true;
    int i = catalog_col(def, col);
    if (i < 0) {
        char *cols = catalog_column_names(def);
        fail(c, jp, "source %s has no column \"%s\" (its columns: %s)", def->name, col, cols);
        free(cols);
        return false;
    }
    if (numeric && def->cols[i].type != COL_NUMBER)
        return fail(c, jp, "%s.%s is %s; %s must be a number column", def->name, col,
                    col_type_name(def->cols[i].type), what);
    return true;
}

static bool filter_value(struct ctx *c, const char *jp, json_t *v, char **out)
{
    if (json_is_number(v)) {
        *out = xasprintf("%.15g", json_number_value(v));
        return true;
    }
    if (!json_is_string(v) || json_string_length(v) > MAX_STRING)
        return fail(c, jp, "expected a string, a number or an array of them");
    const char *s = json_string_value(v);
    if (s[0] == '$' && strcmp(s, QUERY_LATEST) != 0)
        return fail(c, jp, "unknown parameter %s (rules take only \"$latest\")", s);
    *out = xstrdup(s);
    return true;
}

static bool load_filter(struct ctx *c, struct query *q, const struct catalog_table *def,
                        json_t *filter, const char *jp)
{
    if (!json_is_object(filter))
        return fail(c, jp, "expected an object of column: value");
    q->filters = xcalloc(json_object_size(filter) + 1, sizeof *q->filters);
    const char *col;
    json_t *v;
    json_object_foreach(filter, col, v) {
        struct jpath p;
        jpath_key(&p, jp, col);
        if (!check_column(c, def, p.s, col, false, NULL))
            return false;
        struct query_filter *f = &q->filters[q->nfilters++];
        f->column = xstrdup(col);
        size_t n = json_is_array(v) ? json_array_size(v) : 1;
        if (json_is_array(v) && n == 0)
            return fail(c, p.s, "expected a non-empty array");
        f->values = xcalloc(n, sizeof *f->values);
        for (size_t i = 0; i < n; i++) {
            struct jpath pi;
            json_t *e = json_is_array(v) ? json_array_get(v, i) : v;
            if (!filter_value(c, json_is_array(v) ? jpath_idx(&pi, p.s, i) : p.s, e,
                              &f->values[i]))
                return false;
            f->nvalues++;
        }
    }
    return true;
}

static void add_field(struct query *q, const char *role, const char *col)
{
    q->fields[q->nfields].role = xstrdup(role);
    q->fields[q->nfields].column = xstrdup(col);
    q->nfields++;
}

static bool load_indicator(struct ctx *c, struct rule *r, json_t *ji, const char *jp,
                           const struct catalog_table **def)
{
    static const char *const keys[] = {"source", "filter", "field", "instance", "period", NULL};
    if (!json_is_object(ji))
        return fail(c, jp, "expected an object with source, field and optionally filter, "
                           "instance, period");
    if (!json_check_keys(c->err, c->path, jp, ji, keys) ||
        !get_string(c, ji, jp, "source", true, &r->query.source))
        return false;
    struct jpath p;
    if (c->cat && !(*def = catalog_find(c->cat, r->query.source))) {
        char *names = catalog_names(c->cat);
        fail(c, jpath_key(&p, jp, "source"), "unknown source \"%s\" (known sources: %s)",
             r->query.source, names);
        free(names);
        return false;
    }
    json_t *filter = json_object_get(ji, "filter");
    if (filter && !load_filter(c, &r->query, *def, filter, jpath_key(&p, jp, "filter")))
        return false;
    if (!get_string(c, ji, jp, "field", true, &r->field) ||
        !check_column(c, *def, jpath_key(&p, jp, "field"), r->field, true, "the watched field") ||
        !get_string(c, ji, jp, "instance", false, &r->instance) ||
        (r->instance && !check_column(c, *def, jpath_key(&p, jp, "instance"), r->instance, false,
                                      NULL)) ||
        !get_string(c, ji, jp, "period", false, &r->period) ||
        (r->period && !check_column(c, *def, jpath_key(&p, jp, "period"), r->period, false, NULL)))
        return false;
    return true;
}

/* ---- the condition -------------------------------------------------------- */

static bool load_condition(struct ctx *c, struct rule *r, json_t *jc, const char *jp,
                           const struct catalog_table *def)
{
    static const char *const keys[][5] = {
        [COND_THRESHOLD] = {"type", "above", "below", NULL},
        [COND_BEHIND_TARGET] = {"type", "target", "margin", NULL},
        [COND_BEHIND_SCHEDULE] = {"type", "schedule", "margin", NULL},
        [COND_BELOW_AVERAGE] = {"type", "average", "margin", NULL},
        [COND_RANK] = {"type", "worse_than", "drop", NULL},
        [COND_DECLINES] = {"type", "count", NULL},
        [COND_OVERDUE] = {"type", "limit", "max_count", NULL},
    };
    struct cond *cd = &r->cond;
    struct jpath p;
    if (!json_is_object(jc))
        return fail(c, jp, "expected an object with a \"type\"");
    const char *type = json_string_value(json_object_get(jc, "type"));
    size_t t = 0;
    while (t < ARRAY_LEN(cond_names) && (!type || strcmp(type, cond_names[t])))
        t++;
    if (t == ARRAY_LEN(cond_names))
        return fail(c, jpath_key(&p, jp, "type"),
                    "expected one of threshold, behind_target, behind_schedule, below_average, "
                    "rank, declines, overdue");
    cd->type = (enum cond_type)t;
    if (!json_check_keys(c->err, c->path, jp, jc, keys[t]))
        return false;
    switch (cd->type) {
    case COND_THRESHOLD:
        if (!get_number(c, jc, jp, "above", false, &cd->has_above, &cd->above) ||
            !get_number(c, jc, jp, "below", false, &cd->has_below, &cd->below))
            return false;
        if (!cd->has_above && !cd->has_below)
            return fail(c, jp, "threshold needs above, below or both");
        if (cd->has_above && cd->has_below && cd->below >= cd->above)
            return fail(c, jp, "below (%g) is not less than above (%g): every value would fire",
                        cd->below, cd->above);
        return true;
    case COND_BEHIND_TARGET:
    case COND_BEHIND_SCHEDULE:
    case COND_BELOW_AVERAGE: {
        const char *key = keys[t][1];
        if (!get_string(c, jc, jp, key, true, &cd->ref) ||
            !check_column(c, def, jpath_key(&p, jp, key), cd->ref, true, "the compared field") ||
            !get_number(c, jc, jp, "margin", true, NULL, &cd->margin))
            return false;
        if (strcmp(cd->ref, r->field) == 0)
            return fail(c, jpath_key(&p, jp, key),
                        "compares %s with itself: the condition could never hold", r->field);
        return true;
    }
    case COND_RANK:
        if (!get_int(c, jc, jp, "worse_than", 1, 10000, &cd->worse_than) ||
            !get_int(c, jc, jp, "drop", 1, 10000, &cd->drop))
            return false;
        if (!cd->worse_than && !cd->drop)
            return fail(c, jp, "rank needs worse_than, drop or both");
        if (cd->drop && !r->period)
            return fail(c, jpath_key(&p, jp, "drop"),
                        "needs indicator.period to compare with the previous period");
        return true;
    case COND_DECLINES:
        if (!json_object_get(jc, "count"))
            return fail(c, jpath_key(&p, jp, "count"), "missing; expected an integer from 1 to %d",
                        RULES_MAX_DECLINES);
        if (!get_int(c, jc, jp, "count", 1, RULES_MAX_DECLINES, &cd->count))
            return false;
        if (!r->period)
            return fail(c, jp, "declines needs indicator.period to order the series");
        return true;
    case COND_OVERDUE: {
        json_t *lim = json_object_get(jc, "limit");
        jpath_key(&p, jp, "limit");
        if (json_is_string(lim)) {
            if (!get_string(c, jc, jp, "limit", true, &cd->ref) ||
                !check_column(c, def, p.s, cd->ref, true, "the limit"))
                return false;
        } else if (json_is_number(lim) && json_number_value(lim) >= 0) {
            cd->limit_value = json_number_value(lim);
        } else {
            return fail(c, p.s, "expected a limit column (e.g. \"limit_days\") or a number >= 0");
        }
        return get_int(c, jc, jp, "max_count", 0, 1000000, &cd->max_count);
    }
    }
    return true;
}

/* ---- departments and urging ----------------------------------------------- */

static bool known_department(struct ctx *c, const char *jp, const char *name)
{
    const struct rules *rs = c->rules;
    if (!rs->departments)
        return true;
    for (size_t i = 0; i < rs->ndepartments; i++)
        if (strcmp(rs->departments[i], name) == 0)
            return true;
    char *list = NULL;
    for (size_t i = 0; i < rs->ndepartments; i++)
        str_list_add(&list, ", ", rs->departments[i]);
    fail(c, jp, "unknown department \"%s\" (known departments: %s)", name, list ? list : "");
    free(list);
    return false;
}

/* A non-empty array of distinct non-empty strings. */
static bool load_names(struct ctx *c, json_t *arr, const char *jp, bool check_known,
                       char ***out, size_t *n)
{
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 1000)
        return fail(c, jp, "expected a non-empty array of department names");
    *out = xcalloc(json_array_size(arr), sizeof **out);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        struct jpath p;
        jpath_idx(&p, jp, i);
        if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 256)
            return fail(c, p.s, "expected a department name");
        const char *s = json_string_value(v);
        for (size_t k = 0; k < *n; k++)
            if (strcmp((*out)[k], s) == 0)
                return fail(c, p.s, "\"%s\" is listed twice", s);
        if (check_known && !known_department(c, p.s, s))
            return false;
        (*out)[(*n)++] = xstrdup(s);
    }
    return true;
}

static bool load_urge(struct ctx *c, struct urge_policy *u, json_t *ju, const char *jp)
{
    static const char *const keys[] = {"on_firing", "repeat", "max_repeats", "escalate_after",
                                       "escalate_to", "template", NULL};
    struct jpath p;
    if (!json_is_object(ju))
        return fail(c, jp, "expected an object (on_firing, repeat, max_repeats, escalate_after, "
                           "escalate_to, template)");
    if (!json_check_keys(c->err, c->path, jp, ju, keys))
        return false;
    json_t *on = json_object_get(ju, "on_firing");
    if (on && !json_is_boolean(on))
        return fail(c, jpath_key(&p, jp, "on_firing"), "expected true or false");
    u->on_firing = !on || json_is_true(on);
    if (!get_duration(c, ju, jp, "repeat", &u->repeat_s) ||
        !get_int(c, ju, jp, "max_repeats", 0, RULES_MAX_REPEATS, &u->max_repeats) ||
        !get_int(c, ju, jp, "escalate_after", 0, RULES_MAX_REPEATS, &u->escalate_after) ||
        !get_string(c, ju, jp, "escalate_to", false, &u->escalate_to) ||
        !get_string(c, ju, jp, "template", false, &u->template_code))
        return false;
    if (u->max_repeats > 0 && u->repeat_s == 0)
        return fail(c, jpath_key(&p, jp, "max_repeats"),
                    "%d repeats need a repeat interval (urge.repeat)", u->max_repeats);
    if (!u->on_firing && (u->max_repeats || u->escalate_after))
        return fail(c, jp, "on_firing is false: no urge is sent, so nothing can repeat or "
                           "escalate");
    if (u->escalate_after && u->escalate_after > u->max_repeats)
        return fail(c, jpath_key(&p, jp, "escalate_after"),
                    "%d needs max_repeats >= %d (the escalation goes with urge step %d)",
                    u->escalate_after, u->escalate_after, u->escalate_after);
    if (u->escalate_after && !u->escalate_to)
        return fail(c, jpath_key(&p, jp, "escalate_to"),
                    "missing; escalate_after needs the higher department");
    if (u->escalate_to && !u->escalate_after)
        return fail(c, jpath_key(&p, jp, "escalate_after"),
                    "missing; escalate_to needs the number of unanswered urges before it");
    return !u->escalate_to || known_department(c, jpath_key(&p, jp, "escalate_to"),
                                               u->escalate_to);
}

/* ---- a rule ---------------------------------------------------------------- */

static bool valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("-_.", *s))
            return false;
    return true;
}

static bool load_rule(struct ctx *c, struct rule *r, json_t *jr, const char *jp)
{
    static const char *const keys[] = {"id", "name", "indicator", "condition", "severity",
                                       "pending", "keep_firing", "hold_down", "departments",
                                       "urge", NULL};
    struct jpath p;
    if (!json_is_object(jr))
        return fail(c, jp, "expected an object");
    if (!json_check_keys(c->err, c->path, jp, jr, keys))
        return false;
    json_t *id = json_object_get(jr, "id");
    if (!json_is_string(id) || !valid_id(json_string_value(id)))
        return fail(c, jpath_key(&p, jp, "id"),
                    "expected 1 to 64 letters, digits, '-', '_' or '.'");
    r->id = xstrdup(json_string_value(id));
    if (!get_string(c, jr, jp, "name", true, &r->name))
        return false;
    const struct catalog_table *def = NULL;
    if (!json_object_get(jr, "indicator"))
        return fail(c, jpath_key(&p, jp, "indicator"), "missing; expected {source, field, …}");
    if (!load_indicator(c, r, json_object_get(jr, "indicator"), jpath_key(&p, jp, "indicator"),
                        &def))
        return false;
    if (!json_object_get(jr, "condition"))
        return fail(c, jpath_key(&p, jp, "condition"), "missing; expected {type, …}");
    if (!load_condition(c, r, json_object_get(jr, "condition"), jpath_key(&p, jp, "condition"),
                        def))
        return false;
    json_t *sev = json_object_get(jr, "severity");
    if (!json_is_string(sev) || !severity_parse(json_string_value(sev), &r->severity))
        return fail(c, jpath_key(&p, jp, "severity"),
                    "expected one of 提示, 一般, 严重 (or info, warning, critical)");
    if (!get_duration(c, jr, jp, "pending", &r->pending_s) ||
        !get_duration(c, jr, jp, "keep_firing", &r->keep_firing_s) ||
        !get_duration(c, jr, jp, "hold_down", &r->hold_down_s))
        return false;
    if (!load_names(c, json_object_get(jr, "departments"), jpath_key(&p, jp, "departments"), true,
                    &r->departments, &r->ndepartments))
        return false;
    json_t *ju = json_object_get(jr, "urge");
    r->urge.on_firing = true;
    if (ju && !load_urge(c, &r->urge, ju, jpath_key(&p, jp, "urge")))
        return false;

    /* the query: roles value, instance, period, ref; a series in period order */
    struct query *q = &r->query;
    q->fields = xcalloc(4, sizeof *q->fields);
    add_field(q, "value", r->field);
    if (r->instance)
        add_field(q, "instance", r->instance);
    if (r->period) {
        add_field(q, "period", r->period);
        q->sort_by = xstrdup("period");
    }
    if (r->cond.ref)
        add_field(q, "ref", r->cond.ref);
    return true;
}

/* ---- sharing queries ------------------------------------------------------- */

static char *query_key(const struct query *q)
{
    size_t len = strlen(q->source) + 8;
    for (size_t i = 0; i < q->nfilters; i++) {
        len += strlen(q->filters[i].column) + 2;
        for (size_t v = 0; v < q->filters[i].nvalues; v++)
            len += strlen(q->filters[i].values[v]) + 1;
    }
    for (size_t i = 0; i < q->nfields; i++)
        len += strlen(q->fields[i].role) + strlen(q->fields[i].column) + 2;
    char *s = xmalloc(len), *p = s;
    p += sprintf(p, "%s\x1e", q->source);
    for (size_t i = 0; i < q->nfilters; i++) {
        p += sprintf(p, "%s\x1d", q->filters[i].column);
        for (size_t v = 0; v < q->filters[i].nvalues; v++)
            p += sprintf(p, "%s\x1f", q->filters[i].values[v]);
        *p++ = '\x1e';
    }
    for (size_t i = 0; i < q->nfields; i++)
        p += sprintf(p, "%s=%s\x1f", q->fields[i].role, q->fields[i].column);
    *p = '\0';
    return s;
}

struct keyed {
    char *key;
    size_t rule;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int d = strcmp(x->key, y->key);
    return d ? d : (x->rule > y->rule) - (x->rule < y->rule);
}

/* Rules whose queries are the same share one: an evaluation runs each once. */
static void share_bindings(struct rules *rs)
{
    struct keyed *k = xcalloc(rs->nrules + 1, sizeof *k);
    for (size_t i = 0; i < rs->nrules; i++)
        k[i] = (struct keyed){query_key(&rs->rules[i].query), i};
    qsort(k, rs->nrules, sizeof *k, cmp_keyed);
    rs->bindings = xcalloc(rs->nrules + 1, sizeof *rs->bindings);
    for (size_t i = 0; i < rs->nrules; i++) {
        if (i == 0 || strcmp(k[i].key, k[i - 1].key) != 0)
            rs->bindings[rs->nbindings++] = &rs->rules[k[i].rule].query;
        rs->rules[k[i].rule].binding = rs->nbindings - 1;
    }
    for (size_t i = 0; i < rs->nrules; i++)
        free(k[i].key);
    free(k);
}

static int cmp_id(const void *a, const void *b)
{
    const struct rule *const *x = a, *const *y = b;
    return strcmp((*x)->id, (*y)->id);
}

static bool load_root(struct ctx *c, json_t *root)
{
    static const char *const keys[] = {"kind", "version", "name", "departments", "rules", NULL};
    struct rules *rs = c->rules;
    if (!json_check_keys(c->err, c->path, "", root, keys))
        return false;
    /* top-level keys have no base path: "t.json: rules: …" */
    if (json_object_get(root, "name") && !get_string(c, root, "", "name", false, &rs->name))
        return false;
    json_t *deps = json_object_get(root, "departments");
    if (deps && !load_names(c, deps, "departments", false, &rs->departments, &rs->ndepartments))
        return false;
    json_t *arr = json_object_get(root, "rules");
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return fail(c, "rules", "expected a non-empty array of rules");
    if (json_array_size(arr) > RULES_MAX)
        return fail(c, "rules", "%zu rules; at most %d", json_array_size(arr), RULES_MAX);
    rs->rules = xcalloc(json_array_size(arr), sizeof *rs->rules);
    size_t i;
    json_t *jr;
    json_array_foreach(arr, i, jr) {
        struct jpath p;
        rs->nrules++;
        if (!load_rule(c, &rs->rules[i], jr, jpath_idx(&p, "rules", i)))
            return false;
    }
    /* ids are unique: sort pointers, report the later of a pair */
    const struct rule **by_id = xcalloc(rs->nrules, sizeof *by_id);
    for (i = 0; i < rs->nrules; i++)
        by_id[i] = &rs->rules[i];
    qsort(by_id, rs->nrules, sizeof *by_id, cmp_id);
    bool ok = true;
    for (i = 1; ok && i < rs->nrules; i++) {
        if (strcmp(by_id[i]->id, by_id[i - 1]->id) == 0) {
            size_t a = (size_t)(by_id[i - 1] - rs->rules), b = (size_t)(by_id[i] - rs->rules);
            struct jpath p, pk;
            jpath_key(&pk, jpath_idx(&p, "rules", a > b ? a : b), "id");
            ok = fail(c, pk.s, "\"%s\" is already used by rules[%zu]", by_id[i]->id, a < b ? a : b);
        }
    }
    rs->by_id = by_id;
    if (ok)
        share_bindings(rs);
    return ok;
}

struct rules *rules_parse(const char *path, const char *text, size_t len,
                          const struct catalog *cat, struct err *err)
{
    json_t *root = json_parse_checked(path, text, len, "rules", err);
    if (!root)
        return NULL;
    struct rules *rs = xcalloc(1, sizeof *rs);
    rs->path = xstrdup(path);
    struct ctx c = {path, cat, rs, err};
    bool ok = load_root(&c, root);
    json_decref(root);
    if (!ok) {
        rules_destroy(rs);
        return NULL;
    }
    return rs;
}

struct rules *rules_load(const char *path, const struct catalog *cat, struct err *err)
{
    size_t len;
    char *text = file_read(path, FILE_MAX_CONFIG, &len, err);
    if (!text)
        return NULL;
    struct rules *rs = rules_parse(path, text, len, cat, err);
    free(text);
    return rs;
}

static void free_names(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void rules_destroy(struct rules *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->nrules; i++) {
        struct rule *r = &rs->rules[i];
        free(r->id);
        free(r->name);
        query_finish(&r->query);
        free(r->field);
        free(r->instance);
        free(r->period);
        free(r->cond.ref);
        free_names(r->departments, r->ndepartments);
        free(r->urge.escalate_to);
        free(r->urge.template_code);
    }
    free(rs->rules);
    free_names(rs->departments, rs->ndepartments);
    free(rs->bindings);
    free(rs->by_id);
    free(rs->path);
    free(rs->name);
    free(rs);
}

const struct rule *rules_find(const struct rules *rs, const char *id)
{
    size_t lo = 0, hi = rs->by_id ? rs->nrules : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = strcmp(rs->by_id[mid]->id, id);
        if (d == 0)
            return rs->by_id[mid];
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
