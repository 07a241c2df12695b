/* Composing a scene: background, panel chrome, data queries, widgets,
 * footnotes, stale badges and placeholders, on any cairo_t. The screen and
 * every export driver call this one function. */
#ifndef LW_COMPOSE_H
#define LW_COMPOSE_H
#include "data/store.h"
#include "render/render.h"
#include "scene/scene.h"

/* A panel's query over its source, with the store's regions table when
 * its filters want it ("within" a region): what every screen and export
 * shows. NULL + *err as query_run. */
struct table *compose_query(const struct query *q, const struct table *src, struct store *store,
                            struct err *err);
/* Draws s over w×h device pixels. r->theme must be set. */
void compose_scene(cairo_t *cr, int w, int h, const struct scene *s, struct store *store,
                   struct render *r);
/* Tweening on a live screen: numbers move from the previous data to the new
 * (bars grow, figures roll) instead of jumping. */
struct compose_tween {
    const struct table *from; /* the data shown before, or NULL */
    double t;                 /* 0..1 of the way; 1 = the new data as it is */
    struct table *data;       /* out: a reference to the new data, or NULL */
};

/* The parts of a panel: its frame (body, border, title strip with the
 * note) changes only when the note does; what is inside changes with the
 * data. The screen keeps the frames on a cached page. */
enum { COMPOSE_FRAME = 1, COMPOSE_CONTENT = 2, COMPOSE_ALL = 3,
       COMPOSE_UNDER = 8 /* compose_panel_piece: the page under the panel first */ };

/* Draws parts of one panel into its rectangle (design units, after
 * viewport_apply). tw may be NULL (exports); otherwise see struct
 * compose_tween. */
void compose_panel(cairo_t *cr, const struct scene *s, const struct panel *p, struct rect box,
                   struct store *store, struct render *r, int64_t data_time,
                   struct compose_tween *tw, unsigned parts);
/* Panels drawn on several threads, and the same pixels however they are
 * drawn: a panel's *piece* is its rectangle of the canvas in device
 * pixels (box in design units through vp, a margin for the frame's
 * stroke, clamped to w×h) as {x, y, w, h}; it is drawn through a cairo
 * surface of its own over those pixels, whose origin is the piece's
 * corner. Pieces that do not overlap share nothing, so two threads may
 * draw them at once; the screen and compose_scene draw every panel this
 * way, so a panel's pixels are the same on a wall and in an export. */
void compose_piece_rect(const struct viewport *vp, struct rect box, int w, int h, int rc[4]);
/* True when pieces a and b share a pixel: then one thread draws both. */
bool compose_pieces_overlap(const int a[4], const int b[4]);
/* Draws parts of panel p (COMPOSE_UNDER: the page's colour and background
 * first; with it alone s, p and store may be NULL) into the piece rc of image surface target (RGB24 or ARGB32),
 * which the caller flushes before and marks dirty after. r: the calling
 * worker's (render_worker). */
void compose_panel_piece(cairo_surface_t *target, const int rc[4], const struct viewport *vp,
                         const struct scene *s, const struct panel *p, struct rect box,
                         struct store *store, struct render *r, int64_t data_time,
                         struct compose_tween *tw, unsigned parts);
/* The page's colour and background gradient over the whole of image
 * surface target (flushed and marked dirty here), in bands on r's pool. */
void compose_background(cairo_surface_t *target, const struct viewport *vp, struct render *r);
/* The note the panel's title strip shows now ({period} expanded); "" when
 * it has none. */
void compose_panel_note(char *out, size_t len, const struct panel *p, struct store *store);
/* The stale badge's text for the panel over source table src at time now
 * ("数据延迟 · 更新于 11-15 09:30", or "延迟 · 09:30" in a box narrower
 * than 480 units); "" when its data is fresh. A panel with a title strip
 * shows it at the strip's right end, drawn with the frame. */
