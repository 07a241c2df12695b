/* The warning state machine (see eval.h for the picture). Everything here is
 * a function of its arguments: the clock is `now`, the data is the snapshot,
 * and the previous states are read, never written. Work is bounded: each
 * distinct query runs once per evaluation, each rule instance takes a few
 * steps, and at most one urge step per instance is due per evaluation. */
#include "warn/eval.h"
#include "util/hash.h"
#include "util/util.h"
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *code, *name;
} state_names[] = {
    [WS_NORMAL] = {"normal", "正常"},         [WS_PENDING] = {"pending", "待触发"},
    [WS_FIRING] = {"firing", "告警中"},       [WS_RECOVERING] = {"recovering", "恢复观察"},
    [WS_NODATA] = {"nodata", "无数据"},       [WS_ERROR] = {"error", "错误"},
};
static const char *const handling_names[] = {"未处理", "已确认", "处理中", "已办结"};
static const struct {
    const char *code, *verb, *name;
} action_names[] = {
    [WA_ACK] = {"acknowledged", "ack", "已确认"},   [WA_HANDLE] = {"handling", "handle", "处理中"},
    [WA_RESOLVE] = {"resolved", "resolve", "已办结"}, [WA_URGE] = {"urge", "urge", "催办"},
    [WA_ESCALATE] = {"escalate", "escalate", "升级催办"},
};

const char *warn_state_code(enum warn_state s) { return state_names[s].code; }
const char *warn_state_name(enum warn_state s) { return state_names[s].name; }
const char *warn_handling_name(enum warn_handling h) { return handling_names[h]; }
const char *warn_action_code(enum warn_action a) { return action_names[a].code; }
const char *warn_action_name(enum warn_action a) { return action_names[a].name; }

bool warn_state_parse(const char *code, enum warn_state *out)
{
    for (size_t s = 0; code && s < ARRAY_LEN(state_names); s++) {
        if (strcmp(code, state_names[s].code) == 0) {
            *out = (enum warn_state)s;
            return true;
        }
    }
    return false;
}

bool warn_handling_parse(const char *name, enum warn_handling *out)
{
    for (size_t h = 0; name && h < ARRAY_LEN(handling_names); h++) {
        if (strcmp(name, handling_names[h]) == 0) {
            *out = (enum warn_handling)h;
            return true;
        }
    }
    return false;
}

bool warn_state_is_open(enum warn_state s)
{
    return s == WS_FIRING || s == WS_RECOVERING;
}

bool warn_action_parse(const char *s, enum warn_action *out)
{
    for (int a = WA_ACK; a <= WA_RESOLVE; a++) {
        if (strcmp(s, action_names[a].verb) == 0 || strcmp(s, action_names[a].code) == 0) {
            *out = (enum warn_action)a;
            return true;
        }
    }
    return false;
}

/* ---- the index: (rule, instance) → position ------------------------------ */

/* 0xff (never in UTF-8) ends each part: ("ab", "c") and ("a", "bc") differ */
static uint64_t hash_key(const char *rule, const char *instance)
{
    uint64_t h = hash_mix(hash_str(HASH_FNV_BASIS, rule), 0xff);
    return instance ? hash_mix(hash_str(h, instance), 0xff) : h;
}

static void build_index(struct warn_states *st)
{
    size_t cap = 16;
    while (cap < 2 * st->n + 1)
        cap *= 2;
    st->index_cap = cap;
    st->index = xcalloc(cap, sizeof *st->index);
    st->rule_index = xcalloc(cap, sizeof *st->rule_index);
    for (size_t i = 0; i < st->n; i++) {
        const struct warn_instance *w = &st->v[i];
        size_t k = hash_key(w->rule, w->instance) & (cap - 1);
        while (st->index[k])
            k = (k + 1) & (cap - 1);
        st->index[k] = i + 1;
        if (i > 0 && strcmp(st->v[i - 1].rule, w->rule) == 0)
            continue;
        k = hash_key(w->rule, NULL) & (cap - 1);
        while (st->rule_index[k])
            k = (k + 1) & (cap - 1);
        st->rule_index[k] = i + 1;
    }
}

