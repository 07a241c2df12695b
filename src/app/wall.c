/* The wall runtime: `lotuswall run` on a display. A playlist of scenes with
 * dwell times, drawn by the screen output; the loop sleeps in
 * SDL_WaitEventTimeout until something changes: new data (the poller pushes
 * an event), a second passing for panels that change with the clock, the
 * end of a dwell, a key, a file reload, a signal. */
#include "app/actions.h"
#include "app/api.h"
#include "app/fleet.h"
#include "app/app.h"
#include "app/cfgset.h"
#include "app/splice.h"
#include "data/names.h"
#include "data/pg.h"
#include "output/compose.h"
#include "render/fmt.h"
#include "widgets/widget.h"
#include "output/displays.h"
#include "output/health.h"
#include "output/screen.h"
#include "scene/playlist.h"
#include "scene/show.h"
#include "scene/wallfile.h"
#include "util/filewatch.h"
#include "util/json.h"
#include "util/statedir.h"
#include "util/pool.h"
#include "util/util.h"
#include "warn/publish.h"
#include <SDL.h>
#include <systemd/sd-daemon.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct slot {
    char *path;
    int dwell_s;
    struct scene *scene;   /* last good */
    struct scene_param *params; /* the playlist entry's; owned */
    size_t nparams;
};

struct wall {
    struct app *app;
    const struct wall_opts *opts;
    struct slot *slots;
    size_t nslots;          /* the rotation, then the alert scene if any */
    size_t nrot;            /* scenes in the rotation */
    bool has_alert;         /* slots[nrot] is the alert scene */
    enum severity alert_min;
    int idle_return_s;      /* the playlist's idle_return */
    struct show *show;      /* what is shown: the rotation, alert, drills (scene/show.h) */
    struct scene *variant;  /* the shown slot's scene loaded with the view's parameters, or NULL */
    bool variant_tried;     /* loaded (or failed) for the current view */
    char **acked;           /* warning ids acknowledged on this wall (key a) */
    size_t nacked, acked_cap;
    char *sel;              /* the warning the operator selected (Up/Down), or NULL */
    struct action_job *job; /* an action waiting for the engine's answer, or NULL */
    char last_action[256];  /* the last action's result, for --status */
    char last_error[512];   /* the last configuration error, for the heartbeat */
    int64_t scene_since_ms; /* when the view last changed (Unix ms): the heartbeat, --status */
    struct fleet_beat *beat; /* --wall-name with --db: heartbeat and steering, or NULL */
    /* --part with --db and --wall-name: one part of a splice wall (splice.h).
     * The poller fills app->fetch_store; app->store, which is drawn, takes
     * it only at the data version announced. */
    struct splice *splice;  /* the coordination thread, or NULL */
    enum splice_role role;  /* as the render thread last saw it */
    int64_t term, role_since_ms;
    unsigned splice_seq;    /* the last announcement taken */
    struct splice_state said; /* what this part follows (the leader: what it announced) */
    bool said_new;          /* a follower: said is not applied yet */
    bool view_moved, cut_moved; /* feed: the view or state changed (by a person: cut) */
    bool applying;          /* a follower applies said (feed: no cut of its own) */
    uint64_t data_shown;    /* the data version drawn (store_content_hash), 0: none yet */
    double splice_wake;     /* now_ms() of the next announced change due, or 0 */
    int64_t scene_drawn_ms; /* Unix ms of the frame that began the last scene change */
    Uint32 ev_splice;
    char shots[WALL_MAX_OUTPUTS][PATH_MAX]; /* the last screenshot, one per output */
    unsigned shot_seq;      /* screenshots taken; `lotuswall screenshot` waits for it to move */
    bool status_failing;    /* the last status write failed (logged once per streak) */
    Uint32 ev_action, ev_displays;
    struct display_watch *displays; /* X11: modes and outputs as they change, or NULL */
    struct filewatch *files;  /* the hot-reload watch, or NULL */
    Uint32 ev_data, ev_reload;
    /* --db --wall-name: the configuration set the database assigns (cfgset.h) */
    struct cfgset_follower *fleet; /* the follower, or NULL */
    _Atomic Uint32 ev_config;   /* its event, once registered (the follower's thread reads it) */
    struct cfgset cfg;          /* the set shown; cfg.dir NULL: the command line's files */
    const char *playlist;       /* the playlist shown: the set's, or --playlist */
    char *playlist_owned;       /* the set's playlist file */
    const char *etc_scenes;     /* app->scene_dirs[0] before any set */
    const char *cfg_source;     /* "database", "disk" (the last good set) or "files" */
    char cfg_error[512];        /* why the last set was refused, or "" */
    bool status_due;            /* write the status file now, not at the next second */
    bool repoll;                /* a new set shows sources the poller does not read yet */
    char overlay[256];
    int64_t overlay_until;
    struct { bool down; SDL_FingerID id; float x, y; } finger; /* a touch under way */
    struct compose_choices pick; /* what the open picker offers (render.h: choices) */
    Uint32 tap_at;          /* SDL ticks of the tap being handled, or 0 */
    Uint32 touch_at;        /* SDL ticks of the tap that changed the view, until drawn */
    double touch_ms;        /* that touch until its view was on screen, or -1 */
    double cursor_until;    /* now_ms() when the shown cursor hides again; 0: hidden */
    struct screen *screens[WALL_MAX_OUTPUTS]; /* one window per output of the wall */
    size_t nscreens;
    struct screen *screen;                    /* screens[0]: stats, fast-forward */
    struct render r;
    int64_t started;
    double started_ms;
    struct health *health;
    struct health *metrics;   /* --metrics: /healthz and /metrics apart, or NULL */
    struct api *api;          /* the console and the JSON API, or NULL */
    /* A call of the API's connection threads for the render thread: one at
     * a time (`one`), handed over under `lock`, answered with `cond`. */
    struct {
        pthread_mutex_t one, lock;
        pthread_cond_t cond;
        struct api_call *call;  /* waiting for the render thread, or NULL */
        bool closing;
        Uint32 ev;
    } bridge;
};

static volatile sig_atomic_t want_screenshot;

static void on_usr1(int sig)
{
    (void)sig;
    want_screenshot = 1;
}

static void push(Uint32 type)
{
    SDL_Event ev = {.type = type};
    SDL_PushEvent(&ev); /* thread-safe */
}

static void wake_on_data(void *arg)
{
    push(*(Uint32 *)arg);
}

/* ---- hot reload: a thread blocks on inotify and posts an event --------- */

struct watcher {
    struct filewatch fw;
    int stop[2];   /* a pipe: closing the write end ends the thread */
    pthread_t thread;
    Uint32 ev;
};

static void *watch_main(void *arg)
{
    struct watcher *w = arg;
    for (;;) {
        struct pollfd fds[2] = {{.fd = w->fw.fd, .events = POLLIN},
                                {.fd = w->stop[0], .events = POLLIN}};
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            break;
        if (fds[1].revents)
            break;
        if (filewatch_changed(&w->fw))
            push(w->ev);
    }
    return NULL;
}

/* Watches the scenes, the playlist and the demo's rules. */
static bool watch_start(struct watcher *w, struct wall *wall)
{
    if (!filewatch_init(&w->fw))
        return false;
    if (pipe(w->stop) != 0) {
        filewatch_close(&w->fw);
        return false;
    }
    for (size_t i = 0; i < wall->nslots; i++)
        filewatch_add(&w->fw, wall->slots[i].path);
    filewatch_add(&w->fw, wall->playlist);
    filewatch_add(&w->fw, app_demo_rules_path(wall->app));
    w->ev = wall->ev_reload;
    if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
        filewatch_close(&w->fw);
        close(w->stop[0]);
        close(w->stop[1]);
        return false;
    }
    return true;
}

static void watch_stop(struct watcher *w)
{
    if (w->fw.fd < 0)
        return;
    close(w->stop[1]); /* wakes the thread's poll() */
    pthread_join(w->thread, NULL);
    close(w->stop[0]);
    filewatch_close(&w->fw);
}

/* ---- the rotation: a playlist, or the scenes named on the command line -- */

struct rotation {
    struct slot *slots;
    size_t nslots, nrot;
    bool has_alert;
    enum severity alert_min;
    int idle_return_s;
};

static void slots_free(struct slot *slots, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(slots[i].path);
        scene_destroy(slots[i].scene);
        for (size_t k = 0; k < slots[i].nparams; k++) {
            free(slots[i].params[k].name);
            free(slots[i].params[k].value);
        }
        free(slots[i].params);
    }
    free(slots);
}

/* A slot's scene with its playlist entry's parameters over the scene's
 * defaults, and the CLI's --param (a person's choice) over both. */
static struct scene *slot_load(const struct slot *sl, const struct app *app, struct err *err)
{
    struct scene_env env = app_scene_env(app);
    struct playlist_entry e = {.params = sl->params, .nparams = sl->nparams};
    size_t n;
    struct scene_param *all = playlist_entry_params(&e, env.overrides, env.noverrides, &n);
    env.overrides = all, env.noverrides = n;
    struct scene *s = scene_load(sl->path, &env, err);
    free(all);
    return s;
}

/* A slot's scene as slot_load loads it, refused when a drill of it leads
 * nowhere (the wall then keeps the last good version). */
static struct scene *slot_load_checked(const struct slot *sl, struct app *app, struct err *err)
{
    struct scene *s = slot_load(sl, app, err);
    if (s && !app_check_drills(app, s, err)) {
        scene_destroy(s);
        return NULL;
    }
    return s;
}

/* Appends a slot for every scene a drill leads to that no slot shows yet,
 * and for theirs in turn (no dwell: never in the rotation). False + *err
 * when a drill leads nowhere. */
static bool add_drill_targets(struct slot **slots, size_t *n, struct app *app, struct err *err)
{
    for (size_t i = 0; i < *n; i++) {
        const struct scene *s = (*slots)[i].scene;
        for (size_t p = 0; p < s->npanels; p++) {
            if (!s->panels[p].drill)
                continue;
            struct scene *t = app_drill_target(app, s, p, err);
            if (!t)
                return false;
            bool known = false;
            for (size_t k = 0; k < *n && !known; k++)
                known = strcmp((*slots)[k].path, t->path) == 0;
            if (known) {
                scene_destroy(t);
                continue;
            }
            *slots = xrealloc(*slots, (*n + 1) * sizeof **slots);
            (*slots)[(*n)++] = (struct slot){xstrdup(t->path), 0, t, NULL, 0};
            s = (*slots)[i].scene; /* the array moved */
        }
    }
    return true;
}

/* What a rotation is made of: the playlist (else the scenes of the command
 * line) and an assignment's parameters from the database (cfgset.h). */
struct rotation_src {
    const char *playlist;
    const struct scene_param *params;
    size_t nparams;
};

/* A slot's parameters, lowest first: the assignment's, then its playlist
 * entry's (taken over from e); a person's choice comes over both. */
static struct scene_param *slot_params(const struct rotation_src *src,
                                       struct playlist_entry *e, size_t *n)
{
    size_t ne = e ? e->nparams : 0;
    struct scene_param *all = xcalloc(src->nparams + ne + 1, sizeof *all);
    for (size_t i = 0; i < src->nparams; i++)
        all[i] = (struct scene_param){xstrdup(src->params[i].name),
                                      xstrdup(src->params[i].value)};
    if (ne)
        memcpy(all + src->nparams, e->params, ne * sizeof *all);
    if (e) {
        free(e->params);
        e->params = NULL, e->nparams = 0;
    }
    *n = src->nparams + ne;
    return all;
}

/* Every --param, and every parameter of the assignment, is one that some
 * scene of the rotation declares (a region parameter a region). */
static bool rotation_check_params(const struct rotation *r, struct app *app,
                                  const struct rotation_src *src, struct err *err)
{
    struct scene **scenes = xcalloc(r->nslots + 1, sizeof *scenes);
    for (size_t k = 0; k < r->nslots; k++)
        scenes[k] = r->slots[k].scene;
    bool ok = app_check_params(app, scenes, r->nslots, err) &&
              app_check_param_list(app, src->params, src->nparams, "the assignment's param",
                                   scenes, r->nslots, err);
    free(scenes);
    return ok;
}

/* Every scene of the rotation loaded; false + *err (and nothing to free)
 * when the playlist or any of its scenes is bad or it is empty. */
