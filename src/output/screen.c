#include "output/screen.h"
#include "output/compose.h"
#include "output/export.h"
#include "util/hash.h"
#include "util/pool.h"
#include "util/util.h"
#include <SDL.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TWEEN_MS 700.0 /* new numbers roll in over this long */
#define FADE_MS 600.0  /* a new scene fades in over the old one */
/* In-between tween frames of more panels wait a frame beyond this much
 * drawing; half of it on a rotated output, whose turn into the window
 * costs about as much again. */
#define FRAME_BUDGET_MS 12.0
#define FULL_PICTURE (COMPOSE_ALL + 1) /* draw_page: every panel's content too */

struct pcache {
    uint64_t key, data_key;
    uint64_t state;             /* the key without the generation: online state, clock */
    uint64_t generation;        /* bumps when the panel's own rows change */
    uint64_t frame_generation;  /* the generation whose note the page's frame shows */
    uint64_t frame_state;       /* the state (fresh, stale) whose badge it shows */
    uint64_t frame_key;         /* that note and badge */
    bool valid;
    struct table *shown;        /* the data on screen, to tween from when it changes */
    struct table *from;         /* during a tween: where the numbers start */
    double tween_start;         /* now_ms() when it began */
    double cost_ms;             /* what its last redraw took */
};

struct screen {
    SDL_Window *win;
    struct screen_opts opts;    /* where it belongs, to go back there */
    SDL_Surface *surf;          /* the window surface, or NULL until sized */
    cairo_surface_t *target;    /* Cairo on the window's pixels, or on `own` */
    unsigned char *own;         /* when the window's pixel format is not XRGB8888, or
                                   the output is rotated: the picture, upright */
    cairo_surface_t *native;    /* rotated: Cairo on the window's pixels */
    int rot;                    /* 0, 90, 180, 270: how the panel is mounted */
    int nw, nh;                 /* the window's size in its own orientation */
    int w, h;                   /* the picture's size (nw × nh turned upright) */
    cairo_surface_t *page;      /* background and every panel's frame: what a redraw starts from */
    struct pcache *cache;
    size_t ncache;
    const struct scene *last_scene;
    const void *last_layout;
    char *last_overlay;
    bool invalid;
    int shift_x, shift_y;       /* burn-in protection: the whole picture moves a little */
    int canvas_w, canvas_h, canvas_x, canvas_y;
    bool blank;
    /* A scene change cross-fades without a copy of either picture: the new
     * picture is drawn whole onto the page, and each frame lays it over the
     * window with the alpha that makes old·(1−a) + new·a (see fade_step). */
    bool fading;
    bool cut;                    /* the next scene change skips the fade (screen_cut) */
    double fade_start, fade_a;   /* when it began; the new picture's share so far */
    unsigned fade_frames;        /* fade frames drawn */
    double change_at, data_at;   /* screen_change_at, screen_data_at: now_ms(), or 0 */
    size_t first_panel;          /* where the next frame starts: a panel whose tween waited */
    struct screen_stats stats;
};

static void drop_caches(struct screen *sc)
{
    for (size_t i = 0; i < sc->ncache; i++) {
        table_unref(sc->cache[i].shown);
        table_unref(sc->cache[i].from);
    }
    free(sc->cache);
    sc->cache = NULL;
    sc->ncache = 0;
}

/* (Re)binds Cairo to the window surface after a resize. */
static bool bind_surface(struct screen *sc, struct err *err)
{
    sc->fading = false;
    if (sc->target)
        cairo_surface_destroy(sc->target);
    sc->target = NULL;
    if (sc->native)
        cairo_surface_destroy(sc->native);
    sc->native = NULL;
    free(sc->own);
    sc->own = NULL;
    sc->surf = SDL_GetWindowSurface(sc->win);
    if (!sc->surf)
        return err_set(err, "no window surface: %s", SDL_GetError());
    sc->nw = sc->surf->w, sc->nh = sc->surf->h;
    bool turned = sc->rot == 90 || sc->rot == 270;
    sc->w = turned ? sc->nh : sc->nw, sc->h = turned ? sc->nw : sc->nh;
    Uint32 f = sc->surf->format->format;
    bool xrgb = f == SDL_PIXELFORMAT_RGB888 || f == SDL_PIXELFORMAT_ARGB8888;
    if (sc->rot && !xrgb)
        return err_set(err, "a rotated output needs a 32-bit window (this one is %s)",
                       SDL_GetPixelFormatName(f));
    if (sc->rot) {
        /* drawn upright off screen, turned into the window at present */
        sc->native = cairo_image_surface_create_for_data(sc->surf->pixels, CAIRO_FORMAT_RGB24,
                                                         sc->nw, sc->nh, sc->surf->pitch);
        int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, sc->w);
        sc->own = xcalloc((size_t)stride, (size_t)sc->h);
        sc->target = cairo_image_surface_create_for_data(sc->own, CAIRO_FORMAT_RGB24, sc->w,
                                                         sc->h, stride);
    } else if (xrgb) {
        /* the common case: draw straight into the window's pixels, no copy */
        sc->target = cairo_image_surface_create_for_data(sc->surf->pixels, CAIRO_FORMAT_RGB24,
                                                         sc->w, sc->h, sc->surf->pitch);
    } else {
        int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, sc->w);
        sc->own = xcalloc((size_t)stride, (size_t)sc->h);
        sc->target = cairo_image_surface_create_for_data(sc->own, CAIRO_FORMAT_RGB24, sc->w,
                                                         sc->h, stride);
        LOG(INFO, "window pixel format %s: drawing off screen and converting",
            SDL_GetPixelFormatName(f));
    }
    drop_caches(sc);
    if (sc->page)
        cairo_surface_destroy(sc->page);
    sc->page = cairo_image_surface_create(CAIRO_FORMAT_RGB24, sc->w, sc->h);
    sc->invalid = true;
    return true;
}