void compose_panel_badge(char *out, size_t len, const struct panel *p, const struct table *src,
                         struct store *store, int64_t now, double box_w);
/* The newest period of the data the scene shows ("" when none): what a
 * subtitle's {period} says. */
void compose_scene_period(char *out, size_t len, const struct scene *s, struct store *store);
/* tmpl with its placeholders filled: {period}, {period_cum},
 * {period_cumulative} and {period_year} from `period` (NULL or "": "—"), {NAME} the scene's
 * parameter, {NAME_name} the name of the region it names (regions table).
 * s may be NULL: the period placeholders only. */
void compose_text(char *out, size_t len, const char *tmpl, const struct scene *s,
                  struct store *store, const char *period);
/* What the demo data's subtitle and footnotes end with: the mark comes from
 * the data (store_is_demo), never from the scene's text. */
#define COMPOSE_DEMO_MARK "演示数据"
/* The scene's title and subtitle ("" when none) as shown, with the period
 * of its data, the subtitle ending with the data's mark (COMPOSE_DEMO_MARK,
 * or 数据来源：the catalog's provenance of its sources); both buffers of len
 * bytes. */
void compose_scene_texts(char *title, char *subtitle, size_t len, const struct scene *s,
                         struct store *store);
/* The newest fetch time among the scene's sources. */
int64_t compose_data_time(const struct scene *s, struct store *store);
/* What a panel's data is, as its badge shows it: fresh; stale (older than
 * twice its refresh interval); or offline (its database is unreachable,
 * whatever its age). Both of the latter get the "数据延迟" badge. No data
 * (src NULL) is fresh: the placeholder says what is wrong. */
enum compose_state { COMPOSE_FRESH, COMPOSE_STALE, COMPOSE_OFFLINE };
enum compose_state compose_panel_state(const struct query *q, const struct table *src,
                                       struct store *store, int64_t now);

/* What is under a point of the canvas: the panel, and the row of that
 * panel's query result its widget drew there (-1: none, e.g. a gap, the
 * title strip, a widget without rows). */
struct compose_hit {
    size_t panel;  /* index in s->panels */
    long row;      /* row of the panel's query result, or -1 */
    double x, y;   /* the point in design units */
    struct table *data; /* that query result when row >= 0 (a reference), else NULL */
};
/* Finds what compose_scene draws at output pixel (x, y) of a w×h canvas,
 * with the same viewport, panel rectangles, content boxes and widget
 * layouts. False when the point is on no panel. r->theme must be set;
 * sets r->unit_px like compose_scene. Render thread. */
bool compose_hit(const struct scene *s, struct store *store, struct render *r, int w, int h,
                 double x, double y, struct compose_hit *out);
/* Drops out->data. */
void compose_hit_release(struct compose_hit *out);
/* The parameters a touch on hit's row sets by the panel's drill, e.g.
 * city=411081, and the item's name for the breadcrumb (NULL: none).
 * False when the panel has no drill, the point hit no row, or a parameter's
 * cell is empty. Free with compose_drill_free(). */
bool compose_drill(const struct scene *s, const struct compose_hit *hit,
                   struct scene_param **params, size_t *nparams, char **label);
void compose_drill_free(struct scene_param *params, size_t nparams, char *label);

/* What a picker of the title bar offers for a parameter: the regions
 * (city: their codes, named), or the newest period of the scene's data
 * (最新) and the eleven months before it (period). */
struct compose_choices {
    char *param;            /* NULL: none */
    char **values, **labels;
    size_t n;
};
/* Fills c for param of scene s (what was in c is freed first). */
void compose_choices(struct compose_choices *c, const struct scene *s, struct store *store,
                     const char *param);
/* Points r's picker at c (render.h: picker, choices), `current` marked chosen. */
void compose_choices_show(const struct compose_choices *c, const char *current, struct render *r);
void compose_choices_free(struct compose_choices *c);

#endif
