/* Scene loading. Every check says where: the file, the JSON path, and what
 * was expected. Parsed values keep no line numbers, so semantic errors use
 * the JSON path; syntax errors carry line:column from jansson. */
#include "scene/scene.h"
#include "render/theme.h"
#include "util/file.h"
#include "util/json.h"
#include "util/util.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct ctx {
    const char *path;
    const struct scene_env *env;
    struct scene *scene;
    struct err *err;
};

static bool fail(struct ctx *c, const char *jp, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool fail(struct ctx *c, const char *jp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    json_vfail(c->err, c->path, jp, fmt, ap);
    va_end(ap);
    return false;
}

/* Checks that obj has only known keys ("_comment"-style keys are allowed). */
static bool check_keys(struct ctx *c, const char *jp, json_t *obj, const char *const *known)
{
    return json_check_keys(c->err, c->path, jp, obj, known);
}

static bool get_string(struct ctx *c, json_t *obj, const char *jp, const char *key, bool required,
                       char **out)
{
    json_t *v = json_object_get(obj, key);
    struct jpath p;
    jpath_key(&p, jp, key);
    if (!v) {
        if (required)
            return fail(c, p.s, "missing; expected a string");
        return true;
    }
    if (!json_is_string(v))
        return fail(c, p.s, "expected a string");
    if (json_string_length(v) > SCENE_MAX_STRING)
        return fail(c, p.s, "string of %zu bytes is too long (at most %d)", json_string_length(v),
                    SCENE_MAX_STRING);
    if (strlen(json_string_value(v)) != json_string_length(v))
        return fail(c, p.s, "string contains a NUL character");
    free(*out);
    *out = xstrdup(json_string_value(v));
    return true;
}

static bool get_number(struct ctx *c, json_t *obj, const char *jp, const char *key, double min,
                       double max, bool integer, double *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return true;
    struct jpath p;
    jpath_key(&p, jp, key);
    if (!json_is_number(v) || (integer && !json_is_integer(v)))
        return fail(c, p.s, "expected %s", integer ? "an integer" : "a number");
    double x = json_number_value(v);
    if (!(x >= min && x <= max))
        return fail(c, p.s, "%g is out of range (%g to %g)", x, min, max);
    *out = x;
    return true;
}

static const char *param_value(const struct scene *s, const char *name)
{
    for (size_t i = 0; i < s->nparams; i++)
        if (strcmp(s->params[i].name, name) == 0)
            return s->params[i].value;
    return NULL;
}

/* ---- widget options ------------------------------------------------------ */

static const struct prop_spec *find_prop(const struct widget_spec *w, const char *name)
{
    for (const struct prop_spec *p = w->props; p && p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

static const struct role_spec *find_role(const struct widget_spec *w, const char *name)
{
    for (const struct role_spec *r = w->roles; r && r->name; r++)
        if (strcmp(r->name, name) == 0)
            return r;
    return NULL;
}

static bool enum_has(const char *values, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = values; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, v, n) == 0)
            return true;
        p = bar ? bar + 1 : NULL;
    }
    return false;
}

static bool check_prop(struct ctx *c, const char *jp, const struct prop_spec *ps, json_t *v)
{
    switch (ps->type) {
    case PROP_NUMBER:
    case PROP_INT: {
        if (!json_is_number(v) || (ps->type == PROP_INT && !json_is_integer(v)))
            return fail(c, jp, "expected %s", ps->type == PROP_INT ? "an integer" : "a number");
        double x = json_number_value(v);
        if (!(x >= ps->min && x <= ps->max))
            return fail(c, jp, "%g is out of range (%g to %g)", x, ps->min, ps->max);
        return true;
    }
    case PROP_BOOL:
        return json_is_boolean(v) ? true : fail(c, jp, "expected true or false");
    case PROP_STRING:
        if (!json_is_string(v) || json_string_length(v) > SCENE_MAX_STRING)
            return fail(c, jp, "expected a string of at most %d bytes", SCENE_MAX_STRING);
        return true;
    case PROP_ENUM:
        if (!json_is_string(v) || !enum_has(ps->values, json_string_value(v)))
            return fail(c, jp, "expected one of %s", ps->values);
        return true;
    case PROP_COLOR: {
        rgba_t col;
        if (!json_is_string(v) || !color_parse(json_string_value(v), &col))
            return fail(c, jp, "expected a colour \"#rrggbb\" or \"#rrggbbaa\"");
        return true;
    }
    case PROP_STRINGS:
    case PROP_NUMBERS: {
        bool nums = ps->type == PROP_NUMBERS;
        if (!json_is_array(v))
            return fail(c, jp, "expected an array of %s", nums ? "numbers" : "strings");
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) {
            struct jpath p;
            double x = json_number_value(e);
            if (nums && !(json_is_number(e) && x >= ps->min && x <= ps->max))
                return fail(c, jpath_idx(&p, jp, i), "expected a number from %g to %g", ps->min,
                            ps->max);
            if (!nums && (!json_is_string(e) || json_string_length(e) > SCENE_MAX_STRING))
                return fail(c, jpath_idx(&p, jp, i), "expected a string");
        }
        return true;
    }
    }
    return true;
}

/* The widget's defaults of the options the panel leaves out, parsed once
 * at load: the accessors then never parse, and a default string lives as
 * long as the panel (the accessors run on the render thread and in export
 * jobs alike). */
static json_t *option_defaults(const struct widget_spec *w, json_t *given)
{
    json_t *d = json_object();
    for (const struct prop_spec *ps = w->props; ps && ps->name; ps++) {
        json_t *v = ps->def && !json_object_get(given, ps->name)
                        ? json_loads(ps->def, JSON_DECODE_ANY, NULL)
                        : NULL;
        if (v)
            json_object_set_new(d, ps->name, v);
    }
    return d;
}

static bool load_options(struct ctx *c, struct panel *pn, json_t *jp_obj, const char *jp)
{
    json_t *opts = json_object_get(jp_obj, "options");
    struct jpath p;
    jpath_key(&p, jp, "options");
    if (!opts) {
        pn->options = json_object();
        pn->defaults = option_defaults(pn->widget, pn->options);
        return true;
    }
    if (!json_is_object(opts))
        return fail(c, p.s, "expected an object");
    const char *key;
    json_t *v;
    json_object_foreach(opts, key, v) {
        if (key[0] == '_')
            continue;
        const struct prop_spec *ps = find_prop(pn->widget, key);
        struct jpath kp;
        jpath_key(&kp, p.s, key);
        if (!ps) {
            char *list = NULL;
            for (const struct prop_spec *q = pn->widget->props; q && q->name; q++)
                str_list_add(&list, ", ", q->name);
            fail(c, kp.s, "unknown option for widget %s (known: %s)", pn->widget->name,
                 list ? list : "none");
            free(list);
            return false;
        }
        if (!check_prop(c, kp.s, ps, v))
            return false;
    }
    pn->options = json_incref(opts);
    pn->defaults = option_defaults(pn->widget, pn->options);
    return true;
}

/* ---- bindings ------------------------------------------------------------ */