struct warn_instance *warn_states_find(const struct warn_states *st, const char *rule,
                                       const char *instance)
{
    if (!st || !st->index_cap)
        return NULL;
    for (size_t k = hash_key(rule, instance) & (st->index_cap - 1); st->index[k];
         k = (k + 1) & (st->index_cap - 1)) {
        struct warn_instance *w = &st->v[st->index[k] - 1];
        if (strcmp(w->rule, rule) == 0 && strcmp(w->instance, instance) == 0)
            return w;
    }
    return NULL;
}

/* The previous instances of a rule: [*first, *first + count). */
static size_t find_rule(const struct warn_states *st, const char *rule, size_t *first)
{
    if (!st || !st->index_cap)
        return 0;
    for (size_t k = hash_key(rule, NULL) & (st->index_cap - 1); st->rule_index[k];
         k = (k + 1) & (st->index_cap - 1)) {
        size_t i = st->rule_index[k] - 1;
        if (strcmp(st->v[i].rule, rule) != 0)
            continue;
        size_t n = 0;
        while (i + n < st->n && strcmp(st->v[i + n].rule, rule) == 0)
            n++;
        *first = i;
        return n;
    }
    return 0;
}

/* ---- snapshots and query results ------------------------------------------ */

static struct table *snap_get(const struct warn_snapshot *snap, const char *name)
{
    for (size_t i = 0; snap && i < snap->n; i++)
        if (strcmp(snap->tables[i]->name, name) == 0)
            return snap->tables[i];
    return NULL;
}

void warn_snapshot_take(struct warn_snapshot *snap, struct store *store, const struct rules *rules)
{
    memset(snap, 0, sizeof *snap);
    snap->tables = xcalloc(rules->nbindings + 1, sizeof *snap->tables);
    for (size_t i = 0; i < rules->nbindings; i++) {
        const char *src = rules->bindings[i]->source;
        if (snap_get(snap, src))
            continue;
        struct table *t = store_get(store, src);
        if (t)
            snap->tables[snap->n++] = t;
    }
}

void warn_snapshot_release(struct warn_snapshot *snap)
{
    for (size_t i = 0; i < snap->n; i++)
        table_unref(snap->tables[i]);
    free(snap->tables);
    memset(snap, 0, sizeof *snap);
}

struct group {
    char *instance;
    size_t *rows; /* in period order */
    size_t n;
};

/* One distinct query's result, grouped by instance (sorted by instance). */
struct result {
    struct table *t;     /* NULL: no table (NoData) or an error */
    char *error;
    int cvalue, cinst, cref;
    struct group *groups;
    size_t ngroups;
    size_t *rows;        /* storage of the groups' rows */
};

struct keyed_row {
    char *key;
    size_t row;
};

static int cmp_keyed_row(const void *a, const void *b)
{
    const struct keyed_row *x = a, *y = b;
    int d = strcmp(x->key, y->key);
    return d ? d : (x->row > y->row) - (x->row < y->row);
}

static void run_binding(struct result *res, const struct query *q,
                        const struct warn_snapshot *snap)
{
    memset(res, 0, sizeof *res);
    const struct table *src = snap_get(snap, q->source);
    if (!src)
        return;
    struct err err;
    if (!(res->t = query_run(q, src, &err))) {
        res->error = xstrdup(err.msg);
        return;
    }
    struct table *t = res->t;
    res->cvalue = table_col(t, "value");
    res->cinst = table_col(t, "instance");
    res->cref = table_col(t, "ref");
    res->rows = xcalloc(t->nrows + 1, sizeof *res->rows);
    res->groups = xcalloc(t->nrows + 1, sizeof *res->groups);
    if (res->cinst < 0) { /* one group: every row */
        for (size_t r = 0; r < t->nrows; r++)
            res->rows[r] = r;
        if (t->nrows > 0)
            res->groups[res->ngroups++] = (struct group){xstrdup(""), res->rows, t->nrows};
        return;
    }
    struct keyed_row *k = xcalloc(t->nrows + 1, sizeof *k);
    size_t n = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        char buf[64];
        if (!table_is_null(t, r, (size_t)res->cinst))
            k[n++] = (struct keyed_row){xstrdup(table_cell_str(t, r, (size_t)res->cinst, buf,
                                                               sizeof buf)), r};
    }
    qsort(k, n, sizeof *k, cmp_keyed_row); /* stable by row: keeps period order */
    for (size_t i = 0; i < n; i++) {
        res->rows[i] = k[i].row;
        if (res->ngroups == 0 || strcmp(k[i].key, res->groups[res->ngroups - 1].instance) != 0) {
            res->groups[res->ngroups++] = (struct group){k[i].key, &res->rows[i], 0};
        } else {
            free(k[i].key);
        }
        res->groups[res->ngroups - 1].n++;
    }
    free(k);
}