static bool rotation_load(struct rotation *r, struct app *app, const struct wall_opts *o,
                          const struct rotation_src *src, struct err *err)
{
    *r = (struct rotation){0};
    if (src->playlist) {
        struct playlist *pl = playlist_load(src->playlist, app->scene_dirs, 2, err);
        if (!pl)
            return false;
        /* as `check` checks them: a bad edit keeps the last good rotation */
        for (size_t i = 0; i < pl->nentries; i++) {
            if (!app_check_entry_params(app, pl, i, err)) {
                playlist_destroy(pl);
                return false;
            }
        }
        r->slots = xcalloc(pl->nentries + 1, sizeof *r->slots);
        for (size_t i = 0; i < pl->nentries; i++) {
            struct slot *sl = &r->slots[r->nslots++];
            *sl = (struct slot){xstrdup(pl->entries[i].scene), pl->entries[i].dwell_s, NULL,
                                NULL, 0};
            sl->params = slot_params(src, &pl->entries[i], &sl->nparams);
        }
        r->nrot = r->nslots;
        r->idle_return_s = pl->idle_return_s;
        if (pl->alert_scene) {
            struct slot *sl = &r->slots[r->nslots++];
            *sl = (struct slot){xstrdup(pl->alert_scene), 0, NULL, NULL, 0};
            sl->params = slot_params(src, NULL, &sl->nparams);
            r->has_alert = true;
            r->alert_min = pl->alert_min;
        }
        playlist_destroy(pl);
    } else {
        r->slots = xcalloc(o->nscenes + 1, sizeof *r->slots);
        for (size_t i = 0; i < o->nscenes; i++) {
            char *path = scene_resolve(o->scenes[i], app->scene_dirs, 2);
            if (!path) {
                slots_free(r->slots, r->nslots);
                return err_set(err, "%s: no such scene file", o->scenes[i]);
            }
            r->slots[r->nslots++] =
                (struct slot){path, o->dwell_s > 0 ? o->dwell_s : 30, NULL, NULL, 0};
        }
        r->nrot = r->nslots;
        r->idle_return_s = SHOW_IDLE_RETURN_MS / 1000;
    }
    bool ok = r->nrot > 0 || !err_set(err, "nothing to show: the playlist is empty");
    for (size_t i = 0; ok && i < r->nslots; i++)
        ok = (r->slots[i].scene = slot_load_checked(&r->slots[i], app, err)) != NULL;
    ok = ok && add_drill_targets(&r->slots, &r->nslots, app, err);
    ok = ok && rotation_check_params(r, app, src, err);
    if (!ok)
        slots_free(r->slots, r->nslots);
    return ok;
}

/* ---- the show: what is shown, decided by scene/show.c ------------------- */

/* The show's clock: monotonic milliseconds (durations only; --now moves the
 * data's clock, not the dwells). */
static int64_t show_clock(void)
{
    return (int64_t)now_ms();
}

/* The name of the region the parameters' city names (data/names.h), e.g.
 * 许昌市; NULL when they have none (the show takes the scene's title). */
static char *region_name(const struct wall *w, const struct scene_param *params, size_t np)
{
    char name[256];
    for (size_t i = 0; i < np; i++)
        if (strcmp(params[i].name, "city") == 0 &&
            names_lookup(w->app->store, "city", params[i].value, name, sizeof name))
            return xstrdup(name);
    return NULL;
}

/* The breadcrumb's name for a slot: its region's. */
static char *region_label(const struct wall *w, const struct slot *sl)
{
    return region_name(w, sl->scene->params, sl->scene->nparams);
}

/* A scene's title as its title bar says it ({city_name} filled), with these
 * parameters over its own: the breadcrumb's name for it, and the console's. */
static char *scene_title(const struct wall *w, const struct scene *s,
                         const struct scene_param *params, size_t n)
{
    struct scene with = *s;
    struct scene_param merged[32];
    with.nparams = s->nparams < ARRAY_LEN(merged) ? s->nparams : ARRAY_LEN(merged);
    for (size_t i = 0; i < with.nparams; i++) {
        merged[i] = s->params[i];
        for (size_t k = 0; k < n; k++)
            if (strcmp(params[k].name, merged[i].name) == 0)
                merged[i].value = params[k].value;
    }
    with.params = merged;
    char title[256];
    compose_text(title, sizeof title, s->title ? s->title : s->name, &with, w->app->store, NULL);
    return xstrdup(title);
}

/* The slots as the show sees them: a scene per slot, an entry per scene of
 * the rotation, the alert scene last. An entry's parameters are its slot
 * scene's own: the slot is loaded with them (and --param, a person's
 * choice, over them), so the show needs none of its own for the entry.
 * Free with show_config_free(). */
static void show_config_of(const struct wall *w, struct show_config *c)
{
    struct show_scene *sc = xcalloc(w->nslots, sizeof *sc);
    struct show_entry *en = xcalloc(w->nrot, sizeof *en);
    for (size_t i = 0; i < w->nslots; i++) {
        const struct scene *s = w->slots[i].scene;
        sc[i] = (struct show_scene){s->name, scene_title(w, s, NULL, 0), s->params, s->nparams};
    }
    for (size_t i = 0; i < w->nrot; i++)
        en[i] = (struct show_entry){i, (int64_t)w->slots[i].dwell_s * 1000, NULL, 0,
                                    region_label(w, &w->slots[i])};
    *c = (struct show_config){sc, w->nslots, en, w->nrot, w->has_alert, w->nrot,
                              (int64_t)w->idle_return_s * 1000, 0};
}

static void show_config_free(struct show_config *c)
{
    for (size_t i = 0; i < c->nentries; i++)
        free((char *)c->entries[i].label);
    for (size_t i = 0; i < c->nscenes; i++)
        free((char *)c->scenes[i].title);
    free((void *)c->scenes);
    free((void *)c->entries);
}

static void drop_variant(struct wall *w)
{
    scene_destroy(w->variant);
    w->variant = NULL;
    w->variant_tried = false;
}

/* Unix ms on this host's now_ms() clock (NTP keeps the hosts' wall clocks
 * together: docs/operations.md). */
static double local_ms(int64_t unix_ms)
{
    return now_ms() + ((double)unix_ms - wall_ms());
}

/* A splice wall's scene change starts at Unix ms `at` on every part. */
static void splice_hold(struct wall *w, int64_t at)
{
    w->scene_since_ms = at;
    for (size_t i = 0; i < w->nscreens; i++)
        screen_change_at(w->screens[i], local_ms(at));
}

/* Feeds one event to the show and logs what the wall shows from then on. */
static unsigned feed(struct wall *w, struct show_event ev)
{
    bool was_alert = show_current(w->show)->alert;
    unsigned changed = show_event(w->show, &ev, show_clock());
    const struct show_view *v = show_current(w->show);
    if (changed & SHOW_CHANGED_VIEW || ev.type == SHOW_RELOAD)
        drop_variant(w);
    if (changed & SHOW_CHANGED_VIEW)
        w->scene_since_ms = (int64_t)wall_ms();
    w->view_moved |= (changed & (SHOW_CHANGED_VIEW | SHOW_CHANGED_STATE)) != 0;
    if (changed & SHOW_CHANGED_VIEW && w->splice && w->role == SPLICE_LEADER) {
        splice_hold(w, w->scene_since_ms + SPLICE_LEAD_MS); /* announced, then on every part */
        w->status_due = true;
    }
    for (size_t i = 0; changed & SHOW_CHANGED_PICKER && i < w->nscreens; i++)
        screen_invalidate(w->screens[i]); /* the title bar turns into the picker and back */
    bool person = ev.type == SHOW_KEY || ev.type == SHOW_DRILL || ev.type == SHOW_PICK;
    w->cut_moved |= person && changed & SHOW_CHANGED_VIEW;
    for (size_t i = 0; person && !w->applying && changed & SHOW_CHANGED_VIEW && i < w->nscreens;
         i++)
        screen_cut(w->screens[i]); /* answered at once; the rotation fades */
    if (w->tap_at && changed & (SHOW_CHANGED_VIEW | SHOW_CHANGED_PICKER))
        w->touch_at = w->tap_at; /* render_frame measures until it is on screen */
    if (v->alert && !was_alert)
        LOG(WARN, "warning at %s or above: showing %s until it is acknowledged",
            severity_name(w->alert_min), w->slots[v->scene].scene->name);
    else if (changed & SHOW_CHANGED_VIEW)
        LOG(INFO, "scene %s", w->slots[v->scene].scene->name);
    return changed;
}

/* The files changed: the show follows the slots as they are now. */
static void feed_reload(struct wall *w)
{
    struct show_config c;
    show_config_of(w, &c);
    feed(w, (struct show_event){.type = SHOW_RELOAD, .reload = &c});
    show_config_free(&c);
}

/* The scene to draw: the slot's, or when a playlist entry, a drill or a
 * choice gives other parameters, the same file loaded with them (once per
 * view; a failure is logged and the slot's scene shown). */
static const struct scene *shown(struct wall *w)
{
    const struct show_view *v = show_current(w->show);
    const struct slot *sl = &w->slots[v->scene];
    if (show_same_params(sl->scene->params, sl->scene->nparams, v->params, v->nparams))
        return sl->scene;
    if (!w->variant_tried) {
        struct scene_env env = app_scene_env(w->app);
        struct err err;
        env.overrides = v->params, env.noverrides = v->nparams;
        w->variant_tried = true;
        if (!(w->variant = scene_load(sl->path, &env, &err)))
            LOG(ERROR, "%s (shown with its own parameters)", err.msg);
    }
    return w->variant ? w->variant : sl->scene;
}

/* The wall shows r from now on (the old rotation is freed). */
static void rotation_take(struct wall *w, struct rotation *r)
{
    drop_variant(w); /* it may come from a slot freed here */
    slots_free(w->slots, w->nslots);
    w->slots = r->slots, w->nslots = r->nslots, w->nrot = r->nrot;
    w->has_alert = r->has_alert, w->alert_min = r->alert_min;
    w->idle_return_s = r->idle_return_s;
    if (w->show)
        feed_reload(w);
}

/* The poller reads the sources of the rotation's scenes (again, after a
 * playlist edit: it may need others now). */
static bool poll_what_is_shown(struct wall *w, struct err *err)
{
    poller_stop(w->app->poller);
    w->app->poller = NULL;
    struct scene **scenes = xcalloc(w->nslots, sizeof *scenes);
    for (size_t i = 0; i < w->nslots; i++)
        scenes[i] = w->slots[i].scene;
    w->app->wait_s = 1; /* the wall shows what it has at once; data follows */
    bool ok = app_start_db(w->app, scenes, w->nslots, err);
    free(scenes);
    return ok;
}

static void reload(struct wall *w, int64_t now)
{
    struct err rerr;
    w->last_error[0] = '\0'; /* what the files say now */
    if (app_demo_reload_rules(w->app, &rerr) < 0) {
        LOG(ERROR, "%s (the wall keeps the last good rules)", rerr.msg);
        snprintf(w->last_error, sizeof w->last_error, "%s", rerr.msg);
        snprintf(w->overlay, sizeof w->overlay, "预警规则有误，仍用上一版本：%s",
                 strrchr(app_demo_rules_path(w->app), '/') + 1);
        w->overlay_until = now + 30;
    }
    if (w->playlist) {
        struct rotation rot;
        struct err err;
        struct rotation_src src = {w->playlist, w->cfg.params, w->cfg.nparams};
        if (rotation_load(&rot, w->app, w->opts, &src, &err)) {
            bool same = rot.nslots == w->nslots;
            for (size_t i = 0; same && i < rot.nslots; i++)
                same = strcmp(rot.slots[i].path, w->slots[i].path) == 0;
            rotation_take(w, &rot);
            LOG(INFO, "playlist %s: %zu scenes", w->playlist, w->nrot);
            for (size_t i = 0; w->files && i < w->nslots; i++)
                filewatch_add(w->files, w->slots[i].path); /* scenes in new folders too */
            if (!same && w->app->db && !poll_what_is_shown(w, &err))
                LOG(ERROR, "%s", err.msg);
            for (size_t i = 0; i < w->nscreens; i++)
                screen_invalidate(w->screens[i]);
            return;
        }
        /* keep the last good rotation (its scenes are reloaded one by one) */
        LOG(ERROR, "%s (the wall keeps the last good version)", err.msg);
        snprintf(w->last_error, sizeof w->last_error, "%s", err.msg);
        snprintf(w->overlay, sizeof w->overlay, "播放列表有误，仍按上一版本轮播：%s",
                 strrchr(w->playlist, '/') ? strrchr(w->playlist, '/') + 1 : w->playlist);
        w->overlay_until = now + 30;
    }
    for (size_t i = 0; i < w->nslots; i++) {
        struct err err;
        struct scene *s = slot_load_checked(&w->slots[i], w->app, &err);
        if (!s) {
            /* keep the last good scene on the wall; say so, discreetly */
            LOG(ERROR, "%s (the wall keeps the last good version)", err.msg);
            snprintf(w->last_error, sizeof w->last_error, "%s", err.msg);
            snprintf(w->overlay, sizeof w->overlay, "场景文件有误，仍显示上一版本：%s",
                     strrchr(w->slots[i].path, '/') ? strrchr(w->slots[i].path, '/') + 1
                                                     : w->slots[i].path);
            w->overlay_until = now + 30;
            continue;
        }
        scene_destroy(w->slots[i].scene);
        w->slots[i].scene = s;
    }
    struct err derr;
    if (!add_drill_targets(&w->slots, &w->nslots, w->app, &derr)) /* a drill added by the edit */
        LOG(ERROR, "%s", derr.msg);
    for (size_t i = 0; w->files && i < w->nslots; i++)
        filewatch_add(w->files, w->slots[i].path);
    feed_reload(w); /* titles and declared parameters may have changed */
    for (size_t i = 0; i < w->nscreens; i++)
        screen_invalidate(w->screens[i]);
}