static bool filter_value(struct ctx *c, const char *jp, json_t *v, char **out)
{
    char buf[64];
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (json_string_length(v) > SCENE_MAX_STRING)
            return fail(c, jp, "string too long");
        if (s[0] == '$' && strcmp(s, QUERY_LATEST) != 0) {
            const char *val = param_value(c->scene, s + 1);
            if (!val) {
                char *list = NULL;
                for (size_t i = 0; i < c->scene->nparams; i++)
                    str_list_add(&list, ", ", c->scene->params[i].name);
                fail(c, jp, "unknown parameter %s (scene parameters: %s)", s,
                     list ? list : "none");
                free(list);
                return false;
            }
            s = val;
        }
        *out = xstrdup(s);
        return true;
    }
    if (json_is_number(v)) {
        snprintf(buf, sizeof buf, "%.15g", json_number_value(v));
        *out = xstrdup(buf);
        return true;
    }
    return fail(c, jp, "expected a string, a number or an array of them");
}

/* Without a catalog (docs, fuzzing) every column is taken on trust. */
static bool check_column(struct ctx *c, const struct catalog_table *def, const char *source,
                         const char *colname, const char *path)
{
    if (!def || catalog_col(def, colname) >= 0)
        return true;
    char *cols = catalog_column_names(def);
    fail(c, path, "source %s has no column \"%s\" (its columns: %s)", source, colname, cols);
    free(cols);
    return false;
}

/* A "$latest" filter is taken per distinct value of the table's other key
 * columns (the catalog's "key": true), e.g. per indicator. */
static void latest_per_key(struct query_filter *f, const struct catalog_table *def)
{
    if (!def || f->nvalues != 1 || strcmp(f->values[0], QUERY_LATEST) != 0)
        return;
    f->per = xcalloc(def->ncols + 1, sizeof *f->per);
    for (size_t i = 0; i < def->ncols; i++)
        if (def->cols[i].key && strcmp(def->cols[i].name, f->column) != 0)
            f->per[f->nper++] = xstrdup(def->cols[i].name);
}

/* "filter": {column: value or [values]}. */
static bool load_filters(struct ctx *c, struct query *q, const struct catalog_table *def,
                         json_t *jb, const char *jp)
{
    struct jpath p, p2;
    json_t *filter = json_object_get(jb, "filter");
    jpath_key(&p, jp, "filter");
    if (!filter)
        return true;
    if (!json_is_object(filter))
        return fail(c, p.s, "expected an object of column: value");
    q->filters = xcalloc(json_object_size(filter) + 1, sizeof *q->filters);
    const char *col;
    json_t *v;
    json_object_foreach(filter, col, v) {
        jpath_key(&p2, p.s, col);
        if (!check_column(c, def, q->source, col, p2.s))
            return false;
        struct query_filter *f = &q->filters[q->nfilters++];
        f->column = xstrdup(col);
        if (json_is_object(v)) {
            /* {"within": "$city"}: the region and the regions under it */
            static const char *const keys[] = {"within", NULL};
            if (!check_keys(c, p2.s, v, keys))
                return false;
            if (!(v = json_object_get(v, "within")))
                return fail(c, p2.s, "expected {\"within\": region code}");
            struct jpath pw;
            jpath_key(&pw, p2.s, "within");
            p2 = pw;
            f->within = true;
        }
        if (json_is_array(v)) {
            if (json_array_size(v) == 0)
                return fail(c, p2.s, "expected a non-empty array");
            f->values = xcalloc(json_array_size(v), sizeof *f->values);
            size_t i;
            json_t *e;
            json_array_foreach(v, i, e) {
                struct jpath p3;
                if (!filter_value(c, jpath_idx(&p3, p2.s, i), e, &f->values[f->nvalues]))
                    return false;
                f->nvalues++;
            }
        } else {
            f->values = xcalloc(1, sizeof *f->values);
            if (!filter_value(c, p2.s, v, &f->values[0]))
                return false;
            f->nvalues = 1;
        }
        latest_per_key(f, def);
    }
    return true;
}

/* "fields": {role: column}, every role the widget's, every required role there. */
static bool load_fields(struct ctx *c, struct panel *pn, const struct catalog_table *def,
                        json_t *fields, const char *jp)
{
    struct query *q = &pn->query;
    struct jpath p2;
    if (!json_is_object(fields))
        return fail(c, jp, "expected an object of role: column");
    q->fields = xcalloc(json_object_size(fields) + 1, sizeof *q->fields);
    const char *role;
    json_t *v;
    json_object_foreach(fields, role, v) {
        jpath_key(&p2, jp, role);
        const struct role_spec *rs = find_role(pn->widget, role);
        if (!rs) {
            char *list = NULL;
            for (const struct role_spec *r = pn->widget->roles; r && r->name; r++)
                str_list_add(&list, ", ", r->name);
            fail(c, p2.s, "unknown role for widget %s (roles: %s)", pn->widget->name,
                 list ? list : "none");
            free(list);
            return false;
        }
        if (!json_is_string(v))
            return fail(c, p2.s, "expected a column name");
        const char *col = json_string_value(v);
        if (strcmp(col, QUERY_COUNT) != 0 && !check_column(c, def, q->source, col, p2.s))
            return false;
        if (def && rs->numeric && strcmp(col, QUERY_COUNT) != 0 &&
            def->cols[catalog_col(def, col)].type != COL_NUMBER)
            return fail(c, p2.s, "role %s needs a number column; %s.%s is %s", role, q->source,
                        col, col_type_name(def->cols[catalog_col(def, col)].type));
        q->fields[q->nfields].role = xstrdup(role);
        q->fields[q->nfields].column = xstrdup(col);
        q->nfields++;
    }
    for (const struct role_spec *r = pn->widget->roles; r && r->name; r++) {
        if (r->required && !json_object_get(fields, r->name))
            return fail(c, jp, "missing role \"%s\" (%s) for widget %s", r->name, r->doc,
                        pn->widget->name);
    }
    return true;
}