static void result_finish(struct result *res)
{
    for (size_t i = 0; i < res->ngroups; i++)
        free(res->groups[i].instance);
    free(res->groups);
    free(res->rows);
    free(res->error);
    table_unref(res->t);
}

/* ---- conditions -------------------------------------------------------------- */

enum obs_status { OBS_OK, OBS_NODATA, OBS_ERROR };

struct obs {
    enum obs_status status;
    bool cond;
    double value, ref;
    const char *message;
};

static double cell(const struct result *res, int col, size_t row)
{
    return col < 0 ? NAN : table_num(res->t, row, (size_t)col);
}

static struct obs observe(const struct rule *r, const struct result *res, const struct group *g)
{
    struct obs o = {OBS_NODATA, false, NAN, NAN, NULL};
    const struct cond *c = &r->cond;
    if (res->error)
        return (struct obs){OBS_ERROR, false, NAN, NAN, res->error};
    if (!res->t)
        return o;
    size_t n = g ? g->n : 0;
    if (c->type == COND_OVERDUE) { /* no rows: nothing overdue */
        int count = 0;
        for (size_t i = 0; i < n; i++) {
            double v = cell(res, res->cvalue, g->rows[i]);
            double lim = c->ref ? cell(res, res->cref, g->rows[i]) : c->limit_value;
            count += v > lim; /* false for NaN */
        }
        return (struct obs){OBS_OK, count > c->max_count, count, c->max_count, NULL};
    }
    if (n == 0)
        return o;
    double v = cell(res, res->cvalue, g->rows[n - 1]);
    if (!isfinite(v))
        return o;
    o.value = v;
    switch (c->type) {
    case COND_THRESHOLD:
        o.cond = (c->has_above && v > c->above) || (c->has_below && v < c->below);
        o.ref = c->has_above && (!c->has_below || v > c->below) ? c->above : c->below;
        break;
    case COND_BEHIND_TARGET:
    case COND_BEHIND_SCHEDULE:
    case COND_BELOW_AVERAGE:
        o.ref = cell(res, res->cref, g->rows[n - 1]);
        if (!isfinite(o.ref))
            return (struct obs){OBS_NODATA, false, v, NAN, NULL};
        o.cond = v < o.ref - c->margin;
        break;
    case COND_RANK: {
        o.ref = c->worse_than;
        o.cond = c->worse_than && v > c->worse_than;
        double before = n >= 2 ? cell(res, res->cvalue, g->rows[n - 2]) : NAN;
        if (c->drop && isfinite(before) && v - before >= c->drop) {
            o.cond = true;
            o.ref = before;
        } else if (c->drop && !c->worse_than && !isfinite(before)) {
            return (struct obs){OBS_NODATA, false, v, NAN, NULL};
        }
        break;
    }
    case COND_DECLINES: {
        if (n < (size_t)c->count + 1)
            return (struct obs){OBS_NODATA, false, v, NAN, NULL};
        o.cond = true;
        for (size_t i = n - (size_t)c->count; i < n; i++) {
            double a = cell(res, res->cvalue, g->rows[i - 1]), b = cell(res, res->cvalue, g->rows[i]);
            if (!isfinite(a) || !isfinite(b))
                return (struct obs){OBS_NODATA, false, v, NAN, NULL};
            o.cond &= b < a;
        }
        o.ref = cell(res, res->cvalue, g->rows[n - 1 - (size_t)c->count]);
        break;
    }
    case COND_OVERDUE:
        break;
    }
    o.status = OBS_OK;
    return o;
}

/* ---- instances ------------------------------------------------------------------ */

static void steps_free(struct warn_step *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(s[i].by);
        free(s[i].note);
    }
    free(s);
}