struct screen *screen_open(const struct screen_opts *o, struct err *err)
{
    /* The native framebuffer (XShm on X11): SDL would otherwise put the
     * window surface behind an OpenGL texture, which on a machine without a
     * GPU loads Mesa's software rasteriser and LLVM (+100 MB RSS) for nothing.
     * SDL_FRAMEBUFFER_ACCELERATION in the environment still wins. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        err_set(err, "no display: %s", SDL_GetError());
        return NULL;
    }
    int nd = SDL_GetNumVideoDisplays();
    if (o->display < 0 || o->display >= nd) {
        err_set(err, "display %d does not exist (this machine has %d)", o->display, nd);
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return NULL;
    }
    SDL_Rect b;
    SDL_GetDisplayBounds(o->display, &b);
    Uint32 flags = o->positioned ? SDL_WINDOW_BORDERLESS
                   : o->width > 0 ? SDL_WINDOW_RESIZABLE
                                  : SDL_WINDOW_FULLSCREEN_DESKTOP;
    int w = o->width > 0 ? o->width : b.w, h = o->height > 0 ? o->height : b.h;
    int x = b.x + (o->positioned ? o->pos_x : 0), y = b.y + (o->positioned ? o->pos_y : 0);
    struct screen *sc = xcalloc(1, sizeof *sc);
    sc->win = SDL_CreateWindow(o->title ? o->title : "lotuswall", x, y, w, h, flags);
    if (!sc->win) {
        err_set(err, "cannot open a window: %s", SDL_GetError());
        free(sc);
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return NULL;
    }
    sc->opts = *o;
    sc->opts.title = NULL;
    sc->rot = o->rotation;
    sc->canvas_w = o->canvas_w, sc->canvas_h = o->canvas_h;
    sc->canvas_x = o->canvas_x, sc->canvas_y = o->canvas_y;
    SDL_ShowCursor(SDL_DISABLE);
    SDL_DisableScreenSaver();
    if (!bind_surface(sc, err)) {
        screen_close(sc);
        return NULL;
    }
    return sc;
}

/* Copies the rectangle x, y, w, h of src onto dst (same size, no blending). */
static void blit(cairo_surface_t *dst, cairo_surface_t *src, int x, int y, int w, int h)
{
    cairo_t *cr = cairo_create(dst);
    cairo_set_source_surface(cr, src, 0, 0);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
    cairo_destroy(cr);
}

/* What the panel's title strip shows besides its title: the note and the
 * stale badge of now (the title is shortened before them). */
static uint64_t strip_key(const struct panel *p, struct store *store, const struct render *r,
                          struct rect box)
{
    char note[SCENE_MAX_STRING + 64], badge[96];
    compose_panel_note(note, sizeof note, p, store);
    struct table *src = p->has_query ? store_get(store, p->query.source) : NULL;
    compose_panel_badge(badge, sizeof badge, p, src, store, r->now, box.w);
    table_unref(src);
    return hash_str(hash_str(HASH_FNV_BASIS, note), badge);
}

/* Draws the page under one panel again: background and its frame, the
 * frame with the panel's note of now. */
static void draw_frame(cairo_surface_t *page, const struct viewport *vp, const struct scene *s,
                       size_t i, struct rect box, struct store *store, struct render *r,
                       const int rc[4])
{
    cairo_surface_flush(page);
    compose_panel_piece(page, rc, vp, s, &s->panels[i], box, store, r, 0, NULL,
                        COMPOSE_UNDER | COMPOSE_FRAME);
    cairo_surface_mark_dirty(page);
}

void screen_close(struct screen *sc)
{
    if (!sc)
        return;
    drop_caches(sc);
    if (sc->target)
        cairo_surface_destroy(sc->target);
    if (sc->page)
        cairo_surface_destroy(sc->page);
    if (sc->native)
        cairo_surface_destroy(sc->native);
    free(sc->own);
    free(sc->last_overlay);
    SDL_DestroyWindow(sc->win);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    free(sc);
}

bool screen_replace(struct screen *sc, const int rect[4])
{
    const struct screen_opts *o = &sc->opts;
    int nd = SDL_GetNumVideoDisplays();
    SDL_Rect b;
    if (rect) {
        b = (SDL_Rect){rect[0], rect[1], rect[2], rect[3]};
    } else if (o->display < nd) {
        SDL_GetDisplayBounds(o->display, &b);
    } else {
        LOG(WARN, "display %d is gone (%d left); its output waits for it", o->display, nd);
        return false;
    }
    if (o->positioned) {
        SDL_SetWindowPosition(sc->win, b.x + o->pos_x, b.y + o->pos_y);
    } else if (o->width <= 0 && rect) {
        /* SDL's own idea of the display may be stale (X11 without a window
         * manager): a borderless window over the display as it is now */
        SDL_SetWindowFullscreen(sc->win, 0);
        SDL_SetWindowBordered(sc->win, SDL_FALSE);
        SDL_SetWindowPosition(sc->win, b.x, b.y);
        SDL_SetWindowSize(sc->win, b.w, b.h);
    } else if (o->width <= 0) {
        /* full screen again on its own display, at that display's mode now */
        SDL_SetWindowFullscreen(sc->win, 0);
        SDL_SetWindowPosition(sc->win, b.x, b.y);
        SDL_SetWindowSize(sc->win, b.w, b.h);
        SDL_SetWindowFullscreen(sc->win, SDL_WINDOW_FULLSCREEN_DESKTOP);
    }
    LOG(INFO, "display %d: %d×%d at %d,%d", o->display, b.w, b.h, b.x, b.y);
    sc->invalid = true;
    return true;
}

int screen_display(const struct screen *sc)
{
    return sc->opts.display;
}

void screen_size(const struct screen *sc, int *w, int *h)
{
    *w = sc->w;
    *h = sc->h;
}

void screen_invalidate(struct screen *sc)
{
    sc->invalid = true;
}

void screen_set_shift(struct screen *sc, int dx, int dy)
{
    if (dx != sc->shift_x || dy != sc->shift_y) {
        sc->shift_x = dx, sc->shift_y = dy;
        sc->invalid = true;
    }
}

void screen_blank(struct screen *sc)
{
    if (sc->blank)
        return;
    memset(sc->surf->pixels, 0, (size_t)sc->surf->pitch * (size_t)sc->surf->h);
    if (sc->own)
        memset(sc->own, 0, (size_t)cairo_image_surface_get_stride(sc->target) * (size_t)sc->h);
    SDL_UpdateWindowSurface(sc->win);
    sc->blank = true;
    sc->invalid = true;
}

struct screen_stats screen_stats(const struct screen *sc)
{
    return sc->stats;
}

/* What a panel shows besides the scene: its source's content version, and
 * its state (stale or offline, and then the time of the data, which the
 * badge prints). A poll that brings the same content changes neither. */
static void panel_keys(const struct panel *p, struct store *store, const struct render *r,
                       uint64_t *version, uint64_t *state)
{
    *version = *state = HASH_FNV_BASIS;
    if (!p->has_query)
        return;
    struct table *t = store_get(store, p->query.source);
    bool stale = compose_panel_state(&p->query, t, store, r->now) != COMPOSE_FRESH;
    *version = hash_mix(*version, t ? t->version : 0);
    *state = hash_mix(hash_mix(*state, stale), stale ? (uint64_t)t->fetched_at : 0);
    table_unref(t);
}

static bool same_table(const struct table *a, const struct table *b)
{
    if (!a || !b || a->nrows != b->nrows || a->ncols != b->ncols)
        return false;
    char x[64], y[64];
    for (size_t c = 0; c < a->ncols; c++)
        for (size_t r = 0; r < a->nrows; r++)
            if (table_is_null(a, r, c) != table_is_null(b, r, c) ||
                strcmp(table_cell_str(a, r, c, x, sizeof x), table_cell_str(b, r, c, y, sizeof y)))
                return false;
    return true;
}

/* The panel's new data, when its source moved to a new version. */
static bool data_changed(const struct panel *p, struct store *store, const struct table *shown)
{
    struct table *src = store_get(store, p->query.source);
    struct err err;
    struct table *now = src ? compose_query(&p->query, src, store, &err) : NULL;
    bool changed = !same_table(now, shown);
    table_unref(now);
    table_unref(src);
    return changed;
}

static void draw_overlay(cairo_t *cr, struct render *r, int w, int h, const char *text)
{
    double k = h / 1080.0;
    cairo_save(cr);
    cairo_scale(cr, k, k);
    draw_badge(cr, r, w / k - 16, h / k - 22, text, r->theme->danger, r->theme->title);
    cairo_restore(cr);
}

bool screen_window_size(const struct screen *sc, unsigned window_id, int *w, int *h)
{
    if (!sc->win || SDL_GetWindowID(sc->win) != window_id)
        return false;
    SDL_GetWindowSize(sc->win, w, h);
    return *w > 0 && *h > 0;
}

bool screen_point(const struct screen *sc, unsigned window_id, double u, double v, double *x,
                  double *y, int *cw, int *ch)
{
    int ww, wh;
    if (!screen_window_size(sc, window_id, &ww, &wh) || sc->nw <= 0)
        return false;
    u *= (double)sc->nw / ww, v *= (double)sc->nh / wh; /* window points to pixels */
    /* undo turn_into_window's mapping: native (u, v) shows picture (px, py) */
    double px = u, py = v;
    if (sc->rot == 90)
        px = sc->w - v, py = u;
    else if (sc->rot == 180)
        px = sc->w - u, py = sc->h - v;
    else if (sc->rot == 270)
        px = v, py = sc->h - u;
    *x = px - sc->shift_x + sc->canvas_x;
    *y = py - sc->shift_y + sc->canvas_y;
    *cw = sc->canvas_w > 0 ? sc->canvas_w : sc->w;
    *ch = sc->canvas_h > 0 ? sc->canvas_h : sc->h;
    return true;
}

/* A rotated output: the changed rectangles of the upright picture, turned
 * into the window (pixman's 90° paths, nearest pixel: an exact copy); the
 * rectangles become the window's. Native (u, v) shows picture (x, y):
 *   90: u = y, v = w - x;  180: u = w - x, v = h - y;  270: u = h - y, v = x. */
static void turn_into_window(struct screen *sc, SDL_Rect *rects, int n)
{
    cairo_matrix_t m;
    double W = sc->w, H = sc->h;
    if (sc->rot == 90)
        cairo_matrix_init(&m, 0, -1, 1, 0, 0, W);
    else if (sc->rot == 180)
        cairo_matrix_init(&m, -1, 0, 0, -1, W, H);
    else
        cairo_matrix_init(&m, 0, 1, -1, 0, H, 0);
    cairo_surface_flush(sc->target);
    cairo_t *cr = cairo_create(sc->native);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    for (int i = 0; i < n; i++) {
        SDL_Rect r = rects[i], t;
        if (sc->rot == 90)
            t = (SDL_Rect){r.y, sc->w - r.x - r.w, r.h, r.w};
        else if (sc->rot == 180)
            t = (SDL_Rect){sc->w - r.x - r.w, sc->h - r.y - r.h, r.w, r.h};
        else
            t = (SDL_Rect){sc->h - r.y - r.h, r.x, r.h, r.w};
        rects[i] = t;
        cairo_save(cr);
        cairo_rectangle(cr, t.x, t.y, t.w, t.h);
        cairo_clip(cr);
        cairo_transform(cr, &m);
        cairo_set_source_surface(cr, sc->target, 0, 0);
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
        cairo_paint(cr);
        cairo_restore(cr);
    }
    cairo_destroy(cr);
    cairo_surface_mark_dirty(sc->native);
}

/* The page for scene s: bands, background, the gaps between panels and
 * every panel's frame (remembering the note each was drawn with); with
 * FULL_PICTURE also every panel's content, so the page is the whole
 * picture (for a fade). */
/* True when no two of the pieces overlap: their panels can be drawn at once. */
static bool rects_apart(int (*rc)[4], size_t n)
{
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++)
            if (compose_pieces_overlap(rc[a], rc[b]))
                return false;
    return true;
}