static bool load_binding(struct ctx *c, struct panel *pn, json_t *jb, const char *jp)
{
    static const char *const keys[] = {"source", "filter", "fields", "group_by", "sort",
                                       "limit", "refresh", NULL};
    struct query *q = &pn->query;
    if (!json_is_object(jb))
        return fail(c, jp, "expected an object");
    if (!check_keys(c, jp, jb, keys) || !get_string(c, jb, jp, "source", true, &q->source))
        return false;
    struct jpath p;
    const struct catalog_table *def = NULL;
    if (c->env->catalog) {
        def = catalog_find(c->env->catalog, q->source);
        if (!def) {
            char *names = catalog_names(c->env->catalog);
            fail(c, jpath_key(&p, jp, "source"), "unknown source \"%s\" (known sources: %s)",
                 q->source, names);
            free(names);
            return false;
        }
        if (def->source)
            pn->provenance = xstrdup(def->source);
    }
    json_t *fields = json_object_get(jb, "fields");
    if (!load_filters(c, q, def, jb, jp) ||
        !load_fields(c, pn, def, fields, jpath_key(&p, jp, "fields")))
        return false;

    /* owned by q from here on, so that every failure below frees them */
    char *sort = NULL;
    if (!get_string(c, jb, jp, "group_by", false, &q->group_by) ||
        !get_string(c, jb, jp, "sort", false, &sort))
        return false;
    if (sort) {
        q->sort_desc = sort[0] == '-';
        q->sort_by = xstrdup(q->sort_desc ? sort + 1 : sort);
        free(sort);
    }
    if (q->group_by && !json_object_get(fields, q->group_by))
        return fail(c, jpath_key(&p, jp, "group_by"), "\"%s\" is not one of this binding's roles",
                    q->group_by);
    if (q->sort_by && !json_object_get(fields, q->sort_by))
        return fail(c, jpath_key(&p, jp, "sort"),
                    "\"%s\" is not one of this binding's roles (use \"role\" or \"-role\")",
                    q->sort_by);
    double limit = 0, refresh = 0;
    if (!get_number(c, jb, jp, "limit", 0, 100000, true, &limit) ||
        !get_number(c, jb, jp, "refresh", 1, 86400, true, &refresh))
        return false;
    q->limit = (size_t)limit;
    q->refresh_s = (int)refresh;
    /* the chosen period bounds every source with a period column */
    const char *period = param_value(c->scene, SCENE_PARAM_PERIOD);
    if (period && *period && (!def || catalog_col(def, QUERY_PERIOD) >= 0))
        q->until = xstrdup(period);
    return true;
}

/* ---- formats and thresholds ---------------------------------------------- */

/* A "time" format may name only the fields of a timestamp: the drawn text
 * then never depends on the locale or on strftime's other conversions. */
static bool time_pattern_ok(const char *pat)
{
    for (const char *s = pat; *s; s++)
        if (*s == '%' && (!*++s || !strchr("YmdHMS%", *s)))
            return false;
    return true;
}

static bool load_formats(struct ctx *c, struct panel *pn, json_t *jf, const char *jp)
{
    static const char *const keys[] = {"decimals", "thousands", "scale", "unit", "sign", "time",
                                       NULL};
    if (!json_is_object(jf))
        return fail(c, jp, "expected an object of role: format");
    pn->formats = xcalloc(json_object_size(jf) + 1, sizeof *pn->formats);
    const char *role;
    json_t *v;
    json_object_foreach(jf, role, v) {
        struct jpath p, p2;
        jpath_key(&p, jp, role);
        if (!find_role(pn->widget, role))
            return fail(c, p.s, "unknown role for widget %s", pn->widget->name);
        if (!json_is_object(v))
            return fail(c, p.s, "expected an object");
        if (!check_keys(c, p.s, v, keys))
            return false;
        struct role_format *rf = &pn->formats[pn->nformats++];
        rf->role = xstrdup(role);
        rf->fmt = (struct numfmt)NUMFMT_INIT;
        double dec = rf->fmt.decimals, scale = 1;
        if (!get_number(c, v, p.s, "decimals", 0, 6, true, &dec) ||
            !get_number(c, v, p.s, "scale", 1e-12, 1e12, false, &scale) ||
            !get_string(c, v, p.s, "unit", false, &rf->unit) ||
            !get_string(c, v, p.s, "time", false, &rf->time))
            return false;
        if (rf->time && !time_pattern_ok(rf->time))
            return fail(c, jpath_key(&p2, p.s, "time"),
                        "expected a pattern of %%Y %%m %%d %%H %%M %%S and plain text, got \"%s\"",
                        rf->time);
        rf->fmt.decimals = (int)dec;
        rf->fmt.scale = scale;
        rf->fmt.unit = rf->unit;
        json_t *b;
        if ((b = json_object_get(v, "thousands"))) {
            if (!json_is_boolean(b))
                return fail(c, jpath_key(&p2, p.s, "thousands"), "expected true or false");
            rf->fmt.thousands = json_is_true(b);
        }
        if ((b = json_object_get(v, "sign"))) {
            if (!json_is_boolean(b))
                return fail(c, jpath_key(&p2, p.s, "sign"), "expected true or false");
            rf->fmt.sign = json_is_true(b);
        }
    }
    return true;
}

static int cmp_threshold(const void *a, const void *b)
{
    double x = ((const struct threshold *)a)->value, y = ((const struct threshold *)b)->value;
    return (x > y) - (x < y);
}

static bool load_thresholds(struct ctx *c, struct panel *pn, json_t *jt, const char *jp)
{
    static const char *const keys[] = {"value", "color", "label", NULL};
    if (!json_is_array(jt))
        return fail(c, jp, "expected an array of {value, color, label}");
    pn->thresholds = xcalloc(json_array_size(jt) + 1, sizeof *pn->thresholds);
    size_t i;
    json_t *v;
    json_array_foreach(jt, i, v) {
        struct jpath p, p2;
        jpath_idx(&p, jp, i);
        if (!json_is_object(v) || !check_keys(c, p.s, v, keys))
            return json_is_object(v) ? false : fail(c, p.s, "expected an object");
        struct threshold *t = &pn->thresholds[pn->nthresholds++];
        json_t *val = json_object_get(v, "value");
        if (!json_is_number(val) || !isfinite(json_number_value(val)))
            return fail(c, jpath_key(&p2, p.s, "value"), "expected a number");
        t->value = json_number_value(val);
        const char *col = json_string_value(json_object_get(v, "color"));
        if (!col || !color_parse(col, &t->color))
            return fail(c, jpath_key(&p2, p.s, "color"), "expected a colour \"#rrggbb\"");
        if (!get_string(c, v, p.s, "label", false, &t->label))
            return false;
    }
    qsort(pn->thresholds, pn->nthresholds, sizeof *pn->thresholds, cmp_threshold);
    return true;
}

/* [col, row, colspan, rowspan] inside grid g. */
static bool load_area(struct ctx *c, json_t *area, const char *jp, const struct grid *g,
                      int out[4])
{
    if (!json_is_array(area) || json_array_size(area) != 4)
        return fail(c, jp, "expected [col, row, colspan, rowspan]");
    for (int i = 0; i < 4; i++) {
        json_t *e = json_array_get(area, (size_t)i);
        struct jpath pi;
        if (!json_is_integer(e) || json_integer_value(e) < (i < 2 ? 0 : 1) ||
            json_integer_value(e) > 1000)
            return fail(c, jpath_idx(&pi, jp, (size_t)i), "expected an integer %s",
                        i < 2 ? ">= 0" : ">= 1");
        out[i] = (int)json_integer_value(e);
    }
    if (out[0] + out[2] > g->cols || out[1] + out[3] > g->rows)
        return fail(c, jp, "[%d, %d, %d, %d] lies outside the %d×%d grid", out[0], out[1], out[2],
                    out[3], g->cols, g->rows);
    return true;
}

static bool areas_overlap(const int a[4], const int b[4])
{
    return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
}

/* False when either has no area (a level's alternate). */
static bool panels_overlap(const struct panel *a, const struct panel *b)
{
    return a->colspan && b->colspan &&
           areas_overlap((int[4]){a->col, a->row, a->colspan, a->rowspan},
                         (int[4]){b->col, b->row, b->colspan, b->rowspan});
}