/* rule and instance share one allocation: "rule\0instance\0" */
static void set_names(struct warn_instance *w, const char *rule, const char *instance)
{
    size_t a = strlen(rule) + 1, b = strlen(instance) + 1;
    w->rule = xmalloc(a + b);
    memcpy(w->rule, rule, a);
    w->instance = memcpy(w->rule + a, instance, b);
}

static void instance_finish(struct warn_instance *w)
{
    free(w->rule);
    free(w->message);
    steps_free(w->steps, w->nsteps);
}

static void instance_copy(struct warn_instance *dst, const struct warn_instance *src)
{
    *dst = *src;
    set_names(dst, src->rule, src->instance);
    dst->message = src->message ? xstrdup(src->message) : NULL;
    dst->steps = src->nsteps ? xcalloc(src->nsteps, sizeof *dst->steps) : NULL;
    for (size_t i = 0; i < src->nsteps; i++) {
        dst->steps[i] = src->steps[i];
        dst->steps[i].by = xstrdup(src->steps[i].by);
        dst->steps[i].note = src->steps[i].note ? xstrdup(src->steps[i].note) : NULL;
    }
}

static void add_step(struct warn_instance *w, enum warn_action a, const char *by,
                     const char *note, int64_t at, int urge_step)
{
    w->steps = xrealloc(w->steps, (w->nsteps + 1) * sizeof *w->steps);
    w->steps[w->nsteps++] = (struct warn_step){a, xstrdup(by), note ? xstrdup(note) : NULL, at,
                                               urge_step};
}

char *warn_instance_id(const struct warn_instance *wi)
{
    return *wi->instance ? xasprintf("%s@%s#%u", wi->rule, wi->instance, wi->episode)
                         : xasprintf("%s#%u", wi->rule, wi->episode);
}

/* ---- evaluation ------------------------------------------------------------------ */

struct eval {
    const struct rules *rules;
    struct warn_states *out;
    size_t cap;
    struct warn_events *events;
    int64_t now;
    bool changed;
};

static struct warn_event *new_event(struct eval *e, enum warn_event_kind kind,
                                    const struct rule *r, const struct warn_instance *w)
{
    struct warn_events *ev = e->events;
    if (ev->n == ev->cap) {
        ev->cap = ev->cap ? ev->cap * 2 : 64;
        ev->v = xrealloc(ev->v, ev->cap * sizeof *ev->v);
    }
    struct warn_event *x = &ev->v[ev->n++];
    *x = (struct warn_event){.kind = kind, .rule = r, .at = e->now, .value = NAN};
    if (w) {
        x->instance = xstrdup(w->instance);
        x->episode = w->episode;
        x->value = w->value;
    }
    e->changed = true;
    return x;
}

static void go(struct eval *e, struct warn_instance *w, enum warn_state to)
{
    if (w->state != to)
        w->since = e->now;
    w->state = to;
}

static void fire(struct eval *e, struct warn_instance *w)
{
    w->episode++;
    w->open = true;
    w->fired_at = e->now;
    w->handling = WH_NONE;
    steps_free(w->steps, w->nsteps);
    w->steps = NULL;
    w->nsteps = 0;
    w->next_urge = w->urges = 0;
    w->escalated = false;
    go(e, w, WS_FIRING);
}

static void end_episode(struct eval *e, struct warn_instance *w)
{
    w->open = false;
    w->ended_at = e->now;
    go(e, w, WS_NORMAL);
}

static void urge_one(struct eval *e, const struct rule *r, struct warn_instance *w,
                     const char *dept, int k, bool escalation)
{
    struct warn_event *x = new_event(e, WE_URGE, r, w);
    x->department = xstrdup(dept);
    x->step = k;
    x->escalation = escalation;
    x->key = xasprintf("%s:%s:%u:%s:%d", r->id, w->instance, w->episode, dept, k);
    add_step(w, escalation ? WA_ESCALATE : WA_URGE, dept, NULL, e->now, k);
}