struct page_job {
    struct screen *sc;
    const struct scene *s;
    const struct scene_layout *L;
    const struct viewport *vp;
    struct store *store;
    struct render *r;
    int64_t data_time;
    unsigned parts;
    int (*rcs)[4];            /* each panel's piece */
};

static void draw_page_panel(void *arg, size_t i, unsigned worker)
{
    const struct page_job *j = arg;
    struct render r = render_worker(j->r, worker);
    compose_panel_piece(j->sc->page, j->rcs[i], j->vp, j->s, &j->s->panels[i],
                        scene_panel_rect(j->s, j->L, i, j->vp->w, j->vp->h), j->store, &r,
                        j->data_time, NULL, j->parts == FULL_PICTURE ? COMPOSE_ALL : COMPOSE_FRAME);
}

static void draw_page(struct screen *sc, const struct scene *s, const struct scene_layout *L,
                      const struct viewport *vp, struct store *store, struct render *r,
                      unsigned parts)
{
    compose_background(sc->page, vp, r);
    struct page_job j = {sc, s, L, vp, store, r, compose_data_time(s, store), parts,
                         xcalloc(s->npanels + 1, sizeof *j.rcs)};
    for (size_t i = 0; i < s->npanels; i++) {
        struct rect box = scene_panel_rect(s, L, i, vp->w, vp->h);
        if (i < sc->ncache)
            sc->cache[i].frame_key = strip_key(&s->panels[i], store, r, box);
        compose_piece_rect(vp, box, sc->w, sc->h, j.rcs[i]);
    }
    /* the scene's period is remembered in the scene: before the threads */
    char period[64];
    compose_scene_period(period, sizeof period, s, store);
    cairo_surface_flush(sc->page);
    pool_run(rects_apart(j.rcs, s->npanels) ? r->pool : NULL, s->npanels, draw_page_panel, &j);
    cairo_surface_mark_dirty(sc->page);
    free(j.rcs);
}

