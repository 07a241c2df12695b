/* The show-state machine (scene/show.h). Every event is applied, then
 * settle() lets time have its say (a dwell ends, the idle return, a picker
 * times out) and rebuilds the view; what changed is found by comparing the
 * view before and after, so no handler has to remember to report it. */
#include "scene/show.h"
#include "util/util.h"
#include <stdlib.h>
#include <string.h>

/* An owned list of name = value. */
struct plist {
    struct scene_param *v;
    size_t n;
};

/* One step of a person's way down: a scene with the parameters they chose
 * (or the drill set, or were inherited from the step above), its crumb. */
struct frame {
    size_t scene;
    struct plist params;
    char *label;
};

/* A root scene with a person's drill stack on top of it. */
struct layer {
    struct frame frames[SHOW_MAX_DEPTH];
    size_t depth;
};

/* The configuration, copied. */
struct config {
    struct show_scene *scenes;
    size_t nscenes;
    struct show_entry *entries;
    size_t nentries;
    bool has_alert;
    size_t alert_scene;
    int64_t idle_ms, picker_ms;
};

struct show {
    struct config c;
    /* the state */
    size_t entry;
    int64_t shown_at;          /* when the entry's dwell started */
    bool paused, alert;
    bool blank;                /* the screen is dark (a visitor in the room) */
    struct layer base, over;   /* over: the alert scene's drills */
    char *picker;              /* the open picker's parameter, or NULL */
    int64_t picker_until;
    int64_t last_input;
    /* the view, rebuilt by settle() */
    struct show_view view;
    struct plist vparams;
    char *crumbs[SHOW_MAX_DEPTH + 1];
};

/* ---- parameter lists ----------------------------------------------------- */

static const char *param_get(const struct scene_param *p, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i].name, name) == 0)
            return p[i].value;
    return NULL;
}

static void plist_set(struct plist *l, const char *name, const char *value)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->v[i].name, name) == 0) {
            free(l->v[i].value);
            l->v[i].value = xstrdup(value);
            return;
        }
    }
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = (struct scene_param){xstrdup(name), xstrdup(value)};
}

static void plist_free(struct plist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].name);
        free(l->v[i].value);
    }
    free(l->v);
    *l = (struct plist){0};
}