/* ---- panels -------------------------------------------------------------- */

static const char *level_name(enum scene_level l)
{
    return l == LEVEL_CITY ? "city" : l == LEVEL_COUNTY ? "county" : "any";
}

/* "level": "city" | "county" and "alternate": "<panel id>" (checked
 * against the other panels by check_levels). */
static bool load_level(struct ctx *c, struct panel *pn, json_t *jp_obj, const char *jp)
{
    char *level = NULL;
    struct jpath p;
    if (!get_string(c, jp_obj, jp, "level", false, &level) ||
        !get_string(c, jp_obj, jp, "alternate", false, &pn->alternate))
        return false;
    if (level) {
        pn->level = strcmp(level, "city") == 0     ? LEVEL_CITY
                    : strcmp(level, "county") == 0 ? LEVEL_COUNTY
                                                   : LEVEL_ANY;
        bool known = pn->level != LEVEL_ANY;
        free(level);
        if (!known)
            return fail(c, jpath_key(&p, jp, "level"),
                        "expected \"city\" (the city's own view) or \"county\" (a county's)");
    }
    if (pn->alternate && pn->level == LEVEL_ANY)
        return fail(c, jpath_key(&p, jp, "alternate"),
                    "only a panel restricted to a level (\"level\") has an alternate");
    return true;
}

static const struct widget_spec *find_widget(const struct scene_env *env, const char *name)
{
    for (size_t i = 0; env->widgets && env->widgets[i]; i++)
        if (strcmp(env->widgets[i]->name, name) == 0)
            return env->widgets[i];
    return NULL;
}

/* ---- drill --------------------------------------------------------------- */

static bool is_role_of(const struct panel *pn, const char *role)
{
    for (size_t i = 0; i < pn->query.nfields; i++)
        if (strcmp(pn->query.fields[i].role, role) == 0)
            return true;
    return false;
}

static bool fail_role(struct ctx *c, const struct panel *pn, const char *jp, const char *role)
{
    char *list = NULL;
    for (size_t i = 0; i < pn->query.nfields; i++)
        str_list_add(&list, ", ", pn->query.fields[i].role);
    fail(c, jp, "\"%s\" is not one of this panel's roles (%s)", role, list ? list : "none");
    free(list);
    return false;
}

/* "drill": {"scene": NAME, "params": {PARAM: ROLE, ...}, "label": ROLE}.
 * The target is checked where the scene folders are known (app_check_drills). */
static bool load_drill(struct ctx *c, struct panel *pn, json_t *jd, const char *jp)
{
    static const char *const keys[] = {"scene", "params", "label", NULL};
    struct jpath p, p2;
    if (!json_is_object(jd))
        return fail(c, jp, "expected an object {\"scene\": ..., \"params\": {...}}");
    if (!pn->has_query)
        return fail(c, jp, "a drill takes its parameters from the panel's rows: the panel has "
                    "no binding");
    struct panel_drill *d = pn->drill = xcalloc(1, sizeof *d);
    if (!check_keys(c, jp, jd, keys) || !get_string(c, jd, jp, "scene", true, &d->scene) ||
        !get_string(c, jd, jp, "label", false, &d->label))
        return false;
    if (!file_name_safe(d->scene))
        return fail(c, jpath_key(&p, jp, "scene"), "\"%s\" is not a scene name", d->scene);
    if (d->label && !is_role_of(pn, d->label))
        return fail_role(c, pn, jpath_key(&p, jp, "label"), d->label);
    json_t *jps = json_object_get(jd, "params"), *v;
    jpath_key(&p, jp, "params");
    if (!json_is_object(jps) || json_object_size(jps) == 0)
        return fail(c, p.s, "%s; expected an object of parameter: role",
                    jps ? "not an object, or empty" : "missing");
    d->params = xcalloc(json_object_size(jps), sizeof *d->params);
    const char *name;
    json_object_foreach(jps, name, v) {
        jpath_key(&p2, p.s, name);
        if (!json_is_string(v))
            return fail(c, p2.s, "expected the name of a role of the panel's binding");
        if (!is_role_of(pn, json_string_value(v)))
            return fail_role(c, pn, p2.s, json_string_value(v));
        d->params[d->nparams++] = (struct drill_param){xstrdup(name),
                                                       xstrdup(json_string_value(v))};
    }
    return true;
}

static void drill_free(struct panel_drill *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nparams; i++) {
        free(d->params[i].name);
        free(d->params[i].role);
    }
    free(d->params);
    free(d->scene);
    free(d->label);
    free(d);
}

/* Frees what a panel owns, not the panel itself. */
static void panel_finish(struct panel *p)
{
    free(p->id);
    free(p->alternate);
    free(p->title);
    free(p->footnote);
    free(p->empty);
    free(p->note);
    free(p->provenance);
    query_finish(&p->query);
    for (size_t k = 0; k < p->nformats; k++) {
        free(p->formats[k].role);
        free(p->formats[k].unit);
        free(p->formats[k].time);
    }
    free(p->formats);
    for (size_t k = 0; k < p->nthresholds; k++)
        free(p->thresholds[k].label);
    free(p->thresholds);
    json_decref(p->options);
    json_decref(p->defaults);
    if (p->asset && p->widget->release)
        p->widget->release(p->asset);
    drill_free(p->drill);
}