/* The urge schedule: step k is due at fired_at + k·repeat while unanswered. */
static void urge(struct eval *e, const struct rule *r, struct warn_instance *w)
{
    const struct urge_policy *u = &r->urge;
    if (!u->on_firing || w->handling != WH_NONE || w->next_urge > u->max_repeats)
        return;
    int64_t age = e->now - w->fired_at;
    int64_t k = u->repeat_s ? age / u->repeat_s : 0;
    if (k > u->max_repeats)
        k = u->max_repeats;
    if (k < w->next_urge)
        return;
    for (size_t d = 0; d < r->ndepartments; d++)
        urge_one(e, r, w, r->departments[d], (int)k, false);
    if (u->escalate_after && k >= u->escalate_after) {
        urge_one(e, r, w, u->escalate_to, (int)k, true);
        w->escalated = true;
    }
    w->urges++;
    w->next_urge = (int)k + 1;
}

static void step(struct eval *e, const struct rule *r, struct warn_instance *w,
                 const struct obs *o)
{
    enum warn_state before = w->state;
    bool reopened = false;
    double oldv = w->value, oldr = w->ref;
    if (o->status != OBS_OK) {
        if (w->state != WS_NODATA && w->state != WS_ERROR)
            w->resume = w->state;
        const char *msg = o->status == OBS_ERROR ? o->message : NULL;
        if ((msg == NULL) != (w->message == NULL) || (msg && strcmp(msg, w->message)))
            e->changed = true;
        free(w->message);
        w->message = msg ? xstrdup(msg) : NULL;
        w->value = o->value;
        w->ref = NAN;
        go(e, w, o->status == OBS_ERROR ? WS_ERROR : WS_NODATA);
    } else {
        free(w->message);
        w->message = NULL;
        w->value = o->value;
        w->ref = o->ref;
        if (w->state == WS_NODATA || w->state == WS_ERROR)
            w->state = w->resume; /* continue where it left; `since` moves below */
        int64_t now = e->now;
        switch (w->state) {
        case WS_NORMAL:
            if (!o->cond)
                break;
            if (w->episode && w->ended_at && now - w->ended_at < r->hold_down_s) {
                w->open = reopened = true; /* a flap: the same warning again */
                go(e, w, WS_FIRING);
            } else if (r->pending_s == 0) {
                fire(e, w);
            } else {
                w->active_since = now;
                go(e, w, WS_PENDING);
            }
            break;
        case WS_PENDING:
            if (!o->cond)
                go(e, w, WS_NORMAL);
            else if (now - w->active_since >= r->pending_s)
                fire(e, w);
            break;
        case WS_FIRING:
            if (o->cond)
                break;
            w->cleared_at = now;
            if (r->keep_firing_s == 0)
                end_episode(e, w);
            else
                go(e, w, WS_RECOVERING);
            break;
        case WS_RECOVERING:
            if (o->cond)
                go(e, w, WS_FIRING);
            else if (now - w->cleared_at >= r->keep_firing_s)
                end_episode(e, w);
            break;
        case WS_NODATA:
        case WS_ERROR:
            break;
        }
        if (before == WS_NODATA || before == WS_ERROR)
            w->since = now;
    }
    if (w->state != before) {
        struct warn_event *x = new_event(e, WE_STATE, r, w);
        x->from = before;
        x->to = w->state;
        x->reopened = reopened;
    }
    if (w->open && (w->state == WS_FIRING || w->state == WS_RECOVERING))
        urge(e, r, w);
    /* bitwise, so that NaN == NaN: unchanged values publish nothing new */
    if (memcmp(&oldv, &w->value, sizeof oldv) || memcmp(&oldr, &w->ref, sizeof oldr))
        e->changed = true;
}

static struct warn_instance *push(struct eval *e, const struct rule *r, const char *instance,
                                  const struct warn_instance *prev)
{
    if (e->out->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 256;
        e->out->v = xrealloc(e->out->v, e->cap * sizeof *e->out->v);
    }
    struct warn_instance *w = &e->out->v[e->out->n++];
    if (prev) {
        instance_copy(w, prev);
    } else {
        *w = (struct warn_instance){.since = e->now, .value = NAN, .ref = NAN};
        set_names(w, r->id, instance);
        e->changed = true;
    }
    return w;
}

