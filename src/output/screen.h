/* The screen output: one SDL window (full screen on a display, or a window
 * for desks), drawn straight into the window surface through Cairo.
 *
 * A cached page holds the background and every panel's frame at the
 * output's native resolution. A panel is drawn again only when it changed:
 * its source's data version or online state moved, it is tweening, or it
 * changes with the clock (panel_animates) and a second passed; then its
 * rectangle of the page is copied back and its content drawn over it. Only
 * the changed rectangles are pushed to the display. A rotated output (a
 * panel mounted on its side) is drawn upright off screen and turned into
 * the window, changed rectangles only. Render thread only. */
#ifndef LW_SCREEN_H
#define LW_SCREEN_H
#include "data/store.h"
#include "render/render.h"
#include "scene/scene.h"
#include "util/err.h"

struct screen;

struct screen_opts {
    int display;        /* SDL display index */
    int width, height;  /* > 0: a window of this size; 0: full screen (desktop size) */
    const char *title;
    /* On a splice wall the window shows one rectangle of a larger canvas:
     * canvas_w × canvas_h pixels, this output's top-left at canvas_x,
     * canvas_y. 0 × 0: the canvas is the window. */
    int canvas_w, canvas_h, canvas_x, canvas_y;
    bool positioned;    /* a borderless window of width × height at (pos_x, pos_y) */
    int pos_x, pos_y;
    int rotation;       /* 0, 90, 180, 270: the panel is mounted turned this far
                           clockwise; width × height are the window's (the
                           display's own orientation) */
};

/* NULL + *err when there is no display or no window can be made. */
struct screen *screen_open(const struct screen_opts *o, struct err *err);
void screen_close(struct screen *sc); /* NULL is a no-op */
void screen_size(const struct screen *sc, int *w, int *h);
/* After a display was plugged in or out or changed its mode: puts the
 * window back on its display and redraws everything. rect is the display's
 * rectangle now (from the X11 display watch), or NULL for SDL's idea of it.
 * A full-screen window covers the display at its mode now, a positioned one
 * keeps its place on it, a desk window stays. False while its display is
 * gone. */
bool screen_replace(struct screen *sc, const int rect[4]);
/* The canvas point shown at (u, v) of window `window_id` in SDL's window
 * coordinates (mouse events; a finger's 0–1 position times the window's
 * size), and the canvas's size: turned back on a rotated output, offset on
 * a splice wall, less the burn-in shift. False when the window is another. */
bool screen_point(const struct screen *sc, unsigned window_id, double u, double v, double *x,
                  double *y, int *cw, int *ch);
/* The window's size in SDL's window coordinates, or false for another window. */
bool screen_window_size(const struct screen *sc, unsigned window_id, int *w, int *h);
/* The SDL display index the window belongs on. */
int screen_display(const struct screen *sc);

struct screen_stats {
    double draw_ms;       /* last frame: drawing panels and copying them */
    double present_ms;    /* last frame: handing the rectangles to SDL */
    unsigned panels_drawn, frames;
    /* since the start: tween frames of a panel drawn in between, and those
     * that waited a frame for the frame budget */
    unsigned long long between_drawn, between_waited;
    double switch_ms;     /* now_ms() when the frame that began the last scene change began */
};

/* Shows scene s at time r->now: redraws what changed (everything after
 * screen_invalidate or a scene switch) and presents it. `overlay` is drawn
 * small in the bottom-right corner (a reload error), or NULL. Returns true
 * while new data is still rolling in: call again within a frame (~30 ms). */
bool screen_render(struct screen *sc, const struct scene *s, struct store *store, struct render *r,
                   const char *overlay);
/* The next scene change shows at once, without the cross-fade: a person's
 * touch or key is answered at once, the rotation fades. */
void screen_cut(struct screen *sc);
/* A splice wall's part (app/splice.h): the next scene change shows no
 * earlier than at_ms (the now_ms() clock) — until then the old picture
 * stays — and its fade counts from at_ms, so a part that starts late
 * catches up. 0: at once. */
void screen_change_at(struct screen *sc, double at_ms);
/* Likewise numbers that change in a frame at or after at_ms roll in as if
 * they had begun at at_ms (0: from the frame that sees them). */
void screen_data_at(struct screen *sc, double at_ms);
/* Moves the whole picture by (dx, dy) pixels (burn-in protection). */
void screen_set_shift(struct screen *sc, int dx, int dy);
/* Turns the picture black until the next screen_render (operating hours). */
void screen_blank(struct screen *sc);
/* Forget every cache: the next frame draws everything (resize, reload). */
void screen_invalidate(struct screen *sc);
struct screen_stats screen_stats(const struct screen *sc);
/* Writes what is on screen as PNG. */
/* Pixels (more than 16 levels off) where the window differs from the scene
 * drawn from scratch the way an export draws it: the check that cached
 * panels, tweens and partial redraws leave the same picture behind. Call
 * it after a tween has settled; without an overlay. */
size_t screen_count_stale_pixels(struct screen *sc, const struct scene *s, struct store *store,
                                 struct render *r);
bool screen_screenshot(struct screen *sc, const char *path, struct err *err);
/* The console's thumbnail: the picture on screen (upright), scaled by
 * `scale`, painted into cr at this output's place on the canvas
 * (whole_canvas) or at the origin. */
void screen_paint_scaled(struct screen *sc, cairo_t *cr, double scale, bool whole_canvas);
/* The canvas this output belongs to (its own size when it is alone). */
void screen_canvas(const struct screen *sc, int *w, int *h);

#endif