static bool load_panel(struct ctx *c, struct panel *pn, json_t *jp_obj, const char *jp)
{
    static const char *const keys[] = {"id",      "widget",  "area",       "title",
                                       "footnote", "note",   "frame",      "binding",
                                       "format",  "thresholds", "options", "drill",
                                       "level",   "alternate", "empty",   NULL};
    struct jpath p;
    if (!json_is_object(jp_obj))
        return fail(c, jp, "expected an object");
    if (!check_keys(c, jp, jp_obj, keys) || !get_string(c, jp_obj, jp, "id", true, &pn->id))
        return false;
    char *wname = NULL;
    if (!get_string(c, jp_obj, jp, "widget", true, &wname))
        return false;
    pn->widget = find_widget(c->env, wname);
    if (!pn->widget) {
        char *list = NULL;
        for (size_t i = 0; c->env->widgets && c->env->widgets[i]; i++)
            str_list_add(&list, ", ", c->env->widgets[i]->name);
        fail(c, jpath_key(&p, jp, "widget"), "unknown widget type \"%s\" (known: %s)", wname,
             list ? list : "");
        free(list);
        free(wname);
        return false;
    }
    free(wname);

    if (!load_level(c, pn, jp_obj, jp))
        return false;
    int a[4];
    json_t *area = json_object_get(jp_obj, "area");
    /* a level's alternate has none: it takes its principal's (check_levels) */
    if ((area || pn->level == LEVEL_ANY) &&
        !load_area(c, area, jpath_key(&p, jp, "area"), &c->scene->grid, a))
        return false;
    if (area)
        pn->col = a[0], pn->row = a[1], pn->colspan = a[2], pn->rowspan = a[3];

    if (!get_string(c, jp_obj, jp, "title", false, &pn->title) ||
        !get_string(c, jp_obj, jp, "footnote", false, &pn->footnote) ||
        !get_string(c, jp_obj, jp, "note", false, &pn->note) ||
        !get_string(c, jp_obj, jp, "empty", false, &pn->empty))
        return false;
    pn->frame = true;
    json_t *frame = json_object_get(jp_obj, "frame");
    if (frame && !json_is_boolean(frame))
        return fail(c, jpath_key(&p, jp, "frame"), "expected true or false");
    if (frame)
        pn->frame = json_is_true(frame);

    json_t *jb = json_object_get(jp_obj, "binding");
    if (jb) {
        pn->has_query = true;
        if (!load_binding(c, pn, jb, jpath_key(&p, jp, "binding")))
            return false;
    } else if (pn->widget->needs_data) {
        return fail(c, jpath_key(&p, jp, "binding"), "missing; widget %s needs a data binding",
                    pn->widget->name);
    }
    json_t *jf = json_object_get(jp_obj, "format");
    if (jf && !load_formats(c, pn, jf, jpath_key(&p, jp, "format")))
        return false;
    json_t *jt = json_object_get(jp_obj, "thresholds");
    if (jt && !load_thresholds(c, pn, jt, jpath_key(&p, jp, "thresholds")))
        return false;
    if (!load_options(c, pn, jp_obj, jp))
        return false;
    json_t *jd = json_object_get(jp_obj, "drill");
    if (jd && !load_drill(c, pn, jd, jpath_key(&p, jp, "drill")))
        return false;
    if (pn->widget->prepare) /* its files now, not in the first frame's draw */
        pn->asset = pn->widget->prepare(pn);
    return true;
}


/* The panel that names panel j as its alternate, or -1. */
static long principal_of(const struct scene *s, size_t j)
{
    for (size_t i = 0; i < s->npanels; i++)
        if (i != j && s->panels[i].alternate && strcmp(s->panels[i].alternate, s->panels[j].id) == 0)
            return (long)i;
    return -1;
}

static enum scene_level other_level(enum scene_level l)
{
    return l == LEVEL_CITY ? LEVEL_COUNTY : LEVEL_CITY;
}

/* An alternate (panel i, named by panel `principal`): restricted to the
 * other level, without an area of its own, naming no alternate itself. */
static bool check_alternate(struct ctx *c, size_t i, long principal, const char *jp)
{
    const struct scene *s = c->scene;
    const struct panel *pn = &s->panels[i], *pp = &s->panels[principal];
    struct jpath k;
    if (pn->level != other_level(pp->level))
        return fail(c, jpath_key(&k, jp, "level"),
                    "%s; expected \"%s\": panels[%ld] (%s), restricted to \"%s\", names this "
                    "panel its alternate", pn->level == LEVEL_ANY ? "missing" : "wrong level",
                    level_name(other_level(pp->level)), principal, pp->id, level_name(pp->level));
    if (pn->alternate)
        return fail(c, jpath_key(&k, jp, "alternate"),
                    "panels[%ld] (%s) names this panel its alternate; an alternate names none",
                    principal, pp->id);
    if (pn->colspan)
        return fail(c, jpath_key(&k, jp, "area"),
                    "an alternate takes the area of panels[%ld] (%s); it has none of its own",
                    principal, pp->id);
    return true;
}

/* Levels: every panel restricted to one level names its alternate for the
 * other, so that a view of either level has no hole. */
static bool check_levels(struct ctx *c)
{
    const struct scene *s = c->scene;
    for (size_t i = 0; i < s->npanels; i++) {
        const struct panel *pn = &s->panels[i];
        struct jpath p, k;
        jpath_idx(&p, "panels", i);
        /* one with an area and an alternate is a principal, even if named */
        long principal = pn->colspan && pn->alternate ? -1 : principal_of(s, i);
        if (principal >= 0) {
            if (!check_alternate(c, i, principal, p.s))
                return false;
            continue;
        }
        if (pn->level == LEVEL_ANY)
            continue;
        if (!pn->alternate)
            return fail(c, jpath_key(&k, p.s, "alternate"),
                        "missing; a panel restricted to level \"%s\" names the panel drawn in "
                        "its place in %s views (the layout must have no hole)",
                        level_name(pn->level), level_name(other_level(pn->level)));
        if (!pn->colspan)
            return fail(c, jpath_key(&k, p.s, "area"), "expected [col, row, colspan, rowspan]");
        size_t j = 0;
        while (j < s->npanels && strcmp(s->panels[j].id, pn->alternate) != 0)
            j++;
        if (j == s->npanels || j == i)
            return fail(c, jpath_key(&k, p.s, "alternate"), "%s \"%s\"",
                        j == i ? "a panel cannot stand in for itself:" : "no panel has the id",
                        pn->alternate);
        if (principal_of(s, j) != (long)i)
            return fail(c, jpath_key(&k, p.s, "alternate"),
                        "\"%s\" is already the alternate of panels[%ld]", pn->alternate,
                        principal_of(s, j));
        if (s->panels[j].colspan) {
            struct jpath pj;
            jpath_idx(&pj, "panels", j);
            return fail(c, jpath_key(&k, pj.s, "area"), "an alternate takes the area of "
                        "panels[%zu] (%s); it has none of its own", i, pn->id);
        }
    }
    return true;
}

/* ---- scene --------------------------------------------------------------- */

static bool load_weights(struct ctx *c, json_t *grid, const char *jp, const char *key, int n,
                         double **out)
{
    json_t *w = json_object_get(grid, key);
    struct jpath p;
    jpath_key(&p, jp, key);
    if (!w)
        return true;
    if (!json_is_array(w) || json_array_size(w) != (size_t)n)
        return fail(c, p.s, "expected an array of %d positive numbers", n);
    *out = xcalloc((size_t)n, sizeof **out);
    for (int i = 0; i < n; i++) {
        json_t *e = json_array_get(w, (size_t)i);
        struct jpath pi;
        if (!json_is_number(e) || !(json_number_value(e) > 0) || json_number_value(e) > 1e6)
            return fail(c, jpath_idx(&pi, p.s, (size_t)i), "expected a positive number");
        (*out)[i] = json_number_value(e);
    }
    return true;
}