/* ---- the configuration from the database (--db --wall-name) ------------ */

/* Whether rotation r shows a source that none of the wall's slots shows:
 * then the poller must be started again for it. */
static bool new_sources(const struct wall *w, const struct rotation *r)
{
    for (size_t i = 0; i < r->nslots; i++) {
        const struct scene *s = r->slots[i].scene;
        for (size_t p = 0; p < s->npanels; p++) {
            bool known = !s->panels[p].has_query;
            for (size_t k = 0; !known && k < w->nslots; k++)
                for (size_t q = 0; !known && q < w->slots[k].scene->npanels; q++)
                    known = w->slots[k].scene->panels[q].has_query &&
                            strcmp(w->slots[k].scene->panels[q].query.source,
                                   s->panels[p].query.source) == 0;
            if (!known)
                return true;
        }
    }
    return false;
}

/* Shows set s if the whole of it is good — the playlist, every scene it
 * names, their drills and the assignment's parameters, loaded as the
 * rotation is — and only then: false + *err, nothing changed, otherwise. */
static bool config_show(struct wall *w, struct cfgset *s, struct err *err)
{
    char *pl = cfgset_playlist_file(s->dir, w->app->scene_dirs[1], s->playlist);
    if (!pl)
        return err_set(err, "set %s: playlist %s: neither pushed (lotuswall config push) nor "
                       "shipped", s->id, s->playlist);
    const char *before = w->app->scene_dirs[0];
    w->app->scene_dirs[0] = s->scenes_dir;
    struct rotation rot;
    struct rotation_src src = {pl, s->params, s->nparams};
    if (!rotation_load(&rot, w->app, w->opts, &src, err)) {
        w->app->scene_dirs[0] = before;
        free(pl);
        return false;
    }
    w->repoll = w->show && new_sources(w, &rot); /* after the status file says what is shown */
    rotation_take(w, &rot);
    cfgset_free(&w->cfg);
    w->cfg = *s;
    *s = (struct cfgset){0};
    free(w->playlist_owned);
    w->playlist = w->playlist_owned = pl;
    w->cfg_error[0] = '\0';
    w->status_due = true;
    LOG(INFO, "configuration set %s: playlist %s, %zu scenes", w->cfg.id, w->cfg.playlist, w->nrot);
    return true;
}

/* A set the follower wrote: shown and kept, or refused (the wall shows
 * what it showed, and says so). */
static void config_take(struct wall *w, int64_t now)
{
    struct cfgset s;
    struct err err;
    if (!cfgset_take(w->fleet, &s, &err))
        return;
    if (w->cfg.dir && strcmp(s.id, w->cfg.id) == 0) { /* the set from disk, confirmed */
        w->cfg_source = "database";
        w->status_due = true;
        cfgset_free(&s);
        return;
    }
    if (config_show(w, &s, &err)) {
        cfgset_commit(w->fleet, &w->cfg);
        w->cfg_source = "database";
        for (size_t i = 0; i < w->nscreens; i++)
            screen_invalidate(w->screens[i]);
        return;
    }
    LOG(ERROR, "%s (the wall keeps the last good configuration)", err.msg);
    snprintf(w->cfg_error, sizeof w->cfg_error, "%s", err.msg);
    snprintf(w->overlay, sizeof w->overlay, "下发的配置有误，仍显示上一版本");
    w->overlay_until = now + 30;
    w->status_due = true;
    cfgset_refuse(w->fleet, &s);
    cfgset_free(&s);
}

static void wake_config(void *arg)
{
    struct wall *w = arg;
    Uint32 type = atomic_load(&w->ev_config);
    if (type)
        push(type);
}

/* --db --wall-name: follow the database's set, and start on it — or, when
 * the database does not answer, on the set shown last; without either, the
 * command line's files. */
static void config_start(struct wall *w)
{
    struct err err;
    w->etc_scenes = w->app->scene_dirs[0];
    w->cfg_source = "files";
    if (!w->app->db || !w->opts->wall_name)
        return;
    if (!(w->fleet = cfgset_follow(app_primary_db(w->app), w->opts->wall_name, wake_config, w,
                                   &err))) {
        LOG(ERROR, "--wall-name: %s; showing the command line's files", err.msg);
        return;
    }
    cfgset_wait_first(w->fleet, (w->app->wait_s > 0 ? w->app->wait_s : 10) * 1000);
    struct cfgset s = {0};
    if (cfgset_take(w->fleet, &s, &err)) {
        if (config_show(w, &s, &err)) {
            cfgset_commit(w->fleet, &w->cfg);
            w->cfg_source = "database";
            return;
        }
        LOG(ERROR, "%s (the database's set is refused)", err.msg);
        snprintf(w->cfg_error, sizeof w->cfg_error, "%s", err.msg);
        cfgset_refuse(w->fleet, &s);
        cfgset_free(&s);
    }
    if (cfgset_connected(w->fleet) && !w->cfg_error[0])
        return; /* no assignment: the command line's files */
    if (cfgset_last_good(w->fleet, &s, &err) && config_show(w, &s, &err)) {
        LOG(WARN, "showing the last good configuration (set %s) until the database answers",
            w->cfg.id);
        w->cfg_source = "disk";
        return;
    }
    cfgset_free(&s);
    LOG(WARN, "no configuration from the database or from disk (%s): showing the command "
        "line's files", err.msg);
}

/* Screenshots go to the state folder's screenshots/ (util/statedir.h), owner
 * only: `lotuswall screenshot` copies from there and nowhere else. */
static void screenshot(struct wall *w, int64_t now)
{
    char when[32], dir[PATH_MAX - 64], path[PATH_MAX];
    struct err err;
    fmt_time(when, sizeof when, now, "%Y%m%d-%H%M%S");
    bool have_dir = statedir_screenshots(dir, sizeof dir, statedir_getenv, NULL, true, &err);
    if (!have_dir)
        LOG(WARN, "no screenshot: %s", err.msg);
    for (size_t i = 0; i < w->nscreens; i++) {
        w->shots[i][0] = '\0';
        if (!have_dir)
            continue;
        if (w->nscreens > 1)
            snprintf(path, sizeof path, "%s/screenshot-%s-%zu.png", dir, when, i + 1);
        else
            snprintf(path, sizeof path, "%s/screenshot-%s.png", dir, when);
        if (screen_screenshot(w->screens[i], path, &err)) {
            LOG(INFO, "screenshot %s", path);
            snprintf(w->shots[i], sizeof w->shots[i], "%s", path);
        } else {
            LOG(WARN, "%s", err.msg);
        }
    }
    w->shot_seq++;
}

/* What the status file and /metrics report, taken once a frame. */
static void take_snapshot(struct wall *w, struct health_snapshot *hs)
{
    memset(hs, 0, sizeof *hs);
    int64_t now = (int64_t)time(NULL); /* data ages in real time, whatever --now says */
    struct screen_stats st = screen_stats(w->screen);
    const struct scene *s = shown(w);
    const struct show_view *v = show_current(w->show);
    snprintf(hs->scene, sizeof hs->scene, "%s", s->name);
    for (size_t i = 0, n = 0; i < v->nparams && n < sizeof hs->params; i++)
        n += (size_t)snprintf(hs->params + n, sizeof hs->params - n, "%s%s=%s", i ? "," : "",
                              v->params[i].name, v->params[i].value);
    for (size_t i = 0, n = 0; i < v->ncrumbs && n < sizeof hs->breadcrumb; i++)
        n += (size_t)snprintf(hs->breadcrumb + n, sizeof hs->breadcrumb - n, "%s%s",
                              i ? " › " : "", v->crumbs[i]);
    hs->frame_ms = st.draw_ms;
    hs->present_ms = st.present_ms;
    hs->frames = st.frames;
    hs->uptime_s = (now_ms() - w->started_ms) / 1000;
    hs->rss_kb = rss_kb();
    for (size_t i = 0; i < s->npanels && hs->nsources < ARRAY_LEN(hs->sources); i++) {
        if (!s->panels[i].has_query)
            continue;
        const char *name = s->panels[i].query.source;
        bool seen = false;
        for (size_t k = 0; k < hs->nsources && !seen; k++)
            seen = strcmp(hs->sources[k].name, name) == 0;
        if (seen)
            continue;
        struct health_source *src = &hs->sources[hs->nsources++];
        struct table *t = store_get(w->app->store, name);
        snprintf(src->name, sizeof src->name, "%s", name);
        src->age_s = t && t->fetched_at > 0 ? (double)(now - t->fetched_at) : -1; /* -1: unknown */
        src->version = t ? t->version : 0;
        src->offline = store_is_offline(w->app->store, name);
        table_unref(t);
    }
}

static void hex64(char *out, size_t len, uint64_t v)
{
    snprintf(out, len, "%016" PRIx64, v);
}

/* The status file's word on a splice wall's part. */
static json_t *splice_json(struct wall *w)
{
    char data[24];
    hex64(data, sizeof data, w->data_shown);
    return json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:I, s:I}", "part", w->opts->part,
                     "role", w->role == SPLICE_LEADER ? "leader" : "follower", "term",
                     (json_int_t)w->term, "role_since_ms", (json_int_t)w->role_since_ms,
                     "leader", w->said.leader, "data_version", data, "announced_data",
                     w->said.data, "data_at_ms", (json_int_t)w->said.data_at_ms, "scene_drawn_ms",
                     (json_int_t)w->scene_drawn_ms);
}

static void write_status(struct wall *w, const struct health_snapshot *hs)
{
    const char *path = w->opts->status_path;
    if (!path)
        return;
    json_t *sources = json_object();
    for (size_t i = 0; i < hs->nsources; i++)
        json_object_set_new(sources, hs->sources[i].name,
                            json_pack("{s:f, s:I, s:b}", "age_s", hs->sources[i].age_s, "version",
                                      (json_int_t)hs->sources[i].version, "offline",
                                      hs->sources[i].offline));
    json_t *shots = json_array();
    for (size_t i = 0; w->shot_seq && i < w->nscreens; i++)
        json_array_append_new(shots, json_string(w->shots[i]));
    const struct show_view *v = show_current(w->show);
    json_t *params = json_object(), *crumbs = json_array();
    for (size_t i = 0; i < v->nparams; i++)
        json_object_set_new(params, v->params[i].name, json_string(v->params[i].value));
    for (size_t i = 0; i < v->ncrumbs; i++)
        json_array_append_new(crumbs, json_string(v->crumbs[i]));
    json_t *doc = json_pack("{s:i, s:s, s:o, s:o, s:b, s:s?, s:i, s:i, s:b, s:b, s:f, s:I, s:f, "
                            "s:f, s:I, s:o, s:s?, s:s, s:i, s:o}",
                            "pid", (int)getpid(), "scene", hs->scene, "params", params,
                            "breadcrumb", crumbs, "driving", v->driving, "picker", v->picker,
                            "scene_index", (int)v->entry, "scenes", (int)w->nrot, "paused",
                            v->paused, "alert", v->alert, "uptime_s",
                            hs->uptime_s, "frames", (json_int_t)hs->frames, "last_draw_ms",
                            hs->frame_ms, "last_present_ms", hs->present_ms, "rss_kb",
                            (json_int_t)hs->rss_kb, "sources", sources, "selected", w->sel,
                            "last_action", w->last_action, "screenshot_seq", (int)w->shot_seq,
                            "screenshots", shots);
    json_object_set_new(doc, "blank", json_boolean(v->blank));
    if (w->opts->wall_name) /* what the database assigns this wall, and whence it came */
        json_object_set_new(doc, "wall_name", json_string(w->opts->wall_name));
    json_object_set_new(doc, "config", json_pack("{s:s, s:s?, s:s?, s:s?}", "source",
                                                 w->cfg_source ? w->cfg_source : "files", "set",
                                                 w->cfg.dir ? w->cfg.id : NULL, "playlist",
                                                 w->cfg.playlist, "error",
                                                 w->cfg_error[0] ? w->cfg_error : NULL));
    json_object_set_new(doc, "scene_since_ms", json_integer(w->scene_since_ms));
    if (w->splice)
        json_object_set_new(doc, "splice", splice_json(w));
    if (w->touch_ms >= 0) /* the last touch or console command that changed the view, until
                             it was on screen */
        json_object_set_new(doc, "touch_to_screen_ms", json_real(w->touch_ms));
    struct err err; /* by replacement: readers never see half a file, nothing planted is followed */
    bool ok = json_write_file(doc, path, JSON_INDENT(1), 0, &err);
    json_decref(doc);
    if (!ok && !w->status_failing) /* once a streak, not every second */
        LOG(WARN, "cannot write the status file: %s", err.msg);
    else if (ok && w->status_failing)
        LOG(INFO, "%s: status file written again", path);
    w->status_failing = !ok;
}

