/* Publishing: states → the `warnings` and `warning_steps` tables. The column
 * set comes from the catalog (defined once); the engine fills each column by
 * name, so a column the engine does not know is an error, not a silent gap. */
#include "warn/publish.h"
#include "util/util.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void time_text(int64_t at, char *buf, size_t len)
{
    time_t tt = (time_t)at;
    struct tm tm;
    buf[0] = '\0';
    if (at > 0 && localtime_r(&tt, &tm))
        strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Sets a column by name: text (NULL = SQL NULL) or a number (NaN = NULL). */
static void put(struct table *t, size_t row, int col, const char *text, double num)
{
    if (t->cols[col].type == COL_NUMBER) {
        if (!isnan(num))
            table_set_num(t, row, (size_t)col, num);
    } else {
        table_set_text(t, row, (size_t)col, text && *text ? text : NULL);
    }
}

enum { W_ID, W_RULE, W_NAME, W_INSTANCE, W_SEVERITY, W_STATE, W_STATE_NAME, W_VALUE, W_REFERENCE,
       W_SINCE, W_FIRED_AT, W_HANDLING, W_HANDLED_BY, W_DEPARTMENTS, W_URGES, W_ESCALATED,
       W_MESSAGE, W_N };
static const char *const wcols[W_N] = {
    "id", "rule", "name", "instance", "severity", "state", "state_name", "value", "reference",
    "since", "fired_at", "handling", "handled_by", "departments", "urges", "escalated", "message"};
enum { R_WARNING, R_RULE, R_INSTANCE, R_PERIOD, R_VALUE, R_REFERENCE, R_N };
static const char *const rcols[R_N] = {"warning", "rule", "instance", "period", "value",
                                       "reference"};
enum { S_WARNING, S_RULE, S_INSTANCE, S_SEQ, S_ACTION, S_ACTION_NAME, S_BY, S_AT, S_NOTE,
       S_RECEIPT, S_N };
static const char *const scols[S_N] = {"warning", "rule", "instance", "seq", "action",
                                       "action_name", "by", "at", "note", "receipt"};

/* Maps the engine's columns to the catalog's; every catalog column must be known. */
static bool map_columns(const struct catalog_table *def, const char *const *names, size_t n,
                        int *map, struct err *err)
{
    for (size_t i = 0; i < n; i++)
        map[i] = catalog_col(def, names[i]);
    for (size_t c = 0; c < def->ncols; c++) {
        bool known = false;
        for (size_t i = 0; i < n; i++)
            known |= map[i] == (int)c;
        if (!known)
            return err_set(err, "catalog table %s: column %s is not one the engine fills",
                           def->name, def->cols[c].name);
    }
    return true;
}

static void put_m(struct table *t, size_t row, const int *map, int which, const char *text,
                  double num)
{
    if (map[which] >= 0)
        put(t, row, map[which], text, num);
}

/* Step k of wi, a manual urge (一键催办: it has a note), is its department's
 * n-th: n; a scheduled urge: 0. */
static int manual_nth(const struct warn_instance *wi, size_t k)
{
    const struct warn_step *ws = &wi->steps[k];
    if (ws->action != WA_URGE || !ws->note)
        return 0;
    int n = 0;
    for (size_t i = 0; i <= k; i++)
        n += wi->steps[i].action == WA_URGE && wi->steps[i].note &&
             strcmp(wi->steps[i].by, ws->by) == 0;
    return n;
}

bool warn_tables(const struct catalog *cat, const struct rules *rules,
                 const struct warn_states *st, struct table **warnings, struct table **steps,
                 struct err *err)
{
    const struct catalog_table *wdef = catalog_find(cat, "warnings");
    const struct catalog_table *sdef = catalog_find(cat, "warning_steps");
    int wm[W_N], sm[S_N];
    *warnings = *steps = NULL;
    if (!wdef || !sdef)
        return err_set(err, "the catalog has no table %s", wdef ? "warning_steps" : "warnings");
    if (!map_columns(wdef, wcols, W_N, wm, err) || !map_columns(sdef, scols, S_N, sm, err))
        return false;
    struct table *w = catalog_table_new(wdef), *s = catalog_table_new(sdef);
    for (size_t i = 0; i < st->n; i++) {
        const struct warn_instance *wi = &st->v[i];
        const struct rule *r = rules_find(rules, wi->rule);
        char *id = warn_instance_id(wi), since[32], fired[32], *deps = NULL;
        time_text(wi->since, since, sizeof since);
        time_text(wi->fired_at, fired, sizeof fired);
        const char *handled_by = NULL;
        for (size_t k = 0; k < wi->nsteps; k++)
            if (wi->steps[k].action <= WA_RESOLVE)
                handled_by = wi->steps[k].by;
        for (size_t d = 0; r && d < r->ndepartments; d++)
            str_list_add(&deps, "、", r->departments[d]);
        size_t row = table_add_row(w);
        put_m(w, row, wm, W_ID, id, NAN);
        put_m(w, row, wm, W_RULE, wi->rule, NAN);
        put_m(w, row, wm, W_NAME, r ? r->name : NULL, NAN);
        put_m(w, row, wm, W_INSTANCE, wi->instance, NAN);
        put_m(w, row, wm, W_SEVERITY, r ? severity_name(r->severity) : NULL, NAN);
        put_m(w, row, wm, W_STATE, warn_state_code(wi->state), NAN);
        put_m(w, row, wm, W_STATE_NAME, warn_state_name(wi->state), NAN);
        put_m(w, row, wm, W_VALUE, NULL, wi->value);
        put_m(w, row, wm, W_REFERENCE, NULL, wi->ref);
        put_m(w, row, wm, W_SINCE, since, NAN);
        put_m(w, row, wm, W_FIRED_AT, fired, NAN);
        put_m(w, row, wm, W_HANDLING, wi->episode ? warn_handling_name(wi->handling) : NULL, NAN);
        put_m(w, row, wm, W_HANDLED_BY, handled_by, NAN);
        put_m(w, row, wm, W_DEPARTMENTS, deps, NAN);
        put_m(w, row, wm, W_URGES, NULL, wi->urges);
        put_m(w, row, wm, W_ESCALATED, NULL, wi->escalated);
        put_m(w, row, wm, W_MESSAGE, wi->message, NAN);
        for (size_t k = 0; k < wi->nsteps; k++) {
            const struct warn_step *ws = &wi->steps[k];
            char at[32];
            time_text(ws->at, at, sizeof at);
            char *note = ws->note ? NULL : ws->action >= WA_URGE ? xasprintf("第%d次催办", ws->urge_step + 1) : NULL;
            size_t sr = table_add_row(s);
            put_m(s, sr, sm, S_WARNING, id, NAN);
            put_m(s, sr, sm, S_RULE, wi->rule, NAN);
            put_m(s, sr, sm, S_INSTANCE, wi->instance, NAN);
            put_m(s, sr, sm, S_SEQ, NULL, (double)(k + 1));
            put_m(s, sr, sm, S_ACTION, warn_action_code(ws->action), NAN);
            put_m(s, sr, sm, S_ACTION_NAME, warn_action_name(ws->action), NAN);
            put_m(s, sr, sm, S_BY, ws->by, NAN);
            put_m(s, sr, sm, S_AT, at, NAN);
            put_m(s, sr, sm, S_NOTE, ws->note ? ws->note : note, NAN);
            if (ws->action >= WA_URGE && st->receipt)
                put_m(s, sr, sm, S_RECEIPT, st->receipt(st->receipt_arg, id, ws->by, ws->urge_step,
                                                        manual_nth(wi, k)), NAN);
            free(note);
        }
        free(deps);
        free(id);
    }
    w->version = s->version = st->generation;
    w->fetched_at = s->fetched_at = st->evaluated_at;
    *warnings = w;
    *steps = s;
    return true;
}

/* The column a rule's series runs along: its period column, else the column
 * it takes "$latest" of; NULL for a rule of one observation (no series). */
static const char *series_column(const struct rule *r)
{
    if (r->period)
        return r->period;
    for (size_t i = 0; i < r->query.nfilters; i++) {
        const struct query_filter *f = &r->query.filters[i];
        if (f->nvalues == 1 && strcmp(f->values[0], QUERY_LATEST) == 0)
            return f->column;
    }
    return NULL;
}

/* What a rule compares with where it has no reference column: its threshold
 * or the rank it must not be worse than; NaN otherwise. */
static double fixed_reference(const struct cond *c)
{
    if (c->type == COND_THRESHOLD)
        return c->has_below ? c->below : c->above;
    return c->type == COND_RANK && c->worse_than ? c->worse_than : NAN;
}

/* Rule r's indicator over all its periods: its query without "$latest",
 * with the period as a role; the filters are borrowed from the rule. */
static struct table *rule_series(const struct rule *r, const char *period,
                                 const struct warn_snapshot *snap)
{
    const struct table *src = NULL;
    for (size_t i = 0; i < snap->n && !src; i++)
        if (strcmp(snap->tables[i]->name, r->query.source) == 0)
            src = snap->tables[i];
    if (!src)
        return NULL;
    struct query q = {.source = r->query.source, .sort_by = (char *)"period"};
    q.filters = xcalloc(r->query.nfilters + 1, sizeof *q.filters);
    for (size_t i = 0; i < r->query.nfilters; i++)
        if (strcmp(r->query.filters[i].column, period) != 0)
            q.filters[q.nfilters++] = r->query.filters[i];
    struct query_field fields[4] = {{(char *)"value", r->field}, {(char *)"period", (char *)period}};
    q.fields = fields;
    q.nfields = 2;
    if (r->instance)
        fields[q.nfields++] = (struct query_field){(char *)"instance", r->instance};
    if (r->cond.ref)
        fields[q.nfields++] = (struct query_field){(char *)"ref", r->cond.ref};
    struct err err;
    struct table *t = query_run(&q, src, &err);
    free(q.filters);
    return t;
}

/* Rule r's rows of the series table: every period of each of its instances. */
static void add_series(struct table *out, const int *map, const struct rule *r,
                       const struct warn_states *st, const struct warn_snapshot *snap)
{
    const char *period = series_column(r);
    struct table *t = period ? rule_series(r, period, snap) : NULL;
    if (!t)
        return;
    int cv = table_col(t, "value"), cp = table_col(t, "period"), ci = table_col(t, "instance"),
        cr = table_col(t, "ref");
    for (size_t row = 0; row < t->nrows; row++) {
        char buf[64];
        const char *inst = ci < 0 ? "" : table_is_null(t, row, (size_t)ci) ? NULL
                                       : table_cell_str(t, row, (size_t)ci, buf, sizeof buf);
        const struct warn_instance *wi = inst ? warn_states_find(st, r->id, inst) : NULL;
        if (!wi)
            continue;
        char *id = warn_instance_id(wi);
        size_t o = table_add_row(out);
        put_m(out, o, map, R_WARNING, id, NAN);
        put_m(out, o, map, R_RULE, r->id, NAN);
        put_m(out, o, map, R_INSTANCE, inst, NAN);
        put_m(out, o, map, R_PERIOD, table_text(t, row, (size_t)cp), NAN);
        put_m(out, o, map, R_VALUE, NULL, table_num(t, row, (size_t)cv));
        put_m(out, o, map, R_REFERENCE, NULL,
              cr >= 0 ? table_num(t, row, (size_t)cr) : fixed_reference(&r->cond));
        free(id);
    }
    table_unref(t);
}

struct table *warn_series_table(const struct catalog *cat, const struct rules *rules,
                                const struct warn_states *st, const struct warn_snapshot *snap,
                                struct err *err)
{
    const struct catalog_table *def = catalog_find(cat, "warning_series");
    int map[R_N];
    if (!def) {
        err_set(err, "the catalog has no table warning_series");
        return NULL;
    }
    if (!map_columns(def, rcols, R_N, map, err))
        return NULL;
    struct table *t = catalog_table_new(def);
    for (size_t i = 0; i < rules->nrules; i++)
        add_series(t, map, &rules->rules[i], st, snap);
    t->version = st->generation;
    t->fetched_at = st->evaluated_at;
    return t;
}

bool warn_reader_init(struct warn_reader *rd, const struct table *t)
{
    rd->t = t;
    rd->state = t ? table_col(t, wcols[W_STATE]) : -1;
    rd->handling = t ? table_col(t, wcols[W_HANDLING]) : -1;
    return rd->state >= 0 && rd->handling >= 0;
}

bool warn_row_status(const struct warn_reader *rd, size_t row, enum warn_state *state,
                     enum warn_handling *handling)
{
    const struct table *t = rd->t;
    if (rd->state < 0 || rd->handling < 0 || row >= t->nrows ||
        !warn_state_parse(table_text(t, row, (size_t)rd->state), state))
        return false;
    const char *h = table_text(t, row, (size_t)rd->handling);
    *handling = WH_NONE;
    return !h || warn_handling_parse(h, handling);
}

bool warn_row_is_open(const struct warn_reader *rd, size_t row)
{
    enum warn_state s;
    enum warn_handling h;
    return warn_row_status(rd, row, &s, &h) && warn_state_is_open(s);
}

bool warn_publish(struct store *store, const struct catalog *cat, const struct rules *rules,
                  const struct warn_states *st, struct err *err)
{
    struct table *w, *s;
    if (!warn_tables(cat, rules, st, &w, &s, err))
        return false;
    struct warn_snapshot snap;
    warn_snapshot_take(&snap, store, rules);
    struct table *series = warn_series_table(cat, rules, st, &snap, err);
    warn_snapshot_release(&snap);
    store_put(store, w);
    store_put(store, s);
    if (series)
        store_put(store, series);
    return series != NULL;
}