static void eval_rule(struct eval *e, const struct rule *r, const struct result *res,
                      const struct warn_states *prev)
{
    size_t pfirst = 0, pn = find_rule(prev, r->id, &pfirst);
    const struct warn_instance *pv = pn ? &prev->v[pfirst] : NULL;
    size_t ng = res->ngroups;
    if (ng == 0 && pn == 0) { /* nothing to watch yet: one instance shows it */
        struct warn_instance *w = push(e, r, "", NULL);
        struct obs o = observe(r, res, NULL);
        step(e, r, w, &o);
        return;
    }
    /* merge current groups and previous instances, both sorted by instance */
    size_t gi = 0, pi = 0;
    while (gi < ng || pi < pn) {
        int d = gi == ng ? 1 : pi == pn ? -1 : strcmp(res->groups[gi].instance, pv[pi].instance);
        const struct group *g = d <= 0 ? &res->groups[gi++] : NULL;
        const struct warn_instance *p = d >= 0 ? &pv[pi++] : NULL;
        /* the placeholder of a many-instance rule goes once real ones exist */
        if (!g && r->instance && !*p->instance && ng > 0 && !p->open) {
            e->changed = true;
            continue;
        }
        struct warn_instance *w = push(e, r, g ? g->instance : p->instance, p);
        struct obs o = observe(r, res, g);
        step(e, r, w, &o);
    }
}

/* ---- results kept between evaluations -----------------------------------------
 * A binding's result depends on its query and its source table only, and
 * tables are immutable: while the snapshot holds the same table as last
 * time (held here by a reference, so its address cannot be reused), the
 * result is the same. The demo's replay evaluates 73 hours over the same
 * tables: 62 → 15 ms for the warnings scene's export (the rest is reading
 * the tables). */
struct warn_memo {
    const struct rules *rules;
    struct result *res;
    struct table **src; /* the source each result came from (a reference) */
    bool *valid;
};

struct warn_memo *warn_memo_new(const struct rules *rules)
{
    struct warn_memo *m = xcalloc(1, sizeof *m);
    m->rules = rules;
    m->res = xcalloc(rules->nbindings + 1, sizeof *m->res);
    m->src = xcalloc(rules->nbindings + 1, sizeof *m->src);
    m->valid = xcalloc(rules->nbindings + 1, sizeof *m->valid);
    return m;
}

void warn_memo_destroy(struct warn_memo *m)
{
    if (!m)
        return;
    for (size_t b = 0; b < m->rules->nbindings; b++) {
        result_finish(&m->res[b]);
        table_unref(m->src[b]);
    }
    free(m->res);
    free(m->src);
    free(m->valid);
    free(m);
}

static void memo_run(struct warn_memo *m, size_t b, const struct warn_snapshot *snap)
{
    const struct query *q = m->rules->bindings[b];
    struct table *src = snap_get(snap, q->source);
    if (m->valid[b] && m->src[b] == src)
        return;
    result_finish(&m->res[b]);
    table_unref(m->src[b]);
    m->src[b] = src ? table_ref(src) : NULL;
    m->valid[b] = true;
    run_binding(&m->res[b], q, snap);
}

struct warn_states *warn_eval(const struct rules *rules, const struct warn_snapshot *snap,
                              const struct warn_states *prev, int64_t now,
                              struct warn_events *events)
{
    return warn_eval_memo(rules, snap, prev, now, events, NULL);
}

struct warn_states *warn_eval_memo(const struct rules *rules, const struct warn_snapshot *snap,
                                   const struct warn_states *prev, int64_t now,
                                   struct warn_events *events, struct warn_memo *memo)
{
    struct warn_states *st = xcalloc(1, sizeof *st);
    struct eval e = {.rules = rules, .out = st, .events = events, .now = now};
    if (prev && now < prev->evaluated_at) { /* the clock went back: hold the timers */
        e.now = prev->evaluated_at;
        new_event(&e, WE_CLOCK, NULL, NULL)->jump_s = prev->evaluated_at - now;
    }
    st->evaluated_at = e.now;
    struct result *res = memo ? memo->res : xcalloc(rules->nbindings + 1, sizeof *res);
    for (size_t b = 0; b < rules->nbindings; b++) {
        if (memo)
            memo_run(memo, b, snap);
        else
            run_binding(&res[b], rules->bindings[b], snap);
    }
    for (size_t i = 0; i < rules->nrules; i++)
        eval_rule(&e, &rules->rules[i], &res[rules->rules[i].binding], prev);
    for (size_t b = 0; !memo && b < rules->nbindings; b++)
        result_finish(&res[b]);
    if (!memo)
        free(res);
    if (!prev || st->n != prev->n)
        e.changed = true;
    st->generation = (prev ? prev->generation : 0) + e.changed;
    build_index(st);
    return st;
}