/* One frame of a fade: the window holds old·(1−a) + new·a; laying the new
 * picture (the page) over it with alpha k = 1 − (1−a')/(1−a) makes it
 * old·(1−a') + new·a' — no copy of the old picture needed. The new share
 * eases in as a' = 1 − (1−t)². t follows the clock, but moves at least a
 * 60 Hz frame's worth per frame (so a fast-forward fades in 36 frames, not
 * in thousands of invisible steps). False when the fade is over (the caller
 * then draws the scene afresh, which rebuilds the page). */
static bool fade_step(struct screen *sc)
{
    double t = fmax((now_ms() - sc->fade_start) / FADE_MS,
                    ++sc->fade_frames * (1000.0 / 60) / FADE_MS);
    if (t >= 1) {
        sc->fading = false;
        sc->invalid = true;
        return false;
    }
    double a = 1 - (1 - t) * (1 - t), k = 1 - (1 - a) / (1 - sc->fade_a);
    cairo_t *cr = cairo_create(sc->target);
    cairo_set_source_surface(cr, sc->page, 0, 0);
    cairo_paint_with_alpha(cr, k);
    cairo_destroy(cr);
    sc->fade_a = a;
    return true;
}

static void draw_overlay_on(struct screen *sc, struct render *r, const char *text)
{
    cairo_t *cr = cairo_create(sc->target);
    draw_overlay(cr, r, sc->w, sc->h, text);
    cairo_destroy(cr);
}