/* ---- fast forward: endurance and frame cost in minutes, not days ------- */

/* The columns change_data moves: "value" and "yoy_pct" where the source has
 * them (the indicator tables), else every number (the other tables, so
 * that every shipped scene tweens). */
static bool moved_column(const struct table *t, size_t col)
{
    bool named = false;
    for (size_t c = 0; c < t->ncols; c++)
        named |= !strcmp(t->cols[c].name, "value") || !strcmp(t->cols[c].name, "yoy_pct");
    return t->cols[col].type == COL_NUMBER &&
           (!named || !strcmp(t->cols[col].name, "value") || !strcmp(t->cols[col].name, "yoy_pct"));
}

/* New data for the scene's first source: its numbers move by 1 % (the worst
 * case: every panel fed by it rolls its numbers). */
static void change_data(struct wall *w, uint64_t frame)
{
    const struct scene *s = shown(w);
    for (size_t i = 0; i < s->npanels; i++) {
        if (!s->panels[i].has_query)
            continue;
        struct table *t = store_get(w->app->store, s->panels[i].query.source);
        if (!t)
            continue;
        struct table *c = table_clone(t);
        table_unref(t);
        double k = frame % 20 < 10 ? 1.01 : 1 / 1.01;
        for (size_t col = 0; col < c->ncols; col++) {
            if (!moved_column(c, col))
                continue;
            for (size_t row = 0; row < c->nrows; row++)
                if (!table_is_null(c, row, col) && isfinite(c->cols[col].num[row]))
                    c->cols[col].num[row] *= k;
        }
        c->version++;
        store_put(w->app->store, c);
        return;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Renders `frames` frames as fast as it can: the clock advances one second
 * a frame (so every clock-driven panel redraws every frame), the data
 * changes every 10 frames, and with several scenes the next one fades in
 * every 600 frames (ten minutes of the injected clock). Prints frame costs
 * and RSS at frame 10,000 and at the end. */
static void fast_forward(struct wall *w, uint64_t frames)
{
    /* The cost log is written before RSS is first read: calloc'd pages are
     * only resident once touched, so filling it lazily would add 8 bytes of
     * RSS per frame (1.5 MB over 190,000 frames) that are the benchmark's own. */
    double *cost = xmalloc((frames + 1) * sizeof *cost);
    for (uint64_t f = 0; f <= frames; f++)
        cost[f] = -1; /* not zero: a zero fill may be folded back into calloc */
    long rss_10k = 0, rss_start = rss_kb();
    int64_t now = w->started;
    double t0 = now_ms();
    for (uint64_t f = 0; f < frames; f++, now++) {
        if (f % 600 == 599 && w->nrot > 1)
            feed(w, (struct show_event){.type = SHOW_KEY, .key = {SHOW_KEY_NEXT, 0}});
        if (f % 10 == 0)
            change_data(w, f);
        w->r.now = now;
        screen_render(w->screen, shown(w), w->app->store, &w->r, NULL);
        render_text_frame(&w->r, 600);
        struct screen_stats st = screen_stats(w->screen);
        cost[f] = st.draw_ms + st.present_ms;
        if (f + 1 == 10000)
            rss_10k = rss_kb();
        SDL_Event ev;
        while (SDL_PollEvent(&ev))
            ;
    }
    double total = now_ms() - t0;
    qsort(cost, frames, sizeof *cost, cmp_double);
    double sum = 0;
    for (uint64_t f = 0; f < frames; f++)
        sum += cost[f];
    int ww, wh;
    screen_size(w->screen, &ww, &wh);
    printf("fast-forward %s at %dx%d: %llu frames in %.1f s; frame cost (draw + hand to SDL) "
           "mean %.2f ms, median %.2f ms, p99 %.2f ms, max %.2f ms\n",
           shown(w)->name, ww, wh, (unsigned long long)frames, total / 1000,
           sum / (double)frames, cost[frames / 2], cost[frames * 99 / 100], cost[frames - 1]);
    printf("RSS: %ld kB at start, %ld kB at frame 10,000, %ld kB at frame %llu\n", rss_start,
           rss_10k, rss_kb(), (unsigned long long)frames);
    struct screen_stats st = screen_stats(w->screen);
    printf("tween frames in between: %llu drawn, %llu waited a frame for the %s budget (%.1f %%)\n",
           st.between_drawn, st.between_waited, "frame",
           100.0 * (double)st.between_waited /
               (double)(st.between_drawn + st.between_waited + (st.between_drawn + st.between_waited == 0)));
    free(cost);
    /* let the last tween finish, then hold the picture built up by partial
     * redraws against one drawn from scratch */
    for (int i = 0; i < 100 && screen_render(w->screen, shown(w), w->app->store, &w->r, NULL); i++)
        SDL_Delay(20);
    size_t off = screen_count_stale_pixels(w->screen, shown(w), w->app->store, &w->r);
    printf("check: %zu of %lld pixels differ from a full redraw (%.3f %%)\n", off,
           (long long)ww * wh, 100.0 * (double)off / ((double)ww * wh));
}

/* ---- operating hours and burn-in protection ---------------------------- */

/* True inside the operating hours "HH:MM-HH:MM" (local time; may wrap
 * midnight), or always when none are set. */
static bool within_hours(const char *hours, int64_t now)
{
    int h0, m0, h1, m1;
    if (!hours || sscanf(hours, "%d:%d-%d:%d", &h0, &m0, &h1, &m1) != 4)
        return true;
    char hm[8];
    fmt_time(hm, sizeof hm, now, "%H %M");
    int h, m;
    if (sscanf(hm, "%d %d", &h, &m) != 2)
        return true;
    int t = h * 60 + m, a = h0 * 60 + m0, b = h1 * 60 + m1;
    return a <= b ? (t >= a && t < b) : (t >= a || t < b);
}

/* A slow walk over a 3×3 grid of offsets, one step every 10 minutes. */
static void pixel_shift(int amplitude, int64_t now, int *dx, int *dy)
{
    static const signed char path[9][2] = {{0, 0},  {1, 0},   {1, 1},  {0, 1}, {-1, 1},
                                           {-1, 0}, {-1, -1}, {0, -1}, {1, -1}};
    int i = (int)((now / 600) % 9);
    *dx = path[i][0] * amplitude;
    *dy = path[i][1] * amplitude;
}

/* ---- alert takeover --------------------------------------------------- */

static bool acked(const struct wall *w, const char *id)
{
    for (size_t i = 0; i < w->nacked; i++)
        if (strcmp(w->acked[i], id) == 0)
            return true;
    return false;
}

/* Calls fn for every open, unhandled warning at or above the playlist's
 * severity that nobody has acknowledged; returns how many there are. */
static size_t open_alerts(struct wall *w, void (*fn)(struct wall *, const char *, void *),
                          void *arg)
{
    struct table *t = store_get(w->app->store, "warnings");
    if (!t)
        return 0;
    int cid = table_col(t, "id"), csev = table_col(t, "severity");
    struct warn_reader rd;
    bool readable = warn_reader_init(&rd, t) && cid >= 0 && csev >= 0;
    size_t n = 0;
    for (size_t r = 0; readable && r < t->nrows; r++) {
        const char *id = table_text(t, r, (size_t)cid), *sev = table_text(t, r, (size_t)csev);
        enum warn_state st;
        enum warn_handling hd;
        enum severity s;
        if (!id || !sev || !warn_row_status(&rd, r, &st, &hd) || !warn_state_is_open(st) ||
            hd != WH_NONE || !severity_parse(sev, &s) || s < w->alert_min || acked(w, id))
            continue;
        n++;
        if (fn)
            fn(w, id, arg);
    }
    table_unref(t);
    return n;
}

static void ack_one(struct wall *w, const char *id, void *arg)
{
    (void)arg;
    VEC_PUSH(w->acked, w->nacked, w->acked_cap, xstrdup(id));
}

/* A firing warning brings the alert scene forward and holds it until every
 * such warning is acknowledged or resolved; then the wall goes back to
 * where it was (scene/show.c). */
static void check_alert(struct wall *w)
{
    if (w->has_alert)
        feed(w, (struct show_event){.type = SHOW_ALERTS, .alerts = open_alerts(w, NULL, NULL)});
}

/* ---- operator keys: select a warning, acknowledge, handle, urge -------- */

/* Open warnings an operator can act on: firing or recovering, not yet
 * resolved. Calls fn(w, row, t) for each; returns how many. */
static size_t actionable(struct wall *w, void (*fn)(struct wall *, struct table *, size_t, void *),
                         void *arg)
{
    struct table *t = store_get(w->app->store, "warnings");
    if (!t)
        return 0;
    int cid = table_col(t, "id");
    struct warn_reader rd;
    bool readable = warn_reader_init(&rd, t) && cid >= 0;
    size_t n = 0;
    for (size_t r = 0; readable && r < t->nrows; r++) {
        enum warn_state st;
        enum warn_handling hd;
        if (!table_text(t, r, (size_t)cid) || !warn_row_status(&rd, r, &st, &hd) ||
            !warn_state_is_open(st) || hd == WH_RESOLVED)
            continue;
        if (fn)
            fn(w, t, r, arg);
        n++;
    }
    table_unref(t);
    return n;
}

struct choices {
    char **ids, **texts;
    size_t n;
};

static void add_choice(struct wall *w, struct table *t, size_t r, void *arg)
{
    (void)w;
    struct choices *c = arg;
    int cn = table_col(t, "name"), ci = table_col(t, "instance"), cs = table_col(t, "severity");
    const char *id = table_text(t, r, (size_t)table_col(t, "id"));
    const char *name = cn >= 0 ? table_text(t, r, (size_t)cn) : NULL;
    const char *inst = ci >= 0 ? table_text(t, r, (size_t)ci) : NULL;
    const char *sev = cs >= 0 ? table_text(t, r, (size_t)cs) : NULL;
    c->ids = xrealloc(c->ids, (c->n + 1) * sizeof *c->ids);
    c->texts = xrealloc(c->texts, (c->n + 1) * sizeof *c->texts);
    c->ids[c->n] = xstrdup(id);
    c->texts[c->n++] = xasprintf("%s%s%s%s%s", sev ? sev : "", sev ? " · " : "", name ? name : id,
                                 inst && *inst ? " · " : "", inst && *inst ? inst : "");
}

/* Up/Down: the next or previous actionable warning, named in the overlay. */
static void select_warning(struct wall *w, int dir, int64_t now)
{
    struct choices c = {0};
    actionable(w, add_choice, &c);
    size_t cur = c.n;
    for (size_t i = 0; w->sel && i < c.n; i++)
        if (strcmp(c.ids[i], w->sel) == 0)
            cur = i;
    free(w->sel);
    w->sel = NULL;
    if (c.n == 0) {
        snprintf(w->overlay, sizeof w->overlay, "没有待处理的预警");
    } else {
        size_t next = cur == c.n ? (dir > 0 ? 0 : c.n - 1) : (cur + c.n + (size_t)(long)dir) % c.n;
        w->sel = xstrdup(c.ids[next]);
        snprintf(w->overlay, sizeof w->overlay, "预警 %zu/%zu：%s　a 确认 · h 处理中 · u 一键催办",
                 next + 1, c.n, c.texts[next]);
        LOG(INFO, "selected warning %s", w->sel);
    }
    w->overlay_until = now + (c.n ? 30 : 5);
    for (size_t i = 0; i < w->nscreens; i++)
        screen_invalidate(w->screens[i]); /* the selection is outlined where its row shows */
    for (size_t i = 0; i < c.n; i++)
        free(c.ids[i]), free(c.texts[i]);
    free(c.ids);
    free(c.texts);
}

/* An action for the database: a thread connects, queues it for the leading
 * engine and waits for the answer, so the render loop never waits on the
 * network; the answer comes back as an SDL event. */
struct action_job {
    struct wall *w;
    char *action;
    char **ids;
    size_t n;
    pthread_t thread;
    atomic_bool cancel;  /* set by the render thread at exit, read by the job's */
    char result[256];
};

/* Applies the job's action to each of its warnings — through PostgreSQL
 * when conn is set, else on the demo's engine — logging each answer; the
 * job's result is the only answer, the first failure, or a count. */
static void apply_each(struct action_job *j, PGconn *conn)
{
    const char *who = j->w->opts->operator_name;
    size_t good = 0;
    for (size_t i = 0; i < j->n && !atomic_load(&j->cancel); i++) {
        char one[256];
        bool ok = conn ? action_submit_db(conn, j->ids[i], j->action, who, "大屏操作", 10000,
                                          &j->cancel, one, sizeof one)
                       : app_demo_action(j->w->app, j->ids[i], j->action, who, "大屏操作", one,
                                         sizeof one);
        log_at(ok ? LOG_INFO : LOG_ERROR, __FILE__, __LINE__, "%s %s: %s", j->action, j->ids[i],
               one);
        if ((!ok && good == i) || j->n == 1)
            snprintf(j->result, sizeof j->result, "%s", one);
        good += ok;
    }
    if (j->n > 1 && good == j->n)
        snprintf(j->result, sizeof j->result, "ok: %zu 条预警均已受理（%s）", good, who);
}

static void *action_main(void *arg)
{
    struct action_job *j = arg;
    struct err err;
    PGconn *conn = pg_connect(app_primary_db(j->w->app), "lotuswall-wall", &err);
    if (!conn) {
        snprintf(j->result, sizeof j->result, "error: %s", err.msg);
    } else if (!action_known_operator(j->w->app, conn, j->w->opts->operator_name, &err)) {
        snprintf(j->result, sizeof j->result, "error: --operator %s", err.msg);
    } else {
        apply_each(j, conn);
    }
    PQfinish(conn);
    push(j->w->ev_action);
    return NULL;
}

static void action_job_free(struct action_job *j)
{
    for (size_t i = 0; i < j->n; i++)
        free(j->ids[i]);
    free(j->ids);
    free(j->action);
    free(j);
}

static void show_result(struct wall *w, const struct action_job *j, int64_t now)
{
    snprintf(w->last_action, sizeof w->last_action, "%s %s", j->action, j->result);
    bool ok = strncmp(j->result, "ok: ", 4) == 0, bad = strncmp(j->result, "error: ", 7) == 0;
    snprintf(w->overlay, sizeof w->overlay, "%s%s", ok ? "✓ " : "✗ ",
             j->result + (ok ? 4 : bad ? 7 : 0));
    w->overlay_until = now + 10;
}

/* The thread's answer is in: show it. */
static void action_done(struct wall *w, int64_t now)
{
    struct action_job *j = w->job;
    if (!j)
        return;
    pthread_join(j->thread, NULL);
    w->job = NULL;
    show_result(w, j, now);
    action_job_free(j);
}

static void collect_alert(struct wall *w, const char *id, void *arg)
{
    (void)w;
    struct action_job *j = arg;
    j->ids = xrealloc(j->ids, (j->n + 1) * sizeof *j->ids);
    j->ids[j->n++] = xstrdup(id);
}

/* a, h, u: the selected warning, or every warning holding the wall. */
static void operator_action(struct wall *w, const char *action, int64_t now)
{
    const char *who = w->opts->operator_name;
    if (w->job) {
        snprintf(w->overlay, sizeof w->overlay, "上一操作仍在等待预警引擎答复");
        w->overlay_until = now + 5;
        return;
    }
    struct action_job *j = xcalloc(1, sizeof *j);
    j->w = w;
    j->action = xstrdup(action);
    if (w->sel)
        collect_alert(w, w->sel, j);
    else
        open_alerts(w, collect_alert, j);
    if (!strcmp(action, "ack"))
        for (size_t i = 0; i < j->n; i++)
            if (!acked(w, j->ids[i]))
                ack_one(w, j->ids[i], NULL); /* the takeover ends on this wall at once */
    if (j->n == 0 || !who) {
        snprintf(w->overlay, sizeof w->overlay, "%s",
                 j->n == 0 ? "没有选中的预警：↑↓ 选择"
                 : !strcmp(action, "ack") ? "已在本屏确认（未设置 --operator，未记入预警处理）"
                                          : "需要操作员：lotuswall run --operator 姓名");
        w->overlay_until = now + 10;
        LOG(INFO, "%s: %zu warning(s), %s", action, j->n, who ? "none selected" : "no --operator");
        action_job_free(j);
        return;
    }
    if (!w->app->db) { /* the demo's engine is in memory: at once */
        apply_each(j, NULL);
        show_result(w, j, now);
        action_job_free(j);
        return;
    }
    snprintf(w->overlay, sizeof w->overlay, "%s：已提交，等待预警引擎答复…",
             !strcmp(action, "urge") ? "一键催办" : !strcmp(action, "ack") ? "确认" : "处理中");
    w->overlay_until = now + 10;
    w->job = j;
    if (pthread_create(&j->thread, NULL, action_main, j) != 0) {
        w->job = NULL;
        LOG(ERROR, "%s: cannot start a thread", action);
        action_job_free(j);
    }
}


static void key_event(struct wall *w, enum show_key key);

/* ---- the console's calls (app/api.h), run on the render thread ----------- */

#define BRIDGE_WAIT_MS 3000 /* a render thread this late answers 503 */

/* The API's connection thread: hands the call over and waits for it. */
static void api_exec(void *cls, struct api_call *c)
{
    struct wall *w = cls;
    pthread_mutex_lock(&w->bridge.one);
    pthread_mutex_lock(&w->bridge.lock);
    c->status = 0;
    if (!w->bridge.closing) {
        w->bridge.call = c;
        push(w->bridge.ev);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += BRIDGE_WAIT_MS / 1000;
        while (c->status == 0 && !w->bridge.closing &&
               pthread_cond_timedwait(&w->bridge.cond, &w->bridge.lock, &until) == 0) {
        }
        w->bridge.call = NULL;
    }
    if (c->status == 0) {
        c->status = 503;
        snprintf(c->error, sizeof c->error, "wall_busy");
        snprintf(c->message, sizeof c->message, "the wall did not answer within %d ms",
                 BRIDGE_WAIT_MS);
    }
    pthread_mutex_unlock(&w->bridge.lock);
    pthread_mutex_unlock(&w->bridge.one);
}

static void call_fail(struct api_call *c, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void call_fail(struct api_call *c, unsigned status, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->message, sizeof c->message, fmt, ap);
    va_end(ap);
    snprintf(c->error, sizeof c->error, "%s", code);
    c->status = status;
}

static json_t *params_json(const struct scene_param *p, size_t n)
{
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++)
        json_object_set_new(o, p[i].name, json_string(p[i].value));
    return o;
}

static json_t *title_json(const struct wall *w, const struct scene *s)
{
    char *title = scene_title(w, s, NULL, 0);
    json_t *j = json_string(title);
    free(title);
    return j;
}

static json_t *state_json(struct wall *w)
{
    const struct show_view *v = show_current(w->show);
    const struct scene *s = shown(w);
    struct health_snapshot hs;
    take_snapshot(w, &hs);
    json_t *crumbs = json_array(), *outputs = json_array();
    for (size_t i = 0; i < v->ncrumbs; i++)
        json_array_append_new(crumbs, json_string(v->crumbs[i]));
    for (size_t i = 0; w->opts->wall && i < w->opts->wall->noutputs; i++)
        json_array_append_new(outputs, json_string(w->opts->wall->outputs[i].name));
    double age = -1;
    for (size_t i = 0; i < hs.nsources; i++)
        age = hs.sources[i].age_s > age ? hs.sources[i].age_s : age;
    return json_pack("{s:s, s:o, s:o, s:o, s:{s:i, s:i}, s:b, s:b, s:b, s:b, s:i, s:o, s:f, "
                     "s:o, s:s, s:I}",
                     "scene", s->name, "title", title_json(w, s), "params",
                     params_json(v->params, v->nparams), "breadcrumb", crumbs, "rotation",
                     "entry", (int)v->entry, "entries", (int)w->nrot, "paused", v->paused,
                     "blank", v->blank, "alert", v->alert, "driving", v->driving,
                     "open_alerts", (int)open_alerts(w, NULL, NULL), "picker",
                     v->picker ? json_string(v->picker) : json_null(), "data_age_s", age,
                     "outputs", outputs, "last_action", w->last_action, "frames",
                     (json_int_t)hs.frames);
}

/* The state with what the fleet's heartbeat adds (app/fleet.h): the frame's
 * cost, memory, the newest data version, whether any panel shows stale or
 * offline data (its badge's rule), the last error, the scene's start. */
static json_t *beat_json(struct wall *w)
{
    json_t *st = state_json(w);
    struct health_snapshot hs;
    take_snapshot(w, &hs);
    const struct scene *s = shown(w);
    int64_t now = (int64_t)time(NULL);
    bool stale = false;
    for (size_t i = 0; i < s->npanels && !stale; i++) {
        if (!s->panels[i].has_query)
            continue;
        struct table *t = store_get(w->app->store, s->panels[i].query.source);
        stale = compose_panel_state(&s->panels[i].query, t, w->app->store, now) != COMPOSE_FRESH;
        table_unref(t);
    }
    uint64_t version = 0;
    for (size_t i = 0; i < hs.nsources; i++)
        version = hs.sources[i].version > version ? hs.sources[i].version : version;
    json_object_set_new(st, "frame_ms", json_real(hs.frame_ms));
    json_object_set_new(st, "rss_kb", json_integer(hs.rss_kb));
    json_object_set_new(st, "data_version", json_integer((json_int_t)version));
    json_object_set_new(st, "data_stale", json_boolean(stale));
    json_object_set_new(st, "last_error", json_string(w->last_error));
    json_object_set_new(st, "scene_since_ms", json_integer(w->scene_since_ms));
    return st;
}

/* The choices of a parameter the first scene declaring it offers. */
static json_t *choices_json(struct wall *w, const char *param)
{
    json_t *a = json_array();
    for (size_t i = 0; i < w->nslots; i++) {
        const struct scene *s = w->slots[i].scene;
        bool declares = false;
        for (size_t k = 0; k < s->nparams && !declares; k++)
            declares = strcmp(s->params[k].name, param) == 0;
        if (!declares)
            continue;
        struct compose_choices c = {0};
        compose_choices(&c, s, w->app->store, param);
        for (size_t k = 0; k < c.n; k++)
            json_array_append_new(a, json_pack("{s:s, s:s}", "value", c.values[k], "label",
                                               c.labels[k]));
        compose_choices_free(&c);
        break;
    }
    return a;
}

/* The slot of a scene name, or -1. */
static long slot_named(const struct wall *w, const char *name)
{
    for (size_t i = 0; i < w->nslots; i++)
        if (strcmp(w->slots[i].scene->name, name) == 0)
            return (long)i;
    return -1;
}

static json_t *scenes_json(struct wall *w)
{
    json_t *list = json_array();
    for (size_t i = 0; i < w->nslots; i++) {
        const struct scene *s = w->slots[i].scene;
        if (slot_named(w, s->name) != (long)i)
            continue; /* the rotation's scene again as the alert scene */
        json_t *params = json_array();
        for (size_t k = 0; k < s->nparams; k++)
            json_array_append_new(params, json_pack("{s:s, s:s}", "name", s->params[k].name,
                                                    "default", s->params[k].value));
        json_array_append_new(list, json_pack("{s:s, s:o, s:o, s:b}", "name", s->name, "title",
                                              title_json(w, s), "params", params,
                                              "rotation", i < w->nrot));
    }
    return json_pack("{s:o, s:o, s:o}", "scenes", list, "regions", choices_json(w, "city"),
                     "periods", choices_json(w, "period"));
}

static bool declares_all(struct api_call *c, const struct scene *s)
{
    for (size_t i = 0; i < c->nparams; i++) {
        bool found = false;
        for (size_t k = 0; k < s->nparams && !found; k++)
            found = strcmp(s->params[k].name, c->params[i].name) == 0;
        if (!found) {
            call_fail(c, 422, "unknown_param", "%s: the scene %s has no parameter %s",
                      c->params[i].name, s->name, c->params[i].name);
            return false;
        }
    }
    return true;
}

/* A scene, with parameters: a rotation's scene alone is a jump to it; with
 * parameters, or a scene outside the rotation, a drill (back returns). No
 * scene: the parameters chosen on the scene shown, as the pickers do. */
static void api_show(struct wall *w, struct api_call *c)
{
    long slot = c->scene ? slot_named(w, c->scene) : (long)show_current(w->show)->scene;
    if (slot < 0) {
        char *known = NULL;
        for (size_t i = 0; i < w->nslots; i++)
            str_list_add(&known, ", ", w->slots[i].scene->name);
        call_fail(c, 422, "unknown_scene", "%s: not a scene of this wall (scenes: %s)", c->scene,
                  known ? known : "");
        free(known);
        return;
    }
    if (!declares_all(c, w->slots[slot].scene))
        return;
    w->tap_at = SDL_GetTicks(); /* measured until it is on screen, as a touch */
    if (c->scene && c->nparams == 0 && (size_t)slot < w->nrot) {
        feed(w, (struct show_event){.type = SHOW_KEY, .key = {SHOW_KEY_JUMP, (size_t)slot}});
    } else if (c->scene) { /* the breadcrumb: the region when it stays, else the scene */
        const struct scene *now = w->slots[show_current(w->show)->scene].scene;
        char *label = slot == (long)show_current(w->show)->scene || now == w->slots[slot].scene
                          ? region_name(w, c->params, c->nparams)
                          : scene_title(w, w->slots[slot].scene, c->params, c->nparams);
        feed(w, (struct show_event){.type = SHOW_DRILL,
                                    .drill = {c->scene, c->params, c->nparams, label}});
        free(label);
    } else {
        for (size_t i = 0; i < c->nparams; i++) {
            char *label = region_name(w, &c->params[i], 1);
            feed(w, (struct show_event){.type = SHOW_PICK_OPEN,
                                        .pick_open = {c->params[i].name}});
            feed(w, (struct show_event){.type = SHOW_PICK,
                                        .pick = {c->params[i].name, c->params[i].value, label}});
            free(label);
        }
    }
    w->tap_at = 0;
    c->status = 200;
}


/* The picture on screen, `width` pixels wide: the whole canvas, or one
 * output of the wall file by name. */
static void api_screen(struct wall *w, struct api_call *c)
{
    long only = -1;
    for (size_t i = 0; c->output && w->opts->wall && i < w->opts->wall->noutputs; i++)
        if (strcmp(w->opts->wall->outputs[i].name, c->output) == 0 && i < w->nscreens)
            only = (long)i;
    if (c->output && only < 0) {
        call_fail(c, 404, "unknown_output", "%s: not an output of this wall's file", c->output);
        return;
    }
    int cw, ch;
    if (only >= 0)
        screen_size(w->screens[only], &cw, &ch);
    else
        screen_canvas(w->screen, &cw, &ch);
    double scale = (double)c->width / cw;
    int height = (int)lround(ch * scale);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, c->width,
                                                      height > 0 ? height : 1);
    cairo_t *cr = cairo_create(img);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_paint(cr);
    for (size_t i = 0; i < w->nscreens; i++)
        if (only < 0 || (size_t)only == i)
            screen_paint_scaled(w->screens[i], cr, scale, only < 0);
    cairo_destroy(cr);
    c->image = img;
    c->status = 200;
}