/* A grid object at JSON path jp, for a design of dw×dh units. */
static bool load_grid(struct ctx *c, json_t *grid, const char *jp, struct grid *g, double dw,
                      double dh)
{
    static const char *const keys[] = {"cols", "rows", "gap", "padding", "row_weights",
                                       "col_weights", NULL};
    struct jpath p;
    if (!json_is_object(grid))
        return fail(c, jp, "expected an object with cols and rows");
    if (!check_keys(c, jp, grid, keys))
        return false;
    double cols = 0, rows = 0, gap = 12;
    if (!json_object_get(grid, "cols") || !json_object_get(grid, "rows"))
        return fail(c, jp, "expected cols and rows");
    if (!get_number(c, grid, jp, "cols", 1, 96, true, &cols) ||
        !get_number(c, grid, jp, "rows", 1, 96, true, &rows) ||
        !get_number(c, grid, jp, "gap", 0, 400, false, &gap))
        return false;
    g->cols = (int)cols, g->rows = (int)rows, g->gap = gap;
    for (int i = 0; i < 4; i++)
        g->pad[i] = 16;
    json_t *pad = json_object_get(grid, "padding");
    jpath_key(&p, jp, "padding");
    if (json_is_number(pad) && json_number_value(pad) >= 0 && json_number_value(pad) <= 2000) {
        for (int i = 0; i < 4; i++)
            g->pad[i] = json_number_value(pad);
    } else if (json_is_array(pad) && json_array_size(pad) == 4) {
        for (int i = 0; i < 4; i++) {
            json_t *e = json_array_get(pad, (size_t)i);
            if (!json_is_number(e) || json_number_value(e) < 0 || json_number_value(e) > 2000)
                return fail(c, p.s, "expected numbers from 0 to 2000");
            g->pad[i] = json_number_value(e);
        }
    } else if (pad) {
        return fail(c, p.s, "expected a number or [top, right, bottom, left]");
    }
    if (!load_weights(c, grid, jp, "row_weights", g->rows, &g->row_weights) ||
        !load_weights(c, grid, jp, "col_weights", g->cols, &g->col_weights))
        return false;
    if (g->pad[1] + g->pad[3] + g->gap * (g->cols - 1) >= dw ||
        g->pad[0] + g->pad[2] + g->gap * (g->rows - 1) >= dh)
        return fail(c, jp, "padding and gaps leave no room for panels in %g×%g", dw, dh);
    return true;
}

/* The outputs a layout is for: min_aspect (a 32:9 wall), max_aspect (a
 * 9:16 portrait screen), or both (a band between); at least one. */
static bool load_aspects(struct ctx *c, json_t *jl, const char *jp, struct scene_layout *L)
{
    struct jpath k;
    if (!json_object_get(jl, "min_aspect") && !json_object_get(jl, "max_aspect"))
        return fail(c, jp, "expected min_aspect (for wider outputs) or max_aspect (for taller "
                    "outputs), width ÷ height");
    if (!get_number(c, jl, jp, "min_aspect", 0.1, 20, false, &L->min_aspect) ||
        !get_number(c, jl, jp, "max_aspect", 0.1, 20, false, &L->max_aspect))
        return false;
    if (L->min_aspect > 0 && L->max_aspect > 0 && L->max_aspect <= L->min_aspect)
        return fail(c, jpath_key(&k, jp, "max_aspect"), "%g is not above min_aspect %g",
                    L->max_aspect, L->min_aspect);
    return true;
}

/* Alternative layouts for other aspects (a 32:9 wall): each names a grid and
 * an area for every panel. */
static bool load_layouts(struct ctx *c, json_t *root)
{
    static const char *const keys[] = {"name",   "min_aspect", "max_aspect", "design",
                                       "grid",   "areas",      NULL};
    struct scene *s = c->scene;
    json_t *layouts = json_object_get(root, "layouts");
    if (!layouts)
        return true;
    if (!json_is_array(layouts) || json_array_size(layouts) > 8)
        return fail(c, "layouts", "expected an array of at most 8 layouts");
    s->layouts = xcalloc(json_array_size(layouts) + 1, sizeof *s->layouts);
    size_t i;
    json_t *jl;
    json_array_foreach(layouts, i, jl) {
        struct jpath p, k;
        jpath_idx(&p, "layouts", i);
        if (!json_is_object(jl))
            return fail(c, p.s, "expected an object");
        if (!check_keys(c, p.s, jl, keys))
            return false;
        struct scene_layout *L = &s->layouts[s->nlayouts++];
        L->area = xcalloc(s->npanels + 1, sizeof *L->area);
        L->design_w = s->design_w, L->design_h = s->design_h;
        if (!get_string(c, jl, p.s, "name", true, &L->name))
            return false;
        if (!load_aspects(c, jl, p.s, L))
            return false;
        json_t *design = json_object_get(jl, "design");
        if (design) {
            if (!json_is_array(design) || json_array_size(design) != 2 ||
                !json_is_integer(json_array_get(design, 0)) ||
                !json_is_integer(json_array_get(design, 1)))
                return fail(c, jpath_key(&k, p.s, "design"), "expected [width, height]");
            L->design_w = (double)json_integer_value(json_array_get(design, 0));
            L->design_h = (double)json_integer_value(json_array_get(design, 1));
            if (L->design_w < 320 || L->design_h < 240 || L->design_w > SCENE_MAX_SIZE ||
                L->design_h > SCENE_MAX_SIZE)
                return fail(c, k.s, "%g×%g is out of range (320×240 to %d×%d)", L->design_w,
                            L->design_h, SCENE_MAX_SIZE, SCENE_MAX_SIZE);
        }
        if (!load_grid(c, json_object_get(jl, "grid"), jpath_key(&k, p.s, "grid"), &L->grid,
                       L->design_w, L->design_h))
            return false;
        json_t *areas = json_object_get(jl, "areas");
        jpath_key(&k, p.s, "areas");
        if (!json_is_object(areas))
            return fail(c, k.s, "expected an object of panel id: [col, row, colspan, rowspan]");
        const char *id;
        json_t *v;
        json_object_foreach(areas, id, v) {
            bool known = false;
            for (size_t n = 0; n < s->npanels; n++)
                known |= strcmp(s->panels[n].id, id) == 0;
            struct jpath a;
            if (!known)
                return fail(c, jpath_key(&a, k.s, id), "no panel has this id");
        }
        for (size_t n = 0; n < s->npanels; n++) {
            struct jpath a;
            jpath_key(&a, k.s, s->panels[n].id);
            json_t *area = json_object_get(areas, s->panels[n].id);
            if (!s->panels[n].colspan) {
                if (area)
                    return fail(c, a.s, "panel \"%s\" is an alternate: it takes the area of the "
                                "panel it stands in for", s->panels[n].id);
                continue;
            }
            if (!area)
                return fail(c, k.s, "missing an area for panel \"%s\"", s->panels[n].id);
            if (!load_area(c, area, a.s, &L->grid, L->area[n]))
                return false;
            for (size_t m = 0; m < n; m++)
                if (areas_overlap(L->area[m], L->area[n]))
                    return fail(c, a.s, "overlaps the area of panel \"%s\"", s->panels[m].id);
        }
    }
    return true;
}

/* The chosen period: empty (the newest), or a month "2024-06", compared
 * with the data's periods as text. */
static bool check_period(struct ctx *c, const char *v)
{
    int y, m;
    char tail;
    if (!v || !*v || (strlen(v) == 7 && sscanf(v, "%4d-%2d%c", &y, &m, &tail) == 2 && m >= 1 &&
                      m <= 12 && v[4] == '-' && y >= 1000))
        return true;
    return fail(c, "params.period", "\"%s\" is not a month: expected YYYY-MM (e.g. 2024-06), or "
                "empty for the newest", v);
}

