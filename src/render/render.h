/* The render context: what every drawing function needs besides the
 * cairo_t. One per output (screen, export), render thread only. */
#ifndef LW_RENDER_H
#define LW_RENDER_H
#include "render/layout.h"
#include "render/text.h"
#include "render/theme.h"
#include <cairo.h>
#include <stdint.h>

struct pool;

struct render {
    struct text_cache *text;  /* owned */
    const struct theme *theme;
    int64_t now;              /* unix seconds; injected for tests and exports */
    bool red_up;              /* Chinese convention: red = up */
    const char *watermark;    /* e.g. "内部资料", or NULL */
    double unit_px;           /* device pixels per design unit */
    const char *selected;     /* on the wall: the item the operator selected (a warning id),
                                 outlined by widgets that bind a "key"; NULL elsewhere */
    const char *const *crumbs; /* on the wall while someone drives: the breadcrumb, root
                                  first, drawn in the title bar with back and home marks */
    size_t ncrumbs;            /* (fewer than 2: none drawn, as in exports) */
    const char *picker;        /* on the wall: the title bar offers these choices instead */
    const char *const *choices; /* e.g. 许昌市, 魏都区, …; picker NULL: none */
    size_t nchoices;
    long chosen;               /* the one shown now, or -1 */
    /* Drawing on several threads (compose_scene, the screen's panels): a pool
     * (not owned; NULL: the calling thread only) and, made by
     * render_workers_ready, a text cache per worker past the first (owned):
     * Pango's font maps and layouts are not shared between threads. */
    struct pool *pool;
    struct text_cache **worker_text;
    unsigned nworker_text;
};

void render_init(struct render *r, const struct theme *theme, int64_t now);
void render_finish(struct render *r); /* also the workers' text caches */
/* Makes the text caches r->pool's workers need (on the calling thread,
 * before pool_run). */
void render_workers_ready(struct render *r);
/* What worker `worker` of r->pool draws with: r itself for worker 0, else
 * a copy of r with that worker's text cache. */
struct render render_worker(const struct render *r, unsigned worker);
/* Calls text_cache_frame on every text cache of r. */
void render_text_frame(struct render *r, unsigned frames);

/* ---- shared drawing: every widget uses these, none draws its own chrome -- */

void draw_rounded_rect(cairo_t *cr, double x, double y, double w, double h, double radius);
/* Pixels of a and b (RGB24, same size) differing by more than `levels` in
 * any channel; all of them when the sizes differ. If diff is not NULL (same
 * size) it becomes a picture of where: red where they differ, the dimmed b
 * elsewhere. */
size_t image_count_diff(cairo_surface_t *a, cairo_surface_t *b, int levels, cairo_surface_t *diff);
/* Page background: vertical gradient and a faint grid of the theme. */
void draw_background(cairo_t *cr, const struct render *r, double w, double h);
/* The page's gradient at fraction f (0 top … 1 bottom) of its height, as
 * an opaque cairo pixel (0xffRRGGBB); outside 0…1 the page colour. Filling
 * an image's rows with it is 5–10× faster than pixman's gradient. */
uint32_t draw_background_pixel(const struct theme *t, double f);
/* The content rectangle of a frame without drawing it (the same as
 * draw_panel_frame returns). */
struct rect draw_panel_content(struct rect box, const char *title);
/* Panel chrome with a title strip, an optional badge at its right end (the
 * data's state, e.g. 延迟 · 15:21) and an optional note left of it (e.g.
 * 1–10月累计); the title is shortened with an ellipsis before them, and the
 * note dropped when the whole title does not fit beside it. Returns the
 * content rectangle. */
struct rect draw_panel_frame(cairo_t *cr, struct render *r, struct rect box, const char *title,
                             const char *note, const char *badge);
/* A pill-shaped badge whose right edge is at (x_right, y_mid); returns its width. */
double draw_badge(cairo_t *cr, struct render *r, double x_right, double y_mid, const char *text,
                  rgba_t bg, rgba_t fg);
/* The drawn placeholder for missing or bad data: never a blank panel. */
void draw_placeholder(cairo_t *cr, struct render *r, struct rect box, const char *headline,
                      const char *detail);
/* Diagonal repeated watermark over the whole canvas. */
void draw_watermark(cairo_t *cr, struct render *r, double w, double h, const char *text);
/* A growth arrow (up or down triangle) of height h centred at (x, y). */
void draw_arrow(cairo_t *cr, double x, double y, double h, bool up);
/* Text style helper: theme font at size, weight and colour. */
struct text_style text_style_make(const struct render *r, bool numeric, double size, int weight,
                                  rgba_t color);

#endif