static void api_run(struct wall *w, struct api_call *c)
{
    const struct show_view *v = show_current(w->show);
    c->status = 200;
    switch (c->op) {
    case API_STATE:
        c->answer = state_json(w);
        break;
    case API_SCENES:
        c->answer = scenes_json(w);
        break;
    case API_SHOW:
        api_show(w, c);
        break;
    case API_KEY:
        w->tap_at = SDL_GetTicks();
        key_event(w, c->key);
        w->tap_at = 0;
        break;
    case API_PAUSE:
        if (v->paused != c->on)
            key_event(w, SHOW_KEY_PAUSE);
        break;
    case API_BLANK:
        if (v->blank != c->on)
            key_event(w, SHOW_KEY_BLANK);
        break;
    case API_SCREEN:
        api_screen(w, c);
        break;
    case API_BEAT:
        c->answer = beat_json(w);
        break;
    case API_RELOAD:
        reload(w, (int64_t)time(NULL) + w->opts->now_offset);
        break;
    case API_RESTART:
        push(SDL_QUIT); /* the loop ends; the service starts the wall again */
        break;
    }
    if (c->status == 200 && !c->answer && c->op != API_SCREEN)
        c->answer = state_json(w); /* a steer answers with the state it led to */
}

/* The render thread's side: the waiting call, if it is still waiting. */
static void api_serve(struct wall *w)
{
    pthread_mutex_lock(&w->bridge.lock);
    if (w->bridge.call) {
        api_run(w, w->bridge.call);
        pthread_cond_broadcast(&w->bridge.cond);
    }
    pthread_mutex_unlock(&w->bridge.lock);
}