static struct scene_param *params_copy(const struct scene_param *p, size_t n)
{
    struct scene_param *v = xcalloc(n + 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = (struct scene_param){xstrdup(p[i].name), xstrdup(p[i].value)};
    return v;
}

static void params_free(struct scene_param *p, size_t n)
{
    struct plist l = {p, n};
    plist_free(&l);
}

static bool declares(const struct show_scene *sc, const char *name)
{
    return param_get(sc->params, sc->nparams, name) != NULL;
}

/* ---- the configuration ---------------------------------------------------- */

static void config_free(struct config *cfg)
{
    for (size_t i = 0; i < cfg->nscenes; i++) {
        free((char *)cfg->scenes[i].name);
        free((char *)cfg->scenes[i].title);
        params_free((struct scene_param *)cfg->scenes[i].params, cfg->scenes[i].nparams);
    }
    free(cfg->scenes);
    for (size_t i = 0; i < cfg->nentries; i++) {
        params_free((struct scene_param *)cfg->entries[i].params, cfg->entries[i].nparams);
        free((char *)cfg->entries[i].label);
    }
    free(cfg->entries);
    cfg->scenes = NULL, cfg->entries = NULL;
    cfg->nscenes = cfg->nentries = 0;
}

static void config_take(struct config *cfg, const struct show_config *c)
{
    cfg->scenes = xcalloc(c->nscenes + 1, sizeof *cfg->scenes);
    for (size_t i = 0; i < c->nscenes; i++) {
        const struct show_scene *in = &c->scenes[i];
        cfg->scenes[i] = (struct show_scene){
            xstrdup(in->name), xstrdup(in->title ? in->title : in->name),
            params_copy(in->params, in->nparams), in->nparams};
    }
    cfg->nscenes = c->nscenes;
    cfg->entries = xcalloc(c->nentries + 1, sizeof *cfg->entries);
    for (size_t i = 0; i < c->nentries; i++) {
        cfg->entries[i] = c->entries[i];
        cfg->entries[i].params = params_copy(c->entries[i].params, c->entries[i].nparams);
        cfg->entries[i].label = xstrdup(c->entries[i].label ? c->entries[i].label
                                                            : cfg->scenes[c->entries[i].scene].title);
    }
    cfg->nentries = c->nentries;
    cfg->has_alert = c->has_alert;
    cfg->alert_scene = c->alert_scene;
    cfg->idle_ms = c->idle_return_ms > 0 ? c->idle_return_ms : SHOW_IDLE_RETURN_MS;
    cfg->picker_ms = c->picker_ms > 0 ? c->picker_ms : SHOW_PICKER_MS;
}

static long scene_index(const struct show *s, const char *name)
{
    for (size_t i = 0; name && i < s->c.nscenes; i++)
        if (strcmp(s->c.scenes[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* ---- layers --------------------------------------------------------------- */

static void layer_pop_to(struct layer *l, size_t depth)
{
    while (l->depth > depth) {
        struct frame *f = &l->frames[--l->depth];
        plist_free(&f->params);
        free(f->label);
    }
}

static struct layer *visible(struct show *s)
{
    return s->alert ? &s->over : &s->base;
}

static bool driving(const struct show *s)
{
    return (s->alert ? s->over.depth : s->base.depth) > 0 || s->picker;
}

static void close_picker(struct show *s)
{
    free(s->picker);
    s->picker = NULL;
}

/* The base goes back to its entry: the rotation's dwell starts again there. */
static void go_home(struct show *s, int64_t now)
{
    close_picker(s);
    layer_pop_to(visible(s), 0);
    if (!s->alert)
        s->shown_at = now;
}

static void go_back(struct show *s, int64_t now)
{
    struct layer *l = visible(s);
    if (s->picker)
        close_picker(s);
    else if (l->depth == 1)
        go_home(s, now);
    else if (l->depth > 1)
        layer_pop_to(l, l->depth - 1);
}

/* Pushes scene sc with the parameters of the view it comes from (those sc
 * declares), then params over them. */
static void push(struct show *s, size_t sc, const struct scene_param *params, size_t n,
                 const char *label)
{
    struct layer *l = visible(s);
    if (l->depth == SHOW_MAX_DEPTH)
        return;
    const struct show_scene *to = &s->c.scenes[sc];
    struct frame *f = &l->frames[l->depth++];
    *f = (struct frame){.scene = sc};
    for (size_t i = 0; i < s->view.nparams; i++)
        if (declares(to, s->view.params[i].name))
            plist_set(&f->params, s->view.params[i].name, s->view.params[i].value);
    for (size_t i = 0; i < n; i++)
        if (declares(to, params[i].name))
            plist_set(&f->params, params[i].name, params[i].value);
    f->label = xstrdup(label ? label : to->title);
    close_picker(s);
}

/* ---- events --------------------------------------------------------------- */

static void on_key(struct show *s, enum show_key key, size_t entry, int64_t now)
{
    size_t n = s->c.nentries;
    switch (key) {
    case SHOW_KEY_NEXT: case SHOW_KEY_PREV: case SHOW_KEY_JUMP:
        if (s->alert || (key == SHOW_KEY_JUMP && entry >= n))
            return;
        go_home(s, now);
        s->entry = key == SHOW_KEY_NEXT ? (s->entry + 1) % n
                   : key == SHOW_KEY_PREV ? (s->entry + n - 1) % n
                                          : entry;
        break;
    case SHOW_KEY_PAUSE:
        s->paused = !s->paused;
        s->shown_at = now; /* a resumed rotation gives the scene a whole dwell */
        break;
    case SHOW_KEY_BLANK:
        s->blank = !s->blank;
        break;
    case SHOW_KEY_BACK:
        go_back(s, now);
        break;
    case SHOW_KEY_HOME:
        go_home(s, now);
        break;
    case SHOW_KEY_OTHER:
        break;
    }
}

static void on_alerts(struct show *s, size_t n, int64_t now)
{
    if (n > 0 && s->c.has_alert && !s->alert) {
        close_picker(s);
        s->alert = true;
    } else if (n == 0 && s->alert) {
        close_picker(s);
        layer_pop_to(&s->over, 0);
        s->alert = false;
        if (s->base.depth == 0)
            s->shown_at = now;
    }
}

/* The frames whose scene is gone go (with everything above them); the
 * others follow their scene to its new index and keep only the parameters
 * it still declares. */
static void layer_remap(struct show *s, struct layer *l, struct show_scene *old, size_t nold)
{
    for (size_t d = 0; d < l->depth; d++) {
        struct frame *f = &l->frames[d];
        long k = f->scene < nold ? scene_index(s, old[f->scene].name) : -1;
        if (k < 0) {
            layer_pop_to(l, d);
            return;
        }
        f->scene = (size_t)k;
        struct plist kept = {0};
        for (size_t i = 0; i < f->params.n; i++)
            if (declares(&s->c.scenes[k], f->params.v[i].name))
                plist_set(&kept, f->params.v[i].name, f->params.v[i].value);
        plist_free(&f->params);
        f->params = kept;
    }
}

static void on_reload(struct show *s, const struct show_config *c, int64_t now)
{
    struct config old = s->c;
    config_take(&s->c, c);
    layer_remap(s, &s->base, old.scenes, old.nscenes);
    layer_remap(s, &s->over, old.scenes, old.nscenes);
    config_free(&old);
    close_picker(s); /* its choices may have changed with the files */
    if (s->entry >= s->c.nentries) {
        s->entry = 0;
        s->shown_at = now;
    }
    if (s->alert && !s->c.has_alert)
        on_alerts(s, 0, now);
}

static void on_pick(struct show *s, const struct show_event *ev)
{
    if (!s->picker || strcmp(s->picker, ev->pick.param) != 0)
        return;
    const char *cur = param_get(s->view.params, s->view.nparams, ev->pick.param);
    if (cur && strcmp(cur, ev->pick.value) == 0) {
        close_picker(s); /* the same value: nothing to go to */
        return;
    }
    struct scene_param p = {(char *)ev->pick.param, (char *)ev->pick.value};
    push(s, s->view.scene, &p, 1, ev->pick.label ? ev->pick.label : ev->pick.value);
}

static void apply(struct show *s, const struct show_event *ev, int64_t now)
{
    switch (ev->type) {
    case SHOW_TICK:
        break;
    case SHOW_KEY:
        on_key(s, ev->key.key, ev->key.entry, now);
        break;
    case SHOW_POINT:
        break;
    case SHOW_DRILL: {
        long k = scene_index(s, ev->drill.scene);
        if (k >= 0)
            push(s, (size_t)k, ev->drill.params, ev->drill.nparams, ev->drill.label);
        break;
    }
    case SHOW_PICK_OPEN:
        if (ev->pick_open.param && declares(&s->c.scenes[s->view.scene], ev->pick_open.param)) {
            close_picker(s);
            s->picker = xstrdup(ev->pick_open.param);
            s->picker_until = now + s->c.picker_ms;
        }
        break;
    case SHOW_PICK:
        on_pick(s, ev);
        break;
    case SHOW_ALERTS:
        on_alerts(s, ev->alerts, now);
        break;
    case SHOW_RELOAD:
        on_reload(s, ev->reload, now);
        break;
    }
}

/* ---- time and the view ---------------------------------------------------- */

/* What is due at now: the picker's timeout, the idle return, the end of
 * the entry's dwell. */
static void run_clock(struct show *s, int64_t now)
{
    if (s->picker && now >= s->picker_until)
        close_picker(s);
    if (driving(s) && now - s->last_input >= s->c.idle_ms)
        go_home(s, now);
    if (!s->alert && !s->paused && !driving(s) &&
        now - s->shown_at >= s->c.entries[s->entry].dwell_ms) {
        s->entry = (s->entry + 1) % s->c.nentries;
        s->shown_at = now;
    }
}

static void view_free(struct show *s)
{
    plist_free(&s->vparams);
    for (size_t i = 0; i < s->view.ncrumbs; i++)
        free(s->crumbs[i]);
}

/* The view from the state: the top of the visible layer, its effective
 * parameters (the scene's defaults, then the entry's or the frame's). */
static void view_build(struct show *s)
{
    const struct layer *l = visible(s);
    size_t root = s->alert ? s->c.alert_scene : s->c.entries[s->entry].scene;
    const struct frame *top = l->depth ? &l->frames[l->depth - 1] : NULL;
    const struct show_scene *sc = &s->c.scenes[top ? top->scene : root];
    const struct scene_param *over = top ? top->params.v : s->alert ? NULL
                                                         : s->c.entries[s->entry].params;
    size_t nover = top ? top->params.n : s->alert ? 0 : s->c.entries[s->entry].nparams;
    s->vparams = (struct plist){0};
    for (size_t i = 0; i < sc->nparams; i++) {
        const char *v = param_get(over, nover, sc->params[i].name);
        plist_set(&s->vparams, sc->params[i].name, v ? v : sc->params[i].value);
    }
    s->crumbs[0] = xstrdup(s->alert ? s->c.scenes[root].title : s->c.entries[s->entry].label);
    for (size_t d = 0; d < l->depth; d++)
        s->crumbs[d + 1] = xstrdup(l->frames[d].label);
    s->view = (struct show_view){
        .scene = top ? top->scene : root,
        .params = s->vparams.v,
        .nparams = s->vparams.n,
        .crumbs = (const char *const *)s->crumbs,
        .ncrumbs = l->depth + 1,
        .entry = s->entry,
        .alert = s->alert,
        .paused = s->paused,
        .blank = s->blank,
        .driving = driving(s),
        .picker = s->picker,
    };
}


static bool same_crumbs(const struct show_view *a, const struct show_view *b)
{
    if (a->ncrumbs != b->ncrumbs)
        return false;
    for (size_t i = 0; i < a->ncrumbs; i++)
        if (strcmp(a->crumbs[i], b->crumbs[i]))
            return false;
    return true;
}

/* Runs the clock, rebuilds the view and says what changed against the old
 * one. old_picker: the picker before the event (the view's may be freed). */
static unsigned settle(struct show *s, int64_t now, const char *old_picker)
{
    run_clock(s, now);
    struct show_view old = s->view;
    struct plist old_params = s->vparams;
    char *old_crumbs[SHOW_MAX_DEPTH + 1];
    memcpy(old_crumbs, s->crumbs, sizeof old_crumbs);
    view_build(s);
    unsigned changed = 0;
    if (old.scene != s->view.scene ||
        !show_same_params(old.params, old.nparams, s->view.params, s->view.nparams) ||
        !same_crumbs(&old, &s->view) || old.blank != s->view.blank)
        changed |= SHOW_CHANGED_VIEW;
    if ((old_picker == NULL) != (s->picker == NULL) ||
        (old_picker && strcmp(old_picker, s->picker)))
        changed |= SHOW_CHANGED_PICKER;
    if (old.entry != s->view.entry || old.alert != s->view.alert ||
        old.paused != s->view.paused || old.driving != s->view.driving)
        changed |= SHOW_CHANGED_STATE;
    plist_free(&old_params);
    for (size_t i = 0; i < old.ncrumbs; i++)
        free(old_crumbs[i]);
    return changed;
}

/* ---- the interface -------------------------------------------------------- */

bool show_same_params(const struct scene_param *a, size_t na, const struct scene_param *b,
                      size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i].name, b[i].name) || strcmp(a[i].value, b[i].value))
            return false;
    return true;
}

struct show *show_create(const struct show_config *config, int64_t now_ms)
{
    struct show *s = xcalloc(1, sizeof *s);
    config_take(&s->c, config);
    s->shown_at = now_ms;
    s->last_input = now_ms;
    view_build(s);
    return s;
}

void show_destroy(struct show *s)
{
    if (!s)
        return;
    view_free(s);
    layer_pop_to(&s->base, 0);
    layer_pop_to(&s->over, 0);
    close_picker(s);
    config_free(&s->c);
    free(s);
}

unsigned show_event(struct show *s, const struct show_event *ev, int64_t now_ms)
{
    char *old_picker = s->picker ? xstrdup(s->picker) : NULL;
    bool input = ev->type == SHOW_KEY || ev->type == SHOW_POINT || ev->type == SHOW_DRILL ||
                 ev->type == SHOW_PICK_OPEN || ev->type == SHOW_PICK;
    if (input)
        s->last_input = now_ms;
    if (!s->alert && driving(s))
        s->shown_at = now_ms; /* the dwell waits while someone drives */
    apply(s, ev, now_ms);
    unsigned changed = settle(s, now_ms, old_picker);
    free(old_picker);
    return changed;
}

const struct show_view *show_current(const struct show *s)
{
    return &s->view;
}

int64_t show_next_deadline(const struct show *s)
{
    int64_t t = INT64_MAX;
    if (s->picker)
        t = s->picker_until;
    if (driving(s) && s->last_input + s->c.idle_ms < t)
        t = s->last_input + s->c.idle_ms;
    if (!s->alert && !s->paused && !driving(s))
        t = s->shown_at + s->c.entries[s->entry].dwell_ms;
    return t;
}