/* Hands the changed rectangles to the display. */
static void present(struct screen *sc, SDL_Rect *rects, int nrects)
{
    cairo_surface_flush(sc->target);
    if (nrects == 0)
        return;
    if (sc->rot)
        turn_into_window(sc, rects, nrects);
    else if (sc->own)
        SDL_ConvertPixels(sc->w, sc->h, SDL_PIXELFORMAT_RGB888, sc->own,
                          cairo_image_surface_get_stride(sc->target), sc->surf->format->format,
                          sc->surf->pixels, sc->surf->pitch);
    SDL_UpdateWindowSurfaceRects(sc->win, rects, nrects);
    sc->stats.frames++;
}

/* One frame of screen_render: what its steps share. */
struct frame {
    const struct scene *s;
    const struct scene_layout *L;
    struct viewport vp;       /* this window's part of the canvas */
    struct store *store;
    struct render *r;
    double t0;                /* now_ms() when the frame began */
    int64_t data_time;
    bool full;                /* the whole page is new: every panel is drawn */
    bool waited, tweening;
    unsigned drawn, between;  /* panels drawn; of those, tweens' in-between frames */
    struct screen *sc;
    struct paint *paints;     /* the panels this frame draws, planned */
    size_t npaints;
    double planned_ms;        /* their last costs, added up */
    SDL_Rect *rects;          /* what changed, to present */
    int nrects;
};

/* The layout and the scale follow the whole canvas; this window shows its
 * own rectangle of it. */
static void frame_viewport(const struct screen *sc, struct frame *f)
{
    const struct scene *s = f->s;
    int cw = sc->canvas_w > 0 ? sc->canvas_w : sc->w, ch = sc->canvas_h > 0 ? sc->canvas_h : sc->h;
    f->L = scene_pick_layout(s, cw, ch);
    f->vp = viewport_compute(s->fit, f->L ? f->L->design_w : s->design_w,
                             f->L ? f->L->design_h : s->design_h, cw, ch);
    f->vp.ox += sc->shift_x - sc->canvas_x;
    f->vp.oy += sc->shift_y - sc->canvas_y;
}

/* A new scene: the whole new picture onto the page, then fade. */
static void start_fade(struct screen *sc, const struct frame *f)
{
    drop_caches(sc);
    draw_page(sc, f->s, f->L, &f->vp, f->store, f->r, FULL_PICTURE);
    sc->fading = true;
    /* an announced change counts from its time: a part that drew late catches up */
    sc->fade_start = sc->change_at > 0 && sc->change_at <= f->t0 ? sc->change_at : now_ms();
    sc->fade_a = 0;
    sc->fade_frames = 0;
}