/* ---- displays plugged, unplugged, switched off, given a new mode ------- */

static void replace_outputs(struct wall *w)
{
    for (size_t i = 0; i < w->nscreens; i++) {
        int rect[4];
        if (!w->displays)
            screen_replace(w->screens[i], NULL);
        else if (display_watch_rect(w->displays, screen_display(w->screens[i]), rect))
            screen_replace(w->screens[i], rect);
        else
            LOG(WARN, "display %d is off or gone; its output waits for it",
                screen_display(w->screens[i]));
    }
}

/* The keys that steer what is shown; SHOW_KEY_OTHER for the rest. */
static enum show_key show_key_of(SDL_Keycode k, size_t *entry)
{
    switch (k) {
    case SDLK_RIGHT: case SDLK_PAGEDOWN: case SDLK_n:
        return SHOW_KEY_NEXT;
    case SDLK_LEFT: case SDLK_PAGEUP: case SDLK_p: case SDLK_b:
        return SHOW_KEY_PREV;
    case SDLK_SPACE:
        return SHOW_KEY_PAUSE;
    case SDLK_PERIOD: /* a presenter's clicker's blank-screen button */
        return SHOW_KEY_BLANK;
    case SDLK_ESCAPE: case SDLK_BACKSPACE: case SDLK_AC_BACK:
        return SHOW_KEY_BACK;
    case SDLK_HOME: case SDLK_AC_HOME:
        return SHOW_KEY_HOME;
    default:
        *entry = (size_t)(k - SDLK_1);
        return k >= SDLK_1 && k <= SDLK_9 ? SHOW_KEY_JUMP : SHOW_KEY_OTHER;
    }
}

/* A key: what is shown moves (every key tells the show someone is there),
 * then the operator's keys act. False for q: the wall ends. */
static bool handle_key(struct wall *w, SDL_Keycode k, int64_t now)
{
    size_t entry = 0;
    enum show_key sk = show_key_of(k, &entry);
    if (feed(w, (struct show_event){.type = SHOW_KEY, .key = {sk, entry}}) & SHOW_CHANGED_STATE &&
        sk == SHOW_KEY_PAUSE)
        LOG(INFO, "rotation %s", show_current(w->show)->paused ? "paused" : "resumed");
    switch (k) {
    case SDLK_DOWN: case SDLK_TAB:
        select_warning(w, 1, now);
        break;
    case SDLK_UP:
        select_warning(w, -1, now);
        break;
    case SDLK_a: /* 确认: the selection, or what holds the wall */
        operator_action(w, "ack", now);
        check_alert(w);
        break;
    case SDLK_h: /* 处理中: "we are handling it" */
        operator_action(w, "handle", now);
        break;
    case SDLK_u: /* 一键催办 */
        operator_action(w, "urge", now);
        break;
    case SDLK_r:
        reload(w, now);
        break;
    case SDLK_s:
        screenshot(w, now);
        break;
    case SDLK_q:
        return false;
    default:
        break;
    }
    return true;
}

/* ---- touch and mouse ----------------------------------------------------- */

#define TAP_SLOP 0.03     /* a finger that moved further (of the window) dragged: no tap */
#define CURSOR_MS 3000.0  /* the mouse cursor hides after this long without movement */

/* The breadcrumb and the open picker the title bar draws and touches
 * (render.h: crumbs, picker). */
static void set_crumbs(struct wall *w)
{
    const struct show_view *v = show_current(w->show);
    w->r.crumbs = v->crumbs;
    w->r.ncrumbs = v->driving || v->ncrumbs > 1 ? v->ncrumbs : 0;
    w->r.picker = NULL;
    if (!v->picker)
        return;
    if (!w->pick.param || strcmp(w->pick.param, v->picker) != 0)
        compose_choices(&w->pick, w->slots[v->scene].scene, w->app->store, v->picker);
    const char *cur = "";
    for (size_t i = 0; i < v->nparams; i++)
        if (strcmp(v->params[i].name, v->picker) == 0)
            cur = v->params[i].value;
    compose_choices_show(&w->pick, cur, &w->r);
}

/* Whether the drill would show what is shown already (a touch on the
 * county whose view this is). */
static bool shows_already(const struct wall *w, const char *scene,
                          const struct scene_param *params, size_t n)
{
    const struct show_view *v = show_current(w->show);
    if (strcmp(w->slots[v->scene].scene->name, scene) != 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        bool same = false;
        for (size_t k = 0; k < v->nparams && !same; k++)
            same = strcmp(v->params[k].name, params[i].name) == 0 &&
                   strcmp(v->params[k].value, params[i].value) == 0;
        if (!same)
            return false;
    }
    return true;
}

static void key_event(struct wall *w, enum show_key key)
{
    feed(w, (struct show_event){.type = SHOW_KEY, .key = {key, 0}});
}

/* A touch on the title bar (widget.h: TITLE_*): back, home, a crumb (back
 * until it), the title or the period (their pickers), a choice. */
static void tap_title(struct wall *w, long mark)
{
    size_t depth = show_current(w->show)->ncrumbs;
    if (mark == TITLE_BACK) {
        key_event(w, SHOW_KEY_BACK);
    } else if (mark == TITLE_HOME) {
        key_event(w, SHOW_KEY_HOME);
    } else if (mark == TITLE_REGION || mark == TITLE_PERIOD) {
        feed(w, (struct show_event){.type = SHOW_PICK_OPEN,
                                    .pick_open = {mark == TITLE_REGION ? "city" : "period"}});
    } else if (mark >= TITLE_CHOICE0 && w->pick.param && (size_t)(mark - TITLE_CHOICE0) < w->pick.n) {
        size_t k = (size_t)(mark - TITLE_CHOICE0);
        feed(w, (struct show_event){.type = SHOW_PICK, .pick = {w->pick.param, w->pick.values[k],
                                                                 w->pick.labels[k]}});
    } else if (mark == TITLE_NONE) {
        key_event(w, SHOW_KEY_BACK); /* closes the picker */
    } else {
        for (long k = mark - TITLE_CRUMB0; k + 1 < (long)depth; k++)
            key_event(w, SHOW_KEY_BACK);
    }
}

/* A tap (mouse click or touch) at (u, v) of a window: the item under it
 * drills where its panel says, a mark of the title bar goes back or home;
 * anything else only says someone is there. */
static void tap(struct wall *w, unsigned window, double u, double v, Uint32 at)
{
    double x = 0, y = 0;
    int cw = 0, ch = 0;
    bool on = false;
    for (size_t i = 0; i < w->nscreens && !on; i++)
        on = screen_point(w->screens[i], window, u, v, &x, &y, &cw, &ch);
    const struct scene *s = shown(w);
    struct compose_hit hit = {0};
    set_crumbs(w);
    double t0 = now_ms();
    if (!on || !compose_hit(s, w->app->store, &w->r, cw, ch, x, y, &hit)) {
        feed(w, (struct show_event){.type = SHOW_POINT});
        return;
    }
    w->tap_at = at ? at : 1; /* feed notes it when the view changes */
    const struct panel *p = &s->panels[hit.panel];
    struct scene_param *params;
    size_t n;
    char *label;
    if (strcmp(p->widget->name, "title") == 0 && hit.row >= 0) {
        tap_title(w, hit.row);
    } else if (show_current(w->show)->picker) {
        key_event(w, SHOW_KEY_BACK); /* a touch beside an open picker closes it */
    } else if (compose_drill(s, &hit, &params, &n, &label)) {
        if (shows_already(w, p->drill->scene, params, n)) {
            feed(w, (struct show_event){.type = SHOW_POINT});
        } else {
            char *region = region_name(w, params, n); /* 鄢陵 in a table → 鄢陵县 */
            if (region) {
                free(label);
                label = region;
            }
            LOG(INFO, "touch on %s row %ld (%.2f ms): %s %s=%s", p->id, hit.row, now_ms() - t0,
                p->drill->scene, params[0].name, params[0].value);
            feed(w, (struct show_event){.type = SHOW_DRILL,
                                        .drill = {p->drill->scene, params, n, label}});
        }
        compose_drill_free(params, n, label);
    } else {
        feed(w, (struct show_event){.type = SHOW_POINT});
    }
    compose_hit_release(&hit);
    w->tap_at = 0;
}

/* Mouse and touch. SDL makes mouse events of touches too (which ==
 * SDL_TOUCH_MOUSEID): those are left out, so a touch is handled once, as
 * a touch, and a touch screen works without them. */
static void handle_pointer(struct wall *w, const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_MOUSEMOTION:
        if (ev->motion.which == SDL_TOUCH_MOUSEID)
            return;
        if (!w->cursor_until)
            SDL_ShowCursor(SDL_ENABLE);
        w->cursor_until = now_ms() + CURSOR_MS;
        feed(w, (struct show_event){.type = SHOW_POINT});
        return;
    case SDL_MOUSEBUTTONUP:
        if (ev->button.which != SDL_TOUCH_MOUSEID && ev->button.button == SDL_BUTTON_LEFT)
            tap(w, ev->button.windowID, ev->button.x, ev->button.y, ev->button.timestamp);
        return;
    case SDL_FINGERDOWN:
        w->finger.down = true, w->finger.id = ev->tfinger.fingerId;
        w->finger.x = ev->tfinger.x, w->finger.y = ev->tfinger.y;
        feed(w, (struct show_event){.type = SHOW_POINT});
        return;
    case SDL_FINGERUP: {
        int ww, wh;
        bool was = w->finger.down && w->finger.id == ev->tfinger.fingerId;
        w->finger.down = false;
        if (!was || fabsf(ev->tfinger.x - w->finger.x) > TAP_SLOP ||
            fabsf(ev->tfinger.y - w->finger.y) > TAP_SLOP)
            return;
        for (size_t i = 0; i < w->nscreens; i++)
            if (screen_window_size(w->screens[i], ev->tfinger.windowID, &ww, &wh))
                tap(w, ev->tfinger.windowID, ev->tfinger.x * ww, ev->tfinger.y * wh,
                    ev->tfinger.timestamp);
        return;
    }
    default: /* a wheel, a finger moving, a button pressed: someone is there */
        feed(w, (struct show_event){.type = SHOW_POINT});
    }
}

