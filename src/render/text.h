/* Text with Pango: shaped layouts cached by (font, size, weight, width,
 * text), drawn on any cairo_t in design units. Render thread only. */
#ifndef LW_TEXT_H
#define LW_TEXT_H
#include "render/color.h"
#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

enum text_anchor {
    ANCHOR_LEFT = 0, ANCHOR_CENTER = 1, ANCHOR_RIGHT = 2,       /* horizontal */
    ANCHOR_TOP = 0, ANCHOR_MIDDLE = 4, ANCHOR_BOTTOM = 8, ANCHOR_BASELINE = 12, /* vertical */
};

struct text_style {
    const char *font;   /* family, e.g. theme->font */
    double size;        /* design units (px at 1920×1080) */
    int weight;         /* 400 regular, 700 bold */
    rgba_t color;
    double max_width;   /* > 0: ellipsize beyond it */
    bool wrap;          /* with max_width: wrap instead of ellipsize */
    int align;          /* ANCHOR_LEFT/CENTER/RIGHT for wrapped text */
};

struct text_cache;

struct text_cache *text_cache_new(void);
void text_cache_destroy(struct text_cache *tc); /* NULL is a no-op */
/* Drops layouts not used in the last `frames` frames; call once a frame. */
void text_cache_frame(struct text_cache *tc, unsigned frames);
size_t text_cache_size(const struct text_cache *tc);

/* Logical size of the text in design units. */
void text_measure(struct text_cache *tc, const char *s, const struct text_style *st, double *w,
                  double *h);
/* Baseline offset from the top of the text's box. */
double text_baseline(struct text_cache *tc, const char *s, const struct text_style *st);
/* Draws s with its anchor point at (x, y); returns the drawn width. */
double text_draw(struct text_cache *tc, cairo_t *cr, double x, double y, int anchor, const char *s,
                 const struct text_style *st);

#endif