/* The page again with every panel's frame, copied to the window whole. */
static void redraw_page(struct screen *sc, struct frame *f, const char *overlay)
{
    drop_caches(sc);
    sc->cache = xcalloc(f->s->npanels + 1, sizeof *sc->cache);
    sc->ncache = f->s->npanels;
    draw_page(sc, f->s, f->L, &f->vp, f->store, f->r, COMPOSE_FRAME);
    blit(sc->target, sc->page, 0, 0, sc->w, sc->h);
    f->rects[f->nrects++] = (SDL_Rect){0, 0, sc->w, sc->h};
    free(sc->last_overlay);
    sc->last_overlay = overlay ? xstrdup(overlay) : NULL;
}

/* The source moved: the panel changes only if its own rows did, and then
 * its numbers roll in from what it showed. */
static void note_new_data(struct pcache *c, const struct panel *p, struct store *store,
                          uint64_t dkey, double now)
{
    if (!c->shown || data_changed(p, store, c->shown)) {
        table_unref(c->from);
        c->from = c->shown ? table_ref(c->shown) : NULL;
        c->tween_start = now;
        c->generation++;
    }
    c->data_key = dkey;
}

/* A panel the frame draws: what the plan decided, and what its drawing
 * gave back. */
struct paint {
    size_t i;
    double t;                 /* of its tween; 1: the data as it is */
    uint64_t key, state, dkey;
    bool in_between;
    int rc[4];                /* its rectangle of the window, device pixels */
    struct table *shown;      /* out: the data it drew */
    double cost_ms;           /* out */
};

/* Copies rectangle rc of src to dst (RGB24 surfaces of one size). */
static void copy_rect(cairo_surface_t *dst, cairo_surface_t *src, const int rc[4])
{
    unsigned char *d = cairo_image_surface_get_data(dst), *s = cairo_image_surface_get_data(src);
    int ds = cairo_image_surface_get_stride(dst), ss = cairo_image_surface_get_stride(src);
    for (int y = rc[1]; y < rc[1] + rc[3]; y++)
        memcpy(d + (size_t)y * (size_t)ds + (size_t)rc[0] * 4,
               s + (size_t)y * (size_t)ss + (size_t)rc[0] * 4, (size_t)rc[2] * 4);
}

/* Plans panel i where it is not what the screen shows: its frame is drawn
 * onto the page now when the note changed; its content is drawn later, by
 * draw_paint. False when no pixel of it is on this window. */
static bool plan_paint(struct screen *sc, struct frame *f, struct paint *pt, uint64_t state)
{
    const struct panel *p = &f->s->panels[pt->i];
    struct pcache *c = &sc->cache[pt->i];
    struct rect box = scene_panel_rect(f->s, f->L, pt->i, f->vp.w, f->vp.h);
    int *rc = pt->rc;
    compose_piece_rect(&f->vp, box, sc->w, sc->h, rc);
    if (rc[2] == 0 || rc[3] == 0)
        return false;
    if (c->frame_generation != c->generation || c->frame_state != state) {
        /* new rows may bring a new period into the title strip's note, a
         * new state the stale badge */
        uint64_t nk = strip_key(p, f->store, f->r, box);
        if (nk != c->frame_key) {
            draw_frame(sc->page, &f->vp, f->s, pt->i, box, f->store, f->r, rc);
            c->frame_key = nk;
        }
        c->frame_generation = c->generation;
        c->frame_state = state;
    }
    return true;
}

/* Draws a planned panel's content (a tween's frame at t < 1) straight onto
 * the window's pixels, through a cairo surface of its own over its
 * rectangle: a pool task (panels do not overlap, see screen_render). */
static void draw_paint(void *arg, size_t k, unsigned worker)
{
    struct frame *f = arg;
    struct screen *sc = f->sc;
    struct paint *pt = &f->paints[k];
    double t0 = now_ms();
    if (!f->full)
        copy_rect(sc->target, sc->page, pt->rc);
    struct render r = render_worker(f->r, worker);
    struct rect box = scene_panel_rect(f->s, f->L, pt->i, f->vp.w, f->vp.h);
    struct compose_tween tw = {.from = sc->cache[pt->i].from, .t = pt->t};
    compose_panel_piece(sc->target, pt->rc, &f->vp, f->s, &f->s->panels[pt->i], box, f->store,
                        &r, f->data_time, &tw, COMPOSE_CONTENT);
    pt->shown = tw.data;
    pt->cost_ms = now_ms() - t0;
}

/* What a drawn panel leaves: its cache, its rectangle to present. */
static void finish_paint(struct screen *sc, struct frame *f, struct paint *pt)
{
    struct pcache *c = &sc->cache[pt->i];
    table_unref(c->shown);
    c->shown = pt->shown;
    if (pt->t >= 1) {
        table_unref(c->from);
        c->from = NULL;
    } else {
        f->tweening = true;
    }
    c->valid = true;
    c->key = pt->key;
    c->state = pt->state;
    c->data_key = pt->dkey;
    c->cost_ms = pt->cost_ms;
    f->drawn++;
    sc->stats.between_drawn += pt->in_between;
    if (!f->full)
        f->rects[f->nrects++] = (SDL_Rect){pt->rc[0], pt->rc[1], pt->rc[2], pt->rc[3]};
}