/* The cursor hides CURSOR_MS after the mouse last moved. */
static void hide_cursor_when_due(struct wall *w)
{
    if (w->cursor_until && now_ms() >= w->cursor_until) {
        SDL_ShowCursor(SDL_DISABLE);
        w->cursor_until = 0;
    }
}

/* ---- running ------------------------------------------------------------ */

/* The screen options of one output of a wall file: its display, mode,
 * rotation, position and part of the canvas. */
static void place_output(struct screen_opts *so, const struct wall_file *wall,
                         const struct wall_output *wo)
{
    so->display = wo->display;
    bool sized = so->width > 0 || wo->positioned;
    bool turned = wo->rotation == 90 || wo->rotation == 270; /* the mode is h × w */
    so->width = sized ? (turned ? wo->h : wo->w) : 0;
    so->height = sized ? (turned ? wo->w : wo->h) : 0;
    so->rotation = wo->rotation;
    so->positioned = wo->positioned;
    so->pos_x = wo->pos_x, so->pos_y = wo->pos_y;
    so->canvas_w = wall->canvas_w, so->canvas_h = wall->canvas_h;
    so->canvas_x = wo->x, so->canvas_y = wo->y;
    so->title = wo->name;
}

/* One window, or one per output of a wall file, each showing its part.
 * 0; else the message is printed and 1, or 3 when no display opened at all
 * (the caller exports instead). */
static int open_screens(struct wall *w)
{
    const struct wall_opts *o = w->opts;
    struct err err;
    size_t nout = o->wall ? o->wall->noutputs : 1;
    for (size_t i = 0; i < nout; i++) {
        struct screen_opts so = o->screen;
        if (o->wall)
            place_output(&so, o->wall, &o->wall->outputs[i]);
        if (!(w->screens[w->nscreens] = screen_open(&so, &err))) {
            fprintf(stderr, "lotuswall: %s\n", err.msg);
            return w->nscreens == 0 ? 3 : 1;
        }
        w->nscreens++;
    }
    w->screen = w->screens[0];
    return 0;
}

/* The loop's events, the display watch, and the data that wakes the loop:
 * the poller with --db, or the demo's replay. false (message printed) when
 * the poller cannot start. */
static bool start_sources(struct wall *w)
{
    struct app *app = w->app;
    struct err err;
    w->ev_data = SDL_RegisterEvents(7);
    w->ev_reload = w->ev_data + 1;
    w->ev_action = w->ev_data + 2;
    w->ev_displays = w->ev_data + 3;
    w->bridge.ev = w->ev_data + 4;
    atomic_store(&w->ev_config, w->ev_data + 5);
    w->ev_splice = w->ev_data + 6;
    if (w->fleet) /* a set may have come while there was no event to say so */
        push(w->ev_config);
    if (strcmp(SDL_GetCurrentVideoDriver(), "x11") == 0 &&
        !(w->displays = display_watch_start(wake_on_data, &w->ev_displays)))
        LOG(WARN, "no XRandR: mode changes are not followed");
    if (app->db && w->opts->part && w->opts->wall_name) {
        app->fetch_store = store_new(); /* drawn only at the leader's version: splice_data */
        w->splice = splice_start(&(struct splice_opts){app_primary_db(app), w->opts->wall_name,
                                                       w->opts->part, wake_on_data, &w->ev_splice});
    }
    if (app->db) {
        app->wake = wake_on_data;
        app->wake_arg = &w->ev_data;
        if (!poll_what_is_shown(w, &err)) {
            fprintf(stderr, "lotuswall: %s\n", err.msg);
            return false;
        }
    }
    if (w->opts->demo_replay && !app->db) {
        app->wake = wake_on_data; /* new warnings wake the loop like new data */
        app->wake_arg = &w->ev_data;
        if (!app_demo_replay_start(app))
            LOG(WARN, "--demo-replay: the demo has no warning rules");
    }
    return true;
}

/* ---- one part of a splice wall (app/splice.h) ----------------------------- */


/* What the leader announces of the view: the scene and its parameters, the
 * rotation's entry, whether a person or an alert put it there, blank, and
 * whether it cuts (a person's change) rather than fades. */
static void view_text(struct wall *w, char *out, size_t len)
{
    const struct show_view *v = show_current(w->show);
    json_t *j = json_pack("{s:s, s:o, s:i, s:b, s:b, s:b, s:b}", "scene", shown(w)->name, "params",
                          params_json(v->params, v->nparams), "entry", (int)v->entry, "driving",
                          v->driving, "alert", v->alert, "blank", v->blank, "cut", w->cut_moved);
    char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    snprintf(out, len, "%s", text ? text : "{}");
    free(text);
    json_decref(j);
}

/* The leader: a changed view (already held until its time, see feed), and
 * data its poller fetched that differ from the version announced, shown
 * SPLICE_LEAD_MS from now on every part. A new term announces at once. */
static void splice_lead(struct wall *w)
{
    bool moved = w->said.term != w->term;
    if (w->view_moved || moved) {
        view_text(w, w->said.view, sizeof w->said.view);
        w->said.view_at_ms = w->scene_since_ms;
        w->view_moved = w->cut_moved = false;
        moved = true;
    }
    char data[24];
    uint64_t h = store_content_hash(w->app->fetch_store);
    hex64(data, sizeof data, h);
    if (h && strcmp(data, w->said.data) != 0) {
        snprintf(w->said.data, sizeof w->said.data, "%s", data);
        w->said.data_at_ms = (int64_t)wall_ms() + SPLICE_LEAD_MS;
        moved = true;
    }
    if (moved) {
        w->said.term = w->term;
        snprintf(w->said.leader, sizeof w->said.leader, "%s", w->opts->part);
        splice_announce(w->splice, &w->said);
    }
}

/* Does the wall show the announced view (scene, parameters, blank)? */
static bool shows_view(struct wall *w, const json_t *view)
{
    const struct show_view *v = show_current(w->show);
    json_t *params = params_json(v->params, v->nparams);
    bool same = strcmp(shown(w)->name, json_string_value(json_object_get(view, "scene"))) == 0 &&
                json_equal(params, json_object_get(view, "params")) &&
                v->blank == json_is_true(json_object_get(view, "blank"));
    json_decref(params);
    return same;
}

/* Feeds the show what makes it show the announced view: the rotation's
 * entry, or the scene with its parameters as the console would. */
static void apply_view(struct wall *w, const json_t *view)
{
    const struct show_view *v = show_current(w->show);
    json_t *entry = json_object_get(view, "entry"), *params = json_object_get(view, "params");
    bool plain = !json_is_true(json_object_get(view, "driving")) &&
                 !json_is_true(json_object_get(view, "alert"));
    if (plain && json_integer_value(entry) < (json_int_t)w->nrot) {
        feed(w, (struct show_event){.type = SHOW_KEY,
                                    .key = {SHOW_KEY_JUMP, (size_t)json_integer_value(entry)}});
    } else {
        size_t n = json_object_size(params), i = 0;
        struct scene_param *p = xcalloc(n + 1, sizeof *p);
        const char *key;
        json_t *val;
        json_object_foreach(params, key, val)
            p[i++] = (struct scene_param){(char *)key, (char *)json_string_value(val)};
        struct api_call c = {.op = API_SHOW, .params = p, .nparams = n,
                             .scene = json_string_value(json_object_get(view, "scene"))};
        api_show(w, &c);
        free(p);
    }
    if (v->blank != json_is_true(json_object_get(view, "blank")))
        feed(w, (struct show_event){.type = SHOW_KEY, .key = {SHOW_KEY_BLANK}});
}

/* A follower: the latest announcement's view, at its time. A view changed
 * here (a key on this part) goes back to the announced one. */
static void splice_follow(struct wall *w)
{
    struct splice_state st;
    if (splice_latest(w->splice, &w->splice_seq, &st)) {
        w->said_new = strcmp(st.view, w->said.view) != 0 || st.view_at_ms != w->said.view_at_ms;
        w->said = st;
    }
    json_t *view = w->said.term ? json_loads(w->said.view, 0, NULL) : NULL;
    if (!json_is_string(json_object_get(view, "scene"))) {
        json_decref(view);
        return;
    }
    bool same = shows_view(w, view);
    if (!same && (w->said_new || w->view_moved)) {
        w->applying = true;
        apply_view(w, view);
        w->applying = false;
        if (!shows_view(w, view))
            LOG(WARN, "splice: this part cannot show the leader's view %s", w->said.view);
        for (size_t i = 0; json_is_true(json_object_get(view, "cut")) && i < w->nscreens; i++)
            screen_cut(w->screens[i]);
    }
    if (w->said_new) /* the leader's time, whether or not this part had to change */
        splice_hold(w, w->said.view_at_ms);
    w->status_due |= w->said_new;
    w->said_new = w->view_moved = w->cut_moved = false;
    json_decref(view);
}

/* Data: the first tables go on screen at once (nothing to be out of step
 * with); after that only the announced version, at its time, and only once
 * the poller has exactly that version (docs/operations.md). */
static void splice_data(struct wall *w)
{
    struct store *in = w->app->fetch_store, *out = w->app->store;
    store_copy_offline(out, in);
    char shown_hex[24];
    hex64(shown_hex, sizeof shown_hex, w->data_shown);
    if (w->data_shown == 0) {
        w->data_shown = store_copy(out, in, 0);
        return;
    }
    if (!w->said.data[0] || strcmp(shown_hex, w->said.data) == 0)
        return;
    if (wall_ms() < w->said.data_at_ms) {
        double at = local_ms(w->said.data_at_ms);
        w->splice_wake = w->splice_wake > 0 && w->splice_wake < at ? w->splice_wake : at;
        return;
    }
    uint64_t h = store_copy(out, in, strtoull(w->said.data, NULL, 16));
    if (!h)
        return; /* not fetched yet (the poller's next table wakes the loop), or newer */
    w->data_shown = h;
    w->status_due = true; /* the status says the new version at once */
    for (size_t i = 0; i < w->nscreens; i++)
        screen_data_at(w->screens[i], local_ms(w->said.data_at_ms));
}

/* Each frame: the role, then leading or following, then the data. */
static void splice_step(struct wall *w)
{
    int64_t term, since;
    enum splice_role role = splice_role(w->splice, &term, &since);
    if (role != w->role || term != w->term)
        w->status_due = true;
    w->role = role, w->term = term, w->role_since_ms = since;
    w->splice_wake = 0;
    if (role == SPLICE_LEADER)
        splice_lead(w);
    else
        splice_follow(w);
    splice_data(w);
    if (w->scene_since_ms > (int64_t)wall_ms()) {
        double at = local_ms(w->scene_since_ms);
        w->splice_wake = w->splice_wake > 0 && w->splice_wake < at ? w->splice_wake : at;
    }
    char data[24];
    hex64(data, sizeof data, w->data_shown);
    splice_report(w->splice, shown(w)->name, w->scene_since_ms, data);
}

/* Draws the current scene on every output (black off hours), after the
 * alert takeover, the dwell and the theme had their say. True while numbers
 * are still rolling in (the next frame is due at once). */
static bool render_frame(struct wall *w, int64_t now)
{
    const struct wall_opts *o = w->opts;
    if (!w->splice || w->role == SPLICE_LEADER) { /* a follower does not rotate of its own */
        check_alert(w);
        feed(w, (struct show_event){.type = SHOW_TICK});
    }
    if (w->splice)
        splice_step(w);
    const struct scene *scene = shown(w);
    const struct theme *t = theme_find(o->theme ? o->theme : scene->theme);
    if (t && t != w->r.theme) {
        w->r.theme = t;
        for (size_t i = 0; i < w->nscreens; i++)
            screen_invalidate(w->screens[i]);
    }
    w->r.now = now;
    w->r.red_up = o->red_up;
    w->r.selected = w->sel;
    set_crumbs(w);
    hide_cursor_when_due(w);
    int dx, dy;
    pixel_shift(o->pixel_shift, now - w->started, &dx, &dy);
    bool on = within_hours(o->hours, now) && !show_current(w->show)->blank, tweening = false;
    for (size_t i = 0; i < w->nscreens; i++) {
        screen_set_shift(w->screens[i], dx, dy);
        if (on)
            tweening |= screen_render(w->screens[i], scene, w->app->store, &w->r,
                                      now < w->overlay_until ? w->overlay : NULL);
        else
            screen_blank(w->screens[i]); /* off hours or blanked: black, nothing drawn */
    }
    render_text_frame(&w->r, 600);
    double switched = screen_stats(w->screen).switch_ms;
    if (switched > 0) /* when the last change really began here, for the skew */
        w->scene_drawn_ms = (int64_t)(wall_ms() - (now_ms() - switched));
    if (w->touch_at && on) {
        w->touch_ms = (double)(SDL_GetTicks() - w->touch_at);
        w->touch_at = 0;
        LOG(INFO, "touch → %s on screen: %.0f ms", scene->name, w->touch_ms);
    }
    return tweening;
}

