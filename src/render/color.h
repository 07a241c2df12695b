/* Colours: 0xRRGGBBAA values, parsing, and continuous colour scales. */
#ifndef LW_COLOR_H
#define LW_COLOR_H
#include <cairo.h>
#include <stdbool.h>
#include <stdint.h>

typedef uint32_t rgba_t; /* 0xRRGGBBAA */

#define RGBA(r, g, b, a) (((rgba_t)(r) << 24) | ((rgba_t)(g) << 16) | ((rgba_t)(b) << 8) | (rgba_t)(a))

void color_set(cairo_t *cr, rgba_t c);
void color_set_alpha(cairo_t *cr, rgba_t c, double alpha); /* multiplies c's alpha */
/* "#rrggbb" or "#rrggbbaa". */
bool color_parse(const char *s, rgba_t *out);
rgba_t color_mix(rgba_t a, rgba_t b, double t);   /* t = 0 → a, 1 → b */
rgba_t color_shade(rgba_t c, double k);           /* k < 1 darker, > 1 lighter */
void color_add_stop(cairo_pattern_t *p, double offset, rgba_t c);

/* A colour scale: stops at increasing positions 0..1. */
struct color_scale {
    int n;
    double pos[8];
    rgba_t col[8];
};
rgba_t color_scale_eval(const struct color_scale *s, double t); /* t clamped to 0..1 */

#endif