/* Panel i, if its key changed or it is tweening, within the frame budget:
 * planned into f->paints. */
static void plan_panel(struct screen *sc, struct frame *f, size_t i)
{
    const struct panel *p = &f->s->panels[i];
    struct pcache *c = &sc->cache[i];
    uint64_t dkey, skey;
    panel_keys(p, f->store, f->r, &dkey, &skey);
    double now = now_ms();
    if (c->valid && dkey != c->data_key)
        note_new_data(c, p, f->store, dkey,
                      sc->data_at > 0 && sc->data_at <= now ? sc->data_at : now);
    double t = c->from ? (now - c->tween_start) / TWEEN_MS : 1;
    uint64_t state = panel_animates(p) ? hash_mix(skey, panel_clock_phase(p, f->r->now)) : skey;
    uint64_t key = hash_mix(c->generation, state);
    if (c->valid && c->key == key && !c->from)
        return; /* (a tween's last frame, at t >= 1, draws the new data as it is) */
    /* Frame budget: when many panels tween at once (all data new at
     * 4K), a panel's in-between frame may wait for the next frame —
     * that panel steps at 30 fps for a while instead of every frame
     * going over budget. Its first frame may wait too (at t = 0 it shows
     * what it showed); a tween's last frame and a new state never wait.
     * The panels are drawn on the pool's workers: the frame's drawing
     * takes about their last costs shared out among the workers. */
    bool in_between = c->valid && c->from && t < 1 && c->state == state;
    double budget = sc->rot ? FRAME_BUDGET_MS / 2 : FRAME_BUDGET_MS;
    double workers = pool_size(f->r->pool);
    if (in_between && f->between > 0 &&
        now_ms() - f->t0 + (f->planned_ms + c->cost_ms) / workers > budget) {
        if (!f->waited)
            sc->first_panel = i; /* first in line next frame */
        f->waited = f->tweening = true;
        sc->stats.between_waited++;
        return;
    }
    struct paint *pt = &f->paints[f->npaints];
    *pt = (struct paint){.i = i, .t = t, .key = key, .state = state, .dkey = dkey,
                         .in_between = in_between};
    if (!plan_paint(sc, f, pt, skey))
        return;
    f->npaints++;
    f->planned_ms += c->cost_ms;
    f->between += in_between;
}

/* Draws the planned panels, on the pool when their rectangles are apart. */
static void draw_paints(struct screen *sc, struct frame *f)
{
    int(*rcs)[4] = xcalloc(f->npaints + 1, sizeof *rcs);
    for (size_t k = 0; k < f->npaints; k++)
        memcpy(rcs[k], f->paints[k].rc, sizeof rcs[k]);
    bool apart = rects_apart(rcs, f->npaints);
    free(rcs);
    cairo_surface_flush(sc->page);
    cairo_surface_flush(sc->target);
    if (apart) {
        render_workers_ready(f->r);
        char period[64]; /* remembered in the scene: worked out before the threads */
        compose_scene_period(period, sizeof period, f->s, f->store);
    }
    pool_run(apart ? f->r->pool : NULL, f->npaints, draw_paint, f);
    cairo_surface_mark_dirty(sc->target);
    for (size_t k = 0; k < f->npaints; k++)
        finish_paint(sc, f, &f->paints[k]);
}

/* The overlay over everything, then the changed rectangles to the display. */
static void finish_frame(struct screen *sc, struct frame *f, const char *overlay, bool fade)
{
    if (overlay) {
        draw_overlay_on(sc, f->r, overlay);
        if (!f->full && !fade)
            f->rects[f->nrects++] =
                (SDL_Rect){sc->w * 2 / 3, sc->h * 9 / 10, sc->w / 3, sc->h / 10};
    }
    double t1 = now_ms();
    present(sc, f->rects, f->nrects);
    free(f->rects);
    sc->last_scene = f->s;
    sc->last_layout = f->L;
    sc->stats.draw_ms = (fade ? now_ms() : t1) - f->t0;
    sc->stats.present_ms = fade ? 0 : now_ms() - t1;
    if (!fade) {
        sc->invalid = false;
        sc->stats.panels_drawn = f->drawn;
    }
}