/* systemd: READY after the first frame, then WATCHDOG=1 from the loop at
 * half the watchdog interval, so that a frozen loop gets restarted. */
struct beat {
    bool watchdog, ready_sent;
    uint64_t wd_usec;
    double last_beat;
    double stall_at;      /* tests: freeze the loop once, at this time */
    int64_t last_status;  /* the second the status file was last written */
};

static void beat_init(struct beat *b)
{
    *b = (struct beat){0};
    b->watchdog = sd_watchdog_enabled(0, &b->wd_usec) > 0;
    const char *stall = getenv("LOTUSWALL_TEST_STALL_AFTER");
    b->stall_at = stall ? now_ms() + atof(stall) * 1000 : 0;
}

/* What the loop does after each frame besides drawing: systemd, the status
 * file and /metrics, a screenshot asked for by SIGUSR1. */
static void after_frame(struct wall *w, struct beat *b, int64_t now)
{
    if (!b->ready_sent) {
        sd_notifyf(0, "READY=1\nSTATUS=showing %s", shown(w)->name);
        b->ready_sent = true;
    }
    if (b->watchdog && now_ms() - b->last_beat >= b->wd_usec / 2000.0) {
        sd_notify(0, "WATCHDOG=1");
        b->last_beat = now_ms();
    }
    if (b->stall_at > 0 && now_ms() >= b->stall_at) {
        LOG(WARN, "LOTUSWALL_TEST_STALL_AFTER: the render loop stops for 5 s");
        SDL_Delay(5000);
        b->stall_at = 0;
    }
    if (now != b->last_status || w->health || w->metrics || w->status_due) {
        struct health_snapshot hs;
        take_snapshot(w, &hs);
        health_update(w->health, &hs);
        health_update(w->metrics, &hs);
        if (now != b->last_status || w->status_due)
            write_status(w, &hs);
        b->last_status = now;
        w->status_due = false;
    }
    struct err err;
    if (w->repoll && w->app->db && !poll_what_is_shown(w, &err)) /* a new set's sources */
        LOG(ERROR, "%s", err.msg);
    w->repoll = false;
    if (want_screenshot) {
        want_screenshot = 0;
        screenshot(w, now);
    }
}

/* How long the loop may sleep: until the next whole second (the clock, the
 * status) or what the show has due (a dwell ends, the idle return, a picker
 * closes), shorter for heartbeats, one 60th of a second while numbers roll
 * in. */
static int next_timeout(const struct wall *w, const struct beat *b, bool tweening,
                        double frame_start)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int timeout = 1000 - (int)(ts.tv_nsec / 1000000) + 1;
    int64_t due = show_next_deadline(w->show) - show_clock();
    if (due < timeout)
        timeout = due > 0 ? (int)due : 1;
    if (b->watchdog && timeout > (int)(b->wd_usec / 4000))
        timeout = (int)(b->wd_usec / 4000) + 1; /* heartbeats even with long dwells */
    if (w->cursor_until && w->cursor_until - now_ms() < timeout)
        timeout = (int)fmax(1, w->cursor_until - now_ms() + 1);
    if (tweening)
        timeout = (int)fmax(1, 1000.0 / 60 - (now_ms() - frame_start));
    if (w->splice_wake > 0 && w->splice_wake - now_ms() < timeout) /* an announced change */
        timeout = (int)fmax(0, ceil(w->splice_wake - now_ms()));
    return timeout;
}

/* One event; false when it ends the wall (the window closed, q). */
static bool handle_event(struct wall *w, const SDL_Event *ev, int64_t now)
{
    if (ev->type == SDL_QUIT) {
        return false;
    } else if (ev->type == SDL_KEYDOWN) {
        return handle_key(w, ev->key.keysym.sym, now);
    } else if (ev->type == SDL_MOUSEMOTION || ev->type == SDL_MOUSEBUTTONDOWN ||
               ev->type == SDL_MOUSEBUTTONUP || ev->type == SDL_MOUSEWHEEL ||
               ev->type == SDL_FINGERDOWN || ev->type == SDL_FINGERMOTION ||
               ev->type == SDL_FINGERUP) {
        handle_pointer(w, ev);
    } else if (ev->type == SDL_WINDOWEVENT &&
               (ev->window.event == SDL_WINDOWEVENT_EXPOSED ||
                ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)) {
        for (size_t i = 0; i < w->nscreens; i++)
            screen_invalidate(w->screens[i]);
    } else if (ev->type == SDL_DISPLAYEVENT) {
        /* a display plugged in or out, or turned: every output goes
         * back where it belongs (the window surface follows its size) */
        Uint8 e = ev->display.event;
        LOG(WARN, "display %u %s", ev->display.display,
            e == SDL_DISPLAYEVENT_CONNECTED      ? "connected"
            : e == SDL_DISPLAYEVENT_DISCONNECTED ? "disconnected"
            : e == SDL_DISPLAYEVENT_ORIENTATION  ? "turned"
                                                 : "changed");
        replace_outputs(w);
    } else if (ev->type == w->ev_displays) {
        LOG(WARN, "the X screen's outputs changed (XRandR)");
        replace_outputs(w);
    } else if (ev->type == w->ev_action) {
        action_done(w, now);
    } else if (ev->type == w->bridge.ev) {
        api_serve(w);
    } else if (ev->type == w->ev_config) {
        config_take(w, now);
    } else if (ev->type == w->ev_reload) {
        SDL_Delay(50); /* let the editor finish writing */
        SDL_FlushEvent(w->ev_reload);
        reload(w, now);
    }
    return true;
}

/* Draw, then sleep until something happens, until the wall ends. */
static void run_loop(struct wall *w)
{
    struct beat b;
    beat_init(&b);
    bool running = true;
    while (running) {
        double frame_start = now_ms();
        int64_t now = (int64_t)time(NULL) + w->opts->now_offset;
        bool tweening = render_frame(w, now);
        after_frame(w, &b, now);
        SDL_Event ev;
        if (!SDL_WaitEventTimeout(&ev, next_timeout(w, &b, tweening, frame_start)))
            continue;
        do {
            running &= handle_event(w, &ev, now);
        } while (SDL_PollEvent(&ev));
    }
}


/* --http: the console, the API, /healthz and /metrics (or the last two
 * apart on --metrics). The accounts come from --users or the database. */
static bool serve_http(struct wall *w, struct err *err)
{
    const struct wall_opts *o = w->opts;
    pthread_mutex_init(&w->bridge.one, NULL);
    pthread_mutex_init(&w->bridge.lock, NULL);
    pthread_cond_init(&w->bridge.cond, NULL);
    if (o->metrics_addr) {
        struct http_opts m = {.flag = "--metrics", .addr = o->metrics_addr};
        if (!(w->metrics = health_start(&m, err)))
            return false;
    }
    if (!o->http_addr)
        return true;
    struct auth *auth = NULL;
    struct audit *audit = NULL;
    if ((o->users_file || w->app->db) &&
        !(auth = auth_open(o->users_file, o->users_file ? NULL : w->app->db, err)))
        return false;
    if (!(audit = audit_open(o->audit_file, o->audit_file ? NULL : w->app->db, err))) {
        auth_close(auth);
        return false;
    }
    if (!auth)
        LOG(WARN, "--http without --users or --db: the console has no accounts, nobody can "
            "log in");
    struct api_opts ao = {w->app, auth, audit, api_exec, w,
                          (int64_t)o->session_idle_s * 1000, (int64_t)o->control_idle_s * 1000,
                          NULL};
    w->api = api_create(&ao);
    struct http_opts h = {.flag = "--http", .addr = o->http_addr, .cert = o->http_cert,
                          .key = o->http_key, .insecure = o->http_insecure, .api = api_handle,
                          .cls = w->api};
    return (w->health = health_start(&h, err)) != NULL;
}

/* Calls waiting for the render thread, and calls to come, answer 503 at once. */
static void bridge_close(struct wall *w)
{
    pthread_mutex_lock(&w->bridge.lock);
    w->bridge.closing = true;
    pthread_cond_broadcast(&w->bridge.cond);
    pthread_mutex_unlock(&w->bridge.lock);
}

static void stop_http(struct wall *w)
{
    bridge_close(w);
    health_stop(w->health);
    health_stop(w->metrics);
    w->health = w->metrics = NULL;
    if (w->api) {
        struct auth *auth = api_auth(w->api);
        struct audit *audit = api_audit(w->api);
        api_destroy(w->api);
        auth_close(auth);
        audit_close(audit);
        w->api = NULL;
    }
    pthread_cond_destroy(&w->bridge.cond);
    pthread_mutex_destroy(&w->bridge.lock);
    pthread_mutex_destroy(&w->bridge.one);
}

/* Hot reload, the renderer and /metrics, then the loop (or a fast-forward)
 * until it ends; everything it started is stopped again. 0, or 1 when
 * /metrics cannot listen. */
static int run(struct wall *w)
{
    const struct wall_opts *o = w->opts;
    struct err err;
    int rc = 0;
    struct watcher watcher = {.fw = {.fd = -1}};
    if (watch_start(&watcher, w))
        w->files = &watcher.fw;
    else
        LOG(WARN, "hot reload is off: inotify unavailable");
    struct sigaction sa = {.sa_handler = on_usr1};
    sigaction(SIGUSR1, &sa, NULL);
    const struct theme *theme = theme_find(w->slots[0].scene->theme);
    render_init(&w->r, theme ? theme : theme_find("dark"), 0);
    w->r.pool = pool_new(o->threads ? o->threads : pool_default_size()); /* panels of a frame */
    w->started = (int64_t)time(NULL) + o->now_offset;
    w->started_ms = now_ms();
    if (!serve_http(w, &err)) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        rc = 1;
    } else {
        LOG(INFO, "scene %s", shown(w)->name);
        if (o->wall_name && w->app->db && !o->fast_forward)
            w->beat = fleet_beat_start(&(struct fleet_beat_opts){
                app_primary_db(w->app), o->wall_name, o->beat_s > 0 ? o->beat_s : 5, api_exec, w,
                w->splice});
        if (o->fast_forward)
            fast_forward(w, o->fast_forward);
        else
            run_loop(w);
    }
    LOG(INFO, "exiting");
    sd_notify(0, "STOPPING=1");
    bridge_close(w); /* the heartbeat's waiting call answers 503 at once */
    fleet_beat_stop(w->beat);
    w->beat = NULL;
    if (w->job) { /* an action still waiting for the engine: stop waiting */
        atomic_store(&w->job->cancel, true);
        pthread_join(w->job->thread, NULL);
        action_job_free(w->job);
        w->job = NULL;
    }
    stop_http(w);
    watch_stop(&watcher);
    w->files = NULL;
    pool_destroy(w->r.pool);
    render_finish(&w->r);
    return rc;
}

/* Every way out, the failed start of the poller too: the poller and the
 * replay call app->wake(app->wake_arg), which points into w, so they stop
 * first; then the display watch (before the event queue goes), the outputs. */
static void close_wall(struct wall *w)
{
    struct app *app = w->app;
    cfgset_stop(w->fleet); /* its wake points into w */
    w->fleet = NULL;
    splice_stop(w->splice); /* likewise */
    w->splice = NULL;
    poller_stop(app->poller);
    app_demo_replay_stop(app);
    app->wake = NULL, app->wake_arg = NULL;
    app->poller = NULL;
    display_watch_stop(w->displays);
    for (size_t i = 0; i < w->nscreens; i++)
        screen_close(w->screens[i]);
    drop_variant(w);
    show_destroy(w->show);
    compose_choices_free(&w->pick);
    slots_free(w->slots, w->nslots);
    for (size_t i = 0; i < w->nacked; i++)
        free(w->acked[i]);
    free(w->acked);
    free(w->sel);
    if (w->cfg.dir)
        app->scene_dirs[0] = w->etc_scenes;
    cfgset_free(&w->cfg);
    free(w->playlist_owned);
}

int app_run_wall(struct app *app, const struct wall_opts *o)
{
    struct wall w = {.app = app, .opts = o, .touch_ms = -1, .playlist = o->playlist,
                     .scene_since_ms = (int64_t)wall_ms()};
    struct err err;
    config_start(&w);
    struct rotation rot;
    struct rotation_src src = {o->playlist, NULL, 0};
    if (!w.slots && !rotation_load(&rot, app, o, &src, &err)) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        close_wall(&w);
        return 1;
    }
    if (!w.slots)
        rotation_take(&w, &rot);
    struct show_config c;
    show_config_of(&w, &c);
    w.show = show_create(&c, show_clock());
    show_config_free(&c);
    int rc = open_screens(&w);
    if (rc == 0)
        rc = start_sources(&w) ? run(&w) : 1;
    close_wall(&w);
    return rc;
}