const char *scene_param_default(const struct scene *s, const char *name)
{
    for (size_t i = 0; s->param_defaults && i < s->nparams; i++)
        if (strcmp(s->params[i].name, name) == 0)
            return s->param_defaults[i];
    return NULL;
}

static bool load_params(struct ctx *c, json_t *root)
{
    struct scene *s = c->scene;
    json_t *params = json_object_get(root, "params");
    if (params && !json_is_object(params))
        return fail(c, "params", "expected an object of name: default value");
    size_t n = (params ? json_object_size(params) : 0) + c->env->noverrides;
    s->params = xcalloc(n + 1, sizeof *s->params);
    s->param_defaults = xcalloc(n + 1, sizeof *s->param_defaults);
    const char *key;
    json_t *v;
    if (params) {
        json_object_foreach(params, key, v) {
            struct jpath p;
            if (!json_is_string(v) || json_string_length(v) > SCENE_MAX_STRING)
                return fail(c, jpath_key(&p, "params", key), "expected a string");
            s->params[s->nparams].name = xstrdup(key);
            s->params[s->nparams].value = xstrdup(json_string_value(v));
            s->param_defaults[s->nparams] = xstrdup(json_string_value(v));
            s->nparams++;
        }
    }
    /* --param values replace the defaults of the parameters the scene
     * declares; one it does not declare is not its own (the CLI refuses a
     * parameter that no scene declares: app_check_params) */
    for (size_t i = 0; i < c->env->noverrides; i++) {
        const struct scene_param *o = &c->env->overrides[i];
        for (size_t k = 0; k < s->nparams; k++) {
            if (strcmp(s->params[k].name, o->name) == 0) {
                free(s->params[k].value);
                s->params[k].value = xstrdup(o->value);
            }
        }
    }
    return check_period(c, param_value(s, SCENE_PARAM_PERIOD));
}

/* The name goes into file names (export --out DIR/{scene}.png, reports):
 * it must stay in its folder. */
static bool check_name(struct ctx *c, const char *name, const char *from)
{
    if (file_name_safe(name))
        return true;
    return fail(c, "name", "\"%.200s\"%s is not a safe scene name (1 to 128 letters, digits, "
                "'_', '-' and '.', not starting with '.')", name, from);
}

enum scene_level scene_level_of(const struct scene_env *env, const char *code)
{
    enum scene_level l = env && env->region_level ? env->region_level(code, env->region_arg)
                                                  : LEVEL_ANY;
    if (l != LEVEL_ANY)
        return l;
    size_t n = strlen(code);
    return n == 6 && strcmp(code + 4, "00") == 0 ? LEVEL_CITY : LEVEL_COUNTY;
}

/* The view's level decides which panel of each pair is drawn: a principal
 * of the level stays; otherwise its alternate takes its place (its index
 * and its areas in every layout). The other is dropped, so that drawing,
 * hit tests and exports see only the panels of this view. */
static void keep_level(struct ctx *c)
{
    struct scene *s = c->scene;
    const char *code = param_value(s, SCENE_PARAM_REGION);
    enum scene_level level = code && *code ? scene_level_of(c->env, code) : LEVEL_CITY;
    struct panel *kept = xcalloc(s->npanels, sizeof *kept);
    bool *used = xcalloc(s->npanels, sizeof *used);
    size_t n = 0;
    for (size_t i = 0; i < s->npanels; i++) {
        struct panel *pn = &s->panels[i];
        if (!pn->colspan)
            continue; /* an alternate: placed by its principal */
        size_t from = i;
        if (pn->level != LEVEL_ANY && pn->level != level)
            for (from = 0; strcmp(s->panels[from].id, pn->alternate) != 0; from++)
                ; /* check_levels made sure it is there */
        used[from] = true;
        kept[n] = s->panels[from];
        kept[n].col = pn->col, kept[n].row = pn->row;
        kept[n].colspan = pn->colspan, kept[n].rowspan = pn->rowspan;
        for (size_t l = 0; l < s->nlayouts; l++)
            memcpy(s->layouts[l].area[n], s->layouts[l].area[i], sizeof s->layouts[l].area[n]);
        n++;
    }
    for (size_t i = 0; i < s->npanels; i++)
        if (!used[i])
            panel_finish(&s->panels[i]);
    free(used);
    free(s->panels);
    s->panels = kept;
    s->npanels = n;
}

static bool load_root(struct ctx *c, json_t *root)
{
    static const char *const keys[] = {"kind",  "version", "name",   "title",  "subtitle",
                                       "design", "fit",    "theme",  "grid",   "params",
                                       "panels", "layouts", NULL};
    struct scene *s = c->scene;
    if (!check_keys(c, "", root, keys))
        return false;
    if (!get_string(c, root, "", "title", true, &s->title) ||
        !get_string(c, root, "", "subtitle", false, &s->subtitle) ||
        !get_string(c, root, "", "name", false, &s->name))
        return false;
    if (s->name && !check_name(c, s->name, ""))
        return false;
    json_t *design = json_object_get(root, "design");
    if (!json_is_array(design) || json_array_size(design) != 2 ||
        !json_is_integer(json_array_get(design, 0)) || !json_is_integer(json_array_get(design, 1)))
        return fail(c, "design", "expected [width, height] in design units");
    json_int_t dw = json_integer_value(json_array_get(design, 0));
    json_int_t dh = json_integer_value(json_array_get(design, 1));
    if (dw < 320 || dh < 240 || dw > SCENE_MAX_SIZE || dh > SCENE_MAX_SIZE)
        return fail(c, "design", "%lld×%lld is out of range (320×240 to %d×%d)", (long long)dw,
                    (long long)dh, SCENE_MAX_SIZE, SCENE_MAX_SIZE);
    s->design_w = (double)dw, s->design_h = (double)dh;

    char *fit = NULL;
    if (!get_string(c, root, "", "fit", false, &fit))
        return false;
    s->fit = FIT_EXTEND;
    if (fit && !fit_mode_parse(fit, &s->fit)) {
        free(fit);
        return fail(c, "fit", "expected one of fit, fill, stretch, extend");
    }
    free(fit);
    if (!get_string(c, root, "", "theme", false, &s->theme))
        return false;
    if (!s->theme)
        s->theme = xstrdup("dark");
    if (!theme_find(s->theme))
        return fail(c, "theme", "unknown theme \"%s\" (known: %s)", s->theme, theme_names());
    if (!load_grid(c, json_object_get(root, "grid"), "grid", &s->grid, s->design_w, s->design_h) ||
        !load_params(c, root))
        return false;

    json_t *panels = json_object_get(root, "panels");
    if (!json_is_array(panels) || json_array_size(panels) == 0)
        return fail(c, "panels", "expected a non-empty array of panels");
    if (json_array_size(panels) > 256)
        return fail(c, "panels", "%zu panels; at most 256", json_array_size(panels));
    s->panels = xcalloc(json_array_size(panels), sizeof *s->panels);
    size_t i;
    json_t *jp;
    json_array_foreach(panels, i, jp) {
        struct jpath p;
        jpath_idx(&p, "panels", i);
        s->npanels = i + 1;
        if (!load_panel(c, &s->panels[i], jp, p.s))
            return false;
        struct jpath key;
        for (size_t k = 0; k < i; k++) {
            if (strcmp(s->panels[k].id, s->panels[i].id) == 0)
                return fail(c, jpath_key(&key, p.s, "id"), "\"%s\" is already used by panels[%zu]",
                            s->panels[i].id, k);
            if (panels_overlap(&s->panels[k], &s->panels[i]))
                return fail(c, jpath_key(&key, p.s, "area"), "overlaps panels[%zu] (%s)", k,
                            s->panels[k].id);
        }
    }
    if (!check_levels(c) || !load_layouts(c, root))
        return false;
    keep_level(c);
    return true;
}