bool screen_render(struct screen *sc, const struct scene *s, struct store *store, struct render *r,
                   const char *overlay)
{
    struct frame f = {.s = s, .store = store, .r = r, .t0 = now_ms()};
    int ww, wh;
    SDL_GetWindowSize(sc->win, &ww, &wh);
    if (ww != sc->nw || wh != sc->nh || !sc->surf) {
        struct err err;
        if (!bind_surface(sc, &err)) {
            LOG(ERROR, "%s", err.msg);
            return false;
        }
    }
    if (s != sc->last_scene && sc->last_scene && f.t0 < sc->change_at)
        return false; /* held: the old picture stays until the announced time */
    frame_viewport(sc, &f);
    bool was_blank = sc->blank;
    sc->blank = false;
    r->unit_px = f.vp.sx;
    bool overlay_changed = (overlay != NULL) != (sc->last_overlay != NULL) ||
                           (overlay && strcmp(overlay, sc->last_overlay) != 0);
    f.rects = xcalloc(s->npanels + 2, sizeof *f.rects);
    if (s != sc->last_scene && sc->last_scene && !was_blank && !sc->fading && !sc->cut)
        start_fade(sc, &f);
    if (s != sc->last_scene) {
        sc->cut = false;
        sc->change_at = 0;
        sc->stats.switch_ms = f.t0;
    }
    if (sc->fading && fade_step(sc)) {
        f.rects[f.nrects++] = (SDL_Rect){0, 0, sc->w, sc->h};
        finish_frame(sc, &f, overlay, true);
        return true; /* the next frame soon */
    }
    f.full = sc->invalid || s != sc->last_scene || (const void *)f.L != sc->last_layout ||
             sc->ncache != s->npanels || overlay_changed;
    if (f.full)
        redraw_page(sc, &f, overlay);
    f.data_time = compose_data_time(s, store);
    size_t n = s->npanels, start = f.full || n == 0 ? 0 : sc->first_panel % n;
    f.sc = sc;
    f.paints = xcalloc(n + 1, sizeof *f.paints);
    for (size_t k = 0; k < n; k++)
        plan_panel(sc, &f, (start + k) % n); /* panels do not overlap: any order draws the same */
    draw_paints(sc, &f);
    free(f.paints);
    finish_frame(sc, &f, overlay, false);
    return f.tweening;
}

void screen_change_at(struct screen *sc, double at_ms)
{
    sc->change_at = at_ms;
}

void screen_data_at(struct screen *sc, double at_ms)
{
    sc->data_at = at_ms;
}

void screen_cut(struct screen *sc)
{
    sc->cut = true;
    sc->fading = false; /* a fade under way ends: the new picture is drawn whole */
}

size_t screen_count_stale_pixels(struct screen *sc, const struct scene *s, struct store *store,
                                 struct render *r)
{
    int cw = sc->canvas_w > 0 ? sc->canvas_w : sc->w, ch = sc->canvas_h > 0 ? sc->canvas_h : sc->h;
    cairo_surface_t *fresh = cairo_image_surface_create(CAIRO_FORMAT_RGB24, sc->w, sc->h);
    cairo_t *cr = cairo_create(fresh);
    cairo_translate(cr, sc->shift_x - sc->canvas_x, sc->shift_y - sc->canvas_y);
    compose_scene(cr, cw, ch, s, store, r);
    cairo_destroy(cr);
    size_t n = image_count_diff(sc->target, fresh, 16, NULL);
    cairo_surface_destroy(fresh);
    return n;
}

bool screen_screenshot(struct screen *sc, const char *path, struct err *err)
{
    cairo_surface_flush(sc->target);
    return export_png_write(sc->target, path, 1, NULL, err);
}

/* Half the size, each pixel the mean of four: bilinear sampling at exactly
 * one half is a 2×2 box filter, and cheap. */
static cairo_surface_t *halve(cairo_surface_t *src, int w, int h)
{
    cairo_surface_t *dst = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w / 2, h / 2);
    cairo_t *cr = cairo_create(dst);
    cairo_scale(cr, 0.5, 0.5);
    cairo_set_source_surface(cr, src, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_paint(cr);
    cairo_destroy(cr);
    return dst;
}

void screen_paint_scaled(struct screen *sc, cairo_t *cr, double scale, bool whole_canvas)
{
    cairo_surface_flush(sc->target);
    /* Halve while the picture is over twice the size asked, then one last
     * bilinear step: a fourfold reduction averages every pixel, at a tenth
     * of what CAIRO_FILTER_GOOD's convolution costs on a 4K picture. */
    cairo_surface_t *img = cairo_surface_reference(sc->target);
    int w = sc->w, h = sc->h;
    double s = scale;
    while (s <= 0.5 && w >= 2 && h >= 2) {
        cairo_surface_t *half = halve(img, w, h);
        cairo_surface_destroy(img);
        img = half, w /= 2, h /= 2, s *= 2;
    }
    cairo_save(cr);
    if (whole_canvas && sc->canvas_w > 0)
        cairo_translate(cr, sc->canvas_x * scale, sc->canvas_y * scale);
    cairo_scale(cr, s, s);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_fill(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
}

void screen_canvas(const struct screen *sc, int *w, int *h)
{
    *w = sc->canvas_w > 0 ? sc->canvas_w : sc->w;
    *h = sc->canvas_h > 0 ? sc->canvas_h : sc->h;
}