void warn_states_destroy(struct warn_states *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->n; i++)
        instance_finish(&st->v[i]);
    free(st->v);
    free(st->index);
    free(st->rule_index);
    free(st);
}

void warn_events_finish(struct warn_events *ev)
{
    for (size_t i = 0; i < ev->n; i++) {
        free(ev->v[i].instance);
        free(ev->v[i].department);
        free(ev->v[i].key);
    }
    free(ev->v);
    memset(ev, 0, sizeof *ev);
}

/* ---- handling ---------------------------------------------------------------------- */

bool warn_handle(struct warn_states *st, const char *rule, const char *instance,
                 enum warn_action action, const char *by, const char *note, int64_t now,
                 struct err *err)
{
    struct warn_instance *w = warn_states_find(st, rule, instance);
    const char *label = *instance ? instance : "(the rule's one instance)";
    if (!w)
        return err_set(err, "no warning for rule %s, instance %s", rule, label);
    if (!w->open)
        return err_set(err, "%s, instance %s: no open warning (state %s)", rule, label,
                       warn_state_code(w->state));
    if (action > WA_RESOLVE)
        return err_set(err, "%s: only acknowledged, handling and resolved are operator steps",
                       warn_action_code(action));
    if (!by || !*by)
        return err_set(err, "%s: who did it is required", warn_action_code(action));
    enum warn_handling to = (enum warn_handling)(action + 1);
    if (to <= w->handling)
        return err_set(err, "%s, instance %s: already %s; steps go acknowledged → handling → "
                            "resolved",
                       rule, label, warn_action_code((enum warn_action)(w->handling - 1)));
    w->handling = to;
    add_step(w, action, by, note, now < st->evaluated_at ? st->evaluated_at : now, 0);
    st->generation++;
    return true;
}

bool warn_apply_action(struct warn_states *st, const struct rules *rules, const char *id,
                       const char *action, const char *by, const char *note, int64_t now,
                       struct warn_instance **wi_out, char *ok, size_t len, struct err *err)
{
    char rule[256], inst[256] = "";
    unsigned episode = 0;
    const char *at = strchr(id, '@'), *hash = strrchr(id, '#');
    if (!hash || sscanf(hash + 1, "%u", &episode) != 1 || (size_t)(hash - id) >= sizeof rule)
        return err_set(err, "\"%s\" is no warning id (rule@instance#episode)", id);
    const char *rule_end = at && at < hash ? at : hash;
    snprintf(rule, sizeof rule, "%.*s", (int)(rule_end - id), id);
    if (at && at < hash)
        snprintf(inst, sizeof inst, "%.*s", (int)(hash - at - 1), at + 1);
    struct warn_instance *w = st ? warn_states_find(st, rule, inst) : NULL;
    if (!w || !w->open || w->episode != episode)
        return err_set(err, "warning %s is not open", id);
    if (wi_out)
        *wi_out = w;
    if (strcmp(action, "urge") != 0) {
        enum warn_action a;
        if (!warn_action_parse(action, &a))
            return err_set(err, "%s: the actions are ack, handle, resolve and urge", action);
        if (!warn_handle(st, rule, inst, a, by, note, now, err))
            return false;
        snprintf(ok, len, "%s", warn_action_name(a));
        return true;
    }
    if (!by || !*by)
        return err_set(err, "urge: who did it is required");
    const struct rule *r = rules_find(rules, rule);
    if (!r)
        return err_set(err, "warning %s: its rule is no longer loaded", id);
    char *why = xasprintf("一键催办 · %s%s%s", by, note ? " · " : "", note ? note : "");
    for (size_t d = 0; d < r->ndepartments; d++)
        add_step(w, WA_URGE, r->departments[d], why, now < st->evaluated_at ? st->evaluated_at : now,
                 w->urges);
    free(why);
    w->urges++;
    st->generation++;
    snprintf(ok, len, "催办 %zu 个部门", r->ndepartments);
    return true;
}