static char *name_from_path(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    return xstrndup(base, dot ? (size_t)(dot - base) : strlen(base));
}

struct scene *scene_parse(const char *path, const char *data, size_t len,
                          const struct scene_env *env, struct err *err)
{
    json_t *root = json_parse_checked(path, data, len, "scene", err);
    if (!root)
        return NULL;
    struct scene *s = xcalloc(1, sizeof *s);
    s->memo = xcalloc(1, sizeof *s->memo);
    s->path = xstrdup(path);
    struct ctx c = {path, env, s, err};
    bool ok = load_root(&c, root);
    json_decref(root);
    if (ok && !s->name) {
        s->name = name_from_path(path);
        ok = check_name(&c, s->name, " (from the file name)");
    }
    if (!ok) {
        scene_destroy(s);
        return NULL;
    }
    return s;
}

struct scene *scene_load(const char *path, const struct scene_env *env, struct err *err)
{
    size_t len;
    char *data = file_read(path, FILE_MAX_CONFIG, &len, err);
    if (!data)
        return NULL;
    struct scene *s = scene_parse(path, data, len, env, err);
    free(data);
    return s;
}

void scene_destroy(struct scene *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->npanels; i++)
        panel_finish(&s->panels[i]);
    free(s->panels);
    for (size_t i = 0; i < s->nlayouts; i++) {
        free(s->layouts[i].name);
        free(s->layouts[i].area);
        free(s->layouts[i].grid.row_weights);
        free(s->layouts[i].grid.col_weights);
    }
    free(s->layouts);
    for (size_t i = 0; i < s->nparams; i++) {
        free(s->params[i].name);
        free(s->params[i].value);
        free(s->param_defaults[i]);
    }
    free(s->params);
    free(s->param_defaults);
    free(s->grid.row_weights);
    free(s->grid.col_weights);
    free(s->memo);
    free(s->path);
    free(s->name);
    free(s->title);
    free(s->subtitle);
    free(s->theme);
    free(s);
}

/* ---- accessors ----------------------------------------------------------- */

/* The panel's value, else the widget's default (borrowed), else NULL. */
static json_t *opt_or_default(const struct panel *p, const char *name)
{
    json_t *v = p->options ? json_object_get(p->options, name) : NULL;
    return v ? v : p->defaults ? json_object_get(p->defaults, name) : NULL;
}

double panel_opt_num(const struct panel *p, const char *name)
{
    json_t *v = opt_or_default(p, name);
    return json_is_number(v) ? json_number_value(v) : 0;
}

bool panel_opt_bool(const struct panel *p, const char *name)
{
    return json_is_true(opt_or_default(p, name));
}

const char *panel_opt_str(const struct panel *p, const char *name)
{
    json_t *v = p->options ? json_object_get(p->options, name) : NULL;
    if (!json_is_string(v) && p->defaults)
        v = json_object_get(p->defaults, name);
    return json_is_string(v) ? json_string_value(v) : "";
}

rgba_t panel_opt_color(const struct panel *p, const char *name, rgba_t fallback)
{
    rgba_t c;
    const char *s = panel_opt_str(p, name);
    return color_parse(s, &c) ? c : fallback;
}

json_t *panel_opt_json(const struct panel *p, const char *name)
{
    return p->options ? json_object_get(p->options, name) : NULL;
}

uint64_t panel_clock_phase(const struct panel *p, int64_t now)
{
    return p->widget->clock_phase ? p->widget->clock_phase(p, now) : (uint64_t)now;
}

bool panel_animates(const struct panel *p)
{
    const char *by = p->widget->animated_by, *role = p->widget->animated_role;
    if (!by)
        return false;
    if (strcmp(by, "*") == 0)
        return true;
    return panel_opt_bool(p, by) && (!role || (p->has_query && is_role_of(p, role)));
}

const struct numfmt *panel_format(const struct panel *p, const char *role)
{
    static const struct numfmt def = NUMFMT_INIT;
    for (size_t i = 0; i < p->nformats; i++)
        if (strcmp(p->formats[i].role, role) == 0)
            return &p->formats[i].fmt;
    return &def;
}

const char *panel_time_format(const struct panel *p, const char *role)
{
    for (size_t i = 0; i < p->nformats; i++)
        if (strcmp(p->formats[i].role, role) == 0)
            return p->formats[i].time;
    return NULL;
}

rgba_t panel_threshold_color(const struct panel *p, double v, rgba_t fallback)
{
    rgba_t c = fallback;
    for (size_t i = 0; i < p->nthresholds && isfinite(v); i++)
        if (v >= p->thresholds[i].value)
            c = p->thresholds[i].color;
    return c;
}

const struct scene_layout *scene_pick_layout(const struct scene *s, int w, int h)
{
    const struct scene_layout *best = NULL;
    double aspect = h > 0 ? (double)w / h : 1;
    for (size_t i = 0; i < s->nlayouts; i++) {
        const struct scene_layout *L = &s->layouts[i];
        if (L->min_aspect > aspect || (L->max_aspect > 0 && L->max_aspect < aspect))
            continue;
        /* the tightest fit: the largest lower bound, then the smallest upper */
        double max = L->max_aspect > 0 ? L->max_aspect : INFINITY;
        double best_max = best && best->max_aspect > 0 ? best->max_aspect : INFINITY;
        if (!best || L->min_aspect > best->min_aspect ||
            (L->min_aspect == best->min_aspect && max < best_max))
            best = L;
    }
    return best;
}

struct rect scene_panel_rect(const struct scene *s, const struct scene_layout *L, size_t i,
                             double canvas_w, double canvas_h)
{
    const struct panel *p = &s->panels[i];
    if (L)
        return grid_rect(&L->grid, canvas_w, canvas_h, L->area[i][0], L->area[i][1],
                         L->area[i][2], L->area[i][3]);
    return grid_rect(&s->grid, canvas_w, canvas_h, p->col, p->row, p->colspan, p->rowspan);
}

char *scene_resolve(const char *arg, const char *const *dirs, size_t ndirs)
{
    struct stat st;
    if (strchr(arg, '/') || strstr(arg, ".json"))
        return stat(arg, &st) == 0 ? xstrdup(arg) : NULL;
    for (size_t i = 0; i < ndirs; i++) {
        char *p = xasprintf("%s/%s.json", dirs[i], arg);
        if (stat(p, &st) == 0)
            return p;
        free(p);
    }
    return NULL;
}
